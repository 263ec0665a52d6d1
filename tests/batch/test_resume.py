"""Nothing lost: a batch killed with SIGKILL and resumed gives exactly the rows of an
uninterrupted run; the results store survives torn lines; Dask gives the same table."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import stackopt
from stackopt.batch.store import Store, latest, read_store

REPO = Path(__file__).resolve().parents[2]
INSPECTION = str(REPO / "data" / "inspection.yaml")


def _grid(tmp_path: Path, num: int) -> Path:
    grid = tmp_path / "grid.yaml"
    grid.write_text(
        f"model: {INSPECTION}\n"
        "grid:\n"
        f"  payoffs.follower.0.1: {{start: -30, stop: 0, num: {num}}}\n"
        "  payoffs.leader.0.0: [-1, -2]\n"
        "  leader: [inspector, inspectee]\n",
        encoding="utf-8",
    )
    return grid


def _comparable(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["seconds"])


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_sigkill_midway_then_resume_gives_the_uninterrupted_table(tmp_path):
    grid = _grid(tmp_path, 200)  # 800 scenarios
    total = 800
    out = tmp_path / "killed.csv"
    store = Path(str(out) + ".jsonl")
    cmd = [
        sys.executable,
        "-m",
        "stackopt",
        "batch",
        "--scenarios",
        str(grid),
        "--out",
        str(out),
        "--workers",
        "2",
        "--chunk-size",
        "2",
    ]
    proc = subprocess.Popen(
        cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while _lines(store) < 60 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole batch: main process and its workers
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    done_at_kill = len(read_store(store))
    assert 0 < done_at_kill < total, "the batch was not killed midway; make it larger"
    assert not out.exists()
    # a kill in the middle of a write leaves a torn line: simulate one
    with open(store, "ab") as f:
        f.write(b'{"key":"deadbeef","scenario":"s00')
    resumed = subprocess.run(
        [*cmd, "--resume", "--quiet"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "torn last line" in resumed.stderr
    records = read_store(store)
    keys = [r["key"] for r in records]
    assert len(keys) == len(set(keys)) == total  # no loss, no duplicate
    assert store.read_bytes().endswith(b"\n")

    fresh = tmp_path / "fresh.csv"
    full = subprocess.run(
        [c if c != str(out) else str(fresh) for c in cmd] + ["--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert full.returncode == 0, full.stderr
    a, b = pd.read_csv(out), pd.read_csv(fresh)
    assert len(a) == total
    pd.testing.assert_frame_equal(_comparable(a), _comparable(b))


def test_resume_skips_finished_scenarios_and_retries_failed(tmp_path):
    grid = _grid(tmp_path, 3)
    out = tmp_path / "r.csv"
    first = stackopt.batch(scenarios=grid, out=out, workers=1)
    store = Path(str(out) + ".jsonl")
    n = len(read_store(store))
    again = stackopt.batch(scenarios=grid, out=out, workers=1, resume=True)
    assert len(read_store(store)) == n == len(first)  # nothing re-solved
    pd.testing.assert_frame_equal(_comparable(first), _comparable(again))
    assert again.attrs["summary"]["reused"] == n
    # mark one record failed: --retry-failed solves it again, the last record wins
    recs = read_store(store)
    broken = dict(recs[0], status="error", certified=False, result=None, message="x")
    with Store(store) as s:
        s.append_line(json.dumps(broken))
    assert latest(read_store(store))[broken["key"]]["status"] == "error"
    skipped = stackopt.batch(scenarios=grid, out=out, workers=1, resume=True)
    assert skipped.set_index("scenario").loc[broken["scenario"], "status"] == "error"
    retried = stackopt.batch(scenarios=grid, out=out, workers=1, resume=True, retry_failed=True)
    pd.testing.assert_frame_equal(_comparable(first), _comparable(retried))
    # without --resume, an earlier store is kept aside, never overwritten
    stackopt.batch(scenarios=grid, out=out, workers=1)
    assert Path(str(store) + ".1").exists()
    assert len(read_store(store)) == len(first)


def test_changed_scenarios_are_not_taken_from_the_store(tmp_path):
    grid = _grid(tmp_path, 2)
    out = tmp_path / "r.csv"
    stackopt.batch(scenarios=grid, out=out, workers=1)
    changed = stackopt.batch(
        scenarios=grid, out=out, workers=1, resume=True, tie_break="adversarial"
    )
    assert changed.attrs["summary"]["reused"] == 0
    assert set(changed["tie_break"] if "tie_break" in changed else ["adversarial"]) == {
        "adversarial"
    }


def test_torn_and_corrupt_lines(tmp_path):
    store = tmp_path / "s.jsonl"
    store.write_bytes(b'{"key":"a","v":1}\nnot json\n{"key":"b","v":2}\n{"key":"c","v')
    recs = read_store(store)
    assert [r["key"] for r in recs] == ["a", "b"]
    assert store.read_bytes().endswith(b'{"key":"c","v')  # read only: untouched
    read_store(store, repair=True)
    assert store.read_bytes().endswith(b'{"key":"b","v":2}\n')
    with Store(store) as s:
        s.append_line('{"key":"c","v":3}')
    assert [r["key"] for r in read_store(store)] == ["a", "b", "c"]


def test_local_dask_cluster_gives_the_process_pool_table(tmp_path):
    pytest.importorskip("dask.distributed")
    grid = _grid(tmp_path, 4)
    pool = stackopt.batch(scenarios=grid, out=tmp_path / "pool.csv", workers=2)
    dask = stackopt.batch(scenarios=grid, out=tmp_path / "dask.csv", workers=2, scheduler="local")
    assert len(dask) == 16 and dask["certified"].all()
    pd.testing.assert_frame_equal(_comparable(pool), _comparable(dask))
    pd.testing.assert_frame_equal(
        _comparable(pd.read_csv(tmp_path / "pool.csv")),
        _comparable(pd.read_csv(tmp_path / "dask.csv")),
    )


def test_existing_dask_cluster_by_address(tmp_path):
    """``--scheduler tcp://host:port``: a cluster started elsewhere (here, in this test)."""
    distributed = pytest.importorskip("dask.distributed")
    grid = _grid(tmp_path, 2)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        remote = stackopt.batch(scenarios=grid, scheduler=cluster.scheduler_address)
    pool = stackopt.batch(scenarios=grid, workers=1)
    pd.testing.assert_frame_equal(_comparable(pool), _comparable(remote))
