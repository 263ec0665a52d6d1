"""Seeded instance generators shared by the tests and the benchmarks.

Each function draws one game from a fixed NumPy stream, so that a test and a benchmark that
name the same arguments build the same instance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from stackopt.kinds.interdiction.game import InterdictionGame


def interdiction_grid(
    n: int, budget: float, seed: int = 1, removable: float = 0.0
) -> InterdictionGame:
    """The directed ``n x n`` grid from corner ``(0, 0)`` to ``(n-1, n-1)``: integer lengths
    1-10, delays 5-20 and costs 1-2 drawn with ``seed``; each arc is removable with
    probability ``removable`` (then its delay is 0)."""
    import networkx as nx

    from stackopt.kinds.interdiction.game import InterdictionGame

    rng = np.random.default_rng(seed)
    g = nx.grid_2d_graph(n, n).to_directed()
    for u, v in g.edges:
        rem = bool(rng.random() < removable)
        g.edges[u, v].update(
            length=int(rng.integers(1, 11)),
            delay=0 if rem else int(rng.integers(5, 21)),
            cost=int(rng.integers(1, 3)),
            removable=rem,
        )
    return InterdictionGame.from_networkx(g, (0, 0), (n - 1, n - 1), budget)
