"""CLI subcommands: each module defines ``add_parser(subparsers)`` and ``run(args) -> int``.

Exit codes (a contract): 0 solved and verified; 1 no equilibrium, infeasible, unbounded, solver
failure or a result that does not verify; 2 bad input.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stackopt.errors import InputError

# Order in which subcommands appear in ``stackopt --help``.
COMMANDS = ["solve", "verify", "export", "compare", "methods", "batch", "plot"]

EXIT_OK, EXIT_NO_EQUILIBRIUM, EXIT_BAD_INPUT = 0, 1, 2


def labels(text: str) -> list[str]:
    """``"A, B,,C"`` -> ``["A", "B", "C"]``: a comma-separated list of action labels."""
    from stackopt.kinds.registry import split_labels

    return split_labels(text)


def _option_type(opt: Any):
    def convert(text: str) -> Any:
        if opt.type == "float":
            return float(text)
        if opt.type == "int":
            return int(text)
        if opt.type == "labels":
            return labels(text)
        return text

    convert.__name__ = {"float": "number", "int": "whole number"}.get(opt.type, opt.type)
    return convert


def add_kind_options(parser: argparse.ArgumentParser, *, skip: tuple[str, ...] = ()) -> None:
    """Add every option any registered kind declares (once each) to ``parser``.

    The help text names the kinds that take it; the value is checked against the game's kind
    after the file is read (:func:`stackopt.kinds.registry.check_options`).
    """
    from stackopt.kinds.registry import kinds

    seen: dict[str, tuple[Any, list[str]]] = {}
    for spec in kinds().values():
        for opt in spec.all_options():
            seen.setdefault(opt.name, (opt, []))[1].append(spec.name)
    everyone = len(kinds())
    for name, (opt, where) in seen.items():
        if name in skip:
            continue
        doc = opt.doc
        if len(where) < everyone:
            doc = f"{', '.join(where)}: {doc}"
        if name == "method":
            doc = "the formulation, per kind: " + "; ".join(
                f"{s.name} {'|'.join(m.name for m in s.methods if m.solvable)}"
                for s in kinds().values()
            )
        if opt.type == "bool":
            parser.add_argument(
                opt.flag,
                dest=name,
                action=argparse.BooleanOptionalAction if opt.default else "store_true",
                default=None,
                help=doc,
            )
        else:
            parser.add_argument(
                opt.flag,
                dest=name,
                type=_option_type(opt),
                choices=opt.choices,
                metavar=opt.metavar,
                default=None,
                help=doc,
            )


def add_set_option(parser: argparse.ArgumentParser, help: str) -> None:
    """Add ``--set NAME=VALUE`` (repeatable; collected in ``args.set``): a parameter of a model
    file or bundled model name (docs/models.md)."""
    parser.add_argument("--set", dest="set", action="append", metavar="NAME=VALUE", help=help)


def unwritable(exc: OSError, what: str, target: str | os.PathLike, fix: str) -> InputError:
    """The error for an output (``--out``) that cannot be written: ``cannot write <what>: <the
    system's reason>``, naming ``target`` and ``fix`` (raise it ``from None``: exit 2)."""
    from stackopt.errors import InputError

    return InputError(
        f"cannot write {what}: {exc.strerror}", source=str(target), field="--out", fix=fix
    )


def kind_options(args: argparse.Namespace, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The kind options given on the command line (those left out are not passed on)."""
    from stackopt.kinds.registry import kinds

    names = {o.name for s in kinds().values() for o in s.all_options()} - set(skip)
    return {n: getattr(args, n) for n in sorted(names) if getattr(args, n, None) is not None}
