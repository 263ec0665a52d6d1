"""Incentive games through files and the CLI: YAML validation (exit 2, one line), verify of
genuine and tampered results, export read back by HiGHS."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from stackopt import load_game, solve
from tests.helpers import run_cli

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "incentive"
BASE = DATA / "safety_subsidy.yaml"
FILES = sorted(DATA.glob("*.yaml"))


def one_line(err: str, *names: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stackopt: error:"), err
    for n in names:
        assert n in lines[0], (n, lines[0])


def mutated(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    change(data)
    p = tmp_path / "g.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return p


BAD = {
    "unknown_key": (lambda d: d["incentives"].__setitem__("bogus", 1), "incentives.bogus"),
    "negative_max": (lambda d: d["incentives"].__setitem__("max", -1), "incentives.max"),
    "nan_budget": (
        lambda d: d["incentives"].__setitem__("budget", float("nan")),
        "incentives.budget",
    ),
    "inf_max": (lambda d: d["incentives"].__setitem__("max", float("inf")), "incentives.max"),
    "string_cost": (
        lambda d: d["incentives"].__setitem__("cost_weight", "cheap"),
        "incentives.cost_weight",
    ),
    "negative_cost": (
        lambda d: d["incentives"].__setitem__("cost_weight", -0.5),
        "incentives.cost_weight",
    ),
    "negative_budget": (lambda d: d["incentives"].__setitem__("budget", -2), "incentives.budget"),
    "unknown_action": (
        lambda d: d["incentives"].__setitem__("actions", ["inspect"]),
        "incentives.actions",
    ),
    "duplicate_action": (
        lambda d: d["incentives"].__setitem__("actions", ["safe", "safe"]),
        "incentives.actions",
    ),
    "empty_actions": (lambda d: d["incentives"].__setitem__("actions", []), "incentives.actions"),
    "bad_contract": (
        lambda d: d["incentives"].__setitem__("contract", "bonus"),
        "incentives.contract",
    ),
    "incentives_list": (lambda d: d.__setitem__("incentives", [1, 2]), "incentives"),
    "missing_incentives": (lambda d: d.pop("incentives"), "incentives"),
    "bad_payoffs": (lambda d: d["payoffs"]["leader"][0].__setitem__(0, "x"), "payoffs.leader"),
    "unknown_top_key": (lambda d: d.__setitem__("subsidy", 1), "subsidy"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_one_line_exit_2(case, tmp_path):
    change, field = BAD[case]
    p = mutated(tmp_path, change)
    code, out, err = run_cli("solve", p)
    assert code == 2, (out, err)
    one_line(err, str(p), field)


def test_defaults_and_empty_block(tmp_path):
    p = mutated(tmp_path, lambda d: d.__setitem__("incentives", {}))
    g = load_game(p)
    inc = g.incentives
    assert (inc.max, inc.cost_weight, inc.budget, inc.actions, inc.contract) == (
        1.0,
        1.0,
        None,
        None,
        "uniform",
    )
    assert solve(g).certified


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_bundled_incentive_game_solves_verifies_and_exports(path, tmp_path):
    out = tmp_path / "r.json"
    code, stdout, err = run_cli("solve", path, "--json", "--out", out)
    assert code == 0, err
    data = json.loads(stdout)
    assert data["kind"] == "incentive" and data["certificate"]["passed"]
    assert {"incentives", "payment"} <= set(data["leader"])
    code, vout, _ = run_cli("verify", path, out)
    assert code == 0, vout
    code, stdout, err = run_cli("export", path, "--format", "mps", "--out", tmp_path / "exp")
    assert code == 0, err
    import highspy

    from stackopt.engines.highs import new_highs

    files = [Path(f) for f in stdout.split()]
    assert len(files) == len(load_game(path).follower_actions)
    for f in files:
        h = new_highs()
        assert h.readModel(str(f)) == highspy.HighsStatus.kOk
    # the exported LP of the reported response has the reported value (HiGHS reads and
    # solves the file on its own)
    resp = data["follower"]["response"]
    (f,) = [f for f in files if f.name.endswith(f".{resp}.mps")]
    h = new_highs()
    h.readModel(str(f))
    h.run()
    assert h.getInfo().objective_function_value == pytest.approx(data["leader"]["value"], abs=1e-7)


@pytest.fixture
def result(tmp_path):
    out = tmp_path / "r.json"
    code, stdout, _ = run_cli("solve", DATA / "safety_subsidy_budget.yaml", "--json", "--out", out)
    assert code == 0
    return json.loads(stdout)


def _verify(tmp_path, data) -> tuple[int, str, str]:
    f = tmp_path / "t.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    return run_cli("verify", DATA / "safety_subsidy_budget.yaml", f)


def _first_positive(inc: dict) -> tuple[str, str]:
    for a, row in inc.items():
        for k, v in row.items():
            if v > 0:
                return a, k
    raise AssertionError("no positive incentive")


TAMPER = {
    # values that no longer match the game
    "leader_value": lambda d: d["leader"].__setitem__("value", d["leader"]["value"] + 0.1),
    "follower_value": lambda d: d["follower"].__setitem__("value", d["follower"]["value"] + 0.1),
    "payment": lambda d: d["leader"].__setitem__("payment", d["leader"]["payment"] + 0.1),
    # incentives: above the bound, below what induces the response, on an unpaid action
    "incentive_above_max": lambda d: d["leader"]["incentives"]["trust"].__setitem__("safe", 1.5),
    "incentive_lowered": lambda d: d["leader"]["incentives"]["trust"].__setitem__("safe", 0.1),
    "incentive_negative": lambda d: d["leader"]["incentives"]["inspect"].__setitem__("safe", -0.2),
    "unpaid_action_paid": lambda d: d["leader"]["incentives"]["trust"].__setitem__(
        "cut_corners", 0.3
    ),
    "over_budget": lambda d: (
        d["leader"]["incentives"]["inspect"].__setitem__("safe", 1.0),
        d["leader"]["incentives"]["trust"].__setitem__("safe", 1.0),
    ),
    "response": lambda d: d["follower"].__setitem__("response", "cut_corners"),
    "commitment": lambda d: d["leader"].__setitem__("commitment", {"inspect": 0.0, "trust": 1.0}),
    "loosened_rtol": lambda d: (
        d["options"].__setitem__("rtol", 0.9),
        d["certificate"].__setitem__("rtol", 0.9),
        d["leader"].__setitem__("value", d["leader"]["value"] + 0.2),
    ),
    "bound_removed": lambda d: d["certificate"]["evidence"]["bounds"].pop("cut_corners"),
    "bound_multiplier_zeroed": lambda d: d["certificate"]["evidence"]["bounds"]["safe"].__setitem__(
        "multipliers", {}
    ),
    "status_infeasible": lambda d: d.__setitem__("status", "infeasible"),
}


@pytest.mark.parametrize("case", list(TAMPER))
def test_tampered_results_fail_verify(case, result, tmp_path):
    data = json.loads(json.dumps(result))
    TAMPER[case](data)
    code, out, err = _verify(tmp_path, data)
    assert code == 1, (case, out, err)
    assert "FAIL" in out


def test_suboptimal_but_consistent_answer_fails_optimality(tmp_path):
    """A genuine equilibrium of the plain game (no incentive, inspect 1/2, value -1.5) is
    consistent but not optimal: only the optimality check fails."""
    out = tmp_path / "r.json"
    code, stdout, _ = run_cli("solve", BASE, "--json", "--out", out)
    data = json.loads(stdout)
    data["leader"].update(
        {
            "commitment": {"inspect": 0.5, "trust": 0.5},
            "value": -1.5,
            "incentives": {"safe": 0.0},
            "payment": 0.0,
        }
    )
    data["follower"]["value"] = 0.0
    f = tmp_path / "sub.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    code, vout, _ = run_cli("verify", BASE, f)
    assert code == 1
    failed = [ln.split()[1] for ln in vout.splitlines() if ln.strip().startswith("FAIL")]
    assert failed == ["optimality"], vout


HOSTILE = {
    "incentive_nan": lambda d: d["leader"]["incentives"]["trust"].__setitem__("safe", float("nan")),
    "incentive_string": lambda d: d["leader"]["incentives"]["trust"].__setitem__("safe", "1"),
    "incentive_unknown_label": lambda d: d["leader"]["incentives"]["trust"].__setitem__(
        "rocket", 0.0
    ),
    "incentive_not_mapping": lambda d: d["leader"]["incentives"].__setitem__("trust", 3),
    "payment_nan": lambda d: d["leader"].__setitem__("payment", float("nan")),
    "payment_string": lambda d: d["leader"].__setitem__("payment", "half"),
    "commitment_nan": lambda d: d["leader"]["commitment"].__setitem__("trust", float("nan")),
    "value_string": lambda d: d["leader"].__setitem__("value", "high"),
    "rtol_string": lambda d: d["options"].__setitem__("rtol", "tight"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_numbers_never_verify(case, result, tmp_path):
    data = json.loads(json.dumps(result))
    HOSTILE[case](data)
    code, out, err = _verify(tmp_path, data)
    assert code in (1, 2), (case, out, err)
    if code == 2:
        one_line(err)
    assert "Traceback" not in err


def test_options_that_do_not_apply_are_refused(tmp_path):
    code, _, err = run_cli("solve", BASE, "--tie-break", "adversarial")
    assert code == 2 and "not available" in err
    code, _, err = run_cli("solve", BASE, "--leader", "follower")
    assert code == 2
    one_line(err, "--leader")
    code, _, err = run_cli("solve", BASE, "--method", "pure_commitment", "--engine", "pyomo")
    assert code == 2
    one_line(err, "--engine")


def test_methods_lists_the_kind():
    code, out, _ = run_cli("methods", "incentive")
    assert code == 0 and "incentive_lps" in out and "pure_commitment" in out


def test_uniform_incentives_json_and_table():
    code, out, _ = run_cli("solve", BASE)
    assert code == 0 and "trust 1" in out
    r = solve(load_game(BASE))
    assert r.to_dict()["leader"]["incentives"] == {"safe": 1.0}
    # a result of another kind's shape (no incentives) is not accepted silently
    d = r.to_dict()
    d["leader"].pop("incentives")
    d["leader"].pop("payment")
    from stackopt import verify

    cert = verify(load_game(BASE), d)
    assert not cert.passed
    assert np.isclose(r.leader.value, -1.0)


def test_hostile_value_through_the_api(result):
    from stackopt import verify
    from stackopt.errors import InputError

    game = load_game(DATA / "safety_subsidy_budget.yaml")
    for who in ("leader", "follower"):
        data = json.loads(json.dumps(result))
        data[who]["value"] = "high"
        with pytest.raises(InputError, match=f"{who}.value"):
            verify(game, data)


def test_a_declared_pure_restriction_is_applied_only_when_asked(tmp_path):
    """verify trusts nothing but the answer: a result saying 'pure' is checked against every
    commitment unless verify is given --pure (then against the pure ones)."""
    game = DATA / "safety_subsidy_budget.yaml"
    out = tmp_path / "p.json"
    code, _, _ = run_cli("solve", game, "--pure", "--json", "--out", out)
    assert code == 0
    code, vout, _ = run_cli("verify", game, out)
    assert code == 1 and "NOT applied" in vout and "FAIL optimality" in vout
    code, vout, _ = run_cli("verify", game, out, "--pure")
    assert code == 0, vout
    # pure: from trust, safe costs 1 > budget 0.5, so the regulator inspects (-3), worse than
    # the mixed optimum -1.25
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["leader"]["value"] == pytest.approx(-3.0)


@pytest.mark.parametrize("response", [["safe"], {"t": "safe"}, None, 3])
def test_a_response_that_is_not_one_label_is_bad_input(result, response):
    from stackopt import verify
    from stackopt.errors import InputError

    data = json.loads(json.dumps(result))
    data["follower"]["response"] = response
    with pytest.raises(InputError, match="the response of an incentive-game result must be one"):
        verify(load_game(DATA / "safety_subsidy_budget.yaml"), data)
