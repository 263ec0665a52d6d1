"""Loading games and results from files, dispatching on extension and ``kind``.

New kinds register their YAML parser in ``YAML_KINDS`` as ``"module:function"``; the function
receives ``(data, source=..., base_dir=...)`` and returns a validated game object.
"""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..result import Result
from .safe_yaml import load_yaml, read_text

YAML_KINDS: dict[str, str] = {
    "normal_form": "stackopt.io.normal_form_yaml:parse_normal_form",
    "bilevel": "stackopt.io.bilevel_yaml:parse_bilevel",
    "bayesian": "stackopt.io.bayesian_yaml:parse_bayesian",
    "security": "stackopt.io.security_yaml:parse_security",
    "interdiction": "stackopt.io.interdiction_yaml:parse_interdiction",
}


def load_game(path: str | Path) -> Any:
    """Read a game from ``.yaml``/``.yml`` (any kind), ``.csv`` or Gambit ``.nfg``."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext in (".yaml", ".yml"):
        return parse_game(load_yaml(p), source=str(p), base_dir=p.parent)
    if ext == ".csv":
        from .normal_form_csv import read_normal_form_csv

        return read_normal_form_csv(p)
    if ext == ".nfg":
        from .gambit_nfg import read_nfg

        return read_nfg(p)
    if not p.exists():
        raise InputError("file not found", source=str(p), fix="check the path")
    raise InputError(f"unknown file type {ext or '(none)'!r}", source=str(p),
                     fix="use .yaml, .yml, .csv or .nfg")


def parse_game(data: Any, *, source: str = "<data>", base_dir: Path | None = None) -> Any:
    """Build a game from already-parsed YAML/JSON ``data`` (dispatch on ``kind``)."""
    if not isinstance(data, dict):
        raise InputError(f"the document must be a mapping, got {type(data).__name__}",
                         source=source, fix="start with 'kind: normal_form'")
    kind = data.get("kind")
    if kind is None:
        raise InputError("required key is missing", source=source, field="kind",
                         fix="add 'kind: " + "' or '".join(YAML_KINDS) + "'")
    target = YAML_KINDS.get(kind) if isinstance(kind, str) else None
    if target is None:
        raise InputError(f"unknown kind {kind!r}", source=source, field="kind",
                         fix="use one of: " + ", ".join(YAML_KINDS))
    mod_name, fn = target.split(":")
    try:
        mod = import_module(mod_name)
    except ModuleNotFoundError:
        raise InputError(f"kind {kind!r} is not available in this version", source=source,
                         field="kind", fix="use one of the implemented kinds") from None
    return getattr(mod, fn)(data, source=source, base_dir=base_dir)


def load_result(path: str | Path) -> Result:
    """Read a result written by ``stackopt solve --json`` (or a compatible tool)."""
    p = Path(path)
    try:
        data = json.loads(read_text(p))
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                         source=str(p), fix="give the JSON written by 'stackopt solve --json'"
                         ) from None
    try:
        return Result.from_dict(data)
    except InputError as exc:
        raise exc.with_source(str(p)) from None


def save_game(game: Any, path: str | Path) -> None:
    """Write a normal-form game as YAML (``.yaml``/``.yml``) or long-form CSV (``.csv``)."""
    import yaml

    from ..games.normal_form import NormalFormGame
    from .normal_form_csv import write_normal_form_csv
    from .normal_form_yaml import normal_form_to_dict

    if not isinstance(game, NormalFormGame):
        raise InputError(f"cannot write {type(game).__name__} objects",
                         fix="save_game writes normal-form games")
    p = Path(path)
    if p.suffix.lower() in (".yaml", ".yml"):
        p.write_text(yaml.safe_dump(normal_form_to_dict(game), sort_keys=False,
                                    default_flow_style=None), encoding="utf-8")
    elif p.suffix.lower() == ".csv":
        write_normal_form_csv(game, p)
    else:
        raise InputError(f"unknown file type {p.suffix!r}", source=str(p),
                         fix="use .yaml or .csv")
