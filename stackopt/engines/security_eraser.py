r"""ERASER on one highspy model: coupled value rows, an incumbent, exact pruning, a MIP start.

Built directly from arrays (columns :math:`c_1..c_T`, then per type the alive
:math:`a^\lambda_t`, :math:`d^\lambda`, :math:`k^\lambda`, :math:`y^\lambda_t`) instead of
through Pyomo. "Alive" excludes the pairs that
:func:`stackopt.formulations.security_milp.never_attacked` proves impossible.
:math:`B^\lambda_t` are the proven caps of :func:`stackopt.formulations.security_milp.value_caps`
(each type's own coverage LPs).

The model (default, ``lean=True``). Let :math:`\bar c^\lambda_t = \min(1, (B^\lambda_t -
U_d^{\lambda,u}(t)) / \Delta_d^\lambda(t))` (1 when :math:`\Delta_d^\lambda(t) = 0`); with
:math:`a^\lambda_t \in \{0, 1\}`, :math:`0 \le y^\lambda_t \le \bar c^\lambda_t`:

.. math::

    \begin{aligned}
    \max\ & \textstyle\sum_\lambda p_\lambda d^\lambda \quad \text{s.t.}\quad
        \sum_t c_t \le m, \quad \sum_t a^\lambda_t = 1, \quad 0 \le c \le 1, \\
    & k^\lambda \ge U_a^{\lambda,u}(t) - \Delta_a^\lambda(t) c_t \quad \forall t, \\
    & y^\lambda_t \le c_t, \qquad y^\lambda_t \le \bar c^\lambda_t a^\lambda_t, \qquad
        y^\lambda_t \ge c_t + a^\lambda_t - 1, \\
    & d^\lambda \le \textstyle\sum_t \big(U_d^{\lambda,u}(t) a^\lambda_t +
        \Delta_d^\lambda(t) y^\lambda_t\big), \qquad
      k^\lambda \le \sum_t \big(U_a^{\lambda,u}(t) a^\lambda_t - \Delta_a^\lambda(t)
        y^\lambda_t\big).
    \end{aligned}

:math:`y^\lambda_t` stands for :math:`c_t a^\lambda_t` (McCormick, with the upper bound
:math:`\bar c` from the caps).

*No equilibrium is cut off.* At any coverage :math:`c` with best responses :math:`t_\lambda`,
put :math:`a^\lambda_{t_\lambda} = 1`, :math:`y^\lambda_{t_\lambda} = c_{t_\lambda}`, 0
elsewhere, :math:`k^\lambda = \max_t U_a^\lambda(t, c)`, :math:`d^\lambda =
U_d^\lambda(t_\lambda, c)`. :math:`c` is feasible for :math:`\mathrm{LP}^\lambda(t_\lambda)`,
whose optimum maximises :math:`c_{t_\lambda}` (when :math:`\Delta_d > 0`) and is at most
:math:`B^\lambda_{t_\lambda}`, so :math:`c_{t_\lambda} \le \bar c^\lambda_{t_\lambda}`; every
row holds (the two value rows with equality). *Every integer point is an equilibrium
candidate.* If :math:`a^\lambda_j = 1`, the McCormick rows give :math:`y^\lambda_j = c_j` and
:math:`y^\lambda_t = 0` for :math:`t \ne j`, so :math:`k^\lambda \le U_a^\lambda(j, c)` while
:math:`k^\lambda \ge U_a^\lambda(t, c)` for all :math:`t`: :math:`j` is a best response; and
:math:`d^\lambda \le U_d^\lambda(j, c)`. The maximum therefore equals the ERASER optimum (the
strong Stackelberg value, ties for the defender). The ERASER big-M rows and the cap row
:math:`d^\lambda \le \sum_t B^\lambda_t a^\lambda_t` are implied at integer points and are
left out (``lean=False`` keeps them beside the coupled rows, without the McCormick lower row;
``coupled=False`` is the caps-only ERASER of
:func:`stackopt.formulations.security_milp.build_eraser`).

*Why it helps:* in the LP relaxation the value a type can claim needs coverage
:math:`y \le c` on the targets it (fractionally) attacks, and :math:`\sum_t c_t \le m` is
shared by all types, whereas the caps alone let every type claim its own best value under a
different coverage. Root bound on the 10-type x 100-target game of
``benchmarks/security.py`` (seed 0, optimum 0.787): 2.20 with the caps alone, 1.00 with the
coupled rows.

Incumbent (Jain, Kiekintveld & Tambe 2011 prune restricted problems with an incumbent; this is
the compact-form analogue). Start from each type's own optimal coverage (the one-type LPs
already solved for the caps), and with ``relaxation_start=True`` from the coverage of the LP
relaxation; give every type its exact best response (ties: the best target for the defender
among exactly equal attacker utilities), re-solve the LP of that response
profile (:func:`stackopt.engines.security_lps.polish_coverage`) and repeat while the value
improves. The value :math:`V` of the best point is recomputed from the game with its exact
best responses, so :math:`V` is attained by a feasible coverage: :math:`V \le \mathrm{OPT}`.

Pruning by bounds (exact). A point where type :math:`\lambda` attacks :math:`t` has defender
value at most :math:`p_\lambda B^\lambda_t + \sum_{\mu \ne \lambda} p_\mu \max_{t'}
B^\mu_{t'}` (the caps of :func:`stackopt.formulations.security_milp.value_caps`). When this is
below :math:`V - \epsilon` (:math:`\epsilon = 10^{-9}` times the payoff scale, covering the
rounding of :math:`V`), no optimal point has :math:`a^\lambda_t = 1`, so its upper bound (and
that of :math:`y^\lambda_t`) is set to 0. The incumbent itself keeps all its targets (each has
bound :math:`\ge V`), so the restricted MILP contains it and has the same optimum.

MIP start. The incumbent's columns are offered to HiGHS through
:func:`stackopt.engines.highs.set_mip_start` and the model is run by
:func:`stackopt.engines.highs.run_from_start` (which guards the HiGHS 1.16 bug of returning the
start's columns with the optimum's objective).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from stackopt.kinds.security.game import SecurityGame


def exact_responses(game: SecurityGame, c: np.ndarray) -> list[int]:
    """Each type's best response to ``c``: maximal attacker utility (exact comparison),
    ties broken for the defender."""
    ua, ud = game.attacker_utility(c), game.defender_utility(c)
    out = []
    for lam in range(game.n_types):
        best = ua[lam] == ua[lam].max()
        out.append(int(np.flatnonzero(best)[np.argmax(ud[lam, best])]))
    return out


def profile_value(game: SecurityGame, c: np.ndarray, resp: list[int]) -> float:
    """:math:`\\sum_\\lambda p_\\lambda U_d^\\lambda(t_\\lambda, c)`."""
    ud = game.defender_utility(c)
    return float(sum(p * ud[lam, t] for lam, (p, t) in enumerate(zip(game.priors, resp))))


def incumbent(
    game: SecurityGame, starts: list[np.ndarray], rounds: int = 6
) -> tuple[np.ndarray, list[int], float]:
    """``(coverage, responses, value)``: the best point of the local search (module
    docstring) from every start; the value uses exact best responses."""
    from stackopt.engines.security_lps import polish_coverage

    best: tuple[np.ndarray, list[int], float] | None = None
    for c in starts:
        c = np.clip(np.asarray(c, dtype=float), 0.0, 1.0)
        if c.sum() > game.resources:
            c = c * (game.resources / c.sum())
        resp = exact_responses(game, c)
        val = profile_value(game, c, resp)
        for _ in range(rounds):
            c2, _ = polish_coverage(game, c, resp)
            c2 = np.clip(c2, 0.0, 1.0)
            if c2.sum() > game.resources:
                break
            r2 = exact_responses(game, c2)
            v2 = profile_value(game, c2, r2)
            if v2 <= val:
                break
            c, resp, val = c2, r2, v2
        if best is None or val > best[2]:
            best = (c, resp, val)
    assert best is not None
    return best


def prune_by_bound(game: SecurityGame, caps: np.ndarray, value: float) -> np.ndarray:
    """``(L, T)`` booleans: :math:`a^\\lambda_t` cannot be 1 in a point worth at least
    ``value`` (module docstring)."""
    p = np.asarray(game.priors, dtype=float)[:, None]
    top = (p * caps.max(axis=1, keepdims=True)).sum()
    others = top - p * caps.max(axis=1, keepdims=True)
    eps = 1e-9 * max(game.defender_scale, 1.0)
    return p * caps + others < value - eps


#: HiGHS options of the default ERASER solve. Measured on the seeded games of
#: ``benchmarks/security.py`` (5 types x 100 targets, load ~2): the RINS and RENS sub-MIP
#: heuristics took more than half of HiGHS's time (9.3 s -> 4.9 s without them, same optimum).
HIGHS_OPTIONS: dict[str, object] = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
}


@dataclass(frozen=True)
class EraserOutcome:
    coverage: np.ndarray
    responses: list[int]
    objective: float
    bound: float
    status: str
    build_seconds: float
    highs_seconds: float
    binaries: int
    pruned: int
    incumbent_value: float
    #: per type, the proven constants the model uses: ``coverage_cap`` (largest
    #: :math:`\bar c`) in the lean form, else also the big-Ms ``defender_max``/``attacker_max``
    big_m: list[dict[str, float]]


def solve_eraser_highs(
    game: SecurityGame,
    caps: np.ndarray,
    starts: list[np.ndarray],
    *,
    time_limit: float | None = None,
    use_incumbent: bool = True,
    mip_start: bool = True,
    options: dict[str, object] | None = None,
    coupled: bool = True,
    relaxation_start: bool = False,
    lean: bool = True,
) -> EraserOutcome:
    """Solve ERASER with caps (module docstring). ``status`` is HiGHS's model status."""
    import highspy

    from stackopt.engines.highs import (
        model_status_name,
        new_highs,
        run_from_start,
        run_once,
        set_mip_start,
    )
    from stackopt.formulations.security_milp import big_ms, never_attacked

    lean = lean and coupled

    t0 = time.perf_counter()
    L, T, m = game.n_types, game.n_targets, game.resources
    dc, du = game.defender_covered, game.defender_uncovered
    ac, au = game.attacker_covered, game.attacker_uncovered
    dd, da = dc - du, au - ac
    alive = ~never_attacked(game)
    caps_alive = np.where(alive, caps, -np.inf)
    zd, za = big_ms(game, caps_alive)
    d_top = np.minimum(dc.max(axis=1), caps_alive.max(axis=1))

    inf = highspy.kHighsInf
    cols: list[tuple[float, float, float, bool]] = [(0.0, 1.0, 0.0, False)] * T

    def col(lo: float, hi: float, obj: float = 0.0, binary: bool = False) -> int:
        cols.append((lo, hi, obj, binary))
        return len(cols) - 1

    a_col: dict[tuple[int, int], int] = {}
    y_col: dict[tuple[int, int], int] = {}
    d_col: list[int] = []
    k_col: list[int] = []
    # c_t <= cbar[lam, t] whenever type lam attacks t: B >= LP(t) >= du_t + dd_t c_t
    with np.errstate(divide="ignore", invalid="ignore"):
        cbar = np.where(dd > 0, np.clip((caps - du) / dd, 0.0, 1.0), 1.0)
    for lam in range(L):
        for t in map(int, np.flatnonzero(alive[lam])):
            a_col[lam, t] = col(0.0, 1.0, binary=True)
        d_col.append(col(float(du[lam].min()), float(d_top[lam]), float(game.priors[lam])))
        k_col.append(col(float(ac[lam].min()), float(au[lam].max())))
        if coupled:
            for t in map(int, np.flatnonzero(alive[lam])):
                y_col[lam, t] = col(0.0, float(cbar[lam, t]))
    rl: list[float] = []
    ru: list[float] = []
    starts_: list[int] = []
    idx: list[int] = []
    val: list[float] = []

    def row(lo: float, hi: float, where: list[int], coefs: list[float]) -> None:
        rl.append(lo)
        ru.append(hi)
        starts_.append(len(idx))
        idx.extend(where)
        val.extend(coefs)

    row(-inf, float(m), list(range(T)), [1.0] * T)
    for lam in range(L):
        d, k = d_col[lam], k_col[lam]
        ts = [int(t) for t in np.flatnonzero(alive[lam])]
        row(1.0, 1.0, [a_col[lam, t] for t in ts], [1.0] * len(ts))
        if not lean:
            aa = [a_col[lam, t] for t in ts]
            row(-inf, 0.0, [d] + aa, [1.0] + [-float(caps[lam, t]) for t in ts])
        for t in range(T):  # k >= U_a(t, c) = au - da c
            row(float(au[lam, t]), inf, [k, t], [1.0, float(da[lam, t])])
        if coupled:  # d <= sum_t a_t du_t + dd_t y_t, k <= sum_t a_t au_t - da_t y_t
            ys = [y_col[lam, t] for t in ts]
            aa = [a_col[lam, t] for t in ts]
            row(
                -inf,
                0.0,
                [d] + aa + ys,
                [1.0] + [-float(du[lam, t]) for t in ts] + [-float(dd[lam, t]) for t in ts],
            )
            row(
                -inf,
                0.0,
                [k] + aa + ys,
                [1.0] + [-float(au[lam, t]) for t in ts] + [float(da[lam, t]) for t in ts],
            )
            for t, y, a in zip(ts, ys, aa):  # y_t <= c_t, y_t <= cbar_t a_t
                row(-inf, 0.0, [y, t], [1.0, -1.0])
                row(-inf, 0.0, [y, a], [1.0, -float(cbar[lam, t])])
                if lean:  # y_t >= c_t + a_t - 1: y_t = c_t when t is attacked
                    row(-1.0, inf, [y, t, a], [1.0, -1.0, -1.0])
        if lean:
            continue
        for t in ts:
            a = a_col[lam, t]
            z = float(zd[lam, t])  # d - U_d(t, c) <= (1 - a) Z_d
            row(-inf, float(du[lam, t]) + z, [d, t, a], [1.0, -float(dd[lam, t]), z])
            z = float(za[lam, t])  # k - U_a(t, c) <= (1 - a) Z_a
            row(-inf, float(au[lam, t]) + z, [k, t, a], [1.0, float(da[lam, t]), z])

    h = new_highs(threads=1, mip_rel_gap=0.0, mip_abs_gap=0.0)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    for key, value in (options or {}).items():
        h.setOptionValue(key, value)
    n = len(cols)
    lower, upper, cost, binary = (np.array(v) for v in zip(*cols))
    every = np.arange(n, dtype=np.int32)
    h.addVars(n, lower.astype(float), upper.astype(float))
    h.changeColsCost(n, every, cost.astype(float))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.addRows(
        len(rl),
        np.array(rl),
        np.array(ru),
        len(idx),
        np.array(starts_, dtype=np.int32),
        np.array(idx, dtype=np.int32),
        np.array(val),
    )
    build = time.perf_counter() - t0
    t1 = time.perf_counter()
    starts = list(starts)
    if use_incumbent and relaxation_start:  # the LP relaxation's coverage as one more start
        run_once(h)
        if model_status_name(h) == "optimal":
            starts.append(np.asarray(h.getSolution().col_value, dtype=float)[:T])
    highs = time.perf_counter() - t1
    t2 = time.perf_counter()
    inc_c, inc_r, inc_v = incumbent(game, starts)
    pruned = 0
    if use_incumbent:
        cut = prune_by_bound(game, caps, inc_v) & alive
        for lam, t in enumerate(inc_r):
            cut[lam, t] = False  # never cut the incumbent (its bounds are >= V anyway)
        gone = [a_col[lam, int(t)] for lam, t in zip(*np.nonzero(cut))]
        if coupled:
            gone += [y_col[lam, int(t)] for lam, t in zip(*np.nonzero(cut))]
        pruned = int(cut.sum())
        if gone:
            zero = np.zeros(len(gone))
            h.changeColsBounds(len(gone), np.array(gone, dtype=np.int32), zero, zero)
    kinds = [highspy.HighsVarType.kInteger, highspy.HighsVarType.kContinuous]
    h.changeColsIntegrality(n, every, np.array([kinds[0] if b else kinds[1] for b in binary]))
    if mip_start:
        x = np.zeros(n)
        x[:T] = inc_c
        ud_, ua_ = game.defender_utility(inc_c), game.attacker_utility(inc_c)
        for lam, t in enumerate(inc_r):
            x[a_col[lam, t]] = 1.0
            x[d_col[lam]] = ud_[lam, t]
            x[k_col[lam]] = ua_[lam].max()
            if coupled:
                x[y_col[lam, t]] = min(inc_c[t], cbar[lam, t])
        set_mip_start(h, np.arange(n), x)
    build += time.perf_counter() - t2
    t1 = time.perf_counter()
    if mip_start:
        run_from_start(h)  # also re-runs on the shared scheduler if threads are refused
    else:
        run_once(h)
    highs += time.perf_counter() - t1
    status = model_status_name(h)
    info = h.getInfo()
    if status == "optimal":
        xs = np.asarray(h.getSolution().col_value, dtype=float)
        c = np.clip(xs[:T], 0.0, 1.0)
        resp = []
        for lam in range(L):
            ts = [t for t in range(T) if (lam, t) in a_col]
            resp.append(ts[int(np.argmax([xs[a_col[lam, t]] for t in ts]))])
    else:
        c, resp = inc_c, inc_r
    return EraserOutcome(
        coverage=c,
        responses=resp,
        objective=float(info.objective_function_value),
        bound=float(info.mip_dual_bound),
        status=status,
        build_seconds=build,
        highs_seconds=highs,
        binaries=len(a_col) - pruned,
        pruned=pruned,
        incumbent_value=inc_v,
        big_m=[
            {"coverage_cap": float(np.where(alive[lam], cbar[lam], 0.0).max())}
            if lean
            else {
                "defender_max": float(np.where(alive[lam], zd[lam], -np.inf).max()),
                "attacker_max": float(np.where(alive[lam], za[lam], -np.inf).max()),
            }
            for lam in range(L)
        ],
    )
