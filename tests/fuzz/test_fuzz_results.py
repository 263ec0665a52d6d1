"""Tampered results for every kind: ``verify`` exits 2 or fails, never a traceback, never a
wrong pass.

Each example takes a certified result of a bundled game, picks one place in its JSON (any number,
string or key anywhere: answer, values, options, certificate, evidence, stats) and mutates it
(NaN, +-inf, huge, negative, a string, ``null``, a boolean, a deleted key, a loosened rtol), then
runs ``stackopt verify`` in-process. The oracle for "never a wrong pass": the mutated file may
pass only if its *answer* (commitment, response, values) is unchanged, or a value was merely
removed (values are optional) - a pass is then the original, independently certified answer.
"""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import strategies as st

from tests.fuzz.conftest import (
    MUTANTS,
    assert_loosened_rtol_is_capped,
    parent_of,
    places,
    run_examples,
    solved_json,
    verify_exit,
)

#: (game file, solve options) per case; one result per case is solved once per session.
CASES = {
    "normal_form": ("inspection.yaml", {}),
    "normal_form_adversarial": ("inspection.yaml", {"tie_break": "adversarial"}),
    "bayesian": ("bayesian/patrol.yaml", {}),
    "security": ("security/transit_hubs.yaml", {}),
    "security_types": ("security/two_attacker_types.yaml", {}),
    "interdiction": ("interdiction/diamond.yaml", {}),
    "bilevel": ("bilevel/bard.yaml", {}),
}
EXAMPLES = {"bilevel": 6, "security_types": 10}


def _solved(case: str) -> str:
    return solved_json(*CASES[case])


def _is_answer(path) -> bool:
    return path[:2] in (
        ("leader", "commitment"),
        ("leader", "value"),
        ("follower", "response"),
        ("follower", "value"),
    ) or path in (("leader",), ("follower",))


def _apply(data, path, op, mutant):
    if not path:
        return mutant if op == "set" else data
    parent = parent_of(data, path)
    key = path[-1]
    if op == "delete":
        if isinstance(parent, dict):
            del parent[key]
        else:
            parent.pop(key)
    elif op == "duplicate" and isinstance(parent, dict):
        parent[f"{key}"] = copy.deepcopy(parent[key])  # JSON objects: same key, last wins
    else:
        parent[key] = mutant
    return data


def _same_answer(orig, new) -> bool:
    """The answer is unchanged, up to removed values and zero probabilities."""
    for side, key in (("leader", "commitment"), ("follower", "response")):
        a, b = orig[side].get(key), (new.get(side) or {}).get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            keys = set(a) | set(b)
            for k in keys:
                va, vb = a.get(k, 0), b.get(k, 0)
                if va != vb and not (
                    isinstance(va, (int, float))
                    and isinstance(vb, (int, float))
                    and abs(va - vb) <= 1e-9
                ):
                    return False
        elif a != b:
            return False
    for side in ("leader", "follower"):
        a, b = orig[side].get("value"), (new.get(side) or {}).get("value", None)
        if b is None:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            if any(b.get(k) is not None and b.get(k) != v for k, v in a.items()):
                return False
        elif a != b:
            return False
    return True


def _verify_exit(tmp_path, case, data) -> int:
    path, _ = CASES[case]
    return verify_exit(tmp_path, path, json.dumps(data, allow_nan=True), seconds=120)


@st.composite
def _mutation(draw, case):
    data = json.loads(_solved(case))
    path = draw(places(data))
    op = draw(st.sampled_from(["set", "set", "set", "delete", "rtol"]))
    mutant = draw(st.sampled_from(MUTANTS))
    return path, op, mutant


def _run(case, mutation, tmp_path_factory, capsys):
    path, op, mutant = mutation
    orig = json.loads(_solved(case))
    data = copy.deepcopy(orig)
    if op == "rtol":
        data.setdefault("options", {})["rtol"] = 0.5
        if isinstance(data.get("certificate"), dict):
            data["certificate"]["rtol"] = 0.5
    else:
        data = _apply(data, path, op, mutant)
    tmp = tmp_path_factory.mktemp("fz")
    code = _verify_exit(tmp, case, data)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code in (0, 1, 2), code
    if code == 0:
        assert isinstance(data, dict) and _same_answer(orig, data), (path, op, mutant)
        if op == "rtol":  # the tolerance used is never the loosened one
            return


@pytest.mark.parametrize("case", sorted(CASES))
def test_tampered_results_never_wrongly_pass(case, tmp_path_factory, capsys):
    run_examples(
        _mutation(case),
        EXAMPLES.get(case, 25),
        lambda mutation: _run(case, mutation, tmp_path_factory, capsys),
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_untampered_results_verify(case, tmp_path):
    assert _verify_exit(tmp_path, case, json.loads(_solved(case))) == 0


@pytest.mark.parametrize("case", sorted(CASES))
def test_loosened_rtol_is_capped(case):
    path, _ = CASES[case]
    assert_loosened_rtol_is_capped(path, _solved(case))
