"""Big-M bounds that are *proven* by linear programming, or reported as unavailable.

A big-M reformulation of ``lambda_i * s_i = 0`` (multiplier ``lambda_i``, slack
``s_i = r_i - R_i x - P_i y`` of the follower's ``<=`` row ``i``; see
:mod:`.bilevel_form`) is exact only when ``M^s_i >= s_i`` and ``M^lambda_i >= lambda_i`` for
some optimal multipliers at every leader decision. Too small an M silently cuts off the
optimum (Pineda & Morales 2019; Kleinert, Labbé, Plein & Schmidt 2020, who also show that
verifying a given M is as hard as the bilevel problem itself). We therefore only use bounds
proven as follows:

Primal (slack) bounds
    ``M^s_i = r_i - min {R_i x + P_i y : (x, y) in H}``, where ``H`` (the "high-point
    relaxation") holds the leader's bounds and rows and the follower's rows and bounds, with
    integrality relaxed. Every bilevel-feasible point lies in ``H``, so the bound is valid. One
    LP ``min sum_i (R_i x + P_i y)`` decides whether all are finite (each row is bounded above
    by ``r_i``, so a finite sum bounds every row), then one LP per row gives the tight value.
    If ``H`` is empty the bilevel problem is infeasible.
Dual (multiplier) bounds
    ``M^lambda_i = max {lambda_i : D x + Q y + P' lambda + E' mu = -d, lambda >= 0,
    (x, y) in H}`` (for a linear follower the set does not depend on ``(x, y)``). Every KKT
    multiplier of every bilevel-feasible point lies in it, so the bound is valid when the LP
    is bounded.
    If that set is empty, the follower's problem has an optimum at no leader decision.
    The set is unbounded whenever the follower's feasible region is bounded for all
    right-hand sides (e.g. boxed follower variables); then no M is proven and the caller
    falls back to exact branching (:mod:`stackopt.engines.bard_moore`).
Bounds the user states as variable bounds in the problem enter through ``H``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from stackopt.formulations.bilevel_form import (
    FollowerForm,
    follower_form,
    highs_from_matrix,
    kkt_matrix,
)
from stackopt.kinds.bilevel.game import BilevelProblem

INF = np.inf


@dataclass
class ProvenBounds:
    """Result of :func:`prove_bounds`; ``inf`` entries are unproven.

    ``relaxation`` is ``optimal`` or ``infeasible`` (H empty) or ``unbounded``; ``dual`` is
    ``bounded``, ``unbounded``, ``infeasible`` (no multipliers exist) or ``skipped``.
    """

    slack: np.ndarray
    lam: np.ndarray
    mu_lo: np.ndarray
    mu_hi: np.ndarray
    relaxation: str
    dual: str
    relaxation_value: float | None = None
    lps: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def complementarity_proven(self) -> bool:
        return bool(np.all(np.isfinite(self.slack)) and np.all(np.isfinite(self.lam)))

    @property
    def mu_proven(self) -> bool:
        return bool(np.all(np.isfinite(self.mu_lo)) and np.all(np.isfinite(self.mu_hi)))


def _status(h) -> str:
    from stackopt.engines.highs import run_highs

    return run_highs(h)


def prove_bounds(
    problem: BilevelProblem,
    form: FollowerForm | None = None,
    *,
    need_mu: bool = False,
    margin: float = 1e-6,
    lam_rows: np.ndarray | None = None,
    mu_rows: np.ndarray | None = None,
    need_slack: bool = True,
) -> ProvenBounds:
    """Prove slack and multiplier bounds by LP (see module doc).

    ``lam_rows``/``mu_rows`` (boolean masks, default all) select the multipliers to bound;
    ``need_mu`` asks for bounds on the equality multipliers too; ``need_slack=False`` only
    checks that the relaxation is feasible. ``margin`` (relative) is added to every proven
    bound to absorb LP round-off.
    """
    t0 = time.perf_counter()
    f = form or follower_form(problem)
    k, q = f.k, f.q
    out = ProvenBounds(
        np.full(k, INF), np.full(k, INF), np.full(q, -INF), np.full(q, INF), "optimal", "skipped"
    )
    km = kkt_matrix(problem, f, stationarity=False)
    nxy = problem.n_leader + problem.n_follower
    # -- high-point relaxation H: feasibility and slack bounds -------------------
    cx, cy = problem.min_leader_cost
    h = highs_from_matrix(
        km.A, np.concatenate([cx, cy]), km.col_lo, km.col_hi, km.row_lo, km.row_hi
    )
    st = _status(h)
    out.lps += 1
    if st == "infeasible":
        out.relaxation = "infeasible"
        out.seconds = time.perf_counter() - t0
        return out
    if st == "optimal":
        out.relaxation_value = float(h.getInfo().objective_function_value)
    elif st == "unbounded":
        out.relaxation = "unbounded"
    rows_le = km.A[km.rle : km.req, :].toarray() if k else np.zeros((0, nxy))
    if k and need_slack:
        h.changeColsCost(nxy, np.arange(nxy, dtype=np.int32), rows_le.sum(axis=0))
        st = _status(h)
        out.lps += 1
        if st == "optimal":
            for i in range(k):
                h.changeColsCost(nxy, np.arange(nxy, dtype=np.int32), rows_le[i])
                if _status(h) == "optimal":
                    low = float(h.getInfo().objective_function_value)
                    s = f.r[i] - low
                    out.slack[i] = max(0.0, s) + margin * max(1.0, abs(s))
                out.lps += 1
        else:
            out.notes.append(
                "a follower row's slack is unbounded over the high-point "
                "relaxation (add bounds on the variables it involves)"
            )
    # -- dual region D -----------------------------------------------------------
    ny = problem.n_follower
    if f.Q is None and f.D is None:
        A = sp.hstack([sp.csr_matrix(f.P.T), sp.csr_matrix(f.E.T)]).tocsc()
        A = sp.csc_matrix(A, shape=(ny, k + q))
        col_lo = np.concatenate([np.zeros(k), np.full(q, -INF)])
        col_hi = np.full(k + q, INF)
        row_lo = row_hi = -f.d
        off = 0
    else:
        Dm = sp.csr_matrix(f.D) if f.D is not None else sp.csr_matrix((ny, problem.n_leader))
        Qm = sp.csr_matrix(f.Q) if f.Q is not None else sp.csr_matrix((ny, ny))
        top = sp.hstack([Dm, Qm, sp.csr_matrix(f.P.T), sp.csr_matrix(f.E.T)])
        Hrows = sp.hstack([km.A, sp.csr_matrix((km.A.shape[0], k + q))])
        A = sp.vstack([top, Hrows]).tocsc()
        col_lo = np.concatenate([km.col_lo, np.zeros(k), np.full(q, -INF)])
        col_hi = np.concatenate([km.col_hi, np.full(k + q, INF)])
        row_lo = np.concatenate([-f.d, km.row_lo])
        row_hi = np.concatenate([-f.d, km.row_hi])
        off = nxy
    n = A.shape[1]
    lam_rows = np.ones(k, bool) if lam_rows is None else np.asarray(lam_rows, bool)
    mu_rows = np.ones(q, bool) if mu_rows is None else np.asarray(mu_rows, bool)
    cost = np.zeros(n)
    cost[off : off + k][lam_rows] = -1.0
    hd = highs_from_matrix(A, cost, col_lo, col_hi, row_lo, row_hi)
    st = _status(hd)
    out.lps += 1
    if st == "infeasible":
        out.dual = "infeasible"
    elif st != "optimal":
        out.dual = "unbounded"
        out.notes.append(
            "the follower's multipliers are unbounded over its dual feasible "
            "region, so no big-M can be proven by LP"
        )
    else:
        out.dual = "bounded"
        idx = np.arange(n, dtype=np.int32)
        for i in np.flatnonzero(lam_rows).tolist():
            c = np.zeros(n)
            c[off + i] = -1.0
            hd.changeColsCost(n, idx, c)
            if _status(hd) == "optimal":
                v = -float(hd.getInfo().objective_function_value)
                out.lam[i] = max(0.0, v) + margin * max(1.0, abs(v))
            out.lps += 1
        if need_mu:
            for i in np.flatnonzero(mu_rows).tolist():
                for sign in (1.0, -1.0):
                    c = np.zeros(n)
                    c[off + k + i] = sign
                    hd.changeColsCost(n, idx, c)
                    out.lps += 1
                    if _status(hd) != "optimal":
                        continue
                    v = sign * float(hd.getInfo().objective_function_value)
                    pad = margin * max(1.0, abs(v))
                    if sign > 0:
                        out.mu_lo[i] = v - pad
                    else:
                        out.mu_hi[i] = v + pad
    out.seconds = time.perf_counter() - t0
    return out


def prove_primal_bounds(
    problem: BilevelProblem,
    cols: np.ndarray,
    form: FollowerForm | None = None,
    *,
    margin: float = 1e-6,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Bounds ``lo <= y_k <= hi`` on the follower variables ``cols``, proven by LP.

    A follower variable's own bounds are used where finite; otherwise ``min``/``max y_k`` over
    the high-point relaxation ``H`` (leader bounds and rows, follower rows and bounds,
    integrality relaxed). Every bilevel-feasible point lies in ``H``, so the bounds hold at
    every candidate solution (``inf`` where the LP is unbounded). Returns ``(lo, hi, lps)``
    for all follower variables (entries outside ``cols`` are the variables' own bounds).
    """
    f = form or follower_form(problem)
    lo = np.array(problem.follower_lower, float)
    hi = np.array(problem.follower_upper, float)
    need = [int(c) for c in cols if not (np.isfinite(lo[c]) and np.isfinite(hi[c]))]
    if not need:
        return lo, hi, 0
    km = kkt_matrix(problem, f, stationarity=False)
    nxy = problem.n_leader + problem.n_follower
    h = highs_from_matrix(km.A, np.zeros(nxy), km.col_lo, km.col_hi, km.row_lo, km.row_hi)
    idx = np.arange(nxy, dtype=np.int32)
    lps = 0
    for c in need:
        for sign, arr in ((1.0, lo), (-1.0, hi)):
            if np.isfinite(arr[c]):
                continue
            cost = np.zeros(nxy)
            cost[problem.n_leader + c] = sign
            h.changeColsCost(nxy, idx, cost)
            lps += 1
            if _status(h) == "optimal":
                v = sign * float(h.getInfo().objective_function_value)
                arr[c] = v - sign * margin * max(1.0, abs(v))
    return lo, hi, lps
