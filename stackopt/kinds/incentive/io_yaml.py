"""The ``kind: incentive`` YAML format: a normal-form game plus an ``incentives`` block.

.. code-block:: yaml

    kind: incentive
    name: subsidised_safety
    leader:   {name: regulator, actions: [inspect, trust]}
    follower: {name: firm, actions: [safe, unsafe]}
    payoffs:                       # exactly as in kind: normal_form
      leader:   [[2, -4], [3, -6]]
      follower: [[1, 2], [1, 3]]
    incentives:
      max: 1                       # each incentive in [0, max]       (default 1)
      cost_weight: 1               # leader pays cost_weight x payment (default 1)
      budget: 0.8                  # bound on the expected payment     (optional)
      actions: [safe]              # follower actions that may be paid (default all)
      contract: uniform            # uniform | per_action              (default uniform)

The payoff part is read by the normal-form parser
(:func:`stackopt.kinds.normal_form.io_yaml.parse_normal_form`), so CSV payoff files work too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from stackopt.errors import InputError
from stackopt.io.build import build_from
from stackopt.io.specs import StrictSpec
from stackopt.io.validation import parse_model
from stackopt.kinds.incentive.game import IncentiveGame, Incentives
from stackopt.kinds.normal_form.io_yaml import normal_form_to_dict, parse_normal_form

Amount = Field(ge=0, allow_inf_nan=False)


class IncentivesSpec(StrictSpec):
    """``incentives:``; unknown keys refused, numbers finite and >= 0."""

    max: float = Field(1.0, ge=0, allow_inf_nan=False)
    cost_weight: float = Field(1.0, ge=0, allow_inf_nan=False)
    budget: float | None = Field(None, ge=0, allow_inf_nan=False)
    actions: list[str] | None = None
    contract: Literal["uniform", "per_action"] = "uniform"


def parse_incentive(
    data: dict[str, Any], *, source: str, base_dir: Path | None = None
) -> IncentiveGame:
    """Build an :class:`IncentiveGame` from parsed YAML ``data``."""
    if not isinstance(data, dict):  # pragma: no cover - the loader checks this
        raise InputError("the document must be a mapping", source=source)
    if "incentives" not in data:
        raise InputError(
            "required key is missing",
            source=source,
            field="incentives",
            fix="add 'incentives: {max: 1}' (or {} for the defaults)",
        )
    raw = data["incentives"]
    if raw is None:
        raw = {}
    spec = parse_model(IncentivesSpec, raw, source=source, prefix="incentives")
    if spec.actions is not None and len(spec.actions) == 0:
        raise InputError(
            "empty action list",
            source=source,
            field="incentives.actions",
            fix="list the follower actions that may be paid, or omit the key",
        )
    rest = {k: v for k, v in data.items() if k != "incentives"}
    base = parse_normal_form(rest, source=source, base_dir=base_dir)
    inc = build_from(
        source,
        Incentives,
        max=spec.max,
        cost_weight=spec.cost_weight,
        budget=spec.budget,
        actions=None if spec.actions is None else tuple(a.strip() for a in spec.actions),
        contract=spec.contract,
    )
    return build_from(source, IncentiveGame, base, inc)


def incentive_to_dict(game: IncentiveGame) -> dict[str, Any]:
    """The YAML form of ``game`` as plain data (inverse of :func:`parse_incentive`)."""
    out = normal_form_to_dict(game.base)
    out["kind"] = "incentive"
    out["incentives"] = {
        k: (_num(v) if isinstance(v, float) else v) for k, v in game.incentives.to_dict().items()
    }
    return out


def _num(v: float) -> int | float:
    return int(v) if float(v).is_integer() and abs(v) < 2**53 else float(v)
