"""Time the Stackelberg-MDP MILP as states x actions x horizon grow; prints a table.

Random finite-horizon MDPs (seeded): each (state, action) moves to 3 random next states,
rewards U(-1, 1) for both players, two leader parameters in [0, 2] with costs U(0, 0.3)
entering the follower's rewards with coefficients U(-1, 1). For every size the table shows
the MILP's binaries, the Pyomo build time, the HiGHS time, the certificate time (backward
induction, part of the total), the total, and the ratio of the total to the first (smallest)
size's total measured in the same run. Every optimal answer is certified; a size that hits
``--time-limit`` is shown with status ``time_limit`` (its commitment is feasible and checked,
its optimality not proven) and ends the run.

The default run is short (three sizes, about 5-10 s); ``--full`` keeps
growing until one MILP takes ``--stop`` seconds (default 60). Usage::

    python benchmarks/mdp.py [--full] [--stop 60] [--seed 0] [--time-limit 600]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, timed

from stackopt.kinds.mdp.game import MDPGame
from stackopt.kinds.mdp.solve import solve_mdp

#: (states, actions, horizon): the default (short) curve, then the rest of the full one.
QUICK = [(4, 2, 4), (6, 2, 6), (8, 2, 6)]
FULL = QUICK + [
    (8, 2, 8),
    (8, 3, 6),
    (10, 3, 6),
    (10, 3, 8),
    (12, 3, 8),
    (12, 4, 8),
    (16, 4, 10),
    (20, 4, 12),
]


def make_game(S: int, A: int, H: int, seed: int) -> MDPGame:
    rng = np.random.default_rng(seed)
    P = np.zeros((1, S, A, S))
    for s in range(S):
        for a in range(A):
            nxt = rng.choice(S, size=min(3, S), replace=False)
            P[0, s, a, nxt] = rng.dirichlet(np.ones(len(nxt)))
    K = 2
    return MDPGame(
        states=tuple(f"s{i}" for i in range(S)),
        actions=tuple(f"a{j}" for j in range(A)),
        initial=np.eye(S)[0],
        transitions=P,
        follower_rewards=rng.uniform(-1, 1, (1, S, A)),
        leader_rewards=rng.uniform(-1, 1, (1, S, A)),
        horizon=H,
        parameters=("p0", "p1"),
        lower=np.zeros(K),
        upper=np.full(K, 2.0),
        cost=rng.uniform(0, 0.3, K),
        effects=rng.uniform(-1, 1, (K, S, A)),
        name=f"random_{S}x{A}x{H}",
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="grow until a MILP takes --stop s")
    ap.add_argument("--stop", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=600.0)
    args = ap.parse_args(argv)
    print(f"{machine('pyomo', 'highspy')}, HiGHS 1 thread")
    print(
        f"{'S x A x H':<14}{'binaries':>9}{'build s':>9}{'highs s':>9}{'cert s':>8}"
        f"{'total s':>9}{'ratio':>8}  status  leader value"
    )
    base = None
    ok = True
    for S, A, H in FULL if args.full else QUICK:
        game = make_game(S, A, H, args.seed)
        total, r = timed(solve_mdp, game, time_limit=args.time_limit)
        st = r.stats
        cert = total - st["build_seconds"] - st["highs_seconds"]
        base = base or total
        if r.status.value == "optimal":
            ok = ok and r.certified
        print(
            f"{f'{S}x{A}x{H}':<14}{st['binaries']:>9}{st['build_seconds']:>9.2f}"
            f"{st['highs_seconds']:>9.2f}{cert:>8.2f}{total:>9.2f}{total / base:>8.1f}  "
            f"{r.status.value:<7} {r.leader.value:.6g}"
        )
        if st["highs_seconds"] >= (args.stop if args.full else 10.0) or r.status.value != "optimal":
            break
    print(f"every optimal answer certified: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
