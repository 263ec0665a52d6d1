"""Smoke test of ``benchmarks/run.py``: it runs end to end and stackopt agrees with linprog."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_benchmark_quick_prints_agreement():
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--sizes", "8,12"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
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
