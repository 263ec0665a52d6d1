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
from tests.fuzz.conftest import (
    DATA,
    DOC_MUTANTS,
    document_places,
    fuzz_settings,
    parent_of,
    solve_exit,
)

GAMES = [
    "inspection.yaml",
    "bayesian/patrol.yaml",
    "security/transit_hubs.yaml",
    "interdiction/diamond.yaml",
    "bilevel/bard.yaml",
    "commitment_beats_nash.yaml",
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


@st.composite
def _doc_mutation(draw):
    game, data, path = draw(document_places(GAMES))
    op = draw(st.sampled_from(["set", "set", "delete", "duplicate"]))
    return game, data, path, op, draw(st.sampled_from(DOC_MUTANTS)), draw(st.booleans())


@fuzz_settings(40)
@given(m=_doc_mutation())
def test_mutated_game_documents(m, tmp_path_factory, capsys):
    _game, data, path, op, mutant, as_json = m
    data = copy.deepcopy(data)
    parent = parent_of(data, path)
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
    code, _err = solve_exit(tmp_path_factory.mktemp("g"), "g.yaml", text, capsys)
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
    solve_exit(tmp_path_factory.mktemp("t"), name, text, capsys)


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
