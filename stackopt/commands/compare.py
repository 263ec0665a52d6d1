"""``stackopt compare FILE``: player 1 leads, player 2 leads, simultaneous play, side by side."""

from __future__ import annotations

import argparse
import json

from stackopt.commands import EXIT_NO_EQUILIBRIUM, EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare", help="who should lead? SSE with either leader vs Nash equilibria",
        description="Solve a normal-form game with each player committing first (strong "
                    "Stackelberg equilibrium) and simultaneously (best and worst Nash "
                    "equilibrium for each player); print both players' values, the value of "
                    "commitment, and check that leading never hurts (von Stengel & Zamir "
                    "2010). Exit 0 when every result is certified and the check holds.")
    p.add_argument("file", help="normal-form game file (.yaml, .csv or .nfg)")
    p.add_argument("--rtol", type=float, help="relative tolerance (default 1e-6)")
    p.add_argument("--time-limit", type=float, metavar="SECONDS", help="limit per solve")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")


def run(args: argparse.Namespace) -> int:
    from stackopt.kinds.normal_form.compare import compare_leadership, format_comparison
    from stackopt.errors import InputError
    from stackopt.io.load import load_game

    game = load_game(args.file)
    opts = {}
    if args.rtol is not None:
        opts["rtol"] = args.rtol
    if args.time_limit is not None:
        opts["time_limit"] = args.time_limit
    try:
        comparison = compare_leadership(game, **opts)
    except InputError as exc:
        raise exc.with_source(args.file) from None
    if args.json:
        print(json.dumps(comparison.to_dict(), indent=2))
    else:
        print(format_comparison(comparison))
    return EXIT_OK if comparison.passed else EXIT_NO_EQUILIBRIUM
