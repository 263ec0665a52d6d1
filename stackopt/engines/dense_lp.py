r"""Small dense LPs on a quiet HiGHS instance.

:func:`solve_dense_lp` solves

.. math::

    \max\ (\text{or } \min)\ c^\top x \quad\text{s.t.}\quad A_{ub} x \le b_{ub},
    \ A_{eq} x = b_{eq},\ lb \le x \le ub

and returns the primal solution and the row duals. It is the work-horse of the pessimistic
(weak) Stackelberg method and of the per-profile LP that polishes a DOBSS solution; the LPs
there are small (one column per leader action) and numerous, so they are passed to ``highspy``
directly rather than built in Pyomo (measured cost of a Pyomo build: ~0.1 s per LP; see
``docs/design.md``, measured facts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stackopt.engines.highs import model_status_name, new_highs, run_once
from stackopt.errors import SolverError


@dataclass
class DenseLPOutcome:
    status: str  # optimal | infeasible | unbounded
    x: np.ndarray | None
    objective: float | None
    duals_ub: np.ndarray | None  # row duals of the <= rows (HiGHS sign convention)
    duals_eq: np.ndarray | None


def solve_dense_lp(
    c: np.ndarray,
    A_ub: np.ndarray | None = None,
    b_ub: np.ndarray | None = None,
    A_eq: np.ndarray | None = None,
    b_eq: np.ndarray | None = None,
    lb: np.ndarray | float = 0.0,
    ub: np.ndarray | float = np.inf,
    *,
    maximize: bool = True,
    feasibility_tol: float = 1e-9,
) -> DenseLPOutcome:
    """Solve one dense LP with HiGHS (``threads=1``); see the module docstring."""
    import highspy

    c = np.asarray(c, dtype=float)
    n = c.size
    A_ub = np.zeros((0, n)) if A_ub is None else np.asarray(A_ub, dtype=float).reshape(-1, n)
    A_eq = np.zeros((0, n)) if A_eq is None else np.asarray(A_eq, dtype=float).reshape(-1, n)
    b_ub = np.zeros(0) if b_ub is None else np.asarray(b_ub, dtype=float).ravel()
    b_eq = np.zeros(0) if b_eq is None else np.asarray(b_eq, dtype=float).ravel()
    inf = highspy.kHighsInf
    lbv = np.broadcast_to(np.asarray(lb, dtype=float), (n,)).copy()
    ubv = np.broadcast_to(np.asarray(ub, dtype=float), (n,)).copy()
    lbv[~np.isfinite(lbv)] = -inf
    ubv[~np.isfinite(ubv)] = inf
    rows = np.vstack([A_ub, A_eq])
    lo = np.r_[np.full(A_ub.shape[0], -inf), b_eq]
    hi = np.r_[b_ub, b_eq]

    h = new_highs(
        threads=1,
        primal_feasibility_tolerance=feasibility_tol,
        dual_feasibility_tolerance=feasibility_tol,
    )
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = rows.shape[0]
    lp.col_cost_ = c
    lp.col_lower_ = lbv
    lp.col_upper_ = ubv
    lp.row_lower_ = lo
    lp.row_upper_ = hi
    starts, index, value = [0], [], []
    for col in range(n):
        nz = np.nonzero(rows[:, col])[0]
        index.append(nz)
        value.append(rows[nz, col])
        starts.append(starts[-1] + nz.size)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = (np.concatenate(index) if index else np.zeros(0)).astype(np.int32)
    lp.a_matrix_.value_ = np.concatenate(value) if value else np.zeros(0)
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    if h.passModel(lp) == highspy.HighsStatus.kError:  # pragma: no cover - defensive
        raise SolverError("HiGHS refused a dense LP")
    run_once(h)
    st = model_status_name(h)
    if st == "optimal":
        sol = h.getSolution()
        duals = np.asarray(sol.row_dual, dtype=float)
        return DenseLPOutcome(
            "optimal",
            np.asarray(sol.col_value, dtype=float),
            float(h.getInfo().objective_function_value),
            duals[: A_ub.shape[0]],
            duals[A_ub.shape[0] :],
        )
    if st == "infeasible":
        return DenseLPOutcome("infeasible", None, None, None, None)
    if st in ("unbounded", "primal infeasible or unbounded"):
        return DenseLPOutcome("unbounded", None, None, None, None)
    raise SolverError(f"HiGHS returned '{st}' on a dense LP")
