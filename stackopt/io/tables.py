"""Checks shared by the readers of text tables (CSV game files, edge lists, scenario tables).

Each raises one :class:`~stackopt.errors.InputError` naming the file, the line or column and
the fix. Imports nothing but :mod:`stackopt.errors` and :mod:`stackopt.io.safe_yaml` (the fast
readers stay light).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from stackopt.errors import InputError
from stackopt.io.safe_yaml import escape_excerpt


def finite_cell(
    text: str, *, source: str, field: str, what: str = "", fix: str = "write a finite number"
) -> float:
    """The finite number written in the cell ``text``, else an error
    "``<what> 'text'`` is not a number" / "... is not finite" (NaN, infinity, overflow), the
    cell shown as a short printable excerpt."""
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value):
        shown = f"{what} {escape_excerpt(text)!r}" if what else repr(escape_excerpt(text))
        fault = "is not a number" if value is None else "is not finite"
        raise InputError(f"{shown} {fault}", source=source, field=field, fix=fix)
    return value


def refuse_ragged(
    cells: Sequence[str], width: int, *, source: str, line: int, fix: str, noun: str = "fields"
) -> None:
    """Refuse a row (at 1-based ``line``) whose number of cells is not the header's ``width``."""
    if len(cells) != width:
        raise InputError(
            f"line {line} has {len(cells)} {noun} but the header has {width}",
            source=source,
            field=f"line {line}",
            fix=fix,
        )


def refuse_repeats(
    names: Sequence[str],
    what: str,
    *,
    source: str,
    field: str | Callable[[int, str], str],
    fix: str,
    twice: str = "appears twice",
) -> None:
    """Refuse the first of ``names`` equal to an earlier one: "``<what> 'name' <twice>``", at
    ``field`` (or ``field(index, name)``). Linear time."""
    seen: set[str] = set()
    for k, name in enumerate(names):
        if name in seen:
            raise InputError(
                f"{what} {name!r} {twice}",
                source=source,
                field=field(k, name) if callable(field) else field,
                fix=fix,
            )
        seen.add(name)
