r"""Certificates for pessimistic (weak) Stackelberg results of normal-form games.

With :math:`\varepsilon_L = r\,s_A`, :math:`\varepsilon_F = r\,s_B` as in
:mod:`stackopt.kinds.normal_form.checks`:

``commitment``, ``best_response``, ``leader_value``, ``follower_value``
    as for strong equilibria.
``tie_break``
    adversarial ties: no action within :math:`\varepsilon_F` of the follower's best gives the
    leader less than the reported response (minus :math:`\varepsilon_L`).
``strict_commitment``
    the evidence's strict commitment :math:`x^s` makes its response :math:`j^s` the unique
    best response by more than :math:`\varepsilon_F` (payoff-identical columns of :math:`B`
    excepted: they are always tied), and its pessimistic value is at least
    :math:`V^* - \varepsilon\,s_A - \varepsilon_L`.
``supremum``
    every follower action is covered by a record: either a duality bound
    :math:`\max_i(\sum_{k\in J}\lambda_k A_{ik} + \sum_{k'} y_{k'}(B_{ij}-B_{ik'})) \le V^* +
    \varepsilon_L` for its class :math:`J`, or a mixture :math:`y` of other actions with
    :math:`\max_i (B_{ij} - (By)_i) \le \varepsilon_F` (the action is never the unique best
    response by more than :math:`\varepsilon_F`). With the strict commitment this brackets the
    supremum: :math:`V^* - \varepsilon s_A \le \sup P \le V^* + \varepsilon_L`.
``attainment``
    when attainment is claimed, the reported commitment's pessimistic value is at least
    :math:`V^* - \varepsilon_L`. Non-attainment is decided by the LP refinement of
    :mod:`stackopt.kinds.normal_form.pessimistic` and is *not* re-proven here (the check
    records the claim).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from stackopt.certificate import Certificate, Check, excess
from stackopt.checks.common import game_certificate, shortfall_check
from stackopt.kinds.normal_form.checks import DEFAULT_RTOL, Answer, commitment_vector
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.status import TieBreak

#: The largest relative epsilon ``verify`` accepts for the strict commitment (the solver's
#: default, ``pessimistic.DEFAULT_EPSILON``): a result cannot loosen it.
VERIFY_MAX_EPSILON = 1e-3


def adversarial_response(game: NormalFormGame, x: np.ndarray, atol_f: float) -> int:
    """The near-best response (within ``atol_f``) worst for the leader at ``x``."""
    fu, lu = x @ game.B, x @ game.A
    near = fu >= fu.max() - atol_f
    return int(np.argmin(np.where(near, lu, np.inf)))


def pessimistic_value(game: NormalFormGame, x: np.ndarray, atol_f: float) -> float:
    """The leader's payoff of :func:`adversarial_response`; NaN when the follower's payoffs
    are (a NaN empties the near-best set, and the response would be an arbitrary action)."""
    if np.isnan((x @ game.B).max()):
        return float("nan")
    return float((x @ game.A)[adversarial_response(game, x, atol_f)])


def weak_evidence(game: NormalFormGame, out: Any, *, epsilon: float) -> dict[str, Any]:
    """The evidence dictionary of a
    :class:`~stackopt.kinds.normal_form.pessimistic.WeakOutcome` (labels)."""
    lab = game.follower_actions
    xs = out.strict_x
    # strict response: the unique best class at the strict commitment, worst member for leader
    fu = xs @ game.B
    js = int(np.argmax(fu))
    cls = next(cl for cl in out.classes if js in cl)
    js = min(cls, key=lambda k: float(xs @ game.A[:, k]))
    classes = {}
    for c, members in enumerate(out.classes):
        rec = out.records[c]
        entry: dict[str, Any] = {"outcome": rec["outcome"], "members": [lab[k] for k in members]}
        if rec["outcome"] == "never_unique":
            entry["dominated_by"] = {lab[k]: w for k, w in rec["dominated_by"].items()}
        else:
            if "value" in rec:
                entry["value"] = rec["value"]
            entry["bound"] = rec["bound"]
            entry["weights"] = {lab[k]: w for k, w in rec["weights"].items()}
            entry["multipliers"] = {lab[k]: w for k, w in rec["multipliers"].items()}
        classes[lab[members[0]]] = entry
    return {
        "supremum": out.supremum,
        "attained": out.attained,
        "epsilon": epsilon,
        "epsilon_abs": epsilon * (float(np.abs(game.A).max()) or 1.0),
        "strict": {
            "commitment": {game.leader_actions[i]: float(xs[i]) for i in range(game.shape[0])},
            "response": lab[js],
            "value": float(xs @ game.A[:, js]),
            "margin": out.strict_margin,
        },
        "classes": classes,
    }


def certify_weak(
    game: NormalFormGame,
    commitment: Mapping[str, Any],
    response: str,
    leader_value: float | None,
    follower_value: float | None,
    evidence: Mapping[str, Any] | None,
    *,
    rtol: float = DEFAULT_RTOL,
    attained: bool = True,
) -> Certificate:
    """Check a pessimistic result against ``game``; see the module docstring."""
    a = Answer.read(game, commitment, response, rtol)
    ev = dict(evidence or {})
    checks = a.checks(leader_value, follower_value, tie_break="adversarial")
    checks += _supremum_checks(game, ev, a, attained)
    return game_certificate(
        game, checks, rtol=rtol, atol=a.atol, evidence=ev, tie_break=TieBreak.ADVERSARIAL
    )


def _supremum_checks(
    game: NormalFormGame, ev: Mapping[str, Any], a: Answer, attained: bool
) -> list[Check]:
    """``strict_commitment``, ``supremum`` and ``attainment`` of the answer ``a`` (see the
    module docstring); only a failed ``supremum`` when the evidence has no finite supremum."""
    atol_l, atol_f = a.atol_l, a.atol_f
    sup = ev.get("supremum")
    if isinstance(sup, bool) or not isinstance(sup, (int, float)):
        return [
            Check(
                "supremum",
                False,
                None,
                atol_l,
                "the result carries no supremum (evidence.supremum)",
            )
        ]
    sup = float(sup)
    if not np.isfinite(sup):
        return [
            Check("supremum", False, None, atol_l, f"the supremum {sup!r} is not a finite number")
        ]
    checks = [
        _strict_check(game, ev, sup, atol_l, atol_f),
        _supremum_check(game, ev, sup, atol_l, atol_f),
    ]
    if attained:
        worst = pessimistic_value(game, a.x, atol_f)
        checks.append(
            shortfall_check(
                "attainment",
                sup,
                worst,
                atol_l,
                f"the commitment attains the supremum {sup:.10g}",
                f"the commitment gets {worst:.10g} < supremum {sup:.10g}",
            )
        )
    else:
        checks.append(
            Check(
                "attainment",
                True,
                None,
                atol_l,
                f"supremum {sup:.10g} reported as not attained (decided by the LP "
                f"refinement; not re-proven by verify); no equilibrium is claimed",
            )
        )
    return checks


def _strict_check(
    game: NormalFormGame, ev: Mapping[str, Any], sup: float, atol_l: float, atol_f: float
) -> Check:
    A, B = game.A, game.B
    strict = ev.get("strict")
    if not isinstance(strict, Mapping):
        return Check("strict_commitment", False, None, atol_f, "no strict commitment in evidence")
    try:
        xs = commitment_vector(game, strict["commitment"])
        js = game.follower_index(str(strict["response"]))
        eps_raw: Any = ev.get("epsilon_abs")
        eps_abs = float(eps_raw)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        return Check("strict_commitment", False, None, atol_f, f"bad strict record: {exc}")
    # the result's epsilon is a tolerance: validated and never looser than the default
    cap = VERIFY_MAX_EPSILON * (float(np.abs(A).max()) or 1.0)
    if not np.isfinite(eps_abs) or eps_abs < 0:
        return Check(
            "strict_commitment",
            False,
            None,
            atol_f,
            f"epsilon_abs {eps_abs!r} is not a finite non-negative number",
        )
    eps_abs = min(eps_abs, cap)
    if xs.min() < -1e-12 or abs(xs.sum() - 1) > 1e-9:
        return Check(
            "strict_commitment",
            False,
            None,
            atol_f,
            "the strict commitment is not a probability distribution",
        )
    same = [k for k in range(B.shape[1]) if float(np.abs(B[:, k] - B[:, js]).max()) <= atol_f]
    other = [k for k in range(B.shape[1]) if k not in same]
    # np.min keeps NaN (overflow at huge payoffs); the builtin min drops a NaN not first
    margin = float(np.min([xs @ (B[:, js] - B[:, k]) for k in other], initial=np.inf))
    val = float(np.min([xs @ A[:, k] for k in same]))
    short = excess((sup - eps_abs) - val)
    ok = margin > atol_f and short <= atol_l
    return Check(
        "strict_commitment",
        ok,
        short,
        atol_l,
        f"'{game.follower_actions[js]}' is the unique best response by {margin:.3g} "
        f"and the leader gets {val:.10g} >= supremum - {eps_abs:.3g}"
        if ok
        else (
            f"margin {margin:.3g} is not above tolerance {atol_f:.3g}"
            if margin <= atol_f
            else f"value {val:.10g} is more than epsilon below the supremum {sup:.10g}"
        ),
    )


def _supremum_check(
    game: NormalFormGame, ev: Mapping[str, Any], sup: float, atol_l: float, atol_f: float
) -> Check:
    from stackopt.engines.weak_sse import class_bound

    A, B = game.A, game.B
    classes = ev.get("classes")
    if not isinstance(classes, Mapping):
        return Check("supremum", False, None, atol_l, "no per-class records in evidence")
    covered: set[int] = set()
    worst, worst_label = -np.inf, None
    try:
        for rep, rec in classes.items():
            members = [game.follower_index(str(k)) for k in rec["members"]]
            j = members[0]
            if game.follower_actions[j] != rep:
                raise ValueError(f"class {rep!r} must list itself first")
            for k in members:
                if float(np.abs(B[:, k] - B[:, j]).max()) > atol_f:
                    raise ValueError(
                        f"'{game.follower_actions[k]}' is not payoff-identical to '{rep}'"
                    )
            if rec["outcome"] == "never_unique":
                y = np.zeros(B.shape[1])
                for lab, w in dict(rec["dominated_by"]).items():
                    y[game.follower_index(str(lab))] = float(w)
                if (
                    not np.all(np.isfinite(y))
                    or y.min() < 0
                    or abs(y.sum() - 1) > 1e-6
                    or np.any(y[members] != 0)
                ):
                    raise ValueError(
                        f"the mixture for '{rep}' must be a distribution over other actions"
                    )
                lift = float((B[:, j] - B @ y).max())
                if not lift <= atol_f:  # also refuses NaN
                    raise ValueError(f"'{rep}' exceeds its dominating mixture by {lift:.3g}")
                b = -np.inf
            else:  # "optimal" (LP duals) or "pruned" (one member, no multipliers)
                w = {game.follower_index(str(k)): float(v) for k, v in rec["weights"].items()}
                mult = {
                    game.follower_index(str(k)): float(v) for k, v in rec["multipliers"].items()
                }
                if not all(np.isfinite(v) for v in (*w.values(), *mult.values())):
                    raise ValueError(f"weights and multipliers for '{rep}' must be finite")
                if (
                    any(k not in members for k in w)
                    or any(v < 0 for v in w.values())
                    or abs(sum(w.values()) - 1) > 1e-6
                ):
                    raise ValueError(f"weights for '{rep}' must be a distribution over its class")
                if any(k in members for k in mult) or any(v < 0 for v in mult.values()):
                    raise ValueError(f"multipliers for '{rep}' must be >= 0 on other actions")
                with np.errstate(over="ignore", invalid="ignore"):
                    b = class_bound(A, B, members, w, mult)
                if not b > -np.inf:  # NaN (inf - inf) or -inf: huge multipliers overflowed
                    raise ValueError(
                        f"the multipliers for '{rep}' give no finite bound (too large)"
                    )
            covered.update(members)
            if np.isnan(b) or b > worst:  # NaN sticks (b > NaN is false): it fails
                worst, worst_label = b, rep
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        return Check("supremum", False, None, atol_l, f"bad class record: {exc}")
    missing = [game.follower_actions[k] for k in range(B.shape[1]) if k not in covered]
    if missing:
        return Check(
            "supremum",
            False,
            None,
            atol_l,
            "no record for follower action(s) " + ", ".join(map(repr, missing[:5])),
        )
    return shortfall_check(
        "supremum",
        worst,
        sup,
        atol_l,
        f"no commitment gets more than {sup:.10g} (bounds for {len(classes)} classes)",
        f"class '{worst_label}' is only bounded by {worst:.10g} > {sup:.10g}",
    )
