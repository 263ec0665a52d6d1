"""Model parameters: a declaration (:class:`ParameterSpec`) and its one validation.

A model's parameters are declared once, each with a type (``float``, ``int``, ``str`` or
``bool``), a default, optional bounds or choices, a doc line and units. Values come from a model
file's ``parameters:`` mapping, from keyword arguments of :func:`stackopt.models.load_model`
or from ``--set NAME=VALUE`` on the command line; all three go through
:meth:`ParameterSpec.check` (typed values) or :meth:`ParameterSpec.parse` (text from the
command line, converted by type — never evaluated as code).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stackopt.checks.inputs import as_float
from stackopt.errors import InputError, shown_value
from stackopt.kinds.registry import show_value  # a value as written after ``--set name=``

PARAMETER_TYPES = ("float", "int", "str", "bool")
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


@dataclass(frozen=True)
class ParameterSpec:
    """One named parameter of a model.

    ``lower``/``upper`` bound numbers (inclusive); ``choices`` lists the allowed strings.
    ``units`` says what a number measures (e.g. ``"budget units"``; ``""`` when dimensionless).
    """

    name: str
    type: str
    default: Any
    doc: str = ""
    lower: float | None = None
    upper: float | None = None
    choices: tuple[str, ...] | None = None
    units: str = ""

    def __post_init__(self) -> None:
        if self.type not in PARAMETER_TYPES:  # pragma: no cover - a declaration error
            raise ValueError(f"parameter {self.name}: unknown type {self.type!r}")

    def describe(self) -> str:
        """One line: name, type and range, default, units, doc."""
        what = self.type
        if self.choices:
            what = "|".join(self.choices)
        elif self.lower is not None or self.upper is not None:
            lo = "-inf" if self.lower is None else f"{self.lower:g}"
            hi = "inf" if self.upper is None else f"{self.upper:g}"
            what += f" in [{lo}, {hi}]"
        units = f" [{self.units}]" if self.units else ""
        return f"{self.name} ({what}, default {show_value(self.default)}){units}: {self.doc}"

    def check(self, value: Any, *, model: str, source: str | None = None) -> Any:
        """``value`` converted to the declared type, or one :class:`InputError`."""
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            raise self._bad(value, "true or false", model, source)
        if self.type == "str":
            if not isinstance(value, str):
                raise self._bad(
                    value,
                    "one of " + ", ".join(self.choices or ()) if self.choices else "a string",
                    model,
                    source,
                )
            if self.choices is not None and value not in self.choices:
                raise self._bad(value, "one of " + ", ".join(self.choices), model, source)
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._bad(
                value, "a number" if self.type == "float" else "a whole number", model, source
            )
        if self.type == "int":
            if isinstance(value, float) and not value.is_integer():
                raise self._bad(value, "a whole number", model, source)
            value = int(value)
        else:
            number = as_float(value)  # an integer beyond the float range is infinite
            if not math.isfinite(number):
                raise self._bad(value, "a finite number", model, source)
            value = number
        if (self.lower is not None and value < self.lower) or (
            self.upper is not None and value > self.upper
        ):
            lo = "-inf" if self.lower is None else f"{self.lower:g}"
            hi = "inf" if self.upper is None else f"{self.upper:g}"
            raise self._bad(value, f"a number in [{lo}, {hi}]", model, source)
        return value

    def parse(self, text: str, *, model: str, source: str | None = None) -> Any:
        """Convert command-line ``text`` by the declared type, then :meth:`check` it."""
        t = text.strip()
        value: Any = t
        if self.type == "bool":
            if t.lower() in _TRUE:
                value = True
            elif t.lower() in _FALSE:
                value = False
        elif self.type in ("float", "int"):
            try:
                value = int(t) if self.type == "int" else float(t)
            except ValueError:
                try:
                    value = float(t)  # "3.0" for an int: accepted by check, "3.5" refused
                except ValueError:
                    value = t
        return self.check(value, model=model, source=source)

    def _bad(self, value: Any, want: str, model: str, source: str | None) -> InputError:
        return InputError(
            f"parameter {self.name!r} of model {model!r} must be {want}, got {shown_value(value)}",
            source=source,
            field=f"parameters.{self.name}",
            fix=f"give e.g. --set {self.name}={show_value(self.default)}",
        )


def subsidy_parameters(
    max_default: float, max_doc: str, max_upper: float, max_units: str
) -> tuple[ParameterSpec, ParameterSpec]:
    """``subsidy_max`` and ``cost_weight``: the incentive bound and the leader's cost per unit
    paid (paper section 4.1, eq. 12-13) of a model's subsidy version."""
    return (
        ParameterSpec(
            "subsidy_max", "float", max_default, max_doc, 0.0, max_upper, units=max_units
        ),
        ParameterSpec(
            "cost_weight",
            "float",
            1.0,
            "the regulator's cost per unit of subsidy paid",
            0.0,
            1e3,
            units="value units per value unit paid",
        ),
    )


def subsidy_game(
    base: Any, v: Mapping[str, Any], actions: tuple[str, ...], contract: str = "uniform"
) -> Any:
    """The incentive game on ``base`` that :func:`subsidy_parameters` declares: the leader may
    pay the follower at most ``subsidy_max`` for each of ``actions``, at ``cost_weight`` per
    unit paid (paper section 4.1, eq. 12-13)."""
    from stackopt.kinds.incentive.game import IncentiveGame, Incentives

    incentives = Incentives(
        max=v["subsidy_max"], cost_weight=v["cost_weight"], actions=actions, contract=contract
    )
    return IncentiveGame(base, incentives)


def resolve_values(
    model: str,
    specs: Mapping[str, ParameterSpec],
    layers: list[tuple[Mapping[str, Any], str | None]],
) -> dict[str, Any]:
    """Defaults overridden by each ``(values, source)`` layer in turn, every value checked.

    An unknown name is one :class:`InputError` naming it, the closest known name and the source.
    """
    out = {name: spec.default for name, spec in specs.items()}
    for values, source in layers:
        for name, value in values.items():
            spec = specs.get(name) if isinstance(name, str) else None
            if spec is None:
                raise unknown_parameter(model, name, specs, source)
            out[name] = spec.check(value, model=model, source=source)
    return out


def unknown_parameter(
    model: str, name: Any, specs: Mapping[str, ParameterSpec], source: str | None
) -> InputError:
    close = difflib.get_close_matches(str(name), list(specs), n=1)
    fix = (
        f"did you mean {close[0]!r}? " if close else ""
    ) + f"docs/models.md lists the parameters of {model}"
    return InputError(
        f"unknown parameter {name!r} of model {model!r}",
        source=source,
        field=f"parameters.{name}",
        fix=fix,
    )


def parse_sets(
    sets: list[str] | None,
    model: str,
    specs: Mapping[str, ParameterSpec],
) -> dict[str, Any]:
    """``["fine_cap=3", ...]`` (``--set``, repeatable) -> checked values by name."""
    out: dict[str, Any] = {}
    for item in sets or []:
        name, eq, text = item.partition("=")
        name = name.strip()
        if not eq or not name:
            raise InputError(
                f"--set {item!r} is not NAME=VALUE",
                field="--set",
                fix="write e.g. --set fine_cap=3",
            )
        spec = specs.get(name)
        if spec is None:
            raise unknown_parameter(model, name, specs, "--set")
        out[name] = spec.parse(text, model=model, source="--set")
    return out
