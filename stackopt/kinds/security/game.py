r"""Security games in compact form (Kiekintveld et al., AAMAS 2009).

A defender (leader) has ``m`` identical resources to place on ``T`` targets, one target per
resource; it commits to a *coverage vector* :math:`c \in [0, 1]^T`, :math:`\sum_t c_t \le m`
(any such vector is the marginal of a distribution over sets of at most ``m`` targets). An
attacker (follower), possibly of one of several types :math:`\lambda` with prior
:math:`p_\lambda`, observes :math:`c` and attacks one target. If target :math:`t` is attacked,

.. math::

    U_d^\lambda(t, c) = c_t\, U_d^{\lambda,c}(t) + (1 - c_t)\, U_d^{\lambda,u}(t), \qquad
    U_a^\lambda(t, c) = c_t\, U_a^{\lambda,c}(t) + (1 - c_t)\, U_a^{\lambda,u}(t),

where superscripts ``c``/``u`` mean covered/uncovered. Payoffs must satisfy the standard
security-game assumption :math:`U_d^c(t) \ge U_d^u(t)` and :math:`U_a^c(t) \le U_a^u(t)`
(coverage helps the defender and hurts the attacker); the usual data-entry mistake of swapped
columns is reported as an error.

``m`` may equal ``T`` (then full coverage is available, a trivial case); more resources than
targets is an error. This class knows nothing of files or solvers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any, ClassVar

import numpy as np

from stackopt.checks.inputs import lookup, player_names, unique_labels
from stackopt.errors import InputError

PRIOR_TOL = 1e-9  # |sum of priors - 1| allowed


@dataclass(frozen=True, eq=False)
class SecurityGame:
    """A compact security game.

    Parameters
    ----------
    targets
        Unique target labels (``T`` of them).
    defender_covered, defender_uncovered
        Defender payoffs per target: length ``T`` (shared by all attacker types) or shape
        ``(L, T)`` (one row per attacker type).
    attacker_covered, attacker_uncovered
        Attacker payoffs: length ``T`` (one type) or shape ``(L, T)``.
    resources
        ``m``, an integer with ``0 <= m <= T``.
    types, priors
        Attacker type names and their prior probabilities (``L`` each; default one type
        ``"attacker"`` with prior 1). Priors must be non-negative and sum to 1 (within 1e-9).
    defender_name, attacker_name, name
        Names of the players and the game.
    """

    targets: tuple[str, ...]
    defender_covered: np.ndarray
    defender_uncovered: np.ndarray
    attacker_covered: np.ndarray
    attacker_uncovered: np.ndarray
    resources: int
    types: tuple[str, ...] = ()
    priors: tuple[float, ...] = ()
    defender_name: str = "defender"
    attacker_name: str = "attacker"
    name: str | None = None

    kind: ClassVar[str] = "security"

    def __post_init__(self) -> None:
        targets = _targets(self.targets)
        T = len(targets)
        ac = _payoffs(self.attacker_covered, T, "attacker.covered")
        au = _payoffs(self.attacker_uncovered, T, "attacker.uncovered")
        if ac.shape != au.shape:
            raise InputError(
                f"attacker covered payoffs have {ac.shape[0]} type(s) but "
                f"uncovered payoffs {au.shape[0]}",
                field="attacker",
                fix="give covered and uncovered payoffs for every type",
            )
        L = ac.shape[0]
        dc = _payoffs(self.defender_covered, T, "defender.covered")
        du = _payoffs(self.defender_uncovered, T, "defender.uncovered")
        dc, du = (np.repeat(x, L, axis=0) if x.shape[0] == 1 else x for x in (dc, du))
        for x, field in ((dc, "defender.covered"), (du, "defender.uncovered")):
            if x.shape[0] != L:
                raise InputError(
                    f"{x.shape[0]} rows of defender payoffs for {L} attacker types",
                    field=field,
                    fix="give one row per attacker type, or one shared row",
                )
        types = _type_names(self.types, L)
        priors = _priors(self.priors, L)
        m = self.resources
        if isinstance(m, bool) or not isinstance(m, (int, np.integer)):
            if isinstance(m, float) and float(m).is_integer():
                m = int(m)
            else:
                raise InputError(
                    f"resources must be a whole number, got {m!r}",
                    field="resources",
                    fix="write e.g. resources: 2",
                )
        m = int(m)
        if m < 0:
            raise InputError(
                f"resources must be >= 0, got {m}",
                field="resources",
                fix="give the number of identical defender resources",
            )
        if m > T:
            raise InputError(
                f"more resources ({m}) than targets ({T})",
                field="resources",
                fix=f"use at most {T} resources (one resource covers one target; "
                f"{T} already cover every target)",
            )
        # coverage helps the defender (covered >= uncovered) and hurts the attacker (<=):
        # sign * (covered - uncovered) >= 0 with sign +1 for the defender, -1 for the attacker
        monotone = (
            ("defender", dc, du, 1.0, "below", "hurt"),
            ("attacker", ac, au, -1.0, "above", "help"),
        )
        for lam in range(L):
            who = f" for type '{types[lam]}'" if L > 1 else ""
            for player, cov, unc, sign, side, effect in monotone:
                bad = np.nonzero(sign * cov[lam] < sign * unc[lam])[0]
                if bad.size:
                    t = int(bad[0])
                    raise InputError(
                        f"{player}'s covered payoff {cov[lam, t]:g} is {side} its "
                        f"uncovered payoff {unc[lam, t]:g}{who}",
                        field=f"targets[{t}].{player}",
                        fix=f"coverage must not {effect} the {player}: check that "
                        "'covered' and 'uncovered' are not swapped",
                    )
        player_names(
            ("defender.name", self.defender_name),
            ("attacker.name", self.attacker_name),
            distinct=True,
        )
        for arr in (dc, du, ac, au):
            arr.setflags(write=False)
        for key, val in (
            ("targets", targets),
            ("defender_covered", dc),
            ("defender_uncovered", du),
            ("attacker_covered", ac),
            ("attacker_uncovered", au),
            ("resources", m),
            ("types", types),
            ("priors", priors),
        ):
            object.__setattr__(self, key, val)

    # -- properties ----------------------------------------------------------
    @property
    def n_targets(self) -> int:
        return len(self.targets)

    @property
    def n_types(self) -> int:
        return len(self.types)

    @property
    def leader_name(self) -> str:
        return self.defender_name

    @property
    def follower_name(self) -> str:
        return self.attacker_name

    @property
    def defender_scale(self) -> float:
        s = float(max(np.abs(self.defender_covered).max(), np.abs(self.defender_uncovered).max()))
        return s or 1.0

    @property
    def attacker_scale(self) -> float:
        s = float(max(np.abs(self.attacker_covered).max(), np.abs(self.attacker_uncovered).max()))
        return s or 1.0

    @property
    def scale(self) -> float:
        return max(self.defender_scale, self.attacker_scale)

    @cached_property
    def _target_positions(self) -> dict[str, int]:
        return {t: k for k, t in enumerate(self.targets)}

    def target_index(self, label: Any) -> int:
        return lookup(
            self._target_positions, label, "target", "targets", self.targets[:10], key=str
        )

    def type_index(self, label: Any) -> int:
        positions = {t: k for k, t in enumerate(self.types)}
        return lookup(positions, label, "attacker type", "attacker.types", key=str)

    # -- payoffs -------------------------------------------------------------
    def defender_utility(self, coverage: np.ndarray) -> np.ndarray:
        """``(L, T)`` array of :math:`U_d^\\lambda(t, c)`."""
        c = np.asarray(coverage, dtype=float)
        return c * self.defender_covered + (1 - c) * self.defender_uncovered

    def attacker_utility(self, coverage: np.ndarray) -> np.ndarray:
        """``(L, T)`` array of :math:`U_a^\\lambda(t, c)`."""
        c = np.asarray(coverage, dtype=float)
        return c * self.attacker_covered + (1 - c) * self.attacker_uncovered

    def __repr__(self) -> str:
        nm = f" {self.name!r}" if self.name else ""
        return (
            f"<SecurityGame{nm}: {self.n_targets} targets, {self.resources} resources, "
            f"{self.n_types} attacker type(s)>"
        )


def _targets(labels: Sequence[Any]) -> tuple[str, ...]:
    if isinstance(labels, str) or not isinstance(labels, (list, tuple)) or not labels:
        raise InputError(
            "must be a non-empty list of target names",
            field="targets",
            fix="list the targets, e.g. [airport, port]",
        )
    out: list[str] = []
    unique = partial(
        unique_labels, what="target", field="targets", fix="make every target name unique"
    )
    for k, lab in enumerate(labels):
        if isinstance(lab, bool) or not isinstance(lab, (str, int)) or not str(lab).strip():
            unique(out)  # a name repeated before this one is the first fault
            raise InputError(
                f"target name {lab!r} is not a non-empty string",
                field=f"targets[{k}]",
                fix="give every target a short name",
            )
        out.append(str(lab).strip())
    unique(out)
    return tuple(out)


def _payoffs(data: Any, T: int, field: str) -> np.ndarray:
    """Validate payoffs: numbers, finite, shape (T,) or (L, T) -> (L, T) float array."""
    if isinstance(data, np.ndarray) and data.dtype != object:
        if data.dtype == bool or not np.issubdtype(data.dtype, np.number):
            raise InputError("payoffs must be numbers", field=field, fix="write numbers")
        arr = np.array(data, dtype=float)
    else:
        rows = data.tolist() if isinstance(data, np.ndarray) else data
        if not isinstance(rows, (list, tuple)) or not rows:
            raise InputError(
                "must be a non-empty list of numbers", field=field, fix="give one payoff per target"
            )
        flat = (
            [r for r in rows]
            if not isinstance(rows[0], (list, tuple))
            else [v for r in rows for v in (r if isinstance(r, (list, tuple)) else [r])]
        )
        for k, v in enumerate(flat):
            if isinstance(v, bool) or not isinstance(v, (int, float, np.number)):
                raise InputError(
                    f"payoff {v!r} is not a number",
                    field=f"{field}[{k}]",
                    fix="payoffs must be plain numbers",
                )
        try:
            arr = np.array(rows, dtype=float)
        except ValueError:
            raise InputError(
                "ragged payoff rows", field=field, fix="give every row one payoff per target"
            ) from None
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != T:
        raise InputError(
            f"expected {T} payoffs per row (one per target), got shape {arr.shape}",
            field=field,
            fix="give one payoff per target",
        )
    bad = np.argwhere(~np.isfinite(arr))
    if bad.size:
        raise InputError(
            "payoff is not finite",
            field=f"{field}[{int(bad[0][1])}]",
            fix="payoffs must be finite numbers",
        )
    return arr


def _type_names(types: Sequence[Any], L: int) -> tuple[str, ...]:
    if not types:
        return ("attacker",) if L == 1 else tuple(f"type{k}" for k in range(L))
    names = [str(t).strip() for t in types]
    if len(names) != L:
        raise InputError(
            f"{len(names)} type names for {L} rows of attacker payoffs",
            field="attacker.types",
            fix="give one name per attacker type",
        )
    if any(not n for n in names) or len(set(names)) != L:
        raise InputError(
            "attacker type names must be non-empty and unique",
            field="attacker.types",
            fix="rename the types",
        )
    return tuple(names)


def _priors(priors: Sequence[Any], L: int) -> tuple[float, ...]:
    if not priors:
        if L == 1:
            return (1.0,)
        raise InputError(
            f"{L} attacker types but no priors",
            field="attacker.types",
            fix="give every type a prior probability",
        )
    if len(priors) != L:
        raise InputError(
            f"{len(priors)} priors for {L} attacker types",
            field="attacker.types",
            fix="give one prior per type",
        )
    out = []
    for k, p in enumerate(priors):
        if (
            isinstance(p, bool)
            or not isinstance(p, (int, float, np.number))
            or (not isinstance(p, int) and not np.isfinite(p))
        ):  # ints: checked below
            raise InputError(
                f"prior {p!r} is not a number",
                field=f"attacker.types[{k}].prior",
                fix="write a probability between 0 and 1",
            )
        if p < 0:
            raise InputError(
                f"prior {p!r} is negative",
                field=f"attacker.types[{k}].prior",
                fix="priors are probabilities: use values in [0, 1]",
            )
        if p > 1:
            raise InputError(
                f"prior {p!r} is above 1",
                field=f"attacker.types[{k}].prior",
                fix="priors are probabilities: use values in [0, 1]",
            )
        out.append(float(p))
    total = sum(out)
    if abs(total - 1.0) > PRIOR_TOL:
        raise InputError(
            f"priors sum to {total:.12g}, not 1",
            field="attacker.types",
            fix="rescale the priors so they sum to 1",
        )
    return tuple(out)
