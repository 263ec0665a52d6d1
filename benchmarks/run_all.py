"""Scaling table for every kind: size -> time, build vs HiGHS share, memory; prints the targets
of issue 13 as met or missed. Nothing is asserted.

Run ``python benchmarks/run_all.py`` (default sizes; about 5-10 minutes on 2 quiet cores),
``--quick`` (tiny sizes, a smoke test) or ``--only load,lp,...`` (section names below).

Sections (each figure measured in this run, on seeded games):

* ``load``: a 1000x1000 normal-form game (six decimals) written as inline YAML, two-matrix CSV,
  ``.npz`` and Parquet (when pyarrow is installed) and read by ``stackopt.load_game`` in a fresh
  subprocess (after a warm-up load, so imports are excluded): seconds and tracemalloc peak
  relative to the two float64 arrays; plus ``stackopt --help`` start-up.
* ``command``: the whole command ``stackopt solve FILE --json`` (a subprocess: start-up,
  loading, solving, certificate) on anti-correlated 200x200 (YAML and CSV) against the linprog
  loop of ``benchmarks/run.py`` on the same game (in this process).
* ``lp``: the multiple-LPs loop in process (``solve_sse``): total, HiGHS, their ratio, HiGHS
  runs, on uniform and anti-correlated games.
* ``security``: one attacker type, 100..1000 targets (total / HiGHS); ERASER with 5 and 10
  attacker types x 100 targets drawn from 2 distinct types (merged exactly), and with 5 and 10
  distinct types (``benchmarks/security.py``'s seeded games 0 and 1).
* ``bayesian``: DOBSS with 250 and 2000 types drawn from 3 distinct ones (merged exactly).
* ``interdiction``: 10x10 and 20x20 grids (budget 4; plain, and with 20% removable arcs),
  Benders against the dual MILP (each stopped at ``--milp-limit`` seconds).
* ``nash``: ``compare_leadership`` on the 99-claim traveler's dilemma (both leaders and the best
  and worst Nash equilibria for each player, each verified exactly).
* ``incentive``: the incentive LPs (uniform contract) through ``stackopt.solve``.
* ``mdp``: Stackelberg MDP MILPs of growing size (``benchmarks/mdp.py``'s generator).
* ``bilevel``: random covering, general and sparse linear bilevel problems
  (``benchmarks/bilevel.py``'s generators), default method, each stopped at 60 s; ``--pao``
  times PAO's big-M solver on the same instances (a benchmark-only install).

Every in-process row gives the process's peak resident memory during the solve (``RSS MB``:
the kernel's high-water mark, so HiGHS's own allocations count; it includes the interpreter and
the libraries loaded: 50-250 MB by what was imported).

Anchors: the linprog loop (always); PAO with ``--pao``; OpenSpiel's Stackelberg LP with
``--openspiel-python PYTHON``, a Python of its own environment (``python -m venv /tmp/osp &&
/tmp/osp/bin/pip install open_spiel cvxpy``: it does not install beside stackopt's pins).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import load_average, machine
from run import linprog_loop, make_game

TARGETS: list[tuple[str, str]] = []


def target(name: str, ok: bool | None, figure: str) -> None:
    TARGETS.append(
        (name, ("not measured" if ok is None else "met" if ok else "MISSED") + f" ({figure})")
    )


def time_target(name: str, seconds: float, limit: float, ok: bool = True, figure: str = "") -> None:
    """The target ``<name> < <limit> s``: met when ``ok`` and the run took under ``limit``
    seconds; its figure is the seconds, then ``figure``."""
    target(f"{name} < {limit:g} s", ok and seconds < limit, f"{seconds:.2f} s{figure}")


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measured(fn: Callable[..., Any], *args: Any, **kw: Any) -> tuple[float, float, Any]:
    """Run ``fn``: wall seconds, the process's peak resident memory during the call in MB,
    its value.

    The peak is the kernel's high-water mark (``VmHWM``, reset to the current resident size
    through ``/proc/self/clear_refs`` on Linux), so it counts HiGHS's and NumPy's allocations,
    not only Python objects, and includes the interpreter and the libraries already loaded
    (50-250 MB here, by what was imported); ``nan`` where the reset is not available.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
        ok = True
    except OSError:
        ok = False
    t = time.perf_counter()
    out = fn(*args, **kw)
    s = time.perf_counter() - t
    return s, _status_mb("VmHWM") if ok else float("nan"), out


def load_figure(path: Path) -> tuple[float, float]:
    code = (
        "import sys, time, tracemalloc, json\n"
        "from stackopt.io.load import load_game\n"
        "load_game(sys.argv[1])\n"
        "t = time.perf_counter(); g = load_game(sys.argv[1]); s = time.perf_counter() - t\n"
        "del g; tracemalloc.start(); g = load_game(sys.argv[1])\n"  # traced (slower) for the peak
        "peak = tracemalloc.get_traced_memory()[1]\n"
        "print(json.dumps([s, peak, g.A.nbytes + g.B.nbytes]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    s, peak, nbytes = json.loads(out.stdout)
    return s, peak / nbytes


def section_load(n: int, tmp: Path) -> None:
    from stackopt.io.load import save_game
    from stackopt.kinds.normal_form.game import NormalFormGame
    from stackopt.kinds.normal_form.io_binary import write_normal_form_npz
    from stackopt.kinds.normal_form.io_csv import write_normal_form_csv

    rng = np.random.default_rng(13)
    g = NormalFormGame(
        np.round(rng.standard_normal((n, n)), 6), np.round(rng.standard_normal((n, n)), 6)
    )
    files = {"yaml": tmp / "g.yaml", "csv": tmp / "g.csv", "npz": tmp / "g.npz"}
    save_game(g, files["yaml"])
    write_normal_form_csv(g, files["csv"], form="matrix")
    write_normal_form_npz(g, files["npz"])
    try:
        import pandas as pd
        import pyarrow  # noqa: F401

        frames = []
        for who, M in (("leader", g.A), ("follower", g.B)):
            f = pd.DataFrame(M, columns=list(g.follower_actions))
            f.insert(0, "action", list(g.leader_actions))
            f.insert(0, "player", who)
            frames.append(f)
        files["parquet"] = tmp / "g.parquet"
        pd.concat(frames).to_parquet(files["parquet"])
    except ImportError:
        print("parquet: pyarrow not installed, skipped")
    print(f"\n== loading a {n}x{n} game (arrays {2 * n * n * 8 / 1e6:.0f} MB) ==")
    print(f"{'format':<8} {'file MB':>8} {'load s':>8} {'peak/arrays':>12}")
    for fmt, p in files.items():
        s, ratio = load_figure(p)
        print(f"{fmt:<8} {p.stat().st_size / 1e6:>8.1f} {s:>8.2f} {ratio:>12.2f}")
        limit = 3.0 if fmt == "yaml" else 1.0
        if n >= 1000:
            target(
                f"{n}x{n} loads from {fmt} in < {limit:g} s, peak < 4x arrays",
                s < limit and ratio < 4,
                f"{s:.2f} s, peak {ratio:.2f}x",
            )
    t = time.perf_counter()
    subprocess.run(["stackopt", "--help"], capture_output=True, check=True)
    s = time.perf_counter() - t
    print(f"stackopt --help: {s:.2f} s")
    target("stackopt --help start-up about 0.18 s", s < 0.3, f"{s:.2f} s")


def section_command(n: int, tmp: Path) -> None:
    from stackopt.io.load import save_game
    from stackopt.kinds.normal_form.game import NormalFormGame
    from stackopt.kinds.normal_form.io_csv import write_normal_form_csv

    A, B = make_game("anti", n, 20240601)
    g = NormalFormGame(A, B)
    save_game(g, tmp / "c.yaml")
    write_normal_form_csv(g, tmp / "c.csv", form="matrix")
    best, lp_s, _ = linprog_loop(A, B, 600.0)
    print(f"\n== whole command, anti-correlated {n}x{n} (linprog loop {lp_s:.2f} s) ==")
    for name in ("c.yaml", "c.csv"):
        t = time.perf_counter()
        out = subprocess.run(
            ["stackopt", "solve", str(tmp / name), "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
        s = time.perf_counter() - t
        res = json.loads(out.stdout)
        dv = abs(float(res["leader"]["value"]) - float(best)) if best is not None else float("nan")
        print(
            f"{name:<7} command {s:.2f} s, linprog/command {lp_s / s:.1f}x, |dv| {dv:.1e}, "
            f"status {res['status']}"
        )
        target(
            f"whole command {n}x{n} from {name[2:]} >= 10x linprog loop",
            lp_s / s >= 10,
            f"{lp_s / s:.1f}x",
        )


def section_lp(sizes: list[int]) -> None:
    from stackopt.kinds.normal_form.game import NormalFormGame
    from stackopt.kinds.normal_form.solve import solve_sse

    print("\n== multiple LPs in process (solve_sse) ==")
    print(
        f"{'family':<8} {'size':>9} {'total s':>8} {'HiGHS s':>8} {'tot/HiGHS':>9} "
        f"{'tot/H+ed':>8} {'runs':>6} {'LPs solved/pruned':>17} {'RSS MB':>8}"
    )
    for fam in ("uniform", "anti"):
        for n in sizes:
            A, B = make_game(fam, n, 20240601)
            g = NormalFormGame(A, B)
            s, mb, r = measured(solve_sse, g)
            st = r.stats
            h = float(st["highs_seconds"])
            he = h + float(st.get("highs_edit_seconds", 0.0))
            print(
                f"{fam:<8} {f'{n}x{n}':>9} {s:>8.2f} {h:>8.2f} {s / h:>9.2f} {s / he:>8.2f} "
                f"{st['highs_runs']:>6} {st['lps_solved']:>8}/{st['lps_pruned']:<8} {mb:>8.0f}"
                + ("" if r.certified else " NOT CERTIFIED")
            )
            if n >= 200:
                target(
                    f"{fam} {n}x{n}: total within 1.3x of HiGHS",
                    s / h <= 1.3,
                    f"{s / h:.2f}; with HiGHS edits {s / he:.2f}",
                )
            if fam == "anti" and n >= 1000:
                target(f"anti {n}x{n} under 15 s", s < 15, f"{s:.1f} s")


def section_security(sizes: list[int], types_T: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from security import make_game as sec_game

    from stackopt.kinds.security.game import SecurityGame
    from stackopt.kinds.security.solve import solve_security

    print("\n== security games ==")
    for T in sizes:
        g = sec_game(T, 1, 0)
        s, mb, r = measured(solve_security, g)
        h = float(r.stats["highs_seconds"])
        print(
            f"1 type  {T:>5} targets: total {s:.2f} s, HiGHS {h:.2f} s, ratio {s / h:.2f}, "
            f"RSS {mb:.0f} MB" + ("" if r.certified else " NOT CERTIFIED")
        )
        if T >= 1000:
            target(f"security {T} targets total/HiGHS <= 1.5", s / h <= 1.5, f"{s / h:.2f}")
    base = sec_game(types_T, 2, 1)
    for L in (5, 10):
        rng = np.random.default_rng(L)
        pick = rng.integers(0, 2, L)
        pick[:2] = (0, 1)
        p = rng.dirichlet(np.ones(L))
        priors = tuple(float(x) for x in p[:-1]) + (1.0 - float(p[:-1].sum()),)
        g = SecurityGame(
            base.targets,
            base.defender_covered[pick],
            base.defender_uncovered[pick],
            base.attacker_covered[pick],
            base.attacker_uncovered[pick],
            base.resources,
            types=tuple(f"type{k}" for k in range(L)),
            priors=priors,
        )
        s, mb, r = measured(solve_security, g)
        print(
            f"ERASER {L} types (2 distinct) x {types_T} targets: {s:.2f} s, RSS {mb:.0f} MB, "
            f"merged {r.stats.get('types_merged')}, certified {r.certified}"
        )
        if types_T >= 100:
            time_target(f"ERASER {L} repeating types x {types_T} targets", s, 10)
    for L in (5, 10):
        for seed in (0, 1):
            game = sec_game(types_T, L, seed + 1000 * L + types_T)  # as security.py --typed
            s, mb, r = measured(solve_security, game)
            print(
                f"ERASER {L} distinct types x {types_T} targets (seed {seed}): {s:.2f} s, "
                f"HiGHS {r.stats['highs_seconds']:.2f} s, RSS {mb:.0f} MB, certified {r.certified}"
            )
            if types_T >= 100:
                name = f"ERASER {L} distinct types x {types_T} targets (seed {seed})"
                time_target(name, s, 10, r.certified)


def section_bayesian(counts: list[int]) -> None:
    from stackopt.kinds.bayesian.game import BayesianGame
    from stackopt.kinds.bayesian.solve import solve_bayesian

    print("\n== Bayesian (DOBSS), types drawn from 3 distinct ones ==")
    rng = np.random.default_rng(5)
    base = [
        (np.round(rng.uniform(-10, 10, (8, 5)), 2), np.round(rng.uniform(-10, 10, (8, 5)), 2))
        for _ in range(3)
    ]
    for L in counts:
        pick = rng.integers(0, 3, L)
        g = BayesianGame.from_matrices(
            [base[k][0] for k in pick], [base[k][1] for k in pick], [1.0 / L] * L
        )
        s, mb, r = measured(solve_bayesian, g)
        print(
            f"{L:>5} types: {s:.2f} s (HiGHS {r.stats['highs_seconds']:.2f} s), "
            f"RSS {mb:.0f} MB, merged "
            f"{r.stats.get('types_merged')}, certified {r.certified}"
        )
        if L >= 250:
            target(f"Bayesian {L} repeating types fast", s < 10, f"{s:.2f} s")


def section_nash(claims: int, limit: float) -> None:
    from nash_exact import travelers

    from stackopt.kinds.normal_form.compare import compare_leadership

    game = travelers(claims)
    print(f"\n== Nash best/worst and both leaders (traveler's dilemma, {claims} claims) ==")
    s, mb, cmp = measured(compare_leadership, game, time_limit=limit)
    runs = {
        "nash_best_player1": cmp.nash_best_player1,
        "nash_worst_player1": cmp.nash_worst_player1,
        "nash_best_player2": cmp.nash_best_player2,
        "nash_worst_player2": cmp.nash_worst_player2,
    }
    exact = all(
        r.certified
        and r.certificate is not None
        and any(c.name == "exact" and c.passed for c in r.certificate.checks)
        for r in runs.values()
    )
    for name, r in runs.items():
        print(f"{name:<20} {r.status.value:<10} leader value {r.leader.value!s:<8}")
    print(f"total {s:.2f} s, RSS {mb:.0f} MB, every Nash result certified exactly: {exact}")
    if claims >= 99:
        target(
            f"Nash best/worst, traveler's dilemma {claims} claims, < 60 s exactly verified",
            s < 60 and exact,
            f"{s:.2f} s",
        )


def section_incentive(sizes: list[int]) -> None:
    from stackopt import solve
    from stackopt.kinds.incentive.game import IncentiveGame, Incentives
    from stackopt.kinds.normal_form.game import NormalFormGame

    print("\n== incentive games (uniform contract, incentives up to 0.2 max|B|) ==")
    print(f"{'family':<8} {'size':>9} {'total s':>8} {'HiGHS s':>8} {'tot/HiGHS':>9} {'RSS MB':>8}")
    for fam in ("uniform", "anti"):
        for n in sizes:
            A, B = make_game(fam, n, 0)
            vmax = 0.2 * float(np.abs(B).max())
            g = IncentiveGame(NormalFormGame(A, B), Incentives(max=vmax, cost_weight=0.5))
            s, mb, r = measured(solve, g)
            h = float(r.stats["highs_seconds"])
            print(
                f"{fam:<8} {f'{n}x{n}':>9} {s:>8.2f} {h:>8.2f} {s / h:>9.2f} {mb:>8.0f}"
                + ("" if r.certified else " NOT CERTIFIED")
            )


def section_mdp(shapes: list[tuple[int, int, int]]) -> None:
    from mdp import make_game as mdp_game

    from stackopt.kinds.mdp.solve import solve_mdp

    print("\n== Stackelberg MDPs (leader parameters, follower's episodic MDP; MILP) ==")
    print(
        f"{'S x A x H':<12} {'binaries':>8} {'build s':>8} {'HiGHS s':>8} {'total s':>8} "
        f"{'RSS MB':>8}  status"
    )
    for S, A, H in shapes:
        s, mb, r = measured(solve_mdp, mdp_game(S, A, H, 0), time_limit=120.0)
        st = r.stats
        print(
            f"{f'{S}x{A}x{H}':<12} {st['binaries']:>8} {st['build_seconds']:>8.2f} "
            f"{st['highs_seconds']:>8.2f} {s:>8.2f} {mb:>8.0f}  {r.status.value}"
            + ("" if r.certified or r.status.value != "optimal" else " NOT CERTIFIED")
        )


OPENSPIEL_CODE = """
import json, sys, time
import numpy as np
import pyspiel
from open_spiel.python.algorithms.stackelberg_lp import solve_stackelberg
d = np.load(sys.argv[1])
game = pyspiel.create_matrix_game(d["A"].tolist(), d["B"].tolist())
t = time.perf_counter()
x, y, v1, v2 = solve_stackelberg(game)
print(json.dumps([time.perf_counter() - t, float(v1)]))
"""


def section_openspiel(python: str, sizes: list[int], tmp: Path) -> None:
    """OpenSpiel's Stackelberg LP (cvxpy, one model per follower action) on the same games.

    OpenSpiel runs under ``python`` (its own environment: it pins versions that clash with
    this one's), in a subprocess; its time is that of ``solve_stackelberg`` alone.
    """
    from stackopt.kinds.normal_form.game import NormalFormGame
    from stackopt.kinds.normal_form.solve import solve_sse

    print(f"\n== OpenSpiel's Stackelberg LP ({python}) against solve_sse, same games ==")
    print(
        f"{'family':<8} {'size':>9} {'stackopt s':>10} {'OpenSpiel s':>11} {'ratio':>8} {'|dv|':>8}"
    )
    for fam in ("uniform", "anti"):
        for n in sizes:
            A, B = make_game(fam, n, 20240601)
            np.savez(tmp / "osp.npz", A=A, B=B)
            s, _, r = measured(solve_sse, NormalFormGame(A, B))
            out = subprocess.run(
                [python, "-c", OPENSPIEL_CODE, str(tmp / "osp.npz")],
                capture_output=True,
                text=True,
            )
            if out.returncode != 0:
                print(f"{fam:<8} {f'{n}x{n}':>9} OpenSpiel failed: {out.stderr.strip()[-200:]}")
                continue
            o_s, o_v = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{fam:<8} {f'{n}x{n}':>9} {s:>10.3f} {o_s:>11.2f} {o_s / s:>7.0f}x "
                f"{abs(o_v - r.leader.value):>8.1e}"
            )


def section_bilevel(cases: list[tuple[str, int, int, int]], limit: float, pao: bool) -> None:
    """Random linear bilevel problems (``benchmarks/bilevel.py``'s families) with the default
    method; PAO's big-M solver on the same instances with ``--pao``."""
    import bilevel as B

    from stackopt.kinds.bilevel.solve import solve_bilevel

    print(f"\n== bilevel: random families, default method (each stopped at {limit:g} s) ==")
    print(
        f"{'instance':<22} {'method':<11} {'total s':>8} {'build':>6} {'HiGHS':>6} "
        f"{'RSS MB':>7}  {'status':<10} {'PAO s':>7}  PAO status"
    )
    for fam, seed, nx, ny in cases:
        prob = getattr(B, fam)(seed, nx, ny)
        s, mb, r = measured(solve_bilevel, prob, time_limit=limit)
        st = r.stats
        build = float(st.get("build_seconds", 0.0)) / s
        highs = float(st.get("highs_seconds", 0.0)) / s
        pao_s, pao_st = float("nan"), "not run"
        if pao:
            try:
                pao_st, pao_s, _ = B.solve_pao(prob, limit)
            except ImportError as exc:
                pao_st = f"not installed ({exc.name})"
        label = f"{fam} {nx}x{ny} s{seed}"
        print(
            f"{label:<22} {r.method:<11} {s:>8.2f} {build:>6.0%} {highs:>6.0%} {mb:>7.0f}  "
            f"{r.status.value + ('' if r.certified else '*'):<10} {pao_s:>7.2f}  {pao_st}"
        )
        if (fam, nx, ny) in {("covering", 30, 60), ("covering", 75, 150), ("general", 10, 30)}:
            goal = {60: 5.0, 150: 60.0, 30: 10.0}[ny]
            shown = f", {r.status.value}" + ("" if r.certified else ", not certified")
            time_target(f"bilevel {label} certified in", s, goal, r.certified, shown)
        if pao and pao_st == "optimal" and r.certified:
            target(f"bilevel {label} <= 0.5x PAO", s <= 0.5 * pao_s, f"{s / pao_s:.2f}x")
    print("(* = not certified; build/HiGHS: shares of the total)")


def section_interdiction(sizes: list[int], milp_limit: float) -> None:
    from stackopt.kinds.interdiction.solve import solve_interdiction
    from stackopt.testing.instances import interdiction_grid

    print(f"\n== interdiction grids, budget 4 (each method stopped at {milp_limit:g} s) ==")
    for removable in (0.0, 0.2):
        for n in sizes:
            game = interdiction_grid(n, 4, seed=1, removable=removable)
            t = time.perf_counter()
            b = solve_interdiction(game, method="benders", enumerate_limit=0, time_limit=milp_limit)
            sb = time.perf_counter() - t
            t = time.perf_counter()
            m = solve_interdiction(game, enumerate_limit=0, time_limit=milp_limit)
            sm = time.perf_counter() - t
            same = (
                abs(b.leader.value - m.leader.value) <= 1e-6
                if m.status.value == "optimal"
                else None
            )
            label = f"{n}x{n}" + (f", {removable:.0%} removable" if removable else "")
            print(
                f"{label}: benders {sb:.2f} s ({b.status.value}, "
                f"{b.stats['benders_rounds']} master MILPs, "
                f"{b.stats['benders_cuts']} cuts, certified {b.certified}); dual MILP "
                f"{sm:.2f} s ({m.status.value}); same value: {same}"
            )
            if n >= 20:
                shown = f"; dual MILP {sm:.2f} s"
                time_target(f"interdiction {label} grid", sb, 10, b.certified, shown)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    ap.add_argument(
        "--only",
        default="load,command,lp,security,bayesian,interdiction,nash,incentive,mdp,bilevel",
    )
    ap.add_argument("--milp-limit", type=float, default=60.0)
    ap.add_argument(
        "--pao", action="store_true", help="bilevel: also time PAO (pip install pao pyutilib)"
    )
    ap.add_argument(
        "--openspiel-python",
        metavar="PYTHON",
        help="a Python with open_spiel and cvxpy installed (its own venv): adds the "
        "OpenSpiel Stackelberg LP anchor on the same games",
    )
    args = ap.parse_args(argv)
    only = set(args.only.split(","))
    q = args.quick
    print("stackopt scaling benchmark (issue 13)")
    print(machine("highspy", "numpy", "scipy", "pyomo", "stackopt"))
    print("(figures are noisy when the load average exceeds the core count)")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if "load" in only:
            section_load(60 if q else 1000, tmp)
        if "command" in only:
            section_command(30 if q else 200, tmp)
        if args.openspiel_python:
            section_openspiel(args.openspiel_python, [20] if q else [50, 100], tmp)
    if "lp" in only:
        section_lp([20, 40] if q else [200, 500, 1000])
    if "security" in only:
        section_security([20, 50] if q else [100, 500, 1000], 20 if q else 100)
    if "bayesian" in only:
        section_bayesian([20, 40] if q else [250, 2000])
    if "interdiction" in only:
        section_interdiction([5] if q else [10, 20], 10.0 if q else args.milp_limit)
    if "nash" in only:
        section_nash(10 if q else 99, 120.0)
    if "incentive" in only:
        section_incentive([20, 40] if q else [100, 300])
    if "mdp" in only:
        section_mdp([(4, 2, 4)] if q else [(4, 2, 4), (6, 2, 6), (8, 2, 6), (6, 3, 6)])
    if "bilevel" in only:
        cases = (
            [("covering", 0, 5, 10), ("general", 0, 3, 6)]
            if q
            else [
                ("covering", 0, 20, 30),
                ("covering", 0, 30, 60),
                ("covering", 0, 75, 150),
                ("general", 0, 10, 30),
                ("general", 1, 10, 30),
                ("sparse", 0, 10, 30),
            ]
        )
        section_bilevel(cases, 10.0 if q else 60.0, args.pao)
    print(f"\nload average at end: {load_average():.2f}")
    print("\n== targets (issue 13) ==")
    for name, verdict in TARGETS:
        print(f"{name}: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
