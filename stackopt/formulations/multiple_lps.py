r"""Conitzer–Sandholm multiple LPs for the strong Stackelberg equilibrium of a bimatrix game.

For every follower action :math:`j`, LP(:math:`j`) finds the leader's best mixed commitment
:math:`x` among those that make :math:`j` a best response:

.. math::

    \begin{aligned}
    \max_{x,\,u}\quad & \textstyle\sum_i A_{ij}\, x_i \\
    \text{s.t.}\quad & \textstyle\sum_i B_{ik}\, x_i - u \le 0 \quad \forall k
        && (\text{dual } y_k \ge 0)\\
    & \textstyle\sum_i B_{ij}\, x_i - u \ge 0 && (\text{row } j \text{ held at equality})\\
    & \textstyle\sum_i x_i = 1,\quad x \ge 0,\ u \text{ free.}
    \end{aligned}

:math:`u` is the follower's best-response value. The strong Stackelberg equilibrium (follower
breaks ties in the leader's favour) is the best LP(:math:`j`) over :math:`j`
(Conitzer & Sandholm, *Computing the optimal strategy to commit to*, EC 2006).

All LPs share one constraint matrix: only the objective and the bounds of row :math:`j` change,
which is what lets the HiGHS engine (:mod:`stackopt.engines.multiple_lps`) edit one model in
place. Weak duality gives the optimality certificate: for any :math:`y \ge 0` indexed by
:math:`k \ne j`,

.. math::

    \mathrm{LP}(j) \le \max_i \Big( A_{ij} + \textstyle\sum_{k \ne j} y_k (B_{ij} - B_{ik}) \Big),

and :math:`y = 0` gives the pruning bound :math:`\max_i A_{ij}`.

This module builds LP(:math:`j`) as a Pyomo model, for inspection, LP/MPS export and as an
independent solve path (``engine="pyomo"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pyomo.environ as pyo

    from stackopt.kinds.normal_form.game import NormalFormGame


def build_lp(game: NormalFormGame, response: int | str) -> pyo.ConcreteModel:
    """LP(``response``) as a Pyomo model.

    Components: ``x[i]`` (leader's probabilities, indexed by leader action labels), ``u`` (the
    follower's value), ``best_response[k]`` (one row per follower action ``k``:
    ``sum_i B[i,k] x[i] - u <= 0``, and ``>= 0`` for ``k = response``), ``simplex`` and the
    objective ``leader_value`` (maximise).
    """
    import pyomo.environ as pyo

    j = response if isinstance(response, (int, np.integer)) else game.follower_index(response)
    A, B = game.A, game.B
    m = game.shape[0]
    rows, cols = list(game.leader_actions), list(game.follower_actions)

    model = pyo.ConcreteModel(name=f"sse_lp_{safe_name(cols[j])}")
    model.I = pyo.Set(initialize=rows, ordered=True)
    model.K = pyo.Set(initialize=cols, ordered=True)
    model.x = pyo.Var(model.I, bounds=(0, 1), doc="leader's commitment")
    model.u = pyo.Var(doc="follower's best-response value")

    def _row(mdl, k):
        kk = cols.index(k)
        expr = sum(float(B[i, kk]) * mdl.x[rows[i]] for i in range(m)) - mdl.u
        return (0.0, expr, 0.0) if kk == j else expr <= 0.0

    model.best_response = pyo.Constraint(model.K, rule=_row)
    model.simplex = pyo.Constraint(expr=sum(model.x[r] for r in rows) == 1)
    model.leader_value = pyo.Objective(
        expr=sum(float(A[i, j]) * model.x[rows[i]] for i in range(m)), sense=pyo.maximize
    )
    return model


def dual_bound(game: NormalFormGame, response: int, multipliers: np.ndarray) -> float:
    """The weak-duality bound on LP(``response``) given multipliers ``y >= 0`` (length n).

    ``multipliers[response]`` is ignored; negative entries are rejected by the caller.
    """
    A, B = game.A, game.B
    y = np.array(multipliers, dtype=float)
    y[response] = 0.0
    # A[:, j] + sum_k y_k (B[:, j] - B[:, k])
    lift = A[:, response] + B[:, response] * y.sum() - B @ y
    return float(lift.max())


def safe_name(label: str) -> str:
    """``label`` with every character but letters, digits and ``_`` replaced by ``_``."""
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in label)


def read_lp(
    model: pyo.ConcreteModel, game: NormalFormGame, response: int, duals: Any
) -> tuple[np.ndarray, float, np.ndarray]:
    """Read back a solved LP(``response``): ``(x, leader value, y)``.

    ``x`` is the commitment in the game's action order, ``y`` the multipliers of the
    best-response rows (``|dual|``, zero at ``response``) from ``duals``, the mapping
    constraint -> dual value that Pyomo's solution loader returns.
    """
    import pyomo.environ as pyo

    x = np.array([pyo.value(model.x[a]) for a in game.leader_actions], dtype=float)
    y = np.zeros(len(game.follower_actions))
    for k, lab in enumerate(game.follower_actions):
        if k != response:
            y[k] = abs(duals[model.best_response[lab]])
    return x, float(pyo.value(model.leader_value)), y
