"""Bayesian Stackelberg games (and several independent followers): solve, verify, export.

Methods

``dobss`` (default for leader-favourable ties)
    the DOBSS MILP (:mod:`stackopt.formulations.dobss`) in Pyomo, solved by HiGHS with
    ``mip_rel_gap = 0`` and ``threads = 1``; the commitment is then polished by the LP of the
    chosen response profile (maximise the leader's value subject to every type's chosen action
    being a best response), which removes the MILP's integrality/feasibility noise.
``harsanyi``
    multiple LPs (:func:`stackopt.solve_sse`) on the Harsanyi-transformed normal-form game
    (:func:`stackopt.kinds.bayesian.game.harsanyi_transform`); refused above ``max_profiles``
    response profiles. Its certificate is re-provable from the game (one duality bound per
    profile).

With ``tie_break="adversarial"`` the pessimistic method of
:mod:`stackopt.kinds.normal_form.pessimistic` runs on the Harsanyi game (method
``harsanyi_weak_lps``): supremum, attainment and a strict commitment;
``Status.NOT_ATTAINED`` when the supremum is not attained.

The result's ``follower.response`` maps each type name to its action, ``follower.value`` each
type name to its payoff; ``leader.value`` is :math:`W \\sum_\\ell p_\\ell x^\\top
R^\\ell_{\\cdot j_\\ell}` (:math:`W` = 1 for priors, the total weight for independent followers).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from stackopt.certificate import Certificate
from stackopt.checks.common import certify_answer, read_result
from stackopt.errors import InputError, UnsupportedError
from stackopt.kinds.bayesian.checks import (
    DEFAULT_RTOL,
    certify_bayesian,
    leader_total,
    tie_broken_responses,
    tolerances,
)
from stackopt.kinds.bayesian.game import DEFAULT_MAX_PROFILES, BayesianGame, harsanyi_transform
from stackopt.kinds.registry import validated
from stackopt.result import Result, certificate_message, failure_result
from stackopt.status import Status
from stackopt.vocabulary import MILP_BOUND, milp_record

METHODS = ("dobss", "harsanyi")
TIE_BREAKS = ("leader", "adversarial")


@validated("bayesian")
def solve_bayesian(
    game: BayesianGame,
    *,
    method: str | None = None,
    tie_break: str = "leader",
    rtol: float = DEFAULT_RTOL,
    time_limit: float | None = None,
    max_profiles: int = DEFAULT_MAX_PROFILES,
    epsilon: float = 1e-3,
) -> Result:
    """Stackelberg equilibrium of a Bayesian game (or a game with independent followers).

    Parameters
    ----------
    game
        The game.
    method
        ``"dobss"`` (MILP; default for ``tie_break="leader"``) or ``"harsanyi"`` (multiple LPs
        on the Harsanyi transformation; the only method for ``tie_break="adversarial"``).
    tie_break
        ``"leader"`` (strong equilibrium) or ``"adversarial"`` (pessimistic; see
        :mod:`stackopt.kinds.normal_form.pessimistic`).
    rtol
        Relative tolerance of the certificate (see :mod:`stackopt.kinds.bayesian.checks`).
    time_limit
        Seconds for the MILP / the LP loop (``None``: none). Hitting it gives ``Status.ERROR``.
    max_profiles
        Largest Harsanyi game (number of joint response profiles) the Harsanyi methods accept.
    epsilon
        Pessimistic only: relative distance to the supremum allowed for the strict commitment.

    Returns
    -------
    Result
        ``kind="bayesian"``; ``follower.response`` maps type -> action label,
        ``follower.value`` type -> payoff; the certificate's evidence holds the MILP bound
        (``milp``), the per-profile bounds (``bounds``) or the pessimistic records
        (``harsanyi``).
    """
    if not isinstance(game, BayesianGame):
        raise InputError(f"expected a BayesianGame, got {type(game).__name__}")
    if method is None:
        method = "dobss" if tie_break == "leader" else "harsanyi"
    if tie_break == "adversarial" and method == "dobss":
        raise UnsupportedError(
            "DOBSS computes strong (leader-favourable) equilibria only",
            field="method",
            fix="use method='harsanyi' with adversarial ties",
        )
    tolerances(game, rtol)  # validates rtol
    options = {"method": method, "tie_break": tie_break, "rtol": rtol, "max_profiles": max_profiles}
    t0 = time.perf_counter()
    if tie_break == "adversarial":
        options["epsilon"] = epsilon
        res = _solve_weak(
            game,
            rtol=rtol,
            epsilon=epsilon,
            max_profiles=max_profiles,
            time_limit=time_limit,
            options=options,
        )
    elif method == "dobss":
        res = _solve_dobss(game, rtol=rtol, time_limit=time_limit, options=options)
    else:
        res = _solve_harsanyi(
            game, rtol=rtol, time_limit=time_limit, max_profiles=max_profiles, options=options
        )
    return dataclasses.replace(res, stats={**res.stats, "total_seconds": time.perf_counter() - t0})


def verify_bayesian(
    game: BayesianGame,
    result: Result | Mapping[str, Any],
    *,
    rtol: float | None = None,
    max_profiles: int = DEFAULT_MAX_PROFILES,
    exact: bool = False,
) -> Certificate:
    """Re-check ``result`` against ``game`` without solving
    (:mod:`stackopt.kinds.bayesian.checks`)."""
    if not isinstance(game, BayesianGame):
        raise InputError(f"expected a BayesianGame, got {type(game).__name__}")
    from stackopt.checks.common import validate_bounds

    result, rtol, evidence = read_result(result, rtol, DEFAULT_RTOL)
    opts = dict(result.options or {})
    stored_profiles = opts.get("max_profiles")
    if stored_profiles is not None and (
        isinstance(stored_profiles, bool)
        or not isinstance(stored_profiles, int)
        or not 1 <= stored_profiles <= 10 * max_profiles
    ):
        raise InputError(
            f"must be an integer from 1 to {10 * max_profiles}, got {str(stored_profiles)[:40]!r}",
            field="options.max_profiles",
            fix="omit it (verify uses its own limit)",
        )
    if evidence:
        validate_bounds(evidence)
    tie = str(opts.get("tie_break") or "leader")
    if tie not in TIE_BREAKS:
        raise InputError(
            f"unknown tie_break {tie!r} in the result",
            field="options.tie_break",
            fix="use 'leader' or 'adversarial'",
        )
    cert = certify_answer(
        certify_bayesian,
        game,
        result,
        evidence,
        rtol=rtol,
        tie_break=tie,
        attained=result.status is not Status.NOT_ATTAINED,
        max_profiles=max(max_profiles, int(opts.get("max_profiles") or 0)),
    )
    from stackopt.checks.status_claim import with_status_check

    if exact:  # the answer re-proved in rational arithmetic given its response profile
        from dataclasses import replace

        from stackopt.kinds.bayesian.checks import commitment_vector, response_indices
        from stackopt.kinds.bayesian.exact import exact_check

        check, ev = exact_check(
            game,
            commitment_vector(game, result.leader.commitment),
            response_indices(game, result.follower.response),
            tie_break=tie,
        )
        cert = replace(
            cert, checks=cert.checks + (check,), evidence={**(cert.evidence or {}), "exact": ev}
        )
    allowed = (Status.OPTIMAL,) if tie == "leader" else (Status.OPTIMAL, Status.NOT_ATTAINED)
    return with_status_check(
        cert,
        result.status,
        allowed,
        why="a finite Bayesian game always has an equilibrium"
        + (" supremum" if tie != "leader" else ""),
    )


def build_model(game: BayesianGame):
    """The DOBSS MILP of ``game`` (for ``stackopt export``)."""
    from stackopt.formulations.dobss import build_dobss

    return build_dobss(game, scale=False)


# -- methods ---------------------------------------------------------------------------------


def _solve_dobss(
    game: BayesianGame, *, rtol: float, time_limit: float | None, options: dict[str, Any]
) -> Result:
    from pyomo.contrib.solver.common.results import TerminationCondition

    from stackopt.engines.highs import solve_milp_exactly, swallow_banner
    from stackopt.formulations.dobss import build_dobss, read_solution
    from stackopt.kinds.bayesian.merge import merge_identical_types
    from stackopt.progress import model_size, phase

    swallow_banner()
    t0 = time.perf_counter()
    merged = merge_identical_types(game)  # identical types: one type, summed prior (exact)
    solved = merged.game
    model = build_dobss(solved)
    build_s = time.perf_counter() - t0
    phase("bayesian", "DOBSS MILP built (%s) in %.2f s; HiGHS started", model_size(model), build_s)
    abs_gap = min(1e-7, 0.1 * rtol)
    res, solve_s = solve_milp_exactly(model, time_limit=time_limit, abs_gap=abs_gap)
    stats: dict[str, Any] = {
        "build_seconds": build_s,
        "milp_seconds": solve_s,
        "highs_seconds": solve_s,
        "binaries": sum(len(t.actions) for t in solved.types),
        "types": len(game.types),
        "types_merged": merged.merged,
    }
    tc = res.termination_condition
    if tc != TerminationCondition.convergenceCriteriaSatisfied:
        return failure_result(
            game,
            options,
            f"HiGHS stopped with '{tc.name}' on the DOBSS MILP; nothing is claimed",
            "dobss",
            stats=stats,
        )
    res.solution_loader.load_vars()
    x, resp = read_solution(model, solved)
    scale = model.leader_scale * solved.value_factor
    incumbent = float(res.incumbent_objective) * scale
    bound = float(res.objective_bound) * scale
    x, resp, polished = _polish(solved, x, resp, rtol)
    resp = merged.expand(resp)  # every original type answers as its merged type
    stats["polished"] = polished
    evidence = {
        MILP_BOUND: milp_record(bound, incumbent, mip_abs_gap=abs_gap * scale, termination=tc.name)
    }
    return _result(game, "dobss", x, resp, evidence, stats, options, rtol, "leader")


def _polish(
    game: BayesianGame, x: np.ndarray, resp: list[int], rtol: float
) -> tuple[np.ndarray, list[int], bool]:
    """Re-solve the LP of profile ``resp``; keep the better of it and ``x`` (tie-broken)."""
    from stackopt.engines.dense_lp import solve_dense_lp

    _, _, atol_f = tolerances(game, rtol)
    sa, sb = game.leader_scale, game.follower_scale
    p = game.priors
    c = sum(p[l] * t.R[:, resp[l]] for l, t in enumerate(game.types)) / sa
    rows = [
        (t.C[:, k] - t.C[:, resp[l]]) / sb
        for l, t in enumerate(game.types)
        for k in range(len(t.actions))
        if k != resp[l]
    ]
    out = solve_dense_lp(
        c,
        np.array(rows) if rows else None,
        np.zeros(len(rows)) if rows else None,
        np.ones((1, game.m)),
        np.array([1.0]),
        lb=0.0,
        ub=1.0,
    )
    best_x = x
    polished = False
    if out.status == "optimal" and out.x is not None:  # an optimal LP has its x
        y = np.clip(out.x, 0.0, None)
        y = y / y.sum()
        r_old = tie_broken_responses(game, x, atol_f)
        r_new = tie_broken_responses(game, y, atol_f)
        if leader_total(game, y, r_new) >= leader_total(game, x, r_old) - rtol * sa:
            best_x, polished = y, True
    return best_x, tie_broken_responses(game, best_x, atol_f), polished


def _solve_harsanyi(
    game: BayesianGame,
    *,
    rtol: float,
    time_limit: float | None,
    max_profiles: int,
    options: dict[str, Any],
) -> Result:
    from stackopt.kinds.normal_form.solve import solve_sse

    t0 = time.perf_counter()
    h = harsanyi_transform(game, max_profiles=max_profiles)
    build_s = time.perf_counter() - t0
    r = solve_sse(h.game, rtol=rtol, time_limit=time_limit)
    x = np.array([r.leader.commitment[a] for a in game.leader_actions], dtype=float)
    prof = h.profiles[h.game.follower_index(str(r.follower.response))]
    _, _, atol_f = tolerances(game, rtol)
    resp = tie_broken_responses(game, x, atol_f)
    for l, j in zip(h.active, prof):
        resp[l] = j
    stats = dict(r.stats)
    stats.update(
        {"profiles": len(h.profiles), "transform_seconds": build_s, "types": len(game.types)}
    )
    assert r.certificate is not None  # solve_sse certifies every game it solves
    evidence = {"bounds": dict(r.certificate.evidence.get("bounds", {}))}
    return _result(game, "harsanyi", x, resp, evidence, stats, options, rtol, "leader")


def _solve_weak(
    game: BayesianGame,
    *,
    rtol: float,
    epsilon: float,
    max_profiles: int,
    time_limit: float | None,
    options: dict[str, Any],
) -> Result:
    from stackopt.engines.weak_sse import weak_sse_lps
    from stackopt.kinds.normal_form.checks import tolerances as nf_tolerances
    from stackopt.kinds.normal_form.checks_pessimistic import weak_evidence

    if not (isinstance(epsilon, (int, float)) and 10 * rtol < epsilon < 1):
        raise InputError(
            f"epsilon must be in (10*rtol, 1), got {epsilon!r}",
            field="epsilon",
            fix="use e.g. 1e-3 (relative to the payoff scale)",
        )
    h = harsanyi_transform(game, max_profiles=max_profiles)
    nf = h.game
    atol_hl, atol_hf = nf_tolerances(nf, rtol)
    sa = float(np.abs(nf.A).max()) or 1.0
    out = weak_sse_lps(
        nf.A, nf.B, atol_l=atol_hl, atol_f=atol_hf, epsilon=epsilon * sa, time_limit=time_limit
    )
    x = out.attaining_x if out.attained and out.attaining_x is not None else out.strict_x
    _, _, atol_f = tolerances(game, rtol)
    resp = tie_broken_responses(game, x, atol_f, "adversarial")
    stats = dict(out.stats)
    stats.update(
        {
            "profiles": len(h.profiles),
            "supremum": out.supremum * game.value_factor,
            "attained": out.attained,
            "types": len(game.types),
        }
    )
    evidence = {
        "harsanyi": weak_evidence(nf, out, epsilon=epsilon),
        "supremum": out.supremum * game.value_factor,
    }
    res = _result(
        game,
        "harsanyi_weak_lps",
        x,
        resp,
        evidence,
        stats,
        options,
        rtol,
        "adversarial",
        attained=out.attained,
        supremum=out.supremum * game.value_factor,
    )
    if not out.attained:
        assert res.certificate is not None  # _result always certifies
        msg = (
            f"supremum {out.supremum * game.value_factor:.10g} is NOT attained when ties go "
            f"against the leader; the reported commitment induces every positive-prior "
            f"type's response strictly and gets {res.leader.value:.10g} (within epsilon "
            f"{epsilon:g} x payoff scale)"
        )
        msg += (
            "" if res.certificate.passed else "; certificate failed: " + res.certificate.summary()
        )
        res = dataclasses.replace(res, status=Status.NOT_ATTAINED, message=msg)
    return res


def _result(
    game: BayesianGame,
    method: str,
    x: np.ndarray,
    resp: list[int],
    evidence: dict[str, Any],
    stats: dict[str, Any],
    options: dict[str, Any],
    rtol: float,
    tie_break: str,
    attained: bool = True,
    supremum: float | None = None,
) -> Result:
    commitment = {game.leader_actions[i]: float(x[i]) for i in range(game.m)}
    response = {t.name: t.actions[resp[l]] for l, t in enumerate(game.types)}
    fvals = {t.name: float(x @ t.C[:, resp[l]]) for l, t in enumerate(game.types)}
    lv = leader_total(game, x, resp)
    cert = certify_bayesian(
        game,
        commitment,
        response,
        lv,
        fvals,
        evidence,
        rtol=rtol,
        tie_break=tie_break,
        attained=attained,
        max_profiles=int(options.get("max_profiles", DEFAULT_MAX_PROFILES)),
    )
    msg = certificate_message(cert)
    if tie_break == "adversarial" and attained:
        msg = f"supremum {supremum:.10g} is attained" + ("; " + msg if msg else "")
    return Result.answered(
        game, Status.OPTIMAL, method, commitment, lv, response, fvals, cert, stats, options, msg
    )


__all__ = ["build_model", "solve_bayesian", "verify_bayesian"]


def export_models(game, **_: object) -> dict:
    """The models ``stackopt export`` writes: ``{"": the Pyomo model}`` (one file)."""
    return {"": build_model(game)}
