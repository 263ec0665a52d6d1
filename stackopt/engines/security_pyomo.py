"""The one-type security multiple LPs through Pyomo: one Pyomo model per target.

The cross-check engine of ``solve_security(..., engine="pyomo")``: the LPs of
:mod:`stackopt.formulations.security_lps` built one by one and solved by Pyomo's HiGHS
interface, with the same pruning rule and the same bound records (dual multipliers, or the
explicit dual LP when they are not tight) as the in-place engine
:mod:`stackopt.engines.security_lps`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from stackopt.engines.highs import swallow_banner
from stackopt.engines.pyomo_sweep import sweep_pyomo_lps
from stackopt.engines.security_lps import SecurityLPsOutcome, TargetRecord, dual_lp, lp_bound

if TYPE_CHECKING:  # pragma: no cover
    from stackopt.kinds.security.game import SecurityGame


def solve_security_lps_pyomo(game: SecurityGame, prune: bool = True) -> SecurityLPsOutcome:
    """One Pyomo model per target (:func:`build_security_lp`), solved by Pyomo's HiGHS."""
    from stackopt.formulations.security_lps import build_security_lp, read_security_lp

    swallow_banner()
    dc, du = game.defender_covered[0], game.defender_uncovered[0]
    ac, au = game.attacker_covered[0], game.attacker_uncovered[0]
    m = game.resources
    floor = float(du.min()) - 1.0

    def on_optimal(j: int, model: Any, duals: Any) -> tuple[float, np.ndarray, TargetRecord]:
        c, mu, nu = read_security_lp(model, game, duals)
        val = float(du[j] + (dc[j] - du[j]) * c[j])
        mu[j] = 0.0
        bound = lp_bound(dc, du, ac, au, m, j, mu, nu)
        if bound > val + 1e-9 * game.defender_scale:
            mu, nu, bound = dual_lp(dc, du, ac, au, m, j, None)
        rec = TargetRecord(
            "optimal",
            mu={int(k): float(mu[k]) for k in np.nonzero(mu)[0]},
            nu=float(nu),
            bound=bound,
            value=val,
        )
        return val, c, rec

    def on_infeasible(j: int) -> TargetRecord:
        mu, nu, bound = dual_lp(dc, du, ac, au, m, j, floor)
        return TargetRecord(
            "infeasible",
            mu={int(k): float(mu[k]) for k in np.nonzero(mu)[0]},
            nu=nu,
            bound=bound,
        )

    sweep = sweep_pyomo_lps(
        dc,
        prune=prune,
        build=lambda j: build_security_lp(game, j),
        on_optimal=on_optimal,
        on_infeasible=on_infeasible,
        record=TargetRecord,
        lp_name=lambda j: f"the LP of target '{game.targets[j]}'",
    )
    return SecurityLPsOutcome(
        best=sweep.best,
        coverage=sweep.best_payload,
        records=sweep.records,
        stats=sweep.stats(dominated=False),
    )
