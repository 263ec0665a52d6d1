"""Invariances of Bayesian solves: type order, payoff scaling/shifts, API dispatch."""

from __future__ import annotations

import numpy as np
import pytest

import stackopt
from stackopt.kinds.bayesian.game import BayesianGame

from .test_solve import random_game


def test_type_order_and_scaling_do_not_matter():
    rng = np.random.default_rng(77)
    game, R, C, w = random_game(rng, 3, (2, 3, 2))
    base = stackopt.solve(game)
    assert base.certified
    perm = [2, 0, 1]
    g2 = BayesianGame.from_matrices(
        [R[k] for k in perm],
        [C[k] for k in perm],
        [w[k] for k in perm],
        type_names=[f"t{k}" for k in perm],
    )
    r2 = stackopt.solve(g2)
    assert r2.leader.value == pytest.approx(base.leader.value, abs=1e-6 * 10)
    assert r2.follower.response == base.follower.response
    # leader payoffs x 1000 scale the value; follower payoffs x 0.01 + 7 change nothing else
    g3 = BayesianGame.from_matrices([1000 * r for r in R], [0.01 * c + 7 for c in C], w)
    r3 = stackopt.solve(g3)
    assert r3.certified
    assert r3.leader.value == pytest.approx(1000 * base.leader.value, abs=1e-6 * 1e4)


@pytest.mark.slow
def test_dobss_vs_harsanyi_larger():
    rng = np.random.default_rng(2024)
    for _ in range(3):
        game, *_ = random_game(rng, 5, (4, 4, 4, 4))
        d = stackopt.solve(game)
        h = stackopt.solve(game, method="harsanyi")
        assert d.certified and h.certified
        assert d.leader.value == pytest.approx(h.leader.value, abs=1e-6 * 10)


def test_dobss_vs_harsanyi_small_variant():
    rng = np.random.default_rng(2025)
    game, *_ = random_game(rng, 4, (3, 3, 3))
    d = stackopt.solve(game)
    h = stackopt.solve(game, method="harsanyi")
    assert d.certified and h.certified
    assert d.leader.value == pytest.approx(h.leader.value, abs=1e-6 * 10)
    assert stackopt.verify(game, d.to_dict()).passed
    assert stackopt.verify(game, h.to_dict()).passed
