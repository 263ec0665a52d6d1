"""Regression tests for issue 8 ("exact or nothing") and the YAML 1.2 number item of issue 7.

Each test reproduces one reported failure; the expected behaviour is stated in the test name.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from stackopt import InputError
from stackopt.io import safe_yaml
from stackopt.io.safe_yaml import load_yaml_text, read_text


# -- YAML 1.2 core-schema numbers (issue 7) ----------------------------------------------------
@pytest.mark.parametrize("text,value", [
    ("9e-05", 9e-05), ("1e3", 1000.0), ("1E-7", 1e-7), ("-2E+3", -2000.0), ("1.5e3", 1500.0),
    (".5e1", 5.0), ("+1e0", 1.0), ("0.1", 0.1), ("12", 12), ("-3", -3),
])
def test_yaml12_floats_load_as_numbers(text, value):
    got = load_yaml_text(f"a: {text}")["a"]
    assert got == value and type(got) is type(value)


def test_quoted_exponents_stay_strings():
    assert load_yaml_text('a: "1e3"\nb: e3\nc: 1e') == {"a": "1e3", "b": "e3", "c": "1e"}


def test_every_json_document_loads_as_json_does():
    doc = {"kind": "normal_form", "x": [1e-05, 1e300, -3.5e-07, 12, 0.1, 2.5e-10, True, None],
           "nested": {"y": [[1e3]]}}
    text = json.dumps(doc)
    assert "e-05" in text and load_yaml_text(text) == json.loads(text)


def test_json_game_with_exponent_payoffs_loads(tmp_path):
    from stackopt.io.load import load_game

    game = {"kind": "normal_form", "name": "exp",
            "leader": {"name": "L", "actions": ["a", "b"]},
            "follower": {"name": "F", "actions": ["c", "d"]},
            "payoffs": {"leader": [[9e-05, 1e3], [1e-7, 0]], "follower": [[1, 0], [0, 1]]}}
    p = tmp_path / "g.yaml"
    p.write_text(json.dumps(game))
    g = load_game(p)
    assert float(g.A[0, 0]) == 9e-05 and float(g.A[0, 1]) == 1000.0


# -- hostile YAML -------------------------------------------------------------------------------
def test_duplicate_yaml_keys_refused():
    with pytest.raises(InputError, match="duplicate key 'a' at line 2"):
        load_yaml_text("a: 1\na: 2", source="g.yaml")
    with pytest.raises(InputError, match="duplicate key"):
        load_yaml_text("x:\n  b: 1\n  c: 2\n  b: 3\n", source="g.yaml")


def test_deep_nesting_refused_fast():
    t = time.perf_counter()
    with pytest.raises(InputError, match="nesting deeper"):
        load_yaml_text("[" * 100_000 + "]" * 100_000, source="r.json")
    assert time.perf_counter() - t < 5


def test_huge_integer_refused():
    with pytest.raises(InputError, match="cannot read a value"):
        load_yaml_text("a: " + "9" * 5001, source="g.yaml")


# -- hostile files ------------------------------------------------------------------------------
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_refused_fast(tmp_path):
    t = time.perf_counter()
    with pytest.raises(InputError, match="not a regular file"):
        read_text("/dev/zero")
    link = tmp_path / "g.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        read_text(link)
    assert time.perf_counter() - t < 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_refused_without_blocking(tmp_path):
    f = tmp_path / "fifo.yaml"
    os.mkfifo(f)
    with pytest.raises(InputError, match="not a regular file"):
        read_text(f)


def test_size_cap_enforced_while_reading(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_text("a: 1\n" * 100)
    with pytest.raises(InputError, match="limit"):
        safe_yaml.read_bytes(p, max_bytes=50)


def test_long_file_name_refused_cleanly():
    with pytest.raises(InputError) as ei:
        read_text("x" * 5000 + ".yaml")
    assert len(str(ei.value)) < 400
