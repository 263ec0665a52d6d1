"""An independent brute force for bilinear bilevel problems: a grid of leader decisions and,
at each, the follower's LP (scipy.optimize.linprog) and the optimistic LP over its optimal face
with the leader's rate x quantity terms evaluated at that ``x``. Written from the problem's raw
data only (no stackopt formulation code)."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import linprog

from stackopt.testing.oracles.bilevel import _follower_rows, _leader_rows


def grid_optimum(p, grids):
    """``(best leader value as stated, argmax x)`` over ``itertools.product(*grids)``."""
    ny = p.n_follower
    s = 1.0 if p.leader_sense == "minimize" else -1.0
    fs = 1.0 if p.follower_sense == "minimize" else -1.0
    frows, lrows = _follower_rows(p), _leader_rows(p)
    A = np.array([ay for _, ay, _ in frows]).reshape(-1, ny)
    best, arg = np.inf, None
    for xs in itertools.product(*grids):
        x = np.array(xs, float)
        b = np.array([bb - ax @ x for ax, _, bb in frows])
        dfol = p.follower_cost_y + (p.follower_cross @ x if p.follower_cross is not None else 0)
        res = linprog(fs * dfol, A_ub=A, b_ub=b, bounds=[(None, None)] * ny, method="highs")
        if res.status != 0:
            continue
        cy = p.leader_cost_y + (p.leader_cross @ x if p.leader_cross is not None else 0)
        A2 = [*A, fs * dfol] + [ay for _, ay, _ in lrows]
        b2 = [*b, res.fun + 1e-9 * max(1, abs(res.fun))] + [bb - ax @ x for ax, _, bb in lrows]
        res2 = linprog(
            s * cy, A_ub=np.array(A2), b_ub=b2, bounds=[(None, None)] * ny, method="highs"
        )
        if res2.status == 0:
            v = s * p.leader_cost_x @ x + res2.fun
            if v < best - 1e-12:
                best, arg = v, x
    return s * best + p.leader_constant, arg
