"""Incentive games: the solver against independent references (tests/incentive/oracle.py).

References: scipy ``linprog`` on every LP(j) written over the full incentive variables, the
closed form of pure commitments (minimal payment ``max_k B[i,k] - B[i,j]``), a grid over the
commitment for 2 x n games, and hand-derived values of the bundled examples.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stackopt import load_game, solve, verify
from stackopt.kinds.incentive.game import IncentiveGame, Incentives
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.testing.oracles.incentive import grid_value, linprog_value, pure_value

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "incentive"


def make(A, B, **inc) -> IncentiveGame:
    return IncentiveGame(
        NormalFormGame(np.asarray(A, float), np.asarray(B, float)), Incentives(**inc)
    )


def _options(rng: np.random.Generator, n: int) -> dict:
    opts: dict = {
        "max": float(rng.choice([0.0, 0.5, 1.0, 3.0])),
        "cost_weight": float(rng.choice([0.0, 0.5, 1.0, 2.0])),
    }
    if rng.random() < 0.4:
        opts["budget"] = float(rng.choice([0.25, 0.8, 2.0]))
    if rng.random() < 0.4:
        k = int(rng.integers(1, n + 1))
        opts["actions"] = tuple(f"b{i}" for i in sorted(rng.choice(n, k, replace=False)))
    opts["contract"] = str(rng.choice(["uniform", "per_action"]))
    return opts


def _oracle_kwargs(opts: dict, n: int) -> dict:
    acts = opts.get("actions")
    payable = None if acts is None else [f"b{k}" in acts for k in range(n)]
    return {
        "vmax": opts["max"],
        "cost": opts["cost_weight"],
        "budget": opts.get("budget"),
        "payable": payable,
    }


@pytest.mark.parametrize("seed", range(40))
def test_random_games_match_linprog_over_the_full_lps(seed):
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(1, 5)), int(rng.integers(1, 6))
    A = rng.integers(-5, 6, (m, n)).astype(float)
    B = rng.integers(-5, 6, (m, n)).astype(float)
    opts = _options(rng, n)
    game = make(A, B, **opts)
    res = solve(game)
    assert res.certified, res.certificate.summary()
    ref, _ = linprog_value(A, B, contract=opts["contract"], **_oracle_kwargs(opts, n))
    assert res.leader.value == pytest.approx(ref, abs=1e-7)
    assert verify(game, res.to_dict()).passed
    # the value of incentives is measured against the plain game's SSE
    plain, _ = linprog_value(A, B, vmax=0.0, cost=0.0)
    assert res.stats["value_without_incentives"] == pytest.approx(plain, abs=1e-7)
    assert res.stats["value_of_incentives"] == pytest.approx(ref - plain, abs=1e-7)
    assert res.stats["value_of_incentives"] >= -1e-7  # paying nothing is always allowed


@pytest.mark.parametrize("seed", range(12))
def test_pyomo_engine_agrees(seed):
    rng = np.random.default_rng(100 + seed)
    m, n = int(rng.integers(2, 4)), int(rng.integers(2, 5))
    A = rng.normal(size=(m, n))
    B = rng.normal(size=(m, n))
    opts = _options(rng, n)
    game = make(A, B, **opts)
    a, b = solve(game), solve(game, engine="pyomo")
    assert a.certified and b.certified, (a.certificate.summary(), b.certificate.summary())
    assert a.leader.value == pytest.approx(b.leader.value, abs=1e-7)


@pytest.mark.parametrize("seed", range(25))
def test_pure_commitments_match_the_closed_form(seed):
    rng = np.random.default_rng(200 + seed)
    m, n = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    A = rng.integers(-4, 5, (m, n)).astype(float)
    B = rng.integers(-4, 5, (m, n)).astype(float)
    opts = _options(rng, n)
    game = make(A, B, **opts)
    res = solve(game, pure=True)
    assert res.certified, res.certificate.summary()
    assert res.method == "pure_commitment"
    assert res.leader.value == pytest.approx(pure_value(A, B, **_oracle_kwargs(opts, n)))
    # the payment is the minimal one that makes the response a best response
    i = game.leader_index(max(res.leader.commitment, key=res.leader.commitment.get))
    j = game.follower_index(res.follower.response)
    assert res.leader.payment == pytest.approx(B[i].max() - B[i, j])
    # mixed commitments never do worse than pure ones
    assert solve(game).leader.value >= res.leader.value - 1e-9


def test_pure_closed_form_by_hand():
    # row 0: follower prefers b1 by 2; paying 2 on b0 gives the leader 10 - 2 = 8
    game = make([[10, 0], [1, 3]], [[0, 2], [0, 0]], max=2.0, cost_weight=1.0)
    res = solve(game, pure=True)
    assert res.leader.value == pytest.approx(8.0)
    assert res.follower.response == "b0" and res.leader.payment == pytest.approx(2.0)
    assert res.leader.incentives == {"b0": 2.0, "b1": 0.0}
    # with max 1.5 the payment is not affordable: best is row 1, b0 or b1 (ties) -> 3
    res = solve(make([[10, 0], [1, 3]], [[0, 2], [0, 0]], max=1.5), pure=True)
    assert res.leader.value == pytest.approx(3.0) and res.leader.payment == 0.0


@pytest.mark.parametrize("seed", range(15))
def test_two_by_n_games_match_a_grid(seed):
    rng = np.random.default_rng(300 + seed)
    n = int(rng.integers(2, 6))
    A = rng.uniform(-3, 3, (2, n))
    B = rng.uniform(-3, 3, (2, n))
    opts = {"max": float(rng.choice([0.5, 1.0])), "cost_weight": float(rng.choice([0.5, 1.0]))}
    if seed % 3 == 0:
        opts["budget"] = 0.3
    game = make(A, B, **opts)
    res = solve(game)
    assert res.certified
    kw = _oracle_kwargs(opts, n)
    grid = grid_value(A, B, **kw)
    # the grid is a lower bound, within the grid's resolution of the optimum
    assert res.leader.value >= grid - 1e-9
    lip = np.abs(A).max() * 2 + kw["cost"] * np.abs(B).max() * 4
    assert res.leader.value <= grid + lip / 2000 + 1e-9


def test_per_action_contracts_reach_the_uniform_value():
    """Documented property: the follower only sees expected transfers, so per-action
    contracts give the same optimum as uniform ones (checked against linprog's per-action
    LPs, written independently)."""
    rng = np.random.default_rng(7)
    for _ in range(10):
        A = rng.normal(size=(3, 4))
        B = rng.normal(size=(3, 4))
        u = solve(make(A, B, max=0.7, budget=0.5)).leader.value
        p = solve(make(A, B, max=0.7, budget=0.5, contract="per_action"))
        assert p.certified
        ref, _ = linprog_value(A, B, vmax=0.7, budget=0.5, contract="per_action")
        assert p.leader.value == pytest.approx(ref, abs=1e-7)
        assert u == pytest.approx(ref, abs=1e-7)


def test_an_action_no_affordable_incentive_induces_is_certified_by_domination():
    # b1 is worse than b0 by 3 everywhere; at most 1 can be paid: b1 is never a best response
    game = make([[0, 9], [1, 9]], [[3, 0], [4, 1]], max=1.0)
    res = solve(game, prune=False)
    assert res.certified and res.leader.value == pytest.approx(1.0)
    rec = res.certificate.evidence["bounds"]["b1"]
    assert rec["outcome"] == "infeasible" and "dominated_by" in rec
    assert rec["margin"] == pytest.approx(3.0)
    # a forged or malformed dominating mixture fails the optimality check, naming the record
    for forged, why in [
        ({"b1": 1.0}, "distribution over other actions"),
        ({"b0": "1"}, "is not a finite number"),
        ({"b0": float("nan")}, "is not a finite number"),
        ([1.0], "must map follower actions"),
    ]:
        data = res.to_dict()
        data["certificate"]["evidence"]["bounds"]["b1"]["dominated_by"] = forged
        check = verify(game, data).check("optimality")
        assert not check.passed and "'b1'" in check.detail and why in check.detail, check.detail
    # with max 3.5 it becomes inducible: pay 3 in row 1 -> 9 - 3 = 6
    res = solve(make([[0, 9], [1, 9]], [[3, 0], [4, 1]], max=3.5))
    assert res.leader.value == pytest.approx(6.0)


# -- the bundled examples: the paper's claim ------------------------------------------------
def test_incentives_that_only_benefit_the_follower_raise_the_leaders_utility():
    """Paper section 4.1: 'additional incentives that only benefit the follower can actually
    improve the leader's total utility in equilibrium'. Hand derivation (docs/incentive.md):
    without incentives the regulator inspects w.p. 1/2 (value -3/2); paying 1 for safe
    deployment lets it trust (value -1)."""
    game = load_game(DATA / "safety_subsidy.yaml")
    res = solve(game)
    assert res.certified
    assert res.leader.value == pytest.approx(-1.0)
    assert res.leader.commitment["trust"] == pytest.approx(1.0)
    assert res.leader.incentives == {"safe": pytest.approx(1.0)}
    assert res.leader.payment == pytest.approx(1.0)
    assert res.follower.response == "safe"
    plain = solve(game.base)  # the same game without incentives
    assert plain.leader.value == pytest.approx(-1.5)
    assert res.stats["value_without_incentives"] == pytest.approx(-1.5)
    assert res.stats["value_of_incentives"] == pytest.approx(0.5)
    # the follower gains too (0 -> 1): the incentive only benefits it, yet the leader gains
    assert res.follower.value > plain.follower.value


def test_budgeted_per_action_example():
    game = load_game(DATA / "safety_subsidy_budget.yaml")
    res = solve(game)
    assert res.certified
    assert res.leader.value == pytest.approx(-1.25)
    assert res.leader.payment == pytest.approx(0.5)
    assert res.leader.commitment["inspect"] == pytest.approx(0.25)
    ref, _ = linprog_value(
        game.A, game.B, vmax=1.0, budget=0.5, payable=[True, False], contract="per_action"
    )
    assert res.leader.value == pytest.approx(ref)
    assert set(res.leader.incentives) == {"inspect", "trust"}


def test_table_line_names_incentives_and_their_value():
    res = solve(load_game(DATA / "safety_subsidy.yaml"))
    assert res.message == (
        "incentives: safe 1; expected payment 1; value of incentives +0.5 (without incentives -1.5)"
    )


@pytest.mark.slow
def test_benchmark_quick_run_is_certified():
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "incentive.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert "all certificates passed: True" in proc.stdout
    for line in proc.stdout.splitlines():
        if line.startswith(("uniform ", "anti ")):
            assert float(line.split()[-1]) < 1e-7  # uniform and per-action values agree
