r"""Coverage-vector multiple LPs for a security game with one attacker type.

For every target :math:`t^*`, LP(:math:`t^*`) finds the defender's best coverage vector among
those that make :math:`t^*` a best response of the attacker (Kiekintveld, Jain, Tsai, Pita,
Ordóñez & Tambe, *Computing optimal randomized resource allocations for massive security
games*, AAMAS 2009, §4; the compact-form analogue of Conitzer & Sandholm's multiple LPs):

.. math::

    \begin{aligned}
    \max_{c,\,k}\quad & U_d^u(t^*) + c_{t^*} \Delta_d(t^*) \\
    \text{s.t.}\quad & k \ge U_a^u(t) - c_t\, \Delta_a(t) \quad \forall t
        && (\text{dual } \mu_t \ge 0;\ k \text{ is the attacker's value})\\
    & k \le U_a^u(t^*) - c_{t^*} \Delta_a(t^*) && (t^* \text{ is a best response})\\
    & \textstyle\sum_t c_t \le m \quad (\text{dual } \nu \ge 0), \qquad 0 \le c \le 1,
    \end{aligned}

with :math:`\Delta_d = U_d^c - U_d^u \ge 0` and :math:`\Delta_a = U_a^u - U_a^c \ge 0`. The
strong Stackelberg equilibrium (attacker breaks ties in the defender's favour) is the best
LP(:math:`t^*`) over targets; infeasible LPs are targets that can never be a best response.

Optimality certificate (weak duality). Eliminating :math:`k`, the Lagrangian of LP(:math:`t^*`)
with multipliers :math:`\mu_t \ge 0` (:math:`t \ne t^*`) and :math:`\nu \ge 0`, maximised over
the box :math:`[0, 1]^T`, gives for *any* such multipliers

.. math::

    \mathrm{LP}(t^*) \le U_d^u(t^*) + \sum_{t \ne t^*} \mu_t \big(U_a^u(t^*) - U_a^u(t)\big)
    + \nu m + \sum_{t \ne t^*} \big(\Delta_a(t)\mu_t - \nu\big)^+
    + \big(\Delta_d(t^*) - \Delta_a(t^*) \textstyle\sum_{t \ne t^*} \mu_t - \nu\big)^+ ,

and :math:`\mu = 0, \nu = 0` gives the pruning bound :math:`U_d^c(t^*)`. The certificate
(:mod:`stackopt.kinds.security.checks`) recomputes this bound for every target from the recorded
multipliers, written in linear size as :math:`(\nu, \kappa)` plus at most one explicit
:math:`\mu_t` (:mod:`stackopt.kinds.security.bounds` proves that this family contains an
optimal dual of every LP(:math:`t^*`)).

This module builds LP(:math:`t^*`) in Pyomo for inspection, LP/MPS export and as an
independent solve path (``engine="pyomo"``). The default engine
(:mod:`stackopt.engines.security_lps`) solves all LPs on one ``highspy`` model edited in place;
the measured reason is in ``benchmarks/security.py`` (Pyomo rebuilds each LP).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyomo.environ as pyo

from stackopt.formulations.multiple_lps import safe_name

if TYPE_CHECKING:  # pragma: no cover
    from stackopt.kinds.security.game import SecurityGame


def build_security_lp(game: SecurityGame, target: int | str) -> pyo.ConcreteModel:
    """LP(``target``) for a one-type security game as a Pyomo model.

    Components: ``c[t]`` (coverage, indexed by target labels), ``k`` (attacker's value),
    ``attacker_value[t]`` (``k >= U_a(t, c)``), ``best_response`` (``k <= U_a(t*, c)``),
    ``resources`` (``sum c <= m``) and the objective ``defender_value`` (maximise).
    """
    import pyomo.environ as pyo

    if game.n_types != 1:
        raise ValueError("the multiple-LPs formulation needs one attacker type")
    j = target if isinstance(target, int) else game.target_index(target)
    labels = list(game.targets)
    dc, du = game.defender_covered[0], game.defender_uncovered[0]
    ac, au = game.attacker_covered[0], game.attacker_uncovered[0]
    model = pyo.ConcreteModel(name=f"security_lp_{safe_name(labels[j])}")
    model.T = pyo.Set(initialize=labels, ordered=True)
    model.c = pyo.Var(model.T, bounds=(0, 1), doc="coverage probability")
    model.k = pyo.Var(doc="attacker's best-response value")

    def _ua(mdl, t):
        i = labels.index(t)
        return float(au[i]) - float(au[i] - ac[i]) * mdl.c[t]

    model.attacker_value = pyo.Constraint(model.T, rule=lambda mdl, t: mdl.k >= _ua(mdl, t))
    model.best_response = pyo.Constraint(expr=model.k <= _ua(model, labels[j]))
    model.resources = pyo.Constraint(expr=sum(model.c[t] for t in labels) <= game.resources)
    model.defender_value = pyo.Objective(
        expr=float(du[j]) + float(dc[j] - du[j]) * model.c[labels[j]], sense=pyo.maximize
    )
    return model


def read_security_lp(
    model: pyo.ConcreteModel, game: SecurityGame, duals: Any
) -> tuple[np.ndarray, np.ndarray, float]:
    """Read back a solved LP(``target``): ``(coverage clipped to [0, 1], mu, nu)``, the
    multipliers of the attacker-value rows and of the resource row (``|dual|``) from
    ``duals``, the mapping constraint -> dual value of Pyomo's solution loader."""
    import pyomo.environ as pyo

    c = np.clip([pyo.value(model.c[lab]) for lab in game.targets], 0.0, 1.0)
    mu = np.array([abs(duals[model.attacker_value[lab]]) for lab in game.targets])
    return c, mu, float(abs(duals[model.resources]))
