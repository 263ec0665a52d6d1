"""Time the incentive multiple LPs against the plain multiple LPs on the same games.

For each seeded game (families of ``benchmarks/run.py``: ``uniform`` A, B ~ U[0, 1];
``anti`` B = -0.9 A + 0.44 Z, standard normal) and size n x n, the script times, in one
process and on the same matrices:

* ``plain``      - the plain multiple-LPs engine (``engines/multiple_lps.py``, no incentives);
* ``uniform``    - the incentive engine (``engines/incentive_lps.py``), uniform contract,
  incentives up to ``--max`` (default 0.2, in units of the follower's payoffs), cost weight
  ``--cost`` (default 0.5: a unit of incentive costs the leader half a unit);
* ``per_action`` - the same with per-action contracts (m extra columns and rows);
* ``solve``      - ``stackopt.solve`` on the uniform incentive game: incentive LPs, the plain
  SSE for the value of incentives, and the certificate.

Columns: seconds of each and the ratio to ``plain``; ``voi`` is the value of incentives (leader
value with incentives minus without); ``|dv|`` the difference between the uniform and
per-action values (equal in theory). Every ``solve`` is certified. Usage::

    python benchmarks/incentive.py [--sizes 50,100,200,300] [--kinds uniform,anti]
        [--max 0.2] [--seed 0] [--quick]
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, timed
from run import make_game

from stackopt import solve
from stackopt.engines.incentive_lps import solve_incentive_lps
from stackopt.engines.multiple_lps import solve_multiple_lps
from stackopt.kinds.incentive.game import IncentiveGame, Incentives
from stackopt.kinds.normal_form.game import NormalFormGame


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,100,200,300")
    ap.add_argument("--kinds", default="uniform,anti")
    ap.add_argument(
        "--max", type=float, default=0.2, help="incentive bound, relative to the largest |B|"
    )
    ap.add_argument(
        "--cost",
        type=float,
        default=0.5,
        help="cost weight: the leader pays this per unit of incentive",
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="sizes 10,20 (smoke run)")
    args = ap.parse_args(argv)
    sizes = (10, 20) if args.quick else tuple(int(s) for s in args.sizes.split(","))
    print(
        f"{machine()}; incentives up to "
        f"{args.max:g} x max|B|, cost weight {args.cost:g}; seconds (ratio to plain)"
    )
    head = (
        f"{'family':<8}{'size':>9}{'plain':>9}{'uniform':>17}{'per_action':>17}"
        f"{'solve':>17}{'voi':>10}{'|dv|':>9}"
    )
    print(head)
    ratios: list[tuple[float, float, float]] = []
    all_ok = True
    for kind in args.kinds.split(","):
        for n in sizes:
            A, B = make_game(kind, n, args.seed)
            vmax = args.max * float(np.abs(B).max())
            caps = np.full(n, vmax)
            tp, plain = timed(solve_multiple_lps, A, B)
            lps = partial(
                solve_incentive_lps, A, B, caps, vmax=vmax, cost_weight=args.cost, budget=None
            )
            tu, uni = timed(lps, per_action=False)
            ta, per = timed(lps, per_action=True)
            game = IncentiveGame(NormalFormGame(A, B), Incentives(max=vmax, cost_weight=args.cost))
            ts, res = timed(solve, game)
            all_ok &= res.certified
            vu = float(uni.commitment @ A[:, uni.best]) - args.cost * float(uni.payment.sum())
            vp = float(per.commitment @ A[:, per.best]) - args.cost * float(per.payment.sum())
            v0 = float(plain.commitment @ A[:, plain.best])
            ratios.append((tu / tp, ta / tp, ts / tp))
            print(
                f"{kind:<8}{f'{n}x{n}':>9}{tp:>9.3f}"
                f"{tu:>9.3f} ({tu / tp:>4.1f}x){ta:>9.3f} ({ta / tp:>4.1f}x)"
                f"{ts:>9.3f} ({ts / tp:>4.1f}x){vu - v0:>10.4f}{abs(vu - vp):>9.1e}"
            )
    r = np.array(ratios)
    print(
        f"median ratio to plain: uniform {np.median(r[:, 0]):.2f}x, per_action "
        f"{np.median(r[:, 1]):.2f}x, solve {np.median(r[:, 2]):.2f}x; "
        f"all certificates passed: {all_ok}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
