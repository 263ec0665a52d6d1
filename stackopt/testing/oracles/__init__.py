"""Reference oracles: independent computations to cross-check any Stackelberg solver.

They are written from the mathematics and the games' raw data only; none of them imports
stackopt's solvers, formulations or certificates, so they can check stackopt as well as your
own code (stackopt's test suite uses them exactly so). They are brute force: meant for small
games.

:mod:`~stackopt.testing.oracles.normal_form`
    :func:`sse_vertex_enumeration` (exact rational strong Stackelberg equilibrium by vertex
    enumeration of every best-response region), :func:`pure_commitment_values`,
    :func:`leader_value_at`, :func:`grid_value_2xn`, :func:`minimax_value` (scipy),
    :func:`nash_leader_values` (nashpy).
:mod:`~stackopt.testing.oracles.bayesian`
    :func:`profile_enumeration` (one LP per profile of type responses; scipy),
    :func:`weak_exact_two_actions` (exact pessimistic supremum, two leader actions).
:mod:`~stackopt.testing.oracles.bilevel`
    :func:`enumerate_active_sets` (linear bilevel problems, one LP per active set; scipy),
    :func:`enumerate_integer_leader` (integer leader in a small box; scipy).
:mod:`~stackopt.testing.oracles.interdiction`
    :func:`brute_force` (every interdiction set within budget, networkx Dijkstra).
:mod:`~stackopt.testing.oracles.catalogue`
    :data:`CASES`: small normal-form games with hand-derived exact answers.

Names are imported from the submodules on first use, so ``import stackopt.testing.oracles``
costs nothing until an oracle is called.
"""

from __future__ import annotations

from stackopt._lazy import lazy_exports

#: name -> the submodule that defines it
_WHERE = {
    "ExactSSE": "normal_form",
    "to_fractions": "normal_form",
    "solve_exact": "normal_form",
    "region_vertices": "normal_form",
    "sse_vertex_enumeration": "normal_form",
    "pure_commitment_values": "normal_form",
    "leader_value_at": "normal_form",
    "breakpoints_2xn": "normal_form",
    "grid_value_2xn": "normal_form",
    "minimax_value": "normal_form",
    "nash_leader_values": "normal_form",
    "profile_enumeration": "bayesian",
    "weak_exact_two_actions": "bayesian",
    "enumerate_active_sets": "bilevel",
    "enumerate_integer_leader": "bilevel",
    "brute_force": "interdiction",
    "CASES": "catalogue",
    "BY_NAME": "catalogue",
    "Case": "catalogue",
}

__getattr__, __dir__ = lazy_exports(
    __name__, {name: f"{__name__}.{module}" for name, module in _WHERE.items()}
)
__all__ = sorted(_WHERE)
