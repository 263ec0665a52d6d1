"""A result cannot widen its own tolerance: the bilevel certificate's scale comes from the
problem and the values the answer evaluates to (exactly), never from a reported number or a
variable's magnitude. Both forged results below were certified on 9934c2a (atol 1e+294)."""

from __future__ import annotations

import pytest

import stackopt

BARD_FOLLOWER = """
follower:
  variables: {y: {lower: 0}}
  objective: {minimize: "y"}
  constraints: ["-x - y <= -3", "-2*x + y <= 0", "2*x + y <= 12", "3*x - 2*y <= 4"]
"""
UNUSED = """kind: bilevel
name: bard_with_an_unused_variable
leader:
  variables: {x: {lower: 0}, z: {lower: 0}}
  objective: {minimize: "x - 4*y"}
  constraints: []
"""
CANCELLING = """kind: bilevel
name: bard_with_cancelling_variables
leader:
  variables: {x: {lower: 0}, z1: {lower: 0}, z2: {lower: 0}}
  objective: {minimize: "x - 4*y"}
  constraints: ["z1 - z2 == 0", "x + z1 - z2 <= 1"]
"""


def _forge(tmp_path, text, commitment, y, leader_value):
    path = tmp_path / "g.yaml"
    path.write_text(text + BARD_FOLLOWER)
    game = stackopt.load_game(path)
    honest = stackopt.solve(game)
    assert honest.certified and stackopt.verify(game, honest).passed
    forged = honest.to_dict()
    forged["leader"].update(commitment=commitment, value=leader_value)
    forged["follower"].update(response={"y": y}, value=y)
    return game, forged


def test_an_unused_variable_at_1e300_does_not_loosen_the_checks(tmp_path):
    # (x, y) = (1, 2) is worth -7, the optimum is -12; the claim says -1000
    game, forged = _forge(tmp_path, UNUSED, {"x": 1.0, "z": 1e300}, 2.0, -1000.0)
    cert = stackopt.verify(game, forged)
    assert not cert.passed
    failed = {c.name for c in cert.checks if not c.passed}
    assert {"leader_value", "optimality"} <= failed
    assert cert.atol <= 1e-4


@pytest.mark.parametrize("resolve", [True, False])
def test_cancelling_variables_cannot_hide_a_violated_row(tmp_path, resolve):
    # z1 = z2 makes 'x + z1 - z2 <= 1' read x <= 1; in floating point (4 + 1e300) - 1e300 = 0
    game, forged = _forge(tmp_path, CANCELLING, {"x": 4.0, "z1": 1e300, "z2": 1e300}, 4.0, -12.0)
    cert = stackopt.verify(game, forged, resolve=resolve)
    assert not cert.passed
    assert not next(c for c in cert.checks if c.name == "commitment").passed
