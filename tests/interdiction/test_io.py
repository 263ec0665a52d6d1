"""Interdiction files and the CLI: YAML (inline arcs and edge-list CSV), ``stackopt solve``,
``verify`` and ``export`` exit codes, and bad input (InputError naming file, field/line/column
and a fix; CLI exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stackopt import InputError, load_game
from stackopt.cli import main
from stackopt.kinds.interdiction.game import InterdictionGame
from stackopt.kinds.interdiction.io_yaml import read_edge_list_csv
from stackopt.testing.oracles.interdiction import brute_force

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "interdiction"

HEAD = "kind: interdiction\nsource: s\ntarget: t\nbudget: 1\n"
ARCS = (
    "arcs:\n"
    "  - {source: s, target: a, length: 1, delay: 5}\n"
    "  - {source: a, target: t, length: 1, delay: 5}\n"
    "  - {source: s, target: t, length: 4, removable: true}\n"
)
CSV_HEAD = "source,target,length,delay,cost\n"


def _oracle_value(game: InterdictionGame) -> float:
    arcs = [(a.tail, a.head, a.length, a.delay, a.cost, a.removable) for a in game.arcs]
    return brute_force(arcs, game.source, game.target, game.budget)[0]


@pytest.mark.parametrize("name", ["diamond.yaml", "supply_routes.yaml"])
def test_cli_solve_json_data_files(name, capsys):
    rc = main(["solve", str(DATA / name), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    for key in ("status", "method", "leader", "follower", "certificate", "stats", "options"):
        assert key in out
    assert out["kind"] == "interdiction" and out["status"] == "optimal"
    assert out["certificate"]["passed"] is True
    assert set(out["leader"]["commitment"].values()) <= {0, 1}
    assert out["follower"]["response"]["path"][0] in ("s", "depot")
    game = load_game(DATA / name)
    assert out["leader"]["value"] == pytest.approx(_oracle_value(game))
    assert out["follower"]["value"] == out["leader"]["value"]


def test_supply_routes_csv_undirected():
    game = load_game(DATA / "supply_routes.yaml")
    rows = read_edge_list_csv(DATA / "supply_routes.csv")
    assert len(game.arcs) == 2 * len(rows)
    assert {"depot->n1", "n1->depot"} <= set(game.arc_index)
    assert game.arcs[game.arc_index["n4->front"]].removable


def test_cli_verify_and_export(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["solve", str(DATA / "diamond.yaml"), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["verify", str(DATA / "diamond.yaml"), str(out)]) == 0
    data = json.loads(out.read_text())
    data["follower"]["response"]["path"] = ["s", "b", "t"]
    out.write_text(json.dumps(data))
    assert main(["verify", str(DATA / "diamond.yaml"), str(out)]) == 1
    assert (
        main(["export", str(DATA / "diamond.yaml"), "--format", "lp", "--out", str(tmp_path)]) == 0
    )
    assert "potential" in (tmp_path / "diamond.lp").read_text()


def test_cli_method_and_time_limit(capsys):
    # (the lp_dual method is tested through the API in test_solve: its first use imports
    # scipy.stats through Pyomo, seconds we need not pay twice)
    assert (
        main(
            [
                "solve",
                str(DATA / "diamond.yaml"),
                "--json",
                "--method",
                "dual_milp",
                "--time-limit",
                "30",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "dual_milp" and out["options"]["time_limit"] == 30
    assert main(["solve", str(DATA / "diamond.yaml"), "--method", "nope"]) == 2
    assert "unknown method 'nope'" in capsys.readouterr().err


def test_cli_unreachable_target_exit_1(write, capsys):
    p = write(
        "g.yaml",
        HEAD + "arcs:\n  - {source: s, target: a, length: 1}\n"
        "  - {source: t, target: a, length: 1}\n",
    )
    assert main(["solve", str(p), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "infeasible" and "no path" in out["message"]


def test_inline_and_csv_forms_agree(write):
    a = load_game(write("a.yaml", HEAD + ARCS))
    write("e.csv", CSV_HEAD + "s,a,1,5,1\na,t,1,5,1\n")
    b = load_game(write("b.yaml", HEAD + "edges: e.csv\n"))
    assert [x.key for x in b.arcs] == ["s->a", "a->t"]
    assert a.arcs[:2] == b.arcs


def _header(old: str, new: str) -> dict[str, str]:
    """The files of a game ``g.yaml`` with the inline arcs and ``old`` replaced by ``new`` in
    its header."""
    return {"g.yaml": HEAD.replace(old, new) + ARCS}


def _csv_beside(text: str) -> dict[str, str]:
    """The files of a game ``g.yaml`` whose arcs are the edge list ``e.csv`` holding ``text``."""
    return {"g.yaml": HEAD + "edges: e.csv\n", "e.csv": text}


# name -> (files, words that must appear in the message); the file loaded is g.yaml
BAD = {
    "negative_length": (
        {"g.yaml": HEAD + "arcs:\n  - {source: s, target: t, length: -1}\n"},
        ("arcs[0].length", "negative"),
    ),
    "negative_delay": (
        {"g.yaml": HEAD + "arcs:\n  - {source: s, target: t, length: 1, delay: -2}\n"},
        ("delay", "negative"),
    ),
    "negative_budget": (
        _header("budget: 1", "budget: -1"),
        ("budget", "negative"),
    ),
    "string_budget": (
        _header("budget: 1", "budget: lots"),
        ("budget", "not a number"),
    ),
    "unknown_source": (
        _header("source: s", "source: x"),
        ("source", "unknown node 'x'"),
    ),
    "unknown_target": (
        _header("target: t", "target: z"),
        ("target", "unknown node 'z'"),
    ),
    "same_ends": (_header("target: t", "target: s"), ("target", "both")),
    "delay_and_removable": (
        {
            "g.yaml": HEAD + "arcs:\n  - {source: s, target: t, length: 1, "
            "delay: 2, removable: true}\n"
        },
        ("delay", "both"),
    ),
    "duplicate_arc": (
        {
            "g.yaml": HEAD + "arcs:\n  - {source: s, target: t, length: 1}\n"
            "  - {source: s, target: t, length: 2}\n"
        },
        (
            "arcs[1]",
            "given twice",
        ),
    ),
    "self_loop": (
        {"g.yaml": HEAD + ARCS + "  - {source: a, target: a, length: 1}\n"},
        ("self-loop",),
    ),
    "unknown_arc_key": (
        {"g.yaml": HEAD + "arcs:\n  - {source: s, target: t, lenght: 1}\n"},
        ("lenght",),
    ),
    "missing_length": (
        {"g.yaml": HEAD + "arcs:\n  - {source: s, target: t}\n"},
        ("length", "missing"),
    ),
    "both_arcs_and_edges": ({"g.yaml": HEAD + ARCS + "edges: e.csv\n"}, ("exactly one",)),
    "neither": ({"g.yaml": HEAD}, ("exactly one",)),
    "unknown_top_key": ({"g.yaml": HEAD + ARCS + "budjet: 2\n"}, ("budjet",)),
    "csv_missing_file": ({"g.yaml": HEAD + "edges: nope.csv\n"}, ("nope.csv", "not found")),
    "csv_ragged": (_csv_beside(CSV_HEAD + "s,a,1,5,1\na,t,1,5\n"), ("e.csv", "line 3", "4 fields")),
    "csv_non_numeric": (
        _csv_beside(CSV_HEAD + "s,a,1,5,1\na,t,one,5,1\n"),
        ("e.csv", "line 3, column 3 (length)", "'one' is not a number"),
    ),
    "csv_negative": (
        _csv_beside(CSV_HEAD + "s,a,1,5,1\na,t,1,5,-1\n"),
        ("e.csv", "line 3, column 5 (cost)", "negative"),
    ),
    "csv_inf": (
        _csv_beside(CSV_HEAD + "s,a,1,inf,1\na,t,1,5,1\n"),
        ("e.csv", "line 2, column 4 (delay)", "not finite"),
    ),
    "csv_duplicate": (
        _csv_beside(CSV_HEAD + "s,a,1,1,1\na,t,1,5,1\ns,a,2,1,1\n"),
        ("e.csv", "line 4", "given twice", "line 2"),
    ),
    "undirected_both_ways": (
        {"g.yaml": HEAD + "directed: false\n" + ARCS + "  - {source: t, target: a, length: 1}\n"},
        ("arcs[3]", "given twice", "arcs[1]", "both directions"),
    ),
    "csv_missing_column": (
        _csv_beside("source,target,length,cost\ns,t,1,1\n"),
        ("e.csv", "missing column(s) delay"),
    ),
    "csv_unknown_column": (
        _csv_beside(CSV_HEAD.strip() + ",colour\ns,t,1,1,1,red\n"),
        ("e.csv", "column 6", "colour"),
    ),
    "csv_bad_bool": (
        _csv_beside(CSV_HEAD.strip() + ",removable\ns,t,1,0,1,maybe\n"),
        ("e.csv", "line 2, column 6", "maybe"),
    ),
    "csv_empty": (_csv_beside(""), ("e.csv", "empty")),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input(case, write, tmp_path, capsys):
    files, words = BAD[case]
    for name, text in files.items():
        write(name, text)
    with pytest.raises(InputError) as exc:
        load_game(tmp_path / "g.yaml")
    msg = str(exc.value)
    for w in words:
        assert w in msg, msg
    assert "fix:" in msg
    assert main(["solve", str(tmp_path / "g.yaml")]) == 2
    err = capsys.readouterr().err.strip()
    assert err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_api_bad_input():
    import networkx as nx

    g = nx.DiGraph()
    g.add_edge("s", "t", length=-1)
    with pytest.raises(InputError, match="negative"):
        InterdictionGame.from_networkx(g, "s", "t", 1)
    g = nx.DiGraph()
    g.add_edge("s", "t", length=1)
    with pytest.raises(InputError, match="unknown node 'x'"):
        InterdictionGame.from_networkx(g, "x", "t", 1)
    g.add_edge("s", "a", weight=1)
    with pytest.raises(InputError, match="no 'length' attribute"):
        InterdictionGame.from_networkx(g, "s", "t", 1)
    with pytest.raises(InputError, match="multigraph"):
        InterdictionGame.from_networkx(nx.MultiDiGraph(), "s", "t", 1)
    h = nx.DiGraph()
    h.add_edge(1, "1", length=1)
    with pytest.raises(InputError, match="both print as"):
        InterdictionGame.from_networkx(h, 1, "1", 1)


def test_numpy_attributes_accepted():
    import networkx as nx
    import numpy as np

    g = nx.DiGraph()
    g.add_edge("s", "t", length=np.int64(3), removable=np.bool_(True), cost=np.float32(1))
    game = InterdictionGame.from_networkx(g, "s", "t", np.int64(1))
    assert game.arcs[0].removable is True and game.arcs[0].length == 3.0
    assert game.budget == 1.0


@pytest.mark.parametrize("field,bad", [("leader_name", ""), ("follower_name", None)])
def test_player_name_must_be_a_non_empty_string(field, bad):
    import dataclasses

    game = load_game("data/interdiction/diamond.yaml")
    with pytest.raises(InputError, match="player name must be a non-empty string") as exc:
        dataclasses.replace(game, **{field: bad})
    assert exc.value.field == field.replace("_name", ".name")
    assert exc.value.source == "data/interdiction/diamond.yaml"


@pytest.mark.parametrize("method", ["dual_milp", "lp_dual"])
def test_export_of_an_unreachable_target_is_refused(write, method):
    """Both MILP builders refuse a game whose target the follower cannot reach (no model)."""
    from stackopt.kinds.interdiction.solve import build_model

    p = write(
        "g.yaml",
        HEAD + "arcs:\n  - {source: s, target: a, length: 1}\n"
        "  - {source: t, target: a, length: 1}\n",
    )
    with pytest.raises(InputError, match="no path from 's' to 't'") as exc:
        build_model(load_game(p), method)
    assert exc.value.field == "target" and exc.value.source == str(p)
