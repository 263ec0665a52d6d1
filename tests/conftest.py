"""Shared fixtures for the core (normal-form) tests.

``tests/`` is put on ``sys.path`` (the reference oracles live in ``stackopt.testing.oracles``).

Every result the suite serialises is validated against the published JSON Schema
(``stackopt/result.schema.json``): ``Result.to_dict`` is wrapped, session-wide, so that a result
that does not match the schema fails the test that produced it.
"""

from __future__ import annotations

import json
import sys
import textwrap
from importlib import resources
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from stackopt.result import Result

RESULT_SCHEMA = json.loads(
    resources.files("stackopt").joinpath("result.schema.json").read_text(encoding="utf-8")
)
_RESULT_VALIDATOR = jsonschema.Draft202012Validator(RESULT_SCHEMA)
_PLAIN_TO_DICT = Result.to_dict


def _validated_to_dict(self: Result) -> dict:
    data = _PLAIN_TO_DICT(self)
    error = jsonschema.exceptions.best_match(_RESULT_VALIDATOR.iter_errors(data))
    if error is not None:
        where = "/".join(map(str, error.absolute_path)) or "(top)"
        raise AssertionError(
            f"result does not match result.schema.json at {where}: {error.message}"
        )
    return data


Result.to_dict = _validated_to_dict  # type: ignore[method-assign]

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

REPO = TESTS.parent
DATA = TESTS / "data"

INSPECTION_YAML = """\
kind: normal_form
name: inspection
leader:   {name: inspector, actions: [inspect, skip]}
follower: {name: inspectee, actions: [legal, violate]}
payoffs:
  leader:   [[-1, -6], [0, -10]]
  follower: [[-1, -10], [0, 5]]
"""


@pytest.fixture
def write(tmp_path):
    """``write(name, text)`` writes a dedented text file under ``tmp_path``, returns its path."""

    def _write(name: str, text: str | bytes) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(textwrap.dedent(text), encoding="utf-8")
        return p

    return _write


@pytest.fixture
def inspection_file(write) -> Path:
    return write("inspection.yaml", INSPECTION_YAML)


@pytest.fixture
def rng():
    return np.random.default_rng(20261125)
