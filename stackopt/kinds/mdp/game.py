r"""Stackelberg MDPs (paper section 4.2): the leader commits, the follower plans.

The paper's second instantiation of the framework (Zhang, Yue & Fang 2022, section 4.2; the
bilevel structure of its equations (3)-(4) and (10)-(11)): the leader commits to a strategy,
which induces an episodic MDP :math:`(S, \mathcal{A}_f, H, r_l, r_f, \mathcal{P})` for the
follower; the follower maximises its expected cumulative reward, and the leader collects
:math:`r_l` along the way.

An :class:`MDPGame` holds

* states :math:`S`, the follower's actions :math:`A` (the same in every state), an initial
  distribution :math:`\rho_0`, and either a finite horizon :math:`H \ge 1` (time-indexed
  policies, steps :math:`t = 0, \dots, H-1`) or a discount :math:`\gamma \in [0, 1)`
  (stationary policies, infinite horizon);
* the leader's actions :math:`L` (case (a); one unnamed action when there are none), with
  transitions ``P[l, s, a, s']`` and per-step rewards ``r_f[l, s, a]``, ``r_l[l, s, a]``;
* the leader's bounded parameters :math:`\theta_k \in [\underline\theta_k, \overline\theta_k]`
  (case (b)) with costs :math:`c_k` and effects ``E[k, s, a]``: the follower's reward becomes
  :math:`r_f(s, a) + \sum_k \theta_k E_k(s, a)`.

A commitment is :math:`(\theta, x)` with :math:`x(s, \cdot)` a distribution over :math:`L` for
every state (the same at every step), drawn afresh at every visit and observed by the follower
as a distribution (not the realised action). Under it the follower faces the MDP with

.. math::
    \bar r_f(s,a) = \sum_l x(s,l)\, r_f(l,s,a) + \sum_k \theta_k E_k(s,a),\quad
    \bar r_l(s,a) = \sum_l x(s,l)\, r_l(l,s,a),\quad
    \bar P(s'|s,a) = \sum_l x(s,l)\, P_l(s'|s,a),

(:meth:`MDPGame.induced`), and the leader's value is its expected total reward minus
:math:`\sum_k c_k \theta_k`. The class is validated on construction, immutable and imports no
solver.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from stackopt.checks.inputs import as_float, finite_input, in_file
from stackopt.errors import InputError

#: Probabilities must sum to 1 within this (absolute) tolerance.
PROB_TOL = 1e-9
#: Largest magnitude of a reward, effect, parameter bound or cost: HiGHS reads 1e20 as
#: infinite, and the big-M constants are sums of H x |reward| terms.
MAX_MAGNITUDE = 1e15
#: Largest horizon x states x actions (the policy and value tables are that large).
MAX_TABLE = 10**7
#: Separator of case-(a) commitment keys: ``"state/leader_action"``.
SEP = "/"


@dataclass(frozen=True)
class Induced:
    """The follower's MDP under one commitment: ``P (S, A, S)``, ``rf``/``rl (S, A)``."""

    P: np.ndarray
    rf: np.ndarray
    rl: np.ndarray


@dataclass(frozen=True, eq=False)
class MDPGame:
    """A Stackelberg MDP (see the module docstring for the maths).

    Arrays: ``transitions (L, S, A, S)``, ``follower_rewards``/``leader_rewards (L, S, A)``,
    ``effects (K, S, A)``, ``lower``/``upper``/``cost (K,)``, ``initial (S,)``.
    Exactly one of ``horizon`` (int >= 1) and ``discount`` (in [0, 1)) is given.
    """

    kind: ClassVar[str] = "mdp"

    states: tuple[str, ...]
    actions: tuple[str, ...]
    initial: np.ndarray
    transitions: np.ndarray
    follower_rewards: np.ndarray
    leader_rewards: np.ndarray
    horizon: int | None = None
    discount: float | None = None
    leader_actions: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    lower: np.ndarray = field(default_factory=lambda: np.zeros(0))
    upper: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cost: np.ndarray = field(default_factory=lambda: np.zeros(0))
    effects: np.ndarray | None = None
    name: str | None = None
    leader_name: str = "leader"
    follower_name: str = "follower"
    source: str | None = None

    def __post_init__(self) -> None:
        with in_file(self.source):
            self._validate()

    def _validate(self) -> None:
        S, A = len(self.states), len(self.actions)
        L = max(1, len(self.leader_actions))
        K = len(self.parameters)
        for what, labels in (
            ("states", self.states),
            ("actions", self.actions),
            ("leader.actions", self.leader_actions),
            ("leader.parameters", self.parameters),
        ):
            if len(set(labels)) != len(labels):
                dup = next(x for x in labels if labels.count(x) > 1)
                raise InputError(f"{dup!r} is listed twice", field=what, fix="use unique names")
        if S == 0 or A == 0:
            raise InputError(
                "needs at least one state and one action",
                field="states" if S == 0 else "actions",
                fix="list them",
            )
        if (self.horizon is None) == (self.discount is None):
            raise InputError(
                "give exactly one of 'horizon' (finite) and 'discount' (infinite horizon)",
                field="horizon",
                fix="write e.g. 'horizon: 4' or 'discount: 0.95'",
            )
        if self.horizon is not None:
            h = self.horizon
            if isinstance(h, bool) or not isinstance(h, (int, np.integer)) or h <= 0:
                raise InputError(
                    f"horizon must be a whole number >= 1, got {h!r}",
                    field="horizon",
                    fix="write e.g. 'horizon: 4'",
                )
            if int(h) * S * A > MAX_TABLE:
                raise InputError(
                    f"horizon {as_float(h):.6g} x {S} states x {A} actions exceeds {MAX_TABLE:.0e} "
                    "table entries",
                    field="horizon",
                    fix="use a shorter horizon or 'discount:'",
                )
        if self.discount is not None:
            g = self.discount
            if (
                isinstance(g, bool)
                or not isinstance(g, (int, float))
                or not math.isfinite(g)
                or not 0 <= g < 1
            ):
                raise InputError(
                    f"discount must be a number in [0, 1), got {g!r}",
                    field="discount",
                    fix="write e.g. 'discount: 0.95' (or use 'horizon')",
                )
        shapes = {
            "initial": (S,),
            "transitions": (L, S, A, S),
            "follower_rewards": (L, S, A),
            "leader_rewards": (L, S, A),
            "lower": (K,),
            "upper": (K,),
            "cost": (K,),
        }
        for name, shape in shapes.items():
            arr = np.asarray(getattr(self, name), dtype=float)
            if arr.shape != shape:
                raise InputError(
                    f"{name} has shape {arr.shape}, expected {shape}",
                    field=name,
                    fix="give one entry per index",
                )
            if not np.all(np.isfinite(arr)):
                raise InputError(
                    f"{name} has a non-finite entry",
                    field=name,
                    fix="use finite numbers",
                )
            if arr.size and float(np.abs(arr).max()) > MAX_MAGNITUDE:
                raise InputError(
                    f"{name} has an entry {float(np.abs(arr).max()):.3g} in magnitude",
                    field=name,
                    fix=f"rescale: entries up to {MAX_MAGNITUDE:.0e} in magnitude",
                )
            object.__setattr__(self, name, arr)
        eff = np.zeros((K, S, A)) if self.effects is None else np.asarray(self.effects, dtype=float)
        if (
            eff.shape != (K, S, A)
            or not np.all(np.isfinite(eff))
            or (eff.size and float(np.abs(eff).max()) > MAX_MAGNITUDE)
        ):
            raise InputError(
                f"effects must be finite, at most {MAX_MAGNITUDE:.0e} in magnitude, with shape "
                f"{(K, S, A)}",
                field="leader.effects",
                fix="one number per parameter, state and action",
            )
        object.__setattr__(self, "effects", eff)
        if np.any(self.initial < 0) or abs(self.initial.sum() - 1) > PROB_TOL:
            raise InputError(
                f"initial probabilities must be >= 0 and sum to 1 (sum {self.initial.sum():.12g})",
                field="initial",
                fix="make them a probability distribution",
            )
        P = self.transitions
        if np.any(P < 0):
            l, s, a, s2 = np.argwhere(P < 0)[0]
            raise InputError(
                f"negative probability {P[l, s, a, s2]:g}",
                field=self._tfield(l, s, a) + f".{self.states[s2]}",
                fix="probabilities must be >= 0",
            )
        sums = P.sum(axis=3)
        bad = np.argwhere(np.abs(sums - 1) > PROB_TOL)
        if len(bad):
            l, s, a = bad[0]
            raise InputError(
                f"probabilities sum to {sums[l, s, a]:.12g}, not 1",
                field=self._tfield(l, s, a),
                fix="give each (state, action) a distribution over next states",
            )
        if np.any(self.lower > self.upper):
            k = int(np.argmax(self.lower > self.upper))
            raise InputError(
                f"lower {self.lower[k]:g} exceeds upper {self.upper[k]:g}",
                field=f"leader.parameters.{self.parameters[k]}",
                fix="give lower <= upper",
            )
        keys = list(self.parameters) + [
            f"{s}{SEP}{l}" for s in self.states for l in self.leader_actions
        ]
        if len(set(keys)) != len(keys):
            raise InputError(
                "a parameter is named like a 'state/leader_action' commitment key",
                field="leader.parameters",
                fix="rename the parameter",
            )

    def _tfield(self, l: int, s: int, a: int) -> str:
        base = f"transitions.{self.states[s]}.{self.actions[a]}"
        return f"leader.actions.{self.leader_actions[l]}.{base}" if self.leader_actions else base

    @property
    def E(self) -> np.ndarray:
        """The effects array ``(K, S, A)`` (validated in ``__post_init__``)."""
        assert self.effects is not None
        return self.effects

    # -- sizes and flags --------------------------------------------------------------------
    @property
    def n_states(self) -> int:
        return len(self.states)

    @property
    def n_actions(self) -> int:
        return len(self.actions)

    @property
    def n_leader_actions(self) -> int:
        return max(1, len(self.leader_actions))

    @property
    def finite(self) -> bool:
        """True for a finite horizon, False for the discounted infinite horizon."""
        return self.horizon is not None

    @property
    def steps(self) -> float:
        r"""The value multiplier: :math:`H` (finite) or :math:`1/(1-\gamma)` (discounted)."""
        if self.horizon is not None:
            return float(self.horizon)
        return 1.0 / (1.0 - float(self.discount or 0.0))

    @property
    def transitions_depend_on_leader(self) -> bool:
        """Whether some leader action changes the transitions (case (a) with transitions)."""
        P = self.transitions
        return bool(P.shape[0] > 1 and np.any(np.abs(P - P[:1]) > 0))

    def follower_reward_range(self) -> tuple[float, float]:
        r"""Bounds :math:`(\underline r, \overline r)` of :math:`\bar r_f(s,a)` over every
        commitment: min/max over leader actions plus each parameter's extreme effect."""
        lo, hi = self.follower_reward_bounds()
        return float(lo.min()), float(hi.max())

    def follower_reward_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        r"""Per-(state, action) bounds ``(lo, hi)`` of :math:`\bar r_f(s,a)` over every
        commitment (``(S, A)`` arrays)."""
        lo = self.follower_rewards.min(axis=0)
        hi = self.follower_rewards.max(axis=0)
        for k in range(len(self.parameters)):
            e = self.E[k]
            a, b = self.lower[k] * e, self.upper[k] * e
            lo = lo + np.minimum(a, b)
            hi = hi + np.maximum(a, b)
        return lo, hi

    def leader_reward_range(self) -> tuple[float, float]:
        return float(self.leader_rewards.min()), float(self.leader_rewards.max())

    @property
    def scale(self) -> float:
        """Payoff scale of the certificate: the largest value either player can see
        (steps x largest reward, plus the largest parameter cost), at least 1e-12."""
        flo, fhi = self.follower_reward_range()
        llo, lhi = self.leader_reward_range()
        cost = float(np.sum(np.abs(self.cost) * np.maximum(np.abs(self.lower), np.abs(self.upper))))
        s = max(self.steps * max(abs(flo), abs(fhi)), self.steps * max(abs(llo), abs(lhi)) + cost)
        return s if s > 0 else 1.0

    # -- commitments ------------------------------------------------------------------------
    def induced(self, theta: np.ndarray, x: np.ndarray) -> Induced:
        """The follower's MDP under commitment ``(theta (K,), x (S, L))``."""
        P = np.einsum("sl,lsan->san", x, self.transitions)
        rf = np.einsum("sl,lsa->sa", x, self.follower_rewards)
        if len(self.parameters):
            rf = rf + np.einsum("k,ksa->sa", theta, self.E)
        rl = np.einsum("sl,lsa->sa", x, self.leader_rewards)
        return Induced(P, rf, rl)

    def commitment_dict(self, theta: np.ndarray, x: np.ndarray) -> dict[str, float]:
        """``{parameter: value, "state/leader_action": probability}``."""
        out = {p: float(theta[k]) for k, p in enumerate(self.parameters)}
        for i, s in enumerate(self.states):
            for j, l in enumerate(self.leader_actions):
                out[f"{s}{SEP}{l}"] = float(x[i, j])
        return out

    def parse_commitment(self, commitment: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
        """``(theta, x)`` from a result's ``leader.commitment``; every parameter and every
        ``state/leader_action`` key must be present and numeric (finite)."""
        if not isinstance(commitment, Mapping):
            raise InputError(
                "must map parameter names to values",
                field="leader.commitment",
                fix='write e.g. {"subsidy": 1.0}',
            )
        theta = np.zeros(len(self.parameters))
        x = np.zeros((self.n_states, self.n_leader_actions))
        if not self.leader_actions:
            x[:, 0] = 1.0
        known: dict[str, tuple[str, Any]] = {p: ("p", k) for k, p in enumerate(self.parameters)}
        for i, s in enumerate(self.states):
            for j, l in enumerate(self.leader_actions):
                known[f"{s}{SEP}{l}"] = ("x", (i, j))
        seen = set()
        for key, val in commitment.items():
            where = known.get(str(key))
            if where is None:
                raise InputError(
                    f"unknown key {key!r}",
                    field="leader.commitment",
                    fix="use the game's parameter names"
                    + (" and 'state/leader_action' keys" if self.leader_actions else ""),
                )
            v = finite_input(val, f"leader.commitment.{key}")
            if where[0] == "p":
                theta[where[1]] = v
            else:
                x[where[1]] = v
            seen.add(str(key))
        missing = [k for k in known if k not in seen]
        if missing:
            raise InputError(
                f"missing {missing[0]!r}",
                field="leader.commitment",
                fix="give every parameter (and every state's leader mixing)",
            )
        return theta, x

    def pure_commitments(self) -> int:
        """How many pure case-(a) commitments exist: :math:`|L|^{|S|}`."""
        return self.n_leader_actions**self.n_states


def labels(items: Sequence[Any], field: str, source: str | None) -> tuple[str, ...]:
    """Names from a YAML list (numbers are read as their text)."""
    out = []
    for i, v in enumerate(items):
        if isinstance(v, bool) or not isinstance(v, (str, int)) or str(v) == "":
            raise InputError(
                f"{v!r} is not a name",
                source=source,
                field=f"{field}[{i}]",
                fix="use a non-empty name",
            )
        if str(v) in out:
            raise InputError(
                f"{str(v)!r} is listed twice",
                source=source,
                field=f"{field}[{i}]",
                fix="use unique names",
            )
        out.append(str(v))
    return tuple(out)
