"""The ``kind: normal_form`` YAML contract, payoff files beside the YAML, and writers."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from stackopt import InputError, NormalFormGame, load_game
from stackopt.io.load import parse_game, save_game
from stackopt.kinds.normal_form.io_yaml import normal_form_to_dict, parse_normal_form

from ..conftest import INSPECTION_YAML, REPO


def test_issue_contract_example(inspection_file):
    g = load_game(inspection_file)
    assert g.name == "inspection"
    assert (g.leader_name, g.follower_name) == ("inspector", "inspectee")
    assert g.leader_actions == ("inspect", "skip") and g.follower_actions == ("legal", "violate")
    assert np.array_equal(g.A, [[-1, -6], [0, -10]])
    assert np.array_equal(g.B, [[-1, -10], [0, 5]])


def test_bundled_data_file_matches_contract():
    g = load_game(REPO / "data" / "inspection.yaml")
    assert g == parse_game(yaml.safe_load(INSPECTION_YAML))


def test_minimal_document_gets_defaults():
    g = parse_game({"kind": "normal_form", "payoffs": {"leader": [[1, 2]], "follower": [[0, 0]]}})
    assert g.leader_actions == ("a0",) and g.follower_actions == ("b0", "b1")
    assert g.leader_name == "leader" and g.name is None


def test_floats_ints_and_description():
    g = parse_normal_form(
        {
            "kind": "normal_form",
            "description": "text",
            "payoffs": {"leader": [[1.5, -2e3]], "follower": [[0, 1]]},
        },
        source="x",
    )
    assert g.A.tolist() == [[1.5, -2000.0]]


def test_yml_extension(write):
    p = write("g.YML", INSPECTION_YAML)
    assert load_game(p).name == "inspection"


def test_payoffs_long_csv_beside(write):
    write(
        "pay.csv",
        "leader_action,follower_action,leader_payoff,follower_payoff\n"
        "inspect,legal,-1,-1\ninspect,violate,-6,-10\n"
        "skip,legal,0,0\nskip,violate,-10,5\n",
    )
    p = write(
        "g.yaml",
        """\
        kind: normal_form
        leader:   {name: inspector, actions: [inspect, skip]}
        follower: {name: inspectee}
        payoffs: pay.csv
        """,
    )
    g = load_game(p)
    assert np.array_equal(g.A, [[-1, -6], [0, -10]]) and g.leader_name == "inspector"
    assert g.follower_actions == ("legal", "violate")


def test_payoffs_in_subdirectory_and_matrix_files(write):
    write("m/A.csv", ",legal,violate\ninspect,-1,-6\nskip,0,-10\n")
    write("m/B.csv", ",legal,violate\ninspect,-1,-10\nskip,0,5\n")
    p = write("g.yaml", "kind: normal_form\npayoffs: {leader: m/A.csv, follower: m/B.csv}\n")
    g = load_game(p)
    assert g.leader_actions == ("inspect", "skip")
    assert np.array_equal(g.B, [[-1, -10], [0, 5]])


def test_matrix_files_with_different_labels(write):
    write("A.csv", ",l,r\nu,1,2\n")
    write("B.csv", ",l,x\nu,1,2\n")
    p = write("g.yaml", "kind: normal_form\npayoffs: {leader: A.csv, follower: B.csv}\n")
    with pytest.raises(InputError, match="different row or column labels") as ei:
        load_game(p)
    assert "g.yaml" in str(ei.value)


def test_error_inside_beside_csv_names_the_csv(write):
    write("pay.csv", "leader_action,follower_action,leader_payoff,follower_payoff\na,b,x,1\n")
    p = write("g.yaml", "kind: normal_form\npayoffs: pay.csv\n")
    with pytest.raises(InputError) as ei:
        load_game(p)
    assert "pay.csv" in str(ei.value) and "'x' is not a number" in str(ei.value)


def test_to_dict_round_trip(tmp_path):
    g = NormalFormGame(
        [[1, 2.5], [-3, 0]],
        [[0, 1e-3], [7, 8]],
        ["u", "d"],
        ["l", "r"],
        leader_name="me",
        follower_name="you",
        name="rt",
    )
    d = normal_form_to_dict(g)
    assert d["payoffs"]["leader"] == [[1, 2.5], [-3, 0]]
    assert isinstance(d["payoffs"]["leader"][0][0], int)
    assert parse_game(d) == g
    for ext in ("yaml", "csv"):
        p = tmp_path / f"g.{ext}"
        save_game(g, p)
        back = load_game(p)
        assert np.array_equal(back.A, g.A) and np.array_equal(back.B, g.B)
        assert back.leader_actions == g.leader_actions
    assert load_game(tmp_path / "g.yaml") == g


def test_save_game_refuses_other_types(tmp_path):
    with pytest.raises(InputError, match="cannot write"):
        save_game({"not": "a game"}, tmp_path / "x.yaml")
    with pytest.raises(InputError, match="unknown file type"):
        save_game(NormalFormGame([[1]], [[1]]), tmp_path / "x.json")


def test_empty_action_list_and_empty_name_are_refused(tmp_path):
    from stackopt import InputError, load_game

    for bad, field in (
        ("leader:   {name: a, actions: []}", "leader.actions"),
        ("leader:   {name: '', actions: [x, y]}", "leader.name"),
    ):
        p = tmp_path / "g.yaml"
        p.write_text(
            "kind: normal_form\n" + bad + "\n"
            "payoffs: {leader: [[1, 2], [3, 4]], follower: [[1, 2], [3, 4]]}\n"
        )
        with pytest.raises(InputError, match=field.replace(".", r"\.")):
            load_game(p)
