"""Loading games and results from files, dispatching on extension and ``kind``.

The kind registry (:mod:`stackopt.kinds.registry`) says which parser reads a ``kind:`` and which
kind reads which other file extension; this module only dispatches.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from stackopt.errors import InputError
from stackopt.io.safe_yaml import read_text
from stackopt.kinds.registry import extensions, kind_for_extension, kinds, load_target
from stackopt.result import Result


def load_game(path: str | Path) -> Any:
    """Read a game from ``.yaml``/``.yml`` (any kind), ``.csv``, ``.npz``, ``.parquet`` or Gambit
    ``.nfg`` (the extensions the kinds register)."""
    p = Path(path)
    ext = p.suffix.lower()
    logging.getLogger("stackopt.io").info("loading %s", p)
    if ext in (".yaml", ".yml"):
        from stackopt.io.arrays import load_yaml_arrays  # numeric arrays straight into NumPy

        return parse_game(load_yaml_arrays(p), source=str(p), base_dir=p.parent)
    spec = kind_for_extension(ext)
    if spec is not None:
        return load_target(spec.readers[ext])(p)
    if not p.exists():
        raise InputError("file not found", source=str(p), fix="check the path")
    raise InputError(
        f"unknown file type {ext or '(none)'!r}",
        source=str(p),
        fix="use " + ", ".join(extensions()),
    )


def parse_game(data: Any, *, source: str = "<data>", base_dir: Path | None = None) -> Any:
    """Build a game from already-parsed YAML/JSON ``data`` (dispatch on ``kind``)."""
    if not isinstance(data, dict):
        raise InputError(
            f"the document must be a mapping, got {type(data).__name__}",
            source=source,
            fix="start with 'kind: normal_form'",
        )
    if "model" in data and "kind" not in data:  # a parameterised model (stackopt.models)
        from stackopt.models import parse_model_document

        return parse_model_document(data, source=source, base_dir=base_dir)
    from stackopt.io.safe_yaml import refuse_control_characters

    refuse_control_characters(data, source)  # no ESC / CR / newline in labels (issue 8)
    kind = data.get("kind")
    known = {name: spec for name, spec in kinds().items() if spec.parse_yaml}
    if kind is None:
        raise InputError(
            "required key is missing",
            source=source,
            field="kind",
            fix="add 'kind: " + "' or '".join(known) + "'",
        )
    spec = known.get(kind) if isinstance(kind, str) else None
    if spec is None or spec.parse_yaml is None:
        raise InputError(
            f"unknown kind {kind!r}",
            source=source,
            field="kind",
            fix="use one of: " + ", ".join(known),
        )
    return load_target(spec.parse_yaml)(data, source=source, base_dir=base_dir)


def load_result(path: str | Path) -> Result:
    """Read a result written by ``stackopt solve --json`` (or a compatible tool)."""
    from stackopt.io.safe_yaml import load_json_text

    p = Path(path)
    data = load_json_text(read_text(p), str(p))  # depth, size and number bounds
    from stackopt.checks.common import reported_values

    try:  # an unreadable value must not silently become "not reported" (issue 8)
        reported_values(data, allow_inf=True)
    except InputError as exc:
        raise exc.with_source(str(p)) from None
    try:
        return Result.from_dict(data)
    except InputError as exc:
        raise exc.with_source(str(p)) from None


def save_game(game: Any, path: str | Path) -> None:
    """Write a normal-form game as YAML (``.yaml``/``.yml``) or long-form CSV (``.csv``)."""
    import yaml

    from stackopt.kinds.normal_form.game import NormalFormGame
    from stackopt.kinds.normal_form.io_csv import write_normal_form_csv
    from stackopt.kinds.normal_form.io_yaml import normal_form_to_dict

    if not isinstance(game, NormalFormGame):
        raise InputError(
            f"cannot write {type(game).__name__} objects", fix="save_game writes normal-form games"
        )
    p = Path(path)
    if p.suffix.lower() in (".yaml", ".yml"):
        p.write_text(
            yaml.safe_dump(normal_form_to_dict(game), sort_keys=False, default_flow_style=None),
            encoding="utf-8",
        )
    elif p.suffix.lower() == ".csv":
        write_normal_form_csv(game, p)
    else:
        raise InputError(f"unknown file type {p.suffix!r}", source=str(p), fix="use .yaml or .csv")
