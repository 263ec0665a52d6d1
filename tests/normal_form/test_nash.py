"""Nash equilibria of the simultaneous game: MILP (best/worst), exact enumeration, certificate.

Independent references: nashpy (support and vertex enumeration; compared on nondegenerate
random games only, since nashpy misses equilibria in degenerate games) and hand-derived
equilibria of textbook games. The MILP and the exact enumeration are two independent methods
and are checked against each other.
"""

from __future__ import annotations

import warnings
from fractions import Fraction as F

import numpy as np
import pytest

from stackopt import InputError, NormalFormGame
from stackopt.kinds.normal_form.checks_nash import certify_nash
from stackopt.kinds.normal_form.nash import all_nash_equilibria, nash_equilibria, verify_nash


def game(A, B, **kw) -> NormalFormGame:
    return NormalFormGame(np.array(A, dtype=float), np.array(B, dtype=float), **kw)


def nashpy_profiles(g: NormalFormGame, method: str) -> list[tuple[np.ndarray, np.ndarray]]:
    import nashpy

    ng = nashpy.Game(g.A, g.B)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        it = ng.support_enumeration() if method == "support" else ng.vertex_enumeration()
        return [(np.asarray(x, float), np.asarray(y, float)) for x, y in it]


def as_set(profiles, digits=8):
    return sorted(tuple(np.round(np.r_[x, y], digits) + 0.0) for x, y in profiles)


def assert_all_certified(g: NormalFormGame, eqs, **kw) -> None:
    """Each enumerated equilibrium passes the Nash certificate, recomputed from the game."""
    for e in eqs:
        x, y = e.as_floats()
        cert = certify_nash(
            g,
            dict(zip(g.leader_actions, x)),
            dict(zip(g.follower_actions, y)),
            float(e.leader_value),
            float(e.follower_value),
            **kw,
        )
        assert cert.passed, cert.summary()


def assert_milp_extremes(g: NormalFormGame, vals: list[float], **approx) -> None:
    """The MILP's best and worst leader values are the largest and smallest of ``vals`` (the
    leader values of the enumerated equilibria)."""
    assert nash_equilibria(g).leader.value == pytest.approx(max(vals), **approx)
    assert nash_equilibria(g, objective="worst").leader.value == pytest.approx(min(vals), **approx)


# -- hand-derived games --------------------------------------------------------------------------
def test_battle_of_the_sexes_exact():
    g = game([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    eqs = all_nash_equilibria(g)
    got = {(e.leader_strategy, e.follower_strategy, e.leader_value, e.follower_value) for e in eqs}
    assert got == {
        ((F(1), F(0)), (F(1), F(0)), F(3), F(2)),
        ((F(0), F(1)), (F(0), F(1)), F(2), F(3)),
        ((F(3, 5), F(2, 5)), (F(2, 5), F(3, 5)), F(6, 5), F(6, 5)),
    }
    best, worst = nash_equilibria(g), nash_equilibria(g, objective="worst")
    assert best.certified and worst.certified
    assert best.leader.value == pytest.approx(3) and worst.leader.value == pytest.approx(1.2)
    p2 = nash_equilibria(g, player="follower")
    assert p2.certified and p2.follower.value == pytest.approx(3)
    assert p2.leader.name == "leader"  # reported in the game's own orientation


def test_dominance_game_has_one_equilibrium():
    # U strictly dominates D, so (U, L) is the only equilibrium (value 1 for the row player)
    g = game([[1, 3], [0, 2]], [[1, 0], [0, 1]])
    eqs = all_nash_equilibria(g)
    assert len(eqs) == 1 and eqs[0].leader_value == 1
    for obj in ("best", "worst"):
        r = nash_equilibria(g, objective=obj)
        assert r.certified and r.leader.value == pytest.approx(1)


def test_matching_pennies_mixed():
    g = game([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    (e,) = all_nash_equilibria(g)
    assert e.leader_strategy == (F(1, 2), F(1, 2)) and e.follower_strategy == (F(1, 2), F(1, 2))
    r = nash_equilibria(g)
    assert r.certified and abs(r.leader.value) < 1e-7
    assert r.leader.commitment["a0"] == pytest.approx(0.5, abs=1e-7)


def test_degenerate_game_lists_extreme_points_with_unequal_supports():
    # the column player is indifferent everywhere: a continuum of equilibria.
    g = game([[1, 5], [2, 0]], [[0, 0], [0, 0]])
    eqs = all_nash_equilibria(g)
    pairs = {(e.leader_strategy, e.follower_strategy) for e in eqs}
    assert pairs == {
        ((F(1), F(0)), (F(0), F(1))),
        ((F(0), F(1)), (F(1), F(0))),
        ((F(0), F(1)), (F(5, 6), F(1, 6))),
        ((F(1), F(0)), (F(5, 6), F(1, 6))),
    }
    # supports of sizes 1 and 2 are paired
    assert any(len(e.leader_support) != len(e.follower_support) for e in eqs)
    assert_milp_extremes(g, [float(e.leader_value) for e in eqs])


def test_degenerate_game_where_nashpy_support_enumeration_is_incomplete():
    # degenerate 3x2 game (von Stengel 2007, Algorithmic Game Theory ch. 3, Fig. 3.6 payoffs):
    # the pure top row has a continuum of replies y = (p, 1 - p), p in [2/3, 1]
    A = [[3, 3], [2, 5], [0, 6]]
    B = [[3, 3], [2, 6], [3, 1]]
    g = game(A, B)
    eqs = all_nash_equilibria(g)
    assert {(e.leader_strategy, e.follower_strategy) for e in eqs} == {
        ((F(1), F(0), F(0)), (F(1), F(0))),
        ((F(1), F(0), F(0)), (F(2, 3), F(1, 3))),
        ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
    }
    support = nashpy_profiles(g, "support")
    assert len(support) == 2  # nashpy misses the extreme point ((1, 0, 0), (2/3, 1/3))
    assert_all_certified(g, eqs)
    # every nashpy equilibrium is a convex combination inside our list's payoff range
    lv = [float(e.leader_value) for e in eqs]
    for x, y in nashpy_profiles(g, "support"):
        assert min(lv) - 1e-9 <= x @ g.A @ y <= max(lv) + 1e-9
    assert_milp_extremes(g, lv, abs=1e-6)


# -- random nondegenerate games: three methods agree ---------------------------------------------
@pytest.mark.parametrize(
    "shape,seed", [((2, 2), 1), ((3, 3), 2), ((3, 4), 3), ((4, 4), 4), ((4, 3), 5), ((5, 5), 6)]
)
def test_random_games_match_nashpy_and_milp(shape, seed):
    rng = np.random.default_rng(seed)
    g = game(rng.normal(size=shape), rng.normal(size=shape))  # nondegenerate with prob. 1
    eqs = all_nash_equilibria(g)
    ours = as_set(e.as_floats() for e in eqs)
    assert ours == as_set(nashpy_profiles(g, "vertex"))
    # nashpy's support enumeration can miss equilibria through its float tolerances (seed 4
    # loses a verified 2x2-support equilibrium); whatever it finds must be in our list
    assert set(as_set(nashpy_profiles(g, "support"))) <= set(ours)
    assert_all_certified(g, eqs, rtol=1e-12)
    assert len(eqs) % 2 == 1  # nondegenerate games have an odd number of equilibria
    l_vals = [float(e.leader_value) for e in eqs]
    f_vals = [float(e.follower_value) for e in eqs]
    tol = 1e-6 * g.scale
    for player, vals, side in (("leader", l_vals, "leader"), ("follower", f_vals, "follower")):
        best = nash_equilibria(g, objective="best", player=player)
        worst = nash_equilibria(g, objective="worst", player=player)
        assert best.certified and worst.certified
        bv, wv = getattr(best, side).value, getattr(worst, side).value
        assert all(bv >= v - tol for v in vals) and all(wv <= v + tol for v in vals)
        assert bv == pytest.approx(max(vals), abs=tol) and wv == pytest.approx(min(vals), abs=tol)


def test_max_support_limits_enumeration():
    g = game([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    pure = all_nash_equilibria(g, max_support=1)
    assert len(pure) == 2 and all(len(e.leader_support) == 1 for e in pure)


# -- certificate and verify ----------------------------------------------------------------------
def test_certificate_rejects_non_equilibrium():
    g = game([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    cert = certify_nash(g, {"a0": 1.0}, {"b1": 1.0}, 0.0, 0.0)
    assert not cert.passed
    assert not cert.check("leader_best_response").passed
    assert not cert.check("follower_best_response").passed
    assert cert.check("leader_value").passed


def test_verify_round_trip_and_tamper():
    g = game([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    for player in ("leader", "follower"):
        r = nash_equilibria(g, player=player)
        assert verify_nash(g, r.to_dict()).passed
    d = nash_equilibria(g).to_dict()
    d["leader"]["value"] = 2.5
    assert not verify_nash(g, d).passed


def test_bad_input():
    g = game([[1]], [[1]])
    with pytest.raises(InputError, match="objective"):
        nash_equilibria(g, objective="median")
    with pytest.raises(InputError, match="unknown player"):
        nash_equilibria(g, player="nobody")
    with pytest.raises(InputError, match="max_support"):
        all_nash_equilibria(g, max_support=0)


@pytest.mark.parametrize("seed", [21, 22, 23, 24, 25])
def test_small_integer_games_milp_matches_enumeration(seed):
    """Integer payoffs in {-2..2}: often degenerate (ties), where only the exact
    enumeration is a reliable reference."""
    rng = np.random.default_rng(seed)
    g = game(rng.integers(-2, 3, size=(3, 3)), rng.integers(-2, 3, size=(3, 3)))
    eqs = all_nash_equilibria(g)
    assert eqs
    assert_all_certified(g, eqs, rtol=1e-12)
    assert_milp_extremes(g, [float(e.leader_value) for e in eqs], abs=1e-6)
