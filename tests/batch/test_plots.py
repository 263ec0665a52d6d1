"""Plots: the drawn data equal the table / an independent computation; the CLI writes files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("matplotlib")
from matplotlib.figure import Figure

import stackopt
from stackopt import plots
from stackopt.cli import main
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.testing.oracles.normal_form import (
    grid_value_2xn,
    sse_vertex_enumeration,
)

REPO = Path(__file__).resolve().parents[2]
INSPECTION = str(REPO / "data" / "inspection.yaml")


def _ax():
    return Figure().subplots()


def _table(rows):
    base = {"status": "optimal", "certified": True}
    return pd.DataFrame([{**base, **r} for r in rows])


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(-5, 5), min_size=n, max_size=n), min_size=2, max_size=2),
            st.lists(st.lists(st.integers(-5, 5), min_size=n, max_size=n), min_size=2, max_size=2),
        )
    )
)
def test_commitment_curve_maximum_is_the_exact_strong_value(AB):
    A, B = (np.array(M, float) for M in AB)
    value, _p = plots.strong_value_2xn(A, B)
    exact = float(sse_vertex_enumeration(A, B).value)
    assert value == pytest.approx(exact, abs=1e-9)
    assert value == pytest.approx(grid_value_2xn(A, B), abs=1e-9)
    # regions tile [0, 1] and each region's response is a best response at its midpoint
    regions = plots.best_response_regions(A, B)
    assert regions[0].start == 0 and regions[-1].stop == 1
    for r, s in zip(regions, regions[1:]):
        assert r.stop == s.start
    for r in regions:
        mid = float(r.start + r.stop) / 2
        u = mid * B[0] + (1 - mid) * B[1]
        assert u[r.response] == pytest.approx(u.max())


def test_commitment_plot_marks_the_solved_commitment():
    game = stackopt.load_game(INSPECTION)
    result = stackopt.solve(game)
    ax = plots.commitment_plot(game, ax=_ax(), result=result)
    star = next(ln for ln in ax.lines if ln.get_marker() == "*")
    assert star.get_xdata()[0] == pytest.approx(result.commitment["inspect"])
    assert star.get_ydata()[0] == pytest.approx(result.leader_value)
    swapped = plots.commitment_plot(game, ax=_ax(), leader="inspectee")
    assert "inspectee" in swapped.get_ylabel()
    with pytest.raises(stackopt.InputError, match="needs 2"):
        plots.commitment_plot(NormalFormGame(np.zeros((3, 2)), np.zeros((3, 2))), ax=_ax())


def test_value_plot_draws_each_players_value_per_order():
    df = _table(
        [
            {
                "x": 1,
                "leader_name": "reg",
                "follower_name": "firm",
                "leader_value": 3.0,
                "follower_value": -1.0,
            },
            {
                "x": 2,
                "leader_name": "reg",
                "follower_name": "firm",
                "leader_value": 4.0,
                "follower_value": -2.0,
            },
            {
                "x": 1,
                "leader_name": "firm",
                "follower_name": "reg",
                "leader_value": 1.0,
                "follower_value": 2.0,
            },
            {
                "x": 2,
                "leader_name": "firm",
                "follower_name": "reg",
                "leader_value": 0.5,
                "follower_value": 2.5,
            },
            {
                "x": 3,
                "leader_name": "firm",
                "follower_name": "reg",
                "leader_value": 9.0,
                "follower_value": 9.0,
                "status": "error",
            },  # not drawn
        ]
    )
    ax = plots.value_plot(df, "x", ax=_ax())
    lines = {ln.get_label(): (list(ln.get_xdata()), list(ln.get_ydata())) for ln in ax.lines}
    assert lines == {
        "reg (reg leads)": ([1, 2], [3.0, 4.0]),
        "firm (reg leads)": ([1, 2], [-1.0, -2.0]),
        "firm (firm leads)": ([1, 2], [1.0, 0.5]),
        "reg (firm leads)": ([1, 2], [2.0, 2.5]),
    }
    with pytest.raises(stackopt.InputError, match="no column"):
        plots.value_plot(df, "nope", ax=_ax())


def test_order_map_colours_the_better_order_for_the_player():
    rows = []
    for x in (0, 1):
        for y in (0, 1):
            # the regulator's value: leading 1 + x, following 1 + y (tie when x == y)
            rows.append(
                {
                    "x": x,
                    "y": y,
                    "leader_name": "reg",
                    "follower_name": "firm",
                    "leader_value": 1.0 + x,
                    "follower_value": 0.0,
                }
            )
            rows.append(
                {
                    "x": x,
                    "y": y,
                    "leader_name": "firm",
                    "follower_name": "reg",
                    "leader_value": 0.0,
                    "follower_value": 1.0 + y,
                }
            )
    ax = plots.order_map(_table(rows), "x", "y", player="reg", ax=_ax())
    grid = np.asarray(ax.collections[0].get_array()).reshape(2, 2)  # rows: y, columns: x
    reg, firm, tie = 0, 1, 2
    assert grid.tolist() == [[tie, reg], [firm, tie]]
    labels = {t.get_text() for t in ax.get_legend().get_texts()}
    assert labels == {"reg leads", "firm leads", "tie"}
    # values that are losses: the lower one wins
    ax = plots.order_map(_table(rows), "x", "y", player="reg", ax=_ax(), minimize=True)
    grid = np.asarray(ax.collections[0].get_array()).reshape(2, 2)
    assert grid.tolist() == [[tie, firm], [reg, tie]]


def test_plot_cli_writes_figures(tmp_path, capsys):
    table = tmp_path / "fine.csv"
    assert (
        main(
            [
                "batch",
                "--scenarios",
                str(REPO / "data" / "scenarios" / "inspection_fine.yaml"),
                "--out",
                str(table),
                "--quiet",
            ]
        )
        == 0
    )
    out = tmp_path / "sweep.png"
    assert main(["plot", str(table), "--x", "payoffs.follower.0.1", "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = tmp_path / "one_order.png"
    assert (
        main(
            [
                "plot",
                str(table),
                "--x",
                "payoffs.follower.0.1",
                "--where",
                "leader=inspector",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "commit.svg"
    assert main(["plot", INSPECTION, "--commitment", "--out", str(svg)]) == 0
    assert b"<svg" in svg.read_bytes()[:500]
    capsys.readouterr()
    assert main(["plot", str(table), "--x", "nope", "--out", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no column 'nope'" in err[0]
    assert (
        main(["plot", str(table), "--x", "payoffs.follower.0.1", "--out", str(tmp_path / "x.gif")])
        == 2
    )
