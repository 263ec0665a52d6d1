"""``stackopt verify GAME RESULT``: re-check a JSON result against a game, without solving."""

from __future__ import annotations

import argparse
import json

from stackopt.commands import EXIT_NO_EQUILIBRIUM, EXIT_OK, add_set_option, labels


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify",
        help="re-check a JSON result against a game (no solving)",
        description="Recompute the certificate of RESULT from GAME: best "
        "response under the tie rule, values, optimality bounds.",
    )
    p.add_argument(
        "game",
        help="game file, model file or bundled model name (a model is "
        "rebuilt with the parameters the result records)",
    )
    p.add_argument("result", help="JSON result (from 'stackopt solve --json' or another tool)")
    p.add_argument("--rtol", type=float, help="relative tolerance (default: the result's)")
    p.add_argument("--json", action="store_true", help="print the certificate as JSON")
    p.add_argument(
        "--leader-actions",
        type=labels,
        metavar="A,B,...",
        help="verify the problem restricted to these leader actions (a result's "
        "own restrictions are never applied)",
    )
    p.add_argument(
        "--follower-actions",
        type=labels,
        metavar="A,B,...",
        help="verify the problem restricted to these follower actions",
    )
    p.add_argument(
        "--pure", action="store_true", help="verify optimality among pure commitments only"
    )
    p.add_argument(
        "--exact", action="store_true", help="also re-prove the answer in exact rational arithmetic"
    )
    add_set_option(
        p,
        "set a parameter of a model file or bundled model name (repeatable); "
        "must agree with the values the result records",
    )


def run(args: argparse.Namespace) -> int:
    from stackopt.api import verify
    from stackopt.errors import InputError
    from stackopt.io.load import load_game, load_result
    from stackopt.models.record import model_file, rebuild

    model = None
    sets = getattr(args, "set", None)
    if sets or model_file(args.game) is not None:  # a model: built with the result's values
        result = load_result(args.result)
        model = rebuild(args.game, result, sets, result_source=args.result)
    if model is None:
        game = load_game(args.game)
        result = load_result(args.result)
    else:
        game = model.game
    opts: dict = {"rtol": args.rtol} if args.rtol is not None else {}
    for key in ("leader_actions", "follower_actions"):
        value = getattr(args, key, None)
        if value is not None:
            opts[key] = value
    for key in ("pure", "exact"):
        if getattr(args, key, False):
            opts[key] = True
    _check_supported(game, result, opts)
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
        if model is not None:
            changed = ", ".join(f"{k}={v}" for k, v in model.changed().items())
            print(
                f"  model {model.spec.name}: "
                + (changed or "defaults")
                + (" (parameters recorded in the result)" if model.from_result else "")
            )
        ignored = (cert.evidence or {}).get("ignored_restrictions")
        if ignored:
            from stackopt.io.safe_yaml import escape_excerpt

            print(
                "  note: the result declares restrictions that were NOT applied ("
                + escape_excerpt(", ".join(f"{k}={v}" for k, v in ignored.items()), 300)
                + "); pass --leader-actions/--follower-actions/--pure to verify the "
                "restricted problem"
            )
        for c in cert.checks:
            mark = "ok  " if c.passed else "FAIL"
            print(f"  {mark} {c.name:<16} {c.detail}")
    return EXIT_OK if cert.passed else EXIT_NO_EQUILIBRIUM


def _check_supported(game, result, opts: dict) -> None:
    """Refuse verify options the kind's verify function does not take (exit 2)."""
    import inspect

    from stackopt.errors import InputError
    from stackopt.kinds.registry import spec_of

    extra = [k for k in opts if k != "rtol"]
    if not extra:
        return
    spec = spec_of(game)
    fn = spec.verify_function(getattr(result, "method", None))
    params = inspect.signature(fn).parameters
    for k in extra:
        if k not in params:
            raise InputError(
                f"--{k.replace('_', '-')} is not supported by verify for kind {spec.name!r}",
                fix="drop the option",
            )
