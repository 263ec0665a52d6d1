r"""The multiple-LPs method on one HiGHS model edited in place.

Solves every LP(:math:`j`) of :mod:`stackopt.formulations.multiple_lps` on a single ``highspy``
model: the constraint matrix (``B`` and the simplex row) is passed once; between LPs only the
objective (column costs) and the bounds of two rows change, and HiGHS re-solves from the
previous basis. Measured reason for bypassing Pyomo here (``../shared/DEPENDENCIES.md``): 100
LPs of size 100x100 take 5.6-22 s through Pyomo and 0.09 s on one highspy model edited in place.
The Pyomo build of the same LP (:func:`~stackopt.formulations.multiple_lps.build_lp`) remains the
inspectable/exportable formulation and an independent solve path (``engine="pyomo"``).

Follower actions are visited in decreasing order of the bound :math:`\max_i A_{ij}`; once that
bound is not above the incumbent the remaining LPs are skipped (their certificate is the bound
itself). Actions strictly dominated by another pure action are skipped as never-best-responses.
Payoffs are divided by their largest magnitude before solving so that HiGHS's absolute
tolerances act relative to the payoff scale.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import SolverError
from .highs import model_status_name, new_highs


@dataclass
class ActionRecord:
    """What is known about one follower action ``j`` after the loop."""

    outcome: str                      # optimal | pruned | dominated | infeasible
    bound: float | None = None        # upper bound on LP(j) in original units
    multipliers: dict[int, float] = field(default_factory=dict)   # y_k >= 0 (original units)
    dominated_by: dict[int, float] = field(default_factory=dict)  # mixture over k != j
    margin: float | None = None       # domination margin (original follower units)
    value: float | None = None        # LP(j) optimum (original units) when solved


@dataclass
class MultipleLPsOutcome:
    best: int | None
    commitment: np.ndarray | None
    records: dict[int, ActionRecord]
    stats: dict[str, Any]


def solve_multiple_lps(A: np.ndarray, B: np.ndarray, *, prune: bool = True,
                       follower_tol: float = 1e-9, time_limit: float | None = None
                       ) -> MultipleLPsOutcome:
    """Run the multiple-LPs loop on ``A`` (leader) and ``B`` (follower) payoffs.

    Parameters
    ----------
    A, B
        ``m x n`` payoff matrices (original units).
    prune
        Skip LPs whose bound ``max_i A[i, j]`` cannot beat the incumbent.
    follower_tol
        Absolute tolerance (follower payoff units) for the pure-dominance pre-check.
    time_limit
        Seconds for the whole loop (``None``: none).

    Returns
    -------
    MultipleLPsOutcome
        The best follower action, the commitment, one :class:`ActionRecord` per action and
        statistics (``lps_solved``, ``lps_pruned``, ``lps_dominated``, ``lps_infeasible``,
        ``highs_seconds``, ``setup_seconds``).
    """
    import highspy

    t0 = time.perf_counter()
    m, n = A.shape
    sa = float(np.abs(A).max()) or 1.0
    sb = float(np.abs(B).max()) or 1.0
    An, Bn = A / sa, B / sb

    h = new_highs(threads=1)
    inf = highspy.kHighsInf
    # columns: x_0..x_{m-1}, u ; rows: n best-response rows, 1 simplex row
    lp = highspy.HighsLp()
    lp.num_col_ = m + 1
    lp.num_row_ = n + 1
    lp.col_cost_ = np.zeros(m + 1)
    lp.col_lower_ = np.r_[np.zeros(m), -inf]
    lp.col_upper_ = np.r_[np.ones(m), inf]
    lp.row_lower_ = np.r_[np.full(n, -inf), 1.0]
    lp.row_upper_ = np.r_[np.zeros(n), 1.0]
    dense = np.zeros((n + 1, m + 1))
    dense[:n, :m] = Bn.T
    dense[:n, m] = -1.0
    dense[n, :m] = 1.0
    # CSC from dense, column by column (keep explicit zeros out)
    starts, index, value = [0], [], []
    for c in range(m + 1):
        nz = np.nonzero(dense[:, c])[0]
        index.append(nz)
        value.append(dense[nz, c])
        starts.append(starts[-1] + nz.size)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.concatenate(index).astype(np.int32)
    lp.a_matrix_.value_ = np.concatenate(value)
    lp.sense_ = highspy.ObjSense.kMaximize
    status = h.passModel(lp)
    if status == highspy.HighsStatus.kError:  # pragma: no cover - defensive
        raise SolverError("HiGHS refused the multiple-LPs model")
    setup = time.perf_counter() - t0

    ub = A.max(axis=0)  # pruning bounds, original units
    order = np.argsort(-ub, kind="stable")
    records: dict[int, ActionRecord] = {}
    best, best_val, best_x = None, -np.inf, None
    highs_seconds = 0.0
    solved = pruned = dominated = infeasible = 0
    cols = np.arange(m, dtype=np.int32)
    active_row = None
    deadline = None if time_limit is None else t0 + time_limit

    for j in order:
        j = int(j)
        if prune and best is not None and ub[j] <= best_val:
            records[j] = ActionRecord("pruned", bound=float(ub[j]))
            pruned += 1
            continue
        dom = _pure_dominator(B, j, follower_tol)
        if dom is not None:
            k, margin = dom
            records[j] = ActionRecord("dominated", dominated_by={k: 1.0}, margin=margin)
            dominated += 1
            continue
        if deadline is not None and time.perf_counter() > deadline:
            raise SolverError(f"time limit of {time_limit} s reached after {solved} LPs")
        if active_row is not None:
            h.changeRowBounds(active_row, -inf, 0.0)
        h.changeRowBounds(j, 0.0, 0.0)
        active_row = j
        h.changeColsCost(m, cols, An[:, j])
        ts = time.perf_counter()
        h.run()
        highs_seconds += time.perf_counter() - ts
        solved += 1
        st = model_status_name(h)
        if st == "optimal":
            sol = h.getSolution()
            x = np.asarray(sol.col_value[:m], dtype=float)
            duals = np.asarray(sol.row_dual[:n], dtype=float)
            y = _multipliers(An, Bn, j, duals) * (sa / sb)
            val = float(h.getInfo().objective_function_value) * sa
            bound = _bound(A, B, j, y)
            records[j] = ActionRecord("optimal", bound=bound, value=val,
                                      multipliers={int(k): float(y[k])
                                                   for k in np.nonzero(y)[0]})
            if val > best_val:
                best, best_val, best_x = j, val, x
        elif st == "infeasible":
            infeasible += 1
            records[j] = _infeasible_record(A, B, j, follower_tol)
        else:
            raise SolverError(f"HiGHS returned '{st}' on the LP for follower action {j}")

    x = None
    if best_x is not None:
        x = np.clip(best_x, 0.0, None)
        x = x / x.sum()
    stats = {
        "lps_solved": solved, "lps_pruned": pruned, "lps_dominated": dominated,
        "lps_infeasible": infeasible, "highs_seconds": highs_seconds, "setup_seconds": setup,
    }
    return MultipleLPsOutcome(best=best, commitment=x, records=records, stats=stats)


def _multipliers(An: np.ndarray, Bn: np.ndarray, j: int, duals: np.ndarray) -> np.ndarray:
    """Non-negative multipliers ``y_k`` (k != j) from HiGHS row duals.

    HiGHS reports duals of a maximisation with the sign convention of its minimisation form;
    rather than rely on it, we take whichever sign gives the tighter (smaller) valid bound —
    every ``y >= 0`` gives a valid bound, so this choice cannot make a certificate wrong.
    """
    best_y, best_b = None, np.inf
    for sign in (1.0, -1.0):
        y = np.clip(sign * duals, 0.0, None)
        y[j] = 0.0
        b = _bound(An, Bn, j, y)
        if b < best_b:
            best_y, best_b = y, b
    return best_y


def _bound(A: np.ndarray, B: np.ndarray, j: int, y: np.ndarray) -> float:
    yy = y.copy()
    yy[j] = 0.0
    return float((A[:, j] + B[:, j] * yy.sum() - B @ yy).max())


def _pure_dominator(B: np.ndarray, j: int, tol: float) -> tuple[int, float] | None:
    """A follower action strictly better than ``j`` against every leader action, if any."""
    diff = (B - B[:, [j]]).min(axis=0)
    diff[j] = -np.inf
    k = int(np.argmax(diff))
    return (k, float(diff[k])) if diff[k] > tol else None


def _infeasible_record(A: np.ndarray, B: np.ndarray, j: int, tol: float) -> ActionRecord:
    r"""Certify that LP(j) is infeasible: find a mixture of other actions dominating ``j``.

    Solves :math:`\max \delta` s.t. :math:`\sum_{k\ne j} z_k B_{ik} - B_{ij} \ge \delta\ \forall i`,
    :math:`\sum z = 1, z \ge 0`. When the margin is too thin to certify, LP(j) is re-solved with
    its best-response rows relaxed by ``tol`` and its multipliers give a valid bound instead.
    """
    import highspy

    m, n = B.shape
    others = [k for k in range(n) if k != j]
    if not others:
        return ActionRecord("infeasible", bound=float(A[:, j].max()))
    h = new_highs(threads=1)
    inf = highspy.kHighsInf
    # columns: z_k (k in others), delta ; rows: m dominance rows, simplex
    nz = len(others)
    for _ in range(nz):
        h.addVar(0.0, 1.0)
    h.addVar(-inf, inf)
    for i in range(m):
        idx = np.arange(nz + 1, dtype=np.int32)
        coef = np.r_[B[i, others], -1.0]
        h.addRow(B[i, j], inf, nz + 1, idx, coef)
    h.addRow(1.0, 1.0, nz, np.arange(nz, dtype=np.int32), np.ones(nz))
    h.changeColCost(nz, 1.0)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.run()
    if model_status_name(h) == "optimal":
        sol = np.asarray(h.getSolution().col_value)
        z = np.clip(sol[:nz], 0.0, None)
        z = z / z.sum()
        margin = float((B[:, others] @ z - B[:, j]).min())
        if margin > tol:
            return ActionRecord("infeasible", margin=margin,
                                dominated_by={others[k]: float(z[k]) for k in np.nonzero(z)[0]})
    # Thin case: the weak-duality bound with y = 0 is always valid.
    return ActionRecord("infeasible", bound=float(A[:, j].max()))
