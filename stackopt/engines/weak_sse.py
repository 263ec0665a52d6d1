r"""The LPs behind pessimistic (weak) Stackelberg equilibria, on dense HiGHS models.

The engine of :mod:`stackopt.kinds.normal_form.pessimistic` (which states the mathematics:
classes of identical follower columns, the supremum by one LP per class, attainment decided
exactly, a strict commitment within ``epsilon``). :func:`weak_sse_lps` runs those LPs on
``(A, B)`` through :func:`stackopt.engines.dense_lp.solve_dense_lp`; :func:`class_bound` is the
weak-duality bound the certificate recomputes.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stackopt.errors import SolverError


@dataclass
class WeakOutcome:
    """What the weak-SSE LPs found (all values in original payoff units)."""

    supremum: float
    attained: bool
    classes: list[list[int]]
    records: dict[int, dict[str, Any]]  # class index -> bound / never-unique record
    best_class: int
    strict_x: np.ndarray
    strict_margin: float
    attaining_x: np.ndarray | None
    stats: dict[str, Any] = field(default_factory=dict)


def column_classes(B: np.ndarray, tol: float) -> list[list[int]]:
    """Group follower actions whose payoff columns agree within ``tol`` (always tied)."""
    classes: list[list[int]] = []
    reps: list[int] = []
    for k in range(B.shape[1]):
        if reps:
            dist = np.abs(B[:, reps] - B[:, [k]]).max(axis=0)
            c = int(np.argmin(dist))
            if float(dist[c]) <= tol:
                classes[c].append(k)
                continue
        classes.append([k])
        reps.append(k)
    return classes


def weak_sse_lps(
    A: np.ndarray,
    B: np.ndarray,
    *,
    atol_l: float,
    atol_f: float,
    epsilon: float,
    time_limit: float | None = None,
    prune: bool = True,
) -> WeakOutcome:
    """Run the LPs of the module docstring on ``(A, B)``; ``epsilon`` is absolute."""
    from stackopt.engines.dense_lp import solve_dense_lp

    t0 = time.perf_counter()
    deadline = None if time_limit is None else t0 + time_limit
    m, n = A.shape
    sa = float(np.abs(A).max()) or 1.0
    sb = float(np.abs(B).max()) or 1.0
    An, Bn = A / sa, B / sb
    tl, tf = atol_l / sa, atol_f / sb
    classes = column_classes(B, atol_f)
    lps = 0

    def lp(*args, **kw):
        nonlocal lps
        if deadline is not None and time.perf_counter() > deadline:
            raise SolverError(f"time limit of {time_limit} s reached after {lps} LPs")
        lps += 1
        return solve_dense_lp(*args, **kw)

    def others(c: int) -> list[int]:
        return [k for d, cl in enumerate(classes) if d != c for k in cl]

    # Variables: x (m), then extra columns (t or delta) appended by each LP.

    def margin_lp(c: int, extra_ub: list[tuple[np.ndarray, float]], cap: float = 1.0):
        """max delta s.t. x^T(B_j - B_k) >= delta for k outside c (and extra rows)."""
        j = classes[c][0]
        ks = others(c)
        if not ks:
            return None, np.inf
        rows = [_diff_rows(Bn, ks, j, 1.0)]
        rhs = [np.zeros(len(ks))]
        if extra_ub:
            rows.append(np.array([np.r_[a_row, 0.0] for a_row, _ in extra_ub]))
            rhs.append(np.array([b for _, b in extra_ub]))
        out = _max_t(lp, m, np.vstack(rows), np.concatenate(rhs), cap)
        if out.status != "optimal":
            return None, -np.inf
        return out, float(out.objective)

    records: dict[int, dict[str, Any]] = {}
    values: dict[int, float] = {}
    # Cheap bound per class (lambda = one member, y = 0): max_i A[i, k]. Classes are visited
    # in decreasing order of it and skipped once it is below the incumbent by more than
    # atol_l (a class within atol_l of the supremum is always solved: attainment needs it).
    cheap = {c: min((float(A[:, k].max()), k) for k in cl) for c, cl in enumerate(classes)}
    pruned = 0
    for c in sorted(range(len(classes)), key=lambda c: -cheap[c][0]):
        members = classes[c]
        if prune and values and cheap[c][0] < max(values.values()) - atol_l:
            records[c] = {
                "outcome": "pruned",
                "weights": {int(cheap[c][1]): 1.0},
                "multipliers": {},
                "bound": cheap[c][0],
            }
            pruned += 1
            continue
        j = members[0]
        # cheap pre-check: another action at least as good against every leader action
        dom = (Bn - Bn[:, [j]]).min(axis=0)
        dom[members] = -np.inf
        k = int(np.argmax(dom))
        if dom[k] >= -0.5 * tf:
            records[c] = {"outcome": "never_unique", "dominated_by": {k: 1.0}}
            continue
        ks = others(c)
        out, delta = margin_lp(c, [])
        if delta <= tf:
            y = np.zeros(n)
            if out is not None:
                d = np.abs(out.duals_ub[: len(ks)])
                if d.sum() > 0:
                    y[ks] = d / d.sum()
            records[c] = {
                "outcome": "never_unique",
                "dominated_by": {int(k): float(y[k]) for k in np.nonzero(y)[0]},
            }
            continue
        # LP_J: max t s.t. t <= x^T A_k (k in J); x^T(B_k - B_j) <= 0 (k outside J).
        rows = np.vstack(
            [np.c_[-An[:, members].T, np.ones(len(members))], _diff_rows(Bn, ks, j, 0.0)]
        )
        res = _max_t(lp, m, rows, np.zeros(len(rows)))
        if res.status != "optimal":  # pragma: no cover - S_J non-empty implies feasible
            raise SolverError(f"LP for follower action class {members} returned {res.status}")
        lam = np.abs(res.duals_ub[: len(members)])
        lam = lam / lam.sum() if lam.sum() > 0 else np.full(len(members), 1 / len(members))
        y = np.zeros(n)
        y[ks] = np.abs(res.duals_ub[len(members) :]) * (sa / sb)
        values[c] = float(res.objective) * sa
        records[c] = {
            "outcome": "optimal",
            "value": values[c],
            "weights": {int(k): float(w) for k, w in zip(members, lam)},
            "multipliers": {int(k): float(y[k]) for k in np.nonzero(y)[0]},
        }
        records[c]["bound"] = class_bound(
            A, B, members, records[c]["weights"], records[c]["multipliers"]
        )
    if not values:  # pragma: no cover - some class is always uniquely best somewhere
        raise SolverError("no follower action class is ever the unique best response")
    sup = max(values.values())
    order = sorted(values, key=lambda c: -values[c])
    optimal = [c for c in order if values[c] >= sup - atol_l]

    def value_rows(cls: Sequence[int], target: float) -> list[tuple[np.ndarray, float]]:
        # x^T A_k >= target  <=>  -x^T A_k <= -target
        return [(-An[:, k], -target) for c in cls for k in classes[c]]

    # -- attainment ------------------------------------------------------------------------
    attaining_x, attained_class = None, None
    for c in optimal:
        j = classes[c][0]
        W: list[int] = []
        slack = 1e-2 * tl  # well inside the certificate's tolerance (see docstring)
        base = value_rows([c], sup / sa - slack)
        ok = True
        while True:
            cand = [d for d in range(len(classes)) if d != c and d not in W]
            out, delta = _margin_over(
                lp, An, Bn, classes, c, cand, base + value_rows(W, sup / sa - slack), m
            )
            if out is None:
                ok = False
                break
            if delta > tf or not cand:
                attaining_x = _simplex_clip(out.x[:m])
                attained_class = c
                break
            new = []
            x0 = out.x[:m]
            for d in cand:
                if float(x0 @ (Bn[:, j] - Bn[:, classes[d][0]])) > tf:
                    continue  # strictly below at a point of G: not tied on all of G
                r = _max_gap(lp, An, Bn, classes, c, d, base + value_rows(W, sup / sa - slack), m)
                if r is None:
                    ok = False
                    break
                if r <= tf:
                    new.append(d)
            if not ok:
                break
            if not new:
                # Each remaining class is strictly below somewhere, yet no common point was
                # found above tolerance: treat as a thin case, not attained through c.
                ok = False
                break
            W += new
        if attaining_x is not None:
            break

    # -- strict commitment ---------------------------------------------------------------
    best_strict = None
    for c in optimal:
        out, delta = margin_lp(c, value_rows([c], (sup - epsilon) / sa))
        if delta == np.inf:  # a single class: every commitment induces it
            best_strict = (c, 1.0)
            break
        if out is None or delta <= 2 * tf:
            continue
        if best_strict is None or delta > best_strict[1]:
            best_strict = (c, delta)
    if best_strict is None:
        raise SolverError(
            "no commitment within epsilon of the supremum induces a unique best "
            "response above the tolerance; increase epsilon or rtol"
        )
    c, delta = best_strict
    j = classes[c][0]
    ks = others(c)
    rows = np.vstack(
        [np.c_[-An[:, classes[c]].T, np.ones(len(classes[c]))], _diff_rows(Bn, ks, j, 0.0)]
    )
    rhs = [0.0] * len(classes[c]) + [-delta / 2] * len(ks)
    res = _max_t(lp, m, rows, np.array(rhs))
    if res.status != "optimal":  # pragma: no cover - the margin LP's point is feasible
        raise SolverError(f"strict-commitment LP returned {res.status}")
    strict_x = _simplex_clip(res.x[:m])
    strict_margin = float(min((strict_x @ (B[:, j] - B[:, k]) for k in ks), default=np.inf))
    stats = {
        "lps_solved": lps,
        "classes": len(classes),
        "classes_pruned": pruned,
        "classes_never_unique": sum(1 for r in records.values() if r["outcome"] == "never_unique"),
        "lp_seconds": time.perf_counter() - t0,
    }
    return WeakOutcome(
        supremum=sup,
        attained=attaining_x is not None,
        classes=classes,
        records=records,
        best_class=attained_class if attaining_x is not None and attained_class is not None else c,
        strict_x=strict_x,
        strict_margin=strict_margin,
        attaining_x=attaining_x,
        stats=stats,
    )


def class_bound(
    A: np.ndarray,
    B: np.ndarray,
    members: Sequence[int],
    weights: Mapping[int, float],
    multipliers: Mapping[int, float],
) -> float:
    r"""Weak-duality bound on :math:`\max_{x \in X_J} \min_{k\in J} x^\top A_{\cdot k}`.

    For :math:`\lambda \ge 0` on :math:`J` summing to 1 and :math:`y \ge 0` on the other
    actions: :math:`\max_i \big(\sum_k \lambda_k A_{ik} + \sum_{k'} y_{k'}(B_{ij} - B_{ik'})\big)`.
    """
    j = members[0]
    lift = sum(float(w) * A[:, int(k)] for k, w in weights.items())
    for k, w in multipliers.items():
        lift = lift + float(w) * (B[:, j] - B[:, int(k)])
    return float(np.max(lift))


def _diff_rows(Bn: np.ndarray, ks: Sequence[int], j: int, last: float) -> np.ndarray:
    """Rows ``[B_k - B_j, last]`` for ``k`` in ``ks`` (one row per follower action)."""
    d = (Bn[:, list(ks)] - Bn[:, [j]]).T
    return np.c_[d, np.full(len(ks), last)]


def _max_t(lp, m: int, rows: np.ndarray | None, rhs: np.ndarray | None, cap: float = np.inf):
    r"""The LP behind every margin and class value here: maximise the last column :math:`t`
    over :math:`(x, t)` with ``rows`` :math:`(x, t) \le` ``rhs``, :math:`\sum_i x_i = 1`,
    :math:`0 \le x \le 1` and :math:`t \le` ``cap``; ``lp`` is the counting LP solver."""
    return lp(
        np.r_[np.zeros(m), 1.0],
        rows,
        rhs,
        np.r_[np.ones(m), 0.0][None, :],
        np.array([1.0]),
        lb=np.r_[np.zeros(m), -np.inf],
        ub=np.r_[np.ones(m), cap],
    )


def _simplex_clip(x: np.ndarray) -> np.ndarray:
    x = np.clip(np.asarray(x, dtype=float), 0.0, None)
    return x / x.sum()


def _margin_over(lp, An, Bn, classes, c, cand, extra, m):
    """max delta s.t. x in X_c, extra rows, margins >= delta against classes ``cand``."""
    j = classes[c][0]
    all_other = [k for d, cl in enumerate(classes) if d != c for k in cl]
    strict = [k for d in cand for k in classes[d]]
    strict_set = set(strict)
    rows = [_diff_rows(Bn, all_other, j, 0.0)] if all_other else []
    if rows:
        rows[0][:, m] = [1.0 if k in strict_set else 0.0 for k in all_other]
    rhs = [np.zeros(len(all_other))]
    if extra:
        rows.append(np.array([np.r_[a_row, 0.0] for a_row, _ in extra]))
        rhs.append(np.array([b for _, b in extra]))
    cap = 1.0 if strict else 0.0
    out = _max_t(
        lp, m, np.vstack(rows) if rows else None, np.concatenate(rhs) if rows else None, cap
    )
    if out.status != "optimal":
        return None, -np.inf
    return out, float(out.objective)


def _max_gap(lp, An, Bn, classes, c, d, extra, m):
    """max over {x in X_c, extra rows} of x^T(B_j - B_k) for class d's representative."""
    j = classes[c][0]
    k0 = classes[d][0]
    rows = [Bn[:, k] - Bn[:, j] for e, cl in enumerate(classes) if e != c for k in cl]
    rhs = [0.0] * len(rows)
    for a_row, b in extra:
        rows.append(a_row)
        rhs.append(b)
    out = lp(
        Bn[:, j] - Bn[:, k0],
        np.array(rows),
        np.array(rhs),
        np.ones(m)[None, :],
        np.array([1.0]),
        lb=0.0,
        ub=1.0,
    )
    if out.status != "optimal":
        return None
    return float(out.objective)


# -- public API ------------------------------------------------------------------------------
