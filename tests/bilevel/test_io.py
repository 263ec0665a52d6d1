"""YAML form, problem validation, and the CLI contract (exit codes, JSON keys)."""

import json
from pathlib import Path

import pytest

from stackopt.cli import main
from stackopt.errors import InputError, UnsupportedError
from stackopt.io.load import load_game
from stackopt.kinds.bilevel.game import BilevelProblem
from stackopt.kinds.bilevel.io_yaml import parse_bilevel
from stackopt.kinds.bilevel.solve import solve_bilevel
from stackopt.status import Status

DATA = Path(__file__).resolve().parents[2] / "data" / "bilevel"

BARD = {
    "kind": "bilevel",
    "leader": {
        "variables": {"x": {"lower": 0, "upper": 10, "type": "integer"}},
        "objective": {"minimize": "x - 4*y"},
        "constraints": [],
    },
    "follower": {
        "variables": {"y": {"lower": 0}},
        "objective": {"minimize": "y"},
        "constraints": ["-x - y <= -3", "-2*x + y <= 0", "2*x + y <= 12", "3*x - 2*y <= 4"],
    },
}


def test_issue_yaml_form_parses_to_the_right_matrices():
    p = parse_bilevel(BARD, source="t.yaml")
    assert p.leader_types == ("integer",)
    assert list(p.leader_cost_x) == [1] and list(p.leader_cost_y) == [-4]
    assert p.follower_rows_x[:, 0].tolist() == [-1, -2, 2, 3]
    assert p.follower_rows_y[:, 0].tolist() == [-1, 1, 1, -2]
    assert p.follower_rows_upper.tolist() == [-3, 0, 12, 4]
    r = solve_bilevel(p)
    assert r.certified and r.leader.value == pytest.approx(-12)


def test_matrix_form_equals_yaml_form():
    p = BilevelProblem.from_matrices(
        c_x=[1],
        c_y=[-4],
        A_x=[[-1], [-2], [2], [3]],
        A_y=[[-1], [1], [1], [-2]],
        b=[-3, 0, 12, 4],
        d_y=[1],
        x_lower=0,
        x_upper=10,
        x_types=["integer"],
    )
    assert solve_bilevel(p).leader.value == pytest.approx(-12)


@pytest.mark.parametrize(
    "path,value,fix",
    [
        (("leader", "objective"), {"minimize": "x - 4*z"}, "unknown variable 'z'"),
        (("follower", "constraints"), ["x +* y <= 1"], "column 4"),
        (("leader", "objective"), {"minimize": "x", "maximize": "x"}, "exactly one"),
        (("leader", "variables"), {"x": {"lower": 0, "kind": "int"}}, "unknown key"),
        (("follower", "constraints"), ["0*x >= 1"], "never holds"),
    ],
)
def test_bad_input_names_the_field(path, value, fix):
    data = json.loads(json.dumps(BARD))
    data[path[0]][path[1]] = value
    with pytest.raises(InputError, match=fix) as exc:
        parse_bilevel(data, source="bad.yaml")
    assert "bad.yaml" in str(exc.value)


@pytest.mark.parametrize(
    "path,value,fix",
    [
        (("leader", "objective"), {"minimize": "x*x"}, "not a product of a leader and a follower"),
        (("follower", "constraints"), ["x*y <= 1"], "not linear"),
        (("follower", "objective"), {"minimize": "-y^2"}, "not convex"),
        (("follower", "objective"), {"maximize": "y^2"}, "not convex"),
        (("follower", "variables"), {"y": {"lower": 0, "type": "binary"}}, "binary"),
    ],
)
def test_unsupported_is_refused(path, value, fix):
    data = json.loads(json.dumps(BARD))
    data[path[0]][path[1]] = value
    with pytest.raises(UnsupportedError, match=fix):
        parse_bilevel(data, source="bad.yaml")


def test_indexed_variables_and_named_rows():
    p = load_game(DATA / "candler_townsley.yaml")
    assert p.leader_variables == ("x[1]", "x[2]")
    assert p.follower_row_names == ("c1", "c2", "c3")


def test_quadratic_follower_with_cross_terms():
    """y = argmin (y^2 - 2xy : y <= 3) = min(x, 3); leader min x - 2y: x = 3, value -3."""
    p = load_game(DATA / "quadratic_follower.yaml")
    assert p.follower_cross is not None and p.follower_quadratic is not None
    r = solve_bilevel(p)
    assert r.certified and r.leader.value == pytest.approx(-3, abs=1e-6)
    assert r.response["y"] == pytest.approx(3, abs=1e-6)
    with pytest.raises(UnsupportedError, match="strong duality"):
        solve_bilevel(p, method="strong_duality")


def test_unbounded_follower_everywhere_is_infeasible_with_reason():
    p = BilevelProblem.from_matrices(
        c_x=[1], c_y=[1], A_x=[[1]], A_y=[[-1]], b=[0], d_y=[-1], x_lower=0, x_upper=1
    )
    r = solve_bilevel(p)
    assert r.status is Status.INFEASIBLE and "unbounded" in r.message


def test_options_are_validated():
    p = load_game(DATA / "bard.yaml")
    with pytest.raises(InputError, match="unknown method"):
        solve_bilevel(p, method="magic")
    with pytest.raises(UnsupportedError, match="tie_break"):
        solve_bilevel(p, tie_break="adversarial")
    with pytest.raises(InputError, match="big_m"):
        solve_bilevel(p, big_m=-1)


def test_time_limit_result_is_not_certified():
    p = load_game(DATA / "candler_townsley.yaml")
    r = solve_bilevel(p, method="bard_moore", max_nodes=1)
    assert not r.certified


# -- CLI -----------------------------------------------------------------------------
KEYS = {"kind", "status", "method", "leader", "follower", "certificate", "stats", "options"}


def test_cli_solve_json(capsys):
    assert main(["solve", str(DATA / "bard.yaml"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert KEYS <= set(out) and out["kind"] == "bilevel"
    assert out["leader"]["commitment"] == {"x": pytest.approx(4)}
    assert out["follower"]["response"] == {"y": pytest.approx(4)}
    assert out["certificate"]["passed"] is True
    names = {c["name"] for c in out["certificate"]["checks"]}
    assert {
        "best_response",
        "tie_break",
        "commitment",
        "follower_feasible",
        "leader_value",
    } <= names
    assert {"build_seconds", "highs_seconds"} <= set(out["stats"])


@pytest.mark.parametrize(
    "fname,code,status",
    [
        ("infeasible.yaml", 1, "infeasible"),
        ("unbounded.yaml", 1, "unbounded"),
    ],
)
def test_cli_infeasible_unbounded_exit_1(fname, code, status, capsys):
    assert main(["solve", str(DATA / fname), "--json"]) == code
    assert json.loads(capsys.readouterr().out)["status"] == status


def test_cli_unsupported_and_bad_input_exit_2(tmp_path, capsys):
    assert main(["solve", str(DATA / "integer_follower.yaml"), "--json"]) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(DATA / "bard.yaml").read_text().replace('"x - 4*y"', '"x - 4*y)"'))
    assert main(["solve", str(bad), "--json"]) == 2
    err = capsys.readouterr().err
    assert "column 8" in err and "leader.objective" in err


def test_cli_method_choice(capsys):
    """kkt_bigm without a provable M is refused (exit 2); bard_moore solves it (exit 0)."""
    assert main(["solve", str(DATA / "pineda_morales.yaml"), "--method", "kkt_bigm", "--json"]) == 2
    assert "big-M" in capsys.readouterr().err
    assert (
        main(["solve", str(DATA / "pineda_morales.yaml"), "--method", "bard_moore", "--json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["leader"]["value"] == pytest.approx(102)
    assert out["method"] == "bard_moore"


def test_cli_verify_round_trip(tmp_path, capsys):
    res = tmp_path / "r.json"
    assert main(["solve", str(DATA / "clark_westerberg.yaml"), "--out", str(res)]) == 0
    capsys.readouterr()
    assert main(["verify", str(DATA / "clark_westerberg.yaml"), str(res)]) == 0


def test_unbounded_relaxation_but_bounded_bilevel():
    """H is unbounded (y = 0, x -> inf) but the follower copies x (y = x), so the leader's
    x - ... value is x >= 0: optimum 0 at x = 0 - must not be reported unbounded."""
    data = {
        "kind": "bilevel",
        "leader": {"variables": {"x": {"lower": 0}}, "objective": {"minimize": "-x + 2*y"}},
        "follower": {
            "variables": {"y": {"lower": 0}},
            "objective": {"maximize": "y"},
            "constraints": ["y <= x"],
        },
    }
    r = solve_bilevel(parse_bilevel(data))
    assert r.status is Status.OPTIMAL and r.certified
    assert r.leader.value == pytest.approx(0, abs=1e-6)


def test_verify_checks_infeasible_and_unbounded_claims():
    from stackopt.kinds.bilevel.solve import verify_bilevel

    for fname in ("infeasible.yaml", "unbounded.yaml"):
        p = load_game(DATA / fname)
        r = solve_bilevel(p)
        assert verify_bilevel(p, r.to_dict()).passed
        fake = r.to_dict()
        fake["status"] = "unbounded" if fname == "infeasible.yaml" else "infeasible"
        assert not verify_bilevel(p, fake).passed


@pytest.mark.parametrize("opt", [["--time-limit", "-5"], ["--time-limit", "nan"], ["--rtol", "2"]])
def test_cli_bad_option_values_exit_2(opt, capsys):
    assert main(["solve", str(DATA / "bard.yaml"), *opt]) == 2
    assert opt[0].lstrip("-").replace("-", "_") in capsys.readouterr().err


def test_verify_refuses_loosened_tolerance_and_hostile_values():
    from stackopt.kinds.bilevel.solve import verify_bilevel

    p = load_game(DATA / "bard.yaml")
    d = solve_bilevel(p).to_dict()
    d["options"]["rtol"] = 0.9
    d["leader"]["value"] = d["leader"]["value"] * 1.3
    assert not verify_bilevel(p, d, resolve=False).passed  # rtol capped at the default
    for key, bad in (("follower", "high"), ("options", "tight")):
        e = solve_bilevel(p).to_dict()
        if key == "follower":
            e["follower"]["value"] = bad
        else:
            e["options"]["rtol"] = bad
        with pytest.raises(InputError):
            verify_bilevel(p, e, resolve=False)
