"""Best Nash equilibrium: exact presolve (iterated strict dominance) vs the plain Nash MILP.

Times, on the same games and in the same process,

* ``milp``  — the Sandholm-Gilpin-Conitzer MILP on the whole game (the method ``stackopt
  compare`` used before), and whether its profile is an *exact* equilibrium;
* ``exact`` — :func:`stackopt.kinds.normal_form.nash.nash_equilibria`: exact iterated strict
  dominance, then exact enumeration or MILP + exact support solve; certified only when exact.

Games: the traveler's dilemma with ``k`` claims (unique equilibrium: both claim 2, payoff 2),
and seeded random 8x8 integer games (the reduced game goes to the MILP). Prints one row per game
with both times and their ratio. Usage::

    python benchmarks/nash_exact.py [--claims 10,20,30] [--random 3] [--time-limit 120]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import timed

from stackopt.kinds.normal_form import nash as N
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.kinds.normal_form.nash_exact import exact_equilibrium_on_supports


def travelers(k: int) -> NormalFormGame:
    claims = list(range(2, 2 + k))
    A = np.array(
        [[c if c == d else (c + 2 if c < d else d - 2) for d in claims] for c in claims],
        dtype=float,
    )
    return NormalFormGame(A, A.T.copy(), name=f"travelers_{k}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", default="10,20,30")
    ap.add_argument("--random", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=120.0)
    a = ap.parse_args()
    games = [travelers(int(k)) for k in a.claims.split(",")]
    rng = np.random.default_rng(0)
    games += [
        NormalFormGame(
            rng.integers(-5, 6, (8, 8)).astype(float),
            rng.integers(-5, 6, (8, 8)).astype(float),
            name=f"random8_{s}",
        )
        for s in range(a.random)
    ]
    print(
        f"{'game':<14}{'milp s':>9}{'milp exact?':>13}{'exact s':>9}{'certified':>11}"
        f"{'value':>8}{'ratio':>8}"
    )
    for g in games:
        t_milp, (x, y, _, _) = timed(N._solve_milp, g, "best", a.time_limit)
        prof, _ = exact_equilibrium_on_supports(g.A, g.B, x, y)
        t_exact, r = timed(N.nash_equilibria, g, time_limit=a.time_limit)
        print(
            f"{g.name:<14}{t_milp:>9.3f}{'yes' if prof else 'NO':>13}{t_exact:>9.3f}"
            f"{'yes' if r.certified else 'no':>11}{r.leader.value:>8.3g}"
            f"{t_milp / max(t_exact, 1e-9):>8.1f}"
        )


if __name__ == "__main__":
    main()
