"""Smoke test of ``benchmarks/run.py``: it runs end to end and stackopt agrees with linprog."""

from __future__ import annotations

import re

import pytest

from tests.helpers import run_benchmark


@pytest.mark.slow
def test_benchmark_quick_prints_agreement():
    out = run_benchmark("run.py", "--quick", "--sizes", "8,12", timeout=120)
    assert "CPUs" in out and "highspy" in out
    for family in ("uniform", "anti"):
        assert re.search(rf"^{family}\s+8x8\s", out, re.M), out
    m = re.search(
        r"agreement: max \|leader value difference\| = (\S+) over (\d+) linprog "
        r"comparisons; all certificates passed: (\w+)",
        out,
    )
    assert m, out
    assert float(m.group(1)) < 1e-6
    assert int(m.group(2)) == 4
    assert m.group(3) == "True"
