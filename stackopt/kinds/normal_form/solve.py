"""Strong Stackelberg equilibria of normal-form games: options, solve, verify.

``solve_sse`` runs the multiple-LPs method (:mod:`stackopt.formulations.multiple_lps`) or, with
``pure=True``, enumerates pure commitments; either way the answer is certified by
:mod:`stackopt.kinds.normal_form.checks` before it is returned.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from stackopt.certificate import Certificate
from stackopt.checks.common import bounds_evidence
from stackopt.errors import InputError
from stackopt.kinds.normal_form.checks import DEFAULT_RTOL, certify, pure_values, tolerances
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.kinds.normal_form.game import prepare as prepare_game
from stackopt.kinds.registry import validated
from stackopt.result import Result
from stackopt.status import Status

ENGINES = ("highs", "pyomo")
METHODS = ("multiple_lps", "pure_commitment")


# ``prepare`` lives with the game (the pessimistic solver uses it too); this name stays.
prepare = prepare_game


@validated("normal_form")
def solve_sse(
    game: NormalFormGame,
    *,
    pure: bool = False,
    leader: str = "leader",
    leader_actions: Sequence[str] | None = None,
    follower_actions: Sequence[str] | None = None,
    rtol: float = DEFAULT_RTOL,
    engine: str = "highs",
    prune: bool = True,
    time_limit: float | None = None,
    tie_break: str = "leader",
    exact: bool = False,
    method: str | None = None,
) -> Result:
    """Strong Stackelberg equilibrium (leader-favourable ties) of a normal-form game.

    Parameters
    ----------
    game
        The game.
    pure
        Restrict the leader to pure commitments (enumeration; no LP).
    leader
        Who leads: ``"leader"`` (default, as in the file), ``"follower"``, or a player name.
    leader_actions, follower_actions
        Restrict each side (of the game as solved, after any swap) to these actions.
    rtol
        Relative tolerance of the certificate; absolute tolerances are ``rtol`` times each
        player's largest absolute payoff.
    engine
        ``"highs"`` (one highspy model edited in place; fast) or ``"pyomo"`` (one Pyomo model per
        LP solved through Pyomo's HiGHS interface; slow, independent cross-check).
    prune
        Skip LPs that cannot beat the incumbent (bound ``max_i A[i, j]``).
    time_limit
        Seconds for the LP loop (``None``: no limit).
    method
        ``"multiple_lps"`` (default) or ``"pure_commitment"`` (the same as ``pure=True``);
        the names results report in ``method``.
    exact
        Also prove the answer in rational arithmetic (:mod:`stackopt.checks.exact`): the
        exact commitment and values (as fractions) go into ``certificate.evidence["exact"]``
        and a check named ``exact`` is added.
    tie_break
        ``"leader"`` (strong equilibrium, default) or ``"adversarial"``: delegate to
        :func:`stackopt.kinds.normal_form.pessimistic.solve_weak_sse` (supremum, attainment,
        strict commitment; ``engine`` and ``prune`` do not apply, ``pure`` is refused).

    Returns
    -------
    Result
        ``status`` optimal (a finite game always has an SSE), the commitment, response, values,
        statistics (``lps_solved``, ``lps_pruned``, ...) and the certificate.
    """
    if method is not None:
        pure = pure or method == "pure_commitment"
    if tie_break == "adversarial":
        from stackopt.kinds.normal_form.pessimistic import refuse_pure, solve_weak_sse

        if pure:
            refuse_pure()
        return solve_weak_sse(
            game,
            rtol=rtol,
            leader=leader,
            leader_actions=leader_actions,
            follower_actions=follower_actions,
            time_limit=time_limit,
        )
    t0 = time.perf_counter()
    g = prepare(
        game, leader=leader, leader_actions=leader_actions, follower_actions=follower_actions
    )
    _atol_l, atol_f = tolerances(g, rtol)
    options = {
        "pure": pure,
        "leader": leader,
        "leader_actions": leader_actions,
        "follower_actions": follower_actions,
        "rtol": rtol,
        "engine": engine,
        "prune": prune,
        "tie_break": "leader",
        "exact": exact,
        "method": "pure_commitment" if pure else "multiple_lps",
    }
    if pure:
        resp, vals = pure_values(g, atol_f)
        i = int(vals.argmax())
        x = np.zeros(g.shape[0])
        x[i] = 1.0
        j = int(resp[i])
        evidence: dict[str, Any] = {
            "pure_values": {g.leader_actions[k]: float(vals[k]) for k in range(g.shape[0])}
        }
        stats: dict[str, Any] = {"commitments_enumerated": g.shape[0]}
        method = "pure_commitment"
    else:
        if engine == "highs":
            from stackopt.engines.multiple_lps import solve_multiple_lps

            out = solve_multiple_lps(
                g.A, g.B, prune=prune, follower_tol=atol_f, time_limit=time_limit
            )
        else:
            from stackopt.engines.pyomo_lps import solve_multiple_lps_pyomo

            out = solve_multiple_lps_pyomo(g, prune=prune, follower_tol=atol_f)
        stats = dict(out.stats)
        evidence = {"bounds": bounds_evidence(g.follower_actions, out.records)}
        if out.best is None:  # pragma: no cover - a finite game always has an inducible action
            why = "no follower action could be induced"
            return Result.unanswered(g, Status.ERROR, "multiple_lps", why, options, stats)
        assert out.commitment is not None  # set together with out.best
        j, x = out.best, out.commitment
        method = "multiple_lps"

    commitment = {g.leader_actions[i]: float(x[i]) for i in range(g.shape[0])}
    lv, fv = float(x @ g.A[:, j]), float(x @ g.B[:, j])
    cert = certify(g, commitment, g.follower_actions[j], lv, fv, evidence, rtol=rtol, pure=pure)
    if exact:
        cert = _with_exact(g, cert, commitment, g.follower_actions[j], pure)
    stats["total_seconds"] = time.perf_counter() - t0
    return Result.answered(
        g, Status.OPTIMAL, method, commitment, lv, g.follower_actions[j], fv, cert, stats, options
    )


def verify_sse(
    game: NormalFormGame,
    result: Result | Mapping[str, Any],
    *,
    rtol: float | None = None,
    leader_actions: Sequence[str] | None = None,
    follower_actions: Sequence[str] | None = None,
    pure: bool = False,
    exact: bool = False,
) -> Certificate:
    """Re-check ``result`` against ``game`` without solving (see :mod:`.checks`).

    Nothing in the result is trusted but the answer: its rtol is capped at the default, every
    number in its evidence is validated, and the restrictions it declares
    (``options.leader_actions``, ``options.follower_actions``, ``options.pure``,
    ``method: pure_commitment``) are **not** applied — pass ``leader_actions``,
    ``follower_actions`` or ``pure`` here (``stackopt verify --leader-actions/--pure``) to
    verify the restricted problem. Ignored restrictions are listed in the certificate's
    evidence (``ignored_restrictions``). Who leads (``options.leader``) and the tie rule
    (``options.tie_break``) define the question and are read from the result.
    ``exact=True`` adds the rational-arithmetic proof (:mod:`stackopt.checks.exact`).
    """
    from dataclasses import replace

    from stackopt.checks.common import label_response, read_result, validate_bounds

    result, rtol, stored = read_result(result, rtol, DEFAULT_RTOL)
    opts = dict(result.options or {})
    _check_result_options(opts)
    leader = opts.get("leader") or "leader"
    if (
        result.leader.name not in ("leader", game.leader_name, leader)
        and result.leader.name == game.follower_name
    ):
        leader = "follower"
    ignored = {k: opts[k] for k in ("leader_actions", "follower_actions", "pure") if opts.get(k)}
    if result.method == "pure_commitment":
        ignored["method"] = "pure_commitment"
    if pure:  # the caller's explicit restrictions are applied, so not "ignored"
        ignored.pop("pure", None)
        ignored.pop("method", None)
    if leader_actions is not None:
        ignored.pop("leader_actions", None)
    if follower_actions is not None:
        ignored.pop("follower_actions", None)
    g = prepare(
        game, leader=leader, leader_actions=leader_actions, follower_actions=follower_actions
    )
    evidence = dict(stored) if stored is not None else None
    if evidence is not None:
        validate_bounds(evidence)
    commitment, lv = result.leader.commitment, result.leader.value
    response = label_response(result.follower.response, "a normal-form")
    fv = result.follower.value
    from stackopt.checks.status_claim import with_status_check

    if opts.get("tie_break") == "adversarial":
        from stackopt.kinds.normal_form.checks_pessimistic import certify_weak

        attained = result.status is not Status.NOT_ATTAINED
        cert = certify_weak(g, commitment, response, lv, fv, evidence, rtol=rtol, attained=attained)
        claimable: tuple[Status, ...] = (Status.OPTIMAL, Status.NOT_ATTAINED)
        why = "a finite game always has a weak-SSE supremum"
    else:
        pure = bool(pure)
        if pure:
            evidence = None  # optimality among pure commitments is enumerated, not read
        cert = certify(g, commitment, response, lv, fv, evidence, rtol=rtol, pure=pure)
        if exact or opts.get("exact") is True or (evidence and "exact" in evidence):
            cert = _with_exact(
                g, cert, commitment, response, pure, claimed=(evidence or {}).get("exact")
            )
        claimable = (Status.OPTIMAL,)
        why = "a finite game always has a strong Stackelberg equilibrium"
    cert = with_status_check(cert, result.status, claimable, why=why)
    if not ignored:
        return cert
    return replace(cert, evidence={**(cert.evidence or {}), "ignored_restrictions": ignored})


def _check_result_options(opts: Mapping[str, Any]) -> None:
    """Refuse malformed options in a result read from JSON (one InputError naming the key)."""
    for key in ("leader_actions", "follower_actions"):
        v = opts.get(key)
        if (
            v is not None
            and not isinstance(v, str)
            and not (isinstance(v, (list, tuple)) and all(isinstance(a, str) for a in v))
        ):
            raise InputError(
                f"must be a list of action labels, got {v!r}",
                field=f"options.{key}",
                fix="write e.g. [inspect, skip] or null",
            )
    v = opts.get("rtol")
    if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
        raise InputError(
            f"must be a number, got {v!r}", field="options.rtol", fix="write e.g. 1e-6 or omit it"
        )
    v = opts.get("leader")
    if v is not None and not isinstance(v, str):
        raise InputError(
            f"must be a role or player name, got {v!r}",
            field="options.leader",
            fix="write 'leader' or 'follower'",
        )


def _with_exact(
    g: NormalFormGame,
    cert: Certificate,
    commitment: Mapping[str, float],
    response: str,
    pure: bool,
    claimed: Any = None,
) -> Certificate:
    """``cert`` plus the rational-arithmetic check of :mod:`stackopt.checks.exact`.

    ``claimed`` is the exact evidence a result read from JSON carries; the check fails when
    a fraction it states differs from the recomputed one.
    """
    from dataclasses import replace

    from stackopt.checks.exact import exact_certificate

    bounds = None if pure else (cert.evidence or {}).get("bounds")
    check, exact_evidence = exact_certificate(g, commitment, response, bounds)
    if pure and check.passed:  # optimality among pure commitments, enumerated exactly
        from fractions import Fraction

        from stackopt.checks.exact import to_fraction

        v = Fraction(exact_evidence["leader_value"])
        for i in range(g.shape[0]):
            fb = [to_fraction(b) for b in g.B[i]]
            top = max(fb)
            best_i = max(to_fraction(g.A[i, k]) for k in range(g.shape[1]) if fb[k] == top)
            if best_i > v:
                check = replace(
                    check,
                    passed=False,
                    detail=f"exactly, pure commitment '{g.leader_actions[i]}' gives {best_i} > {v}",
                )
                break
        else:
            check = replace(
                check, detail=check.detail + "; all pure commitments enumerated exactly"
            )
    if isinstance(claimed, Mapping) and check.passed:
        for key in ("leader_value", "follower_value", "commitment"):
            if key in claimed and key in exact_evidence and claimed[key] != exact_evidence[key]:
                check = replace(
                    check,
                    passed=False,
                    detail=f"the result states exact {key} {claimed[key]}, "
                    f"recomputed {exact_evidence[key]}",
                )
                break
    evidence = dict(cert.evidence or {})
    evidence["exact"] = exact_evidence
    return replace(cert, checks=cert.checks + (check,), evidence=evidence)


def export_models(
    game: NormalFormGame, *, leader: str = "leader", response: str | None = None, **_: object
) -> dict[str, Any]:
    """The models ``stackopt export`` writes: LP(j) for every follower action ``j`` (or only
    ``response``), keyed by the action's file-safe name (``<label>_<j>`` where two labels
    sanitise alike, e.g. ``a-b`` and ``a+b``)."""
    from stackopt.formulations.multiple_lps import build_lp, safe_name

    g = prepare(game, leader=leader)
    labels = [response] if response else list(g.follower_actions)
    safe = [safe_name(lab) for lab in labels]
    out: dict[str, Any] = {}
    for lab, name in zip(labels, safe):
        j = g.follower_index(lab)
        out[name if safe.count(name) == 1 else f"{name}_{j}"] = build_lp(g, j)
    return out
