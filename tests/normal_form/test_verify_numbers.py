"""A result's numbers must be numbers: ``true`` or ``"1"`` is not a probability, and a
400-digit integer tolerance is bad input (exit 2), never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stackopt.cli import main

DATA = Path(__file__).resolve().parents[2] / "data"


def _solved(tmp_path, capsys) -> dict:
    assert main(["solve", str(DATA / "inspection.yaml"), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("mutant", [True, "1", "0.357142857142857"])
def test_non_numeric_probability_is_bad_input(mutant, tmp_path, capsys):
    data = _solved(tmp_path, capsys)
    data["leader"]["commitment"]["inspect"] = mutant
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    assert main(["verify", str(DATA / "inspection.yaml"), str(path)]) == 2
    assert "leader.commitment.inspect" in capsys.readouterr().err


@pytest.mark.parametrize("key", ["rtol", "atol", "scale"])
def test_huge_integer_tolerance_in_a_certificate_is_bad_input(key, tmp_path, capsys):
    data = _solved(tmp_path, capsys)
    data["certificate"][key] = 10**400
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    assert main(["verify", str(DATA / "inspection.yaml"), str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
