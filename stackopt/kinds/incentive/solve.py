r"""Incentive games: solve (multiple LPs with incentives, or pure commitments), verify, export.

``solve_incentive`` runs :func:`stackopt.engines.incentive_lps.solve_incentive_lps` (one
highspy model edited in place; ``engine="pyomo"`` solves the Pyomo models of
:mod:`stackopt.formulations.incentive_lps` instead) or, with ``pure=True``, evaluates every
pure commitment with its minimal incentive in closed form. The answer is certified by
:mod:`stackopt.kinds.incentive.checks` before it is returned. The *value of incentives* — the
leader's value with incentives minus its strong Stackelberg value in the same game without
them — goes into ``stats`` (``value_without_incentives``, ``value_of_incentives``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from stackopt.certificate import Certificate
from stackopt.checks.common import bounds_evidence, label_response, read_result
from stackopt.errors import InputError
from stackopt.kinds.incentive.checks import DEFAULT_RTOL, certify, pure_table, tolerances
from stackopt.kinds.incentive.game import IncentiveGame
from stackopt.kinds.registry import validated
from stackopt.result import Result
from stackopt.status import Status

METHODS = ("incentive_lps", "pure_commitment")


@validated("incentive")
def solve_incentive(
    game: IncentiveGame,
    *,
    method: str | None = None,
    pure: bool = False,
    engine: str = "highs",
    prune: bool = True,
    rtol: float = DEFAULT_RTOL,
    time_limit: float | None = None,
    tie_break: str = "leader",
) -> Result:
    """Strong Stackelberg equilibrium of an incentive game (leader-favourable ties).

    Parameters
    ----------
    game
        The incentive game.
    method
        ``"incentive_lps"`` (default) or ``"pure_commitment"`` (the same as ``pure=True``).
    pure
        The leader commits to a pure action (plus incentives): closed-form enumeration.
    engine
        ``"highs"`` (one highspy model edited in place) or ``"pyomo"`` (one Pyomo model per
        LP; the exported formulation, a cross-check).
    prune
        Skip LPs whose bound :math:`\\max_i A_{ij}` cannot beat the incumbent.
    rtol, time_limit, tie_break
        Certificate tolerance, seconds for the LP loop, tie rule (``leader`` only).

    Returns
    -------
    Result
        ``status`` optimal, the commitment, ``leader.incentives`` and ``leader.payment``, the
        response, both values (the leader's net of payments, the follower's with incentives),
        statistics and the certificate.
    """
    if not isinstance(game, IncentiveGame):
        raise InputError(f"expected an IncentiveGame, got {type(game).__name__}")
    if method is not None:
        if method not in METHODS:
            raise InputError(
                f"unknown method {method!r} for incentive games",
                field="method",
                fix="use one of " + ", ".join(METHODS),
            )
        pure = pure or method == "pure_commitment"
    if tie_break != "leader":
        raise InputError(
            f"tie_break {tie_break!r} is not available for incentive games",
            field="tie_break",
            fix="use 'leader'",
        )
    t0 = time.perf_counter()
    _, atol_f = tolerances(game, rtol)
    inc = game.incentives
    m = game.shape[0]
    method = "pure_commitment" if pure else "incentive_lps"
    options = {
        "method": method,
        "pure": pure,
        "engine": engine,
        "prune": prune,
        "rtol": rtol,
        "tie_break": "leader",
    }
    if pure:
        resp, vals = pure_table(game, atol_f)
        i = int(vals.argmax())
        x = np.zeros(m)
        x[i] = 1.0
        j = int(resp[i])
        amount = max(0.0, float(game.B[i].max() - game.B[i, j]))
        if amount <= atol_f:
            amount = 0.0
        pay = np.array([amount]) if inc.contract == "uniform" else amount * x
        evidence: dict[str, Any] = {
            "pure_values": {game.leader_actions[k]: _fin(vals[k]) for k in range(m)}
        }
        stats: dict[str, Any] = {"commitments_enumerated": m, "highs_seconds": 0.0}
        from stackopt.kinds.normal_form.checks import pure_values

        _, plain = pure_values(game.base, atol_f)
        without = float(plain.max())
    else:
        if engine == "highs":
            from stackopt.engines.incentive_lps import solve_incentive_lps

            out = solve_incentive_lps(
                game.A,
                game.B,
                game.caps,
                vmax=inc.max,
                cost_weight=inc.cost_weight,
                budget=inc.budget,
                per_action=inc.contract == "per_action",
                prune=prune,
                follower_tol=atol_f,
                time_limit=time_limit,
            )
        elif engine == "pyomo":
            from stackopt.engines.incentive_lps import solve_incentive_lps_pyomo

            out = solve_incentive_lps_pyomo(game, prune=prune, follower_tol=atol_f)
        else:
            raise InputError(f"unknown engine {engine!r}", field="engine", fix="use highs or pyomo")
        stats = dict(out.stats)
        evidence = {"bounds": bounds_evidence(game.follower_actions, out.records)}
        if out.best is None:  # pragma: no cover - some action is always inducible
            raise InputError("no follower action could be induced")
        if out.commitment is None or out.payment is None:  # pragma: no cover
            raise InputError("no follower action could be induced")
        j, x, pay = out.best, out.commitment, out.payment
        without, secs = _plain_value(game, atol_f)
        stats["highs_seconds"] = stats.get("highs_seconds", 0.0) + secs

    incentives = _incentives_json(game, x, j, pay)
    commitment = {game.leader_actions[i]: float(x[i]) for i in range(m)}
    payment = float(pay.sum())
    lv = float(x @ game.A[:, j]) - inc.cost_weight * payment
    fv = float(x @ game.B[:, j]) + payment
    cert = certify(
        game,
        commitment,
        incentives,
        game.follower_actions[j],
        lv,
        fv,
        payment,
        evidence,
        rtol=rtol,
        pure=pure,
    )
    stats["value_without_incentives"] = without
    stats["value_of_incentives"] = lv - without
    stats["total_seconds"] = time.perf_counter() - t0
    msg = _summary(incentives, payment, lv - without, without) if cert.passed else None
    return Result.answered(
        game,
        Status.OPTIMAL,
        method,
        commitment,
        lv,
        game.follower_actions[j],
        fv,
        cert,
        stats,
        options,
        msg,
        incentives=incentives,
        payment=payment,
    )


def _summary(incentives: Mapping[str, Any], payment: float, gain: float, without: float) -> str:
    """One line for the table: the incentives paid, the expected payment and the value of
    incentives (the result's JSON has them as ``leader.incentives``, ``leader.payment`` and
    ``stats``)."""
    paid: list[str] = []
    for key, val in incentives.items():
        if isinstance(val, Mapping):
            paid += [f"{key}/{k} {v:.6g}" for k, v in val.items() if v > 0]
        elif val > 0:
            paid.append(f"{key} {val:.6g}")
    gain, without = round(gain, 9) + 0.0, round(without, 9) + 0.0
    return (
        f"incentives: {', '.join(paid) or 'none'}; expected payment {payment + 0.0:.6g}; "
        f"value of incentives {gain:+.6g} (without incentives {without:.6g})"
    )


def _plain_value(game: IncentiveGame, atol_f: float) -> tuple[float, float]:
    """The leader's strong Stackelberg value of the game without incentives (the plain
    multiple-LPs engine), and the seconds HiGHS took."""
    from stackopt.engines.multiple_lps import solve_multiple_lps
    from stackopt.errors import SolverError

    try:
        out = solve_multiple_lps(game.A, game.B, prune=True, follower_tol=atol_f)
        return float(out.commitment @ game.A[:, out.best]), float(out.stats["highs_seconds"])
    except SolverError:  # HiGHS refused threads=1 in this process: the same LPs, no payments
        from stackopt.engines.incentive_lps import solve_incentive_lps

        alt = solve_incentive_lps(
            game.A,
            game.B,
            np.zeros(game.shape[1]),
            vmax=0.0,
            cost_weight=0.0,
            budget=None,
            per_action=False,
            follower_tol=atol_f,
        )
        return float(alt.commitment @ game.A[:, alt.best]), float(alt.stats["highs_seconds"])


def _fin(v: float) -> float | None:
    return float(v) if np.isfinite(v) else None


def _incentives_json(game: IncentiveGame, x: np.ndarray, j: int, pay: np.ndarray) -> dict[str, Any]:
    """``leader.incentives``: label -> amount (uniform; every payable action, paid only on
    the response) or leader action -> label -> amount (per_action; :math:`v_{aj} = w_a /
    x_a`, 0 where :math:`x_a = 0`)."""
    payable = game.payable_actions
    resp = game.follower_actions[j]
    if game.incentives.contract == "uniform":
        return {k: (float(pay[0]) if k == resp else 0.0) for k in payable}
    vmax = game.incentives.max
    out: dict[str, Any] = {}
    for a, lab in enumerate(game.leader_actions):
        v = float(min(vmax, pay[a] / x[a])) if x[a] > 0 and pay[a] > 0 else 0.0
        out[lab] = {k: (v if k == resp else 0.0) for k in payable}
    return out


def verify_incentive(
    game: IncentiveGame,
    result: Result | Mapping[str, Any],
    *,
    rtol: float | None = None,
    pure: bool = False,
) -> Certificate:
    """Re-check ``result`` against ``game`` without solving: every number in the result is
    validated and the certificate recomputed from the game (the result cannot loosen the
    tolerance: :func:`stackopt.checks.common.verify_rtol`).

    ``pure=True`` (``stackopt verify --pure``) checks optimality among pure commitments. A
    result that only *declares* ``pure`` (options or method ``pure_commitment``) is checked
    against every commitment, and the declaration is reported under
    ``evidence["ignored_restrictions"]``: verify trusts nothing in a result but the answer.
    """
    result, rtol, evidence = read_result(result, rtol, DEFAULT_RTOL)
    opts = dict(result.options or {})
    if opts.get("tie_break", "leader") != "leader":
        raise InputError(
            f"incentive games are solved with leader-favourable ties, the result "
            f"states {opts.get('tie_break')!r}",
            field="options.tie_break",
            fix="write 'leader' or omit it",
        )
    response = label_response(result.follower.response, "an incentive-game")
    lv, fv = result.leader.value, result.follower.value
    for name, v in (("leader.value", lv), ("follower.value", fv)):
        if v is not None and (
            isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(float(v))
        ):
            raise InputError(
                f"must be a finite number, got {v!r}", field=name, fix="write a number or omit it"
            )
    declared = bool(opts.get("pure", False)) or result.method == "pure_commitment"
    cert = certify(
        game,
        result.leader.commitment,
        result.leader.incentives,
        response,
        lv,
        fv,
        result.leader.payment,
        evidence,
        rtol=rtol,
        pure=pure,
    )
    if declared and not pure:
        from dataclasses import replace

        cert = replace(
            cert, evidence={**dict(cert.evidence or {}), "ignored_restrictions": {"pure": True}}
        )
    from stackopt.checks.status_claim import with_status_check

    return with_status_check(
        cert,
        result.status,
        (Status.OPTIMAL,),
        why="a finite incentive game always has a strong Stackelberg equilibrium",
    )


def export_models(game: IncentiveGame, **_: object) -> dict[str, Any]:
    """The models ``stackopt export`` writes: LP(j) for every follower action ``j``, keyed by
    the action's file-safe name (``<label>_<j>`` where two labels sanitise alike)."""
    from stackopt.formulations.incentive_lps import build_lp
    from stackopt.formulations.multiple_lps import safe_name

    labels = list(game.follower_actions)
    safe = [safe_name(lab) for lab in labels]
    return {
        (nm if safe.count(nm) == 1 else f"{nm}_{j}"): build_lp(game, j) for j, nm in enumerate(safe)
    }
