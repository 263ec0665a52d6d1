r"""Certificates for Bayesian Stackelberg results (and games with independent followers).

Tolerances: :math:`\varepsilon_F = r\,s_C` (largest absolute follower payoff over all types),
:math:`\varepsilon_R = r\,s_R` per type for the leader, and :math:`\varepsilon_L = \varepsilon_R
\cdot W` for the leader's total value (:math:`W` = 1 for priors, the total weight for
independent followers).

``commitment``
    :math:`x` is a probability distribution (within :math:`r`).
``best_response``
    every type :math:`\ell` gets its response :math:`j_\ell` within :math:`\varepsilon_F` of its
    best: :math:`\max_k x^\top C^\ell_{\cdot k} - x^\top C^\ell_{\cdot j_\ell} \le \varepsilon_F`.
``tie_break``
    per type, among the responses within :math:`\varepsilon_F` of the best, :math:`j_\ell`
    gives the leader the most (``leader``) or the least (``adversarial``) within
    :math:`\varepsilon_R`.
``leader_value`` / ``follower_value``
    the reported values equal :math:`W\sum_\ell p_\ell x^\top R^\ell_{\cdot j_\ell}` and, per
    type, :math:`x^\top C^\ell_{\cdot j_\ell}`.
``optimality`` (leader tie rule)
    *DOBSS*: the evidence holds HiGHS's branch-and-bound upper bound (run with
    ``mip_rel_gap = 0``); the check confirms that this bound does not exceed the value by more
    than :math:`\varepsilon_L`. This trusts HiGHS's search: verify cannot re-prove the bound
    without solving. *Harsanyi*: the evidence holds one weak-duality bound (or a dominance
    mixture) per response profile; the check recomputes each from the game, exactly as for a
    normal-form game (:mod:`stackopt.kinds.normal_form.checks`), so the claim is re-proven.
adversarial tie rule
    the checks of :mod:`stackopt.kinds.normal_form.checks_pessimistic` on the Harsanyi game
    (supremum bounds per profile class, strict commitment, attainment), plus the per-type
    checks above.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from stackopt.certificate import Certificate, Check
from stackopt.checks.common import (
    distribution_check,
    game_certificate,
    is_finite_number,
    player_tolerances,
    probability_vector,
    shortfall_check,
    tie_gap,
    value_check,
    worst_check,
)
from stackopt.errors import InputError
from stackopt.kinds.bayesian.game import DEFAULT_MAX_PROFILES, BayesianGame, harsanyi_transform
from stackopt.kinds.registry import DEFAULT_RTOL
from stackopt.status import TieBreak
from stackopt.vocabulary import milp_bound


def tolerances(game: BayesianGame, rtol: float) -> tuple[float, float, float]:
    """``(atol_total_leader, atol_type_leader, atol_follower)`` for relative ``rtol``."""
    atol_r, atol_f = player_tolerances(game, rtol)
    return atol_r * game.value_factor, atol_r, atol_f


def commitment_vector(game: BayesianGame, commitment: Mapping[str, Any]) -> np.ndarray:
    if not isinstance(commitment, Mapping):
        raise InputError(
            "must map leader actions to probabilities",
            field="leader.commitment",
            fix='write e.g. {"a": 0.5, "b": 0.5}',
        )
    return probability_vector(game.m, game.leader_index, commitment)


def response_indices(game: BayesianGame, response: Any) -> list[int]:
    """Each type's response index from a mapping type name -> action label."""
    if not isinstance(response, Mapping):
        raise InputError(
            f"a Bayesian response must map type names to actions, got {response!r}",
            field="follower.response",
            fix='write e.g. {"thief": "rob1", "vandal": "rob2"}',
        )
    extra = [k for k in response if str(k) not in game.type_names]
    if extra:
        raise InputError(
            f"unknown follower type {extra[0]!r}",
            field="follower.response",
            fix="use the type names " + ", ".join(map(repr, game.type_names)),
        )
    out = []
    for t in game.types:
        if t.name not in response:
            raise InputError(
                f"no response for type {t.name!r}",
                field=f"follower.response.{t.name}",
                fix="give every type's action",
            )
        out.append(t.action_index(str(response[t.name])))
    return out


def leader_total(game: BayesianGame, x: np.ndarray, resp: list[int]) -> float:
    """:math:`W \\sum_\\ell p_\\ell x^\\top R^\\ell_{\\cdot j_\\ell}`."""
    p = game.priors
    return game.value_factor * float(
        sum(p[l] * (x @ t.R[:, resp[l]]) for l, t in enumerate(game.types))
    )


def tie_broken_responses(
    game: BayesianGame, x: np.ndarray, atol_f: float, tie_break: str = "leader"
) -> list[int]:
    """Each type's best response at ``x`` with ties (within ``atol_f``) broken by the rule."""
    out = []
    for t in game.types:
        fu, lu = x @ t.C, x @ t.R
        near = fu >= fu.max() - atol_f
        if tie_break == "leader":
            out.append(int(np.argmax(np.where(near, lu, -np.inf))))
        else:
            out.append(int(np.argmin(np.where(near, lu, np.inf))))
    return out


def certify_bayesian(
    game: BayesianGame,
    commitment: Mapping[str, Any],
    response: Any,
    leader_value: float | None,
    follower_value: Any,
    evidence: Mapping[str, Any] | None,
    *,
    rtol: float = DEFAULT_RTOL,
    tie_break: str = "leader",
    attained: bool = True,
    max_profiles: int = DEFAULT_MAX_PROFILES,
) -> Certificate:
    """Check a Bayesian result against ``game``; see the module docstring."""
    atol_l, atol_r, atol_f = tolerances(game, rtol)
    ev = dict(evidence or {})
    checks: list[Check] = []
    x = commitment_vector(game, commitment)
    checks.append(distribution_check(x, rtol))
    resp = response_indices(game, response)

    names = game.type_names
    gaps = [float((x @ t.C).max() - x @ t.C[:, resp[l]]) for l, t in enumerate(game.types)]
    checks.append(
        worst_check(
            "best_response",
            gaps,
            atol_f,
            f"every type's response is a best response ({len(gaps)} types)",
            lambda i: f"type {names[i]!r}: its response is {gaps[i]:.3g} below its best",
        )
    )
    ties = [tie_gap(x @ t.C, x @ t.R, resp[l], atol_f, tie_break) for l, t in enumerate(game.types)]
    word = "in the leader's favour" if tie_break == "leader" else "against the leader"
    checks.append(
        worst_check(
            "tie_break",
            ties,
            atol_r,
            f"every type breaks ties {word}",
            lambda i: (
                f"type {names[i]!r}: another best response changes the leader's payoff "
                f"by {ties[i]:.3g}"
            ),
        )
    )

    true_l = leader_total(game, x, resp)
    checks.append(value_check("leader_value", leader_value, true_l, atol_l))
    checks.append(_follower_values(game, x, resp, follower_value, atol_f))

    if tie_break == "leader":
        checks.append(_optimality(game, x, resp, true_l, ev, rtol, atol_l, max_profiles))
    else:  # adversarial: the supremum / strict / attainment checks on the Harsanyi game
        checks += _weak_checks(game, x, resp, ev, rtol, attained, max_profiles)
    return game_certificate(
        game,
        checks,
        rtol=rtol,
        atol=max(atol_l, atol_f),
        evidence=ev,
        tie_break=TieBreak.LEADER if tie_break == "leader" else TieBreak.ADVERSARIAL,
    )


def _weak_checks(
    game: BayesianGame,
    x: np.ndarray,
    resp: list[int],
    ev: Mapping[str, Any],
    rtol: float,
    attained: bool,
    max_profiles: int,
) -> list[Check]:
    """``strict_commitment``, ``supremum`` and ``attainment`` of
    :func:`~stackopt.kinds.normal_form.checks_pessimistic.certify_weak` on the Harsanyi game
    (those it made: without pessimistic evidence only the failed ``supremum``)."""
    from stackopt.kinds.normal_form.checks_pessimistic import certify_weak

    h = harsanyi_transform(game, max_profiles=max_profiles)
    label = h.label({t.name: t.actions[resp[l]] for l, t in enumerate(game.types)}, game)
    nf = h.game
    hv = float(x @ nf.A[:, nf.follower_index(label)])
    weak = certify_weak(
        nf,
        {nf.leader_actions[i]: float(x[i]) for i in range(game.m)},
        label,
        hv,
        float(x @ nf.B[:, nf.follower_index(label)]),
        ev.get("harsanyi"),
        rtol=rtol,
        attained=attained,
    )
    return [
        Check(
            c.name,
            c.passed,
            c.residual,
            c.tolerance,
            c.detail + " (Harsanyi game, prior-weighted units)",
        )
        for c in weak.checks
        if c.name in ("strict_commitment", "supremum", "attainment")
    ]


def _follower_values(
    game: BayesianGame, x: np.ndarray, resp: list[int], reported: Any, atol_f: float
) -> Check:
    if reported is None:  # values are optional
        return Check("follower_value", True, None, atol_f, "not reported")
    if not isinstance(reported, Mapping):
        return Check("follower_value", False, None, atol_f, "no per-type follower values reported")
    worst, who = 0.0, None
    for l, t in enumerate(game.types):
        if t.name not in reported or reported[t.name] is None:
            return Check("follower_value", False, None, atol_f, f"no value for type {t.name!r}")
        v = reported[t.name]
        if not is_finite_number(v):
            return Check(
                "follower_value",
                False,
                None,
                atol_f,
                f"value of type {t.name!r} is not a finite number",
            )
        err = abs(float(v) - float(x @ t.C[:, resp[l]]))
        if np.isnan(err) or err > worst:  # a NaN error (overflow) sticks: it fails
            worst, who = err, t.name
    return Check.within(
        "follower_value",
        worst,
        atol_f,
        "every type's value recomputed",
        f"type {who!r}: reported value is off by {worst:.3g}",
    )


def _optimality(
    game: BayesianGame,
    x: np.ndarray,
    resp: list[int],
    value: float,
    ev: Mapping[str, Any],
    rtol: float,
    atol_l: float,
    max_profiles: int,
) -> Check:
    milp = milp_bound(ev)  # evidence.milp_bound (old name: evidence.milp.objective_bound)
    if isinstance(milp, Mapping):
        bound = milp.get("bound")
        if not is_finite_number(bound):
            return Check(
                "optimality",
                False,
                None,
                atol_l,
                f"bad MILP bound in evidence: {str(bound)[:40]!r} is not a finite number",
            )
        rederived = _harsanyi_value(game, max_profiles)
        if rederived is not None:  # independent: multiple LPs on the Harsanyi game
            if float(bound) - value > atol_l:  # the hint itself claims a gap: inconsistent
                return Check(
                    "optimality",
                    False,
                    float(bound) - value,
                    atol_l,
                    f"the result's MILP bound {float(bound):.10g} exceeds its value {value:.10g}",
                )
            return shortfall_check(
                "optimality",
                rederived,
                value,
                atol_l,
                f"re-derived independently by multiple LPs on the Harsanyi game: "
                f"optimum {rederived:.10g}",
                f"multiple LPs on the Harsanyi game give {rederived:.10g} > {value:.10g}",
            )
        bound = float(bound)
        return shortfall_check(
            "optimality",
            bound,
            value,
            atol_l,
            f"solver-reported: HiGHS branch-and-bound bound {bound:.10g} (mip_rel_gap 0) "
            f"does not exceed the value; not re-derived (Harsanyi game above "
            f"{VERIFY_HARSANYI_PROFILES} profiles)",
            f"HiGHS's bound {bound:.10g} exceeds the value {value:.10g}",
        )
    bounds = ev.get("bounds")
    if isinstance(bounds, Mapping):
        from stackopt.kinds.normal_form.checks import optimality_check as nf_optimality

        h = harsanyi_transform(game, max_profiles=max_profiles)
        sa = float(np.abs(h.game.A).max()) or 1.0
        c = nf_optimality(
            h.game,
            value / game.value_factor,
            ev,
            rtol * sa,
            rtol * (float(np.abs(h.game.B).max()) or 1.0),
            False,
        )
        return Check(
            "optimality",
            c.passed,
            c.residual,
            c.tolerance,
            c.detail + " (Harsanyi profiles, re-proven from the game)",
        )
    return Check(
        "optimality",
        False,
        None,
        atol_l,
        "the result carries no optimality evidence (evidence.milp_bound or evidence.bounds)",
    )


#: Largest Harsanyi game (joint response profiles) on which ``verify`` re-derives a DOBSS
#: optimum by multiple LPs instead of trusting the solver's MILP bound.
VERIFY_HARSANYI_PROFILES = 512


def _harsanyi_value(game: BayesianGame, max_profiles: int) -> float | None:
    """The SSE value by multiple LPs on the Harsanyi game (in the Bayesian game's units), or
    ``None`` when the Harsanyi game has more than :data:`VERIFY_HARSANYI_PROFILES` profiles."""
    from stackopt.errors import UnsupportedError
    from stackopt.kinds.normal_form.solve import solve_sse

    limit = min(max_profiles, VERIFY_HARSANYI_PROFILES)
    try:
        h = harsanyi_transform(game, max_profiles=limit)
    except (UnsupportedError, InputError):
        return None
    r = solve_sse(h.game)
    if not r.certified or r.leader.value is None:
        return None
    return float(r.leader.value) * game.value_factor
