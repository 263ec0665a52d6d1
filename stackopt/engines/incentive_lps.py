r"""The incentive multiple LPs on one HiGHS model, edited in place, rows generated lazily.

Solves the reduced LP(:math:`j`) of :mod:`stackopt.formulations.incentive_lps` (payments only
on the induced action :math:`j`) for every follower action on a single ``highspy`` object, as
:mod:`stackopt.engines.multiple_lps` does for plain games. Columns: the commitment :math:`x`
(:math:`m`), the follower's value :math:`u`, and the payment: one column :math:`v_j` (uniform
contract, bounds :math:`[0, U_j]`) or :math:`m` columns :math:`w_{a} = x_a v_{aj}` (per-action
contract, rows :math:`w_a \le \bar v x_a` and, with a budget, :math:`\sum_a w_a \le \beta`;
these rows never change). Per action :math:`j` only the costs (:math:`A_{\cdot j}`,
:math:`-c` on the payment), the payment bounds and one *inducement* row
:math:`B_{\cdot j}^\top x + \text{payment} - u \ge 0` change; best-response rows
:math:`B_{\cdot k}^\top x - u \le 0` are added while violated (at most ``batch`` a round) and
deleted again before the next :math:`j`. HiGHS re-solves from the previous basis throughout.

Visiting order, pruning (bound :math:`\max_i A_{ij}`, or the value of a row relaxation, not
above the incumbent) and the duality certificate (:func:`~stackopt.formulations.
incentive_lps.dual_bound` from the row duals) follow the plain engine. An LP(:math:`j`) that
HiGHS finds infeasible is certified by a mixture :math:`z` of other actions whose margin
:math:`\min_i ((Bz)_i - B_{ij})` exceeds the largest payment :math:`U_j`: then no commitment
and no affordable incentive makes :math:`j` a best response. Payoffs are divided by their
largest magnitude before solving so HiGHS's absolute tolerances act relative to the payoffs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from stackopt.engines.highs import model_status_name, new_highs, run_decided, run_once
from stackopt.engines.multiple_lps import (
    ActionRecord,
    LPsOutcome,
    dominating_mixture,
    most_violated,
    nonzero_entries,
)
from stackopt.engines.pyomo_sweep import sweep_pyomo_lps
from stackopt.errors import SolverError
from stackopt.formulations.incentive_lps import dual_bound

if TYPE_CHECKING:  # pragma: no cover
    from stackopt.kinds.incentive.game import IncentiveGame


@dataclass
class IncentiveLPsOutcome(LPsOutcome[ActionRecord]):
    """The best induced action, one record per action and stats (:class:`LPsOutcome`), the
    commitment and the payment.

    ``payment`` is the uniform incentive :math:`v_j` (a one-element array) or the per-action
    transfers :math:`w_a = x_a v_{aj}` (length :math:`m`), in payoff units.
    """

    commitment: np.ndarray | None
    payment: np.ndarray | None


def solve_incentive_lps(
    A: np.ndarray,
    B: np.ndarray,
    caps: np.ndarray,
    *,
    vmax: float,
    cost_weight: float,
    budget: float | None,
    per_action: bool,
    prune: bool = True,
    follower_tol: float = 1e-9,
    time_limit: float | None = None,
    batch: int = 10,
) -> IncentiveLPsOutcome:
    """Run the incentive multiple-LPs loop.

    Parameters
    ----------
    A, B
        ``m x n`` payoffs without incentives (original units).
    caps
        :math:`U_k` per follower action: the largest payment for ``k`` (0: not payable).
    vmax, cost_weight, budget, per_action
        The incentive options of the game.
    prune, follower_tol, time_limit, batch
        As for :func:`stackopt.engines.multiple_lps.solve_multiple_lps`.
    """
    import highspy

    t0 = time.perf_counter()
    m, n = A.shape
    sa = float(np.abs(A).max()) or 1.0
    sb = max(float(np.abs(B).max()), float(caps.max(initial=0.0))) or 1.0
    An, Bn = A / sa, B / sb
    cost_n = cost_weight * sb / sa  # leader objective per normalised payment unit
    inf = highspy.kHighsInf
    npay = m if per_action else 1
    ncol = m + 1 + npay
    pay = np.arange(m + 1, ncol, dtype=np.int32)

    h = new_highs(threads=1, presolve="off")
    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.col_cost_ = np.zeros(ncol)
    lp.col_lower_ = np.r_[np.zeros(m), -inf, np.zeros(npay)]
    lp.col_upper_ = np.r_[np.ones(m), inf, np.zeros(npay)]
    starts, index, value, lower, upper = [0], [], [], [1.0], [1.0]
    index += list(range(m))  # simplex
    value += [1.0] * m
    starts.append(len(index))
    if per_action:
        for a in range(m):  # w_a - vmax x_a <= 0
            index += [a, m + 1 + a]
            value += [-vmax / sb, 1.0]
            lower.append(-inf)
            upper.append(0.0)
            starts.append(len(index))
        if budget is not None:  # sum_a w_a <= budget
            index += list(range(m + 1, ncol))
            value += [1.0] * m
            lower.append(-inf)
            upper.append(budget / sb)
            starts.append(len(index))
    fixed = len(lower)
    lp.num_row_ = fixed
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=float)
    lp.sense_ = highspy.ObjSense.kMaximize
    if h.passModel(lp) == highspy.HighsStatus.kError:  # pragma: no cover - defensive
        raise SolverError("HiGHS refused the incentive LP model")
    setup = time.perf_counter() - t0

    # best-response rows [B_k, -1] over (x, u), and the inducement row [B_j, -1, 1...]
    br_idx = np.arange(m + 1, dtype=np.int32)
    BR = np.ascontiguousarray(np.hstack([Bn.T, -np.ones((n, 1))]))
    ind_idx = np.arange(ncol, dtype=np.int32)
    ub = A.max(axis=0)
    order = np.argsort(-ub, kind="stable")
    records: dict[int, ActionRecord] = {}
    best: int | None = None
    best_val = -np.inf
    best_x: np.ndarray | None = None
    best_pay: np.ndarray | None = None
    highs_seconds = edit_seconds = 0.0
    solved = pruned = infeasible = runs = added = 0
    deadline = None if time_limit is None else t0 + time_limit
    viol_tol = 1e-9

    for j in order:
        j = int(j)
        if prune and best is not None and ub[j] <= best_val:
            records[j] = ActionRecord("pruned", bound=float(ub[j]))
            pruned += 1
            continue
        te = time.perf_counter()
        nrow = h.getNumRow()
        if nrow > fixed:
            h.deleteRows(nrow - fixed, np.arange(fixed, nrow, dtype=np.int32))
        h.changeColsCost(m, np.arange(m, dtype=np.int32), An[:, j])
        payable = caps[j] > 0
        h.changeColsCost(npay, pay, np.full(npay, -cost_n if payable else 0.0))
        if per_action:
            h.changeColsBounds(npay, pay, np.zeros(npay), np.full(npay, inf if payable else 0.0))
        else:
            h.changeColsBounds(1, pay, np.zeros(1), np.array([caps[j] / sb]))
        h.addRow(0.0, inf, ncol, ind_idx, np.r_[Bn[:, j], -1.0, np.ones(npay)])
        edit_seconds += time.perf_counter() - te
        active: list[int] = []
        in_model = np.zeros(n, dtype=bool)
        in_model[j] = True
        while True:
            if deadline is not None and time.perf_counter() > deadline:
                raise SolverError(f"time limit of {time_limit} s reached after {solved} LPs")
            st, seconds, n_runs = run_decided(h)
            highs_seconds += seconds
            runs += n_runs
            if st == "infeasible":
                infeasible += 1
                solved += 1
                records[j] = infeasible_record(A, B, caps, cost_weight, j, follower_tol)
                break
            if st != "optimal":
                raise SolverError(
                    f"HiGHS returned '{st}' on the incentive LP for follower action {j}"
                )
            sol = h.getSolution()
            val = float(h.getInfo().objective_function_value) * sa
            col = np.asarray(sol.col_value, dtype=float)
            y = _multipliers(
                A,
                B,
                caps[j],
                cost_weight,
                j,
                active,
                np.asarray(sol.row_dual, dtype=float)[fixed + 1 :],
                sa / sb,
                val,
            )
            if prune and best is not None and val <= best_val:
                records[j] = ActionRecord(
                    "pruned",
                    bound=dual_bound(A, B, caps[j], cost_weight, j, y),
                    multipliers=nonzero_entries(y),
                )
                pruned += 1
                break
            x = col[:m]
            transfer = float(col[m + 1 :].sum())
            f = x @ Bn
            excess = f - (f[j] + transfer)
            excess[in_model] = -np.inf
            k_new = most_violated(excess, viol_tol, batch)
            if k_new.size == 0:
                records[j] = ActionRecord(
                    "optimal",
                    bound=dual_bound(A, B, caps[j], cost_weight, j, y),
                    value=val,
                    multipliers=nonzero_entries(y),
                )
                solved += 1
                if val > best_val:
                    best, best_val, best_x, best_pay = j, val, x.copy(), col[m + 1 :] * sb
                break
            nk = int(k_new.size)
            te = time.perf_counter()
            h.addRows(
                nk,
                np.full(nk, -inf),
                np.zeros(nk),
                nk * (m + 1),
                np.arange(0, nk * (m + 1), m + 1, dtype=np.int32),
                np.tile(br_idx, nk),
                BR[k_new].ravel(),
            )
            edit_seconds += time.perf_counter() - te
            active.extend(int(k) for k in k_new)
            in_model[k_new] = True
            added += nk

    stats = {
        "lps_solved": solved,
        "lps_pruned": pruned,
        "lps_dominated": 0,
        "lps_infeasible": infeasible,
        "highs_runs": runs,
        "rows_added": added,
        "highs_seconds": highs_seconds,
        "highs_edit_seconds": edit_seconds,
        "build_seconds": setup,
    }
    payload = None if best_x is None or best_pay is None else (best_x, best_pay)
    return _outcome(best, payload, records, stats, caps=caps, vmax=vmax, per_action=per_action)


def solve_incentive_lps_pyomo(
    game: IncentiveGame, *, prune: bool = True, follower_tol: float = 1e-9
) -> IncentiveLPsOutcome:
    """Every LP(j) of :func:`stackopt.formulations.incentive_lps.build_lp` through Pyomo's
    HiGHS interface (slow; an independent solve path for cross-checks)."""
    import pyomo.environ as pyo

    from stackopt.formulations.incentive_lps import build_lp

    A, B = game.A, game.B
    m, n = game.shape
    inc = game.incentives
    caps = game.caps
    per_action = inc.contract == "per_action"

    def on_optimal(
        j: int, model: Any, duals: Any
    ) -> tuple[float, tuple[np.ndarray, np.ndarray], ActionRecord]:
        x = np.array([pyo.value(model.x[a]) for a in game.leader_actions])
        lab = game.follower_actions[j]
        if lab not in game.payable_actions:
            pay = np.zeros(m if per_action else 1)
        elif per_action:
            pay = np.array([pyo.value(model.w[a, lab]) for a in game.leader_actions])
        else:
            pay = np.array([pyo.value(model.v[lab])])
        y = np.zeros(n)
        for k, klab in enumerate(game.follower_actions):
            if k != j:
                y[k] = abs(duals[model.best_response[klab]])
        val = float(pyo.value(model.leader_value))
        rec = ActionRecord(
            "optimal",
            value=val,
            bound=dual_bound(A, B, caps[j], inc.cost_weight, j, y),
            multipliers={int(k): float(y[k]) for k in np.flatnonzero(y)},
        )
        return val, (x, pay), rec

    sweep = sweep_pyomo_lps(
        A.max(axis=0),
        prune=prune,
        build=lambda j: build_lp(game, j),
        on_optimal=on_optimal,
        on_infeasible=lambda j: infeasible_record(A, B, caps, inc.cost_weight, j, follower_tol),
        record=ActionRecord,
        lp_name=lambda j: f"the incentive LP for follower action '{game.follower_actions[j]}'",
    )
    return _outcome(
        sweep.best,
        sweep.best_payload,
        sweep.records,
        sweep.stats(dominated=True),
        caps=caps,
        vmax=inc.max,
        per_action=per_action,
    )


def _outcome(
    best: int | None,
    payload: tuple[np.ndarray, np.ndarray] | None,
    records: dict[int, ActionRecord],
    stats: dict[str, Any],
    *,
    caps: np.ndarray,
    vmax: float,
    per_action: bool,
) -> IncentiveLPsOutcome:
    """The outcome of either engine from the best LP's ``(x, payment)``: the commitment
    clipped at 0 and renormalised onto the simplex, the payment clipped into its bounds
    (:math:`[0, \bar v x_a]` per action, :math:`[0, U_j]` uniform) to remove solver noise."""
    x_out: np.ndarray | None = None
    pay_out: np.ndarray | None = None
    if payload is not None and best is not None:
        best_x, best_pay = payload
        x_out = np.clip(best_x, 0.0, None)
        x_out = x_out / x_out.sum()
        pay_out = np.clip(best_pay, 0.0, None)
        pay_out = np.minimum(pay_out, vmax * x_out if per_action else caps[best])
    return IncentiveLPsOutcome(
        best=best, commitment=x_out, payment=pay_out, records=records, stats=stats
    )


def _multipliers(
    A: np.ndarray,
    B: np.ndarray,
    cap: float,
    cost_weight: float,
    j: int,
    active: list[int],
    row_dual: np.ndarray,
    to_original: float,
    target: float,
) -> np.ndarray:
    """Multipliers ``y >= 0`` (original units) from the duals of the best-response rows.

    HiGHS's sign convention for ``<=`` rows of a maximisation is tried first and the other
    sign when it does not reproduce ``target``; any ``y >= 0`` gives a valid bound, so the
    choice can only make a certificate loose, never wrong.
    """
    n = B.shape[1]
    duals = np.zeros(n)
    if active:
        duals[np.asarray(active)] = row_dual[: len(active)]
    duals[j] = 0.0
    return _signed_multipliers(
        A, B, cap, cost_weight, j, duals * to_original, target + 1e-9 * max(1.0, abs(target))
    )


def _signed_multipliers(
    A: np.ndarray,
    B: np.ndarray,
    cap: float,
    cost_weight: float,
    j: int,
    duals: np.ndarray,
    target: float,
) -> np.ndarray:
    """``y = max(0, duals)`` if its bound (:func:`dual_bound`) is at most ``target`` (HiGHS's
    sign convention for ``<=`` rows of a maximisation), else ``max(0, -duals)`` if that one's
    is; otherwise the ``y`` with the smaller bound. Any ``y >= 0`` gives a valid bound, so the
    choice can only make a certificate loose, never wrong."""
    best_y, best_b = np.zeros_like(duals), np.inf
    for sign in (1.0, -1.0):
        y = np.clip(sign * duals, 0.0, None)
        b = dual_bound(A, B, cap, cost_weight, j, y)
        if b < best_b:
            best_y, best_b = y, b
        if b <= target:
            return y
    return best_y


def infeasible_record(
    A: np.ndarray, B: np.ndarray, caps: np.ndarray, cost_weight: float, j: int, tol: float
) -> ActionRecord:
    r"""Certify that no commitment and no affordable incentive induces ``j``.

    Solves :math:`\max \delta` s.t. :math:`\sum_{k \ne j} z_k B_{ik} - B_{ij} \ge \delta`,
    :math:`z \in \Delta`: when :math:`\delta > U_j` + ``tol`` the mixture ``z`` is the
    certificate. Otherwise (a margin too thin to certify) the multipliers of the LP relaxed by
    ``tol`` give a valid duality bound instead.
    """
    found = dominating_mixture(B, j)
    if found is not None and found[0] > caps[j] + tol:
        return ActionRecord("infeasible", margin=found[0], dominated_by=found[1])
    y = _relaxed_multipliers(A, B, caps[j], cost_weight, j, tol)
    if y is not None:
        return ActionRecord(
            "infeasible",
            bound=dual_bound(A, B, caps[j], cost_weight, j, y),
            multipliers=nonzero_entries(y),
        )
    return ActionRecord("infeasible", bound=float(A[:, j].max()))


def _relaxed_multipliers(
    A: np.ndarray, B: np.ndarray, cap: float, cost_weight: float, j: int, tol: float
) -> np.ndarray | None:
    r"""Multipliers from LP(j) with every best-response row relaxed by ``tol``:
    :math:`B_{\cdot k}^\top x - B_{\cdot j}^\top x - v \le tol`, :math:`0 \le v \le U_j`.
    Weak duality makes its duals a valid bound on the exact LP(j)."""
    import highspy

    m, n = B.shape
    others = [k for k in range(n) if k != j]
    h = new_highs(threads=1)
    inf = highspy.kHighsInf
    for _ in range(m):
        h.addVar(0.0, 1.0)
    h.addVar(0.0, cap)
    h.changeColsCost(m + 1, np.arange(m + 1, dtype=np.int32), np.r_[A[:, j], -cost_weight])
    idx = np.arange(m + 1, dtype=np.int32)
    for k in others:
        h.addRow(-inf, tol, m + 1, idx, np.r_[B[:, k] - B[:, j], -1.0])
    h.addRow(1.0, 1.0, m, np.arange(m, dtype=np.int32), np.ones(m))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    run_once(h)
    if model_status_name(h) != "optimal":
        return None
    duals = np.zeros(n)
    duals[others] = np.asarray(h.getSolution().row_dual, dtype=float)[: len(others)]
    val = float(h.getInfo().objective_function_value)
    return _signed_multipliers(
        A, B, cap, cost_weight, j, duals, val + 1e-9 * max(1.0, abs(val)) + tol
    )
