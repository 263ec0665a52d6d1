"""Bilevel problems: ``solve_bilevel``, ``verify_bilevel`` and ``build_model`` (export).

Methods (``method=``):

``kkt_bigm``
    KKT conditions of the follower with complementarity as binaries and big-M
    (:mod:`.formulations.kkt_bigm`), one MILP solved by HiGHS. Exact when every M is proven
    (:mod:`.formulations.bounds`).
``strong_duality``
    Primal + dual feasibility + strong duality, products of integer leader variables and
    duals linearised by binary expansion (:mod:`.formulations.strong_duality`). Linear
    followers whose coupling leader variables are integer and bounded.
``kkt_normalized``
    KKT with multipliers normalised to ``[0, 1]`` (:mod:`.formulations.kkt_normalized`): a
    MILP relaxation needing only the (LP-provable) slack bounds; its optimum is proven when
    the follower's best response at its ``x`` attains it, otherwise ``bard_moore`` closes the
    gap from that incumbent. Linear followers only.
``bard_moore``
    Exact branching on complementarity pairs with LPs at the nodes
    (:mod:`.engines.bard_moore`); needs no big-M.
``None`` (default)
    ``bard_moore`` for a continuous leader and a linear follower (measured faster than the
    proven-big-M MILP on random covering instances at every size, and than both MILP
    relaxations where no multiplier bound is provable; see ``benchmarks/bilevel.py``);
    otherwise ``kkt_bigm`` if its big-Ms are proven, else ``strong_duality`` if applicable
    and proven, else ``bard_moore``.

Leader objectives with rate x quantity products (``leader_cross``: tolls, fines, subsidies)
are solved by :mod:`stackopt.kinds.bilevel.bilinear` (``bard_moore`` with the revenue identity,
or ``strong_duality`` with expanded rates; ``rate_step=`` discretises continuous rates, an
approximation reported with status ``feasible`` and an error bound).

A big-M the user passes (``big_m=``) is used only where no bound is proven, and then the
result carries a failed ``big_m_valid`` check (``certified`` is False) and a warning: an
unproven optimum is never reported as certified.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from stackopt.certificate import Certificate, Check, excess
from stackopt.engines.highs import run_from_start, run_highs
from stackopt.errors import InputError, UnsupportedError
from stackopt.formulations.bilevel_form import MILPArrays, follower_form
from stackopt.formulations.bounds import ProvenBounds, prove_bounds
from stackopt.kinds.bilevel.checks import (
    DEFAULT_RTOL,
    FollowerOracle,
    certify,
    exact_values,
    tolerances,
)
from stackopt.kinds.bilevel.game import BilevelProblem
from stackopt.kinds.registry import validated
from stackopt.progress import model_size, phase
from stackopt.result import Result
from stackopt.status import Status
from stackopt.vocabulary import OPTIMALITY

METHODS = ("kkt_bigm", "kkt_normalized", "strong_duality", "bard_moore")


def _check_problem(problem: Any) -> BilevelProblem:
    if not isinstance(problem, BilevelProblem):
        raise InputError(
            f"expected a BilevelProblem, got {type(problem).__name__}",
            fix="build one with BilevelProblem(...) or load a 'kind: bilevel' file",
        )
    return problem


def strong_duality_applicable(problem: BilevelProblem, form=None) -> str | None:
    """``None`` if strong duality applies, else the reason it does not."""
    from stackopt.formulations.strong_duality import coupling_columns

    if not problem.is_linear:
        return (
            "the follower's objective has quadratic or leader-follower product terms (its "
            "dual would be quadratic or bilinear in continuous variables, which HiGHS "
            "cannot solve inside a MILP)"
        )
    f = form or follower_form(problem)
    for j in coupling_columns(problem, f):
        name = problem.leader_variables[j]
        if problem.leader_types[j] == "continuous":
            return f"leader variable {name!r} is continuous and appears in follower rows"
        if not (np.isfinite(problem.leader_lower[j]) and np.isfinite(problem.leader_upper[j])):
            return f"integer leader variable {name!r} needs finite bounds"
    return None


@validated("bilevel")
def solve_bilevel(
    problem: BilevelProblem,
    *,
    method: str | None = None,
    rtol: float = DEFAULT_RTOL,
    time_limit: float | None = None,
    big_m: float | None = None,
    tie_break: str = "leader",
    max_nodes: int | None = None,
    rate_step: float | None = None,
) -> Result:
    """Optimistic bilevel solution of ``problem`` with a certificate.

    Parameters
    ----------
    problem
        The bilevel problem.
    method
        ``kkt_bigm``, ``strong_duality``, ``bard_moore`` or ``None`` (automatic; see module).
    rtol
        Relative tolerance of the certificate (absolute: ``rtol`` times the problem's scale).
    time_limit
        Seconds for HiGHS / the branching (``None``: no limit). A stopped search returns its
        incumbent uncertified.
    big_m
        A user-stated big-M used where no bound can be proven; results relying on it are
        flagged uncertified.
    tie_break
        Only ``"leader"`` (optimistic) is supported.
    max_nodes
        Node limit of ``bard_moore``.
    rate_step
        Bilinear leader objectives only: discretise continuous rates on this grid step (an
        approximation: status ``feasible`` with an error bound; see
        :mod:`stackopt.kinds.bilevel.bilinear`).

    Returns
    -------
    Result
        ``status`` optimal / infeasible / unbounded / error; ``commitment`` and ``response``
        map variable names to values; the certificate re-solves the follower at the
        commitment (see :mod:`.checks.bilevel`).
    """
    problem = _check_problem(problem)
    options = {
        "method": method,
        "rtol": rtol,
        "time_limit": time_limit,
        "big_m": big_m,
        "tie_break": "leader",
        "max_nodes": max_nodes,
    }
    t0 = time.perf_counter()
    form = follower_form(problem)
    oracle = FollowerOracle(problem)
    stats: dict[str, Any] = {}
    if problem.leader_cross is not None:  # rate x quantity products (tolls, fines, subsidies)
        from stackopt.kinds.bilevel.bilinear import choose_method, solve_bilinear

        options["rate_step"] = rate_step
        choose_method(problem, form, method, rate_step)  # refuse early, before any LP
        bounds = prove_bounds(problem, form, need_slack=False, lam_rows=np.zeros(form.k, bool))
        stats["bounds_lps"] = bounds.lps
        stats["bounds_seconds"] = bounds.seconds
        early = _early_exit(problem, bounds, method, options, stats)
        if early is not None:
            return early
        return solve_bilinear(
            problem,
            form,
            bounds,
            oracle,
            method=method,
            rtol=rtol,
            time_limit=time_limit,
            max_nodes=max_nodes,
            rate_step=rate_step,
            options=options,
            stats=stats,
            t0=t0,
        )
    if rate_step is not None:
        raise InputError(
            "--rate-step applies to bilinear leader objectives only",
            field="--rate-step",
            fix="drop it",
        )
    sd_reason = strong_duality_applicable(problem, form)
    if method == "strong_duality" and sd_reason:
        raise UnsupportedError(
            f"strong duality does not apply: {sd_reason}",
            field="method",
            fix="use method kkt_bigm or bard_moore",
        )
    if method is None and _branching_first(problem, form):
        method = "bard_moore"
        options["method"] = None
    if method == "bard_moore":
        bounds = prove_bounds(problem, form, need_slack=False, lam_rows=np.zeros(form.k, bool))
    else:
        bounds = prove_bounds(problem, form)
    stats["bounds_lps"] = bounds.lps
    stats["bounds_seconds"] = bounds.seconds
    early = _early_exit(problem, bounds, method, options, stats)
    if early is not None:
        return early
    chosen = method
    sd_bounds = None
    if chosen is None:
        if bounds.complementarity_proven:
            chosen = "kkt_bigm"
        elif sd_reason is None:
            sd_bounds = _sd_bounds(problem, form)
            stats["bounds_lps"] += sd_bounds.lps
            stats["bounds_seconds"] += sd_bounds.seconds
            chosen = "strong_duality" if _sd_proven(sd_bounds, form) else None
        if chosen is None:
            chosen = "bard_moore"
    if chosen == "kkt_normalized":
        why = _normalized_applicable(problem, bounds)
        if why:
            raise UnsupportedError(
                f"kkt_normalized does not apply: {why}",
                field="method",
                fix="use method 'bard_moore'",
            )
    if chosen == "bard_moore":
        return _run_bard_moore(problem, oracle, rtol, time_limit, max_nodes, options, stats, t0)
    if chosen == "strong_duality" and sd_bounds is None:
        sd_bounds = _sd_bounds(problem, form)
        stats["bounds_lps"] += sd_bounds.lps
        stats["bounds_seconds"] += sd_bounds.seconds
    return _run_milp(
        problem,
        chosen,
        form,
        bounds,
        sd_bounds,
        oracle,
        rtol,
        time_limit,
        big_m,
        options,
        stats,
        t0,
    )


def _branching_first(problem: BilevelProblem, form) -> bool:
    """Default to ``bard_moore`` for continuous leaders and linear followers (no ``Q``, no
    ``D``): measured faster than the proven-big-M MILP on every random covering size (same
    process, load ~5: 20x30 0.46 s vs 2.7 s, 30x60 8.8 s vs 19.6 s, 40x80 22.9 s vs not
    done in 60 s; ``docs/bilevel.md``, Scaling). Integer leaders keep the MILPs (a
    branching node would be a MILP itself)."""
    return bool(
        form.Q is None and form.D is None and not problem.integer_leader.any() and form.k > 0
    )


def _normalized_applicable(problem: BilevelProblem, bounds: ProvenBounds) -> str | None:
    if not problem.is_linear:
        return "the follower's objective is not linear"
    if not np.all(np.isfinite(bounds.slack)):
        return "some follower slack is unbounded over the high-point relaxation"
    return None


def _sd_bounds(problem: BilevelProblem, form) -> ProvenBounds:
    from stackopt.formulations.strong_duality import rows_needing_bounds

    le, eq = rows_needing_bounds(form)
    return prove_bounds(problem, form, need_mu=True, lam_rows=le, mu_rows=eq, need_slack=False)


def _sd_proven(b: ProvenBounds, form) -> bool:
    from stackopt.formulations.strong_duality import rows_needing_bounds

    le, eq = rows_needing_bounds(form)
    return bool(
        b.dual == "bounded"
        and np.all(np.isfinite(b.lam[le]))
        and np.all(np.isfinite(b.mu_lo[eq]))
        and np.all(np.isfinite(b.mu_hi[eq]))
    )


def _early_exit(problem, bounds: ProvenBounds, method, options, stats) -> Result | None:
    if bounds.relaxation == "infeasible":
        return _no_answer(
            problem,
            method or "auto",
            Status.INFEASIBLE,
            "infeasible: the leader's and the follower's constraints cannot hold "
            "together (the high-point relaxation is empty)",
            options,
            stats,
        )
    if bounds.dual == "infeasible":
        return _no_answer(
            problem,
            method or "auto",
            Status.INFEASIBLE,
            "infeasible: the follower's problem has an optimal solution at no "
            "leader decision (its dual is infeasible, so the follower's problem "
            "is unbounded wherever it is feasible)",
            options,
            stats,
        )
    return None


def _run_milp(
    problem, method, form, bounds, sd_bounds, oracle, rtol, time_limit, big_m, options, stats, t0
) -> Result:
    tb = time.perf_counter()
    milp: MILPArrays
    if method == "kkt_bigm":
        from stackopt.formulations.kkt_bigm import build_kkt_bigm

        ms, ml = bounds.slack.copy(), bounds.lam.copy()
        unproven = int(np.sum(~np.isfinite(ms)) + np.sum(~np.isfinite(ml)))
        if unproven and big_m is None:
            raise UnsupportedError(
                f"no valid big-M could be proven for {unproven} multipliers/slacks "
                f"({'; '.join(bounds.notes) or 'unbounded'})",
                field="method",
                fix="use method 'bard_moore' (exact, no big-M), add bounds on the variables, "
                "or pass big_m (the result is then flagged uncertified)",
            )
        ms[~np.isfinite(ms)] = big_m or 0.0
        ml[~np.isfinite(ml)] = big_m or 0.0
        milp = build_kkt_bigm(problem, ms, ml, form)
        m_used = {"slack_max": float(ms.max(initial=0.0)), "lambda_max": float(ml.max(initial=0.0))}
        n_bin = form.k
    elif method == "kkt_normalized":
        from stackopt.formulations.kkt_normalized import build_kkt_normalized

        milp = build_kkt_normalized(problem, bounds.slack, form)
        m_used = {"slack_max": float(bounds.slack.max(initial=0.0)), "lambda_normalised": 1.0}
        n_bin, unproven = form.k, 0
    else:
        from stackopt.formulations.strong_duality import build_strong_duality, rows_needing_bounds

        le, eq = rows_needing_bounds(form)
        ml, lo, hi = sd_bounds.lam.copy(), sd_bounds.mu_lo.copy(), sd_bounds.mu_hi.copy()
        need = np.concatenate([~np.isfinite(ml[le]), ~np.isfinite(lo[eq]), ~np.isfinite(hi[eq])])
        unproven = int(need.sum())
        if unproven and big_m is None:
            raise UnsupportedError(
                f"no valid bound could be proven for {unproven} follower multipliers needed by "
                "the strong-duality linearisation",
                field="method",
                fix="use method 'bard_moore' (exact), or pass big_m (flagged uncertified)",
            )
        ml[~np.isfinite(ml)] = big_m or 0.0
        lo[~np.isfinite(lo)] = -(big_m or 0.0)
        hi[~np.isfinite(hi)] = big_m or 0.0
        sd_milp = build_strong_duality(problem, ml, lo, hi, form)
        milp = sd_milp
        m_used = {
            "lambda_max": float(ml[le].max(initial=0.0)),
            "mu_max": float(np.abs(np.concatenate([lo[eq], hi[eq]])).max(initial=0.0)),
        }
        n_bin = sd_milp.n_binaries
    opts = {} if time_limit is None else {"time_limit": float(time_limit)}
    h = milp.to_highs(**opts)
    started = method == "kkt_bigm" and _mip_start(problem, milp, h, oracle, rtol, time_limit)
    stats["build_seconds"] = stats["bounds_seconds"] + (time.perf_counter() - tb)
    phase("bilevel", "%s MILP built (%s); HiGHS started", method, model_size(milp))
    ts = time.perf_counter()
    st = run_from_start(h) if started else run_highs(h)  # run_from_start: HiGHS 1.16 guard
    stats["highs_seconds"] = time.perf_counter() - ts
    stats["binaries"] = n_bin
    stats["rows"], stats["columns"] = milp.A.shape
    proven = unproven == 0
    big_m_check = Check(
        "big_m_valid",
        proven,
        None,
        None,
        f"every big-M proven by LP (largest: {m_used})"
        if proven
        else f"WARNING: big-M {big_m:g} used for {unproven} multipliers/slacks whose bounds could "
        "not be proven; the optimum may be wrong (Pineda & Morales 2019)",
    )
    evidence = {
        "big_m": {**m_used, "proven": proven, "user_big_m": big_m, "unproven_count": unproven}
    }
    if method == "kkt_normalized" and st == "unbounded":
        stats["relaxation"] = "unbounded"
        return _run_bard_moore(problem, oracle, rtol, time_limit, None, options, stats, t0)
    if st in ("infeasible", "unbounded"):
        stats["total_seconds"] = time.perf_counter() - t0
        if not proven:
            return _no_answer(
                problem,
                method,
                Status.ERROR,
                f"the MILP with an unproven big-M is {st}; nothing is claimed "
                "(use method 'bard_moore')",
                options,
                stats,
            )
        status = Status.INFEASIBLE if st == "infeasible" else Status.UNBOUNDED
        msg = (
            "infeasible: no leader decision has an optimal follower response satisfying "
            "the leader's constraints"
            if st == "infeasible"
            else "unbounded: the leader's objective is unbounded on the inducible region"
        )
        return _no_answer(problem, method, status, msg, options, stats)
    sol = h.getSolution()
    if st not in ("optimal", "time limit reached") or not sol.value_valid:
        stats["total_seconds"] = time.perf_counter() - t0
        return _no_answer(problem, method, Status.ERROR, f"HiGHS stopped: {st}", options, stats)
    v = np.array(sol.col_value)
    milp_value = float(h.getInfo().objective_function_value)
    info = h.getInfo()
    stats["mip_gap"] = float(info.mip_gap) if problem.integer_leader.any() or n_bin else 0.0
    stats["mip_nodes"] = int(info.mip_node_count)
    x = v[: problem.n_leader].copy()
    if method == "kkt_normalized":
        xr = np.clip(x, problem.leader_lower, problem.leader_upper)
        xr[problem.integer_leader] = np.round(xr[problem.integer_leader])
        sol = oracle.solve(xr)
        atol, _ = tolerances(problem, rtol, xr, milp_value)
        stats["relaxation_bound"] = milp_value
        if st != "optimal" or sol.status != "optimal" or sol.leader_value > milp_value + atol:
            stats["relaxation_attained"] = False
            return _run_bard_moore(
                problem,
                oracle,
                rtol,
                time_limit,
                None,
                options,
                stats,
                t0,
                incumbent=xr,
                lower_bound=milp_value if st == "optimal" else None,
            )
        stats["relaxation_attained"] = True
    return _answer(
        problem,
        method,
        x,
        oracle,
        rtol,
        options,
        stats,
        t0,
        claimed=milp_value,
        complete=(st == "optimal"),
        extra=[big_m_check],
        evidence=evidence,
        proof_detail=f"HiGHS solved the MILP to optimality (mip_rel_gap 0, gap "
        f"{stats['mip_gap']:.2g})",
        limit_note=st,
    )


START_NODES = 200
"""Node limit of the Bard-Moore dive that seeds the ``kkt_bigm`` MILP (see :func:`_mip_start`)."""


def _mip_start(problem, milp, h, oracle, rtol, time_limit) -> bool:
    """Seed HiGHS with a bilevel-feasible point: the incumbent of a short Bard-Moore search
    (at most :data:`START_NODES` nodes, continuous leaders only; its first nodes evaluate
    the follower's best response at the high-point relaxation's ``x`` and the next node
    points). Only a hint (HiGHS keeps ``mip_rel_gap`` 0, so the optimum is unchanged);
    measured on random covering 30x60: 3,544 -> 1,070 MILP nodes (``docs/bilevel.md``).
    Returns whether HiGHS accepted a start."""
    if problem.integer_leader.any() or milp.base.form.k == 0:
        return False
    from stackopt.engines.bard_moore import solve_bard_moore
    from stackopt.engines.highs import set_mip_start
    from stackopt.formulations.kkt_bigm import kkt_bigm_start

    ts = time.perf_counter()
    atol, _ = tolerances(problem, rtol)
    limit = None if time_limit is None else 0.1 * float(time_limit)
    out = solve_bard_moore(
        problem, oracle=oracle, atol=atol, max_nodes=START_NODES, time_limit=limit
    )
    accepted = False
    if out.x is not None and out.y is not None:
        cols, vals = kkt_bigm_start(problem, milp, out.x, out.y, 1e-9 * max(1.0, problem.scale))
        accepted = set_mip_start(h, cols, vals)
    phase(
        "bilevel",
        "MIP start from %d Bard-Moore nodes (%.3f s): %s",
        out.nodes,
        time.perf_counter() - ts,
        "accepted" if accepted else "none",
    )
    return accepted


def _run_bard_moore(
    problem,
    oracle,
    rtol,
    time_limit,
    max_nodes,
    options,
    stats,
    t0,
    *,
    incumbent=None,
    lower_bound=None,
    cost=None,
    model=None,
) -> Result:
    from stackopt.engines.bard_moore import solve_bard_moore

    atol, _ = tolerances(problem, rtol)
    if time_limit is not None:
        time_limit = max(0.0, time_limit - (time.perf_counter() - t0))
    phase("bilevel", "Bard-Moore branch and bound on complementarity pairs started")
    out = solve_bard_moore(
        problem,
        oracle=oracle,
        atol=atol,
        time_limit=time_limit,
        max_nodes=max_nodes,
        incumbent=incumbent,
        lower_bound=lower_bound,
        cost=cost,
        model=model,
    )
    stats.update(
        {
            "nodes": out.nodes,
            "node_lps": out.lps,
            "build_seconds": stats.get("build_seconds", stats["bounds_seconds"])
            + out.build_seconds,
            "highs_seconds": stats.get("highs_seconds", 0.0) + out.highs_seconds,
            "oracle_seconds": out.oracle_seconds,
        }
    )
    note = "; ".join(out.notes)
    if out.status == "infeasible":
        stats["total_seconds"] = time.perf_counter() - t0
        return _no_answer(
            problem,
            "bard_moore",
            Status.INFEASIBLE,
            "infeasible: no leader decision has an optimal follower response "
            f"satisfying the leader's constraints ({note})",
            options,
            stats,
        )
    if out.status == "unbounded":
        stats["total_seconds"] = time.perf_counter() - t0
        return _no_answer(
            problem, "bard_moore", Status.UNBOUNDED, f"unbounded: {out.notes[0]}", options, stats
        )
    if out.x is None:
        stats["total_seconds"] = time.perf_counter() - t0
        return _no_answer(
            problem,
            "bard_moore",
            Status.ERROR,
            f"no bilevel-feasible point found ({note})",
            options,
            stats,
        )
    return _answer(
        problem,
        "bard_moore",
        out.x,
        oracle,
        rtol,
        options,
        stats,
        t0,
        claimed=out.value,
        complete=out.complete,
        extra=[],
        evidence={"nodes": out.nodes},
        proof_detail=f"branching on complementarity pairs completed ({note})",
        limit_note=note,
    )


def _answer(
    problem,
    method,
    x,
    oracle,
    rtol,
    options,
    stats,
    t0,
    *,
    claimed,
    complete,
    extra,
    evidence,
    proof_detail,
    limit_note,
) -> Result:
    integ = problem.integer_leader
    x = np.clip(x, problem.leader_lower, problem.leader_upper)
    x[integ] = np.round(x[integ])
    ts = time.perf_counter()
    phase("bilevel", "certificate: solving the follower's problem at the answer")
    sol = oracle.solve(x)
    if sol.status != "optimal":
        stats["total_seconds"] = time.perf_counter() - t0
        return _no_answer(
            problem,
            method,
            Status.ERROR,
            f"the follower's problem at the computed commitment: {sol.status}",
            options,
            stats,
        )
    y = sol.y
    lv, fv, _ = exact_values(problem, x, y)  # the tolerance rule of verify_bilevel
    atol, _ = tolerances(problem, rtol, lv, fv)
    polished = problem.leader_sign * (lv - problem.leader_constant)  # bilinear terms included
    consistent = claimed is None or polished <= claimed + atol
    proof_ok = complete and consistent
    detail = (
        proof_detail
        if proof_ok
        else (
            f"NOT proven: {limit_note}"
            if not complete
            else f"the solver's value {claimed:.10g} is not attained by a bilevel-feasible point "
            f"(best response gives {polished:.10g})"
        )
    )
    checks = [
        *extra,
        Check(
            OPTIMALITY,
            proof_ok,
            None if claimed is None else excess(polished - claimed),
            atol,
            detail,
        ),
    ]
    cert = certify(
        problem,
        x,
        y,
        lv,
        fv,
        rtol=rtol,
        extra=tuple(checks),
        evidence={"method": method, **evidence},
        oracle=oracle,
    )
    stats["certificate_seconds"] = time.perf_counter() - ts
    stats["total_seconds"] = time.perf_counter() - t0
    msg = "" if cert.passed else "NOT certified: " + cert.summary()
    # honest status: 'optimal' only when optimality is proven; a verified point whose
    # optimality is not proven is 'feasible' ('time_limit' when a time limit stopped the proof)
    status = Status.OPTIMAL
    if not proof_ok:
        others_ok = all(c.passed for c in cert.checks if c.name != OPTIMALITY)
        timed_out = "time" in str(limit_note).lower()
        status = (
            (Status.TIME_LIMIT if timed_out else Status.FEASIBLE) if others_ok else Status.ERROR
        )
    commitment = dict(zip(problem.leader_variables, map(float, x)))
    response = dict(zip(problem.follower_variables, map(float, y)))
    return Result.answered(
        problem, status, method, commitment, lv, response, fv, cert, stats, options, msg
    )


def _no_answer(problem, method, status, message, options, stats) -> Result:
    return Result.unanswered(problem, status, method, message, options, stats, response={})


def verify_bilevel(
    problem: BilevelProblem,
    result: Result | Mapping[str, Any],
    *,
    rtol: float | None = None,
    resolve: bool = True,
) -> Certificate:
    """Re-check ``result`` against ``problem``.

    The follower is re-solved at the commitment (optimality and optimistic tie-break), leader
    feasibility and both values are recomputed. With ``resolve=True`` (default) the problem is
    also re-solved by an independent method (``bard_moore`` if the result came from a MILP
    formulation, ``kkt_normalized`` if it came from ``bard_moore``) and the reported leader
    value must be within tolerance of that optimum (``optimality``). Claims of
    infeasibility or unboundedness are checked the same way (``status``).
    """
    problem = _check_problem(problem)
    if isinstance(result, Mapping):
        result = Result.from_dict(result)
    if rtol is None:
        # the result may tighten the tolerance, never loosen it past the default
        stated = (result.options or {}).get("rtol")
        if stated is None and result.certificate is not None:
            stated = result.certificate.rtol
        try:
            stated = DEFAULT_RTOL if stated is None else float(stated)
        except (TypeError, ValueError):
            raise InputError(
                f"rtol must be a number, got {stated!r}",
                field="options.rtol",
                fix="write e.g. 1e-6, or omit it",
            ) from None
        if not (np.isfinite(stated) and stated > 0):
            raise InputError(
                f"rtol must be a positive number, got {stated!r}",
                field="options.rtol",
                fix="write e.g. 1e-6, or omit it",
            )
        rtol = min(stated, DEFAULT_RTOL)
    if result.status not in (Status.OPTIMAL, Status.FEASIBLE, Status.TIME_LIMIT):
        # a claim of infeasibility/unboundedness: check it by an independent re-solve
        ref = _independent_solve(problem, result.method, rtol)
        same = ref.status is result.status
        return Certificate(
            (
                Check(
                    "status",
                    same,
                    None,
                    None,
                    f"independent re-solve ({ref.method}) says {ref.status.value}: {ref.message}",
                ),
            ),
            rtol=rtol,
            evidence={"method": result.method},
        )
    x, y = problem.vectors(result.leader.commitment, result.follower.response)
    fv = result.follower.value
    if fv is not None:
        try:
            fv = float(fv)
        except (TypeError, ValueError):
            raise InputError(
                f"must be a number, got {fv!r}",
                field="follower.value",
                fix="write the follower's objective value, or omit it",
            ) from None
    extra: list[Check] = []
    if result.method in ("kkt_bigm", "kkt_normalized", "strong_duality"):
        extra.append(big_m_recheck(problem, result.method))
    if resolve:
        ref = _independent_solve(problem, result.method, rtol)
        lv_rep, fv_rep, _ = exact_values(problem, x, y)  # not the reported numbers
        atol, _ = tolerances(problem, rtol, lv_rep, fv_rep)
        if ref.status is Status.OPTIMAL and ref.certified:
            assert ref.leader.value is not None  # an optimal Result always carries its value
            gap = problem.leader_sign * (lv_rep - ref.leader.value)
            extra.append(
                Check(
                    OPTIMALITY,
                    gap <= atol,
                    excess(gap),
                    atol,
                    f"independent re-solve ({ref.method}) gives leader value "
                    f"{ref.leader.value:.10g}",
                )
            )
        else:
            extra.append(
                Check(
                    OPTIMALITY,
                    False,
                    None,
                    atol,
                    f"independent re-solve ({ref.method}) returned "
                    f"{ref.status.value}: {ref.message}",
                )
            )
    return certify(
        problem,
        x,
        y,
        result.leader.value,
        fv,
        rtol=rtol,
        extra=tuple(extra),
        evidence={"method": result.method},
    )


def big_m_recheck(problem: BilevelProblem, method: str) -> Check:
    """``big_m_valid`` re-derived from the problem: are all the bounds ``method``'s MILP needs
    provable by LP (:mod:`stackopt.formulations.bounds`)? If not, the result's MILP can only
    have used a user big-M, and the check fails as it did in ``solve``."""
    form = follower_form(problem)
    if method == "strong_duality":
        from stackopt.formulations.strong_duality import rows_needing_bounds

        b = _sd_bounds(problem, form)
        le, eq = rows_needing_bounds(form)
        missing = int(
            np.sum(~np.isfinite(b.lam[le]))
            + np.sum(~np.isfinite(b.mu_lo[eq]))
            + np.sum(~np.isfinite(b.mu_hi[eq]))
        )
    else:
        b = prove_bounds(problem, form)
        missing = int(np.sum(~np.isfinite(b.slack)))
        if method == "kkt_bigm":
            missing += int(np.sum(~np.isfinite(b.lam)))
    return Check(
        "big_m_valid",
        missing == 0,
        None,
        None,
        f"every bound the {method} MILP needs is proven by LP (re-proven)"
        if missing == 0
        else f"WARNING: {missing} bounds the {method} MILP needs cannot be proven; its "
        "answer rested on a user big-M",
    )


def _independent_solve(problem: BilevelProblem, method: str, rtol: float) -> Result:
    """Re-solve by a method other than ``method``: branching for MILP results, the
    normalised-multiplier MILP (or, if it does not apply, the automatic choice) otherwise."""
    if problem.leader_cross is not None:  # the other bilinear method, where it applies
        other = "strong_duality" if method == "bard_moore" else "bard_moore"
        try:
            return solve_bilevel(problem, method=other, rtol=rtol)
        except UnsupportedError:
            return solve_bilevel(problem, method=method, rtol=rtol)
    if method != "bard_moore":
        return solve_bilevel(problem, method="bard_moore", rtol=rtol)
    try:
        return solve_bilevel(problem, method="kkt_normalized", rtol=rtol)
    except UnsupportedError:
        return solve_bilevel(problem, rtol=rtol)


def build_model(problem: BilevelProblem):
    """Pyomo model of the KKT big-M MILP with proven bounds (for ``stackopt export``)."""
    from stackopt.formulations.kkt_pyomo import build_pyomo_kkt

    return build_pyomo_kkt(_check_problem(problem))


def export_models(game, **options: Any) -> dict:
    """The models ``stackopt export`` writes: ``{"": the Pyomo model}`` (one file); for
    bilinear leader objectives the expanded strong-duality MILP (integer rates)."""
    if getattr(game, "leader_cross", None) is not None:
        from stackopt.kinds.bilevel.bilinear import export_models as bilinear_export

        return bilinear_export(_check_problem(game))
    # the single-level model the solve uses, with proven data only (never a guessed big-M)
    from stackopt.kinds.bilevel.export import export_models as export_bilevel

    return export_bilevel(_check_problem(game), **options)
