"""Numbers a float cannot hold (integers beyond ~1.8e308, as YAML and JSON may write them) and
non-numbers where a constant or a commitment belongs: one InputError each, never a traceback."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import stackopt
from stackopt.errors import InputError

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize(
    "value,message",
    [("abc", "constant term 'abc' is not a number"), (10**400, "constant term is not finite")],
    ids=["text", "huge"],
)
def test_bilevel_constant_terms(value, message):
    bard = stackopt.load_game(DATA / "bilevel" / "bard.yaml")
    with pytest.raises(InputError, match=message):
        dataclasses.replace(bard, leader_constant=value)


def test_mdp_commitment_beyond_the_float_range_is_not_finite():
    game = stackopt.load_game(DATA / "mdp" / "chain.yaml")
    result = stackopt.solve(game).to_dict()
    key = next(iter(result["leader"]["commitment"]))
    result["leader"]["commitment"][key] = 10**400
    with pytest.raises(InputError, match="is not finite") as err:
        stackopt.verify(game, result)
    assert len(str(err.value)) < 200  # the 401-digit number is cut, not printed whole


def test_mdp_horizon_beyond_the_float_range_is_one_error(tmp_path):
    chain = (DATA / "mdp" / "chain.yaml").read_text()
    p = tmp_path / "chain.yaml"
    p.write_text(chain.replace("horizon: ", f"horizon: {10**400}  # ", 1))
    with pytest.raises(InputError, match="field 'horizon': horizon inf x 3 states"):
        stackopt.load_game(p)


@pytest.mark.parametrize(
    "axis,key",
    [
        ("{start: %s, stop: 10, num: 3}", "start"),
        ("{start: 0, stop: -%s, num: 3}", "stop"),
        ("{start: 0, stop: 10, step: %s}", "step"),
    ],
)
def test_scenario_range_bound_beyond_the_float_range_is_one_error(tmp_path, axis, key):
    from stackopt.batch.scenarios import scenario_set

    (tmp_path / "g.yaml").write_text((DATA / "inspection.yaml").read_text())
    grid = tmp_path / "grid.yaml"
    grid.write_text(
        "model: g.yaml\ngrid:\n  payoffs.follower.0.1: " + axis % (10**400) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=f"payoffs.follower.0.1.{key}'.* is not a finite number"):
        scenario_set(scenarios=grid)


def test_model_parameter_beyond_the_float_range_is_not_finite():
    from stackopt.models import load_model

    with pytest.raises(InputError, match="must be a finite number, got 1000000") as err:
        load_model("ai_regulation", enforcement_standard=10**400)
    assert len(str(err.value)) < 300  # the 401-digit number is cut
