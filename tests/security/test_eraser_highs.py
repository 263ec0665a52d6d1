"""ERASER on highspy with an incumbent, bound pruning and a MIP start (issue 13, types at scale).

Independent oracle: brute force over all attack profiles, each profile's LP (coverage with every
type's chosen target a best response) solved by ``scipy.optimize.linprog``; the SSE value is the
best profile LP. Also the plain Pyomo ERASER model (no caps, no pruning) must agree.
"""

from __future__ import annotations

import os
from itertools import product

import numpy as np
import pytest
from scipy.optimize import linprog

from stackopt.engines.security_eraser import (
    exact_responses,
    incumbent,
    profile_value,
    prune_by_bound,
    solve_eraser_highs,
)
from stackopt.errors import SolverError
from stackopt.formulations.security_milp import build_eraser, type_lps
from stackopt.kinds.security.game import SecurityGame
from stackopt.kinds.security.solve import solve_security, verify_security

from .test_eraser_caps import _milp_value, typed_game


def profile_lp(g: SecurityGame, prof: tuple[int, ...]) -> float | None:
    """max sum_l p_l U_d^l(t_l, c) s.t. every t_l is type l's best response (linprog)."""
    T = g.n_targets
    dd = g.defender_covered - g.defender_uncovered
    da = g.attacker_uncovered - g.attacker_covered
    cost = np.zeros(T)
    const = 0.0
    A, b = [], []
    for lam, j in enumerate(prof):
        cost[j] -= g.priors[lam] * dd[lam, j]
        const += g.priors[lam] * g.defender_uncovered[lam, j]
        for t in range(T):  # au_t - da_t c_t <= au_j - da_j c_j
            if t != j:
                row = np.zeros(T)
                row[t] -= da[lam, t]
                row[j] += da[lam, j]
                A.append(row)
                b.append(g.attacker_uncovered[lam, j] - g.attacker_uncovered[lam, t])
    A.append(np.ones(T))
    b.append(g.resources)
    res = linprog(cost, A_ub=np.array(A), b_ub=b, bounds=[(0, 1)] * T, method="highs")
    return None if res.status == 2 else const - float(res.fun)


def brute_force(g: SecurityGame) -> dict[tuple[int, ...], float]:
    out = {}
    for prof in product(range(g.n_targets), repeat=g.n_types):
        v = profile_lp(g, prof)
        if v is not None:
            out[prof] = v
    return out


def tied_game(seed: int, T: int, m: int, L: int, identical: bool) -> SecurityGame:
    """Integer payoffs in a small range (many ties); optionally two identical types."""
    rng = np.random.default_rng(seed)
    rows = [
        rng.integers(lo, hi + 1, (L, T)).astype(float)
        for lo, hi in ((0, 3), (-3, 0), (-3, 0), (0, 3))
    ]
    if identical:
        for r in rows:
            r[1] = r[0]
    p = rng.dirichlet(np.ones(L))
    priors = tuple(float(x) for x in p[:-1]) + (1.0 - float(p[:-1].sum()),)
    return SecurityGame(
        tuple(f"t{k}" for k in range(T)),
        *rows,
        m,
        types=tuple(f"type{k}" for k in range(L)),
        priors=priors,
    )


GAMES = [
    ("uniform", lambda: typed_game(11, 5, 1, 3)),
    ("uniform2", lambda: typed_game(12, 6, 2, 2)),
    ("integer", lambda: typed_game(13, 5, 2, 3, integer=True)),
    ("ties", lambda: tied_game(14, 5, 2, 3, identical=False)),
    ("ties_identical", lambda: tied_game(15, 5, 1, 3, identical=True)),
    ("ties_m3", lambda: tied_game(16, 6, 3, 2, identical=False)),
]


@pytest.mark.parametrize("name,make", GAMES, ids=[n for n, _ in GAMES])
def test_eraser_highs_matches_brute_force(name, make):
    g = make()
    values = brute_force(g)
    best = max(values.values())
    tol = 1e-6 * g.scale
    caps, starts, _, _ = type_lps(g)
    # the incumbent is attained by a feasible point with exact best responses
    c, resp, v = incumbent(g, starts)
    assert resp == exact_responses(g, c)
    assert v == pytest.approx(profile_value(g, c, resp), abs=1e-12 * g.scale)
    assert v <= best + tol
    # pruning never removes a profile as good as the incumbent
    cut = prune_by_bound(g, caps, v)
    for prof, val in values.items():
        if val >= v - tol:
            assert not any(cut[lam, t] for lam, t in enumerate(prof)), (prof, val, v)
    for kwargs in (
        {},
        {"use_incumbent": False, "mip_start": False},
        {"mip_start": False},
        {"relaxation_start": False},
        {"lean": True},
        {"coupled": False},
    ):
        out = solve_eraser_highs(g, caps, starts, **kwargs)
        assert out.status == "optimal"
        assert out.objective == pytest.approx(best, abs=tol)
        assert out.bound >= best - tol
        assert profile_value(g, out.coverage, out.responses) == pytest.approx(best, abs=tol)
    assert _milp_value(build_eraser(g)) == pytest.approx(best, abs=tol)  # plain Pyomo ERASER
    r = solve_security(g)
    assert r.certified, r.certificate.summary()
    assert r.leader.value == pytest.approx(best, abs=tol)
    assert verify_security(g, r.to_dict()).passed


def test_pruning_is_active_and_exact():
    """On a larger seeded game the incumbent fixes some binaries and the optimum is unchanged
    (against the plain Pyomo ERASER model without caps or pruning)."""
    g = typed_game(21, 14, 2, 3)
    caps, starts, _, _ = type_lps(g)
    out = solve_eraser_highs(g, caps, starts)
    plain = _milp_value(build_eraser(g))
    assert out.status == "optimal"
    assert out.objective == pytest.approx(plain, abs=1e-6 * g.scale)
    assert out.incumbent_value <= plain + 1e-9 * g.scale
    assert out.pruned > 0
    assert out.binaries + out.pruned <= 3 * 14


@pytest.mark.slow
def test_five_types_thirty_targets_exact():
    """5 distinct types x 30 targets: same optimum as the plain Pyomo ERASER model."""
    g = typed_game(31, 30, 3, 5)
    r = solve_security(g)
    assert r.certified
    assert r.leader.value == pytest.approx(_milp_value(build_eraser(g)), abs=1e-6 * g.scale)


def test_time_limit_is_not_optimal():
    """A HiGHS run stopped by the time limit raises instead of reporting 'optimal'."""
    g = typed_game(41, 60, 6, 5)
    caps, starts, _, _ = type_lps(g)
    out = solve_eraser_highs(g, caps, starts, time_limit=1e-4)
    assert out.status != "optimal"
    with pytest.raises(SolverError):
        solve_security(g, time_limit=1e-4)


@pytest.mark.slow
def test_types_at_scale_two_formulations_agree():
    """6 types x 40 targets (``STACKOPT_SLOW_FULL=1``: 10 x 100, the issue's size): the default
    lean coupled MILP and the ERASER big-M rows with the coupled rows give the same optimum."""
    L, T = (10, 100) if os.environ.get("STACKOPT_SLOW_FULL") == "1" else (6, 40)
    g = typed_game(51, T, T // 10, L)
    caps, starts, _, _ = type_lps(g)
    lean = solve_eraser_highs(g, caps, starts, time_limit=300)
    full = solve_eraser_highs(g, caps, starts, lean=False, time_limit=300)
    assert lean.status == full.status == "optimal"
    assert lean.objective == pytest.approx(full.objective, abs=1e-6 * g.scale)
    r = solve_security(g, time_limit=300)
    assert r.certified and r.leader.value == pytest.approx(lean.objective, abs=1e-6 * g.scale)
