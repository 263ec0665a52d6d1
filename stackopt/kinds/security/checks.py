r"""Certificates for security-game results.

Given a game, a coverage vector :math:`c`, the attacked target :math:`t_\lambda` of each attacker
type and the evidence a solver recorded, with absolute tolerances
:math:`\varepsilon_d = r\,s_d`, :math:`\varepsilon_a = r\,s_a` (:math:`r` the relative
tolerance, :math:`s` the largest absolute payoff of the defender / attackers):

``commitment`` (called ``coverage`` before 0.2)
    :math:`-r \le c_t \le 1 + r` and :math:`\sum_t c_t \le m + r\max(1, m)`.
``best_response``
    for every type, :math:`\max_t U_a^\lambda(t, c) - U_a^\lambda(t_\lambda, c) \le
    \varepsilon_a`.
``tie_break``
    leader-favourable ties: no target within :math:`\varepsilon_a` of the type's best gives the
    defender more than :math:`U_d^\lambda(t_\lambda, c) + \varepsilon_d`.
``leader_value`` / ``follower_value``
    the reported values equal :math:`\sum_\lambda p_\lambda U_d^\lambda(t_\lambda, c)` and
    :math:`U_a^\lambda(t_\lambda, c)` (a number for one type, a mapping type -> value
    otherwise).
``optimality``
    *one type* (``evidence.bounds``): for every target :math:`t^*` the weak-duality bound of
    LP(:math:`t^*`) (:mod:`stackopt.formulations.security_lps`) recomputed from the recorded
    multipliers :math:`\mu \ge 0, \nu \ge 0` — linear-size records ``(nu, kappa, mu)`` or,
    in older files, full ``mu`` vectors (:mod:`stackopt.kinds.security.bounds`), plus a
    rounding margin — is at most the value plus :math:`\varepsilon_d`: a proof, from the game
    alone, that no coverage does better.
    *Several types* (``evidence.milp_bound.bound``): the ERASER MILP's bound as reported by HiGHS
    (branch and bound with ``mip_rel_gap = 0``) is within :math:`\varepsilon_d` of the value.
    This is the solver's claim and cannot be re-checked without re-solving; the detail says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from stackopt.certificate import Certificate, Check, excess
from stackopt.checks.common import (
    bounds_check,
    check_rtol,
    game_certificate,
    probability_vector,
    shortfall_check,
    tie_gap,
    value_check,
    worst_check,
)
from stackopt.errors import InputError
from stackopt.kinds.registry import DEFAULT_RTOL
from stackopt.kinds.security.game import SecurityGame
from stackopt.vocabulary import COMMITMENT, milp_bound


def tolerances(game: SecurityGame, rtol: float) -> tuple[float, float]:
    """Absolute tolerances (defender, attacker) for relative tolerance ``rtol``."""
    check_rtol(rtol)
    return rtol * game.defender_scale, rtol * game.attacker_scale


def coverage_vector(game: SecurityGame, coverage: Mapping[str, Any]) -> np.ndarray:
    """The coverage as a vector over ``game.targets`` (missing targets are 0)."""
    if not isinstance(coverage, Mapping):
        raise InputError(
            f"must map targets to coverage probabilities, got {coverage!r}",
            field="leader.commitment",
            fix='write e.g. {"t1": 0.4}',
        )
    return probability_vector(
        game.n_targets,
        game.target_index,
        coverage,
        noun="coverage",
        nonfinite="non-finite coverage",
        nonfinite_fix="write finite numbers",
    )


def response_indices(game: SecurityGame, response: Any) -> list[int]:
    """The attacked target of each type: a label (one type) or a mapping type -> label."""
    if isinstance(response, Mapping):
        missing = [ty for ty in game.types if ty not in response]
        if missing:
            raise InputError(
                f"no response for attacker type {missing[0]!r}",
                field="follower.response",
                fix="give every type's target",
            )
        for ty in response:
            game.type_index(ty)
        return [game.target_index(response[ty]) for ty in game.types]
    if game.n_types != 1:
        raise InputError(
            "a game with attacker types needs a response per type",
            field="follower.response",
            fix='write e.g. {"terrorist": "t1"}',
        )
    return [game.target_index(response)]


def bound_from_multipliers(game: SecurityGame, target: int, mu: np.ndarray, nu: float) -> float:
    """Weak-duality bound on LP(``target``) (one type), written from the formula in
    :mod:`stackopt.formulations.security_lps`."""
    dc, du = game.defender_covered[0], game.defender_uncovered[0]
    ac, au = game.attacker_covered[0], game.attacker_uncovered[0]
    others = np.arange(game.n_targets) != target
    w = np.where(others, mu, 0.0)
    total = (
        float(du[target])
        + nu * game.resources
        + float(w @ (au[target] - au))
        + float(np.where(others, np.maximum(0.0, (au - ac) * w - nu), 0.0).sum())
    )
    total += max(
        0.0, float(dc[target] - du[target]) - float(au[target] - ac[target]) * w.sum() - nu
    )
    return float(total)


def certify_security(
    game: SecurityGame,
    coverage: Mapping[str, Any],
    response: Any,
    leader_value: float | None,
    follower_value: Any,
    evidence: Mapping[str, Any] | None,
    *,
    rtol: float = DEFAULT_RTOL,
    rederive: bool = False,
) -> Certificate:
    """Check a (coverage, attacked targets) answer against ``game``; see the module docstring."""
    atol_d, atol_a = tolerances(game, rtol)
    c = coverage_vector(game, coverage)
    resp = response_indices(game, response)
    checks: list[Check] = []
    m = game.resources
    over = excess(-c.min(), c.max() - 1.0)
    spent = excess(c.sum() - m)
    ok = over <= rtol and spent <= rtol * max(1, m)
    checks.append(
        Check(
            COMMITMENT,
            ok,
            excess(over, spent),
            rtol,
            f"coverage in [0, 1] using {c.sum():.6g} of {m} resources"
            if ok
            else f"infeasible coverage (min {c.min():.3g}, max {c.max():.3g}, total "
            f"{c.sum():.6g} for {m} resources)",
        )
    )
    ud, ua = game.defender_utility(c), game.attacker_utility(c)
    gaps = [float(ua[lam].max() - ua[lam, t]) for lam, t in enumerate(resp)]
    checks.append(
        worst_check(
            "best_response",
            gaps,
            atol_a,
            "every attacked target is a best response",
            lambda i: (
                f"type '{game.types[i]}' gains {gaps[i]:.3g} by attacking "
                f"'{game.targets[int(ua[i].argmax())]}'"
            ),
        )
    )
    ties = [tie_gap(ua[lam], ud[lam], t, atol_a, "leader") for lam, t in enumerate(resp)]
    checks.append(
        worst_check(
            "tie_break",
            ties,
            atol_d,
            "ties are broken in the defender's favour",
            lambda i: (
                f"another best response of type '{game.types[i]}' gives the "
                f"defender {ties[i]:.3g} more"
            ),
        )
    )
    true_l = float(sum(p * ud[lam, t] for lam, (p, t) in enumerate(zip(game.priors, resp))))
    true_f = {ty: float(ua[lam, t]) for lam, (ty, t) in enumerate(zip(game.types, resp))}
    checks.append(value_check("leader_value", leader_value, true_l, atol_d))
    checks.append(_follower_value(game, follower_value, true_f, atol_a))
    checks.append(_optimality(game, true_l, evidence, atol_d, rederive))
    return game_certificate(game, checks, rtol=rtol, atol=max(atol_d, atol_a), evidence=evidence)


def _follower_value(game: SecurityGame, reported: Any, true: dict[str, float], tol: float) -> Check:
    if reported is None:  # values are optional
        return Check(
            "follower_value",
            True,
            None,
            tol,
            "not reported; the game gives " + ", ".join(f"{v:.10g}" for v in true.values()),
        )
    if not isinstance(reported, Mapping):
        if game.n_types != 1:
            return Check(
                "follower_value",
                False,
                None,
                tol,
                "a game with attacker types needs one value per type",
            )
        reported = {game.types[0]: reported}
    try:
        err = excess(*(abs(float(reported[ty]) - v) for ty, v in true.items()))  # keeps NaN
    except (KeyError, TypeError, ValueError):
        return Check("follower_value", False, None, tol, "missing or non-numeric type value")
    return Check(
        "follower_value",
        err <= tol,
        err,
        tol,
        "recomputed " + ", ".join(f"{v:.10g}" for v in true.values())
        if err <= tol
        else f"reported attacker value(s) differ from the game by {err:.3g}",
    )


def _optimality(
    game: SecurityGame,
    value: float,
    evidence: Mapping[str, Any] | None,
    atol: float,
    rederive: bool = False,
) -> Check:
    ev = evidence or {}
    bounds = ev.get("bounds")
    if game.n_types == 1 and isinstance(bounds, Mapping):
        return _bounds_optimality(game, bounds, value, atol)
    milp = milp_bound(ev)  # evidence.milp_bound.bound (old form: a bare number)
    if milp is not None:
        raw = milp.get("bound")
        from stackopt.checks.common import is_finite_number

        if not is_finite_number(raw):
            return Check(
                "optimality",
                False,
                None,
                atol,
                f"bad MILP bound in evidence: {str(raw)[:40]!r} is not a finite number",
            )
        if float(raw) - value > atol:
            return Check(
                "optimality",
                False,
                float(raw) - value,
                atol,
                f"MILP bound {float(raw):.10g} exceeds the value {value:.10g}",
            )
        rederived, how = _rederive(game) if rederive else (None, "")
        if rederived is not None:  # the file's bound is only a hint: re-derive the optimum
            return shortfall_check(
                "optimality",
                rederived,
                value,
                atol,
                f"re-derived independently ({how}): optimum {rederived:.10g}",
                f"{how} gives {rederived:.10g} > {value:.10g}",
            )
        return shortfall_check(
            "optimality",
            float(raw),
            value,
            atol,
            f"solver-reported: ERASER MILP bound {milp.get('bound')} reported by HiGHS "
            f"with mip_rel_gap=0 (solver's claim, "
            + (
                f"not re-derived: game above {VERIFY_ERASER_ENTRIES} target-type pairs)"
                if rederive
                else "not re-checkable from the game)"
            ),
            f"MILP bound {milp.get('bound')} exceeds the value {value:.10g}",
        )
    return Check(
        "optimality",
        False,
        None,
        atol,
        "the result carries no optimality evidence; re-solve with 'stackopt solve' to obtain it",
    )


def _bounds_optimality(
    game: SecurityGame, bounds: Mapping[str, Any], value: float, atol: float
) -> Check:
    """``optimality`` from one bound record per target, all evaluated at once
    (:func:`stackopt.kinds.security.bounds.lagrangian_bounds`, compact or full multipliers)."""
    from stackopt.kinds.security.bounds import lagrangian_bounds, parse_records

    errors = (InputError, TypeError, ValueError)
    recs, bad = parse_records(game.targets, bounds, game.target_index, errors)
    values = lagrangian_bounds(
        game.defender_covered[0],
        game.defender_uncovered[0],
        game.attacker_covered[0],
        game.attacker_uncovered[0],
        float(game.resources),
        recs,
    )
    by_target = dict(zip(recs.target.tolist(), values.tolist()))

    def bound_of(k: int, rec: Mapping[str, Any]) -> float:
        if k in bad:
            raise bad[k]
        return by_target[k]

    return bounds_check(
        game.targets,
        bounds,
        bound_of,
        value,
        atol,
        noun="target",
        subject="target's LP",
        how="weak duality",
        errors=errors,
    )


#: Largest ``targets x types`` for which ``verify`` re-solves ERASER instead of trusting the
#: result's MILP bound (one type: always re-derived by the multiple LPs, which are cheap).
VERIFY_ERASER_ENTRIES = 60
#: Seconds allowed for that fresh ERASER solve.
VERIFY_ERASER_SECONDS = 30.0


def _rederive(game: SecurityGame) -> tuple[float | None, str]:
    """The defender's optimum computed afresh: multiple LPs (one type) or a fresh plain ERASER
    MILP (small games, :func:`_plain_eraser`); ``(None, "")`` when the game is too large or the
    solve fails."""
    from stackopt.errors import SolverError
    from stackopt.kinds.security.solve import solve_security

    try:
        if game.n_types == 1:
            r = solve_security(game, method="multiple_lps")
            how = "multiple LPs, one per target"
        elif game.n_targets * game.n_types <= VERIFY_ERASER_ENTRIES:
            return _plain_eraser(game)
        else:
            return None, ""
    except SolverError:
        return None, ""
    if not r.certified or r.leader.value is None:
        return None, ""
    return float(r.leader.value), how


def _plain_eraser(game: SecurityGame) -> tuple[float | None, str]:
    """The optimum of the plain ERASER model (Pyomo, per-type big-Ms, no caps, no coupled rows,
    no incumbent): a second formulation, independent of the one ``solve`` uses."""
    from pyomo.contrib.solver.common.results import TerminationCondition

    from stackopt.engines.highs import solve_milp_exactly
    from stackopt.formulations.security_milp import build_eraser

    res, _ = solve_milp_exactly(build_eraser(game), time_limit=VERIFY_ERASER_SECONDS)
    if res.termination_condition != TerminationCondition.convergenceCriteriaSatisfied:
        return None, ""
    if res.incumbent_objective is None:  # pragma: no cover - optimal implies a solution
        return None, ""
    bound = res.objective_bound if res.objective_bound is not None else res.incumbent_objective
    return float(bound), "a fresh plain ERASER MILP solve (solver-reported bound)"
