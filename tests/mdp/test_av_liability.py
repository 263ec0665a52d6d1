"""The bundled AV-liability example against a hand derivation, and the optimistic tie.

Hand derivation (docs/mdp.md): in year 3 (step 2) at safety level 0 the firm compares
deploying now, 5 road years at 3 - 2*lam, i.e. 15 - 10*lam, with testing once more:
-1 + 0.6 * 4 * (3 - 0.8*lam) + 0.4 * 4 * (3 - 2*lam) = 11 - 5.12*lam (it deploys a year later
whatever happens). They tie at lam = 4 / 4.88 = 50/61, the regulator's optimum: more testing
is worth it to society, but any higher share costs enforcement without changing the firm's
plan until the next breakpoint (lam = 1 would add a fourth test year and lower welfare).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import stackopt
from stackopt.cli import main

ROOT = Path(__file__).resolve().parents[2]
AV = ROOT / "data" / "mdp" / "av_liability.yaml"


@pytest.fixture(scope="module")
def solved():
    game = stackopt.load_game(AV)
    return game, stackopt.solve(game)


def test_liability_share_is_the_hand_derived_breakpoint(solved):
    _, res = solved
    assert res.certified
    assert res.leader.commitment["liability"] == pytest.approx(50 / 61, abs=1e-6)
    pol = res.follower.response
    assert [pol[str(t)]["lab0"] for t in range(4)] == ["test"] * 3 + ["deploy"]
    assert all(pol[str(t)]["lab1"] == "deploy" for t in range(8))


def test_welfare_by_hand_at_the_optimum(solved):
    """Society's value of the firm's plan, computed by hand from the occupancy: the firm is
    on the road at level 1 from the year after it reaches it, at level 0 only if level 1 is
    never reached in three tests."""
    _, res = solved
    lam = 50 / 61
    # the k-th test (step k-1) succeeds with probability 0.4**(k-1) * 0.6: level 1 at step k,
    # deploy at step k, road steps k+1..7 (7 - k years at 3.2); three failures (0.4**3):
    # deploy at step 3, road0 at steps 4..7 (4 years at 2.0)
    welfare = sum(0.4 ** (k - 1) * 0.6 * 3.2 * (7 - k) for k in (1, 2, 3))
    welfare += 0.4**3 * 2.0 * 4
    assert res.leader.value == pytest.approx(welfare - 0.5 * lam, abs=1e-9)


def test_the_other_tied_plan_fails_tie_break_but_is_a_best_response(solved, tmp_path):
    game, res = solved
    data = res.to_dict()
    data["follower"]["response"]["2"]["lab0"] = "deploy"  # indifferent for the firm
    cert = stackopt.verify(game, data)
    assert cert.check("best_response").passed
    assert not cert.check("tie_break").passed


def test_cli_solves_and_verifies(tmp_path, capsys):
    out = tmp_path / "av.json"
    assert main(["solve", str(AV), "--out", str(out)]) == 0
    assert main(["verify", str(AV), str(out)]) == 0
