"""The safe expression grammar: values checked by hand, errors name expression and column."""

import pytest

from stackopt.errors import InputError
from stackopt.kinds.bilevel.expressions import parse_constraint, parse_expression


def test_linear_terms_and_constant():
    p = parse_expression("x - 4*y + 2*(x - 1) / 4")
    assert p.linear() == {"x": 1.5, "y": -4.0}
    assert p.constant == -0.5


def test_quadratic_terms_and_powers():
    p = parse_expression("y^2 - 2*x*y + 0.5*y**2 + (y + 1)*(y - 1)")
    assert p.quadratic() == {("y", "y"): 2.5, ("x", "y"): -2.0}
    assert p.constant == -1.0


def test_indexed_names_are_normalised():
    p = parse_expression("3*x[1] - flow[a, b] + x[ 2 ]")
    assert p.linear() == {"x[1]": 3.0, "flow[a,b]": -1.0, "x[2]": 1.0}


def test_constraint_senses_move_everything_left():
    c = parse_constraint("3*x - 2*y <= 4")
    assert c.sense == "<=" and c.body.linear() == {"x": 3.0, "y": -2.0} and c.body.constant == -4
    c = parse_constraint("x + 1 = 2*y")
    assert c.sense == "==" and c.body.linear() == {"x": 1.0, "y": -2.0} and c.body.constant == 1
    assert parse_constraint("1e1 >= -x").body.linear() == {"x": 1.0}


@pytest.mark.parametrize(
    "text,col,what",
    [
        ("x - 4*y$", 8, "unexpected character"),
        ("2x + y", 2, "missing operator"),
        ("x / y", 3, "division by a variable"),
        ("x*y*y", 4, "degree above 2"),
        ("(x + y", 7, "missing ')'"),
        ("x^3", 3, "exponent"),
        ("x +", 4, "unexpected end"),
        ("__import__('os')", 12, "unexpected character"),
    ],
)
def test_errors_point_at_column(text, col, what):
    with pytest.raises(InputError) as exc:
        parse_expression(text, field="leader.objective", source="f.yaml")
    msg = str(exc.value)
    assert what in msg and f"column {col}" in msg and repr(text) in msg
    assert msg.startswith("f.yaml: field 'leader.objective'")


@pytest.mark.parametrize(
    "text,what",
    [
        ("x + y", "needs a comparison"),
        ("x < 3", "strict inequality"),
        ("0 <= x <= 3", "only one comparison"),
    ],
)
def test_constraint_errors(text, what):
    with pytest.raises(InputError, match=what):
        parse_constraint(text)


def test_objective_with_comparison_is_refused():
    with pytest.raises(InputError, match="comparison"):
        parse_expression("x <= 3")


def test_never_evaluates_code():
    for text in ("__import__", "os.system", "x.__class__", "lambda: 1", "[1]"):
        with pytest.raises(InputError):
            parse_expression(text + "(1)")
