"""Two-player normal-form (bimatrix) games.

A :class:`NormalFormGame` holds the leader's and the follower's payoff matrices ``A`` and ``B``
(rows: leader actions, columns: follower actions) with player names and action labels. It is
validated on construction and immutable; it knows nothing of files, solvers or Pyomo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

import numpy as np

from stackopt.checks.inputs import lookup, player_names, unique_labels
from stackopt.errors import InputError


class PayoffMatrices:
    """Read-only views of a leader and a follower payoff matrix (fields ``leader_payoffs`` and
    ``follower_payoffs`` of the class using it): ``A``/``R`` and ``B``/``C``."""

    leader_payoffs: np.ndarray
    follower_payoffs: np.ndarray

    @property
    def A(self) -> np.ndarray:
        """Leader payoff matrix (read-only view)."""
        return self.leader_payoffs

    @property
    def B(self) -> np.ndarray:
        """Follower payoff matrix (read-only view)."""
        return self.follower_payoffs

    R = A
    C = B


@dataclass(frozen=True, eq=False)
class NormalFormGame(PayoffMatrices):
    """A finite two-player game in normal form.

    Parameters
    ----------
    leader_payoffs, follower_payoffs
        ``m x n`` arrays ``A`` and ``B``: ``A[i, j]`` is the leader's payoff when the leader plays
        action ``i`` and the follower action ``j``.
    leader_actions, follower_actions
        Unique, non-empty labels, ``m`` and ``n`` of them. Default ``a0.., b0..``.
    leader_name, follower_name
        Player names (default ``leader`` and ``follower``).
    name
        Optional game name.
    """

    leader_payoffs: np.ndarray
    follower_payoffs: np.ndarray
    leader_actions: tuple[str, ...] = ()
    follower_actions: tuple[str, ...] = ()
    leader_name: str = "leader"
    follower_name: str = "follower"
    name: str | None = None

    kind: ClassVar[str] = "normal_form"

    def __post_init__(self) -> None:
        A = _matrix(self.leader_payoffs, "payoffs.leader")
        B = _matrix(self.follower_payoffs, "payoffs.follower")
        if A.shape != B.shape:
            raise InputError(
                f"leader payoffs are {A.shape[0]}x{A.shape[1]} but follower payoffs are "
                f"{B.shape[0]}x{B.shape[1]}",
                field="payoffs",
                fix="both matrices need one row per leader action and one column per "
                "follower action",
            )
        m, n = A.shape
        la = _labels(self.leader_actions, m, "leader.actions", "a")
        fa = _labels(self.follower_actions, n, "follower.actions", "b")
        player_names(
            ("leader.name", self.leader_name), ("follower.name", self.follower_name), distinct=True
        )
        A.setflags(write=False)
        B.setflags(write=False)
        object.__setattr__(self, "leader_payoffs", A)
        object.__setattr__(self, "follower_payoffs", B)
        object.__setattr__(self, "leader_actions", la)
        object.__setattr__(self, "follower_actions", fa)

    # -- basic properties ----------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        rows, cols = self.leader_payoffs.shape
        return rows, cols

    @property
    def scale(self) -> float:
        """Largest absolute payoff of either player (1.0 for an all-zero game)."""
        s = float(max(np.abs(self.A).max(), np.abs(self.B).max()))
        return s if s > 0 else 1.0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        return (
            self.leader_actions == other.leader_actions
            and self.follower_actions == other.follower_actions
            and self.leader_name == other.leader_name
            and self.follower_name == other.follower_name
            and np.array_equal(self.A, other.A)
            and np.array_equal(self.B, other.B)
        )

    __hash__ = None  # type: ignore[assignment]

    def summary(self) -> str:
        """`` 'name' mxn: leader 'L', follower 'F'``: the body of the repr (of this game, and of
        the games built on it, e.g. an incentive game)."""
        m, n = self.shape
        nm = f" {self.name!r}" if self.name else ""
        return f"{nm} {m}x{n}: leader {self.leader_name!r}, follower {self.follower_name!r}"

    def __repr__(self) -> str:
        return f"<NormalFormGame{self.summary()}>"

    # -- transformations -----------------------------------------------------
    def swap_roles(self) -> NormalFormGame:
        """The same game with the other player leading (matrices transposed)."""
        return NormalFormGame(
            leader_payoffs=self.B.T.copy(),
            follower_payoffs=self.A.T.copy(),
            leader_actions=self.follower_actions,
            follower_actions=self.leader_actions,
            leader_name=self.follower_name,
            follower_name=self.leader_name,
            name=self.name,
        )

    def restrict(
        self,
        leader_actions: Sequence[str] | None = None,
        follower_actions: Sequence[str] | None = None,
    ) -> NormalFormGame:
        """The subgame in which each side may use only the listed actions."""
        rows = self._indices(leader_actions, self.leader_actions, "leader_actions")
        cols = self._indices(follower_actions, self.follower_actions, "follower_actions")
        return NormalFormGame(
            leader_payoffs=self.A[np.ix_(rows, cols)].copy(),
            follower_payoffs=self.B[np.ix_(rows, cols)].copy(),
            leader_actions=tuple(self.leader_actions[i] for i in rows),
            follower_actions=tuple(self.follower_actions[j] for j in cols),
            leader_name=self.leader_name,
            follower_name=self.follower_name,
            name=self.name,
        )

    @staticmethod
    def _indices(wanted: Sequence[str] | None, labels: tuple[str, ...], field: str) -> list[int]:
        if wanted is None:
            return list(range(len(labels)))
        if isinstance(wanted, str):
            wanted = [wanted]
        wanted = list(wanted)
        if not wanted:
            raise InputError(
                "the restriction is empty", field=field, fix="list at least one action"
            )
        index = {lab: k for k, lab in enumerate(labels)}
        out = []
        for w in wanted:
            if w not in index:
                raise InputError(
                    f"unknown action {w!r}",
                    field=field,
                    fix="choose from " + ", ".join(map(repr, labels)),
                )
            if index[w] in out:
                raise InputError(
                    f"action {w!r} listed twice", field=field, fix="list each action once"
                )
            out.append(index[w])
        return out

    # -- payoffs of mixed strategies -----------------------------------------
    @cached_property
    def _leader_pos(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.leader_actions)}

    @cached_property
    def _follower_pos(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.follower_actions)}

    def leader_index(self, label: str) -> int:
        """Position of a leader action label (InputError if unknown)."""
        return lookup(self._leader_pos, label, "leader action", "leader.actions")

    def follower_index(self, label: str) -> int:
        """Position of a follower action label (InputError if unknown)."""
        return lookup(self._follower_pos, label, "follower action", "follower.actions")


def _matrix(data, field: str) -> np.ndarray:
    """Validate a payoff matrix: rectangular, numeric, finite, non-empty, 2-D."""
    if isinstance(data, np.ndarray):
        arr = data
        if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
            return _matrix(arr.tolist(), field)
        if arr.dtype == bool:
            raise InputError(
                "payoffs must be numbers, not booleans", field=field, fix="write numbers"
            )
        if np.iscomplexobj(arr):
            raise InputError(
                "payoffs must be real numbers, not complex",
                field=field,
                fix="give real-valued payoffs",
            )
    else:
        if not isinstance(data, (list, tuple)) or not data:
            raise InputError(
                "must be a non-empty list of rows",
                field=field,
                fix="write one list of numbers per leader action",
            )
        width = None
        for r, row in enumerate(data):
            if not isinstance(row, (list, tuple)):
                raise InputError(
                    f"row {r} is {type(row).__name__} {row!r}, not a list",
                    field=f"{field}[{r}]",
                    fix="write the matrix as a list of rows, e.g. [[1, 2], [3, 4]]",
                )
            if width is None:
                width = len(row)
            elif len(row) != width:
                raise InputError(
                    f"ragged matrix: row 0 has {width} entries but row {r} has {len(row)}",
                    field=f"{field}[{r}]",
                    fix="give every row one entry per follower action",
                )
            for c, v in enumerate(row):
                if isinstance(v, (bool, np.complexfloating)) or not isinstance(
                    v, (int, float, np.number)
                ):
                    raise InputError(
                        f"entry {v!r} is not a number",
                        field=f"{field}[{r}][{c}]",
                        fix="payoffs must be plain numbers (quote-free)",
                    )
                if isinstance(v, int) and abs(v) > 2**1023:
                    try:
                        float(v)
                    except OverflowError:
                        raise InputError(
                            f"integer entry of about {int(v.bit_length() * 0.30103)}"
                            " digits is too large for a floating-point number",
                            field=f"{field}[{r}][{c}]",
                            fix="rescale the payoffs",
                        ) from None
        arr = np.asarray(data, dtype=float)
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise InputError(
            f"must be a non-empty 2-D matrix, got shape {arr.shape}",
            field=field,
            fix="one row per leader action, one column per follower action",
        )
    arr = np.array(arr, dtype=float, copy=True)
    bad = np.argwhere(~np.isfinite(arr))
    if bad.size:
        r, c = (int(x) for x in bad[0])
        raise InputError(
            f"entry {arr[r, c]} is not finite",
            field=f"{field}[{r}][{c}]",
            fix="payoffs must be finite numbers (no NaN or infinity)",
        )
    return arr


def _labels(labels, count: int, field: str, prefix: str) -> tuple[str, ...]:
    if labels is None or (isinstance(labels, (tuple, list)) and len(labels) == 0):
        return tuple(f"{prefix}{k}" for k in range(count))
    if isinstance(labels, str) or not isinstance(labels, (list, tuple)):
        raise InputError(
            f"must be a list of labels, got {labels!r}", field=field, fix="write e.g. [left, right]"
        )
    out = []
    for k, lab in enumerate(labels):
        if isinstance(lab, bool) or not isinstance(lab, (str, int, float)):
            raise InputError(
                f"label {lab!r} is not a string", field=f"{field}[{k}]", fix="use short text labels"
            )
        s = str(lab).strip()
        if not s:
            raise InputError(
                "empty action label",
                field=f"{field}[{k}]",
                fix="give every action a non-empty label",
            )
        out.append(s)
    if len(out) != count:
        raise InputError(
            f"{len(out)} labels for {count} actions in the payoff matrices",
            field=field,
            fix="give exactly one label per matrix " + ("row" if prefix == "a" else "column"),
        )
    unique_labels(out, what="label", field=field, fix="make every action label unique")
    return tuple(out)


# public names of the validators (the Bayesian game uses them too)
payoff_matrix = _matrix
action_labels = _labels


def prepare(
    game: NormalFormGame,
    *,
    leader: str = "leader",
    leader_actions: Sequence[str] | None = None,
    follower_actions: Sequence[str] | None = None,
) -> NormalFormGame:
    """The game actually solved: roles swapped if ``leader`` names the follower, then restricted.

    ``leader`` is a role (``"leader"``/``"follower"``, as in the file) or a player name.
    Restrictions name actions of the player who *leads after the swap*.
    """
    if not isinstance(game, NormalFormGame):
        raise InputError(f"expected a NormalFormGame, got {type(game).__name__}")
    if leader == "leader" or (leader == game.leader_name and leader != "follower"):
        g = game
    elif leader in ("follower", game.follower_name):
        g = game.swap_roles()
    else:
        raise InputError(
            f"unknown player {leader!r}",
            field="leader",
            fix=f"use 'leader', 'follower', {game.leader_name!r} or {game.follower_name!r}",
        )
    if leader_actions is not None or follower_actions is not None:
        g = g.restrict(leader_actions, follower_actions)
    return g
