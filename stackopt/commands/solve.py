"""``stackopt solve FILE``: solve a game file and print a table or JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import EXIT_NO_EQUILIBRIUM, EXIT_OK


def _labels(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("solve", help="solve a game file (YAML, CSV or Gambit .nfg)",
                       description="Solve a game and print the leader's commitment, the "
                                   "follower's response, both values and the certificate.")
    p.add_argument("file", help="game file: .yaml/.yml (any kind), .csv or .nfg")
    p.add_argument("--pure", action="store_true", default=None,
                   help="normal-form: the leader commits to a pure action only")
    p.add_argument("--leader", metavar="ROLE",
                   help="who leads: 'leader' (default), 'follower', or a player name")
    p.add_argument("--leader-actions", type=_labels, metavar="A,B",
                   help="normal-form: restrict the leader to these actions")
    p.add_argument("--follower-actions", type=_labels, metavar="A,B",
                   help="normal-form: restrict the follower to these actions")
    p.add_argument("--method", help="formulation to use (default: the kind's default)")
    p.add_argument("--engine", choices=["highs", "pyomo"],
                   help="normal-form: highs (in-place, fast) or pyomo (cross-check)")
    p.add_argument("--tie-break", choices=["leader", "adversarial"],
                   help="follower ties: leader (strong, default) or adversarial (weak: "
                        "supremum, attainment, strict commitment)")
    p.add_argument("--exact", action="store_true", default=None,
                   help="normal-form: also prove the answer in rational arithmetic")
    p.add_argument("--rtol", type=float, help="relative tolerance of the certificate "
                                              "(default 1e-6)")
    p.add_argument("--time-limit", type=float, metavar="SECONDS", help="solver time limit")
    p.add_argument("--big-m", type=float, metavar="M",
                   help="bilevel: a big-M to use where none can be proven (result is then "
                        "never certified)")
    p.add_argument("--max-nodes", type=int, metavar="N",
                   help="bilevel: node limit of the exact complementarity branching")
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.add_argument("--out", metavar="FILE", help="also write the JSON result to FILE")


def run(args: argparse.Namespace) -> int:
    from ..api import solve
    from ..errors import InputError, SolverError
    from ..io.load import load_game
    from ..report import format_result

    game = load_game(args.file)
    opts = {}
    for key in ("pure", "leader", "leader_actions", "follower_actions", "method", "engine",
                "rtol", "time_limit", "tie_break", "exact", "big_m", "max_nodes"):
        val = getattr(args, key, None)
        if val is not None:
            opts[key] = val
    _refuse_inapplicable(game, opts, args.file)
    try:
        result = solve(game, **opts)
    except InputError as exc:  # an option this game cannot take: name the game file too
        raise exc.with_source(args.file) from None
    except SolverError as exc:  # time limit, solver failure: still one JSON object
        result = _failure(game, opts, str(exc))
    if args.out:
        try:
            Path(args.out).write_text(result.to_json() + "\n", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the result: {exc.strerror}", source=args.out,
                             field="--out", fix="name a file in an existing, writable "
                                                "directory") from None
    print(result.to_json() if args.json else format_result(result))
    return EXIT_OK if result.certified else EXIT_NO_EQUILIBRIUM


def _failure(game, opts: dict, message: str):
    """A ``status: error`` result for a solve that stopped without an answer."""
    from ..result import FollowerOutcome, LeaderOutcome, Result
    from ..status import Status

    return Result(
        kind=str(getattr(game, "kind", "unknown")), status=Status.ERROR,
        method=str(opts.get("method") or "unknown"),
        leader=LeaderOutcome(str(getattr(game, "leader_name", "leader")), {}, None),
        follower=FollowerOutcome(str(getattr(game, "follower_name", "follower")), None, None),
        certificate=None, options=dict(opts), game=getattr(game, "name", None),
        message=f"solver failure: {message}")


def _refuse_inapplicable(game, opts: dict, source: str) -> None:
    """Refuse options the kind's solve function does not take, naming the kind and file."""
    import inspect

    from ..api import _lookup
    from ..errors import InputError

    try:
        params = inspect.signature(_lookup(game, 1)).parameters
    except (TypeError, ValueError):  # pragma: no cover - not introspectable: let it decide
        return
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    for key in opts:
        if key not in params:
            kind = getattr(game, "kind", "this kind of")
            raise InputError(f"option --{key.replace('_', '-')} does not apply to "
                             f"{kind.replace('_', '-')} games", source=source,
                             field=f"--{key.replace('_', '-')}", fix="drop it")
