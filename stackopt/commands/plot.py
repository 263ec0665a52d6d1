"""``stackopt plot RESULTS --x PARAM [--y PARAM] --out FIG``: figures of a batch table.

With ``--x`` only: each player's value against PARAM, one line per order of play. With ``--y``
too: which order of play gives ``--player`` the higher value (or, with one order of play in the
table, that value as a colour map; ``--column`` maps any column). ``stackopt plot GAME
--commitment`` draws a two-action leader's payoff against its commitment with the follower's
best-response regions shaded. PNG, SVG or PDF by the extension of ``--out``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from stackopt.commands import EXIT_OK, unwritable


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "plot",
        help="draw a batch table (value sweeps, order-of-play maps) or "
        "a two-action game's commitment",
        description="Figures of 'stackopt batch' tables and of two-action "
        "leaders' commitments (needs matplotlib: "
        "pip install 'stackopt[plot]').",
    )
    p.add_argument(
        "results",
        metavar="RESULTS",
        help="a table written by 'stackopt batch' (.csv/.parquet), or a game "
        "file with --commitment",
    )
    p.add_argument("--x", metavar="PARAM", help="the swept parameter (a table column)")
    p.add_argument("--y", metavar="PARAM", help="a second parameter: draw a map")
    p.add_argument(
        "--player",
        metavar="NAME",
        help="with --y: whose value decides the order-of-play map (default: the "
        "first row's leader)",
    )
    p.add_argument(
        "--minimize",
        action="store_true",
        help="with --y: the player's value is a loss (lower is better)",
    )
    p.add_argument(
        "--column",
        metavar="COL",
        help="with --y: map this column instead of comparing orders of play",
    )
    p.add_argument(
        "--where",
        metavar="PARAM=VALUE",
        action="append",
        default=[],
        help="keep the rows where PARAM equals VALUE (repeatable)",
    )
    p.add_argument(
        "--commitment",
        action="store_true",
        help="RESULTS is a normal-form game whose leader has two actions: plot "
        "the leader's payoff against its commitment",
    )
    p.add_argument(
        "--leader",
        metavar="ROLE",
        default="leader",
        help="with --commitment: who commits (leader, follower or a name)",
    )
    p.add_argument("--title", help="the figure's title")
    p.add_argument("--out", required=True, metavar="FIG", help="the figure: .png, .svg, .pdf")


def run(args: argparse.Namespace) -> int:
    from stackopt import plots
    from stackopt.errors import InputError

    ext = Path(args.out).suffix.lower()
    if ext not in (".png", ".svg", ".pdf"):
        raise InputError(
            f"unknown figure type {ext or '(none)'!r}",
            source=args.out,
            field="--out",
            fix="name a .png, .svg or .pdf file",
        )
    plots.require_matplotlib()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 5), layout="constrained")
    ax = fig.subplots()
    if args.commitment:
        from stackopt.api import solve
        from stackopt.io.load import load_game

        game = load_game(args.results)
        try:
            result = solve(game, leader=args.leader)
            plots.commitment_plot(game, ax=ax, result=result, leader=args.leader)
        except InputError as exc:
            raise exc.with_source(args.results) from None
    else:
        if not args.x:
            raise InputError(
                "--x is required for a table",
                field="--x",
                fix="name the swept parameter, e.g. --x fine_cap",
            )
        where = {}
        for item in args.where:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise InputError(
                    f"cannot read --where {item!r}", field="--where", fix="write PARAM=VALUE"
                )
            where[key.strip()] = value.strip()
        try:
            df = plots.read_results(args.results)
            if where:
                df = plots.filter_rows(df, where)
            if args.y is None:
                plots.value_plot(df, args.x, ax=ax)
            elif args.column:
                plots.value_map(df, args.x, args.y, column=args.column, ax=ax)
            else:
                plots.order_map(
                    df, args.x, args.y, player=args.player, ax=ax, minimize=args.minimize
                )
        except InputError as exc:
            raise exc.with_source(args.results) from None
    if args.title:
        ax.set_title(args.title)
    try:
        fig.savefig(args.out, dpi=120)
    except OSError as exc:
        raise unwritable(
            exc, "the figure", args.out, "name a file in a writable directory"
        ) from None
    print(f"wrote {args.out}")
    return EXIT_OK
