"""Benchmark: random linear bilevel problems, 10-100 follower variables, per reformulation.

Run: ``python benchmarks/bilevel.py [--time-limit 10] [--sizes 10,20,30,50,100]``

Two seeded families (see tests/bilevel/test_random.py for small versions):

``general``
    ``c, A, d ~ U[-10, 10] / U[-5, 5]``, ``b ~ U[10, 50]``, ``0 <= x, y <= 10``, as many
    follower rows as follower variables. The follower's dual region is unbounded, so no big-M
    can be proven: ``bard_moore`` (default, exact), ``kkt_normalized`` (exact) and
    ``kkt_bigm`` with a guessed ``big_m=1e4`` (always flagged uncertified) are timed.
``sparse``
    The generator of BilevelJuMP's random benchmark (``bench_rand``): density 0.4, entries
    ``+-(15 + 30 U)`` (negative with probability 1/4), right-hand sides ``50 U``, as many leader
    rows (coupling) and follower rows as leader variables, ``0 <= x, y <= 10``. Same methods.
``covering``
    ``A_y y >= b - A_x x`` with ``A_y > 0``, ``d > 0``, ``y >= 0`` and a coupling leader row
    ``sum y <= U``: every big-M is proven, so ``kkt_bigm`` is certified; ``strong_duality`` on
    the same rows with integer leaders in ``0..3``. The same KKT model is also built through
    Pyomo (``core.kkt`` -> ``mpec.simple_disjunction`` -> ``gdp.bigm``) to compare build times.

Printed per solve: wall time, the share spent building models (bound LPs + assembly) versus
inside HiGHS, status, certified flag and node count. For reference the issue quotes PAO's
big-M solver at 1.27 s on a 20-leader/30-follower random instance (unknown generator).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from stackopt.kinds.bilevel.game import BilevelProblem
from stackopt.kinds.bilevel.solve import solve_bilevel


def general(seed: int, nx: int, ny: int) -> BilevelProblem:
    rng = np.random.default_rng(seed)
    return BilevelProblem.from_matrices(
        c_x=rng.uniform(-10, 10, nx),
        c_y=rng.uniform(-10, 10, ny),
        A_x=rng.uniform(-5, 5, (ny, nx)),
        A_y=rng.uniform(-5, 5, (ny, ny)),
        b=rng.uniform(10, 50, ny),
        d_y=rng.uniform(-10, 10, ny),
        x_lower=0,
        x_upper=10,
        y_lower=0,
        y_upper=10,
        name=f"general_{nx}x{ny}_{seed}",
    )


def sparse(seed: int, nx: int, ny: int, density: float = 0.4) -> BilevelProblem:
    rng = np.random.default_rng(20_000 + seed)
    m = nx

    def sp(r: int, c: int) -> np.ndarray:
        mask = rng.random((r, c)) < density
        vals = np.where(rng.random((r, c)) > 0.25, 1, -1) * (15 + 30 * rng.random((r, c)))
        return np.where(mask, vals, 0.0)

    return BilevelProblem.from_matrices(
        c_x=rng.uniform(-10, 10, nx),
        c_y=rng.uniform(-10, 10, ny),
        A_x=sp(m, nx),
        A_y=sp(m, ny),
        b=50 * rng.random(m),
        d_y=rng.uniform(-10, 10, ny),
        G_x=sp(m, nx),
        G_y=sp(m, ny),
        h=50 * rng.random(m),
        x_lower=0,
        x_upper=10,
        y_lower=0,
        y_upper=10,
        name=f"sparse_{nx}x{ny}_{seed}",
    )


def covering(seed: int, nx: int, ny: int, integer: bool = False) -> BilevelProblem:
    rng = np.random.default_rng(10_000 + seed)
    m = ny
    return BilevelProblem.from_matrices(
        c_x=rng.uniform(-10, 10, nx),
        c_y=rng.uniform(-10, 10, ny),
        A_x=rng.uniform(-3, 3, (m, nx)),
        A_y=-rng.uniform(0.5, 5, (m, ny)),
        b=-rng.uniform(1, 20, m),
        d_y=rng.uniform(1, 10, ny),
        G_y=np.ones((1, ny)),
        h=[5.0 * ny],
        x_lower=0,
        x_upper=3 if integer else 10,
        y_lower=0,
        x_types=["integer"] * nx if integer else None,
        name=f"covering_{nx}x{ny}_{seed}",
    )


def row(label: str, method: str, r, seconds: float) -> str:
    st = r.stats
    build = float(st.get("build_seconds", st.get("bounds_seconds", 0.0)))
    highs = float(st.get("highs_seconds", 0.0))
    tot = max(seconds, 1e-9)
    val = "" if r.leader.value is None else f"{r.leader.value:.6g}"
    nodes = st.get("nodes", st.get("mip_nodes", ""))
    return (
        f"{label:<22} {method:<16} {seconds:8.3f} {100 * build / tot:6.1f}% "
        f"{100 * highs / tot:6.1f}%  {r.status.value:<10} {r.certified!s:<6} "
        f"{val:>12} {nodes!s:>7}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--sizes", default="10,20,30,50,100")
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--no-pyomo", action="store_true")
    ap.add_argument("--families", default="general,sparse,covering")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    tl = args.time_limit
    print(f"time limit {tl:g} s per solve; columns: wall seconds, build share, HiGHS share")
    print(
        f"{'instance':<22} {'method':<16} {'seconds':>8} {'build':>7} {'highs':>7}  "
        f"{'status':<10} {'cert':<6} {'leader':>12} {'nodes':>7}"
    )
    fams = args.families.split(",")
    for fam, make in (("general", general), ("sparse", sparse)):
        if fam not in fams:
            continue
        for ny in sizes:
            nx = 20 if ny == 30 else max(5, ny // 2)
            for seed in range(args.seeds):
                p = make(seed, nx, ny)
                for method, kw in (
                    ("bard_moore", {}),
                    ("kkt_normalized", {}),
                    ("kkt_bigm", {"big_m": 1e4}),
                ):
                    t = time.perf_counter()
                    r = solve_bilevel(p, method=method, time_limit=tl, **kw)
                    label = method + (" M=1e4" if kw else "")
                    print(row(f"{fam} {nx}x{ny} s{seed}", label, r, time.perf_counter() - t))
    for ny in sizes if "covering" in fams else []:
        nx = 20 if ny == 30 else max(5, ny // 2)
        p = covering(0, nx, ny)
        t = time.perf_counter()
        r = solve_bilevel(p, method="kkt_bigm", time_limit=tl)
        print(row(f"covering {nx}x{ny}", "kkt_bigm proven", r, time.perf_counter() - t))
        t = time.perf_counter()
        r2 = solve_bilevel(p, method="bard_moore", time_limit=tl)
        print(row(f"covering {nx}x{ny}", "bard_moore", r2, time.perf_counter() - t))
        pi = covering(0, min(nx, 10), ny, integer=True)
        t = time.perf_counter()
        r3 = solve_bilevel(pi, method="strong_duality", time_limit=tl)
        print(
            row(f"covering-int {min(nx, 10)}x{ny}", "strong_duality", r3, time.perf_counter() - t)
        )
        if not args.no_pyomo and ny <= 50:
            from stackopt.formulations.bilevel_form import follower_form
            from stackopt.formulations.bounds import prove_bounds
            from stackopt.formulations.kkt_bigm import build_kkt_bigm
            from stackopt.formulations.kkt_pyomo import build_pyomo_kkt

            build_pyomo_kkt(covering(1, 2, 3))  # warm up imports
            t = time.perf_counter()
            build_pyomo_kkt(p)
            tp = time.perf_counter() - t
            t = time.perf_counter()
            f = follower_form(p)
            b = prove_bounds(p, f)
            build_kkt_bigm(p, b.slack, b.lam, f)
            tm = time.perf_counter() - t
            print(
                f"{'':<22} build KKT MILP: Pyomo core.kkt+mpec+gdp.bigm {tp:.3f} s, "
                f"direct sparse matrix (incl. bound LPs) {tm:.3f} s "
                f"(HiGHS solve above: {r.stats.get('highs_seconds', 0):.3f} s)"
            )


if __name__ == "__main__":
    main()
