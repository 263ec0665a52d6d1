"""The append-only results store: one JSON line per finished scenario, fsync'd at once.

The store lives next to the output table (``results.csv`` -> ``results.csv.jsonl``). Only the
main process writes it; each record is written, flushed and ``os.fsync``'d as soon as it comes
back from its worker (the records of a chunk, which arrive together, share one write and one
``fsync``), so a batch killed at any moment (``kill -9`` included) loses at most the scenarios
still running. A line cut short by the kill (no final newline, or not valid JSON) is detected
on the next read, ignored, and cut off before anything new is appended.

Each line is a JSON object with ``key`` (fingerprint of the scenario's game source, parameters
and options), ``scenario`` (its id), ``index``, ``params``, ``options``, ``status``,
``certified``, ``seconds`` (wall clock), ``cpu_seconds`` and ``worker`` (the worker's process
id), ``message`` and ``result`` — the full result JSON, exactly as
``stackopt solve --json`` writes it (``null`` when the scenario failed before solving).
When a key occurs more than once (a failed scenario retried), the last line wins.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from stackopt.commands import unwritable

log = logging.getLogger("stackopt.batch")


def store_path(out: str | os.PathLike) -> Path:
    """The store of output table ``out``: ``<out>.jsonl``."""
    return Path(str(out) + ".jsonl")


def read_store(path: str | os.PathLike, *, repair: bool = False) -> list[dict[str, Any]]:
    """The valid records of a store, in file order (a missing store has none).

    A torn last line (one without its newline: the store writes each record and its newline
    in one call, so only a kill mid-write leaves one) is ignored; with ``repair`` it is also cut
    off the file so that the next append starts on a fresh line. A bad line in the middle
    (which this module never writes) is skipped with a warning.
    """
    p = Path(path)
    if not p.exists():
        return []
    data = p.read_bytes()
    *lines, tail = data.split(b"\n")  # every element but the last ended with a newline
    records: list[dict[str, Any]] = []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw)
        except ValueError:
            rec = None
        if not isinstance(rec, dict) or "key" not in rec:
            log.warning("%s: skipping unreadable line %d", p, n)
            continue
        records.append(rec)
    if tail.strip():
        log.warning(
            "%s: ignoring a torn last line (%d bytes, no newline); its scenario runs again",
            p,
            len(tail),
        )
    if tail and repair:
        with open(p, "r+b") as f:
            f.truncate(len(data) - len(tail))
            f.flush()
            os.fsync(f.fileno())
    return records


def latest(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The last record of each key."""
    out: dict[str, dict[str, Any]] = {}
    for rec in records:
        out[str(rec["key"])] = rec
    return out


class Store:
    """Appends records to a store file, one fsync'd line each."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        try:
            self._file: IO[str] = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise unwritable(
                exc,
                "the results store",
                self.path,
                "name an output file in an existing, writable directory",
            ) from None

    def append_line(self, line: str) -> None:
        """Write one JSON line (already serialised) and force it to disk."""
        self.append_lines([line])

    def append_lines(self, lines: Iterable[str]) -> None:
        """Write JSON lines that arrived together (a chunk's records) in one write and force
        them to disk with one ``fsync``: as durable as a sync per line, since nothing reads or
        reports them before the sync returns."""
        text = "".join(line.rstrip("\n") + "\n" for line in lines)
        if not text:
            return
        self._file.write(text)
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def set_aside(path: Path) -> Path | None:
    """Rename an existing store to ``<store>.1`` (``.2``, ...) so that a fresh batch starts
    empty and nothing an earlier batch wrote is lost; returns the new name."""
    if not path.exists():
        return None
    n = 1
    while Path(f"{path}.{n}").exists():
        n += 1
    target = Path(f"{path}.{n}")
    os.replace(path, target)
    return target
