"""Parameterised models: named templates whose generators build games of existing kinds.

::

    from stackopt.models import load_model, model_parameters, list_models, solve_model
    game = load_model("ai_regulation", fine_cap=3)              # a bundled model by name
    game = load_model("models/ai_regulation.yaml", domain="civil")   # a model file
    model_parameters("ai_regulation")["fine_cap"].default          # 5.0
    result = solve_model("ai_race", {"s": 2.0})   # result.options["model"] records every value

See :mod:`stackopt.models.registry` (the mechanism), :mod:`stackopt.models.params`
(parameter declarations and validation), :mod:`stackopt.models.record` (parameters
recorded in results; the game rebuilt for ``verify``) and ``docs/models.md`` (every model,
its equations and parameters).
"""

from stackopt.models.params import ParameterSpec, parse_sets
from stackopt.models.record import ModelInstance, instantiate, rebuild, solve_model
from stackopt.models.registry import (
    BUILTIN_MODELS,
    ModelSpec,
    get_model,
    is_model_name,
    list_models,
    load_model,
    load_with_sets,
    model_parameters,
    parse_model_document,
    register_model,
)

__all__ = [
    "BUILTIN_MODELS",
    "ModelInstance",
    "ModelSpec",
    "ParameterSpec",
    "get_model",
    "instantiate",
    "is_model_name",
    "list_models",
    "load_model",
    "load_with_sets",
    "model_parameters",
    "parse_model_document",
    "parse_sets",
    "rebuild",
    "register_model",
    "solve_model",
]
