"""A (MI)LP in array form (:class:`~stackopt.formulations.bilevel_form.MILPArrays`) as a Pyomo
model, for ``stackopt export``, plus its read-back.

The model has one variable per column, ``v[<name>]`` (the game's variable names for the first
columns, then ``lambda[<row>]``, ``mu[<row>]``, ``z[<row>]``, ... as the formulation names
them), the rows ``row_lo <= A v <= row_hi`` (``rows[r]``), the objective
``minimise cost . v + constant`` and, optionally, SOS1 sets (``sos1[i]``: at most one of the
listed columns is non-zero - complementarity without any big-M). :func:`read_columns` reads a
solved model back into the column vector the array form uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from stackopt.formulations.bilevel_form import MILPArrays


def pyomo_from_milp(
    milp: MILPArrays,
    names: Sequence[str],
    *,
    name: str = "milp",
    constant: float = 0.0,
    sos1: Sequence[Sequence[int]] = (),
) -> Any:
    """The Pyomo ``ConcreteModel`` of ``milp`` (see the module docstring)."""
    import pyomo.environ as pyo

    A = sp.csr_matrix(milp.A)
    n = A.shape[1]
    labels = list(names)
    if len(labels) != n or len(set(labels)) != n:
        labels = [f"c{i}" for i in range(n)]  # duplicate or missing names: plain indices

    def bound(v: float) -> float | None:
        return float(v) if np.isfinite(v) else None

    m = pyo.ConcreteModel(name=name)
    m.columns = pyo.Set(initialize=labels, ordered=True)
    m.v = pyo.Var(m.columns)
    for i, lab in enumerate(labels):
        m.v[lab].setlb(bound(milp.col_lo[i]))
        m.v[lab].setub(bound(milp.col_hi[i]))
        if milp.integrality[i]:
            lo, hi = milp.col_lo[i], milp.col_hi[i]
            m.v[lab].domain = pyo.Binary if (lo == 0 and hi == 1) else pyo.Integers
    cost = np.asarray(milp.cost, float)
    m.objective = pyo.Objective(
        expr=sum(float(c) * m.v[labels[i]] for i, c in enumerate(cost) if c) + float(constant),
        sense=pyo.minimize,
    )

    def row(_: Any, r: int) -> Any:
        lo, hi = A.indptr[r], A.indptr[r + 1]
        body = sum(
            float(val) * m.v[labels[int(c)]] for c, val in zip(A.indices[lo:hi], A.data[lo:hi])
        )
        if lo == hi:
            return pyo.Constraint.Skip
        if milp.row_lo[r] == milp.row_hi[r]:
            return body == float(milp.row_hi[r])
        return pyo.inequality(bound(milp.row_lo[r]), body, bound(milp.row_hi[r]))

    m.rows = pyo.Constraint(range(A.shape[0]), rule=row)
    if sos1:
        pairs = [list(s) for s in sos1]
        m.sos1 = pyo.SOSConstraint(
            range(len(pairs)), sos=1, rule=lambda mdl, i: [mdl.v[labels[c]] for c in pairs[i]]
        )
    m.column_labels = labels
    return m


def read_columns(model: Any) -> np.ndarray:
    """The solved model's column values, in the array form's order (the read-back)."""
    import pyomo.environ as pyo

    return np.array([pyo.value(model.v[lab]) for lab in model.column_labels], dtype=float)
