"""Bad input gives one-line errors (CLI exit 2); tampered results fail verify; the chain
example of the file contract solves and verifies through the CLI; CSV files beside the YAML."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import pytest
import yaml

import stackopt
from stackopt.cli import main
from stackopt.errors import InputError
from tests.helpers import DELETE, set_place

ROOT = Path(__file__).resolve().parents[2]
CHAIN = ROOT / "data" / "mdp" / "chain.yaml"


def _chain() -> dict:
    return yaml.safe_load(CHAIN.read_text())


def _set(data: dict, path: str, value) -> dict:
    return set_place(copy.deepcopy(data), path.split("."), value)


_DEL = DELETE

BAD = [
    ("transitions.s0.test", {"s0": 0.2, "s1": 0.7}, "sum to 0.9"),
    ("transitions.s0.test", {"s0": -0.2, "s1": 1.2}, "negative probability"),
    ("transitions.s0.test", {"s0": 0.2, "s9": 0.8}, "unknown state 's9'"),
    ("transitions.s0.jump", {"s0": 1.0}, "unknown action 'jump'"),
    ("transitions.s1", _DEL, "no transition for state 's1'"),
    ("rewards.follower.s0", {"fly": 1.0}, "unknown action 'fly'"),
    ("rewards.leader.s7", {"wait": 1.0}, "unknown state 's7'"),
    ("rewards.follower.s0.wait", "lots", "not a number"),
    ("rewards.follower.s0.wait", True, "not a number"),
    ("horizon", 0, "horizon must be a whole number >= 1"),
    ("horizon", -3, "horizon must be a whole number >= 1"),
    ("horizon", 2.5, "horizon must be a whole number >= 1"),
    ("horizon", "four", "not a number"),
    ("discount", 0.9, "exactly one of 'horizon'"),
    ("initial", {"s0": 0.5}, "sum to 1"),
    ("initial", {"s5": 1.0}, "unknown state 's5'"),
    ("colour", "red", "unknown key"),
    ("leader.parameters.subsidy.upper", -1, "exceeds upper"),
    ("leader.parameters.subsidy.colour", 1, "unknown key"),
    ("leader.parameters.subsidy.cost", "free", "not a number"),
    ("leader.effects.tax", {"s0": {"test": 1.0}}, "unknown parameter 'tax'"),
    ("leader.effects.subsidy.s0.test", float("nan"), "not finite"),
    ("states", ["s0", "s1", "s1"], "listed twice"),
]


@pytest.mark.parametrize("path,value,message", BAD, ids=[f"{b[0]}={b[1]!r}"[:40] for b in BAD])
def test_bad_input_is_one_line_exit_2(tmp_path, capsys, path, value, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(_set(_chain(), path, value)))
    assert main(["solve", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert message in err and "bad.yaml" in err


@pytest.mark.parametrize("discount", [1.0, -0.1, 1.5, float("inf")])
def test_discount_outside_unit_interval(tmp_path, capsys, discount):
    data = _set(_set(_chain(), "horizon", _DEL), "discount", discount)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data))
    assert main(["solve", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "discount must be a number in [0, 1)" in err and "\n" not in err


def test_discounted_chain_solves(tmp_path):
    data = _set(_set(_chain(), "horizon", _DEL), "discount", 0.9)
    p = tmp_path / "d.yaml"
    p.write_text(yaml.safe_dump(data))
    res = stackopt.solve(stackopt.load_game(p))
    assert res.certified
    assert set(res.follower.response) == {"s0", "s1", "s2"}


# -- the chain example through the CLI ----------------------------------------------------
def test_chain_solves_and_verifies_by_cli(tmp_path, capsys):
    out = tmp_path / "chain.json"
    assert main(["solve", str(CHAIN), "--json", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["kind"] == "mdp" and data["status"] == "optimal"
    assert set(data["leader"]["commitment"]) == {"subsidy"}
    assert set(data["follower"]["response"]) == {"0", "1", "2", "3"}
    assert data["certificate"]["passed"]
    assert main(["verify", str(CHAIN), str(out)]) == 0
    capsys.readouterr()
    assert main(["export", str(CHAIN), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "chain.lp").read_text().count("z(") >= 24


@functools.lru_cache(maxsize=1)
def _chain_result() -> str:
    return stackopt.solve(stackopt.load_game(CHAIN)).to_json()


def _tamper(tmp_path, fn) -> int:
    res = json.loads(_chain_result())
    fn(res)
    p = tmp_path / "t.json"
    p.write_text(json.dumps(res))
    return main(["verify", str(CHAIN), str(p)])


TAMPER = {
    "leader_value": lambda r: r["leader"].update(value=r["leader"]["value"] + 0.01),
    "follower_value": lambda r: r["follower"].update(value=r["follower"]["value"] - 0.01),
    "value_nan": lambda r: r["leader"].update(value=float("nan")),
    "policy": lambda r: r["follower"]["response"]["0"].update(s0="wait"),
    "out_of_bounds": lambda r: r["leader"]["commitment"].update(subsidy=5.0),
    "other_subsidy": lambda r: r["leader"]["commitment"].update(subsidy=2.0),
    "bound_raised": lambda r: r["certificate"]["evidence"]["milp_bound"].update(
        bound=r["leader"]["value"] + 0.1
    ),
    "bound_missing": lambda r: r["certificate"]["evidence"].pop("milp_bound"),
    "bound_string": lambda r: r["certificate"]["evidence"]["milp_bound"].update(bound="x"),
    "status": lambda r: r.update(status="infeasible"),
    "loose_rtol": lambda r: (
        r["options"].update(rtol=0.5),
        r["leader"].update(value=r["leader"]["value"] + 0.01),
    ),
}


@pytest.mark.parametrize("name", list(TAMPER))
def test_tampered_results_fail_verify(tmp_path, capsys, name):
    # a non-finite number in a result is bad input (exit 2); a wrong answer fails (exit 1)
    assert _tamper(tmp_path, TAMPER[name]) == (2 if name == "value_nan" else 1)


@pytest.mark.parametrize(
    "fn,message",
    [
        (lambda r: r["follower"]["response"]["0"].pop("s1"), "no action for state 's1'"),
        (lambda r: r["follower"]["response"]["0"].update(s1="fly"), "unknown action 'fly'"),
        (lambda r: r["follower"]["response"].pop("3"), "no policy for step 3"),
        (lambda r: r["follower"]["response"].update({"9": {}}), "unknown step '9'"),
        (lambda r: r["leader"]["commitment"].update(tax=1), "unknown key 'tax'"),
        (lambda r: r["leader"]["commitment"].pop("subsidy"), "missing 'subsidy'"),
        (lambda r: r["leader"]["commitment"].update(subsidy="1"), "is not a number"),
    ],
)
def test_malformed_results_are_input_errors(tmp_path, capsys, fn, message):
    assert _tamper(tmp_path, fn) == 2
    assert message in capsys.readouterr().err


def test_tie_break_and_options():
    game = stackopt.load_game(CHAIN)
    with pytest.raises(InputError, match="not available"):
        stackopt.solve(game, tie_break="adversarial")
    with pytest.raises(InputError, match="does not apply"):
        stackopt.solve(game, engine="pyomo")


# -- CSV files beside the YAML ---------------------------------------------------------------
def test_csv_files_give_the_same_game(tmp_path):
    (tmp_path / "t.csv").write_text(
        "state,action,next_state,probability\n"
        "s0,wait,s0,1\ns0,test,s0,0.2\ns0,test,s1,0.8\ns1,wait,s1,1\ns1,test,s1,0.3\n"
        "s1,test,s2,0.7\ns2,wait,s2,1\ns2,test,s2,1\n"
    )
    (tmp_path / "r.csv").write_text(
        "state,action,leader_reward,follower_reward\n"
        "s0,wait,0,0.3\ns0,test,0,-1\ns1,wait,0,0.3\ns1,test,0,-1\ns2,wait,2,0.6\n"
        "s2,test,2,0.6\n"
    )
    data = _set(_set(_chain(), "transitions", "t.csv"), "rewards", "r.csv")
    (tmp_path / "g.yaml").write_text(yaml.safe_dump(data))
    a = stackopt.solve(stackopt.load_game(tmp_path / "g.yaml"))
    b = stackopt.solve(stackopt.load_game(CHAIN))
    assert a.leader.value == pytest.approx(b.leader.value, abs=1e-9)
    assert a.follower.response == b.follower.response


def _one_state_game(tmp_path, **more):
    """``g.yaml``: one state ``s0``, actions ``a``/``b``, horizon 1, transitions from ``t.csv``
    (plus the keys in ``more``)."""
    data = {
        "kind": "mdp",
        "horizon": 1,
        "states": ["s0"],
        "actions": ["a", "b"],
        "initial": {"s0": 1},
        "transitions": "t.csv",
    }
    p = tmp_path / "g.yaml"
    p.write_text(yaml.safe_dump({**data, **more}))
    return p


def test_csv_leader_action_column(tmp_path):
    (tmp_path / "r.csv").write_text(
        "leader_action,state,action,leader_reward,follower_reward\n"
        ",s0,a,1,1\n,s0,b,0,0\nhigh,s0,b,0,2\nhigh,s0,a,1,0\n"
    )
    (tmp_path / "t.csv").write_text(
        "state,action,next_state,probability,leader_action\ns0,a,s0,1,\ns0,b,s0,1,\n"
    )
    p = _one_state_game(tmp_path, rewards="r.csv", leader={"actions": ["low", "high"]})
    game = stackopt.load_game(p)
    assert game.follower_rewards[:, 0, 1].tolist() == [0.0, 2.0]
    res = stackopt.solve(game)
    # the leader wants 'a' (1 vs 0); 'a' is a best response while P(high) <= 1/2
    assert res.certified
    assert res.leader.commitment["s0/high"] == pytest.approx(0.5, abs=1e-6)
    assert res.follower.response == {"0": {"s0": "a"}}


@pytest.mark.parametrize(
    "text,message",
    [
        ("state,action,next_state\ns0,a,s0\n", "column 'probability' is missing"),
        ("state,action,next_state,probability,colour\ns0,a,s0,1,red\n", "unknown column"),
        ("state,action,next_state,probability\ns0,a,s0,x\ns0,b,s0,1\n", "not a number"),
        ("state,action,next_state,probability\ns0,a,s0,1\n", "no transition for state"),
        ("state,action,next_state,probability\ns0,a,s0,0.5\ns0,b,s0,1\n", "sum to 0.5"),
    ],
)
def test_bad_csv(tmp_path, capsys, text, message):
    (tmp_path / "t.csv").write_text(text)
    assert main(["solve", str(_one_state_game(tmp_path))]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


def test_discounted_results_verify_and_tampering_fails(tmp_path):
    data = _set(_set(_chain(), "horizon", _DEL), "discount", 0.9)
    p = tmp_path / "d.yaml"
    p.write_text(yaml.safe_dump(data))
    game = stackopt.load_game(p)
    res = stackopt.solve(game).to_dict()
    assert stackopt.verify(game, res).passed
    best = res["follower"]["response"]["s0"]
    res["follower"]["response"]["s0"] = "wait" if best == "test" else "test"
    cert = stackopt.verify(game, res)
    assert not cert.passed


@pytest.mark.parametrize("value", ["12", True, [1.0]])
def test_verify_refuses_an_unreadable_value(value):
    """``stackopt.verify`` on a result mapping: a value that is not a number is bad input
    (it used to be read as "not reported" and the answer verified without it)."""
    game = stackopt.load_game(CHAIN)
    data = json.loads(_chain_result())
    data["leader"]["value"] = value
    with pytest.raises(InputError, match="leader.value"):
        stackopt.verify(game, data)


def test_methods_command_lists_mdp(capsys):
    assert main(["methods", "mdp"]) == 0
    out = capsys.readouterr().out
    assert "kkt_milp" in out and "enumerate" in out and "--max-commitments" in out


def test_enumeration_catches_a_suboptimal_answer_with_a_forged_bound():
    """A valid but suboptimal commitment, with its own optimistic policy and values and the
    MILP bound lowered to match, passes the solver-reported check but not the enumeration."""
    import numpy as np

    from stackopt.kinds.mdp import dp
    from stackopt.kinds.mdp.checks import policy_to_response

    game = stackopt.load_game(CHAIN)
    data = json.loads(_chain_result())
    theta = np.array([2.0])
    ind = game.induced(theta, np.ones((3, 1)))
    pol, W = dp.optimistic(ind.P, ind.rf, ind.rl, 4, None, 1e-12)
    V = dp.evaluate(ind.P, ind.rf, pol, None)
    lv = float(W[0] @ game.initial) - 0.5 * 2.0
    assert lv < data["leader"]["value"] - 1e-3
    data["leader"].update(commitment={"subsidy": 2.0}, value=lv)
    data["follower"].update(
        response=policy_to_response(game, pol), value=float(V[0] @ game.initial)
    )
    data["certificate"]["evidence"]["milp_bound"]["bound"] = lv
    cert = stackopt.verify(game, data)
    assert cert.check("optimality").passed and cert.check("best_response").passed
    assert not cert.check("optimality_enumeration").passed
    assert not cert.passed


def _with_leader_actions(transitions: bool) -> dict:
    data = _chain()
    del data["leader"]["parameters"], data["leader"]["effects"]
    data["leader"]["actions"] = {
        "strict": {
            "rewards": {"follower": {"s0": {"wait": -0.5}}, "leader": {"s0": {"wait": 0.1}}}
        },
        "lax": None,
    }
    if transitions:
        data["leader"]["actions"]["lax"] = {"transitions": {"s1": {"test": {"s2": 1.0}}}}
    return data


def test_inline_leader_actions_add_rewards_and_replace_transition_rows(tmp_path):
    p = tmp_path / "a.yaml"
    p.write_text(yaml.safe_dump(_with_leader_actions(True), sort_keys=False))
    game = stackopt.load_game(p)
    assert game.leader_actions == ("strict", "lax")
    s0, s1 = 0, 1
    wait, test = 0, 1
    assert game.follower_rewards[:, s0, wait].tolist() == pytest.approx([-0.2, 0.3])
    assert game.leader_rewards[:, s0, wait].tolist() == [0.1, 0.0]
    assert game.transitions[0, s1, test].tolist() == [0.0, 0.3, 0.7]
    assert game.transitions[1, s1, test].tolist() == [0.0, 0.0, 1.0]
    assert game.transitions[1, s0, test].tolist() == [0.2, 0.8, 0.0]
    assert game.transitions_depend_on_leader


def test_cli_refuses_mixed_commitments_over_transition_changing_actions(tmp_path, capsys):
    p = tmp_path / "a.yaml"
    p.write_text(yaml.safe_dump(_with_leader_actions(True), sort_keys=False))
    assert main(["solve", str(p)]) == 2
    err = capsys.readouterr().err.strip()
    assert "not solved exactly" in err and "--pure" in err and "\n" not in err
    assert main(["solve", str(p), "--pure"]) == 0
    assert main(["export", str(p)]) == 2


def test_rewards_only_leader_actions_solve_mixed_by_cli(tmp_path, capsys):
    p = tmp_path / "a.yaml"
    p.write_text(yaml.safe_dump(_with_leader_actions(False), sort_keys=False))
    out = tmp_path / "r.json"
    assert main(["solve", str(p), "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert set(data["leader"]["commitment"]) == {
        f"s{i}/{a}" for i in range(3) for a in ("strict", "lax")
    }
    assert main(["verify", str(p), str(out)]) == 0


def test_time_limit_reports_a_checked_commitment_never_optimal(tmp_path, capsys):
    """The MIP start guarantees an answer at a time limit: status time_limit, every check but
    optimality recomputes, and the CLI exits 1."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_mdp", ROOT / "benchmarks" / "mdp.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    game = bench.make_game(10, 3, 8, 0)
    res = stackopt.solve(game, time_limit=0.5)
    assert res.status.value == "time_limit" and not res.certified
    cert = stackopt.verify(game, res.to_dict())
    for name in ("commitment", "best_response", "tie_break", "leader_value", "follower_value"):
        assert cert.check(name).passed, name
    assert not cert.passed  # the status claim (and usually optimality) fails


@pytest.mark.parametrize(
    "text,message",
    [
        # a short row used to be read with a missing follower_reward of 0
        ("state,action,leader_reward,follower_reward\ns0,a,1\ns0,b,0,0\n", "line 2 has 3 fields"),
        ("state,action,leader_reward,follower_reward\ns0,a,1,1,7\ns0,b,0,0\n", "has 5 fields"),
        (
            "state,action,leader_reward,follower_reward,state\ns0,a,1,1,s0\ns0,b,0,0,s0\n",
            "'state'",
        ),
        # a printable cell is shown as its repr, as before the shared cell check
        (
            "state,action,leader_reward,follower_reward\ns0,a,café,1\ns0,b,0,0\n",
            "reward 'café' is not a number",
        ),
    ],
)
def test_bad_rewards_csv_rows(tmp_path, capsys, text, message):
    (tmp_path / "t.csv").write_text("state,action,next_state,probability\ns0,a,s0,1\ns0,b,s0,1\n")
    (tmp_path / "r.csv").write_text(text, encoding="utf-8")
    assert main(["solve", str(_one_state_game(tmp_path, rewards="r.csv"))]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "r.csv" in err and "\n" not in err


def test_an_unknown_label_in_a_csv_table_names_the_csv_file(tmp_path, capsys):
    (tmp_path / "t.csv").write_text("state,action,next_state,probability\ns0,a,s0,1\nsX,b,s0,1\n")
    assert main(["solve", str(_one_state_game(tmp_path))]) == 2
    err = capsys.readouterr().err.strip()
    assert "t.csv: field 'row 3.state': unknown state 'sX'" in err and "g.yaml" not in err
