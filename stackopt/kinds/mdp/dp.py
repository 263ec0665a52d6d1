r"""Dynamic programming on the follower's MDP (numpy only; no solver).

Finite horizon (steps :math:`t = 0..H-1`, :math:`V_H = 0`), backward induction:

.. math::
    Q_t(s,a) = r(s,a) + \sum_{s'} P(s'|s,a) V_{t+1}(s'),\qquad V_t(s) = \max_a Q_t(s,a).

Discounted (:math:`\gamma<1`): policy iteration, each evaluation an exact linear solve
:math:`V^\pi = (I - \gamma P_\pi)^{-1} r_\pi`; it stops after finitely many improvements with
an optimal policy. Its floating-point error is bounded by the Bellman residual:
:math:`\|V^* - V^\pi\|_\infty \le \|T V^\pi - V^\pi\|_\infty / (1-\gamma)` for any
:math:`\pi` (:func:`bellman_bound`), which the certificate adds to its residuals.

The *optimistic* policy (:func:`optimistic`) is lexicographic: among the follower's optimal
actions (within ``tie``) at every step and state, the one maximising the leader's value
:math:`W_t(s) = \max_{a \in A^*_t(s)} r_l(s,a) + \sum_{s'} P(s'|s,a) W_{t+1}(s')` — the
leader's best value over the follower's optimal face (unreached states do not matter, and
at reached states every optimal policy plays optimal actions).
"""

from __future__ import annotations

import numpy as np

Policy = np.ndarray  # finite: (H, S) ints; discounted: (S,) ints


def backward(P: np.ndarray, r: np.ndarray, H: int) -> tuple[np.ndarray, np.ndarray]:
    """Optimal ``V (H+1, S)`` and ``Q (H, S, A)`` by backward induction."""
    S, A = r.shape
    V = np.zeros((H + 1, S))
    Q = np.zeros((H, S, A))
    for t in range(H - 1, -1, -1):
        Q[t] = r + P @ V[t + 1]
        V[t] = Q[t].max(axis=1)
    return V, Q


def evaluate(P: np.ndarray, r: np.ndarray, policy: Policy, discount: float | None) -> np.ndarray:
    """Values of a deterministic policy: ``(H+1, S)`` (finite) or ``(S,)`` (discounted)."""
    S = r.shape[0]
    idx = np.arange(S)
    if discount is None:
        H = policy.shape[0]
        V = np.zeros((H + 1, S))
        for t in range(H - 1, -1, -1):
            a = policy[t]
            V[t] = r[idx, a] + P[idx, a] @ V[t + 1]
        return V
    a = policy
    return np.linalg.solve(np.eye(S) - discount * P[idx, a], r[idx, a])


def q_values(P: np.ndarray, r: np.ndarray, V: np.ndarray, discount: float) -> np.ndarray:
    return r + discount * (P @ V)


def bellman_bound(P: np.ndarray, r: np.ndarray, V: np.ndarray, discount: float) -> float:
    r""":math:`\|TV - V\|_\infty/(1-\gamma)`: how far ``V`` (a policy's value) can be from
    the optimal value :math:`V^*` (discounted case)."""
    res = float(np.max(np.abs(q_values(P, r, V, discount).max(axis=1) - V)))
    return res / (1.0 - discount)


def policy_iteration(
    P: np.ndarray,
    r: np.ndarray,
    discount: float,
    allowed: np.ndarray | None = None,
    max_iter: int = 10_000,
) -> tuple[Policy, np.ndarray]:
    """An optimal stationary policy and its value (restricted to ``allowed (S, A)``)."""
    S, A = r.shape
    mask = np.ones((S, A), bool) if allowed is None else allowed
    neg = np.where(mask, 0.0, -np.inf)
    pol = np.argmax(r + neg, axis=1)
    V = evaluate(P, r, pol, discount)
    scale = max(1.0, float(np.abs(r).max()) / (1.0 - discount))
    for _ in range(max_iter):
        Q = q_values(P, r, V, discount) + neg
        best = Q.max(axis=1)
        cur = Q[np.arange(S), pol]
        improve = best > cur + 1e-12 * scale
        if not improve.any():
            return pol, V
        pol = np.where(improve, np.argmax(Q, axis=1), pol)
        V = evaluate(P, r, pol, discount)
    raise RuntimeError("policy iteration did not converge")  # pragma: no cover


def optimal_values(
    P: np.ndarray, r: np.ndarray, horizon: int | None, discount: float | None
) -> tuple[np.ndarray, np.ndarray, float]:
    """``(V*, Q*, error bound)``: finite ``V (H+1, S)``, ``Q (H, S, A)``, bound 0 (exact
    up to rounding); discounted ``V (S,)``, ``Q (S, A)`` and the Bellman bound."""
    if horizon is not None:
        V, Q = backward(P, r, horizon)
        return V, Q, 0.0
    assert discount is not None
    _pol, V = policy_iteration(P, r, discount)
    return V, q_values(P, r, V, discount), bellman_bound(P, r, V, discount)


def optimistic(
    P: np.ndarray,
    rf: np.ndarray,
    rl: np.ndarray,
    horizon: int | None,
    discount: float | None,
    tie: float,
) -> tuple[Policy, np.ndarray]:
    """The follower's optimistic policy and the leader's best value ``W`` over the follower's
    optimal face (actions within ``tie`` of the best count as optimal)."""
    S = rf.shape[0]
    idx = np.arange(S)
    if horizon is not None:
        V, Q = backward(P, rf, horizon)
        W = np.zeros((horizon + 1, S))
        pol = np.zeros((horizon, S), dtype=int)
        for t in range(horizon - 1, -1, -1):
            near = Q[t] >= V[t][:, None] - tie
            G = np.where(near, rl + P @ W[t + 1], -np.inf)
            pol[t] = np.argmax(G, axis=1)
            W[t] = G[idx, pol[t]]
        return pol, W
    assert discount is not None
    _, V = policy_iteration(P, rf, discount)
    Q = q_values(P, rf, V, discount)
    near = Q.max(axis=1, keepdims=True) - tie <= Q  # the greedy action always qualifies
    pol, W = policy_iteration(P, rl, discount, allowed=near)
    return pol, W
