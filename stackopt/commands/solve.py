"""``stackopt solve FILE``: solve a game file and print a table or JSON.

The options come from the kind registry: every option any kind declares is a flag here, and
after the file is read the options are checked against *its* kind (an option another kind takes
is refused by name). ``stackopt methods KIND`` lists each kind's methods and options.
"""

from __future__ import annotations

import argparse
import contextlib
import re
from pathlib import Path
from typing import Any, Literal

from stackopt.commands import EXIT_NO_EQUILIBRIUM, EXIT_OK, add_kind_options, kind_options


def add_parser(sub: argparse._SubParsersAction) -> None:
    from stackopt.kinds.registry import extensions, kinds

    epilog = ["options by kind (details: stackopt methods KIND):"]
    for spec in kinds().values():
        names = ", ".join(o.flag for o in spec.all_options() if o.name != "method")
        methods = ", ".join(m.name for m in spec.methods if m.solvable)
        epilog.append(f"  {spec.name}: methods {methods}; options {names}")
    p = sub.add_parser(
        "solve",
        help="solve a game file (YAML, CSV, Gambit .nfg, NPZ, Parquet) or a model",
        description="Solve a game and print the leader's commitment, the "
        "follower's response, both values and the certificate.",
        epilog="\n".join(epilog),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "file",
        help="game file (" + ", ".join(extensions()) + "), a model file "
        "or a bundled model name (e.g. ai_regulation)",
    )
    add_kind_options(p)
    p.add_argument(
        "--set",
        dest="set",
        action="append",
        metavar="NAME=VALUE",
        help="set a parameter of a model file or bundled model name (repeatable; "
        "see docs/models.md)",
    )
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.add_argument(
        "--out", metavar="FILE", help="also write the JSON result to FILE (a file, not a folder)"
    )


def run(args: argparse.Namespace) -> int:
    from stackopt.api import solve
    from stackopt.errors import InputError, SolverError
    from stackopt.io.load import load_game
    from stackopt.kinds.registry import check_options, spec_of
    from stackopt.report import format_result
    from stackopt.result import failure_result

    check_out(args.out, args.file)
    model = _model_or_none(args.file, getattr(args, "set", None))
    game = model.game if model is not None else load_game(args.file)
    spec = spec_of(game)
    with sigint_guard() as interrupted:
        try:
            opts = check_options(spec, kind_options(args))
            result = solve(game, **opts)
        except InputError as exc:  # an option this game cannot take: name the game file too
            raise exc.with_source(args.file) from None
        except SolverError as exc:  # time limit, solver failure: still one JSON object
            result = failure_result(game, opts, f"solver failure: {exc}", spec.default_method)
    if interrupted:  # Ctrl-C, even if a solver turned it into a failure: exit 130, no --out
        raise KeyboardInterrupt
    if model is not None:  # options.model: the parameters, so that verify rebuilds the game
        result = model.stamp(result)
    text = result.to_json() if args.json or args.out else None
    if args.out:
        write_atomically(args.out, (text or "") + "\n")
    print(text if args.json else format_result(result))
    return EXIT_OK if result.certified else EXIT_NO_EQUILIBRIUM


def _model_or_none(file: str, sets: list[str] | None):
    """The model instance named by ``file`` (with ``--set`` values), or ``None`` for a game.

    An existing file with a data suffix other than YAML (CSV, NPZ, Parquet, ...) and no
    ``--set`` is a game: models are YAML documents or bundled names (which have no suffix), so
    the model machinery (and pydantic, which it imports) is not loaded for it.
    """
    suffix = Path(file).suffix.lower()
    if not sets and suffix and suffix not in (".yaml", ".yml") and Path(file).is_file():
        return None
    if not sets and not _may_be_model_file(file):
        return None
    from stackopt.models import instantiate

    return instantiate(file, sets)  # None: not a model


#: ``stackopt.models.record``'s test for a model document, repeated here so that a YAML game
#: file is recognised without importing the model machinery (tests/io/test_command_start.py
#: checks that both agree)
MAX_MODEL_BYTES = 1 << 20
MODEL_KEY = re.compile(r"""^\s*["']?model["']?\s*:""", re.MULTILINE)


def _may_be_model_file(file: str) -> bool:
    """``False`` when ``file`` is certainly a YAML game file and not a model: a path ending in
    ``.yaml``/``.yml`` (never a bundled model name) that is larger than any model document or
    has no top-level ``model:`` key; ``True`` otherwise (the model machinery decides)."""
    if not file.endswith((".yaml", ".yml")):
        return True
    p = Path(file)
    try:
        if not p.is_file():
            return True
        if p.stat().st_size > MAX_MODEL_BYTES:
            return False
        text = p.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    return MODEL_KEY.search(text) is not None


def load_game_or_model(file: str, sets: list[str] | None):
    """A game file, or a model (file or bundled name) with ``--set NAME=VALUE`` overrides."""
    from stackopt.io.load import load_game
    from stackopt.models import is_model_name, load_with_sets

    if sets or is_model_name(file):
        return load_with_sets(file, sets)
    return load_game(file)


def check_out(out: str | None, *inputs: str) -> None:
    """Refuse ``--out ""`` and an ``--out`` that is one of the input files (exit 2)."""
    import os

    from stackopt.errors import InputError

    if out is None:
        return
    if not out.strip():
        raise InputError("empty file name", field="--out", fix="name a file, or omit --out")
    for inp in inputs:
        try:
            same = Path(out).resolve() == Path(inp).resolve() or (
                os.path.exists(out) and os.path.exists(inp) and os.path.samefile(out, inp)
            )
        except (OSError, RuntimeError):
            same = False
        if same:
            raise InputError(
                "--out names the input file; it would be overwritten",
                field="--out",
                fix="write the result to another file",
            )


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: an interrupted run
    leaves no partial file."""
    import os
    import tempfile

    from stackopt.errors import InputError

    target = Path(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name[:50]}.",
            suffix=".tmp",
            dir=str(target.parent) if str(target.parent) else ".",
        )
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise InputError(
            f"cannot write the result: {exc.strerror}",
            source=path,
            field="--out",
            fix="name a file in an existing, writable directory",
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


class sigint_guard:
    """Context manager recording a SIGINT (Ctrl-C) during a solve.

    The handler records the interrupt and raises :class:`KeyboardInterrupt` as Python's
    default does; a solver layer that converts it into a failure cannot hide it, because the
    caller checks the recorded flag afterwards (``stackopt`` exits 130 and writes no
    ``--out``). Only installed in the main thread.
    """

    def __init__(self) -> None:
        self.flag: list[bool] = []
        self.old: Any = None  # the previous SIGINT handler (signal.signal's return type)

    def __enter__(self) -> list[bool]:
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():

            def handler(signum, frame):
                self.flag.append(True)
                raise KeyboardInterrupt

            self.old = signal.signal(signal.SIGINT, handler)
        return self.flag

    def __exit__(self, *exc: object) -> Literal[False]:
        import signal

        if self.old is not None:
            signal.signal(signal.SIGINT, self.old)
        return False
