"""Bad scenario sets are one-line errors (exit 2) before anything is solved."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackopt.batch.scenarios import scenario_set
from stackopt.cli import main
from stackopt.errors import InputError

REPO = Path(__file__).resolve().parents[2]
INSPECTION = str(REPO / "data" / "inspection.yaml")


def _csv(tmp_path: Path, text: str) -> str:
    p = tmp_path / "table.csv"
    p.write_text(text, encoding="utf-8")
    return str(p)


def _grid(tmp_path: Path, text: str) -> str:
    p = tmp_path / "grid.yaml"
    p.write_text(text, encoding="utf-8")
    return str(p)


def _no_solve(monkeypatch):
    """Fail the test if any scenario reaches a worker."""
    import stackopt.batch.runner as runner

    def boom(*a, **k):  # pragma: no cover - only reached by a bug
        raise AssertionError("a scenario was solved despite bad input")

    monkeypatch.setattr(runner, "_stream", boom)


BAD_TABLES = {
    "unknown parameter": ("payoffs.leader.0.9,x\n1,2\n", "unknown parameter"),
    "unknown column": ("fine\n1\n", "unknown parameter 'fine'"),
    "wrong type": ("payoffs.leader.0.1\nabc\n", "is not a number"),
    "wrong type bool option": ("pure\nmaybe\n", "true or false"),
    "wrong option value": ("tie_break\nsometimes\n", "tie_break"),
    "option of another kind": ("big_m\n10\n", "big-m"),
    "duplicate id": ("scenario,payoffs.leader.0.1\na,1\na,2\n", "used twice"),
    "empty id": ("scenario,payoffs.leader.0.1\n,1\n", "empty scenario id"),
    "empty": ("", "empty"),
    "header only": ("payoffs.leader.0.1\n", "no rows"),
    "ragged row": ("payoffs.leader.0.1,payoffs.leader.0.0\n1\n", "cells"),
    "duplicate column": ("payoffs.leader.0.1,payoffs.leader.0.1\n1,2\n", "twice"),
    "whole list": ("payoffs.leader.0\n1\n", "whole list"),
    "non-finite": ("payoffs.leader.0.1\nnan\n", "finite"),
    "name for number": ("leader.name\n3\n", None),  # a name may look like a number: fine
}


@pytest.mark.parametrize("case", sorted(BAD_TABLES))
def test_bad_csv_tables(tmp_path, monkeypatch, capsys, case):
    text, needle = BAD_TABLES[case]
    table = _csv(tmp_path, text)
    if needle is None:
        scenario_set([], model=INSPECTION, scenarios=table)  # accepted
        return
    _no_solve(monkeypatch)
    code = main(
        ["batch", "--model", INSPECTION, "--scenarios", table, "--out", str(tmp_path / "out.csv")]
    )
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stackopt: error:"), err
    assert needle in lines[0], lines[0]
    assert "table.csv" in lines[0]
    assert not (tmp_path / "out.csv").exists()
    assert not (tmp_path / "out.csv.jsonl").exists()


BAD_GRIDS = {
    "unknown parameter": ("grid: {fine: [1, 2]}\n", "unknown parameter 'fine'"),
    "wrong type": ("grid: {payoffs.leader.0.1: [1, x]}\n", "is not a number"),
    "empty values": ("grid: {payoffs.leader.0.1: []}\n", "no values"),
    "bad range": ("grid: {payoffs.leader.0.1: {start: 0, stop: 1}}\n", "start, stop"),
    "code in filter": (
        "grid: {payoffs.leader.0.1: [1, 2]}\nfilters: [\"__import__('os')\"]\n",
        "cannot parse filter",
    ),
    "unknown name in filter": (
        "grid: {payoffs.leader.0.1: [1, 2]}\nfilters: ['x > 1']\n",
        "not a parameter",
    ),
    "filters leave nothing": (
        "grid: {payoffs.leader.0.1: [1, 2]}\nfilters: ['payoffs.leader.0.1 > 5']\n",
        "no scenario",
    ),
    "not a mapping": ("- 1\n- 2\n", "mapping"),
    "bad option": ("grid: {payoffs.leader.0.1: [1], method: [nope]}\n", "unknown method"),
    "stray key": ("grid: {payoffs.leader.0.1: [1]}\nextra: 1\n", "unknown key"),
}


@pytest.mark.parametrize("case", sorted(BAD_GRIDS))
def test_bad_grids(tmp_path, monkeypatch, capsys, case):
    text, needle = BAD_GRIDS[case]
    grid = _grid(tmp_path, text)
    _no_solve(monkeypatch)
    code = main(
        ["batch", "--model", INSPECTION, "--scenarios", grid, "--out", str(tmp_path / "out.csv")]
    )
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1, err
    assert needle in lines[0], lines[0]


@pytest.mark.parametrize(
    "args, needle",
    [
        (["missing.yaml"], "file not found"),
        (["{d}"], "no game files"),
        (["{inspection}", "{inspection}"], "given twice"),
        (["--model", "{inspection}"], "needs a scenario table"),
        (["{inspection}", "--out", "{tmp}/out.xlsx"], "unknown output type"),
        (["{inspection}", "--tie-break", "sometimes"], "invalid choice"),
        (["{inspection}", "--rtol", "2"], "rtol"),
        (["{inspection}", "--scheduler", "nonsense"], "unknown scheduler"),
        (["{inspection}", "--export-results", "{inspection}"], "not a directory"),
    ],
)
def test_bad_sources_and_options(tmp_path, capsys, args, needle):
    (tmp_path / "empty").mkdir()
    args = [a.format(d=tmp_path / "empty", inspection=INSPECTION, tmp=tmp_path) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "out.csv")]
    code = main(["batch", *args]) if "invalid choice" not in needle else None
    if code is None:  # argparse refuses the choice itself (exit 2, its usage message)
        with pytest.raises(SystemExit) as exc:
            main(["batch", *args])
        assert exc.value.code == 2
        assert needle in capsys.readouterr().err
        return
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1, err
    assert needle in lines[0], lines[0]


def test_parquet_without_pyarrow_is_a_clear_error(tmp_path, monkeypatch, capsys):
    import builtins

    real = builtins.__import__

    def no_pyarrow(name, *a, **k):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError("no pyarrow")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    code = main(["batch", INSPECTION, "--out", str(tmp_path / "out.parquet")])
    err = capsys.readouterr().err
    assert code == 2 and "pyarrow" in err and "stackopt[parquet]" in err


def test_api_raises_input_error(tmp_path):
    import stackopt

    with pytest.raises(InputError, match="unknown parameter"):
        stackopt.batch(model=INSPECTION, scenarios=_csv(tmp_path, "nope\n1\n"))


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "data" / "scenarios").iterdir()))
def test_bundled_scenario_sets_are_valid(name):
    """Every bundled set reads and checks (nothing solved here; tests/batch/test_batch.py and
    docs/batch.md run them)."""
    path = REPO / "data" / "scenarios" / name
    if path.suffix == ".csv":
        sset = scenario_set([], model=INSPECTION, scenarios=path)
    else:
        sset = scenario_set([], scenarios=path)
    assert len(sset) > 0
    assert len({s.id for s in sset.scenarios}) == len({s.key for s in sset.scenarios}) == len(sset)
