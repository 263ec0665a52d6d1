r"""The Sandholm–Gilpin–Conitzer MILP for Nash equilibria of a bimatrix game.

Formulation 1 of Sandholm, Gilpin & Conitzer, *Mixed-integer programming methods for finding
Nash equilibria*, AAAI 2005, for the simultaneous game with payoff matrices ``A`` (player 1,
the file's leader; rows) and ``B`` (player 2, the file's follower; columns).

Variables
    :math:`x_i \ge 0` (row player's mixed strategy), :math:`y_j \ge 0` (column player's),
    :math:`u_1, u_2` (equilibrium payoffs), regrets :math:`r^1_i, r^2_j \ge 0`, binaries
    :math:`s_i, t_j \in \{0, 1\}` (1 = the action is *outside* the support).

Constraints

.. math::

    \begin{aligned}
    & \textstyle\sum_i x_i = 1, \qquad \sum_j y_j = 1 \\
    & r^1_i = u_1 - \textstyle\sum_j A_{ij} y_j, \qquad r^2_j = u_2 - \sum_i B_{ij} x_i \\
    & x_i \le 1 - s_i, \qquad r^1_i \le M_1 s_i \\
    & y_j \le 1 - t_j, \qquad r^2_j \le M_2 t_j
    \end{aligned}

Objective: maximise (``best``) or minimise (``worst``) :math:`u_1`.

Big-M constants and their validity
    Row :math:`i`'s constant is :math:`M^1_i = \max_j (\max_r A_{rj} - A_{ij})` and column
    :math:`j`'s is :math:`M^2_j = \max_i (\max_c B_{ic} - B_{ij})` (0 allowed), never above the
    matrix range :math:`\max A - \min A`: since :math:`u_1 = \max_r (Ay)_r \le
    \sum_j y_j \max_r A_{rj}`, the regret :math:`r^1_i = u_1 - (Ay)_i \le \sum_j y_j
    (\max_r A_{rj} - A_{ij}) \le M^1_i`, and symmetrically for player 2.

    *Every Nash equilibrium is feasible.* Let :math:`(x, y)` be a Nash equilibrium, put
    :math:`u_1 = \max_i (Ay)_i`, :math:`s_i = 1` iff :math:`x_i = 0`. Each :math:`(Ay)_i` is a
    convex combination of entries of ``A``, so :math:`r^1_i = u_1 - (Ay)_i \in [0, M^1_i]`; if
    :math:`x_i > 0` then :math:`i` is a best response, :math:`r^1_i = 0`, and :math:`s_i = 0`
    satisfies both switched constraints. Symmetrically for player 2. Hence no equilibrium is
    cut off, and the optimum is the best (worst) equilibrium payoff of player 1.

    *Every feasible point is a Nash equilibrium.* :math:`r^1 \ge 0` gives :math:`u_1 \ge (Ay)_i`
    for all :math:`i`; if :math:`x_i > 0` then :math:`s_i = 0` so :math:`r^1_i = 0`. Hence
    :math:`x` puts weight only on maximisers of :math:`Ay`, :math:`u_1 = \max_i (Ay)_i =
    x^\top A y`, i.e. :math:`x` is a best response to :math:`y` and :math:`u_1` is player 1's
    payoff. Symmetrically for :math:`y`.

The equilibrium payoffs also satisfy :math:`u_1 \in [\min A, \max A]`,
:math:`u_2 \in [\min B, \max B]`, which are imposed as variable bounds.

HiGHS has no SOS1 or indicator constraints (``docs/design.md``), so the big-M form,
whose constants are proven valid above, is the exact formulation used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pyomo.environ as pyo

    from stackopt.kinds.normal_form.game import NormalFormGame

OBJECTIVES = ("best", "worst")


def big_m(matrix: np.ndarray) -> float:
    """The valid regret bound ``max - min`` of a payoff matrix (see the module docstring)."""
    return float(matrix.max() - matrix.min())


def row_big_m(matrix: np.ndarray) -> np.ndarray:
    r"""Per-row regret bounds :math:`\max_j (\max_r M_{rj} - M_{ij})` (module docstring)."""
    return (matrix.max(axis=0)[None, :] - matrix).max(axis=1)


def build_nash_milp(game: NormalFormGame, objective: str = "best") -> pyo.ConcreteModel:
    """The MILP as a Pyomo model.

    Components: ``x[i]``, ``y[j]`` (strategies, indexed by action labels), ``u1``, ``u2``
    (payoffs of the file's leader and follower), ``r1[i]``, ``r2[j]`` (regrets), ``s[i]``,
    ``t[j]`` (binary: action unused), constraints ``simplex1``, ``simplex2``, ``regret1``,
    ``regret2``, ``support1``, ``support2``, ``switch1``, ``switch2`` and the objective
    ``leader_value`` (maximise for ``best``, minimise for ``worst``).
    """
    import pyomo.environ as pyo

    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}, got {objective!r}")
    A, B = game.A, game.B
    m, n = game.shape
    rows, cols = list(game.leader_actions), list(game.follower_actions)
    M1 = dict(zip(rows, row_big_m(A).tolist()))
    M2 = dict(zip(cols, row_big_m(B.T).tolist()))

    model = pyo.ConcreteModel(name=f"nash_{objective}")
    model.I = pyo.Set(initialize=rows, ordered=True)
    model.J = pyo.Set(initialize=cols, ordered=True)
    model.x = pyo.Var(model.I, bounds=(0, 1), doc="player 1's mixed strategy")
    model.y = pyo.Var(model.J, bounds=(0, 1), doc="player 2's mixed strategy")
    model.u1 = pyo.Var(bounds=(float(A.min()), float(A.max())), doc="player 1's payoff")
    model.u2 = pyo.Var(bounds=(float(B.min()), float(B.max())), doc="player 2's payoff")
    model.r1 = pyo.Var(model.I, bounds=lambda mdl, r: (0, M1[r]), doc="regret of row actions")
    model.r2 = pyo.Var(model.J, bounds=lambda mdl, c: (0, M2[c]), doc="regret of column actions")
    model.s = pyo.Var(model.I, domain=pyo.Binary, doc="1 if the row action is unused")
    model.t = pyo.Var(model.J, domain=pyo.Binary, doc="1 if the column action is unused")

    model.simplex1 = pyo.Constraint(expr=sum(model.x[r] for r in rows) == 1)
    model.simplex2 = pyo.Constraint(expr=sum(model.y[c] for c in cols) == 1)

    def _regret1(mdl, r):
        i = rows.index(r)
        return mdl.r1[r] == mdl.u1 - sum(float(A[i, j]) * mdl.y[cols[j]] for j in range(n))

    def _regret2(mdl, c):
        j = cols.index(c)
        return mdl.r2[c] == mdl.u2 - sum(float(B[i, j]) * mdl.x[rows[i]] for i in range(m))

    model.regret1 = pyo.Constraint(model.I, rule=_regret1)
    model.regret2 = pyo.Constraint(model.J, rule=_regret2)
    model.support1 = pyo.Constraint(model.I, rule=lambda mdl, r: mdl.x[r] <= 1 - mdl.s[r])
    model.support2 = pyo.Constraint(model.J, rule=lambda mdl, c: mdl.y[c] <= 1 - mdl.t[c])
    model.switch1 = pyo.Constraint(model.I, rule=lambda mdl, r: mdl.r1[r] <= M1[r] * mdl.s[r])
    model.switch2 = pyo.Constraint(model.J, rule=lambda mdl, c: mdl.r2[c] <= M2[c] * mdl.t[c])
    model.leader_value = pyo.Objective(
        expr=model.u1, sense=pyo.maximize if objective == "best" else pyo.minimize
    )
    return model


def read_solution(model: pyo.ConcreteModel, game: NormalFormGame) -> tuple[np.ndarray, np.ndarray]:
    """Read back a solved model: both mixed strategies, clipped at 0 and renormalised."""
    import pyomo.environ as pyo

    x = np.clip([pyo.value(model.x[a]) for a in game.leader_actions], 0.0, None)
    y = np.clip([pyo.value(model.y[b]) for b in game.follower_actions], 0.0, None)
    return x / x.sum(), y / y.sum()
