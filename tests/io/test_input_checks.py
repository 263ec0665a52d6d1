"""``stackopt.checks.inputs``: ``in_file`` names the file in a refusal (once, keeping a file
already named), and ``finite_input`` formats its message only for a refused value (the
readers call it for every number of large edge lists)."""

from __future__ import annotations

import pytest

from stackopt.checks import inputs
from stackopt.checks.inputs import finite_input, in_file
from stackopt.errors import InputError


def test_in_file_names_the_file_once():
    with pytest.raises(InputError) as exc, in_file("g.yaml"):
        raise InputError("bad", field="budget", fix="fix it")
    assert str(exc.value) == "g.yaml: field 'budget': bad (fix: fix it)"


def test_in_file_keeps_a_file_already_named():
    with pytest.raises(InputError) as exc, in_file("g.yaml"), in_file("e.csv"):
        raise InputError("bad", field="line 2")
    assert str(exc.value) == "e.csv: field 'line 2': bad"


@pytest.mark.parametrize("source", [None, ""])
def test_in_file_without_a_file_changes_nothing(source):
    err = InputError("bad", field="x")
    with pytest.raises(InputError) as exc, in_file(source):
        raise err
    assert exc.value is err


def test_in_file_lets_other_errors_through():
    with pytest.raises(KeyError), in_file("g.yaml"):
        raise KeyError("k")
    with in_file("g.yaml"):
        pass


def test_finite_number_formats_nothing_for_an_accepted_number(monkeypatch):
    def no_format(value, width=40):
        raise AssertionError("formatted a message for an accepted number")

    monkeypatch.setattr(inputs, "shown_value", no_format)
    assert finite_input(3, "arcs[0].length", what="length") == 3.0
    assert finite_input(-2.5, "budget") == -2.5


@pytest.mark.parametrize(
    "value,message",
    [
        ("3", "length '3' is not a number"),
        (True, "length True is not a number"),
        (float("nan"), "length nan is not finite"),
        (-(10**400), f"length -1{'0' * 35}... is not finite"),
    ],
    ids=["text", "bool", "nan", "huge"],
)
def test_finite_number_refusals(value, message):
    with pytest.raises(InputError) as exc:
        finite_input(value, "arcs[0].length", what="length", fix="a", fix_finite="b")
    assert message in str(exc.value)
    assert str(exc.value).endswith("(fix: b)" if "finite" in message else "(fix: a)")
