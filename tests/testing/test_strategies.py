"""The hypothesis strategies: every drawn game is valid and has the degeneracy asked for;
stackopt's answers on them agree with the independent oracles of stackopt.testing.oracles and
pass the helpers, and the helpers catch the planted tie and best-response bugs."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stackopt
from stackopt.testing import assert_best_response, assert_stackelberg_equilibrium
from stackopt.testing.oracles import (
    brute_force,
    enumerate_active_sets,
    profile_enumeration,
    sse_vertex_enumeration,
)
from stackopt.testing.strategies import (
    bayesian_games,
    bilevel_problems,
    commitments,
    games,
    incentive_games,
    interdiction_games,
    mdp_games,
    normal_form_games,
    security_games,
)

FAST = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _assert_solve_passes_the_helpers(game):
    """stackopt's certified answer to ``game``, as its JSON states it (leader fields such as
    an incentive game's ``incentives`` included), passes assert_stackelberg_equilibrium."""
    r = stackopt.solve(game)
    assert r.certified, r.certificate.summary()
    d = r.to_dict()
    extra = {k: v for k, v in d["leader"].items() if k not in ("name", "commitment", "value")}
    assert_stackelberg_equilibrium(
        game,
        d["leader"]["commitment"],
        d["follower"]["response"],
        leader_value=d["leader"]["value"],
        **extra,
    )
    return r


@FAST
@given(normal_form_games(ties=True, duplicate_rows=True, dominated=True, integer=True))
def test_degeneracy_is_there(game):
    A, B = game.A, game.B
    m, n = A.shape
    assert any(
        np.array_equal(A[i], A[k]) and np.array_equal(B[i], B[k])
        for i in range(m)
        for k in range(m)
        if i != k
    )  # duplicate rows
    assert any(np.all(B[:, k] < B[:, j]) for j in range(n) for k in range(n) if j != k)
    assert np.array_equal(A, np.round(A)) and np.array_equal(B, np.round(B))


@FAST
@given(normal_form_games(zero_sum=True, payoff_range=(-2, 2)))
def test_zero_sum(game):
    assert np.array_equal(game.B, -game.A)
    assert game.A.min() >= -2 and game.A.max() <= 2


@FAST
@given(normal_form_games(ties=True, integer=True, max_leader_actions=3, max_follower_actions=3))
def test_normal_form_ties_agree_with_exact_vertex_enumeration(game):
    ref = sse_vertex_enumeration(game.A, game.B)
    r = stackopt.solve(game)
    assert r.certified
    assert abs(r.leader.value - float(ref.value)) <= 1e-6 * max(1.0, np.abs(game.A).max())
    # the oracle's exact answer passes the helper, stackopt's too
    assert_stackelberg_equilibrium(game, ref.commitment, ref.response)
    assert_stackelberg_equilibrium(
        game, r.leader.commitment, r.follower.response, leader_value=r.leader.value
    )


@FAST
@given(normal_form_games(ties=True, integer=True), st.data())
def test_best_response_and_the_planted_tie_bug(game, data):
    x = data.draw(commitments(game))
    v = np.array(list(x.values()))
    fu, lu = v @ game.B, v @ game.A
    best = np.flatnonzero(fu >= fu.max() - 1e-9)
    good = int(best[np.argmax(lu[best])])
    assert_best_response(game, x, good)
    bad = int(best[np.argmin(lu[best])])
    if lu[good] - lu[bad] > 1e-5 * max(1.0, np.abs(game.A).max()):
        try:
            assert_best_response(game, x, bad)
        except AssertionError as e:
            assert "tie_break failed" in str(e)
        else:
            raise AssertionError("a leader-unfavourable tie passed")


@FAST
@given(bayesian_games(max_types=2, integer=True, ties=True))
def test_bayesian_agrees_with_profile_enumeration(game):
    value, _, _ = profile_enumeration(
        [t.R for t in game.types], [t.C for t in game.types], [t.prior for t in game.types]
    )
    r = stackopt.solve(game)
    assert r.certified
    assert abs(r.leader.value - value) <= 1e-5 * max(1.0, game.leader_scale)
    assert_stackelberg_equilibrium(game, r.leader.commitment, r.follower.response)


@FAST
@given(bilevel_problems())
def test_bilevel_agrees_with_active_set_enumeration(problem):
    status, value = enumerate_active_sets(problem)
    r = stackopt.solve(problem)
    assert status == "optimal" and r.status.value == "optimal"  # feasible and bounded
    assert abs(r.leader.value - value) <= 1e-6 * max(1.0, abs(value))
    assert_best_response(problem, r.leader.commitment, r.follower.response)


@FAST
@given(st.one_of(security_games(max_types=2, ties=True), incentive_games(ties=True)))
def test_security_and_incentive_answers_pass_the_helpers(game):
    _assert_solve_passes_the_helpers(game)


@FAST
@given(games(integer=True))
def test_games_are_valid_and_solvable(game):
    assert game.kind in ("normal_form", "bayesian", "security", "incentive")
    assert stackopt.solve(game).certified


@FAST
@given(interdiction_games())
def test_interdiction_agrees_with_brute_force(game):
    arcs = [(a.tail, a.head, a.length, a.delay, a.cost, a.removable) for a in game.arcs]
    value, _ = brute_force(arcs, game.source, game.target, game.budget)
    r = _assert_solve_passes_the_helpers(game)
    assert r.leader.value == value or abs(r.leader.value - value) <= 1e-6 * max(1.0, value)


@settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mdp_games(max_states=2, max_horizon=2))
def test_mdp_answers_pass_the_helpers(game):
    _assert_solve_passes_the_helpers(game)


@settings(max_examples=14, deadline=None, database=None)
@given(st.data())
def test_a_strategy_for_every_registered_kind(data):
    from stackopt.kinds.registry import kinds

    strategy_for = {
        "normal_form": normal_form_games,
        "bayesian": bayesian_games,
        "security": security_games,
        "bilevel": bilevel_problems,
        "interdiction": interdiction_games,
        "incentive": incentive_games,
        "mdp": mdp_games,
    }
    missing = set(kinds()) - set(strategy_for)
    assert not missing, f"add a strategy to stackopt.testing.strategies for {sorted(missing)}"
    kind = data.draw(st.sampled_from(sorted(strategy_for)))
    assert data.draw(strategy_for[kind]()).kind == kind
