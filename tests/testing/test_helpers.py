"""stackopt.testing helpers: every registered kind, plain inputs, messages, exact mode.

The answers checked here are stackopt's own solves (which the suite cross-checks against the
independent oracles elsewhere) and hand-corrupted copies of them; the exact answer of the
inspection game (5/14) is derived by hand in stackopt.testing.oracles.catalogue.
"""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import stackopt
from stackopt.kinds.registry import kinds
from stackopt.testing import (
    assert_best_response,
    assert_nash_equilibrium,
    assert_result_verifies,
    assert_stackelberg_equilibrium,
    assert_values_close,
    exact_checks,
    minimal_result,
)
from stackopt.testing.oracles import BY_NAME

DATA = Path(__file__).resolve().parents[2] / "data"

#: one small example per kind; kinds added later are found by their ``kind:`` line
EXAMPLES = {
    "normal_form": "inspection.yaml",
    "bayesian": "bayesian/patrol.yaml",
    "security": "security/two_attacker_types.yaml",
    "bilevel": "bilevel/bard.yaml",
    "interdiction": "interdiction/diamond.yaml",
}


def _example(kind: str) -> Path:
    if kind in EXAMPLES:
        return DATA / EXAMPLES[kind]
    for p in sorted(DATA.rglob("*.yaml")):
        if f"kind: {kind}\n" in p.read_text(encoding="utf-8"):
            return p
    pytest.fail(f"no example game of kind {kind!r} under data/: add one for the helpers' test")


P = 5 / 14


@pytest.fixture(scope="module")
def inspection():
    return BY_NAME["inspection"].game()


@pytest.mark.parametrize("kind", list(kinds()))
def test_every_registered_kind(kind):
    """stackopt's own answer passes every helper (default and exact); a leader value off by 1
    and, for finite games, another response fail with the check named."""
    game = stackopt.load_game(_example(kind))
    r = stackopt.solve(game)
    assert r.certified, r.certificate.summary()
    d = r.to_dict()
    extra = {k: v for k, v in d["leader"].items() if k not in ("name", "commitment", "value")}
    c, resp = d["leader"]["commitment"], d["follower"]["response"]
    assert_stackelberg_equilibrium(
        game,
        c,
        resp,
        leader_value=d["leader"]["value"],
        follower_value=d["follower"]["value"],
        **extra,
    )
    assert_stackelberg_equilibrium(
        game, c, resp, leader_value=d["leader"]["value"], exact=True, **extra
    )
    assert_best_response(game, c, resp, **extra)
    assert_result_verifies(game, r)
    assert_result_verifies(
        game, {"leader": {"commitment": c, **extra}, "follower": {"response": resp}}
    )
    assert_values_close(r, r.to_dict())
    with pytest.raises(AssertionError, match=r"leader_value failed: .*\[off by 1"):
        assert_stackelberg_equilibrium(
            game, c, resp, leader_value=d["leader"]["value"] + 1, **extra
        )
    with pytest.raises(AssertionError, match="leader_value: got"):
        assert_values_close(r, {"leader_value": d["leader"]["value"] + 1e-3})


def test_inspection_corruptions(inspection):
    g = inspection
    assert_stackelberg_equilibrium(g, [P, 1 - P], "legal", leader_value=-P, exact=True)
    with pytest.raises(AssertionError) as e:
        assert_stackelberg_equilibrium(g, [0.25, 0.75], "legal")
    assert (
        "best_response failed: 'legal' is 1.5 below the best response 'violate' "
        "[off by 1.5; tolerance 1e-05]" in str(e.value)
    )
    assert "better response: 'violate' gives the follower 1.25, 'legal' only -0.25" in str(e.value)
    with pytest.raises(AssertionError) as e:
        assert_stackelberg_equilibrium(g, [P, 1 - P], "violate")
    assert "tie_break failed" in str(e.value) and "leader-favourable tie: 'legal'" in str(e.value)
    with pytest.raises(AssertionError) as e:  # the same tie, read adversarially
        assert_stackelberg_equilibrium(g, [P, 1 - P], "legal", tie_break="adversarial")
    assert "adversarial tie: 'violate' is also a best response" in str(e.value)
    assert "leader-favourable" not in str(e.value)
    with pytest.raises(AssertionError, match=r"sum 0\.999\) \[off by 0\.001; tolerance 1e-06\]"):
        assert_stackelberg_equilibrium(g, [P, 1 - P - 0.001], "legal")
    # optimality: a best response to a non-optimal commitment; the better commitment is named
    with pytest.raises(AssertionError) as e:
        assert_stackelberg_equilibrium(g, [0.5, 0.5], "legal")
    assert "optimality failed" in str(e.value)
    assert "better commitment: stackopt's solve gives the leader -0.3571428571" in str(e.value)
    # the 7th digit: within the default tolerance, caught exactly
    assert_stackelberg_equilibrium(g, [P + 1e-7, 1 - P - 1e-7], "legal")
    with pytest.raises(AssertionError, match="exact failed"):
        assert_stackelberg_equilibrium(g, [P + 1e-7, 1 - P - 1e-7], "legal", exact=True)
    with exact_checks():
        with pytest.raises(AssertionError, match="exact failed"):
            assert_stackelberg_equilibrium(g, [P + 1e-7, 1 - P - 1e-7], "legal")
    with pytest.raises(AssertionError, match="exact value is -5/14"):
        assert_stackelberg_equilibrium(g, [P, 1 - P], "legal", leader_value=-P + 1e-10, exact=True)


@pytest.mark.parametrize(
    "commitment,response",
    [
        ({"inspect": P, "skip": 1 - P}, "legal"),
        ({0: P, 1: 1 - P}, 0),
        ([P, 1 - P], "legal"),
        (np.array([P, 1 - P]), np.int64(0)),
        ((Fraction(5, 14), Fraction(9, 14)), "legal"),
        ({"inspect": "5/14", "skip": "9/14"}, "legal"),
    ],
)
def test_plain_inputs(inspection, commitment, response):
    assert_stackelberg_equilibrium(inspection, commitment, response, leader_value=-P)


def test_bad_inputs_are_type_errors_not_silent(inspection):
    with pytest.raises(ValueError, match="3 numbers for 2 leader labels"):
        assert_stackelberg_equilibrium(inspection, [0.2, 0.3, 0.5], "legal")
    with pytest.raises(ValueError, match="index 5 is out of range"):
        assert_stackelberg_equilibrium(inspection, [P, 1 - P], 5)
    with pytest.raises(AssertionError, match="could not read the answer: .*'nope'"):
        assert_stackelberg_equilibrium(inspection, [P, 1 - P], "nope")


def test_bayesian_per_type_responses():
    game = stackopt.load_game(DATA / "bayesian/patrol.yaml")
    r = stackopt.solve(game)
    resp = r.follower.response
    types = [t.name for t in game.types]
    as_list = [resp[t] for t in types]
    as_index = {i: game.types[i].actions.index(resp[t]) for i, t in enumerate(types)}
    for form in (resp, as_list, as_index):
        assert_stackelberg_equilibrium(game, list(r.leader.commitment.values()), form)
    other = {t: next(a for a in game.types[i].actions if a != resp[t]) for i, t in enumerate(types)}
    with pytest.raises(AssertionError, match="best_response failed"):
        assert_best_response(game, r.leader.commitment, other)


def test_best_response_ignores_optimality_and_tie_rule_on_request(inspection):
    assert_best_response(inspection, [0.5, 0.5], "legal")  # not optimal, a best response
    assert_best_response(inspection, [P, 1 - P], "violate", tie_break=None)
    with pytest.raises(AssertionError, match="tie_break failed"):
        assert_best_response(inspection, [P, 1 - P], "violate")
    # a follower payoff 1e-12 better: within every float tolerance, caught exactly
    tiny = stackopt.NormalFormGame(np.array([[1.0, 0.0]]), np.array([[1.0, 1.0 + 1e-12]]))
    assert_best_response(tiny, [1], "b0", exact=False)
    with pytest.raises(AssertionError, match="exactly, 'b1' gives the follower"):
        assert_best_response(tiny, [1], "b0", exact=True)


def test_nash_equilibrium(inspection):
    game = stackopt.load_game(DATA / "commitment_beats_nash.yaml")
    assert_nash_equilibrium(game, [1, 0], [1, 0], leader_value=2, follower_value=1)
    with pytest.raises(AssertionError, match="leader gains 1 by deviating to 'up'"):
        assert_nash_equilibrium(game, "down", "left")
    with pytest.raises(TypeError, match="normal-form"):
        assert_nash_equilibrium(stackopt.load_game(DATA / "bilevel/bard.yaml"), [1], [1])


def test_values_close(inspection):
    r = stackopt.solve(inspection)
    assert_values_close(
        r,
        {
            "leader_value": Fraction(-5, 14),
            "follower_value": -P,
            "commitment": {"inspect": P, "skip": 1 - P},
            "response": "legal",
        },
    )
    assert_values_close(r.to_json(), -P)
    with pytest.raises(AssertionError, match=r"response: got 'legal', expected 'violate'"):
        assert_values_close(r, {"response": "violate"})
    with pytest.raises(AssertionError, match=r"off by 1e-07 \(tolerance 1e-09\)"):
        assert_values_close(
            {"leader": {"commitment": {}, "value": -P + 1e-7}, "follower": {"response": "legal"}},
            Fraction(-5, 14),
        )
    with pytest.raises(AssertionError, match="exact"):
        assert_values_close(
            {"leader": {"commitment": {}, "value": -P + 1e-11}, "follower": {"response": "legal"}},
            Fraction(-5, 14),
            exact=True,
        )
    with pytest.raises(TypeError, match="unknown keys"):
        assert_values_close(r, {"value": 1})


def test_minimal_result_is_what_verify_reads(inspection, tmp_path):
    data = minimal_result(inspection, [P, 1 - P], 0)
    assert data == {
        "kind": "normal_form",
        "leader": {"commitment": {"inspect": P, "skip": 1 - P}},
        "follower": {"response": "legal"},
    }
    cert = stackopt.verify(inspection, data)
    assert {c.name for c in cert.failed()} == {"optimality"}  # no bounds in a minimal result
    path = tmp_path / "r.json"
    path.write_text(__import__("json").dumps(data))
    assert_result_verifies(inspection, path)  # bounds from stackopt's own solve
    with pytest.raises(AssertionError, match="no optimality bounds"):
        assert_result_verifies(inspection, data, evidence="none")


def test_result_cannot_loosen_its_tolerance(inspection):
    data = minimal_result(inspection, [P + 1e-4, 1 - P - 1e-4], "legal")
    data["options"] = {"rtol": 0.5}
    with pytest.raises(AssertionError, match="optimality failed"):
        assert_result_verifies(inspection, data)


def test_import_is_light():
    """``import stackopt.testing`` (and the plugin module) import no Pyomo, HiGHS or
    hypothesis; the entry-point module imports not even stackopt."""
    code = (
        "import sys, stackopt.testing, stackopt.testing.plugin, stackopt.testing.oracles;"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('pyomo', 'highspy', 'hypothesis', 'scipy', 'networkx')];"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
    code = (
        "import sys, pytest, stackopt_pytest;"
        "print([m for m in sys.modules if m.split('.')[0] in ('stackopt', 'numpy')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_exact_proof_of_a_zero_sum_2x2():
    # found by the strategies: the float multiplier 0.3333333333333333 read exactly overshot
    # the exact value by 5.6e-17; checks/exact.py now also tries nearby simple fractions
    game = stackopt.NormalFormGame(
        np.array([[0.0, 0.0], [1.0, -2.0]]), np.array([[0.0, 0.0], [-1.0, 2.0]])
    )
    assert stackopt.solve(game, exact=True).certified
