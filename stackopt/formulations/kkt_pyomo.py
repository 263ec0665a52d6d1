"""The KKT big-M MILP built with Pyomo's own machinery (export and cross-checks).

Chain (checked on Bard's example, ``docs/design.md``): the follower's problem is written as a
Pyomo block
with the leader's variables, ``core.kkt`` with ``parameterize_wrt=[leader variables]`` adds
multipliers, stationarity and a ``ComplementarityList``; ``mpec.simple_disjunction`` turns each
complementarity into a disjunction; ``gdp.bigm`` turns those into big-M constraints with M
estimated from *variable bounds*. We give the variables bounds that are proven
(:mod:`.bounds`): multipliers get the largest proven multiplier bound, ``x`` and ``y`` their
range over the high-point relaxation (two LPs per variable). When a multiplier is unbounded
``gdp.bigm`` refuses with ``GDP_Error``, which is passed on as
:class:`~stackopt.errors.UnsupportedError` (never replaced by a default M).

Mathematically the same model as :mod:`.kkt_bigm` (with interval-arithmetic M for the slacks,
which is looser but valid). ``benchmarks/bilevel.py`` times both: building through Pyomo takes
far longer than HiGHS needs to solve these MILPs, which is why the solve path assembles the
matrix directly.
"""

from __future__ import annotations

import numpy as np

from stackopt.errors import UnsupportedError
from stackopt.formulations.bilevel_form import follower_form, highs_from_matrix, kkt_matrix
from stackopt.formulations.bounds import prove_bounds
from stackopt.kinds.bilevel.game import BilevelProblem


def variable_ranges(problem: BilevelProblem) -> tuple[np.ndarray, np.ndarray]:
    """Range of every ``[x, y]`` column over the high-point relaxation (LP per side)."""
    from stackopt.engines.highs import run_highs

    km = kkt_matrix(problem, stationarity=False)
    n = km.n_cols
    h = highs_from_matrix(km.A, np.zeros(n), km.col_lo, km.col_hi, km.row_lo, km.row_hi)
    lo, hi = km.col_lo.copy(), km.col_hi.copy()
    idx = np.arange(n, dtype=np.int32)
    for j in range(n):
        for sign in (1.0, -1.0):
            c = np.zeros(n)
            c[j] = sign
            h.changeColsCost(n, idx, c)
            if run_highs(h) == "optimal":
                v = sign * float(h.getInfo().objective_function_value)
                pad = 1e-7 * max(1.0, abs(v))
                if sign > 0:
                    lo[j] = max(lo[j], v - pad)
                else:
                    hi[j] = min(hi[j], v + pad)
    return lo, hi


def build_pyomo_kkt(problem: BilevelProblem, *, transform: bool = True):
    """Pyomo ``ConcreteModel``: leader problem + KKT of the follower (+ big-M if ``transform``)."""
    import pyomo.environ as pyo
    from pyomo.gdp import GDP_Error

    f = follower_form(problem)
    bounds = prove_bounds(problem, f)
    lo, hi = variable_ranges(problem)
    nx, ny = problem.n_leader, problem.n_follower
    m = pyo.ConcreteModel(name=problem.name or "bilevel")
    m.X = pyo.RangeSet(0, nx - 1) if nx else pyo.Set(initialize=[])
    m.Y = pyo.RangeSet(0, ny - 1)

    def _b(v):
        return None if not np.isfinite(v) else float(v)

    m.x = pyo.Var(
        m.X,
        bounds=lambda _, j: (_b(lo[j]), _b(hi[j])),
        domain=lambda _, j: pyo.Integers if problem.integer_leader[j] else pyo.Reals,
    )
    m.follower = pyo.Block()
    fb = m.follower
    fb.y = pyo.Var(
        m.Y, bounds=lambda _, j: (_b(problem.follower_lower[j]), _b(problem.follower_upper[j]))
    )
    cx, cy = problem.min_leader_cost
    m.leader_objective = pyo.Objective(
        expr=sum(cx[j] * m.x[j] for j in range(nx)) + sum(cy[j] * fb.y[j] for j in range(ny))
    )
    G_x, G_y = problem.leader_rows_x, problem.leader_rows_y
    m.leader_rows = pyo.Constraint(
        range(G_y.shape[0]),
        rule=lambda _, i: pyo.inequality(
            _b(problem.leader_rows_lower[i]),
            sum(G_x[i, j] * m.x[j] for j in range(nx) if G_x[i, j])
            + sum(G_y[i, j] * fb.y[j] for j in range(ny) if G_y[i, j]),
            _b(problem.leader_rows_upper[i]),
        ),
    )
    d, Q = problem.min_follower_cost
    obj = sum(d[j] * fb.y[j] for j in range(ny))
    D = problem.min_follower_cross
    if D is not None:
        obj = obj + sum(D[i, j] * fb.y[i] * m.x[j] for i in range(ny) for j in range(nx) if D[i, j])
    if Q is not None:
        obj = obj + 0.5 * sum(
            Q[i, j] * fb.y[i] * fb.y[j] for i in range(ny) for j in range(ny) if Q[i, j]
        )
    fb.objective = pyo.Objective(expr=obj)
    A_x, A_y = problem.follower_rows_x, problem.follower_rows_y
    fb.rows = pyo.Constraint(
        range(A_y.shape[0]),
        rule=lambda _, i: (
            pyo.inequality(
                _b(problem.follower_rows_lower[i]),
                sum(A_x[i, j] * m.x[j] for j in range(nx) if A_x[i, j])
                + sum(A_y[i, j] * fb.y[j] for j in range(ny) if A_y[i, j]),
                _b(problem.follower_rows_upper[i]),
            )
            if problem.follower_rows_lower[i] != problem.follower_rows_upper[i]
            else sum(A_x[i, j] * m.x[j] for j in range(nx) if A_x[i, j])
            + sum(A_y[i, j] * fb.y[j] for j in range(ny) if A_y[i, j])
            == float(problem.follower_rows_upper[i])
        ),
    )
    used = [m.x[j] for j in range(nx) if np.any(A_x[:, j]) or (D is not None and np.any(D[:, j]))]
    from pyomo.common.enums import ObjectiveSense
    from pyomo.common.numeric_types import RegisterIntegerType

    RegisterIntegerType(ObjectiveSense)  # core.kkt multiplies by obj.sense
    pyo.TransformationFactory("core.kkt").apply_to(fb, parameterize_wrt=used)
    fb.objective.deactivate()
    # y's proven range (valid for every bilevel-feasible point) is set only after core.kkt
    # so that it is not dualised; gdp.bigm reads it to estimate M
    for j in range(ny):
        fb.y[j].setlb(_b(max(lo[nx + j], problem.follower_lower[j])))
        fb.y[j].setub(_b(min(hi[nx + j], problem.follower_upper[j])))
    lam_max = float(np.max(bounds.lam, initial=0.0))
    for a in fb.kkt.alpha.values():
        a.setub(lam_max if np.isfinite(lam_max) else None)
    if not transform:
        return m
    pyo.TransformationFactory("mpec.simple_disjunction").apply_to(m)
    try:
        pyo.TransformationFactory("gdp.bigm").apply_to(m)
    except GDP_Error as exc:
        raise UnsupportedError(
            f"Pyomo's gdp.bigm refused the KKT model: {str(exc).splitlines()[0]}",
            field="method",
            fix="no big-M can be proven for this problem; solve it with "
            "method 'bard_moore' (export is only available when all "
            "multipliers are provably bounded)",
        ) from None
    return m
