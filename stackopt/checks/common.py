r"""Checks that several kinds share, written once.

``distribution_check``
    :math:`x \ge -r` and :math:`|\sum_i x_i - 1| \le r` for a probability vector :math:`x`
    (residual :math:`\max(0, -\min_i x_i, |\sum_i x_i - 1|)`, tolerance :math:`r` = rtol).
``value_check``
    a reported value equals the recomputed one within an absolute tolerance.
``probability_vector``
    a commitment ``{label: probability}`` as a finite vector over the leader's actions.
``best_response_check`` / ``tie_gap``
    the follower's response is a best response, and ties among near-best responses are broken
    by the stated rule.
``check_rtol`` / ``player_tolerances``
    a relative tolerance is a number in :math:`(0, 1)`; the absolute tolerances it gives a
    game with a leader and a follower payoff scale.
``verify_rtol``
    the tolerance ``verify`` applies to a stored result: the result's own ``options.rtol``
    (else its certificate's), capped at the default: a result may tighten its own check but
    never loosen it.
``response_checks`` (``strong_response_checks``)
    ``best_response``, ``tie_break`` (leader-favourable, or adversarial for a weak
    equilibrium), ``leader_value`` and ``follower_value`` of one follower from both players'
    payoffs at the commitment.
``worst_check``
    one check over several residuals (one per follower type, ...): the largest decides.
``shortfall_check``
    a value reaches a bound (or a better answer's value) within a tolerance.
``game_certificate``
    the certificate of a list of checks on a game (its payoff scale, the tolerances applied).
``read_result`` / ``certify_answer`` / ``label_response``
    the start every ``verify`` shares: parse and validate a stored result, choose its tolerance,
    then recompute the certificate of its answer with the kind's ``certify`` function (a
    one-follower kind first checks that the response is one action label).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any, TypeGuard

import numpy as np

from stackopt.certificate import Certificate, Check, excess
from stackopt.errors import InputError
from stackopt.result import Result
from stackopt.status import TieBreak


def check_rtol(rtol: Any) -> None:
    """Raise :class:`InputError` unless ``rtol`` is a number in (0, 1)."""
    if isinstance(rtol, bool) or not isinstance(rtol, (int, float)) or not 0 < rtol < 1:
        raise InputError(
            f"rtol must be a number in (0, 1), got {rtol!r}", field="rtol", fix="use e.g. 1e-6"
        )


def player_tolerances(game: Any, rtol: float) -> tuple[float, float]:
    """Absolute tolerances (leader, follower) for relative tolerance ``rtol``: ``rtol`` times
    the game's ``leader_scale`` and ``follower_scale`` (:func:`check_rtol` first)."""
    check_rtol(rtol)
    return rtol * game.leader_scale, rtol * game.follower_scale


def distribution_check(
    x: np.ndarray,
    rtol: float,
    *,
    name: str = "commitment",
    over: str = " over the leader's actions",
    pure: bool = False,
) -> Check:
    """Check that ``x`` is a probability vector within ``rtol`` (and, if ``pure``, has one
    nonzero entry above ``rtol``)."""
    resid = excess(-x.min(), abs(float(x.sum()) - 1.0))
    ok = resid <= rtol
    if pure:
        ok = ok and int(np.count_nonzero(np.abs(x) > rtol)) == 1
    return Check(
        name,
        ok,
        resid,
        rtol,
        "a probability distribution" + over + (" (pure)" if pure else "")
        if ok
        else f"not a {'pure ' if pure else ''}probability distribution "
        f"(min {x.min():.3g}, sum {x.sum():.12g})",
    )


def value_check(
    name: str, reported: Any, true: float, tol: float, *, source: str = "the game"
) -> Check:
    """Check a reported value against the value recomputed from ``source``."""
    if reported is None:  # values are optional: nothing to compare, the game's value stands
        return Check(name, True, None, tol, f"not reported; {source} gives {true:.10g}")
    field = {"leader_value": "leader.value", "follower_value": "follower.value"}.get(name, name)
    reported = finite_number(reported, field)  # NaN, inf, strings: InputError
    err = abs(float(reported) - true)
    return Check.within(
        name,
        err,
        tol,
        f"recomputed {true:.10g}",
        f"reported {float(reported):.10g} but {source} gives {true:.10g}",
    )


def verify_rtol(result: Any, default: float) -> float:
    """The rtol ``verify`` uses for ``result``: its stated rtol, never looser than ``default``.

    The stated rtol must be a finite number in (0, 1) (NaN, infinities, strings, booleans and
    non-positive numbers are refused with :class:`InputError`); anything above ``default`` is
    capped at ``default``.
    """
    opts = result.options or {}
    stored = opts.get("rtol")
    field = "options.rtol"
    if stored is None:
        stored = result.certificate.rtol if result.certificate else default
        field = "certificate.rtol"
    if stored is None:
        return default
    if (
        isinstance(stored, bool)
        or not isinstance(stored, (int, float))
        or not math.isfinite(stored)
        or not 0 < stored < 1
    ):
        raise InputError(
            f"must be a number in (0, 1), got {_short(stored)}",
            field=field,
            fix="write e.g. 1e-6 or omit it",
        )
    return min(float(stored), default)


def read_result(
    result: Result | Mapping[str, Any],
    rtol: float | None,
    default: float,
    *,
    allow_inf: bool = False,
) -> tuple[Result, float, Mapping[str, Any] | None]:
    """What ``verify`` reads from a stored result: the parsed result, the tolerance and the
    certificate's evidence (``None`` without a certificate).

    A mapping (a result file) has its reported values validated by :func:`reported_values`
    (``allow_inf``: the strings ``"inf"``/``"-inf"`` too) before :meth:`Result.from_dict` parses
    it, so an unreadable value is refused rather than read as "not reported". The tolerance is
    the caller's ``rtol``, else :func:`verify_rtol` (the result's own, never looser than
    ``default``).
    """
    if isinstance(result, Mapping):
        reported_values(result, allow_inf=allow_inf)
        result = Result.from_dict(result)
    if rtol is None:
        rtol = verify_rtol(result, default)
    evidence = result.certificate.evidence if result.certificate else None
    return result, rtol, evidence


def label_response(response: Any, what: str) -> str:
    """The response of a one-follower result (``what``: e.g. ``"a normal-form"``): one action
    label, else an :class:`InputError` naming ``follower.response``."""
    if not isinstance(response, str):
        raise InputError(
            f"the response of {what} result must be one action label, got {response!r}",
            field="follower.response",
            fix="write the follower's action label",
        )
    return response


def certify_answer(
    certify: Callable[..., Certificate],
    game: Any,
    result: Result,
    evidence: Mapping[str, Any] | None,
    *,
    rtol: float,
    **options: Any,
) -> Certificate:
    """The certificate of ``result``'s answer recomputed from ``game``: ``certify(game,
    commitment, response, leader value, follower value, evidence, rtol=rtol, **options)``, the
    signature the kinds' certificate functions share."""
    return certify(
        game,
        result.leader.commitment,
        result.follower.response,
        result.leader.value,
        result.follower.value,
        evidence,
        rtol=rtol,
        **options,
    )


def _short(v: Any) -> str:
    r = repr(v)
    return r if len(r) <= 60 else r[:57] + "..."


def finite_number(
    value: Any,
    field: str,
    *,
    optional: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float | None:
    """A number read from an untrusted result file, validated.

    Returns ``float(value)``; ``None`` when ``value`` is ``None`` and ``optional``. Refuses
    (``InputError`` naming ``field``) booleans, strings (also ``"nan"``/``"inf"``), NaN,
    infinities, integers too large for a float, and values outside ``[minimum, maximum]``.
    Call it on every number a ``verify`` reads besides the answer itself.
    """
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(
            f"must be a number, got {_short(value)}",
            field=field,
            fix="write a finite number (or omit it)",
        )
    try:
        v = float(value)
    except OverflowError:
        raise InputError("number too large", field=field, fix="write a finite number") from None
    if not math.isfinite(v):
        raise InputError(f"must be finite, got {v}", field=field, fix="write a finite number")
    if minimum is not None and v < minimum:
        raise InputError(
            f"must be at least {minimum:g}, got {v:g}", field=field, fix="write a number in range"
        )
    if maximum is not None and v > maximum:
        raise InputError(
            f"must be at most {maximum:g}, got {v:g}", field=field, fix="write a number in range"
        )
    return v


def finite_numbers(values: Any, field: str) -> None:
    """Validate every number in a nested evidence structure (mappings / lists) with
    :func:`finite_number`; strings that are labels are left alone, numbers-as-strings refused."""
    stack: list[tuple[Any, str, int]] = [(values, field, 0)]
    while stack:
        v, f, depth = stack.pop()
        if depth > 32:
            raise InputError("nested too deeply", field=f, fix="flatten the evidence")
        if isinstance(v, Mapping):
            stack.extend((w, f"{f}.{k}", depth + 1) for k, w in v.items())
        elif isinstance(v, (list, tuple)):
            stack.extend((w, f"{f}[{i}]", depth + 1) for i, w in enumerate(v))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            finite_number(v, f)


def probability_vector(
    size: int,
    index_of: Callable[[str], int],
    commitment: Mapping[str, Any],
    *,
    noun: str = "probability",
    nonfinite: str = "commitment has a non-finite probability",
    nonfinite_fix: str = "probabilities must be finite numbers",
) -> np.ndarray:
    """The commitment ``{label: probability}`` as a vector of length ``size`` (missing = 0);
    ``index_of`` maps a leader action label to its index (and refuses unknown labels).
    ``noun``, ``nonfinite`` and ``nonfinite_fix`` word the errors (e.g. for coverage)."""
    x = np.zeros(size)
    for label, p in commitment.items():
        i = index_of(str(label))
        try:
            if isinstance(p, (bool, str, bytes)):  # true / "1" are not probabilities
                raise TypeError(p)
            x[i] = float(p)
        except (TypeError, ValueError, OverflowError):
            raise InputError(
                f"{noun} {p!r} is not a number",
                field=f"leader.commitment.{label}",
                fix="write a number",
            ) from None
    if not np.all(np.isfinite(x)):
        raise InputError(nonfinite, field="leader.commitment", fix=nonfinite_fix)
    return x


def best_response_check(
    fu: np.ndarray, j: int, response: str, atol_f: float, labels: Sequence[str] | None = None
) -> Check:
    r"""``best_response``: :math:`\max_k u_k - u_j \le \varepsilon_F` for the follower's payoffs
    ``fu`` at the commitment; with ``labels`` a failure names the best response."""
    gap = float(fu.max() - fu[j])
    best = f" '{labels[int(fu.argmax())]}'" if labels is not None else ""
    return Check.within(
        "best_response",
        gap,
        atol_f,
        f"'{response}' is a best response",
        f"'{response}' is {gap:.3g} below the best response{best}",
    )


def tie_gap(fu: np.ndarray, lu: np.ndarray, j: int, atol_f: float, tie_break: str) -> float:
    """How far response ``j`` is from the tie rule among the follower's near-best responses
    (within ``atol_f``): the leader's best (``"leader"``) or worst (otherwise) payoff."""
    top = fu.max()
    if np.isnan(top):  # no near-best set to compare with (NaN would make it empty: a pass)
        return math.nan
    near = fu >= top - atol_f
    if tie_break == "leader":
        return excess(np.where(near, lu, -np.inf).max() - lu[j])
    return excess(lu[j] - np.where(near, lu, np.inf).min())


def tie_check(
    fu: np.ndarray, lu: np.ndarray, j: int, atol_f: float, atol_l: float, tie_break: str = "leader"
) -> Check:
    """The ``tie_break`` check: among the follower's near-best responses, ``j`` gives the leader
    the most (``"leader"``: a strong equilibrium) or the least (otherwise: a weak, pessimistic
    one), within ``atol_l`` (see :func:`tie_gap`)."""
    tgap = tie_gap(fu, lu, j, atol_f, tie_break)
    strong = tie_break == "leader"
    return Check.within(
        "tie_break",
        tgap,
        atol_l,
        "ties are broken in the leader's favour"
        if strong
        else "ties are broken against the leader",
        f"another best response gives the leader {tgap:.3g} {'more' if strong else 'less'}",
    )


#: The ``tie_break`` check of a strong equilibrium (:func:`tie_check` with ``"leader"``).
leader_tie_check = partial(tie_check, tie_break="leader")


def response_checks(
    fu: np.ndarray,
    lu: np.ndarray,
    j: int,
    response: str,
    leader_value: Any,
    follower_value: Any,
    atol_l: float,
    atol_f: float,
    labels: Sequence[str],
    *,
    tie_break: str = "leader",
) -> list[Check]:
    r"""The checks of response ``j`` (label ``response``; ``labels`` names every follower
    action) from the follower's payoffs ``fu`` and the leader's ``lu`` at the commitment, one
    entry per follower action: ``best_response`` (:func:`best_response_check`), ``tie_break``
    (:func:`tie_check` by the rule ``tie_break``), and the reported ``leader_value`` /
    ``follower_value`` against :math:`lu_j` / :math:`fu_j` (:func:`value_check`)."""
    return [
        best_response_check(fu, j, response, atol_f, labels),
        tie_check(fu, lu, j, atol_f, atol_l, tie_break),
        value_check("leader_value", leader_value, float(lu[j]), atol_l),
        value_check("follower_value", follower_value, float(fu[j]), atol_f),
    ]


#: The checks of a strong equilibrium's response (the name before ``tie_break`` was added).
strong_response_checks = response_checks


def worst_check(
    name: str, residuals: Sequence[float], tol: float, passed: str, failed: Callable[[int], str]
) -> Check:
    """One check over several residuals (one per follower type, ...): the largest must be
    within ``tol`` (NaN fails); ``failed(i)`` words the failure of the worst, index ``i``."""
    i = int(np.argmax(residuals))
    return Check.within(name, float(residuals[i]), tol, passed, failed(i))


def game_certificate(
    game: Any,
    checks: Iterable[Check],
    *,
    rtol: float,
    atol: float,
    evidence: Mapping[str, Any] | None,
    tie_break: TieBreak = TieBreak.LEADER,
) -> Certificate:
    """The certificate of ``checks`` on ``game``: ``atol`` is the largest absolute tolerance
    they applied (for two players, the larger of the leader's and the follower's), ``scale``
    the game's payoff scale, and ``evidence`` a copy (``None``: empty)."""
    return Certificate(
        checks=tuple(checks),
        tie_break=tie_break,
        rtol=rtol,
        atol=atol,
        scale=game.scale,
        evidence=dict(evidence or {}),
    )


def reported_values(data: Any, *, allow_inf: bool = False) -> None:
    """Validate the reported values of a raw result mapping before it is parsed.

    ``leader.value`` and ``follower.value`` (a number, or a mapping of numbers such as the
    Bayesian per-type values) must be finite numbers or ``null``; with ``allow_inf`` the
    strings ``"inf"``/``"-inf"`` are accepted too (unbounded results). ``Result.from_dict``
    alone would turn an unreadable value into "not reported".
    """
    if not isinstance(data, Mapping):
        return
    for side in ("leader", "follower"):
        block = data.get(side)
        if not isinstance(block, Mapping) or block.get("value") is None:
            continue
        v = block["value"]
        items = v.items() if isinstance(v, Mapping) else [(None, v)]
        for key, w in items:
            field = f"{side}.value" + (f".{key}" if key is not None else "")
            if w is None and key is not None:
                continue
            if allow_inf and w in ("inf", "-inf"):
                continue
            finite_number(w, field)


def validate_bounds(evidence: Mapping[str, Any]) -> None:
    """Validate the numbers of normal-form / Bayesian optimality evidence read from a file.

    Every number anywhere in ``evidence`` must be finite (the strings ``"inf"``/``"-inf"``
    are allowed only where a solver writes them, as *values*, never as weights); the weights of
    ``dominated_by`` and ``multipliers`` records must be numbers (NaN, infinities, strings and
    booleans are refused with :class:`InputError`; a negative weight makes the optimality check
    fail), and ``supremum`` / ``epsilon_abs`` style scalars finite.
    """
    finite_numbers({k: v for k, v in evidence.items() if k != "exact"}, "certificate.evidence")
    bounds = evidence.get("bounds")
    if bounds is None:
        return
    if not isinstance(bounds, Mapping):
        raise InputError(
            "must map follower actions to bound records",
            field="certificate.evidence.bounds",
            fix="keep the evidence stackopt wrote, or omit it",
        )
    for label, rec in bounds.items():
        if not isinstance(rec, Mapping):
            continue
        for key in ("dominated_by", "multipliers"):
            weights = rec.get(key)
            if weights is None:
                continue
            field = f"certificate.evidence.bounds.{label}.{key}"
            if not isinstance(weights, Mapping):
                raise InputError(
                    "must map follower actions to numbers",
                    field=field,
                    fix="keep the evidence stackopt wrote, or omit it",
                )
            for lab, w in weights.items():
                finite_number(w, f"{field}.{lab}")  # a negative weight fails the check


def is_finite_number(value: Any) -> TypeGuard[float]:
    """Whether ``value`` is a finite int/float (not a bool, not a string, not an integer too
    large for a float)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


NO_BOUNDS = (
    "the result carries no optimality bounds (evidence.bounds); re-solve with 'stackopt solve' "
    "to obtain them"
)

BOUND_RECORD_ERRORS: tuple[type[Exception], ...] = (InputError, KeyError, TypeError, ValueError)


def bounds_check(
    labels: Sequence[str],
    bounds: Mapping[str, Any],
    bound_of: Callable[[int, Mapping[str, Any]], float],
    value: float,
    atol: float,
    *,
    noun: str,
    subject: str,
    how: str,
    errors: tuple[type[Exception], ...] = BOUND_RECORD_ERRORS,
) -> Check:
    """The ``optimality`` check from one bound record per label (multiple-LPs evidence).

    ``bound_of(k, record)`` recomputes from the game an upper bound on the leader's value over
    the commitments that induce label ``k`` (weak LP duality; it raises one of ``errors`` on
    a malformed record). The check passes when the largest bound is at most ``value + atol``:
    no other induced response can beat the reported one (the multiple-LPs theorem, Conitzer &
    Sandholm 2006). ``noun`` names a label in messages (``"follower action"``), ``subject`` and
    ``how`` the passing detail (``"every {subject} bounded by ... ({how}, n bounds)"``).
    """
    worst, worst_label, missing = -np.inf, None, []
    for k, label in enumerate(labels):
        rec = bounds.get(label)
        if not isinstance(rec, Mapping):
            missing.append(label)
            continue
        try:
            b = bound_of(k, rec)
        except errors as exc:
            return Check(
                "optimality", False, None, atol, f"bad bound record for {noun} '{label}': {exc}"
            )
        if math.isnan(b) or b > worst:  # a NaN bound (overflow) sticks (b > NaN is false)
            worst, worst_label = b, label
    if missing:
        return Check(
            "optimality",
            False,
            None,
            atol,
            f"no bound for {noun}(s) " + ", ".join(map(repr, missing[:5])),
        )
    return shortfall_check(
        "optimality",
        worst,
        value,
        atol,
        f"every {subject} bounded by {max(worst, value):.10g} ({how}, {len(bounds)} bounds)",
        f"{noun} '{worst_label}' is only bounded by {worst:.10g} > {value:.10g}",
    )


def shortfall_check(
    name: str, bound: float, value: float, atol: float, passed: str, failed: str | None = None
) -> Check:
    r"""Check that ``value`` reaches ``bound`` (an upper bound on what any answer gets, or the
    value of a better answer found) within ``atol``: residual :math:`\max(0, b - v)`, detail
    ``passed`` or ``failed`` (default: ``passed``)."""
    return Check.within(name, excess(bound - value), atol, passed, failed)


def pure_optimality_check(
    leader_actions: Sequence[str], vals: np.ndarray, value: float, atol: float, how: str
) -> Check:
    """The ``optimality`` check of a pure-commitment result: ``vals[i]`` is the leader's value
    of pure commitment ``i`` (recomputed from the game); the best must not exceed ``value``."""
    return shortfall_check(
        "optimality",
        float(vals.max()),
        value,
        atol,
        f"best of {len(leader_actions)} pure commitments {how}",
        f"pure commitment '{leader_actions[int(vals.argmax())]}' gives "
        f"{vals.max():.10g} > {value:.10g}",
    )


def record_weight(w: Any) -> float:
    """A weight of a bound record (a mixture weight or a dual multiplier) as a float;
    :class:`ValueError` for booleans, strings, NaN and infinities (the optimality check then
    fails naming the record)."""
    if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(float(w)):
        raise ValueError(f"{w!r} is not a finite number")
    return float(w)


def domination_margin(B: np.ndarray, k: int, weights: Any, index_of: Callable[[str], int]) -> float:
    r"""The margin :math:`\min_i ((Bz)_i - B_{ik})` by which the mixture :math:`z` of a bound
    record's ``dominated_by`` (follower action -> weight; ``index_of`` maps a label to its
    column) beats follower action ``k``. Raises :class:`ValueError` unless :math:`z` is a
    probability distribution of finite numbers over actions other than ``k``; the caller
    compares the margin with what ``k`` could be paid (0 without incentives) plus the
    tolerance."""
    if not isinstance(weights, Mapping):
        raise ValueError("dominated_by must map follower actions to weights")
    z = np.zeros(B.shape[1])
    for label, w in weights.items():
        z[index_of(str(label))] = record_weight(w)
    if z.min() < 0 or z[k] != 0 or abs(z.sum() - 1.0) > 1e-9 * max(1, len(z)):
        raise ValueError("the dominating mixture must be a distribution over other actions")
    return float((B @ z - B[:, k]).min())


def bounds_evidence(labels: Sequence[str], records: Mapping[int, Any]) -> dict[str, Any]:
    """The ``bounds`` evidence written by a multiple-LPs solve, in ``labels`` order: per
    follower action ``k`` with a record, its ``outcome`` and either the dominating mixture
    (``dominated_by``, ``margin``) or the LP bound with its dual ``multipliers``; ``value``
    when the LP was solved. :func:`bounds_check` re-proves these records from the game."""
    out: dict[str, Any] = {}
    for k, label in enumerate(labels):
        rec = records.get(k)
        if rec is None:
            continue
        entry: dict[str, Any] = {"outcome": rec.outcome}
        if rec.dominated_by:
            entry["dominated_by"] = {labels[i]: w for i, w in rec.dominated_by.items()}
            entry["margin"] = rec.margin
        else:
            entry["bound"] = rec.bound
            entry["multipliers"] = {labels[i]: w for i, w in rec.multipliers.items()}
        if rec.value is not None:
            entry["value"] = rec.value
        out[label] = entry
    return out
