"""ERASER with per-type value caps (issue 13, types at scale): valid, and the same optimum.

Independent references: each type's coverage LP solved afresh by ``scipy.optimize.linprog``
(the caps must bound it), the plain ERASER model without the caps (same optimum), and the
Harsanyi-transformed normal form solved by the normal-form multiple-LP solver (same value).
"""

from __future__ import annotations

import numpy as np
import pytest
from pyomo.contrib.solver.common.results import TerminationCondition

from stackopt.engines.highs import solve_milp_exactly
from stackopt.formulations.security_milp import big_ms, build_eraser, value_caps
from stackopt.kinds.normal_form.solve import solve_sse
from stackopt.kinds.security.game import SecurityGame
from stackopt.kinds.security.solve import solve_security, to_normal_form

from .test_bounds import lp_value


def typed_game(seed: int, T: int, m: int, L: int, integer: bool = False) -> SecurityGame:
    rng = np.random.default_rng(seed)
    if integer:
        draw = lambda lo, hi: rng.integers(lo, hi + 1, (L, T)).astype(float)  # noqa: E731
    else:
        draw = lambda lo, hi: rng.uniform(lo, hi, (L, T))  # noqa: E731
    p = rng.dirichlet(np.ones(L))
    priors = tuple(float(x) for x in p[:-1]) + (1.0 - float(p[:-1].sum()),)
    return SecurityGame(
        tuple(f"t{k}" for k in range(T)),
        draw(0, 10),
        draw(-10, 0),
        draw(-10, 0),
        draw(0, 10),
        m,
        types=tuple(f"type{k}" for k in range(L)),
        priors=priors,
    )


def one_type(g: SecurityGame, lam: int) -> SecurityGame:
    return SecurityGame(
        g.targets,
        g.defender_covered[lam],
        g.defender_uncovered[lam],
        g.attacker_covered[lam],
        g.attacker_uncovered[lam],
        g.resources,
    )


@pytest.mark.parametrize("seed,T,m,L,integer", [(0, 6, 2, 3, False), (1, 8, 3, 2, True)])
def test_caps_bound_every_types_lp(seed, T, m, L, integer):
    g = typed_game(seed, T, m, L, integer)
    caps, _, _ = value_caps(g)
    for lam in range(L):
        g1 = one_type(g, lam)
        for t in range(T):
            v = lp_value(g1, t)
            if v is None:  # the type never attacks t: the cap forbids it
                assert caps[lam, t] < g.defender_uncovered[lam].min()
            else:
                assert caps[lam, t] >= v - 1e-9 * g.scale
                assert caps[lam, t] <= v + 1e-6 * g.scale  # and is tight
    zd, _ = big_ms(g, caps)
    zd0, _ = big_ms(g)
    assert np.all(zd <= zd0) and np.all(zd >= 0)


def _milp_value(model) -> float:
    res, _ = solve_milp_exactly(model)
    assert res.termination_condition == TerminationCondition.convergenceCriteriaSatisfied
    return float(res.incumbent_objective)


@pytest.mark.parametrize(
    "seed,T,m,L,integer",
    [(2, 5, 1, 2, False), (3, 6, 2, 3, False), (4, 5, 2, 2, True), (5, 4, 1, 3, True)],
)
def test_capped_eraser_has_the_same_optimum(seed, T, m, L, integer):
    g = typed_game(seed, T, m, L, integer)
    caps, _, _ = value_caps(g)
    capped, plain = _milp_value(build_eraser(g, caps)), _milp_value(build_eraser(g))
    assert capped == pytest.approx(plain, abs=1e-6 * g.scale)
    r = solve_security(g)  # the default path, with the caps
    assert r.certified, r.certificate.summary()
    nf = solve_sse(to_normal_form(g))  # Harsanyi expansion, an independent solver
    assert r.leader.value == pytest.approx(nf.leader.value, abs=1e-6 * g.scale)
    assert r.leader.value == pytest.approx(plain, abs=1e-6 * g.scale)
