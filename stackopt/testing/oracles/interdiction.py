"""Independent oracle for shortest-path interdiction: enumerate every interdiction set within
budget and run networkx Dijkstra on a graph built here from the raw arc data (it shares no code
with stackopt's formulation or certificate)."""

from __future__ import annotations

import itertools
import math

import networkx as nx


def brute_force(arcs, source, target, budget):
    """Best (value, set) over all subsets of ``arcs`` whose total cost is <= budget.

    ``arcs`` is a list of tuples ``(u, v, length, delay, cost, removable)``; value ``inf`` when
    some set disconnects the target.
    """
    best, best_set = -math.inf, None
    n = len(arcs)
    for r in range(n + 1):
        any_fit = False
        for subset in itertools.combinations(range(n), r):
            if sum(arcs[k][4] for k in subset) > budget + 1e-12:
                continue
            any_fit = True
            chosen = set(subset)
            g = nx.DiGraph()
            g.add_nodes_from({a[0] for a in arcs} | {a[1] for a in arcs})
            for k, (u, v, c, d, _, rem) in enumerate(arcs):
                if k in chosen and rem:
                    continue
                g.add_edge(u, v, w=c + (d if k in chosen else 0.0))
            try:
                val = nx.dijkstra_path_length(g, source, target, weight="w")
            except nx.NetworkXNoPath:
                val = math.inf
            if val > best:
                best, best_set = val, chosen
        if not any_fit:
            break
    return best, best_set
