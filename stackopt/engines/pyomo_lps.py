"""The multiple-LPs method through Pyomo: one Pyomo model per LP, solved by Pyomo's HiGHS.

Slow by design (a model is built per follower action) and independent of the in-place engine
(:mod:`stackopt.engines.multiple_lps`) except for the mathematics, which makes it a second
solve path for cross-checks. Same pruning rule and the same records as the fast engine.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from stackopt.engines.highs import solve_pyomo_lp, swallow_banner
from stackopt.engines.multiple_lps import ActionRecord, MultipleLPsOutcome, infeasible_record
from stackopt.errors import SolverError

if TYPE_CHECKING:  # pragma: no cover
    from stackopt.kinds.normal_form.game import NormalFormGame


def solve_multiple_lps_pyomo(
    game: NormalFormGame, *, prune: bool = True, follower_tol: float = 1e-9
) -> MultipleLPsOutcome:
    """Solve every LP(j) built by :func:`~stackopt.formulations.multiple_lps.build_lp`."""
    import pyomo.environ as pyo
    from pyomo.contrib.solver.common.results import TerminationCondition

    from stackopt.formulations.multiple_lps import build_lp, read_lp

    swallow_banner()
    A, B = game.A, game.B
    ub = A.max(axis=0)
    order = np.argsort(-ub, kind="stable")
    records: dict[int, ActionRecord] = {}
    best, best_val, best_x = None, -np.inf, None
    solved = pruned = infeasible = 0
    build = solve = 0.0
    for j in order:
        j = int(j)
        if prune and best is not None and ub[j] <= best_val:
            records[j] = ActionRecord("pruned", bound=float(ub[j]))
            pruned += 1
            continue
        t = time.perf_counter()
        model = build_lp(game, j)
        model.dual = pyo.Suffix(direction=pyo.Suffix.IMPORT)
        build += time.perf_counter() - t
        res, seconds = solve_pyomo_lp(model)
        solve += seconds
        solved += 1
        tc = res.termination_condition
        if tc == TerminationCondition.convergenceCriteriaSatisfied:
            res.solution_loader.load_vars()
            duals = res.solution_loader.get_duals()
            x, val, y = read_lp(model, game, j, duals)
            bound = float((A[:, j] + B[:, j] * y.sum() - B @ y).max())
            records[j] = ActionRecord(
                "optimal",
                bound=bound,
                value=val,
                multipliers={int(k): float(y[k]) for k in np.nonzero(y)[0]},
            )
            if val > best_val:
                best, best_val, best_x = j, val, x
        elif tc in (
            TerminationCondition.provenInfeasible,
            TerminationCondition.infeasibleOrUnbounded,
        ):
            infeasible += 1
            records[j] = infeasible_record(A, B, j, follower_tol)
        else:
            raise SolverError(
                f"Pyomo/HiGHS stopped with '{tc.name}' on the LP for follower "
                f"action '{game.follower_actions[j]}'"
            )
    commitment = (
        None if best_x is None else np.clip(best_x, 0, None) / np.clip(best_x, 0, None).sum()
    )
    stats = {
        "lps_solved": solved,
        "lps_pruned": pruned,
        "lps_dominated": 0,
        "lps_infeasible": infeasible,
        "build_seconds": build,
        "highs_seconds": solve,
    }
    return MultipleLPsOutcome(best=best, commitment=commitment, records=records, stats=stats)
