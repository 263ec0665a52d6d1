"""stackopt: exact Stackelberg equilibria by mathematical programming, with certificates.

Public API (Pyomo and HiGHS are imported only when a solve needs them)::

    import stackopt
    game = stackopt.load_game("data/inspection.yaml")
    result = stackopt.solve(game)          # Result with .certificate
    stackopt.verify(game, result)          # re-check without solving

Kinds: normal-form games (:func:`solve_sse`, pessimistic ties, exact rational proofs), Bayesian
games and independent followers (:func:`solve_bayesian`), security games
(:func:`solve_security`), bilevel problems (:func:`solve_bilevel`), shortest-path
interdiction (:func:`solve_interdiction`); Nash equilibria and leadership comparison for
normal-form games (:func:`nash_equilibria`, :func:`compare_leadership`).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .api import solve, verify
from .certificate import Certificate, Check
from .errors import InputError, SolverError, StackoptError, UnsupportedError
from .games.normal_form import NormalFormGame
from .io.load import load_game, load_result, save_game
from .result import FollowerOutcome, LeaderOutcome, Result
from .sse import solve_sse, verify_sse
from .status import Status, TieBreak

__version__ = "0.1.0"

# Loaded on first use, so that ``import stackopt`` stays light.
_LAZY = {
    "BayesianGame": "stackopt.games.bayesian",
    "FollowerType": "stackopt.games.bayesian",
    "solve_bayesian": "stackopt.bayesian",
    "verify_bayesian": "stackopt.bayesian",
    "solve_weak_sse": "stackopt.pessimistic",
    "SecurityGame": "stackopt.games.security",
    "solve_security": "stackopt.security",
    "verify_security": "stackopt.security",
    "BilevelProblem": "stackopt.games.bilevel",
    "solve_bilevel": "stackopt.bilevel",
    "verify_bilevel": "stackopt.bilevel",
    "InterdictionGame": "stackopt.games.interdiction",
    "solve_interdiction": "stackopt.interdiction",
    "verify_interdiction": "stackopt.interdiction",
    "nash_equilibria": "stackopt.nash",
    "all_nash_equilibria": "stackopt.nash",
    "verify_nash": "stackopt.nash",
    "NashEquilibrium": "stackopt.nash",
    "compare_leadership": "stackopt.compare",
    "LeadershipComparison": "stackopt.compare",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'stackopt' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Certificate", "Check", "FollowerOutcome", "InputError", "LeaderOutcome",
    "NormalFormGame", "Result", "SolverError", "StackoptError", "Status", "TieBreak",
    "UnsupportedError", "load_game", "load_result", "save_game", "solve", "solve_sse",
    "verify", "verify_sse", *_LAZY,
]
