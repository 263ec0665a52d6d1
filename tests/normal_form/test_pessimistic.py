"""Pessimistic (weak) Stackelberg: supremum, attainment, strict commitment.

Checked against an exact rational oracle for games with two leader actions
(``stackopt.testing.oracles.bayesian``) and a fine grid.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from stackopt import NormalFormGame, solve_sse, verify_sse
from stackopt.errors import InputError, UnsupportedError
from stackopt.kinds.bayesian.game import BayesianGame
from stackopt.kinds.bayesian.solve import solve_bayesian, verify_bayesian
from stackopt.kinds.normal_form.pessimistic import solve_weak_sse
from stackopt.status import Status
from stackopt.testing.oracles.bayesian import weak_exact_two_actions


def pessimistic_value(A, B, x, tol=1e-12):
    fu, lu = x @ B, x @ A
    near = fu >= fu.max() - tol
    return float(lu[near].min())


def test_classic_unattained():
    # Strong SSE 3.5 at x = (1/2, 1/2) needs the follower to break its tie towards R.
    g = NormalFormGame(
        np.array([[2.0, 4], [1, 3]]), np.array([[1.0, 0], [0, 1]]), ("U", "D"), ("L", "R")
    )
    assert solve_sse(g).leader.value == pytest.approx(3.5)
    r = solve_sse(g, tie_break="adversarial")
    assert r.method == "weak_multiple_lps"
    assert r.status is Status.NOT_ATTAINED and not r.certified
    assert r.stats["supremum"] == pytest.approx(3.5, abs=1e-9)
    assert r.stats["attained"] is False
    assert r.certificate.passed, r.certificate.summary()
    x = np.array([r.leader.commitment["U"], r.leader.commitment["D"]])
    # the reported commitment induces R strictly and is within epsilon of the supremum
    assert x @ g.B[:, 1] - x @ g.B[:, 0] > 1e-6
    assert 3.5 - 1e-3 * 4 - 1e-9 <= r.leader.value < 3.5
    assert r.leader.value == pytest.approx(pessimistic_value(g.A, g.B, x))
    assert "NOT attained" in r.message
    assert verify_sse(g, r.to_dict()).passed


def test_attained_at_unique_response():
    # Leader's best pure action U makes L the strict best response: nothing depends on ties.
    g = NormalFormGame(np.array([[5.0, 0], [0, 1]]), np.array([[2.0, 0], [0, 1]]))
    r = solve_weak_sse(g)
    assert r.status is Status.OPTIMAL and r.certified
    assert r.leader.value == pytest.approx(5.0)
    assert r.stats["attained"] is True


def test_attained_with_harmless_tie():
    # Both follower actions give the leader the same at the tie: the supremum is attained.
    g = NormalFormGame(np.array([[1.0, 1], [0, 0]]), np.array([[0.0, 0], [1, 0]]))
    r = solve_weak_sse(g)
    assert r.status is Status.OPTIMAL and r.certified, r.message
    assert r.leader.value == pytest.approx(1.0)


def test_weak_never_exceeds_strong_and_tie_rule_recorded():
    g = NormalFormGame(np.array([[2.0, 4], [1, 3]]), np.array([[1.0, 0], [0, 1]]))
    strong = solve_sse(g)
    weak = solve_sse(g, tie_break="adversarial")
    assert weak.stats["supremum"] <= strong.leader.value + 1e-9
    assert weak.options["tie_break"] == "adversarial"
    assert weak.certificate.tie_break.value == "adversarial"


def _check_against_oracle(A, B, r, sup, attained, scale):
    assert r.stats["supremum"] == pytest.approx(float(sup), abs=1e-6 * scale)
    assert r.stats["attained"] is attained
    assert r.certificate.passed, r.certificate.summary()
    assert (r.status is Status.OPTIMAL) is attained
    assert r.leader.value <= float(sup) + 1e-6 * scale
    assert r.leader.value >= float(sup) - 1e-3 * scale - 1e-6 * scale


@pytest.mark.parametrize("seed", range(40))
def test_random_2x2_against_exact_oracle_and_grid(seed):
    rng = np.random.default_rng(seed)
    A = rng.integers(-3, 4, size=(2, 2))
    B = rng.integers(-2, 3, size=(2, 2))
    g = NormalFormGame(A.astype(float), B.astype(float))
    r = solve_weak_sse(g)
    sup, attained = weak_exact_two_actions([A.tolist()], [B.tolist()], [Fraction(1)])
    scale = float(np.abs(A).max()) or 1.0
    _check_against_oracle(A, B, r, sup, attained, scale)
    # grid: no commitment beats the supremum, and the grid gets close to it
    ps = np.linspace(0, 1, 2001)
    vals = [pessimistic_value(g.A, g.B, np.array([p, 1 - p])) for p in ps]
    assert max(vals) <= r.stats["supremum"] + 1e-9
    assert max(vals) >= r.stats["supremum"] - 2 * np.abs(A).max() * (ps[1] - ps[0]) - 1e-9


@pytest.mark.parametrize("seed", range(15))
def test_random_2xn_against_exact_oracle(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(2, 5))
    A = rng.integers(-3, 4, size=(2, n))
    B = rng.integers(-2, 3, size=(2, n))
    g = NormalFormGame(A.astype(float), B.astype(float))
    r = solve_weak_sse(g)
    sup, attained = weak_exact_two_actions([A.tolist()], [B.tolist()], [Fraction(1)])
    _check_against_oracle(A, B, r, sup, attained, float(np.abs(A).max()) or 1.0)


@pytest.mark.parametrize("seed", range(12))
def test_bayesian_pessimistic_against_exact_oracle(seed):
    rng = np.random.default_rng(500 + seed)
    sizes = [int(k) for k in rng.integers(2, 4, size=int(rng.integers(2, 4)))]
    R = [rng.integers(-3, 4, size=(2, n)) for n in sizes]
    C = [rng.integers(-2, 3, size=(2, n)) for n in sizes]
    q = [Fraction(int(k)) for k in rng.integers(1, 4, size=len(sizes))]
    pri = [v / sum(q) for v in q]
    game = BayesianGame.from_matrices(
        [r.astype(float) for r in R], [c.astype(float) for c in C], [float(p) for p in pri]
    )
    r = solve_bayesian(game, tie_break="adversarial")
    assert r.method == "harsanyi_weak_lps"
    sup, attained = weak_exact_two_actions([x.tolist() for x in R], [c.tolist() for c in C], pri)
    _check_against_oracle(None, None, r, sup, attained, game.leader_scale)
    assert verify_bayesian(game, r.to_dict()).passed
    # each positive-prior type's response is its unique best response at the commitment
    if r.status is Status.NOT_ATTAINED:
        x = np.array([r.leader.commitment[a] for a in game.leader_actions])
        for t in game.types:
            u = x @ t.C
            j = t.actions.index(r.follower.response[t.name])
            others = [
                k for k in range(len(u)) if k != j and not np.array_equal(t.C[:, k], t.C[:, j])
            ]
            assert all(u[j] - u[k] > 0 for k in others)


def test_independent_followers_pessimistic_weighted():
    from stackopt import load_game

    game = load_game("data/bayesian/two_regions.yaml")
    r = solve_bayesian(game, tie_break="adversarial")
    assert r.status is Status.NOT_ATTAINED
    assert r.stats["supremum"] == pytest.approx(-5.6, abs=1e-6)
    assert -5.6 - 1e-3 * 10 * 4 <= r.leader.value < -5.6
    assert verify_bayesian(game, r.to_dict()).passed


def test_tampered_weak_result_fails_verification():
    g = NormalFormGame(np.array([[2.0, 4], [1, 3]]), np.array([[1.0, 0], [0, 1]]))
    data = solve_sse(g, tie_break="adversarial").to_dict()
    data["certificate"]["evidence"]["supremum"] = 3.0  # understating the supremum
    assert not verify_sse(g, data).passed
    data = solve_sse(g, tie_break="adversarial").to_dict()
    data["leader"]["commitment"] = {"a0": 0.5, "a1": 0.5}  # the tie point: follower plays L
    assert not verify_sse(g, data).passed


def test_bad_options():
    g = NormalFormGame(np.array([[2.0, 4], [1, 3]]), np.array([[1.0, 0], [0, 1]]))
    with pytest.raises(UnsupportedError):
        solve_sse(g, tie_break="adversarial", pure=True)
    with pytest.raises(InputError, match="tie_break"):
        solve_sse(g, tie_break="optimistic")
    with pytest.raises(InputError, match="epsilon"):
        solve_weak_sse(g, epsilon=0.0)


def test_cli_tie_break(tmp_path, inspection_file):
    from stackopt.cli import main

    out = tmp_path / "r.json"
    assert (
        main(["solve", str(inspection_file), "--tie-break", "adversarial", "--out", str(out)]) == 1
    )  # not attained: no equilibrium claimed
    assert main(["verify", str(inspection_file), str(out)]) == 0
    assert main(["solve", str(inspection_file), "--tie-break", "leader"]) == 0


def test_supremum_evidence_records_are_rechecked():
    rng = np.random.default_rng(8)
    A = rng.uniform(size=(4, 8))
    B = rng.uniform(size=(4, 8))
    B[:, 7] = B[:, 6] - 0.1  # action 7 is dominated by action 6: never uniquely best
    g = NormalFormGame(A, B)
    r = solve_weak_sse(g)
    assert r.certificate.passed
    data = r.to_dict()
    classes = data["certificate"]["evidence"]["classes"]
    outcomes = {rec["outcome"] for rec in classes.values()}
    assert "never_unique" in outcomes
    # a false domination claim is caught
    data["certificate"]["evidence"]["classes"]["b7"] = {
        "outcome": "never_unique",
        "members": ["b7"],
        "dominated_by": {"b0": 1.0},
    }
    data["certificate"]["evidence"]["classes"]["b0"]["outcome"] = "never_unique"
    data["certificate"]["evidence"]["classes"]["b0"]["dominated_by"] = {"b1": 1.0}
    assert not verify_sse(g, data).check("supremum").passed
    # a missing class is caught
    data = r.to_dict()
    data["certificate"]["evidence"]["classes"].pop("b3")
    assert not verify_sse(g, data).check("supremum").passed
