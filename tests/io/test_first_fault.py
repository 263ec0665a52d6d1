"""A header or a label list with two faults is refused for the first one in reading order (a
repeated name before an unknown, empty or invalid one), as the readers did before they shared
``stackopt.io.tables.refuse_repeats`` and ``stackopt.checks.inputs.unique_labels``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import stackopt
from stackopt.batch.scenarios import scenario_set
from stackopt.errors import InputError
from stackopt.kinds.security.game import SecurityGame

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize(
    "header,message",
    [
        ("a,a,", "field 'a': column 'a' appears twice"),
        ("a,,a", "field 'header': column 2 has no name"),
    ],
)
def test_scenario_table_header(tmp_path, header, message):
    (tmp_path / "g.yaml").write_text((DATA / "inspection.yaml").read_text())
    table = tmp_path / "t.csv"
    table.write_text(header + "\n1,2,3\n")
    with pytest.raises(InputError) as exc:
        scenario_set(model=str(tmp_path / "g.yaml"), scenarios=table)
    assert message in str(exc.value)


@pytest.mark.parametrize(
    "header,message",
    [
        ("source,source,colour", "field 'line 1, column 2': column 'source' appears twice"),
        ("source,colour,source", "field 'line 1, column 2': unknown column 'colour'"),
    ],
)
def test_edge_list_header(tmp_path, header, message):
    (tmp_path / "e.csv").write_text(header + "\ns,t,1\n")
    game = tmp_path / "g.yaml"
    game.write_text("kind: interdiction\nsource: s\ntarget: t\nbudget: 1\nedges: e.csv\n")
    with pytest.raises(InputError) as exc:
        stackopt.load_game(game)
    assert message in str(exc.value) and "e.csv" in str(exc.value)


@pytest.mark.parametrize(
    "targets,message",
    [
        (("a", "a", True), "field 'targets[1]': duplicate target 'a' (positions 0 and 1)"),
        (("a", True, "a"), "field 'targets[1]': target name True is not a non-empty string"),
    ],
)
def test_security_targets(targets, message):
    one, zero = np.ones(3), np.zeros(3)
    with pytest.raises(InputError) as exc:
        SecurityGame(
            targets=targets,
            defender_covered=one,
            defender_uncovered=zero,
            attacker_covered=zero,
            attacker_uncovered=one,
            resources=1,
        )
    assert message in str(exc.value)
