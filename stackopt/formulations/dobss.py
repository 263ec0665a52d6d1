r"""DOBSS: the mixed-integer linear programme for Bayesian Stackelberg games.

Paruchuri, Pearce, Marecki, Tambe, Ordóñez & Kraus, *Playing games for security: an efficient
exact algorithm for solving Bayesian Stackelberg games*, AAMAS 2008 (Decomposed Optimal
Bayesian Stackelberg Solver).

Data: leader actions :math:`i \in I`; follower types :math:`\ell` with priors :math:`p_\ell`
(normalised weights for independent followers), actions :math:`j \in J_\ell`, leader payoffs
:math:`R^\ell_{ij}` and follower payoffs :math:`C^\ell_{ij}`.

Variables

* :math:`x_i \in [0,1]` — the leader's commitment (shared by all types);
* :math:`z^\ell_{ij} \in [0,1]` — :math:`x_i q^\ell_j`, the joint probability of leader action
  :math:`i` and type-:math:`\ell` response :math:`j` (linearises the bilinear objective);
* :math:`q^\ell_j \in \{0,1\}` — type :math:`\ell` responds with :math:`j`;
* :math:`a^\ell` — type :math:`\ell`'s best-response value.

Model

.. math::

    \begin{aligned}
    \max\quad & \textstyle\sum_\ell p_\ell \sum_{i,j} R^\ell_{ij}\, z^\ell_{ij}\\
    \text{s.t.}\quad
    & \textstyle\sum_j z^\ell_{ij} = x_i && \forall \ell, i \quad(\texttt{mix})\\
    & \textstyle\sum_i x_i = 1 && (\texttt{simplex})\\
    & \textstyle q^\ell_j \le \sum_i z^\ell_{ij} \le 1 && \forall \ell, j \quad(\texttt{pick})\\
    & \textstyle\sum_j q^\ell_j = 1 && \forall \ell \quad(\texttt{one\_response})\\
    & \textstyle 0 \le a^\ell - \sum_i C^\ell_{ij} x_i \le (1 - q^\ell_j)\, M^\ell_j
        && \forall \ell, j \quad(\texttt{br\_low}, \texttt{br\_high})
    \end{aligned}

The paper writes ``mix`` as :math:`\sum_j z^\ell_{ij} = \sum_j z^1_{ij}`; naming the common
value :math:`x_i` is the same constraint set. Because :math:`\sum_{ij} z^\ell_{ij} = 1`, ``pick``
and ``one_response`` force :math:`z^\ell_{ij} = x_i` in the chosen column and 0 elsewhere, so the
objective equals :math:`\sum_\ell p_\ell\, x^\top R^\ell_{\cdot j_\ell}`. The maximisation
chooses the responses too, so ties are broken in the leader's favour (strong equilibrium).

**Big-M constants and their validity.** We use

.. math::

    M^\ell_j = \max_i \Big( \max_k C^\ell_{ik} - C^\ell_{ij} \Big) \;\ge 0 .

*Claim.* For every commitment :math:`x` and every profile of best responses :math:`j_\ell`,
the point :math:`(x, z, q, a)` with :math:`q^\ell_{j_\ell} = 1`, :math:`z^\ell_{ij} = x_i
[j = j_\ell]` and :math:`a^\ell = \max_k x^\top C^\ell_{\cdot k}` is feasible; and in every
feasible point each :math:`j_\ell` with :math:`q^\ell_{j_\ell} = 1` is a best response to
:math:`x`. Hence the MILP optimum is exactly the strong Bayesian Stackelberg value.

*Proof.* Feasibility: ``br_low`` holds because :math:`a^\ell` is the maximum; for the chosen
column ``br_high`` reads :math:`a^\ell - x^\top C^\ell_{\cdot j_\ell} \le 0`, true since
:math:`j_\ell` is a best response; for any other column :math:`j`,

.. math::

    a^\ell - x^\top C^\ell_{\cdot j} = \sum_i x_i \big(C^\ell_{i j_\ell} - C^\ell_{ij}\big)
    \le \max_i \big(C^\ell_{i j_\ell} - C^\ell_{ij}\big)
    \le \max_i \big(\max_k C^\ell_{ik} - C^\ell_{ij}\big) = M^\ell_j,

using :math:`x \ge 0`, :math:`\sum_i x_i = 1`. Conversely, in a feasible point ``br_low`` gives
:math:`a^\ell \ge x^\top C^\ell_{\cdot k}` for all :math:`k` and ``br_high`` with
:math:`q^\ell_{j_\ell} = 1` gives :math:`a^\ell \le x^\top C^\ell_{\cdot j_\ell}`; so
:math:`j_\ell` attains the maximum. :math:`\square`

The constants depend on the follower's payoffs only (the leader's never enter a big-M
constraint), need no bound on any variable, and cannot be decreased: a smaller
:math:`M^\ell_j` cuts off the pure commitment to the maximising row :math:`i` together with
the best response :math:`k` attaining :math:`\max_k C^\ell_{ik}` there.

Numerics: :func:`build_dobss` divides :math:`R` by the largest absolute leader payoff, and
maps each type's :math:`C^\ell` affinely onto :math:`[0, 1]` (subtract its minimum, divide by
its range). A positive affine map of one type's payoffs changes none of its best responses, and
the proof above holds for any payoff matrix, so the model stays exact while HiGHS's absolute
tolerances act relative to each type's payoff range (shifting a type's payoffs by a large
constant would otherwise squeeze its best-response margins). The model's objective is in units
of the leader scale (``model.leader_scale``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pyomo.environ as pyo

    from stackopt.kinds.bayesian.game import BayesianGame


def big_m(C: np.ndarray) -> np.ndarray:
    """The valid constants :math:`M_j = \\max_i(\\max_k C_{ik} - C_{ij})` for one type."""
    C = np.asarray(C, dtype=float)
    return (C.max(axis=1, keepdims=True) - C).max(axis=0)


def build_dobss(game: BayesianGame, *, scale: bool = True) -> pyo.ConcreteModel:
    """The DOBSS MILP of ``game`` as a Pyomo model (see the module docstring).

    Components: ``x[i]``, ``z[l, i, j]``, ``q[l, j]`` (binary), ``a[l]``; constraints ``mix``,
    ``simplex``, ``pick_low``, ``pick_high``, ``one_response``, ``br_low``, ``br_high``;
    objective ``leader_value``; ``model.M[l, j]`` holds the big-M constants (scaled units);
    ``model.leader_scale`` the leader divisor (1 when ``scale=False``; follower payoffs are then
    also left in original units).
    Index sets use positions: types ``l``, leader actions ``i`` and per-type actions ``j``.
    """
    import pyomo.environ as pyo

    p = game.priors
    sa = game.leader_scale if scale else 1.0
    m = game.m
    L = len(game.types)
    R = [t.R / sa for t in game.types]
    C = [_unit_range(t.C) if scale else t.C for t in game.types]
    LJ = [(l, j) for l in range(L) for j in range(C[l].shape[1])]
    LIJ = [(l, i, j) for l in range(L) for i in range(m) for j in range(C[l].shape[1])]

    model = pyo.ConcreteModel(name=f"dobss_{game.name or 'bayesian'}")
    model.leader_scale = sa
    model.L = pyo.Set(initialize=range(L), ordered=True)
    model.I = pyo.Set(initialize=range(m), ordered=True)
    model.LJ = pyo.Set(initialize=LJ, dimen=2, ordered=True)
    model.LIJ = pyo.Set(initialize=LIJ, dimen=3, ordered=True)
    model.M = pyo.Param(
        model.LJ,
        initialize={(l, j): float(big_m(C[l])[j]) for l, j in LJ},
        doc="valid big-M constants (see module docstring)",
    )

    model.x = pyo.Var(model.I, bounds=(0, 1), doc="leader's commitment")
    model.z = pyo.Var(model.LIJ, bounds=(0, 1), doc="z[l,i,j] = x[i] q[l,j]")
    model.q = pyo.Var(model.LJ, domain=pyo.Binary, doc="type l responds with j")
    lo = [float(c.min()) for c in C]
    hi = [float(c.max()) for c in C]
    model.a = pyo.Var(
        model.L, bounds=lambda mdl, l: (lo[l], hi[l]), doc="type l's best-response value"
    )

    cols = {l: range(C[l].shape[1]) for l in range(L)}
    model.mix = pyo.Constraint(
        model.L, model.I, rule=lambda mdl, l, i: sum(mdl.z[l, i, j] for j in cols[l]) == mdl.x[i]
    )
    model.simplex = pyo.Constraint(expr=sum(model.x[i] for i in model.I) == 1)
    model.pick_low = pyo.Constraint(
        model.LJ, rule=lambda mdl, l, j: mdl.q[l, j] <= sum(mdl.z[l, i, j] for i in mdl.I)
    )
    model.pick_high = pyo.Constraint(
        model.LJ, rule=lambda mdl, l, j: sum(mdl.z[l, i, j] for i in mdl.I) <= 1
    )
    model.one_response = pyo.Constraint(
        model.L, rule=lambda mdl, l: sum(mdl.q[l, j] for j in cols[l]) == 1
    )

    def _payoff(mdl, l, j):
        return sum(float(C[l][i, j]) * mdl.x[i] for i in mdl.I)

    model.br_low = pyo.Constraint(
        model.LJ, rule=lambda mdl, l, j: mdl.a[l] - _payoff(mdl, l, j) >= 0
    )
    model.br_high = pyo.Constraint(
        model.LJ,
        rule=lambda mdl, l, j: mdl.a[l] - _payoff(mdl, l, j) <= (1 - mdl.q[l, j]) * mdl.M[l, j],
    )
    model.leader_value = pyo.Objective(
        expr=sum(float(p[l]) * float(R[l][i, j]) * model.z[l, i, j] for (l, i, j) in LIJ),
        sense=pyo.maximize,
    )
    return model


def _unit_range(C: np.ndarray) -> np.ndarray:
    lo, hi = float(C.min()), float(C.max())
    return (C - lo) / (hi - lo) if hi > lo else C - lo


def read_solution(model: pyo.ConcreteModel, game: BayesianGame) -> tuple[np.ndarray, list[int]]:
    """The commitment (clipped, renormalised) and each type's chosen response index."""
    import pyomo.environ as pyo

    x = np.array([pyo.value(model.x[i]) for i in range(game.m)], dtype=float)
    x = np.clip(x, 0.0, None)
    x = x / x.sum()
    resp = []
    for l, t in enumerate(game.types):
        qs = [pyo.value(model.q[l, j]) for j in range(len(t.actions))]
        resp.append(int(np.argmax(qs)))
    return x, resp
