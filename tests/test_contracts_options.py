"""CLI contracts under options: every documented option round-trips through ``verify``;
results solved with options can be tampered with and are then refused; a result of one kind
is refused against a game of another; ``stackopt compare`` on the governance examples.

Independent references: nashpy's support enumeration for the Nash equilibria of the
governance game, and the two governance files (one game in both orders of play) against each
other.
"""

from __future__ import annotations

import itertools
import json
import warnings

import pytest
from test_contracts import DATA, assert_one_line_error, run_cli
from test_contracts_bad_input import BASES

# (file, options) -> expected solve exit code; every result must then verify (exit 0)
ROUND_TRIPS = [
    ("inspection.yaml", ["--leader", "follower"], 0),
    ("inspection.yaml", ["--leader", "inspectee"], 0),
    ("inspection.yaml", ["--pure"], 0),
    ("inspection.yaml", ["--method", "pure_commitment"], 0),
    (
        "governance_regulator_leads.yaml",
        ["--leader-actions", "light,strict", "--follower-actions", "basic,full_safety"],
        0,
    ),
    ("inspection.yaml", ["--tie-break", "adversarial"], 1),  # supremum not attained
    ("governance_firm_leads.yaml", ["--tie-break", "adversarial"], 0),
    ("governance_firm_leads.yaml", ["--tie-break", "adversarial", "--leader", "follower"], 1),
    ("inspection.yaml", ["--exact"], 0),
    ("inspection.yaml", ["--exact", "--leader", "follower"], 0),
    ("inspection.yaml", ["--engine", "pyomo"], 0),
    ("bayesian/patrol.yaml", ["--tie-break", "adversarial"], 0),
    ("bayesian/patrol.yaml", ["--method", "harsanyi"], 0),
    ("bayesian/two_regions.yaml", ["--tie-break", "adversarial"], 1),
    ("security/transit_hubs.yaml", ["--method", "eraser"], 0),
    ("security/transit_hubs.yaml", ["--engine", "pyomo"], 0),
    ("interdiction/diamond.yaml", ["--method", "lp_dual"], 0),
    ("bilevel/bard.yaml", ["--method", "kkt_normalized"], 0),
    ("bilevel/covering_proven.yaml", ["--method", "kkt_bigm"], 0),
]
RT_IDS = [f"{f}-{' '.join(o)}" for f, o, _ in ROUND_TRIPS]


@pytest.mark.parametrize("name,options,want", ROUND_TRIPS, ids=RT_IDS)
def test_option_results_verify_and_tampered_ones_do_not(name, options, want, tmp_path):
    path = DATA / name
    out_file = tmp_path / "r.json"
    code, out, err = run_cli("solve", path, *options, "--json", "--out", out_file)
    assert code == want, f"exit {code}\n{err}"
    data = json.loads(out)
    if want == 1:  # only a supremum that is not attained is expected to exit 1 here
        assert data["status"] == "not_attained" and data["message"]
    else:
        assert data["status"] == "optimal" and data["certificate"]["passed"]
    # restrictions in a result are applied only when passed to verify explicitly (issue 8)
    restrict = _verify_restrictions(options)
    if restrict:
        vcode, vout, verr = run_cli("verify", path, out_file)
        assert vcode == 1 and "NOT applied" in vout, f"verify exit {vcode}\n{vout}\n{verr}"
    vcode, vout, verr = run_cli("verify", path, out_file, *restrict)
    assert vcode == 0, f"verify exit {vcode}\n{vout}\n{verr}"
    v = data["leader"]["value"]
    data["leader"]["value"] = v + max(1.0, abs(v)) * 0.1
    out_file.write_text(json.dumps(data), encoding="utf-8")
    vcode, vout, verr = run_cli("verify", path, out_file, *restrict)
    assert vcode == 1, f"tampered value: verify exit {vcode}\n{vout}\n{verr}"


def _verify_restrictions(options: list[str]) -> list[str]:
    """The verify flags restating a solve's restrictions (--pure, --leader/follower-actions)."""
    out: list[str] = []
    for k, opt in enumerate(options):
        if opt in ("--leader-actions", "--follower-actions"):
            out += [opt, options[k + 1]]
        elif opt == "--pure" or (opt == "--method" and options[k + 1] == "pure_commitment"):
            out.append("--pure")
    return out


def test_exact_evidence_is_checked_by_verify(tmp_path):
    """``--exact`` puts the rational answer into the evidence; a changed fraction fails."""
    path = DATA / "inspection.yaml"
    out_file = tmp_path / "r.json"
    code, out, _ = run_cli("solve", path, "--exact", "--json", "--out", out_file)
    assert code == 0
    data = json.loads(out)
    exact = data["certificate"]["evidence"]["exact"]
    assert "exact" in [c["name"] for c in data["certificate"]["checks"]]
    text = json.dumps(exact)
    assert "-5/14" in text  # SSE value of the inspection game: -5/14
    data["certificate"]["evidence"]["exact"] = json.loads(text.replace("-5/14", "-4/14"))
    out_file.write_text(json.dumps(data), encoding="utf-8")
    vcode, vout, verr = run_cli("verify", path, out_file)
    assert vcode == 1, f"changed exact value: verify exit {vcode}\n{vout}"
    assert "FAIL exact" in vout
    assert "Traceback" not in verr


# -- a result of one kind against a game of another ----------------------------------------
PAIRS = [(a, b) for a, b in itertools.permutations(BASES, 2)]


@pytest.fixture(scope="module")
def base_results(tmp_path_factory):
    root = tmp_path_factory.mktemp("base_results")
    out = {}
    for kind, path in BASES.items():
        f = root / f"{kind}.json"
        code, _, err = run_cli("solve", path, "--json", "--out", f)
        assert code == 0, err
        out[kind] = f
    return out


@pytest.mark.parametrize("game_kind,result_kind", PAIRS, ids=[f"{a}<-{b}" for a, b in PAIRS])
def test_result_of_another_kind_is_refused(game_kind, result_kind, base_results):
    code, _out, err = run_cli("verify", BASES[game_kind], base_results[result_kind])
    assert code in (1, 2), f"verify accepted a {result_kind} result for a {game_kind} game"
    if code == 2:
        assert_one_line_error(err, str(base_results[result_kind]))
    assert "Traceback" not in err


# -- stackopt compare on the governance game -----------------------------------------------
def _compare(name: str) -> dict:
    code, out, err = run_cli("compare", DATA / name, "--json")
    assert code == 0, err
    return json.loads(out)


def test_compare_governance_both_orders_agree_and_leading_pays():
    firm = _compare("governance_firm_leads.yaml")
    reg = _compare("governance_regulator_leads.yaml")
    assert (firm["player1"], firm["player2"]) == (reg["player2"], reg["player1"])
    rows_f = {r["scenario"]: r for r in firm["rows"]}
    rows_r = {r["scenario"]: r for r in reg["rows"]}
    assert all(r["certified"] for r in firm["rows"] + reg["rows"])
    swap = {
        "player1_leads": "player2_leads",
        "player2_leads": "player1_leads",
        "nash_best_player1": "nash_best_player2",
        "nash_worst_player1": "nash_worst_player2",
        "nash_best_player2": "nash_best_player1",
        "nash_worst_player2": "nash_worst_player1",
    }
    for s, t in swap.items():  # the same game with the roles exchanged
        assert rows_f[s]["player1_value"] == pytest.approx(rows_r[t]["player2_value"], abs=1e-9)
        assert rows_f[s]["player2_value"] == pytest.approx(rows_r[t]["player1_value"], abs=1e-9)
    # leading pays for the regulator (the paper's point); never hurts either player
    assert reg["value_of_commitment"]["regulator"] > 0.3  # 0.5346 leading vs 0.18 (NE)
    assert min(reg["value_of_commitment"].values()) >= -1e-9
    assert firm["value_of_commitment"] == pytest.approx(
        {k: v for k, v in reg["value_of_commitment"].items()}, abs=1e-9
    )


def test_compare_nash_rows_match_nashpy():
    nashpy = pytest.importorskip("nashpy")
    from stackopt import load_game

    game = load_game(DATA / "governance_firm_leads.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eqs = [
            nashpy.Game(game.A, game.B)[s]
            for s in nashpy.Game(game.A, game.B).support_enumeration()
        ]
    firm_values = [float(e[0]) for e in eqs]
    rows = {r["scenario"]: r for r in _compare("governance_firm_leads.yaml")["rows"]}
    assert rows["nash_best_player1"]["player1_value"] == pytest.approx(max(firm_values))
    assert rows["nash_worst_player1"]["player1_value"] == pytest.approx(min(firm_values))
    assert rows["player1_leads"]["player1_value"] >= max(firm_values) - 1e-9


# -- verify against hostile result files ---------------------------------------------------
def _verify_modified(kind: str, base_results, tmp_path, change) -> tuple[int, str, str]:
    data = json.loads(base_results[kind].read_text(encoding="utf-8"))
    change(data)
    f = tmp_path / "modified.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    return run_cli("verify", BASES[kind], f)


def _loosen_and_shift(d: dict) -> None:
    d["options"]["rtol"] = 0.9
    d["certificate"]["rtol"] = 0.9
    v = d["leader"]["value"]
    d["leader"]["value"] = v + 0.3 * max(1.0, abs(v))


@pytest.mark.parametrize("kind", list(BASES))
def test_a_result_cannot_loosen_its_own_tolerance(kind, base_results, tmp_path):
    """A result may tighten the tolerance verify uses, never loosen it past the default
    (otherwise any answer verifies by stating rtol 0.9)."""
    code, out, err = _verify_modified(kind, base_results, tmp_path, _loosen_and_shift)
    assert code == 1, f"verify exit {code}\n{out}\n{err}"


HOSTILE = {
    "follower_value_string": lambda d: d["follower"].__setitem__("value", "high"),
    "leader_value_string": lambda d: d["leader"].__setitem__("value", "high"),
    "rtol_string": lambda d: d["options"].__setitem__("rtol", "tight"),
    "tie_break_adversarial": lambda d: d["options"].__setitem__("tie_break", "adversarial"),
    "commitment_nan": lambda d: d["leader"]["commitment"].__setitem__(
        next(iter(d["leader"]["commitment"])), float("nan")
    ),
    "commitment_null": lambda d: d["leader"]["commitment"].__setitem__(
        next(iter(d["leader"]["commitment"])), None
    ),
}
HOSTILE_CASES = [(k, h) for k in BASES for h in HOSTILE]


@pytest.mark.parametrize("kind,case", HOSTILE_CASES, ids=[f"{k}-{h}" for k, h in HOSTILE_CASES])
def test_hostile_result_never_verifies_and_never_crashes(kind, case, base_results, tmp_path):
    code, out, err = _verify_modified(kind, base_results, tmp_path, HOSTILE[case])
    if case == "tie_break_adversarial" and kind in (
        "security",
        "security_types",
        "interdiction",
        "bilevel",
    ):
        assert code in (0, 1, 2)  # kinds without adversarial ties may ignore the option
    else:
        assert code in (1, 2), f"verify exit {code}\n{out}\n{err}"
    if code == 2:
        assert_one_line_error(err)
    assert "Traceback" not in err


WRONG_STATUS = [(k, s) for k in BASES for s in ("infeasible", "unbounded", "not_attained", "error")]


@pytest.mark.parametrize("kind,status", WRONG_STATUS, ids=[f"{k}-{s}" for k, s in WRONG_STATUS])
def test_a_wrong_status_claim_does_not_verify(kind, status, base_results, tmp_path):
    """Each example has an optimal equilibrium: a result that says otherwise (with the right
    commitment) is a wrong claim, and verify must not certify it."""
    code, out, err = _verify_modified(
        kind, base_results, tmp_path, lambda d: d.__setitem__("status", status)
    )
    assert code in (1, 2), f"status {status!r}: verify exit {code}\n{out}\n{err}"
    assert "Traceback" not in err
