"""The MILP's big-Ms and occupancy caps are valid: at random commitments the follower's
optimal policy, its occupancy and both value functions form a feasible point of the model
(every constraint and bound holds), so no equilibrium is cut off."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
from mdp.helpers import random_game

from stackopt.formulations.mdp_milp import build_mdp_milp, set_start
from stackopt.kinds.mdp import dp


def _violation(model) -> float:
    worst = 0.0
    for con in model.component_data_objects(pyo.Constraint, active=True):
        body = pyo.value(con.body)
        if con.has_lb():
            worst = max(worst, pyo.value(con.lower) - body)
        if con.has_ub():
            worst = max(worst, body - pyo.value(con.upper))
    for var in model.component_data_objects(pyo.Var):
        if var.value is None:
            continue
        if var.has_lb():
            worst = max(worst, var.lb - var.value)
        if var.has_ub():
            worst = max(worst, var.value - var.ub)
    return worst


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("kind", ["finite", "discounted", "mixing"])
def test_true_equilibria_are_feasible_points(seed, kind):
    rng = np.random.default_rng(seed)
    if kind == "finite":
        game = random_game(700 + seed, S=4, A=3, H=4, K=2)
    elif kind == "discounted":
        game = random_game(700 + seed, S=4, A=3, H=None, discount=0.85, K=2)
    else:
        game = random_game(700 + seed, S=3, A=2, H=3, K=1, L=3)
    milp = build_mdp_milp(game)
    for _ in range(5):
        theta = rng.uniform(game.lower, game.upper)
        x = rng.dirichlet(np.ones(game.n_leader_actions), size=game.n_states)
        ind = game.induced(theta, x)
        pol, _ = dp.optimistic(ind.P, ind.rf, ind.rl, game.horizon, game.discount, 0.0)
        set_start(milp, game, theta, x, pol)
        assert _violation(milp.model) <= 1e-9 * game.scale


def test_a_suboptimal_policy_is_infeasible():
    """The complementarity rows do bite: a policy that is not optimal violates them."""
    game = random_game(800, S=3, A=2, H=3, K=1)
    milp = build_mdp_milp(game)
    theta = game.lower.copy()
    ind = game.induced(theta, np.ones((3, 1)))
    _, Q = dp.backward(ind.P, ind.rf, 3)
    pol = np.argmax(Q, axis=2)
    gap = Q.max(axis=2) - Q.min(axis=2)
    cells = [(tt, ss) for tt, ss in milp.cells if gap[tt, ss] > 1e-6]
    assert cells
    t, s = cells[0]
    pol[t, s] = int(np.argmin(Q[t, s]))
    set_start(milp, game, theta, np.ones((3, 1)), pol)
    assert _violation(milp.model) > 1e-6
