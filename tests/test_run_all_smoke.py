"""Smoke test of ``benchmarks/run_all.py --quick``: every section runs and prints targets."""

from __future__ import annotations

import pytest

from tests.helpers import run_benchmark


@pytest.mark.slow
def test_run_all_quick():
    sections = "load,lp,security,bayesian,interdiction,nash,incentive,mdp,bilevel"
    out = run_benchmark("run_all.py", "--quick", "--only", sections, timeout=600)
    for head in (
        "== loading",
        "== multiple LPs",
        "== security",
        "== Bayesian",
        "== interdiction",
        "== Nash best/worst",
        "== incentive games",
        "== Stackelberg MDPs",
        "== bilevel",
        "== targets (issue 13) ==",
    ):
        assert head in out, out
    assert "NOT CERTIFIED" not in out and "certified False" not in out, out
    assert "every Nash result certified exactly: True" in out, out
