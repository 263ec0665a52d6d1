"""CSV forms of normal-form games: long form, two-matrix form, matrix files, writers."""

from __future__ import annotations

import numpy as np
import pytest

from stackopt import InputError, NormalFormGame, load_game, solve
from stackopt.kinds.normal_form.io_csv import (
    read_matrix_csv,
    read_normal_form_csv,
    write_normal_form_csv,
)

GAME = NormalFormGame(
    [[-1, -6], [0, -10.25]],
    [[-1, -10], [0, 5]],
    ["inspect", "skip"],
    ["legal", "violate"],
    name="insp",
)


def test_long_form(write):
    p = write(
        "g.csv",
        """\
        leader_action,follower_action,leader_payoff,follower_payoff
        inspect,violate,-6,-10
        inspect,legal,-1,-1
        skip,legal,0,0

        skip,violate,-10.25,5
        """,
    )
    g = read_normal_form_csv(p)
    # action order is the order of first appearance
    assert g.leader_actions == ("inspect", "skip") and g.follower_actions == ("violate", "legal")
    assert np.array_equal(g.A, [[-6, -1], [-10.25, 0]])
    assert np.array_equal(g.B, [[-10, -1], [5, 0]])
    assert g.name == "g"


def test_header_case_and_spaces(write):
    p = write(
        "g.csv", "Leader_Action, follower_action ,LEADER_PAYOFF,follower_payoff\n a , x , 1 , 2 \n"
    )
    g = load_game(p)
    assert g.leader_actions == ("a",) and g.A[0, 0] == 1 and g.B[0, 0] == 2


def test_two_matrix_form(write):
    p = write(
        "m.csv",
        """\
        player,action,legal,violate
        leader,inspect,-1,-6
        leader,skip,0,-10.25
        follower,inspect,-1,-10
        follower,skip,0,5
        """,
    )
    g = load_game(p)
    assert g == GAME


@pytest.mark.parametrize("form", ["long", "matrix"])
def test_writer_round_trip(tmp_path, form):
    p = tmp_path / f"w_{form}.csv"
    write_normal_form_csv(GAME, p, form=form)
    assert read_normal_form_csv(p) == GAME


def test_writer_keeps_full_precision(tmp_path):
    g = NormalFormGame([[1 / 3, 2 / 7]], [[np.pi, -1e-17]])
    p = tmp_path / "p.csv"
    write_normal_form_csv(g, p)
    back = read_normal_form_csv(p)
    assert np.array_equal(back.A, g.A) and np.array_equal(back.B, g.B)


def test_writer_unknown_form(tmp_path):
    with pytest.raises(InputError, match="unknown CSV form"):
        write_normal_form_csv(GAME, tmp_path / "x.csv", form="wide")


def test_matrix_file(write):
    rows, cols, M = read_matrix_csv(write("A.csv", ",l,r\nu,1,2\nd,3,4.5\n"))
    assert rows == ("u", "d") and cols == ("l", "r")
    assert np.array_equal(M, [[1, 2], [3, 4.5]])
    with pytest.raises(InputError, match="no column labels"):
        read_matrix_csv(write("B.csv", "x\n1\n"))
    with pytest.raises(InputError, match="no rows"):
        read_matrix_csv(write("C.csv", ",l\n"))


def test_csv_game_solves(write):
    p = write(
        "g.csv",
        "leader_action,follower_action,leader_payoff,follower_payoff\n"
        "U,L,1,1\nU,R,3,0\nD,L,0,0\nD,R,2,1\n",
    )
    r = solve(load_game(p))
    assert r.certified and r.leader.value == pytest.approx(2.5, abs=1e-9)


LONG = "leader_action,follower_action,leader_payoff,follower_payoff\n"
TWO = "player,action,x,y\n"


@pytest.mark.parametrize(
    "read,text,message",
    [
        (
            read_normal_form_csv,
            LONG + "a,x,1,2\na,y,abc,2\nb,x,1,2\nb,y,1,2\n",
            "field 'line 3 leader_payoff': 'abc' is not a number (fix: write a plain number)",
        ),
        (
            read_normal_form_csv,
            LONG + "a,x,1,2\na,y,1,inf\nb,x,1,2\nb,y,1,2\n",
            "field 'line 3 follower_payoff': 'inf' is not finite "
            "(fix: payoffs must be finite numbers)",
        ),
        (
            read_normal_form_csv,
            TWO + "leader,a,1,2\nleader,b,1\nfollower,a,1,2\nfollower,b,1,2\n",
            "field 'line 3': row has 3 fields but the header has 4 "
            "(fix: give one payoff per follower action)",
        ),
        (
            read_normal_form_csv,
            TWO + "leader,a,1,café\nleader,b,1,2\nfollower,a,1,2\nfollower,b,1,2\n",
            "field 'line 2 column 'y'': 'café' is not a number (fix: write a plain number)",
        ),
        (
            read_matrix_csv,
            ",x,y\na,1,2\nb,1,2,3\n",
            "field 'line 3': row has 4 fields but the header has 3 "
            "(fix: give a label and one number per column)",
        ),
        (
            read_matrix_csv,
            ",x,y\na,1,nan\nb,1,2\n",
            "field 'line 2 column 'y'': 'nan' is not finite (fix: payoffs must be finite numbers)",
        ),
    ],
    ids=["word", "inf", "ragged_two_matrix", "accented_cell", "ragged_matrix", "nan_matrix"],
)
def test_bad_cells_keep_their_messages(tmp_path, read, text, message):
    """The payoff-cell and ragged-row refusals word the message and fix as they did before the
    CSV readers shared ``stackopt.io.tables`` (a printable cell shown as its repr)."""
    p = tmp_path / "g.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read(p)
    assert str(exc.value) == f"{p}: {message}"


def test_a_huge_cell_is_cut_in_the_message(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text(LONG + "a,x,1," + "9" * 400 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="is not finite") as exc:
        read_normal_form_csv(p)
    assert len(str(exc.value)) < 200
