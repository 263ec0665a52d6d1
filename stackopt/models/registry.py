"""The model registry: named, parameterised generators of games (like the kind registry).

A *model* is a documented template: a :class:`ModelSpec` declaring its parameters
(:class:`~stackopt.models.params.ParameterSpec`) and naming its generator, a function
``generator(values, *, name) -> game`` that takes validated parameter values and returns a game
of an existing kind (``BilevelProblem``, ``NormalFormGame``, ...). A model *file* is a YAML
document that names the model and overrides some defaults::

    model: ai_regulation
    name: ai_regulation_civil            # optional: the game's name
    description: civil domain            # optional
    parameters: {domain: civil, fine_cap: 3}

Model specs are named here once (:data:`BUILTIN_MODELS`, ``"module:ATTRIBUTE"`` strings imported
on first use, so reading the registry imports no Pyomo). Nothing in a model file is evaluated as
code: values are checked against the declared types, bounds and choices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from stackopt.errors import InputError
from stackopt.io.specs import StrictSpec
from stackopt.kinds.registry import register_once
from stackopt.models.params import ParameterSpec, parse_sets, resolve_values


@dataclass(frozen=True)
class ModelSpec:
    """A named model: its parameters, its generator and its documentation.

    ``generator`` is ``"module:function"`` with ``(values: dict, *, name: str) -> game``.
    ``kinds`` lists the game kinds it may return (depending on its parameters); ``source`` cites
    where the model comes from; ``docs`` names its docs page section.
    """

    name: str
    summary: str
    parameters: tuple[ParameterSpec, ...]
    generator: str
    kinds: tuple[str, ...] = ()
    source: str = ""
    docs: str = "models"
    #: ``stackopt compare`` on the model: each order of play, as parameter overrides and
    #: solve options (e.g. ``{"regulator leads": ({"leadership": "regulator"}, {})}``).
    orders: Mapping[str, tuple[Mapping[str, Any], Mapping[str, Any]]] | None = None
    #: ``"module:function"`` with ``(result) -> {label: value}``: both players' values in
    #: the model's own terms (e.g. the firm's J and the regulator's loss L), for compare.
    outcome: str | None = None
    #: The order whose game is finite (a normal-form game): compare also reports the
    #: simultaneous game's extreme Nash equilibria and the other player committing on it.
    finite_order: str | None = None

    @property
    def parameter_map(self) -> dict[str, ParameterSpec]:
        return {p.name: p for p in self.parameters}

    def build(self, values: Mapping[str, Any], *, name: str | None = None) -> Any:
        """Call the generator with already-validated ``values``."""
        mod, _, attr = self.generator.partition(":")
        fn: Callable[..., Any] = getattr(import_module(mod), attr)
        return fn(dict(values), name=name or self.name)


#: Built-in models by name: ``"module:ATTRIBUTE"`` of their :class:`ModelSpec`.
BUILTIN_MODELS: dict[str, str] = {
    "ai_regulation": "stackopt.models.regulation:MODEL",
    "governance_menu": "stackopt.models.governance_menu:MODEL",
    "governance_menu_subsidy": "stackopt.models.governance_menu:SUBSIDY_MODEL",
    "ai_race": "stackopt.models.ai_race:MODEL",
    "ai_race_subsidy": "stackopt.models.ai_race:SUBSIDY_MODEL",
    "ai_assets_security": "stackopt.models.ai_assets:MODEL",
}

_MODELS: dict[str, ModelSpec] = {}


def register_model(spec: ModelSpec) -> ModelSpec:
    """Add a model (third-party models; built-in ones are listed in :data:`BUILTIN_MODELS`)."""
    return register_once(_MODELS, spec, ModelSpec, "model")


def _builtin(name: str) -> ModelSpec | None:
    if name in _MODELS:
        return _MODELS[name]
    target = BUILTIN_MODELS.get(name)
    if target is None:
        return None
    mod, _, attr = target.partition(":")
    return register_model(getattr(import_module(mod), attr))


def list_models() -> dict[str, ModelSpec]:
    """Every registered model, by name (built-in models first)."""
    for n in BUILTIN_MODELS:
        _builtin(n)
    return dict(_MODELS)


def get_model(name: str, *, source: str | None = None) -> ModelSpec:
    """The spec of model ``name``; one :class:`InputError` listing the known models otherwise."""
    spec = _builtin(name) if isinstance(name, str) else None
    if spec is None:
        raise InputError(
            f"unknown model {name!r}",
            source=source,
            field="model",
            fix="use one of: " + ", ".join(list_models()),
        )
    return spec


class ModelDocument(StrictSpec):
    """A ``model:`` YAML document (see the module doc)."""

    model: str
    name: str | None = None
    description: str | None = None
    parameters: dict[str, Any] | None = None


@dataclass(frozen=True)
class ModelFile:
    """A parsed model document: the model, the file's parameter values and the game name."""

    spec: ModelSpec
    values: dict[str, Any]
    name: str | None
    source: str


def read_document(data: Any, *, source: str = "<data>") -> ModelFile:
    """Validate a parsed ``model:`` document (the parameter values are checked too)."""
    from stackopt.io.validation import parse_model

    doc = parse_model(ModelDocument, data, source=source)
    spec = get_model(doc.model, source=source)
    values = resolve_values(spec.name, spec.parameter_map, [(doc.parameters or {}, source)])
    given = {k: values[k] for k in (doc.parameters or {})}
    return ModelFile(spec, given, doc.name, source)


def parse_model_document(
    data: Any,
    *,
    source: str = "<data>",
    base_dir: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Any:
    """Build the game of a parsed ``model:`` document (used by :func:`stackopt.load_game`)."""
    mf = read_document(data, source=source)
    values = resolve_values(
        mf.spec.name, mf.spec.parameter_map, [(mf.values, source), (overrides or {}, None)]
    )
    return mf.spec.build(values, name=mf.name)


def _is_path(name_or_path: str | Path) -> bool:
    if isinstance(name_or_path, Path):
        return True
    s = str(name_or_path)
    return s.endswith((".yaml", ".yml")) or "/" in s or "\\" in s


def resolve(name_or_path: str | Path) -> ModelFile:
    """A bundled model name or a model file's path -> :class:`ModelFile`."""
    from stackopt.io.safe_yaml import load_yaml

    if not isinstance(name_or_path, (str, Path)):
        raise InputError(
            f"expected a model name or a path, got {type(name_or_path).__name__}",
            fix="pass e.g. 'ai_regulation' or 'models/ai_regulation.yaml'",
        )
    if _is_path(name_or_path):
        p = Path(name_or_path)
        data = load_yaml(p)
        if isinstance(data, dict) and "model" not in data:
            raise InputError(
                "not a model file (no 'model:' key)",
                source=str(p),
                field="model",
                fix="give a model file or a model name; game files take no parameters",
            )
        return read_document(data, source=str(p))
    spec = get_model(str(name_or_path))
    return ModelFile(spec, {}, None, spec.name)


def model_parameters(name_or_path: str | Path) -> dict[str, ParameterSpec]:
    """The parameters of a model (a bundled name or a model file), by name.

    For a model file, each default is the file's value where it sets one.
    """
    from dataclasses import replace

    mf = resolve(name_or_path)
    return {
        n: (replace(p, default=mf.values[n]) if n in mf.values else p)
        for n, p in mf.spec.parameter_map.items()
    }


def load_model(name_or_path: str | Path, **overrides: Any) -> Any:
    """Build the game of a model: defaults, then the file's values, then ``overrides``.

    >>> game = load_model("ai_regulation", fine_cap=3)          # doctest: +SKIP
    """
    mf = resolve(name_or_path)
    values = resolve_values(
        mf.spec.name, mf.spec.parameter_map, [(mf.values, mf.source), (overrides, None)]
    )
    return mf.spec.build(values, name=mf.name)


def load_with_sets(name_or_path: str | Path, sets: list[str] | None) -> Any:
    """``load_model`` with ``--set NAME=VALUE`` strings (the CLI's entry)."""
    mf = resolve(name_or_path)
    overrides = parse_sets(sets, mf.spec.name, mf.spec.parameter_map)
    values = resolve_values(
        mf.spec.name, mf.spec.parameter_map, [(mf.values, mf.source), (overrides, "--set")]
    )
    return mf.spec.build(values, name=mf.name)


def is_model_name(text: str) -> bool:
    """Whether ``text`` names a registered model (and is not a path)."""
    return not _is_path(text) and _builtin(text) is not None
