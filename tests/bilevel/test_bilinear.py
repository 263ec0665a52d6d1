"""Bilinear leader objectives (tolls, subsidies, fines): rate x follower quantity.

Independent oracles: enumeration over a grid of leader rates with the follower's LP and the
optimistic face LP (``grid_oracle``, scipy), a closed form of the toll-setting problem
(revenue = cost of the best toll-free path minus the base cost of the cheapest tolled path),
and the Labbé-Marcotte-Savard revenue identity checked on the follower's own LP duals.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from stackopt.errors import InputError, UnsupportedError
from stackopt.io.load import parse_game
from stackopt.kinds.bilevel.game import BilevelProblem
from stackopt.kinds.bilevel.solve import solve_bilevel, verify_bilevel
from stackopt.status import Status

from .grid_oracle import grid_optimum

TOLL = {
    "kind": "bilevel",
    "name": "toll_two_paths",
    "leader": {
        "variables": {"T1": {"lower": 0, "upper": 10}, "T2": {"lower": 0, "upper": 10}},
        "objective": {"maximize": "T1*y1 + T2*y2"},
    },
    "follower": {
        "variables": {"y1": {"lower": 0}, "y2": {"lower": 0}, "y3": {"lower": 0}},
        "objective": {"minimize": "(2 + T1)*y1 + (3 + T2)*y2 + 6*y3"},
        "constraints": ["y1 + y2 + y3 == 1"],
    },
}


def toll(**types):
    data = {
        **TOLL,
        "leader": {
            **TOLL["leader"],
            "variables": {
                n: {**v, **({"type": types[n]} if n in types else {})}
                for n, v in TOLL["leader"]["variables"].items()
            },
        },
    }
    return parse_game(data)


def test_toll_revenue_identity_continuous_matches_closed_form():
    p = toll()
    assert p.leader_cross is not None
    r = solve_bilevel(p)
    assert r.method == "bard_moore" and r.status is Status.OPTIMAL and r.certified, r.message
    # closed form: toll-free path 6 minus the cheapest tolled base cost 2
    assert r.leader.value == pytest.approx(4.0, abs=1e-6)
    assert r.follower.response["y1"] + r.follower.response["y2"] == pytest.approx(1.0)
    assert verify_bilevel(p, r).passed


def test_toll_integer_rates_strong_duality_matches_enumeration():
    p = toll(T1="integer", T2="integer")
    r = solve_bilevel(p, method="strong_duality")
    assert r.status is Status.OPTIMAL and r.certified, r.message
    ref, _ = grid_optimum(p, [range(11), range(11)])
    assert r.leader.value == pytest.approx(ref, abs=1e-6) == pytest.approx(4.0)
    assert verify_bilevel(p, r).passed


def test_revenue_identity_holds_on_the_followers_own_duals():
    """Leader revenue T'y == follower dual objective - linear cost (Labbé et al. 1998)."""
    p = toll()
    r = solve_bilevel(p)
    T = np.array([r.leader.commitment["T1"], r.leader.commitment["T2"]])
    c = np.array([2 + T[0], 3 + T[1], 6.0])
    res = linprog(c, A_eq=[[1, 1, 1]], b_eq=[1], bounds=[(0, None)] * 3, method="highs")
    dual_obj = float(res.eqlin.marginals[0] * 1.0)  # b'lambda (bounds inactive duals 0)
    y = np.array([r.follower.response[n] for n in ("y1", "y2", "y3")])
    linear = float(np.array([2.0, 3.0, 6.0]) @ y)
    assert dual_obj - linear == pytest.approx(r.leader.value, abs=1e-6)


def test_discretised_rates_are_feasible_never_optimal_with_a_valid_error_bound():
    p = toll()
    exact = solve_bilevel(p).leader.value
    r = solve_bilevel(p, method="strong_duality", rate_step=0.7)
    assert r.status is Status.FEASIBLE and not r.certified
    assert "approximation" in r.message
    opt = next(c for c in r.certificate.checks if c.name == "optimality")
    assert not opt.passed and "NOT proven" in opt.detail
    # the grid optimum, independently
    grid = [np.arange(0, 10 + 1e-9, 0.7)] * 2
    ref, _ = grid_optimum(p, grid)
    assert r.leader.value == pytest.approx(ref, abs=1e-6)
    err = r.stats["discretisation_error_bound"]
    assert exact - r.leader.value <= err + 1e-6  # the bound holds
    assert r.leader.value <= exact + 1e-6  # a feasible point of a max problem
    # the other checks (feasibility, best response, values) still pass
    assert all(c.passed for c in r.certificate.checks if c.name != "optimality")


def _rate_matrix(rng: np.random.Generator, nx: int, ny: int) -> np.ndarray:
    """``D`` (``ny x nx``): the rates x1 and x2 each charge one follower variable, drawn."""
    D = np.zeros((ny, nx))
    D[rng.integers(0, ny), 0] = 1.0
    D[rng.integers(0, ny), 1] = 1.0
    return D


def _charged_follower(
    D: np.ndarray, *, leader_cost_y, follower_cost_y, rows_x, rows_lower: float
) -> dict:
    """The follower side both rate families share (``BilevelProblem`` arguments): y1..y3 >= 0
    pay ``(d + D x)'y`` (follower cross term ``D``), the leader collects it (``H = -D``), one
    covering row ``sum y >= rows_lower - rows_x x``."""
    ny = D.shape[0]
    return dict(
        follower_variables=("y1", "y2", "y3"),
        follower_lower=np.zeros(ny),
        leader_cost_y=leader_cost_y,
        leader_cross=-D,
        follower_cost_y=follower_cost_y,
        follower_cross=D,
        follower_rows_x=rows_x,
        follower_rows_y=np.ones((1, ny)),
        follower_rows_lower=np.array([rows_lower]),
        follower_rows_upper=np.array([np.inf]),
    )


def assert_methods_match_grid(p: BilevelProblem, grid, methods) -> float:
    """Each of ``methods`` proves an optimum of ``p`` equal to the grid enumeration's, which
    is returned."""
    ref, _ = grid_optimum(p, grid)
    for method in methods:
        r = solve_bilevel(p, method=method)
        assert r.status is Status.OPTIMAL and r.certified, (method, r.message)
        assert r.leader.value == pytest.approx(ref, abs=1e-6), method
    return ref


def random_rate_problem(seed: int, integer: bool) -> BilevelProblem:
    """Follower: min (d + D x)'y over a box and one covering row; leader: c'x + c_y'y + y'Hx
    with H = -D (it collects what the follower pays per unit: fines/tolls)."""
    rng = np.random.default_rng(seed)
    nx, ny = 2, 3
    D = _rate_matrix(rng, nx, ny)
    return BilevelProblem(
        leader_variables=("x1", "x2"),
        leader_types=("integer",) * 2 if integer else (),
        leader_lower=np.zeros(nx),
        leader_upper=np.array([3.0, 4.0]),
        follower_upper=np.full(ny, 2.0),
        leader_cost_x=rng.integers(-2, 3, nx).astype(float) * 0.5,
        **_charged_follower(
            D,
            leader_cost_y=rng.integers(-3, 4, ny).astype(float),
            follower_cost_y=rng.integers(-2, 4, ny).astype(float),
            rows_x=np.zeros((1, nx)),
            rows_lower=2.0,
        ),
        name=f"rates_{seed}",
    )


@pytest.mark.parametrize("seed", range(6))
def test_random_integer_rates_both_methods_match_enumeration(seed):
    p = random_rate_problem(seed, integer=True)
    assert_methods_match_grid(p, [range(4), range(5)], ("strong_duality", "bard_moore"))


@pytest.mark.parametrize("seed", range(6))
def test_random_continuous_rates_identity_not_beaten_by_a_fine_grid(seed):
    p = random_rate_problem(seed, integer=False)
    r = solve_bilevel(p)
    assert r.method == "bard_moore" and r.certified, r.message
    ref, _ = grid_optimum(p, [np.linspace(0, 3, 7), np.linspace(0, 4, 9)])
    assert r.leader.value <= ref + 1e-6  # minimisation: never worse than any grid point


def test_refusals_are_one_line_input_errors():
    p = toll()
    with pytest.raises(UnsupportedError, match="does not solve bilinear"):
        solve_bilevel(p, method="kkt_bigm")
    with pytest.raises(UnsupportedError, match="continuous"):
        solve_bilevel(p, method="strong_duality")
    bad = {**TOLL, "leader": {**TOLL["leader"], "objective": {"maximize": "T1*T2"}}}
    with pytest.raises(UnsupportedError, match="not a product of a leader and a follower"):
        parse_game(bad)
    lin = parse_game({**TOLL, "leader": {**TOLL["leader"], "objective": {"maximize": "T1"}}})
    with pytest.raises(InputError, match="rate-step"):
        solve_bilevel(lin, rate_step=0.5)
    with pytest.raises(UnsupportedError, match="rate-step"):
        solve_bilevel(p, method="bard_moore", rate_step=0.5)


def coupled_problem(seed: int, integer_rates: bool) -> BilevelProblem:
    """Rates x1, x2 (in both objectives, H = -D) plus an integer x3 in the follower's
    right-hand side (sum y >= 1 + x3 / 2): the identity needs the products x3 * lambda,
    expanded exactly. y >= 0 with costs >= 0 (the dual price of the row is then bounded by
    LP); a leader row sum y <= 4 bounds y for the products of the expanded MILP."""
    rng = np.random.default_rng(100 + seed)
    nx, ny = 3, 3
    D = _rate_matrix(rng, nx, ny)
    return BilevelProblem(
        leader_variables=("x1", "x2", "x3"),
        leader_types=("integer" if integer_rates else "continuous",) * 2 + ("integer",),
        leader_lower=np.zeros(nx),
        leader_upper=np.array([3.0, 4.0, 2.0]),
        leader_cost_x=np.array([0.0, 0.0, float(rng.integers(-2, 3))]),
        leader_rows_y=np.ones((1, ny)),
        leader_rows_upper=np.array([4.0]),
        **_charged_follower(
            D,
            leader_cost_y=rng.integers(-3, 4, ny).astype(float),
            follower_cost_y=rng.integers(0, 4, ny).astype(float),
            rows_x=np.array([[0.0, 0.0, -0.5]]),
            rows_lower=1.0,
        ),
        name=f"coupled_{seed}",
    )


@pytest.mark.parametrize("seed", range(4))
def test_identity_with_an_integer_leader_in_the_followers_rows_matches_enumeration(seed):
    p = coupled_problem(seed, integer_rates=True)
    grid = [range(4), range(5), range(3)]
    ref = assert_methods_match_grid(p, grid, ("bard_moore", "strong_duality"))
    c = solve_bilevel(coupled_problem(seed, integer_rates=False))
    assert c.method == "bard_moore" and c.certified, c.message
    assert c.leader.value <= ref + 1e-6  # continuous rates can only do better


def test_verify_of_an_approximate_result_checks_the_point_and_refuses_optimality():
    p = toll()
    r = solve_bilevel(p, method="strong_duality", rate_step=0.7)
    cert = verify_bilevel(p, r.to_dict())
    by_name = {c.name: c for c in cert.checks}
    assert by_name["best_response"].passed and by_name["leader_value"].passed
    assert not by_name["optimality"].passed and not cert.passed
