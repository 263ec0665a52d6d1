"""``stackopt export FILE --format lp|mps``: write the formulation's models to files."""

from __future__ import annotations

import argparse
from pathlib import Path

from stackopt.commands import EXIT_OK, add_set_option, unwritable


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write the optimisation models as LP or MPS files",
        description="Write the models the solve uses, named "
        "<game>.<format> (one model) or <game>.<name>.<format> "
        "(normal-form games: one LP per follower action, "
        "Conitzer-Sandholm), into the folder --out.",
    )
    p.add_argument("file", help="game file")
    p.add_argument("--format", choices=["lp", "mps"], default="lp", help="file format")
    p.add_argument(
        "--out",
        metavar="DIR",
        help="output folder, created if missing (default: "
        "the current folder); files are named after "
        "the game file",
    )
    p.add_argument(
        "--response",
        metavar="ACTION",
        help="normal-form: export only the LP of this follower action",
    )
    p.add_argument("--leader", metavar="ROLE", help="who leads (as for solve)")
    p.add_argument("--method", metavar="M", help="the method whose model to export")
    add_set_option(p, "set a parameter of a model file or bundled model name (repeatable)")


def run(args: argparse.Namespace) -> int:
    from stackopt.errors import InputError
    from stackopt.io.load import load_game
    from stackopt.kinds.registry import check_options, load_target, spec_of
    from stackopt.models import instantiate

    model = instantiate(args.file, getattr(args, "set", None))  # None: not a model
    game = model.game if model is not None else load_game(args.file)
    spec = spec_of(game)
    given = {
        k: getattr(args, k) for k in ("leader", "method") if getattr(args, k, None) is not None
    }
    try:
        opts = check_options(spec, given)
        if args.response is not None:
            if spec.name != "normal_form":
                raise InputError(
                    f"option --response does not apply to {spec.name.replace('_', '-')} games",
                    field="--response",
                    fix="drop it",
                )
            opts["response"] = args.response
        if spec.export is None:
            raise InputError(
                f"export is not available for kind {spec.name!r}", fix="solve this game instead"
            )
        models = load_target(spec.export)(game, **opts)
    except InputError as exc:  # e.g. no provable big-M: name the game file
        raise exc.with_source(args.file) from None
    out = Path(args.out or ".")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise unwritable(
            exc, "into this folder", out, "name a folder (it is created if missing)"
        ) from None
    stem = Path(args.file).stem
    for name, model in models.items():
        path = out / (f"{stem}.{name}.{args.format}" if name else f"{stem}.{args.format}")
        _write(model, path)
        print(path)
    return EXIT_OK


def _write(model, path: Path) -> None:
    """Write ``model`` with names from the game's labels; when two labels give the same
    LP/MPS name (e.g. 'a-b' and 'a+b'), fall back to Pyomo's generic names (x1, c1, ...)."""
    try:
        model.write(str(path), io_options={"symbolic_solver_labels": True})
    except RuntimeError as exc:
        if "duplicate symbol" not in str(exc).lower():
            raise
        model.write(str(path), io_options={"symbolic_solver_labels": False})
