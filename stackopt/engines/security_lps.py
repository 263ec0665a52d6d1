r"""Coverage-vector multiple LPs (one attacker type) on one HiGHS model edited in place.

Solves LP(:math:`t^*`) of :mod:`stackopt.formulations.security_lps` for every target on a single
``highspy`` model: columns :math:`c_1..c_T, k`; rows :math:`\Delta_a(t) c_t + k \ge U_a^u(t)`
(one per target, two nonzeros each) and :math:`\sum_t c_t \le m`. Between LPs only the upper
bound of two rows (row :math:`t^*` becomes an equality) and the costs of two columns change;
HiGHS re-solves from the previous basis. Targets are visited in decreasing order of the bound
:math:`U_d^c(t^*)`; once it is not above the incumbent, the remaining LPs are skipped.

Why highspy and not Pyomo: one Pyomo model per LP costs a Pyomo build per target
(``benchmarks/security.py`` measures both engines on the same games: 50 targets 0.08 s vs
3.2 s, 100 targets 0.22 s vs 8.9 s, i.e. about 40 times slower through Pyomo).

For each LP the row duals give the multipliers :math:`(\mu, \nu)` of the weak-duality bound
(signs taken as whichever give the smaller valid bound, as in
:mod:`stackopt.engines.multiple_lps`; if that bound is not tight the dual LP is solved). For an
infeasible LP (a target that can never be a best
response) the explicit dual LP, with its objective floored at :math:`\min_t U_d^u(t) - 1`, gives
multipliers whose bound is below any defender value. Payoffs are divided by their largest
magnitude before solving.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from stackopt.engines.highs import model_status_name, new_highs, run_once
from stackopt.errors import SolverError

if TYPE_CHECKING:  # pragma: no cover
    from stackopt.kinds.security.game import SecurityGame


@dataclass
class TargetRecord:
    """What is known about LP(t) after the loop (original payoff units)."""

    outcome: str  # optimal | pruned | infeasible
    mu: dict[int, float] = field(default_factory=dict)
    nu: float = 0.0
    bound: float | None = None
    value: float | None = None


@dataclass
class SecurityLPsOutcome:
    best: int | None
    coverage: np.ndarray | None
    records: dict[int, TargetRecord]
    stats: dict[str, Any]


def lp_bound(dc, du, ac, au, m: float, j: int, mu: np.ndarray, nu: float) -> float:
    """The weak-duality bound on LP(j) for multipliers ``mu >= 0`` (``mu[j]`` ignored), ``nu``."""
    da, dd = au - ac, dc - du
    mu = np.array(mu, dtype=float)
    mu[j] = 0.0
    others = np.maximum(0.0, da * mu - nu)
    others[j] = 0.0
    return float(
        du[j] + mu @ (au[j] - au) + nu * m + others.sum() + max(0.0, dd[j] - da[j] * mu.sum() - nu)
    )


def solve_security_lps(
    dc: np.ndarray,
    du: np.ndarray,
    ac: np.ndarray,
    au: np.ndarray,
    m: int,
    *,
    prune: bool = True,
    time_limit: float | None = None,
) -> SecurityLPsOutcome:
    """Run the LP loop on one type's payoff vectors (length ``T`` each) and ``m`` resources."""
    import highspy

    t0 = time.perf_counter()
    T = dc.size
    sd = float(max(np.abs(dc).max(), np.abs(du).max())) or 1.0
    sa = float(max(np.abs(ac).max(), np.abs(au).max())) or 1.0
    dan, aun, ddn = (au - ac) / sa, au / sa, (dc - du) / sd

    h = new_highs(threads=1)
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = T + 1, T + 1
    lp.col_cost_ = np.zeros(T + 1)
    lp.col_lower_ = np.r_[np.zeros(T), -inf]
    lp.col_upper_ = np.r_[np.ones(T), inf]
    lp.row_lower_ = np.r_[aun, -inf]
    lp.row_upper_ = np.r_[np.full(T, inf), float(m)]
    # column t: (row t: da_t, row T: 1); column k: rows 0..T-1 with 1
    starts = np.r_[np.arange(0, 2 * T + 1, 2), 3 * T].astype(np.int32)
    index = np.r_[np.column_stack([np.arange(T), np.full(T, T)]).ravel(), np.arange(T)].astype(
        np.int32
    )
    value = np.r_[np.column_stack([dan, np.ones(T)]).ravel(), np.ones(T)]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.sense_ = highspy.ObjSense.kMaximize
    if h.passModel(lp) == highspy.HighsStatus.kError:  # pragma: no cover - defensive
        raise SolverError("HiGHS refused the security LP model")
    setup = time.perf_counter() - t0

    order = np.argsort(-dc, kind="stable")
    floor = float(du.min()) - 1.0
    records: dict[int, TargetRecord] = {}
    best, best_val, best_c = None, -np.inf, None
    solved = pruned = infeasible = dual_lps = 0
    highs_seconds = 0.0
    active = None
    deadline = None if time_limit is None else t0 + time_limit
    for j in order:
        j = int(j)
        if prune and best is not None and dc[j] <= best_val:
            records[j] = TargetRecord("pruned", bound=float(dc[j]))
            pruned += 1
            continue
        never = _never_best_response(dc, du, ac, au, m, j, floor)
        if never is not None:
            records[j] = TargetRecord(
                "infeasible", mu=_sparse(never[0]), nu=never[1], bound=never[2]
            )
            infeasible += 1
            continue
        if deadline is not None and time.perf_counter() > deadline:
            raise SolverError(f"time limit of {time_limit} s reached after {solved} LPs")
        if active is not None:
            h.changeRowBounds(active, float(aun[active]), inf)
            h.changeColCost(active, 0.0)
        h.changeRowBounds(j, float(aun[j]), float(aun[j]))
        h.changeColCost(j, float(ddn[j]))
        active = j
        ts = time.perf_counter()
        run_once(h)
        highs_seconds += time.perf_counter() - ts
        solved += 1
        st = model_status_name(h)
        if st == "optimal":
            sol = h.getSolution()
            c = np.clip(np.asarray(sol.col_value[:T], dtype=float), 0.0, 1.0)
            val = float(du[j] + (dc[j] - du[j]) * c[j])
            duals = np.asarray(sol.row_dual, dtype=float)
            mu, nu, bound = _multipliers(dc, du, ac, au, m, j, duals, sd, sa)
            if bound > val + 1e-9 * sd:  # loose duals: ask the dual LP directly
                dual_lps += 1
                mu, nu, bound = dual_lp(dc, du, ac, au, m, j, None)
            records[j] = TargetRecord("optimal", mu=_sparse(mu), nu=nu, bound=bound, value=val)
            if val > best_val:
                best, best_val, best_c = j, val, c
        elif st == "infeasible":
            infeasible += 1
            dual_lps += 1
            mu, nu, bound = dual_lp(dc, du, ac, au, m, j, floor)
            records[j] = TargetRecord("infeasible", mu=_sparse(mu), nu=nu, bound=bound)
        else:
            raise SolverError(f"HiGHS returned '{st}' on the LP for target {j}")
    stats = {
        "lps_solved": solved,
        "lps_pruned": pruned,
        "lps_infeasible": infeasible,
        "dual_lps_solved": dual_lps,
        "highs_seconds": highs_seconds,
        "build_seconds": setup,
    }
    return SecurityLPsOutcome(best=best, coverage=best_c, records=records, stats=stats)


def _never_best_response(dc, du, ac, au, m, j, floor) -> tuple[np.ndarray, float, float] | None:
    r"""Closed-form proof that target ``j`` is never a best response, as LP multipliers.

    With :math:`c_j = 0` (the easiest case for ``j``), target ``t`` must get coverage at least
    :math:`n_t = (U_a^u(t) - U_a^u(j))^+ / \Delta_a(t)`. LP(j) is infeasible iff some
    :math:`U_a^c(t) > U_a^u(j)` (then :math:`n_t > 1`) or :math:`\sum_t n_t > m`. In the first
    case :math:`\mu_t = s`; in the second :math:`\mu_t = s / \Delta_a(t)` on
    :math:`\{n_t > 0\}` and :math:`\nu = s`: the bound then falls linearly in :math:`s`
    (slope :math:`U_a^u(j) - U_a^c(t) < 0`, resp. :math:`m - \sum n_t < 0`) and :math:`s` is
    chosen to put it at most ``floor``. ``None`` when neither case applies (LP(j) feasible).
    """
    T = dc.size
    da = au - ac
    start = float(dc[j])  # the bound's value before the s-terms (max term <= dd[j])
    mask = np.arange(T) != j
    viol = mask & (ac > au[j])
    mu = np.zeros(T)
    if viol.any():
        t = int(np.argmax(np.where(viol, ac, -np.inf)))
        rate = float(ac[t] - au[j])
        s = (start - floor) / rate + 1.0
        mu[t] = s
        nu = 0.0
    else:
        gap = np.where(mask, au - au[j], 0.0)
        pos = mask & (gap > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            need = np.where(pos, gap / np.where(da > 0, da, 1.0), 0.0)
        if need.sum() <= m:
            return None
        rate = float(need.sum() - m)
        s = (start - floor) / rate + 1.0
        mu[pos] = s / da[pos]
        nu = s
    bound = lp_bound(dc, du, ac, au, m, j, mu, nu)
    return (mu, nu, bound) if bound <= floor else None


def _sparse(mu: np.ndarray) -> dict[int, float]:
    nz = np.flatnonzero(mu)
    return dict(zip(nz.tolist(), mu[nz].tolist()))  # plain ints/floats, no per-entry calls


def _multipliers(dc, du, ac, au, m, j, duals, sd, sa) -> tuple[np.ndarray, float, float]:
    # HiGHS reports duals of >= rows and <= rows with opposite signs in a maximisation; the
    # two signs are tried independently (every choice gives a valid bound).
    best = None
    for sign, sign_nu in ((-1.0, 1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, -1.0)):
        mu = np.clip(sign * duals[:-1], 0.0, None) * (sd / sa)
        mu[j] = 0.0
        nu = max(0.0, sign_nu * float(duals[-1])) * sd
        b = lp_bound(dc, du, ac, au, m, j, mu, nu)
        if best is None or b < best[2]:
            best = (mu, nu, b)
    return best  # type: ignore[return-value]


def dual_lp(dc, du, ac, au, m, j, floor: float | None) -> tuple[np.ndarray, float, float]:
    r"""Minimise the weak-duality bound of LP(j) over :math:`(\mu, \nu) \ge 0` directly.

    Columns: :math:`\mu_t` (t != j), :math:`\nu`, :math:`w_t` (positive parts). With ``floor``
    the objective is held at or above it (the bound of an infeasible LP is unbounded below).
    """
    import highspy

    T = dc.size
    da, dd = au - ac, dc - du
    h = new_highs(threads=1)
    inf = highspy.kHighsInf
    others = [t for t in range(T) if t != j]
    n_mu = len(others)
    cost = np.r_[au[j] - au[others], float(m), np.ones(T)]  # mu, nu, w
    for _ in range(n_mu + 1 + T):
        h.addVar(0.0, inf)
    h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
    nu_col = n_mu
    for pos, t in enumerate(others):  # w_t - da_t mu_t + nu >= 0
        h.addRow(
            0.0,
            inf,
            3,
            np.array([n_mu + 1 + t, pos, nu_col], dtype=np.int32),
            np.array([1.0, -da[t], 1.0]),
        )
    idx = np.r_[n_mu + 1 + j, np.arange(n_mu), nu_col].astype(np.int32)
    h.addRow(float(dd[j]), inf, idx.size, idx, np.r_[1.0, np.full(n_mu, da[j]), 1.0])
    if floor is not None:
        h.addRow(floor - float(du[j]), inf, len(cost), np.arange(len(cost), dtype=np.int32), cost)
    run_once(h)
    if model_status_name(h) != "optimal":
        raise SolverError(f"HiGHS could not solve the dual LP of target {j}")
    sol = np.asarray(h.getSolution().col_value, dtype=float)
    mu = np.zeros(T)
    mu[others] = np.clip(sol[:n_mu], 0.0, None)
    nu = max(0.0, float(sol[nu_col]))
    return mu, nu, lp_bound(dc, du, ac, au, m, j, mu, nu)


_dual_lp = dual_lp  # the name used before 0.2


def polish_coverage(game: SecurityGame, c: np.ndarray, resp: list[int]) -> tuple[np.ndarray, bool]:
    r"""Re-solve the LP of the MILP's response profile for a clean vertex coverage.

    With the attacked targets :math:`t_\lambda` fixed, the best coverage is the LP
    :math:`\max \sum_\lambda p_\lambda \Delta_d^\lambda(t_\lambda) c_{t_\lambda}` s.t.
    :math:`U_a^\lambda(t_\lambda, c) \ge U_a^\lambda(t, c)`, :math:`\sum c \le m`,
    :math:`0 \le c \le 1`. The MILP's coverage is feasible for it (up to HiGHS's MIP
    feasibility tolerance), so the LP vertex is as good up to that tolerance; it replaces the
    MILP's coverage unless its defender value is lower by more than ``1e-6`` times the payoff
    scale. The certificate checks the result either way.
    """
    import highspy

    T = game.n_targets
    ac, au = game.attacker_covered, game.attacker_uncovered
    dd = game.defender_covered - game.defender_uncovered
    h = new_highs(threads=1)
    inf = highspy.kHighsInf
    for _ in range(T):
        h.addVar(0.0, 1.0)
    cost = np.zeros(T)
    for lam, t in enumerate(resp):
        cost[t] += game.priors[lam] * dd[lam, t]
    h.changeColsCost(T, np.arange(T, dtype=np.int32), cost)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    for lam, j in enumerate(resp):
        da = au[lam] - ac[lam]
        for t in range(T):
            if t == j:
                continue
            # U_a(j, c) - U_a(t, c) >= 0  <=>  da_t c_t - da_j c_j >= au_t - au_j
            h.addRow(
                float(au[lam, t] - au[lam, j]),
                inf,
                2,
                np.array([t, j], dtype=np.int32),
                np.array([da[t], -da[j]]),
            )
    h.addRow(-inf, float(game.resources), T, np.arange(T, dtype=np.int32), np.ones(T))
    run_once(h)
    if model_status_name(h) != "optimal":
        return c, False
    new = np.clip(np.asarray(h.getSolution().col_value, dtype=float), 0.0, 1.0)

    def value(cov):
        ud = game.defender_utility(cov)
        return sum(p * ud[lam, t] for lam, (p, t) in enumerate(zip(game.priors, resp)))

    # the MILP point may overshoot by HiGHS's MIP feasibility tolerance (1e-6, relative to the
    # coefficients), so the exact LP vertex may be lower by that much
    slack = 1e-6 * max(game.defender_scale, game.attacker_scale)
    return (new, True) if value(new) >= value(c) - slack else (c, False)
