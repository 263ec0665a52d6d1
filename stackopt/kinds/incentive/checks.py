r"""Certificates for incentive-game results (paper section 4.1).

Given the game :math:`(A, B)` with incentive options (bound :math:`\bar v`, cost weight
:math:`c`, budget :math:`\beta`, payable actions :math:`P`, contract), a commitment :math:`x`,
incentives (uniform :math:`v_k`, or per-action :math:`v_{ak}`), a response :math:`j` and the
solver's evidence, these checks establish, within :math:`\varepsilon_L = r\,s_L` and
:math:`\varepsilon_F = r\,s_F` (:math:`r` the relative tolerance; :math:`s_L`, :math:`s_F` the
largest absolute payoff of each player, payments included):

``commitment``
    :math:`x` is a probability distribution (within :math:`r`).
``incentives``
    every stated incentive is a finite number in :math:`[0, \bar v]` (within
    :math:`\varepsilon_F`), only payable actions are paid, and the expected payment
    :math:`t_j` respects the budget.
``best_response``
    with the expected transfers :math:`t_k = \sum_a x_a v_{ak}` (:math:`= v_k` uniform):
    :math:`\max_k (x^\top B_{\cdot k} + t_k) - (x^\top B_{\cdot j} + t_j) \le \varepsilon_F`.
``tie_break``
    among the follower's near-best responses none gives the leader, net of payments
    (:math:`x^\top A_{\cdot k} - c\,t_k`), more than the response does.
``leader_value`` / ``follower_value`` / ``payment``
    the reported values equal :math:`x^\top A_{\cdot j} - c\,t_j`,
    :math:`x^\top B_{\cdot j} + t_j` and :math:`t_j`.
``optimality``
    for every follower action :math:`k` one record: multipliers :math:`y \ge 0` whose bound
    :math:`\max_i (A_{ik} + \sum_{l \ne k} y_l (B_{ik} - B_{il})) + U_k \max(0, \sum_l y_l -
    c)` (:func:`stackopt.formulations.incentive_lps.dual_bound`, recomputed here) is at most
    the value plus :math:`\varepsilon_L`, or a mixture :math:`z` of other actions with margin
    :math:`\min_i ((Bz)_i - B_{ik}) > U_k + \varepsilon_F` (no affordable incentive induces
    :math:`k`). For pure commitments, every pure commitment is re-evaluated in closed form
    instead (minimal payment :math:`\max_l B_{il} - B_{ik}` on :math:`k`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from stackopt.certificate import Certificate, Check
from stackopt.checks.common import (
    NO_BOUNDS,
    bounds_check,
    distribution_check,
    domination_margin,
    game_certificate,
    player_tolerances,
    probability_vector,
    pure_optimality_check,
    record_weight,
    response_checks,
    value_check,
)
from stackopt.errors import InputError
from stackopt.formulations.incentive_lps import dual_bound
from stackopt.kinds.incentive.game import IncentiveGame
from stackopt.kinds.registry import DEFAULT_RTOL

#: Absolute tolerances (leader, follower) of an incentive game for relative tolerance ``rtol``.
tolerances = player_tolerances


def _amount(v: Any, field: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise InputError(f"incentive {v!r} is not a number", field=field, fix="write a number >= 0")
    f = float(v)
    if not math.isfinite(f):
        raise InputError(
            f"incentive {v!r} is not finite", field=field, fix="write a finite number >= 0"
        )
    return f


def incentive_matrix(game: IncentiveGame, incentives: Any) -> np.ndarray:
    """The stated incentives as an ``m x n`` matrix ``V[a, k]`` (uniform: the same row for
    every leader action); unknown labels, non-numbers and non-finite numbers are refused with
    an :class:`InputError` naming the field."""
    m, n = game.shape
    V = np.zeros((m, n))
    if incentives is None:
        return V
    if not isinstance(incentives, Mapping):
        raise InputError(
            "must map labels to amounts",
            field="leader.incentives",
            fix="write the incentives stackopt solve wrote",
        )
    per_action = game.incentives.contract == "per_action"
    for key, val in incentives.items():
        if per_action:
            a = _label(game.leader_index, key, "leader.incentives")
            if not isinstance(val, Mapping):
                raise InputError(
                    f"per-action incentives of {key!r} must map follower actions to amounts",
                    field=f"leader.incentives.{key}",
                    fix="write {leader action: {follower action: amount}}",
                )
            for k_lab, amt in val.items():
                k = _label(game.follower_index, k_lab, f"leader.incentives.{key}")
                V[a, k] = _amount(amt, f"leader.incentives.{key}.{k_lab}")
        else:
            k = _label(game.follower_index, key, "leader.incentives")
            V[:, k] = _amount(val, f"leader.incentives.{key}")
    return V


def _label(index_of: Any, label: Any, field: str) -> int:
    try:
        return index_of(str(label))
    except InputError as exc:
        raise InputError(exc.message, field=f"{field}.{label}", fix=exc.fix) from None


def pure_table(game: IncentiveGame, atol_f: float) -> tuple[np.ndarray, np.ndarray]:
    r"""For each pure commitment :math:`i`: the best induced action and the leader's value.

    Inducing :math:`k` from row :math:`i` costs the minimal payment
    :math:`p_{ik} = \max_l B_{il} - B_{ik}` (closed form), affordable when
    :math:`p_{ik} \le U_k`; the leader gets :math:`A_{ik} - c\,p_{ik}`.
    """
    A, B = game.A, game.B
    p = B.max(axis=1, keepdims=True) - B
    p = np.where(p <= atol_f, 0.0, p)
    ok = p <= game.caps[None, :] + atol_f
    vals = np.where(ok, A - game.incentives.cost_weight * p, -np.inf)
    return vals.argmax(axis=1), vals.max(axis=1)


def certify(
    game: IncentiveGame,
    commitment: Mapping[str, Any],
    incentives: Any,
    response: str,
    leader_value: float | None,
    follower_value: float | None,
    payment: Any,
    evidence: Mapping[str, Any] | None,
    *,
    rtol: float = DEFAULT_RTOL,
    pure: bool = False,
) -> Certificate:
    """Check a result against ``game``; see the module docstring."""
    atol_l, atol_f = tolerances(game, rtol)
    x = probability_vector(game.shape[0], game.leader_index, commitment)
    j = game.follower_index(str(response))
    V = incentive_matrix(game, incentives)
    t = x @ V  # expected transfer per follower action
    checks = [distribution_check(x, rtol, pure=pure), _incentives_check(game, V, t[j], atol_f)]

    fu = x @ game.B + t
    lu = x @ game.A - game.incentives.cost_weight * t
    checks += response_checks(
        fu, lu, j, response, leader_value, follower_value, atol_l, atol_f, game.follower_actions
    )
    if payment is not None and (
        isinstance(payment, bool)
        or not isinstance(payment, (int, float))
        or not math.isfinite(float(payment))
    ):
        raise InputError(
            f"the payment must be a finite number, got {payment!r}",
            field="leader.payment",
            fix="write a number or omit it",
        )
    checks.append(value_check("payment", payment, float(t[j]), atol_f))
    checks.append(_optimality(game, float(lu[j]), evidence, atol_l, atol_f, pure))
    return game_certificate(game, checks, rtol=rtol, atol=max(atol_l, atol_f), evidence=evidence)


def _incentives_check(game: IncentiveGame, V: np.ndarray, paid: float, atol_f: float) -> Check:
    inc = game.incentives
    worst = 0.0
    why = ""
    lo = float(V.min(initial=0.0))
    if lo < -atol_f:
        worst, why = -lo, f"negative incentive {lo:.6g}"
    hi = float(V.max(initial=0.0))
    if hi - inc.max > worst and hi > inc.max + atol_f:
        worst, why = hi - inc.max, f"incentive {hi:.6g} above the bound {inc.max:g}"
    unpaid = ~game.payable
    if unpaid.any():
        off = float(np.abs(V[:, unpaid]).max())
        if off > atol_f and off > worst:
            bad = game.follower_actions[
                int(np.flatnonzero(unpaid)[int(np.abs(V[:, unpaid]).max(axis=0).argmax())])
            ]
            worst, why = off, f"action '{bad}' may not be paid but carries {off:.6g}"
    if inc.budget is not None and (
        math.isnan(paid)  # x @ V = inf - inf at huge commitments: no payment to compare
        or (paid - inc.budget > worst and paid > inc.budget + atol_f)
    ):
        worst, why = (
            paid - inc.budget,
            f"expected payment {paid:.6g} above the budget {inc.budget:g}",
        )
    ok = not why
    return Check(
        "incentives",
        ok,
        worst,
        atol_f,
        f"within [0, {inc.max:g}]"
        + (f", budget {inc.budget:g}" if inc.budget is not None else "")
        + f", {inc.contract}"
        if ok
        else why,
    )


def _optimality(
    game: IncentiveGame,
    value: float,
    evidence: Mapping[str, Any] | None,
    atol_l: float,
    atol_f: float,
    pure: bool,
) -> Check:
    if pure:
        _, vals = pure_table(game, atol_f)
        return pure_optimality_check(
            game.leader_actions, vals, value, atol_l, "with minimal incentives (closed form)"
        )
    bounds = (evidence or {}).get("bounds")
    if not isinstance(bounds, Mapping):
        return Check("optimality", False, None, atol_l, NO_BOUNDS)
    return bounds_check(
        game.follower_actions,
        bounds,
        lambda k, rec: record_bound(game, k, rec, atol_f),
        value,
        atol_l,
        noun="follower action",
        subject="induced action",
        how="duality with incentives",
    )


def record_bound(game: IncentiveGame, k: int, rec: Mapping[str, Any], atol_f: float) -> float:
    """Recompute the bound a record proves for LP(k); ``-inf`` for a never-inducible action."""
    A, B = game.A, game.B
    cap = float(game.caps[k])
    if "dominated_by" in rec:
        margin = domination_margin(B, k, rec["dominated_by"], game.follower_index)
        if not margin > cap + atol_f:  # also refuses NaN
            raise ValueError(
                f"domination margin {margin:.6g} does not exceed the largest "
                f"payment {cap:.6g} by the tolerance {atol_f:.3g}"
            )
        return -np.inf
    mult = rec.get("multipliers") or {}
    if not isinstance(mult, Mapping):
        raise ValueError("multipliers must map follower actions to numbers")
    y = np.zeros(game.shape[1])
    for lab, w in mult.items():
        y[game.follower_index(str(lab))] = record_weight(w)
    if y.min() < 0:
        raise ValueError("multipliers must be non-negative")
    with np.errstate(over="ignore", invalid="ignore"):
        bound = dual_bound(A, B, cap, game.incentives.cost_weight, k, y)
    if not bound > -np.inf:  # NaN (inf - inf) or -inf: finite but huge multipliers overflowed
        raise ValueError("the multipliers give no finite bound (too large)")
    return bound
