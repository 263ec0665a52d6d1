"""KKT + big-M (Fortuny-Amat & McCarl 1981) single-level MILP of a bilevel problem.

Variables: leader ``x`` (with its integrality), follower ``y``, multipliers ``lambda >= 0``
of the follower's ``<=`` rows and ``mu`` (free) of its ``=`` rows, and one binary ``z_i`` per
``<=`` row (notation of :mod:`.bilevel_form`).

.. math::

    \\min\\; c_x^\\top x + c_y^\\top y \\quad\\text{s.t.}\\quad
    g^{lo} \\le G_x x + G_y y \\le g^{hi},\\;
    P y + R x \\le r,\\; E y + F x = e,\\;
    Q y + P^\\top\\lambda + E^\\top\\mu = -d,\\;
    \\lambda_i \\le M^\\lambda_i z_i,\\;
    r_i - R_i x - P_i y \\le M^s_i (1 - z_i),\\; z \\in \\{0,1\\}^k .

Exact iff every ``M`` bounds the corresponding multiplier/slack at some optimal KKT point of
every leader decision; :mod:`.bounds` proves such bounds by LP. With unproven M (e.g. one the
user guessed) the answer may be wrong, and :func:`stackopt.kinds.bilevel.solve.solve_bilevel`
marks it uncertified. The convex-QP follower keeps this a MILP (stationarity is linear in ``y``).

Built directly as one sparse matrix passed to HiGHS (``passModel``): building the same model
through Pyomo (``core.kkt`` -> ``mpec.simple_disjunction`` -> ``gdp.bigm``, see
:mod:`.kkt_pyomo`) is kept for export and cross-checks; ``benchmarks/bilevel.py`` measures the
difference (Pyomo building dominated the solve time on every instance measured).

Reference: J. Fortuny-Amat, B. McCarl (1981), J. Oper. Res. Soc. 32(9), 783-792.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from stackopt.formulations.bilevel_form import FollowerForm, KKTModel, kkt_matrix
from stackopt.kinds.bilevel.game import BilevelProblem


@dataclass(frozen=True)
class KKTBigM(KKTModel):
    """The MILP arrays; columns ``[x, y, lambda, mu, z]``; ``base`` locates the blocks."""

    iz: int


def build_kkt_bigm(
    problem: BilevelProblem,
    m_slack: np.ndarray,
    m_lambda: np.ndarray,
    form: FollowerForm | None = None,
) -> KKTBigM:
    """Assemble the MILP with the given (finite) big-M vectors."""
    km = kkt_matrix(problem, form)
    k, n0 = km.form.k, km.n_cols
    m_slack = np.asarray(m_slack, float)
    m_lambda = np.asarray(m_lambda, float)
    if not (np.all(np.isfinite(m_slack)) and np.all(np.isfinite(m_lambda))):
        raise ValueError("build_kkt_bigm needs finite big-M values")
    rows = sp.vstack(
        [
            km.multiplier_rows(-sp.diags(m_lambda), n0),  # lambda_i - M^l_i z_i <= 0
            km.slack_rows(-sp.diags(m_slack), n0),  # R_i x + P_i y - M^s_i z_i >= r_i - M^s_i
        ]
    )
    milp = KKTBigM.below(
        km,
        rows,
        np.concatenate([np.full(k, -np.inf), km.form.r - m_slack]),
        np.concatenate([np.zeros(k), np.full(k, np.inf)]),
        np.zeros(k),
        np.ones(k),
        np.ones(k, dtype=np.int32),
        n0,
    )
    # multipliers are bounded by their (proven) M: a valid tightening
    milp.col_hi[km.il : km.im] = np.minimum(milp.col_hi[km.il : km.im], m_lambda)
    return milp


def kkt_bigm_start(
    problem: BilevelProblem, milp: KKTBigM, x: np.ndarray, y: np.ndarray, tol: float
) -> tuple[np.ndarray, np.ndarray]:
    """A partial MIP start for :func:`build_kkt_bigm` from a bilevel-feasible ``(x, y)``:
    the columns ``x``, ``y`` and ``z`` (``z_i = 1``, i.e. ``lambda_i`` free, where row ``i``'s
    slack is within ``tol`` of 0; else ``z_i = 0``). HiGHS completes the multipliers by LP.
    Returns ``(columns, values)`` for :func:`stackopt.engines.highs.set_mip_start`."""
    f = milp.base.form
    s = f.r - f.R @ x - f.P @ y
    z = (s <= tol).astype(float)
    nxy = problem.n_leader + problem.n_follower
    cols = np.concatenate([np.arange(nxy), milp.iz + np.arange(f.k)])
    return cols, np.concatenate([x, y, z])
