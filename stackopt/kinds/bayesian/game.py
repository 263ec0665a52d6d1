r"""Bayesian Stackelberg games and games with several independent followers.

A :class:`BayesianGame` has one leader with actions :math:`I` and a list of follower *types*
:math:`\ell = 1..L`. Type :math:`\ell` has a prior :math:`p_\ell`, its own actions :math:`J_\ell`
and two payoff matrices: the leader's :math:`R^\ell` and the follower's :math:`C^\ell`
(rows: leader actions, columns: that type's actions). The leader commits to one mixed strategy
:math:`x` without knowing the type; each type then best-responds on its own.

Two readings of the same mathematics (``mode``):

``"types"``
    one follower of unknown type; the priors are probabilities (:math:`p \ge 0`,
    :math:`\sum p = 1` within ``1e-9``). The leader's value is
    :math:`\sum_\ell p_\ell\, x^\top R^\ell_{\cdot j_\ell}`.
``"followers"``
    several independent followers, each best-responding on its own; the leader's utility is the
    *weighted sum* :math:`\sum_\ell w_\ell\, x^\top R^\ell_{\cdot j_\ell}` with weights
    :math:`w \ge 0`, :math:`\sum w > 0` (any total). Solving uses the normalised weights
    :math:`p = w / \sum w` and scales the leader's value back by :attr:`BayesianGame.total_weight`.

The class is validated on construction, immutable, and imports no solver.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from stackopt.checks.inputs import as_float, lookup, player_names, record_unique
from stackopt.errors import InputError
from stackopt.kinds.normal_form.game import PayoffMatrices, action_labels, payoff_matrix

if TYPE_CHECKING:  # pragma: no cover
    from stackopt.kinds.normal_form.game import NormalFormGame

PRIOR_SUM_TOL = 1e-9
MODES = ("types", "followers")


@dataclass(frozen=True, eq=False)
class FollowerType(PayoffMatrices):
    """One follower type (or one independent follower).

    Parameters
    ----------
    name
        Unique, non-empty name of the type.
    prior
        Its prior probability (``mode="types"``) or weight (``mode="followers"``).
    leader_payoffs, follower_payoffs
        ``m x n_t`` matrices :math:`R^\\ell` and :math:`C^\\ell` (read-only as ``R`` and ``C``:
        the leader's payoffs against this type, and the type's own).
    actions
        The type's ``n_t`` action labels (default ``b0, b1, ...``).
    """

    name: str
    prior: float
    leader_payoffs: np.ndarray
    follower_payoffs: np.ndarray
    actions: tuple[str, ...] = ()

    def action_index(self, label: str) -> int:
        return lookup(
            {a: j for j, a in enumerate(self.actions)},
            label,
            "action",
            f"follower.response.{self.name}",
            context=f" of follower type {self.name!r}",
        )


@dataclass(frozen=True, eq=False)
class BayesianGame:
    """A Bayesian Stackelberg game (or a game with several independent followers).

    Parameters
    ----------
    leader_actions
        The leader's ``m`` action labels.
    types
        The follower types, each a :class:`FollowerType` whose matrices have ``m`` rows.
    leader_name, follower_name
        Player names; ``follower_name`` names the follower population.
    name
        Optional game name.
    mode
        ``"types"`` (priors, summing to 1) or ``"followers"`` (non-negative weights).
    """

    leader_actions: tuple[str, ...]
    types: tuple[FollowerType, ...]
    leader_name: str = "leader"
    follower_name: str = "follower"
    name: str | None = None
    mode: str = "types"

    kind: ClassVar[str] = "bayesian"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InputError(
                f"unknown mode {self.mode!r}",
                field="mode",
                fix="use 'types' (priors) or 'followers' (weights)",
            )
        types = self.types
        if isinstance(types, FollowerType) or not isinstance(types, (list, tuple)) or not types:
            raise InputError(
                "needs a non-empty list of follower types",
                field="followers",
                fix="list at least one follower type",
            )
        word = "prior" if self.mode == "types" else "weight"
        la_given = self.leader_actions
        m = None
        out: list[FollowerType] = []
        seen: dict[str, int] = {}
        for t, ft in enumerate(types):
            where = f"followers[{t}]"
            if not isinstance(ft, FollowerType):
                raise InputError(
                    f"expected a FollowerType, got {type(ft).__name__}",
                    field=where,
                    fix="build types with stackopt.kinds.bayesian.game.FollowerType",
                )
            if not isinstance(ft.name, str) or not ft.name.strip():
                raise InputError(
                    f"type name must be a non-empty string, got {ft.name!r}",
                    field=f"{where}.name",
                    fix="give every follower type a name",
                )
            nm = ft.name.strip()
            where = f"followers[{t}] ({nm})"
            record_unique(
                seen,
                nm,
                t,
                what="type name",
                field=f"{where}.name",
                fix="give every type a unique name",
            )
            p = ft.prior
            pf = (
                math.nan
                if isinstance(p, bool) or not isinstance(p, (int, float, np.number))
                else as_float(p)
            )
            if not math.isfinite(pf):
                raise InputError(
                    f"{word} {p!r} of type {nm!r} is not a finite number",
                    field=f"{where}.{word}",
                    fix="write a number >= 0",
                )
            if float(p) < 0:
                raise InputError(
                    f"{word} of type {nm!r} is negative ({p})",
                    field=f"{where}.{word}",
                    fix=f"{word}s must be >= 0",
                )
            try:
                R = payoff_matrix(ft.leader_payoffs, "payoffs.leader")
                C = payoff_matrix(ft.follower_payoffs, "payoffs.follower")
            except InputError as exc:
                raise exc.with_prefix(where) from None
            if R.shape != C.shape:
                raise InputError(
                    f"type {nm!r}: leader payoffs are {R.shape[0]}x{R.shape[1]} but follower "
                    f"payoffs are {C.shape[0]}x{C.shape[1]}",
                    field=f"{where}.payoffs",
                    fix="both matrices need one row per leader action and one column per action "
                    "of this type",
                )
            if m is None:
                m = R.shape[0]
            elif R.shape[0] != m:
                raise InputError(
                    f"type {nm!r} has {R.shape[0]} payoff rows but type {out[0].name!r} has {m}",
                    field=f"{where}.payoffs",
                    fix="every type's matrices need one row per leader action",
                )
            try:
                acts = action_labels(ft.actions, R.shape[1], "actions", "b")
            except InputError as exc:
                raise InputError(
                    f"type {nm!r}: {exc.message}", field=f"{where}.{exc.field}", fix=exc.fix
                ) from None
            R.setflags(write=False)
            C.setflags(write=False)
            out.append(FollowerType(nm, float(p), R, C, acts))
        assert m is not None
        try:
            la = action_labels(la_given, m, "leader.actions", "a")
        except InputError as exc:
            raise InputError(
                exc.message + " (rows of the types' payoff matrices)", field=exc.field, fix=exc.fix
            ) from None
        total = sum(ft.prior for ft in out)
        if self.mode == "types":
            if abs(total - 1.0) > PRIOR_SUM_TOL:
                raise InputError(
                    f"priors sum to {total:.12g}, not 1 (tolerance {PRIOR_SUM_TOL:g})",
                    field="followers.prior",
                    fix="make the priors a probability distribution, or write 'weight:' "
                    "instead of 'prior:' for several independent followers",
                )
        elif total <= 0:
            raise InputError(
                "the weights sum to 0",
                field="followers.weight",
                fix="give at least one follower a positive weight",
            )
        player_names(("leader.name", self.leader_name), ("follower.name", self.follower_name))
        object.__setattr__(self, "types", tuple(out))
        object.__setattr__(self, "leader_actions", la)

    # -- properties ----------------------------------------------------------
    @property
    def m(self) -> int:
        """Number of leader actions."""
        return len(self.leader_actions)

    @property
    def type_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.types)

    @property
    def total_weight(self) -> float:
        """Sum of the priors/weights (1 within 1e-9 for ``mode="types"``)."""
        return float(sum(t.prior for t in self.types))

    @property
    def priors(self) -> np.ndarray:
        """Normalised priors :math:`p = w / \\sum w`."""
        w = np.array([t.prior for t in self.types], dtype=float)
        return w / w.sum()

    @property
    def value_factor(self) -> float:
        """Factor turning a prior-weighted leader value into the reported one.

        1 for ``mode="types"``; the total weight for ``mode="followers"``.
        """
        return 1.0 if self.mode == "types" else self.total_weight

    @property
    def leader_scale(self) -> float:
        """Largest absolute leader payoff over all types (1.0 if all are 0)."""
        s = max(float(np.abs(t.R).max()) for t in self.types)
        return s if s > 0 else 1.0

    @property
    def follower_scale(self) -> float:
        """Largest absolute follower payoff over all types (1.0 if all are 0)."""
        s = max(float(np.abs(t.C).max()) for t in self.types)
        return s if s > 0 else 1.0

    @property
    def scale(self) -> float:
        return max(self.leader_scale, self.follower_scale)

    @property
    def profile_count(self) -> int:
        """Number of joint response profiles :math:`\\prod_\\ell |J_\\ell|` (Harsanyi size)."""
        return int(math.prod(len(t.actions) for t in self.types))

    @cached_property
    def _leader_positions(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.leader_actions)}

    def type(self, name: str) -> FollowerType:
        return lookup(
            {t.name: t for t in self.types},
            name,
            "follower type",
            "follower.response",
            fix="use the type names ",
        )

    def leader_index(self, label: str) -> int:
        return lookup(self._leader_positions, label, "leader action", "leader.commitment")

    def __repr__(self) -> str:
        nm = f" {self.name!r}" if self.name else ""
        word = "types" if self.mode == "types" else "independent followers"
        return (
            f"<BayesianGame{nm}: leader {self.leader_name!r} ({self.m} actions), "
            f"{len(self.types)} {word}>"
        )

    # -- constructors --------------------------------------------------------
    @classmethod
    def from_matrices(
        cls,
        leader_payoffs: Sequence,
        follower_payoffs: Sequence,
        priors: Sequence[float],
        *,
        mode: str = "types",
        type_names: Sequence[str] | None = None,
        leader_actions: Sequence[str] = (),
        name: str | None = None,
    ) -> BayesianGame:
        """Build from lists of matrices (one ``R`` and one ``C`` per type) and priors/weights."""
        L = len(priors)
        if len(leader_payoffs) != L or len(follower_payoffs) != L:
            raise InputError(
                f"{len(leader_payoffs)} leader matrices, {len(follower_payoffs)} "
                f"follower matrices and {L} priors",
                field="followers",
                fix="give one leader matrix, one follower matrix and one prior per type",
            )
        names = list(type_names) if type_names is not None else [f"t{k}" for k in range(L)]
        types = tuple(
            FollowerType(
                names[k], priors[k], np.asarray(leader_payoffs[k]), np.asarray(follower_payoffs[k])
            )
            for k in range(L)
        )
        return cls(leader_actions=tuple(leader_actions), types=types, name=name, mode=mode)


DEFAULT_MAX_PROFILES = 5000


@dataclass(frozen=True)
class HarsanyiGame:
    """The Harsanyi transformation of a :class:`BayesianGame` (normal form, one follower).

    Attributes
    ----------
    game
        The :class:`NormalFormGame` whose follower actions are the joint profiles.
    active
        Indices of the types with positive prior (only they enter the profiles).
    profiles
        For each column, the tuple of action indices of the active types.
    """

    game: NormalFormGame
    active: tuple[int, ...]
    profiles: tuple[tuple[int, ...], ...]

    def label(self, response: dict[str, str], bayes: BayesianGame) -> str:
        """The profile label of a response mapping type -> action label."""
        idx = tuple(
            bayes.types[l].action_index(str(response[bayes.types[l].name])) for l in self.active
        )
        try:
            return self.game.follower_actions[self.profiles.index(idx)]
        except ValueError:  # pragma: no cover - every product is listed
            raise InputError("response profile not found", field="follower.response") from None


def harsanyi_transform(
    game: BayesianGame, *, max_profiles: int = DEFAULT_MAX_PROFILES
) -> HarsanyiGame:
    r"""Build the Harsanyi normal-form game of ``game``.

    Follower actions are the joint profiles :math:`(j_\ell)_\ell` of the positive-prior types;
    the payoffs of leader action :math:`i` against profile :math:`(j_\ell)` are
    :math:`\sum_\ell p_\ell R^\ell_{i j_\ell}` (leader) and :math:`\sum_\ell p_\ell C^\ell_{i
    j_\ell}` (follower). With :math:`p_\ell > 0` a profile is a best response of this follower
    iff every :math:`j_\ell` is a best response of type :math:`\ell` (the sum separates), so
    the strong (and weak) Stackelberg equilibria of the two games coincide. Types with prior 0
    do not affect any payoff and are left out. Refuses with :class:`UnsupportedError` when the
    number of profiles exceeds ``max_profiles``.
    """
    import itertools

    from stackopt.errors import UnsupportedError
    from stackopt.kinds.normal_form.game import NormalFormGame

    p = game.priors
    active = tuple(l for l in range(len(game.types)) if p[l] > 0)
    count = int(math.prod(len(game.types[l].actions) for l in active))
    if count > max_profiles:
        raise UnsupportedError(
            f"the Harsanyi transformation has {count} response profiles, more than the limit "
            f"{max_profiles}",
            field="method",
            fix="use method='dobss', or raise max_profiles",
        )
    profiles = tuple(itertools.product(*(range(len(game.types[l].actions)) for l in active)))
    m = game.m
    A = np.zeros((m, count))
    B = np.zeros((m, count))
    for c, prof in enumerate(profiles):
        for l, j in zip(active, prof):
            A[:, c] += p[l] * game.types[l].R[:, j]
            B[:, c] += p[l] * game.types[l].C[:, j]
    labels = ["/".join(game.types[l].actions[j] for l, j in zip(active, prof)) for prof in profiles]
    if len(set(labels)) != len(labels):
        labels = [f"p{c}" for c in range(count)]
    nf = NormalFormGame(
        A,
        B,
        leader_actions=game.leader_actions,
        follower_actions=tuple(labels),
        leader_name=game.leader_name,
        follower_name=game.follower_name
        if game.follower_name != game.leader_name
        else game.follower_name + "_",
        name=game.name,
    )
    return HarsanyiGame(nf, active, profiles)
