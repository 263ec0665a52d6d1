"""The MILP optimum against brute force: every deterministic follower policy enumerated and
evaluated forwards, the parameter's optimal interval found exactly (oracle.py), plus a grid."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from mdp.helpers import random_game
from mdp.oracle import no_parameter_value, optimistic_value_at, supremum_one_parameter

import stackopt
from stackopt.errors import UnsupportedError
from stackopt.kinds.mdp.game import MDPGame


def _tol(game: MDPGame) -> float:
    return 1e-6 * game.scale


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("H", [1, 2, 3])
def test_finite_horizon_one_parameter_matches_brute_force(seed, H):
    game = random_game(seed, S=2 if H == 3 else 3, H=H)
    res = stackopt.solve(game)
    assert res.certified, res.certificate.summary()
    sup, _theta = supremum_one_parameter(game)
    assert res.leader.value == pytest.approx(sup, abs=_tol(game))
    # never above the supremum on a fine grid either, and the grid never beats it
    grid = max(optimistic_value_at(game, [t]) for t in np.linspace(-1, 2, 61))
    assert grid <= res.leader.value + _tol(game)


@pytest.mark.parametrize("seed", range(10))
def test_discounted_one_parameter_matches_brute_force(seed):
    game = random_game(100 + seed, S=3, H=None, discount=0.8)
    res = stackopt.solve(game)
    assert res.certified, res.certificate.summary()
    sup, _ = supremum_one_parameter(game)
    assert res.leader.value == pytest.approx(sup, abs=_tol(game))


@pytest.mark.parametrize("seed", range(4))
def test_two_parameters_never_beaten_on_a_grid(seed):
    game = random_game(200 + seed, S=2, H=2, K=2)
    res = stackopt.solve(game)
    assert res.certified
    grid = np.linspace(-1, 2, 16)
    best = max(optimistic_value_at(game, [u, v]) for u in grid for v in grid)
    assert best <= res.leader.value + _tol(game)
    # the reported commitment's own optimistic value is what was reported
    theta = [res.leader.commitment["p0"], res.leader.commitment["p1"]]
    assert optimistic_value_at(game, theta, tol=1e-7) == pytest.approx(
        res.leader.value, abs=_tol(game)
    )


def test_chain_example_matches_brute_force():
    game = stackopt.load_game("data/mdp/chain.yaml")
    res = stackopt.solve(game)
    assert res.certified
    sup, theta = supremum_one_parameter(game)
    assert res.leader.value == pytest.approx(sup, abs=_tol(game))
    assert res.leader.commitment["subsidy"] == pytest.approx(theta, abs=1e-6)


# -- case (a): leader actions --------------------------------------------------------------
def _normal_form(game: MDPGame) -> stackopt.NormalFormGame:
    """The game of the leader's pure per-state choices against the follower's policies.

    Values are linear in each state's mixing and depend on a joint distribution over
    per-state choices only through its marginals, so its SSE is the MDP's optimum."""
    from mdp.oracle import table

    S, L = game.n_states, game.n_leader_actions
    rows_l, rows_f = [], []
    for sigma in itertools.product(range(L), repeat=S):
        x = np.zeros((S, L))
        x[np.arange(S), list(sigma)] = 1.0
        a, _, G, _ = table(game, x)
        rows_l.append(G)
        rows_f.append(a)
    return stackopt.NormalFormGame(np.array(rows_l), np.array(rows_f))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("horizon", [2, None])
def test_mixed_leader_actions_match_the_normal_form_game_of_policies(seed, horizon):
    game = random_game(300 + seed, S=2, A=2, L=2, K=0, H=horizon, discount=None if horizon else 0.7)
    res = stackopt.solve(game)
    assert res.certified, res.certificate.summary()
    sse = stackopt.solve(_normal_form(game))
    assert res.leader.value == pytest.approx(sse.leader.value, abs=_tol(game))


@pytest.mark.parametrize("seed", range(5))
def test_pure_leader_actions_match_enumeration(seed):
    game = random_game(400 + seed, S=2, A=2, L=2, K=0, H=2)
    res = stackopt.solve(game, pure=True)
    assert res.certified
    for v in res.leader.commitment.values():
        assert v in (0.0, 1.0)
    best = -np.inf
    for sigma in itertools.product(range(2), repeat=2):
        x = np.zeros((2, 2))
        x[np.arange(2), list(sigma)] = 1.0
        best = max(best, no_parameter_value(game, x))
    assert res.leader.value == pytest.approx(best, abs=_tol(game))
    mixed = stackopt.solve(game)
    assert mixed.leader.value >= res.leader.value - _tol(game)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("K", [0, 1])
def test_transition_changing_leader_actions_pure_enumeration(seed, K):
    game = random_game(500 + seed, S=2, A=2, L=2, K=K, H=2, leader_transitions=True)
    assert game.transitions_depend_on_leader
    with pytest.raises(UnsupportedError, match="mixed commitments"):
        stackopt.solve(game)
    with pytest.raises(UnsupportedError, match="not exact"):
        stackopt.solve(game, method="kkt_milp", pure=True)
    res = stackopt.solve(game, pure=True)
    assert res.certified and res.method == "enumerate"
    best = -np.inf
    for sigma in itertools.product(range(2), repeat=2):
        x = np.zeros((2, 2))
        x[np.arange(2), list(sigma)] = 1.0
        best = max(best, supremum_one_parameter(game, x)[0] if K else no_parameter_value(game, x))
    assert res.leader.value == pytest.approx(best, abs=_tol(game))


def test_mixed_commitment_with_changing_transitions_verifies_exactly():
    """Evaluating a given mixed commitment is exact even where solving is refused: the
    brute-force optimistic policy at a mixed commitment verifies, a worse one does not."""
    from mdp.oracle import table

    from stackopt.kinds.mdp.checks import policy_to_response

    game = random_game(600, S=2, A=2, L=2, K=0, H=2, leader_transitions=True)
    data = stackopt.solve(game, pure=True).to_dict()
    x = np.array([[0.5, 0.5], [0.25, 0.75]])
    data["leader"]["commitment"] = {"s0/l0": 0.5, "s0/l1": 0.5, "s1/l0": 0.25, "s1/l1": 0.75}
    data["method"], data["options"]["pure"] = "kkt_milp", False  # a mixed answer
    a, _, G, pols = table(game, x)
    opt = a >= a.max() - 1e-9
    i = int(np.argmax(np.where(opt, G, -np.inf)))
    data["follower"]["response"] = policy_to_response(game, pols[i])
    data["leader"]["value"], data["follower"]["value"] = float(G[i]), float(a[i])
    cert = stackopt.verify(game, data)
    for name in ("commitment", "best_response", "tie_break", "leader_value", "follower_value"):
        assert cert.check(name).passed, cert.check(name).detail
    # ... but its optimality cannot be claimed: no exact method for mixed commitments here
    assert not cert.check("optimality").passed
    assert "not computed exactly" in cert.check("optimality").detail
    j = int(np.argmin(a))  # the follower's worst policy
    assert a[j] < a.max() - 1e-6
    data["follower"]["response"] = policy_to_response(game, pols[j])
    assert not stackopt.verify(game, data).check("best_response").passed


def test_verify_enumerates_pure_commitments_exactly():
    """A pure answer without parameters is checked against every pure commitment (no MILP
    bound needed): a worse pure commitment fails even with a forged bound."""
    from mdp.oracle import table

    from stackopt.kinds.mdp.checks import policy_to_response

    game = random_game(900, S=2, A=2, L=2, K=0, H=2, leader_transitions=True)
    res = stackopt.solve(game, pure=True)
    opt = res.certificate.check("optimality")
    assert opt.passed and "(exact)" in opt.detail
    values = {}
    for sigma in itertools.product(range(2), repeat=2):
        x = np.zeros((2, 2))
        x[np.arange(2), list(sigma)] = 1.0
        a, _, G, pols = table(game, x)
        i = int(np.argmax(np.where(a >= a.max() - 1e-9, G, -np.inf)))
        values[sigma] = (float(G[i]), float(a[i]), pols[i], x)
    worst = min(values, key=lambda k: values[k][0])
    G, a, pol, x = values[worst]
    if G >= res.leader.value - 1e-6:
        pytest.skip("every pure commitment is optimal here")
    data = res.to_dict()
    data["leader"]["commitment"] = game.commitment_dict(np.zeros(0), x)
    data["leader"]["value"], data["follower"]["value"] = G, a
    data["follower"]["response"] = policy_to_response(game, pol)
    data["certificate"]["evidence"]["milp_bound"]["bound"] = G
    cert = stackopt.verify(game, data)
    assert cert.check("best_response").passed and cert.check("leader_value").passed
    assert not cert.check("optimality").passed


@pytest.mark.parametrize("seed", range(3))
def test_leader_actions_and_a_parameter_together_never_beaten_on_a_grid(seed):
    """Mixed reward-only leader actions plus a parameter: the MILP's value is the brute-force
    optimistic value of its own commitment and no commitment on a 3-D grid beats it."""
    from mdp.oracle import table

    game = random_game(1000 + seed, S=2, A=2, L=2, K=1, H=2)
    res = stackopt.solve(game)
    assert res.certified
    c = res.leader.commitment
    x = np.array([[c["s0/l0"], c["s0/l1"]], [c["s1/l0"], c["s1/l1"]]])
    assert optimistic_value_at(game, [c["p0"]], x, tol=1e-7) == pytest.approx(
        res.leader.value, abs=_tol(game)
    )
    thetas = np.linspace(-1, 2, 31)
    best = -np.inf
    for p in np.linspace(0, 1, 11):
        for q in np.linspace(0, 1, 11):
            x = np.array([[p, 1 - p], [q, 1 - q]])
            a, b, G, _ = table(game, x)
            F = a[:, None] + b[:, :1] * thetas[None, :]  # (policies, grid)
            near = F >= F.max(axis=0, keepdims=True) - 1e-9
            vals = np.where(near, G[:, None], -np.inf).max(axis=0) - game.cost[0] * thetas
            best = max(best, float(vals.max()))
    assert best <= res.leader.value + _tol(game)


def _mixing_game(follower, leader) -> MDPGame:
    """Two states, two follower actions, two leader actions mixed per state, horizon 1."""
    P = np.zeros((2, 2, 2, 2))
    P[:, :, :, 1] = 1.0
    return MDPGame(
        states=("s0", "s1"),
        actions=("a0", "a1"),
        initial=np.array([0.5, 0.5]),
        transitions=P,
        follower_rewards=np.asarray(follower, float),
        leader_rewards=np.asarray(leader, float),
        horizon=1,
        leader_actions=("l0", "l1"),
    )


def _grid_value(game: MDPGame, n: int = 21) -> float:
    """The best optimistic leader value over a grid of per-state mixtures (a lower bound on
    the optimum that is exact when the optimum lies on the grid)."""
    grid = np.linspace(0.0, 1.0, n)
    return max(
        no_parameter_value(game, np.array([[1 - a, a], [1 - b, b]])) for a in grid for b in grid
    )


def test_mip_start_is_not_returned_as_optimum():
    """HiGHS 1.16 returned the MIP start's columns (uniform mixing, value 0.25) with the
    optimum's objective 0.5 on this game: the answer must be the optimum, certified. By hand:
    the leader plays l1 in s1 (the follower is indifferent there and breaks the tie for the
    leader) and at most 1/2 on l1 in s0, where the follower then waits: 0.5 * 0 + 0.5 * 1."""
    game = _mixing_game(
        [[[0, -1], [0, 0]], [[0, 1], [0, 0]]], [[[0, 0], [0, 0]], [[0, -1], [0, 1]]]
    )
    res = stackopt.solve(game)
    assert res.certified, res.certificate.summary()
    assert res.leader.value == pytest.approx(0.5, abs=1e-9)
    assert _grid_value(game) == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("seed", range(12))
def test_per_state_mixing_never_beaten_by_a_grid(seed):
    rng = np.random.default_rng(300 + seed)
    game = _mixing_game(
        rng.integers(-1, 2, (2, 2, 2)).astype(float), rng.integers(-1, 2, (2, 2, 2)).astype(float)
    )
    res = stackopt.solve(game)
    assert res.certified, res.certificate.summary()
    assert _grid_value(game) <= res.leader.value + _tol(game)


def test_run_from_start_returns_the_optimum_columns(tmp_path):
    """The same MILP in plain highspy: a start, then ``engines.highs.run_from_start``; the
    returned columns must attain the reported optimum (HiGHS 1.16's own run does not)."""
    import highspy

    from stackopt.engines.highs import run_from_start, start_solution_returned
    from stackopt.formulations.mdp_milp import build_mdp_milp, set_start
    from stackopt.kinds.mdp.solve import _best_start

    game = _mixing_game(
        [[[0, -1], [0, 0]], [[0, 1], [0, 0]]], [[[0, 0], [0, 0]], [[0, -1], [0, 1]]]
    )
    milp = build_mdp_milp(game)
    set_start(milp, game, *_best_start(game, None)[:3])
    path = tmp_path / "mdp.mps"
    milp.model.write(str(path), io_options={"symbolic_solver_labels": True})
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(path))
    names = [h.getColName(i)[1] for i in range(h.getLp().num_col_)]
    start = []
    for name in names:
        base, idx = name[:-1].split("(")
        start.append(getattr(milp.model, base)[tuple(int(i) for i in idx.split("_"))].value)
    sol = highspy.HighsSolution()
    sol.col_value = start
    h.setSolution(sol)
    run_from_start(h)
    assert not start_solution_returned(h)
    assert abs(h.getInfo().objective_function_value) == pytest.approx(0.5, abs=1e-7)
