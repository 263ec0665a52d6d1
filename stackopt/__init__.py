"""stackopt: exact Stackelberg equilibria by mathematical programming, with certificates.

Public API (Pyomo and HiGHS are imported only when a solve needs them)::

    import stackopt
    game = stackopt.load_game("data/inspection.yaml")
    result = stackopt.solve(game)          # Result with .certificate
    stackopt.verify(game, result)          # re-check without solving
"""

from __future__ import annotations

from .api import solve, verify
from .certificate import Certificate, Check
from .errors import InputError, SolverError, StackoptError, UnsupportedError
from .games.normal_form import NormalFormGame
from .io.load import load_game, load_result
from .result import FollowerOutcome, LeaderOutcome, Result
from .sse import solve_sse, verify_sse
from .status import Status, TieBreak

__version__ = "0.1.0"

__all__ = [
    "Certificate", "Check", "FollowerOutcome", "InputError", "LeaderOutcome",
    "NormalFormGame", "Result", "SolverError", "StackoptError", "Status", "TieBreak",
    "UnsupportedError", "load_game", "load_result", "solve", "solve_sse", "verify",
    "verify_sse",
]
