"""One Pyomo LP per follower action (or target), solved by Pyomo's HiGHS interface.

The multiple-LPs method (Conitzer & Sandholm 2006) for the normal-form, incentive and security
kinds has a slow, independent Pyomo path used for cross-checks. Its loop is the same for all
three: LP(j) is solved for every ``j`` in order of decreasing upper bound ``upper[j]`` (ties by
index); with ``prune``, an LP whose upper bound cannot beat the incumbent
(``upper[j] <= best value``) is skipped and recorded with that bound. Only the model, how a
solution is read and how the records look differ; they are passed in as functions.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stackopt.engines.highs import solve_pyomo_lp
from stackopt.errors import SolverError


@dataclass
class PyomoSweep:
    """The best LP (its index, value and what ``on_optimal`` returned with it), one record per
    LP and counts."""

    best: int | None = None
    best_value: float = -np.inf
    best_payload: Any = None
    solved: int = 0
    pruned: int = 0
    infeasible: int = 0
    build_seconds: float = 0.0
    highs_seconds: float = 0.0
    records: dict[int, Any] = field(default_factory=dict)

    def stats(self, *, dominated: bool) -> dict[str, Any]:
        """The counts and times as a result's stats; with ``dominated``, ``lps_dominated`` is
        reported as 0 (this path skips no action as dominated)."""
        out: dict[str, Any] = {"lps_solved": self.solved, "lps_pruned": self.pruned}
        if dominated:
            out["lps_dominated"] = 0
        out["lps_infeasible"] = self.infeasible
        out["build_seconds"] = self.build_seconds
        out["highs_seconds"] = self.highs_seconds
        return out


def sweep_pyomo_lps(
    upper: np.ndarray,
    *,
    prune: bool,
    build: Callable[[int], Any],
    on_optimal: Callable[[int, Any, Any], tuple[float, Any, Any]],
    on_infeasible: Callable[[int], Any],
    record: Callable[..., Any],
    lp_name: Callable[[int], str],
) -> PyomoSweep:
    """Solve ``build(j)`` for each ``j`` in order of decreasing ``upper[j]``.

    ``on_optimal(j, model, duals)`` reads a solved model (solution loaded, ``duals`` from the
    solution loader) and returns ``(value, payload, record)``; the first strictly largest
    value is the best. ``on_infeasible(j)`` returns the record of a proven infeasible (or
    infeasible-or-unbounded) LP; a skipped one is recorded as ``record("pruned",
    bound=upper[j])``. Any other termination raises :class:`SolverError` naming ``lp_name(j)``.
    """
    from pyomo.contrib.solver.common.results import TerminationCondition

    out = PyomoSweep()
    for j in np.argsort(-upper, kind="stable"):
        j = int(j)
        if prune and out.best is not None and upper[j] <= out.best_value:
            out.records[j] = record("pruned", bound=float(upper[j]))
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
            value, payload, out.records[j] = on_optimal(j, model, res.solution_loader.get_duals())
            if value > out.best_value:
                out.best, out.best_value, out.best_payload = j, value, payload
        elif tc in (
            TerminationCondition.provenInfeasible,
            TerminationCondition.infeasibleOrUnbounded,
        ):
            out.infeasible += 1
            out.records[j] = on_infeasible(j)
        else:
            raise SolverError(f"Pyomo/HiGHS stopped with '{tc.name}' on {lp_name(j)}")
    return out
