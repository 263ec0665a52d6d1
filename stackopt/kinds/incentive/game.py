r"""Incentive games (Zhang, Yue & Fang 2022, section 4.1, eqs. 12-13).

The leader plays :math:`\pi = (x, v)`: a mixed commitment :math:`x \in \Delta(\mathbb{A})` over
its actions and incentives :math:`v \ge 0` paid to the follower when it takes action :math:`k`.
The follower maximises its own payoff plus the incentive it receives; the leader's payoff is
its own minus ``cost_weight`` times the expected payment.

An :class:`IncentiveGame` is a :class:`~stackopt.kinds.normal_form.game.NormalFormGame` (the
payoffs, labels and their validation) plus an :class:`Incentives` block:

``max``
    Upper bound :math:`\bar v` on each incentive (the paper's :math:`v \in [0, 1]^{|A|}`: 1).
``cost_weight``
    :math:`c \ge 0`: the leader pays :math:`c` per unit of expected payment (default 1).
``budget``
    Optional bound :math:`\beta` on the expected payment.
``actions``
    The follower actions that may be paid (default: all); the others carry no incentive.
``contract``
    ``uniform``: :math:`v_k` is paid whenever the follower plays :math:`k`;
    ``per_action``: :math:`v_{ak}` is paid when the leader realised action :math:`a` and the
    follower plays :math:`k` (the expected transfer is :math:`\sum_a x_a v_{ak}`).

The game is immutable, validated on construction and knows nothing of solvers or Pyomo.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from stackopt.errors import InputError
from stackopt.kinds.normal_form.game import NormalFormGame

CONTRACTS = ("uniform", "per_action")


#: Largest magnitude of a payoff or incentive bound: beyond it the LP's sums and HiGHS's
#: bounds (1e20 is infinite there) lose the game.
MAX_MAGNITUDE = 1e15


@dataclass(frozen=True)
class Incentives:
    """The incentive options of an :class:`IncentiveGame` (see the module docstring)."""

    max: float = 1.0
    cost_weight: float = 1.0
    budget: float | None = None
    actions: tuple[str, ...] | None = None
    contract: str = "uniform"

    def __post_init__(self) -> None:
        for key in ("max", "cost_weight", "budget"):
            v = getattr(self, key)
            if v is None and key == "budget":
                continue
            if (
                isinstance(v, bool)
                or not isinstance(v, (int, float, np.number))
                or not math.isfinite(float(v))
                or float(v) < 0
            ):
                raise InputError(
                    f"must be a finite number >= 0, got {v!r}",
                    field=f"incentives.{key}",
                    fix="write e.g. 1",
                )
            object.__setattr__(self, key, float(v))
        if self.contract not in CONTRACTS:
            raise InputError(
                f"unknown contract {self.contract!r}",
                field="incentives.contract",
                fix="use uniform or per_action",
            )
        if self.actions is not None:
            if isinstance(self.actions, str) or not all(isinstance(a, str) for a in self.actions):
                raise InputError(
                    f"must be a list of follower action labels, got {self.actions!r}",
                    field="incentives.actions",
                    fix="write e.g. [comply]",
                )
            object.__setattr__(self, "actions", tuple(self.actions))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"max": self.max, "cost_weight": self.cost_weight}
        if self.budget is not None:
            out["budget"] = self.budget
        if self.actions is not None:
            out["actions"] = list(self.actions)
        out["contract"] = self.contract
        return out


@dataclass(frozen=True, eq=False)
class IncentiveGame:
    """A normal-form game whose leader may also pay the follower (see the module docstring).

    Parameters
    ----------
    base
        The payoffs ``A`` (leader) and ``B`` (follower) without incentives, with labels.
    incentives
        Bounds, cost, budget, payable actions and contract type.
    """

    base: NormalFormGame
    incentives: Incentives = field(default_factory=Incentives)

    kind: ClassVar[str] = "incentive"

    def __post_init__(self) -> None:
        if not isinstance(self.base, NormalFormGame):
            raise InputError(
                f"base must be a NormalFormGame, got {type(self.base).__name__}",
                fix="build the payoffs with NormalFormGame",
            )
        if not isinstance(self.incentives, Incentives):
            raise InputError(
                "incentives must be an Incentives object",
                field="incentives",
                fix="build it with Incentives(max=..., ...)",
            )
        for name, arr in (("payoffs.leader", self.base.A), ("payoffs.follower", self.base.B)):
            big = float(np.abs(np.asarray(arr, dtype=float)).max(initial=0.0))
            if big > MAX_MAGNITUDE:
                raise InputError(
                    f"a payoff of magnitude {big:.3g}: the LPs' sums overflow",
                    field=name,
                    fix=f"rescale the payoffs to at most {MAX_MAGNITUDE:.0e} in magnitude",
                )
        for key in ("max", "cost_weight", "budget"):
            v = getattr(self.incentives, key)
            if v is not None and v > MAX_MAGNITUDE:
                raise InputError(
                    f"{v:.3g} is too large",
                    field=f"incentives.{key}",
                    fix=f"write at most {MAX_MAGNITUDE:.0e}",
                )
        acts = self.incentives.actions
        if acts is not None:
            seen: set[str] = set()
            for k, a in enumerate(acts):
                if a not in self.base.follower_actions:
                    raise InputError(
                        f"{a!r} is not a follower action",
                        field=f"incentives.actions[{k}]",
                        fix="choose from " + ", ".join(map(repr, self.base.follower_actions)),
                    )
                if a in seen:
                    raise InputError(
                        f"{a!r} listed twice",
                        field=f"incentives.actions[{k}]",
                        fix="list each action once",
                    )
                seen.add(a)

    # -- the normal-form part -----------------------------------------------------------
    @property
    def A(self) -> np.ndarray:
        return self.base.A

    @property
    def B(self) -> np.ndarray:
        return self.base.B

    @property
    def shape(self) -> tuple[int, int]:
        return self.base.shape

    @property
    def leader_actions(self) -> tuple[str, ...]:
        return self.base.leader_actions

    @property
    def follower_actions(self) -> tuple[str, ...]:
        return self.base.follower_actions

    @property
    def leader_name(self) -> str:
        return self.base.leader_name

    @property
    def follower_name(self) -> str:
        return self.base.follower_name

    @property
    def name(self) -> str | None:
        return self.base.name

    def leader_index(self, label: str) -> int:
        return self.base.leader_index(label)

    def follower_index(self, label: str) -> int:
        return self.base.follower_index(label)

    # -- incentives ------------------------------------------------------------------------
    @property
    def payable(self) -> np.ndarray:
        """Boolean mask over follower actions: may the leader pay for action k?"""
        acts = self.incentives.actions
        if acts is None:
            return np.ones(self.shape[1], dtype=bool)
        return np.array([a in acts for a in self.follower_actions], dtype=bool)

    @property
    def payable_actions(self) -> tuple[str, ...]:
        return tuple(a for a, p in zip(self.follower_actions, self.payable) if p)

    @property
    def caps(self) -> np.ndarray:
        r""":math:`U_k`: the largest expected payment that can induce action ``k``:
        :math:`\min(\bar v, \beta)` for payable actions, 0 for the others."""
        inc = self.incentives
        cap = inc.max if inc.budget is None else min(inc.max, inc.budget)
        return np.where(self.payable, cap, 0.0)

    @property
    def leader_scale(self) -> float:
        """Largest absolute leader payoff, payments included (1.0 for an all-zero game)."""
        s = max(
            float(np.abs(self.A).max()),
            self.incentives.cost_weight * float(self.caps.max(initial=0.0)),
        )
        return s if s > 0 else 1.0

    @property
    def follower_scale(self) -> float:
        """Largest absolute follower payoff, incentives included (1.0 for an all-zero game)."""
        s = max(float(np.abs(self.B).max()), float(self.caps.max(initial=0.0)))
        return s if s > 0 else 1.0

    @property
    def scale(self) -> float:
        return max(self.leader_scale, self.follower_scale)

    def without_incentives(self) -> NormalFormGame:
        """The same game with no incentives (for the value of incentives)."""
        return self.base

    def __repr__(self) -> str:
        inc = self.incentives
        return f"<IncentiveGame{self.base.summary()}, {inc.contract} incentives <= {inc.max:g}>"
