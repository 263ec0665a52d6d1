"""Independent reference computations for Bayesian Stackelberg games.

Nothing here imports stackopt's solvers, formulations or certificates.

* :func:`profile_enumeration` — strong Bayesian Stackelberg value: for every profile of type
  responses, ``scipy.optimize.linprog`` maximises the leader's expected value subject to every
  type best-responding with its profile action; the answer is the best profile.
* :func:`weak_exact_two_actions` — exact (Fraction) pessimistic supremum and attainment for a
  game with two leader actions: on each open interval between breakpoints (pairwise
  indifference points of some type, and leader-payoff crossings of identical follower
  columns) every type's best-response set is constant, so the pessimistic value is linear
  there; the supremum is the best interval-endpoint limit or
  breakpoint value, and it is attained iff some point (breakpoint or endpoint) reaches it.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np


def profile_enumeration(
    R: list[np.ndarray], C: list[np.ndarray], weights: list[float]
) -> tuple[float, np.ndarray, tuple[int, ...]]:
    """Best (value, commitment, profile) over all type-response profiles (leader ties).

    ``R[l]``, ``C[l]`` are type ``l``'s leader and follower payoff matrices (leader actions x
    follower actions), ``weights`` the type priors. Needs scipy.
    """
    from scipy.optimize import linprog

    m = R[0].shape[0]
    best: tuple = (-np.inf, None, None)
    for prof in itertools.product(*(range(c.shape[1]) for c in C)):
        obj = -sum(w * r[:, j] for w, r, j in zip(weights, R, prof))
        rows = [c[:, k] - c[:, j] for c, j in zip(C, prof) for k in range(c.shape[1]) if k != j]
        res = linprog(
            obj,
            A_ub=np.array(rows) if rows else None,
            b_ub=np.zeros(len(rows)) if rows else None,
            A_eq=np.ones((1, m)),
            b_eq=[1.0],
            bounds=[(0, None)] * m,
            method="highs",
        )
        if res.status == 0 and -res.fun > best[0] + 1e-12:
            best = (-res.fun, res.x, prof)
    return best


def _lin(M, j, p):
    """x^T M[:, j] at x = (p, 1 - p), exactly."""
    return Fraction(M[0][j]) * p + Fraction(M[1][j]) * (1 - p)


def weak_exact_two_actions(
    R: list[list[list[int]]], C: list[list[list[int]]], weights: list[Fraction]
) -> tuple[Fraction, bool]:
    """Exact pessimistic supremum and attainment when the leader has two actions."""

    def crossing(M: list[list[int]], a: int, b: int) -> set[Fraction]:
        """The p in [0, 1] where columns a and b of M tie: (M0a - M0b) p + (M1a - M1b)(1 - p)
        = 0 (none if they never or always tie)."""
        d0, d1 = Fraction(M[0][a] - M[0][b]), Fraction(M[1][a] - M[1][b])
        if d0 == d1:
            return set()
        p = d1 / (d1 - d0)
        return {p} if 0 <= p <= 1 else set()

    bps = {Fraction(0), Fraction(1)}
    for r, c in zip(R, C):
        for a, b in itertools.combinations(range(len(c[0])), 2):
            bps |= crossing(c, a, b)  # the follower's tie
            if c[0][a] == c[0][b] and c[1][a] == c[1][b]:  # always tied: the leader's
                bps |= crossing(r, a, b)
    pts = sorted(bps)

    def br(c, p):
        vals = [_lin(c, j, p) for j in range(len(c[0]))]
        top = max(vals)
        return [j for j, v in enumerate(vals) if v == top]

    def value_at(p, brs):
        return sum(w * min(_lin(r, j, p) for j in b) for w, r, b in zip(weights, R, brs))

    point_vals = [value_at(p, [br(c, p) for c in C]) for p in pts]
    limits = []
    for lo, hi in zip(pts, pts[1:]):
        mid = (lo + hi) / 2
        brs = [br(c, mid) for c in C]
        limits += [value_at(lo, brs), value_at(hi, brs)]
    sup = max(point_vals + limits)
    return sup, max(point_vals) == sup
