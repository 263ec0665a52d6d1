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


def _forward(game: MDPGame, P: np.ndarray, r: np.ndarray, pols: np.ndarray) -> np.ndarray:
    """Values of the reward tables ``r (R, S, A)`` under every policy of ``pols`` (``(N, H,
    S)`` finite, ``(N, S)`` discounted) from the initial distribution: ``(N, R)``."""
    S = game.n_states
    idx = np.arange(S)
    N = pols.shape[0]
    if game.finite:
        d = np.tile(game.initial, (N, 1))
        total = np.zeros((N, r.shape[0]))
        for t in range(pols.shape[1]):
            a = pols[:, t, :]  # (N, S)
            total += np.einsum("ns,rns->nr", d, r[:, idx[None, :], a])
            d = np.einsum("ns,nsj->nj", d, P[idx[None, :], a])
        return total
    g = float(game.discount)  # type: ignore[arg-type]
    M = np.eye(S)[None] - g * P[idx[None, :], pols]  # (N, S, S)
    occ = np.linalg.solve(np.transpose(M, (0, 2, 1)), np.tile(game.initial, (N, 1))[..., None])
    return np.einsum("ns,rns->nr", occ[..., 0], r[:, idx[None, :], pols])


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
    pols = np.array(list(itertools.product(range(A), repeat=n)), dtype=int)
    vals = _forward(game, P, tables, pols.reshape(len(pols), *shape))
    a, G = vals[:, 0], vals[:, -1]
    if K == 0:
        tie = 1e-9 * max(1.0, game.scale)
        return float(G[a >= a.max() - tie].max()), len(a)
    b = vals[:, 1]
    # policies with the same follower line (a, b) differ only where it does not matter to the
    # follower: keep the leader's best of each line
    lines: dict[tuple[float, float], float] = {}
    for ai, bi, gi in zip(np.round(a, 12), np.round(b, 12), G):
        key = (float(ai), float(bi))
        prev, g = lines.get(key, -np.inf), float(gi)
        lines[key] = g if g > prev or g != g else prev  # the builtin max drops a NaN g
    la = np.array([k[0] for k in lines])
    lb = np.array([k[1] for k in lines])
    lg = np.array(list(lines.values()))
    lo0, hi0, c = float(game.lower[0]), float(game.upper[0]), float(game.cost[0])
    eps = 1e-12 * max(1.0, game.scale)
    best = -np.inf
    for i in range(len(la)):
        da, db = la[i] - la, lb[i] - lb
        pos, neg, flat = db > eps, db < -eps, np.abs(db) <= eps
        if np.any(da[flat] < -eps):
            continue
        lo = max(lo0, float(np.max(-da[pos] / db[pos]))) if pos.any() else lo0
        hi = min(hi0, float(np.min(-da[neg] / db[neg]))) if neg.any() else hi0
        if lo > hi + eps:
            continue
        v = float(lg[i]) - c * (lo if c >= 0 else hi)
        if v > best or v != v:  # NaN (overflow) sticks: the check then fails
            best = v
    return best, len(a)
