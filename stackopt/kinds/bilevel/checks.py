"""Certificates for bilevel problems, and the follower oracle they rest on.

Given a leader decision ``x`` and a reported response ``y``, :func:`certify` checks

``commitment`` (called ``leader_feasible`` before 0.2)
    ``x`` within its bounds and integral where required; leader rows hold at ``(x, y)``.
``follower_feasible``
    follower rows and bounds hold at ``(x, y)``.
``best_response`` (called ``follower_optimal`` before 0.2)
    the follower's problem at ``x`` is re-solved from scratch (LP, or convex QP, by HiGHS) and
    ``f(x, y) <= f*(x) + atol``.
``tie_break``
    optimistic tie-break: a second LP minimises the leader's objective over the follower's
    optimal face at ``x`` (``{y feasible : d'y <= d'y*, Qy = Qy*}``, which is the optimal set
    of a convex QP/LP, Dempe 2002) together with the leader's rows; the reported response must
    be within ``atol`` of that best value.
``leader_value``, ``follower_value``
    both values recomputed from ``(x, y)`` and compared with the reported ones.

The ``optimality`` check is added by the method (with ``big_m_valid`` for the MILP methods)
or by :func:`stackopt.kinds.bilevel.solve.verify_bilevel`.
Absolute tolerances are ``rtol`` times the scale: the problem's largest finite number, or the
magnitude of the objective values the answer evaluates to (summed exactly, :func:`exact_values`)
when larger — never a reported number or a variable's magnitude, which a forged result could
set to 1e300 to pass every check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from stackopt.certificate import Certificate, Check, excess
from stackopt.engines.highs import run_highs
from stackopt.kinds.bilevel.game import BilevelProblem
from stackopt.kinds.registry import DEFAULT_RTOL
from stackopt.vocabulary import BEST_RESPONSE, COMMITMENT


@dataclass(frozen=True)
class FollowerSolve:
    """Outcome of the follower oracle at one leader decision.

    ``status`` is ``optimal``, ``infeasible`` (no feasible response), ``unbounded`` (the
    follower's problem has no optimum), ``no_leader_feasible_response`` (no optimal response
    satisfies the leader's rows) or ``error``. ``value`` is ``f*`` in minimisation form;
    ``y`` the optimistic response; ``leader_value`` its leader objective (minimisation form,
    including the ``x`` part).
    """

    status: str
    value: float | None = None
    y: np.ndarray | None = None
    leader_value: float | None = None


class FollowerOracle:
    """Solves the follower's problem at given ``x`` (in place) and breaks ties optimistically.

    Two HiGHS models are kept and edited in place between calls: the follower's LP/QP, and the
    tie-break LP over its optimal face with the leader's rows.
    """

    def __init__(
        self, problem: BilevelProblem, *, face_rtol: float = 1e-9, gain_rtol: float = 1e-7
    ) -> None:
        import scipy.sparse as sp

        from stackopt.formulations.bilevel_form import highs_from_matrix

        self.p = problem
        self.face_rtol = face_rtol
        self.gain_rtol = gain_rtol
        ny = problem.n_follower
        self.d, self.Q = problem.min_follower_cost
        self.D = problem.min_follower_cross
        Ay = problem.follower_rows_y
        self.m = Ay.shape[0]
        self.mg = problem.leader_rows_y.shape[0]
        self.fmodel = highs_from_matrix(
            sp.csc_matrix(Ay),
            self.d,
            problem.follower_lower,
            problem.follower_upper,
            problem.follower_rows_lower,
            problem.follower_rows_upper,
            hessian=self.Q,
        )
        face_rows = [Ay, problem.leader_rows_y, self.d.reshape(1, ny)]
        if self.Q is not None:
            face_rows.append(self.Q)
        A = sp.csc_matrix(np.vstack(face_rows))
        nrow = A.shape[0]
        self.face = highs_from_matrix(
            A,
            problem.min_leader_cost[1],
            problem.follower_lower,
            problem.follower_upper,
            np.full(nrow, -np.inf),
            np.full(nrow, np.inf),
        )
        self.calls = 0

    def solve(self, x: np.ndarray) -> FollowerSolve:
        p = self.p
        self.calls += 1
        shift = p.follower_rows_x @ x
        lo, hi = p.follower_rows_lower - shift, p.follower_rows_upper - shift
        if self.m:
            self.fmodel.changeRowsBounds(
                self.m, np.arange(self.m, dtype=np.int32), _fin(lo), _fin(hi)
            )
        ny = p.n_follower
        dx = self.d
        if self.D is not None:
            dx = self.d + self.D @ x
            self.fmodel.changeColsCost(ny, np.arange(ny, dtype=np.int32), dx)
            for j in range(ny):
                self.face.changeCoeff(self.m + self.mg, j, float(dx[j]))
        status = run_highs(self.fmodel)
        if status != "optimal":
            return FollowerSolve(status)
        y0 = np.array(self.fmodel.getSolution().col_value)
        fstar = float(dx @ y0 + (0.5 * y0 @ self.Q @ y0 if self.Q is not None else 0.0))
        lin = float(dx @ y0)
        gshift = p.leader_rows_x @ x
        glo, ghi = p.leader_rows_lower - gshift, p.leader_rows_upper - gshift
        tol = self.face_rtol * max(1.0, abs(lin), float(np.abs(y0).max(initial=0.0)))
        rlo = [lo, glo, [-np.inf]]
        rhi = [hi, ghi, [lin + tol]]
        if self.Q is not None:
            qy = self.Q @ y0
            qt = self.face_rtol * max(1.0, float(np.abs(qy).max(initial=0.0)))
            rlo.append(qy - qt)
            rhi.append(qy + qt)
        rlo_a, rhi_a = np.concatenate(rlo), np.concatenate(rhi)
        n = rlo_a.size
        self.face.changeRowsBounds(n, np.arange(n, dtype=np.int32), _fin(rlo_a), _fin(rhi_a))
        if p.leader_cross is not None:  # the leader's cost of y depends on x: c_y + H x
            self.face.changeColsCost(ny, np.arange(ny, dtype=np.int32), self._leader_y_cost(x))
        st2 = run_highs(self.face)
        if st2 == "infeasible":
            return FollowerSolve("no_leader_feasible_response", fstar)
        if st2 != "optimal":
            return FollowerSolve("error", fstar)
        y = np.array(self.face.getSolution().col_value)
        cx, cy = p.min_leader_cost
        cy = self._leader_y_cost(x)
        v_face, v0 = float(cx @ x + cy @ y), float(cx @ x + cy @ y0)
        # keep the follower's own optimum unless the tie-break gains more than round-off
        if v0 - v_face <= self.gain_rtol * max(1.0, abs(v0)) and _viol(
            p, x, y0
        ) <= self.gain_rtol * max(1.0, abs(v0)):
            y, v_face = y0, v0
        return FollowerSolve("optimal", fstar, y, v_face)

    def _leader_y_cost(self, x: np.ndarray) -> np.ndarray:
        """``c_y + H x``: the leader's (minimisation) cost of ``y`` at ``x``."""
        cy = self.p.min_leader_cost[1]
        H = self.p.min_leader_cross
        return cy if H is None else cy + H @ x


def _viol(p: BilevelProblem, x: np.ndarray, y: np.ndarray) -> float:
    return row_violation(
        p.leader_rows_lower, p.leader_rows_x @ x + p.leader_rows_y @ y, p.leader_rows_upper
    )


def _fin(a: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(a, float), -1e30, 1e30)


# The HiGHS runner lives in the engines layer; the old private name stays importable.
_run = run_highs


def tolerances(problem: BilevelProblem, rtol: float, *values: Any) -> tuple[float, float]:
    """``(atol, scale)``: scale = max(problem coefficients, |values|, 1). A certificate passes
    only the objective values its answer evaluates to (:func:`exact_values`): never a reported
    number, nor a variable's magnitude (a variable that enters no objective, or two that cancel,
    would widen the tolerance of every check)."""
    vals = [problem.scale]
    for v in values:
        if v is None:
            continue
        arr = np.abs(np.atleast_1d(np.asarray(v, dtype=float)))
        arr = arr[np.isfinite(arr)]
        if arr.size:
            vals.append(float(arr.max()))
    scale = max(vals)
    return rtol * scale, scale


_EPS = 2.0**-53


def _exact_dot(a: np.ndarray, v: np.ndarray) -> Fraction:
    """``a @ v`` in rational arithmetic (floats are rationals: no rounding)."""
    return sum(
        (Fraction(float(a[i])) * Fraction(float(v[i])) for i in np.flatnonzero(a)), Fraction(0)
    )


def _exact_form(M: np.ndarray | None, u: np.ndarray, v: np.ndarray) -> Fraction:
    """``u' M v`` in rational arithmetic (``0`` when ``M`` is ``None``)."""
    if M is None:
        return Fraction(0)
    rows, cols = np.nonzero(M)
    return sum(
        (
            Fraction(float(M[i, j])) * Fraction(float(u[i])) * Fraction(float(v[j]))
            for i, j in zip(rows, cols, strict=True)
        ),
        Fraction(0),
    )


def exact_values(
    problem: BilevelProblem, x: np.ndarray, y: np.ndarray
) -> tuple[float, float, float]:
    """``(leader value, follower value, follower cost in y)`` at ``(x, y)``, each summed in
    rational arithmetic and rounded once: the objectives as stated, and the follower's
    minimisation-form cost ``(d + D x)' y + y' Q y / 2`` that the re-solved optimum is compared
    with. A floating-point sum of large terms that cancel (``z1 - z2`` at ``1e300``) could land
    anywhere; the exact sum cannot. NaN when an entry is not finite."""
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        return math.nan, math.nan, math.nan
    p = problem
    lv = (
        _exact_dot(p.leader_cost_x, x)
        + _exact_dot(p.leader_cost_y, y)
        + Fraction(p.leader_constant)
        + _exact_form(p.leader_cross, y, x)
    )
    fy = _exact_dot(p.follower_cost_y, y) + _exact_form(p.follower_cross, y, x)
    if p.follower_quadratic is not None:
        fy += _exact_form(p.follower_quadratic, y, y) / 2
    fx = _exact_dot(p.follower_cost_x, x) + Fraction(p.follower_constant)
    return float(lv), float(fx + fy), float(Fraction(p.follower_sign) * fy)


def row_activity(A: np.ndarray, x: np.ndarray, atol: float) -> np.ndarray:
    r"""``A @ x``, with every row whose floating-point rounding could reach ``atol / 8``
    (bound :math:`(n + 2)\,2^{-53} \sum_j |a_j x_j|`) summed again in rational arithmetic, so
    that large cancelling terms cannot make a violated row look satisfied."""
    body = A @ x
    if A.size == 0 or not np.all(np.isfinite(x)):
        return body  # a NaN or infinite entry: the float rows (NaN fails its check)
    bound = (A.shape[1] + 2) * _EPS * (np.abs(A) @ np.abs(x))
    for i in np.flatnonzero(~(bound <= atol / 8)):
        body[i] = float(_exact_dot(A[i], x))
    return body


def row_violation(lo: np.ndarray, body: np.ndarray, hi: np.ndarray) -> float:
    if body.size == 0:
        return 0.0
    return excess(np.max(lo - body), np.max(body - hi))


def certify(
    problem: BilevelProblem,
    x: np.ndarray,
    y: np.ndarray,
    leader_value: float | None,
    follower_value: float | None,
    *,
    rtol: float = DEFAULT_RTOL,
    extra: tuple[Check, ...] = (),
    evidence: dict[str, Any] | None = None,
    oracle: FollowerOracle | None = None,
) -> Certificate:
    """Check ``(x, y)`` and the reported values against ``problem`` (see module doc)."""
    p = problem
    lv, fv, f_rep = exact_values(p, x, y)
    atol, scale = tolerances(p, rtol, lv, fv)
    checks: list[Check] = []
    xy = np.concatenate([x, y])

    def violation(lower, v, upper, rows_lower, rows_x, rows_y, rows_upper) -> float:
        """Bounds on ``v`` and rows on ``(x, y)``; keeps NaN (the builtin max drops it)."""
        body = row_activity(np.hstack([rows_x, rows_y]), xy, atol)
        return excess(row_violation(lower, v, upper), row_violation(rows_lower, body, rows_upper))

    # leader feasibility
    viol = violation(
        p.leader_lower,
        x,
        p.leader_upper,
        p.leader_rows_lower,
        p.leader_rows_x,
        p.leader_rows_y,
        p.leader_rows_upper,
    )
    integ = p.integer_leader
    ivio = float(np.max(np.abs(x[integ] - np.round(x[integ])), initial=0.0))
    worst = excess(viol, ivio)
    checks.append(
        Check(
            COMMITMENT,
            worst <= atol,
            worst,
            atol,
            "leader bounds, integrality and leader rows hold at (x, y)"
            if worst <= atol
            else f"leader constraints violated by {worst:.3g}",
        )
    )
    fviol = violation(
        p.follower_lower,
        y,
        p.follower_upper,
        p.follower_rows_lower,
        p.follower_rows_x,
        p.follower_rows_y,
        p.follower_rows_upper,
    )
    checks.append(
        Check(
            "follower_feasible",
            fviol <= atol,
            fviol,
            atol,
            "the response satisfies the follower's rows and bounds"
            if fviol <= atol
            else f"the response violates the follower's constraints by {fviol:.3g}",
        )
    )
    oracle = oracle or FollowerOracle(p)
    sol = oracle.solve(x)
    if sol.value is None:
        checks.append(
            Check(
                BEST_RESPONSE,
                False,
                None,
                atol,
                f"re-solving the follower's problem at x gave: {sol.status}",
            )
        )
    else:
        gap = f_rep - sol.value
        checks.append(
            Check(
                BEST_RESPONSE,
                gap <= atol,
                max(gap, 0.0),
                atol,
                f"re-solved follower optimum {p.follower_sign * sol.value:.10g}; "
                f"the response is {'optimal' if gap <= atol else 'NOT optimal'} "
                f"(gap {max(gap, 0.0):.3g})",
            )
        )
    mine = p.leader_sign * (lv - p.leader_constant)
    if sol.status == "optimal" and sol.leader_value is not None:
        gap = mine - sol.leader_value
        checks.append(
            Check(
                "tie_break",
                gap <= atol,
                max(gap, 0.0),
                atol,
                "no optimal response of the follower is better for the leader "
                f"(best over the optimal face: "
                f"{p.leader_sign * sol.leader_value + p.leader_constant:.10g})"
                if gap <= atol
                else f"another optimal response is better for the leader by {gap:.3g}",
            )
        )
    else:
        checks.append(
            Check(
                "tie_break",
                False,
                None,
                atol,
                f"the tie-break LP over the follower's optimal face: {sol.status}",
            )
        )
    for name, rep, true in (
        ("leader_value", leader_value, lv),
        ("follower_value", follower_value, fv),
    ):
        if rep is None:  # values are optional
            checks.append(
                Check(name, True, None, atol, f"not reported; the problem gives {true:.10g}")
            )
        else:
            err = abs(float(rep) - true)
            checks.append(
                Check(
                    name,
                    err <= atol,
                    err,
                    atol,
                    f"recomputed {true:.10g}, reported {float(rep):.10g}",
                )
            )
    checks.extend(extra)
    return Certificate(
        tuple(checks), rtol=rtol, atol=atol, scale=scale, evidence=dict(evidence or {})
    )
