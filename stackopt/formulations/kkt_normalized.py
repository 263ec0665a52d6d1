"""KKT MILP with *normalised* multipliers: a big-M relaxation that needs no dual bound.

For a linear follower (no quadratic or leader-follower product terms) the stationarity
condition ``d + P' lambda + E' mu = 0`` is homogenised with ``t = 1 / (1 + sum_i lambda_i)``:
``lambda' = t lambda``, ``mu' = t mu`` give

.. math::

    d\\,t + P^\\top\\lambda' + E^\\top\\mu' = 0,\\quad t + \\textstyle\\sum_i \\lambda'_i = 1,
    \\quad t \\in [0, 1],\\; \\lambda' \\in [0, 1]^k,

and ``lambda_i s_i = 0`` iff ``lambda'_i s_i = 0``. The normalised multipliers are bounded by
1, so the big-M rows ``lambda'_i <= z_i`` are exact; the slacks use bounds proven over the
high-point relaxation (``s_i <= M^s_i (1 - z_i)``, :mod:`.bounds`).

Every bilevel-feasible point maps to a solution with ``t > 0``, so the MILP with ``t >= 0``
is a *relaxation*: its optimum ``L`` is a valid lower bound. Solutions with ``t = 0`` (a ray of
the follower's dual region, complementary to the slacks) are the only spurious ones. The
caller re-solves the follower at the MILP's ``x`` (optimistic tie-break): if that
bilevel-feasible point attains ``L`` (within tolerance) it is optimal - proven, with no
multiplier bound at all. Otherwise the relaxation gap is closed by exact branching
(:mod:`stackopt.engines.bard_moore`) with the point found as incumbent.

This is our construction (homogenisation of the dual cone is classical, e.g. the Charnes-Cooper
transformation); it is an exact test, not a heuristic: an unattained bound is never reported
as optimal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from stackopt.formulations.bilevel_form import FollowerForm, KKTModel, kkt_matrix
from stackopt.kinds.bilevel.game import BilevelProblem


@dataclass(frozen=True)
class KKTNormalized(KKTModel):
    """MILP arrays; columns ``[x, y, lambda', mu', t, z]``."""

    it: int
    iz: int


def build_kkt_normalized(
    problem: BilevelProblem, m_slack: np.ndarray, form: FollowerForm | None = None
) -> KKTNormalized:
    """Assemble the relaxation; ``m_slack`` must be finite (proven slack bounds)."""
    if not problem.is_linear:
        raise ValueError("the normalised KKT relaxation needs a linear follower")
    m_slack = np.asarray(m_slack, float)
    if not np.all(np.isfinite(m_slack)):
        raise ValueError("build_kkt_normalized needs finite slack bounds")
    km = kkt_matrix(problem, form)
    f = km.form
    k, ny = f.k, problem.n_follower
    n0 = km.n_cols
    it = n0
    # column t: coefficient d in the stationarity rows (rhs becomes 0)
    tcol = np.zeros((km.A.shape[0], 1))
    tcol[km.rst : km.rst + ny, 0] = f.d
    top = sp.hstack([km.A, sp.csr_matrix(tcol), sp.csr_matrix((km.A.shape[0], k))])
    row_lo, row_hi = km.row_lo.copy(), km.row_hi.copy()
    row_lo[km.rst : km.rst + ny] = 0.0
    row_hi[km.rst : km.rst + ny] = 0.0
    ncol = n0 + 1 + k
    norm = np.zeros((1, ncol))
    norm[0, km.il : km.im] = 1.0
    norm[0, it] = 1.0
    I = sp.identity(k, format="csr")
    lam_rows = km.multiplier_rows(-I, n0 + 1)  # lambda'_i - z_i <= 0
    sl_rows = km.slack_rows(-sp.diags(m_slack), n0 + 1)
    A = sp.vstack([top, sp.csr_matrix(norm), lam_rows, sl_rows]).tocsc()
    row_lo = np.concatenate([row_lo, [1.0], np.full(k, -np.inf), f.r - m_slack])
    row_hi = np.concatenate([row_hi, [1.0], np.zeros(k), np.full(k, np.inf)])
    cost = np.concatenate([km.cost, [0.0], np.zeros(k)])
    col_lo = np.concatenate([km.col_lo, [0.0], np.zeros(k)])
    col_hi = np.concatenate([km.col_hi, [1.0], np.ones(k)])
    col_hi[km.il : km.im] = 1.0
    integ = np.concatenate([km.integrality, [0], np.ones(k, np.int32)]).astype(np.int32)
    return KKTNormalized(A, cost, col_lo, col_hi, row_lo, row_hi, integ, km, it, n0 + 1)
