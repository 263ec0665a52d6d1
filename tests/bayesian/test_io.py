"""The ``kind: bayesian`` YAML format and bad input (clear errors naming type and field)."""

from __future__ import annotations

import numpy as np
import pytest

from stackopt import load_game
from stackopt.errors import InputError
from stackopt.kinds.bayesian.game import BayesianGame
from stackopt.kinds.bayesian.io_yaml import bayesian_to_dict, parse_bayesian

GOOD = """\
kind: bayesian
name: small
leader: {name: police, actions: [g1, g2]}
follower: {name: robber}
followers:
  - name: thief
    prior: 0.75
    actions: [r1, r2]
    payoffs:
      leader:   [[1, -1], [-1, 1]]
      follower: [[-1, 1], [1, -1]]
  - name: vandal
    prior: 0.25
    actions: [r1, r2, home]
    payoffs:
      leader:   [[1, -1, 0], [-1, 1, 0]]
      follower: [[-1, 1, 0], [1, -1, 0]]
"""


def load(write, text):
    return load_game(write("g.yaml", text))


def test_good_file_roundtrip(write):
    g = load(write, GOOD)
    assert isinstance(g, BayesianGame) and g.kind == "bayesian" and g.mode == "types"
    assert g.type_names == ("thief", "vandal")
    assert g.types[1].actions == ("r1", "r2", "home")
    assert g.leader_actions == ("g1", "g2")
    assert np.allclose(g.priors, [0.75, 0.25])
    again = parse_bayesian(bayesian_to_dict(g), source="x")
    assert again.type_names == g.type_names and np.array_equal(again.types[1].C, g.types[1].C)


def test_weights_make_independent_followers(write):
    g = load(write, GOOD.replace("prior: 0.75", "weight: 3").replace("prior: 0.25", "weight: 2"))
    assert g.mode == "followers" and g.total_weight == 5 and g.value_factor == 5


def test_bundled_examples_load():
    for name in ("patrol", "two_regions"):
        g = load_game(f"data/bayesian/{name}.yaml")
        assert g.kind == "bayesian"


BAD = [
    (GOOD.replace("prior: 0.25", "prior: 0.3"), "priors sum to 1.05", "followers.prior"),
    (
        GOOD.replace("prior: 0.75", "prior: 1.25").replace("prior: 0.25", "prior: -0.25"),
        "negative",
        "followers[1] (vandal).prior",
    ),
    (GOOD.replace("prior: 0.25", "weight: 0.25"), "some types have 'prior'", "followers[1]"),
    (GOOD.replace("    prior: 0.25\n", ""), "neither 'prior' nor 'weight'", "followers[1]"),
    (
        GOOD.replace("actions: [r1, r2, home]", "actions: [r1, r2]"),
        "type 'vandal': 2 labels for 3 actions",
        "followers[1] (vandal).actions",
    ),
    (
        GOOD.replace("follower: [[-1, 1, 0], [1, -1, 0]]", "follower: [[-1, 1], [1, -1]]"),
        "type 'vandal': leader payoffs are 2x3 but follower payoffs are 2x2",
        "followers[1] (vandal).payoffs",
    ),
    (
        GOOD.replace("leader:   [[1, -1, 0], [-1, 1, 0]]", "leader:   [[1, -1, 0]]").replace(
            "follower: [[-1, 1, 0], [1, -1, 0]]", "follower: [[-1, 1, 0]]"
        ),
        "type 'vandal' has 1 payoff rows but type 'thief' has 2",
        "followers[1] (vandal).payoffs",
    ),
    (
        GOOD.replace(
            "leader: {name: police, actions: [g1, g2]}",
            "leader: {name: police, actions: [g1, g2, g3]}",
        ),
        "3 labels for 2 actions",
        "leader.actions",
    ),
    (GOOD.replace("name: vandal", "name: thief"), "duplicate type name", "followers[1]"),
    (GOOD.replace("prior: 0.75", "prior: lots"), "not a finite number", "followers[0]"),
    (GOOD.replace("followers:", "followerz:"), "required key is missing", "followers"),
    (
        GOOD.replace("    prior: 0.75\n", "    prior: 0.75\n    colour: red\n"),
        "unknown key",
        "followers[0].colour",
    ),
    (
        GOOD.replace("      follower: [[-1, 1], [1, -1]]", "      follower: [[-1, x], [1, -1]]"),
        "not a number",
        "followers[0] (thief).payoffs.follower[0][1]",
    ),
]


@pytest.mark.parametrize("text,message,field", BAD)
def test_bad_input_names_type_and_field(write, text, message, field):
    with pytest.raises(InputError) as exc:
        load(write, text)
    text_err = str(exc.value)
    assert message in text_err
    assert field in text_err
    assert "g.yaml" in text_err and "fix:" in text_err


def test_prior_sum_tolerance():
    R = [np.zeros((2, 2))] * 3
    ok = BayesianGame.from_matrices(R, R, [1 / 3, 1 / 3, 1 / 3])  # float sum within 1e-9
    assert ok.total_weight == pytest.approx(1.0)
    with pytest.raises(InputError, match="priors sum to"):
        BayesianGame.from_matrices(R, R, [1 / 3, 1 / 3, 1 / 3 + 1e-8])


def test_api_bad_input():
    with pytest.raises(InputError, match="weights sum to 0"):
        BayesianGame.from_matrices([np.zeros((2, 2))], [np.zeros((2, 2))], [0.0], mode="followers")
    with pytest.raises(InputError, match="non-empty list"):
        BayesianGame(leader_actions=(), types=())
    with pytest.raises(InputError, match="3 leader matrices"):
        BayesianGame.from_matrices([np.zeros((2, 2))] * 3, [np.zeros((2, 2))] * 2, [0.5, 0.5])


def test_cli_bad_priors_exit_2(write, capsys):
    from stackopt.cli import main

    path = write("g.yaml", GOOD.replace("prior: 0.25", "prior: 0.5"))
    assert main(["solve", str(path)]) == 2
    err = capsys.readouterr().err
    assert "priors sum to" in err and "followers.prior" in err


def test_cli_solve_verify_bayesian(write, tmp_path):
    from stackopt.cli import main

    path = write("g.yaml", GOOD)
    out = tmp_path / "r.json"
    assert main(["solve", str(path), "--out", str(out)]) == 0
    assert main(["verify", str(path), str(out)]) == 0
    assert main(["solve", str(path), "--method", "harsanyi"]) == 0
    assert main(["export", str(path), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "g.lp").exists()


@pytest.mark.parametrize("field,bad", [("leader_name", " "), ("follower_name", 3)])
def test_player_name_must_be_a_non_empty_string(field, bad):
    import dataclasses

    game = load_game("data/bayesian/patrol.yaml")
    key = field.replace("_name", ".name")
    with pytest.raises(InputError, match="player name must be a non-empty string") as exc:
        dataclasses.replace(game, **{field: bad})
    assert exc.value.field == key
