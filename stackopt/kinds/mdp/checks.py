r"""The certificate of a Stackelberg-MDP result, recomputed from the game and the answer.

Absolute tolerance ``atol = rtol * game.scale`` (the largest value either player can see:
steps x largest reward, plus the largest parameter cost). Checks, in order:

``commitment``
    every parameter within its bounds, every state's leader mixing a distribution (one
    action per state for a pure-commitment answer: ``options.pure`` or method
    ``enumerate``).
``best_response``
    the follower's optimal values :math:`V^*` are re-derived at the commitment (backward
    induction; discounted: policy iteration with exact linear solves, plus the Bellman bound
    :math:`\|TV - V\|_\infty/(1-\gamma)` on its round-off), the reported policy is evaluated
    (:math:`V^\pi`), and :math:`\rho_0^\top(V^* - V^\pi) \le` ``atol``.
``tie_break``
    optimistic ties: a second backward induction computes the leader's best value over the
    follower's optimal face, :math:`W` (:func:`~stackopt.kinds.mdp.dp.optimistic`), and the
    reported policy's leader value :math:`U^\pi` must satisfy
    :math:`\rho_0^\top(W - U^\pi) \le` ``atol``.
``leader_value`` / ``follower_value``
    the reported values equal :math:`\rho_0^\top U^\pi - \sum_k c_k\theta_k` and
    :math:`\rho_0^\top V^\pi`.
``optimality``
    the leader's recomputed value is at least ``evidence["milp_bound"]["bound"]`` minus
    ``atol``: HiGHS's dual bound at zero gap (solver-reported; ``verify`` cannot re-derive it
    from the game alone), or for the ``enumerate`` method the best bound over every pure
    commitment. When the leader has nothing to choose (no parameters, at most one leader
    action) the optimistic value :math:`W` is the optimum and the check is exact; so it is
    for a pure-commitment answer without parameters (at most 4096 pure commitments), which
    is compared with every pure commitment's optimistic value.
``optimality_enumeration`` (small games only)
    with at most one parameter, no leader actions and at most 4096 follower policies, every
    deterministic policy is evaluated forwards and the optimistic value is found from the
    exact parameter interval of each (:mod:`stackopt.kinds.mdp.enumeration`): solver-free.
``optimality_resolve`` (``verify`` only)
    when ``optimality`` rests on the result's ``milp_bound`` alone (no exact check and no
    ``optimality_enumeration``), ``verify`` solves the game afresh and the leader's value must
    reach the fresh bound within ``atol``
    (``_with_fresh_bound`` in :mod:`stackopt.kinds.mdp.solve`): a forged bound is not trusted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from stackopt.certificate import Certificate, Check, excess
from stackopt.checks.common import game_certificate, shortfall_check, value_check
from stackopt.errors import InputError
from stackopt.kinds.mdp import dp, enumeration
from stackopt.kinds.mdp.game import MDPGame

#: ``verify`` enumerates pure commitments (no parameters) up to this many.
PURE_LIMIT = 4096


def atol_of(game: MDPGame, rtol: float) -> float:
    if isinstance(rtol, bool) or not isinstance(rtol, (int, float)) or not 0 < rtol < 1:
        raise InputError(
            f"rtol must be a number in (0, 1), got {rtol!r}", field="rtol", fix="use e.g. 1e-6"
        )
    return float(rtol) * game.scale


def tie_tolerance(game: MDPGame, atol: float) -> float:
    """Per-step tolerance under which two follower actions count as tied: ``atol`` spread
    over the steps so that a policy built from tied actions loses at most ``atol / 2``."""
    return atol / (2.0 * game.steps)


def policy_to_response(game: MDPGame, policy: np.ndarray) -> dict[str, Any]:
    """Finite: ``{"t": {state: action}}`` for t = 0..H-1; discounted: ``{state: action}``."""
    if game.finite:
        return {
            str(t): {s: game.actions[int(policy[t, i])] for i, s in enumerate(game.states)}
            for t in range(policy.shape[0])
        }
    return {s: game.actions[int(policy[i])] for i, s in enumerate(game.states)}


def response_to_policy(game: MDPGame, response: Any) -> np.ndarray:
    """The policy array of a result's ``follower.response``; malformed -> InputError."""
    act = {a: j for j, a in enumerate(game.actions)}

    def row(mapping: Any, where: str) -> np.ndarray:
        if not isinstance(mapping, Mapping):
            raise InputError(
                "must map states to actions", field=where, fix='write e.g. {"s0": "test"}'
            )
        out = np.zeros(game.n_states, dtype=int)
        for key in mapping:
            if str(key) not in game.states:
                raise InputError(f"unknown state {key!r}", field=where, fix="use the game's states")
        for i, s in enumerate(game.states):
            if s not in mapping:
                raise InputError(
                    f"no action for state {s!r}", field=where, fix="give an action for every state"
                )
            a = mapping[s]
            if not isinstance(a, str) or a not in act:
                raise InputError(
                    f"unknown action {a!r} in state {s!r}",
                    field=where,
                    fix="use one of: " + ", ".join(game.actions),
                )
            out[i] = act[a]
        return out

    if not game.finite:
        return row(response, "follower.response")
    if not isinstance(response, Mapping):
        raise InputError(
            "must map steps to {state: action}",
            field="follower.response",
            fix='write e.g. {"0": {"s0": "test"}, "1": {...}}',
        )
    H = int(game.horizon)  # type: ignore[arg-type]
    steps = {str(k): v for k, v in response.items()}
    extra = [k for k in steps if k not in {str(t) for t in range(H)}]
    if extra:
        raise InputError(
            f"unknown step {extra[0]!r}", field="follower.response", fix=f"steps are 0..{H - 1}"
        )
    pol = np.zeros((H, game.n_states), dtype=int)
    for t in range(H):
        if str(t) not in steps:
            raise InputError(
                f"no policy for step {t}", field="follower.response", fix=f"give steps 0..{H - 1}"
            )
        pol[t] = row(steps[str(t)], f"follower.response.{t}")
    return pol


def occupancy(game: MDPGame, P: np.ndarray, policy: np.ndarray) -> dict[str, Any]:
    """The policy's occupancy measure (finite: per step; discounted: discounted), nonzero
    entries only: ``{step: {state: {action: probability}}}`` or ``{state: {action: ...}}``."""
    S = game.n_states
    idx = np.arange(S)
    if game.finite:
        out: dict[str, Any] = {}
        rho = game.initial.copy()
        for t in range(policy.shape[0]):
            out[str(t)] = {
                game.states[i]: {game.actions[int(policy[t, i])]: float(rho[i])}
                for i in range(S)
                if rho[i] > 0
            }
            rho = rho @ P[idx, policy[t]]
        return out
    g = float(game.discount)  # type: ignore[arg-type]
    d = np.linalg.solve((np.eye(S) - g * P[idx, policy]).T, game.initial)
    return {
        game.states[i]: {game.actions[int(policy[i])]: float(d[i])}
        for i in range(S)
        if d[i] > 1e-15
    }


def certify(
    game: MDPGame,
    commitment: Mapping[str, Any],
    response: Any,
    leader_value: Any,
    follower_value: Any,
    evidence: Mapping[str, Any] | None,
    *,
    rtol: float,
    pure: bool = False,
) -> Certificate:
    """Recompute every check (module docstring) for the answer ``(commitment, response)``;
    ``pure``: the answer claims to be the best *pure* commitment over the leader's actions."""
    atol = atol_of(game, rtol)
    theta, x = game.parse_commitment(commitment)
    policy = response_to_policy(game, response)
    checks = [_commitment_check(game, theta, x, rtol, pure)]
    ind = game.induced(theta, x)
    H, g = game.horizon, game.discount
    V, _, err = dp.optimal_values(ind.P, ind.rf, H, g)
    Vf = dp.evaluate(ind.P, ind.rf, policy, g)
    Ul = dp.evaluate(ind.P, ind.rl, policy, g)
    rho = game.initial

    def at0(v: np.ndarray) -> float:
        return float(rho @ (v[0] if game.finite else v))

    fv, lv = at0(Vf), at0(Ul) - float(game.cost @ theta)
    gap = excess(at0(V) - fv) + err
    how = (
        "backward induction"
        if game.finite
        else f"policy iteration (Bellman bound {err:.2g} included)"
    )
    checks.append(
        Check.within(
            "best_response",
            gap,
            atol,
            f"the policy is optimal for the follower ({how})",
            f"the policy is {gap:.3g} below the follower's optimum {at0(V):.10g} ({how})",
        )
    )
    _, W = dp.optimistic(ind.P, ind.rf, ind.rl, H, g, tie_tolerance(game, atol))
    # a NaN follower optimum (overflow) empties the optimal face (W = -inf): no tie verdict
    tgap = math.nan if math.isnan(at0(V)) else excess(at0(W) - at0(Ul))
    checks.append(
        Check.within(
            "tie_break",
            tgap,
            atol,
            "optimistic: no optimal follower policy gives the leader more "
            "(second backward induction)",
            f"another optimal follower policy gives the leader {tgap:.3g} more",
        )
    )
    checks.append(_value("leader_value", leader_value, lv, atol))
    checks.append(_value("follower_value", follower_value, fv, atol))
    checks.append(_optimality(game, lv, W, at0, evidence, atol, pure))
    if enumeration.applies(game):
        sup, n = enumeration.supremum(game)
        checks.append(
            shortfall_check(
                "optimality_enumeration",
                sup,
                lv,
                atol,
                f"enumeration of {n} follower policies (forward evaluation, "
                f"exact parameter intervals): supremum {sup:.10g}",
                f"enumeration of {n} follower policies finds {sup:.10g}, "
                f"{sup - lv:.3g} above the leader's value",
            )
        )
    return game_certificate(game, checks, rtol=float(rtol), atol=atol, evidence=evidence)


def _value(name: str, reported: Any, true: float, atol: float) -> Check:
    if reported is not None and (
        isinstance(reported, bool)
        or not isinstance(reported, (int, float))
        or not math.isfinite(float(reported))
    ):
        return Check(name, False, None, atol, f"reported {reported!r} is not a finite number")
    return value_check(name, reported, true, atol)


def _commitment_check(
    game: MDPGame, theta: np.ndarray, x: np.ndarray, rtol: float, pure: bool
) -> Check:
    span = np.maximum(1.0, np.maximum(np.abs(game.lower), np.abs(game.upper)))
    viol = np.maximum(0.0, np.maximum(game.lower - theta, theta - game.upper)) / span
    resid = float(viol.max()) if len(viol) else 0.0
    what = "parameters within bounds"
    if game.leader_actions:
        resid = excess(resid, -x.min(), np.abs(x.sum(axis=1) - 1).max())
        what += ", leader mixing a distribution in every state"
        if pure:  # one action per state: distance of each row from its nearest vertex
            resid = excess(resid, float((1.0 - x.max(axis=1)).max()))
            what += " (pure)"
    return Check.within("commitment", resid, rtol, what, f"not {what}")


def pure_optimum(game: MDPGame, tie: float) -> float:
    """The best optimistic leader value over every pure commitment (no parameters): one
    lexicographic backward induction (policy iteration) per commitment."""
    import itertools

    S, L = game.n_states, game.n_leader_actions
    best = -np.inf
    for choice in itertools.product(range(L), repeat=S):
        x = np.zeros((S, L))
        x[np.arange(S), list(choice)] = 1.0
        ind = game.induced(np.zeros(0), x)
        _, W = dp.optimistic(ind.P, ind.rf, ind.rl, game.horizon, game.discount, tie)
        v = float(game.initial @ (W[0] if game.finite else W))
        if math.isnan(v) or v > best:  # NaN (overflow) sticks: the check then fails
            best = v
    return best


def _optimality(
    game: MDPGame, lv: float, W: np.ndarray, at0, evidence, atol: float, pure: bool
) -> Check:
    n = game.pure_commitments()
    if game.transitions_depend_on_leader and not pure:
        return Check(
            "optimality",
            False,
            None,
            atol,
            "the leader's actions change transitions: optimality over mixed commitments is "
            "not computed exactly (only pure commitments are; solve with --pure)",
        )
    if not len(game.parameters) and game.n_leader_actions > 1 and pure and n <= PURE_LIMIT:
        best = pure_optimum(game, tie_tolerance(game, atol))
        return shortfall_check(
            "optimality",
            best,
            lv,
            atol,
            f"enumeration of the {n} pure commitments (backward induction each): best "
            f"{best:.10g} (exact)",
        )
    if not len(game.parameters) and game.n_leader_actions == 1:
        best = at0(W)
        return shortfall_check(
            "optimality",
            best,
            lv,
            atol,
            "the leader has nothing to choose: the optimistic value "
            f"{best:.10g} is the optimum (exact)",
        )
    bound = (evidence or {}).get("milp_bound")
    if isinstance(bound, Mapping):  # the record {"bound": number, "incumbent": ...}
        bound = bound.get("bound")
    if (
        isinstance(bound, bool)
        or not isinstance(bound, (int, float))
        or not math.isfinite(float(bound))
    ):
        return Check(
            "optimality",
            False,
            None,
            atol,
            f"no finite 'milp_bound' in the evidence (got {bound!r})",
        )
    bound = float(bound)
    return shortfall_check(
        "optimality",
        bound,
        lv,
        atol,
        f"leader value within atol of the MILP bound {bound:.10g} (solver-reported)",
        f"leader value {lv:.10g} is {bound - lv:.3g} below the MILP bound "
        f"{bound:.10g} (solver-reported)",
    )
