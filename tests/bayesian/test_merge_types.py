"""Identical follower types merged exactly: the merged DOBSS answer equals the unmerged
answer (Harsanyi multiple LPs and brute-force profile enumeration on the original game)."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from stackopt.kinds.bayesian.game import BayesianGame, FollowerType
from stackopt.kinds.bayesian.merge import merge_identical_types
from stackopt.kinds.bayesian.solve import solve_bayesian, verify_bayesian
from stackopt.status import Status
from stackopt.testing.oracles.bayesian import profile_enumeration


def _game_with_repeats(rng, m: int, distinct: int, copies: list[int], mode: str = "types"):
    base = [
        (np.round(rng.uniform(-10, 10, (m, n)), 2), np.round(rng.uniform(-10, 10, (m, n)), 2))
        for n in rng.integers(2, 4, size=distinct)
    ]
    R, C, w = [], [], []
    for d, c in enumerate(copies):
        for _ in range(c):
            R.append(base[d][0].copy())
            C.append(base[d][1].copy())
            w.append(float(rng.uniform(0.1, 1.0)))
    order = rng.permutation(len(R))
    R, C, w = [R[k] for k in order], [C[k] for k in order], np.array([w[k] for k in order])
    if mode == "types":
        w = w / w.sum()
    return BayesianGame.from_matrices(R, C, list(w), mode=mode), R, C, list(w)


def test_merge_groups_and_priors():
    rng = np.random.default_rng(0)
    game, *_ = _game_with_repeats(rng, 3, 2, [3, 2])
    mt = merge_identical_types(game)
    assert len(mt.game.types) == 2 and mt.merged == 3
    assert sum(t.prior for t in mt.game.types) == pytest.approx(1.0)
    for l, t in enumerate(game.types):
        rep = mt.game.types[mt.group_of[l]]
        assert np.array_equal(rep.R, t.R) and np.array_equal(rep.C, t.C)
    # different labels or one bit of difference: not merged
    t0 = game.types[0]
    other = FollowerType(
        "z",
        t0.prior,
        t0.R,
        t0.C + np.where(np.arange(t0.C.size).reshape(t0.C.shape) == 0, 1e-12, 0.0),
        t0.actions,
    )
    g2 = BayesianGame(game.leader_actions, (t0, other), mode="followers")
    assert merge_identical_types(g2).merged == 0


@pytest.mark.parametrize("seed", range(8))
def test_merged_dobss_equals_unmerged_oracles(seed):
    rng = np.random.default_rng(100 + seed)
    mode = "types" if seed % 2 == 0 else "followers"
    game, R, C, w = _game_with_repeats(
        rng, int(rng.integers(2, 4)), 2, [int(rng.integers(1, 3)), int(rng.integers(2, 4))], mode
    )
    ref, _, _ = profile_enumeration(R, C, w)  # brute force over the ORIGINAL types
    res = solve_bayesian(game)
    assert res.status is Status.OPTIMAL and res.certified, res.certificate.summary()
    assert res.stats["types_merged"] > 0
    tol = 1e-6 * game.leader_scale * (1 if mode == "types" else sum(w))
    assert res.leader.value == pytest.approx(ref, abs=tol)
    har = solve_bayesian(game, method="harsanyi")  # unmerged: the Harsanyi game of all types
    assert har.leader.value == pytest.approx(res.leader.value, abs=tol)
    assert set(res.follower.response) == set(game.type_names)
    assert verify_bayesian(game, res).passed


@pytest.mark.slow
def test_many_identical_types_fast():
    """Issue 13: 250 identical types took 117 s; merged they are one type."""
    count = 250 if os.environ.get("STACKOPT_SLOW_FULL") else 60
    rng = np.random.default_rng(7)
    R = np.round(rng.uniform(-10, 10, (5, 4)), 2)
    C = np.round(rng.uniform(-10, 10, (5, 4)), 2)
    game = BayesianGame.from_matrices([R] * count, [C] * count, [1.0 / count] * count)
    t = time.perf_counter()
    res = solve_bayesian(game)
    assert time.perf_counter() - t < 30
    assert res.certified and res.stats["types_merged"] == count - 1
    one = solve_bayesian(BayesianGame.from_matrices([R], [C], [1.0]))
    assert res.leader.value == pytest.approx(one.leader.value, abs=1e-6 * game.leader_scale)
