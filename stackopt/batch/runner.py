"""Running a scenario set: a process pool or Dask, results streamed into the store.

The main process splits the scenarios still to solve into small chunks, keeps a bounded number
of chunks in flight on the executor, and appends the records of each chunk to the store
(:mod:`stackopt.batch.store`, one write and one ``fsync``) the moment the chunk comes back
(``concurrent.futures.wait`` with ``FIRST_COMPLETED``), before it looks at anything else. Executors:

- default: :class:`concurrent.futures.ProcessPoolExecutor` with ``workers`` processes
  (default ``os.cpu_count()``), forked directly when the main process runs a single OS thread
  (as ``stackopt batch`` does), else from a clean fork server (never ``fork`` a process that
  may already run HiGHS threads), one thread per task;
- ``scheduler="local"``: a ``dask.distributed.LocalCluster`` of ``workers`` single-threaded
  worker processes; ``scheduler="tcp://host:port"``: an existing Dask cluster through
  ``Client(address)``. Both through ``Client.get_executor()``, the ``concurrent.futures``
  interface. Tasks on a Dask worker run one at a time per process (Pyomo is not thread-safe).

The table is built from the store, in scenario order, so it does not depend on which worker
finished first; a resumed batch gives the same table as an uninterrupted one.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stackopt.batch.progress import Progress
from stackopt.batch.scenarios import ScenarioSet
from stackopt.batch.store import Store, latest, read_store, set_aside, store_path
from stackopt.batch.table import NOT_RUN, build_table, check_output, write_table
from stackopt.errors import InputError, StackoptError

log = logging.getLogger("stackopt.batch")

_PRELOAD = ["stackopt.batch._preload"]


@dataclass(frozen=True)
class Summary:
    """Counts and times of a batch (``solved`` means solved *and* certified)."""

    total: int
    solved: int
    failed: int
    not_certified: int
    reused: int
    seconds: float
    out: str | None = None
    store: str | None = None

    @property
    def ok(self) -> bool:
        return self.solved == self.total

    def text(self) -> str:
        ran = self.total - self.reused
        rate = f" ({ran / self.seconds:.1f} scenarios/s)" if self.seconds > 0 and ran else ""
        reused = f", {self.reused} from the store" if self.reused else ""
        where = f"; table {self.out}, results {self.store}" if self.out else ""
        return (
            f"batch: {self.total} scenarios{reused}: {self.solved} solved and certified, "
            f"{self.failed} failed, {self.not_certified} not certified; "
            f"{self.seconds:.1f} s{rate}{where}"
        )


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def run(
    sset: ScenarioSet,
    *,
    out: str | os.PathLike | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    quiet: bool = True,
    chunk_size: int | None = None,
    progress_stream: Any = None,
) -> tuple[Any, Summary]:
    """Solve every scenario of ``sset`` not already in the store; return (table, summary).

    ``out`` (``.csv`` or ``.parquet``) names the table and, with ``.jsonl`` appended, the
    store; without it records are kept in memory only. ``resume`` reuses the store's records
    (``retry_failed`` re-runs those with ``status: error``); without ``resume`` an existing
    store is renamed to ``<store>.1`` (``.2``, ...) and the batch starts afresh.
    """
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise InputError(
            f"--workers must be a whole number >= 1, got {workers!r}",
            field="--workers",
            fix="give e.g. --workers 2",
        )
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
        raise InputError(
            f"chunk size must be a whole number >= 1, got {chunk_size!r}",
            field="--chunk-size",
            fix="give e.g. --chunk-size 8",
        )
    if out is not None:
        check_output(out)
    elif resume:
        raise InputError(
            "--resume needs --out",
            field="--resume",
            fix="name the table whose results store should be resumed",
        )
    spath = store_path(out) if out is not None else None
    records: dict[str, dict[str, Any]] = {}
    if spath is not None:
        if resume:
            records = latest(read_store(spath, repair=True))
        else:
            moved = set_aside(spath)
            if moved is not None:
                log.warning(
                    "an earlier results store was moved to %s (use --resume to continue a batch)",
                    moved,
                )
    todo = [
        s
        for s in sset.scenarios
        if s.key not in records or (retry_failed and records[s.key].get("status") == "error")
    ]
    reused = len(sset) - len(todo)
    if reused:
        log.info("resuming: %d of %d scenarios are in the store", reused, len(sset))
    verbose = log.isEnabledFor(logging.INFO)
    progress = Progress.for_stream(len(todo), quiet=quiet or verbose, stream=progress_stream)
    start = time.perf_counter()
    store = Store(spath) if spath is not None else None
    try:
        if todo:
            with _executor(workers, scheduler, len(todo)) as (executor, nworkers, kind):
                size = chunk_size or _chunk_size(len(todo), nworkers, kind)
                chunks = [
                    [s.payload() for s in todo[i : i + size]] for i in range(0, len(todo), size)
                ]
                log.debug(
                    "%d scenarios in %d chunks on %d %s workers",
                    len(todo),
                    len(chunks),
                    nworkers,
                    kind,
                )
                for items in _stream(
                    executor, chunks, window=2 * nworkers + 1, dask=kind == "dask"
                ):
                    if store is not None:  # on disk before anything else happens
                        store.append_lines([line for line, _ in items])
                    for _, brief in items:
                        records[brief["key"]] = brief  # the worker computed its table row
                        progress.update(failed=brief["status"] == "error")
                        _log_scenario(brief)
    except KeyboardInterrupt:
        progress.close()
        where = (
            f" are in {spath}; run the same command with --resume to finish"
            if spath is not None
            else " were not stored (no --out)"
        )
        log.warning("interrupted: %d of %d scenarios%s", len(records), len(sset), where)
        raise
    finally:
        progress.close()
        if store is not None:
            store.close()
    seconds = time.perf_counter() - start
    df = build_table(sset.scenarios, records, sset.parameters, sset.option_columns)
    if out is not None:
        write_table(df, out)
    summary = summarise(df, reused=reused, seconds=seconds, out=out, store=spath)
    df.attrs["summary"] = summary.__dict__ | {"ok": summary.ok}
    return df, summary


def summarise(
    df: Any,
    *,
    reused: int = 0,
    seconds: float = 0.0,
    out: str | os.PathLike | None = None,
    store: Path | None = None,
) -> Summary:
    certified = df["certified"].astype(bool)
    failed = df["status"].isin(["error", NOT_RUN])
    return Summary(
        total=len(df),
        solved=int(certified.sum()),
        failed=int(failed.sum()),
        not_certified=int((~certified & ~failed).sum()),
        reused=reused,
        seconds=seconds,
        out=None if out is None else str(out),
        store=None if store is None else str(store),
    )


def _log_scenario(s: Mapping[str, Any]) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    what = "certified" if s["certified"] else "NOT certified"
    msg = f": {s['message']}" if s.get("message") else ""
    log.info("%s: %s, %s (%.3f s)%s", s["scenario"], s["status"], what, s["seconds"], msg)


def _chunk_size(n: int, workers: int, kind: str) -> int:
    """Chunks small enough to balance the load (8 per worker) and to stream results, large
    enough to amortise the per-task cost (about 0.1 ms for a process pool, a few ms for Dask)."""
    cap = 64 if kind == "dask" else 16
    return max(1, min(cap, n // (8 * workers)))


def _stream(
    executor: Executor, chunks: Sequence[list[dict[str, Any]]], *, window: int, dask: bool
) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Yield the (store line, summary) pairs of each chunk as soon as it finishes."""
    from stackopt.batch import worker

    fn: Callable[..., Any] = worker.run_chunk_locked if dask else worker.run_chunk
    pending = deque(chunks)
    inflight: dict[Future, list[dict[str, Any]]] = {}

    def submit() -> None:
        while pending and len(inflight) < window:
            chunk = pending.popleft()
            inflight[executor.submit(fn, chunk)] = chunk

    submit()
    while inflight:
        done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
        for fut in done:
            chunk = inflight.pop(fut)
            try:
                items = fut.result()
            except Exception as exc:
                if _is_broken_pool(exc):
                    raise StackoptError(
                        f"a worker process died ({exc}); the results so far "
                        "are in the store: run again with --resume"
                    ) from exc
                items = worker.failed_chunk(chunk, f"worker failure: {type(exc).__name__}: {exc}")
            yield items
        submit()


def _is_broken_pool(exc: BaseException) -> bool:
    from concurrent.futures.process import BrokenProcessPool

    return isinstance(exc, BrokenProcessPool)


@contextmanager
def _executor(
    workers: int | None, scheduler: str | None, tasks: int
) -> Iterator[tuple[Executor, int, str]]:
    n = workers or default_workers()
    if scheduler is None:
        yield from _process_pool(n, tasks)
    else:
        yield from _dask(n, scheduler)


def _process_pool(n: int, tasks: int) -> Iterator[tuple[Executor, int, str]]:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from stackopt.batch.worker import init_worker

    method = _start_method()
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(_PRELOAD)
    elif method == "fork":
        import importlib

        for name in _PRELOAD:  # warm the parent once: every worker inherits the imports
            importlib.import_module(name)
    n = max(1, min(n, tasks))
    ex = ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=init_worker)
    with _no_phantom_main():
        try:
            yield ex, n, "process"
        except BaseException:
            ex.shutdown(wait=False, cancel_futures=True)
            raise
        ex.shutdown(wait=True)


def _start_method() -> str:
    """``fork`` when no HiGHS can have run in this process yet — no ``highspy`` (nor SciPy's
    HiGHS) loaded and no other Python thread — so the workers start at once with the
    parent's imports (as in ``stackopt batch``); otherwise ``forkserver``: a clean process
    forks the workers, since forking a process whose solver threads may hold locks is unsafe.
    (NumPy's BLAS threads are fork-safe: they re-initialise in the child.) ``spawn`` where
    neither exists."""
    import multiprocessing as mp
    import sys
    import threading

    methods = mp.get_all_start_methods()
    solver_loaded = any(
        m == "highspy" or m.startswith(("highspy.", "scipy.optimize._highs"))
        for m in list(sys.modules)
    )
    if "fork" in methods and threading.active_count() == 1 and not solver_loaded:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


@contextmanager
def _no_phantom_main() -> Iterator[None]:
    """Hide ``__main__.__file__`` while workers start when it names no file (``python -``,
    some embedders): spawned workers would try to re-run it and die. Workers only need
    :mod:`stackopt.batch.worker`."""
    import sys

    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or os.path.isfile(path):
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


def _dask(n: int, scheduler: str) -> Iterator[tuple[Executor, int, str]]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            "--scheduler needs Dask, which is not installed",
            field="--scheduler",
            fix="pip install 'stackopt[dask]', or drop --scheduler to use a process pool",
        ) from None
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            if "://" not in scheduler:
                raise InputError(
                    f"unknown scheduler {scheduler!r}",
                    field="--scheduler",
                    fix="give 'local' or an address such as tcp://host:8786",
                )
            try:
                client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise InputError(
                    f"cannot reach the Dask scheduler: {exc}",
                    source=scheduler,
                    field="--scheduler",
                    fix="check the address and that the scheduler runs",
                ) from None
            n = max(
                1,
                sum(
                    w.get("nthreads", 1)
                    for w in client.scheduler_info().get("workers", {}).values()
                ),
            )
        try:
            yield client.get_executor(pure=False), n, "dask"
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()
