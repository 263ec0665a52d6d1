"""The one-type security multiple LPs through Pyomo: one Pyomo model per target.

The cross-check engine of ``solve_security(..., engine="pyomo")``: the LPs of
:mod:`stackopt.formulations.security_lps` built one by one and solved by Pyomo's HiGHS
interface, with the same pruning rule and the same bound records (dual multipliers, or the
explicit dual LP when they are not tight) as the in-place engine
:mod:`stackopt.engines.security_lps`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from stackopt.engines.highs import solve_pyomo_lp, swallow_banner
from stackopt.engines.security_lps import SecurityLPsOutcome, TargetRecord, dual_lp, lp_bound
from stackopt.errors import SolverError

if TYPE_CHECKING:  # pragma: no cover
    from stackopt.kinds.security.game import SecurityGame


def solve_security_lps_pyomo(game: SecurityGame, prune: bool = True) -> SecurityLPsOutcome:
    """One Pyomo model per target (:func:`build_security_lp`), solved by Pyomo's HiGHS."""
    from pyomo.contrib.solver.common.results import TerminationCondition

    from stackopt.formulations.security_lps import build_security_lp, read_security_lp

    swallow_banner()
    dc, du = game.defender_covered[0], game.defender_uncovered[0]
    ac, au = game.attacker_covered[0], game.attacker_uncovered[0]
    m = game.resources
    floor = float(du.min()) - 1.0
    records: dict[int, TargetRecord] = {}
    best, best_val, best_c = None, -np.inf, None
    solved = pruned = infeasible = 0
    build = solve = 0.0
    for j in np.argsort(-dc, kind="stable"):
        j = int(j)
        if prune and best is not None and dc[j] <= best_val:
            records[j] = TargetRecord("pruned", bound=float(dc[j]))
            pruned += 1
            continue
        t = time.perf_counter()
        model = build_security_lp(game, j)
        build += time.perf_counter() - t
        res, seconds = solve_pyomo_lp(model)
        solve += seconds
        solved += 1
        tc = res.termination_condition
        if tc == TerminationCondition.convergenceCriteriaSatisfied:
            res.solution_loader.load_vars()
            duals = res.solution_loader.get_duals()
            c, mu, nu = read_security_lp(model, game, duals)
            val = float(du[j] + (dc[j] - du[j]) * c[j])
            mu[j] = 0.0
            bound = lp_bound(dc, du, ac, au, m, j, mu, nu)
            if bound > val + 1e-9 * game.defender_scale:
                mu, nu, bound = dual_lp(dc, du, ac, au, m, j, None)
            records[j] = TargetRecord(
                "optimal",
                mu={int(k): float(mu[k]) for k in np.nonzero(mu)[0]},
                nu=float(nu),
                bound=bound,
                value=val,
            )
            if val > best_val:
                best, best_val, best_c = j, val, c
        elif tc in (
            TerminationCondition.provenInfeasible,
            TerminationCondition.infeasibleOrUnbounded,
        ):
            infeasible += 1
            mu, nu, bound = dual_lp(dc, du, ac, au, m, j, floor)
            records[j] = TargetRecord(
                "infeasible",
                mu={int(k): float(mu[k]) for k in np.nonzero(mu)[0]},
                nu=nu,
                bound=bound,
            )
        else:
            raise SolverError(
                f"Pyomo/HiGHS stopped with '{tc.name}' on the LP of target '{game.targets[j]}'"
            )
    stats = {
        "lps_solved": solved,
        "lps_pruned": pruned,
        "lps_infeasible": infeasible,
        "build_seconds": build,
        "highs_seconds": solve,
    }
    return SecurityLPsOutcome(best=best, coverage=best_c, records=records, stats=stats)
