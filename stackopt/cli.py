"""The ``stackopt`` command line. See ``stackopt --help`` and docs/cli.md.

Exit codes: 0 solved and verified; 1 no equilibrium / infeasible / not verified / solver
failure; 2 bad input (one line on stderr naming the file, the field and the fix); 141 when the
reader of stdout goes away early (as a shell reports a writer killed by SIGPIPE).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib import import_module

from stackopt.commands import COMMANDS, EXIT_BAD_INPUT, EXIT_NO_EQUILIBRIUM


class _Parser(argparse.ArgumentParser):
    """The top-level parser; ``subcommands`` maps each command name to its own parser."""

    subcommands: dict[str, argparse.ArgumentParser]


def build_parser() -> _Parser:
    from stackopt import __version__

    parser = _Parser(prog="stackopt", description="Exact Stackelberg equilibria with certificates.")
    parser.add_argument("--version", action="version", version=f"stackopt {__version__}")
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log more (-v: info, e.g. each batch scenario; -vv: debug)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        dest="quiet_log",
        help="log errors only and show no progress",
    )
    parser.add_argument(
        "--log-level",
        choices=("debug", "info", "warning", "error"),
        help="log level of the standard 'logging' module (overrides -v/-q)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        import_module(f"stackopt.commands.{name}").add_parser(sub)
    parser.subcommands = dict(sub.choices)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from stackopt.errors import InputError, SolverError, StackoptError

    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # name the subcommand's usage, unless the stray word precedes the subcommand
        words = list(sys.argv[1:] if argv is None else argv)
        at = words.index(args.command) if args.command in words else len(words)
        before = any(w in words[:at] for w in extra)
        (parser if before else parser.subcommands.get(args.command, parser)).error(
            "unrecognized arguments: " + " ".join(extra)
        )
    status = _setup_logging(args)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = status.guard(sys.stdout, final=True), status.guard(sys.stderr)
    status.start()  # the heartbeat line on a terminal (nothing otherwise)
    try:
        code = int(import_module(f"stackopt.commands.{args.command}").run(args))
        sys.stdout.flush()
        return code
    except BrokenPipeError:  # the reader went away, e.g. `stackopt solve g.yaml --json | head`
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except InputError as exc:
        print(f"stackopt: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except TypeError as exc:  # an option the game's kind does not take
        if "unexpected keyword argument" in str(exc):
            opt = str(exc).split("'")[-2] if "'" in str(exc) else str(exc)
            print(
                f"stackopt: error: option --{opt.replace('_', '-')} does not apply to this "
                f"kind of game (fix: drop it)",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        raise
    except (SolverError, StackoptError) as exc:
        print(f"stackopt: solver failure: {exc}", file=sys.stderr)
        return EXIT_NO_EQUILIBRIUM
    except KeyboardInterrupt:
        print("stackopt: interrupted", file=sys.stderr)
        return 130
    finally:
        status.stop()
        sys.stdout, sys.stderr = saved
        logging.getLogger("stackopt").removeHandler(status)  # its stream may not outlive main


def _setup_logging(args: argparse.Namespace):
    """Configure the ``stackopt`` logger on stderr from ``-v``/``-q``/``--log-level`` and return
    its :class:`~stackopt.progress.StatusHandler`: records at that level are printed; on a
    terminal without ``-q`` (and except for ``batch``, which draws its own progress line) the
    logger is opened to INFO so that the handler's status line shows the phase and HiGHS's
    progress, printing nothing below the chosen level."""
    import logging

    from stackopt.progress import StatusHandler

    level = {0: logging.WARNING, 1: logging.INFO}.get(getattr(args, "verbose", 0), logging.DEBUG)
    if getattr(args, "quiet_log", False):
        level = logging.ERROR
    if getattr(args, "log_level", None):
        level = getattr(logging, args.log_level.upper())
    log = logging.getLogger("stackopt")
    for old in [h for h in log.handlers if getattr(h, "_stackopt_cli", False)]:
        log.removeHandler(old)  # main() may run several times in one process (tests)
    quiet = getattr(args, "quiet_log", False) or getattr(args, "command", "") == "batch"
    handler = StatusHandler.for_stream(sys.stderr, show_level=level, quiet=quiet)
    log.setLevel(min(level, logging.INFO) if handler.heartbeat else level)
    # under a status line without -v, HiGHS's full log stays off (only MILP progress is fed)
    logging.getLogger("stackopt.highs").setLevel(
        logging.WARNING if handler.heartbeat and level > logging.INFO else logging.NOTSET
    )
    handler._stackopt_cli = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    return handler


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a pipeline's killed writer


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - no real stdout
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
