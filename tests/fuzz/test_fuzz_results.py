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

from tests.fuzz.conftest import MUTANTS, case_verify_exit, solved_json, tampering_tests
from tests.helpers import DELETE, set_place

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
    text = json.dumps(data, allow_nan=True)
    return case_verify_exit(tmp_path, CASES[case], text, seconds=120)


def _run(case, mutation, tmp_path_factory, capsys):
    path, op, mutant = mutation
    orig = json.loads(_solved(case))
    data = copy.deepcopy(orig)
    if op == "rtol":
        data.setdefault("options", {})["rtol"] = 0.5
        if isinstance(data.get("certificate"), dict):
            data["certificate"]["rtol"] = 0.5
    else:
        data = set_place(data, path, DELETE if op == "delete" else mutant)
    tmp = tmp_path_factory.mktemp("fz")
    code = _verify_exit(tmp, case, data)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code in (0, 1, 2), code
    if code == 0:
        assert isinstance(data, dict) and _same_answer(orig, data), (path, op, mutant)
        if op == "rtol":  # the tolerance used is never the loosened one
            return


(
    test_tampered_results_never_wrongly_pass,
    test_untampered_results_verify,
    test_loosened_rtol_is_capped,
) = tampering_tests(
    CASES,
    ops=["set", "set", "set", "delete", "rtol"],
    mutants=MUTANTS,
    examples=lambda case: EXAMPLES.get(case, 25),
    run=_run,
    seconds=120,
    verify_with_solve_options=False,
)
