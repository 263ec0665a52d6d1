"""The rational-arithmetic certificate (stackopt.checks.exact) against exact oracles."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from stackopt import NormalFormGame, solve_sse, verify
from stackopt.checks.exact import exact_certificate, to_fraction
from stackopt.testing.oracles import CASES, pure_commitment_values, sse_vertex_enumeration


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_catalogue_values_are_proved_exactly(case):
    r = solve_sse(case.game(), exact=True)
    assert r.certified, r.certificate.summary()
    ex = r.certificate.evidence["exact"]
    assert Fraction(ex["leader_value"]) == case.value
    assert r.certificate.check("exact").passed


@pytest.mark.parametrize("seed", range(12))
def test_random_integer_games_match_vertex_enumeration_exactly(seed):
    rng = np.random.default_rng(seed)
    m, n = rng.integers(2, 5), rng.integers(2, 5)
    A = rng.integers(-5, 6, (m, n))
    B = rng.integers(-5, 6, (m, n))
    r = solve_sse(NormalFormGame(A, B), exact=True)
    oracle = sse_vertex_enumeration(A.tolist(), B.tolist())
    check = r.certificate.check("exact")
    assert check.passed, check.detail
    assert Fraction(r.certificate.evidence["exact"]["leader_value"]) == oracle.value


@pytest.mark.parametrize("seed", range(6))
def test_pure_exact_matches_enumeration(seed):
    rng = np.random.default_rng(100 + seed)
    A = rng.integers(-3, 4, (4, 3))
    B = rng.integers(-3, 4, (4, 3))
    r = solve_sse(NormalFormGame(A, B), pure=True, exact=True)
    assert r.certificate.check("exact").passed
    assert Fraction(r.certificate.evidence["exact"]["leader_value"]) == max(
        pure_commitment_values(A.tolist(), B.tolist())
    )


def test_decimals_are_read_as_written():
    assert to_fraction(0.1) == Fraction(1, 10)
    g = NormalFormGame([[0.1, 0.0], [0.0, 0.3]], [[0.2, 0.0], [0.0, 0.1]])
    r = solve_sse(g, exact=True)
    assert r.certificate.check("exact").passed
    oracle = sse_vertex_enumeration(
        [[Fraction(1, 10), 0], [0, Fraction(3, 10)]], [[Fraction(2, 10), 0], [0, Fraction(1, 10)]]
    )
    assert Fraction(r.certificate.evidence["exact"]["leader_value"]) == oracle.value


def test_a_suboptimal_commitment_fails_exactly():
    case = CASES[0]  # inspection: optimum at P(inspect) = 5/14
    g = case.game()
    r = solve_sse(g)
    # a feasible but suboptimal commitment (inspect more often than needed)
    check, _ = exact_certificate(
        g, {"inspect": 0.5, "skip": 0.5}, "legal", r.certificate.evidence["bounds"]
    )
    assert not check.passed


def test_verify_rechecks_exact_evidence_and_catches_a_wrong_response():
    g = CASES[0].game()
    r = solve_sse(g, exact=True)
    assert verify(g, r).check("exact").passed
    bad = r.to_dict()
    bad["follower"]["response"] = "violate"
    cert = verify(g, bad)
    assert not cert.passed
    assert not cert.check("exact").passed


def test_exact_proof_survives_float_noise_on_larger_decimal_games():
    rng = np.random.default_rng(7)
    A = rng.standard_normal((40, 40)).round(3)
    B = (-0.9 * A + 0.4 * rng.standard_normal((40, 40))).round(3)
    r = solve_sse(NormalFormGame(A, B), exact=True)
    check = r.certificate.check("exact")
    assert check.passed, check.detail
    assert (
        abs(float(Fraction(r.certificate.evidence["exact"]["leader_value"])) - r.leader.value)
        < 1e-9
    )
