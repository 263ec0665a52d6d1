"""Identical attacker types merged exactly before ERASER: the answer equals the unmerged
Harsanyi expansion (solved by the normal-form SSE solver, an independent formulation)."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from stackopt.kinds.normal_form.solve import solve_sse
from stackopt.kinds.security.game import SecurityGame
from stackopt.kinds.security.merge import merge_attacker_types
from stackopt.kinds.security.solve import solve_security, to_normal_form, verify_security


def repeated_types(seed: int, T: int, m: int, distinct: int, copies: list[int]) -> SecurityGame:
    rng = np.random.default_rng(seed)
    rows = [
        (
            rng.integers(0, 11, T),
            rng.integers(-10, 1, T),
            rng.integers(-10, 1, T),
            rng.integers(0, 11, T),
        )
        for _ in range(distinct)
    ]
    order = rng.permutation([d for d, c in enumerate(copies) for _ in range(c)])
    L = len(order)
    p = rng.dirichlet(np.ones(L))
    priors = tuple(float(x) for x in p[:-1]) + (1.0 - float(p[:-1].sum()),)
    pick = [np.array([rows[d][k] for d in order], dtype=float) for k in range(4)]
    return SecurityGame(
        tuple(f"t{k}" for k in range(T)),
        *pick,
        m,
        types=tuple(f"type{k}" for k in range(L)),
        priors=priors,
    )


def test_merge_groups():
    g = repeated_types(0, 5, 2, 2, [2, 3])
    merged, group_of = merge_attacker_types(g)
    assert merged.n_types == 2 and len(group_of) == 5
    assert sum(merged.priors) == pytest.approx(1.0)
    for lam, grp in enumerate(group_of):
        assert np.array_equal(merged.attacker_uncovered[grp], g.attacker_uncovered[lam])


@pytest.mark.parametrize("seed", range(6))
def test_merged_eraser_equals_unmerged_harsanyi(seed):
    g = repeated_types(seed, 4, 1 + seed % 2, 2, [1 + seed % 2, 2])
    r = solve_security(g)
    assert r.method == "eraser" and r.certified, r.certificate.summary()
    assert r.stats["types_merged"] == g.n_types - 2
    assert set(r.follower.response) == set(g.types)
    nf = solve_sse(to_normal_form(g))  # every original type, expanded
    assert r.leader.value == pytest.approx(nf.leader.value, abs=1e-6 * g.scale)
    assert verify_security(g, r).passed


@pytest.mark.slow
def test_ten_types_hundred_targets_with_repeats():
    """Issue 13: 5-10 types x 100 targets under 10 s where types repeat (full size with
    STACKOPT_SLOW_FULL=1; 10 types over 2 distinct, 30 targets otherwise)."""
    T = 100 if os.environ.get("STACKOPT_SLOW_FULL") else 30
    g = repeated_types(3, T, T // 10, 2, [4, 6])
    t = time.perf_counter()
    r = solve_security(g)
    assert time.perf_counter() - t < 60
    assert r.certified and r.stats["types_merged"] == 8
