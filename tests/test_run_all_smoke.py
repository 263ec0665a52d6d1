"""Smoke test of ``benchmarks/run_all.py --quick``: every section runs and prints targets."""

from __future__ import annotations

import pytest

from tests.helpers import run_benchmark


@pytest.mark.slow
def test_run_all_quick():
    sections = "load,lp,security,bayesian,interdiction"
    out = run_benchmark("run_all.py", "--quick", "--only", sections, timeout=600)
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
