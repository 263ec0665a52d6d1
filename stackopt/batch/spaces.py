"""What a scenario table may set: the leaves of a game template, or a model's parameters.

A **template** is any game YAML: a parameter is a dotted path into its document —
``payoffs.leader.0.1`` (row 0, column 1 of the leader's payoffs), ``incentives.max`` (a key of a
mapping) — naming a scalar already in the file, whose type (number, name, boolean) the values
must have. :func:`apply_overrides` writes a scenario's values into a copy of the document before
it is read as a game (:func:`stackopt.io.load.parse_game`).

A **model** is a parameterised model of :mod:`stackopt.models` (a name or a model file); its
parameters are checked by their declarations (type, bounds, choices).
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from stackopt.errors import InputError


class Space:
    """What a table may set: the leaves of a template document, or a model's parameters."""

    source: dict[str, Any]
    identity: dict[str, Any]
    kinds: tuple[Any, ...]  # the KindSpecs of the games it may make
    name: str
    _last_unknown: str | None = None  # the last unknown parameter asked about (for hints)

    def check_options(self, options: Mapping[str, Any]) -> dict[str, Any]:
        """Options checked against the kind of the games (exactly, when there is one kind;
        otherwise each must suit one of the kinds, and the worker checks the game's own)."""
        from stackopt.kinds.registry import check_options

        if len(self.kinds) == 1:
            return check_options(self.kinds[0], options)
        errors = []
        for spec in self.kinds:
            try:
                check_options(spec, {k: v for k, v in options.items() if k == "method"})
            except InputError as exc:
                errors.append(exc)
        if options.get("method") is not None and len(errors) == len(self.kinds):
            raise errors[0]
        out = {}
        for key, value in options.items():
            found = [o for spec in self.kinds for o in spec.all_options() if o.name == key]
            if not found:
                raise InputError(
                    f"option --{key.replace('_', '-')} does not apply to the "
                    f"games of {self.name} (" + ", ".join(k.name for k in self.kinds) + ")",
                    field=key,
                    fix="drop it; 'stackopt methods KIND' lists the options",
                )
            out[key] = (
                value
                if key == "method"
                else found[0].check(value, self.kinds[0].name if len(found) else "")
            )
        return out

    def has(self, param: str) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def convert(self, param: str, value: Any, where: str) -> Any:  # pragma: no cover
        raise NotImplementedError

    def hint(self) -> str:  # pragma: no cover
        raise NotImplementedError


class Template(Space):
    """A game YAML whose scalar leaves, addressed by dotted paths, are parameters."""

    def __init__(self, path: str) -> None:
        from stackopt.io.load import parse_game
        from stackopt.io.safe_yaml import load_yaml
        from stackopt.kinds.registry import spec_of

        self.name = path
        self.doc = load_yaml(path)
        game = parse_game(copy.deepcopy(self.doc), source=path, base_dir=Path(path).parent)
        self.kinds = (spec_of(game),)
        self.source = {"template": self.doc, "path": path, "base_dir": str(Path(path).parent)}
        self.identity = {
            "template": hashlib.sha256(
                json.dumps(self.doc, sort_keys=True, default=str).encode()
            ).hexdigest()
        }

    def leaf(self, param: str) -> tuple[bool, Any]:
        node: Any = self.doc
        for part in param.split("."):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return False, None
        return True, node

    def has(self, param: str) -> bool:
        found, node = self.leaf(param)
        return found and not isinstance(node, (dict, list))

    def convert(self, param: str, value: Any, where: str) -> Any:
        found, node = self.leaf(param)
        if found and isinstance(node, (dict, list)):
            raise InputError(
                f"parameter {param!r} is a whole "
                f"{'mapping' if isinstance(node, dict) else 'list'} of the "
                "template",
                source=where,
                field=param,
                fix=f"give the path of one number or name inside it, e.g. {param}.0",
            )
        if isinstance(node, bool):
            return as_bool(value, param, where)
        if isinstance(node, (int, float)):
            return as_number(value, param, where, integer=False)
        if isinstance(node, str):
            return value if isinstance(value, str) else _wrong(param, value, where, "a name")
        return _guess(value) if isinstance(value, str) else value  # null in the template

    def hint(self) -> str:
        return f"a dotted path to a number or name of the template, e.g. {_example_path(self.doc)}"


class Model(Space):
    """A parameterised model of :mod:`stackopt.models` (``load_model``/``model_parameters``)."""

    def __init__(self, name: str) -> None:
        try:
            from stackopt.models import load_model, model_parameters
        except ImportError:
            raise InputError(
                f"{name!r} is neither a game file nor a model (stackopt.models is not available)",
                field="--model",
                fix="give a game YAML file as the template",
            ) from None
        from stackopt.kinds.registry import get_kind
        from stackopt.models.registry import resolve

        self.name = name
        self.params = dict(model_parameters(name))
        kinds = tuple(resolve(name).spec.kinds)
        self.kinds = (
            tuple(get_kind(k) for k in kinds) if kinds else (spec_of_game(load_model(name)),)
        )
        self.source = {"model": name}
        digest = (
            hashlib.sha256(Path(name).read_bytes()).hexdigest() if Path(name).is_file() else None
        )
        self.identity = {"model": name, "file": digest, "params": sorted(self.params)}

    def has(self, param: str) -> bool:
        return param in self.params

    def convert(self, param: str, value: Any, where: str) -> Any:
        spec = self.params[param]  # a stackopt.models.ParameterSpec: type, bounds, choices
        if isinstance(value, str) and spec.type != "str":
            return spec.parse(value, model=self.name, source=where)
        return spec.check(value, model=self.name, source=where)

    def hint(self) -> str:
        close = (
            difflib.get_close_matches(self._last_unknown, list(self.params), n=1)
            if self._last_unknown
            else []
        )
        return (
            f"{close[0]!r} or another " if close else "a "
        ) + f"parameter of model {self.name} (docs/models.md lists them)"


def spec_of_game(game: Any) -> Any:
    from stackopt.kinds.registry import spec_of

    return spec_of(game)


def open_space(model: str) -> Space:
    """A game file is a template; anything else is looked up in :mod:`stackopt.models`."""
    p = Path(model)
    if p.is_file() and p.suffix.lower() in (".yaml", ".yml"):
        from stackopt.io.safe_yaml import load_yaml

        doc = load_yaml(p)
        if isinstance(doc, dict) and "kind" in doc:
            return Template(model)
    return Model(model)


# -- values -----------------------------------------------------------------------------------
def _wrong(param: str, value: Any, where: str, want: str) -> Any:
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    raise InputError(
        f"{shown} is not {want}", source=where, field=param, fix=f"give {param} {want}"
    )


def as_bool(value: Any, param: str, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return _wrong(param, value, where, "true or false")


def as_number(value: Any, param: str, where: str, *, integer: bool) -> int | float:
    if isinstance(value, str):
        text = value.strip()
        try:
            value = int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                return _wrong(param, value, where, "a whole number" if integer else "a number")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _wrong(param, value, where, "a whole number" if integer else "a number")
    if isinstance(value, float) and not math.isfinite(value):
        return _wrong(param, value, where, "a finite number")
    if integer:
        if isinstance(value, float) and not value.is_integer():
            return _wrong(param, value, where, "a whole number")
        return int(value)
    return value


def _guess(text: str) -> Any:
    for conv in (int, float):
        try:
            v = conv(text)
            return v if not isinstance(v, float) or math.isfinite(v) else text
        except ValueError:
            pass
    low = text.strip().lower()
    return {"true": True, "false": False}.get(low, text)


def _example_path(doc: Any, prefix: str = "") -> str:
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k in ("kind", "name", "description"):
                continue
            path = _example_path(v, f"{prefix}{k}.")
            if path:
                return path
        return ""
    if isinstance(doc, list):
        return _example_path(doc[0], f"{prefix}0.") if doc else ""
    return prefix[:-1] if isinstance(doc, (int, float)) and not isinstance(doc, bool) else ""


def apply_overrides(document: Any, params: Mapping[str, Any]) -> Any:
    """A copy of ``document`` with each dotted path in ``params`` set to its value."""
    doc = copy.deepcopy(document)
    for path, value in params.items():
        node = doc
        parts = path.split(".")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        last = parts[-1]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return doc
