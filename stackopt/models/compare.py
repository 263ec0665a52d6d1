"""``stackopt compare`` on a model: the model solved in each order of play, side by side.

A model that declares :attr:`~stackopt.models.registry.ModelSpec.orders` (e.g. the
six-dimension regulation model: regulator leads -> a bilevel problem, firm leads -> a pure
commitment in a normal-form game) is built once per order with the same parameters, solved,
and each player's value is reported in the model's own terms
(:attr:`~stackopt.models.registry.ModelSpec.outcome`). The orders are different games (a
continuous follower against a finite one), so no theorem relates their values; the table says
which order each player prefers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stackopt.errors import InputError
from stackopt.models.params import parse_sets, resolve_values
from stackopt.models.registry import resolve


@dataclass(frozen=True)
class OrderOutcome:
    """One order of play: the solve's status, certification and both players' values."""

    order: str
    kind: str
    method: str
    status: str
    certified: bool
    values: dict[str, float | None]
    leader_commitment: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelComparison:
    model: str
    orders: tuple[OrderOutcome, ...]

    @property
    def passed(self) -> bool:
        return all(o.certified for o in self.orders)

    def preferred(self) -> dict[str, str]:
        """For each value label, the order that is best for that player (J up, L down)."""
        out: dict[str, str] = {}
        labels = {k for o in self.orders for k in o.values}
        for label in sorted(labels):
            have = [
                (o.values[label], o.order) for o in self.orders if o.values.get(label) is not None
            ]
            if not have:
                continue
            lower_is_better = label.endswith(" L") or "loss" in label
            best = min(have) if lower_is_better else max(have)
            out[label] = best[1]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "passed": self.passed,
            "orders": [o.__dict__ for o in self.orders],
            "preferred_order": self.preferred(),
        }


def compare_model(
    name_or_path: str | Path,
    sets: list[str] | None = None,
    *,
    overrides: dict[str, Any] | None = None,
    rtol: float | None = None,
    time_limit: float | None = None,
) -> ModelComparison:
    """Solve the model in each of its declared orders (same parameters otherwise)."""
    from stackopt.api import solve
    from stackopt.kinds.registry import load_target

    mf = resolve(name_or_path)
    spec = mf.spec
    if not spec.orders or not spec.outcome:
        raise InputError(
            f"model {spec.name!r} declares no orders of play to compare",
            fix="solve it with 'stackopt solve'",
        )
    params = spec.parameter_map
    given = parse_sets(sets, spec.name, params)
    outcome = load_target(spec.outcome)
    rows = []
    for order, (order_params, solve_opts) in spec.orders.items():
        values = resolve_values(
            spec.name,
            params,
            [
                (mf.values, mf.source),
                (given, "--set"),
                (overrides or {}, None),
                (order_params, None),
            ],
        )
        game = spec.build(values, name=f"{mf.name or spec.name} ({order})")
        opts = dict(solve_opts)
        if rtol is not None:
            opts["rtol"] = rtol
        if time_limit is not None:
            opts["time_limit"] = time_limit
        r = solve(game, **opts)
        rows.append(
            OrderOutcome(
                order,
                r.kind,
                r.method,
                r.status.value,
                bool(r.certified),
                outcome(r),
                dict(r.leader.commitment or {}),
            )
        )
        if order == spec.finite_order and r.kind == "normal_form":
            rows.extend(_finite_rows(game, outcome, rtol, time_limit))
    return ModelComparison(spec.name, tuple(rows))


def _finite_rows(
    game: Any, outcome: Any, rtol: float | None, time_limit: float | None
) -> list[OrderOutcome]:
    """On the finite game: the other player committing (mixed) on the same menus, and the
    simultaneous game's extreme Nash equilibria (stackopt.kinds.normal_form.compare)."""
    from types import SimpleNamespace

    from stackopt.kinds.normal_form.compare import compare_leadership

    opts: dict[str, Any] = {}
    if rtol is not None:
        opts["rtol"] = rtol
    if time_limit is not None:
        opts["time_limit"] = time_limit
    c = compare_leadership(game, **opts)
    out = []
    for scenario, label in (
        ("player2_leads", f"{c.player2} leads (same menus)"),
        ("nash_best_player1", f"simultaneous: best NE for {c.player1}"),
        ("nash_worst_player1", f"simultaneous: worst NE for {c.player1}"),
        ("nash_best_player2", f"simultaneous: best NE for {c.player2}"),
        ("nash_worst_player2", f"simultaneous: worst NE for {c.player2}"),
    ):
        r = getattr(c, "sse_player2" if scenario == "player2_leads" else scenario)
        v1, v2 = c.values(scenario)
        fake = SimpleNamespace(
            kind="normal_form",
            leader=SimpleNamespace(value=v1),
            follower=SimpleNamespace(value=v2),
        )
        out.append(
            OrderOutcome(
                label, "normal_form", r.method, r.status.value, bool(r.certified), outcome(fake)
            )
        )
    return out


def format_model_comparison(c: ModelComparison) -> str:
    labels = sorted({k for o in c.orders for k in o.values})
    head = f"{'order':<36} {'kind':<12} {'status':<10} {'certified':<9} " + " ".join(
        f"{lab:>12}" for lab in labels
    )
    lines = [f"{c.model}: each order of play", head]
    for o in c.orders:
        vals = " ".join(
            f"{o.values[lab]:>12.6g}" if o.values.get(lab) is not None else f"{'-':>12}"
            for lab in labels
        )
        lines.append(f"{o.order:<36} {o.kind:<12} {o.status:<10} {o.certified!s:<9} {vals}")
    for label, order in c.preferred().items():
        lines.append(f"{label}: best in '{order}'")
    return "\n".join(lines)
