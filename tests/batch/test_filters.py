"""Grid filters are parsed by a tiny grammar, never evaluated as code.

Oracle: Python's own evaluation of the same (generated, harmless) expressions.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stackopt.batch.filters import parse_filter
from stackopt.errors import InputError

NAMES = ["fine_cap", "budget", "payoffs.leader.0.1", "leader"]


@pytest.mark.parametrize(
    "text, point, expected",
    [
        ("fine_cap >= budget", {"fine_cap": 2, "budget": 1}, True),
        ("fine_cap >= budget", {"fine_cap": 0.5, "budget": 1}, False),
        ("fine_cap + 2 * budget <= 10", {"fine_cap": 4, "budget": 3}, True),
        ("fine_cap + 2 * budget <= 10", {"fine_cap": 5, "budget": 3}, False),
        ("(fine_cap - budget) / 2 > -1", {"fine_cap": 0, "budget": 1}, True),
        ("payoffs.leader.0.1 < -1", {"payoffs.leader.0.1": -3}, True),
        ("leader == 'firm' or budget > 5", {"leader": "firm", "budget": 0}, True),
        ('leader != "firm" and budget > 5', {"leader": "firm", "budget": 9}, False),
        ("not budget > 5", {"budget": 1}, True),
        ("budget == 1e3", {"budget": 1000}, True),
        ("-budget < 0", {"budget": 2}, True),
    ],
)
def test_filters_select_points(text, point, expected):
    assert parse_filter(text, NAMES).keep(point) is expected


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "__import__('os').system('echo pwned') == 0",
        "budget.__class__ == 1",
        "fine_cap >= budget; import os",
        "open('x') == 1",
        "budget > 1 if True else 0",
        "lambda: 1",
        "[budget] == [1]",
        "budget",
        "fine_cap >= ",
        "1 < budget < 3",
        "unknown_parameter > 1",
        "",
    ],
)
def test_anything_but_a_comparison_is_a_parse_error(text):
    with pytest.raises(InputError) as err:
        parse_filter(text, NAMES, source="grid.yaml")
    message = str(err.value)
    assert "\n" not in message and "grid.yaml" in message


def test_filter_cannot_reach_builtins(tmp_path, monkeypatch):
    """Even a name that is a Python builtin is only ever looked up among the parameters."""
    flag = tmp_path / "flag"
    with pytest.raises(InputError):
        parse_filter(f"open('{flag}', 'w') == 1", NAMES)
    assert not flag.exists()


def _expr():
    leaf = st.one_of(st.integers(-5, 5).map(str), st.sampled_from(["a", "b"]))
    return st.recursive(
        leaf,
        lambda inner: st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        max_leaves=6,
    )


@settings(max_examples=200, deadline=None)
@given(
    left=_expr(),
    right=_expr(),
    op=st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
    a=st.integers(-10, 10),
    b=st.integers(-10, 10),
    neg=st.booleans(),
)
def test_agrees_with_python_on_harmless_expressions(left, right, op, a, b, neg):
    text = f"{'not ' if neg else ''}{left} {op} {right}"
    f = parse_filter(text, ["a", "b"])
    expected = eval(text, {"__builtins__": {}}, {"a": a, "b": b})  # generated, harmless
    assert f.keep({"a": a, "b": b}) is bool(expected)
