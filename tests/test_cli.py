"""The ``stackopt`` command line: solve, verify, export and the exit-code contract (0/1/2)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from stackopt.cli import main
from stackopt.testing.oracles import BY_NAME, sse_vertex_enumeration
from stackopt.vocabulary import CORE_CHECKS

DATA = Path(__file__).resolve().parents[1] / "data"


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_solve_table(capsys, inspection_file):
    code, out, err = _run(capsys, "solve", inspection_file)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("inspection [normal_form]") and "status optimal" in lines[0]
    leader = next(line for line in lines if line.startswith("leader "))
    assert "inspector" in leader and "-0.357143" in leader
    assert "inspect 0.357143" in leader and "skip 0.642857" in leader
    follower = next(line for line in lines if line.startswith("follower "))
    assert "inspectee" in follower and follower.rstrip().endswith("legal")
    assert any(line.startswith("certificate: passed") for line in lines)
    assert any(line.startswith("LPs: solved") for line in lines)
    assert len(lines) <= 8  # compact


def test_solve_json_keys(capsys, inspection_file):
    code, out, err = _run(capsys, "solve", inspection_file, "--json")
    assert code == 0 and err == ""
    d = json.loads(out)  # the whole of stdout is one JSON object (no solver banner)
    assert d["status"] == "optimal"
    assert d["leader"]["commitment"] == pytest.approx({"inspect": 5 / 14, "skip": 9 / 14}, abs=1e-9)
    assert d["leader"]["value"] == pytest.approx(-5 / 14, abs=1e-9)
    assert d["follower"]["response"] == "legal"
    assert d["follower"]["value"] == pytest.approx(-5 / 14, abs=1e-9)
    assert d["certificate"]["passed"] is True
    assert {c["name"] for c in d["certificate"]["checks"]} >= set(CORE_CHECKS)
    for key in ("method", "stats", "options", "kind"):
        assert key in d


def test_out_file_verifies(capsys, tmp_path, inspection_file):
    out_file = tmp_path / "r.json"
    code, out, _ = _run(capsys, "solve", inspection_file, "--out", out_file)
    assert code == 0 and "certificate: passed" in out  # table still printed
    assert json.loads(out_file.read_text())["follower"]["response"] == "legal"
    code, out, err = _run(capsys, "verify", inspection_file, out_file)
    assert code == 0 and err == ""
    assert out.startswith("certificate: passed")
    assert out.count("ok  ") == 6
    code, out, _ = _run(capsys, "verify", inspection_file, out_file, "--json")
    assert code == 0 and json.loads(out)["passed"] is True


def test_verify_tampered_result_exits_1(capsys, tmp_path, inspection_file):
    out_file = tmp_path / "r.json"
    assert _run(capsys, "solve", inspection_file, "--out", out_file)[0] == 0
    d = json.loads(out_file.read_text())
    d["leader"]["commitment"] = {"inspect": 0.2, "skip": 0.8}  # follower would now violate
    out_file.write_text(json.dumps(d))
    code, out, err = _run(capsys, "verify", inspection_file, out_file)
    assert code == 1 and err == ""
    assert "FAIL best_response" in out and "certificate: FAILED" in out


def test_verify_minimal_foreign_json_exits_1_with_reason(capsys, tmp_path, inspection_file):
    r = tmp_path / "foreign.json"
    r.write_text(
        json.dumps(
            {
                "leader": {"commitment": {"inspect": 5 / 14, "skip": 9 / 14}, "value": -5 / 14},
                "follower": {"response": "legal", "value": -5 / 14},
            }
        )
    )
    code, out, _ = _run(capsys, "verify", inspection_file, r)
    assert code == 1
    assert "ok   best_response" in out and "FAIL optimality" in out
    assert "no optimality bounds" in out


def test_solve_pure(capsys, write):
    case = BY_NAME["commitment_beats_nash"]
    p = write(
        "c.yaml",
        """\
        kind: normal_form
        leader: {actions: [U, D]}
        follower: {actions: [L, R]}
        payoffs: {leader: [[1, 3], [0, 2]], follower: [[1, 0], [0, 1]]}
        """,
    )
    code, out, _ = _run(capsys, "solve", p, "--pure", "--json")
    d = json.loads(out)
    assert code == 0 and d["method"] == "pure_commitment"
    assert d["leader"]["value"] == pytest.approx(float(case.pure_value))
    assert d["leader"]["commitment"] == {"U": 0.0, "D": 1.0}
    code, out, _ = _run(capsys, "solve", p, "--json")
    assert json.loads(out)["leader"]["value"] == pytest.approx(float(case.value))


def test_solve_leader_follower_and_verify(capsys, tmp_path, inspection_file):
    out_file = tmp_path / "r.json"
    code, out, _ = _run(
        capsys, "solve", inspection_file, "--leader", "follower", "--json", "--out", out_file
    )
    d = json.loads(out)
    assert code == 0
    assert d["leader"]["name"] == "inspectee" and set(d["leader"]["commitment"]) == {
        "legal",
        "violate",
    }
    B = np.array([[-1, -10], [0, 5]])
    A = np.array([[-1, -6], [0, -10]])
    exact = sse_vertex_enumeration(B.T, A.T)
    assert d["leader"]["value"] == pytest.approx(float(exact.value), abs=1e-9)
    assert _run(capsys, "verify", inspection_file, out_file)[0] == 0


def test_solve_restrictions_and_engine(capsys, inspection_file):
    code, out, _ = _run(capsys, "solve", inspection_file, "--leader-actions", "skip", "--json")
    d = json.loads(out)
    assert code == 0 and d["leader"]["commitment"] == {"skip": 1.0}
    assert d["follower"]["response"] == "violate" and d["leader"]["value"] == -10
    code, out, _ = _run(capsys, "solve", inspection_file, "--engine", "pyomo", "--json")
    assert code == 0
    assert json.loads(out)["leader"]["value"] == pytest.approx(-5 / 14, abs=1e-9)


def test_rtol_option(capsys, inspection_file):
    code, out, _ = _run(capsys, "solve", inspection_file, "--rtol", "1e-9", "--json")
    assert code == 0 and json.loads(out)["certificate"]["rtol"] == 1e-9
    code, _, err = _run(capsys, "solve", inspection_file, "--rtol", "2")
    assert code == 2 and "rtol" in err and len(err.splitlines()) == 1


def test_bad_restriction_exits_2(capsys, inspection_file):
    code, out, err = _run(capsys, "solve", inspection_file, "--follower-actions", "bribe")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "unknown action 'bribe'" in err


def test_unknown_option_for_kind_exits_2(capsys, inspection_file):
    code, _, err = _run(capsys, "solve", inspection_file, "--method", "kkt_bigm")
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err


def test_solver_failure_exits_1(capsys, inspection_file):
    code, out, err = _run(capsys, "solve", inspection_file, "--time-limit", "1e-9")
    assert code == 1 and err == ""
    assert "status error" in out and "time limit" in out


def test_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as ei:
        main([])
    assert ei.value.code == 2
    with pytest.raises(SystemExit) as ei:
        main(["solve"])
    assert ei.value.code == 2
    with pytest.raises(SystemExit) as ei:
        main(["--version"])
    assert ei.value.code == 0
    assert "stackopt" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["lp", "mps"])
def test_export_files_read_back_by_highs(capsys, tmp_path, inspection_file, fmt):
    from stackopt.engines.highs import new_highs

    code, out, err = _run(
        capsys, "export", inspection_file, "--format", fmt, "--out", tmp_path / "lps"
    )
    assert code == 0 and err == ""
    written = out.split()
    assert [p.rsplit("/", 1)[-1] for p in written] == [
        f"inspection.legal.{fmt}",
        f"inspection.violate.{fmt}",
    ]
    exact = sse_vertex_enumeration([[-1, -6], [0, -10]], [[-1, -10], [0, 5]]).region_values
    for path, j in zip(written, (0, 1)):
        h = new_highs()
        h.readModel(path)
        h.run()
        assert h.modelStatusToString(h.getModelStatus()) == "Optimal"
        assert h.getInfo().objective_function_value == pytest.approx(float(exact[j]), abs=1e-9)
    # the optimum of the LP of the solve's response equals the solve's value
    code, out, _ = _run(capsys, "solve", inspection_file, "--json")
    assert json.loads(out)["leader"]["value"] == pytest.approx(float(exact[0]), abs=1e-9)


def test_export_one_response_with_swapped_roles(capsys, tmp_path, write):
    from stackopt.engines.highs import new_highs

    case = BY_NAME["three_by_three"]
    p = write("t.yaml", f"kind: normal_form\npayoffs: {{leader: {case.A}, follower: {case.B}}}\n")
    code, out, _ = _run(
        capsys, "export", p, "--leader", "follower", "--response", "a1", "--out", tmp_path
    )
    assert code == 0 and out.split()[0].endswith("t.a1.lp")
    h = new_highs()
    h.readModel(out.split()[0])
    h.run()
    exact = sse_vertex_enumeration(np.array(case.B).T, np.array(case.A).T)
    assert (
        Fraction(h.getInfo().objective_function_value).limit_denominator(1000)
        == exact.region_values[1]
    )
    code, _, err = _run(capsys, "export", p, "--response", "nope", "--out", tmp_path)
    assert code == 2 and "unknown follower action 'nope'" in err


def test_unwritable_outputs_exit_2(capsys, tmp_path, inspection_file):
    afile = tmp_path / "afile"
    afile.write_text("x")
    for argv in (
        ["solve", inspection_file, "--out", tmp_path / "missing" / "r.json"],
        ["solve", inspection_file, "--out", tmp_path],  # a directory
        ["export", inspection_file, "--out", afile],
    ):  # a file, not a dir
        code, _out, err = _run(capsys, *argv)
        assert code == 2, argv
        assert len(err.splitlines()) == 1 and "Traceback" not in err
        assert "cannot write" in err and "(fix: " in err


def test_closed_stdout_pipe_gives_no_traceback(inspection_file):
    """``stackopt solve g.yaml --json | head -1``: the reader may go away first."""
    import subprocess
    import sys

    p = subprocess.Popen(
        [sys.executable, "-m", "stackopt", "solve", str(inspection_file), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    p.stdout.close()  # before the child has written anything (it is still importing)
    err = p.stderr.read().decode()
    p.stderr.close()
    assert p.wait(timeout=60) == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_time_limit_still_prints_one_json_object(capsys):
    game = DATA / "travelers_dilemma_99.yaml"
    rc, out, _ = _run(capsys, "solve", game, "--json", "--time-limit", "0.0001")
    out = json.loads(out)
    assert rc == 1
    assert out["status"] == "error" and out["certificate"] is None
    assert "time limit" in out["message"]


def test_verify_refuses_a_result_of_another_kind(tmp_path, capsys):
    res = tmp_path / "r.json"
    assert _run(capsys, "solve", DATA / "inspection.yaml", "--json", "--out", res)[0] == 0
    rc, _, err = _run(capsys, "verify", DATA / "security" / "transit_hubs.yaml", res)
    assert rc == 2 and "kind" in err and "Traceback" not in err


def test_solve_csv_game_without_the_model_machinery(tmp_path):
    """A CSV game solves without importing the models package (and pydantic): start-up cost
    of the whole command; with ``--set`` the file is still checked as a model (exit 2)."""
    import subprocess
    import sys

    from stackopt.kinds.normal_form.game import NormalFormGame
    from stackopt.kinds.normal_form.io_csv import write_normal_form_csv

    case = BY_NAME["dominated_follower_action"]
    path = tmp_path / "g.csv"
    write_normal_form_csv(NormalFormGame(case.A, case.B), path, form="matrix")
    code = (
        "import contextlib, io, json, sys\n"
        "from stackopt.cli import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    rc = main(['solve', sys.argv[1], '--json'])\n"
        "res = json.loads(buf.getvalue())\n"
        "print(json.dumps([rc, res['leader']['value'], 'pydantic' in sys.modules,"
        " 'stackopt.models' in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    rc, value, pydantic_loaded, models_loaded = json.loads(out.stdout)
    exact = sse_vertex_enumeration(case.A, case.B).value
    assert rc == 0 and abs(value - float(exact)) <= 1e-9 * max(1.0, float(np.abs(case.A).max()))
    assert not pydantic_loaded and not models_loaded
    assert main(["solve", str(path), "--set", "x=1"]) == 2
