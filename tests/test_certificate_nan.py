"""A NaN residual fails its check: the residuals ``max(0, ...)`` of the certificates keep NaN
(the builtin ``max(0.0, nan)`` is ``0.0``, a pass) — defence in depth behind the checks that
refuse non-finite numbers in results."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stackopt.certificate import excess
from stackopt.checks.common import distribution_check, shortfall_check, tie_check

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
