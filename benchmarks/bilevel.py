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
inside HiGHS, status, certified flag and node count; ``default`` is ``solve_bilevel`` without
``method``. ``--pao`` also solves every instance with PAO's big-M solver (``pao.mpr.FA``, the
same matrices, HiGHS through Pyomo's ``appsi_highs``, PAO's default ``bigm=1e5``, which is not
proven, and HiGHS's default relative gap 1e-4) and prints the ratio of stackopt's default
time to PAO's, with PAO's answer re-evaluated by stackopt's follower oracle. PAO is a
benchmark anchor only (``pip install pao pyutilib``; PAO 1.0.2 still reads ``np.NINF``, so
the benchmark restores that NumPy 1 alias before importing it). ``--nx`` fixes the number of
leader variables (default: 20 for 30 follower variables, else half of them).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average, timed

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


def _numpy1_aliases() -> None:
    """PAO 1.0.2 uses ``np.NINF``/``np.PINF``, removed in NumPy 2."""
    for name, value in (("NINF", -np.inf), ("PINF", np.inf)):
        if name not in np.__dict__:
            setattr(np, name, value)


def _le_rows(A_x, A_y, lo, hi):
    """Two-sided rows ``lo <= A_x x + A_y y <= hi`` as ``<=`` rows (PAO's form)."""
    rx, ry, rb = [], [], []
    for i in range(A_y.shape[0]):
        if np.isfinite(hi[i]):
            rx.append(A_x[i])
            ry.append(A_y[i])
            rb.append(hi[i])
        if np.isfinite(lo[i]):
            rx.append(-A_x[i])
            ry.append(-A_y[i])
            rb.append(-lo[i])
    return (
        np.array(rx).reshape(-1, A_x.shape[1]),
        np.array(ry).reshape(-1, A_y.shape[1]),
        np.array(rb, float),
    )


def solve_pao(p: BilevelProblem, time_limit: float) -> tuple[str, float, float | None]:
    """PAO's FA (KKT + big-M 1e5) on ``p``: ``(status, seconds, leader value)``, the leader
    value being the follower oracle's at PAO's ``x`` (``None`` if PAO gave no answer)."""
    _numpy1_aliases()
    import pao
    import pyomo.environ as pe
    from scipy.sparse import coo_matrix

    from stackopt.kinds.bilevel.checks import FollowerOracle

    M = pao.mpr.LinearMultilevelProblem()
    U = M.add_upper(nxR=p.n_leader)
    L = U.add_lower(nxR=p.n_follower)
    U.x.lower_bounds = np.array(p.leader_lower, float)
    U.x.upper_bounds = np.array(p.leader_upper, float)
    L.x.lower_bounds = np.array(p.follower_lower, float)
    L.x.upper_bounds = np.array(p.follower_upper, float)
    cx, cy = p.min_leader_cost
    U.c[U], U.c[L] = np.asarray(cx, float), np.asarray(cy, float)
    L.c[L] = np.asarray(p.min_follower_cost[0], float)
    gx, gy, gb = _le_rows(
        p.leader_rows_x, p.leader_rows_y, p.leader_rows_lower, p.leader_rows_upper
    )
    if len(gb):
        U.A[U], U.A[L], U.b = coo_matrix(gx), coo_matrix(gy), gb
    fx, fy, fb = _le_rows(
        p.follower_rows_x, p.follower_rows_y, p.follower_rows_lower, p.follower_rows_upper
    )
    L.A[U], L.A[L], L.b = coo_matrix(fx), coo_matrix(fy), fb
    mip = pe.SolverFactory("appsi_highs")
    mip.config.time_limit = time_limit
    mip.highs_options = {"time_limit": float(time_limit)}  # HiGHS's own limit, too
    t = time.perf_counter()
    try:
        res = pao.Solver("pao.mpr.FA", mip_solver=mip).solve(M)
    except Exception as exc:  # a time limit makes PAO's solution loading fail
        return f"no answer ({type(exc).__name__})", time.perf_counter() - t, None
    sec = time.perf_counter() - t
    status = str(res.solver.termination_condition).split(".")[-1]
    sol = FollowerOracle(p).solve(np.array(U.x.values, float))
    value = None if sol.leader_value is None else p.leader_sign * sol.leader_value
    return status, sec, value


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
    ap.add_argument("--nx", type=int, default=None, help="leader variables (default: see doc)")
    ap.add_argument("--methods", default="default,bard_moore,kkt_normalized,kkt_bigm")
    ap.add_argument("--pao", action="store_true", help="also time PAO's FA solver")
    args = ap.parse_args()
    methods = args.methods.split(",")

    def n_leader(ny: int) -> int:
        return args.nx if args.nx else (20 if ny == 30 else max(5, ny // 2))

    def pao_row(label: str, p: BilevelProblem, ours: float) -> None:
        if not args.pao:
            return
        st, sec, val = solve_pao(p, tl)
        v = "" if val is None else f"{val:.6g}"
        print(
            f"{label:<22} {'PAO FA (appsi_highs)':<16} {sec:8.3f} {'':>7} {'':>7}  {st:<10} "
            f"{'-':<6} {v:>12}   stackopt default / PAO = {ours / max(sec, 1e-9):.2f}"
        )

    sizes = [int(s) for s in args.sizes.split(",")]
    tl = args.time_limit
    print(
        f"time limit {tl:g} s per solve; columns: wall seconds, build share, HiGHS share; "
        f"load average {load_average():.2f}"
    )
    print(
        f"{'instance':<22} {'method':<16} {'seconds':>8} {'build':>7} {'highs':>7}  "
        f"{'status':<10} {'cert':<6} {'leader':>12} {'nodes':>7}"
    )
    fams = args.families.split(",")
    for fam, make in (("general", general), ("sparse", sparse)):
        if fam not in fams:
            continue
        for ny in sizes:
            nx = n_leader(ny)
            for seed in range(args.seeds):
                p = make(seed, nx, ny)
                ours = None
                for method, kw in (
                    ("default", {}),
                    ("bard_moore", {}),
                    ("kkt_normalized", {}),
                    ("kkt_bigm", {"big_m": 1e4}),
                ):
                    if method not in methods:
                        continue
                    m = None if method == "default" else method
                    sec, r = timed(solve_bilevel, p, method=m, time_limit=tl, **kw)
                    ours = sec if ours is None else ours
                    label = method + (" M=1e4" if kw else "")
                    print(row(f"{fam} {nx}x{ny} s{seed}", label, r, sec))
                pao_row(f"{fam} {nx}x{ny} s{seed}", p, ours or 0.0)
    for ny in sizes if "covering" in fams else []:
        nx = n_leader(ny)
        p = covering(0, nx, ny)
        ours, rd = timed(solve_bilevel, p, time_limit=tl)
        print(row(f"covering {nx}x{ny}", "default", rd, ours))
        if "kkt_bigm" in methods:
            sec, r = timed(solve_bilevel, p, method="kkt_bigm", time_limit=tl)
            print(row(f"covering {nx}x{ny}", "kkt_bigm proven", r, sec))
        pao_row(f"covering {nx}x{ny}", p, ours)
        if "strong_duality" in methods:
            pi = covering(0, min(nx, 10), ny, integer=True)
            sec, r3 = timed(solve_bilevel, pi, method="strong_duality", time_limit=tl)
            print(row(f"covering-int {min(nx, 10)}x{ny}", "strong_duality", r3, sec))
        if not args.no_pyomo and ny <= 50 and "kkt_bigm" in methods:
            from stackopt.formulations.bilevel_form import follower_form
            from stackopt.formulations.bounds import prove_bounds
            from stackopt.formulations.kkt_bigm import build_kkt_bigm
            from stackopt.formulations.kkt_pyomo import build_pyomo_kkt

            build_pyomo_kkt(covering(1, 2, 3))  # warm up imports
            tp, _ = timed(build_pyomo_kkt, p)
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
