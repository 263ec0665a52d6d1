"""Reference oracles for incentive games, written from the maths only (no stackopt code).

* :func:`linprog_value` writes every LP(j) with scipy's ``linprog`` over the *full* variable
  set (uniform: one incentive per payable action; per-action: one transfer w[a, k] per leader
  action and payable follower action, with w[a, k] <= max x[a]) and takes the best.
* :func:`pure_value` is the closed form for pure commitments: inducing j from row i costs
  ``max_k B[i, k] - B[i, j]``, affordable when at most ``min(max, budget)`` and j is payable
  (or the cost is 0).
* :func:`grid_value` scans x on a grid (two leader actions) and, for each x and j, pays the
  minimal incentive ``max(0, max_k x.B_k - x.B_j)``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog


def _cap(n, vmax, budget, payable):
    cap = vmax if budget is None else min(vmax, budget)
    mask = np.ones(n, dtype=bool) if payable is None else np.asarray(payable, dtype=bool)
    return np.where(mask, cap, 0.0), mask


def linprog_value(A, B, *, vmax=1.0, cost=1.0, budget=None, payable=None, contract="uniform"):
    """(best value, best j) over LP(j) solved by scipy's HiGHS-based linprog."""
    A, B = np.asarray(A, float), np.asarray(B, float)
    m, n = A.shape
    _, mask = _cap(n, vmax, budget, payable)
    P = [k for k in range(n) if mask[k]]
    best, best_j = -np.inf, None
    for j in range(n):
        if contract == "uniform":
            # variables: x (m), v_k for k in P (len P), u
            nv = m + len(P) + 1
            pos = {k: m + t for t, k in enumerate(P)}
            c = np.zeros(nv)
            c[:m] = -A[:, j]
            if j in pos:
                c[pos[j]] = cost
            A_ub, b_ub, A_eq, b_eq = [], [], [], []
            for k in range(n):
                row = np.zeros(nv)
                row[:m] = B[:, k]
                if k in pos:
                    row[pos[k]] = 1.0
                row[-1] = -1.0
                (A_eq if k == j else A_ub).append(row)
                (b_eq if k == j else b_ub).append(0.0)
            if budget is not None and j in pos:
                row = np.zeros(nv)
                row[pos[j]] = 1.0
                A_ub.append(row)
                b_ub.append(budget)
            row = np.zeros(nv)
            row[:m] = 1.0
            A_eq.append(row)
            b_eq.append(1.0)
            bounds = [(0, 1)] * m + [(0, vmax)] * len(P) + [(None, None)]
        else:
            # variables: x (m), w[a, k] for a in range(m), k in P, u
            nw = m * len(P)
            nv = m + nw + 1

            def wi(a, t):
                return m + a * len(P) + t

            c = np.zeros(nv)
            c[:m] = -A[:, j]
            A_ub, b_ub, A_eq, b_eq = [], [], [], []
            for t, k in enumerate(P):
                for a in range(m):
                    row = np.zeros(nv)
                    row[wi(a, t)] = 1.0
                    row[a] = -vmax
                    A_ub.append(row)
                    b_ub.append(0.0)
                if k == j:
                    for a in range(m):
                        c[wi(a, t)] = cost
                    if budget is not None:
                        row = np.zeros(nv)
                        for a in range(m):
                            row[wi(a, t)] = 1.0
                        A_ub.append(row)
                        b_ub.append(budget)
            for k in range(n):
                row = np.zeros(nv)
                row[:m] = B[:, k]
                if k in P:
                    t = P.index(k)
                    for a in range(m):
                        row[wi(a, t)] = 1.0
                row[-1] = -1.0
                (A_eq if k == j else A_ub).append(row)
                (b_eq if k == j else b_ub).append(0.0)
            row = np.zeros(nv)
            row[:m] = 1.0
            A_eq.append(row)
            b_eq.append(1.0)
            bounds = [(0, 1)] * m + [(0, None)] * nw + [(None, None)]
        res = linprog(
            c,
            A_ub=np.array(A_ub) if A_ub else None,
            b_ub=np.array(b_ub) if b_ub else None,
            A_eq=np.array(A_eq),
            b_eq=np.array(b_eq),
            bounds=bounds,
            method="highs",
        )
        if res.status == 0 and -res.fun > best:
            best, best_j = -res.fun, j
    return best, best_j


def pure_value(A, B, *, vmax=1.0, cost=1.0, budget=None, payable=None):
    """Closed form: the best pure commitment with the minimal incentive."""
    A, B = np.asarray(A, float), np.asarray(B, float)
    m, n = A.shape
    cap, _ = _cap(n, vmax, budget, payable)
    best = -np.inf
    for i in range(m):
        for j in range(n):
            p = B[i].max() - B[i, j]
            if p <= cap[j] + 1e-12:
                best = max(best, A[i, j] - cost * p)
    return best


def grid_value(A, B, *, vmax=1.0, cost=1.0, budget=None, payable=None, steps=2000):
    """Two leader actions: the best value over x = (t, 1 - t) on a grid, paying the minimal
    incentive for each induced action."""
    A, B = np.asarray(A, float), np.asarray(B, float)
    assert A.shape[0] == 2
    n = A.shape[1]
    cap, _ = _cap(n, vmax, budget, payable)
    best = -np.inf
    for t in np.linspace(0.0, 1.0, steps + 1):
        x = np.array([t, 1 - t])
        f = x @ B
        lv = x @ A
        p = f.max() - f
        ok = p <= cap + 1e-12
        best = max(best, float(np.where(ok, lv - cost * p, -np.inf).max()))
    return best
