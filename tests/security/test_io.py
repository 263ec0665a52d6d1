"""Security games: validation of the game class and of the ``kind: security`` YAML format."""

from __future__ import annotations

import numpy as np
import pytest

from stackopt import InputError, load_game
from stackopt.cli import main
from stackopt.kinds.security.game import SecurityGame
from stackopt.kinds.security.io_yaml import parse_security, security_to_dict

FIVE = """\
kind: security
name: five
resources: 2
targets:
""" + "".join(
    f"  - {{name: t{k}, defender: {{covered: 5, uncovered: -20}}, "
    f"attacker: {{covered: -10, uncovered: 30}}}}\n"
    for k in range(5)
)

TYPES = """\
kind: security
resources: 1
targets:
  - {name: a, defender: {covered: 1, uncovered: -5}}
  - {name: b, defender: {covered: 1, uncovered: -3}}
attacker:
  name: adversary
  types:
    - name: x
      prior: 0.6
      payoffs: {a: {covered: -1, uncovered: 4}, b: {covered: -1, uncovered: 2}}
    - name: y
      prior: 0.4
      payoffs: {a: {covered: -1, uncovered: 1}, b: {covered: -1, uncovered: 3}}
      defender: {b: {covered: 0, uncovered: -1}}
"""


def test_parse_one_type(write):
    g = load_game(write("five.yaml", FIVE))
    assert isinstance(g, SecurityGame) and g.kind == "security"
    assert g.targets == ("t0", "t1", "t2", "t3", "t4") and g.resources == 2
    assert g.n_types == 1 and g.priors == (1.0,)
    assert np.all(g.defender_uncovered == -20) and np.all(g.attacker_uncovered == 30)


def test_parse_types_with_override_and_round_trip(write):
    g = load_game(write("types.yaml", TYPES))
    assert g.types == ("x", "y") and g.priors == (0.6, 0.4)
    assert g.defender_uncovered.tolist() == [[-5, -3], [-5, -1]]
    assert g.attacker_uncovered.tolist() == [[4, 2], [1, 3]]
    again = parse_security(security_to_dict(g), source="<dict>")
    for name in (
        "defender_covered",
        "defender_uncovered",
        "attacker_covered",
        "attacker_uncovered",
    ):
        assert np.array_equal(getattr(g, name), getattr(again, name))
    assert again.priors == g.priors and again.types == g.types


@pytest.mark.parametrize(
    "base,old,new,field,words",
    [
        (FIVE, "resources: 2", "resources: 6", "resources", "more resources (6) than targets (5)"),
        (FIVE, "resources: 2", "resources: 1.5", "resources", "whole number"),
        (FIVE, "resources: 2", "resources: -1", "resources", ">= 0"),
        (FIVE, "covered: 5,", "covered: five,", "targets[0].defender.covered", "not a number"),
        (
            FIVE,
            "uncovered: 30}}\n",
            "uncovered: '30'}}\n",
            "targets[0].attacker.uncovered",
            "not a number",
        ),
        (
            FIVE,
            "covered: 5, uncovered: -20",
            "covered: -20, uncovered: 5",
            "targets[0].defender",
            "swapped",
        ),
        (
            FIVE,
            "covered: -10, uncovered: 30",
            "covered: 30, uncovered: -10",
            "targets[0].attacker",
            "swapped",
        ),
        (FIVE, "name: t1,", "name: t0,", "targets[1]", "duplicate target"),
        (FIVE, "resources: 2", "resources: 2\nextra: 1", "extra", "unknown key"),
        (TYPES, "prior: 0.4", "prior: 0.5", "attacker.types", "priors sum to 1.1, not 1"),
        (TYPES, "prior: 0.6", "prior: 1.2", "attacker.types[0].prior", "above 1"),
        (TYPES, "prior: 0.4", "prior: -0.2", "attacker.types[1].prior", "negative"),
        (TYPES, "prior: 0.4", "prior: high", "attacker.types[1].prior", "not a number"),
        (
            TYPES,
            "b: {covered: -1, uncovered: 3}}",
            "c: {covered: -1, uncovered: 3}}",
            "attacker.types[1].payoffs.c",
            "unknown target",
        ),
        (TYPES, "b: {covered: -1, uncovered: 3}}", "}", "attacker.types[1].payoffs", "no payoffs"),
        (
            TYPES,
            "{b: {covered: 0, uncovered: -1}}",
            "{b: {covered: 0, uncovered: x}}",
            "attacker.types[1].defender.b.uncovered",
            "not a number",
        ),
    ],
)
def test_bad_files(write, base, old, new, field, words):
    """``base`` with ``old`` replaced by ``new`` is refused with one InputError naming the
    file, ``field``, ``words`` and a fix."""
    text = base.replace(old, new, 1)
    assert text != base
    with pytest.raises(InputError) as exc:
        load_game(write("bad.yaml", text))
    msg = str(exc.value)
    assert "bad.yaml" in msg and f"'{field}'" in msg and words in msg and "fix:" in msg, msg


def test_types_and_target_attacker_payoffs_conflict(write):
    text = TYPES.replace(
        "{name: a, defender: {covered: 1, uncovered: -5}}",
        "{name: a, defender: {covered: 1, uncovered: -5}, attacker: {covered: 0, uncovered: 1}}",
    )
    with pytest.raises(InputError, match="targets\\[0\\].attacker"):
        load_game(write("bad.yaml", text))


def test_missing_attacker_payoffs(write):
    text = FIVE.replace(", attacker: {covered: -10, uncovered: 30}", "", 1)
    with pytest.raises(InputError, match="targets\\[0\\].attacker"):
        load_game(write("bad.yaml", text))


def test_class_validation():
    ok = dict(
        targets=("a", "b"),
        defender_covered=[1, 1],
        defender_uncovered=[0, 0],
        attacker_covered=[0, 0],
        attacker_uncovered=[1, 1],
        resources=1,
    )
    SecurityGame(**ok)
    assert SecurityGame(**{**ok, "resources": 2}).resources == 2  # full coverage is allowed
    with pytest.raises(InputError, match="more resources"):
        SecurityGame(**{**ok, "resources": 3})
    with pytest.raises(InputError, match="not a number"):
        SecurityGame(**{**ok, "attacker_covered": [0, "x"]})
    with pytest.raises(InputError, match="one payoff per target"):
        SecurityGame(**{**ok, "attacker_covered": [0, 0, 0]})
    with pytest.raises(InputError, match="no priors"):
        SecurityGame(
            **{**ok, "attacker_covered": [[0, 0], [0, 0]], "attacker_uncovered": [[1, 1], [1, 1]]}
        )
    with pytest.raises(InputError, match="not finite"):
        SecurityGame(**{**ok, "defender_covered": [1, float("nan")]})


def test_cli_bad_input_exit_2(write, capsys):
    p = write("bad.yaml", FIVE.replace("resources: 2", "resources: 9"))
    assert main(["solve", str(p)]) == 2
    err = capsys.readouterr().err
    assert "more resources (9) than targets (5)" in err and "\n" == err[-1] and err.count("\n") == 1


def test_bad_names(write):
    with pytest.raises(InputError, match="targets\\[0\\].name"):
        load_game(write("bad.yaml", FIVE.replace("name: t0,", "name: {x: 1},", 1)))
    with pytest.raises(InputError, match="attacker.types\\[1\\].name"):
        load_game(write("bad.yaml", TYPES.replace("name: y", "name: ''", 1)))


def test_shared_vocabulary_leader_follower_is_accepted(tmp_path):
    """``leader``/``follower`` mean ``defender``/``attacker`` at every level."""
    from stackopt import InputError, load_game, solve

    target = (
        "{{name: {n}, {d}: {{covered: 5, uncovered: -20}}, {a}: {{covered: -10, uncovered: 30}}}}"
    )
    rows = "\n".join(
        "  - "
        + target.format(
            n=f"t{k}", d="leader" if k % 2 else "defender", a="follower" if k % 2 else "attacker"
        )
        for k in range(1, 6)
    )
    p = tmp_path / "s.yaml"
    p.write_text(
        "kind: security\nresources: 2\nleader: {name: police}\n"
        "follower: {name: robber}\ntargets:\n" + rows + "\n"
    )
    r = solve(load_game(p))
    assert r.certified and r.leader.name == "police" and r.follower.name == "robber"
    assert abs(r.leader.value + 10) < 1e-9
    p.write_text(
        "kind: security\nresources: 2\nleader: {name: a}\ndefender: {name: b}\n"
        "targets:\n" + rows + "\n"
    )
    with pytest.raises(InputError, match="both 'leader' and 'defender'"):
        load_game(p)
