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

Bound records are linear in size (:mod:`stackopt.kinds.security.bounds` states the maths): for
a solved LP the optimal :math:`c_{t^*}` (read from HiGHS's objective value; the full solution
is read only for a new incumbent) gives the attacker's value :math:`k^*`, and the record is the
best, in closed form, of :math:`\mu = \nu = 0`, one explicit multiplier on the target of
largest :math:`U_a^c`, and :math:`(\nu, \kappa = k^*)` standing for
:math:`\mu_t = \nu / \Delta_a(t)` on :math:`\{U_a^u(t) \ge \kappa\}`. One of them is tight
in exact arithmetic; if none is within :math:`10^{-9}` times the payoff scale of the LP value,
the explicit dual LP is solved for that target and recorded as a full multiplier vector (the
record form written before the compact one). The records are computed after the loop, for all
solved LPs at once (:func:`compact_records`). Targets that can
never be a best response get closed-form compact rays (:class:`NeverBestResponse`); an LP
HiGHS still finds infeasible gets the explicit dual LP with its objective floored at
:math:`\min_t U_d^u(t) - 1`, i.e. multipliers whose bound is below any defender value.
Payoffs are divided by their largest magnitude before solving.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from stackopt.engines.highs import model_status_name, new_highs, run_once
from stackopt.engines.multiple_lps import LPsOutcome
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
    #: with ``kappa``, ``mu`` holds only explicit multipliers and every other target t with
    #: ``U_a^u(t) >= kappa`` has ``nu / Delta_a(t)`` (:mod:`stackopt.kinds.security.bounds`)
    kappa: float | None = None


@dataclass
class SecurityLPsOutcome(LPsOutcome[TargetRecord]):
    coverage: np.ndarray | None


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
    never = NeverBestResponse(dc, du, ac, au, m, floor)
    dd = dc - du
    records: dict[int, TargetRecord] = {}
    pending: list[tuple[int, float, float]] = []  # solved LPs: (target, c_j, value)
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
        ray = never.record(j)
        if ray is not None:
            records[j] = ray
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
            c = None
            if ddn[j] > 0:
                cj = min(1.0, max(0.0, h.getObjectiveValue() / float(ddn[j])))
            else:  # the objective does not see c_j: read it
                c = _coverage(h, T)
                cj = float(c[j])
            val = float(du[j] + dd[j] * cj)
            if val > best_val:
                c = _coverage(h, T) if c is None else c
                cj = float(c[j])
                val = float(du[j] + dd[j] * cj)
            pending.append((j, cj, val))  # its record: after the loop, all at once
            if val > best_val:
                best, best_val, best_c = j, val, c
        elif st == "infeasible":
            infeasible += 1
            dual_lps += 1
            mu, nu, bound = dual_lp(dc, du, ac, au, m, j, floor)
            records[j] = TargetRecord("infeasible", mu=_sparse(mu), nu=nu, bound=bound)
        else:
            raise SolverError(f"HiGHS returned '{st}' on the LP for target {j}")
    if pending:
        js, cjs, vals = (np.array(x) for x in zip(*pending))
        recs = compact_records(dc, du, ac, au, m, js, cjs)
        for j, val, rec in zip(js.tolist(), vals.tolist(), recs):
            if rec.bound is None or rec.bound > val + 1e-9 * sd:  # not tight: the dual LP
                dual_lps += 1
                mu, nu, bound = dual_lp(dc, du, ac, au, m, j, None)
                rec = TargetRecord("optimal", mu=_sparse(mu), nu=nu, bound=bound)
            rec.value = val
            records[j] = rec
    stats = {
        "lps_solved": solved,
        "lps_pruned": pruned,
        "lps_infeasible": infeasible,
        "dual_lps_solved": dual_lps,
        "highs_seconds": highs_seconds,
        "build_seconds": setup,
    }
    return SecurityLPsOutcome(best=best, coverage=best_c, records=records, stats=stats)


def _coverage(h: Any, T: int) -> np.ndarray:
    return np.clip(np.asarray(h.getSolution().col_value[:T], dtype=float), 0.0, 1.0)


def compact_records(dc, du, ac, au, m, js: np.ndarray, cjs: np.ndarray) -> list[TargetRecord]:
    r"""The linear-size optimal multipliers of LP(j) for every solved target ``js[r]`` given its
    optimal :math:`c_j` ``cjs[r]`` (:mod:`stackopt.kinds.security.bounds`): the best of
    :math:`\mu = \nu = 0` (bound :math:`U_d^c(j)`), one explicit
    :math:`\mu_s = \Delta_d(j)/\Delta_a(j)` on the target :math:`s \ne j` of largest
    :math:`U_a^c` (bound :math:`U_d^u(j) + \mu_s (U_a^u(j) - U_a^c(s))`), and
    :math:`(\nu, \kappa = k^*)`, :math:`k^* = U_a^u(j) - \Delta_a(j) c_j`, with
    :math:`\nu = \Delta_d(j)/(1 + \Delta_a(j) H)` (bound :math:`U_d^u(j) + \nu C`,
    :math:`H = \sum_A 1/\Delta_a(t)`, :math:`C = m + \sum_A (U_a^u(j) - U_a^u(t))/\Delta_a(t)`
    over :math:`A = \{t \ne j : U_a^u(t) \ge \kappa, \Delta_a(t) > 0\}`). All bounds in closed
    form, the sums over :math:`A` as matrix-vector products over cache-sized blocks."""
    T = dc.size
    da, dd = au - ac, dc - du
    inv = np.zeros(T)
    inv[da > 0] = 1.0 / da[da > 0]
    da_j, dd_j, aj = da[js], dd[js], au[js]
    k = aj - da_j * cjs  # the attacker's value at each optimum
    H = np.empty(js.size)
    C = np.empty(js.size)
    step = max(1, (1 << 16) // max(T, 1))
    for lo in range(0, js.size, step):
        rows = slice(lo, lo + step)
        mask = (au[None, :] >= k[rows, None]) & (inv > 0)[None, :]
        mask[np.arange(mask.shape[0]), js[rows]] = False
        mf = mask.astype(float)
        H[rows] = mf @ inv
        C[rows] = float(m) + (mf * (aj[rows, None] - au[None, :])) @ inv
    nu = dd_j / (1.0 + da_j * H)
    b_nu = du[js] + nu * C
    top = np.argsort(-ac, kind="stable")[:2]
    s = np.where(js == top[0], top[-1], top[0])  # the other target of largest U_a^c
    with np.errstate(divide="ignore", invalid="ignore"):
        mu_s = np.where(da_j > 0, dd_j / np.where(da_j > 0, da_j, 1.0), 0.0)
    b_s = np.where((da_j > 0) & (s != js), du[js] + mu_s * (aj - ac[s]), np.inf)
    out = []
    for r, j in enumerate(js.tolist()):
        b0 = float(dc[j])
        if dd_j[r] <= 0 or (b0 <= b_nu[r] and b0 <= b_s[r]):
            out.append(TargetRecord("optimal", bound=b0))
        elif b_nu[r] <= b_s[r]:
            out.append(
                TargetRecord("optimal", nu=float(nu[r]), kappa=float(k[r]), bound=float(b_nu[r]))
            )
        else:
            out.append(TargetRecord("optimal", mu={int(s[r]): float(mu_s[r])}, bound=float(b_s[r])))
    return out


class NeverBestResponse:
    r"""Closed-form proofs that a target is never a best response, as compact multipliers.

    With :math:`c_j = 0` (the easiest case for ``j``), target ``t`` must get coverage at least
    :math:`n_t = (U_a^u(t) - U_a^u(j))^+ / \Delta_a(t)`. LP(j) is infeasible iff some
    :math:`U_a^c(t) > U_a^u(j)` (then :math:`n_t > 1`) or :math:`\sum_t n_t > m`. In the first
    case one explicit :math:`\mu_t = s`; in the second :math:`\nu = s` and
    :math:`\kappa = U_a^u(j)` (so :math:`\mu_t = s / \Delta_a(t)` on
    :math:`\{U_a^u(t) \ge U_a^u(j)\}`): the bound then falls linearly in :math:`s` (slope
    :math:`U_a^u(j) - U_a^c(t) < 0`, resp. :math:`m - \sum n_t < 0`) and :math:`s` is chosen to
    put it at most ``floor``. The sums :math:`\sum_t n_t` and
    :math:`H_j = \sum_{t \ne j, U_a^u(t) \ge U_a^u(j)} 1/\Delta_a(t)` are computed for every
    target at once, in blocks.
    """

    def __init__(self, dc, du, ac, au, m, floor: float) -> None:
        T = dc.size
        self.au = au
        da = au - ac
        inv = np.zeros(T)
        inv[da > 0] = 1.0 / da[da > 0]
        self.need = np.zeros(T)
        self.H = np.zeros(T)
        step = max(1, (1 << 16) // max(T, 1))  # blocks that stay in cache
        for lo in range(0, T, step):
            gap = au[None, :] - au[lo : lo + step, None]
            self.need[lo : lo + step] = np.maximum(gap, 0.0) @ inv
            self.H[lo : lo + step] = (gap >= 0).astype(float) @ inv
        self.H -= inv  # t != j
        # the two targets of largest covered payoff (for "some U_a^c(t) > U_a^u(j)")
        self.top2 = np.argsort(-ac, kind="stable")[:2] if T >= 2 else np.array([0, -1])
        dd = dc - du
        start = dc  # the bound's value before the s-terms (the max term is at most dd)
        t1 = np.where(np.arange(T) != self.top2[0], self.top2[0], self.top2[1])
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ac_t1 = np.where(t1 >= 0, ac[t1], -np.inf)
            case1 = ac_t1 > au  # case 1: mu_t1 = s1
            s1 = (start - floor) / (ac_t1 - au) + 1.0
            b1 = du + s1 * (au - ac_t1) + np.maximum(0.0, dd - da * s1)
            rate = self.need - m  # case 2: nu = s2, kappa = U_a^u(j)
            case2 = ~case1 & (rate > 1e-9 * (m + self.need + 1.0))  # else feasible or too close
            s2 = 2.0 * (start - floor) / rate + 1.0
            b2 = du + s2 * (m - self.need) + np.maximum(0.0, dd - s2 * (1.0 + da * self.H))
        self._rays = (t1, s1, b1, case1 & (b1 <= floor), s2, b2, case2 & (b2 <= floor))

    def record(self, j: int) -> TargetRecord | None:
        """The record proving that ``j`` is never a best response, or ``None``."""
        t1, s1, b1, ok1, s2, b2, ok2 = self._rays
        if ok1[j]:
            return TargetRecord("infeasible", mu={int(t1[j]): float(s1[j])}, bound=float(b1[j]))
        if ok2[j]:
            return TargetRecord(
                "infeasible", nu=float(s2[j]), kappa=float(self.au[j]), bound=float(b2[j])
            )
        return None


def _sparse(mu: np.ndarray) -> dict[int, float]:
    nz = np.flatnonzero(mu)
    return dict(zip(nz.tolist(), mu[nz].tolist()))  # plain ints/floats, no per-entry calls


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
