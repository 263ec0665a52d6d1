"""NormalFormGame: validation, immutability, role swap and restriction."""

from __future__ import annotations

import numpy as np
import pytest

from stackopt import InputError, NormalFormGame


def test_defaults_shape_and_scale():
    g = NormalFormGame([[1, -7], [3, 0], [2, 2]], [[0, 1], [1, 0], [4, 4]])
    assert g.shape == (3, 2)
    assert g.leader_actions == ("a0", "a1", "a2") and g.follower_actions == ("b0", "b1")
    assert g.leader_name == "leader" and g.follower_name == "follower"
    assert g.scale == 7.0
    assert NormalFormGame([[0]], [[0]]).scale == 1.0
    assert "3x2" in repr(g)


def test_matrices_are_copied_and_read_only():
    A = np.array([[1.0, 2.0]])
    g = NormalFormGame(A, A.copy())
    A[0, 0] = 99
    assert g.A[0, 0] == 1.0
    with pytest.raises(ValueError):
        g.A[0, 0] = 5
    with pytest.raises(Exception):
        g.name = "x"  # frozen


def test_integer_arrays_and_labels_are_normalised():
    g = NormalFormGame(np.array([[1, 2]]), np.array([[3, 4]]), [" up "], [1, 2.5])
    assert g.A.dtype == float
    assert g.leader_actions == ("up",) and g.follower_actions == ("1", "2.5")


def test_equality_ignores_name():
    a = NormalFormGame([[1]], [[2]], name="x")
    b = NormalFormGame([[1]], [[2]], name="y")
    c = NormalFormGame([[1]], [[3]])
    assert a == b and a != c
    with pytest.raises(TypeError):
        hash(a)


@pytest.mark.parametrize(
    "A,B,field,text",
    [
        ([[1, 2], [3]], [[1, 2], [3, 4]], "payoffs.leader[1]", "ragged"),
        ([[1, "x"]], [[1, 2]], "payoffs.leader[0][1]", "not a number"),
        ([[1, "2"]], [[1, 2]], "payoffs.leader[0][1]", "not a number"),
        ([[1, True]], [[1, 2]], "payoffs.leader[0][1]", "not a number"),
        ([[1, None]], [[1, 2]], "payoffs.leader[0][1]", "not a number"),
        ([[1, 2]], [[1, float("nan")]], "payoffs.follower[0][1]", "not finite"),
        ([[1, float("inf")]], [[1, 2]], "payoffs.leader[0][1]", "not finite"),
        ([], [[1]], "payoffs.leader", "non-empty"),
        ([[]], [[]], "payoffs.leader", "non-empty"),
        ([1, 2], [[1, 2]], "payoffs.leader[0]", "not a list"),
        ("12", [[1, 2]], "payoffs.leader", "non-empty list"),
        ([[1, 2]], [[1, 2], [3, 4]], "payoffs", "1x2"),
        (np.array([1.0, 2.0]), np.array([1.0, 2.0]), "payoffs.leader", "2-D"),
        (np.array([[True]]), np.array([[1.0]]), "payoffs.leader", "booleans"),
        (np.array([[np.nan]]), np.array([[1.0]]), "payoffs.leader[0][0]", "not finite"),
        ([[1, 10**400]], [[1, 2]], "payoffs.leader[0][1]", "too large"),
        ([[-(10**5000)]], [[1]], "payoffs.leader[0][0]", "too large"),
        (np.array([[10**400]], dtype=object), [[1]], "payoffs.leader[0][0]", "too large"),
        (np.array([[1 + 2j]]), [[1]], "payoffs.leader", "complex"),
        ([[1, np.complex128(1j)]], [[1, 2]], "payoffs.leader[0][1]", "not a number"),
    ],
)
def test_bad_matrices(A, B, field, text):
    with pytest.raises(InputError) as ei:
        NormalFormGame(A, B)
    assert ei.value.field == field
    assert text in str(ei.value) and "fix:" in str(ei.value)


@pytest.mark.parametrize(
    "la,fa,field,text",
    [
        (["a", ""], ["x"], "leader.actions[1]", "empty action label"),
        (["a", "a"], ["x"], "leader.actions[1]", "duplicate label 'a'"),
        (["a", " a "], ["x"], "leader.actions[1]", "duplicate"),
        (["a"], ["x"], "leader.actions", "1 labels for 2 actions"),
        (["a", "b"], ["x", "y"], "follower.actions", "2 labels for 1 actions"),
        ("ab", ["x"], "leader.actions", "list of labels"),
        (["a", None], ["x"], "leader.actions[1]", "not a string"),
        (["a", True], ["x"], "leader.actions[1]", "not a string"),
    ],
)
def test_bad_labels(la, fa, field, text):
    with pytest.raises(InputError) as ei:
        NormalFormGame([[1], [2]], [[1], [2]], la, fa)
    assert ei.value.field == field and text in str(ei.value)


def test_bad_player_names():
    with pytest.raises(InputError, match="different names"):
        NormalFormGame([[1]], [[1]], leader_name="p", follower_name="p")
    with pytest.raises(InputError, match="non-empty string"):
        NormalFormGame([[1]], [[1]], leader_name=" ")


def test_swap_roles_transposes():
    g = NormalFormGame(
        [[1, 2, 3], [4, 5, 6]],
        [[7, 8, 9], [10, 11, 12]],
        ["u", "d"],
        ["l", "c", "r"],
        leader_name="row",
        follower_name="col",
        name="g",
    )
    s = g.swap_roles()
    assert s.shape == (3, 2)
    assert np.array_equal(s.A, g.B.T) and np.array_equal(s.B, g.A.T)
    assert s.leader_actions == ("l", "c", "r") and s.follower_actions == ("u", "d")
    assert s.leader_name == "col" and s.follower_name == "row" and s.name == "g"
    assert s.swap_roles() == g


def test_restrict_keeps_order_given():
    g = NormalFormGame(np.arange(12.0).reshape(3, 4), -np.arange(12.0).reshape(3, 4))
    r = g.restrict(["a2", "a0"], "b3")
    assert r.leader_actions == ("a2", "a0") and r.follower_actions == ("b3",)
    assert np.array_equal(r.A, [[11.0], [3.0]]) and np.array_equal(r.B, [[-11.0], [-3.0]])
    assert g.restrict() == g
    with pytest.raises(InputError, match="listed twice"):
        g.restrict(["a1", "a1"])
    with pytest.raises(InputError, match="unknown action 'zz'") as ei:
        g.restrict(None, ["zz"])
    assert ei.value.field == "follower_actions" and "'b0'" in str(ei.value)


def test_index_lookup():
    g = NormalFormGame([[1, 2]], [[3, 4]], ["only"], ["l", "r"])
    assert g.leader_index("only") == 0 and g.follower_index("r") == 1
    with pytest.raises(InputError, match="unknown follower action 'x'"):
        g.follower_index("x")
    with pytest.raises(InputError, match="unknown leader action"):
        g.leader_index("x")
