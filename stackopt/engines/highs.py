"""Creating quiet HiGHS instances and reading their statuses.

HiGHS prints a copyright banner on *stdout* the first time a ``Highs`` object is created in a
process, which would corrupt ``stackopt solve --json`` output. :func:`new_highs` swallows it
(at the file-descriptor level, since it is written by C++) and returns a silent instance.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

_banner_lock = threading.Lock()
_banner_done = False


def swallow_banner() -> None:
    """Create the process's first ``Highs`` with stdout silenced (its banner would corrupt
    ``--json`` output); later calls do nothing."""
    global _banner_done
    with _banner_lock:
        if _banner_done:
            return
        import highspy

        try:
            sys.stdout.flush()
            fd = sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):  # no real stdout (e.g. captured)
            fd = 1
        saved = None
        try:
            saved = os.dup(fd)
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), fd)
                highspy.Highs()
        except OSError:  # pragma: no cover - exotic platforms
            highspy.Highs()
        finally:
            if saved is not None:
                os.dup2(saved, fd)
                os.close(saved)
        _banner_done = True


def new_highs(**options: Any):
    """Return a silent ``highspy.Highs`` with ``options`` set (e.g. ``threads=1``)."""
    import highspy

    swallow_banner()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for key, value in options.items():
        h.setOptionValue(key, value)
    return h


def solve_milp_exactly(
    model: Any, *, time_limit: float | None = None, abs_gap: float = 0.0
) -> tuple[Any, float]:
    """Solve a Pyomo (MI)LP with Pyomo's HiGHS interface on one thread, relative gap 0 and
    absolute gap ``abs_gap`` (both as Pyomo options and as HiGHS' ``mip_*_gap``).

    Returns ``(results, seconds)``; solutions are not loaded and a non-optimal termination does
    not raise: the caller reads ``results.termination_condition``.
    """
    from stackopt.progress import pyomo_tee

    return _pyomo_highs(
        model,
        {"mip_rel_gap": 0.0, "mip_abs_gap": abs_gap},
        rel_gap=0.0,
        abs_gap=abs_gap,
        time_limit=time_limit,
        tee=pyomo_tee(),
    )


def _pyomo_highs(model: Any, solver_options: dict[str, Any], **options: Any) -> tuple[Any, float]:
    """``SolverFactory("highs").solve(model, **options)`` on one thread, solutions not loaded,
    no exception on a non-optimal end; re-run with ``threads=0`` (the existing scheduler) when
    HiGHS refuses one thread (:func:`_scheduler_refused`). Returns ``(results, seconds)``."""
    import time

    import pyomo.environ  # noqa: F401  (registers the solvers)
    from pyomo.contrib.solver.common.factory import SolverFactory

    swallow_banner()
    opt = SolverFactory("highs")
    common = {"load_solutions": False, "raise_exception_on_nonoptimal_result": False, **options}
    first = {"solver_options": solver_options} if solver_options else {}
    t = time.perf_counter()
    res = opt.solve(model, threads=1, **common, **first)
    if _scheduler_refused(res):
        res = opt.solve(model, **common, solver_options={**solver_options, "threads": 0})
    return res, time.perf_counter() - t


def run_highs(h) -> str:
    """Run a ``highspy.Highs`` model and return its model status (``model_status_name``).

    The public runner every engine, formulation and check uses. ``infeasible or unbounded``
    is resolved by re-running without presolve; a status HiGHS cannot decide (``unknown``,
    solve errors: numerical trouble after many in-place edits) is retried from scratch
    (``clearSolver``), then without presolve. A model asking for ``threads`` different from
    the process-wide HiGHS scheduler (started by another HiGHS caller, e.g. Pyomo's default
    interface) is re-run with ``threads=0`` (use that scheduler) instead of failing.
    """
    run_once(h)
    st = model_status_name(h)
    for attempt in range(2):
        if st in ("optimal", "infeasible", "unbounded", "time limit reached"):
            break
        if attempt == 0 and "infeasible or unbounded" not in st:
            h.clearSolver()
            run_once(h)
        else:
            h.clearSolver()
            h.setOptionValue("presolve", "off")
            run_once(h)
            h.setOptionValue("presolve", "choose")
        st = model_status_name(h)
    return st


def run_once(h) -> Any:
    """``h.run()``, re-run on the shared scheduler if ``threads`` conflicts with it."""
    import highspy

    from stackopt.progress import route_highs_log

    route_highs_log(h)  # HiGHS's log to the 'stackopt.highs' logger when -v / a status line
    status = h.run()
    if status == highspy.HighsStatus.kError and model_status_name(h) == "not set":
        _, threads = h.getOptionValue("threads")
        if threads:
            h.setOptionValue("threads", 0)
            status = h.run()
    return status


def run_decided(h, also: tuple[str, ...] = ()) -> tuple[str, float, int]:
    """Run a warm-started ``h`` (presolve off); returns ``(status, highs_seconds, runs)``.

    Warm-started simplex without presolve can end undecided on degenerate, barely infeasible
    LPs (e.g. a weakly dominated follower action): such a run is repeated from scratch with
    presolve, which decides them, and presolve is switched off again for the next warm start.
    Statuses in ``also`` (e.g. ``"bound on objective reached"``) count as decided.
    """
    import time

    ts = time.perf_counter()
    run_once(h)
    seconds = time.perf_counter() - ts
    runs = 1
    st = model_status_name(h)
    if st not in ("optimal", "infeasible") and st not in also:
        h.clearSolver()
        h.setOptionValue("presolve", "on")
        ts = time.perf_counter()
        run_once(h)
        seconds += time.perf_counter() - ts
        runs += 1
        h.setOptionValue("presolve", "off")
        st = model_status_name(h)
    return st, seconds, runs


def solve_pyomo_lp(model: Any, *, time_limit: float | None = None) -> tuple[Any, float]:
    """Solve a Pyomo LP with Pyomo's HiGHS interface on one thread (as every HiGHS call of
    stackopt, so that the process-wide HiGHS scheduler is started with one thread).

    Returns ``(results, seconds)``; solutions are not loaded and a non-optimal termination does
    not raise: the caller reads ``results.termination_condition``.
    """
    from stackopt.progress import pyomo_tee

    return _pyomo_highs(model, {}, time_limit=time_limit, tee=pyomo_tee(milp=False))


def _scheduler_refused(res: Any) -> bool:
    """Whether Pyomo's HiGHS call ended undecided, as it does when ``threads=1`` conflicts
    with a HiGHS scheduler another caller started with more threads (re-run with
    ``threads=0``, the existing scheduler)."""
    from pyomo.contrib.solver.common.results import TerminationCondition

    return res.termination_condition in (TerminationCondition.unknown, TerminationCondition.error)


def solve_pyomo_milp(
    model: Any, *, time_limit: float | None = None, threads: int | None = None
) -> tuple[str, float | None, float | None]:
    """Solve a Pyomo MILP with Pyomo's HiGHS at relative gap 0 and load its incumbent.

    Returns ``(status, incumbent value, dual bound)``: status ``optimal`` or the name of the
    limit that stopped it (``maxTimeLimit``, ...); any other termination raises
    :class:`~stackopt.errors.SolverError`. ``threads`` sets HiGHS's thread count (the
    process-wide scheduler is reset first, as HiGHS refuses a different count otherwise);
    ``None`` keeps HiGHS's default.
    """
    from pyomo.contrib.solver.common.factory import SolverFactory
    from pyomo.contrib.solver.common.results import TerminationCondition

    from stackopt.errors import SolverError

    swallow_banner()
    opts: dict[str, Any] = {"mip_rel_gap": 0.0}
    if threads is not None:
        import highspy

        # HiGHS keeps one global thread pool per process and refuses ('unknown' status) a
        # different thread count once it exists; resetting it first makes 'threads' work.
        highspy.Highs.resetGlobalScheduler(True)
        opts["threads"] = int(threads)
    from stackopt.progress import pyomo_tee

    kw: dict[str, Any] = {
        "solver_options": opts,
        "load_solutions": False,
        "raise_exception_on_nonoptimal_result": False,
        "tee": pyomo_tee(),
    }
    if time_limit is not None:
        kw["time_limit"] = float(time_limit)
    res = SolverFactory("highs").solve(model, **kw)
    tc = res.termination_condition
    if tc == TerminationCondition.convergenceCriteriaSatisfied:
        status = "optimal"
    elif tc in (
        TerminationCondition.maxTimeLimit,
        TerminationCondition.iterationLimit,
        TerminationCondition.interrupted,
    ):
        status = tc.name
    else:
        raise SolverError(f"HiGHS returned '{tc.name}' on the MILP")
    incumbent = res.incumbent_objective
    if incumbent is not None:
        res.solution_loader.load_vars()
    bound = res.objective_bound
    return (
        status,
        None if incumbent is None else float(incumbent),
        None if bound is None else float(bound),
    )


def set_mip_start(h, columns: Any, values: Any) -> bool:
    """Offer HiGHS a (partial) MIP start: ``values`` for the ``columns`` listed (HiGHS
    completes the others). Only a hint: HiGHS checks it and ignores an infeasible start, so
    the MILP's optimum (``mip_rel_gap`` 0) is unchanged. Returns whether HiGHS accepted the
    call."""
    import highspy
    import numpy as np

    cols = np.asarray(columns, dtype=np.int32)
    vals = np.asarray(values, dtype=float)
    return bool(h.setSolution(len(cols), cols, vals) == highspy.HighsStatus.kOk)


def start_solution_returned(h, *, rtol: float = 1e-7) -> bool:
    """Whether HiGHS returned a solution whose objective is *not* the optimum it reports.

    Measured with HiGHS 1.16.0: after ``setSolution`` (a MIP start) and a MILP solved with
    presolve on, ``getSolution()`` can hold the start's values while
    ``objective_function_value`` (and the bound) are the optimum's. A two-state MDP game of
    the test suite (``tests/mdp/test_brute_force.py::test_mip_start_is_not_returned_as_optimum``)
    gives objective 0.5 with columns worth 0.25. This compares :math:`c^\\top x` + offset of
    the returned columns with the reported objective; after a MIP start, call it and re-run
    with ``presolve`` off when it says so (that run returns the optimum's columns).
    """
    import numpy as np

    lp = h.getLp()
    x = np.asarray(h.getSolution().col_value, dtype=float)
    if x.size != lp.num_col_:
        return False
    value = float(np.dot(np.asarray(lp.col_cost_, dtype=float), x) + lp.offset_)
    reported = float(h.getInfo().objective_function_value)
    return abs(value - reported) > rtol * max(1.0, abs(reported))


def run_from_start(h) -> str:
    """:func:`run_highs` after a MIP start, guarded against :func:`start_solution_returned`:
    when HiGHS returns columns that do not attain its reported optimum, solve again with
    presolve off (then restore the option), which returns the optimum's columns. Returns the
    model status."""
    st = run_highs(h)
    if st == "optimal" and start_solution_returned(h):
        _, presolve = h.getOptionValue("presolve")
        h.setOptionValue("presolve", "off")
        try:
            st = run_highs(h)
        finally:
            h.setOptionValue("presolve", presolve)
    return st


def model_status_name(h) -> str:
    """HiGHS model status as a short lower-case string (``optimal``, ``infeasible``, ...)."""
    return h.modelStatusToString(h.getModelStatus()).lower()


_swallow_banner = swallow_banner  # the name used before 0.2
