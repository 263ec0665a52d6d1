"""Brute force over mixed commitments on a simplex grid (an oracle for small bimatrix games)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np


def simplex_grid(m: int, steps: int) -> Iterator[np.ndarray]:
    """Every point of the probability simplex in ``m`` dimensions with coordinates in
    multiples of ``1/steps``."""
    for cut in itertools.combinations(range(steps + m - 1), m - 1):
        parts = np.diff(np.r_[-1, cut, steps + m - 1]) - 1
        yield parts / steps


def grid_value(A: np.ndarray, B: np.ndarray, steps: int) -> float:
    """The best leader value over the grid commitments, ties among the follower's best
    responses (within 1e-12) broken in the leader's favour: a lower bound on the SSE value
    that converges to it as ``steps`` grows."""
    best = -np.inf
    for x in simplex_grid(A.shape[0], steps):
        f, lv = x @ B, x @ A
        best = max(best, float(lv[f >= f.max() - 1e-12].max()))
    return best
