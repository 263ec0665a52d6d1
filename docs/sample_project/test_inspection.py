"""A user's tests of their own policy code with stackopt's pytest plugin and helpers.

The plugin (installed with stackopt) provides the ``stackopt_game`` and ``stackopt_solve``
fixtures and the ``stackopt_exact`` marker; the helpers raise AssertionError messages that say
which condition failed, by how much, the tolerance and the better choice.
"""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from my_policy import best_response, inspection_policy

from stackopt.testing import (
    assert_best_response,
    assert_stackelberg_equilibrium,
    assert_values_close,
)
from stackopt.testing.strategies import commitments, normal_form_games


@pytest.fixture
def game(stackopt_game):
    return stackopt_game("inspection.yaml")  # relative to this file; loaded once per session


@pytest.mark.stackopt_exact
def test_policy_is_a_strong_stackelberg_equilibrium(game):
    x, response, value = inspection_policy()
    assert_stackelberg_equilibrium(game, x, response, leader_value=value)


def test_policy_value_is_minus_5_14(game):
    x, response, value = inspection_policy()
    result = {"leader": {"commitment": x, "value": value}, "follower": {"response": response}}
    assert_values_close(result, {"leader_value": Fraction(-5, 14)})


def test_policy_agrees_with_stackopt(game, stackopt_solve):
    x, response, value = inspection_policy()
    mine = {"leader": {"commitment": x, "value": value}, "follower": {"response": response}}
    assert_values_close(mine, stackopt_solve(game), rtol=1e-6)  # solved once per session


@settings(max_examples=40, deadline=None, database=None)
@given(normal_form_games(ties=True, integer=True, payoff_range=(-3, 3)), st.data())
def test_simulated_follower_best_responds(game, data):
    x = data.draw(commitments(game))
    j = best_response(game.A, game.B, list(x.values()))
    assert_best_response(game, x, j)
