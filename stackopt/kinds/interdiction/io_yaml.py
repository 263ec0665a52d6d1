"""The ``kind: interdiction`` YAML format and its edge-list CSV (a contract; see
docs/interdiction.md).

.. code-block:: yaml

    kind: interdiction
    name: bridges                  # optional
    description: ...               # optional
    leader: {name: interdictor}    # optional
    follower: {name: evader}       # optional
    directed: true                 # optional (default true); false: each row is an edge
                                   #   that becomes two opposite arcs, interdicted separately
    source: s
    target: t
    budget: 2
    arcs:                          # inline arcs ...
      - {source: s, target: a, length: 1, delay: 4, cost: 1}
      - {source: a, target: t, length: 2, removable: true, cost: 2}
    # ... or instead of 'arcs':
    # edges: network.csv           # path relative to this YAML file

Per arc: ``length`` is required; ``delay`` defaults to 0, ``cost`` to 1, ``removable`` to
false; an arc may not have both a positive delay and ``removable: true``.

The edge-list CSV has a header row naming its columns; ``source,target,length,delay,cost`` are
required and ``removable`` (``true``/``false``/``1``/``0``/``yes``/``no``, empty = false) is
optional, in any order. Every later row has exactly as many fields as the header; numbers are
plain decimals (empty ``delay`` = 0, empty ``cost`` = 1). Blank lines and lines starting with
``#`` are skipped. Errors name the file, the line and the column.
"""

from __future__ import annotations

import math
from functools import partial
from pathlib import Path
from typing import Any

from stackopt.checks.inputs import in_file
from stackopt.errors import InputError
from stackopt.io.build import build_from
from stackopt.io.safe_yaml import csv_rows, escape_excerpt, read_text, resolve_inside
from stackopt.io.specs import GameSpec, PlayerNameSpec
from stackopt.io.tables import refuse_ragged, refuse_repeats
from stackopt.io.validation import parse_model
from stackopt.kinds.interdiction.game import InterdictionGame

REQUIRED_COLUMNS = ("source", "target", "length", "delay", "cost")
OPTIONAL_COLUMNS = ("removable",)
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


class _PlayerSpec(PlayerNameSpec):
    """Only the player's ``name``."""


class InterdictionSpec(GameSpec):
    leader: _PlayerSpec = _PlayerSpec()
    follower: _PlayerSpec = _PlayerSpec()
    directed: bool = True
    source: Any
    target: Any
    budget: Any
    arcs: list[Any] | None = None
    edges: str | None = None


def parse_interdiction(
    data: dict[str, Any], *, source: str = "<data>", base_dir: Path | None = None
) -> InterdictionGame:
    """Build an :class:`InterdictionGame` from parsed YAML ``data``.

    ``edges:`` names a CSV file relative to ``base_dir`` (the YAML file's folder).
    """
    spec = parse_model(InterdictionSpec, data, source=source)
    if (spec.arcs is None) == (spec.edges is None):
        raise InputError(
            "give exactly one of 'arcs' (inline list) and 'edges' (CSV file)",
            source=source,
            field="arcs" if spec.arcs is None else "edges",
            fix="list the arcs inline or name an edge-list CSV",
        )
    if spec.arcs is not None:
        if not spec.arcs:
            raise InputError(
                "the list of arcs is empty",
                source=source,
                field="arcs",
                fix="give at least one arc",
            )
        rows = list(spec.arcs)
        where = [f"arcs[{k}]" for k in range(len(rows))]
        origin = source
    else:
        # inside the game's folder (symlinks resolved), never absolute or ../ (issue 8)
        assert spec.edges is not None  # exactly one of arcs/edges, checked above
        path = resolve_inside(base_dir, spec.edges, field="edges", source=source)
        rows = read_edge_list_csv(path)
        where = [f"line {r.pop('_line')}" for r in rows]
        origin = str(path)
    budget = spec.budget
    if isinstance(budget, str):
        raise InputError(
            f"budget {budget!r} is not a number",
            source=source,
            field="budget",
            fix="write a number >= 0",
        )
    arcs: list[Any] = []
    seen: dict[tuple[str, str], str] = {}
    for k, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InputError(
                f"an arc must be a mapping, got {type(row).__name__}",
                source=origin,
                field=where[k],
                fix="write {source: a, target: b, length: 1, delay: 2, cost: 1}",
            )
        ends = [str(row.get("source", "")).strip(), str(row.get("target", "")).strip()]
        if ends[0] and ends[0] == ends[1]:
            raise InputError(
                f"self-loop at node {ends[0]!r}",
                source=origin,
                field=where[k],
                fix="remove it: a self-loop never lies on a shortest path",
            )
        pairs = [(ends[0], ends[1])] if spec.directed else [(ends[0], ends[1]), (ends[1], ends[0])]
        for pair in pairs:
            if pair in seen:
                raise InputError(
                    f"arc '{pair[0]}->{pair[1]}' is given twice (also {seen[pair]})",
                    source=origin,
                    field=where[k],
                    fix="keep one arc per ordered pair of nodes"
                    + (
                        "; with 'directed: false' each row makes both directions"
                        if not spec.directed
                        else ""
                    ),
                )
            seen[pair] = where[k]
        arcs.append(row)
        if not spec.directed:
            rev = dict(row)
            rev["source"], rev["target"] = row.get("target"), row.get("source")
            arcs.append(rev)
    # validate each row with its own location first (clear file/line in messages)
    from stackopt.kinds.interdiction.game import parse_arc

    with in_file(source):  # entered once: edge lists run to 10^5 rows
        for k, row in enumerate(rows):
            parse_arc(row, where[k], origin, field_is_path=True)
    return build_from(
        source,
        InterdictionGame,
        arcs=tuple(arcs),
        source=spec.source,
        target=spec.target,
        budget=budget,
        leader_name=spec.leader.name or "interdictor",
        follower_name=spec.follower.name or "evader",
        name=spec.name,
        origin=source,
    )


def read_edge_list_csv(path: str | Path) -> list[dict[str, Any]]:
    """Read an edge-list CSV into arc mappings (see the module docstring for the format).

    Each mapping has keys ``source``, ``target``, ``length``, ``delay``, ``cost``,
    ``removable`` and ``_line`` (the 1-based line number, for messages).

    Raises
    ------
    InputError
        Missing file, missing/unknown/duplicate columns, a row with the wrong number of
        fields, or a field that is not a number (naming file, line and column).
    """
    p = Path(path)
    text = read_text(p)
    src = str(p)
    header: list[str] | None = None
    rows: list[dict[str, Any]] = []
    for line, fields in csv_rows(text, src):
        if not fields or not "".join(fields).strip() or fields[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [f.strip().lower() for f in fields]
            _check_header(header, src, line)
            continue
        if len(fields) != len(header):  # tested here: the call costs per row of large lists
            refuse_ragged(
                fields,
                len(header),
                source=src,
                line=line,
                fix="give every row one value per header column",
            )
        row: dict[str, Any] = {"_line": line}
        for col, (name, raw) in enumerate(zip(header, fields), start=1):
            value = raw.strip()
            at = f"line {line}, column {col} ({name})"
            if name in ("source", "target"):
                if not value:
                    raise InputError(
                        f"empty {name} node", source=src, field=at, fix="name the node"
                    )
                row[name] = value
            elif name == "removable":
                low = value.lower()
                if low not in _TRUE | _FALSE:
                    raise InputError(
                        f"{escape_excerpt(value)!r} is not true/false",
                        source=src,
                        field=at,
                        fix="write true, false, 1 or 0",
                    )
                row[name] = low in _TRUE
            else:
                if not value and name in ("delay", "cost"):
                    row[name] = None
                    continue
                try:
                    num = float(value)
                except ValueError:
                    raise InputError(
                        f"{escape_excerpt(value)!r} is not a number",
                        source=src,
                        field=at,
                        fix="write a plain decimal number",
                    ) from None
                if not math.isfinite(num) or num < 0:
                    raise InputError(
                        f"{name} {escape_excerpt(value)!r} is "
                        f"{'negative' if num < 0 else 'not finite'}",
                        source=src,
                        field=at,
                        fix=f"{name}s must be finite and >= 0 "
                        "(use the removable column to delete arcs)",
                    )
                row[name] = num
        rows.append(row)
    if header is None:
        raise InputError(
            "the file is empty",
            source=src,
            fix="start with the header " + ",".join(REQUIRED_COLUMNS),
        )
    if not rows:
        raise InputError("the file has a header but no arcs", source=src, fix="add one row per arc")
    return rows


def _check_header(header: list[str], src: str, line: int) -> None:
    repeats = partial(
        refuse_repeats,
        what="column",
        source=src,
        field=lambda k, _: f"line {line}, column {k + 1}",
        fix="name each column once",
    )
    for col, name in enumerate(header, start=1):
        if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            repeats(header[: col - 1])  # a column repeated before this one is the first fault
            raise InputError(
                f"unknown column {name!r}",
                source=src,
                field=f"line {line}, column {col}",
                fix="columns are " + ",".join(REQUIRED_COLUMNS) + " and optionally removable",
            )
    repeats(header)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(
            "missing column(s) " + ", ".join(missing),
            source=src,
            field=f"line {line}",
            fix="the header must name " + ",".join(REQUIRED_COLUMNS),
        )
