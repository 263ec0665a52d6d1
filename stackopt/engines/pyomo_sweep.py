"""One Pyomo LP per follower action (or target), solved by Pyomo's HiGHS interface.

The multiple-LPs method (Conitzer & Sandholm 2006) for the normal-form, incentive and security
kinds has a slow, independent Pyomo path used for cross-checks. Its loop is the same for all
three: LP(j) is solved for every ``j`` in order of decreasing upper bound ``upper[j]`` (ties by
index); with ``prune``, an LP whose upper bound cannot beat the incumbent
(``upper[j] <= best value``) is skipped. Only the model, how a solution is read and how the
records look differ; they are passed in as functions.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from stackopt.engines.highs import solve_pyomo_lp
from stackopt.errors import SolverError


@dataclass
class PyomoSweep:
    """The best LP (its index, value and what ``on_optimal`` returned with it) and counts."""

    best: int | None = None
    best_value: float = -np.inf
    best_payload: Any = None
    solved: int = 0
    pruned: int = 0
    infeasible: int = 0
    build_seconds: float = 0.0
    highs_seconds: float = 0.0


def sweep_pyomo_lps(
    upper: np.ndarray,
    *,
    prune: bool,
    build: Callable[[int], Any],
    on_optimal: Callable[[int, Any, Any], tuple[float, Any]],
    on_infeasible: Callable[[int], None],
    on_pruned: Callable[[int, float], None],
    lp_name: Callable[[int], str],
) -> PyomoSweep:
    """Solve ``build(j)`` for each ``j`` in order of decreasing ``upper[j]``.

    ``on_optimal(j, model, duals)`` reads a solved model (solution loaded, ``duals`` from the
    solution loader), records it and returns ``(value, payload)``; the first strictly largest
    value is the best. ``on_infeasible(j)`` records a proven infeasible (or
    infeasible-or-unbounded) LP; ``on_pruned(j, upper[j])`` a skipped one. Any other termination
    raises :class:`SolverError` naming ``lp_name(j)``.
    """
    from pyomo.contrib.solver.common.results import TerminationCondition

    out = PyomoSweep()
    for j in np.argsort(-upper, kind="stable"):
        j = int(j)
        if prune and out.best is not None and upper[j] <= out.best_value:
            on_pruned(j, float(upper[j]))
            out.pruned += 1
            continue
        t = time.perf_counter()
        model = build(j)
        out.build_seconds += time.perf_counter() - t
        res, seconds = solve_pyomo_lp(model)
        out.highs_seconds += seconds
        out.solved += 1
        tc = res.termination_condition
        if tc == TerminationCondition.convergenceCriteriaSatisfied:
            res.solution_loader.load_vars()
            value, payload = on_optimal(j, model, res.solution_loader.get_duals())
            if value > out.best_value:
                out.best, out.best_value, out.best_payload = j, value, payload
        elif tc in (
            TerminationCondition.provenInfeasible,
            TerminationCondition.infeasibleOrUnbounded,
        ):
            out.infeasible += 1
            on_infeasible(j)
        else:
            raise SolverError(f"Pyomo/HiGHS stopped with '{tc.name}' on {lp_name(j)}")
    return out
