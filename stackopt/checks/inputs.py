"""Validation of game inputs that several kinds' game classes share (no Pyomo, no files).

Each check raises one :class:`~stackopt.errors.InputError` naming the field; the caller gives
the field and keeps its own message words (and names the file with ``in_file``).

``player_names``
    every player name is a non-empty string (and, on request, the two players differ).
``record_unique`` / ``unique_labels``
    a label seen before at another position is refused ("duplicate ... (positions i and k)"),
    one at a time or for a whole list.
``lookup``
    the entry of a label in a table of known labels; an unknown label is refused with the
    choices listed.
``as_float`` / ``finite_input``
    a real number (not a boolean) as a float; an integer beyond the float range reads as
    infinite, so it is refused as not finite rather than raising ``OverflowError``.
``in_file``
    a context in which every refusal names the file the input was read from.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar

from stackopt.errors import InputError, shown_value

T = TypeVar("T")


def player_names(
    *named: tuple[str, Any], source: str | None = None, distinct: bool = False
) -> None:
    """Refuse a player name that is not a non-empty string; ``named`` are ``(field, name)``
    pairs, e.g. ``("leader.name", game.leader_name)``, and ``source`` the file, if any.
    With ``distinct``, also refuse two players of the same name (named by the second field)."""
    for field, name in named:
        if not isinstance(name, str) or not name.strip():
            raise InputError(
                f"player name must be a non-empty string, got {name!r}",
                source=source,
                field=field,
                fix="give the player a name",
            )
    if distinct and named[0][1] == named[1][1]:
        raise InputError(
            f"both players are called {named[0][1]!r}",
            source=source,
            field=named[1][0],
            fix="give the players different names",
        )


def record_unique(
    seen: dict[str, int],
    label: str,
    position: int,
    *,
    what: str,
    field: str,
    fix: str,
) -> None:
    """Note ``label`` at ``position`` in ``seen``; refuse it if an earlier position holds it:
    ``duplicate <what> 'label' (positions i and k)``."""
    if label in seen:
        raise InputError(
            f"duplicate {what} {label!r} (positions {seen[label]} and {position})",
            field=field,
            fix=fix,
        )
    seen[label] = position


def unique_labels(labels: Sequence[str], *, what: str, field: str, fix: str) -> None:
    """Refuse a label listed twice in ``labels`` (:func:`record_unique`; the field is
    ``field[k]`` at the second position ``k``). Unique labels cost one set."""
    if len(set(labels)) != len(labels):
        seen: dict[str, int] = {}
        for k, label in enumerate(labels):
            record_unique(seen, label, k, what=what, field=f"{field}[{k}]", fix=fix)


def lookup(
    table: Mapping[Any, T],
    label: Any,
    what: str,
    field: str,
    choices: Iterable[Any] | None = None,
    *,
    key: Callable[[Any], Any] | None = None,
    fix: str = "choose from ",
    context: str = "",
) -> T:
    """``table[label]`` (``table[key(label)]`` with ``key``, e.g. ``str``); an unknown (or
    unhashable) label is one InputError ``unknown <what> <label!r><context>`` whose fix is
    ``fix`` followed by the choices (the table's keys unless ``choices`` is given)."""
    try:
        return table[label if key is None else key(label)]
    except (KeyError, TypeError):
        raise InputError(
            f"unknown {what} {label!r}{context}",
            field=field,
            fix=fix + ", ".join(map(repr, table if choices is None else choices)),
        ) from None


def as_float(value: Any) -> float:
    """``float(value)``, with an integer beyond the float range read as ``-inf``/``inf``."""
    try:
        return float(value)
    except OverflowError:  # an integer beyond the float range
        return -math.inf if value < 0 else math.inf


def finite_input(
    value: Any,
    field: str,
    *,
    what: str = "",
    fix: str = "write a finite number",
    fix_finite: str | None = None,
) -> float:
    """``value`` as a finite float. A boolean or a non-real is refused as ``<what> <value!r>
    is not a number`` (fix ``fix``), NaN, an infinity or an integer beyond the float range as
    ``... is not finite`` (fix ``fix_finite``, default ``fix``); the repr is cut to 40
    characters. For a game's inputs; numbers a ``verify`` reads from a result go through
    :func:`stackopt.checks.common.finite_number` instead."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"{_quoted(what, value)} is not a number", field=field, fix=fix)
    x = as_float(value)
    if not math.isfinite(x):
        raise InputError(
            f"{_quoted(what, value)} is not finite",
            field=field,
            fix=fix if fix_finite is None else fix_finite,
        )
    return x


def _quoted(what: str, value: Any) -> str:
    """``<what> <value!r>`` for a refusal, the repr cut to 40 characters (formatted only when
    a value is refused: :func:`finite_input` runs once per number of large inputs)."""
    return f"{what} {shown_value(value)}" if what else shown_value(value)


class in_file:
    """Name ``source`` (the file the input was read from, if any) in an InputError raised
    inside the block, so that the checks themselves need not pass it to every refusal (an
    error that already names a file keeps it). A plain class, not a generator context: the
    readers enter it once per row of large edge lists."""

    __slots__ = ("source",)

    def __init__(self, source: str | None) -> None:
        self.source = source

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.source and isinstance(exc, InputError) and not exc.source:
            raise exc.with_source(self.source) from None
