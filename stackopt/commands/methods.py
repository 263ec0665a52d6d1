"""``stackopt methods [KIND]``: the kinds, their methods and options, from the registry."""

from __future__ import annotations

import argparse

from stackopt.commands import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "methods",
        help="list game kinds, their methods and options",
        description="List every registered game kind (or one), its methods "
        "(default first), what each method's optimality proof "
        "rests on, and the options with types, ranges and "
        "defaults.",
    )
    p.add_argument("kind", nargs="?", help="one kind, e.g. normal_form")


def run(args: argparse.Namespace) -> int:
    from stackopt.kinds.registry import COMMON_OPTIONS, get_kind, kinds

    specs = [get_kind(args.kind)] if args.kind else list(kinds().values())
    lines: list[str] = []
    for spec in specs:
        lines.append(f"{spec.name}: {spec.summary}")
        default = spec.default_method or f"chosen from the game ({spec.default_doc})"
        lines.append(f"  default method: {default}")
        lines.append(f"  tie rules: {', '.join(spec.tie_breaks)}")
        for m in spec.methods:
            tag = "" if m.solvable else " [verify only]"
            lines.append(f"  method {m.name}{tag} (optimality: {m.optimality}): {m.doc}")
            for o in m.options:
                lines.append(f"      {o.describe()}")
        lines.append("  options:")
        for o in (*COMMON_OPTIONS, *spec.options):
            if o.name != "method":
                lines.append(f"    {o.describe()}")
        if spec.verify_options:
            lines.append(
                "  verify options: " + "; ".join(o.describe() for o in spec.verify_options)
            )
        lines.append("")
    print("\n".join(lines).rstrip())
    return EXIT_OK
