r"""Bilinear leader objectives: rates times follower quantities (tolls, subsidies, fines).

The leader's objective (minimisation form) is :math:`c_x^\top x + c_y^\top y + y^\top H x`
and the follower's linear objective :math:`(d + D x)^\top y` (notation of
:mod:`.bilevel_form`): a leader *rate* :math:`x_j` multiplies a follower quantity
:math:`y_k` — a toll per unit of flow, a subsidy per unit of improvement, a fine per unit of
shortfall. Two exact single-level forms are built here.

**Revenue identity** (Labbé, Marcotte & Savard 1998, the toll-setting reformulation). When
the leader's products are a multiple of the follower's, :math:`H = \rho D`, then at every
solution of the follower's KKT conditions (stationarity
:math:`d + Dx + P^\top\lambda + E^\top\mu = 0` and complementarity) strong duality gives

.. math::

    y^\top D x = -d^\top y - (r - Rx)^\top\lambda - (e - Fx)^\top\mu ,

i.e. the leader's bilinear revenue is the follower's dual objective minus its linear cost
terms. :func:`build_identity` returns the leader's objective rewritten this way (the products
``x_j lambda_i`` of integer leader variables in the follower's constraints binary-expanded,
below): linear, equal to the true objective on the follower's KKT set, so any exact
method over that set (branching on complementarity pairs, :mod:`stackopt.engines.bard_moore`;
KKT with proven big-M) solves the bilinear problem exactly, rates continuous.

**Binary expansion** (Glover 1975). Otherwise every rate :math:`x_j` (a leader variable with a
non-zero column in ``D`` or ``H``, or in ``R``/``F``: a rate multiplying a dual variable) is
expanded, :math:`x_j = l_j + h_j \sum_b 2^b w_{jb}` with binary :math:`w`; each product of a
bit with a bounded variable :math:`z \in [L, U]` (a follower variable: proven primal bounds;
a multiplier: proven dual bounds, :mod:`.bounds`) is replaced by McCormick's four
inequalities, exact for binary :math:`w`:

.. math::

    L w \le v \le U w, \quad z - U (1 - w) \le v \le z - L (1 - w) .

The follower's optimality is then the linear strong-duality system (primal and dual
feasibility, primal objective :math:`\le` dual objective, weak duality giving equality) and
the leader's products use the same lifted variables. With :math:`h_j = 1` for integer rates
this is exact. A continuous rate discretised on the grid :math:`l_j + h_j \mathbb{Z}` gives the
exact optimum *of the discretised problem*, which is a feasible point of the continuous one,
hence an upper bound; :func:`build_expanded` with ``relax=True`` replaces the expansion of
those rates by McCormick envelopes over :math:`[l_j, u_j]`, a relaxation whose optimum is a
lower bound: their difference bounds the discretisation error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from stackopt.formulations.bilevel_form import (
    FollowerForm,
    KKTMatrix,
    KKTModel,
    RowBuilder,
    coupling_columns,
    follower_form,
    kkt_matrix,
)
from stackopt.kinds.bilevel.game import BilevelProblem


def proportional_ratio(problem: BilevelProblem) -> float | None:
    """``rho`` with ``H = rho D`` (minimisation forms), or ``None`` if there is none."""
    H, D = problem.min_leader_cross, problem.min_follower_cross
    if H is None:
        return 0.0
    if D is None:
        return None
    nz = np.flatnonzero(D.ravel())
    if nz.size == 0:
        return None
    rho = float(H.ravel()[nz[0]] / D.ravel()[nz[0]])
    tol = 1e-12 * max(1.0, float(np.abs(H).max()))
    return rho if np.all(np.abs(H - rho * D) <= tol) else None


def identity_applicable(problem: BilevelProblem, form: FollowerForm | None = None) -> str | None:
    """``None`` if the revenue identity applies, else the reason it does not.

    Leader variables in the follower's constraints are allowed when they are integer with
    finite bounds: their products with the multipliers are then expanded exactly
    (:func:`build_identity`)."""
    f = form or follower_form(problem)
    if f.Q is not None:
        return "the follower's objective is quadratic"
    if proportional_ratio(problem) is None:
        return (
            "the leader's products are not a multiple of the follower's (the same rate x "
            "quantity terms must appear in both objectives)"
        )
    for j in coupling_columns(problem, f):
        name = problem.leader_variables[j]
        if problem.leader_types[j] == "continuous":
            return (
                f"leader variable {name!r} is continuous and enters the follower's "
                "constraints (it would multiply a dual price)"
            )
        lo, hi = np.asarray(problem.leader_lower)[j], np.asarray(problem.leader_upper)[j]
        if not (np.isfinite(lo) and np.isfinite(hi)):
            return f"integer leader variable {name!r} needs finite bounds"
    return None


def identity_cost(problem: BilevelProblem, km: KKTMatrix) -> np.ndarray:
    """The leader's minimisation cost over ``km``'s columns ``[x, y, lambda, mu]``, with
    ``y'Hx = rho y'Dx`` replaced by ``rho (-d'y - r'lambda - e'mu)`` (module doc; the
    products with ``R x`` and ``F x`` are added by :func:`build_identity`)."""
    rho = proportional_ratio(problem)
    assert rho is not None
    f = km.form
    cost = np.array(km.cost, float)
    cost[km.iy : km.il] -= rho * f.d
    cost[km.il : km.im] -= rho * f.r
    cost[km.im : km.im + f.q] -= rho * f.e
    return cost


def build_identity(
    problem: BilevelProblem,
    m_lambda: np.ndarray,
    mu_lo: np.ndarray,
    mu_hi: np.ndarray,
    form: FollowerForm | None = None,
) -> ExpandedMILP:
    """The KKT relaxation (no complementarity) with the identity cost, for branching.

    Columns ``[x, y, lambda, mu, bits, products]``, rows ``[kkt rows, expansion, McCormick]``
    (the KKT block is :func:`~.bilevel_form.kkt_matrix`'s, so a branching on complementarity
    pairs can address it unchanged). The identity's terms ``rho lambda_i R_ij x_j`` and
    ``rho mu_i F_ij x_j`` use the binary expansion of the integer ``x_j`` and McCormick with
    the proven multiplier bounds (exact for binaries)."""
    f = form or follower_form(problem)
    km = kkt_matrix(problem, f)
    rho = proportional_ratio(problem)
    assert rho is not None
    n0, k = km.n_cols, f.k
    lo, hi = np.asarray(problem.leader_lower), np.asarray(problem.leader_upper)
    cost = identity_cost(problem, km)
    cols = [int(j) for j in coupling_columns(problem, f)]
    bits: dict[int, list[tuple[int, float]]] = {}
    nw = 0
    for j in cols:
        nb = _n_bits(hi[j] - lo[j])
        bits[j] = [(n0 + nw + b, 2.0**b) for b in range(nb)]
        nw += nb
    lo_s = np.array([lo[j] if j in bits else 0.0 for j in range(problem.n_leader)])
    if k:
        cost[km.il : km.im] += rho * (f.R @ lo_s)
    if f.q:
        cost[km.im : km.im + f.q] += rho * (f.F @ lo_s)
    prods: list[tuple[int, int, float, float, float]] = []  # (bit, dual col, L, U, cost)
    for j, bl in bits.items():
        for wcol, pw in bl:
            for i in np.flatnonzero(f.R[:, j]) if k else []:
                prods.append((wcol, km.il + i, 0.0, float(m_lambda[i]), rho * f.R[i, j] * pw))
            for i in np.flatnonzero(f.F[:, j]) if f.q else []:
                prods.append(
                    (wcol, km.im + i, float(mu_lo[i]), float(mu_hi[i]), rho * f.F[i, j] * pw)
                )
    nv = len(prods)
    rb = RowBuilder()
    for j, bl in bits.items():
        rb.add([(km.ix + j, 1.0)] + [(c, -p) for c, p in bl], lo[j], lo[j])
    full_cost = np.concatenate([cost, np.zeros(nw + nv)])
    for t, (w, z, L, U, c) in enumerate(prods):
        v = n0 + nw + t
        if not (np.isfinite(L) and np.isfinite(U)):
            raise ValueError("a product needs finite multiplier bounds")
        full_cost[v] = c
        rb.mccormick(v, w, z, L, U)
    milp = ExpandedMILP.expanded(km, rb, nw, nv, nw, nv, (), cost=full_cost)
    col_hi = milp.col_hi
    for row in {int(z) - km.il for _, z, _, _, _ in prods if km.il <= z < km.im}:
        col_hi[km.il + row] = min(col_hi[km.il + row], float(m_lambda[row]))  # proven bound
    return milp


def _n_bits(span: float) -> int:
    """Binary digits needed to write every integer ``0..span`` (at least one)."""
    return max(1, int(np.floor(np.log2(max(span, 1.0)) + 1e-9)) + 1)


def rate_columns(problem: BilevelProblem, form: FollowerForm) -> np.ndarray:
    """Leader variables that multiply a follower variable or a multiplier."""
    used = np.zeros(problem.n_leader, dtype=bool)
    for M in (problem.follower_cross, problem.leader_cross):
        if M is not None:
            used |= np.any(M != 0, axis=0)
    if form.k:
        used |= np.any(form.R != 0, axis=0)
    if form.q:
        used |= np.any(form.F != 0, axis=0)
    return np.flatnonzero(used)


def product_follower_columns(problem: BilevelProblem) -> np.ndarray:
    """Follower variables multiplied by a leader variable in either objective."""
    used = np.zeros(problem.n_follower, dtype=bool)
    for M in (problem.follower_cross, problem.leader_cross):
        if M is not None:
            used |= np.any(M != 0, axis=1)
    return np.flatnonzero(used)


@dataclass(frozen=True)
class ExpandedMILP(KKTModel):
    """The strong-duality MILP with expanded rates; ``base`` locates ``[x, y, lambda, mu]``."""

    n_binaries: int
    n_products: int
    relaxed: tuple[int, ...]


def build_expanded(
    problem: BilevelProblem,
    steps: dict[int, float],
    m_lambda: np.ndarray,
    mu_lo: np.ndarray,
    mu_hi: np.ndarray,
    y_lo: np.ndarray,
    y_hi: np.ndarray,
    form: FollowerForm | None = None,
    *,
    relax: bool = False,
) -> ExpandedMILP:
    """Assemble the MILP (module doc). ``steps[j]`` is the grid step of rate ``j`` (1 for
    integers); bounds must be finite where products need them. With ``relax=True`` the rates
    whose step is not 1 (discretised continuous rates) get McCormick envelopes over their
    bounds instead of an expansion: a relaxation (lower bound)."""
    f = form or follower_form(problem)
    if f.Q is not None:
        raise ValueError("the expanded strong-duality form needs a linear follower")
    km = kkt_matrix(problem, f)
    n0, k = km.n_cols, f.k
    nx = problem.n_leader
    lo, hi = np.asarray(problem.leader_lower), np.asarray(problem.leader_upper)
    D = problem.min_follower_cross
    H = problem.min_leader_cross
    Dm = np.zeros((problem.n_follower, nx)) if D is None else D
    Hm = np.zeros((problem.n_follower, nx)) if H is None else H
    relaxed = tuple(sorted(j for j, s in steps.items() if relax and not problem.integer_leader[j]))
    # "factors" of x_j: list of (column, weight, is_bit); x_j = l_j + sum weight * factor
    factors: dict[int, list[tuple[int, float, bool]]] = {}
    nw = 0
    for j, step in sorted(steps.items()):
        if j in relaxed:
            factors[j] = [(km.ix + j, 1.0, False)]
            continue
        nb = _n_bits((hi[j] - lo[j]) / step)
        factors[j] = [(n0 + nw + b, step * 2.0**b, True) for b in range(nb)]
        nw += nb
    rb = RowBuilder()
    add = rb.add
    for j, fl in factors.items():  # x_j - sum h 2^b w_jb = l_j
        if fl[0][2]:
            add([(km.ix + j, 1.0)] + [(c, -p) for c, p, _ in fl], lo[j], lo[j])
    # strong-duality row (primal - dual <= 0) and leader cost, before products
    sd = np.zeros(n0)
    sd[km.iy : km.il] = f.d
    sd[km.il : km.im] = f.r
    if f.q:
        sd[km.im : km.im + f.q] = f.e
    cost = np.array(km.cost, float)
    # base parts of x_j = l_j + ...: products with l_j are linear
    lo_s = np.array([lo[j] if j in factors and factors[j][0][2] else 0.0 for j in range(nx)])
    if k:
        sd[km.il : km.im] -= f.R @ lo_s
    if f.q:
        sd[km.im : km.im + f.q] -= f.F @ lo_s
    if D is not None:
        sd[km.iy : km.il] += D @ lo_s
    if H is not None:
        cost[km.iy : km.il] += H @ lo_s
    prod_cols: list[tuple[int, int, float, float]] = []  # (factor col, var col, L, U)
    sd_extra: dict[int, float] = {}
    cost_extra: dict[int, float] = {}
    cache: dict[tuple[int, int], int] = {}

    def product(fcol: int, zcol: int, L: float, U: float) -> int:
        key = (fcol, zcol)
        if key not in cache:
            cache[key] = n0 + nw + len(prod_cols)
            prod_cols.append((fcol, zcol, L, U))
        return cache[key]

    for j, fl in factors.items():
        for fcol, weight, _ in fl:
            for i in np.flatnonzero(f.R[:, j]) if k else []:
                v = product(fcol, km.il + i, 0.0, float(m_lambda[i]))
                sd_extra[v] = sd_extra.get(v, 0.0) - f.R[i, j] * weight
            for i in np.flatnonzero(f.F[:, j]) if f.q else []:
                v = product(fcol, km.im + i, float(mu_lo[i]), float(mu_hi[i]))
                sd_extra[v] = sd_extra.get(v, 0.0) - f.F[i, j] * weight
            for c in np.flatnonzero(Dm[:, j]):
                v = product(fcol, km.iy + c, float(y_lo[c]), float(y_hi[c]))
                sd_extra[v] = sd_extra.get(v, 0.0) + Dm[c, j] * weight
            for c in np.flatnonzero(Hm[:, j]):
                v = product(fcol, km.iy + c, float(y_lo[c]), float(y_hi[c]))
                cost_extra[v] = cost_extra.get(v, 0.0) + Hm[c, j] * weight
    nv = len(prod_cols)
    for t, (fcol, zcol, L, U) in enumerate(prod_cols):
        v = n0 + nw + t
        if not (np.isfinite(L) and np.isfinite(U)):
            raise ValueError("a product needs finite bounds on both factors")
        if fcol >= n0:  # binary bit w: exact McCormick
            rb.mccormick(v, fcol, zcol, L, U)
        else:  # continuous x_j in [a, b]: McCormick envelope (a relaxation)
            j = fcol - km.ix
            a, b = float(lo[j]), float(hi[j])
            # v >= a z + L x - a L ; v >= b z + U x - b U
            add([(v, 1.0), (zcol, -a), (fcol, -L)], -a * L, np.inf)
            add([(v, 1.0), (zcol, -b), (fcol, -U)], -b * U, np.inf)
            # v <= b z + L x - b L ; v <= a z + U x - a U
            add([(v, 1.0), (zcol, -b), (fcol, -L)], -np.inf, -b * L)
            add([(v, 1.0), (zcol, -a), (fcol, -U)], -np.inf, -a * U)
    entries = [(c, float(v)) for c, v in enumerate(sd) if v != 0.0]
    entries += [(c, v) for c, v in sd_extra.items() if v != 0.0]
    add(entries, -np.inf, 0.0)
    full_cost = np.concatenate([cost, np.zeros(nw + nv)])
    for col, coef in cost_extra.items():
        full_cost[col] += coef
    return ExpandedMILP.expanded(km, rb, nw, nv, nw, nv, relaxed, cost=full_cost)


def pyomo_from_arrays(
    milp: ExpandedMILP, name: str, names: list[str], *, constant: float = 0.0
) -> Any:
    """The MILP as a Pyomo model (for ``stackopt export``).

    Columns ``v[i]``: the game's ``x`` then ``y`` (in the order of ``names``), then the
    multipliers, bits and products; rows ``row_lo <= A v <= row_hi``; objective
    ``min cost . v + constant``.
    """
    import pyomo.environ as pyo

    A = sp.csr_matrix(milp.A)
    n = A.shape[1]
    m = pyo.ConcreteModel(name=name)

    def bound(v: Any) -> float | None:
        return float(v) if np.isfinite(v) else None

    m.v = pyo.Var(
        range(n),
        bounds=lambda _, i: (bound(milp.col_lo[i]), bound(milp.col_hi[i])),
        domain=lambda _, i: pyo.Integers if milp.integrality[i] else pyo.Reals,
    )
    m.column_names = list(names)  # v[i] is the game's variable names[i] for i < len(names)
    m.objective = pyo.Objective(
        expr=sum(float(c) * m.v[i] for i, c in enumerate(milp.cost) if c) + constant
    )

    def row(_: Any, r: int) -> Any:
        lo, hi = A.indptr[r], A.indptr[r + 1]
        body = sum(float(val) * m.v[int(c)] for c, val in zip(A.indices[lo:hi], A.data[lo:hi]))
        if milp.row_lo[r] == milp.row_hi[r]:
            return body == float(milp.row_hi[r])
        return pyo.inequality(bound(milp.row_lo[r]), body, bound(milp.row_hi[r]))

    m.rows = pyo.Constraint(range(A.shape[0]), rule=row)
    return m
