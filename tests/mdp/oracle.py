"""Brute-force oracles for Stackelberg MDPs, independent of stackopt's DP and MILP.

Every deterministic follower policy is enumerated (time-indexed for a finite horizon,
stationary for a discount) and evaluated *forwards* (state distributions step by step; a
linear solve for the discounted occupancy). For one parameter the follower's value of policy
``pi`` is ``a_pi + b_pi * theta``, so the set of parameters where ``pi`` is optimal is an
interval, found exactly; the optimistic leader value ``G_pi - cost * theta`` is maximised at
one of its ends. The supremum over every policy is the Stackelberg value.
"""

from __future__ import annotations

import itertools

import numpy as np


def policies(game):
    S, A = game.n_states, game.n_actions
    n = S * (game.horizon if game.finite else 1)
    for flat in itertools.product(range(A), repeat=n):
        arr = np.array(flat)
        yield arr.reshape(game.horizon, S) if game.finite else arr


def forward(game, P, r, pol) -> float:
    """Expected total (discounted) reward of ``pol`` from the initial distribution."""
    S = game.n_states
    idx = np.arange(S)
    if game.finite:
        d, total = game.initial.copy(), 0.0
        for t in range(pol.shape[0]):
            total += float(d @ r[idx, pol[t]])
            d = d @ P[idx, pol[t]]
        return total
    g = game.discount
    occ = np.linalg.solve((np.eye(S) - g * P[idx, pol]).T, game.initial)
    return float(occ @ r[idx, pol])


def table(game, x=None):
    """Per policy: follower value at theta=0 ``a``, per-parameter slopes ``b (K,)``, leader
    value ``G`` (transitions and rewards under the pure/mixed leader choice ``x``)."""
    S, L, K = game.n_states, game.n_leader_actions, len(game.parameters)
    if x is None:
        x = np.zeros((S, L))
        x[:, 0] = 1.0
    P = np.einsum("sl,lsan->san", x, game.transitions)
    rf = np.einsum("sl,lsa->sa", x, game.follower_rewards)
    rl = np.einsum("sl,lsa->sa", x, game.leader_rewards)
    rows = []
    for pol in policies(game):
        a = forward(game, P, rf, pol)
        b = [forward(game, P, game.effects[k], pol) for k in range(K)]
        rows.append((a, b, forward(game, P, rl, pol), pol))
    a = np.array([r[0] for r in rows])
    b = np.array([r[1] for r in rows]).reshape(len(rows), K)
    G = np.array([r[2] for r in rows])
    return a, b, G, [r[3] for r in rows]


def optimistic_value_at(game, theta, x=None, tol=1e-9) -> float:
    """The leader's optimistic value at one commitment (max over the follower's optima)."""
    a, b, G, _ = table(game, x)
    F = a + b @ np.asarray(theta, float)
    best = G[F >= F.max() - tol].max()
    return float(best - game.cost @ np.asarray(theta, float))


def supremum_one_parameter(game, x=None, eps=1e-12) -> tuple[float, float]:
    """(sup of the leader's value, a maximising theta) over theta in [lower, upper]."""
    assert len(game.parameters) == 1
    a, b, G, _ = table(game, x)
    b = b[:, 0]
    lo0, hi0, c = float(game.lower[0]), float(game.upper[0]), float(game.cost[0])
    best = (-np.inf, lo0)
    for i in range(len(a)):
        da, db = a[i] - a, b[i] - b
        lo, hi = lo0, hi0
        pos, neg, zero = db > eps, db < -eps, np.abs(db) <= eps
        if np.any(da[zero] < -1e-9):
            continue
        if pos.any():
            lo = max(lo, float(np.max(-da[pos] / db[pos])))
        if neg.any():
            hi = min(hi, float(np.min(-da[neg] / db[neg])))
        if lo > hi + 1e-12:
            continue
        theta = lo if c >= 0 else hi
        val = G[i] - c * theta
        if val > best[0]:
            best = (float(val), theta)
    return best


def no_parameter_value(game, x=None, tol=1e-9) -> float:
    return optimistic_value_at(game, np.zeros(len(game.parameters)), x, tol)
