"""Status values shared by every game kind."""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    """Outcome of a solve.

    ``OPTIMAL``
        An equilibrium was found and its optimality is proven; see the certificate for what
        was proven and how (exact, within tolerance, or solver-reported).
    ``FEASIBLE``
        The answer is a verified feasible point (e.g. an equilibrium, or a point of the
        inducible region) but its optimality is *not* proven.
    ``INFEASIBLE``
        No equilibrium exists (e.g. the leader's constraints cannot be met).
    ``UNBOUNDED``
        The leader's value is unbounded.
    ``NOT_ATTAINED``
        The supremum exists but no commitment attains it (pessimistic tie-breaking).
    ``TIME_LIMIT``
        A time (or node) limit stopped the solve before optimality was proven; a point found
        so far, if any, is reported but not claimed optimal.
    ``ERROR``
        The solver failed; nothing is claimed.
    """

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NOT_ATTAINED = "not_attained"
    FEASIBLE = "feasible"
    TIME_LIMIT = "time_limit"
    ERROR = "error"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


class TieBreak(str, Enum):
    """How the follower breaks ties between best responses.

    ``LEADER`` (strong / optimistic equilibrium) picks the response best for the leader;
    ``ADVERSARIAL`` (weak / pessimistic) picks the one worst for the leader.
    """

    LEADER = "leader"
    ADVERSARIAL = "adversarial"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value
