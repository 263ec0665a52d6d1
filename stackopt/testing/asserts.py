"""Assertion helpers: check an answer from any code against a game, fail with a clear message.

Every helper builds the minimal result JSON of the answer (commitment, response, optional
values), runs :func:`stackopt.verify` on it (so it covers every kind in the registry, including
kinds added later) and turns the failed checks into one :class:`AssertionError` naming each
failed condition, by how much it fails, the tolerance, and the better response, tie or
commitment that breaks it.

Optimality needs a proof that no commitment does better. :func:`stackopt.verify` re-checks the
proof a result carries (duality bounds, a MILP bound, an enumeration) but does not solve; an
answer from another tool carries none, so :func:`assert_stackelberg_equilibrium` and
:func:`assert_result_verifies` solve the game once with stackopt (cached per game object and
options, :func:`solve_cached`) and hand *that* evidence to ``verify`` next to the user's answer:
duality bounds are re-checked from the game and then bound every commitment, the user's
included; a MILP bound (Bayesian DOBSS, security ERASER, interdiction) is HiGHS's, as in
``stackopt solve``.

*Exact mode* (``exact=True``, the ``@pytest.mark.stackopt_exact`` marker or the
``--stackopt-exact`` option of the pytest plugin) tightens every tolerance to
:data:`EXACT_RTOL` and, for normal-form Stackelberg answers, adds the rational-arithmetic proof
of :mod:`stackopt.checks.exact` (the rational vertex behind the answer, its best response, tie
and optimality, exactly) plus a comparison of reported values with the exact ones;
:func:`assert_values_close` then compares up to float rounding. A *solver-reported* MILP
bound (Bayesian DOBSS, security ERASER, interdiction) is only as precise as the MILP's gap, so
in exact mode it is still held to the ordinary tolerance (every other check is tightened).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from fractions import Fraction
from typing import Any, NoReturn

from stackopt.certificate import Certificate, Check
from stackopt.errors import InputError
from stackopt.kinds.registry import DEFAULT_RTOL, KindSpec, spec_of
from stackopt.testing import __all__ as _public_names
from stackopt.testing import _inputs

#: The relative tolerance of every certificate check in exact mode.
EXACT_RTOL = 1e-9
#: Float rounding: reported values vs exact rationals (relative, exact mode).
FLOAT_ROUNDING = 1e-12

_STATE = {"exact": False}

#: Checks about the commitment's optimality or the reported values, not about the response.
NOT_RESPONSE_CHECKS = frozenset(
    {
        "optimality",
        "global_optimality",
        "branching_complete",
        "objective_bound",
        "optimality_enumeration",
        "exact",
        "leader_value",
        "follower_value",
        "status",
        "supremum",
        "attainment",
        "strict_commitment",
        "big_m_valid",
        "target_unreachable",
    }
)


# -- exact mode ---------------------------------------------------------------------------------
def exact_mode() -> bool:
    """Whether helpers called with ``exact=None`` check exactly (set by the pytest plugin)."""
    return _STATE["exact"]


@contextmanager
def exact_checks(on: bool = True) -> Iterator[None]:
    """Within the block, helpers called without ``exact=`` check exactly (``on=True``)."""
    old = _STATE["exact"]
    _STATE["exact"] = bool(on)
    try:
        yield
    finally:
        _STATE["exact"] = old


def _exact(exact: bool | None) -> bool:
    return _STATE["exact"] if exact is None else bool(exact)


def _rtol(rtol: float | None, exact: bool) -> float:
    r = DEFAULT_RTOL if rtol is None else float(rtol)
    return min(r, EXACT_RTOL) if exact else r


# -- the reference solve --------------------------------------------------------------------------
_SOLVES: dict[tuple[Any, ...], tuple[Any, Any]] = {}


def solve_cached(game: Any, **options: Any) -> Any:
    """``stackopt.solve(game, **options)``, computed once per game object and options.

    The pytest plugin's ``stackopt_solve`` fixture and the helpers share this cache (games are
    immutable, so the object identifies the game).
    """
    key = (id(game), tuple(sorted((k, repr(v)) for k, v in options.items())))
    hit = _SOLVES.get(key)
    if hit is not None and hit[0] is game:
        return hit[1]
    from stackopt.api import solve

    result = solve(game, **options)
    _SOLVES[key] = (game, result)
    return result


def clear_cache() -> None:
    """Forget every cached solve."""
    _SOLVES.clear()


# -- building and verifying the minimal result -----------------------------------------------------
def minimal_result(
    game: Any,
    commitment: Any,
    response: Any,
    *,
    leader_value: Any = None,
    follower_value: Any = None,
    **leader_fields: Any,
) -> dict[str, Any]:
    """The minimal result JSON of an answer: ``kind``, ``leader.commitment``,
    ``follower.response`` and, when given, the values.

    ``commitment``: a mapping keyed by label or index, a list/array in the game's order or a
    pure action (label; index for mixed kinds). ``response``: a label or index; for games with
    types a mapping type -> action or a list in type order; for bilevel problems a mapping or
    array of follower variable values; for interdiction the path (list of nodes).
    ``leader_fields`` go into ``leader`` as they are (e.g. ``incentives=`` of incentive games).
    This is the JSON ``stackopt verify GAME RESULT`` reads.
    """
    spec = spec_of(game)
    leader: dict[str, Any] = {
        "commitment": _inputs.commitment_dict(game, commitment, mixed=spec.mixed)
    }
    if leader_value is not None:
        leader["value"] = _inputs.value_of(leader_value, "leader_value")
    leader.update({k: _plain(v) for k, v in leader_fields.items()})
    follower: dict[str, Any] = {"response": _inputs.response_value(game, response)}
    if follower_value is not None:
        follower["value"] = _inputs.value_of(follower_value, "follower_value")
    return {"kind": spec.name, "leader": leader, "follower": follower}


def _plain(v: Any) -> Any:
    import json

    return json.loads(json.dumps(v, default=_inputs.json_default))


def _verify(
    game: Any, spec: KindSpec, data: Mapping[str, Any], rtol: float, **extra: Any
) -> Certificate:
    from stackopt.api import verify

    method = data.get("method")
    fn = spec.verify_function(method if isinstance(method, str) else None)
    params = inspect.signature(fn).parameters
    kw = {k: v for k, v in {"rtol": rtol, **extra}.items() if k in params}
    try:
        return verify(game, data, **kw)
    except InputError as exc:
        raise AssertionError(f"stackopt could not read the answer: {exc}") from None


def _graft(data: dict[str, Any], spec: KindSpec, ref: Any) -> None:
    """Give ``data`` the optimality evidence (and method, options) of the reference solve."""
    known = {m.name for m in spec.methods}
    if data.get("method") not in known:
        data["method"] = ref.method
    opts = dict(ref.options or {})
    for k in ("rtol", "exact", "time_limit"):
        opts.pop(k, None)
    opts.update(data.get("options") or {})
    data["options"] = opts
    evidence = dict(ref.certificate.evidence) if ref.certificate is not None else {}
    evidence.pop("exact", None)
    cert = dict(data.get("certificate") or {})
    cert["evidence"] = evidence
    cert.pop("checks", None)
    data["certificate"] = cert


def _solver_bound_at_its_gap(
    game: Any,
    spec: KindSpec,
    data: Mapping[str, Any],
    cert: Certificate,
    rtol: float | None,
    ex: bool,
) -> list[Check]:
    """The failed checks; in exact mode a *solver-reported* MILP bound (whose precision is the
    MILP's gap, about 1e-6 relative) is held to the ordinary tolerance instead."""
    failed = list(cert.failed())
    if not ex or "optimality" not in {c.name for c in failed}:
        return failed
    try:
        how = spec.method(str(data.get("method"))).optimality
    except InputError:
        return failed
    if how != "solver-reported":
        return failed
    again = _verify(game, spec, data, DEFAULT_RTOL if rtol is None else float(rtol))
    if any(c.name == "optimality" and c.passed for c in again.checks):
        return [c for c in failed if c.name != "optimality"]
    return failed


def _has_option(spec: KindSpec, name: str) -> bool:
    return any(o.name == name for o in spec.all_options())


# -- messages -----------------------------------------------------------------------------------
def _describe(c: Check) -> str:
    s = f"{c.name} failed: {c.detail}"
    if c.residual is not None and c.tolerance is not None:
        s += f" [off by {_g(c.residual)}; tolerance {_g(c.tolerance)}]"
    elif c.tolerance is not None:
        s += f" [tolerance {_g(c.tolerance)}]"
    return s


def _g(x: Any) -> str:
    try:
        return f"{float(x):.3g}"
    except (TypeError, ValueError):
        return str(x)


def _fail(title: str, failed: list[Check], hints: list[str]) -> NoReturn:
    __tracebackhide__ = True  # pytest shows the caller's line, not this helper's
    lines = [title] + ["  " + _describe(c) for c in failed] + ["  " + h for h in hints]
    raise AssertionError("\n".join(lines))


def _name(game: Any, spec: KindSpec) -> str:
    name = getattr(game, "name", None)
    return f"{spec.name.replace('_', '-')} game" + (f" {name!r}" if name else "")


def _checked(game: Any, spec: KindSpec, rtol: float, exact: bool) -> str:
    """The game and how it was checked, for a failure's title: ``normal-form game 'x' (rtol
    1e-06, exact)``."""
    return f"{_name(game, spec)} (rtol {rtol:g}{', exact' if exact else ''})"


def _normal_form_hints(game: Any, data: Mapping[str, Any], failed: set[str]) -> list[str]:
    """The better response / tie / mixture for a normal-form answer (cheap, from the game)."""
    import numpy as np

    if not failed & {"best_response", "tie_break", "commitment"}:
        return []
    try:
        x = np.zeros(game.shape[0])
        for lab, p in data["leader"]["commitment"].items():
            x[game.leader_index(str(lab))] = float(p)
        j = game.follower_index(str(data["follower"]["response"]))
    except Exception:
        return []
    fu, lu = x @ game.B, x @ game.A
    labels = game.follower_actions
    out = []
    if "commitment" in failed:
        out.append(
            f"the commitment sums to {x.sum():.12g} (smallest probability "
            f"{x.min():.6g}); probabilities must be >= 0 and sum to 1"
        )
    if "best_response" in failed:
        k = int(fu.argmax())
        out.append(
            f"better response: '{labels[k]}' gives the follower {fu[k]:.10g}, "
            f"'{labels[j]}' only {fu[j]:.10g}"
        )
    if "tie_break" in failed:
        near = np.flatnonzero(fu >= fu.max() - 1e-9 * (float(np.abs(game.B).max()) or 1.0))
        if (data.get("options") or {}).get("tie_break", "leader") == "leader":
            k = int(near[np.argmax(lu[near])])
            out.append(
                f"leader-favourable tie: '{labels[k]}' is also a best response and gives the "
                f"leader {lu[k]:.10g}, '{labels[j]}' only {lu[j]:.10g}"
            )
        else:
            k = int(near[np.argmin(lu[near])])
            out.append(
                f"adversarial tie: '{labels[k]}' is also a best response and gives the "
                f"leader only {lu[k]:.10g}, '{labels[j]}' {lu[j]:.10g}"
            )
    return out


def _reference_hint(ref: Any) -> str:
    c = ", ".join(
        f"{k}: {v:.6g}" if isinstance(v, (int, float)) else f"{k}: {v}"
        for k, v in list(ref.leader.commitment.items())[:8]
    )
    more = " ..." if len(ref.leader.commitment) > 8 else ""
    lv = ref.leader.value
    return (
        f"better commitment: stackopt's solve gives the leader "
        f"{lv:.10g} with {{{c}{more}}} and response {ref.follower.response!r}"
        if isinstance(lv, (int, float))
        else f"stackopt's solve: {ref.status.value}"
    )


def _exact_value_checks(cert: Certificate, data: Mapping[str, Any]) -> list[Check]:
    """Reported values against the exact rational values of the normal-form proof."""
    ex = (cert.evidence or {}).get("exact") or {}
    out = []
    for key, side in (("leader_value", "leader"), ("follower_value", "follower")):
        rep = (data.get(side) or {}).get("value")
        if rep is None or key not in ex:
            continue
        true = Fraction(ex[key])
        tol = FLOAT_ROUNDING * max(1.0, abs(float(true)))
        err = abs(float(rep) - float(true))
        if not err <= tol:  # NaN too
            out.append(
                Check(
                    key,
                    False,
                    err,
                    tol,
                    f"reported {float(rep):.17g} but the exact "
                    f"value is {true} = {float(true):.17g}",
                )
            )
    return out


def _with_exact_values(
    failed: list[Check], cert: Certificate, data: Mapping[str, Any]
) -> list[Check]:
    """``failed`` and, unless the answer itself failed (commitment, response, ties), the
    reported values that miss the exact rational values (:func:`_exact_value_checks`)."""
    names = {c.name for c in failed}
    if names & {"commitment", "best_response", "tie_break"}:
        return failed
    return failed + [c for c in _exact_value_checks(cert, data) if c.name not in names]


#: Failed checks of the optimality claim: they earn the hint of stackopt's own solution.
OPTIMALITY_CHECKS = frozenset(
    {"optimality", "exact", "global_optimality", "optimality_enumeration"}
)


def _hints(
    game: Any, spec: KindSpec, data: Mapping[str, Any], failed: list[Check], ref: Any
) -> list[str]:
    """What the failure message adds to the ``failed`` checks: a normal-form answer's better
    response, tie or commitment (:func:`_normal_form_hints`), and, when only the optimality
    claim failed, the better commitment of stackopt's own solve ``ref`` (``None``: none)."""
    names = {c.name for c in failed}
    nf = spec.name == "normal_form" and data.get("method") != "nash_milp"
    hints = _normal_form_hints(game, data, names) if nf else []
    if (
        ref is not None
        and names & OPTIMALITY_CHECKS
        and not names & {"commitment", "best_response"}
    ):
        hints.append(_reference_hint(ref))
    return hints


# -- the helpers --------------------------------------------------------------------------------
def assert_stackelberg_equilibrium(
    game: Any,
    commitment: Any,
    response: Any,
    *,
    leader_value: Any = None,
    follower_value: Any = None,
    tie_break: str = "leader",
    rtol: float | None = None,
    exact: bool | None = None,
    **leader_fields: Any,
) -> Certificate:
    """Assert that ``(commitment, response)`` is a Stackelberg equilibrium of ``game``.

    Checks, by :func:`stackopt.verify`: the commitment is feasible, the response is a best
    response, ties follow ``tie_break`` (``"leader"``: strong equilibrium; ``"adversarial"``
    where the kind computes it), the values (when given) recompute, and no commitment gives the
    leader more (the optimality evidence of stackopt's own, cached solve, re-checked by verify).
    Inputs as in :func:`minimal_result`. ``rtol`` defaults to the certificates' 1e-6
    (absolute tolerances are ``rtol`` times each player's payoff scale); ``exact`` (default: the
    pytest plugin's setting) checks exactly, see the module docstring. Returns the certificate.
    """
    __tracebackhide__ = True
    spec = spec_of(game)
    ex = _exact(exact)
    data = minimal_result(
        game,
        commitment,
        response,
        leader_value=leader_value,
        follower_value=follower_value,
        **leader_fields,
    )
    ref = solve_cached(game, **({} if tie_break == "leader" else {"tie_break": tie_break}))
    _graft(data, spec, ref)
    data["options"]["tie_break"] = tie_break
    proof = ex and _has_option(spec, "exact")
    if proof:
        data["options"]["exact"] = True
    r = _rtol(rtol, ex)
    cert = _verify(game, spec, data, r)
    failed = _solver_bound_at_its_gap(game, spec, data, cert, rtol, ex)
    if proof:
        failed = _with_exact_values(failed, cert, data)
    if failed:
        _fail(
            f"not a {'strong' if tie_break == 'leader' else 'weak'} Stackelberg equilibrium "
            f"of the {_checked(game, spec, r, ex)}:",
            failed,
            _hints(game, spec, data, failed, ref),
        )
    return cert


def assert_best_response(
    game: Any,
    commitment: Any,
    response: Any,
    *,
    tie_break: str | None = "leader",
    rtol: float | None = None,
    exact: bool | None = None,
    **leader_fields: Any,
) -> Certificate:
    """Assert that ``response`` is a best response to ``commitment`` (optimality of the
    commitment is not checked).

    The commitment must be feasible; with ``tie_break="leader"`` (default) ties among the
    follower's best responses must go the leader's way, with ``"adversarial"`` against it, with
    ``None`` either way. In exact mode normal-form games are also checked in rational
    arithmetic (payoffs and probabilities read as the decimals they print as).
    ``leader_fields`` as in :func:`minimal_result` (e.g. ``incentives=`` of incentive games).
    """
    __tracebackhide__ = True
    spec = spec_of(game)
    ex = _exact(exact)
    data = minimal_result(game, commitment, response, **leader_fields)
    data["options"] = {"tie_break": tie_break or "leader"}
    r = _rtol(rtol, ex)
    cert = _verify(game, spec, data, r, resolve=False)
    skip = set(NOT_RESPONSE_CHECKS)
    if tie_break is None:
        skip.add("tie_break")
    failed = [c for c in cert.failed() if c.name not in skip]
    if ex and spec.name == "normal_form" and not failed:
        failed += _exact_best_response(game, data, tie_break)
    if failed:
        _fail(
            f"not a best response in the {_checked(game, spec, r, ex)}:",
            failed,
            _hints(game, spec, data, failed, None),
        )
    return cert


def _exact_best_response(game: Any, data: Mapping[str, Any], tie_break: str | None) -> list[Check]:
    from stackopt.checks.exact import to_fraction

    m, n = game.shape
    x = [Fraction(0)] * m
    for lab, p in data["leader"]["commitment"].items():
        x[game.leader_index(str(lab))] = to_fraction(p)
    j = game.follower_index(str(data["follower"]["response"]))
    out: list[Check] = []
    total = sum(x, Fraction(0))
    if abs(total - 1) > FLOAT_ROUNDING or any(p < 0 for p in x):
        out.append(
            Check(
                "commitment",
                False,
                float(abs(total - 1)),
                FLOAT_ROUNDING,
                f"the probabilities sum to {float(total):.17g}",
            )
        )
        return out
    x = [p / total for p in x]  # float rounding of the sum removed; the rest is exact
    fu = [sum((x[i] * to_fraction(game.B[i, k]) for i in range(m)), Fraction(0)) for k in range(n)]
    lu = [sum((x[i] * to_fraction(game.A[i, k]) for i in range(m)), Fraction(0)) for k in range(n)]
    top = max(fu)
    if fu[j] != top:
        k = fu.index(top)
        out.append(
            Check(
                "best_response",
                False,
                float(top - fu[j]),
                0.0,
                f"exactly, '{game.follower_actions[k]}' gives the follower {top}, "
                f"'{game.follower_actions[j]}' {fu[j]}",
            )
        )
    elif tie_break is not None:
        tied = [k for k in range(n) if fu[k] == top]
        pick = max if tie_break == "leader" else min
        k = pick(tied, key=lambda t: lu[t])
        if lu[k] != lu[j]:
            out.append(
                Check(
                    "tie_break",
                    False,
                    float(abs(lu[k] - lu[j])),
                    0.0,
                    f"exactly, the tied response '{game.follower_actions[k]}' gives "
                    f"the leader {lu[k]}, '{game.follower_actions[j]}' {lu[j]}",
                )
            )
    return out


def assert_nash_equilibrium(
    game: Any,
    x: Any,
    y: Any,
    *,
    leader_value: Any = None,
    follower_value: Any = None,
    rtol: float | None = None,
    exact: bool | None = None,
) -> Certificate:
    """Assert that the mixed profile ``(x, y)`` is a Nash equilibrium of the simultaneous
    normal-form game (no pure deviation gains either player more than its tolerance).

    ``x``, ``y``: mappings label/index -> probability, lists or arrays (e.g. nashpy's output),
    or pure actions. Values, when given, must recompute.
    """
    __tracebackhide__ = True
    spec = spec_of(game)
    if spec.name != "normal_form":
        raise TypeError(f"Nash equilibria are checked for normal-form games, not {spec.name}")
    ex = _exact(exact)
    data: dict[str, Any] = {
        "kind": spec.name,
        "method": "nash_milp",
        "leader": {"commitment": _inputs.mixed_strategy(game.leader_actions, x, "x")},
        "follower": {"response": _inputs.mixed_strategy(game.follower_actions, y, "y")},
    }
    if leader_value is not None:
        data["leader"]["value"] = _inputs.number(leader_value, "leader_value")
    if follower_value is not None:
        data["follower"]["value"] = _inputs.number(follower_value, "follower_value")
    r = _rtol(rtol, ex)
    cert = _verify(game, spec, data, r)
    if not cert.passed:
        _fail(
            f"not a Nash equilibrium of the {_checked(game, spec, r, ex)}:",
            list(cert.failed()),
            [],
        )
    return cert


def assert_result_verifies(
    game: Any,
    result_or_json: Any,
    *,
    rtol: float | None = None,
    exact: bool | None = None,
    evidence: str = "auto",
) -> Certificate:
    """Assert that a result verifies against ``game``: a :class:`~stackopt.Result`, a result
    dictionary (e.g. the minimal JSON of another tool), a JSON string or a JSON file path.

    Commitments and responses may be written as in :func:`minimal_result` (lists, indices).
    With ``evidence="auto"`` (default) a result that carries no optimality evidence gets that
    of stackopt's own cached solve (see the module docstring); ``"none"`` verifies it as it is.
    The result's ``options.rtol`` may tighten the tolerance, never loosen it.
    """
    __tracebackhide__ = True
    spec = spec_of(game)
    ex = _exact(exact)
    data = _inputs.result_mapping(result_or_json)
    kind = data.get("kind")
    if kind is not None and kind != spec.name:
        raise AssertionError(f"the result is of kind {kind!r} but the game is {spec.name!r}")
    data.setdefault("kind", spec.name)
    leader = dict(data.get("leader") or {})
    follower = dict(data.get("follower") or {})
    if "commitment" in leader and data.get("method") != "nash_milp":
        leader["commitment"] = _inputs.commitment_dict(game, leader["commitment"], mixed=spec.mixed)
    if "response" in follower and data.get("method") != "nash_milp":
        follower["response"] = _inputs.response_value(game, follower["response"])
    data["leader"], data["follower"] = leader, follower
    cert_in = data.get("certificate")
    has_evidence = isinstance(cert_in, Mapping) and bool(cert_in.get("evidence"))
    ref = None
    if (
        evidence == "auto"
        and not has_evidence
        and data.get("method") != "nash_milp"
        and str(data.get("status", "optimal")) == "optimal"
    ):
        tie = (data.get("options") or {}).get("tie_break") or "leader"
        ref = solve_cached(game, **({} if tie == "leader" else {"tie_break": tie}))
        _graft(data, spec, ref)
    elif evidence not in ("auto", "none"):
        raise ValueError("evidence must be 'auto' or 'none'")
    proof = ex and _has_option(spec, "exact") and data.get("method") != "nash_milp"
    if proof:
        data.setdefault("options", {})["exact"] = True
    r = _rtol(rtol, ex) if (rtol is not None or ex) else None
    cert = _verify(game, spec, data, r) if r is not None else _verify_default(game, data)
    failed = list(cert.failed())
    if proof:
        failed = _with_exact_values(failed, cert, data)
    if failed:
        _fail(
            f"the result does not verify against the {_name(game, spec)}"
            f"{' (exact)' if ex else ''}:",
            failed,
            _hints(game, spec, data, failed, ref),
        )
    return cert


def _verify_default(game: Any, data: Mapping[str, Any]) -> Certificate:
    from stackopt.api import verify

    try:
        return verify(game, data)
    except InputError as exc:
        raise AssertionError(f"stackopt could not read the result: {exc}") from None


def assert_values_close(
    result: Any, expected: Any, *, rtol: float = 1e-9, atol: float = 0.0, exact: bool | None = None
) -> None:
    """Assert that a result's values (and, when ``expected`` gives them, its commitment and
    response) equal ``expected``.

    ``result``: a :class:`~stackopt.Result`, a result dictionary, JSON string or path.
    ``expected``: the same, or a mapping with any of ``leader_value``, ``follower_value``
    (a number or ``{type: number}``), ``commitment`` (``{label: number}``), ``response``, or a
    bare number (the leader value). Compared with a whole result, only what ``result``
    reports is compared; a commitment given as a list is matched with the other side's labels
    in order. Numbers may be :class:`fractions.Fraction`. Each number
    must be within ``atol + rtol * max(1, |expected|)``; in exact mode within float rounding
    (:data:`FLOAT_ROUNDING` relative).
    """
    __tracebackhide__ = True
    ex = _exact(exact)
    got = _inputs.result_mapping(result)
    full = False
    if isinstance(expected, (int, float, Fraction)) and not isinstance(expected, bool):
        want: dict[str, Any] = {"leader_value": expected}
    elif hasattr(expected, "to_dict") or (
        isinstance(expected, Mapping) and ("leader" in expected or "follower" in expected)
    ):
        e = _inputs.result_mapping(expected)
        want = {
            "leader_value": e["leader"].get("value"),
            "follower_value": e["follower"].get("value"),
            "commitment": e["leader"].get("commitment"),
            "response": e["follower"].get("response"),
        }
        want = {k: v for k, v in want.items() if v is not None}
        full = True
    elif isinstance(expected, Mapping):
        unknown = set(expected) - {"leader_value", "follower_value", "commitment", "response"}
        if unknown:
            raise TypeError(
                f"expected: unknown keys {sorted(unknown)}; use leader_value, "
                "follower_value, commitment, response"
            )
        want = dict(expected)
    else:
        raise TypeError(f"expected: cannot read {expected!r}")
    have = {
        "leader_value": (got.get("leader") or {}).get("value"),
        "follower_value": (got.get("follower") or {}).get("value"),
        "commitment": (got.get("leader") or {}).get("commitment"),
        "response": (got.get("follower") or {}).get("response"),
    }
    problems: list[str] = []
    for key, w in want.items():
        if full and have.get(key) is None:
            continue  # compared with a whole result: only what ``result`` reports
        _compare(key, have.get(key), w, rtol, atol, ex, problems)
    if problems:
        how = "exact (float rounding)" if ex else f"rtol {rtol:g}, atol {atol:g}"
        raise AssertionError(
            "values differ (" + how + "):\n" + "\n".join("  " + p for p in problems)
        )


def _compare(
    key: str, got: Any, want: Any, rtol: float, atol: float, ex: bool, problems: list[str]
) -> None:
    if (
        isinstance(want, Mapping) and isinstance(got, (list, tuple)) and len(got) == len(want)
    ):  # a list in the order of the expected labels
        got = dict(zip(want, got))
    if isinstance(got, Mapping) and isinstance(want, (list, tuple)) and len(got) == len(want):
        want = dict(zip(got, want))
    if isinstance(want, Mapping):
        if not isinstance(got, Mapping):
            problems.append(f"{key}: expected a mapping {dict(want)!r}, got {got!r}")
            return
        for k in sorted(set(want) | set(got), key=str):
            w = want.get(k, 0 if key == "commitment" else None)
            g = got.get(k, 0 if key == "commitment" else None)
            _compare(f"{key}[{k!r}]", g, w, rtol, atol, ex, problems)
        return
    if isinstance(want, (list, tuple)) and isinstance(got, (list, tuple)):
        if len(got) != len(want):
            problems.append(f"{key}: got {list(got)!r}, expected {list(want)!r}")
            return
        for k, (g, w) in enumerate(zip(got, want)):
            _compare(f"{key}[{k}]", g, w, rtol, atol, ex, problems)
        return
    if isinstance(want, (str, bool)) or want is None or isinstance(got, (str, bool)):
        if got != want:
            problems.append(f"{key}: got {got!r}, expected {want!r}")
        return
    if got is None:
        problems.append(f"{key}: not reported (expected {_show(want)})")
        return
    g, w = float(got), float(want)
    tol = FLOAT_ROUNDING * max(1.0, abs(w)) if ex else atol + rtol * max(1.0, abs(w))
    err = abs(g - w) if math.isfinite(g) and math.isfinite(w) else (0.0 if g == w else math.inf)
    if not err <= tol:
        problems.append(
            f"{key}: got {g:.17g}, expected {_show(want)}: off by {err:.3g} (tolerance {tol:.3g})"
        )


def _show(v: Any) -> str:
    if isinstance(v, Fraction):
        return f"{v} = {float(v):.17g}"
    try:
        return f"{float(v):.17g}"
    except (TypeError, ValueError):
        return repr(v)


def covered_kinds() -> tuple[str, ...]:
    """The kinds these helpers cover: every kind the registry knows."""
    from stackopt.kinds.registry import kinds

    return tuple(kinds())


__all__ = list(_public_names)  # listed once, in the package that re-exports them
