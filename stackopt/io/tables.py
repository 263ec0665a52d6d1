"""Checks shared by the readers of text tables (CSV game files, edge lists, scenario tables).

Each raises one :class:`~stackopt.errors.InputError` naming the file, the line or column and
the fix. Imports nothing but :mod:`stackopt.errors` (the fast readers stay light).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from stackopt.errors import InputError, shown_value


def finite_cell(
    text: str,
    *,
    source: str,
    field: str,
    what: str = "",
    fix: str = "write a finite number",
    fix_finite: str | None = None,
) -> float:
    """The finite number written in the cell ``text``, else an error
    "``<what> 'text'`` is not a number" (fix ``fix``) / "... is not finite" (NaN, infinity,
    overflow; fix ``fix_finite``, default ``fix``), the cell shown as its repr cut to 40
    characters (:func:`~stackopt.errors.shown_value`: a huge cell makes no huge error line)."""
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value):
        shown = f"{what} {shown_value(text)}" if what else shown_value(text)
        if value is None:
            raise InputError(f"{shown} is not a number", source=source, field=field, fix=fix)
        raise InputError(
            f"{shown} is not finite",
            source=source,
            field=field,
            fix=fix if fix_finite is None else fix_finite,
        )
    return value


def refuse_ragged(
    cells: Sequence[str],
    width: int,
    *,
    source: str,
    line: int,
    fix: str,
    noun: str = "fields",
    row: str | None = None,
) -> None:
    """Refuse a row (at 1-based ``line``) whose number of cells is not the header's ``width``:
    "``<row> has n <noun> but the header has width``", ``row`` being ``line <line>`` unless
    given (the field is ``line <line>`` either way)."""
    if len(cells) != width:
        raise InputError(
            f"{row or f'line {line}'} has {len(cells)} {noun} but the header has {width}",
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
