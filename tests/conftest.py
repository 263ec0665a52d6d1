"""Shared fixtures for the core (normal-form) tests.

``tests/`` is put on ``sys.path`` (the reference oracles live in ``stackopt.testing.oracles``).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

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
