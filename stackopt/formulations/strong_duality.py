"""Strong-duality single-level MILP for bilevel problems with integer coupling leader variables.

For a linear follower ``min_y {d'y : P y + R x <= r, E y + F x = e}`` (notation of
:mod:`.bilevel_form`), ``y`` is optimal at ``x`` iff it is feasible, some ``(lambda, mu)`` is
dual feasible and the duality gap closes:

.. math::

    P y + R x \\le r,\\; E y + F x = e,\\;
    P^\\top\\lambda + E^\\top\\mu = -d,\\; \\lambda \\ge 0,\\;
    d^\\top y \\le -(r - R x)^\\top\\lambda - (e - F x)^\\top\\mu

(weak duality gives ``>=``, so the last row is equality). The products ``x_j lambda_i`` and
``x_j mu_i`` are linearised *exactly* when every leader variable ``x_j`` with a non-zero
column in ``R`` or ``F`` is integer with finite bounds: ``x_j = l_j + sum_b 2^b w_jb`` with
binary ``w``, and each ``v = w lambda`` with ``0 <= lambda <= M`` is replaced by McCormick's
four inequalities ``0 <= v <= M w``, ``v <= lambda``, ``v >= lambda - M (1 - w)``, exact for
binary ``w`` (Glover 1975; Zare, Borrero, Zeng & Prokopyev 2019 for bilevel use). The bounds
``M`` on the multipliers must be proven (:mod:`.bounds`); only rows whose right-hand side
depends on ``x`` need one. No complementarity binaries are needed.

Not applicable (UnsupportedError upstream): quadratic followers (the dual objective is then
quadratic, which HiGHS cannot handle inside a MILP) and continuous coupling leader variables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stackopt.formulations.bilevel_form import (
    FollowerForm,
    KKTModel,
    RowBuilder,
    coupling_columns,
    follower_form,
    kkt_matrix,
)
from stackopt.kinds.bilevel.game import BilevelProblem


@dataclass(frozen=True)
class StrongDualityMILP(KKTModel):
    n_binaries: int
    n_products: int


def rows_needing_bounds(form: FollowerForm) -> tuple[np.ndarray, np.ndarray]:
    """Masks of ``<=`` and ``=`` rows whose right-hand side depends on ``x``."""
    le = np.any(form.R != 0, axis=1) if form.k else np.zeros(0, bool)
    eq = np.any(form.F != 0, axis=1) if form.q else np.zeros(0, bool)
    return le, eq


def build_strong_duality(
    problem: BilevelProblem,
    m_lambda: np.ndarray,
    mu_lo: np.ndarray,
    mu_hi: np.ndarray,
    form: FollowerForm | None = None,
) -> StrongDualityMILP:
    """Assemble the MILP; ``m_lambda``/``mu_*`` must be finite on the rows that need them."""
    f = form or follower_form(problem)
    if f.Q is not None or f.D is not None:
        raise ValueError("strong duality needs a linear follower")
    km = kkt_matrix(problem, f)
    n0 = km.n_cols
    k = f.k
    cols = coupling_columns(problem, f)
    lo, hi = problem.leader_lower, problem.leader_upper
    # binary expansion columns
    bits: dict[int, list[tuple[int, float]]] = {}
    nw = 0
    for j in cols:
        span = hi[j] - lo[j]
        nb = 1 if span <= 1 else int(np.floor(np.log2(span))) + 1
        bits[int(j)] = [(n0 + nw + b, 2.0**b) for b in range(nb)]
        nw += nb
    # product columns v = w * dual
    prods: list[tuple[int, int, float, str, int]] = []  # (w col, dual col, coef, kind, row)
    sd_coef = np.zeros(n0)
    sd_coef[km.iy : km.il] = f.d
    sd_coef[km.il : km.im] = f.r - (f.R @ lo if k else 0.0)
    if f.q:
        sd_coef[km.im : km.im + f.q] = f.e - f.F @ lo
    for i in range(k):
        for j in np.flatnonzero(f.R[i]):
            for wcol, pw in bits[int(j)]:
                prods.append((wcol, km.il + i, -f.R[i, j] * pw, "lam", i))
    for i in range(f.q):
        for j in np.flatnonzero(f.F[i]):
            for wcol, pw in bits[int(j)]:
                prods.append((wcol, km.im + i, -f.F[i, j] * pw, "mu", i))
    nv = len(prods)
    rb = RowBuilder()
    add = rb.add
    for j, blist in bits.items():  # x_j - sum 2^b w_jb = l_j
        add([(km.ix + j, 1.0)] + [(c, -p) for c, p in blist], lo[j], lo[j])
    sd_entries: list[tuple[int, float]] = [(c, v) for c, v in enumerate(sd_coef) if v != 0.0]
    for t, (wcol, dcol, coef, kind, i) in enumerate(prods):
        vcol = n0 + nw + t
        sd_entries.append((vcol, coef))
        if kind == "lam":
            M = float(m_lambda[i])
            add([(vcol, 1.0), (wcol, -M)], -np.inf, 0.0)
            add([(vcol, 1.0), (dcol, -1.0)], -np.inf, 0.0)
            add([(vcol, 1.0), (dcol, -1.0), (wcol, -M)], -M, np.inf)
        else:
            rb.mccormick(vcol, wcol, dcol, float(mu_lo[i]), float(mu_hi[i]))
    add(sd_entries, -np.inf, 0.0)  # strong duality: primal <= dual
    milp = StrongDualityMILP.expanded(km, rb, nw, nv, nw, nv)
    for t, (_, _, _, kind, _) in enumerate(prods):
        if kind == "lam":
            milp.col_lo[n0 + nw + t] = 0.0
    return milp


def proven_multiplier_bounds(problem: BilevelProblem, form: FollowerForm | None = None):
    """The multiplier bounds the strong-duality linearisation needs, proven by LP
    (:func:`stackopt.formulations.bounds.prove_bounds`), and whether all of them are finite.

    Returns ``(bounds, proven)``.
    """
    from stackopt.formulations.bounds import prove_bounds

    f = form or follower_form(problem)
    le, eq = rows_needing_bounds(f)
    b = prove_bounds(problem, f, need_mu=True, lam_rows=le, mu_rows=eq, need_slack=False)
    proven = bool(
        b.dual == "bounded"
        and np.all(np.isfinite(b.lam[le]))
        and np.all(np.isfinite(b.mu_lo[eq]))
        and np.all(np.isfinite(b.mu_hi[eq]))
    )
    return b, proven
