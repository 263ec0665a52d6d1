"""The bundled example games in ``data/``: they load, solve with a passing certificate, and the
answers agree with independent computations (exact vertex enumeration, a scipy linprog loop, or
the published value). Also checks that ``models/`` regenerates the committed data files."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import stackopt.testing.oracles.normal_form as oracles
from stackopt import load_game, solve_sse, verify

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


SMALL = ["inspection.yaml", "inspection_csv.yaml", "inspection_long.csv",
         "inspection_matrix.csv", "commitment_beats_nash.yaml", "security_small.yaml",
         "governance_regulator_leads.yaml", "governance_firm_leads.yaml"]


@pytest.mark.parametrize("name", SMALL)
def test_small_example_matches_vertex_enumeration(name):
    game = load_game(DATA / name)
    res = solve_sse(game)
    assert res.certified, res.certificate.summary()
    exact = oracles.sse_vertex_enumeration(game.A, game.B)
    assert res.leader.value == pytest.approx(float(exact.value), abs=1e-9)
    assert verify(game, res.to_dict()).passed


def test_commitment_beats_nash_published_values():
    game = load_game(DATA / "commitment_beats_nash.yaml")
    res = solve_sse(game)
    assert res.leader.value == pytest.approx(3.5)
    assert res.follower.response == "right"
    nash = oracles.nash_leader_values(game.A, game.B)
    assert nash == pytest.approx([2.0])           # unique Nash equilibrium, leader gets 2


def test_inspection_forms_are_the_same_game():
    games = [load_game(DATA / n) for n in ("inspection.yaml", "inspection_csv.yaml",
                                           "inspection_long.csv", "inspection_matrix.csv")]
    for g in games[1:]:
        assert np.array_equal(g.A, games[0].A) and np.array_equal(g.B, games[0].B)
        assert g.leader_actions == games[0].leader_actions
        assert g.follower_actions == games[0].follower_actions


def test_governance_orders_of_play_are_one_game():
    reg = load_game(DATA / "governance_regulator_leads.yaml")
    firm = load_game(DATA / "governance_firm_leads.yaml")
    assert np.array_equal(reg.A, firm.B.T) and np.array_equal(reg.B, firm.A.T)
    assert reg.leader_name == firm.follower_name == "regulator"
    # swapping roles in the solver is the same as the firm-leads file
    swapped = solve_sse(reg, leader="firm")
    direct = solve_sse(firm)
    assert swapped.leader.value == pytest.approx(direct.leader.value, abs=1e-9)


def test_governance_payoffs_follow_the_documented_formulas():
    gov = _module(REPO / "models" / "governance.py", "models_governance")
    mu = np.array(gov.FIRM_STRATEGIES["frontier_race"])
    theta, p, a, e = gov.STANDARDS["strict"]
    # hand evaluation of the docstring's formulas for (strict, frontier_race)
    safety = mu[1:]
    revenue = 10 * 0.95 + 2 * safety.mean()
    cost = a + 1.5 * sum(theta * (1 - s) for s in safety)
    fine = p * 12 * sum(max(0.0, theta - s) for s in safety)
    harm = 6 * (0.25 * 0.55 + 0.15 * 0.80 + 0.20 * 0.60 + 0.15 * 0.65 + 0.25 * 0.60) + e
    reg, firm = gov.payoff_matrices(decimals=12)
    i, j = list(gov.STANDARDS).index("strict"), list(gov.FIRM_STRATEGIES).index("frontier_race")
    assert firm[i, j] == pytest.approx(revenue - cost - fine)
    assert reg[i, j] == pytest.approx(-harm)


def test_models_regenerate_committed_data(tmp_path):
    gov = _module(REPO / "models" / "governance.py", "models_governance")
    trav = _module(REPO / "models" / "traveler.py", "models_traveler")
    for leader, name in (("regulator", "governance_regulator_leads.yaml"),
                         ("firm", "governance_firm_leads.yaml")):
        gov.write(tmp_path / name, leader)
        assert (tmp_path / name).read_text() == (DATA / name).read_text(), name
    trav.write(tmp_path / "t.yaml")
    assert (tmp_path / "t.yaml").read_text() == (DATA / "travelers_dilemma_99.yaml").read_text()


@pytest.fixture(scope="module")
def traveler():
    return load_game(DATA / "travelers_dilemma_99.yaml")   # ~2-4 s of pure-Python YAML parsing


def test_traveler_payoffs_by_definition(traveler):
    game = traveler
    assert game.shape == (99, 99)
    for a in (2, 50, 100):
        for b in (2, 51, 100):
            u1 = a if a == b else (a + 2 if a < b else b - 2)
            u2 = b if a == b else (b + 2 if b < a else a - 2)
            assert game.A[a - 2, b - 2] == u1 and game.B[a - 2, b - 2] == u2


def test_travelers_dilemma_solves_and_matches_linprog(traveler):
    bench = _module(REPO / "benchmarks" / "run.py", "bench_run")
    game = traveler
    ref, _, _ = bench.linprog_loop(game.A.astype(float), game.B.astype(float), budget=60.0)
    res = solve_sse(game)
    assert res.certified, res.certificate.summary()
    assert res.leader.value == pytest.approx(ref, abs=1e-6)


def test_example_cli_exit_codes():
    for name in SMALL:
        proc = subprocess.run([sys.executable, "-m", "stackopt", "solve", str(DATA / name)],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, (name, proc.stderr)
