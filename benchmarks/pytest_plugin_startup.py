"""Start-up cost of the stackopt pytest plugin when unused.

Runs ``pytest`` on a one-test project (no stackopt anywhere) alternately with the plugin and
with ``-p no:stackopt``, N times each, and prints the CPU time (user + system, from
``getrusage``; steadier than wall-clock on a shared machine) and the wall-clock time, median
and minimum, and the difference; then, in this process (pytest imported first, as in a run),
the time to import the plugin module and build its header line, which is all the plugin does
at start-up (steady even when the machine is busy).

Usage: ``python benchmarks/pytest_plugin_startup.py [N]``.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(cwd: Path, flags: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *flags],
        cwd=cwd,
        capture_output=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main(n: int = 15) -> None:
    with tempfile.TemporaryDirectory() as d:
        cwd = Path(d)
        (cwd / "test_one.py").write_text("def test_one():\n    assert True\n")
        on: list[tuple[float, float]] = []
        off: list[tuple[float, float]] = []
        for _ in range(n):
            on.append(run(cwd, []))
            off.append(run(cwd, ["-p", "no:stackopt"]))
    for label, k in (("cpu", 0), ("wall", 1)):
        a = [x[k] * 1e3 for x in on]
        b = [x[k] * 1e3 for x in off]
        print(
            f"{label:>4} ms  with plugin: median {statistics.median(a):6.0f} min {min(a):6.0f}"
            f" | without: median {statistics.median(b):6.0f} min {min(b):6.0f}"
            f" | added: median {statistics.median(a) - statistics.median(b):+5.0f}"
            f" min {min(a) - min(b):+5.0f}"
        )


def in_process() -> None:
    import importlib

    import pytest  # noqa: F401  (already imported in a real run)

    t0 = time.perf_counter()
    plugin = importlib.import_module("stackopt_pytest")
    t1 = time.perf_counter()
    header = plugin.pytest_report_header(object())
    t2 = time.perf_counter()
    heavy = [
        m
        for m in sys.modules
        if m.split(".")[0] in ("stackopt", "numpy", "pyomo", "highspy", "pydantic")
    ]
    print(
        f"in process: import stackopt_pytest {1e3 * (t1 - t0):.1f} ms, header "
        f"{1e3 * (t2 - t1):.1f} ms ({header!r}); heavy modules imported: {heavy or 'none'}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
    in_process()
