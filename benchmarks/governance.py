"""Benchmark: the six-dimension AI-regulation model, regulator leads (a bilevel problem).

Run: ``python benchmarks/governance.py [--quick] [--repeat 3]``

Each variant is the bundled ``ai_regulation`` model with a few parameters changed; it is built
(``load_model``) and solved by the default method for bilinear leader objectives. Printed per
variant: the method, the model size (MILP rows x columns and binaries for the expanded
strong-duality form; nodes for branching), the time to build the game, the time spent proving
bounds and assembling the MILP (``build``), inside HiGHS (``highs``), in total, the leader's
value and whether the result is certified. ``ratio`` is each variant's total time over the
baseline's (fines the only lever, standards fixed, continuous rates: the revenue identity and
Bard-Moore branching), measured in the same process. ``identity`` variants branch on the firm's
complementarity pairs with the leader's objective rewritten by the revenue identity (standards
on a grid are binary-expanded where they multiply the firm's dual prices); ``expansion``
variants solve one MILP with every rate expanded (``strong_duality``). The figures are the best of
``--repeat`` runs.
"""

from __future__ import annotations

import argparse

from common import machine, timed

from stackopt.api import solve
from stackopt.models import load_model

BASE = {"leadership": "regulator"}
VARIANTS: list[tuple[str, dict]] = [
    ("fines only, continuous (identity)", {"standards": "fixed", "rate_levels": 0}),
    ("fines only, 100 levels (identity)", {"standards": "fixed", "rate_levels": 100}),
    (
        "fines only, 100 levels (expansion)",
        {"standards": "fixed", "rate_levels": 100, "_method": "strong_duality"},
    ),
    (
        "fines + subsidies, continuous",
        {"standards": "fixed", "rate_levels": 0, "subsidies": "lever"},
    ),
    ("standards 4 levels + continuous fines", {"rate_levels": 0}),
    ("standards 10 levels + continuous fines", {"rate_levels": 0, "standard_levels": 10}),
    ("standards 4 + fines 100 (default)", {}),
    ("standards 4 + fines 100 (expansion)", {"_method": "strong_duality"}),
]
QUICK = {0, 1, 3, 4, 6}


def run(params: dict, repeat: int) -> dict:
    p = dict(params)
    method = p.pop("_method", None)
    best: dict | None = None
    for _ in range(repeat):
        t_game, game = timed(load_model, "ai_regulation", **BASE, **p)
        r = solve(game, method=method) if method else solve(game)
        s = dict(r.stats)
        row = {
            "method": r.method,
            "game": t_game,
            "build": float(s.get("build_seconds", 0.0)),
            "highs": float(s.get("highs_seconds", 0.0)),
            "total": float(s.get("total_seconds", 0.0)) + t_game,
            "size": (
                f"{s['rows']}x{s['columns']}, {s['binaries']} bin"
                if "rows" in s
                else f"{s.get('nodes', 0)} nodes"
            ),
            "value": r.leader.value,
            "certified": r.certified,
        }
        if best is None or row["total"] < best["total"]:
            best = row
    assert best is not None
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the four fastest variants")
    ap.add_argument("--repeat", type=int, default=3, help="runs per variant (best is kept)")
    args = ap.parse_args()
    print(machine("highspy"))
    header = (
        f"{'variant':<42} {'method':<15} {'size':<24} {'game s':>7} {'build s':>8} "
        f"{'highs s':>8} {'total s':>8} {'ratio':>6} {'leader L':>10} cert"
    )
    print(header)
    base_total = None
    for i, (label, params) in enumerate(VARIANTS):
        if args.quick and i not in QUICK:
            continue
        row = run(params, args.repeat)
        if base_total is None:
            base_total = row["total"]
        print(
            f"{label:<42} {row['method']:<15} {row['size']:<24} {row['game']:>7.3f} "
            f"{row['build']:>8.3f} {row['highs']:>8.3f} {row['total']:>8.3f} "
            f"{row['total'] / base_total:>6.1f} {row['value']:>10.5g} {row['certified']}"
        )


if __name__ == "__main__":
    main()
