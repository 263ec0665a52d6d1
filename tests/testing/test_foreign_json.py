"""Results from other tools: the minimal JSON through ``stackopt verify`` and the helpers, and
the worked nashpy example of docs/testing.md (nashpy is the independent computation)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import nashpy
import numpy as np
import pytest

import stackopt
from stackopt.cli import main
from stackopt.testing import assert_nash_equilibrium, assert_result_verifies

DATA = Path(__file__).resolve().parents[2] / "data"
P = 5 / 14


def _verify_cli(game: Path, data: dict, tmp_path: Path, capsys) -> tuple[int, str]:
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data))
    code = main(["verify", str(game), str(path)])
    return code, capsys.readouterr().out


def test_minimal_json_without_values_or_kind(tmp_path, capsys):
    # bilevel: verify re-solves, so the minimal JSON verifies completely (values optional)
    code, out = _verify_cli(
        DATA / "bilevel/bard.yaml",
        {"leader": {"commitment": {"x": 4}}, "follower": {"response": {"y": 4}}},
        tmp_path,
        capsys,
    )
    assert code == 0, out
    assert "leader_value     not reported; the problem gives -12" in out
    # normal form: everything but optimality, which needs the bounds
    code, out = _verify_cli(
        DATA / "inspection.yaml",
        {
            "leader": {"commitment": {"inspect": P, "skip": 1 - P}},
            "follower": {"response": "legal"},
        },
        tmp_path,
        capsys,
    )
    assert code == 1
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["ok"] * 5 + ["FAIL"]
    assert "no optimality bounds" in out
    # a wrong answer still fails where it is wrong
    code, out = _verify_cli(
        DATA / "bilevel/bard.yaml",
        {"leader": {"commitment": {"x": 4}}, "follower": {"response": {"y": 3}}},
        tmp_path,
        capsys,
    )
    assert code == 1 and "FAIL follower_feasible" in out


def _nash_profiles(game):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(nashpy.Game(game.A, game.B).support_enumeration())


@pytest.mark.parametrize(
    "name", ["commitment_beats_nash.yaml", "inspection.yaml", "governance_firm_leads.yaml"]
)
def test_nashpy_worked_example(name, tmp_path, capsys):
    game = stackopt.load_game(DATA / name)
    profiles = _nash_profiles(game)
    assert profiles
    for x, y in profiles:
        assert_nash_equilibrium(game, x, y)
        data = {
            "method": "nash_milp",
            "leader": {"commitment": dict(zip(game.leader_actions, x.tolist()))},
            "follower": {"response": dict(zip(game.follower_actions, y.tolist()))},
        }
        code, out = _verify_cli(DATA / name, data, tmp_path, capsys)
        assert code == 0, out
        assert_result_verifies(game, data)
        # shift 0.01 of probability: no longer an equilibrium unless payoffs are flat
        bad = np.array(x, float)
        k = int(np.argmax(bad))
        bad[k] -= 0.01
        bad[(k + 1) % len(bad)] += 0.01
        if len(bad) > 1 and not np.allclose(game.B.max(axis=1), game.B.min(axis=1)):
            with pytest.raises(AssertionError, match="best_response failed"):
                assert_nash_equilibrium(game, bad, y, rtol=1e-9)


def test_docs_show_the_nash_cli_output(tmp_path, capsys):
    game = stackopt.load_game(DATA / "commitment_beats_nash.yaml")
    ((x, y),) = _nash_profiles(game)
    data = {
        "method": "nash_milp",
        "leader": {"commitment": dict(zip(game.leader_actions, x.tolist()))},
        "follower": {"response": dict(zip(game.follower_actions, y.tolist()))},
    }
    code, out = _verify_cli(DATA / "commitment_beats_nash.yaml", data, tmp_path, capsys)
    doc = (Path(__file__).resolve().parents[2] / "docs" / "testing.md").read_text("utf-8")
    assert code == 0 and out.strip() in doc
