"""Batch-solving scenario sets: ``stackopt batch`` and :func:`stackopt.batch`.

A scenario set (:mod:`stackopt.batch.scenarios`) — game files, or a game template / model swept
over a CSV table or a YAML grid — is solved on a process pool or a Dask cluster
(:mod:`stackopt.batch.runner`); each finished scenario is appended at once to a JSON-lines store
next to the output (:mod:`stackopt.batch.store`), so a killed batch resumes where it stopped;
the result is one tidy table (:mod:`stackopt.batch.table`). See docs/batch.md.

``stackopt.batch`` is both this package and a function: ``stackopt.batch(...)`` calls
:func:`batch` (the module object is callable), so ``import stackopt.batch.runner`` elsewhere
never hides the function.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Sequence
from typing import Any


def batch(
    sources: str | os.PathLike | Sequence[str | os.PathLike] = (),
    *,
    out: str | os.PathLike | None = None,
    model: str | None = None,
    scenarios: str | os.PathLike | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    progress: bool = False,
    chunk_size: int | None = None,
    export_results: str | os.PathLike | None = None,
    **options: Any,
):
    """Solve a scenario set and return its table (a :class:`pandas.DataFrame`).

    Parameters
    ----------
    sources
        Game files, directories or list files (``.txt``); or leave empty and give ``model``
        and ``scenarios``.
    out
        ``.csv`` or ``.parquet`` table to write; its results store is ``<out>.jsonl``.
        Without it nothing is written and the batch cannot be resumed.
    model, scenarios
        A game YAML used as a template (columns are dotted paths into it, e.g.
        ``payoffs.leader.0.1``) or a :mod:`stackopt.models` model, and a CSV table or YAML
        grid of scenarios (see :mod:`stackopt.batch.scenarios`).
    workers
        Worker processes (default: the number of cores).
    scheduler
        ``None`` (process pool), ``"local"`` (a local Dask cluster) or ``"tcp://host:port"``.
    resume, retry_failed
        Skip scenarios already in the store (and re-run the failed ones).
    progress
        Draw a progress line on stderr when it is a terminal.
    export_results
        A directory to write each scenario's result JSON (and, for templates, its game YAML)
        into, for ``stackopt verify`` (:func:`stackopt.batch.export.export_results`).
    **options
        Solve options applied to every scenario (``method``, ``tie_break``, ``leader``,
        ``rtol``, ``time_limit``, ...), as for :func:`stackopt.solve`; a table may set them
        per scenario.

    The summary (:class:`stackopt.batch.runner.Summary` fields) is in ``table.attrs["summary"]``;
    every scenario is solved and certified when ``table.attrs["summary"]["ok"]``.
    """
    from stackopt.batch.runner import run
    from stackopt.batch.scenarios import scenario_set

    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    sset = scenario_set(list(sources), model=model, scenarios=scenarios, options=options)
    if export_results is not None:
        from stackopt.batch.export import check_directory

        check_directory(export_results)
    df, _ = run(
        sset,
        out=out,
        workers=workers,
        scheduler=scheduler,
        resume=resume,
        retry_failed=retry_failed,
        quiet=not progress,
        chunk_size=chunk_size,
    )
    if export_results is not None:
        from stackopt.batch.export import export_results as _export

        _export(sset, out=out, directory=export_results, table=df)
    return df


class _CallableModule(types.ModuleType):
    """``stackopt.batch(...)`` calls :func:`batch`."""

    def __call__(self, *args: Any, **kwargs: Any):
        return batch(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["batch"]
