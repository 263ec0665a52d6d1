"""Random small Stackelberg MDPs for the brute-force tests."""

from __future__ import annotations

import numpy as np

from stackopt.kinds.mdp.game import MDPGame


def random_game(
    seed: int,
    *,
    S: int = 2,
    A: int = 2,
    H: int | None = 2,
    discount: float | None = None,
    L: int = 1,
    K: int = 1,
    leader_transitions: bool = False,
    cost: float | None = None,
) -> MDPGame:
    rng = np.random.default_rng(seed)
    P1 = rng.dirichlet(np.ones(S) * 0.7, size=(S, A))
    P = np.repeat(P1[None], L, axis=0)
    if leader_transitions and L > 1:
        P[1:] = rng.dirichlet(np.ones(S) * 0.7, size=(L - 1, S, A))
    rf = np.round(rng.uniform(-2, 2, size=(L, S, A)), 1)
    rl = np.round(rng.uniform(-2, 2, size=(L, S, A)), 1)
    E = np.round(rng.uniform(-1, 1, size=(K, S, A)), 1)
    init = rng.dirichlet(np.ones(S))
    return MDPGame(
        states=tuple(f"s{i}" for i in range(S)),
        actions=tuple(f"a{j}" for j in range(A)),
        initial=init,
        transitions=P,
        follower_rewards=rf,
        leader_rewards=rl,
        horizon=H,
        discount=discount,
        leader_actions=tuple(f"l{i}" for i in range(L)) if L > 1 else (),
        parameters=tuple(f"p{k}" for k in range(K)),
        lower=np.full(K, -1.0),
        upper=np.full(K, 2.0),
        cost=np.full(K, float(rng.uniform(0, 0.5)) if cost is None else cost),
        effects=E,
        name=f"random{seed}",
    )
