"""The code under test: a user's own policy code, knowing nothing of stackopt.

``inspection_policy`` is a closed-form answer for the inspection game (inspect with
probability 5/14: just enough that obeying the law is a best response). ``best_response`` is
the follower model of an agent-based simulation. Both work on plain lists and NumPy arrays.

``SAMPLE_CORRUPT`` (an environment variable) plants one of the bugs stackopt's docs describe,
so that the project's tests can be seen failing: ``digit7`` (an answer wrong in the 7th
digit), ``not_best`` (a response that is not a best response), ``bad_tie`` (a tie broken
against the leader), ``sum999`` (a mixed strategy summing to 0.999).
"""

from __future__ import annotations

import os

import numpy as np

CORRUPT = os.environ.get("SAMPLE_CORRUPT", "")


def inspection_policy() -> tuple[list[float], str, float]:
    """(commitment [P(inspect), P(skip)], the inspectee's response, the inspector's value)."""
    p = 5 / 14
    response = "legal"
    if CORRUPT == "digit7":
        p += 1e-7  # 0.3571429571... instead of 0.3571428571...
    if CORRUPT == "not_best":
        p = 0.25  # too little inspection: violating pays
    if CORRUPT == "bad_tie":
        response = "violate"  # indifferent at p = 5/14, but worse for the inspector
    x = [p, 1 - p - (0.001 if CORRUPT == "sum999" else 0.0)]
    inspector = [[-1, -6], [0, -10]]  # the inspector's payoffs (rows: inspect, skip)
    j = 0 if response == "legal" else 1
    value = x[0] * inspector[0][j] + x[1] * inspector[1][j]
    return x, response, value


def best_response(A: np.ndarray, B: np.ndarray, x: np.ndarray) -> int:
    """The follower's best response to the mixed commitment ``x``; ties go to the leader's
    favourite (the strong Stackelberg convention) unless the ``bad_tie`` bug is planted."""
    x = np.asarray(x, dtype=float)
    fu, lu = x @ B, x @ A
    best = np.flatnonzero(fu >= fu.max() - 1e-12)
    if CORRUPT == "bad_tie":
        return int(best[np.argmin(lu[best])])
    if CORRUPT == "not_best":
        return int(np.argmin(fu))
    return int(best[np.argmax(lu[best])])
