"""What a worker process runs: build each scenario's game from plain data, solve, report.

Workers (a process of the pool or a Dask worker) receive scenario payloads — a file path, or a
YAML document plus parameter overrides, or a model name plus parameters — and build their own
games; nothing that holds a Pyomo model crosses a process boundary. Each scenario gives one
record (see :mod:`stackopt.batch.store`), already serialised as the JSON line the store
writes, so that the main process only appends it.

A scenario never stops the batch: a bad parameter (the game does not validate, an option the
game's kind does not take) gives ``status: error`` with ``bad input: ...``; a solver failure or
a reached time limit gives the ``status: error`` result ``stackopt solve`` would print; any
other exception is recorded with its type and message.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def init_worker() -> None:
    """Process-pool initializer: one thread per task, Ctrl-C handled by the main process."""
    import signal

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def build_game(payload: Mapping[str, Any]) -> Any:
    """The game of a scenario payload (see :class:`stackopt.batch.scenarios.Scenario`)."""
    from stackopt.io.load import load_game, parse_game

    source = payload["source"]
    params = payload.get("params") or {}
    if "file" in source:
        return load_game(source["file"])
    if "template" in source:
        from stackopt.batch.spaces import apply_overrides

        doc = apply_overrides(source["template"], params)
        base = source.get("base_dir")
        return parse_game(
            doc,
            source=f"{source.get('path', '<template>')} [{payload.get('id')}]",
            base_dir=Path(base) if base else None,
        )
    if "model" in source:
        from stackopt.models import load_model

        return load_model(source["model"], **params)
    raise ValueError(f"unknown scenario source {sorted(source)}")  # pragma: no cover


def solve_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Solve one scenario and return its record (never raises for a scenario's fault)."""
    from stackopt.errors import InputError, SolverError

    start, cpu = time.perf_counter(), time.process_time()
    result = None
    message = ""
    try:
        from stackopt.api import solve
        from stackopt.kinds.registry import check_options, spec_of

        game = build_game(payload)
        spec = spec_of(game)
        opts = check_options(spec, payload.get("options") or {})
        try:
            result = solve(game, **opts)
        except SolverError as exc:
            from stackopt.result import failure_result

            result = failure_result(game, opts, f"solver failure: {exc}", spec.default_method)
    except InputError as exc:
        message = f"bad input: {exc}"
    except Exception as exc:  # a scenario's crash is recorded, the batch goes on
        message = f"{type(exc).__name__}: {exc}"
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    record: dict[str, Any] = {
        "key": payload["key"],
        "scenario": payload["id"],
        "index": payload["index"],
        "cpu_seconds": cpu,
        "worker": os.getpid(),
        "params": dict(payload.get("params") or {}),
        "options": dict(payload.get("options") or {}),
    }
    if result is not None:
        data = result.to_dict()
        record.update(
            status=data["status"],
            certified=bool(result.certified),
            seconds=seconds,
            message=data.get("message") or "",
            result=data,
        )
    else:
        record.update(
            status="error", certified=False, seconds=seconds, message=message, result=None
        )
    return record


def run_chunk(payloads: Sequence[Mapping[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Solve several scenarios; for each, its store line and a short summary."""
    out = []
    for payload in payloads:
        rec = solve_payload(payload)
        try:
            line = json.dumps(rec, allow_nan=False, separators=(",", ":"), default=str)
        except ValueError as exc:  # a non-finite number somewhere: keep the failure instead
            rec.update(
                status="error",
                certified=False,
                result=None,
                message=f"the result cannot be written as JSON: {exc}",
            )
            line = json.dumps(rec, allow_nan=False, separators=(",", ":"), default=str)
        out.append((line, _brief(rec)))
    return out


def _brief(rec: Mapping[str, Any]) -> dict[str, Any]:
    """What the main process needs of a record besides its line: the progress fields and
    the record's table row (computed here, in parallel)."""
    from stackopt.batch.table import record_row

    brief = {
        k: rec[k] for k in ("key", "scenario", "index", "status", "certified", "seconds", "message")
    }
    brief["row"] = record_row(rec)
    return brief


_LOCK = threading.Lock()


def run_chunk_locked(payloads: Sequence[Mapping[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """:func:`run_chunk` one at a time per process (a Dask worker may run several threads,
    and Pyomo is not thread-safe)."""
    with _LOCK:
        return run_chunk(payloads)


def failed_chunk(
    payloads: Sequence[Mapping[str, Any]], message: str
) -> list[tuple[str, dict[str, Any]]]:
    """Records for scenarios whose task failed as a whole (e.g. a worker lost)."""
    out = []
    for p in payloads:
        rec = {
            "key": p["key"],
            "scenario": p["id"],
            "index": p["index"],
            "params": dict(p.get("params") or {}),
            "options": dict(p.get("options") or {}),
            "status": "error",
            "certified": False,
            "seconds": 0.0,
            "message": message,
            "result": None,
        }
        line = json.dumps(rec, allow_nan=False, separators=(",", ":"), default=str)
        out.append((line, _brief(rec)))
    return out
