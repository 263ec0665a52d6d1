"""``stackopt export FILE --format lp|mps``: write the formulation's models to files."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write the optimisation models as LP or MPS files",
                       description="Normal-form games: one LP per follower action "
                                   "(Conitzer-Sandholm), named <game>.<action>.<format>.")
    p.add_argument("file", help="game file")
    p.add_argument("--format", choices=["lp", "mps"], default="lp", help="file format")
    p.add_argument("--out", metavar="DIR", help="output directory (default: current)")
    p.add_argument("--response", metavar="ACTION",
                   help="normal-form: export only the LP of this follower action")
    p.add_argument("--leader", metavar="ROLE", help="who leads (as for solve)")


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..io.load import load_game

    game = load_game(args.file)
    out = Path(args.out or ".")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write into this directory: {exc.strerror}", source=str(out),
                         field="--out", fix="name a directory (it is created if missing)"
                         ) from None
    stem = Path(args.file).stem
    written = []
    kind = getattr(game, "kind", None)
    if kind == "normal_form":
        from ..formulations.multiple_lps import build_lp, _safe
        from ..sse import prepare

        g = prepare(game, leader=args.leader or "leader")
        labels = [args.response] if args.response else list(g.follower_actions)
        safe = [_safe(lab) for lab in labels]
        for lab, name in zip(labels, safe):
            j = g.follower_index(lab)
            model = build_lp(g, j)
            if safe.count(name) > 1:  # labels that sanitise alike: add the action's index
                name = f"{name}_{j}"
            path = out / f"{stem}.{name}.{args.format}"
            _write(model, path)
            written.append(path)
    else:
        try:
            from importlib import import_module

            mod = import_module(f"stackopt.{kind}")
            build = getattr(mod, "build_model")
        except (ImportError, AttributeError):
            raise InputError(f"export is not available for kind {kind!r}", source=args.file,
                             fix="export normal-form games, or solve this one") from None
        try:
            model = build(game)
        except InputError as exc:  # e.g. no provable big-M: name the game file
            raise exc.with_source(args.file) from None
        path = out / f"{stem}.{args.format}"
        _write(model, path)
        written.append(path)
    for path in written:
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
