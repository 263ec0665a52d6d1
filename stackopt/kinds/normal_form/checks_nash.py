r"""Certificates for Nash equilibria of the simultaneous (bimatrix) game.

For a profile :math:`(x, y)` of the game ``(A, B)`` and absolute tolerances
:math:`\varepsilon_1 = r\,s_A`, :math:`\varepsilon_2 = r\,s_B` (:math:`r` the relative
tolerance, :math:`s` the largest absolute payoff of each player) the checks are:

``leader_strategy`` / ``follower_strategy``
    :math:`x` and :math:`y` are probability vectors within :math:`r`.
``leader_best_response``
    :math:`\max_i (Ay)_i - x^\top A y \le \varepsilon_1` (no row deviation gains more).
``follower_best_response``
    :math:`\max_j (x^\top B)_j - x^\top B y \le \varepsilon_2`.
``leader_value`` / ``follower_value``
    the reported payoffs equal :math:`x^\top A y` and :math:`x^\top B y`.
``optimality`` (only for results of the best/worst-equilibrium MILP; ``objective_bound`` before 0.2)
    the MILP's proven bound is within :math:`\varepsilon_1` of the reported value. This bound
    is *reported by HiGHS* (branch and bound with ``mip_rel_gap = 0``); it cannot be re-checked
    from the game alone. :func:`stackopt.kinds.normal_form.nash.all_nash_equilibria` gives an
    independent, exact check on small games.

The first six checks prove that :math:`(x, y)` is an :math:`\varepsilon`-Nash equilibrium
(a mixed strategy is a best response iff no pure deviation gains).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from stackopt.certificate import Certificate, Check
from stackopt.checks.common import distribution_check, value_check
from stackopt.errors import InputError
from stackopt.kinds.normal_form.checks import DEFAULT_RTOL, commitment_vector, tolerances
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.vocabulary import OPTIMALITY, milp_bound, upgrade_evidence


def strategy_vector(labels: tuple[str, ...], strategy: Mapping[str, Any], field: str) -> np.ndarray:
    """A mapping label -> probability as a vector over ``labels`` (missing labels are 0)."""
    if not isinstance(strategy, Mapping):
        raise InputError(
            f"must map action labels to probabilities, got {strategy!r}",
            field=field,
            fix='write e.g. {"left": 0.5, "right": 0.5}',
        )
    index = {lab: k for k, lab in enumerate(labels)}
    v = np.zeros(len(labels))
    for lab, p in strategy.items():
        if str(lab) not in index:
            raise InputError(
                f"unknown action {lab!r}",
                field=field,
                fix="choose from " + ", ".join(map(repr, labels)),
            )
        try:
            v[index[str(lab)]] = float(p)
        except (TypeError, ValueError):
            raise InputError(
                f"probability {p!r} is not a number", field=f"{field}.{lab}", fix="write a number"
            ) from None
    if not np.all(np.isfinite(v)):
        raise InputError("non-finite probability", field=field, fix="write finite numbers")
    return v


def certify_nash(
    game: NormalFormGame,
    leader_strategy: Mapping[str, Any],
    follower_strategy: Mapping[str, Any],
    leader_value: float | None,
    follower_value: float | None,
    evidence: Mapping[str, Any] | None = None,
    *,
    rtol: float = DEFAULT_RTOL,
) -> Certificate:
    """Check that ``(leader_strategy, follower_strategy)`` is a Nash equilibrium of ``game``.

    See the module docstring for the checks. ``evidence`` may hold ``milp_bound`` (``bound``
    and ``objective`` ``best``/``worst``) from the MILP, which adds the ``optimality`` check.
    """
    atol1, atol2 = tolerances(game, rtol)
    A, B = game.A, game.B
    x = commitment_vector(game, leader_strategy)
    y = strategy_vector(game.follower_actions, follower_strategy, "follower.response")
    checks: list[Check] = []
    for name, v in (("leader_strategy", x), ("follower_strategy", y)):
        checks.append(distribution_check(v, rtol, name=name, over=""))
    Ay, xB = A @ y, x @ B
    v1, v2 = float(x @ Ay), float(xB @ y)
    gap1, gap2 = float(Ay.max() - v1), float(xB.max() - v2)
    checks.append(
        Check(
            "leader_best_response",
            gap1 <= atol1,
            gap1,
            atol1,
            f"{game.leader_name}'s strategy is a best response"
            if gap1 <= atol1
            else f"{game.leader_name} gains {gap1:.3g} by deviating to "
            f"'{game.leader_actions[int(Ay.argmax())]}'",
        )
    )
    checks.append(
        Check(
            "follower_best_response",
            gap2 <= atol2,
            gap2,
            atol2,
            f"{game.follower_name}'s strategy is a best response"
            if gap2 <= atol2
            else f"{game.follower_name} gains {gap2:.3g} by deviating to "
            f"'{game.follower_actions[int(xB.argmax())]}'",
        )
    )
    checks.append(value_check("leader_value", leader_value, v1, atol1, source="the profile"))
    checks.append(value_check("follower_value", follower_value, v2, atol2, source="the profile"))
    ev = upgrade_evidence(evidence or {})
    rec = milp_bound(ev)
    if rec is not None:
        bound: Any = rec.get("bound")
        try:
            gap = abs(float(bound) - v1)
        except (TypeError, ValueError):
            gap = float("inf")
        ok = gap <= atol1
        which = rec.get("objective", "best")
        checks.append(
            Check(
                OPTIMALITY,
                ok,
                gap,
                atol1,
                f"HiGHS proved no equilibrium gives {game.leader_name} "
                f"{'more' if which == 'best' else 'less'} (bound {bound}; "
                f"solver-reported, not re-checkable from the game)"
                if ok
                else f"the MILP bound {bound} is {gap:.3g} away from the value",
            )
        )
    return Certificate(
        checks=tuple(checks), rtol=rtol, atol=max(atol1, atol2), scale=game.scale, evidence=ev
    )
