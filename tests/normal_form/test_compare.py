"""Leadership comparison: SSE with either leader vs the simultaneous game's Nash equilibria.

References: the exact SSE oracle of ``tests/oracles.py`` (vertex enumeration, rationals) for the
commitment values, the exact extreme-equilibrium enumeration of
``stackopt.kinds.normal_form.nash`` plus nashpy for the Nash values, and hand-derived values for
the textbook game.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from stackopt import NormalFormGame
from stackopt.cli import main
from stackopt.kinds.normal_form.compare import SCENARIOS, compare_leadership
from stackopt.kinds.normal_form.nash import all_nash_equilibria
from stackopt.testing.oracles import nash_leader_values, sse_vertex_enumeration

REPO = Path(__file__).resolve().parents[2]


def test_commitment_beats_nash_hand_derived():
    # U dominates D: unique NE (U, L) gives (1, 1); committing to U w.p. 1/2 gives 5/2.
    g = NormalFormGame(
        np.array([[1, 3], [0, 2.0]]),
        np.array([[1, 0], [0, 1.0]]),
        ("U", "D"),
        ("L", "R"),
        leader_name="row",
        follower_name="col",
    )
    c = compare_leadership(g)
    assert c.certified and c.passed
    assert c.values("player1_leads")[0] == pytest.approx(2.5)
    assert c.values("nash_best_player1") == pytest.approx((1.0, 1.0))
    assert c.value_of_commitment_player1 == pytest.approx(1.5)
    # column player leads: exact oracle on the transposed game
    ex = sse_vertex_enumeration(g.B.T, g.A.T)
    assert c.values("player2_leads")[1] == pytest.approx(float(ex.value))
    assert c.value_of_commitment_player2 == pytest.approx(float(ex.value) - 1.0)


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_random_games_theorem_and_independent_values(seed):
    rng = np.random.default_rng(seed)
    g = NormalFormGame(
        rng.integers(-5, 6, size=(3, 4)).astype(float),
        rng.integers(-5, 6, size=(3, 4)).astype(float),
    )
    c = compare_leadership(g)
    assert c.passed
    assert c.values("player1_leads")[0] == pytest.approx(
        float(sse_vertex_enumeration(g.A, g.B).value), abs=1e-6
    )
    assert c.values("player2_leads")[1] == pytest.approx(
        float(sse_vertex_enumeration(g.B.T, g.A.T).value), abs=1e-6
    )
    eqs = all_nash_equilibria(g)  # exact, handles degenerate integer games
    p1 = [float(e.leader_value) for e in eqs]
    p2 = [float(e.follower_value) for e in eqs]
    assert c.values("nash_best_player1")[0] == pytest.approx(max(p1), abs=1e-6)
    assert c.values("nash_worst_player1")[0] == pytest.approx(min(p1), abs=1e-6)
    assert c.values("nash_best_player2")[1] == pytest.approx(max(p2), abs=1e-6)
    assert c.values("nash_worst_player2")[1] == pytest.approx(min(p2), abs=1e-6)
    # the theorem against every equilibrium nashpy finds, too
    for v in nash_leader_values(g.A, g.B):
        assert c.values("player1_leads")[0] >= v - 1e-6


def test_to_dict_and_frame():
    g = NormalFormGame(np.array([[3, 0], [0, 2.0]]), np.array([[2, 0], [0, 3.0]]))
    c = compare_leadership(g)
    d = json.loads(json.dumps(c.to_dict()))
    assert [r["scenario"] for r in d["rows"]] == list(SCENARIOS)
    assert d["passed"] is True and d["theorem"]["leader"] is True
    df = c.to_frame()
    assert list(df["scenario"]) == list(SCENARIOS) and df.attrs["player1"] == "leader"
    assert df["certified"].all()


def test_governance_game_leading_pays(capsys):
    files = sorted((REPO / "data").glob("governance_regulator*.yaml"))
    if not files:
        pytest.skip("governance data not present")
    rc = main(["compare", str(files[0]), "--json"])
    assert rc == 0
    d = json.loads(capsys.readouterr().out)
    assert d["passed"]
    voc = d["value_of_commitment"]
    assert voc["regulator"] > 0  # the regulator gains from committing first
    assert all(v >= -1e-6 for v in voc.values())


def test_cli_table_and_bad_input(write, capsys):
    p = write(
        "g.yaml",
        """\
        kind: normal_form
        leader: {name: row, actions: [U, D]}
        follower: {name: col, actions: [L, R]}
        payoffs:
          leader: [[1, 3], [0, 2]]
          follower: [[1, 0], [0, 1]]
        """,
    )
    assert main(["compare", str(p)]) == 0
    out = capsys.readouterr().out
    assert "row leads (SSE)" in out and "+1.5" in out and "holds" in out
    assert main(["compare", str(p.parent / "missing.yaml")]) == 2
    bad = write("bad.yaml", "kind: normal_form\npayoffs: {leader: [[1, x]], follower: [[1, 2]]}\n")
    assert main(["compare", str(bad)]) == 2


def test_cli_refuses_other_kinds(capsys):
    f = REPO / "data" / "security" / "five_identical_targets.yaml"
    assert main(["compare", str(f)]) == 2
    err = capsys.readouterr().err
    assert "five_identical_targets.yaml" in err and "normal-form" in err


def test_cli_exit_1_when_theorem_check_fails(write, monkeypatch, capsys):
    """A (deliberately corrupted) Nash value above the SSE value must fail the check."""
    import dataclasses

    import stackopt.kinds.normal_form.nash as nash_mod

    real = nash_mod.nash_equilibria

    def corrupted(game, **kw):
        r = real(game, **kw)
        lead = dataclasses.replace(r.leader, value=r.leader.value + 100.0)
        return dataclasses.replace(r, leader=lead)

    monkeypatch.setattr(nash_mod, "nash_equilibria", corrupted)
    p = write(
        "g.yaml",
        "kind: normal_form\npayoffs: {leader: [[1, 3], [0, 2]], follower: [[1, 0], [0, 1]]}\n",
    )
    assert main(["compare", str(p)]) == 1
    out = capsys.readouterr().out
    assert "VIOLATED" in out
