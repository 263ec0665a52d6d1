"""Time security games with 50-500 targets (seeded random payoffs); prints a table.

Methods timed on the same games:

* ``lps/highs``  — coverage-vector multiple LPs on one in-place highspy model (default, 1 type);
* ``lps/pyomo``  — the same LPs, one Pyomo model per target (only up to ``--pyomo-max``);
* ``eraser``     — the ERASER MILP in Pyomo + HiGHS (1 type, then ``--types`` attacker types).

Every solve is certified; the LP and MILP values are compared on each game. Payoffs: defender
covered U(0, 10), uncovered U(-10, 0); attacker covered U(-10, 0), uncovered U(0, 10);
resources = targets / 10.

Then (``--ratio-sizes``, default 100,500,1000) the certificate overhead of the default method:
total solve time (LP loop, bound records, certificate) over HiGHS's own time, the median of
``--repeats`` solves in this process after one warm-up, with the evidence's JSON size. Usage::

    python benchmarks/security.py [--sizes 50,100,200,500] [--types 2,5] [--seed 0]
        [--time-limit 120] [--ratio-sizes 100,500,1000] [--repeats 5] [--ratio-only]
    python benchmarks/security.py --typed 5x50,5x100,10x100 [--baseline] [--seed 0]

``--typed LxT,...`` times only the default solve of games with ``L`` distinct attacker types and
``T`` targets (the same seeded games as the main table: seed ``seed + 1000 L + T``) and, with
``--baseline``, in the same process the previous default (the caps-only ERASER model built in
Pyomo, :func:`stackopt.formulations.security_milp.build_eraser`, solved by HiGHS with
``--time-limit``), printing the ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average, machine, timed

from stackopt.errors import SolverError
from stackopt.kinds.security.game import SecurityGame
from stackopt.kinds.security.solve import solve_security


def make_game(T: int, L: int, seed: int) -> SecurityGame:
    rng = np.random.default_rng(seed)
    priors = rng.dirichlet(np.ones(L)) if L > 1 else np.ones(1)
    priors = tuple(float(p) for p in priors[:-1]) + (1.0 - float(priors[:-1].sum()),)
    return SecurityGame(
        tuple(f"t{k}" for k in range(T)),
        rng.uniform(0, 10, T),
        rng.uniform(-10, 0, T),
        rng.uniform(-10, 0, (L, T)),
        rng.uniform(0, 10, (L, T)),
        max(1, T // 10),
        types=tuple(f"type{k}" for k in range(L)) if L > 1 else (),
        priors=priors if L > 1 else (),
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,100,200,500")
    ap.add_argument("--types", default="2,5")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--pyomo-max",
        type=int,
        default=100,
        help="largest size for the Pyomo LP engine (it is slow)",
    )
    ap.add_argument(
        "--time-limit",
        type=float,
        default=120.0,
        help="seconds per ERASER solve with attacker types",
    )
    ap.add_argument(
        "--eraser-types-max",
        type=int,
        default=100,
        help="largest size for ERASER with several attacker types",
    )
    ap.add_argument("--ratio-sizes", default="100,500,1000")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--ratio-only", action="store_true", help="only the total/HiGHS table")
    ap.add_argument("--typed", default="", help="only these LxT attacker-type games")
    ap.add_argument("--baseline", action="store_true", help="--typed: also the caps-only MILP")
    args = ap.parse_args(argv)
    if args.typed:
        specs = [tuple(map(int, s.split("x"))) for s in args.typed.split(",") if s]
        return 0 if typed(specs, args.seed, args.time_limit, args.baseline) else 1
    ratio_sizes = [int(s) for s in args.ratio_sizes.split(",") if s]
    if args.ratio_only:
        return 0 if overhead(ratio_sizes, args.repeats, args.seed) else 1
    sizes = [int(s) for s in args.sizes.split(",") if s]
    types = [int(s) for s in args.types.split(",") if s]
    import highspy  # noqa: F401
    import pyomo  # noqa: F401

    print(f"{machine('pyomo', 'highspy')}; seed {args.seed}; resources = targets/10")
    print(
        f"{'targets':>7} {'types':>5} {'method':<10} {'seconds':>9} {'LPs solved':>10} "
        f"{'pruned':>6} {'never-BR':>8} {'defender value':>15} {'certified':>9}"
    )
    all_ok, max_diff = True, 0.0
    for T in sizes:
        g = make_game(T, 1, args.seed + T)
        rows = [("lps/highs", {})]
        if args.pyomo_max >= T:
            rows.append(("lps/pyomo", {"engine": "pyomo"}))
        rows.append(("eraser", {"method": "eraser"}))
        vals = []
        for label, opts in rows:
            sec, r = timed(solve_security, g, **opts)
            all_ok &= r.certified
            vals.append(r.leader.value)
            s = r.stats
            print(
                f"{T:>7} {1:>5} {label:<10} {sec:>9.3f} {s.get('lps_solved', '-'):>10} "
                f"{s.get('lps_pruned', '-'):>6} {s.get('lps_infeasible', '-'):>8} "
                f"{r.leader.value:>15.6f} {r.certified!s:>9}"
            )
        max_diff = max(max_diff, max(vals) - min(vals))
        for L in types:
            if args.eraser_types_max < T:
                continue
            gl = make_game(T, L, args.seed + 1000 * L + T)
            try:
                sec, r = timed(solve_security, gl, time_limit=args.time_limit)
            except SolverError:
                print(
                    f"{T:>7} {L:>5} {'eraser':<10} {'>' + str(args.time_limit):>9} "
                    f"{'-':>10} {'-':>6} {'-':>8} {'time limit':>15} {'-':>9}"
                )
                continue
            all_ok &= r.certified
            print(
                f"{T:>7} {L:>5} {'eraser':<10} {sec:>9.3f} {'-':>10} {'-':>6} {'-':>8} "
                f"{r.leader.value:>15.6f} {r.certified!s:>9}"
            )
    print(
        f"agreement: max |value difference| between methods on one-type games = "
        f"{max_diff:.3g}; all certificates passed: {all_ok}"
    )
    all_ok &= overhead(ratio_sizes, args.repeats, args.seed)
    return 0 if all_ok else 1


def overhead(sizes: list[int], repeats: int, seed: int) -> bool:
    """Print total / HiGHS (median of ``repeats``) for one-type games; True if all certified."""
    import json

    print(f"load average {load_average():.2f}; total / HiGHS, median of {repeats} solves")
    print(f"{'targets':>7} {'total s':>8} {'HiGHS s':>8} {'ratio':>6} {'evidence KB':>11}")
    ok = True
    for T in sizes:
        g = make_game(T, 1, seed)
        solve_security(g)  # warm-up
        runs = []
        for _ in range(max(1, repeats)):
            sec, r = timed(solve_security, g)
            ok &= r.certified
            runs.append((sec / float(r.stats["highs_seconds"]), sec, r.stats["highs_seconds"]))
        runs.sort()
        ratio, sec, hs = runs[len(runs) // 2]
        kb = len(json.dumps(r.certificate.evidence)) / 1024
        print(f"{T:>7} {sec:>8.3f} {hs:>8.3f} {ratio:>6.2f} {kb:>11.0f}")
    print(f"load average {load_average():.2f}")
    return ok


def typed(specs: list[tuple[int, int]], seed: int, limit: float, baseline: bool) -> bool:
    """Default ERASER solve of each ``(L, T)`` game; with ``baseline`` the caps-only Pyomo
    MILP too (same game, same process). True if every default solve is certified."""
    from pyomo.contrib.solver.common.results import TerminationCondition

    from stackopt.engines.highs import solve_milp_exactly
    from stackopt.formulations.security_milp import build_eraser, value_caps

    print(
        f"{'types':>5} {'targets':>7} {'seconds':>8} {'binaries':>8} "
        f"{'value':>10} {'certified':>9} {'baseline s':>10} {'ratio':>6} {'load':>5}"
    )
    ok = True
    for L, T in specs:
        g = make_game(T, L, seed + 1000 * L + T)
        sec, r = timed(solve_security, g, time_limit=limit)
        ok &= r.certified
        base, ratio = "-", "-"
        if baseline:
            t = time.perf_counter()
            model = build_eraser(g, value_caps(g)[0])
            res, _ = solve_milp_exactly(model, time_limit=limit)
            bs = time.perf_counter() - t
            done = res.termination_condition == TerminationCondition.convergenceCriteriaSatisfied
            if done:
                assert abs(float(res.incumbent_objective) - r.leader.value) <= 1e-6 * g.scale
            base = f"{bs:.2f}" if done else f">{limit:g}"
            ratio = f"{bs / sec:.1f}" if done else f">{limit / sec:.1f}"
        s = r.stats
        print(
            f"{L:>5} {T:>7} {sec:>8.2f} {s['binaries']:>8} "
            f"{r.leader.value:>10.6f} {r.certified!s:>9} {base:>10} {ratio:>6} "
            f"{load_average():>5.2f}",
            flush=True,
        )
    return ok


if __name__ == "__main__":
    sys.exit(main())
