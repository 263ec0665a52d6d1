"""The degeneracy options of the hypothesis strategies hold together: asking for two of them
gives both (a tie and a dominated action; a tie in a zero-sum security game)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from stackopt.testing.strategies import bayesian_games, normal_form_games, security_games

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _has_tie(A: np.ndarray, B: np.ndarray) -> bool:
    """Two follower actions the follower is indifferent between, which the leader is not."""
    n = B.shape[1]
    return any(
        np.array_equal(B[:, j], B[:, k]) and not np.array_equal(A[:, j], A[:, k])
        for j in range(n)
        for k in range(j + 1, n)
    )


def _has_dominated(B: np.ndarray) -> bool:
    n = B.shape[1]
    return any(np.all(B[:, k] < B[:, j]) for j in range(n) for k in range(n) if j != k)


@FAST
@given(normal_form_games(ties=True, dominated=True, integer=True, max_follower_actions=2))
def test_normal_form_tie_survives_a_dominated_action(game):
    assert game.B.shape[1] >= 3
    assert _has_tie(game.A, game.B)
    assert _has_dominated(game.B)


@FAST
@given(bayesian_games(ties=True, dominated=True, integer=True, max_follower_actions=2))
def test_bayesian_every_type_has_its_tie_and_its_dominated_action(game):
    for t in game.types:
        assert _has_tie(t.leader_payoffs, t.follower_payoffs)
        assert _has_dominated(t.follower_payoffs)


@FAST
@given(security_games(ties=True, zero_sum=True, max_types=2, integer=True))
def test_security_ties_keep_the_game_zero_sum(game):
    assert np.array_equal(game.attacker_covered, -game.defender_covered)
    assert np.array_equal(game.attacker_uncovered, -game.defender_uncovered)
    if len(game.targets) >= 2:
        assert np.array_equal(game.attacker_covered[:, 1], game.attacker_covered[:, 0])
        assert np.array_equal(game.attacker_uncovered[:, 1], game.attacker_uncovered[:, 0])


def test_a_payoff_range_without_whole_numbers_is_refused_clearly():
    @given(normal_form_games(integer=True, payoff_range=(0.5, 0.7)))
    def draw(game):  # pragma: no cover - never reached
        raise AssertionError

    with pytest.raises(ValueError, match=r"payoff_range \(0.5, 0.7\) holds no whole number"):
        draw()
