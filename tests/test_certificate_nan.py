"""A NaN residual fails its check: the residuals ``max(0, ...)`` of the certificates keep NaN
(the builtin ``max(0.0, nan)`` is ``0.0``, a pass) — defence in depth behind the checks that
refuse non-finite numbers in results."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stackopt.certificate import excess
from stackopt.checks.common import (
    bounds_check,
    distribution_check,
    shortfall_check,
    tie_check,
    tie_gap,
)

NAN = float("nan")


@pytest.mark.parametrize(
    "amounts,expected",
    [((), 0.0), ((-1.0,), 0.0), ((2.0, 3.0), 3.0), ((np.float64(-0.5), 0.25), 0.25)],
)
def test_excess_is_max_with_zero(amounts, expected):
    assert excess(*amounts) == expected


@pytest.mark.parametrize("amounts", [(NAN,), (1.0, NAN), (NAN, 1.0), (-1.0, np.nan)])
def test_excess_keeps_nan(amounts):
    assert math.isnan(excess(*amounts))


def test_a_nan_bound_fails_the_shortfall_check():
    assert not shortfall_check("optimality", NAN, 1.0, 1e-6, "ok").passed
    assert shortfall_check("optimality", 1.0, 1.0, 1e-6, "ok").passed


def test_a_nan_leader_payoff_fails_the_tie_check():
    fu = np.array([1.0, 1.0])
    assert not tie_check(fu, np.array([0.0, NAN]), 0, 1e-6, 1e-6).passed
    assert not tie_check(fu, np.array([NAN, 0.0]), 1, 1e-6, 1e-6, "adversarial").passed
    assert tie_check(fu, np.array([1.0, 0.0]), 0, 1e-6, 1e-6).passed


def test_a_nan_probability_fails_the_distribution_check():
    assert not distribution_check(np.array([NAN, 1.0]), 1e-6).passed


# --- NaN made inside a check (overflow of finite huge numbers), not read from a file ---------


def test_a_nan_follower_payoff_fails_the_tie_check():
    # NaN in fu made the near-best set empty: the leader's best over it was -inf, a pass
    lu = np.array([0.0, 5.0])
    assert math.isnan(tie_gap(np.array([1.0, NAN]), lu, 0, 1e-6, "leader"))
    assert not tie_check(np.array([NAN, 1.0]), lu, 0, 1e-6, 1e-6).passed
    assert not tie_check(np.array([1.0, NAN]), lu, 1, 1e-6, 1e-6, "adversarial").passed


@pytest.mark.parametrize("bounds", [(NAN, 0.0, 0.0), (0.0, NAN, 0.0), (NAN, NAN, NAN)])
def test_a_nan_bound_fails_the_bounds_check(bounds):
    # 'b > worst' skipped a NaN bound: with every bound NaN the largest stayed -inf, a pass
    labels = ("a", "b", "c")
    check = bounds_check(
        labels,
        {lab: {} for lab in labels},
        lambda k, rec: bounds[k],
        0.0,
        1e-6,
        noun="follower action",
        subject="follower action",
        how="test",
    )
    assert not check.passed
    assert math.isnan(check.residual)


def test_the_bounds_check_still_takes_the_largest_finite_bound():
    labels = ("a", "b", "c")
    vals = (-np.inf, 2.0, 1.0)

    def run(value):
        return bounds_check(
            labels,
            {lab: {} for lab in labels},
            lambda k, rec: vals[k],
            value,
            1e-6,
            noun="follower action",
            subject="follower action",
            how="test",
        )

    assert run(2.0).passed
    assert not run(1.5).passed and "'b'" in run(1.5).detail


def test_an_overflowing_normal_form_record_gives_no_bound():
    # y * B = 1e308 * 2 overflows to inf while B_k * sum(y) stays finite: the float bound is
    # -inf where the exact one is -1e308; a -inf bound would say "never a best response"
    from stackopt.kinds.normal_form.checks import _record_bound
    from stackopt.kinds.normal_form.game import NormalFormGame

    game = NormalFormGame(np.array([[0.0, 0.0]]), np.array([[1.0, 2.0]]))
    with pytest.raises(ValueError, match="no finite bound"):
        _record_bound(game, 0, {"multipliers": {game.follower_actions[1]: 1e308}}, 1e-6)
    assert _record_bound(game, 0, {"multipliers": {game.follower_actions[1]: 1.0}}, 1e-6) == -1.0


def test_a_nan_bayesian_follower_value_error_fails():
    # a NaN error |reported - x C_j| (a NaN in x @ C, e.g. inf - inf at payoffs near 1e308)
    # was skipped by 'err > worst', so the check passed with worst 0
    from stackopt.kinds.bayesian.checks import _follower_values
    from stackopt.kinds.bayesian.game import BayesianGame, FollowerType

    types = tuple(FollowerType(name, 0.5, np.zeros((2, 1)), np.ones((2, 1))) for name in ("a", "b"))
    game = BayesianGame(("u", "d"), types)
    reported = {"a": 1.0, "b": 1.0}
    assert _follower_values(game, np.array([1.0, 0.0]), [0, 0], reported, 1e-6).passed
    assert not _follower_values(game, np.array([NAN, 0.0]), [0, 0], reported, 1e-6).passed


def test_a_nan_attacker_value_in_a_result_object_fails():
    # stackopt.verify on a Result (not a file): the builtin max over the per-type errors
    # dropped a NaN that was not first, so a NaN value of the second type passed (9934c2a)
    import dataclasses
    from pathlib import Path

    import stackopt

    game = stackopt.load_game(
        Path(__file__).resolve().parent.parent / "data" / "security" / "two_attacker_types.yaml"
    )
    result = stackopt.solve(game)
    values = dict(result.follower.value)
    values[list(values)[-1]] = NAN
    forged = dataclasses.replace(
        result, follower=dataclasses.replace(result.follower, value=values)
    )
    assert stackopt.verify(game, result).passed
    assert not stackopt.verify(game, forged).check("follower_value").passed


def test_a_nan_policy_value_keeps_the_mdp_enumeration_nan(monkeypatch):
    # the builtin max over the leader's value per follower line dropped a NaN (an overflowed
    # policy value), so the enumerated supremum ignored that policy
    from pathlib import Path

    import stackopt
    from stackopt.kinds.mdp import enumeration

    game = stackopt.load_game(
        Path(__file__).resolve().parent.parent / "data" / "mdp" / "chain.yaml"
    )
    sup, n = enumeration.supremum(game)
    assert math.isfinite(sup) and n > 1
    forward = enumeration._forward

    def with_a_nan(*args, **kwargs):
        vals = forward(*args, **kwargs).copy()
        vals[1:, -1] = NAN  # every policy's leader value but the first
        return vals

    monkeypatch.setattr(enumeration, "_forward", with_a_nan)
    assert math.isnan(enumeration.supremum(game)[0])


def test_a_nan_row_violation_fails_bilevel_feasibility(monkeypatch):
    # the rows' violation (a NaN body: inf - inf at coefficients near 1e308) came second in a
    # builtin max, which dropped it: leader and follower feasibility passed
    from pathlib import Path

    import stackopt
    from stackopt.kinds.bilevel import checks

    problem = stackopt.load_game(
        Path(__file__).resolve().parent.parent / "data" / "bilevel" / "bard.yaml"
    )
    x, y = np.array([4.0]), np.array([4.0])  # the optimum (Bard 1998, example 5.1.1)
    names = ("commitment", "follower_feasible")
    assert all(checks.certify(problem, x, y, None, None).check(n).passed for n in names)
    real, calls = checks.row_violation, iter(range(4))

    def rows_nan(*args):  # calls 1 and 3 are the leader's and the follower's rows
        return NAN if next(calls, 0) % 2 else real(*args)

    monkeypatch.setattr(checks, "row_violation", rows_nan)
    cert = checks.certify(problem, x, y, None, None)
    assert not any(cert.check(n).passed for n in names)


def test_an_overflowing_record_is_not_proved_exactly():
    # 1e308 + 1e308 = inf multipliers made every row of the float screen of the exact bound
    # NaN, and 'val + slack > v' dropped NaN rows: none was summed in fractions, so the 'exact'
    # check "proved in rational arithmetic" a commitment worth 1 in a game worth 4 (9934c2a)
    from stackopt.checks.exact import exact_certificate
    from stackopt.kinds.normal_form.game import NormalFormGame

    game = NormalFormGame(
        np.array([[0.0, 0.0, 0.0], [6.0, 1.0, 0.0]]),
        np.array([[2.0, 0.0, 4.0], [2.0, 3.0, -1.0]]),
        leader_actions=("U", "D"),
        follower_actions=("a", "b", "c"),
    )
    bounds = {"b": {"multipliers": {}}, "c": {"multipliers": {}}}
    honest = {**bounds, "a": {"multipliers": {"b": 1.0}}}  # bound 6 > 1: 'a' does better
    forged = {**bounds, "a": {"multipliers": {"b": 1e308, "c": 1e308}}}
    for records in (honest, forged):
        check, _ = exact_certificate(game, {"U": 0.0, "D": 1.0}, "b", records)
        assert not check.passed and "'a'" in check.detail


def test_a_nan_value_misses_the_exact_value_in_the_asserts():
    # 'err > tol' let a NaN reported value match the exact rational value
    from stackopt.certificate import Certificate
    from stackopt.testing.asserts import _exact_value_checks

    cert = Certificate((), evidence={"exact": {"leader_value": "1/3"}})
    assert _exact_value_checks(cert, {"leader": {"value": 1 / 3}}) == []
    (check,) = _exact_value_checks(cert, {"leader": {"value": NAN}})
    assert check.name == "leader_value" and not check.passed


def test_a_nan_margin_fails_the_strict_commitment_check():
    # at xs = (1/2, 1/2) the follower is exactly indifferent between 'a' and 'c' (margin 0),
    # but xs @ (B_a - B_c) = inf - inf = NaN in floats; the builtin min over the margins
    # dropped it after the margin inf against 'b', so 'a' passed as the unique best response
    from stackopt.kinds.normal_form.checks_pessimistic import _strict_check
    from stackopt.kinds.normal_form.game import NormalFormGame

    big = 1e308
    game = NormalFormGame(
        np.zeros((2, 3)),
        np.array([[big, -big, -big], [-big, -1.7e308, big]]),
        follower_actions=("a", "b", "c"),
    )
    half = {lab: 0.5 for lab in game.leader_actions}
    ev = {"strict": {"commitment": half, "response": "a"}, "epsilon_abs": 0.0}
    assert not _strict_check(game, ev, 0.0, 1e-6, 1e-6 * big).passed


def test_a_nan_follower_payoff_gives_no_pessimistic_value():
    # the adversarial response over an empty near-best set was action 0, whatever it pays:
    # the attainment check compared the supremum with that arbitrary payoff
    from stackopt.kinds.normal_form.checks_pessimistic import pessimistic_value
    from stackopt.kinds.normal_form.game import NormalFormGame

    game = NormalFormGame(np.array([[9.0, 0.0], [9.0, 0.0]]), np.array([[0.0, 1.0], [0.0, 1.0]]))
    assert pessimistic_value(game, np.array([0.5, 0.5]), 1e-6) == 0.0
    with np.errstate(invalid="ignore"):  # x B = (inf * 0 = NaN, inf), x A = (inf, NaN)
        assert math.isnan(pessimistic_value(game, np.array([np.inf, 0.0]), 1e-6))


def test_a_nan_commitment_value_keeps_the_pure_mdp_optimum_nan(monkeypatch):
    # 'max(best, v)' / 'max(bound, b)' dropped a NaN value of one pure commitment (W
    # overflowed), in the certificate's enumeration and in the solve verify re-derives with
    from stackopt.kinds.mdp import dp
    from stackopt.kinds.mdp.checks import pure_optimum
    from stackopt.kinds.mdp.solve import _enumerate
    from tests.mdp.helpers import random_game

    game = random_game(900, S=2, A=2, L=2, K=0, H=2, leader_transitions=True)
    assert math.isfinite(pure_optimum(game, 1e-9))
    real, calls = dp.optimistic, iter(range(10**6))

    def nan_for_the_second_commitment(*args):
        pol, W = real(*args)
        return pol, W * NAN if next(calls) in (1, 2, 3) else W

    monkeypatch.setattr(dp, "optimistic", nan_for_the_second_commitment)
    assert math.isnan(pure_optimum(game, 1e-9))  # call 1: the second of four commitments
    calls = iter(range(10**6))  # _enumerate: two calls per commitment (bound, value)
    assert math.isnan(_enumerate(game, 1e-9, None, {})[2])


def test_a_nan_expected_payment_fails_the_incentives_check():
    # 'paid - budget > worst' skipped a NaN payment (x @ V = inf - inf): within budget
    from pathlib import Path

    import stackopt
    from stackopt.kinds.incentive.checks import _incentives_check

    game = stackopt.load_game(
        Path(__file__).resolve().parent.parent / "data" / "incentive" / "safety_subsidy_budget.yaml"
    )
    assert game.incentives.budget is not None
    V = np.zeros(game.shape)
    assert _incentives_check(game, V, 0.0, 1e-6).passed
    assert not _incentives_check(game, V, NAN, 1e-6).passed
