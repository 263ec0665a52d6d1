"""Solving bilevel problems whose leader objective has rate x quantity products.

Called by :func:`stackopt.kinds.bilevel.solve.solve_bilevel` when ``leader_cross`` is set (see
:mod:`stackopt.formulations.bilinear_leader` for the mathematics). Methods:

``bard_moore`` (the default when it applies)
    The revenue identity (Labbé, Marcotte & Savard 1998) rewrites the leader's objective
    linearly in ``(x, y, lambda, mu)`` on the follower's KKT set; branching on complementarity
    pairs then solves the problem exactly with *continuous* rates and no big-M. Applies when
    the leader's products are a multiple of the follower's; leader variables in the follower's
    constraints (they multiply dual prices) must be integer and are binary-expanded.
``strong_duality``
    Every rate (and every leader variable in the follower's constraints) is binary-expanded
    and its products with follower variables and multipliers linearised exactly (McCormick
    with proven bounds). Exact when those variables are integer. With ``rate_step=h`` the
    continuous ones are discretised on ``lower + h Z``: the answer is the exact optimum of the
    discretised problem, a verified feasible point of the original one, reported with status
    ``feasible`` (never ``optimal``) and an error bound ``value - bound`` where ``bound`` is
    the optimum of the McCormick relaxation over the rates' full ranges.
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

import numpy as np

from stackopt.certificate import Check
from stackopt.engines.highs import run_highs
from stackopt.errors import UnsupportedError
from stackopt.formulations.bilevel_form import FollowerForm
from stackopt.formulations.bilinear_leader import (
    ExpandedMILP,
    build_expanded,
    build_identity,
    coupling_columns,
    identity_applicable,
    product_follower_columns,
    rate_columns,
)
from stackopt.formulations.bounds import ProvenBounds, prove_primal_bounds
from stackopt.kinds.bilevel.checks import FollowerOracle, tolerances
from stackopt.kinds.bilevel.game import BilevelProblem
from stackopt.result import Result
from stackopt.status import Status
from stackopt.vocabulary import milp_record


def expansion_steps(
    problem: BilevelProblem, form: FollowerForm, rate_step: float | None
) -> tuple[dict[int, float], list[int]]:
    """``({rate column: step}, [discretised continuous columns])`` or UnsupportedError."""
    steps: dict[int, float] = {}
    approx: list[int] = []
    for j in rate_columns(problem, form):
        name = problem.leader_variables[j]
        lo, hi = np.asarray(problem.leader_lower)[j], np.asarray(problem.leader_upper)[j]
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise UnsupportedError(
                f"leader rate {name!r} needs finite bounds",
                field=f"leader.variables.{name}",
                fix="give it a lower and an upper bound",
            )
        if problem.leader_types[j] != "continuous":
            steps[int(j)] = 1.0
        elif rate_step is not None:
            steps[int(j)] = float(rate_step)
            approx.append(int(j))
        else:
            raise UnsupportedError(
                f"leader rate {name!r} is continuous: the binary expansion needs integer "
                "rates (the revenue identity, method bard_moore, takes continuous ones where "
                "it applies)",
                field="method",
                fix="declare it integer (or a grid of integer levels) for an exact answer, or "
                "pass --rate-step H to discretise it (an approximation with an error bound)",
            )
    return steps, approx


def expanded_milps(
    problem: BilevelProblem, form: FollowerForm, steps: dict[int, float], *, relax: bool
) -> tuple[ExpandedMILP, ExpandedMILP | None, int]:
    """The expanded strong-duality MILP (and its McCormick relaxation if ``relax``) with every
    bound its products need proven by LP; ``UnsupportedError`` naming a bound that is not."""
    from stackopt.formulations.strong_duality import rows_needing_bounds
    from stackopt.kinds.bilevel import solve as S

    sd = S._sd_bounds(problem, form)
    le, eq = rows_needing_bounds(form)
    cols = product_follower_columns(problem)
    ylo, yhi, lps = prove_primal_bounds(problem, cols, form)
    missing = [
        *(form.le_labels[i] for i in np.flatnonzero(le & ~np.isfinite(sd.lam))),
        *(
            form.eq_labels[i]
            for i in np.flatnonzero(eq & ~(np.isfinite(sd.mu_lo) & np.isfinite(sd.mu_hi)))
        ),
        *(
            problem.follower_variables[c]
            for c in cols
            if not (np.isfinite(ylo[c]) and np.isfinite(yhi[c]))
        ),
    ]
    if missing:
        raise UnsupportedError(
            f"no bound could be proven for {len(missing)} quantities the rate products need "
            f"(first: {missing[0]!r})",
            field="method",
            fix="bound the follower variables a rate multiplies (a leader row such as "
            "'y <= 1' is enough), or use the revenue identity (method bard_moore)",
        )
    milp = build_expanded(problem, steps, sd.lam, sd.mu_lo, sd.mu_hi, ylo, yhi, form)
    rel = (
        build_expanded(problem, steps, sd.lam, sd.mu_lo, sd.mu_hi, ylo, yhi, form, relax=True)
        if relax
        else None
    )
    return milp, rel, sd.lps + lps


def export_models(problem: BilevelProblem) -> dict[str, Any]:
    """The expanded strong-duality MILP as a Pyomo model (for ``stackopt export``); only for
    integer rates (continuous rates are solved by branching, which has no single model)."""
    from stackopt.formulations.bilevel_form import follower_form
    from stackopt.formulations.bilinear_leader import pyomo_from_arrays

    form = follower_form(problem)
    choose_method(problem, form, "strong_duality", None)
    steps, _ = expansion_steps(problem, form, None)
    milp, _, _ = expanded_milps(problem, form, steps, relax=False)
    names = [*problem.leader_variables, *problem.follower_variables]
    return {
        "": pyomo_from_arrays(
            milp,
            problem.name or "bilevel",
            names,
            constant=problem.leader_sign * problem.leader_constant,
        )
    }


def identity_model(problem: BilevelProblem, form: FollowerForm) -> ExpandedMILP:
    """The identity-cost KKT model for branching, with the multiplier bounds its products
    (integer leader variables in the follower's constraints) need, proven by LP."""
    from stackopt.kinds.bilevel import solve as S

    if not coupling_columns(problem, form).size:
        return build_identity(problem, np.zeros(form.k), np.zeros(form.q), np.zeros(form.q), form)
    from stackopt.formulations.strong_duality import rows_needing_bounds

    sd = S._sd_bounds(problem, form)
    le, eq = rows_needing_bounds(form)
    bad = [
        *(form.le_labels[i] for i in np.flatnonzero(le & ~np.isfinite(sd.lam))),
        *(
            form.eq_labels[i]
            for i in np.flatnonzero(eq & ~(np.isfinite(sd.mu_lo) & np.isfinite(sd.mu_hi)))
        ),
    ]
    if bad:
        raise UnsupportedError(
            f"no bound could be proven for the dual price of {bad[0]!r}, which an integer "
            "leader variable multiplies",
            field="method",
            fix="bound the follower's variables in that row, or fix the leader variable",
        )
    return build_identity(problem, sd.lam, sd.mu_lo, sd.mu_hi, form)


def choose_method(
    problem: BilevelProblem, form: FollowerForm, method: str | None, rate_step: float | None
) -> str:
    if form.Q is not None:
        raise UnsupportedError(
            "bilinear leader objectives need a linear follower",
            field="follower.objective",
            fix="drop the follower's quadratic terms",
        )
    why = identity_applicable(problem, form)
    if method in (None, "bard_moore") and why is None and rate_step is None:
        return "bard_moore"
    if method == "bard_moore" and rate_step is not None:
        raise UnsupportedError(
            "--rate-step discretises rates for method strong_duality only",
            field="--rate-step",
            fix="drop --rate-step, or use --method strong_duality",
        )
    if method == "bard_moore":
        raise UnsupportedError(
            f"the revenue identity does not apply: {why}",
            field="method",
            fix="use method strong_duality (integer or discretised rates)",
        )
    if method in (None, "strong_duality"):
        return "strong_duality"
    raise UnsupportedError(
        f"method {method!r} does not solve bilinear leader objectives",
        field="method",
        fix="use bard_moore (revenue identity) or strong_duality (expanded rates)",
    )


def solve_bilinear(
    problem: BilevelProblem,
    form: FollowerForm,
    bounds: ProvenBounds,
    oracle: FollowerOracle,
    *,
    method: str | None,
    rtol: float,
    time_limit: float | None,
    max_nodes: int | None,
    rate_step: float | None,
    options: dict[str, Any],
    stats: dict[str, Any],
    t0: float,
) -> Result:
    from stackopt.kinds.bilevel import solve as S

    chosen = choose_method(problem, form, method, rate_step)
    stats["bilinear"] = "revenue_identity" if chosen == "bard_moore" else "binary_expansion"
    if chosen == "bard_moore":
        tb = time.perf_counter()
        model = identity_model(problem, form)
        stats["build_seconds"] = stats["bounds_seconds"] + (time.perf_counter() - tb)
        stats["binaries"] = model.n_binaries
        stats["products"] = model.n_products
        return S._run_bard_moore(
            problem, oracle, rtol, time_limit, max_nodes, options, stats, t0, model=model
        )
    tb = time.perf_counter()
    steps, approx = expansion_steps(problem, form, rate_step)
    milp, relax, lps = expanded_milps(problem, form, steps, relax=bool(approx))
    stats["bounds_lps"] += lps
    opts = {} if time_limit is None else {"time_limit": float(time_limit)}
    h = milp.to_highs(**opts)
    stats["build_seconds"] = stats["bounds_seconds"] + (time.perf_counter() - tb)
    ts = time.perf_counter()
    st = run_highs(h)
    stats["highs_seconds"] = time.perf_counter() - ts
    stats["binaries"] = milp.n_binaries
    stats["products"] = milp.n_products
    stats["rows"], stats["columns"] = milp.A.shape
    if st in ("infeasible", "unbounded") and not approx:
        stats["total_seconds"] = time.perf_counter() - t0
        status = Status.INFEASIBLE if st == "infeasible" else Status.UNBOUNDED
        return S._no_answer(
            problem,
            "strong_duality",
            status,
            f"{st}: the expanded strong-duality MILP (exact) is " + st,
            options,
            stats,
        )
    if st in ("infeasible", "unbounded"):  # the discretised problem: nothing about the rest
        stats["total_seconds"] = time.perf_counter() - t0
        return S._no_answer(
            problem,
            "strong_duality",
            Status.ERROR,
            f"the problem discretised with step {rate_step:g} is {st}; nothing is claimed "
            "about the continuous problem (try a smaller step)",
            options,
            stats,
        )
    sol = h.getSolution()
    if st not in ("optimal", "time limit reached") or not sol.value_valid:
        stats["total_seconds"] = time.perf_counter() - t0
        return S._no_answer(
            problem, "strong_duality", Status.ERROR, f"HiGHS stopped: {st}", options, stats
        )
    value = float(h.getInfo().objective_function_value)
    x = np.array(sol.col_value)[: problem.n_leader]
    info = h.getInfo()
    evidence: dict[str, Any] = {
        "bounds_proven": True,
        "milp_bound": milp_record(
            float(info.mip_dual_bound), value, binaries=milp.n_binaries, products=milp.n_products
        ),
    }
    extra: list[Check] = [
        Check("big_m_valid", True, None, None, "every bound the products need is proven by LP")
    ]
    answer = partial(
        S._answer,
        problem,
        "strong_duality",
        x,
        oracle,
        rtol,
        options,
        stats,
        t0,
        claimed=value,
        extra=extra,
        evidence=evidence,
    )
    if not approx:
        return answer(
            complete=(st == "optimal"),
            proof_detail="HiGHS solved the expanded MILP to optimality (integer "
            "rates: binary expansion exact)",
            limit_note=st,
        )
    # discretised rates: value is the grid optimum; a McCormick relaxation bounds the rest
    assert relax is not None
    hr = relax.to_highs(**opts)
    st_r = run_highs(hr)
    lower = float(hr.getInfo().objective_function_value) if st_r == "optimal" else None
    res = answer(complete=False, proof_detail="", limit_note="")
    names = ", ".join(problem.leader_variables[j] for j in approx)
    sign = problem.leader_sign
    lv = res.leader.value
    if lv is None or lower is None:
        bound_txt = "no bound (the relaxation could not be solved)"
        err = None
    else:
        err = max(0.0, sign * (lv - problem.leader_constant) - lower)
        bound_txt = f"within {err:.6g} of the optimum of the continuous problem"
    stats["discretisation_step"] = float(rate_step or 0.0)
    stats["discretisation_error_bound"] = err
    stats["relaxation_bound"] = None if lower is None else sign * lower + problem.leader_constant
    atol, _ = tolerances(problem, rtol, x)
    cert = res.certificate
    if cert is not None:
        checks = tuple(
            c
            if c.name != "optimality"
            else Check(
                "optimality",
                False,
                err,
                atol,
                f"NOT proven: rates {names} discretised with step {rate_step:g}; the answer is "
                f"the exact optimum on that grid, {bound_txt} (McCormick relaxation bound)",
            )
            for c in cert.checks
        )
        from dataclasses import replace

        cert = replace(cert, checks=checks)
    from dataclasses import replace as _r

    return _r(
        res,
        status=Status.FEASIBLE if res.status is Status.OPTIMAL else res.status,
        certificate=cert,
        message=f"approximation: rates {names} discretised with step {rate_step:g}; "
        f"{bound_txt}; status feasible, not optimal",
    )
