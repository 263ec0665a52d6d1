"""Shortest-path network interdiction: solve, verify and export.

``solve_interdiction`` builds the Israeli-Wood dual MILP
(:mod:`stackopt.formulations.interdiction_milp`) in Pyomo, solves it with HiGHS at
``mip_rel_gap = 0``, reads the leader's interdiction, lets the follower answer with a Dijkstra
shortest path (networkx) in the interdicted graph, and certifies the answer with
:mod:`stackopt.kinds.interdiction.checks`.

Result layout (same keys as every kind):

* ``leader.commitment`` — *every* arc ``"tail->head"`` mapped to 1 (interdicted) or 0;
* ``leader.value`` — the follower's shortest-path length after interdiction, which the leader
  maximises (``inf`` when the budget disconnects the target from the source);
* ``follower.response`` — ``{"path": [source, ..., target]}`` (``{"path": []}`` when
  disconnected);
* ``follower.value`` — the same path length (zero-sum: the follower minimises it).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any

from stackopt.certificate import Certificate, Check
from stackopt.checks.common import certify_answer, read_result
from stackopt.errors import InputError, SolverError
from stackopt.kinds.interdiction.checks import (
    DEFAULT_ENUMERATE_LIMIT,
    DEFAULT_RTOL,
    atol_of,
    certify,
    reachable_distance,
    shortest,
)
from stackopt.kinds.interdiction.game import InterdictionGame
from stackopt.kinds.registry import validated
from stackopt.result import Result
from stackopt.status import Status
from stackopt.vocabulary import MILP_BOUND, milp_record

METHODS = ("dual_milp", "lp_dual", "benders")


def build_model(game: InterdictionGame, method: str = "dual_milp", *, tighten: bool = False):
    """The Pyomo MILP of ``game`` (used by ``stackopt export``).

    ``method="dual_milp"`` writes the dual by hand (fast); ``"lp_dual"`` derives it with Pyomo's
    ``core.lp_dual`` transformation from the follower's shortest-path LP (same optimum; its
    build took 4.2 s against 0.08 s on a 20x20 grid, so it is only a cross-check).
    ``tighten`` (``dual_milp`` only) adds the exact potential box and reduced delays.
    """
    _check_game(game)
    if method == "dual_milp":
        from stackopt.formulations.interdiction_milp import build_interdiction_milp

        return build_interdiction_milp(game, tighten=bool(tighten))
    if tighten:
        raise InputError(
            "tighten applies to method 'dual_milp' only",
            field="tighten",
            fix="drop tighten or use method 'dual_milp'",
        )
    if method == "lp_dual":
        from stackopt.formulations.interdiction_lp_dual import build_interdiction_lp_dual

        return build_interdiction_lp_dual(game)
    if method == "benders":  # decomposes the same problem: export its single-MILP form
        from stackopt.formulations.interdiction_milp import build_interdiction_milp

        return build_interdiction_milp(game)
    raise InputError(
        f"unknown method {method!r}", field="method", fix="use one of " + ", ".join(METHODS)
    )


@validated("interdiction")
def solve_interdiction(
    game: InterdictionGame,
    *,
    method: str = "dual_milp",
    rtol: float = DEFAULT_RTOL,
    time_limit: float | None = None,
    threads: int | None = None,
    tighten: bool = False,
    enumerate_limit: int = DEFAULT_ENUMERATE_LIMIT,
    tie_break: str = "leader",
) -> Result:
    """Optimal interdiction within budget, and the follower's shortest path after it.

    Parameters
    ----------
    game
        The interdiction game.
    method
        ``"dual_milp"`` (Israeli & Wood's MXSP-D written directly, default) or ``"lp_dual"``
        (the same single-level MILP derived by Pyomo's ``core.lp_dual``; slower to build).
    rtol
        Relative tolerance of the certificate; ``atol = rtol * game.scale`` (largest
        interdicted arc length).
    time_limit
        Seconds for HiGHS (``None``: none). Stopping at the limit gives status ``error``.
    threads
        HiGHS threads (``None``: HiGHS's default). Setting it resets HiGHS's process-wide
        thread pool (HiGHS refuses a new thread count otherwise).
    tighten
        ``dual_milp`` only: add the exact potential box and reduced delay coefficients of
        :func:`~stackopt.formulations.interdiction_milp.tightened` (not faster in our
        measurements, hence off).
    enumerate_limit
        Also check optimality by enumerating maximal interdiction sets with Dijkstra when that
        takes at most this many search nodes (0: never).
    tie_break
        Only ``"leader"``: the follower's shortest path is unique in value, and ties among
        shortest paths do not change the leader's value (zero-sum).

    Returns
    -------
    Result
        ``optimal`` with the commitment, path and values (``inf`` if the budget disconnects
        the target); ``infeasible`` when the target is unreachable even without interdiction;
        ``error`` when HiGHS stops early. HiGHS runs with ``mip_rel_gap = 0`` (and its default
        absolute gap 1e-6): the optimality claim rests on its dual bound.
    """
    from stackopt.formulations.interdiction_milp import read_commitment, relevant_graph

    _check_game(game)
    atol_of(game, rtol)  # the scale is finite
    options = {
        "method": method,
        "rtol": rtol,
        "time_limit": time_limit,
        "threads": threads,
        "tighten": bool(tighten),
        "enumerate_limit": enumerate_limit,
        "mip_rel_gap": 0.0,
    }
    t0 = time.perf_counter()
    graph = relevant_graph(game)
    if not graph.reachable:
        return _unreachable(game, options)
    incumbent: float | None  # HiGHS may stop with no incumbent (refused below)
    bound: float | None  # ... or with no dual bound
    if method == "benders":
        status, incumbent, bound, commitment, stats = _solve_benders(
            game, graph, atol=atol_of(game, rtol), time_limit=time_limit
        )
    else:
        t = time.perf_counter()
        model = build_model(game, method, tighten=tighten)
        build_s = time.perf_counter() - t
        from stackopt.engines.highs import solve_pyomo_milp
        from stackopt.progress import model_size, phase

        phase(
            "interdiction",
            "%s MILP built (%s) in %.2f s; HiGHS started",
            method,
            model_size(model),
            build_s,
        )

        t = time.perf_counter()
        status, incumbent, bound = solve_pyomo_milp(model, time_limit=time_limit, threads=threads)
        solve_s = time.perf_counter() - t
        stats = {"build_seconds": build_s, "highs_seconds": solve_s, "binaries": len(model.x)}
        if incumbent is None:
            raise SolverError(f"HiGHS stopped ({status}) without an interdiction; raise time_limit")
        commitment = read_commitment(model, game)
    stats.update(
        {
            "nodes": len(game.nodes),
            "arcs": len(game.arcs),
            "model_nodes": len(graph.nodes),
            "model_arcs": len(graph.arcs),
        }
    )
    dist, path = shortest(game, commitment)
    evidence = {
        MILP_BOUND: milp_record(
            bound,
            incumbent,
            termination=status,
            path_bound=graph.path_bound,
            removal_penalty=graph.penalty,
        )
    }
    cert = certify(
        game,
        commitment,
        {"path": path},
        dist,
        dist,
        evidence,
        rtol=rtol,
        enumerate_limit=enumerate_limit,
    )
    stats["total_seconds"] = time.perf_counter() - t0
    # a disconnecting interdiction is optimal whatever the solver's status (value +inf)
    st = Status.OPTIMAL if status == "optimal" or math.isinf(dist) else Status.ERROR
    if st is Status.ERROR and "time" in str(status).lower():
        st = Status.TIME_LIMIT  # an incumbent, not proven optimal (never 'optimal')
    msg = ""
    if math.isinf(dist):
        msg = (
            f"the budget suffices to disconnect {game.target!r} from {game.source!r}: "
            "the follower has no path"
        )
    if st in (Status.ERROR, Status.TIME_LIMIT):
        msg = f"HiGHS stopped with '{status}'; the interdiction is not proven optimal"
    elif not cert.passed:
        msg = "certificate failed: " + cert.summary()
    return Result.answered(
        game, st, method, commitment, dist, {"path": path}, dist, cert, stats, options, msg
    )


def verify_interdiction(
    game: InterdictionGame,
    result: Result | Mapping[str, Any],
    *,
    rtol: float | None = None,
    enumerate_limit: int = DEFAULT_ENUMERATE_LIMIT,
) -> Certificate:
    """Re-check ``result`` against ``game`` without solving the MILP.

    Recomputes the budget, the follower's shortest path (networkx Dijkstra) and both values,
    and compares the leader's value with the MILP bound recorded in the result's evidence
    (plus, on small graphs, with an enumeration of all interdiction sets). For an
    ``infeasible`` result it re-checks that the target is unreachable.
    """
    _check_game(game)
    result, rtol, evidence = read_result(result, rtol, DEFAULT_RTOL, allow_inf=True)
    if result.status is Status.INFEASIBLE:
        return _unreachable_certificate(game, rtol)
    cert = certify_answer(
        certify,
        game,
        result,
        evidence,
        rtol=rtol,
        enumerate_limit=enumerate_limit,
        rederive=True,
    )
    from stackopt.checks.status_claim import with_status_check

    return with_status_check(
        cert,
        result.status,
        (Status.OPTIMAL,),
        why="a reported path means the target is reachable, so an optimal interdiction exists",
    )


def _check_game(game: Any) -> None:
    if not isinstance(game, InterdictionGame):
        raise InputError(
            f"expected an InterdictionGame, got {type(game).__name__}",
            fix="build one with InterdictionGame.from_networkx or load_game",
        )


def _solve_benders(
    game: InterdictionGame, graph: Any, *, atol: float, time_limit: float | None
) -> tuple[str, float, float, dict[str, int], dict[str, Any]]:
    """Israeli-Wood decomposition (:mod:`stackopt.engines.interdiction_benders`): status,
    best value, the master's bound, the commitment (every arc 0/1) and statistics."""
    from stackopt.engines.interdiction_benders import solve_benders

    out = solve_benders(game, graph, tol=0.1 * atol, time_limit=time_limit)
    chosen = set(out.interdicted)
    commitment = {a.key: int(k in chosen) for k, a in enumerate(game.arcs)}
    stats = dict(out.stats)
    stats["binaries"] = len(graph.candidates)
    return out.status, out.lower, out.upper, commitment, stats


def _unreachable_certificate(game: InterdictionGame, rtol: float) -> Certificate:
    dist = reachable_distance(game, {})  # NaN, not inf, when reachable lengths overflow
    ok = math.isinf(dist)
    return Certificate(
        checks=(
            Check(
                "target_unreachable",
                ok,
                detail=(
                    f"no path from {game.source!r} to {game.target!r} even without interdiction "
                    "(networkx)"
                )
                if ok
                else f"a path of length {dist:g} exists",
            ),
        ),
        rtol=rtol,
        atol=atol_of(game, rtol),
        scale=game.scale,
    )


def _unreachable(game: InterdictionGame, options: Mapping[str, Any]) -> Result:
    cert = _unreachable_certificate(game, float(options["rtol"]))
    no_arcs = {a.key: 0 for a in game.arcs}
    msg = (
        f"no path from {game.source!r} to {game.target!r} exists even "
        "before interdiction: the follower cannot move"
    )
    method, opts = str(options["method"]), dict(options)
    return Result.answered(
        game, Status.INFEASIBLE, method, no_arcs, None, {"path": []}, None, cert, None, opts, msg
    )


def export_models(game, *, method: str = "dual_milp", tighten: bool = False, **_: object) -> dict:
    """The models ``stackopt export`` writes: ``{"": the Pyomo model}`` (one file)."""
    return {"": build_model(game, method, tighten=tighten)}
