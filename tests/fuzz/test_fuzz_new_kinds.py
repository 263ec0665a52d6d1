"""Fuzzing the ``incentive`` and ``mdp`` kinds: tampered results and hostile game documents.

(a) Tampered results. Each example takes a certified result of a bundled game (solved once per
session), picks one place in its JSON - any number, string or key anywhere: commitment,
incentives, payment, policy entries, values, options, certificate, occupancy / MILP-bound
evidence, stats - and mutates it (NaN, +-inf, 1e308, negative, a huge integer, a string,
``null``, a boolean, a container, a deleted key, a key duplicated in the JSON text, a loosened
``rtol``), then runs ``stackopt verify`` in-process. ``verify`` must exit 0, 1 or 2 with no
traceback, and may exit 0 only if the *answer* is unchanged: commitment, incentives,
response and the values equal the untampered, independently certified answer (values and the
payment may be removed: they are recomputed). That oracle does not consult ``verify``.

(b) Hostile game documents. Each example parses a bundled ``incentive`` or ``mdp`` YAML
document, mutates one place (a number to NaN / +-inf / huge / negative / a string; a key
removed, duplicated in the text or an unknown key added; a probability row scaled so that it
no longer sums to 1; a value nested hundreds deep), writes it back as YAML or JSON text and
runs ``stackopt solve`` in-process under a time limit: exit 0, 1 or 2, never a traceback, one
short error line on 2, and exit 2 whenever the mutation made the game invalid for sure (NaN
anywhere numeric, a probability row off 1, an unknown or duplicated key).

Example counts scale with ``STACKOPT_FUZZ_SCALE`` (see ``conftest.py``).
"""

from __future__ import annotations

import copy
import json
import math
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

import stackopt
from stackopt.cli import main
from stackopt.io.load import load_game
from stackopt.io.safe_yaml import load_yaml_text
from tests.fuzz.conftest import (
    DATA,
    DOC_MUTANTS,
    MUTANTS,
    case_verify_exit,
    document_places,
    fuzz_settings,
    parent_of,
    solve_exit,
    solved_json,
    tampering_tests,
    tree_paths,
)
from tests.helpers import DELETE, set_place

#: (game file, solve options) per case; one result per case is solved once per session. A
#: pure-commitment result is verified with ``--pure`` (verify ignores a declared restriction).
CASES = {
    "incentive_budget_per_action": ("incentive/safety_subsidy_budget.yaml", {}),
    "incentive_menu": ("incentive/governance_menu.yaml", {}),
    "incentive_pure": ("incentive/ai_race_subsidy.yaml", {"pure": True}),
    "mdp_chain": ("mdp/chain.yaml", {}),
    "mdp_av_liability": ("mdp/av_liability.yaml", {}),
}
#: examples per case (times STACKOPT_FUZZ_SCALE); av_liability's verify re-solves its MILP.
EXAMPLES = {"mdp_av_liability": 15}

#: the shared mutants plus a negative probability and a numeric string
KIND_MUTANTS = [*MUTANTS, -0.5, "1"]


def _solved(case: str) -> str:
    return solved_json(*CASES[case])


def _num_equal(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isfinite(float(a)) and math.isfinite(float(b)) and abs(a - b) <= 1e-9
    return False


def _tree_equal(a, b) -> bool:
    """Equal JSON trees; numbers up to 1e-9, a missing number in a mapping counts as 0."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in set(a) | set(b):
            va, vb = a.get(k, 0), b.get(k, 0)
            if not _tree_equal(va, vb):
                return False
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_tree_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return a == b or _num_equal(a, b)


def _same_answer(orig: dict, new) -> bool:
    """The answer is unchanged, up to removed values / payment (recomputed by verify)."""
    if not isinstance(new, dict):
        return False
    lead, foll = new.get("leader"), new.get("follower")
    if not isinstance(lead, dict) or not isinstance(foll, dict):
        return False
    if not _tree_equal(orig["leader"].get("commitment"), lead.get("commitment")):
        return False
    if not _tree_equal(orig["follower"].get("response"), foll.get("response")):
        return False
    if "incentives" in orig["leader"] and not _tree_equal(
        orig["leader"]["incentives"], lead.get("incentives")
    ):
        return False
    for side, key in (("leader", "value"), ("follower", "value"), ("leader", "payment")):
        b = new[side].get(key)
        if b is not None and not _tree_equal(orig[side].get(key), b):
            return False
    return True


def _apply(data, path, op, mutant):
    return set_place(data, path, DELETE if op == "delete" else mutant)


def _dump_with_duplicate(data, path, mutant) -> str:
    """JSON text in which the mapping at ``path[:-1]`` states ``path[-1]`` twice (the mutant
    last): a JSON reader that lets the last one win would see the mutant."""
    marker = "__stackopt_fuzz_dup__"
    parent_of(data, path)[marker] = None
    text = json.dumps(data, allow_nan=True)
    key = json.dumps(str(path[-1]))
    return text.replace(f'"{marker}": null', f"{key}: {json.dumps(mutant, allow_nan=True)}")


def _verify_exit(tmp_path, case, text: str) -> int:
    return case_verify_exit(tmp_path, CASES[case], text, seconds=60)


def _run(case, mutation, tmp_path_factory, capsys):
    path, op, mutant = mutation
    orig = json.loads(_solved(case))
    data = copy.deepcopy(orig)
    seen = data  # what a last-wins reader would see
    if op == "rtol":
        data.setdefault("options", {})["rtol"] = 0.5
        if isinstance(data.get("certificate"), dict):
            data["certificate"]["rtol"] = 0.5
            data["certificate"]["atol"] = 1e3
        text = json.dumps(data)
    elif op == "duplicate" and not isinstance(parent_of(data, path), list):
        text = _dump_with_duplicate(data, path, mutant)
        seen = _apply(copy.deepcopy(data), path, "set", mutant)
    else:
        data = _apply(data, path, op, mutant)
        text = json.dumps(data, allow_nan=True)
    code = _verify_exit(tmp_path_factory.mktemp("fz"), case, text)
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    assert code in (0, 1, 2), code
    if code == 2:
        assert err.count("\n") <= 2 and len(err) < 2000, err
    if code == 0:
        assert _same_answer(orig, seen), (path, op, mutant)


(
    test_tampered_results_never_wrongly_pass,
    test_untampered_results_verify,
    test_loosened_rtol_is_capped,
) = tampering_tests(
    CASES,
    ops=["set", "set", "set", "set", "delete", "duplicate", "rtol"],
    mutants=KIND_MUTANTS,
    examples=lambda case: EXAMPLES.get(case, 30),
    run=_run,
    seconds=60,
)


@pytest.mark.parametrize("case", sorted(CASES))
def test_answer_numbers_each_rejected(case, tmp_path_factory, capsys):
    """Deterministic sweep: every number of the answer (commitment, incentives, payment,
    values) set to each non-finite, out-of-range or non-numeric mutant is refused."""
    orig = json.loads(_solved(case))
    answer = [
        p
        for p, v in tree_paths(orig)
        if p[:1] in (("leader",), ("follower",))
        and isinstance(v, (int, float))
        and not isinstance(v, bool)
    ]
    assert answer
    for path in answer:
        for mutant in (float("nan"), float("inf"), float("-inf"), 1e308, -1.0, "x", "1", True):
            data = _apply(copy.deepcopy(orig), path, "set", mutant)
            code = _verify_exit(tmp_path_factory.mktemp("sw"), case, json.dumps(data))
            err = capsys.readouterr().err
            assert "Traceback" not in err
            assert code in (1, 2), (path, mutant, code)


# --------------------------------------------------------------------------- (b) game files

GAMES = [
    "incentive/safety_subsidy.yaml",
    "incentive/safety_subsidy_budget.yaml",
    "incentive/governance_menu.yaml",
    "mdp/chain.yaml",
    "mdp/av_liability.yaml",
]


def _solve_exit(tmp_path, text: str, capsys) -> tuple[int, str]:
    return solve_exit(tmp_path, "g.yaml", text, capsys)


def _yaml(data) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=False)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_probability_row(game: str, path) -> bool:
    return game.startswith("mdp/") and (
        (len(path) == 3 and path[0] == "transitions") or (len(path) == 1 and path[0] == "initial")
    )


@st.composite
def _doc_mutation(draw):
    game, data, path = draw(document_places(GAMES))
    op = draw(
        st.sampled_from(["set", "set", "set", "delete", "duplicate", "unknown", "nest", "scale"])
    )
    return game, data, path, op, draw(st.sampled_from(DOC_MUTANTS)), draw(st.booleans())


def _mutate_doc(m) -> tuple[str, bool]:
    """(text, must_refuse) for one document mutation."""
    game, data, path, op, mutant, as_json = m
    data = copy.deepcopy(data)
    parent = parent_of(data, path)
    key = path[-1]
    old = parent[key]
    must_refuse = False
    if op == "delete":
        set_place(data, path, DELETE)
    elif op == "duplicate" and isinstance(parent, dict):
        text = _dump_with_duplicate(data, path, old)
        return text, True  # duplicate keys are refused (JSON is YAML)
    elif (
        op == "unknown"
        and isinstance(old, dict)
        and path[:1]
        not in (
            ("transitions",),
            ("rewards",),
            ("initial",),
            ("payoffs",),
        )
    ):
        old["unknown_fuzz_key"] = 1  # a misspelt option, not a state / action label
        must_refuse = True
    elif op == "nest":
        deep: object = 1.0
        for i in range(300):
            deep = [deep] if i % 2 else {"k": deep}
        parent[key] = deep
    elif op == "scale" and _is_probability_row(game, path) and isinstance(old, dict):
        for k, v in old.items():
            if _is_number(v):
                old[k] = v * 1.5 if v else 0.5
        must_refuse = True
    else:
        parent[key] = mutant
        must_refuse = _is_number(old) and isinstance(mutant, float) and math.isnan(mutant)
    if as_json:
        return json.dumps(data, allow_nan=True), must_refuse
    return _yaml(data), must_refuse


@fuzz_settings(60)
@given(m=_doc_mutation())
def test_mutated_game_documents(m, tmp_path_factory, capsys):
    text, must_refuse = _mutate_doc(m)
    code, err = _solve_exit(tmp_path_factory.mktemp("g"), text, capsys)
    if must_refuse:
        assert code == 2, (m[0], m[2], m[3], m[4], err)


@pytest.mark.parametrize("game", GAMES)
def test_every_number_nan_is_refused(game, tmp_path_factory, capsys):
    """Deterministic sweep: each number of each bundled document set to NaN exits 2."""
    with open(os.path.join(DATA, game)) as fh:
        data = load_yaml_text(fh.read())
    for path, v in list(tree_paths(data)):
        if not path or not _is_number(v):
            continue
        doc = copy.deepcopy(data)
        parent_of(doc, path)[path[-1]] = float("nan")
        code, err = _solve_exit(tmp_path_factory.mktemp("n"), _yaml(doc), capsys)
        assert code == 2, (game, path, err)


# --------------------------------------------------------------------------- regressions


def test_forged_milp_bound_does_not_certify_a_suboptimal_mdp_answer(tmp_path, capsys):
    """Found by this suite's review: av_liability has no solver-free check, and a suboptimal
    answer (liability 0.5, value 13.75; optimum 16.69 at 0.8197) with ``milp_bound`` forged to
    its own value verified. The answer is built independently: the same game with the
    parameter pinned to 0.5 (its own certified optimum is the follower's response there)."""
    src = os.path.join(DATA, "mdp/av_liability.yaml")
    with open(src) as fh:
        text = fh.read()
    pinned = text.replace(
        "liability: {lower: 0, upper: 1, cost: 0.5}",
        "liability: {lower: 0.5, upper: 0.5, cost: 0.5}",
    )
    assert pinned != text
    g = tmp_path / "pinned.yaml"
    g.write_text(pinned)
    forged = json.loads(stackopt.solve(load_game(str(g))).to_json())
    optimum = json.loads(_solved("mdp_av_liability"))["leader"]["value"]
    assert forged["leader"]["value"] < optimum - 1.0  # really suboptimal
    forged["certificate"]["evidence"]["milp_bound"]["bound"] = forged["leader"]["value"]
    forged["game"] = "av_liability"
    cert = stackopt.verify(load_game(src), forged)
    assert cert.check("best_response").passed and cert.check("leader_value").passed
    assert not cert.check("optimality_resolve").passed
    assert not cert.passed
    p = tmp_path / "r.json"
    p.write_text(json.dumps(forged))
    assert main(["verify", src, str(p)]) == 1
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "old, new",
    [
        ("horizon: 4 ", "horizon: 1.0e+308 "),  # was ValueError: Maximum allowed dimension
        ("horizon: 4 ", "horizon: 100000000 "),  # a 10^8 x 3 value table
        ("s0: {wait: 0.3, test", "s0: {wait: 1.0e+308, test"),  # was IndexError in appsi
        ("subsidy: {s0: {test: 1.0}", "subsidy: {s0: {test: 1.0e+300}"),
        ("upper: 2, cost", "upper: 1.0e+200, cost"),
    ],
)
def test_mdp_huge_numbers_are_refused(old, new, tmp_path, capsys):
    with open(os.path.join(DATA, "mdp/chain.yaml")) as fh:
        text = fh.read()
    assert old in text
    code, err = _solve_exit(tmp_path, text.replace(old, new, 1), capsys)
    assert code == 2, err


@pytest.mark.parametrize("mutant", [True, "1", "0.25"])
def test_incentive_commitment_probability_must_be_a_number(mutant, tmp_path):
    """Found by this suite: ``true`` (and ``"1"``) as a probability verified, since the shared
    ``probability_vector`` converts with ``float()``."""
    data = json.loads(_solved("incentive_pure"))
    (label,) = [k for k, v in data["leader"]["commitment"].items() if v == 1]
    data["leader"]["commitment"][label] = mutant
    assert _verify_exit(tmp_path, "incentive_pure", json.dumps(data)) == 2


@pytest.mark.parametrize("case", ["incentive_menu", "mdp_chain"])
def test_huge_integer_in_certificate_is_refused(case, tmp_path):
    data = json.loads(_solved(case))
    data["certificate"]["rtol"] = 10**400
    assert _verify_exit(tmp_path, case, json.dumps(data)) == 2


@pytest.mark.parametrize(
    "old, new",
    [
        ("  - [-0.53, -0.22, 0.08]", "  - [1.0e+308, -0.22, 0.08]"),  # was 'status optimal'
        ("  - [2.865, 2.88, 1.9]", "  - [2.865, -1.0e+300, 1.9]"),
        ("  max: 1\n", "  max: 1.0e+308\n"),
        ("  cost_weight: 1\n", "  cost_weight: 1.0e+300\n"),
    ],
)
def test_incentive_huge_numbers_are_refused(old, new, tmp_path, capsys):
    """Found by this suite: a 1e308 payoff solved to 'status optimal' with value 9.9e307 and a
    failed certificate (exit 1); such numbers are now refused as input."""
    with open(os.path.join(DATA, "incentive/governance_menu.yaml")) as fh:
        text = fh.read()
    assert old in text
    code, err = _solve_exit(tmp_path, text.replace(old, new, 1), capsys)
    assert code == 2, err
