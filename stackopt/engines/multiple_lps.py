r"""The multiple-LPs method on one HiGHS model, with best-response rows generated lazily.

Solves every LP(:math:`j`) of :mod:`stackopt.formulations.multiple_lps` on a single ``highspy``
object. Instead of passing all :math:`n` best-response rows, LP(:math:`j`) starts with the
simplex row and row :math:`j` only; after each solve the follower's payoffs at the current
:math:`x` are computed and the (up to ``batch``) most violated rows :math:`B_{\cdot k}^\top x \le
u` are added, until none is violated (then :math:`x` is optimal for the full LP(:math:`j`)) or the
relaxation's value is not above the incumbent (then LP(:math:`j`) cannot win; the relaxation's
duals are a valid weak-duality certificate, zero on the rows never added). Rows are deleted
again before the next :math:`j`; HiGHS re-solves from the previous basis throughout.

Measured on seeded anti-correlated games (``benchmarks/run.py``; 200x200): the full
:math:`n`-row LPs edited in place took 5.8 s (~300 simplex iterations per LP whatever the warm
start, since the objective and row :math:`j` change completely); lazily generated rows keep the
LPs at ~35 rows and took 1.2 s for the same certified answer. Building through Pyomo was not an
option for the loop: 100 LPs of size 100x100 take 5.6-22 s through Pyomo and 0.09 s on one
highspy model edited in place (measured; ``docs/design.md``). The Pyomo build of the full LP
(:func:`~stackopt.formulations.multiple_lps.build_lp`) remains the inspectable/exportable
formulation and an independent solve path (``engine="pyomo"``).

The LPs are passed to HiGHS as minimisations of :math:`-A_{\cdot j}^\top x` with the option
``objective_bound`` set to minus the incumbent: HiGHS's dual simplex keeps a dual feasible
point whose objective only decreases (in the maximisation's sense) as rows are added, so it
stops as soon as that bound is not above the incumbent; the duals at that point are a valid
multiplier vector (every :math:`y \ge 0` is), and the bound is recomputed from them before
the LP is recorded as pruned (measured on anti-correlated games: 20 % fewer simplex
iterations at 200x200 and 500x500, the same HiGHS runs). HiGHS's own scaling is off (the
payoffs are already scaled; 4 % fewer iterations). Every HiGHS call re-checks its input (about
a fifth of the instructions of the loop at 200x200, counted with callgrind: ``assessLp`` on
every run, the added rows on every ``addRows``), so row :math:`j` and the first rows go in as
one call; batches of 10 rows take fewer instructions than 20 or 30 (4.10e9 against 4.21e9 and
4.51e9 for the whole process at 200x200; 2.85e10 against 3.01e10 at 500x500) although they
need more runs.

Measured without effect (2026-11-27, so not done): letting the batch grow with the LP
(``max(10, r * rows)``, r = 0.25 to 1) leaves uniform games unchanged - at 1000x1000, 147
LPs reach HiGHS and take 160 runs in all (142 are pruned, 103 of them stopped by HiGHS at the
incumbent), so later rounds are rare;
reading ``col_value`` through ``array.array`` or ``np.fromiter`` instead of ``np.asarray``
(the pybind11 list is built either way, ~13 us of the ~30 us at 1000 columns); a preallocated
buffer for the gathered rows (the time is the cache-cold read of the rows after a HiGHS run,
not the allocation). ``addRows`` on HiGHS's column-wise matrix moves every existing entry, so
its cost grows with the rows already in the LP.

Follower actions are visited in decreasing order of the bound :math:`\max_i A_{ij}`; once that
bound is not above the incumbent the remaining LPs are skipped (their certificate is the bound
itself). Actions strictly dominated by another pure action are skipped as never-best-responses.
Payoffs are divided by their largest magnitude before solving so that HiGHS's absolute
tolerances act relative to the payoff scale.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np

from stackopt.engines.highs import model_status_name, new_highs, run_decided, run_once
from stackopt.errors import SolverError
from stackopt.progress import phase

# HiGHS's model status when its dual simplex stops at the option ``objective_bound``
BAILED = "bound on objective reached"


@dataclass
class ActionRecord:
    """What is known about one follower action ``j`` after the loop."""

    outcome: str  # optimal | pruned | dominated | infeasible
    bound: float | None = None  # upper bound on LP(j) in original units
    multipliers: dict[int, float] = field(default_factory=dict)  # y_k >= 0 (original units)
    dominated_by: dict[int, float] = field(default_factory=dict)  # mixture over k != j
    margin: float | None = None  # domination margin (original follower units)
    value: float | None = None  # LP(j) optimum (original units) when solved


RecordT = TypeVar("RecordT")


@dataclass
class LPsOutcome(Generic[RecordT]):
    """What a multiple-LPs loop found: the best LP's index (``None``: no LP is feasible), one
    record per LP (follower action or target) and the statistics. Subclasses add the best
    LP's solution."""

    best: int | None
    records: dict[int, RecordT]
    stats: dict[str, Any]


@dataclass
class MultipleLPsOutcome(LPsOutcome[ActionRecord]):
    commitment: np.ndarray | None


def solve_multiple_lps(
    A: np.ndarray,
    B: np.ndarray,
    *,
    prune: bool = True,
    follower_tol: float = 1e-9,
    time_limit: float | None = None,
    batch: int = 10,
) -> MultipleLPsOutcome:
    """Run the multiple-LPs loop on ``A`` (leader) and ``B`` (follower) payoffs.

    Parameters
    ----------
    A, B
        ``m x n`` payoff matrices (original units).
    prune
        Skip LPs whose bound (``max_i A[i, j]``, or the value of a row-relaxation) cannot beat
        the incumbent. With ``prune=False`` every LP is solved to optimality.
    follower_tol
        Absolute tolerance (follower payoff units) for the pure-dominance pre-check.
    time_limit
        Seconds for the whole loop (``None``: none).
    batch
        Most-violated best-response rows added per round.

    Returns
    -------
    MultipleLPsOutcome
        The best follower action, the commitment, one :class:`ActionRecord` per action and
        statistics: ``lps_solved`` (LPs solved to optimality or proven infeasible, the latter
        also counted in ``lps_infeasible``), ``lps_pruned`` (skipped by the bound, or stopped
        once a row-relaxation fell to the incumbent), ``lps_dominated`` (skipped: dominated
        follower action), ``lps_stopped_early`` (pruned LPs whose last HiGHS run was stopped by
        the objective bound), ``highs_runs`` (HiGHS solves), ``rows_added``, ``highs_seconds``
        (time inside HiGHS's solve calls), ``highs_edit_seconds`` (time inside HiGHS's
        model-editing calls: deleting, adding rows, changing costs) and ``build_seconds``
        (called ``setup_seconds`` before 0.2).
    """
    import highspy

    t0 = time.perf_counter()
    m, n = A.shape
    sa = float(np.abs(A).max()) or 1.0
    sb = float(np.abs(B).max()) or 1.0
    Bn = B / sb
    BT = np.ascontiguousarray(B.T)  # rows = follower actions: cheap row gathers in _bound
    AT = np.ascontiguousarray(A.T)  # column j of A as a row: read once per LP, not strided
    # rows of the best-response constraints, [B[:, k], -1] per follower action k
    R = np.hstack([Bn.T, -np.ones((n, 1))])
    viol_tol = 1e-9

    # payoffs are already scaled to [-1, 1]: HiGHS's own scaling (redone on every edited model)
    # is switched off
    h = new_highs(threads=1, presolve="off", simplex_scale_strategy=0)
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = m + 1
    lp.num_row_ = 1
    lp.col_cost_ = np.zeros(m + 1)
    lp.col_lower_ = np.r_[np.zeros(m), -inf]
    lp.col_upper_ = np.r_[np.ones(m), inf]
    lp.row_lower_ = np.array([1.0])
    lp.row_upper_ = np.array([1.0])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array([0, m], dtype=np.int32)
    lp.a_matrix_.index_ = np.arange(m, dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(m)
    lp.sense_ = highspy.ObjSense.kMinimize  # min -A_j x: see the objective bound below
    if h.passModel(lp) == highspy.HighsStatus.kError:  # pragma: no cover - defensive
        raise SolverError("HiGHS refused the multiple-LPs model")
    setup = time.perf_counter() - t0

    ub = A.max(axis=0)  # pruning bounds, original units
    order = np.argsort(-ub, kind="stable")
    records: dict[int, ActionRecord] = {}
    best, best_val, best_x = None, -np.inf, None
    highs_seconds = edit_seconds = 0.0
    solved = pruned = dominated = infeasible = runs = added = stopped = 0
    cols = np.arange(m, dtype=np.int32)
    all_idx = np.arange(m + 1, dtype=np.int32)
    # addRows arguments for up to ``batch + 1`` dense rows, built once and sliced per call;
    # every HiGHS edit call re-checks what it adds, so rows go in as few calls as possible
    batch_idx = np.tile(all_idx, batch + 1)
    batch_starts = np.arange(0, (batch + 1) * (m + 1), m + 1, dtype=np.int32)
    batch_lower = np.full(batch + 1, -inf)
    batch_upper = np.zeros(batch + 1)
    first_lower = np.r_[0.0, batch_lower[:batch]]  # row j (B_j x - u >= 0), then <= rows
    first_upper = np.r_[inf, batch_upper[:batch]]

    def add_rows(ks: np.ndarray, j: int | None = None) -> int:
        """Add the best-response rows of follower actions ``ks`` (at most ``batch``), after
        row ``j`` held as ``B_j x - u >= 0`` when ``j`` is given."""
        lower, upper = batch_lower, batch_upper
        if j is not None:
            ks = np.concatenate(([j], ks))
            lower, upper = first_lower, first_upper
        nk = int(ks.size)
        h.addRows(
            nk,
            lower[:nk],
            upper[:nk],
            nk * (m + 1),
            batch_starts[:nk],
            batch_idx[: nk * (m + 1)],
            R[ks].ravel(),
        )
        return nk

    bound_off = False
    deadline = None if time_limit is None else t0 + time_limit
    phase("normal_form", "multiple LPs: %d follower actions, %d leader actions", n, m)
    next_log = time.perf_counter() + 2.0

    for j in order:
        j = int(j)
        if time.perf_counter() >= next_log:  # progress every 2 s (-v, status line)
            next_log = time.perf_counter() + 2.0
            phase(
                "normal_form",
                "multiple LPs: %d/%d actions done (%d LPs solved, %d pruned), "
                "best leader value %.6g",
                len(records),
                n,
                solved,
                pruned,
                best_val,
            )
        if prune and best is not None and ub[j] <= best_val:
            records[j] = ActionRecord("pruned", bound=float(ub[j]))
            pruned += 1
            continue
        dom = _pure_dominator(B, j, follower_tol)
        if dom is not None:
            k, margin = dom
            records[j] = ActionRecord("dominated", dominated_by={k: 1.0}, margin=margin)
            dominated += 1
            continue
        te = time.perf_counter()
        if bound_off:  # the previous LP was finished without the early stop: restore it
            h.setOptionValue("objective_bound", -best_val / sa)
            bound_off = False
        nrow = h.getNumRow()
        if nrow > 1:
            h.deleteRows(nrow - 1, np.arange(1, nrow, dtype=np.int32))
        acol = AT[j]  # A[:, j], contiguous
        h.changeColsCost(m, cols, -(acol / sa))
        # Round 0 without HiGHS: with row j alone the relaxation is solved by the pure
        # strategy i* = argmax_i A[i, j]; the rows most violated there go in with row j.
        istar = int(np.argmax(acol))
        excess0 = Bn[istar] - Bn[istar, j]
        excess0[j] = -np.inf
        k0 = most_violated(excess0, viol_tol, batch)
        added += add_rows(k0, j) - 1
        active = [j, *k0.tolist()]  # follower action of rows 1, 2, ...
        in_model = np.zeros(n, dtype=bool)
        in_model[active] = True
        edit_seconds += time.perf_counter() - te
        while True:
            if deadline is not None and time.perf_counter() > deadline:
                raise SolverError(f"time limit of {time_limit} s reached after {solved} LPs")
            st, seconds, n_runs = run_decided(h, also=(BAILED,))
            highs_seconds += seconds
            runs += n_runs
            if st == "infeasible":
                infeasible += 1
                solved += 1
                records[j] = _infeasible_record(A, B, j, follower_tol)
                break
            if st not in ("optimal", BAILED):
                raise SolverError(f"HiGHS returned '{st}' on the LP for follower action {j}")
            sol = h.getSolution()
            val = -float(h.getObjectiveValue()) * sa  # a bound on LP(j) (dual feasible)
            if prune and best is not None and (st == BAILED or val <= best_val):
                duals = -np.asarray(sol.row_dual)
                y, bound = _row_multipliers(acol, BT, j, active, duals, sa / sb, val, sa)
                if st == BAILED and bound > best_val + 1e-9 * sa:  # pragma: no cover
                    # HiGHS stopped on its own dual objective; ours is recomputed and is not
                    # below the incumbent: finish this LP without the early stop.
                    h.setOptionValue("objective_bound", inf)
                    bound_off = True
                    continue
                records[j] = ActionRecord("pruned", bound=bound, multipliers=nonzero_entries(y))
                pruned += 1
                stopped += st == BAILED
                break
            if st == BAILED:  # pragma: no cover - only with prune and an incumbent
                raise SolverError(f"HiGHS stopped early on the LP for follower action {j}")
            x = np.asarray(sol.col_value[:m], dtype=float)
            support = np.flatnonzero(x > 0.0)  # a vertex: at most #rows entries
            f = x[support] @ Bn[support]  # B^T x over the support (rows of Bn)
            excess = f - f[j]
            excess[in_model] = -np.inf
            k_new = most_violated(excess, viol_tol, batch)
            if k_new.size == 0:
                duals = -np.asarray(sol.row_dual)
                y, bound = _row_multipliers(acol, BT, j, active, duals, sa / sb, val, sa)
                records[j] = ActionRecord(
                    "optimal",
                    bound=bound,
                    value=val,
                    multipliers=nonzero_entries(y),
                )
                solved += 1
                if val > best_val:
                    best, best_val, best_x = j, val, x
                if prune:  # HiGHS's dual simplex stops once LP(j') cannot beat the incumbent
                    h.setOptionValue("objective_bound", -best_val / sa)
                break
            te = time.perf_counter()
            nk = add_rows(k_new)
            edit_seconds += time.perf_counter() - te
            active.extend(k_new.tolist())
            in_model[k_new] = True
            added += nk

    commitment: np.ndarray | None = None
    if best_x is not None:
        commitment = np.clip(best_x, 0.0, None)
        commitment = commitment / commitment.sum()
    stats = {
        "lps_solved": solved,
        "lps_pruned": pruned,
        "lps_dominated": dominated,
        "lps_infeasible": infeasible,
        "highs_runs": runs,
        "rows_added": added,
        "lps_stopped_early": stopped,
        "highs_seconds": highs_seconds,
        "highs_edit_seconds": edit_seconds,
        "build_seconds": setup,
    }
    return MultipleLPsOutcome(best=best, commitment=commitment, records=records, stats=stats)


def most_violated(excess: np.ndarray, tol: float, batch: int) -> np.ndarray:
    """The indices with ``excess > tol``; the ``batch`` largest of them if there are more."""
    k = np.flatnonzero(excess > tol)
    if k.size > batch:
        k = k[np.argpartition(-excess[k], batch)[:batch]]
    return k


def nonzero_entries(y: np.ndarray) -> dict[int, float]:
    """``{k: y[k]}`` over the nonzero entries of ``y`` (plain ints and floats)."""
    nz = np.flatnonzero(y)
    return dict(zip(nz.tolist(), y[nz].tolist()))  # plain ints/floats, no per-entry calls


def _row_multipliers(
    acol: np.ndarray,
    BT: np.ndarray,
    j: int,
    active: list[int],
    row_dual: np.ndarray,
    to_original: float,
    target: float,
    scale: float,
) -> tuple[np.ndarray, float]:
    """Multipliers ``y`` (length n, original units) from the duals of rows 1.. (simplex row 0)
    and the bound :func:`_bound` they prove on LP(j) (``acol``: ``A[:, j]``; ``BT``: ``B``
    transposed).

    HiGHS's duals of these rows are non-negative here (measured); should a version flip the
    sign, the other sign is tried when the first does not reproduce ``target`` (original
    units, up to ``1e-9`` of ``scale``) — every ``y >= 0`` gives a valid bound, so this
    can never make a certificate wrong.
    """
    duals = np.zeros(BT.shape[0])
    duals[np.asarray(active)] = row_dual[1 : 1 + len(active)] * to_original
    duals[j] = 0.0
    y = np.clip(duals, 0.0, None)
    b = _column_bound(acol, BT, j, y)
    if b <= target + 1e-9 * max(scale, abs(target)):
        return y, b
    y2 = np.clip(-duals, 0.0, None)
    b2 = _column_bound(acol, BT, j, y2)
    return (y2, b2) if b2 < b else (y, b)


def _multipliers(
    An: np.ndarray,
    Bn: np.ndarray,
    j: int,
    duals: np.ndarray,
    target: float | None = None,
    transposed: bool = False,
) -> np.ndarray:
    """Non-negative multipliers ``y_k`` (k != j) from HiGHS row duals.

    HiGHS reports the duals of these ``<=`` rows of a maximisation as non-negative (measured);
    should a future version flip the convention, the other sign is tried whenever the first
    does not reproduce ``target`` — every ``y >= 0`` gives a valid bound, so this choice can
    never make a certificate wrong, only loose.
    """
    y = np.clip(duals, 0.0, None)
    y[j] = 0.0
    b = _bound(An, Bn, j, y, transposed)
    if target is not None and b <= target + 1e-9 * max(1.0, abs(target)):
        return y
    y2 = np.clip(-duals, 0.0, None)
    y2[j] = 0.0
    return y2 if _bound(An, Bn, j, y2, transposed) < b else y


def _bound(A: np.ndarray, B: np.ndarray, j: int, y: np.ndarray, transposed: bool = False) -> float:
    """Weak-duality bound ``max_i (A[i,j] + sum_k y_k (B[i,j] - B[i,k]))`` (``y`` sparse);
    with ``transposed`` the second matrix is ``B.T`` (contiguous follower-action rows)."""
    nz = np.flatnonzero(y)
    nz = nz[nz != j]
    if nz.size == 0:
        return float(A[:, j].max())
    yy = y[nz]
    if transposed:
        return float((A[:, j] + B[j] * yy.sum() - yy @ B[nz]).max())
    return float((A[:, j] + B[:, j] * yy.sum() - B[:, nz] @ yy).max())


def _column_bound(acol: np.ndarray, BT: np.ndarray, j: int, y: np.ndarray) -> float:
    """:func:`_bound` from column ``acol = A[:, j]`` and ``BT = B.T`` (rows read, not
    columns)."""
    nz = np.flatnonzero(y)
    nz = nz[nz != j]
    if nz.size == 0:
        return float(acol.max())
    yy = y[nz]
    return float((acol + BT[j] * yy.sum() - yy @ BT[nz]).max())


def _pure_dominator(B: np.ndarray, j: int, tol: float) -> tuple[int, float] | None:
    """A follower action strictly better than ``j`` against every leader action, if any.

    Candidates are filtered a block of rows at a time, so the usual case (no dominator) costs
    a few rows rather than the whole matrix.
    """
    m = B.shape[0]
    cand = np.flatnonzero(B[0] > B[0, j] + tol)
    start, step = 1, 4
    while cand.size and start < m:
        stop = min(m, start + step)
        blk = B[start:stop]
        cand = cand[(blk[:, cand] > blk[:, [j]] + tol).all(axis=0)]
        start, step = stop, step * 2
    if cand.size == 0:
        return None
    margins = (B[:, cand] - B[:, [j]]).min(axis=0)
    k = int(np.argmax(margins))
    return int(cand[k]), float(margins[k])


def dominating_mixture(B: np.ndarray, j: int) -> tuple[float, dict[int, float]] | None:
    r"""The mixture ``z`` of the follower's other actions that beats ``j`` by the most.

    Solves :math:`\max \delta` s.t. :math:`\sum_{k\ne j} z_k B_{ik} - B_{ij} \ge \delta\
    \forall i`, :math:`\sum z = 1, z \ge 0`. Returns ``(margin, {k: z_k})`` (the margin
    recomputed from the normalised ``z``; nonzero weights only), or ``None`` when there is no
    other action or HiGHS does not solve the LP.
    """
    import highspy

    m, n = B.shape
    others = [k for k in range(n) if k != j]
    if not others:
        return None
    h = new_highs(threads=1)
    inf = highspy.kHighsInf
    # columns: z_k (k in others), delta ; rows: m dominance rows, simplex
    nz = len(others)
    for _ in range(nz):
        h.addVar(0.0, 1.0)
    h.addVar(-inf, inf)
    idx = np.arange(nz + 1, dtype=np.int32)
    for i in range(m):
        h.addRow(B[i, j], inf, nz + 1, idx, np.r_[B[i, others], -1.0])
    h.addRow(1.0, 1.0, nz, np.arange(nz, dtype=np.int32), np.ones(nz))
    h.changeColCost(nz, 1.0)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    run_once(h)
    if model_status_name(h) != "optimal":
        return None
    sol = np.asarray(h.getSolution().col_value)
    z = np.clip(sol[:nz], 0.0, None)
    z = z / z.sum()
    margin = float((B[:, others] @ z - B[:, j]).min())
    return margin, {others[k]: float(z[k]) for k in np.nonzero(z)[0]}


def _infeasible_record(A: np.ndarray, B: np.ndarray, j: int, tol: float) -> ActionRecord:
    r"""Certify that LP(j) is infeasible: find a mixture of other actions dominating ``j``.

    Solves :math:`\max \delta` s.t. :math:`\sum_{k\ne j} z_k B_{ik} - B_{ij} \ge \delta\ \forall i`,
    :math:`\sum z = 1, z \ge 0`. When the margin is too thin to certify, LP(j) is re-solved with
    its best-response rows relaxed by ``tol`` and its multipliers give a valid bound instead.
    """
    if B.shape[1] < 2:  # no other action
        return ActionRecord("infeasible", bound=float(A[:, j].max()))
    found = dominating_mixture(B, j)
    if found is not None and found[0] > tol:
        return ActionRecord("infeasible", margin=found[0], dominated_by=found[1])
    # Thin case: LP(j) with its best-response row relaxed by ``tol`` is feasible; any y >= 0
    # gives a valid weak-duality bound on LP(j), and its duals give a tight one.
    y = _relaxed_multipliers(A, B, j, tol)
    if y is not None:
        return ActionRecord("infeasible", bound=_bound(A, B, j, y), multipliers=nonzero_entries(y))
    return ActionRecord("infeasible", bound=float(A[:, j].max()))


def _relaxed_multipliers(A: np.ndarray, B: np.ndarray, j: int, tol: float) -> np.ndarray | None:
    r"""Multipliers for LP(j) from its relaxation :math:`B_{\cdot j}^\top x - u \ge -tol`.

    The relaxation is feasible even when LP(j) is infeasible with a margin below ``tol``
    (a weakly dominated action); weak duality makes its duals ``y >= 0`` a valid bound on the
    exact LP(j): :math:`\max_i (A_{ij} + \sum_{k \ne j} y_k (B_{ij} - B_{ik}))`.
    Returns ``y`` in original units, or ``None`` if HiGHS does not solve the relaxation.
    """
    import highspy

    m, n = B.shape
    sa = float(np.abs(A).max()) or 1.0
    sb = float(np.abs(B).max()) or 1.0
    An, Bn = A / sa, B / sb
    h = new_highs(threads=1)
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = m + 1
    lp.num_row_ = n + 1
    lp.col_cost_ = np.r_[An[:, j], 0.0]
    lp.col_lower_ = np.r_[np.zeros(m), -inf]
    lp.col_upper_ = np.r_[np.ones(m), inf]
    lower = np.full(n + 1, -inf)
    upper = np.zeros(n + 1)
    lower[j], upper[j] = -tol / sb, inf  # B_j x - u >= -tol
    lower[n] = upper[n] = 1.0  # sum x = 1
    lp.row_lower_, lp.row_upper_ = lower, upper
    rows = np.vstack([np.hstack([Bn.T, -np.ones((n, 1))]), np.r_[np.ones(m), 0.0]])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.arange(0, (n + 2) * (m + 1), m + 1, dtype=np.int32)[: n + 2]
    lp.a_matrix_.index_ = np.tile(np.arange(m + 1, dtype=np.int32), n + 1)
    lp.a_matrix_.value_ = rows.ravel()
    lp.sense_ = highspy.ObjSense.kMaximize
    h.passModel(lp)
    run_once(h)
    if model_status_name(h) != "optimal":
        return None
    duals = np.asarray(h.getSolution().row_dual[:n], dtype=float)
    return _multipliers(An, Bn, j, duals) * (sa / sb)


infeasible_record = _infeasible_record  # public name (used by the Pyomo engine)
