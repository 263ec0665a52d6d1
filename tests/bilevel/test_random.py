"""Random small bilevel problems cross-checked against independent brute force.

Two families (seeded):

* *general*: random rows with mixed signs, boxed leader, ``y >= 0``; big-M cannot be proven
  (the follower's dual region is unbounded), so the default is Bard-Moore branching.
* *covering*: ``A_y y >= b - A_x x`` with ``A_y > 0``, ``d > 0``, ``y >= 0`` and a coupling
  leader row ``sum y <= U``; the dual region is bounded (Gordan: ``P y < 0`` for ``y = 1``)
  and ``H`` is bounded, so every big-M is proven and ``kkt_bigm`` / ``strong_duality``
  answers are certified.
"""

import numpy as np
import pytest

from stackopt.kinds.bilevel.game import BilevelProblem
from stackopt.kinds.bilevel.solve import solve_bilevel, verify_bilevel
from stackopt.status import Status
from stackopt.testing.oracles.bilevel import enumerate_active_sets, enumerate_integer_leader


def _mixed_rows(rng: np.random.Generator, nx: int, ny: int, m: int) -> dict:
    """The costs and ``m`` follower rows of ``from_matrices`` drawn as integers with mixed
    signs: costs in -5..5, row coefficients in -4..4, right-hand sides in 1..14."""
    return dict(
        c_x=rng.integers(-5, 6, nx),
        c_y=rng.integers(-5, 6, ny),
        A_x=rng.integers(-4, 5, (m, nx)),
        A_y=rng.integers(-4, 5, (m, ny)),
        b=rng.integers(1, 15, m),
        d_y=rng.integers(-5, 6, ny),
    )


def general(seed, nx=1, ny=2, m=3):
    rng = np.random.default_rng(seed)
    rows = _mixed_rows(rng, nx, ny, m)
    return BilevelProblem.from_matrices(
        **rows,
        x_lower=0,
        x_upper=rng.integers(3, 10),
        y_lower=0,
        name=f"general_{seed}",
    )


def covering(seed, nx=1, ny=2, m=2, integer=False):
    rng = np.random.default_rng(1000 + seed)
    return BilevelProblem.from_matrices(
        c_x=rng.integers(-5, 6, nx),
        c_y=rng.integers(-5, 6, ny),
        A_x=rng.integers(-3, 4, (m, nx)),
        A_y=-rng.integers(1, 5, (m, ny)),
        b=-rng.integers(1, 10, m),
        d_y=rng.integers(1, 6, ny),
        G_y=np.ones((1, ny)),
        h=[float(rng.integers(8, 20))],
        x_lower=0,
        x_upper=3 if integer else rng.integers(3, 8),
        y_lower=0,
        x_types=["integer"] * nx if integer else None,
        name=f"covering_{seed}",
    )


def _same(r, status, value):
    if status == "optimal":
        assert r.status is Status.OPTIMAL, r.message
        assert r.certified, r.message
        assert r.leader.value == pytest.approx(value, abs=1e-5)
    else:
        assert r.status.value == status, r.message


@pytest.mark.parametrize("seed", range(12))
def test_general_random_vs_active_set_enumeration(seed):
    p = general(seed, nx=1 + seed % 2)
    status, value = enumerate_active_sets(p)
    _same(solve_bilevel(p), status, value)


@pytest.mark.parametrize("seed", range(8))
def test_covering_random_kkt_bigm_proven(seed):
    p = covering(seed, nx=1 + seed % 2)
    status, value = enumerate_active_sets(p)
    _same(solve_bilevel(p), status, value)  # default: bard_moore (continuous leader)
    r = solve_bilevel(p, method="kkt_bigm")  # with its Bard-Moore MIP start
    _same(r, status, value)
    if status == "optimal":
        assert r.certificate.check("big_m_valid").passed
        _same(solve_bilevel(p, method="bard_moore"), status, value)


@pytest.mark.parametrize("seed", range(6))
def test_integer_leader_strong_duality_vs_enumeration(seed):
    p = covering(seed, nx=1 + seed % 2, integer=True)
    status, value = enumerate_integer_leader(p)
    for method in ("strong_duality", "kkt_bigm", "bard_moore"):
        _same(solve_bilevel(p, method=method), status, value)


@pytest.mark.parametrize("seed", range(4))
def test_integer_leader_general_vs_enumeration(seed):
    rng = np.random.default_rng(500 + seed)
    p = BilevelProblem.from_matrices(
        **_mixed_rows(rng, 2, 2, 3),
        x_lower=0,
        x_upper=4,
        y_lower=0,
        x_types=["integer", "binary"],
    )
    status, value = enumerate_integer_leader(p)
    _same(solve_bilevel(p), status, value)


def test_verify_round_trip_through_json():
    p = covering(3)
    r = solve_bilevel(p)
    cert = verify_bilevel(p, r.to_dict())
    assert cert.passed, cert.summary()
    bad = r.to_dict()
    key = next(iter(bad["follower"]["response"]))
    bad["follower"]["response"][key] += 1.0
    assert not verify_bilevel(p, bad, resolve=False).passed


def _boxed(seed: int, *, x_upper: int, y_upper: int, name: str | None = None) -> BilevelProblem:
    """A random 1-leader, 2-follower problem with integer data and boxed variables (the
    follower's dual region is unbounded)."""
    rng = np.random.default_rng(seed)
    return BilevelProblem.from_matrices(
        **_mixed_rows(rng, 1, 2, 2),
        x_lower=0,
        x_upper=x_upper,
        y_lower=0,
        y_upper=y_upper,
        name=name,
    )


@pytest.mark.parametrize("seed", range(4))
def test_kkt_normalized_is_exact_without_dual_bounds(seed):
    """Boxed follower (dual region unbounded): the normalised relaxation is proven or handed
    to branching, and agrees with active-set enumeration."""
    p = _boxed(700 + seed, x_upper=6, y_upper=5)
    status, value = enumerate_active_sets(p)
    r = solve_bilevel(p, method="kkt_normalized")
    _same(r, status, value)
    if status == "optimal":
        assert r.method in ("kkt_normalized", "bard_moore")


@pytest.mark.parametrize("seed", range(4))
def test_follower_equality_rows_vs_enumeration(seed):
    """One follower row is an equality (free multiplier, no complementarity pair)."""
    rng = np.random.default_rng(900 + seed)
    Ay = rng.integers(-4, 5, (3, 3)).astype(float)
    Ax = rng.integers(-3, 4, (3, 1)).astype(float)
    b = rng.integers(2, 12, 3).astype(float)
    lo = np.array([b[0], -np.inf, -np.inf])  # row 0: equality
    p = BilevelProblem(
        leader_variables=("x",),
        follower_variables=("y1", "y2", "y3"),
        leader_lower=[0.0],
        leader_upper=[5.0],
        follower_lower=[0.0] * 3,
        follower_upper=[6.0, np.inf, np.inf],
        leader_cost_x=rng.integers(-4, 5, 1),
        leader_cost_y=rng.integers(-4, 5, 3),
        follower_cost_y=rng.integers(-4, 5, 3),
        follower_rows_x=Ax,
        follower_rows_y=Ay,
        follower_rows_lower=lo,
        follower_rows_upper=b,
    )
    status, value = enumerate_active_sets(p)
    _same(solve_bilevel(p), status, value)


def _bench_covering(seed: int, nx: int, ny: int):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bilevel import covering as bench_covering

    return bench_covering(seed, nx, ny)


@pytest.mark.parametrize("seed", range(3))
def test_kkt_bigm_mip_start_agrees_with_branching(seed):
    """The MIP start (a short Bard-Moore search) is only a hint: HiGHS accepts it and the
    seeded MILP reaches the optimum found by a complete Bard-Moore search (a second,
    independent method); so does ``solve_bilevel(method="kkt_bigm")``."""
    from stackopt.engines.bard_moore import solve_bard_moore
    from stackopt.engines.highs import run_highs, set_mip_start
    from stackopt.formulations.bilevel_form import follower_form
    from stackopt.formulations.bounds import prove_bounds
    from stackopt.formulations.kkt_bigm import build_kkt_bigm, kkt_bigm_start

    p = _bench_covering(seed, 6, 10)
    f = follower_form(p)
    b = prove_bounds(p, f)
    milp = build_kkt_bigm(p, b.slack, b.lam, f)
    short = solve_bard_moore(p, max_nodes=5)
    assert short.x is not None and short.y is not None
    h = milp.to_highs()
    assert set_mip_start(h, *kkt_bigm_start(p, milp, short.x, short.y, 1e-9 * p.scale))
    assert run_highs(h) == "optimal"
    full = solve_bard_moore(p)
    assert full.status == "optimal"
    tol = 1e-6 * max(1.0, p.scale)
    assert h.getInfo().objective_function_value == pytest.approx(full.value, abs=tol)
    r = solve_bilevel(p, method="kkt_bigm")
    b2 = solve_bilevel(p, method="bard_moore")
    assert r.status.value == b2.status.value == "optimal" and r.certified and b2.certified
    assert r.leader.value == pytest.approx(b2.leader.value, abs=tol)


@pytest.mark.slow
def test_covering_default_agrees_with_milp():
    """Default (Bard-Moore) vs the proven-big-M MILP on a benchmark covering instance:
    10x15 by default, 20x30 with ``STACKOPT_SLOW_FULL=1``."""
    import os

    full = os.environ.get("STACKOPT_SLOW_FULL") == "1"
    p = _bench_covering(0, 20, 30) if full else _bench_covering(0, 10, 15)
    r, m = solve_bilevel(p), solve_bilevel(p, method="kkt_bigm")
    assert r.method == "bard_moore" and r.status.value == m.status.value == "optimal"
    assert r.certified and m.certified
    assert r.leader.value == pytest.approx(m.leader.value, abs=1e-6 * max(1.0, p.scale))


def _bard_moore_with_and_without(p: BilevelProblem, switch: str) -> None:
    """With the ``solve_bard_moore`` switch ``switch`` on and off, Bard-Moore's status and
    value equal those of active-set enumeration (independent)."""
    from stackopt.engines.bard_moore import solve_bard_moore

    status, value = enumerate_active_sets(p)
    for on in (True, False):
        out = solve_bard_moore(p, **{switch: on})
        assert out.status == status
        if status == "optimal":
            assert p.leader_sign * out.value + p.leader_constant == pytest.approx(value, abs=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_root_probing_keeps_the_optimum(seed):
    """Rows fixed tight by root probing (multiplier positive at every KKT point) lose no
    bilevel-feasible point: with and without probing, Bard-Moore matches active-set
    enumeration (independent), and on the benchmark's covering instances probing fixes rows."""
    from stackopt.engines.bard_moore import solve_bard_moore

    _bard_moore_with_and_without(covering(seed, nx=1 + seed % 2, ny=3, m=3), "probe")
    q = _bench_covering(seed, 4, 8)
    with_probe, without = solve_bard_moore(q), solve_bard_moore(q, probe=False)
    assert with_probe.probed > 0 and without.probed == 0
    assert with_probe.status == without.status == "optimal"
    assert with_probe.value == pytest.approx(without.value, abs=1e-6 * max(1.0, q.scale))


@pytest.mark.parametrize("seed", range(6))
def test_range_sides_propagation_keeps_the_optimum(seed):
    """Fixing one side of a range tight also fixes the other side's multiplier to 0 (it has
    positive slack): with and without it, Bard-Moore matches active-set enumeration
    (independent) on boxed followers, where every variable's two bounds form such a pair."""
    from stackopt.engines.bard_moore import _opposite_rows
    from stackopt.formulations.bilevel_form import follower_form

    p = _boxed(900 + seed, x_upper=5, y_upper=4, name=f"boxed_{seed}")
    assert len(_opposite_rows(follower_form(p))) == 4  # two bounds of each of two variables
    _bard_moore_with_and_without(p, "pairs")
