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

from stackopt import _moved
from stackopt.api import solve, verify
from stackopt.certificate import Certificate, Check
from stackopt.errors import InputError, SolverError, StackoptError, UnsupportedError
from stackopt.io.load import load_game, load_result, save_game
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.kinds.normal_form.solve import solve_sse, verify_sse
from stackopt.result import FollowerOutcome, LeaderOutcome, Result
from stackopt.status import Status, TieBreak

__version__ = "0.1.0"

_moved.install()

# Loaded on first use, so that ``import stackopt`` stays light.
_LAZY = {
    "BayesianGame": "stackopt.kinds.bayesian.game",
    "FollowerType": "stackopt.kinds.bayesian.game",
    "solve_bayesian": "stackopt.kinds.bayesian.solve",
    "verify_bayesian": "stackopt.kinds.bayesian.solve",
    "solve_weak_sse": "stackopt.kinds.normal_form.pessimistic",
    "SecurityGame": "stackopt.kinds.security.game",
    "solve_security": "stackopt.kinds.security.solve",
    "verify_security": "stackopt.kinds.security.solve",
    "BilevelProblem": "stackopt.kinds.bilevel.game",
    "solve_bilevel": "stackopt.kinds.bilevel.solve",
    "verify_bilevel": "stackopt.kinds.bilevel.solve",
    "InterdictionGame": "stackopt.kinds.interdiction.game",
    "solve_interdiction": "stackopt.kinds.interdiction.solve",
    "verify_interdiction": "stackopt.kinds.interdiction.solve",
    "nash_equilibria": "stackopt.kinds.normal_form.nash",
    "all_nash_equilibria": "stackopt.kinds.normal_form.nash",
    "verify_nash": "stackopt.kinds.normal_form.nash",
    "NashEquilibrium": "stackopt.kinds.normal_form.nash",
    "compare_leadership": "stackopt.kinds.normal_form.compare",
    "load_model": "stackopt.models.registry",
    "LeadershipComparison": "stackopt.kinds.normal_form.compare",
    "batch": "stackopt.batch",
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
    "Certificate",
    "Check",
    "FollowerOutcome",
    "InputError",
    "LeaderOutcome",
    "NormalFormGame",
    "Result",
    "SolverError",
    "StackoptError",
    "Status",
    "TieBreak",
    "UnsupportedError",
    "load_game",
    "load_result",
    "save_game",
    "solve",
    "solve_sse",
    "verify",
    "verify_sse",
    *_LAZY,
]
