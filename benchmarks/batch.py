"""Scenarios per second of ``stackopt batch`` against a loop of ``stackopt solve`` processes.

Two sweeps:

* **small game** — the inspection game (data/inspection.yaml) as a template, ``--scenarios``
  points (default 1,000): the inspectee's payoff when caught x who leads;
* **governance model** — the AI-regulation model of :mod:`stackopt.models` in its normal-form
  form (the firm's budget allocations on a grid of 3 steps, 84 actions; the regulator's six
  answers), ``--governance`` points (default 200): fine cap x who leads;
* **governance bilevel model** — the same model with the regulator leading in its continuous
  form (a bilevel problem with continuous fine rates, standards fixed), ``--bilevel`` points
  (default 60): fine cap x domain.

Each sweep is run through :func:`stackopt.batch` with a process pool of 1 and of 2 workers and
on a local Dask cluster of 2 workers, each timed in a fresh Python process after its imports
(wall-clock time including the pool's start-up, writing the JSON-lines store and the CSV
table), once end to end as ``stackopt batch --workers 2`` (interpreter start and imports
included), and through the same worker function serially in this process (no pool: the cost of
the solves themselves). The baseline users have without batch is
one ``stackopt solve`` process per scenario: ``--cli-samples`` of those are timed and the time
per scenario extrapolated. Every configuration must give the same table (values, statuses,
certificates; only ``seconds`` differ), which the script checks. For each batch it also sums the
CPU time the workers spent on the scenarios (``cpu_seconds`` in the store) and divides it by the
wall-clock time: the number of cores the batch actually obtained. On a machine shared with other
jobs that number, not the core count, bounds the speed-up from 1 to 2 workers. Usage::

    python benchmarks/batch.py [--scenarios 1000] [--governance 200] [--bilevel 60]
        [--cli-samples 30] [--no-dask] [--quick]

Targets (issue 10): >= 1.8x from 1 to 2 workers on the small-game sweep; >= 20x faster than the
process-per-scenario loop. The machine's load (``os.getloadavg``) is printed: on a shared
machine, scaling figures are only meaningful when the load is below the number of cores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
from common import load_average, machine, timed

import stackopt
from stackopt.batch.scenarios import scenario_set
from stackopt.batch.spaces import apply_overrides
from stackopt.batch.store import read_store
from stackopt.batch.worker import solve_payload

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Sweep:
    """One sweep: its title, the model and the grid axes as YAML, with ``{num}`` points on the
    swept axis; ``cli_share``: the share of ``--cli-samples`` its solve loop times."""

    title: str
    model: str
    axes: str
    cli_share: int = 1


SWEEPS: dict[str, Sweep] = {
    "small": Sweep(
        "small game (inspection template)",
        str(REPO / "data" / "inspection.yaml"),
        "  payoffs.follower.0.1: {{start: -30, stop: 0, num: {num}}}\n"
        "  leader: [inspector, inspectee]\n",
    ),
    "governance": Sweep(
        "governance model (ai_regulation, normal form, firm_grid 3)",
        "ai_regulation",
        "  leadership: [firm]\n  firm_grid: [3]\n"
        "  fine_cap: {{start: 0, stop: 5, num: {num}}}\n"
        "  leader: [firm, regulator]\n",
        cli_share=3,
    ),
    "bilevel": Sweep(
        "governance bilevel model (ai_regulation, regulator leads, continuous fines)",
        "ai_regulation",
        "  leadership: [regulator]\n  standards: [fixed]\n  rate_levels: [0]\n"
        "  domain: [safety_critical, military]\n"
        "  fine_cap: {{start: 0, stop: 5, num: {num}}}\n",
        cli_share=6,
    ),
}


def write_grid(tmp: Path, name: str, n: int) -> Path:
    """The grid of sweep ``name`` with about ``n`` points (two values on the other axis)."""
    sw = SWEEPS[name]
    path = tmp / f"{name}.yaml"
    path.write_text(
        f"model: {sw.model}\ngrid:\n{sw.axes.format(num=max(1, n // 2))}", encoding="utf-8"
    )
    return path


def stackopt_command(*args: str) -> list[str]:
    """``python -m stackopt ARGS`` with this interpreter."""
    return [sys.executable, "-m", "stackopt", *args]


def serial(grid: Path) -> float:
    sset = scenario_set([], scenarios=grid)
    dt, _ = timed(lambda: [solve_payload(s.payload()) for s in sset.scenarios])
    return dt


def cli_loop(grid: Path, samples: int, tmp: Path) -> float:
    """Seconds per scenario of one ``stackopt solve`` process per scenario."""
    sset = scenario_set([], scenarios=grid)
    step = max(1, len(sset) // samples)
    picked = list(sset.scenarios)[::step][:samples]
    cmds = []
    for sc in picked:
        opts = [f"--{k.replace('_', '-')}={v}" for k, v in sc.options.items()]
        if "template" in sc.source:
            import yaml

            f = tmp / f"cli_{sc.id}.yaml"
            f.write_text(yaml.safe_dump(apply_overrides(sc.source["template"], sc.params)))
            cmds.append(stackopt_command("solve", str(f), "--json", *opts))
        else:
            sets = [a for k, v in sc.params.items() for a in ("--set", f"{k}={v}")]
            cmds.append(stackopt_command("solve", sc.source["model"], *sets, "--json", *opts))
    t = time.perf_counter()
    for cmd in cmds:
        subprocess.run(cmd, check=True, capture_output=True, cwd=tmp)
    return (time.perf_counter() - t) / len(cmds)


def run_fresh(grid: Path, out: Path, kw: dict) -> float:
    """Seconds of ``stackopt.batch(...)`` timed in a fresh Python process after it read the
    scenario set once (as in a script or ``stackopt batch``: no solver has run in the process,
    so the workers are forked directly)."""
    spec = json.dumps({"grid": str(grid), "out": str(out), **kw})
    proc = subprocess.run(
        [sys.executable, __file__, "--one", spec], capture_output=True, text=True, check=True
    )
    return float(json.loads(proc.stdout.strip().splitlines()[-1])["seconds"])


def time_one(spec_text: str) -> None:
    spec = json.loads(spec_text)
    grid, out = spec.pop("grid"), spec.pop("out")
    scenario_set([], scenarios=grid)  # the imports a first batch pays once
    dt, _ = timed(stackopt.batch, scenarios=grid, out=out, **spec)
    print(json.dumps({"seconds": dt}))


def comparable(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["seconds"]).reset_index(drop=True)


def sweep(name: str, grid: Path, tmp: Path, *, dask: bool, samples: int) -> dict[str, float]:
    n = len(scenario_set([], scenarios=grid))
    rates: dict[str, float] = {}
    cpu: dict[str, tuple[float, int, float]] = {}
    tables = {}
    t_serial = serial(grid)
    rates["serial (this process)"] = n / t_serial
    for label, kw in [
        ("batch, 1 worker", {"workers": 1}),
        ("batch, 2 workers", {"workers": 2}),
        *([("batch, Dask local, 2 workers", {"workers": 2, "scheduler": "local"})] if dask else []),
    ]:
        out = tmp / f"{name}_{len(tables)}.csv"
        dt = run_fresh(grid, out, kw)
        df = pd.read_csv(out)
        assert df["certified"].all(), f"{label}: not every scenario certified"
        tables[label] = comparable(df)
        rates[label] = n / dt
        recs = read_store(str(out) + ".jsonl")
        cpu[label] = (
            sum(r.get("cpu_seconds", 0.0) for r in recs),
            len({r.get("worker") for r in recs}),
            dt,
        )
    out = tmp / f"{name}_cli.csv"
    dt, _ = timed(
        lambda: subprocess.run(
            stackopt_command(
                "batch", "--scenarios", str(grid), "--out", str(out), "--workers", "2", "--quiet"
            ),
            check=True,
            capture_output=True,
        )
    )
    rates["stackopt batch CLI, 2 workers, end to end"] = n / dt
    tables["stackopt batch CLI"] = comparable(pd.read_csv(out))
    first = next(iter(tables.values()))
    for label, df in tables.items():
        pd.testing.assert_frame_equal(first, df, obj=label)
    per = cli_loop(grid, samples, tmp)
    rates[f"stackopt solve per process ({samples} timed)"] = 1 / per
    print(f"\n{name}: {n} scenarios")
    print(f"  {'configuration':<44} {'scen/s':>9} {'time for all (s)':>17}")
    for label, r in rates.items():
        print(f"  {label:<44} {r:9.1f} {n / r:17.1f}")
    print(
        f"  {'worker CPU time (load-independent view)':<44} {'CPU s':>9} {'workers':>8} "
        f"{'cores obtained':>15}"
    )
    for label, (secs, nproc, wall) in cpu.items():
        print(f"  {label:<44} {secs:9.2f} {nproc:8d} {secs / wall:15.2f}")
    one, two = rates["batch, 1 worker"], rates["batch, 2 workers"]
    cli = rates[f"stackopt solve per process ({samples} timed)"]
    print(f"  ratio 2 workers / 1 worker:            {two / one:5.2f}x")
    if dask:
        print(
            f"  ratio Dask (2) / process pool (2):     "
            f"{rates['batch, Dask local, 2 workers'] / two:5.2f}x"
        )
    print(f"  ratio batch (2 workers) / solve loop:  {two / cli:5.1f}x")
    print(f"  ratio batch (1 worker) / solve loop:   {one / cli:5.1f}x")
    print("  every configuration gave the same table (values, statuses, certificates)")
    return rates


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=1000)
    ap.add_argument("--governance", type=int, default=200)
    ap.add_argument(
        "--bilevel",
        type=int,
        default=60,
        help="scenarios of the bilevel governance sweep (0: skip it)",
    )
    ap.add_argument("--cli-samples", type=int, default=30)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--quick", action="store_true", help="100 + 20 scenarios, 5 CLI samples")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: time one configuration
    args = ap.parse_args()
    if args.one:
        time_one(args.one)
        return
    if args.quick:
        args.scenarios, args.governance, args.bilevel, args.cli_samples = 100, 20, 6, 5
    dask = not args.no_dask
    if dask:
        try:
            import dask.distributed
        except ImportError:
            dask = False
    print(f"stackopt batch benchmark: {machine()} at start")
    points = {"small": args.scenarios, "governance": args.governance, "bilevel": args.bilevel}
    rates: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for name, sw in SWEEPS.items():
            if name == "bilevel" and not args.bilevel:
                continue
            share = args.cli_samples // sw.cli_share
            rates[name] = sweep(
                sw.title,
                write_grid(tmp, name, points[name]),
                tmp,
                dask=dask,
                samples=share if sw.cli_share == 1 else max(3, share),
            )
    small = rates["small"]
    one, two = small["batch, 1 worker"], small["batch, 2 workers"]
    cli = next(v for k, v in small.items() if k.startswith("stackopt solve"))
    print(
        f"\ntargets (small game): 1 -> 2 workers {two / one:.2f}x (target >= 1.8x); "
        f"batch vs process-per-scenario {two / cli:.1f}x (target >= 20x); "
        f"load average {load_average():.2f} at the end"
    )


if __name__ == "__main__":
    main()
