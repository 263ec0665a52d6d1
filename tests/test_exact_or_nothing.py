"""Regression tests for issue 8 ("exact or nothing") and the YAML 1.2 number item of issue 7.

Each test reproduces one reported failure; the expected behaviour is stated in the test name.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from stackopt import InputError
from stackopt.io import safe_yaml
from stackopt.io.safe_yaml import load_yaml_text, read_text


# -- YAML 1.2 core-schema numbers (issue 7) ----------------------------------------------------
@pytest.mark.parametrize(
    "text,value",
    [
        ("9e-05", 9e-05),
        ("1e3", 1000.0),
        ("1E-7", 1e-7),
        ("-2E+3", -2000.0),
        ("1.5e3", 1500.0),
        (".5e1", 5.0),
        ("+1e0", 1.0),
        ("0.1", 0.1),
        ("12", 12),
        ("-3", -3),
    ],
)
def test_yaml12_floats_load_as_numbers(text, value):
    got = load_yaml_text(f"a: {text}")["a"]
    assert got == value and type(got) is type(value)


def test_quoted_exponents_stay_strings():
    assert load_yaml_text('a: "1e3"\nb: e3\nc: 1e') == {"a": "1e3", "b": "e3", "c": "1e"}


def test_every_json_document_loads_as_json_does():
    doc = {
        "kind": "normal_form",
        "x": [1e-05, 1e300, -3.5e-07, 12, 0.1, 2.5e-10, True, None],
        "nested": {"y": [[1e3]]},
    }
    text = json.dumps(doc)
    assert "e-05" in text and load_yaml_text(text) == json.loads(text)


def test_json_game_with_exponent_payoffs_loads(tmp_path):
    from stackopt.io.load import load_game

    game = {
        "kind": "normal_form",
        "name": "exp",
        "leader": {"name": "L", "actions": ["a", "b"]},
        "follower": {"name": "F", "actions": ["c", "d"]},
        "payoffs": {"leader": [[9e-05, 1e3], [1e-7, 0]], "follower": [[1, 0], [0, 1]]},
    }
    p = tmp_path / "g.yaml"
    p.write_text(json.dumps(game))
    g = load_game(p)
    assert float(g.A[0, 0]) == 9e-05 and float(g.A[0, 1]) == 1000.0


# -- hostile YAML -------------------------------------------------------------------------------
def test_duplicate_yaml_keys_refused():
    with pytest.raises(InputError, match="duplicate key 'a' at line 2"):
        load_yaml_text("a: 1\na: 2", source="g.yaml")
    with pytest.raises(InputError, match="duplicate key"):
        load_yaml_text("x:\n  b: 1\n  c: 2\n  b: 3\n", source="g.yaml")


def test_deep_nesting_refused_fast():
    t = time.perf_counter()
    with pytest.raises(InputError, match="nesting deeper"):
        load_yaml_text("[" * 100_000 + "]" * 100_000, source="r.json")
    assert time.perf_counter() - t < 5


def test_huge_integer_refused():
    with pytest.raises(InputError, match="cannot read a value"):
        load_yaml_text("a: " + "9" * 5001, source="g.yaml")


# -- hostile files ------------------------------------------------------------------------------
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_refused_fast(tmp_path):
    t = time.perf_counter()
    with pytest.raises(InputError, match="not a regular file"):
        read_text("/dev/zero")
    link = tmp_path / "g.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        read_text(link)
    assert time.perf_counter() - t < 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_refused_without_blocking(tmp_path):
    f = tmp_path / "fifo.yaml"
    os.mkfifo(f)
    with pytest.raises(InputError, match="not a regular file"):
        read_text(f)


def test_size_cap_enforced_while_reading(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_text("a: 1\n" * 100)
    with pytest.raises(InputError, match="limit"):
        safe_yaml.read_bytes(p, max_bytes=50)


def test_long_file_name_refused_cleanly():
    with pytest.raises(InputError) as ei:
        read_text("x" * 5000 + ".yaml")
    assert len(str(ei.value)) < 400


# -- Nash: exact or nothing (issue 8, "a certified wrong answer") -------------------------------
import numpy as np  # noqa: E402

from stackopt.kinds.normal_form import nash as nash_mod  # noqa: E402
from stackopt.kinds.normal_form.game import NormalFormGame  # noqa: E402
from stackopt.kinds.normal_form.nash import all_nash_equilibria, nash_equilibria, verify_nash  # noqa: E402
from stackopt.kinds.normal_form.nash_exact import (  # noqa: E402
    exact_equilibrium_on_supports,
    iterated_strict_dominance,
)

DATA = os.path.join(os.path.dirname(__file__), "..", "data")


def _travelers(k: int) -> NormalFormGame:
    claims = list(range(2, 2 + k))
    A = np.array(
        [[c if c == d else (c + 2 if c < d else d - 2) for d in claims] for c in claims],
        dtype=float,
    )
    return NormalFormGame(
        A, A.T.copy(), tuple(f"c{c}" for c in claims), tuple(f"c{c}" for c in claims)
    )


def test_travelers_dilemma_compare_is_exact_and_fast():
    from stackopt.io.load import load_game
    from stackopt.kinds.normal_form.compare import compare_leadership

    g = load_game(os.path.join(DATA, "travelers_dilemma_99.yaml"))
    t = time.perf_counter()
    c = compare_leadership(g)
    assert time.perf_counter() - t < 60
    for s in ("nash_best_player1", "nash_worst_player1", "nash_best_player2", "nash_worst_player2"):
        r = getattr(c, s)
        assert r.certified
        assert r.leader.commitment["claim_2"] == 1.0 and r.follower.response["claim_2"] == 1.0
        assert r.leader.value == 2 and r.follower.value == 2
        assert r.certificate.evidence["exact"]["leader_value"] == "2"
        assert r.certificate.check("exact").passed
    assert abs(c.value_of_commitment_player1 - (98 + 1 / 3 - 2)) < 1e-6


def test_presolve_shrinks_travelers_dilemma_to_one_by_one():
    g = _travelers(30)
    red = iterated_strict_dominance(g.A, g.B)
    assert red.rows == (0,) and red.cols == (0,) and red.lps == 0


def _random_game(rng, m, n, lo=-3, hi=4):
    return NormalFormGame(
        rng.integers(lo, hi, (m, n)).astype(float), rng.integers(lo, hi, (m, n)).astype(float)
    )


@pytest.mark.parametrize("seed", range(12))
def test_presolve_keeps_exactly_the_equilibria(seed):
    """Oracle: exact enumeration on the full game vs on the reduced game (padded)."""
    rng = np.random.default_rng(seed)
    g = _random_game(rng, 4, 4)
    red = iterated_strict_dominance(g.A, g.B)
    full = {(e.leader_strategy, e.follower_strategy) for e in all_nash_equilibria(g)}
    sub = g.restrict(
        [g.leader_actions[i] for i in red.rows], [g.follower_actions[j] for j in red.cols]
    )
    padded = set()
    for e in all_nash_equilibria(sub):
        x = [0] * 4
        y = [0] * 4
        for i, p in zip(red.rows, e.leader_strategy):
            x[i] = p
        for j, p in zip(red.cols, e.follower_strategy):
            y[j] = p
        padded.add((tuple(x), tuple(y)))
    assert padded == full


@pytest.mark.parametrize("force_milp", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_best_and_worst_equilibria_match_full_enumeration(seed, force_milp, monkeypatch):
    if force_milp:
        monkeypatch.setattr(nash_mod, "ENUM_SYSTEMS", 0)
    rng = np.random.default_rng(100 + seed)
    g = _random_game(rng, 4, 3)
    eqs = all_nash_equilibria(g)
    for obj in ("best", "worst"):
        for player in ("leader", "follower"):
            r = nash_equilibria(g, objective=obj, player=player)
            vals = [e.leader_value if player == "leader" else e.follower_value for e in eqs]
            target = max(vals) if obj == "best" else min(vals)
            got = r.leader.value if player == "leader" else r.follower.value
            if r.status.value == "optimal":
                assert r.certified and abs(got - float(target)) < 1e-9
                assert verify_nash(g, r.to_dict()).passed
            else:  # an approximate MILP profile without an exact equilibrium is never certified
                assert not r.certified


def _claim(method: str, leader: tuple, follower: tuple, **more) -> dict:
    """A hand-written ``normal_form`` result claiming ``optimal``: ``leader`` is (name,
    commitment, value), ``follower`` (name, response, value); ``more``: further keys."""
    leader_name, commitment, leader_value = leader
    follower_name, response, follower_value = follower
    return {
        "kind": "normal_form",
        "status": "optimal",
        "method": method,
        "leader": {"name": leader_name, "commitment": commitment, "value": leader_value},
        "follower": {"name": follower_name, "response": response, "value": follower_value},
        **more,
    }


def _eps_trap() -> NormalFormGame:
    # row 1 beats row 0 by 0.5 against column 0, below the absolute tolerance 1e-6 * 1e6
    A = np.array([[1e6, 0.0], [1e6 + 0.5, 0.0]])
    B = np.array([[1.0, 0.0], [1.0, 0.0]])
    return NormalFormGame(A, B, ("r0", "r1"), ("c0", "c1"))


def test_epsilon_equilibrium_is_not_certified_by_verify():
    g = _eps_trap()
    d = _claim(
        "nash_milp",
        ("leader", {"r0": 1.0}, 1e6),
        ("follower", {"c0": 1.0}, 1.0),
        options={"solution_concept": "nash"},
    )
    cert = verify_nash(g, d)
    assert cert.check("leader_best_response").passed  # the float check alone is fooled
    assert not cert.check("exact").passed and not cert.passed


def test_nash_result_cannot_loosen_its_tolerance():
    g = _eps_trap()
    r = nash_equilibria(g).to_dict()
    r["options"]["rtol"] = 0.9
    r["leader"]["commitment"] = {"r0": 1.0}
    r["leader"]["value"] = 1e6
    cert = verify_nash(g, r)
    assert cert.rtol <= 1e-6 and not cert.passed


@pytest.mark.parametrize("bad", [float("nan"), "nan", "x", float("inf"), True])
def test_nash_non_numeric_rtol_or_values_refused(bad):
    g = _eps_trap()
    r = nash_equilibria(g).to_dict()
    r1 = json.loads(json.dumps(r))
    r1["options"]["rtol"] = bad
    with pytest.raises(InputError):
        verify_nash(g, r1)
    r2 = json.loads(json.dumps(r))
    r2["leader"]["value"] = bad
    with pytest.raises(InputError):
        verify_nash(g, r2)


def test_nash_forged_bound_on_non_equilibrium_fails():
    g = _travelers(8)
    d = _claim(
        "nash_milp",
        ("leader", {"c9": 1.0}, 9.0),
        ("follower", {"c9": 1.0}, 9.0),
        options={"objective": "best", "player": "leader", "solution_concept": "nash"},
        certificate={
            "checks": [],
            "rtol": 1e-6,
            "atol": 1e-4,
            "scale": 11,
            "evidence": {"objective": "best", "objective_bound": 9.0},
        },
    )
    cert = verify_nash(g, d)
    assert not cert.passed and not cert.check("exact").passed


def test_nash_suboptimal_equilibrium_with_forged_bound_fails():
    # coordination game: (a, a) pays 2, (b, b) pays 1; claim (b, b) is the best with bound 1
    g = NormalFormGame(
        np.array([[2.0, 0], [0, 1]]), np.array([[2.0, 0], [0, 1]]), ("a", "b"), ("a", "b")
    )
    d = {
        "leader": {"commitment": {"b": 1.0}, "value": 1.0},
        "follower": {"response": {"b": 1.0}, "value": 1.0},
        "options": {"objective": "best"},
        "certificate": {"checks": [], "evidence": {"milp_bound": {"bound": 1.0}}},
    }
    cert = verify_nash(g, d)
    assert cert.check("exact").passed and not cert.check("optimality").passed


def test_exact_support_solve_recovers_mixed_equilibrium():
    g = NormalFormGame(np.array([[1.0, -1], [-1, 1]]), np.array([[-1.0, 1], [1, -1]]))
    prof, _why = exact_equilibrium_on_supports(g.A, g.B, [0.5000001, 0.4999999], [0.5, 0.5])
    assert prof is not None and prof.x == (0.5, 0.5) and prof.u1 == 0


# -- normal form: nothing from the result file is trusted but the answer ------------------------
import copy  # noqa: E402

import stackopt  # noqa: E402
from stackopt.cli import main  # noqa: E402
from stackopt.io.load import load_game  # noqa: E402

INSPECTION = os.path.join(DATA, "inspection.yaml")


def _inspection():
    return load_game(INSPECTION)


def _suboptimal_with(evidence):
    return _claim(
        "multiple_lps",
        ("inspector", {"inspect": 1.0}, -1.0),
        ("inspectee", "legal", -1.0),
        certificate={"checks": [], "evidence": evidence},
    )


def _assert_not_verified(game, result) -> None:
    """``verify`` refuses ``result`` as bad input or fails its certificate: it never passes."""
    try:
        cert = stackopt.verify(game, result)
    except InputError:
        return
    assert not cert.passed


@pytest.mark.parametrize("nan", [float("nan"), "nan", "NaN", float("inf")])
def test_nan_dominance_bounds_do_not_certify_a_suboptimal_answer(nan):
    ev = {
        "bounds": {
            "legal": {"dominated_by": {"violate": nan}},
            "violate": {"dominated_by": {"legal": nan}},
        }
    }
    _assert_not_verified(_inspection(), _suboptimal_with(ev))


def test_nan_dominance_bounds_cli_exit_2_or_1(tmp_path):
    p = tmp_path / "r.json"
    p.write_text(
        json.dumps(
            _suboptimal_with(
                {
                    "bounds": {
                        "legal": {"dominated_by": {"violate": float("nan")}},
                        "violate": {"dominated_by": {"legal": float("nan")}},
                    }
                }
            )
        )
    )
    assert main(["verify", INSPECTION, str(p)]) in (1, 2)


def _weak():
    return stackopt.solve(_inspection(), tie_break="adversarial").to_dict()


def _weak_with_evidence(path, value):
    """The adversarial-ties result of the inspection game with its evidence at ``path`` set to
    ``value``."""
    d = _weak()
    node = d["certificate"]["evidence"]
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    return d


@pytest.mark.parametrize(
    "path,value",
    [
        (("supremum",), float("nan")),
        (("classes", "legal", "multipliers", "violate"), float("nan")),
        (("classes", "violate", "multipliers"), {"legal": float("nan")}),
        (("strict", "value"), float("nan")),
    ],
)
def test_adversarial_ties_nan_evidence_never_passes(path, value):
    _assert_not_verified(_inspection(), _weak_with_evidence(path, value))


def test_adversarial_ties_forged_supremum_with_loose_epsilon_fails():
    d = _weak()
    assert stackopt.verify(_inspection(), d).passed
    d["certificate"]["evidence"]["supremum"] = 100
    d["certificate"]["evidence"]["epsilon_abs"] = 1000
    cert = stackopt.verify(_inspection(), d)
    assert not cert.passed


@pytest.mark.parametrize(
    "restriction",
    [
        {"options": {"leader_actions": ["inspect"]}},
        {"options": {"follower_actions": ["legal"]}},
        {"options": {"pure": True}},
        {"method": "pure_commitment"},
    ],
)
def test_restrictions_in_the_result_do_not_change_what_is_checked(restriction, tmp_path):
    g = _inspection()
    d = _claim(
        "multiple_lps",
        ("inspector", {"inspect": 1.0}, -1.0),
        ("inspectee", "legal", -1.0),
        options={},
    )
    opts = restriction.get("options", {})
    d["options"].update(opts)
    if "method" in restriction:
        d["method"] = restriction["method"]
    cert = stackopt.verify(g, d)
    assert not cert.passed
    assert cert.evidence["ignored_restrictions"]
    p = tmp_path / "r.json"
    p.write_text(json.dumps(d))
    assert main(["verify", INSPECTION, str(p)]) == 1


def test_explicit_restrictions_are_applied():
    g = _inspection()
    r = stackopt.solve(g, leader_actions=["inspect"])
    d = r.to_dict()
    assert not stackopt.verify(g, d).passed
    assert stackopt.verify(g, d, leader_actions=["inspect"]).passed
    rp = stackopt.solve(g, pure=True).to_dict()
    assert stackopt.verify(g, rp, pure=True).passed


def test_verify_exact_flag(tmp_path):
    p = tmp_path / "r.json"
    p.write_text(json.dumps(stackopt.solve(_inspection()).to_dict()))
    assert main(["verify", INSPECTION, str(p), "--exact"]) == 0


# -- Bayesian -----------------------------------------------------------------------------------
PATROL = os.path.join(DATA, "bayesian", "patrol.yaml")


def _patrol():
    g = load_game(PATROL)
    return g, stackopt.solve(g).to_dict()


def _suboptimal_patrol(d):
    d = copy.deepcopy(d)
    d["leader"]["commitment"] = {"guard1": 1.0, "guard2": 0.0}
    g = load_game(PATROL)
    from stackopt.kinds.bayesian.checks import (
        commitment_vector,
        leader_total,
        response_indices,
        tie_broken_responses,  # noqa: F401
    )

    x = commitment_vector(g, d["leader"]["commitment"])
    resp = {}
    for t in g.types:
        fu = x @ t.C
        best = np.flatnonzero(fu >= fu.max() - 1e-12)
        k = max(best, key=lambda c: x @ t.R[:, c])
        resp[t.name] = t.actions[int(k)]
    d["follower"]["response"] = resp
    idx = response_indices(g, resp)
    d["leader"]["value"] = leader_total(g, x, idx)
    d["follower"]["value"] = None
    return d


@pytest.mark.parametrize("bound", [float("nan"), "nan", float("inf"), "x"])
def test_bayesian_nan_milp_bound_does_not_certify_a_suboptimal_answer(bound):
    g, d = _patrol()
    bad = _suboptimal_patrol(d)
    bad["certificate"]["evidence"] = {"milp": {"objective_bound": bound}}
    _assert_not_verified(g, bad)


def test_bayesian_suboptimal_answer_with_forged_bound_fails():
    g, d = _patrol()
    bad = _suboptimal_patrol(d)
    bad["certificate"]["evidence"] = {"milp_bound": {"bound": bad["leader"]["value"]}}
    cert = stackopt.verify(g, bad)
    assert not cert.check("optimality").passed
    assert "Harsanyi" in cert.check("optimality").detail


@pytest.mark.parametrize("value", [float("nan"), "nan", float("inf")])
def test_bayesian_nan_per_type_value_refused(value):
    g, d = _patrol()
    d["follower"]["value"]["thief"] = value
    with pytest.raises(InputError):
        stackopt.verify(g, d)


@pytest.mark.parametrize("mp", ["x", -1, 1e12, True, 10**12])
def test_bayesian_bad_max_profiles_refused(mp):
    g, d = _patrol()
    d["options"]["max_profiles"] = mp
    with pytest.raises(InputError, match="max_profiles"):
        stackopt.verify(g, d)


# -- security: solver-reported bounds are re-derived --------------------------------------------
HUBS = os.path.join(DATA, "security", "transit_hubs.yaml")
TWO_TYPES = os.path.join(DATA, "security", "two_attacker_types.yaml")


def _hubs_suboptimal():
    """Full coverage of the airport: the attacker hits the port (5 > 3 > -2), defender gets -6."""
    return {
        "kind": "security",
        "status": "optimal",
        "method": "eraser",
        "leader": {
            "name": "police",
            "commitment": {"airport": 1.0, "port": 0.0, "station": 0.0},
            "value": -6.0,
        },
        "follower": {"name": "adversary", "response": "port", "value": 5.0},
    }


@pytest.mark.parametrize("bound", [-6.0, "-inf", float("-inf"), float("nan"), "x"])
def test_security_single_type_milp_bound_instead_of_bounds_fails(bound):
    g = load_game(HUBS)
    d = _hubs_suboptimal()
    d["certificate"] = {"checks": [], "evidence": {"milp_bound": {"bound": bound}}}
    try:
        cert = stackopt.verify(g, d)
    except InputError:
        return
    assert not cert.passed
    assert not cert.check("optimality").passed


def test_security_correct_single_type_answer_with_milp_bound_is_rederived():
    g = load_game(HUBS)
    d = stackopt.solve(g).to_dict()
    d["certificate"]["evidence"] = {"milp_bound": {"bound": d["leader"]["value"]}}
    cert = stackopt.verify(g, d)
    assert cert.passed and "re-derived" in cert.check("optimality").detail


def test_security_types_forged_bound_fails_by_fresh_eraser():
    g = load_game(TWO_TYPES)
    d = stackopt.solve(g).to_dict()
    assert stackopt.verify(g, d).passed
    # a worse coverage: everything on the depot
    cov = {t: 0.0 for t in d["leader"]["commitment"]}
    cov["depot"] = 1.0
    from stackopt.kinds.security.checks import coverage_vector

    c = coverage_vector(g, cov)
    resp, vals, total = {}, {}, 0.0
    for k, ty in enumerate(g.types):
        au = c * g.attacker_covered[k] + (1 - c) * g.attacker_uncovered[k]
        du = c * g.defender_covered[k] + (1 - c) * g.defender_uncovered[k]
        best = np.flatnonzero(au >= au.max() - 1e-12)
        t = int(max(best, key=lambda i: du[i]))
        resp[ty], vals[ty] = g.targets[t], float(au[t])
        total += float(g.priors[k]) * float(du[t])
    bad = copy.deepcopy(d)
    bad["leader"]["commitment"], bad["leader"]["value"] = cov, total
    bad["follower"]["response"], bad["follower"]["value"] = resp, vals
    bad["certificate"]["evidence"]["milp_bound"]["bound"] = total
    cert = stackopt.verify(g, bad)
    assert cert.check("best_response").passed and cert.check("leader_value").passed
    assert not cert.check("optimality").passed


# -- interdiction: a forged or "-inf" bound does not certify an arc-free answer ------------------
def _grid6():
    import networkx as nx

    from stackopt.kinds.interdiction.game import InterdictionGame

    rng = np.random.default_rng(1)
    g = nx.grid_2d_graph(6, 6).to_directed()
    for u, v in g.edges:
        g.edges[u, v].update(
            length=int(rng.integers(1, 11)),
            delay=int(rng.integers(5, 21)),
            cost=int(rng.integers(1, 3)),
        )
    return InterdictionGame.from_networkx(g, (0, 0), (5, 5), 4)


@pytest.mark.parametrize("bound", ["same", "-inf", float("-inf"), float("nan"), "x", 1e300])
def test_interdiction_forged_bound_with_no_arc_cut_fails(bound):
    import networkx as nx

    from stackopt.kinds.interdiction.solve import solve_interdiction, verify_interdiction

    game = _grid6()
    good = json.loads(solve_interdiction(game).to_json())
    bad = copy.deepcopy(good)
    bad["leader"]["commitment"] = {k: 0 for k in good["leader"]["commitment"]}
    g = game.to_networkx() if hasattr(game, "to_networkx") else None
    from stackopt.kinds.interdiction.checks import shortest

    dist, path = shortest(game, {a.key: 0.0 for a in game.arcs})
    assert dist < good["leader"]["value"]
    bad["leader"]["value"] = bad["follower"]["value"] = dist
    bad["follower"]["response"] = {"path": path} if path else bad["follower"]["response"]
    ev = bad["certificate"]["evidence"]
    ev.pop("mip", None)
    ev["milp_bound"] = {"bound": dist if bound == "same" else bound}
    del g, nx
    try:
        cert = verify_interdiction(game, bad, enumerate_limit=0)
    except InputError:
        return
    assert not cert.passed and not cert.check("optimality").passed


# -- honest statuses ----------------------------------------------------------------------------
def _unbounded16(tmp_path):
    n = 8
    lv = "{" + ", ".join(f"x{i}: {{lower: 0}}" for i in range(n)) + "}"
    fv = "{" + ", ".join(f"y{i}: {{lower: 0}}" for i in range(n)) + "}"
    obj = " ".join(f"- x{i} - y{i}" for i in range(n))
    fobj = " + ".join(f"y{i}" for i in range(n))
    cons = ", ".join(f'"y{i} <= x{i} + x{(i + 1) % n}"' for i in range(n))
    p = tmp_path / "ub16.yaml"
    p.write_text(
        f"kind: bilevel\nname: ub16\nleader:\n  variables: {lv}\n"
        f'  objective: {{minimize: "{obj}"}}\nfollower:\n  variables: {fv}\n'
        f'  objective: {{maximize: "{fobj}"}}\n  constraints: [{cons}]\n'
    )
    return p


def test_unbounded_16_variable_bilevel_is_not_optimal(tmp_path):
    p = _unbounded16(tmp_path)
    r = stackopt.solve(load_game(p))
    assert r.status.value != "optimal" and not r.certified
    assert r.status.value in ("unbounded", "feasible", "time_limit", "error")
    assert main(["solve", str(p)]) == 1


def test_status_vocabulary_has_feasible_and_time_limit():
    from stackopt.status import Status

    assert Status("feasible") is Status.FEASIBLE and Status("time_limit") is Status.TIME_LIMIT


# -- hostile files: bounded parsers -------------------------------------------------------------
@pytest.mark.parametrize(
    "name,text",
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000),
        (
            "bigint.json",
            '{"leader": {"commitment": {"inspect": 1}, "value": '
            + "9" * 5001
            + '}, "follower": {"response": "legal"}}',
        ),
    ],
)
def test_hostile_result_json_exit_2_fast(tmp_path, name, text, capsys):
    p = tmp_path / name
    p.write_text(text)
    t = time.perf_counter()
    assert main(["verify", INSPECTION, str(p)]) == 2
    assert time.perf_counter() - t < 5
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "text",
    [
        'NFG 1 R "x" { "P1" "P2" } { 2 2 }\n1e99999999 0 0 0 0 0 0 0\n',
        'NFG 1 R "x" { "P1" "P2" } { 100000000 1 }\n1 2\n',
        'NFG 1 R "x" { "P1" "P2" } { 1e15 1 }\n1 2\n',
        'NFG 1 R "x" { "P1" "P2" } { 1 1 }\n' + "9" * 5001 + " 1\n",
    ],
)
def test_hostile_nfg_exit_2_fast(tmp_path, text):
    p = tmp_path / "g.nfg"
    p.write_text(text)
    t = time.perf_counter()
    assert main(["solve", str(p)]) == 2
    assert time.perf_counter() - t < 5


def _bilevel_file(
    tmp_path,
    leader_obj="x",
    follower_vars="{y: {lower: 0, upper: 1}}",
    leader_vars="{x: {lower: 0, upper: 1}}",
    follower_obj="y",
):
    p = tmp_path / "b.yaml"
    p.write_text(
        f"kind: bilevel\nleader:\n  variables: {leader_vars}\n"
        f'  objective: {{minimize: "{leader_obj}"}}\nfollower:\n'
        f'  variables: {follower_vars}\n  objective: {{maximize: "{follower_obj}"}}\n'
    )
    return p


@pytest.mark.parametrize(
    "kw",
    [
        {"leader_obj": "(" * 400 + "x" + ")" * 400},
        {"leader_obj": "1e308*1e308*x"},
        {"leader_obj": "1e308*x + 1e308*x"},
        {"follower_vars": "{y: {lower: 0, upper: 1, index: 200000}}", "follower_obj": "y[1]"},
        {"leader_vars": "{x: {index: 1000000}, 'x[1000000]': {}}", "leader_obj": "x[1]"},
    ],
)
def test_hostile_bilevel_exit_2_fast(tmp_path, kw, capsys):
    p = _bilevel_file(tmp_path, **kw)
    t = time.perf_counter()
    assert main(["solve", str(p)]) == 2
    assert time.perf_counter() - t < 10
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err) < 600


def test_bilevel_15000_leading_signs_parse_without_recursion(tmp_path):
    from stackopt.kinds.bilevel.expressions import parse_expression

    assert parse_expression("-" * 15000 + "x").linear() == {"x": 1.0}
    assert parse_expression("-" * 15001 + "x").linear() == {"x": -1.0}


# -- hostile files: paths named inside a game stay inside its folder ---------------------------
def _folder(tmp_path):
    game_dir = tmp_path / "game"
    secret = tmp_path / "secret"
    game_dir.mkdir()
    secret.mkdir()
    (secret / "s.csv").write_text("source,target,length,delay,cost\nSECRET,t,1,2,1\n")
    return game_dir, secret


@pytest.mark.parametrize("edges", ["ABS", "../secret/s.csv", "link.csv"])
def test_interdiction_edges_outside_the_folder_refused(tmp_path, edges, capsys):
    game_dir, secret = _folder(tmp_path)
    (game_dir / "link.csv").symlink_to(secret / "s.csv")
    name = str(secret / "s.csv") if edges == "ABS" else edges
    g = game_dir / "i.yaml"
    g.write_text(f"kind: interdiction\nsource: s\ntarget: t\nbudget: 1\nedges: {name}\n")
    assert main(["solve", str(g)]) == 2
    err = capsys.readouterr().err
    assert "outside the game's folder" in err and "SECRET" not in err


def test_payoff_csv_symlink_outside_the_folder_refused(tmp_path, capsys):
    game_dir, secret = _folder(tmp_path)
    (secret / "p.csv").write_text(open(os.path.join(DATA, "inspection_long.csv")).read())
    (game_dir / "p.csv").symlink_to(secret / "p.csv")
    g = game_dir / "g.yaml"
    g.write_text("kind: normal_form\nleader: {name: a}\nfollower: {name: b}\npayoffs: p.csv\n")
    assert main(["solve", str(g)]) == 2
    assert "outside the game's folder" in capsys.readouterr().err


def test_csv_with_cr_only_line_ends(tmp_path):
    text = open(os.path.join(DATA, "inspection_long.csv")).read().replace("\n", "\r")
    p = tmp_path / "g.csv"
    p.write_text(text, newline="")
    assert main(["solve", str(p)]) == 0
    e = tmp_path / "e.csv"
    e.write_text("source,target,length,delay,cost\rs,t,1,2,1\r", newline="")
    g = tmp_path / "i.yaml"
    g.write_text("kind: interdiction\nsource: s\ntarget: t\nbudget: 1\nedges: e.csv\n")
    assert main(["solve", str(g)]) == 0


# -- CLI: --out and Ctrl-C ----------------------------------------------------------------------
def test_out_empty_or_equal_to_the_input_refused(tmp_path):
    g = tmp_path / "g.yaml"
    g.write_text(open(INSPECTION).read())
    before = g.read_text()
    assert main(["solve", str(g), "--out", ""]) == 2
    assert main(["solve", str(g), "--out", str(g)]) == 2
    assert main(["solve", str(g), "--out", str(tmp_path / "." / "g.yaml")]) == 2
    assert g.read_text() == before


def test_sigint_during_solve_exits_130_without_out(tmp_path, monkeypatch):
    import signal

    import stackopt.api
    from stackopt.errors import SolverError

    def swallowing_solve(game, **kw):  # a solver layer that turns Ctrl-C into a failure
        try:
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:
            raise SolverError("HiGHS stopped: interrupted") from None
        raise AssertionError("not reached")

    monkeypatch.setattr(stackopt.api, "solve", swallowing_solve)
    out = tmp_path / "r.json"
    assert main(["solve", INSPECTION, "--out", str(out)]) == 130
    assert not out.exists() and not list(tmp_path.iterdir())


def test_sigint_subprocess_exit_130(tmp_path):
    """A real Ctrl-C during a long solve: exit 130 and no --out file."""
    import signal
    import subprocess
    import sys

    code = (
        "import sys, time, stackopt.api\n"
        "def slow(game, **kw):\n"
        "    print('ready', flush=True)\n"
        "    time.sleep(30)\n"
        "stackopt.api.solve = slow\n"
        "from stackopt.cli import main\n"
        f"sys.exit(main(['solve', {INSPECTION!r}, '--out', {str(tmp_path / 'r.json')!r}]))\n"
    )
    p = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert p.stdout.readline().strip() == "ready"
    p.send_signal(signal.SIGINT)
    p.wait(timeout=20)
    assert p.returncode == 130 and not (tmp_path / "r.json").exists()


@pytest.mark.parametrize(
    "text",
    [
        'kind: normal_form\nname: "x\\nstatus optimal"\nleader: {actions: [a, b]}\n'
        "follower: {actions: [c]}\npayoffs: {leader: [[1],[2]], follower: [[1],[1]]}\n",
        'kind: normal_form\nleader: {actions: ["a\\e[31m", b]}\nfollower: {actions: [c]}\n'
        "payoffs: {leader: [[1],[2]], follower: [[1],[1]]}\n",
    ],
)
def test_labels_with_newlines_or_ansi_refused(tmp_path, text, capsys):
    p = tmp_path / "g.yaml"
    p.write_text(text)
    assert main(["solve", str(p)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\nstatus optimal" not in err


def test_bayesian_huge_weights_refused(tmp_path, capsys):
    text = (
        open(PATROL)
        .read()
        .replace("prior: 0.6", "weight: 1.0e+308")
        .replace("prior: 0.4", "weight: 1.0e+308")
    )
    p = tmp_path / "w.yaml"
    p.write_text(text)
    assert main(["solve", str(p), "--json"]) == 2
    assert "overflow" in capsys.readouterr().err


# -- verify --exact for Bayesian results (given the response profile) ---------------------------
def test_bayesian_exact_proof(tmp_path):
    g, d = _patrol()
    cert = stackopt.verify(g, d, exact=True)
    assert cert.check("exact").passed and "-9/8" in cert.check("exact").detail
    p = tmp_path / "r.json"
    p.write_text(json.dumps(d))
    assert main(["verify", PATROL, str(p), "--exact"]) == 0
    bad = _suboptimal_patrol(d)
    bad["follower"]["response"] = {"thief": "rob2", "vandal": "rob1"}  # not best responses
    assert not stackopt.verify(g, bad, exact=True).check("exact").passed


def test_nash_milp_profile_without_exact_equilibrium_is_not_certified(monkeypatch):
    """If the MILP returns an approximate profile with no exact equilibrium behind it, the result
    has status error and is not certified (never a wrong equilibrium)."""
    g = _eps_trap()
    monkeypatch.setattr(nash_mod, "ENUM_SYSTEMS", 0)
    monkeypatch.setattr(
        "stackopt.kinds.normal_form.nash_exact.iterated_strict_dominance",
        lambda A, B: __import__(
            "stackopt.kinds.normal_form.nash_exact", fromlist=["Reduction"]
        ).Reduction((0, 1), (0, 1), 0, 0, 1, 0),
    )
    monkeypatch.setattr(
        nash_mod,
        "_solve_milp",
        lambda sub, objective, tl: (np.array([1.0, 0.0]), np.array([1.0, 0.0]), 1e6, {}),
    )
    r = nash_equilibria(g)
    assert r.status.value == "error" and not r.certified
    assert not r.certificate.check("exact").passed


def test_exact_proof_refuses_negative_multipliers_and_mixtures():
    from stackopt.checks.exact import exact_certificate

    g = _inspection()
    r = stackopt.solve(g)
    bounds = copy.deepcopy(r.certificate.evidence["bounds"])
    ok, _ = exact_certificate(g, r.leader.commitment, r.follower.response, bounds)
    assert ok.passed
    bad = copy.deepcopy(bounds)
    bad["violate"] = {"multipliers": {"legal": -5.0}}
    chk, _ = exact_certificate(g, r.leader.commitment, r.follower.response, bad)
    assert not chk.passed
    bad = copy.deepcopy(bounds)
    bad["violate"] = {"dominated_by": {"legal": 2.0, "violate": -1.0}}
    chk, _ = exact_certificate(g, r.leader.commitment, r.follower.response, bad)
    assert not chk.passed


@pytest.mark.parametrize("value", ['"high"', '"nan"', "NaN", "Infinity"])
def test_unreadable_values_in_a_result_file_are_exit_2(tmp_path, value):
    d = stackopt.solve(_inspection()).to_dict()
    text = json.dumps(d).replace('"value": -0.35714285714285715', f'"value": {value}', 1)
    assert text != json.dumps(d)
    p = tmp_path / "r.json"
    p.write_text(text)
    assert main(["verify", INSPECTION, str(p)]) == 2


@pytest.mark.parametrize(
    "path,value",
    [
        (("classes", "legal", "members"), []),
        (("strict", "commitment"), 1e308),
        (("classes", "legal"), "x"),
    ],
)
def test_adversarial_malformed_evidence_fails_without_traceback(path, value):
    _assert_not_verified(_inspection(), _weak_with_evidence(path, value))
