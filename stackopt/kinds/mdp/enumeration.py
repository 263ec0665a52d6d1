r"""Solver-free optimality for small Stackelberg MDPs: enumerate the follower's policies.

Applies when the leader has at most one parameter and no leader actions, and the follower has
at most ``limit`` deterministic policies (:math:`|A|^{|S| H}` time-indexed, or
:math:`|A|^{|S|}` stationary when discounted). Each policy :math:`\pi` is evaluated
*forwards* (state distributions step by step; the discounted occupancy by one linear solve):
the follower's value is :math:`a_\pi + b_\pi\theta` and the leader's :math:`G_\pi -
c\theta`. The parameters at which :math:`\pi` is optimal form the interval
:math:`\{\theta \in [\underline\theta, \overline\theta] : (a_\pi - a_{\pi'}) + (b_\pi -
b_{\pi'})\theta \ge 0\ \forall \pi'\}`, and the optimistic Stackelberg value is the largest
:math:`G_\pi - c\theta` over every policy and the better end of its interval. This uses
neither the MILP nor backward induction.
"""

from __future__ import annotations

import itertools

import numpy as np

from stackopt.kinds.mdp.game import MDPGame

DEFAULT_LIMIT = 4096


def policy_count(game: MDPGame) -> int:
    cells = game.n_states * (int(game.horizon) if game.finite else 1)  # type: ignore[arg-type]
    return int(game.n_actions) ** cells


def applies(game: MDPGame, limit: int = DEFAULT_LIMIT) -> bool:
    return (
        len(game.parameters) <= 1
        and not game.leader_actions
        and game.n_actions ** min(game.n_states * (game.horizon or 1), 64) <= limit
    )


def _forward(game: MDPGame, P: np.ndarray, r: np.ndarray, pol: np.ndarray) -> np.ndarray:
    """Values of ``r`` (shape ``(R, S, A)``: R reward tables) under ``pol`` from the initial
    distribution."""
    S = game.n_states
    idx = np.arange(S)
    if game.finite:
        d, total = game.initial.copy(), np.zeros(r.shape[0])
        for t in range(pol.shape[0]):
            total += r[:, idx, pol[t]] @ d
            d = d @ P[idx, pol[t]]
        return total
    g = float(game.discount)  # type: ignore[arg-type]
    occ = np.linalg.solve((np.eye(S) - g * P[idx, pol]).T, game.initial)
    return r[:, idx, pol] @ occ


def supremum(game: MDPGame) -> tuple[float, int]:
    """``(optimistic Stackelberg value, number of policies)`` by enumeration."""
    P = game.transitions[0]
    K = len(game.parameters)
    tables = np.stack(
        [game.follower_rewards[0], *(game.E[k] for k in range(K)), game.leader_rewards[0]]
    )
    S, A = game.n_states, game.n_actions
    shape = (int(game.horizon), S) if game.finite else (S,)  # type: ignore[arg-type]
    n = int(np.prod(shape))
    vals = np.array(
        [
            _forward(game, P, tables, np.array(f).reshape(shape))
            for f in itertools.product(range(A), repeat=n)
        ]
    )
    a, G = vals[:, 0], vals[:, -1]
    if K == 0:
        tie = 1e-9 * max(1.0, game.scale)
        return float(G[a >= a.max() - tie].max()), len(a)
    b = vals[:, 1]
    lo0, hi0, c = float(game.lower[0]), float(game.upper[0]), float(game.cost[0])
    eps = 1e-12 * max(1.0, game.scale)
    best = -np.inf
    for i in range(len(a)):
        da, db = a[i] - a, b[i] - b
        pos, neg, flat = db > eps, db < -eps, np.abs(db) <= eps
        if np.any(da[flat] < -eps):
            continue
        lo = max(lo0, float(np.max(-da[pos] / db[pos]))) if pos.any() else lo0
        hi = min(hi0, float(np.min(-da[neg] / db[neg]))) if neg.any() else hi0
        if lo > hi + eps:
            continue
        best = max(best, float(G[i]) - c * (lo if c >= 0 else hi))
    return best, len(a)
