"""HiGHS on the Stackelberg-MDP MILP with a MIP start (Pyomo's APPSI interface).

The MDP MILP is always feasible (any commitment and the follower's optimal policy at it), but
its feasible points are hard for HiGHS's heuristics to find: every binary must pick an optimal
action. :func:`solve_with_start` therefore passes the variable values already set on the model
(a commitment, its optimistic policy, occupancy and values) as a MIP start, then solves on one
thread at relative and absolute gap 0, like :func:`stackopt.engines.highs.solve_milp_exactly`
(whose Pyomo interface takes no start).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from stackopt.engines.highs import swallow_banner
from stackopt.errors import SolverError


def solve_with_start(
    model: Any, *, time_limit: float | None = None
) -> tuple[str, float | None, float | None, float]:
    """Solve ``model`` from the values its variables hold; load the best solution found.

    Returns ``(status, incumbent, bound, seconds)`` with status ``optimal``, ``time_limit``
    or another HiGHS termination name; ``incumbent``/``bound`` are ``None`` when unknown.
    """
    import pyomo.environ as pyo  # (also registers the solvers)
    from pyomo.contrib.appsi.base import TerminationCondition
    from pyomo.contrib.appsi.solvers.highs import Highs

    from stackopt.progress import HIGHS_LOGGER, highs_log_enabled

    swallow_banner()
    opt = Highs()
    opt.config.warmstart = True
    opt.config.load_solution = False
    opt.config.mip_gap = 0.0
    if highs_log_enabled():  # HiGHS's B&B table (nodes, bounds, gap) on 'stackopt.highs'
        opt.config.solver_output_logger = logging.getLogger(HIGHS_LOGGER)
    if time_limit is not None:
        opt.config.time_limit = float(time_limit)
    opt.highs_options = {"mip_rel_gap": 0.0, "mip_abs_gap": 0.0, "threads": 1}
    t = time.perf_counter()
    res = opt.solve(model)
    if res.termination_condition in (TerminationCondition.unknown, TerminationCondition.error):
        # threads=1 refused by a process-wide HiGHS scheduler another caller started with
        # more threads: re-run on that scheduler (as engines.highs.solve_milp_exactly does)
        opt.highs_options = {"mip_rel_gap": 0.0, "mip_abs_gap": 0.0, "threads": 0}
        res = opt.solve(model)
    inc = _load(res)
    if inc is not None and abs(float(pyo.value(model.obj)) - inc) > 1e-7 * max(1.0, abs(inc)):
        # HiGHS 1.16 can return the MIP start's columns with the optimum's objective (see
        # engines.highs.start_solution_returned): solve again from the same start with
        # presolve off, which returns the optimum's columns.
        opt.highs_options = {**opt.highs_options, "presolve": "off"}
        res = opt.solve(model)
        inc = _load(res)
        if inc is not None and abs(float(pyo.value(model.obj)) - inc) > 1e-7 * max(1.0, abs(inc)):
            raise SolverError(
                "HiGHS reported an optimum whose columns do not attain it (twice); "
                "please report this game"
            )
    secs = time.perf_counter() - t
    status = _status(res)
    bound = res.best_objective_bound
    return (
        status,
        None if inc is None else float(inc),
        None if bound is None else float(bound),
        secs,
    )


def _load(res: Any) -> float | None:
    """Load the best solution into the model; its objective as HiGHS reports it."""
    inc = res.best_feasible_objective
    if inc is None:
        return None
    res.solution_loader.load_vars()
    return float(inc)


def _status(res: Any) -> str:
    """``optimal``, ``time_limit`` or HiGHS's own termination name."""
    from pyomo.contrib.appsi.base import TerminationCondition

    tc = res.termination_condition
    if tc == TerminationCondition.optimal:
        return "optimal"
    if tc in (
        TerminationCondition.maxTimeLimit,
        TerminationCondition.maxIterations,
        TerminationCondition.interrupted,
    ):
        return "time_limit"
    return str(getattr(tc, "name", tc))
