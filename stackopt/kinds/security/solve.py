r"""Security games in compact form: solve, verify, export, and the normal-form expansion.

``solve_security`` uses

* ``method="multiple_lps"`` (default for one attacker type): one coverage-vector LP per target
  (:mod:`stackopt.formulations.security_lps`), on one in-place HiGHS model
  (``engine="highs"``, :mod:`stackopt.engines.security_lps`) or one Pyomo model per LP
  (``engine="pyomo"``, slow, an independent solve path). Optimality is proven by weak-duality
  multipliers for every target, re-checkable from the game alone.
* ``method="eraser"`` (default, and the only method, with attacker types): an exact, tighter
  form of the ERASER MILP (:mod:`stackopt.formulations.security_milp`, Kiekintveld et al.
  2009) with coupled value rows, an incumbent, bound pruning and a MIP start
  (:mod:`stackopt.engines.security_eraser`), solved by HiGHS in highspy with
  ``mip_rel_gap = 0`` and ``threads = 1``. Optimality rests on HiGHS's reported bound.
  ``stackopt export`` writes the plain ERASER model in Pyomo (:func:`build_model`).

:func:`to_normal_form` expands a small game into a bimatrix game (defender pure strategies =
sets of covered targets; with attacker types, the Harsanyi transformation) that
:func:`stackopt.kinds.normal_form.solve.solve_sse` solves independently — the cross-check
used by the tests.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from itertools import combinations, product
from math import comb
from typing import Any

import numpy as np

from stackopt.certificate import Certificate
from stackopt.errors import InputError, SolverError, UnsupportedError
from stackopt.kinds.registry import validated
from stackopt.kinds.security.checks import DEFAULT_RTOL, certify_security, tolerances
from stackopt.kinds.security.game import SecurityGame
from stackopt.result import Result
from stackopt.status import Status
from stackopt.vocabulary import BUILD_SECONDS, HIGHS_SECONDS, MILP_BOUND, milp_record

METHODS = ("multiple_lps", "eraser")
ENGINES = ("highs", "pyomo")


@validated("security")
def solve_security(
    game: SecurityGame,
    *,
    method: str | None = None,
    engine: str = "highs",
    rtol: float = DEFAULT_RTOL,
    prune: bool = True,
    time_limit: float | None = None,
    tie_break: str = "leader",
) -> Result:
    """Strong Stackelberg equilibrium of a security game (attacker ties favour the defender).

    Parameters
    ----------
    game
        The security game.
    method
        ``"multiple_lps"`` (one attacker type only) or ``"eraser"``; default: multiple LPs for
        one type, ERASER for several.
    engine
        For ``multiple_lps``: ``"highs"`` (in place, fast) or ``"pyomo"`` (cross-check).
    rtol
        Relative tolerance of the certificate (absolute: ``rtol`` times each player's largest
        absolute payoff).
    prune
        ``multiple_lps``: skip targets whose bound :math:`U_d^c(t)` cannot beat the incumbent.
    time_limit
        Seconds (``None``: none); reaching it raises :class:`SolverError`.
    tie_break
        Only ``"leader"`` (attacker ties favour the defender, the default and the only rule
        these methods compute); ``"adversarial"`` is refused with an :class:`UnsupportedError`.

    Returns
    -------
    Result
        ``leader.commitment`` maps targets to coverage probabilities; ``follower.response`` is
        the attacked target (one type) or a mapping type -> target; ``follower.value`` the
        attacker's value (or type -> value); ``leader.value`` the defender's expected value.
    """
    if not isinstance(game, SecurityGame):
        raise InputError(f"expected a SecurityGame, got {type(game).__name__}")
    if method is None:
        method = "multiple_lps" if game.n_types == 1 else "eraser"
    if method == "multiple_lps" and game.n_types != 1:
        raise UnsupportedError(
            f"the multiple-LPs method needs one attacker type; this game has {game.n_types}",
            field="method",
            fix="use method 'eraser' (the default for attacker types)",
        )
    tolerances(game, rtol)
    t0 = time.perf_counter()
    options = {
        "method": method,
        "engine": engine,
        "rtol": rtol,
        "prune": prune,
        "time_limit": time_limit,
        "tie_break": "leader",
    }
    if method == "multiple_lps":
        c, resp, evidence, stats = _solve_lps(game, engine, prune, time_limit)
    else:
        c, resp, evidence, stats = _solve_eraser(game, time_limit)
    coverage = {t: float(c[k]) for k, t in enumerate(game.targets)}
    ud, ua = game.defender_utility(c), game.attacker_utility(c)
    lv = float(sum(p * ud[lam, t] for lam, (p, t) in enumerate(zip(game.priors, resp))))
    if game.n_types == 1:
        response: Any = game.targets[resp[0]]
        fv: Any = float(ua[0, resp[0]])
    else:
        response = {ty: game.targets[t] for ty, t in zip(game.types, resp)}
        fv = {ty: float(ua[lam, t]) for lam, (ty, t) in enumerate(zip(game.types, resp))}
    cert = certify_security(game, coverage, response, lv, fv, evidence, rtol=rtol)
    stats["total_seconds"] = time.perf_counter() - t0
    return Result.answered(
        game, Status.OPTIMAL, method, coverage, lv, response, fv, cert, stats, options
    )


def verify_security(
    game: SecurityGame, result: Result | Mapping[str, Any], *, rtol: float | None = None
) -> Certificate:
    """Re-check ``result`` against ``game`` without solving
    (:mod:`stackopt.kinds.security.checks`)."""
    if not isinstance(game, SecurityGame):
        raise InputError(f"expected a SecurityGame, got {type(game).__name__}")
    from stackopt.checks.common import certify_answer, finite_numbers, read_result

    result, rtol, evidence = read_result(result, rtol, DEFAULT_RTOL)
    if evidence:
        finite_numbers(evidence.get("bounds"), "certificate.evidence.bounds")
    cert = certify_answer(certify_security, game, result, evidence, rtol=rtol, rederive=True)
    from stackopt.checks.status_claim import with_status_check

    return with_status_check(
        cert,
        result.status,
        (Status.OPTIMAL,),
        why="a security game always has a strong Stackelberg equilibrium",
    )


def build_model(game: SecurityGame):
    """The ERASER MILP as a Pyomo model (for ``stackopt export``; any number of types)."""
    from stackopt.formulations.security_milp import build_eraser

    return build_eraser(game)


# -- methods -------------------------------------------------------------------------------------
def _solve_lps(game: SecurityGame, engine: str, prune: bool, time_limit: float | None):
    from stackopt.engines.security_lps import solve_security_lps
    from stackopt.engines.security_pyomo import solve_security_lps_pyomo

    args = (
        game.defender_covered[0],
        game.defender_uncovered[0],
        game.attacker_covered[0],
        game.attacker_uncovered[0],
        game.resources,
    )
    if engine == "highs":
        out = solve_security_lps(*args, prune=prune, time_limit=time_limit)
    else:
        out = solve_security_lps_pyomo(game, prune)
    if out.best is None:  # pragma: no cover - some target is always a best response
        raise SolverError("no target could be induced as the attacker's best response")
    labels = game.targets
    bounds = {}
    for k in range(game.n_targets):
        rec = out.records[k]
        entry: dict[str, Any] = {
            "outcome": rec.outcome,
            "bound": rec.bound,
            "mu": dict(zip(map(labels.__getitem__, rec.mu), rec.mu.values())),
            "nu": rec.nu,
        }
        if rec.kappa is not None:  # compact: implied multipliers nu / Delta_a(t)
            entry["kappa"] = rec.kappa
        if rec.value is not None:
            entry["value"] = rec.value
        bounds[labels[k]] = entry
    return out.coverage, [out.best], {"bounds": bounds}, dict(out.stats)


def _solve_eraser(game: SecurityGame, time_limit: float | None):
    from stackopt.engines.security_eraser import HIGHS_OPTIONS, solve_eraser_highs
    from stackopt.engines.security_lps import polish_coverage
    from stackopt.formulations.security_milp import type_lps
    from stackopt.kinds.security.merge import merge_attacker_types
    from stackopt.progress import phase

    t = time.perf_counter()
    solved, group_of = merge_attacker_types(game)  # identical types: summed prior (exact)
    caps, starts, _, caps_highs = type_lps(solved)  # each type's own LP bounds: a valid cut
    out = solve_eraser_highs(solved, caps, starts, time_limit=time_limit, options=HIGHS_OPTIONS)
    phase(
        "security",
        "ERASER: %d binaries (%d fixed by the incumbent %.6g); HiGHS %s in %.2f s",
        out.binaries,
        out.pruned,
        out.incumbent_value,
        out.status,
        out.highs_seconds,
    )
    if out.status != "optimal":
        raise SolverError(f"HiGHS stopped with '{out.status}' on the ERASER MILP")
    c, resp = out.coverage, list(out.responses)
    c, polished = polish_coverage(solved, c, resp)
    resp = [resp[g] for g in group_of]  # every original type attacks as its merged type
    evidence = {
        MILP_BOUND: milp_record(out.bound, out.objective),
        "big_m": {ty: out.big_m[group_of[k]] for k, ty in enumerate(game.types)},
    }
    stats = {
        BUILD_SECONDS: time.perf_counter() - t - caps_highs - out.highs_seconds,
        HIGHS_SECONDS: out.highs_seconds + caps_highs,
        "binaries": out.binaries,
        "polished": polished,
        "types_merged": game.n_types - solved.n_types,
    }
    return c, resp, evidence, stats


# -- normal-form expansion -----------------------------------------------------------------------
def to_normal_form(game: SecurityGame, *, sizes: str = "at_most", max_cells: int = 1_000_000):
    r"""The equivalent bimatrix game, for cross-checks on small instances.

    Rows (defender pure strategies) are sets of covered targets: all sets of *at most* ``m``
    targets (``sizes="at_most"``, default; exactly equivalent to coverage vectors with
    :math:`\sum c \le m`, since every such vector is the marginal of a distribution over these
    sets) or of *exactly* ``m`` (``sizes="exactly"``; equivalent to :math:`\sum c = m`, which
    gives the same one-type value under the monotone payoffs this class requires, because
    coverage added to unattacked targets keeps the attacked target a best response). Labels
    join target names with ``+`` (``"-"`` for the empty set). Columns are targets (one type) or,
    with attacker types, profiles of targets (Harsanyi transformation; labels join the types'
    targets with ``|``): the combined follower's payoff is
    :math:`\sum_\lambda p_\lambda U_a^\lambda`, whose best responses are exactly the profiles
    of the types' best responses, so the SSE of the expansion is the Bayesian SSE.
    """
    from stackopt.kinds.normal_form.game import NormalFormGame

    if not isinstance(game, SecurityGame):
        raise InputError(f"expected a SecurityGame, got {type(game).__name__}")
    if sizes not in ("at_most", "exactly"):
        raise InputError(
            f"unknown sizes {sizes!r}", field="sizes", fix="use 'at_most' or 'exactly'"
        )
    T, m, L = game.n_targets, game.resources, game.n_types
    ks = range(m + 1) if sizes == "at_most" else [m]
    n_rows = sum(comb(T, k) for k in ks)
    n_cols = T**L
    if n_rows * n_cols > max_cells:
        raise UnsupportedError(
            f"the expansion has {n_rows} x {n_cols} cells",
            field="targets",
            fix="expand only small games; solve this one with solve_security",
        )
    subsets = [s for k in ks for s in combinations(range(T), k)]
    profiles = list(product(range(T), repeat=L))
    A = np.zeros((n_rows, n_cols))
    B = np.zeros((n_rows, n_cols))
    for r, s in enumerate(subsets):
        cov = np.zeros(T)
        cov[list(s)] = 1.0
        ud, ua = game.defender_utility(cov), game.attacker_utility(cov)
        for col, prof in enumerate(profiles):
            A[r, col] = sum(game.priors[lam] * ud[lam, t] for lam, t in enumerate(prof))
            B[r, col] = sum(game.priors[lam] * ua[lam, t] for lam, t in enumerate(prof))
    rows = tuple("+".join(game.targets[t] for t in s) or "-" for s in subsets)
    cols = tuple("|".join(game.targets[t] for t in p) for p in profiles)
    return NormalFormGame(
        A,
        B,
        rows,
        cols,
        leader_name=game.defender_name,
        follower_name=game.attacker_name,
        name=game.name,
    )


def coverage_of(game: SecurityGame, mixed: Mapping[str, float]) -> np.ndarray:
    """Coverage vector induced by a distribution over rows of :func:`to_normal_form`."""
    c = np.zeros(game.n_targets)
    for label, p in mixed.items():
        if label == "-":
            continue
        for t in label.split("+"):
            c[game.target_index(t)] += float(p)
    return c


def export_models(game, **_: object) -> dict:
    """The models ``stackopt export`` writes: ``{"": the Pyomo model}`` (one file)."""
    return {"": build_model(game)}
