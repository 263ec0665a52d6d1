"""Bad input through the CLI, the same contract for every game kind.

Every case must exit 2 with exactly one stderr line ``stackopt: error: ...`` naming the file
and the field, and no traceback: unknown top-level and nested keys, wrong types, missing
required keys, NaN, YAML aliases, missing files, CSV side files with bad entries, options that
do not apply to a kind, bad option values, and malformed result files given to ``verify``.
The mutated files are written from the bundled examples (one per kind), so the cases follow
the real formats.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_contracts import DATA, assert_one_line_error, run_cli

from tests.helpers import DELETE, set_place

# kind -> a bundled example that solves quickly
BASES = {
    "normal_form": DATA / "inspection.yaml",
    "bayesian": DATA / "bayesian" / "patrol.yaml",
    "security": DATA / "security" / "transit_hubs.yaml",
    "security_types": DATA / "security" / "two_attacker_types.yaml",
    "interdiction": DATA / "interdiction" / "diamond.yaml",
    "bilevel": DATA / "bilevel" / "bard.yaml",
}


_DELETE = DELETE
NAN = float("nan")

# (kind, case) -> (path into the YAML document, new value or _DELETE, text the field names)
CASES: dict[tuple[str, str], tuple[list, Any, str]] = {
    ("normal_form", "unknown_nested"): (["leader", "bogus"], 1, "leader.bogus"),
    ("normal_form", "wrong_type"): (["payoffs", "leader"], "abc", "payoffs"),
    ("normal_form", "wrong_type_entry"): (["payoffs", "follower", 1, 0], "x", "payoffs.follower"),
    ("normal_form", "missing"): (["payoffs"], _DELETE, "payoffs"),
    ("normal_form", "nan"): (["payoffs", "leader", 0, 0], NAN, "payoffs.leader[0][0]"),
    ("bayesian", "unknown_nested"): (
        ["followers", 0, "payoffs", "bogus"],
        1,
        "followers[0].payoffs.bogus",
    ),
    ("bayesian", "wrong_type"): (["followers", 0, "prior"], "high", "prior"),
    ("bayesian", "missing"): (["followers", 0, "payoffs"], _DELETE, "followers[0].payoffs"),
    ("bayesian", "nan"): (
        ["followers", 1, "payoffs", "follower", 1, 2],
        NAN,
        "payoffs.follower[1][2]",
    ),
    ("security", "unknown_nested"): (
        ["targets", 0, "defender", "bogus"],
        1,
        "targets[0].defender.bogus",
    ),
    ("security", "wrong_type"): (["resources"], "two", "resources"),
    ("security", "missing"): (["targets", 0, "attacker"], _DELETE, "targets[0].attacker"),
    ("security", "nan"): (
        ["targets", 2, "defender", "covered"],
        NAN,
        "targets[2].defender.covered",
    ),
    ("security_types", "unknown_nested"): (
        ["attacker", "types", 0, "bogus"],
        1,
        "attacker.types[0].bogus",
    ),
    ("security_types", "wrong_type"): (
        ["attacker", "types", 0, "prior"],
        [1],
        "attacker.types[0].prior",
    ),
    ("security_types", "missing"): (
        ["attacker", "types", 0, "payoffs"],
        _DELETE,
        "attacker.types[0].payoffs",
    ),
    ("security_types", "nan"): (
        ["attacker", "types", 1, "payoffs", "port", "covered"],
        NAN,
        "attacker.types[1].payoffs.port.covered",
    ),
    ("interdiction", "unknown_nested"): (["arcs", 0, "bogus"], 1, "arcs[0].bogus"),
    ("interdiction", "wrong_type"): (["budget"], "one", "budget"),
    ("interdiction", "missing"): (["target"], _DELETE, "target"),
    ("interdiction", "nan"): (["arcs", 1, "length"], NAN, "arcs[1].length"),
    ("bilevel", "unknown_nested"): (
        ["leader", "variables", "x", "bogus"],
        1,
        "leader.variables.x.bogus",
    ),
    ("bilevel", "wrong_type"): (
        ["leader", "variables", "x", "lower"],
        "zero",
        "leader.variables.x.lower",
    ),
    ("bilevel", "missing"): (["follower", "objective"], _DELETE, "follower.objective"),
    ("bilevel", "nan"): (["leader", "variables", "x", "upper"], NAN, "leader.variables.x"),
}


def _mutated(kind: str, tmp_path: Path, mutate: Callable[[dict], None], name: str) -> Path:
    base = BASES[kind]
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    mutate(data)
    out = tmp_path / f"{kind}_{name}.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return out


def _solve_fails_cleanly(path: Path, *names: str) -> None:
    code, out, err = run_cli("solve", path)
    assert code == 2, f"exit {code}\n{out}\n{err}"
    assert_one_line_error(err, str(path), *names)


@pytest.mark.parametrize("kind,case", list(CASES), ids=[f"{k}-{c}" for k, c in CASES])
def test_bad_field(kind, case, tmp_path):
    path, value, field = CASES[(kind, case)]
    f = _mutated(kind, tmp_path, lambda d: set_place(d, path, value), case)
    _solve_fails_cleanly(f, field)


@pytest.mark.parametrize("kind", list(BASES))
def test_unknown_top_level_key(kind, tmp_path):
    f = _mutated(kind, tmp_path, lambda d: d.__setitem__("bogus", 1), "top")
    _solve_fails_cleanly(f, "bogus")


@pytest.mark.parametrize("kind", list(BASES))
def test_yaml_alias_refused(kind, tmp_path):
    f = tmp_path / f"{kind}_alias.yaml"
    f.write_text(
        BASES[kind].read_text(encoding="utf-8") + "\ndescription: &d text\nname: *d\n",
        encoding="utf-8",
    )
    _solve_fails_cleanly(f, "&d")


@pytest.mark.parametrize("kind", list(BASES))
def test_kind_mismatch_names_the_field(kind, tmp_path):
    f = _mutated(kind, tmp_path, lambda d: d.__setitem__("kind", "normal_forms"), "kind")
    _solve_fails_cleanly(f, "kind")


@pytest.mark.parametrize("command", ["solve", "verify", "export", "compare"])
def test_missing_file(command, tmp_path):
    missing = tmp_path / "nowhere.yaml"
    args = [command, missing] + ([tmp_path / "r.json"] if command == "verify" else [])
    code, _, err = run_cli(*args)
    assert code == 2
    assert_one_line_error(err, str(missing), "not found")


# -- CSV files: normal-form payoffs and interdiction edge lists ----------------------------
def test_normal_form_long_csv_with_nan(tmp_path):
    f = tmp_path / "g.csv"
    f.write_text((DATA / "inspection_long.csv").read_text().replace("-6.0", "nan"))
    _solve_fails_cleanly(f, "leader_payoff")


def test_normal_form_csv_unknown_column(tmp_path):
    f = tmp_path / "g.csv"
    f.write_text(
        (DATA / "inspection_long.csv").read_text().replace("follower_payoff", "follower_payof")
    )
    _solve_fails_cleanly(f, "header")


def test_interdiction_edge_csv_with_nan_length(tmp_path):
    (tmp_path / "supply_routes.csv").write_text(
        (DATA / "interdiction" / "supply_routes.csv")
        .read_text()
        .replace("depot,n1,3,", "depot,n1,nan,")
    )
    y = tmp_path / "supply_routes.yaml"
    y.write_text((DATA / "interdiction" / "supply_routes.yaml").read_text())
    code, out, err = run_cli("solve", y)
    assert code == 2, f"exit {code}\n{out}\n{err}"
    assert_one_line_error(err, "supply_routes.csv", "length")


def test_interdiction_edge_csv_unknown_column(tmp_path):
    (tmp_path / "supply_routes.csv").write_text(
        (DATA / "interdiction" / "supply_routes.csv").read_text().replace("delay", "dealy")
    )
    y = tmp_path / "supply_routes.yaml"
    y.write_text((DATA / "interdiction" / "supply_routes.yaml").read_text())
    code, out, err = run_cli("solve", y)
    assert code == 2, f"exit {code}\n{out}\n{err}"
    assert_one_line_error(err, "supply_routes.csv", "dealy")


# -- options -------------------------------------------------------------------------------
# options each kind does not take (it must refuse them: exit 2, one line naming the option)
INAPPLICABLE = {
    "bayesian": [
        ["--pure"],
        ["--leader", "follower"],
        ["--leader-actions", "guard1"],
        ["--follower-actions", "rob1"],
        ["--engine", "pyomo"],
        ["--exact"],
    ],
    "security": [
        ["--pure"],
        ["--leader", "follower"],
        ["--leader-actions", "airport"],
        ["--follower-actions", "port"],
        ["--exact"],
        ["--tie-break", "adversarial"],
    ],
    "interdiction": [
        ["--pure"],
        ["--leader", "follower"],
        ["--engine", "pyomo"],
        ["--exact"],
        ["--tie-break", "adversarial"],
    ],
    "bilevel": [
        ["--pure"],
        ["--leader", "follower"],
        ["--leader-actions", "x"],
        ["--engine", "pyomo"],
        ["--exact"],
        ["--tie-break", "adversarial"],
    ],
}
for _kind in ("bayesian", "security", "interdiction"):  # bilevel-only options
    INAPPLICABLE[_kind] += [["--max-nodes", "5"], ["--big-m", "100"]]
INAPPLICABLE["normal_form"] = [["--max-nodes", "5"], ["--big-m", "100"]]
OPTION_CASES = [(k, o) for k, opts in INAPPLICABLE.items() for o in opts]


@pytest.mark.parametrize(
    "kind,option", OPTION_CASES, ids=[f"{k}-{' '.join(o)}" for k, o in OPTION_CASES]
)
def test_inapplicable_option_refused(kind, option):
    code, out, err = run_cli("solve", BASES[kind], *option)
    assert code == 2, f"exit {code}\n{out}\n{err}"
    word = option[0].lstrip("-")
    assert_one_line_error(err, str(BASES[kind]))
    assert word in err or word.replace("-", "_") in err, err


@pytest.mark.parametrize("kind", list(BASES))
def test_default_tie_break_is_accepted_where_ties_exist(kind):
    """``--tie-break leader`` restates the default; kinds whose results report
    ``tie_break: leader`` accept it (interdiction has no follower ties to break)."""
    if kind == "interdiction":
        pytest.skip("interdiction results carry no tie rule")
    code, _out, err = run_cli("solve", BASES[kind], "--tie-break", "leader")
    assert code == 0, f"exit {code}\n{err}"


@pytest.mark.parametrize("kind", list(BASES))
@pytest.mark.parametrize(
    "option",
    [
        ["--method", "nonsense"],
        ["--rtol", "-1"],
        ["--rtol", "nan"],
        ["--time-limit", "-5"],
        ["--time-limit", "nan"],
    ],
    ids=lambda o: " ".join(o) if isinstance(o, list) else o,
)
def test_bad_option_value(kind, option):
    code, out, err = run_cli("solve", BASES[kind], *option)
    assert code == 2, f"exit {code}\n{out}\n{err}"
    assert_one_line_error(err, str(BASES[kind]), option[0].lstrip("-").replace("-", "_"))


@pytest.mark.parametrize("kind", [k for k in BASES if k != "normal_form"])
def test_inapplicable_option_names_the_kind(kind):
    code, _, err = run_cli("solve", BASES[kind], "--pure")
    assert code == 2
    kind_word = "security" if kind.startswith("security") else kind
    assert_one_line_error(err, str(BASES[kind]), "--pure", kind_word)


def test_argparse_errors_exit_2_without_traceback():
    code, _, err = run_cli("solve", BASES["normal_form"], "--rtol", "abc")
    assert code == 2 and "Traceback" not in err


# -- malformed result files given to verify ------------------------------------------------
RESULT_BREAKS = {
    "not_json": (lambda d: "{not json", None),
    "not_object": (lambda d: json.dumps([1, 2]), None),
    "no_commitment": (lambda d: json.dumps({**d, "leader": {"value": 1}}), "leader.commitment"),
    "no_response": (lambda d: json.dumps({**d, "follower": {"value": 1}}), "follower.response"),
    "bad_status": (lambda d: json.dumps({**d, "status": "great"}), "status"),
    "commitment_string_values": (
        lambda d: json.dumps(
            {
                **d,
                "leader": {
                    **d["leader"],
                    "commitment": {k: "lots" for k in d["leader"]["commitment"]},
                },
            }
        ),
        "leader.commitment",
    ),
}


@pytest.mark.parametrize("brk", list(RESULT_BREAKS))
@pytest.mark.parametrize("kind", list(BASES))
def test_verify_refuses_malformed_result(kind, brk, tmp_path):
    code, out, _ = run_cli("solve", BASES[kind], "--json")
    assert code == 0
    make, field = RESULT_BREAKS[brk]
    bad = tmp_path / "result.json"
    bad.write_text(make(json.loads(out)), encoding="utf-8")
    vcode, vout, verr = run_cli("verify", BASES[kind], bad)
    assert vcode == 2, f"verify exit {vcode}\n{vout}\n{verr}"
    assert_one_line_error(verr, str(bad), *([field] if field else []))


# -- numbers beyond the float range (YAML reads 1000...0 as a Python int) -------------------
HUGE = 10**400
HUGE_CASES = {
    "normal_form-payoff": ("normal_form", ["payoffs", "leader", 0, 0], "payoffs.leader[0][0]"),
    "bayesian-prior": ("bayesian", ["followers", 0, "prior"], "prior"),
    "security-payoff": (
        "security",
        ["targets", 0, "defender", "covered"],
        "targets[0].defender.covered",
    ),
    "security-resources": ("security", ["resources"], "resources"),
    "security-prior": (
        "security_types",
        ["attacker", "types", 0, "prior"],
        "attacker.types[0].prior",
    ),
    "interdiction-length": ("interdiction", ["arcs", 0, "length"], "arcs[0].length"),
    "interdiction-budget": ("interdiction", ["budget"], "budget"),
    "interdiction-cost": ("interdiction", ["arcs", 0, "cost"], "arcs[0].cost"),
    "interdiction-delay": ("interdiction", ["arcs", 0, "delay"], "arcs[0].delay"),
    "bilevel-bound": ("bilevel", ["leader", "variables", "x", "upper"], "leader.variables.x.upper"),
}


@pytest.mark.parametrize("case", list(HUGE_CASES))
def test_integer_beyond_float_range(case, tmp_path):
    kind, path, field = HUGE_CASES[case]
    f = _mutated(kind, tmp_path, lambda d: set_place(d, path, HUGE), "huge")
    _solve_fails_cleanly(f, field)


@pytest.mark.parametrize(
    "name,text",
    [
        ("empty", ""),
        ("list", "- 1\n- 2\n"),
        ("scalar", "42\n"),
        ("no_kind", "name: x\n"),
        ("tab", "kind: normal_form\n\tname: x\n"),
    ],
)
def test_documents_that_are_not_games(name, text, tmp_path):
    f = tmp_path / f"{name}.yaml"
    f.write_text(text, encoding="utf-8")
    _solve_fails_cleanly(f)


def test_non_utf8_file(tmp_path):
    f = tmp_path / "latin1.yaml"
    f.write_bytes("kind: normal_form\nname: caf\xe9\n".encode("latin-1"))
    _solve_fails_cleanly(f, "UTF-8")
