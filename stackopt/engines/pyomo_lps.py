"""The multiple-LPs method through Pyomo: one Pyomo model per LP, solved by Pyomo's HiGHS.

Slow by design (a model is built per follower action) and independent of the in-place engine
(:mod:`stackopt.engines.multiple_lps`) except for the mathematics, which makes it a second
solve path for cross-checks. Same pruning rule and the same records as the fast engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from stackopt.engines.highs import swallow_banner
from stackopt.engines.multiple_lps import ActionRecord, MultipleLPsOutcome, infeasible_record
from stackopt.engines.pyomo_sweep import sweep_pyomo_lps

if TYPE_CHECKING:  # pragma: no cover
    from stackopt.kinds.normal_form.game import NormalFormGame


def solve_multiple_lps_pyomo(
    game: NormalFormGame, *, prune: bool = True, follower_tol: float = 1e-9
) -> MultipleLPsOutcome:
    """Solve every LP(j) built by :func:`~stackopt.formulations.multiple_lps.build_lp`."""
    import pyomo.environ as pyo

    from stackopt.formulations.multiple_lps import build_lp, read_lp

    swallow_banner()
    A, B = game.A, game.B

    def build(j: int) -> Any:
        model = build_lp(game, j)
        model.dual = pyo.Suffix(direction=pyo.Suffix.IMPORT)
        return model

    def on_optimal(j: int, model: Any, duals: Any) -> tuple[float, np.ndarray, ActionRecord]:
        x, val, y = read_lp(model, game, j, duals)
        bound = float((A[:, j] + B[:, j] * y.sum() - B @ y).max())
        rec = ActionRecord(
            "optimal",
            bound=bound,
            value=val,
            multipliers={int(k): float(y[k]) for k in np.nonzero(y)[0]},
        )
        return val, x, rec

    sweep = sweep_pyomo_lps(
        A.max(axis=0),
        prune=prune,
        build=build,
        on_optimal=on_optimal,
        on_infeasible=lambda j: infeasible_record(A, B, j, follower_tol),
        record=ActionRecord,
        lp_name=lambda j: f"the LP for follower action '{game.follower_actions[j]}'",
    )
    best_x = sweep.best_payload
    commitment = (
        None if best_x is None else np.clip(best_x, 0, None) / np.clip(best_x, 0, None).sum()
    )
    return MultipleLPsOutcome(
        best=sweep.best,
        commitment=commitment,
        records=sweep.records,
        stats=sweep.stats(dominated=True),
    )
