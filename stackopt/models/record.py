"""A model's parameters recorded in its results, and the game rebuilt from them for ``verify``.

A result solved from a model (``stackopt solve MODEL --set ...``, or
:func:`solve_model`) carries ``options.model = {"name": MODEL, "parameters": {...}}``: every
parameter's value (defaults included), so the same game can be rebuilt later even if a default
or the model file changes. ``stackopt verify MODEL RESULT`` rebuilds the game from these
values when no ``--set`` is given; values are layered as

    defaults  <  the model file's ``parameters:``  <  the result's recorded values  <  --set

and a ``--set`` that contradicts a recorded value is refused (one :class:`InputError`). The
recorded values are input like any other: unknown names, wrong types and out-of-range values
are refused with the same checks as ``--set`` (they can only choose *which* game of the model
is verified; the certificate is then recomputed from that game, and the CLI prints the values
it used).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from stackopt.errors import InputError
from stackopt.models.params import parse_sets, resolve_values, show_value
from stackopt.models.registry import ModelFile, ModelSpec, is_model_name, resolve

#: The options key of a result that records the model and its parameters.
OPTIONS_KEY = "model"

_MAX_MODEL_BYTES = 1 << 20
_MODEL_KEY = re.compile(r"""^\s*["']?model["']?\s*:""", re.MULTILINE)


@dataclass(frozen=True)
class ModelInstance:
    """A built model: its spec, every parameter's value, and the game."""

    spec: ModelSpec
    values: dict[str, Any]
    game: Any
    #: parameters whose value came from a result's record (``verify`` only)
    from_result: tuple[str, ...] = ()

    def record(self) -> dict[str, Any]:
        """``{"name": ..., "parameters": {...}}`` as written into ``options.model``."""
        return {"name": self.spec.name, "parameters": dict(self.values)}

    def stamp(self, result: Any) -> Any:
        """``result`` with ``options.model`` set to :meth:`record` (a new frozen Result)."""
        return replace(result, options={**dict(result.options or {}), OPTIONS_KEY: self.record()})

    def changed(self) -> dict[str, Any]:
        """The values that differ from the model's defaults."""
        return {n: v for n, v in self.values.items() if self.spec.parameter_map[n].default != v}


def model_file(file: str | Path) -> ModelFile | None:
    """The parsed model document if ``file`` is a bundled model name or a model file; ``None``
    for anything else (a game file: left to :func:`stackopt.load_game`)."""
    if is_model_name(str(file)):
        return resolve(str(file))
    p = Path(file)
    if p.suffix.lower() not in (".yaml", ".yml"):
        return None
    try:  # a model document is small; anything else is left to load_game and its limits
        if not p.is_file() or p.stat().st_size > _MAX_MODEL_BYTES:
            return None
        text = p.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if not _MODEL_KEY.search(text):  # cheap test before parsing (game files can be large)
        return None
    from stackopt.io.safe_yaml import load_yaml

    data = load_yaml(p)
    if not isinstance(data, dict) or "model" not in data or "kind" in data:
        return None
    return resolve(p)


def instantiate(
    file: str | Path,
    sets: list[str] | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
) -> ModelInstance | None:
    """Build the model named by ``file`` (defaults < file values < ``overrides`` < ``sets``);
    ``None`` when ``file`` is not a model and no ``sets`` are given."""
    mf = model_file(file)
    if mf is None:
        if not sets and not overrides:
            return None
        mf = resolve(file)  # raises "not a model file" for a game file
    params = mf.spec.parameter_map
    given = parse_sets(sets, mf.spec.name, params)
    values = resolve_values(
        mf.spec.name,
        params,
        [(mf.values, mf.source), (overrides or {}, None), (given, "--set")],
    )
    return ModelInstance(mf.spec, values, mf.spec.build(values, name=mf.name))


def recorded(result: Any, spec: ModelSpec, *, source: str | None = None) -> dict[str, Any]:
    """The checked parameter values a result records for model ``spec`` (``{}`` if none)."""
    opts = result.get("options") if isinstance(result, Mapping) else result.options
    block = (opts or {}).get(OPTIONS_KEY) if isinstance(opts, Mapping) else None
    if block is None:
        return {}
    field = f"options.{OPTIONS_KEY}"
    if not isinstance(block, Mapping) or not isinstance(block.get("name"), str):
        raise InputError(
            "must be {name: MODEL, parameters: {...}}",
            source=source,
            field=field,
            fix="keep the block stackopt wrote, or delete it",
        )
    if block["name"] != spec.name:
        raise InputError(
            f"the result was solved on model {block['name']!r}, not {spec.name!r}",
            source=source,
            field=f"{field}.name",
            fix=f"verify it against model {block['name']!r}",
        )
    params = block.get("parameters") or {}
    if not isinstance(params, Mapping):
        raise InputError(
            f"must be a mapping, got {type(params).__name__}",
            source=source,
            field=f"{field}.parameters",
            fix="keep the block stackopt wrote, or delete it",
        )
    try:
        checked = resolve_values(spec.name, spec.parameter_map, [(params, source)])
    except InputError as exc:
        raise exc.with_prefix(field) from None
    return {k: checked[k] for k in params}


def rebuild(
    file: str | Path,
    result: Any,
    sets: list[str] | None = None,
    *,
    result_source: str | None = None,
) -> ModelInstance | None:
    """The game ``result`` was solved on, for ``verify``: the model named by ``file`` with the
    result's recorded parameters and ``sets`` on top (see the module doc). ``None`` when
    ``file`` is not a model and no ``sets`` are given. A ``--set`` that contradicts a recorded
    value is one :class:`InputError`."""
    mf = model_file(file)
    if mf is None:
        if not sets:
            return None
        mf = resolve(file)
    spec = mf.spec
    params = spec.parameter_map
    given = parse_sets(sets, spec.name, params)
    stored = recorded(result, spec, source=result_source)
    for name, value in given.items():
        if name in stored and stored[name] != value:
            raise InputError(
                f"--set {name}={show_value(value)} contradicts {name}={show_value(stored[name])} "
                "recorded in the result",
                source=result_source,
                field=f"options.{OPTIONS_KEY}.parameters.{name}",
                fix=f"drop --set {name} to verify the game the result was solved on, or "
                "re-solve with the new value",
            )
    values = resolve_values(
        spec.name, params, [(mf.values, mf.source), (stored, result_source), (given, "--set")]
    )
    game = spec.build(values, name=mf.name)
    return ModelInstance(spec, values, game, tuple(n for n in stored if n not in given))


def solve_model(
    name_or_path: str | Path, parameters: Mapping[str, Any] | None = None, **options: Any
) -> Any:
    """Solve a model (defaults < file values < ``parameters``) with solve ``options``; the
    result records every parameter value in ``options.model``.

    >>> r = solve_model("ai_race", {"s": 2.0})        # doctest: +SKIP
    >>> r.options["model"]["parameters"]["s"]          # doctest: +SKIP
    2.0
    """
    from stackopt.api import solve

    inst = instantiate(name_or_path, overrides=parameters or {})
    if inst is None:
        resolve(name_or_path)  # one InputError: unknown model, or not a model file
        raise InputError(f"{name_or_path!s} is not a model", fix="name a model or model file")
    return inst.stamp(solve(inst.game, **options))
