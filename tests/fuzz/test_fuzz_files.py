"""Hostile game files for every kind: ``stackopt solve`` exits 0, 1 or 2 with one line, never a
traceback, and fast.

Each example parses a bundled game, mutates one place of the document (a number to NaN, +-inf,
huge, negative, a string, ``null``, a list; a key removed; a key duplicated in the text), writes
it back as YAML or JSON text, and solves it in-process with a time limit. Text-level mutations
of the CSV and ``.nfg`` readers insert hostile tokens into a bundled file.
"""

from __future__ import annotations

import copy
import json
import os
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stackopt.cli import main
from stackopt.io.safe_yaml import load_yaml_text
from tests.fuzz.conftest import alarm as _alarm
from tests.fuzz.conftest import fuzz_settings, tree_paths

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data")
GAMES = [
    "inspection.yaml",
    "bayesian/patrol.yaml",
    "security/transit_hubs.yaml",
    "interdiction/diamond.yaml",
    "bilevel/bard.yaml",
    "commitment_beats_nash.yaml",
]
MUTANTS = [
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    -1e308,
    -1,
    0,
    10**30,
    "x",
    "1e99999",
    None,
    True,
    [],
    {},
    [[1, 2], [3]],
    "../../etc/passwd",
]
TEXT_MUTANTS = [
    "nan",
    "inf",
    "-inf",
    "1e99999999",
    "9" * 400,
    "\x1b[31m",
    "\r",
    '"',
    "{",
    "}",
    "/dev/zero",
    ",",
    "\x00",
    "1/0",
    "-",
]


def _solve_exit(tmp_path, name: str, text: str, capsys, *, write_bytes: bool = False) -> int:
    p = tmp_path / name
    if write_bytes:
        p.write_bytes(text.encode("utf-8", "surrogatepass"))
    else:
        p.write_text(text, encoding="utf-8")
    t = time.perf_counter()
    with _alarm(90):  # a hang is a failure with the example shown, not a stuck CI job
        code = main(["solve", str(p), "--time-limit", "20"])
    elapsed = time.perf_counter() - t
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code in (0, 1, 2), code
    assert elapsed < 60
    if code == 2:
        assert err.count("\n") <= 2 and len(err) < 2000
    return code


@st.composite
def _doc_mutation(draw):
    game = draw(st.sampled_from(GAMES))
    with open(os.path.join(DATA, game)) as fh:
        data = load_yaml_text(fh.read())
    paths = [p for p, _ in tree_paths(data) if p]
    path = draw(st.sampled_from(paths))
    op = draw(st.sampled_from(["set", "set", "delete", "duplicate"]))
    return game, data, path, op, draw(st.sampled_from(MUTANTS)), draw(st.booleans())


@fuzz_settings(40)
@given(m=_doc_mutation())
def test_mutated_game_documents(m, tmp_path_factory, capsys):
    _game, data, path, op, mutant, as_json = m
    data = copy.deepcopy(data)
    parent = data
    for k in path[:-1]:
        parent = parent[k]
    key = path[-1]
    if op == "delete":
        del parent[key]
        text = json.dumps(data) if as_json else _yaml(data)
    elif op == "duplicate" and isinstance(parent, dict) and parent is data:
        text = json.dumps(data)
        text = text[:-1] + f", {json.dumps(str(key))}: {json.dumps(parent[key])}}}"
    else:
        parent[key] = mutant
        text = json.dumps(data, allow_nan=True) if as_json else _yaml(data)
    code = _solve_exit(tmp_path_factory.mktemp("g"), "g.yaml", text, capsys)
    if op == "duplicate" and parent is data:
        assert code == 2


def _yaml(data) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=False)


@st.composite
def _text_mutation(draw):
    name = draw(
        st.sampled_from(
            [
                "inspection_long.csv",
                "../tests/data/payoff_3x2.nfg",
                "../tests/data/outcome_2x3.nfg",
                "inspection.yaml",
            ]
        )
    )
    with open(os.path.join(DATA, name), encoding="utf-8") as fh:
        text = fh.read()
    at = draw(st.integers(0, len(text)))
    return os.path.basename(name), text[:at] + draw(st.sampled_from(TEXT_MUTANTS)) + text[at:]


@fuzz_settings(40)
@given(m=_text_mutation())
def test_mutated_game_text(m, tmp_path_factory, capsys):
    name, text = m
    _solve_exit(tmp_path_factory.mktemp("t"), name, text, capsys)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom"])
def test_devices_as_game_or_result(target, tmp_path, capsys):
    t = time.perf_counter()
    assert main(["solve", target]) == 2
    link = tmp_path / "g.yaml"
    link.symlink_to(target)
    assert main(["solve", str(link)]) == 2
    assert main(["verify", os.path.join(DATA, "inspection.yaml"), target]) == 2
    assert time.perf_counter() - t < 5
    assert "Traceback" not in capsys.readouterr().err
