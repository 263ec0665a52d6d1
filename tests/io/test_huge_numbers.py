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
