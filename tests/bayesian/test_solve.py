"""Bayesian Stackelberg solves checked against independent computations."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stackopt import NormalFormGame, solve_sse
from stackopt.errors import UnsupportedError
from stackopt.kinds.bayesian.game import BayesianGame, harsanyi_transform
from stackopt.kinds.bayesian.solve import solve_bayesian, verify_bayesian
from stackopt.status import Status
from stackopt.testing.oracles.bayesian import profile_enumeration


def random_game(rng, m, sizes, *, weights=None, integer=False):
    L = len(sizes)
    if integer:
        R = [rng.integers(-5, 6, size=(m, n)).astype(float) for n in sizes]
        C = [rng.integers(-5, 6, size=(m, n)).astype(float) for n in sizes]
    else:
        R = [np.round(rng.uniform(-10, 10, size=(m, n)), 3) for n in sizes]
        C = [np.round(rng.uniform(-10, 10, size=(m, n)), 3) for n in sizes]
    if weights is None:
        w = rng.uniform(0.1, 1.0, size=L)
        w = w / w.sum()
        mode = "types"
    else:
        w = np.asarray(weights, dtype=float)
        mode = "followers"
    return BayesianGame.from_matrices(R, C, list(w), mode=mode), R, C, list(w)


CASES = [
    (2, (2, 2)),
    (3, (2, 3)),
    (3, (3, 2, 2)),
    (4, (2, 2, 3)),
    (2, (3, 3, 3)),
    (4, (4,)),
    (3, (2, 2, 2, 2)),
]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("m,sizes", CASES)
def test_dobss_matches_profile_enumeration(seed, m, sizes):
    rng = np.random.default_rng(1000 * seed + 7 * m + len(sizes))
    game, R, C, w = random_game(rng, m, sizes, integer=(seed % 2 == 1))
    ref, _, _ = profile_enumeration(R, C, w)
    res = solve_bayesian(game)
    assert res.status is Status.OPTIMAL and res.method == "dobss"
    assert res.certified, res.certificate.summary()
    tol = 1e-6 * game.leader_scale
    assert res.leader.value == pytest.approx(ref, abs=tol)
    har = solve_bayesian(game, method="harsanyi")
    assert har.certified, har.certificate.summary()
    assert har.leader.value == pytest.approx(ref, abs=tol)
    assert set(res.follower.response) == set(game.type_names)


def test_one_type_equals_normal_form_sse():
    rng = np.random.default_rng(5)
    for _ in range(5):
        A = rng.integers(-9, 10, size=(3, 4)).astype(float)
        B = rng.integers(-9, 10, size=(3, 4)).astype(float)
        bg = BayesianGame.from_matrices([A], [B], [1.0], type_names=["only"])
        nf = solve_sse(NormalFormGame(A, B))
        for method in ("dobss", "harsanyi"):
            r = solve_bayesian(bg, method=method)
            assert r.certified
            assert r.leader.value == pytest.approx(nf.leader.value, abs=1e-6 * 9)


def test_independent_followers_weighted_sum():
    rng = np.random.default_rng(11)
    for _ in range(4):
        weights = list(rng.integers(1, 6, size=3).astype(float))
        game, R, C, _w = random_game(rng, 3, (2, 3, 2), weights=weights)
        ref, _, _ = profile_enumeration(R, C, weights)  # raw weights, no normalisation
        assert game.mode == "followers" and game.total_weight == pytest.approx(sum(weights))
        for method in ("dobss", "harsanyi"):
            r = solve_bayesian(game, method=method)
            assert r.certified, r.certificate.summary()
            assert r.leader.value == pytest.approx(ref, abs=1e-6 * 10 * sum(weights))


def test_patrol_example_and_json_verify(tmp_path):
    from stackopt import load_game

    game = load_game("data/bayesian/patrol.yaml")
    r = solve_bayesian(game)
    assert r.certified
    assert r.leader.value == pytest.approx(-1.125, abs=1e-9)
    data = json.loads(r.to_json())
    assert set(data["follower"]["response"]) == {"thief", "vandal"}
    assert verify_bayesian(game, data).passed
    # tampering is detected: a lower claimed value, or a response that is not a best response
    bad = dict(data, leader=dict(data["leader"], value=-1.0))
    cert = verify_bayesian(game, bad)
    assert not cert.passed and not cert.check("leader_value").passed
    bad = dict(
        data, follower=dict(data["follower"], response={"thief": "rob2", "vandal": "stay_home"})
    )
    assert not verify_bayesian(game, bad).passed
    # a MILP bound above the value must fail the optimality check
    ev = data["certificate"]["evidence"]
    ev["milp_bound"]["bound"] = -0.5
    assert not verify_bayesian(game, data).check("optimality").passed
    # ... also when written with the names used before 0.2 (evidence.milp.objective_bound)
    rec = ev.pop("milp_bound")
    ev["milp"] = {"objective_bound": rec.pop("bound"), **rec}
    assert not verify_bayesian(game, data).check("optimality").passed


def test_harsanyi_evidence_is_reproven():
    rng = np.random.default_rng(3)
    game, *_ = random_game(rng, 3, (2, 3))
    r = solve_bayesian(game, method="harsanyi")
    data = r.to_dict()
    assert verify_bayesian(game, data).passed
    # drop one profile's bound: the certificate can no longer prove optimality
    bounds = data["certificate"]["evidence"]["bounds"]
    bounds.pop(next(iter(bounds)))
    assert not verify_bayesian(game, data).check("optimality").passed


def test_harsanyi_transform_payoffs():
    R = [np.array([[1.0, 2], [3, 4]]), np.array([[0.0, 5], [1, 1]])]
    C = [np.array([[1.0, 0], [0, 1]]), np.array([[2.0, 0], [0, 2]])]
    game = BayesianGame.from_matrices(R, C, [0.25, 0.75], type_names=["a", "b"])
    h = harsanyi_transform(game)
    assert h.game.shape == (2, 4)
    col = h.game.follower_index("b1/b0")
    assert h.game.A[0, col] == pytest.approx(0.25 * 2 + 0.75 * 0)
    assert h.game.B[1, col] == pytest.approx(0.25 * 1 + 0.75 * 0)


def test_harsanyi_refuses_large_games():
    rng = np.random.default_rng(0)
    game, *_ = random_game(rng, 2, (3, 3, 3))
    with pytest.raises(UnsupportedError, match="27 response profiles"):
        solve_bayesian(game, method="harsanyi", max_profiles=20)
    with pytest.raises(UnsupportedError, match="strong"):
        solve_bayesian(game, method="dobss", tie_break="adversarial")


def test_zero_prior_type_still_best_responds():
    R = [np.array([[1.0, 0], [0, 1]]), np.array([[5.0, -5], [-5, 5]])]
    C = [np.array([[1.0, 0], [0, 2]]), np.array([[0.0, 1], [1, 0]])]
    game = BayesianGame.from_matrices(R, C, [1.0, 0.0], type_names=["real", "ghost"])
    for method in ("dobss", "harsanyi"):
        r = solve_bayesian(game, method=method)
        assert r.certified, r.certificate.summary()


def test_dobss_big_m_is_valid_and_tight():
    from stackopt.formulations.dobss import big_m

    rng = np.random.default_rng(9)
    for _ in range(20):
        Cm = rng.integers(-5, 6, size=(4, 3)).astype(float)
        M = big_m(Cm)
        # every commitment and best response k: a - x C_j <= M_j (checked on random x + vertices)
        xs = list(np.eye(4)) + list(rng.dirichlet(np.ones(4), size=200))
        for x in xs:
            u = x @ Cm
            assert np.all(u.max() - u <= M + 1e-12)
        # tight: some pure commitment needs exactly M_j
        need = (Cm.max(axis=1, keepdims=True) - Cm).max(axis=0)
        assert np.allclose(M, need)


def test_result_is_consistent_with_game():
    from stackopt.formulations.dobss import build_dobss

    rng = np.random.default_rng(21)
    game, *_ = random_game(rng, 3, (2, 2))
    model = build_dobss(game)
    assert len(model.q) == 4 and len(model.z) == 12


def test_dobss_stopped_early_claims_nothing(monkeypatch):
    """A DOBSS MILP that HiGHS does not finish gives an ``error`` result with no answer: empty
    commitment, no values, no certificate, the termination in the message, the stats kept."""
    from types import SimpleNamespace

    from pyomo.contrib.solver.common.results import TerminationCondition

    import stackopt.engines.highs as highs

    stopped = SimpleNamespace(termination_condition=TerminationCondition.maxTimeLimit)
    monkeypatch.setattr(highs, "solve_milp_exactly", lambda *a, **k: (stopped, 0.25))
    game, _, _, _ = random_game(np.random.default_rng(0), 3, (2, 3))
    res = solve_bayesian(game, method="dobss")
    assert res.status is Status.ERROR and res.kind == "bayesian" and res.method == "dobss"
    assert res.leader.commitment == {} and res.leader.value is None
    assert res.follower.response is None and res.certificate is None
    assert "maxTimeLimit" in res.message and "nothing is claimed" in res.message
    assert res.stats["highs_seconds"] == 0.25 and res.stats["types"] == 2
    assert res.options["method"] == "dobss" and not res.certified
