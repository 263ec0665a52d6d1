"""Certificate checks for shortest-path interdiction results (re-usable by ``verify``).

Checks, in order (absolute tolerance ``atol = rtol * game.scale``, the scale being the largest
interdicted arc length :math:`\\max_e (c_e + d_e)`, at least 1):

``commitment``
    every key names an arc of the game and every value is 0 or 1 (missing arcs count as 0).
``budget``
    :math:`\\sum_e r_e x_e \\le R` (residual: the excess; tolerance ``1e-9 * max(1, R)``).
``response_path``
    the response is a path from source to target using only arcs that exist and are not
    removed (or, when the leader disconnects the target, the response is empty and networkx
    confirms that no path exists).
``best_response``
    its length in the interdicted graph equals the shortest distance recomputed by networkx
    Dijkstra.
``follower_value`` / ``leader_value``
    both reported values equal the recomputed path length (the game is zero-sum).
``optimality``
    the leader's value is at least the MILP's proven upper bound minus ``atol``: the bound is
    HiGHS's dual bound, recorded in ``evidence["milp_bound"]`` (with the gap tolerance it was run
    with). Optimality therefore rests on HiGHS's branch and bound, exact up to its tolerances.
    A disconnecting commitment is optimal without a bound (the value is :math:`+\\infty`).
    Without a recorded bound (e.g. a result from another tool) the enumeration below decides,
    when the graph is small enough; otherwise the check fails.
``optimality_enumeration`` (only when the graph is small)
    every interdiction set within budget (maximal ones suffice: lengths only grow) is
    evaluated with Dijkstra, and none beats the leader's value by more than ``atol``. Runs
    when the number of sets explored stays below ``enumerate_limit``; solver-independent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from stackopt.certificate import Certificate, Check, excess
from stackopt.checks.common import game_certificate
from stackopt.errors import InputError
from stackopt.kinds.interdiction.game import InterdictionGame
from stackopt.kinds.registry import DEFAULT_RTOL
from stackopt.result import as_number
from stackopt.vocabulary import milp_bound

DEFAULT_ENUMERATE_LIMIT = 2000


def atol_of(game: InterdictionGame, rtol: float) -> float:
    """Absolute tolerance ``rtol * game.scale``."""
    if not (isinstance(rtol, (int, float)) and math.isfinite(rtol) and rtol > 0):
        raise InputError(
            f"rtol must be a positive number, got {rtol!r}", field="rtol", fix="use e.g. 1e-6"
        )
    return float(rtol) * game.scale


def parse_commitment(game: InterdictionGame, commitment: Mapping[str, Any]) -> dict[str, float]:
    """Commitment values by arc label (missing arcs: 0); unknown labels raise InputError."""
    if not isinstance(commitment, Mapping):
        raise InputError(
            "must map arc labels 'u->v' to 0 or 1",
            field="leader.commitment",
            fix='write e.g. {"a->b": 1, "b->c": 0}',
        )
    out = {a.key: 0.0 for a in game.arcs}
    for key, val in commitment.items():
        if key not in out:
            raise InputError(
                f"unknown arc {key!r}",
                field="leader.commitment",
                fix="label arcs 'tail->head' as in the game",
            )
        try:
            out[key] = float(val)
        except (TypeError, ValueError):
            raise InputError(
                f"value {val!r} of arc {key!r} is not a number",
                field=f"leader.commitment.{key}",
                fix="write 0 or 1",
            ) from None
    return out


def parse_path(response: Any) -> list[str]:
    """The node list of a response ``{"path": [...]}`` (a bare list is accepted too)."""
    path = response.get("path") if isinstance(response, Mapping) else response
    if path is None:
        path = []
    if not isinstance(path, (list, tuple)):
        raise InputError(
            f"the response must be {{'path': [nodes...]}}, got {response!r}",
            field="follower.response",
            fix='write {"path": ["s", "a", "t"]}',
        )
    return [str(v) for v in path]


def path_length(
    game: InterdictionGame, x: Mapping[str, float], path: Sequence[str]
) -> tuple[float, str]:
    """Length of ``path`` in the interdicted graph and '' or the reason it is not a path."""
    if len(path) < 2:
        return math.inf, "the path has fewer than two nodes"
    if path[0] != game.source or path[-1] != game.target:
        return math.inf, (
            f"the path runs {path[0]!r} -> {path[-1]!r}, not {game.source!r} -> {game.target!r}"
        )
    total = 0.0
    for u, v in zip(path, path[1:]):
        k = game.arc_index.get(f"{u}->{v}")
        if k is None:
            return math.inf, f"arc {u}->{v} is not in the graph"
        a = game.arcs[k]
        w = a.interdicted_length(x.get(a.key, 0.0) > 0.5)
        if not math.isfinite(w):
            return math.inf, f"arc {u}->{v} was removed by the leader"
        total += w
    return total, ""


def shortest(game: InterdictionGame, x: Mapping[str, float]) -> tuple[float, list[str]]:
    """Shortest distance and one shortest path after interdiction ``x`` (Dijkstra, networkx).

    ``(inf, [])`` when the target is unreachable.
    """
    import networkx as nx

    g = game.to_networkx(x)
    try:
        dist, path = nx.single_source_dijkstra(g, game.source, game.target, weight="weight")
    except nx.NetworkXNoPath:
        return math.inf, []
    return float(dist), [str(v) for v in path]


def reachable_distance(game: InterdictionGame, x: Mapping[str, float]) -> float:
    """The shortest distance after interdiction ``x`` (:func:`shortest`): ``inf`` only when
    the target is unreachable; NaN when it is reachable but the path's lengths sum beyond the
    float range (finite lengths near 1e308), so that no check passes on an overflowed
    distance mistaken for a disconnection."""
    dist, path = shortest(game, x)
    return math.nan if path and math.isinf(dist) else dist


def certify(
    game: InterdictionGame,
    commitment: Mapping[str, Any],
    response: Any,
    leader_value: Any,
    follower_value: Any,
    evidence: Mapping[str, Any] | None,
    *,
    rtol: float = DEFAULT_RTOL,
    enumerate_limit: int = DEFAULT_ENUMERATE_LIMIT,
    rederive: bool = False,
) -> Certificate:
    """Check an interdiction result (see the module docstring for the checks).

    With ``rederive`` (``verify``) the recorded MILP bound is only a hint: it must be a finite
    number not below the value, and when the graph is too large to enumerate the optimum is
    re-derived by a fresh MILP solve (at most :data:`VERIFY_MILP_ARCS` arcs); only above that
    does the check rest on the recorded bound, and it says *solver-reported*.
    """
    atol = atol_of(game, rtol)
    x = parse_commitment(game, commitment)
    path = parse_path(response)
    evidence = dict(evidence or {})
    checks: list[Check] = []

    bad = {k: v for k, v in x.items() if not min(abs(v), abs(v - 1.0)) <= 1e-9}  # NaN: bad
    checks.append(
        Check(
            "commitment",
            not bad,
            residual=max((min(abs(v), abs(v - 1)) for v in bad.values()), default=0.0),
            tolerance=1e-9,
            detail="every arc is 0 or 1"
            if not bad
            else f"non-binary values: {dict(list(bad.items())[:3])}",
        )
    )
    xb = {k: (1.0 if v > 0.5 else 0.0) for k, v in x.items()}

    spent = sum(a.cost for a in game.arcs if xb[a.key] > 0)
    btol = 1e-9 * max(1.0, game.budget)
    over = excess(spent - game.budget)
    checks.append(
        Check.within(
            "budget",
            over,
            btol,
            f"spent {spent:g} of budget {game.budget:g} on {int(sum(xb.values()))} arc(s)",
        )
    )

    dist = reachable_distance(game, xb)
    if math.isinf(dist):
        ok = not path
        checks.append(
            Check(
                "response_path",
                ok,
                detail="the target is unreachable after interdiction and the response is empty"
                if ok
                else "the target is unreachable after interdiction, yet a path was reported",
            )
        )
        length = math.inf
        checks.append(Check("best_response", ok, detail="no path exists (networkx)"))
    else:
        length, why = path_length(game, xb, path)
        checks.append(
            Check(
                "response_path",
                not why,
                detail=why
                or f"{len(path) - 1}-arc path from {game.source!r} to "
                f"{game.target!r} avoiding removed arcs",
            )
        )
        gap = length - dist if not why else math.inf
        checks.append(
            Check.within(
                "best_response",
                gap,
                atol,
                f"path length {length:.10g}, shortest distance {dist:.10g} (networkx Dijkstra)",
            )
        )
    for name, val in (("follower_value", follower_value), ("leader_value", leader_value)):
        checks.append(_value_check(name, val, length if not math.isinf(dist) else dist, atol))

    enum = enumerate_optimum(game, limit=enumerate_limit)
    fresh = None
    if rederive and enum is None and not math.isinf(dist):
        fresh = _fresh_optimum(game)
    checks.append(
        _optimality(dist, evidence, atol, enumerated=enum, fresh=fresh, rederive=rederive)
    )
    if enum is not None:
        best, count = enum
        lv = (
            as_number(leader_value)
            if leader_value is not None
            else (length if not math.isinf(dist) else dist)
        )  # not reported: the recomputed value
        res = (
            (best - lv)
            if lv is not None and not (math.isinf(best) and math.isinf(lv))
            else (0.0 if lv is not None else math.inf)
        )
        checks.append(
            Check(
                "optimality_enumeration",
                lv is not None and res <= atol,
                residual=res,
                tolerance=atol,
                detail=f"best of {count} maximal interdiction sets within budget "
                f"is {best:.10g} (networkx Dijkstra)",
            )
        )
    return game_certificate(game, checks, rtol=float(rtol), atol=atol, evidence=evidence)


def _value_check(name: str, reported: Any, actual: float, atol: float) -> Check:
    if reported is None:  # values are optional
        return Check(name, True, tolerance=atol, detail=f"not reported; recomputed {actual}")
    v = as_number(reported)
    if v is None:
        return Check(name, False, detail=f"reported value {reported!r} is missing or not a number")
    if math.isinf(actual) or math.isinf(v):
        ok = v == actual
        return Check(
            name,
            ok,
            residual=0.0 if ok else math.inf,
            tolerance=atol,
            detail=f"reported {v}, recomputed {actual}",
        )
    return Check.within(name, abs(v - actual), atol, f"reported {v:.10g}, recomputed {actual:.10g}")


#: Largest graph (arcs) on which ``verify`` re-solves the interdiction MILP when enumeration
#: is too large, instead of trusting the result's bound.
VERIFY_MILP_ARCS = 400
#: Seconds allowed for that fresh solve.
VERIFY_MILP_SECONDS = 30.0


def _fresh_optimum(game: InterdictionGame) -> float | None:
    """The optimum by a fresh MILP solve (``None``: graph too large, or the solve failed)."""
    from stackopt.errors import SolverError
    from stackopt.kinds.interdiction.solve import solve_interdiction

    if len(game.arcs) > VERIFY_MILP_ARCS:
        return None
    try:
        r = solve_interdiction(game, time_limit=VERIFY_MILP_SECONDS)
    except SolverError:
        return None
    if not r.certified:
        return None
    v = as_number(r.leader.value)
    return v


def _bound_check(upper: float, dist: float, atol: float, detail: str) -> Check:
    """``optimality`` from an upper bound on the optimal shortest-path length: passes when
    ``upper <= dist + atol`` (no interdiction within budget beats the reported one)."""
    res = upper - dist
    return Check("optimality", res <= atol, residual=excess(res), tolerance=atol, detail=detail)


def _optimality(
    dist: float,
    evidence: Mapping[str, Any],
    atol: float,
    *,
    enumerated: tuple[float, int] | None = None,
    fresh: float | None = None,
    rederive: bool = False,
) -> Check:
    if math.isinf(dist):
        return Check(
            "optimality",
            True,
            residual=0.0,
            tolerance=atol,
            detail="the commitment disconnects the target: value +inf cannot be beaten",
        )
    mip = milp_bound(evidence)  # evidence.milp_bound (old name: evidence.mip.dual_bound)
    bound = as_number(mip.get("bound")) if isinstance(mip, Mapping) else None
    if (
        isinstance(mip, Mapping)
        and mip.get("bound") is not None
        and (bound is None or not math.isfinite(bound))
    ):
        return Check(
            "optimality",
            False,
            detail=f"the recorded MILP bound {str(mip.get('bound'))[:40]!r} is not a finite number",
        )
    if bound is not None and bound < dist - atol:
        return Check(
            "optimality",
            False,
            residual=dist - bound,
            tolerance=atol,
            detail=f"the recorded MILP bound {bound:.10g} is below the value "
            f"{dist:.10g}: impossible for an upper bound",
        )
    if rederive and enumerated is None:
        if fresh is not None:
            return _bound_check(
                fresh,
                dist,
                atol,
                f"re-derived by a fresh MILP solve: optimum {fresh:.10g} "
                "(solver-reported bound, not the result's)",
            )
        if bound is not None:
            return _bound_check(
                bound,
                dist,
                atol,
                f"solver-reported: the result's MILP bound {bound:.10g} (graph "
                f"too large to enumerate or re-solve here)",
            )
    if bound is None:
        if enumerated is not None:  # e.g. a result from another tool, on a small graph
            return _bound_check(
                enumerated[0],
                dist,
                atol,
                f"no MILP bound recorded; enumeration of {enumerated[1]} "
                f"maximal interdiction sets gives at most {enumerated[0]:.10g}",
            )
        return Check(
            "optimality",
            False,
            detail="no MILP bound recorded in the evidence and the graph is too large to enumerate",
        )
    assert mip is not None  # bound is not None, so it was read from mip
    path_bound = as_number(mip.get("path_bound"))
    if path_bound is not None and bound > path_bound:
        return Check(
            "optimality",
            False,
            residual=bound - dist,
            tolerance=atol,
            detail=f"the MILP bound {bound:.10g} exceeds the path bound "
            f"{path_bound:.10g}: the budget may disconnect the target, "
            "but this commitment does not",
        )
    return _bound_check(
        bound,
        dist,
        atol,
        f"HiGHS proved no interdiction exceeds {bound:.10g} "
        f"(mip_rel_gap {mip.get('mip_rel_gap')}); value {dist:.10g}",
    )


def enumerate_optimum(
    game: InterdictionGame, *, limit: int = DEFAULT_ENUMERATE_LIMIT
) -> tuple[float, int] | None:
    """Best shortest-path length over all maximal interdiction sets within budget.

    Returns ``(best value, number of maximal sets)``, or ``None`` when more than ``limit``
    search nodes would be needed (or ``limit`` is 0). Only useful, affordable arcs are
    considered; since lengths only grow under interdiction, maximal sets suffice.
    """
    if limit <= 0:
        return None
    cands = [a for a in game.arcs if a.interdictable and a.cost <= game.budget]
    tol = 1e-9 * max(1.0, game.budget)
    sets: list[list[str]] = []
    visited = 0

    def rec(start: int, left: float, chosen: list[str]) -> bool:
        nonlocal visited
        visited += 1
        if visited > limit:
            return False
        extended = False
        for k in range(start, len(cands)):
            if cands[k].cost <= left + tol:
                extended = True
                if not rec(k + 1, left - cands[k].cost, chosen + [cands[k].key]):
                    return False
        # maximal w.r.t. every candidate not chosen (earlier ones included)
        if not extended and all(a.key in chosen or a.cost > left + tol for a in cands):
            sets.append(chosen)
        return True

    if not rec(0, game.budget, []):
        return None
    if not sets:
        sets = [[]]
    best = -math.inf
    for s in sets:
        d = reachable_distance(game, {k: 1.0 for k in s})
        if math.isnan(d) or d > best:  # NaN (overflowing lengths) sticks: the check fails
            best = d
        if math.isinf(best):
            break
    return best, len(sets)
