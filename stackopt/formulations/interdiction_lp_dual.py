r"""Shortest-path interdiction via Pyomo's ``core.lp_dual`` (a cross-check formulation).

The follower's shortest-path LP (flow variables :math:`y_e \ge 0`, one flow-balance equation
per node, objective :math:`\sum_e (c_e + d_e x_e) y_e`) is written in Pyomo with the leader's
binaries :math:`x` as variables of an outer model, and Pyomo's ``core.lp_dual`` transformation
(``parameterize_wrt`` = the :math:`x`) produces its LP dual, in which :math:`x` appears only in
right-hand sides. The outer model keeps :math:`x`, the budget constraint and the dual block,
giving the same single-level MILP as :mod:`stackopt.formulations.interdiction_milp` (Israeli &
Wood 2002, MXSP-D) up to the sign convention of the dual variables, the redundant balance row
and the bounds :math:`\pi \ge 0`. Same graph reductions and the same removal penalty
:math:`M = 2U + 1` (proof in :mod:`~stackopt.formulations.interdiction_milp`).

Measured (20x20 grid, 1,520 arcs): building took 4.2 s here against 0.08 s for the directly
written dual, with the same optimum and similar HiGHS time; hence it is not the default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stackopt.formulations.interdiction_milp import RelevantGraph, model_delay, reachable_graph

if TYPE_CHECKING:  # pragma: no cover
    import pyomo.environ as pyo

    from stackopt.kinds.interdiction.game import InterdictionGame


def build_interdiction_lp_dual(
    game: InterdictionGame, graph: RelevantGraph | None = None
) -> pyo.ConcreteModel:
    """Outer model with ``x[k]`` (binary), ``budget``, the deactivated primal block
    ``follower`` and the dual block ``dual`` (objective ``dual.obj``, maximised).

    ``model.penalty``/``model.path_bound`` hold :math:`M`/:math:`U` as in the direct model.
    """
    import pyomo.environ as pyo

    g = reachable_graph(game, graph)
    model = pyo.ConcreteModel(name=f"interdiction_lp_dual_{game.name or 'game'}")
    model.penalty = g.penalty
    model.path_bound = g.path_bound
    model.X = pyo.Set(initialize=g.candidates, ordered=True)
    model.x = pyo.Var(model.X, domain=pyo.Binary, doc="arc k is interdicted")
    cand = set(g.candidates)

    f = model.follower = pyo.Block()
    f.A = pyo.Set(initialize=g.arcs, ordered=True)
    f.y = pyo.Var(f.A, domain=pyo.NonNegativeReals, doc="flow on arc k")
    outs: dict[str, list[int]] = {v: [] for v in g.nodes}
    ins: dict[str, list[int]] = {v: [] for v in g.nodes}
    for k in g.arcs:
        outs[game.arcs[k].tail].append(k)
        ins[game.arcs[k].head].append(k)
    rhs = {v: 1.0 if v == game.source else (-1.0 if v == game.target else 0.0) for v in g.nodes}
    f.balance = pyo.Constraint(
        list(g.nodes),
        rule=lambda b, v: sum(b.y[k] for k in outs[v]) - sum(b.y[k] for k in ins[v]) == rhs[v],
    )

    def _arc_cost(k: int):
        a = game.arcs[k]
        if k in cand:
            return (a.length + model_delay(a, g.penalty) * model.x[k]) * f.y[k]
        return a.length * f.y[k]

    f.obj = pyo.Objective(expr=sum(_arc_cost(k) for k in g.arcs), sense=pyo.minimize)
    dual = pyo.TransformationFactory("core.lp_dual").create_using(
        f, parameterize_wrt=[model.x[k] for k in g.candidates]
    )
    f.deactivate()
    model.dual = dual
    model.budget = pyo.Constraint(  # skipped when no arc can be interdicted
        rule=lambda mdl: (
            sum(game.arcs[k].cost * mdl.x[k] for k in g.candidates) <= game.budget
            if g.candidates
            else pyo.Constraint.Skip
        )
    )
    return model
