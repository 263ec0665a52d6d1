"""Stackelberg MDPs: solve, verify and export.

``solve_mdp`` builds the complementarity MILP of :mod:`stackopt.formulations.mdp_milp` (the
follower's occupancy LP, its optimality through binaries on the action choices with big-Ms
proven from the data), solves it with HiGHS at zero gap, reads the leader's commitment, lets
the follower answer with the optimistic policy re-derived by backward induction
(:func:`stackopt.kinds.mdp.dp.optimistic`) and certifies the answer
(:mod:`stackopt.kinds.mdp.checks`).

Exact class: the leader's parameters enter the follower's rewards linearly; the leader's
actions (case (a)) change rewards only, committed as a mixed (or, with ``pure``, a pure)
distribution per state. When leader actions change transitions, pure commitments are
enumerated (each induces one MDP, solved by the MILP when there are parameters, by backward
induction otherwise) and mixed ones are refused: the leader's mixing would multiply the
follower's occupancy, and no exact formulation is implemented.

Result layout: ``leader.commitment`` maps each parameter to its value and, with leader actions,
each ``"state/leader_action"`` to its probability; ``leader.value`` is the leader's expected
total (discounted) reward minus the parameters' costs; ``follower.response`` is the policy,
``{"t": {state: action}}`` for steps t = 0..H-1 (discounted: ``{state: action}``);
``follower.value`` the follower's expected total reward. ``certificate.evidence`` holds
``milp_bound`` and the policy's ``occupancy`` measure.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from stackopt.certificate import Certificate
from stackopt.checks.common import certify_answer, read_result
from stackopt.errors import InputError, SolverError, UnsupportedError
from stackopt.kinds.mdp import dp
from stackopt.kinds.mdp.checks import atol_of, certify, occupancy, policy_to_response, tie_tolerance
from stackopt.kinds.mdp.game import MDPGame
from stackopt.kinds.registry import DEFAULT_RTOL
from stackopt.result import Result
from stackopt.status import Status

METHODS = ("kkt_milp", "enumerate")
DEFAULT_MAX_COMMITMENTS = 4096


def _check_game(game: Any) -> None:
    if not isinstance(game, MDPGame):
        raise InputError(
            f"expected an MDPGame, got {type(game).__name__}",
            fix="load one with stackopt.load_game",
        )


def choose_method(game: MDPGame, method: str | None) -> str:
    """``kkt_milp`` unless the leader's actions change transitions (then ``enumerate``)."""
    if method is None:
        return "enumerate" if game.transitions_depend_on_leader else "kkt_milp"
    if method not in METHODS:
        raise InputError(
            f"unknown method {method!r} for mdp games",
            field="method",
            fix="use one of: " + ", ".join(METHODS),
        )
    if method == "kkt_milp" and game.transitions_depend_on_leader:
        raise UnsupportedError(
            "the leader's actions change transitions, so its mixing multiplies the "
            "follower's occupancy and the MILP is not exact",
            field="method",
            fix="use --method enumerate --pure (pure commitments, exact)",
        )
    return method


def _refuse_mixed(game: MDPGame, method: str, pure: bool) -> None:
    if method == "enumerate" and game.transitions_depend_on_leader and not pure:
        raise UnsupportedError(
            "mixed commitments over leader actions that change transitions are not solved "
            "exactly (the leader's mixing multiplies the follower's occupancy)",
            field="pure",
            fix="add --pure to enumerate pure commitments exactly, or make "
            "the leader's actions change rewards only",
        )


def solve_mdp(
    game: MDPGame,
    *,
    method: str | None = None,
    rtol: float = DEFAULT_RTOL,
    time_limit: float | None = None,
    tie_break: str = "leader",
    pure: bool = False,
    max_commitments: int = DEFAULT_MAX_COMMITMENTS,
) -> Result:
    """The optimistic Stackelberg equilibrium of ``game``, certified.

    Parameters
    ----------
    method
        ``kkt_milp`` (one MILP; leader actions may change rewards only) or ``enumerate``
        (every pure commitment over the leader's actions); default: ``kkt_milp`` unless the
        leader's actions change transitions.
    rtol
        Relative tolerance of the certificate (``atol = rtol * game.scale``).
    time_limit
        Seconds for HiGHS (per MILP); stopping early gives status ``error``.
    tie_break
        ``leader`` only (optimistic ties).
    pure
        The leader commits to one action per state (case (a)).
    max_commitments
        ``enumerate`` refuses games with more pure commitments than this.
    """
    _check_game(game)
    atol = atol_of(game, rtol)
    if tie_break != "leader":
        raise UnsupportedError(
            f"tie_break {tie_break!r} is not available for mdp games",
            field="tie_break",
            fix="use 'leader'",
        )
    method = choose_method(game, method)
    _refuse_mixed(game, method, pure)
    if method == "enumerate":
        pure = True
    options = {
        "method": method,
        "rtol": rtol,
        "time_limit": time_limit,
        "tie_break": tie_break,
        "pure": bool(pure),
        "max_commitments": max_commitments,
        "mip_rel_gap": 0.0,
    }
    t0 = time.perf_counter()
    stats: dict[str, Any] = {
        "build_seconds": 0.0,
        "highs_seconds": 0.0,
        "states": game.n_states,
        "actions": game.n_actions,
        "horizon": game.horizon,
        "discount": game.discount,
        "parameters": len(game.parameters),
        "leader_actions": len(game.leader_actions),
    }
    if method == "kkt_milp":
        theta, x, bound, status, binaries = _milp(game, pure, None, time_limit, stats)
        stats["binaries"] = binaries
    else:
        n = game.pure_commitments()
        if n > max_commitments:
            raise UnsupportedError(
                f"{n} pure commitments exceed max_commitments {max_commitments}",
                field="max_commitments",
                fix="raise --max-commitments, or make the leader's "
                "actions change rewards only (one MILP)",
            )
        theta, x, bound, status = _enumerate(game, atol, time_limit, stats)
        stats["commitments"] = n
    ind = game.induced(theta, x)
    policy, _ = dp.optimistic(
        ind.P, ind.rf, ind.rl, game.horizon, game.discount, tie_tolerance(game, atol)
    )
    Vf = dp.evaluate(ind.P, ind.rf, policy, game.discount)
    Ul = dp.evaluate(ind.P, ind.rl, policy, game.discount)
    rho = game.initial
    fv = float(rho @ (Vf[0] if game.finite else Vf))
    lv = float(rho @ (Ul[0] if game.finite else Ul)) - float(game.cost @ theta)
    commitment = game.commitment_dict(theta, x)
    response = policy_to_response(game, policy)
    evidence = {
        "milp_bound": {
            "bound": bound,
            "incumbent": lv,
            "mip_rel_gap": 0.0,
            "solver": "highs"
            if method == "kkt_milp" or len(game.parameters)
            else "backward induction",
            "termination": status,
        },
        "occupancy": occupancy(game, ind.P, policy),
    }
    cert = certify(game, commitment, response, lv, fv, evidence, rtol=rtol, pure=bool(pure))
    stats["total_seconds"] = time.perf_counter() - t0
    st = Status.OPTIMAL if status == "optimal" else Status.TIME_LIMIT
    msg: str | None = None  # None: the certificate's verdict
    if st is not Status.OPTIMAL:
        msg = f"HiGHS stopped with '{status}'; the commitment is not proven optimal"
    return Result.answered(
        game, st, method, commitment, lv, response, fv, cert, stats, options, msg
    )


def start_candidates(
    game: MDPGame, fixed_x: np.ndarray | None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Commitments tried for the MIP start: every corner of the parameter box (at most 16,
    else each parameter at its lower bound) and the midpoint; with leader mixing the uniform
    mix and each leader action in every state."""
    import itertools

    K, S, L = len(game.parameters), game.n_states, game.n_leader_actions
    if K <= 4:
        thetas = [np.array(c, float) for c in itertools.product(*zip(game.lower, game.upper))]
    else:
        thetas = [game.lower.copy(), game.upper.copy()]
    thetas.append((game.lower + game.upper) / 2)
    if fixed_x is not None:
        xs = [fixed_x]
    elif L > 1:
        xs = [np.full((S, L), 1.0 / L)] + [np.eye(L)[[l] * S] for l in range(L)]
    else:
        xs = [np.ones((S, 1))]
    return [(th, x) for th in thetas for x in xs]


def _best_start(
    game: MDPGame, fixed_x: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The candidate commitment with the best optimistic leader value, its exactly optimal
    policy (ties within 1e-12 x scale) and that value."""
    best: tuple[np.ndarray, np.ndarray, np.ndarray, float] | None = None
    tie = 1e-12 * game.scale
    for theta, x in start_candidates(game, fixed_x):
        ind = game.induced(theta, x)
        pol, W = dp.optimistic(ind.P, ind.rf, ind.rl, game.horizon, game.discount, tie)
        val = float(game.initial @ (W[0] if game.finite else W)) - float(game.cost @ theta)
        if best is None or val > best[3]:
            best = (theta, x, pol, val)
    assert best is not None
    return best


def _milp(
    game: MDPGame,
    pure: bool,
    fixed_x: np.ndarray | None,
    time_limit: float | None,
    stats: dict[str, Any],
) -> tuple[np.ndarray, np.ndarray, float, str, int]:
    from stackopt.engines.mdp_highs import solve_with_start
    from stackopt.formulations.mdp_milp import build_mdp_milp, read_solution, set_start
    from stackopt.progress import model_size, phase

    t = time.perf_counter()
    milp = build_mdp_milp(game, pure=pure, fixed_x=fixed_x)
    theta0, x0, pol0, _ = _best_start(game, fixed_x)
    if pure and milp.mixing:  # a pure start: the first leader action everywhere
        x0 = np.eye(game.n_leader_actions)[[0] * game.n_states]
        ind = game.induced(theta0, x0)
        pol0, _ = dp.optimistic(
            ind.P, ind.rf, ind.rl, game.horizon, game.discount, 1e-12 * game.scale
        )
    set_start(milp, game, theta0, x0, pol0)
    stats["build_seconds"] += time.perf_counter() - t
    phase("mdp", "MDP MILP built (%s); HiGHS started from a MIP start", model_size(milp.model))
    status, incumbent, bound, secs = solve_with_start(milp.model, time_limit=time_limit)
    stats["highs_seconds"] += secs
    if status not in ("optimal", "time_limit"):
        raise SolverError(
            f"HiGHS returned '{status}' on the MDP MILP (it is always feasible: please "
            "report this game)"
        )
    if incumbent is None:
        raise SolverError(f"HiGHS stopped ({status}) without a commitment; raise time_limit")
    theta, x, _ = read_solution(milp, game)
    if fixed_x is not None:
        x = fixed_x
    return theta, x, float(incumbent if bound is None else bound), status, milp.binaries


def _enumerate(
    game: MDPGame, atol: float, time_limit: float | None, stats: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray, float, str]:
    """Every pure commitment ``L^S``: the MILP (parameters) or backward induction."""
    S, L, K = game.n_states, game.n_leader_actions, len(game.parameters)
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    bound, status = -np.inf, "optimal"
    for choice in itertools.product(range(L), repeat=S):
        x = np.zeros((S, L))
        x[np.arange(S), list(choice)] = 1.0
        if K:
            theta, _, b, st, _ = _milp(game, False, x, time_limit, stats)
            if st != "optimal":
                status = st
        else:
            theta = np.zeros(0)
            ind = game.induced(theta, x)
            _, W = dp.optimistic(
                ind.P, ind.rf, ind.rl, game.horizon, game.discount, tie_tolerance(game, atol)
            )
            b = float(game.initial @ (W[0] if game.finite else W))
        ind = game.induced(theta, x)
        _pol, W = dp.optimistic(
            ind.P, ind.rf, ind.rl, game.horizon, game.discount, tie_tolerance(game, atol)
        )
        val = float(game.initial @ (W[0] if game.finite else W)) - float(game.cost @ theta)
        if np.isnan(b) or b > bound:  # a NaN bound (overflow) sticks: nothing is proved
            bound = b
        if best is None or val > best[0]:
            best = (val, theta, x)
    assert best is not None
    return best[1], best[2], float(bound), status


def verify_mdp(
    game: MDPGame, result: Result | Mapping[str, Any], *, rtol: float | None = None
) -> Certificate:
    """Re-check ``result`` against ``game`` without solving (see
    :mod:`stackopt.kinds.mdp.checks`): every number is recomputed from the game and the
    reported commitment and policy; only the MILP bound comes from the result."""
    _check_game(game)
    result, rtol, evidence = read_result(result, rtol, DEFAULT_RTOL)
    pure = result.method == "enumerate" or (result.options or {}).get("pure") is True
    cert = certify_answer(certify, game, result, evidence, rtol=rtol, pure=pure)
    cert = _with_fresh_bound(game, result, cert, rtol, pure)
    from stackopt.checks.status_claim import with_status_check

    return with_status_check(
        cert,
        result.status,
        (Status.OPTIMAL,),
        why="the commitment set is compact and the follower's "
        "optimistic response upper semicontinuous, so an "
        "optimal commitment always exists",
    )


def _with_fresh_bound(
    game: MDPGame, result: Result, cert: Certificate, rtol: float, pure: bool
) -> Certificate:
    """``cert`` plus ``optimality_resolve`` when its ``optimality`` check passed on the
    result's own ``milp_bound`` alone (no exact or solver-free check): the bound is only a hint
    from the file, so a fresh solve re-derives it and the answer must reach that bound within
    ``atol``. A forged bound therefore cannot certify a suboptimal answer."""
    from dataclasses import replace

    from stackopt.certificate import Check

    opt = next((c for c in cert.checks if c.name == "optimality"), None)
    if (
        opt is None
        or not opt.passed
        or "solver-reported" not in opt.detail
        or any(c.name == "optimality_enumeration" for c in cert.checks)
    ):
        return cert
    method = result.method if result.method in ("kkt_milp", "enumerate") else None
    try:
        fresh = solve_mdp(game, method=method, rtol=rtol, pure=pure)
    except (SolverError, UnsupportedError) as exc:
        fresh = None
        why = f"a fresh solve failed: {exc}"
    if fresh is not None and fresh.status is Status.OPTIMAL and fresh.certificate:
        fresh_bound = {"milp_bound": fresh.certificate.evidence.get("milp_bound")}
        again = certify_answer(certify, game, result, fresh_bound, rtol=rtol, pure=pure)
        check = next(c for c in again.checks if c.name == "optimality")
        new = Check(
            "optimality_resolve",
            check.passed,
            check.residual,
            check.tolerance,
            "re-derived by a fresh solve (not the result's bound): "
            + check.detail.replace(" (solver-reported)", ""),
        )
    else:
        if fresh is not None:
            why = f"a fresh solve ended with status {fresh.status.value!r}"
        new = Check("optimality_resolve", False, None, cert.atol, why)
    return replace(cert, checks=cert.checks + (new,))


def export_models(
    game: MDPGame, *, method: str | None = None, pure: bool = False, **_: object
) -> dict[str, Any]:
    """``{"": the Pyomo MILP}`` for ``stackopt export`` (leader actions changing rewards
    only; with transition-changing leader actions there is one MDP per pure commitment)."""
    from stackopt.formulations.mdp_milp import build_mdp_milp

    _check_game(game)
    if game.transitions_depend_on_leader:
        raise UnsupportedError(
            "the leader's actions change transitions: there is one MILP "
            "per pure commitment and no single model to export",
            field="method",
            fix="solve with --method enumerate --pure",
        )
    method = choose_method(game, method)
    # enumerate's pure commitments over reward-only leader actions: the MILP with binary mixes
    return {"": build_mdp_milp(game, pure=bool(pure) or method == "enumerate").model}
