"""The whole command's start-up: a YAML game file is solved without the model machinery or
pydantic (``stackopt.commands.solve._may_be_model_file``,
``stackopt.kinds.normal_form.io_yaml._plain_spec``), and with the same answers and errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from stackopt.commands import solve as solve_cmd
from stackopt.errors import InputError
from stackopt.kinds.normal_form.io_yaml import _plain_spec, parse_normal_form, spec_model


def test_model_test_agrees_with_the_model_machinery() -> None:
    from stackopt.models import record

    assert solve_cmd.MAX_MODEL_BYTES == record._MAX_MODEL_BYTES
    assert solve_cmd.MODEL_KEY.pattern == record._MODEL_KEY.pattern
    assert solve_cmd.MODEL_KEY.flags == record._MODEL_KEY.flags


def test_may_be_model_file(tmp_path: Path) -> None:
    game = tmp_path / "g.yaml"
    game.write_text("kind: normal_form\npayoffs: {leader: [[1]], follower: [[1]]}\n")
    model = tmp_path / "m.yaml"
    model.write_text("model: inspection\nvalues: {}\n")
    big = tmp_path / "big.yml"
    big.write_text("model: x\n" + "#" * (solve_cmd.MAX_MODEL_BYTES + 1) + "\n")
    assert not solve_cmd._may_be_model_file(str(game))
    assert not solve_cmd._may_be_model_file(str(big))  # larger than any model document
    assert solve_cmd._may_be_model_file(str(model))
    assert solve_cmd._may_be_model_file(str(tmp_path / "missing.yaml"))
    assert solve_cmd._may_be_model_file("inspection")  # a bundled model name
    # the model machinery says the same of each file
    from stackopt.models.record import model_file

    assert model_file(game) is None and model_file(big) is None


def test_yaml_game_command_loads_no_pydantic(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    A, B = rng.standard_normal((6, 5)), rng.standard_normal((6, 5))
    from stackopt.io.load import save_game
    from stackopt.kinds.normal_form.game import NormalFormGame
    from stackopt.kinds.normal_form.solve import solve_sse

    g = NormalFormGame(A, B)
    path = tmp_path / "g.yaml"
    save_game(g, path)
    code = (
        "import sys, io, contextlib\n"
        "from stackopt.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    rc = main(['solve', {str(path)!r}, '--json'])\n"
        "print(rc, 'pydantic' in sys.modules, 'stackopt.models' in sys.modules)\n"
        "print(out.getvalue())\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    head, body = run.stdout.split("\n", 1)
    assert head == "0 False False"
    res = json.loads(body)
    # independent oracle: the in-process solve of the same matrices (itself checked against a
    # linprog loop in tests/normal_form)
    assert res["leader"]["value"] == pytest.approx(solve_sse(g).leader.value, abs=1e-9)


PLAIN = [
    {"kind": "normal_form", "payoffs": {"leader": [[1]], "follower": [[2]]}},
    {
        "kind": "normal_form",
        "name": "g",
        "description": "d",
        "leader": {"name": "L", "actions": ["a", 3]},
        "follower": {},
        "payoffs": "game.csv",
    },
    {"kind": "normal_form", "leader": {"actions": None}, "payoffs": {"leader": "A.csv"}},
]

NOT_PLAIN = [
    {"kind": "normal_form", "payoffs": {1: [[1]]}},
    {"kind": "normal_form", "leader": None, "payoffs": "g.csv"},
    {"kind": "normal_form", "leader": {"nam": "x"}, "payoffs": "g.csv"},
    {"kind": "normal_form", "leader": {"actions": ("a",)}, "payoffs": "g.csv"},
    {"kind": "normal_form", "name": 3, "payoffs": "g.csv"},
    {"kind": "normal_form", "payoffs": [[1]]},
    {"kind": "normal_form"},
    {"kind": 1, "payoffs": "g.csv"},
    {"kind": "normal_form", "extra": 1, "payoffs": "g.csv"},
]


@pytest.mark.parametrize("data", PLAIN)
def test_plain_spec_is_what_pydantic_returns(data: dict) -> None:
    plain = _plain_spec(data)
    ref = spec_model().model_validate(data)
    assert plain is not None
    assert plain.name == ref.name and plain.payoffs == ref.payoffs
    for who in ("leader", "follower"):
        assert getattr(plain, who).name == getattr(ref, who).name
        assert getattr(plain, who).actions == getattr(ref, who).actions


@pytest.mark.parametrize("data", NOT_PLAIN)
def test_anything_else_goes_to_pydantic(data: dict) -> None:
    assert _plain_spec(data) is None


def test_malformed_documents_keep_their_messages() -> None:
    with pytest.raises(InputError, match=r"leader\.nam.*unknown key.*allowed keys: name, actions"):
        parse_normal_form(
            {"kind": "normal_form", "leader": {"nam": "x"}, "payoffs": "g.csv"}, source="f"
        )
    with pytest.raises(InputError, match=r"payoffs.*required key is missing"):
        parse_normal_form({"kind": "normal_form"}, source="f")
