"""A forged incentive result whose optimality evidence overflows is refused.

Two finite multipliers of 1e308 sum to ``inf``; against a zero follower payoff the dual bound
(:func:`stackopt.formulations.incentive_lps.dual_bound`) is ``0 * inf = NaN``, and the shared
optimality check used to skip a NaN bound (``NaN > worst`` is false), so a suboptimal answer
(value -1.5; paying the firm for ``safe`` gets the regulator -1) was certified. Passed on
9934c2a and on 2bbde40.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

import stackopt
from stackopt.kinds.incentive.checks import record_bound
from stackopt.kinds.incentive.game import IncentiveGame

GAME = """\
kind: incentive
name: forged_overflow
leader: {name: regulator, actions: [inspect, trust]}
follower: {name: firm, actions: [safe, cut_corners, quit]}
payoffs:
  leader: [[-3, -5, -10], [0, -4, -10]]
  follower: [[0, -1, -10], [0, 1, -10]]
incentives:
  max: 1
  cost_weight: 1
  actions: [safe]
"""

#: Without incentives (value -1.5, not the optimum -1), with an overflowing record for 'safe'.
FORGED: dict[str, Any] = {
    "kind": "incentive",
    "game": "forged_overflow",
    "status": "optimal",
    "method": "incentive_lps",
    "leader": {
        "name": "regulator",
        "commitment": {"inspect": 0.5, "trust": 0.5},
        "value": -1.5,
        "incentives": {},
        "payment": 0.0,
    },
    "follower": {"name": "firm", "response": "safe", "value": 0.0},
    "certificate": {
        "passed": True,
        "checks": [],
        "evidence": {
            "bounds": {
                "safe": {"bound": -1.5, "multipliers": {"cut_corners": 1e308, "quit": 1e308}},
                "cut_corners": {"bound": -4.0, "multipliers": {}},
                "quit": {"bound": -10.0, "multipliers": {}},
            }
        },
    },
    "options": {"method": "incentive_lps"},
}


@pytest.fixture(scope="module")
def game(tmp_path_factory: pytest.TempPathFactory) -> IncentiveGame:
    path = tmp_path_factory.mktemp("forged") / "game.yaml"
    path.write_text(GAME)
    g = stackopt.load_game(path)
    assert isinstance(g, IncentiveGame)
    return g


def test_the_game_is_worth_more_than_the_forged_value(game: IncentiveGame) -> None:
    # independent: pay 1 for 'safe' and always trust -> the firm is indifferent, the tie goes
    # to the regulator: 0 - 1 = -1 > -1.5
    assert stackopt.solve(game).leader.value == pytest.approx(-1.0)


def test_an_overflowing_record_fails_the_optimality_check(game: IncentiveGame) -> None:
    cert = stackopt.verify(game, copy.deepcopy(FORGED))
    assert not cert.passed
    opt = cert.check("optimality")
    assert not opt.passed and "'safe'" in opt.detail


def test_the_same_record_with_finite_sums_still_passes(game: IncentiveGame) -> None:
    # control: the answer is certified with the solver's own evidence, so only the overflowing
    # record makes the difference
    honest = stackopt.solve(game).to_dict()
    assert stackopt.verify(game, honest).passed


@pytest.mark.parametrize(
    "mult",
    [
        {"cut_corners": 1e308, "quit": 1e308},  # sum inf, 0 * inf = NaN
        {"cut_corners": 1.7e308},  # finite: an honest (huge) bound, no refusal
    ],
)
def test_record_bound_is_never_nan(game: IncentiveGame, mult: dict[str, float]) -> None:
    try:
        b = record_bound(game, 0, {"multipliers": mult}, 1e-6)
    except ValueError as exc:
        assert "no finite bound" in str(exc)
    else:
        assert not np.isnan(b) and b > -np.inf
