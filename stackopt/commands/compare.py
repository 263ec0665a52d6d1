"""``stackopt compare FILE``: player 1 leads, player 2 leads, simultaneous play, side by side."""

from __future__ import annotations

import argparse
import json

from stackopt.commands import EXIT_NO_EQUILIBRIUM, EXIT_OK, add_set_option


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare",
        help="who should lead? SSE with either leader vs Nash equilibria",
        description="Solve a normal-form game with each player committing first (strong "
        "Stackelberg equilibrium) and simultaneously (best and worst Nash "
        "equilibrium for each player); print both players' values, the value of "
        "commitment, and check that leading never hurts (von Stengel & Zamir "
        "2010). Exit 0 when every result is certified and the check holds.",
    )
    p.add_argument(
        "file",
        help="normal-form game file (.yaml, .csv, .nfg, .npz, .parquet) or a model file/name",
    )
    p.add_argument("--rtol", type=float, help="relative tolerance (default 1e-6)")
    p.add_argument("--time-limit", type=float, metavar="SECONDS", help="limit per solve")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    add_set_option(
        p,
        "models: set a parameter (repeatable); a model file or bundled model "
        "name is solved in each of its orders of play (docs/models.md)",
    )


def run(args: argparse.Namespace) -> int:
    from stackopt.errors import InputError
    from stackopt.io.load import load_game
    from stackopt.kinds.normal_form.compare import compare_leadership, format_comparison
    from stackopt.models.record import model_file

    if args.set or model_file(args.file) is not None:  # a model name or file
        return _run_model(args)
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


def _run_model(args: argparse.Namespace) -> int:
    """A model: solve it in each of its orders of play (stackopt.models.compare)."""
    from stackopt.models.compare import compare_model, format_model_comparison

    c = compare_model(args.file, args.set, rtol=args.rtol, time_limit=args.time_limit)
    print(json.dumps(c.to_dict(), indent=2) if args.json else format_model_comparison(c))
    return EXIT_OK if c.passed else EXIT_NO_EQUILIBRIUM
