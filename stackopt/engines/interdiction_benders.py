r"""Shortest-path interdiction by decomposition (Israeli & Wood 2002, "Shortest-path network
interdiction", *Networks* 40(2), Sect. 3: Benders decomposition with path cuts).

The leader's problem is :math:`\max_{x \in X} L(x)`, :math:`X = \{x \in \{0,1\}^C :
\sum_e r_e x_e \le R\}`, where :math:`L(x) = \min_{P} \sum_{e \in P} (c_e + d_e x_e)` is the
follower's shortest :math:`s`-:math:`t` path length (removal = the proven finite delay
:math:`d_e = M` of :mod:`stackopt.formulations.interdiction_milp`, so that :math:`L_M(x) = L(x)`
while :math:`t` stays reachable and :math:`L_M(x) > U` otherwise). Writing :math:`L` over an
explicit set :math:`\mathcal P` of paths gives the *master problem*

.. math::

    \bar z(\mathcal P) = \max_{x \in X,\ z} z \quad\text{s.t.}\quad
    z \le \sum_{e \in P} c_e + \sum_{e \in P \cap C} d_e x_e \quad \forall P \in \mathcal P,

a relaxation (fewer constraints than all paths), so :math:`\bar z(\mathcal P) \ge \max_x L(x)`
for every :math:`\mathcal P`: an **upper bound**. Each master solution :math:`\hat x` is feasible
for the leader, and Dijkstra's :math:`L(\hat x)` is a **lower bound**; its shortest path
:math:`\hat P` violates the master's cut set whenever :math:`\bar z > L(\hat x)` and is added.
Finitely many paths exist, so the loop ends with :math:`\bar z - \max L(\hat x) \le` the
tolerance. The upper bound is the master MILP's dual bound as reported by HiGHS (solved at
``mip_rel_gap = 0``), which is what the certificate's ``optimality`` check compares with the
recomputed value — the same kind of claim as the single dual MILP's.

Each master MILP is small (:math:`|C| + 1` columns, one row per generated path) and is warm
started from the best interdiction found so far (feasible for it). Several paths per round:
besides :math:`\hat P`, the shortest path under the master's current :math:`\hat x` with its
own path's arcs interdicted as well (a "what the follower does next" path), when it is not yet
a cut.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from stackopt.engines.highs import model_status_name, new_highs, run_from_start
from stackopt.errors import SolverError
from stackopt.progress import phase, route_highs_log

if TYPE_CHECKING:  # pragma: no cover
    from stackopt.formulations.interdiction_milp import RelevantGraph
    from stackopt.kinds.interdiction.game import InterdictionGame


@dataclass
class BendersOutcome:
    """Best interdiction (arc positions in ``game.arcs``), its value ``L_M`` and the bound."""

    interdicted: tuple[int, ...]
    lower: float
    upper: float
    status: str
    stats: dict[str, Any] = field(default_factory=dict)


class _Graph:
    """The relevant graph as adjacency arrays for a plain Dijkstra (heapq)."""

    def __init__(self, game: InterdictionGame, graph: RelevantGraph) -> None:
        from stackopt.formulations.interdiction_milp import model_delay

        self.index = {v: k for k, v in enumerate(graph.nodes)}
        self.s = self.index[game.source]
        self.t = self.index[game.target]
        self.arcs = list(graph.arcs)
        self.tail = np.array([self.index[game.arcs[k].tail] for k in self.arcs])
        self.head = np.array([self.index[game.arcs[k].head] for k in self.arcs])
        self.length = np.array([game.arcs[k].length for k in self.arcs], dtype=float)
        pos = {k: p for p, k in enumerate(self.arcs)}
        self.cand = np.array([pos[k] for k in graph.candidates], dtype=np.int64)
        self.delay = np.zeros(len(self.arcs))
        self.delay[self.cand] = [model_delay(game.arcs[k], graph.penalty) for k in graph.candidates]
        self.cost = np.array([game.arcs[k].cost for k in graph.candidates], dtype=float)
        self.out: list[list[int]] = [[] for _ in graph.nodes]
        for p in range(len(self.arcs)):
            self.out[int(self.tail[p])].append(p)

    def shortest(self, xc: np.ndarray) -> tuple[float, list[int]]:
        """``L_M`` and the arcs (positions in ``self.arcs``) of a shortest path under the
        interdiction ``xc`` (0/1 per candidate)."""
        w = self.length.copy()
        w[self.cand] += self.delay[self.cand] * xc
        dist = [math.inf] * len(self.out)
        pred = [-1] * len(self.out)
        dist[self.s] = 0.0
        heap = [(0.0, self.s)]
        while heap:
            d, v = heapq.heappop(heap)
            if d > dist[v]:
                continue
            if v == self.t:
                break
            for p in self.out[v]:
                u = int(self.head[p])
                nd = d + float(w[p])
                if nd < dist[u]:
                    dist[u] = nd
                    pred[u] = p
                    heapq.heappush(heap, (nd, u))
        path: list[int] = []
        v = self.t
        while v != self.s:
            p = pred[v]
            path.append(p)
            v = int(self.tail[p])
        return dist[self.t], path[::-1]


def solve_benders(
    game: InterdictionGame,
    graph: RelevantGraph,
    *,
    tol: float,
    time_limit: float | None = None,
    max_rounds: int = 100_000,
    extra_paths: int = 4,
    lp_phase: bool = True,
) -> BendersOutcome:
    """Run the decomposition until the master's bound is within ``tol`` of the best value."""
    import highspy

    t0 = time.perf_counter()
    g = _Graph(game, graph)
    nc = len(g.cand)
    cand_pos = np.full(len(g.arcs), -1, dtype=np.int64)
    cand_pos[g.cand] = np.arange(nc)
    h = new_highs(threads=1, mip_rel_gap=0.0)
    inf = highspy.kHighsInf
    # columns: x_0..x_{nc-1} (binary), z (continuous, at most L_M of interdicting everything)
    zmax = float(g.length.sum() + g.delay.sum()) + 1.0
    for _ in range(nc):
        h.addVar(0.0, 1.0)
    h.addVar(0.0, zmax)
    if nc:
        h.changeColsIntegrality(
            nc, np.arange(nc, dtype=np.int32), np.full(nc, highspy.HighsVarType.kInteger)
        )
        h.addRow(-inf, float(game.budget), nc, np.arange(nc, dtype=np.int32), g.cost)
    h.changeColCost(nc, 1.0)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)

    cuts: set[tuple[int, ...]] = set()
    phase1_s = [0.0]

    def add_cut(path: list[int]) -> bool:
        key = tuple(path)
        if key in cuts:
            return False
        cuts.add(key)
        base = float(g.length[path].sum())
        cp = [int(cand_pos[p]) for p in path if cand_pos[p] >= 0]
        idx = np.array(cp + [nc], dtype=np.int32)
        val = np.r_[-g.delay[g.cand[cp]] if cp else np.empty(0), 1.0]
        h.addRow(-inf, base, len(idx), idx, val)  # z - sum d_e x_e <= sum c_e
        return True

    best_x = np.zeros(nc)
    lower, path = g.shortest(best_x)
    add_cut(path)
    lp_rounds = 0
    if nc and lp_phase:
        # Phase 1 (cut loop on the LP relaxation): for a fractional x, Dijkstra with lengths
        # c + d x finds the most violated path cut; stop when none is violated.
        h.changeColsIntegrality(
            nc, np.arange(nc, dtype=np.int32), np.full(nc, highspy.HighsVarType.kContinuous)
        )
        while lp_rounds < max_rounds:
            lp_rounds += 1
            ts = time.perf_counter()
            h.run()
            highs_s_lp = time.perf_counter() - ts
            phase1_s[0] += highs_s_lp
            if model_status_name(h) != "optimal":
                break
            col = np.asarray(h.getSolution().col_value, dtype=float)
            val, path = g.shortest(col[:nc])
            if val >= col[nc] - tol or not add_cut(path):
                break
        h.changeColsIntegrality(
            nc, np.arange(nc, dtype=np.int32), np.full(nc, highspy.HighsVarType.kInteger)
        )
    upper = math.inf
    rounds = 0
    highs_s = 0.0
    status = "optimal"
    route_highs_log(h)  # the master MILP's log to 'stackopt.highs' (-v) or the status line
    while rounds < max_rounds:
        rounds += 1
        if time_limit is not None:
            left = time_limit - (time.perf_counter() - t0)
            if left <= 0:
                status = "maxTimeLimit"
                break
            h.setOptionValue("time_limit", float(left))
        sol = highspy.HighsSolution()
        sol.col_value = list(best_x) + [lower]
        sol.value_valid = True
        h.setSolution(sol)
        ts = time.perf_counter()
        run_from_start(h)
        highs_s += time.perf_counter() - ts
        st = model_status_name(h)
        if st != "optimal":
            status = st
            break
        info = h.getInfo()
        upper = max(float(info.objective_function_value), float(info.mip_dual_bound))
        h.changeColBounds(nc, 0.0, upper)  # the master's optimum only decreases
        xc = np.round(np.asarray(h.getSolution().col_value[:nc], dtype=float))
        val, path = g.shortest(xc)
        improved = val > lower
        phase(
            "interdiction",
            "Benders round %d: best interdiction %.6g, master bound %.6g",
            rounds,
            max(val, lower),
            upper,
        )
        if improved:
            lower, best_x = val, xc
        if upper - lower <= tol:
            break
        added = add_cut(path)
        # the follower's next moves: its shortest paths once the paths found so far in this
        # round are interdicted as well (valid cuts, found by Dijkstra alone)
        nxt = xc.copy()
        for _ in range(extra_paths):
            on = [int(cand_pos[p]) for p in path if cand_pos[p] >= 0]
            nxt[on] = 1.0
            val2, path = g.shortest(nxt)
            if val2 >= graph.penalty:  # every further path crosses a removed arc
                break
            added = add_cut(path) or added
        if not added and not improved:
            raise SolverError(  # pragma: no cover - a violated path is always new
                "Benders decomposition stalled: the master's path is a cut "
                "already (numerical trouble)"
            )
    else:  # pragma: no cover
        status = "iterationLimit"
    interdicted = tuple(int(g.arcs[g.cand[k]]) for k in np.flatnonzero(best_x > 0.5))
    stats = {
        "benders_rounds": rounds,
        "benders_lp_rounds": lp_rounds,
        "benders_cuts": len(cuts),
        "highs_seconds": highs_s + phase1_s[0],
        "build_seconds": 0.0,
    }
    return BendersOutcome(interdicted, float(lower), float(upper), status, stats)
