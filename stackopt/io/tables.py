"""Checks shared by the readers of text tables (CSV game files, edge lists, scenario tables).

Each raises one :class:`~stackopt.errors.InputError` naming the file, the line or column and
the fix. Imports nothing but :mod:`stackopt.errors` (the fast readers stay light).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from stackopt.errors import InputError


def finite_cell(
    text: str, *, source: str, field: str, what: str = "", fix: str = "write a finite number"
) -> float:
    """The finite number written in the cell ``text``, else an error
    "``<what> 'text'`` is not a number" / "... is not finite" (NaN, infinity, overflow)."""
    prefix = f"{what} " if what else ""
    try:
        value = float(text)
    except ValueError:
        raise InputError(
            f"{prefix}{text!r} is not a number", source=source, field=field, fix=fix
        ) from None
    if not math.isfinite(value):
        raise InputError(f"{prefix}{text!r} is not finite", source=source, field=field, fix=fix)
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
