r"""Exact (rational) tools for Nash equilibria of bimatrix games.

Floating-point MILP solutions of the Nash MILP are only :math:`\varepsilon`-equilibria: on the
99-action traveler's dilemma the MILP returns a profile putting ``1.1e-5`` on ``claim_100``
whose regret ``6.1e-5`` hides under the tolerance, far from the unique equilibrium. So a
profile is certified here only when an *exact* equilibrium stands behind it:

:func:`iterated_strict_dominance`
    Removes, round by round, every pure strategy strictly dominated by a *mixed* strategy of
    the same player in the current game. Each removal is proved in rational arithmetic
    (:class:`fractions.Fraction`, payoffs read as their exact binary values): the dominating
    mixture :math:`\sigma` found by the LP :math:`\max \delta` s.t.
    :math:`\sum_r \sigma_r A_{rj} \ge A_{ij} + \delta\ \forall j`, :math:`\sum_r\sigma_r = 1`,
    is converted to fractions, renormalised, and :math:`\sum_r \sigma_r A_{rj} > A_{ij}` is
    checked exactly for every remaining column. A strictly dominated strategy is never played
    in a Nash equilibrium, and in a two-player game it is never a best response, so removals
    in one round may be made together, and the Nash equilibria of the reduced game are
    exactly those of the original (padded with zeros). A row that is a best response to some
    pure column (exact float comparison) is never tested. On the traveler's dilemma this
    shrinks the game to :math:`1 \times 1` (claim 2, claim 2).
:func:`exact_equilibrium_on_supports`
    Given a float profile, takes the supports :math:`S_1, S_2` of the probabilities above a
    threshold and solves, exactly, :math:`A_{S_1 S_2} y_{S_2} = u_1 \mathbf 1`,
    :math:`\sum y = 1`, :math:`x_{S_1}^\top B_{S_1 S_2} = u_2 \mathbf 1^\top`,
    :math:`\sum x = 1` (free variables of a degenerate system fixed at rational approximations
    of the float values). The rational profile is accepted only if :math:`x, y \ge 0`,
    :math:`(Ay)_i \le u_1` for every row and :math:`(x^\top B)_j \le u_2` for every column, in
    exact arithmetic: then it *is* a Nash equilibrium of the game as stored.
    :func:`clean_and_solve` tries the thresholds ``1e-9``, ``1e-6``, ``1e-4`` (dropping small
    probabilities) and returns the first exact equilibrium found, or ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike

from stackopt.checks.exact import solve_exact as _solve_exact

#: Thresholds below which a probability is dropped before the exact support solve.
CLEAN_THRESHOLDS = (1e-9, 1e-6, 1e-4)


class _Q:
    """Lazy exact (binary-value) fractions of a float matrix."""

    def __init__(self, M: np.ndarray) -> None:
        self.M = M
        self.cache: dict[tuple[int, int], Fraction] = {}

    def __call__(self, i: int, j: int) -> Fraction:
        key = (i, j)
        v = self.cache.get(key)
        if v is None:
            v = self.cache[key] = Fraction(float(self.M[i, j]))
        return v


@dataclass(frozen=True)
class Reduction:
    """The game left after iterated strict dominance.

    ``rows``/``cols`` are the surviving indices (into the original game); ``removed_rows`` /
    ``removed_cols`` count the removals, ``rounds`` the number of rounds, ``lps`` the dominance
    LPs solved.
    """

    rows: tuple[int, ...]
    cols: tuple[int, ...]
    removed_rows: int
    removed_cols: int
    rounds: int
    lps: int

    def to_dict(self) -> dict[str, int]:
        return {
            "rows_left": len(self.rows),
            "cols_left": len(self.cols),
            "removed_rows": self.removed_rows,
            "removed_cols": self.removed_cols,
            "rounds": self.rounds,
            "dominance_lps": self.lps,
        }


def _lexicographic(sub: np.ndarray, a: int) -> bool:
    r"""Whether row ``a`` of ``sub`` is never a best response, by a lexicographic argument.

    Repeat: among the remaining columns :math:`R`, every row :math:`r \ne a` with
    :math:`M_{rj} \ge M_{aj}` for all :math:`j \in R` removes from :math:`R` the columns where
    it is strictly better. If :math:`R` empties, then for every mixed :math:`y` let :math:`C` be
    the first removed set with :math:`y(C) > 0`: the row that removed it is at least as good
    as ``a`` on the support of :math:`y` and strictly better on :math:`C`, so ``a`` is never a
    best response, i.e. (two players) strictly dominated by a mixed strategy (Pearce 1984).
    The closure does not depend on the order of removals. On the traveler's dilemma this is
    the chain claim 99, claim 98, ..., claim 2 against claim 100, whose LP certificate would
    need a margin of ~1e-8 that floating point cannot certify.
    """
    others = np.r_[0:a, a + 1 : sub.shape[0]]
    if others.size == 0:
        return False
    D = sub[others] - sub[a]
    R = np.ones(sub.shape[1], dtype=bool)
    while R.any():
        DR = D[:, R]
        valid = (DR >= 0).all(axis=1)
        if not valid.any():
            return False
        strict = (DR[valid] > 0).any(axis=0)
        if not strict.any():
            return False
        idx = np.flatnonzero(R)
        R[idx[strict]] = False
    return True


def _dominated(M: np.ndarray, Mq: _Q, rows: list[int], cols: list[int]) -> tuple[set[int], int]:
    """Rows of ``M`` (restricted to ``rows`` x ``cols``) proved strictly dominated, exactly."""
    from stackopt.engines.dense_lp import solve_dense_lp

    sub = M[np.ix_(rows, cols)]
    best = sub.max(axis=0)
    is_br = (sub == best).any(axis=1)
    out: set[int] = set()
    lps = 0
    scale = float(np.abs(sub).max()) or 1.0
    for a, i in enumerate(rows):
        if is_br[a] or len(rows) < 2:
            continue
        # lexicographic weak dominance first: exact (floats compare exactly), no LP
        if _lexicographic(sub, a):
            out.add(i)
            continue
        others = [b for b in range(len(rows)) if b != a]
        k = len(others)
        # variables: sigma (k), delta ; max delta
        c = np.zeros(k + 1)
        c[-1] = 1.0
        A_ub = np.hstack([-sub[others].T, np.ones((len(cols), 1))])
        b_ub = -sub[a]
        A_eq = np.r_[np.ones(k), 0.0].reshape(1, -1)
        lb = np.r_[np.zeros(k), -np.inf]
        ub = np.r_[np.ones(k), 2 * scale + 1]
        lps += 1
        res = solve_dense_lp(c, A_ub, b_ub, A_eq, np.array([1.0]), lb, ub, maximize=True)
        if res.status != "optimal" or res.x is None or not res.x[-1] > 0:
            continue
        sig = np.clip(res.x[:k], 0.0, None)
        nz = [(rows[others[t]], Fraction(float(sig[t]))) for t in np.flatnonzero(sig > 0)]
        tot = sum((w for _, w in nz), Fraction(0))
        if tot <= 0:
            continue
        if all(sum((w * Mq(r, j) for r, w in nz), Fraction(0)) > Mq(i, j) * tot for j in cols):
            out.add(i)
    return out, lps


def iterated_strict_dominance(
    A: np.ndarray, B: np.ndarray, *, max_rounds: int = 10_000
) -> Reduction:
    """Iterated removal of strictly dominated pure strategies (module docstring), exact."""
    m, n = A.shape
    rows, cols = list(range(m)), list(range(n))
    Aq, BTq = _Q(A), _Q(B.T)
    BT = B.T
    rounds = lps = 0
    while rounds < max_rounds:
        rounds += 1
        d1, l1 = _dominated(A, Aq, rows, cols)
        rows = [i for i in rows if i not in d1]
        d2, l2 = _dominated(BT, BTq, cols, rows)
        cols = [j for j in cols if j not in d2]
        lps += l1 + l2
        if not d1 and not d2:
            break
    return Reduction(tuple(rows), tuple(cols), m - len(rows), n - len(cols), rounds, lps)


@dataclass(frozen=True)
class ExactProfile:
    """An exact Nash equilibrium: full-length rational strategies and payoffs."""

    x: tuple[Fraction, ...]
    y: tuple[Fraction, ...]
    u1: Fraction
    u2: Fraction


def exact_equilibrium_on_supports(
    A: np.ndarray, B: np.ndarray, x: ArrayLike, y: ArrayLike, threshold: float = 1e-9
) -> tuple[ExactProfile | None, str]:
    """The exact equilibrium on the supports of ``(x, y)`` (module docstring), or ``None`` and
    the reason."""
    m, n = A.shape
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    S1 = [int(i) for i in np.flatnonzero(xa > threshold)]
    S2 = [int(j) for j in np.flatnonzero(ya > threshold)]
    if not S1 or not S2:
        return None, "a strategy has empty support"
    Aq, Bq = _Q(A), _Q(B)
    # y_S2 and u1: sum_j A_ij y_j - u1 = 0 (i in S1); sum y = 1
    rows = [[Aq(i, j) for j in S2] + [Fraction(-1)] for i in S1]
    rows.append([Fraction(1)] * len(S2) + [Fraction(0)])
    rhs = [Fraction(0)] * len(S1) + [Fraction(1)]
    zy = _solve_exact(rows, rhs, [float(ya[j]) for j in S2] + [float(A[S1[0]] @ ya)])
    rows = [[Bq(i, j) for i in S1] + [Fraction(-1)] for j in S2]
    rows.append([Fraction(1)] * len(S1) + [Fraction(0)])
    rhs = [Fraction(0)] * len(S2) + [Fraction(1)]
    zx = _solve_exact(rows, rhs, [float(xa[i]) for i in S1] + [float(xa @ B[:, S2[0]])])
    if zy is None or zx is None:
        return None, "the indifference equations on the supports have no exact solution"
    yq = [Fraction(0)] * n
    xq = [Fraction(0)] * m
    for j, v in zip(S2, zy[:-1]):
        yq[j] = v
    for i, v in zip(S1, zx[:-1]):
        xq[i] = v
    if any(v < 0 for v in yq) or any(v < 0 for v in xq):
        return None, "the exact solution on the supports has a negative probability"
    u1 = sum((Aq(S1[0], j) * yq[j] for j in S2), Fraction(0))
    u2 = sum((Bq(i, S2[0]) * xq[i] for i in S1), Fraction(0))
    # rigorous float screen, then exact check on the rows/columns that could beat u1 / u2
    yf = np.array([float(v) for v in yq])
    xf = np.array([float(v) for v in xq])
    eps = 8 * (max(len(S1), len(S2)) + 3) * np.finfo(float).eps
    r_val, r_mag = A[:, S2] @ yf[S2], np.abs(A[:, S2]) @ yf[S2]
    c_val, c_mag = xf[S1] @ B[S1], xf[S1] @ np.abs(B[S1])
    for i_np in np.flatnonzero(r_val + eps * (r_mag + abs(float(u1))) + 1e-300 >= float(u1)):
        if sum((Aq(int(i_np), j) * yq[j] for j in S2), Fraction(0)) > u1:
            return None, f"exactly, row {int(i_np)} gains against the support solution"
    for j_np in np.flatnonzero(c_val + eps * (c_mag + abs(float(u2))) + 1e-300 >= float(u2)):
        if sum((Bq(i, int(j_np)) * xq[i] for i in S1), Fraction(0)) > u2:
            return None, f"exactly, column {int(j_np)} gains against the support solution"
    return ExactProfile(tuple(xq), tuple(yq), u1, u2), ""


def clean_and_solve(
    A: np.ndarray, B: np.ndarray, x: ArrayLike, y: ArrayLike
) -> tuple[ExactProfile | None, str]:
    """Try :data:`CLEAN_THRESHOLDS` in turn (module docstring)."""
    reason = ""
    tried: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    for t in CLEAN_THRESHOLDS:
        key = (
            tuple(int(i) for i in np.flatnonzero(xa > t)),
            tuple(int(j) for j in np.flatnonzero(ya > t)),
        )
        if key in tried:
            continue
        tried.add(key)
        prof, reason = exact_equilibrium_on_supports(A, B, xa, ya, t)
        if prof is not None:
            return prof, ""
    return None, reason
