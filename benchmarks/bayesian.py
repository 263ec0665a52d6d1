"""Benchmark: DOBSS vs multiple LPs on the Harsanyi-transformed game, as the types grow.

Run ``python benchmarks/bayesian.py`` (2 to 10 types, sizes 3x3 and 5x5), ``--types 2,4,6``,
``--sizes 5x5,10x5`` (leader x follower actions per type), ``--quick`` (CI smoke test),
``--max-profiles N`` (largest Harsanyi game attempted, default 5000) and ``--budget S``
(seconds per Harsanyi run, default 60).

This reproduces the *shape* of the finding of Paruchuri et al. (AAMAS 2008, Fig. 5): the
Harsanyi transformation has :math:`n^L` follower actions for :math:`L` types with :math:`n`
actions each, so multiple LPs on it grow exponentially in :math:`L`, whereas the DOBSS MILP has
:math:`L n` binaries and grows far more slowly. Payoffs are seeded ``U[0, 10]`` integers (seed
``--seed`` + L + size), priors ``Dirichlet(1)``.

Columns: ``DOBSS s`` (wall time of :func:`stackopt.kinds.bayesian.solve.solve_bayesian`,
including the
Pyomo build, HiGHS, the polishing LP and the certificate), ``build s`` (Pyomo build part),
``Harsanyi s`` (transformation + multiple LPs + certificate), ``profiles``, ``ratio``
(Harsanyi / DOBSS) and ``|dv|`` (difference of the two leader values). Harsanyi runs above
``--max-profiles`` are printed as ``skipped (N profiles)``; runs over ``--budget`` as
``timeout``. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import platform
import sys

import numpy as np
from common import machine, timed


def make_game(L: int, m: int, n: int, seed: int):
    from stackopt.kinds.bayesian.game import BayesianGame

    rng = np.random.default_rng(seed)
    R = [rng.integers(0, 11, size=(m, n)).astype(float) for _ in range(L)]
    C = [rng.integers(0, 11, size=(m, n)).astype(float) for _ in range(L)]
    p = rng.dirichlet(np.ones(L))
    p = p / p.sum()
    p[-1] = 1.0 - p[:-1].sum()
    return BayesianGame.from_matrices(R, C, list(p), name=f"L{L}_{m}x{n}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--types", default="2,3,4,5,6,7,8,9,10")
    ap.add_argument("--sizes", default="3x3,5x5")
    ap.add_argument("--max-profiles", type=int, default=5000)
    ap.add_argument("--budget", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=2008)
    ap.add_argument("--quick", action="store_true", help="tiny run for smoke tests")
    args = ap.parse_args(argv)
    if args.quick:
        args.types, args.sizes = "2,3", "3x3"
    from stackopt.errors import SolverError, UnsupportedError
    from stackopt.kinds.bayesian.solve import solve_bayesian

    types = [int(t) for t in args.types.split(",")]
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    print(
        f"# stackopt Bayesian benchmark - {machine()}, {platform.machine()}, "
        f"max profiles {args.max_profiles}, budget {args.budget:g} s"
    )
    head = (
        f"{'size':>6} {'types':>5} {'DOBSS s':>9} {'build s':>8} {'Harsanyi s':>22} "
        f"{'profiles':>9} {'ratio':>8} {'|dv|':>9}  certified"
    )
    print(head)
    print("-" * len(head))
    solve_bayesian(make_game(2, 2, 2, 0))  # warm-up (imports, HiGHS banner)
    for m, n in sizes:
        for L in types:
            g = make_game(L, m, n, args.seed + L + 100 * m + n)
            td, d = timed(solve_bayesian, g, method="dobss")
            profiles = n**L
            ok = [d.certified]
            if profiles > args.max_profiles:
                hs, ratio, dv = f"skipped ({profiles} profiles)", "-", "-"
            else:
                try:
                    th, h = timed(
                        solve_bayesian,
                        g,
                        method="harsanyi",
                        max_profiles=args.max_profiles,
                        time_limit=args.budget,
                    )
                    hs = f"{th:.3f}"
                    ratio = f"{th / td:.2f}"
                    dv = f"{abs(h.leader.value - d.leader.value):.1e}"
                    ok.append(h.certified)
                except (SolverError, UnsupportedError):
                    hs, ratio, dv = f"timeout (> {args.budget:g} s)", "-", "-"
            build = d.stats.get("build_seconds", float("nan"))
            print(
                f"{m}x{n:<4} {L:>5} {td:>9.3f} {build:>8.3f} {hs:>22} {profiles:>9} "
                f"{ratio:>8} {dv:>9}  {all(ok)}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
