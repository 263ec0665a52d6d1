"""A dependency-free progress line (count, percentage, rate, ETA) redrawn with ``\\r``.

Shown only on a terminal: :func:`Progress.for_stream` disables it when the stream is not a TTY
(a file, a pipe, CI logs), so logs stay clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """``label: done/total pct rate ETA (failed)`` on one line of ``stream``."""

    def __init__(
        self,
        total: int,
        *,
        enabled: bool,
        stream: TextIO | None = None,
        label: str = "batch",
        interval: float = 0.1,
    ) -> None:
        self.total, self.enabled, self.label, self.interval = total, enabled, label, interval
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        self.done = 0
        self.failed = 0
        self._last = 0.0
        self._width = 0

    @classmethod
    def for_stream(
        cls, total: int, *, quiet: bool, stream: TextIO | None = None, label: str = "batch"
    ) -> Progress:
        stream = stream if stream is not None else sys.stderr
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        return cls(total, enabled=tty and not quiet and total > 0, stream=stream, label=label)

    def update(self, *, failed: bool = False) -> None:
        self.done += 1
        self.failed += int(failed)
        now = time.perf_counter()
        if self.enabled and (now - self._last >= self.interval or self.done == self.total):
            self._last = now
            self._draw(now)

    def text(self, now: float | None = None) -> str:
        now = time.perf_counter() if now is None else now
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        pct = 100.0 * self.done / self.total if self.total else 100.0
        eta = _clock(left) if left != float("inf") else "?"
        fail = f", {self.failed} failed" if self.failed else ""
        return (
            f"{self.label}: {self.done}/{self.total} {pct:3.0f}% {rate:.1f}/s "
            f"ETA {eta} elapsed {_clock(elapsed)}{fail}"
        )

    def _draw(self, now: float) -> None:
        line = self.text(now)
        pad = " " * max(0, self._width - len(line))
        self._width = len(line)
        self.stream.write("\r" + line + pad)
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0
