"""Independent brute-force oracles for small bilevel problems (scipy.optimize.linprog).

Written from the problem's raw data only (no stackopt formulation code):

* :func:`enumerate_active_sets` - linear follower, continuous leader: for every subset ``S``
  of the follower's inequalities (rows and variable bounds) one LP over ``(x, y, lambda_S)``
  with the rows of ``S`` active, the other multipliers zero, stationarity
  ``d + sum_{i in S} lambda_i a_i = 0``; the bilevel optimum is the best of these LPs
  (every KKT point has such an ``S``, and every LP point is a KKT point).
* :func:`enumerate_integer_leader` - integer leader with a small box: for every ``x`` the
  follower's LP, then the optimistic LP over its optimal face.
"""

from __future__ import annotations

import itertools

import numpy as np


def _range_rows(ax, ay, lower, upper):
    """Rows ``lower <= a_x x + a_y y <= upper`` as ``a_x x + a_y y <= b`` (finite sides only)."""
    rows = []
    for i in range(ay.shape[0]):
        if np.isfinite(upper[i]):
            rows.append((ax[i], ay[i], upper[i]))
        if np.isfinite(lower[i]):
            rows.append((-ax[i], -ay[i], -lower[i]))
    return rows


def _follower_rows(p):
    """All follower inequalities as ``a_x x + a_y y <= b`` (rows and finite bounds)."""
    rows = _range_rows(
        p.follower_rows_x, p.follower_rows_y, p.follower_rows_lower, p.follower_rows_upper
    )
    nx, ny = p.n_leader, p.n_follower
    for j in range(ny):
        e = np.zeros(ny)
        e[j] = 1.0
        if np.isfinite(p.follower_upper[j]):
            rows.append((np.zeros(nx), e, p.follower_upper[j]))
        if np.isfinite(p.follower_lower[j]):
            rows.append((np.zeros(nx), -e, -p.follower_lower[j]))
    return rows


def _leader_rows(p):
    return _range_rows(p.leader_rows_x, p.leader_rows_y, p.leader_rows_lower, p.leader_rows_upper)


def _sign(p):
    return 1.0 if p.leader_sense == "minimize" else -1.0


def enumerate_active_sets(p):
    """``(status, leader value as stated)`` of a linear bilevel problem with continuous leader.

    ``p`` is a :class:`stackopt.BilevelProblem` (only its raw arrays are read). Needs scipy.
    """
    from scipy.optimize import linprog

    assert p.follower_quadratic is None and p.follower_cross is None
    assert not any(t != "continuous" for t in p.leader_types)
    rows = _follower_rows(p)
    lrows = _leader_rows(p)
    nx, ny, k = p.n_leader, p.n_follower, len(rows)
    s = _sign(p)
    d = (1.0 if p.follower_sense == "minimize" else -1.0) * p.follower_cost_y
    best, unbounded = np.inf, False
    for size in range(k + 1):
        for S in itertools.combinations(range(k), size):
            n = nx + ny + size
            c = np.concatenate([s * p.leader_cost_x, s * p.leader_cost_y, np.zeros(size)])
            A_ub = [np.concatenate([ax, ay, np.zeros(size)]) for ax, ay, _ in rows + lrows]
            b_ub = [b for _, _, b in rows + lrows]
            A_eq = [np.concatenate([rows[i][0], rows[i][1], np.zeros(size)]) for i in S]
            b_eq = [rows[i][2] for i in S]
            for j in range(ny):  # stationarity: d_j + sum lambda_i a_y[i, j] = 0
                A_eq.append(np.concatenate([np.zeros(nx + ny), [rows[i][1][j] for i in S]]))
                b_eq.append(-d[j])
            bounds = [
                (None if not np.isfinite(lo) else lo, None if not np.isfinite(hi) else hi)
                for lo, hi in zip(p.leader_lower, p.leader_upper)
            ]
            bounds += [(None, None)] * ny + [(0, None)] * size
            res = linprog(
                c,
                A_ub=np.array(A_ub).reshape(-1, n) if A_ub else None,
                b_ub=b_ub or None,
                A_eq=np.array(A_eq).reshape(-1, n),
                b_eq=b_eq,
                bounds=bounds,
                method="highs",
            )
            if res.status == 3:
                unbounded = True
            elif res.status == 0 and res.fun < best:
                best = res.fun
    if unbounded:
        return "unbounded", None
    if not np.isfinite(best):
        return "infeasible", None
    return "optimal", s * best + p.leader_constant


def enumerate_integer_leader(p):
    """``(status, leader value)`` for integer leaders with finite boxes (linear follower).

    Needs scipy.
    """
    from scipy.optimize import linprog

    assert p.follower_quadratic is None and p.follower_cross is None
    grids = [range(int(lo), int(hi) + 1) for lo, hi in zip(p.leader_lower, p.leader_upper)]
    frows = _follower_rows(p)
    lrows = _leader_rows(p)
    ny = p.n_follower
    s = _sign(p)
    fs = 1.0 if p.follower_sense == "minimize" else -1.0
    best = np.inf
    for xs in itertools.product(*grids):
        x = np.array(xs, float)
        A = np.array([ay for _, ay, _ in frows]).reshape(-1, ny)
        b = np.array([bb - ax @ x for ax, _, bb in frows])
        res = linprog(
            fs * p.follower_cost_y, A_ub=A, b_ub=b, bounds=[(None, None)] * ny, method="highs"
        )
        if res.status != 0:
            continue
        f_star = res.fun
        A2 = [*A, fs * p.follower_cost_y] + [ay for _, ay, _ in lrows]
        b2 = [*b, f_star + 1e-9 * max(1, abs(f_star))] + [bb - ax @ x for ax, _, bb in lrows]
        res2 = linprog(
            s * p.leader_cost_y,
            A_ub=np.array(A2),
            b_ub=b2,
            bounds=[(None, None)] * ny,
            method="highs",
        )
        if res2.status == 0:
            best = min(best, s * p.leader_cost_x @ x + res2.fun)
    if not np.isfinite(best):
        return "infeasible", None
    return "optimal", s * best + p.leader_constant
