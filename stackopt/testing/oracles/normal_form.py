"""Independent reference computations for normal-form Stackelberg games.

Written from the mathematics only; nothing here imports stackopt's solver, formulation or
certificate code. Used to check stackopt's answers, never the other way round.

* :func:`sse_vertex_enumeration` — exact rational strong Stackelberg value: for every follower
  action ``j`` the best-response region ``R_j = {x in simplex : x.B[:, j] >= x.B[:, k] for all
  k}`` is a polytope; a linear objective attains its maximum over ``R_j`` at a vertex, and every
  vertex solves a square subsystem made of the simplex equation and ``m - 1`` tight
  inequalities. We enumerate all such subsystems with :class:`fractions.Fraction` arithmetic.
* :func:`pure_commitment_values` — brute force over pure commitments (leader-favourable ties).
* :func:`grid_value_2xn` — 2 x n games: ``x = (p, 1 - p)`` on a grid plus exact breakpoints.
* :func:`minimax_value` — zero-sum maximin value by ``scipy.optimize.linprog``.
* :func:`nash_leader_values` — leader's payoff at every Nash equilibrium (nashpy support
  enumeration).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import numpy as np


def to_fractions(M) -> list[list[Fraction]]:
    """Exact copy of a matrix (floats converted exactly, ints and Fractions kept)."""
    return [
        [v if isinstance(v, Fraction) else Fraction(v) for v in row]
        for row in (M.tolist() if isinstance(M, np.ndarray) else M)
    ]


def solve_exact(M: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Solve the square system ``M x = rhs`` exactly; ``None`` if singular."""
    n = len(M)
    aug = [list(M[r]) + [rhs[r]] for r in range(n)]
    for c in range(n):
        piv = next((r for r in range(c, n) if aug[r][c] != 0), None)
        if piv is None:
            return None
        aug[c], aug[piv] = aug[piv], aug[c]
        p = aug[c][c]
        aug[c] = [v / p for v in aug[c]]
        for r in range(n):
            if r != c and aug[r][c] != 0:
                f = aug[r][c]
                aug[r] = [a - f * b for a, b in zip(aug[r], aug[c])]
    return [aug[r][n] for r in range(n)]


def region_vertices(B: list[list[Fraction]], j: int) -> list[tuple[Fraction, ...]]:
    """All vertices of ``{x >= 0, sum x = 1, x.B[:, j] >= x.B[:, k] for all k}`` (exact)."""
    m, n = len(B), len(B[0])
    # inequalities g.x >= 0
    ineqs: list[list[Fraction]] = []
    for i in range(m):
        ineqs.append([Fraction(int(r == i)) for r in range(m)])
    for k in range(n):
        if k != j:
            ineqs.append([B[i][j] - B[i][k] for i in range(m)])
    out: set[tuple[Fraction, ...]] = set()
    ones = [Fraction(1)] * m
    for tight in combinations(range(len(ineqs)), m - 1):
        M = [ones] + [ineqs[t] for t in tight]
        x = solve_exact(M, [Fraction(1)] + [Fraction(0)] * (m - 1))
        if x is None:
            continue
        if all(sum(g[i] * x[i] for i in range(m)) >= 0 for g in ineqs):
            out.add(tuple(x))
    return sorted(out)


@dataclass(frozen=True)
class ExactSSE:
    value: Fraction  # leader's SSE value
    commitment: tuple[Fraction, ...]  # one optimal commitment
    response: int  # the follower action it induces
    region_values: dict[int, Fraction]  # LP(j) optimum for every inducible j


def sse_vertex_enumeration(A, B) -> ExactSSE:
    """Exact strong Stackelberg value of the bimatrix game ``(A, B)`` by vertex enumeration."""
    Af, Bf = to_fractions(A), to_fractions(B)
    m, n = len(Af), len(Af[0])
    best = None
    region_values: dict[int, Fraction] = {}
    for j in range(n):
        for x in region_vertices(Bf, j):
            v = sum((x[i] * Af[i][j] for i in range(m)), Fraction(0))
            if j not in region_values or v > region_values[j]:
                region_values[j] = v
            if best is None or v > best[0]:
                best = (v, x, j)
    assert best is not None  # some action is always a best response
    return ExactSSE(best[0], best[1], best[2], region_values)


def pure_commitment_values(A, B) -> list[Fraction]:
    """Leader's value of each pure commitment, follower breaking ties for the leader (exact)."""
    Af, Bf = to_fractions(A), to_fractions(B)
    out = []
    for i in range(len(Af)):
        top = max(Bf[i])
        out.append(max(Af[i][k] for k in range(len(Bf[i])) if Bf[i][k] == top))
    return out


def leader_value_at(A, B, x: Sequence[float], tol: float = 1e-12) -> float:
    """Leader's payoff at commitment ``x`` with leader-favourable tie-breaking (floats)."""
    A, B = np.asarray(A, float), np.asarray(B, float)
    fu = np.asarray(x) @ B
    near = fu >= fu.max() - tol * max(1.0, np.abs(B).max())
    return float((np.asarray(x) @ A)[near].max())


def breakpoints_2xn(B) -> list[Fraction]:
    """Values of ``p`` in [0, 1] where two follower actions tie, for ``x = (p, 1 - p)``."""
    Bf = to_fractions(B)
    n = len(Bf[0])
    pts = {Fraction(0), Fraction(1)}
    for k in range(n):
        for l in range(k + 1, n):
            # p*B0k + (1-p)*B1k = p*B0l + (1-p)*B1l
            d = (Bf[0][k] - Bf[1][k]) - (Bf[0][l] - Bf[1][l])
            if d != 0:
                p = (Bf[1][l] - Bf[1][k]) / d
                if 0 <= p <= 1:
                    pts.add(p)
    return sorted(pts)


def grid_value_2xn(A, B, step: float = 1e-4, breakpoints: bool = True) -> float:
    """Best leader value over ``x = (p, 1 - p)``, p on a grid of ``step`` plus the breakpoints.

    At breakpoints ties are evaluated exactly (rationals) in the leader's favour; at grid points
    in floating point with a tiny tie tolerance.
    """
    A = np.asarray(A, float)
    B = np.asarray(B, float)
    ps = np.linspace(0.0, 1.0, int(round(1 / step)) + 1)
    X = np.stack([ps, 1 - ps], axis=1)
    fu = X @ B
    lu = X @ A
    near = fu >= fu.max(axis=1, keepdims=True) - 1e-12 * max(1.0, np.abs(B).max())
    best = float(np.where(near, lu, -np.inf).max())
    if not breakpoints:
        return best
    Af, Bf = to_fractions(A), to_fractions(B)
    for p in breakpoints_2xn(B):
        x = (p, 1 - p)
        f = [x[0] * Bf[0][k] + x[1] * Bf[1][k] for k in range(len(Bf[0]))]
        top = max(f)
        v = max(x[0] * Af[0][k] + x[1] * Af[1][k] for k in range(len(f)) if f[k] == top)
        best = max(best, float(v))
    return best


def minimax_value(A) -> float:
    """Maximin value ``max_x min_j x.A[:, j]`` of the zero-sum game ``A`` (scipy linprog)."""
    from scipy.optimize import linprog

    A = np.asarray(A, float)
    m, n = A.shape
    # variables x_0..x_{m-1}, v ; maximise v  <=>  minimise -v
    c = np.r_[np.zeros(m), -1.0]
    A_ub = np.c_[-A.T, np.ones(n)]  # v - x.A[:, j] <= 0
    b_ub = np.zeros(n)
    A_eq = np.r_[np.ones(m), 0.0][None, :]
    res = linprog(
        c,
        A_ub=A_ub,
        b_ub=b_ub,
        A_eq=A_eq,
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
        method="highs",
    )
    assert res.status == 0, res.message
    return float(-res.fun)


def nash_leader_values(A, B) -> list[float]:
    """Leader's payoff at every Nash equilibrium found by nashpy's support enumeration."""
    import warnings

    import nashpy

    game = nashpy.Game(np.asarray(A, float), np.asarray(B, float))
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for x, y in game.support_enumeration():
            out.append(float(x @ np.asarray(A, float) @ y))
    return out
