"""The CSV readers convert a row of payoffs in one pass (``io_csv._numbers``); a bad cell is
still named by line and column, exactly as cell by cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackopt.errors import InputError
from stackopt.kinds.normal_form.io_csv import _numbers, read_normal_form_csv


def test_numbers_parse_like_float() -> None:
    cells = ["1", "-2.5", "1e-3", " 4 ", "1_0"]
    assert _numbers(cells, "f", 2, list("abcde")) == [float(c) for c in cells]


@pytest.mark.parametrize(
    ("cell", "message"),
    [("x", r"'x' is not a number"), ("inf", r"'inf' is not finite"), ("nan", "not finite")],
)
def test_bad_cell_is_named(cell: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as exc:
        _numbers(["1", cell, "3"], "f.csv", 7, ["a", "b", "c"])
    assert "line 7 column 'b'" in str(exc.value)


def test_bad_cell_in_a_matrix_file(tmp_path: Path) -> None:
    p = tmp_path / "g.csv"
    p.write_text(
        "player,action,l,r\nleader,u,1,2\nleader,d,3,oops\nfollower,u,1,2\nfollower,d,0,1\n"
    )
    with pytest.raises(InputError, match=r"line 3 column 'r'.*'oops' is not a number"):
        read_normal_form_csv(p)
