"""Smoke test of ``benchmarks/run_all.py --quick``: every section runs and prints targets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_run_all_quick():
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run_all.py"),
            "--quick",
            "--only",
            "load,lp,security,bayesian,interdiction",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for head in (
        "== loading",
        "== multiple LPs",
        "== security",
        "== Bayesian",
        "== interdiction",
        "== targets (issue 13) ==",
    ):
        assert head in out, out
    assert "NOT CERTIFIED" not in out and "certified False" not in out, out
