"""``stackopt verify GAME RESULT``: re-check a JSON result against a game, without solving."""

from __future__ import annotations

import argparse
import json

from stackopt.commands import EXIT_NO_EQUILIBRIUM, EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="re-check a JSON result against a game (no solving)",
                       description="Recompute the certificate of RESULT from GAME: best "
                                   "response under the tie rule, values, optimality bounds.")
    p.add_argument("game", help="game file")
    p.add_argument("result", help="JSON result (from 'stackopt solve --json' or another tool)")
    p.add_argument("--rtol", type=float, help="relative tolerance (default: the result's)")
    p.add_argument("--json", action="store_true", help="print the certificate as JSON")


def run(args: argparse.Namespace) -> int:
    from stackopt.api import verify
    from stackopt.errors import InputError
    from stackopt.io.load import load_game, load_result

    game = load_game(args.game)
    result = load_result(args.result)
    opts = {"rtol": args.rtol} if args.rtol is not None else {}
    try:
        cert = verify(game, result, **opts)
    except InputError as exc:  # the game is valid by now: the result (or --rtol) is at fault
        if exc.field == "rtol" and args.rtol is not None:
            raise
        raise exc.with_source(args.result) from None
    if args.json:
        print(json.dumps(cert.to_dict(), indent=2))
    else:
        print(f"certificate: {cert.summary()}")
        for c in cert.checks:
            mark = "ok  " if c.passed else "FAIL"
            print(f"  {mark} {c.name:<16} {c.detail}")
    return EXIT_OK if cert.passed else EXIT_NO_EQUILIBRIUM
