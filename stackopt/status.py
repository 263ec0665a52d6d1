"""Status values shared by every game kind."""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    """Outcome of a solve.

    ``OPTIMAL``
        An equilibrium was found; see the certificate for what was proven.
    ``INFEASIBLE``
        No equilibrium exists (e.g. the leader's constraints cannot be met).
    ``UNBOUNDED``
        The leader's value is unbounded.
    ``NOT_ATTAINED``
        The supremum exists but no commitment attains it (pessimistic tie-breaking).
    ``ERROR``
        The solver failed or stopped at a limit; nothing is claimed.
    """

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NOT_ATTAINED = "not_attained"
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
