"""Hypothesis invariants of the strong Stackelberg equilibrium (seeded, derandomised).

Every property compares stackopt with an independent fact: the game transformed (permuted,
scaled, shifted), the exact vertex oracle, brute force over pure commitments, Nash equilibria
from nashpy, or the certificate of a deliberately corrupted answer.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stackopt import NormalFormGame, solve_sse, verify
from stackopt.testing.oracles import (
    nash_leader_values,
    pure_commitment_values,
    sse_vertex_enumeration,
)

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def games(draw, max_m: int = 4, max_n: int = 4, integer: bool | None = None):
    """Small games; integer payoffs in [-4, 4] (many ties) or 3-decimal floats."""
    m = draw(st.integers(1, max_m))
    n = draw(st.integers(1, max_n))
    if integer is None:
        integer = draw(st.booleans())
    if integer:
        cell = st.integers(-4, 4)
    else:
        cell = st.integers(-10_000, 10_000).map(lambda v: v / 1000)
    A = np.array(
        draw(st.lists(st.lists(cell, min_size=n, max_size=n), min_size=m, max_size=m)), dtype=float
    )
    B = np.array(
        draw(st.lists(st.lists(cell, min_size=n, max_size=n), min_size=m, max_size=m)), dtype=float
    )
    return NormalFormGame(A, B)


def _tol(game: NormalFormGame) -> float:
    return 1e-8 * max(1.0, game.scale)


@SETTINGS
@given(games(), st.randoms(use_true_random=False))
def test_permuting_actions_changes_no_value(game, rnd):
    m, n = game.shape
    rows, cols = list(range(m)), list(range(n))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    perm = NormalFormGame(
        game.A[np.ix_(rows, cols)],
        game.B[np.ix_(rows, cols)],
        [game.leader_actions[i] for i in rows],
        [game.follower_actions[j] for j in cols],
    )
    a, b = solve_sse(game), solve_sse(perm)
    assert abs(a.leader.value - b.leader.value) <= _tol(game)
    # the permuted answer is still an SSE of the original game (labels travel with actions)
    assert verify(game, b.to_dict()).passed


@SETTINGS
@given(games())
def test_value_matches_exact_oracle_and_beats_every_pure_commitment(game):
    r = solve_sse(game)
    assert r.certified, r.certificate.summary()
    exact = sse_vertex_enumeration(game.A, game.B)
    assert abs(r.leader.value - float(exact.value)) <= _tol(game)
    pures = pure_commitment_values(game.A, game.B)
    assert r.leader.value >= float(max(pures)) - _tol(game)
    p = solve_sse(game, pure=True)
    assert abs(p.leader.value - float(max(pures))) <= _tol(game) and p.certified


@SETTINGS
@given(
    games(),
    st.integers(1, 50).map(lambda v: v / 10),
    st.integers(-20, 20),
    st.integers(1, 30).map(lambda v: v / 3),
    st.integers(-20, 20),
)
def test_affine_payoff_changes(game, c, d, cf, df):
    base = solve_sse(game).leader.value
    g = NormalFormGame(c * game.A + d, cf * game.B + df)
    r = solve_sse(g)
    assert r.certified
    # leader payoffs scale and shift; the follower's positive affine change alters nothing
    assert abs(r.leader.value - (c * base + d)) <= 1e-8 * max(1.0, g.scale)


@SETTINGS
@given(games(), st.sampled_from(["leader", "follower"]), st.booleans())
def test_every_certificate_passes_and_survives_json(game, leader, prune):
    r = solve_sse(game, leader=leader, prune=prune)
    assert r.certified
    assert verify(game, r.to_dict()).passed


def _solved(game):
    r = solve_sse(game)
    return r, r.to_dict()


@SETTINGS
@given(games(), st.integers(0, 10**6))
def test_corrupted_answers_fail_verify(game, salt):
    r, d = _solved(game)
    m, n = game.shape
    atol_l = 1e-6 * (float(np.abs(game.A).max()) or 1.0)
    atol_f = 1e-6 * (float(np.abs(game.B).max()) or 1.0)
    j = game.follower_index(r.follower.response)
    x = np.array([r.leader.commitment[a] for a in game.leader_actions])

    # a value
    bad = copy.deepcopy(d)
    bad["leader"]["value"] += 10 * atol_l + 1e-3
    assert not verify(game, bad).passed
    bad = copy.deepcopy(d)
    bad["follower"]["value"] -= 10 * atol_f + 1e-3
    assert not verify(game, bad).passed

    # the commitment: no longer a distribution
    bad = copy.deepcopy(d)
    bad["leader"]["commitment"] = {k: 2 * v + 0.1 for k, v in d["leader"]["commitment"].items()}
    assert not verify(game, bad).passed

    # the commitment: another distribution that changes what the reported pair is worth
    k = salt % m
    y = np.zeros(m)
    y[k] = 1.0
    if (
        abs(y @ game.A[:, j] - x @ game.A[:, j]) > 10 * atol_l
        or (y @ game.B).max() - y @ game.B[:, j] > 10 * atol_f
    ):
        bad = copy.deepcopy(d)
        bad["leader"]["commitment"] = {a: float(y[i]) for i, a in enumerate(game.leader_actions)}
        assert not verify(game, bad).passed

    # the response: another action that is worse for the follower or gives other values
    alt = (j + 1 + salt % max(1, n - 1)) % n
    if alt != j and (
        abs(x @ game.A[:, alt] - x @ game.A[:, j]) > 10 * atol_l
        or abs(x @ game.B[:, alt] - x @ game.B[:, j]) > 10 * atol_f
    ):
        bad = copy.deepcopy(d)
        bad["follower"]["response"] = game.follower_actions[alt]
        assert not verify(game, bad).passed

    bounds = d["certificate"]["evidence"]["bounds"]
    # drop a bound
    bad = copy.deepcopy(d)
    del bad["certificate"]["evidence"]["bounds"][game.follower_actions[salt % n]]
    assert not verify(game, bad).passed

    # a multiplier made negative (only possible where there are multipliers)
    withy = [lab for lab, rec in bounds.items() if rec.get("multipliers")]
    if withy:
        lab = withy[salt % len(withy)]
        bad = copy.deepcopy(d)
        mult = bad["certificate"]["evidence"]["bounds"][lab]["multipliers"]
        mult[next(iter(mult))] = -abs(mult[next(iter(mult))]) - 1.0
        assert not verify(game, bad).passed

    # multipliers of the response's LP zeroed: fails exactly when max_i A[i, j] > value
    rec = bounds[game.follower_actions[j]]
    if "multipliers" in rec:
        bad = copy.deepcopy(d)
        bad["certificate"]["evidence"]["bounds"][game.follower_actions[j]]["multipliers"] = {}
        weak = float(game.A[:, j].max()) > r.leader.value + atol_l * 1.01
        assert verify(game, bad).passed is not weak


@SETTINGS
@given(st.integers(2, 3), st.integers(2, 3), st.integers(0, 2**32 - 1))
def test_sse_at_least_every_nash_equilibrium(m, n, seed):
    """Von Stengel & Zamir (2010): committing is worth at least any Nash equilibrium."""
    rng = np.random.default_rng(seed)
    A = rng.uniform(-5, 5, size=(m, n))  # continuous payoffs: nondegenerate almost surely
    B = rng.uniform(-5, 5, size=(m, n))
    nash = nash_leader_values(A, B)
    assume(len(nash) % 2 == 1)  # a nondegenerate game has an odd number of equilibria
    r = solve_sse(NormalFormGame(A, B))
    assert r.leader.value >= max(nash) - 1e-8


@pytest.mark.parametrize("seed", range(3))
def test_larger_random_games_are_certified(seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(30, 40))
    B = -0.9 * A + 0.3 * rng.normal(size=(30, 40))  # anti-correlated: little pruning
    r = solve_sse(NormalFormGame(A, B))
    assert r.certified
    pures = pure_commitment_values(A, B)
    assert r.leader.value >= float(max(pures)) - 1e-9
