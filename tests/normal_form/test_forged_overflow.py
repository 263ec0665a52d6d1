"""Forged weak-equilibrium (adversarial ties) results whose evidence overflows are refused.

Finite multipliers of 1e308 times payoff differences of +2 and -2 give ``inf + -inf = NaN`` in
a class bound (:func:`stackopt.engines.weak_sse.class_bound`); the ``supremum`` check kept the
largest class bound with ``b > worst``, which skips NaN, so a commitment worth 1 was certified
as attaining the supremum although class 'a' reaches 4 (approached as the leader's ``U``
probability falls to 1/3). Passed on 9934c2a and on 2bbde40.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

import stackopt
from stackopt.kinds.normal_form.game import NormalFormGame

GAME = NormalFormGame(
    np.array([[0.0, 0.0, 0.0], [6.0, 1.0, 0.0]]),
    np.array([[2.0, 0.0, 4.0], [2.0, 3.0, -1.0]]),
    leader_actions=("U", "D"),
    follower_actions=("a", "b", "c"),
    name="forged_overflow",
)


def _class(label: str, bound: float, multipliers: dict[str, float]) -> dict[str, Any]:
    return {
        "outcome": "optimal" if multipliers else "pruned",
        "members": [label],
        "bound": bound,
        "weights": {label: 1.0},
        "multipliers": multipliers,
    }


FORGED: dict[str, Any] = {
    "kind": "normal_form",
    "game": "forged_overflow",
    "status": "optimal",
    "method": "weak_multiple_lps",
    "leader": {"name": "leader", "commitment": {"U": 0.0, "D": 1.0}, "value": 1.0},
    "follower": {"name": "follower", "response": "b", "value": 3.0},
    "certificate": {
        "passed": True,
        "tie_break": "adversarial",
        "checks": [],
        "evidence": {
            "supremum": 1.0,
            "attained": True,
            "epsilon": 0.001,
            "epsilon_abs": 0.003,
            "strict": {"commitment": {"U": 0.0, "D": 1.0}, "response": "b", "value": 1.0},
            "classes": {
                "a": _class("a", 1.0, {"b": 1e308, "c": 1e308}),
                "b": _class("b", 1.0, {}),
                "c": _class("c", 0.0, {}),
            },
        },
    },
    "options": {"tie_break": "adversarial", "rtol": 1e-6, "epsilon": 0.001},
}


def test_the_supremum_is_four_not_one() -> None:
    # independent closed form: 'a' is the unique best response iff 1/3 < P(U) < 3/5, where the
    # leader gets 6 (1 - P(U)) -> 4 as P(U) -> 1/3
    p = np.linspace(0.0, 1.0, 30001)
    fu = np.outer(p, GAME.B[0]) + np.outer(1 - p, GAME.B[1])
    unique_a = (fu[:, 0] > fu[:, 1]) & (fu[:, 0] > fu[:, 2])
    assert (6 * (1 - p[unique_a])).max() == pytest.approx(4.0, abs=1e-3)
    assert stackopt.solve(GAME, tie_break="adversarial").certificate.evidence[
        "supremum"
    ] == pytest.approx(4.0)


def test_an_overflowing_class_record_fails_the_supremum_check() -> None:
    cert = stackopt.verify(GAME, copy.deepcopy(FORGED))
    assert not cert.passed
    sup = cert.check("supremum")
    assert not sup.passed and "'a'" in sup.detail


def test_the_forged_answer_passes_with_a_finite_record_only_if_it_is_true() -> None:
    # control: the same file with a finite (honest, weak) record for 'a' fails on its bound
    forged = copy.deepcopy(FORGED)
    forged["certificate"]["evidence"]["classes"]["a"] = _class("a", 6.0, {})
    sup = stackopt.verify(GAME, forged).check("supremum")
    assert not sup.passed and "class 'a' is only bounded by 6" in sup.detail
