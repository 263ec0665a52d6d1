"""Gambit .nfg files: payoff and outcome versions, checked against hand-written matrices.

Gambit lists profiles with player 1's strategy varying fastest, so for an ``m x n`` game the
``p``-th profile is ``(p mod m, p div m)``.
"""

from __future__ import annotations

import numpy as np
import pytest

from stackopt import load_game, solve
from stackopt.kinds.normal_form.io_nfg import read_nfg

from ..conftest import DATA


def test_payoff_version():
    g = read_nfg(DATA / "payoff_3x2.nfg")
    assert np.array_equal(g.A, [[-0.5, 2], [3, 4], [5, 6.5]])
    assert np.array_equal(g.B, [[10, 20], [30, 40], [50, 60]])
    assert g.leader_actions == ("a1", "a2", "a3") and g.follower_actions == ("b1", "b2")
    assert (g.leader_name, g.follower_name) == ("Row", "Column")
    assert g.name == "payoff version, 3 x 2"


def test_outcome_version():
    g = load_game(DATA / "outcome_2x3.nfg")
    assert g.leader_actions == ("U", "D") and g.follower_actions == ("L", "C", "R")
    # profile order (U,L) (D,L) (U,C) (D,C) (U,R) (D,R) -> outcomes 1 2 0 3 2 1
    assert np.array_equal(g.A, [[1, 0, 2], [2, 1.5, 1]])
    assert np.array_equal(g.B, [[-1, 0, -2], [-2, 0.25, -1]])
    assert (g.leader_name, g.follower_name) == ("Leader", "Follower")


def test_gambit_game_solves_to_known_answer():
    r = solve(load_game(DATA / "commitment_beats_nash.nfg"))
    assert r.certified
    assert r.leader.value == pytest.approx(2.5, abs=1e-9)
    assert r.leader.commitment == pytest.approx({"a1": 0.5, "a2": 0.5}, abs=1e-9)
    assert r.follower.response == "b2"


def test_layout_variants(write):
    # whitespace is not significant; commas separate outcome payoffs; escaped quotes in titles
    p = write("w.nfg", 'NFG 1 D "say \\"hi\\"" {"A" "B"}{1 2}\n1 2\n3 4\n')
    g = read_nfg(p)
    assert g.name == 'say "hi"'
    assert np.array_equal(g.A, [[1, 3]]) and np.array_equal(g.B, [[2, 4]])
    assert g.follower_actions == ("b1", "b2")


def test_untitled_game_named_after_file(write):
    g = read_nfg(write("plain.nfg", 'NFG 1 R "" { "" "" } { 1 1 }\n0 0\n'))
    assert g.name == "plain" and g.leader_name == "leader" and g.follower_name == "follower"
