"""The bundled example games in ``data/``: they load, solve with a passing certificate, and the
answers agree with independent computations (exact vertex enumeration, a scipy linprog loop, or
the published value). Also checks that ``models/`` regenerates the committed data files."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import stackopt.testing.oracles.normal_form as oracles
from stackopt import load_game, solve_sse, verify
from tests.grid_oracle import grid_value

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


SMALL = [
    "inspection.yaml",
    "inspection_csv.yaml",
    "inspection_long.csv",
    "inspection_matrix.csv",
    "commitment_beats_nash.yaml",
    "security_small.yaml",
    "governance_regulator_leads.yaml",
    "governance_firm_leads.yaml",
    "ai_race.yaml",
]


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
    assert nash == pytest.approx([2.0])  # unique Nash equilibrium, leader gets 2


def test_inspection_forms_are_the_same_game():
    games = [
        load_game(DATA / n)
        for n in (
            "inspection.yaml",
            "inspection_csv.yaml",
            "inspection_long.csv",
            "inspection_matrix.csv",
        )
    ]
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
    """Hand evaluation of models/governance.py's docstring (six-dimension defaults)."""
    gov = _module(REPO / "models" / "governance.py", "models_governance")
    reg, firm = gov.payoff_matrices(decimals=12)
    R, F = list(gov.REGULATOR_MENU), list(gov.FIRM_MENU)
    # race: x_P = 0.625 -> mu = (1, .4, .3, .4, .4, .4); revenue 4.09, spend 0.625
    # strict: tau .8, fine 5, shortfall .4+.5+.4+.4+.4 = 2.1 -> fines 10.5
    harm_race = 2 * (0.5 * 0.6 + 0.25 * 0.7 + 0.5 * 0.6 + 0.4 * 0.6 + 0.5 * 0.6) - 2 * 1.0
    enforcement_strict = 5 * (0.1 * 0.8 + 0.05 * 5)
    i, j = R.index("strict"), F.index("race")
    assert firm[i, j] == pytest.approx(4.09 - 0.625 - 10.5)
    assert reg[i, j] == pytest.approx(-(harm_race + enforcement_strict - 10.5))
    # basic: spend .625 + 1.175 = 1.8, mu = (1, .6 x5), revenue 3 + 2.8 x .6 = 4.68
    i, j = R.index("light"), F.index("basic")
    assert firm[i, j] == pytest.approx(4.68 - 1.8)  # no shortfall at tau .5
    assert reg[i, j] == pytest.approx(-(2 * 2.15 * 0.4 - 2 + 5 * (0.05 + 0.05)))
    # full_safety: spend 2.5, mu = (.72, .8 x5); under ban (licensing at .8) it deploys
    i, j = R.index("ban"), F.index("full_safety")
    assert firm[i, j] == pytest.approx(3 * 0.72 + 2.8 * 0.8 - 2.5)
    assert reg[i, j] == pytest.approx(-(2 * 2.15 * 0.2 - 2 * 0.72 + 5 * 0.1 * 0.8))
    # a banned system: no revenue, spend sunk; no harm, no value, enforcement only
    i, j = R.index("ban"), F.index("basic")
    assert firm[i, j] == pytest.approx(-1.8) and reg[i, j] == pytest.approx(-0.4)


def test_governance_both_orders_are_meaningful_brute_force():
    """The regulator's answer depends on the firm's plan (the old table always answered
    laissez_faire), and both orders' equilibria match a brute-force grid."""
    reg_game = load_game(DATA / "governance_regulator_leads.yaml")
    firm_game = load_game(DATA / "governance_firm_leads.yaml")
    # the regulator's best answer to each pure firm plan (brute force over the columns)
    answers = {
        a: firm_game.follower_actions[int(np.argmax(firm_game.B[i]))]
        for i, a in enumerate(firm_game.leader_actions)
    }
    assert answers == {"race": "strict", "basic": "strict", "full_safety": "ban"}
    reg, firm = solve_sse(reg_game), solve_sse(firm_game)
    assert reg.certified and firm.certified
    assert reg.follower.response == "basic" and firm.leader.commitment["full_safety"] == 1.0
    assert firm.follower.response == "ban"
    for game, res in ((reg_game, reg), (firm_game, firm)):
        grid = grid_value(game.A, game.B, 60)
        assert res.leader.value >= grid - 1e-9
        assert res.leader.value <= grid + 0.05
    # leading pays the regulator: 0.5346 as leader, 0.18 as follower
    assert reg.leader.value == pytest.approx(0.53461, abs=1e-4)
    assert firm.follower.value == pytest.approx(0.18)


def test_governance_incentive_version_and_ai_race():
    from stackopt import solve
    from stackopt.testing.oracles.incentive import linprog_value

    menu = load_game(DATA / "incentive" / "governance_menu.yaml")
    res = solve(menu)
    ref, _ = linprog_value(menu.A, menu.B, vmax=1.0, payable=[False, True, True])
    assert res.certified and res.leader.value == pytest.approx(ref, abs=1e-7)
    # with fines and a licensing ban available a subsidy adds nothing here (exactly 0)
    assert res.stats["value_of_incentives"] == pytest.approx(0.0, abs=1e-7)

    race = load_game(DATA / "ai_race.yaml")
    b, c, B, W, s, p = 4, 1, 1000, 100, 1.5, 0.6  # Han et al. (2020) payoffs by hand
    P = [
        [b / 2 - c + B / (2 * W), b / (s + 1) - c],
        [p * (s * B / W + s * b / (s + 1)), p * (s * B / (2 * W) + b / 2)],
    ]
    assert np.allclose(race.A, P) and np.allclose(race.B, np.transpose(P))
    r = solve_sse(race)
    assert r.follower.response == "AU" and r.leader.value == pytest.approx(5.7)

    sub = load_game(DATA / "incentive" / "ai_race_subsidy.yaml")
    res = solve(sub)
    assert res.certified
    assert res.leader.value == pytest.approx(12 - 4.44)
    assert res.leader.incentives == {"AS": pytest.approx(4.44)}
    assert res.stats["value_without_incentives"] == pytest.approx(6.04)
    assert res.stats["value_of_incentives"] == pytest.approx(1.52)
    ref, _ = linprog_value(sub.A, sub.B, vmax=5.0, payable=[True, False])
    assert res.leader.value == pytest.approx(ref, abs=1e-7)


def test_models_regenerate_committed_data(tmp_path):
    gov = _module(REPO / "models" / "governance.py", "models_governance")
    race = _module(REPO / "models" / "ai_race.py", "models_ai_race")
    trav = _module(REPO / "models" / "traveler.py", "models_traveler")
    for leader, name in gov.OUTPUTS:
        gov.write(tmp_path / "out.yaml", leader)
        assert (tmp_path / "out.yaml").read_text() == (DATA / name).read_text(), name
    for which, name in race.OUTPUTS:
        race.write(tmp_path / "out.yaml", which)
        assert (tmp_path / "out.yaml").read_text() == (DATA / name).read_text(), name
    trav.write(tmp_path / "t.yaml")
    assert (tmp_path / "t.yaml").read_text() == (DATA / "travelers_dilemma_99.yaml").read_text()


@pytest.fixture(scope="module")
def traveler():
    return load_game(DATA / "travelers_dilemma_99.yaml")  # ~2-4 s of pure-Python YAML parsing


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
        proc = subprocess.run(
            [sys.executable, "-m", "stackopt", "solve", str(DATA / name)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, (name, proc.stderr)
