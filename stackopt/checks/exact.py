r"""Exact rational certificates for normal-form Stackelberg results.

Floating-point LP solutions satisfy the best-response constraints only to ~1e-9. This module
recovers the *exact* rational vertex behind a floating-point commitment and re-checks it in
rational arithmetic (:class:`fractions.Fraction`):

1. Payoffs are read as the decimals they print as (``Fraction(repr(v))``: ``0.1`` is 1/10).
2. Let :math:`S` be the support of :math:`x` and :math:`T` the follower actions tied with the
   response :math:`j` (within a tolerance). The system :math:`\sum_{i\in S} x_i = 1`,
   :math:`\sum_{i \in S} (B_{ij} - B_{ik}) x_i = 0\ (k \in T)` is solved exactly; free
   variables of a degenerate system are fixed at rational approximations of their float values.
3. The rational :math:`x^*` is accepted only if, exactly, :math:`x^* \ge 0`, :math:`j` is a best
   response, ties go to the leader, and the values are recomputed as fractions.
4. Optimality: every bound record's multipliers (floats are exact binary rationals) give an
   exact weak-duality bound that must not exceed the exact leader value. For the winning LP,
   exact duals are recovered from complementary slackness on :math:`S` and :math:`T`.

The result is a proof in exact arithmetic that :math:`x^*` is a strong Stackelberg commitment
of the game as written, or a statement of which step failed. Cost grows with
``m * n * (support size)``; above ``max_entries`` the optimality step is skipped and says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from stackopt.certificate import Check
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.progress import phase

MAX_ENTRIES = 250_000


def to_fraction(v: float) -> Fraction:
    """The decimal a float prints as, exactly (``0.1`` -> 1/10)."""
    return Fraction(repr(float(v)))


def _solve_exact(
    rows: list[list[Fraction]], rhs: list[Fraction], guess: Sequence[float]
) -> list[Fraction] | None:
    """Solve ``rows @ z = rhs`` exactly; free variables take rational approximations of ``guess``.

    Returns ``None`` when the system is inconsistent.
    """
    nvar = len(guess)
    M = [list(r) + [b] for r, b in zip(rows, rhs)]
    pivots: list[int] = []
    r = 0
    for c in range(nvar):
        piv = next((i for i in range(r, len(M)) if M[i][c] != 0), None)
        if piv is None:
            continue
        M[r], M[piv] = M[piv], M[r]
        inv = 1 / M[r][c]
        M[r] = [v * inv for v in M[r]]
        for i in range(len(M)):
            if i != r and M[i][c] != 0:
                f = M[i][c]
                M[i] = [a - f * b for a, b in zip(M[i], M[r])]
        pivots.append(c)
        r += 1
        if r == len(M):
            break
    for i in range(r, len(M)):
        if M[i][-1] != 0 and all(v == 0 for v in M[i][:-1]):
            return None
    free = [c for c in range(nvar) if c not in pivots]
    z = [Fraction(0)] * nvar  # every variable is free or a pivot: all set below
    for c in free:
        z[c] = Fraction(float(guess[c])).limit_denominator(10**9)
    for i, c in enumerate(pivots):
        z[c] = M[i][-1] - sum((M[i][f] * z[f] for f in free), Fraction(0))
    return z


#: Public name of the exact linear solver (used by the Nash support solve).
solve_exact_system = _solve_exact


def exact_vertex(
    rows: list[list[Fraction]], rhs: list[Fraction], support: list[int], guess: Sequence[float]
) -> dict[int, Fraction] | str:
    """The exact commitment ``{leader action: probability}`` on ``support`` solving the tight
    system ``rows @ z = rhs`` (:func:`_solve_exact`, free variables near ``guess``), or why
    there is none: the system is inconsistent (always so on an empty support), or a
    probability is negative."""
    z = _solve_exact(rows, rhs, guess) if support else None
    if z is None:
        return "the tight best-response system has no exact solution"
    if any(v < 0 for v in z):
        return "the exact commitment has a negative probability"
    return dict(zip(support, z))


def not_proved(detail: str) -> Check:
    """A failed ``exact`` check: rational arithmetic has tolerance 0 and no residual."""
    return Check("exact", False, None, 0.0, detail)


def exact_certificate(
    game: NormalFormGame,
    commitment: Mapping[str, float],
    response: str,
    bounds: Mapping[str, Any] | None,
    *,
    tol: float = 1e-7,
    max_entries: int = MAX_ENTRIES,
) -> tuple[Check, dict[str, Any]]:
    """Recover and check the exact rational SSE behind a float answer.

    Returns a :class:`~stackopt.certificate.Check` named ``exact`` and evidence with the
    rational commitment and values as strings (``"5/14"``).
    """
    m, n = game.shape
    j = game.follower_index(response)
    x = np.zeros(m)
    for lab, p in commitment.items():
        x[game.leader_index(str(lab))] = float(p)
    sb = float(np.abs(game.B).max()) or 1.0
    S = [int(i) for i in np.flatnonzero(x > tol)]
    f = x @ game.B
    T = [int(k) for k in np.flatnonzero(f >= f[j] - tol * sb) if k != j]
    phase("checks", "exact proof: rational vertex on %d leader actions, %d ties", len(S), len(T))
    Aq = {}
    Bq = {}

    def A(i: int, k: int) -> Fraction:
        key = (i, k)
        if key not in Aq:
            Aq[key] = to_fraction(game.A[i, k])
        return Aq[key]

    def B(i: int, k: int) -> Fraction:
        key = (i, k)
        if key not in Bq:
            Bq[key] = to_fraction(game.B[i, k])
        return Bq[key]

    rows = [[Fraction(1)] * len(S)] + [[B(i, j) - B(i, k) for i in S] for k in T]
    rhs = [Fraction(1)] + [Fraction(0)] * len(T)
    xq = exact_vertex(rows, rhs, S, [x[i] for i in S])
    if isinstance(xq, str):
        return not_proved(xq), {}
    fq = [sum((B(i, k) * p for i, p in xq.items()), Fraction(0)) for k in range(n)]
    lq = {
        k: sum((A(i, k) * p for i, p in xq.items()), Fraction(0))
        for k in range(n)
        if fq[k] == fq[j]
    }
    best_f = max(fq)
    if fq[j] != best_f:
        k = fq.index(best_f)
        return not_proved(
            f"exactly, '{game.follower_actions[k]}' beats the response by {best_f - fq[j]}"
        ), {}
    if lq[j] != max(lq.values()):
        return not_proved("exactly, a tied follower action gives the leader more"), {}
    v = lq[j]
    evidence: dict[str, Any] = {
        "commitment": {game.leader_actions[i]: str(p) for i, p in sorted(xq.items())},
        "leader_value": str(v),
        "follower_value": str(fq[j]),
    }
    # optimality in exact arithmetic
    if bounds is None:
        return Check(
            "exact",
            True,
            0.0,
            0.0,
            f"exact commitment and best response; leader value {v} (no bounds to check optimality)",
        ), evidence
    if m * n * max(1, len(S)) > max_entries * 40:
        evidence["optimality"] = "skipped (game too large for rational arithmetic)"
        return Check(
            "exact",
            True,
            0.0,
            0.0,
            f"exact commitment and best response; leader value {v}; optimality "
            "checked in floating point only (game too large)",
        ), evidence
    win_ok = _winning_dual_exact(A, B, m, n, j, S, T, v)
    worst_label, worst_excess = None, Fraction(0)
    for k, label in enumerate(game.follower_actions):
        rec = bounds.get(label) if isinstance(bounds, Mapping) else None
        if not isinstance(rec, Mapping):
            return not_proved(f"no bound for '{label}'"), evidence
        if "dominated_by" in rec:
            zq = {
                game.follower_index(str(l2)): Fraction(float(w))
                for l2, w in rec["dominated_by"].items()
            }
            tot = sum(zq.values(), Fraction(0))
            if tot <= 0 or any(w < 0 for w in zq.values()) or zq.get(k, 0) != 0:
                return not_proved(
                    f"the mixture dominating '{label}' is not a distribution over other actions"
                ), evidence
            ok = all(
                sum((B(i, l2) * w for l2, w in zq.items()), Fraction(0)) > B(i, k) * tot
                for i in range(m)
            )
            if not ok:
                return not_proved(f"'{label}' is not exactly dominated by its mixture"), evidence
            continue
        if k == j and win_ok:
            continue
        mult = {
            game.follower_index(str(l2)): float(w)
            for l2, w in dict(rec.get("multipliers") or {}).items()
            if float(w) != 0
        }
        mult.pop(k, None)
        # the multipliers are hints: any y >= 0 gives a valid weak-duality bound, so when the
        # float values (read exactly) overshoot by rounding (1/3 stored as 0.333...3), their
        # nearby simple fractions are tried too; the proof stays exact either way
        excess = None
        for denom in (None, 10**12, 10**9, 10**6):
            yq = {
                i: (Fraction(w) if denom is None else Fraction(w).limit_denominator(denom))
                for i, w in mult.items()
            }
            if any(q < 0 for q in yq.values()):
                continue
            e = _exact_excess(game, A, B, k, yq, v)
            excess = e if excess is None else min(excess, e)
            if excess <= 0:
                break
        if excess is None:
            excess = Fraction(1)
        if excess > worst_excess:
            worst_label, worst_excess = label, excess
    if worst_label is not None:
        return Check(
            "exact",
            False,
            _float(worst_excess),
            0.0,
            f"exact commitment found (leader value {v}), but the bound for "
            f"'{worst_label}' exceeds it by {_float(worst_excess):.3g} in exact "
            "arithmetic",
        ), evidence
    return Check(
        "exact",
        True,
        0.0,
        0.0,
        f"proved in rational arithmetic: leader value {v}, follower value {fq[j]}",
    ), evidence


def _float(q: Fraction) -> float:
    """``float(q)``, or ``inf`` when ``q`` is beyond the float range (huge multipliers)."""
    try:
        return float(q)
    except OverflowError:
        return float("inf")


def _exact_excess(
    game: NormalFormGame, A, B, k: int, yq: dict[int, Fraction], v: Fraction
) -> Fraction:
    """``max(0, bound_k - v)`` in exact arithmetic, where ``bound_k`` is the weak-duality bound.

    Rows are first screened in floating point with a rigorous rounding-error bound: a row whose
    float value plus ``4 (nnz + 3) eps`` times the sum of the absolute terms is below ``v``
    (rounded down) cannot exceed ``v`` exactly, so only the remaining rows are summed as
    fractions.
    """
    idx = np.fromiter(yq.keys(), dtype=int, count=len(yq))
    yf = np.fromiter((float(w) for w in yq.values()), dtype=float, count=len(yq))
    Af, Bf = game.A, game.B
    with np.errstate(over="ignore", invalid="ignore"):
        ysum = float(yf.sum())
        val = Af[:, k] + Bf[:, k] * ysum - (Bf[:, idx] @ yf if idx.size else 0.0)
        mag = (
            np.abs(Af[:, k])
            + np.abs(Bf[:, k]) * ysum
            + (np.abs(Bf[:, idx]) @ yf if idx.size else 0.0)
        )
        eps = np.finfo(float).eps
        vf = float(v)
        v_down = vf - abs(vf) * 2 * eps - np.finfo(float).tiny
        slack = 4 * (idx.size + 3) * eps * mag
        # '~(... <= v)' rather than '> v': a NaN row (huge multipliers overflow, inf - inf)
        # cannot be screened out, so it is summed exactly like any other suspicious row
        suspicious = np.flatnonzero(~(val + slack <= v_down))
    ysum_q = sum(yq.values(), Fraction(0))
    worst = Fraction(0)
    for i_np in suspicious:
        i = int(i_np)
        b = A(i, k) + B(i, k) * ysum_q - sum((w * B(i, l2) for l2, w in yq.items()), Fraction(0))
        if b - v > worst:
            worst = b - v
    return worst


def _winning_dual_exact(
    A, B, m: int, n: int, j: int, S: list[int], T: list[int], v: Fraction
) -> bool:
    """Exact dual of the winning LP by complementary slackness; True if it proves ``v``."""
    # unknowns y_k (k in T); equations on the support: A_ij + sum_k y_k (B_ij - B_ik) = v
    if not T:
        return all(A(i, j) <= v for i in range(m))
    rows = [[B(i, j) - B(i, k) for k in T] for i in S]
    rhs = [v - A(i, j) for i in S]
    y = _solve_exact(rows, rhs, [0.0] * len(T))
    if y is None or any(w < 0 for w in y):
        return False
    return all(
        A(i, j) + sum((w * (B(i, j) - B(i, k)) for w, k in zip(y, T)), Fraction(0)) <= v
        for i in range(m)
    )


solve_exact = _solve_exact  # public name (the exact Nash support solve uses it)
