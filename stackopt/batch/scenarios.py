"""Scenario sets: many game files, or a game template / model swept over a table or a grid.

A :class:`Scenario` is plain, picklable data (a file path, or a YAML document plus parameter
overrides, or a model name plus parameters) and the solve options; workers build their own game
from it (:mod:`stackopt.batch.worker`), since Pyomo models do not pickle cleanly.

Three ways to describe a set (:func:`scenario_set`):

- **game files**: paths, directories (their game files, sorted, not recursive) and list files
  (``.txt``/``.list``: one path a line, ``#`` comments, relative to the list file); the scenario
  id is the path as given;
- **template + CSV table**: one row per scenario, an optional ``scenario`` id column; the other
  columns are parameters — dotted paths into the template's YAML document such as
  ``payoffs.leader.0.1`` (a scalar already present in the template), or the parameters of a
  :mod:`stackopt.models` model — or solve options (``method``, ``tie_break``, ``leader``,
  ``rtol``, ``time_limit``, ...). An empty cell keeps the template's value / the global option;
- **template + YAML grid**: ``parameter: [values]`` or ``{start, stop, num}`` (or ``step``),
  expanded as a product in the order written (the last parameter varies fastest), with optional
  ``filters`` (:mod:`stackopt.batch.filters`), an optional ``model:`` and global ``options:``.

Every table is checked before anything is solved: an unknown parameter, a value of the wrong
type, a duplicate id, a bad option or an empty table is one :class:`InputError`.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from stackopt.batch.spaces import Space, Template, as_bool, as_number, open_space
from stackopt.checks.inputs import as_float
from stackopt.errors import InputError, shown_value
from stackopt.io.tables import refuse_ragged, refuse_repeats

#: Extensions read as list files (one game path a line).
LIST_EXTENSIONS = (".txt", ".list", ".lst")
#: The largest scenario set a table or grid may describe.
MAX_SCENARIOS = 1_000_000
#: Columns of a table that name the scenario rather than a parameter.
ID_COLUMN = "scenario"


@dataclass(frozen=True)
class Scenario:
    """One scenario: where its game comes from, its parameter overrides and solve options.

    ``source`` is ``{"file": path}``, ``{"template": document, "path": template path}`` or
    ``{"model": name}``; ``key`` fingerprints the source, parameters and options (a resumed
    batch skips a scenario only when a stored result has the same key).
    """

    id: str
    index: int
    source: Mapping[str, Any]
    params: Mapping[str, Any]
    options: Mapping[str, Any]
    key: str

    def payload(self) -> dict[str, Any]:
        """The picklable data a worker needs."""
        return {
            "id": self.id,
            "index": self.index,
            "key": self.key,
            "source": dict(self.source),
            "params": dict(self.params),
            "options": dict(self.options),
        }


@dataclass(frozen=True)
class ScenarioSet:
    """Scenarios in their (deterministic) order, with the parameter and option columns."""

    scenarios: tuple[Scenario, ...]
    parameters: tuple[str, ...] = ()
    option_columns: tuple[str, ...] = ()
    origin: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.scenarios)


# -- entry point ------------------------------------------------------------------------------
def scenario_set(
    sources: Sequence[str | os.PathLike] = (),
    *,
    model: str | None = None,
    scenarios: str | os.PathLike | None = None,
    options: Mapping[str, Any] | None = None,
) -> ScenarioSet:
    """Build and check a scenario set (see the module docstring); nothing is solved."""
    options = dict(options or {})
    paths = [str(s) for s in sources]
    if scenarios is not None:
        if paths:
            raise InputError(
                "give game files or --model/--scenarios, not both",
                field="SOURCE",
                fix="run one batch per kind of source",
            )
        return _from_table(model, str(scenarios), options)
    if model is not None:
        raise InputError(
            "--model needs a scenario table",
            field="--scenarios",
            fix="add --scenarios TABLE.csv or --scenarios GRID.yaml",
        )
    if not paths:
        raise InputError(
            "no scenarios given",
            field="SOURCE",
            fix="name game files, a directory, a list file, or --model M --scenarios TABLE",
        )
    return _from_files(paths, options)


# -- game files -------------------------------------------------------------------------------
def _game_extensions() -> tuple[str, ...]:
    from stackopt.kinds.registry import extensions

    return tuple(sorted({".yaml", ".yml", *(e.lower() for e in extensions())}))


def _expand(source: str) -> list[str]:
    p = Path(source)
    if p.is_dir():
        exts = _game_extensions()
        found = sorted(
            str(Path(source) / c.name) if not source.endswith(os.sep) else source + c.name
            for c in p.iterdir()
            if c.is_file() and c.suffix.lower() in exts
        )
        if not found:
            raise InputError(
                "the directory holds no game files",
                source=source,
                fix="name a directory with " + ", ".join(exts) + " files",
            )
        return found
    if p.suffix.lower() in LIST_EXTENSIONS:
        from stackopt.io.safe_yaml import read_text

        out = []
        for line in read_text(p).splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            q = Path(line)
            near = os.path.normpath(p.parent / q)
            # relative to the list file; a path that only exists relative to the working
            # directory (a list written by `ls data/*.yaml > list.txt`) is taken as written
            out.append(
                line if q.is_absolute() or (not Path(near).is_file() and q.is_file()) else near
            )
        if not out:
            raise InputError(
                "the list file names no games", source=source, fix="write one game path a line"
            )
        for item in out:
            if not Path(item).is_file():
                raise InputError(
                    f"listed game {item!r} not found",
                    source=source,
                    fix="check the path (relative to the list file)",
                )
        return out
    if not p.exists():
        raise InputError("file not found", source=source, fix="check the path")
    if p.suffix.lower() not in _game_extensions():
        raise InputError(
            f"unknown file type {p.suffix or '(none)'!r}",
            source=source,
            fix="give game files ("
            + ", ".join(_game_extensions())
            + "), a directory, or a list file (.txt)",
        )
    return [source]


def _from_files(sources: list[str], options: dict[str, Any]) -> ScenarioSet:
    opts = check_global_options(options)
    paths = [q for s in sources for q in _expand(s)]
    seen: dict[str, int] = {}
    out = []
    for i, path in enumerate(paths):
        if path in seen:
            raise InputError(
                "the same game is given twice",
                source=path,
                field="SOURCE",
                fix="name each game once",
            )
        seen[path] = i
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        out.append(
            Scenario(
                id=path,
                index=i,
                source={"file": path},
                params={},
                options=opts,
                key=_key({"file": digest}, {}, opts),
            )
        )
    return ScenarioSet(tuple(out), origin="files")


def check_global_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Check options that apply to games of any kind: each must be declared by some kind and
    its value must suit the declaration (the game's own kind is checked by the worker)."""
    from stackopt.kinds.registry import kinds

    declared: dict[str, Any] = {}
    for spec in kinds().values():
        for opt in spec.all_options():
            declared.setdefault(opt.name, (opt, spec.name))
    out = {}
    for name, value in options.items():
        if value is None:
            continue
        if name not in declared:
            raise InputError(
                f"unknown option --{name.replace('_', '-')}",
                field=name,
                fix="'stackopt methods' lists the options",
            )
        opt, kind = declared[name]
        out[name] = opt.check(value, kind) if opt.name != "method" else value
    return out


def _key(identity: Mapping[str, Any], params: Mapping[str, Any], options: Mapping[str, Any]) -> str:
    text = json.dumps(
        {"source": identity, "params": params, "options": options}, sort_keys=True, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


# -- tables -----------------------------------------------------------------------------------
def _option_names() -> dict[str, Any]:
    from stackopt.kinds.registry import kinds

    return {o.name: o for s in kinds().values() for o in s.all_options()}


def _from_table(model: str | None, table: str, options: dict[str, Any]) -> ScenarioSet:
    p = Path(table)
    ext = p.suffix.lower()
    if ext not in (".csv", ".yaml", ".yml"):
        raise InputError(
            f"unknown scenario table type {p.suffix or '(none)'!r}",
            source=table,
            field="--scenarios",
            fix="give a .csv table or a .yaml grid",
        )
    if ext == ".csv":
        if model is None:
            raise InputError(
                "a CSV scenario table needs --model",
                source=table,
                field="--model",
                fix="add --model GAME.yaml (or a model name)",
            )
        columns, ids, rows = _read_csv(table)
        space = open_space(model)
        return _build(space, columns, ids, rows, options, table)
    grid = _read_grid(table)
    if model is None:
        model = grid.model
        if model is None:
            raise InputError(
                "the grid names no model",
                source=table,
                field="model",
                fix="add 'model: GAME.yaml' to the grid or pass --model",
            )
    space = open_space(model)
    points = _expand_grid(grid, space, table)
    return _build(
        space, list(grid.axes), [None] * len(points), points, {**grid.options, **options}, table
    )


def _read_csv(table: str) -> tuple[list[str], list[str | None], list[dict[str, Any]]]:
    from stackopt.io.safe_yaml import read_text

    reader = csv.reader(read_text(table).splitlines())
    header = [h.strip() for h in next(reader, [])]
    if not header:
        raise InputError(
            "the scenario table is empty",
            source=table,
            fix="write a header row of parameters and one row per scenario",
        )
    repeats = partial(
        refuse_repeats,
        what="column",
        source=table,
        field=lambda _, h: h,
        fix="name each column once",
    )
    for j, h in enumerate(header):
        if not h:
            repeats(header[:j])  # a column repeated before this one is the first fault
            raise InputError(
                f"column {j + 1} has no name", source=table, field="header", fix="name every column"
            )
    repeats(header)
    ids: list[str | None] = []
    rows: list[dict[str, Any]] = []
    for n, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        refuse_ragged(
            cells,
            len(header),
            source=table,
            line=n,
            fix="give every row one cell per column",
            noun="cells",
        )
        row = {h: c.strip() for h, c in zip(header, cells)}
        ident = row.pop(ID_COLUMN, None)
        if ident is not None and not ident:
            raise InputError(
                f"line {n} has an empty scenario id",
                source=table,
                field=ID_COLUMN,
                fix="give every row an id or drop the column",
            )
        ids.append(ident)
        rows.append({k: v for k, v in row.items() if v != ""} | {_LINE: n})
    if not rows:
        raise InputError(
            "the scenario table has no rows",
            source=table,
            fix="add one row per scenario below the header",
        )
    return [h for h in header if h != ID_COLUMN], ids, rows


_LINE = "\0line"  # where a CSV row came from (not a column: CSV headers cannot hold NUL)


@dataclass(frozen=True)
class _Grid:
    axes: dict[str, list[Any]]
    filters: list[str]
    model: str | None
    options: dict[str, Any]


def _read_grid(table: str) -> _Grid:
    from stackopt.io.safe_yaml import load_yaml

    doc = load_yaml(table)
    if not isinstance(doc, dict) or not doc:
        raise InputError(
            "a scenario grid must be a mapping of parameters to values",
            source=table,
            fix="write e.g. 'grid: {fine: [1, 2, 3]}'",
        )
    doc = dict(doc)
    filters = doc.pop("filters", doc.pop("filter", []))
    if isinstance(filters, str):
        filters = [filters]
    _typed(filters, list, "filters", "a list of comparisons", table, "filters: ['fine >= budget']")
    model = doc.pop("model", None)
    if model is not None:
        _typed(model, str, "model", "a file or model name", table, "'model: ../inspection.yaml'")
        near = Path(table).parent / model
        model = str(near) if near.exists() else model
    opts = doc.pop("options", {}) or {}
    _typed(opts, dict, "options", "a mapping", table, "options: {method: multiple_lps}")
    axes_doc = doc.pop("grid", None)
    if axes_doc is None:
        axes_doc = doc.pop("parameters", None)
    if axes_doc is None:
        axes_doc, doc = doc, {}
    if doc:
        raise InputError(
            f"unknown key {next(iter(doc))!r} next to the grid",
            source=table,
            field=str(next(iter(doc))),
            fix="use grid, filters, model and options",
        )
    if not isinstance(axes_doc, dict) or not axes_doc:
        raise InputError(
            "the grid has no parameters",
            source=table,
            field="grid",
            fix="write e.g. 'grid: {fine: [1, 2, 3]}'",
        )
    axes = {str(k): _axis(str(k), v, table) for k, v in axes_doc.items()}
    return _Grid(axes, filters, model, opts)


def _typed(value: Any, types: type, key: str, what: str, table: str, example: str) -> None:
    """Refuse key ``key`` of a grid file unless its value is a ``types``."""
    if not isinstance(value, types):
        raise InputError(
            f"{key} must be {what}", source=table, field=key, fix=f"write e.g. {example}"
        )


def _finite_bound(value: Any, key: str, table: str) -> int | float:
    """A range's start, stop or step (:func:`~stackopt.batch.spaces.as_number`), an integer
    beyond the float range refused as not finite like an infinite float."""
    x = as_number(value, key, table, integer=False)
    if not math.isfinite(as_float(x)):
        raise InputError(
            f"{shown_value(x)} is not a finite number",
            source=table,
            field=key,
            fix=f"give {key} a finite number",
        )
    return x


def _axis(name: str, spec: Any, table: str) -> list[Any]:
    import numpy as np

    if isinstance(spec, list):
        if not spec:
            raise InputError("no values", source=table, field=name, fix="list some values")
        for v in spec:
            if isinstance(v, (dict, list)) or v is None:
                raise InputError(
                    f"{v!r} is not a number, a name or true/false",
                    source=table,
                    field=name,
                    fix="list plain values",
                )
        return list(spec)
    if isinstance(spec, dict):
        keys = set(spec)
        if "values" in keys and keys == {"values"}:
            return _axis(name, spec["values"], table)
        if keys not in ({"start", "stop", "num"}, {"start", "stop", "step"}):
            raise InputError(
                f"a range needs start, stop and num (or step), got {sorted(keys)}",
                source=table,
                field=name,
                fix="write e.g. {start: 0, stop: 10, num: 11}",
            )
        start, stop = (_finite_bound(spec[k], f"{name}.{k}", table) for k in ("start", "stop"))
        if "num" in keys:
            num = as_number(spec["num"], f"{name}.num", table, integer=True)
            if not 1 <= num <= MAX_SCENARIOS:
                raise InputError(
                    f"num {num} is out of range",
                    source=table,
                    field=f"{name}.num",
                    fix="give num >= 1",
                )
            values: Any = np.linspace(start, stop, int(num))
        else:
            step = _finite_bound(spec["step"], f"{name}.step", table)
            if step <= 0 or (stop - start) / step > MAX_SCENARIOS:
                raise InputError(
                    f"step {step} is not a positive step of a reasonable range",
                    source=table,
                    field=f"{name}.step",
                    fix="give step > 0",
                )
            count = int(math.floor((stop - start) / step + 1e-9)) + 1
            values = start + step * np.arange(max(count, 0))
        out = [float(f"{v:.12g}") for v in values]
        if all(isinstance(x, int) for x in (start, stop)) and all(v.is_integer() for v in out):
            return [int(v) for v in out]
        return out
    if isinstance(spec, (bool, int, float, str)):
        return [spec]
    raise InputError(
        f"cannot read the values {spec!r}",
        source=table,
        field=name,
        fix="give a list of values or {start, stop, num}",
    )


def _expand_grid(grid: _Grid, space: Space, table: str) -> list[dict[str, Any]]:
    from stackopt.batch.filters import parse_filter

    names = list(grid.axes)
    filters = [parse_filter(f, names, source=table) for f in grid.filters]
    total = math.prod(len(v) for v in grid.axes.values())
    if total > MAX_SCENARIOS:
        raise InputError(
            f"the grid has {total:,} points, above {MAX_SCENARIOS:,}",
            source=table,
            fix="use fewer values or split the grid",
        )
    params, _ = _split_columns(names, space, table)
    converted = {
        name: [space.convert(name, v, table) for v in values] if name in params else list(values)
        for name, values in grid.axes.items()
    }
    points = []
    for combo in itertools.product(*converted.values()):
        point = dict(zip(names, combo))
        if all(f.keep(point) for f in filters):
            points.append(point)
    if not points:
        raise InputError(
            "the filters leave no scenario", source=table, field="filters", fix="loosen the filters"
        )
    return points


def _split_columns(names: list[str], space: Space, table: str) -> tuple[list[str], list[str]]:
    """``names`` split into the space's parameters and solve options (``time-limit`` or
    ``time_limit``); any other name is an :class:`InputError`."""
    options = _option_names()
    params: list[str] = []
    opt_cols: list[str] = []
    for name in names:
        if space.has(name):
            params.append(name)
        elif name.replace("-", "_") in options:
            opt_cols.append(name)
        else:
            _unknown(name, space, table)
    return params, opt_cols


def _unknown(name: str, space: Space, where: str) -> Any:
    space._last_unknown = name
    if isinstance(space, Template) and space.leaf(name)[0]:
        space.convert(name, None, where)  # a whole mapping or list: raises with the fix
    raise InputError(
        f"unknown parameter {name!r}",
        source=where,
        field=name,
        fix=f"use {space.hint()}, or a solve option such as method, tie_break, "
        "leader, rtol, time_limit",
    )


def _build(
    space: Space,
    columns: list[str],
    ids: list[str | None],
    rows: list[dict[str, Any]],
    options: dict[str, Any],
    table: str,
) -> ScenarioSet:
    known_options = _option_names()
    params, opt_cols = _split_columns(columns, space, table)
    try:
        base = space.check_options(options)
    except InputError as exc:
        raise exc.with_source(table) from None
    width = max(4, len(str(len(rows))))
    seen: dict[str, int] = {}
    checked: dict[str, dict[str, Any]] = {}
    out = []
    for i, (ident, row) in enumerate(zip(ids, rows)):
        where = f"{table}, line {row[_LINE]}" if _LINE in row else f"{table}, point {i + 1}"
        sid = ident if ident is not None else f"s{i + 1:0{width}d}"
        if sid in seen:
            raise InputError(
                f"scenario id {sid!r} is used twice (rows {seen[sid] + 1} and {i + 1})",
                source=table,
                field=ID_COLUMN,
                fix="give every scenario its own id",
            )
        seen[sid] = i
        values = {c: space.convert(c, row[c], where) for c in params if c in row}
        row_opts = {}
        for c in opt_cols:
            if c in row:
                name = c.replace("-", "_")
                row_opts[name] = _option_value(known_options[name], row[c], c, where)
        memo = json.dumps(row_opts, sort_keys=True, default=str)
        if memo not in checked:  # grids repeat a few option combinations many times
            try:
                checked[memo] = space.check_options({**base, **row_opts})
            except InputError as exc:
                raise InputError(exc.message, source=where, field=exc.field, fix=exc.fix) from None
        opts = dict(checked[memo])
        out.append(
            Scenario(
                id=sid,
                index=i,
                source=space.source,
                params=values,
                options=opts,
                key=_key(space.identity, values, opts),
            )
        )
    return ScenarioSet(
        tuple(out),
        parameters=tuple(params),
        option_columns=tuple(c.replace("-", "_") for c in opt_cols),
        origin=table,
        extra={"model": space.name},
    )


def _option_value(opt: Any, value: Any, column: str, where: str) -> Any:
    if not isinstance(value, str):
        return value
    if opt.type == "float":
        return as_number(value, column, where, integer=False)
    if opt.type == "int":
        return as_number(value, column, where, integer=True)
    if opt.type == "bool":
        return as_bool(value, column, where)
    return value
