r"""The Stackelberg-MDP MILP: the follower's occupancy LP, its optimality by complementarity.

For a commitment :math:`(\theta, x)` (parameters; per-state leader mixing, case (a) with
rewards only) the follower solves the occupancy-measure LP (finite horizon, time-indexed)

.. math::
    \max_{\mu \ge 0} \sum_{t,s,a} \mu_t(s,a)\, \bar r_f(s,a) \quad\text{s.t.}\quad
    \sum_a \mu_0(s,a) = \rho_0(s),\;
    \sum_a \mu_{t+1}(s',a) = \sum_{s,a} P(s'|s,a)\,\mu_t(s,a),

with dual :math:`\min \sum_s \rho_0(s) V_0(s)` s.t. :math:`V_t(s) \ge Q_t(s,a) =
\bar r_f(s,a) + \sum_{s'} P(s'|s,a) V_{t+1}(s')`, :math:`V_H = 0`. Here
:math:`\bar r_f(s,a) = \sum_l x(s,l) r_f(l,s,a) + \sum_k \theta_k E_k(s,a)` is linear in the
leader's variables, so dual feasibility is linear in :math:`(\theta, x, V)`. Strong duality
would need the bilinear :math:`\sum \theta_k E_k \mu`; we use complementarity instead, with
binaries :math:`z_t(s,a)` choosing one action per step and state:

.. math::
    \mu_t(s,a) \le \bar\mu\, z_t(s,a),\qquad V_t(s) - Q_t(s,a) \le M_t\,(1 - z_t(s,a)),
    \qquad \sum_a z_t(s,a) = 1.

:math:`\sum_a z = 1` makes :math:`V` the Bellman fixed point at *every* state, hence
:math:`V = V^*(\theta, x)`, and the selected policy optimal (subgame-perfect). The big-Ms are
proven from the data: :math:`\bar\mu = 1` (an occupancy is a probability), and with
:math:`[\underline r, \overline r]` the range of :math:`\bar r_f` over all commitments
(:meth:`~stackopt.kinds.mdp.game.MDPGame.follower_reward_range`),
:math:`V_t \in [(H-t)\underline r, (H-t)\overline r]` and
:math:`Q_t \ge \underline r + (H-t-1)\underline r`, so
:math:`V_t(s) - Q_t(s,a) \le M_t = (H-t)(\overline r - \underline r) \le 2(H-t)\max|r|`.
Discounted: :math:`\sum_a \mu(s,a) - \gamma\sum_{s',a'} P(s|s',a')\mu(s',a') = \rho_0(s)`,
:math:`\bar\mu = 1/(1-\gamma)`, :math:`V \in [\underline r, \overline r]/(1-\gamma)` and
:math:`V(s) - Q(s,a) \le (\overline r - \underline r) + \gamma(\overline r - \underline r)
/(1-\gamma) = (\overline r - \underline r)/(1-\gamma) \le 2\max|r|/(1-\gamma)`.

The leader maximises its expected reward minus :math:`\sum_k c_k\theta_k`. Without leader
mixing the reward is :math:`\sum \mu_t(s,a) r_l(s,a)`, linear. With mixing it would be the
bilinear :math:`\sum \mu_t(s,a) x(s,l) r_l(l,s,a)`; instead the leader's value function
:math:`U_t(s) = \bar r_l(s,a) + \sum_{s'} P(s'|s,a) U_{t+1}(s')` for the chosen action is
written with the same binaries, :math:`|U_t(s) - \bar r_l(s,a) - \sum P U_{t+1}| \le
M^l_t (1 - z_t(s,a))`, :math:`M^l_t = (H-t)(\overline{r_l} - \underline{r_l})` (and
:math:`/(1-\gamma)` discounted), and the objective is :math:`\sum_s \rho_0(s) U_0(s)`.

Maximising over :math:`(\theta, x, \mu, V, z)` maximises the leader's objective over the
follower's optimal face: optimistic tie-breaking. The MILP is exact when transitions do not
depend on the leader's action (parameters only affect rewards, by the file contract).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stackopt.kinds.mdp import dp
from stackopt.kinds.mdp.game import MDPGame


@dataclass(frozen=True)
class MDPMilp:
    """The Pyomo model and what is needed to read it."""

    model: Any
    mixing: bool
    big_m: float
    binaries: int
    cells: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Bounds:
    """Proven bounds: follower values ``vlo``/``vhi`` and action slacks ``m`` per (step,
    state[, action]); leader values ``ulo``/``uhi`` and slacks ``ml``; occupancy caps
    ``occ`` per (step, state). Finite: leading axis H (+1 for values); discounted: 1."""

    vlo: np.ndarray
    vhi: np.ndarray
    m: np.ndarray
    ulo: np.ndarray
    uhi: np.ndarray
    ml: np.ndarray
    occ: np.ndarray


def _optimal(P: np.ndarray, r: np.ndarray, game: MDPGame) -> tuple[np.ndarray, np.ndarray]:
    """Optimal values ``(T+1, S)`` of the MDP ``(P, r)`` (discounted: one row, repeated),
    widened by the round-off bound of the computation."""
    if game.finite:
        V, _ = dp.backward(P, r, int(game.horizon))  # type: ignore[arg-type]
        pad = 1e-9 * (1.0 + np.abs(V))
        return V, pad
    g = float(game.discount)  # type: ignore[arg-type]
    _, V = dp.policy_iteration(P, r, g)
    pad = dp.bellman_bound(P, r, V, g) + 1e-9 * (1.0 + np.abs(V))
    return np.stack([V, V]), np.stack([pad, pad])


def proven_bounds(game: MDPGame, P: np.ndarray, rl_lo: np.ndarray, rl_hi: np.ndarray) -> Bounds:
    r"""The big-Ms of the MILP, proven from the data by monotonicity of optimal values.

    With :math:`\underline r(s,a) \le \bar r_f(s,a) \le \overline r(s,a)` for every
    commitment (:meth:`~stackopt.kinds.mdp.game.MDPGame.follower_reward_bounds`), the
    follower's optimal value satisfies :math:`\underline V \le V^* \le \overline V`, the
    optimal values of the MDPs with rewards :math:`\underline r` and :math:`\overline r`
    (Bellman operators are monotone in the reward). Hence
    :math:`V_t(s) - Q_t(s,a) \le M_t(s,a) = \overline V_t(s) - \underline r(s,a) -
    \sum_{s'} P(s'|s,a)\underline V_{t+1}(s')`, which is at most
    :math:`(H-t)(\max\overline r - \min\underline r) \le 2(H-t)\max|r|` (finite) and
    :math:`(\max\overline r - \min\underline r)/(1-\gamma) \le 2\max|r|/(1-\gamma)`
    (discounted). The leader's value of *any* policy lies between the optimal values of the
    MDPs with rewards :math:`\min_l r_l` (minimised) and :math:`\max_l r_l` (maximised),
    giving :math:`M^l`. Occupancies: :math:`\mu_t(s,a) \le \bar\mu_t(s)` with
    :math:`\bar\mu_0 = \rho_0`, :math:`\bar\mu_{t+1}(s') = \min(1, \sum_s \bar\mu_t(s)
    \max_a P(s'|s,a))` (finite) and :math:`1/(1-\gamma)` (discounted). Computed values are
    widened by their round-off bound (:func:`~stackopt.kinds.mdp.dp.bellman_bound`).
    """
    rlo, rhi = game.follower_reward_bounds()
    Vlo, plo = _optimal(P, rlo, game)
    Vhi, phi = _optimal(P, rhi, game)
    vlo, vhi = Vlo - plo, Vhi + phi
    Uhi, uph = _optimal(P, rl_hi, game)
    Ulo_neg, upl = _optimal(P, -rl_lo, game)
    ulo, uhi = -Ulo_neg - upl, Uhi + uph
    gamma = 1.0 if game.finite else float(game.discount)  # type: ignore[arg-type]
    T = vlo.shape[0] - 1
    m = np.maximum(0.0, vhi[:T, :, None] - _q(P, rlo, vlo, gamma))
    ml = np.maximum(
        np.maximum(0.0, uhi[:T, :, None] - _q(P, rl_lo, ulo, gamma)),
        _q(P, rl_hi, uhi, gamma) - ulo[:T, :, None],
    )
    S = game.n_states
    if game.finite:
        occ = np.zeros((T, S))
        occ[0] = game.initial
        Pmax = P.max(axis=1)  # (S, S'): the largest step probability into s'
        for t in range(T - 1):
            occ[t + 1] = np.minimum(1.0, occ[t] @ Pmax)
    else:
        occ = np.full((1, S), 1.0 / (1.0 - gamma))
    return Bounds(vlo, vhi, m, ulo, uhi, ml, occ)


def _q(P: np.ndarray, r: np.ndarray, V: np.ndarray, gamma: float) -> np.ndarray:
    """``r(s,a) + gamma * sum_s' P(s'|s,a) V[t+1](s')`` for every t: ``(T, S, A)``."""
    T = V.shape[0] - 1
    return np.stack([r + gamma * (P @ V[t + 1]) for t in range(T)])


def build_mdp_milp(
    game: MDPGame, *, pure: bool = False, fixed_x: np.ndarray | None = None
) -> MDPMilp:
    """The MILP of ``game`` (see the module docstring).

    ``pure`` makes the leader's per-state mixing binary; ``fixed_x (S, L)`` fixes it (used by
    enumeration of pure commitments when transitions depend on the leader's action: the
    game's transitions are then read under ``fixed_x``). Only the (step, state) cells some
    policy reaches with positive probability get variables (finite horizon): values and
    choices elsewhere cannot change the leader's objective or the follower's optimality on
    the reachable cells.
    """
    import pyomo.environ as pyo

    S, A, L = game.n_states, game.n_actions, game.n_leader_actions
    K = len(game.parameters)
    finite = game.finite
    H = int(game.horizon) if finite else 1  # type: ignore[arg-type]
    gamma = 1.0 if finite else float(game.discount)  # type: ignore[arg-type]
    if fixed_x is not None:
        ind = game.induced(np.zeros(K), fixed_x)
        P, rf_l, rl_l = ind.P, ind.rf[None], ind.rl[None]
        mixing = False
    else:
        P = game.transitions[0]
        rf_l, rl_l = game.follower_rewards, game.leader_rewards
        mixing = L > 1
    b = proven_bounds(game, P, rl_l.min(axis=0), rl_l.max(axis=0))
    cells = (
        [(t, s) for t in range(H) for s in range(S) if b.occ[t, s] > 0]
        if finite
        else [(0, s) for s in range(S)]
    )
    live = set(cells)
    m = pyo.ConcreteModel(name=game.name or "mdp")
    TS = cells
    TSA = [(t, s, a) for t, s in cells for a in range(A)]
    m.TS = pyo.Set(initialize=TS, dimen=2)
    m.TSA = pyo.Set(initialize=TSA, dimen=3)
    m.K = pyo.Set(initialize=range(K))
    m.theta = pyo.Var(m.K, bounds=lambda _, k: (float(game.lower[k]), float(game.upper[k])))
    m.mu = pyo.Var(m.TSA, bounds=lambda _, t, s, a: (0.0, float(b.occ[t, s])))
    m.z = pyo.Var(m.TSA, domain=pyo.Binary)
    m.V = pyo.Var(m.TS, bounds=lambda _, t, s: (float(b.vlo[t, s]), float(b.vhi[t, s])))
    succ = [
        [[(int(j), float(P[s, a, j])) for j in np.nonzero(P[s, a])[0]] for a in range(A)]
        for s in range(S)
    ]
    pred: list[list[tuple[int, int, float]]] = [[] for _ in range(S)]
    for s in range(S):
        for a in range(A):
            for j, p in succ[s][a]:
                pred[j].append((s, a, p))
    if mixing:
        m.L = pyo.Set(initialize=range(L))
        m.S = pyo.Set(initialize=range(S))
        m.x = pyo.Var(
            m.S, m.L, bounds=(0.0, 1.0), domain=pyo.Binary if pure else pyo.NonNegativeReals
        )
        m.mix = pyo.Constraint(m.S, rule=lambda m, s: sum(m.x[s, l] for l in range(L)) == 1)

    def nxt(t: int) -> int | None:  # the value index of the next step
        return (t + 1 if t + 1 < H else None) if finite else t

    def reward_f(m, s: int, a: int):
        e = sum(float(game.E[k, s, a]) * m.theta[k] for k in range(K) if game.E[k, s, a] != 0)
        if mixing:
            return e + sum(float(rf_l[l, s, a]) * m.x[s, l] for l in range(L))
        return e + float(rf_l[0, s, a])

    def reward_l(m, s: int, a: int):
        if mixing:
            return sum(float(rl_l[l, s, a]) * m.x[s, l] for l in range(L))
        return float(rl_l[0, s, a])

    def q(m, var, reward, t: int, s: int, a: int):
        n = nxt(t)
        cont = 0.0 if n is None else gamma * sum(p * var[n, j] for j, p in succ[s][a])
        return reward(m, s, a) + cont

    m.dual = pyo.Constraint(
        m.TSA, rule=lambda m, t, s, a: m.V[t, s] >= q(m, m.V, reward_f, t, s, a)
    )
    m.slack = pyo.Constraint(
        m.TSA,
        rule=lambda m, t, s, a: (
            m.V[t, s] - q(m, m.V, reward_f, t, s, a) <= float(b.m[t, s, a]) * (1 - m.z[t, s, a])
        ),
    )
    m.occ = pyo.Constraint(
        m.TSA, rule=lambda m, t, s, a: m.mu[t, s, a] <= float(b.occ[t, s]) * m.z[t, s, a]
    )
    m.one = pyo.Constraint(m.TS, rule=lambda m, t, s: sum(m.z[t, s, a] for a in range(A)) == 1)

    def flow(m, t, s):
        out = sum(m.mu[t, s, a] for a in range(A))
        if finite:
            if t == 0:
                return out == float(game.initial[s])
            return out == sum(p * m.mu[t - 1, i, a] for i, a, p in pred[s] if (t - 1, i) in live)
        return out - gamma * sum(p * m.mu[t, i, a] for i, a, p in pred[s]) == float(game.initial[s])

    m.flow = pyo.Constraint(m.TS, rule=flow)
    cost = sum(float(game.cost[k]) * m.theta[k] for k in range(K))
    if mixing:
        m.U = pyo.Var(m.TS, bounds=lambda _, t, s: (float(b.ulo[t, s]), float(b.uhi[t, s])))
        m.lead_up = pyo.Constraint(
            m.TSA,
            rule=lambda m, t, s, a: (
                m.U[t, s] - q(m, m.U, reward_l, t, s, a)
                <= float(b.ml[t, s, a]) * (1 - m.z[t, s, a])
            ),
        )
        m.lead_lo = pyo.Constraint(
            m.TSA,
            rule=lambda m, t, s, a: (
                q(m, m.U, reward_l, t, s, a) - m.U[t, s]
                <= float(b.ml[t, s, a]) * (1 - m.z[t, s, a])
            ),
        )
        obj = (
            sum(float(game.initial[s]) * m.U[0, s] for s in range(S) if game.initial[s] != 0) - cost
        )
    else:
        obj = (
            sum(float(rl_l[0, s, a]) * m.mu[t, s, a] for t, s, a in TSA if rl_l[0, s, a] != 0)
            - cost
        )
    m.obj = pyo.Objective(expr=obj, sense=pyo.maximize)
    return MDPMilp(
        model=m,
        mixing=mixing,
        big_m=float(b.m.max()) if b.m.size else 0.0,
        binaries=len(TSA) + (S * L if mixing and pure else 0),
        cells=tuple(cells),
    )


def set_start(
    milp: MDPMilp, game: MDPGame, theta: np.ndarray, x: np.ndarray, policy: np.ndarray
) -> None:
    """Set the model's variables to the commitment ``(theta, x)``, the follower's policy
    (optimal at the commitment), its occupancy and both players' values: a feasible point,
    used as HiGHS's MIP start."""
    m = milp.model
    S, A, L = game.n_states, game.n_actions, game.n_leader_actions
    ind = game.induced(theta, x)
    g = game.discount
    Vf = dp.evaluate(ind.P, ind.rf, policy, g)
    Ul = dp.evaluate(ind.P, ind.rl, policy, g)
    idx = np.arange(S)
    for k in range(len(game.parameters)):
        m.theta[k].set_value(float(theta[k]), skip_validation=True)
    if milp.mixing:
        for s in range(S):
            for l in range(L):
                m.x[s, l].set_value(float(x[s, l]), skip_validation=True)
    if game.finite:
        pol = policy
        rho = game.initial.copy()
        occ = []
        for t in range(pol.shape[0]):
            occ.append(rho)
            rho = rho @ ind.P[idx, pol[t]]
        V, U = Vf, Ul
    else:
        pol = policy[None]
        d = np.linalg.solve((np.eye(S) - float(g or 0.0) * ind.P[idx, policy]).T, game.initial)
        occ = [d]
        V, U = Vf[None], Ul[None]
    for t, s in milp.cells:
        m.V[t, s].set_value(float(V[t, s]), skip_validation=True)
        if milp.mixing:
            m.U[t, s].set_value(float(U[t, s]), skip_validation=True)
        for a in range(A):
            chosen = int(pol[t, s]) == a
            m.z[t, s, a].set_value(1 if chosen else 0, skip_validation=True)
            m.mu[t, s, a].set_value(float(occ[t][s]) if chosen else 0.0, skip_validation=True)


def read_solution(milp: MDPMilp, game: MDPGame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(theta (K,), x (S, L), occupancy (T, S, A))`` from a solved model; ``theta`` is
    clipped into its bounds and each ``x(s, .)`` onto the simplex (solver round-off)."""
    m = milp.model
    K, S, A, L = len(game.parameters), game.n_states, game.n_actions, game.n_leader_actions
    theta = np.array([m.theta[k].value or 0.0 for k in range(K)], dtype=float)
    theta = np.clip(theta, game.lower, game.upper)
    x = np.zeros((S, L))
    if milp.mixing:
        for s in range(S):
            for l in range(L):
                x[s, l] = max(0.0, m.x[s, l].value or 0.0)
        x /= x.sum(axis=1, keepdims=True)
    else:
        x[:, 0] = 1.0
    T = max(t for t, _ in milp.cells) + 1
    occ = np.zeros((T, S, A))
    for t, s in milp.cells:
        for a in range(A):
            occ[t, s, a] = max(0.0, m.mu[t, s, a].value or 0.0)
    return theta, x, occ
