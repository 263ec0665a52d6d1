"""The follower's problem in the standard form every bilevel formulation starts from.

Given a :class:`~stackopt.kinds.bilevel.game.BilevelProblem`, the follower's problem at a leader
decision ``x`` is written (minimisation form) as

.. math::

    \\min_y\\; (d + D x)^\\top y + \\tfrac12 y^\\top Q y \\quad\\text{s.t.}\\quad
    P y + R x \\le r \\;(\\lambda \\ge 0), \\qquad E y + F x = e \\;(\\mu\\ \\text{free}),

where ``P y + R x <= r`` collects every finite side of every follower row *and* every finite
bound of a follower variable (``y_j <= u_j`` and ``-y_j <= -l_j``), and ``E y + F x = e`` the
rows with equal sides. Its KKT conditions (necessary and sufficient, the problem being convex
with linear constraints) are

.. math::

    d + D x + Q y + P^\\top \\lambda + E^\\top \\mu = 0, \\quad \\lambda \\ge 0, \\quad
    \\lambda_i (r - R x - P y)_i = 0 .

Also here: :func:`kkt_matrix`, the columns ``[x, y, lambda, mu]`` and rows ``[leader rows,
follower <= rows, follower = rows, stationarity]`` shared by the KKT-based formulations and the
Bard-Moore engine, :class:`KKTModel`, the base of every model that appends its own columns
and rows to it, and :func:`highs_from_matrix`, which passes such a model to a fresh HiGHS
instance in one call (``passModel``), the fast path measured in ``docs/design.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import scipy.sparse as sp

from stackopt.kinds.bilevel.game import BilevelProblem

INF = np.inf

ModelT = TypeVar("ModelT", bound="KKTModel")


@dataclass(frozen=True)
class FollowerForm:
    """``P y + R x <= r`` (labels ``le_labels``) and ``E y + F x = e`` (``eq_labels``)."""

    P: np.ndarray
    R: np.ndarray
    r: np.ndarray
    E: np.ndarray
    F: np.ndarray
    e: np.ndarray
    d: np.ndarray
    Q: np.ndarray | None
    D: np.ndarray | None
    le_labels: tuple[str, ...]
    eq_labels: tuple[str, ...]

    @property
    def k(self) -> int:
        return self.P.shape[0]

    @property
    def q(self) -> int:
        return self.E.shape[0]


def follower_form(problem: BilevelProblem) -> FollowerForm:
    """Split the follower's rows and bounds into ``<=`` and ``=`` parts (see module doc)."""
    Ay, Ax = problem.follower_rows_y, problem.follower_rows_x
    lo, hi = problem.follower_rows_lower, problem.follower_rows_upper
    names = problem.follower_row_names
    P: list[np.ndarray] = []
    R: list[np.ndarray] = []
    r: list[float] = []
    lab: list[str] = []
    E: list[np.ndarray] = []
    F: list[np.ndarray] = []
    e: list[float] = []
    elab: list[str] = []

    def ineq(a_y: np.ndarray, a_x: np.ndarray, rhs: float, label: str) -> None:
        P.append(a_y)
        R.append(a_x)
        r.append(rhs)
        lab.append(label)

    for i in range(Ay.shape[0]):
        if lo[i] == hi[i]:
            E.append(Ay[i])
            F.append(Ax[i])
            e.append(hi[i])
            elab.append(names[i])
            continue
        if np.isfinite(hi[i]):
            ineq(Ay[i], Ax[i], hi[i], f"{names[i]} (<=)")
        if np.isfinite(lo[i]):
            ineq(-Ay[i], -Ax[i], -lo[i], f"{names[i]} (>=)")
    ny, nx = problem.n_follower, problem.n_leader
    for j, v in enumerate(problem.follower_variables):
        ej = np.zeros(ny)
        ej[j] = 1.0
        if np.isfinite(problem.follower_upper[j]):
            ineq(ej, np.zeros(nx), problem.follower_upper[j], f"{v} <= upper")
        if np.isfinite(problem.follower_lower[j]):
            ineq(-ej, np.zeros(nx), -problem.follower_lower[j], f"{v} >= lower")
    d, Q = problem.min_follower_cost

    def arr(rows, width):
        return np.array(rows, dtype=float).reshape(len(rows), width)

    return FollowerForm(
        arr(P, ny),
        arr(R, nx),
        np.array(r, float),
        arr(E, ny),
        arr(F, nx),
        np.array(e, float),
        np.array(d, float),
        Q,
        problem.min_follower_cross,
        tuple(lab),
        tuple(elab),
    )


@dataclass(frozen=True)
class MILPArrays:
    """A (MI)LP in HiGHS's column/row form: ``row_lo <= A v <= row_hi``,
    ``col_lo <= v <= col_hi``, minimise ``cost @ v``; ``integrality`` marks integer columns.
    Every bilevel single-level reformulation is one of these plus the offsets of its blocks."""

    A: sp.csc_matrix
    cost: np.ndarray
    col_lo: np.ndarray
    col_hi: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    integrality: np.ndarray

    def to_highs(self, **options: Any) -> Any:
        """A fresh HiGHS instance holding this (MI)LP (:func:`highs_from_matrix`)."""
        return highs_from_matrix(
            self.A,
            self.cost,
            self.col_lo,
            self.col_hi,
            self.row_lo,
            self.row_hi,
            self.integrality,
            **options,
        )


@dataclass(frozen=True)
class KKTMatrix(MILPArrays):
    """Columns ``[x, y, lambda, mu]``, rows ``[leader, follower <=, follower =, stationarity]``.

    ``cost`` is the leader's minimisation objective; ``integrality`` marks integer leader
    columns. Offsets (``ix, iy, il, im`` for columns, ``rg, rle, req, rst`` for rows) locate
    each block.
    """

    ix: int
    iy: int
    il: int
    im: int
    rg: int
    rle: int
    req: int
    rst: int
    form: FollowerForm

    @property
    def n_cols(self) -> int:
        return self.A.shape[1]

    def slack_rows(self, block: sp.spmatrix, at: int) -> sp.csr_matrix:
        """The rows ``R x + P y + block v[at : at + k]``, one per follower ``<=`` row, over
        columns ``[x, y, ...]`` up to ``at + k`` (``at`` is past this matrix's columns)."""
        f = self.form
        gap = sp.csr_matrix((f.k, at - self.il))
        return sp.hstack([sp.csr_matrix(f.R), sp.csr_matrix(f.P), gap, block]).tocsr()

    def multiplier_rows(self, block: sp.spmatrix, at: int) -> sp.csr_matrix:
        """The rows ``lambda_i + block v[at : at + k]``, one per multiplier of a ``<=`` row."""
        k = self.form.k
        before, after = sp.csr_matrix((k, self.il)), sp.csr_matrix((k, at - self.im))
        return sp.hstack([before, sp.identity(k, format="csr"), after, block]).tocsr()


@dataclass(frozen=True)
class KKTModel(MILPArrays):
    """A single-level model whose first columns and rows are those of a :class:`KKTMatrix`
    (``base``, which locates ``[x, y, lambda, mu]``); the formulation's own columns and rows
    follow them."""

    base: KKTMatrix

    @classmethod
    def below(
        cls: type[ModelT],
        km: KKTMatrix,
        rows: sp.spmatrix,
        row_lo: np.ndarray,
        row_hi: np.ndarray,
        col_lo: np.ndarray,
        col_hi: np.ndarray,
        integrality: np.ndarray,
        *fields: Any,
        cost: np.ndarray | None = None,
    ) -> ModelT:
        """``km`` with ``len(col_lo)`` columns appended on the right and ``rows`` (over every
        column) below it; ``fields`` are the subclass's own. ``cost`` covers every column;
        by default ``km.cost`` and 0 on the new columns."""
        nnew = len(col_lo)
        top = sp.hstack([km.A, sp.csr_matrix((km.A.shape[0], nnew))])
        return cls(
            sp.vstack([top, rows]).tocsc(),
            np.concatenate([km.cost, np.zeros(nnew)]) if cost is None else cost,
            np.concatenate([km.col_lo, col_lo]),
            np.concatenate([km.col_hi, col_hi]),
            np.concatenate([km.row_lo, row_lo]),
            np.concatenate([km.row_hi, row_hi]),
            np.concatenate([km.integrality, integrality]).astype(np.int32),
            km,
            *fields,
        )

    @classmethod
    def expanded(
        cls: type[ModelT],
        km: KKTMatrix,
        rows: RowBuilder,
        nw: int,
        nv: int,
        *fields: Any,
        cost: np.ndarray | None = None,
    ) -> ModelT:
        """``km`` with ``nw`` binary columns and ``nv`` free continuous columns appended (in
        that order) and ``rows`` below it (:meth:`below`)."""
        ncol = km.n_cols + nw + nv
        extra = sp.csr_matrix((rows.vals, (rows.rows, rows.cols)), shape=(len(rows.lo), ncol))
        return cls.below(
            km,
            extra,
            np.array(rows.lo, float),
            np.array(rows.hi, float),
            np.concatenate([np.zeros(nw), np.full(nv, -np.inf)]),
            np.concatenate([np.ones(nw), np.full(nv, np.inf)]),
            np.concatenate([np.ones(nw, np.int32), np.zeros(nv, np.int32)]),
            *fields,
            cost=cost,
        )


def kkt_matrix(
    problem: BilevelProblem, form: FollowerForm | None = None, stationarity: bool = True
) -> KKTMatrix:
    """The KKT relaxation (everything but complementarity) as one sparse matrix."""
    f = form or follower_form(problem)
    nx, ny, k, q = problem.n_leader, problem.n_follower, f.k, f.q
    mg = problem.leader_rows_y.shape[0]
    ncol = nx + ny + (k + q if stationarity else 0)
    blocks = [
        [sp.csr_matrix(problem.leader_rows_x), sp.csr_matrix(problem.leader_rows_y)],
        [sp.csr_matrix(f.R), sp.csr_matrix(f.P)],
        [sp.csr_matrix(f.F), sp.csr_matrix(f.E)],
    ]
    rows = [
        sp.hstack(b + ([sp.csr_matrix((b[0].shape[0], k + q))] if stationarity else []))
        for b in blocks
    ]
    row_lo = [problem.leader_rows_lower, np.full(k, -INF), f.e]
    row_hi = [problem.leader_rows_upper, f.r, f.e]
    if stationarity:
        Qm = sp.csr_matrix(f.Q) if f.Q is not None else sp.csr_matrix((ny, ny))
        Dm = sp.csr_matrix(f.D) if f.D is not None else sp.csr_matrix((ny, nx))
        rows.append(sp.hstack([Dm, Qm, sp.csr_matrix(f.P.T), sp.csr_matrix(f.E.T)]))
        row_lo.append(-f.d)
        row_hi.append(-f.d)
    A = sp.vstack(rows).tocsc() if rows else sp.csc_matrix((0, ncol))
    A = sp.csc_matrix(A, shape=(A.shape[0], ncol))
    cx, cy = problem.min_leader_cost
    cost = np.concatenate([cx, cy, np.zeros(ncol - nx - ny)])
    col_lo = np.concatenate(
        [
            problem.leader_lower,
            problem.follower_lower,
            np.zeros(k if stationarity else 0),
            np.full(q if stationarity else 0, -INF),
        ]
    )
    col_hi = np.concatenate(
        [problem.leader_upper, problem.follower_upper, np.full((k + q) if stationarity else 0, INF)]
    )
    integ = np.zeros(ncol, dtype=np.int32)
    integ[:nx] = problem.integer_leader.astype(np.int32)
    return KKTMatrix(
        A,
        cost,
        col_lo,
        col_hi,
        np.concatenate(row_lo),
        np.concatenate(row_hi),
        integ,
        0,
        nx,
        nx + ny,
        nx + ny + k,
        0,
        mg,
        mg + k,
        mg + k + q,
        f,
    )


def coupling_columns(problem: BilevelProblem, form: FollowerForm) -> np.ndarray:
    """Leader variables in the follower's constraints (they multiply dual prices)."""
    used = np.zeros(problem.n_leader, dtype=bool)
    if form.k:
        used |= np.any(form.R != 0, axis=0)
    if form.q:
        used |= np.any(form.F != 0, axis=0)
    return np.flatnonzero(used)


class RowBuilder:
    """Rows ``lo <= sum_c a_c v_c <= hi`` appended one at a time (sparse triplets): the
    linearisation rows that the single-level MILPs add below a :class:`KKTMatrix`."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def add(self, entries: list[tuple[int, float]], lo: float, hi: float) -> None:
        r = len(self.lo)
        for c, v in entries:
            self.rows.append(r)
            self.cols.append(c)
            self.vals.append(v)
        self.lo.append(lo)
        self.hi.append(hi)

    def mccormick(self, v: int, w: int, z: int, L: float, U: float) -> None:
        """The exact linearisation of ``v = w z`` for a binary column ``w`` and a column ``z``
        in ``[L, U]``: ``L w <= v <= U w`` and ``L (1 - w) <= z - v <= U (1 - w)``."""
        self.add([(v, 1.0), (w, -U)], -np.inf, 0.0)
        self.add([(v, 1.0), (w, -L)], 0.0, np.inf)
        self.add([(v, 1.0), (z, -1.0), (w, -L)], -np.inf, -L)
        self.add([(v, 1.0), (z, -1.0), (w, -U)], -U, np.inf)


def highs_from_matrix(
    A: sp.spmatrix,
    cost: np.ndarray,
    col_lo: np.ndarray,
    col_hi: np.ndarray,
    row_lo: np.ndarray,
    row_hi: np.ndarray,
    integrality: np.ndarray | None = None,
    *,
    hessian: Any = None,
    offset: float = 0.0,
    **options: Any,
):
    """A fresh, silent HiGHS instance holding ``min cost.v s.t. row_lo <= A v <= row_hi``."""
    import highspy

    from stackopt.engines.highs import new_highs

    h = new_highs(**{"threads": 1, "mip_rel_gap": 0.0, **options})
    A = sp.csc_matrix(A)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = A.shape[1], A.shape[0]
    big = 1e30
    lp.col_cost_ = np.asarray(cost, float)
    lp.col_lower_ = np.clip(col_lo, -big, big)
    lp.col_upper_ = np.clip(col_hi, -big, big)
    lp.row_lower_ = np.clip(row_lo, -big, big)
    lp.row_upper_ = np.clip(row_hi, -big, big)
    lp.offset_ = float(offset)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    if integrality is not None and np.any(integrality):
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if t else highspy.HighsVarType.kContinuous
            for t in integrality
        ]
    h.passModel(lp)
    if hessian is not None:
        H = sp.csc_matrix(hessian)
        hm = highspy.HighsHessian()
        hm.dim_ = H.shape[0]
        hm.format_ = highspy.HessianFormat.kSquare
        hm.start_ = H.indptr.astype(np.int32)
        hm.index_ = H.indices.astype(np.int32)
        hm.value_ = H.data.astype(float)
        h.passHessian(hm)
    return h
