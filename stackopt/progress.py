"""Progress of long single solves: HiGHS's log on the ``stackopt.highs`` logger and a one-line
status on a terminal.

* :func:`route_highs_log` (called by :func:`stackopt.engines.highs.run_once`, the runner of
  every ``highspy.Highs``) and :func:`pyomo_tee` (passed as ``tee`` by the Pyomo-driven HiGHS
  solves) send HiGHS's own log — presolve, simplex iterations, the branch-and-bound table with
  nodes, primal and dual bounds, gap and time — to the ``stackopt.highs`` logger at ``INFO``,
  but only when that logger is enabled for ``INFO`` (``stackopt -v``, or the terminal status
  line); otherwise HiGHS stays silent (``output_flag`` off) and costs nothing.
* :class:`StatusHandler` is the CLI's ``logging`` handler: it writes records at or above
  ``show_level`` as lines on stderr and, when ``heartbeat`` is on (stderr a TTY, not
  ``--quiet``), keeps one status line — elapsed time, the current phase and the latest HiGHS
  or branching line — redrawn with ``\\r`` at most a few times per second and cleared before any
  other output (:meth:`StatusHandler.guard` wraps ``sys.stdout``/``sys.stderr`` for that).
  Nothing here writes to stdout.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
import time
from typing import Any, TextIO

HIGHS_LOGGER = "stackopt.highs"
STATUS_LOGGER = "stackopt.status"
_highs_log = logging.getLogger(HIGHS_LOGGER)
_status_log = logging.getLogger(STATUS_LOGGER)


def highs_log_enabled() -> bool:
    """Whether HiGHS's full log is wanted (the ``stackopt.highs`` logger is enabled for INFO)."""
    return _highs_log.isEnabledFor(logging.INFO)


def status_enabled() -> bool:
    """Whether compact MILP progress is wanted for a status line (``stackopt.status`` enabled
    for INFO while the full HiGHS log is off — the CLI's heartbeat without ``-v``)."""
    return _status_log.isEnabledFor(logging.INFO) and not highs_log_enabled()


def _log_highs_line(event: Any, level: int = logging.INFO) -> None:
    for line in str(getattr(event, "message", "")).splitlines():
        if line.strip():
            _highs_log.log(level, "%s", line.rstrip())


def _log_highs_lp_line(event: Any) -> None:
    _log_highs_line(event, logging.DEBUG)


def _is_mip(h: Any) -> bool:
    try:
        return any(int(t) != 0 for t in h.getLp().integrality_)
    except (AttributeError, TypeError, ValueError, RuntimeError):  # pragma: no cover
        return True


def _log_mip_progress(event: Any) -> None:
    d = event.data_out
    _status_log.info(
        "MILP: %d nodes, incumbent %.6g, bound %.6g, gap %.2f%%, %.0f s",
        d.mip_node_count,
        d.mip_primal_bound,
        d.mip_dual_bound,
        100.0 * d.mip_gap,
        d.running_time,
    )


def route_highs_log(h: Any) -> None:
    """Send the log of the ``highspy.Highs`` ``h`` to the ``stackopt.highs`` logger when it is
    enabled for INFO (a MILP's log at INFO; an LP's at DEBUG, as loops solve thousands of
    them), or (:func:`status_enabled`) only its MILP progress — nodes, incumbent, bound,
    gap — to ``stackopt.status`` (once per instance; HiGHS's console output stays off: stdout
    carries the JSON); do nothing otherwise."""
    full = highs_log_enabled()
    if getattr(h, "_stackopt_log", False) or not (full or status_enabled()):
        return
    mip = _is_mip(h) if full else True
    if full and not mip and not _highs_log.isEnabledFor(logging.DEBUG):
        return
    try:
        h.setOptionValue("output_flag", True)
        h.setOptionValue("log_to_console", False)
        if full:
            h.cbLogging += _log_highs_line if mip else _log_highs_lp_line
        else:
            h.cbMipLogging += _log_mip_progress
        h._stackopt_log = True
    except (AttributeError, TypeError, RuntimeError):  # pragma: no cover - older highspy
        h.setOptionValue("output_flag", False)


def pyomo_tee(*, milp: bool = True) -> Any:
    """The ``tee`` argument for a Pyomo HiGHS solve: the ``stackopt.highs`` logger when its log
    is wanted; for a MILP under a status line, the ``stackopt.status`` logger (its lines feed
    the status line only); else ``False``."""
    if highs_log_enabled() and (milp or _highs_log.isEnabledFor(logging.DEBUG)):
        return [_highs_log]  # an LP's log only at DEBUG (-vv)
    return [_status_log] if milp and status_enabled() else False


def phase(area: str, message: str, *args: Any) -> None:
    """Log a phase boundary of a solve (``INFO`` on the ``stackopt.<area>`` logger): shown with
    ``-v`` and on the terminal's status line."""
    logging.getLogger(f"stackopt.{area}").info(message, *args)


def model_size(model: Any) -> str:
    """``"N variables (B integer), M constraints"`` of a Pyomo model, a ``highspy.Highs`` or a
    ``MILPArrays``-like object (``A``/``c``/``integrality``); ``"?"`` if unknown. For phase
    logs only."""
    try:
        if hasattr(model, "getNumCol"):
            return f"{model.getNumCol()} variables, {model.getNumRow()} constraints"
        if hasattr(model, "component_data_objects"):
            from pyomo.environ import Constraint, Var

            vs = list(model.component_data_objects(Var, active=True))
            ints = sum(1 for v in vs if not v.is_continuous())
            ncon = sum(1 for _ in model.component_data_objects(Constraint, active=True))
            return f"{len(vs)} variables ({ints} integer), {ncon} constraints"
        a = getattr(model, "A", None)
        if a is not None and hasattr(a, "shape"):
            integ = getattr(model, "integrality", None)
            ints = int(sum(1 for t in integ if t)) if integ is not None else 0
            return f"{a.shape[1]} variables ({ints} integer), {a.shape[0]} constraints"
    except Exception:  # pragma: no cover - a log line must never fail a solve
        pass
    return "?"


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


_MIP_ROW = re.compile(
    r"^(?:[A-Za-z]\s+)?(\d+)\s+\d+\s+\d+\s+[\d.]+%\s+(\S+)\s+(\S+)\s+"
    r"(\S+%|Large|inf)"
)


def mip_row(line: str) -> str | None:
    """A row of HiGHS's branch-and-bound table (``Src Proc. InQueue Leaves Expl. BestBound
    BestSol Gap ...``) as ``MILP: N nodes, bound B, incumbent I, gap G``; ``None`` for any
    other line."""
    m = _MIP_ROW.match(line.strip())
    if m is None:
        return None
    nodes, bound, sol, gap = m.groups()
    return f"MILP: {nodes} nodes, bound {bound}, incumbent {sol}, gap {gap}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class StatusHandler(logging.StreamHandler):
    """Log lines at or above ``show_level`` on ``stream``, plus (``heartbeat``) one status line
    ``label m:ss phase | detail`` redrawn with ``\\r`` from the records (at most every
    ``interval`` seconds) and every second by a ticker thread while :meth:`start` is in effect.

    ``phase`` is the latest message of a ``stackopt`` logger other than ``stackopt.highs``;
    ``detail`` the latest HiGHS or branching line. The heartbeat is only drawn when ``stream``
    is a TTY (:meth:`for_stream`)."""

    def __init__(
        self,
        stream: TextIO,
        *,
        show_level: int,
        heartbeat: bool,
        label: str = "stackopt",
        interval: float = 0.25,
    ) -> None:
        # a StreamHandler, so that Pyomo's output capture (which redirects fds 1 and 2 while
        # HiGHS runs) points ``self.stream`` at the original stderr instead of looping
        super().__init__(stream)
        self.setLevel(logging.DEBUG if heartbeat else show_level)
        self.show_level, self.heartbeat = show_level, heartbeat
        self.label, self.interval = label, interval
        self.start_time = time.perf_counter()
        self.phase, self.detail = "starting", ""
        self._width = 0
        self._last_draw = 0.0
        self._lock2 = threading.RLock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self.setFormatter(logging.Formatter("stackopt: %(levelname)s: %(message)s"))

    @classmethod
    def for_stream(
        cls, stream: TextIO, *, show_level: int, quiet: bool, label: str = "stackopt"
    ) -> StatusHandler:
        """A handler whose heartbeat is on only when ``stream`` is a TTY and not ``quiet``."""
        return cls(
            stream, show_level=show_level, heartbeat=_is_tty(stream) and not quiet, label=label
        )

    # -- logging ---------------------------------------------------------------------------
    def emit(self, record: logging.LogRecord) -> None:
        try:
            with self._lock2:
                if record.levelno >= self.show_level:
                    self.clear()
                    self.stream.write(self.format(record) + "\n")
                    self.stream.flush()
                if self.heartbeat:
                    text = record.getMessage().strip().splitlines()
                    line = " ".join(text[0].split()) if text else ""
                    if record.name in (HIGHS_LOGGER, STATUS_LOGGER):
                        if not line:
                            return
                        self.detail = mip_row(line) or line
                    elif record.levelno >= logging.INFO:
                        self.phase, self.detail = line, ""
                    now = time.perf_counter()
                    if now - self._last_draw >= self.interval:
                        self.draw(now)
        except Exception:  # pragma: no cover - never let logging break a solve
            self.handleError(record)

    # -- the status line -------------------------------------------------------------------
    def text(self, now: float | None = None) -> str:
        now = time.perf_counter() if now is None else now
        width = max(40, shutil.get_terminal_size((100, 24)).columns - 1)
        head = f"{self.label} {_clock(now - self.start_time)} "
        phase, room = self.phase, width - len(head)
        if self.detail:  # the detail (solver progress) gets at least two thirds of the room
            phase = _cut(phase, max(room - len(self.detail) - 3, room // 3))
            return _cut(f"{head}{phase} | {self.detail}", width)
        return _cut(head + phase, width)

    def draw(self, now: float | None = None) -> None:
        if not self.heartbeat:
            return
        with self._lock2:
            now = time.perf_counter() if now is None else now
            line = self.text(now)
            pad = " " * max(0, self._width - len(line))
            self._width = len(line)
            self._last_draw = now
            self.stream.write("\r" + line + pad)
            self.stream.flush()

    def clear(self) -> None:
        """Erase the status line (if drawn) and return the cursor to the line's start."""
        with self._lock2:
            if self._width:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()
                self._width = 0

    def start(self) -> None:
        """Start the ticker that refreshes the elapsed time every second (heartbeat only)."""
        if not self.heartbeat or self._ticker is not None:
            return
        self._stop.clear()
        self._ticker = threading.Thread(target=self._tick, name="stackopt-status", daemon=True)
        self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            if time.perf_counter() - self._last_draw >= 1.0:
                try:
                    self.draw()
                except (OSError, ValueError):  # pragma: no cover - stream closed
                    return

    def stop(self) -> None:
        """Stop the ticker and clear the status line."""
        if self._ticker is not None:
            self._stop.set()
            self._ticker.join(timeout=2.0)
            self._ticker = None
        self.clear()

    def close(self) -> None:
        self.stop()
        super().close()

    def flush(self) -> None:
        with self._lock2:
            super().flush()

    def finish(self) -> None:
        """Clear the status line and draw it no more (the command's output begins)."""
        with self._lock2:
            self._stop.set()
            self.heartbeat = False
            self.clear()

    def guard(self, stream: TextIO, *, final: bool = False) -> TextIO:
        """``stream`` wrapped so that every write first clears the status line — and, when
        ``final`` (stdout: the command's output), ends the heartbeat for good — while the
        heartbeat is on; ``stream`` itself otherwise."""
        return _Clearing(stream, self, final) if self.heartbeat else stream  # type: ignore[return-value]


class _Clearing:
    """A text stream proxy clearing a :class:`StatusHandler`'s line before each write."""

    def __init__(self, inner: TextIO, handler: StatusHandler, finish: bool) -> None:
        self._inner, self._handler, self._finish = inner, handler, finish

    def write(self, s: str) -> int:
        with self._handler._lock2:
            if s and (self._finish or not s.endswith("\n")):
                self._handler.finish()  # the final output (or a partial line) begins
            elif s:
                self._handler.clear()
            return self._inner.write(s)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
