r"""Multiple LPs for incentive games (paper section 4.1, eqs. 12-13): one LP per induced action.

The leader commits to :math:`x \in \Delta_m` and pays incentives; the follower plays the action
:math:`j` that maximises its payoff plus the incentive. For every follower action :math:`j`,
LP(:math:`j`) finds the leader's best (commitment, incentives) that make :math:`j` a best
response (Conitzer & Sandholm's multiple LPs with the incentives as extra variables).

**Uniform contract** (:math:`v_k \in [0, \bar v]` paid whenever the follower plays :math:`k`;
:math:`v_k = 0` for actions that may not be paid):

.. math::

    \begin{aligned}
    \max_{x, v, u}\quad & \textstyle\sum_i A_{ij} x_i - c\, v_j \\
    \text{s.t.}\quad & \textstyle\sum_i B_{ik} x_i + v_k - u \le 0 \quad \forall k \ne j
        && (\text{dual } y_k \ge 0)\\
    & \textstyle\sum_i B_{ij} x_i + v_j - u = 0, \qquad v_j \le \beta\ (\text{budget})\\
    & \textstyle\sum_i x_i = 1,\quad x \ge 0,\quad 0 \le v \le \bar v,\quad u \text{ free.}
    \end{aligned}

**Per-action contract** (:math:`v_{ak}` paid when the leader realised :math:`a` and the
follower plays :math:`k`): the follower's expected payoff for :math:`k` is
:math:`\sum_a x_a (B_{ak} + v_{ak})`, bilinear in :math:`(x, v)`; the substitution
:math:`w_{ak} = x_a v_{ak}` with :math:`0 \le w_{ak} \le \bar v\, x_a` is exact (any such
:math:`w` gives :math:`v_{ak} = w_{ak} / x_a \in [0, \bar v]` where :math:`x_a > 0`):

.. math::

    \max \textstyle\sum_i A_{ij} x_i - c \sum_a w_{aj}\ \text{ s.t. }\
    \sum_i B_{ik} x_i + \sum_a w_{ak} - u \le 0\ (k \ne j),\ \ (= 0 \text{ for } k = j),\ \
    w_{ak} \le \bar v\, x_a,\ \ \sum_a w_{aj} \le \beta.

Payments on actions other than :math:`j` only tighten the constraints and are never made, so
an optimal LP(:math:`j`) sets them to zero; the engine
(:mod:`stackopt.engines.incentive_lps`) solves this reduced LP.

**Duality bound** (the certificate). For any :math:`y \ge 0` indexed by :math:`k \ne j`,
Lagrangian relaxation of the best-response rows gives, for both contracts,

.. math::

    \mathrm{LP}(j) \le \max_i \Big(A_{ij} + \sum_{k \ne j} y_k (B_{ij} - B_{ik})\Big)
        + U_j \max\Big(0, \sum_{k \ne j} y_k - c\Big),

with :math:`U_j = \min(\bar v, \beta)` for a payable :math:`j` and 0 otherwise (for the
per-action contract, :math:`\max_{w \ge 0}` with the multipliers of :math:`w_a \le \bar v x_a`
and of the budget gives the same term). Hence the two contracts have the same optimal value:
a per-action contract can always be replaced by the uniform one paying
:math:`\sum_a w_{aj}`. :math:`y = 0` gives the pruning bound :math:`\max_i A_{ij}`.

This module builds LP(:math:`j`) as a Pyomo model for ``stackopt export`` and the
``engine="pyomo"`` cross-check; :func:`dual_bound` is the bound both the engines and the
certificate use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pyomo.environ as pyo

    from stackopt.kinds.incentive.game import IncentiveGame


def dual_bound(
    A: np.ndarray, B: np.ndarray, cap: float, cost_weight: float, j: int, y: np.ndarray
) -> float:
    r"""The weak-duality bound on LP(``j``) for multipliers ``y >= 0`` (length n; ``y[j]``
    ignored): :math:`\max_i (A_{ij} + \sum_{k\ne j} y_k (B_{ij} - B_{ik})) + U_j \max(0,
    \sum_{k \ne j} y_k - c)` with ``cap`` :math:`= U_j`."""
    y = np.array(y, dtype=float)
    y[j] = 0.0
    nz = np.flatnonzero(y)
    if nz.size == 0:
        return float(A[:, j].max())
    yy = y[nz]
    s = float(yy.sum())
    lift = A[:, j] + B[:, j] * s - B[:, nz] @ yy
    return float(lift.max()) + cap * max(0.0, s - cost_weight)


def build_lp(game: IncentiveGame, response: int | str) -> pyo.ConcreteModel:
    """LP(``response``) as a Pyomo model (the full LP, incentives on every payable action).

    Components: ``x[a]`` (commitment), ``u`` (the follower's best value with incentives),
    ``v[k]`` (uniform incentives, payable actions) or ``w[a, k]`` (per-action transfers
    :math:`x_a v_{ak}`) with rows ``cap[a, k]``: ``w[a,k] <= max * x[a]``; rows
    ``best_response[k]`` (``<= 0``, ``== 0`` for ``k = response``), ``budget`` (when the game
    has one and the response is payable), ``simplex``; objective ``leader_value`` (maximise).
    """
    import pyomo.environ as pyo

    from stackopt.formulations.multiple_lps import safe_name

    j = response if isinstance(response, (int, np.integer)) else game.follower_index(response)
    A, B = game.A, game.B
    m = game.shape[0]
    inc = game.incentives
    rows, cols = list(game.leader_actions), list(game.follower_actions)
    paid = list(game.payable_actions)
    c = float(inc.cost_weight)

    model = pyo.ConcreteModel(name=f"incentive_lp_{safe_name(cols[j])}")
    model.I = pyo.Set(initialize=rows, ordered=True)
    model.K = pyo.Set(initialize=cols, ordered=True)
    model.P = pyo.Set(initialize=paid, ordered=True)
    model.x = pyo.Var(model.I, bounds=(0, 1), doc="leader's commitment")
    model.u = pyo.Var(doc="follower's best-response value, incentives included")
    per_action = inc.contract == "per_action"
    if per_action:
        model.w = pyo.Var(
            model.I, model.P, bounds=(0, None), doc="expected transfer x[a] * v[a, k]"
        )
        model.cap = pyo.Constraint(
            model.I, model.P, rule=lambda mdl, a, k: mdl.w[a, k] - inc.max * mdl.x[a] <= 0
        )
    else:
        model.v = pyo.Var(model.P, bounds=(0, inc.max), doc="incentive paid for action k")

    def transfer(mdl: Any, k: str) -> Any:
        if k not in paid:
            return 0.0
        return sum(mdl.w[a, k] for a in rows) if per_action else mdl.v[k]

    def _row(mdl: Any, k: str) -> Any:
        kk = cols.index(k)
        expr = sum(float(B[i, kk]) * mdl.x[rows[i]] for i in range(m)) + transfer(mdl, k) - mdl.u
        return (0.0, expr, 0.0) if kk == j else expr <= 0.0

    model.best_response = pyo.Constraint(model.K, rule=_row)
    if inc.budget is not None and cols[j] in paid:
        model.budget = pyo.Constraint(expr=transfer(model, cols[j]) <= inc.budget)
    model.simplex = pyo.Constraint(expr=sum(model.x[r] for r in rows) == 1)
    model.leader_value = pyo.Objective(
        expr=sum(float(A[i, j]) * model.x[rows[i]] for i in range(m))
        - c * transfer(model, cols[j]),
        sense=pyo.maximize,
    )
    return model
