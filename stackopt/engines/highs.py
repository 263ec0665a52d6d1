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


def _swallow_banner() -> None:
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

    _swallow_banner()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for key, value in options.items():
        h.setOptionValue(key, value)
    return h


def solve_milp_exactly(model: Any, *, time_limit: float | None = None, abs_gap: float = 0.0
                       ) -> tuple[Any, float]:
    """Solve a Pyomo (MI)LP with Pyomo's HiGHS interface on one thread, relative gap 0 and
    absolute gap ``abs_gap`` (both as Pyomo options and as HiGHS' ``mip_*_gap``).

    Returns ``(results, seconds)``; solutions are not loaded and a non-optimal termination does
    not raise: the caller reads ``results.termination_condition``.
    """
    import time

    import pyomo.environ  # noqa: F401  (registers the solvers)
    from pyomo.contrib.solver.common.factory import SolverFactory

    _swallow_banner()
    opt = SolverFactory("highs")
    t = time.perf_counter()
    res = opt.solve(model, load_solutions=False, raise_exception_on_nonoptimal_result=False,
                    threads=1, rel_gap=0.0, abs_gap=abs_gap, time_limit=time_limit,
                    solver_options={"mip_rel_gap": 0.0, "mip_abs_gap": abs_gap})
    return res, time.perf_counter() - t


def model_status_name(h) -> str:
    """HiGHS model status as a short lower-case string (``optimal``, ``infeasible``, ...)."""
    return h.modelStatusToString(h.getModelStatus()).lower()
