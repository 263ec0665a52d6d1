"""Progress of long single solves: phase logs, HiGHS's log on ``stackopt.highs``, the terminal
status line (``stackopt.progress``) and the CLI's ``-v``/``-q``."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from stackopt.cli import main
from stackopt.progress import STATUS_LOGGER, StatusHandler, route_highs_log

ROOT = Path(__file__).resolve().parents[1]
PATROL = str(ROOT / "data" / "bayesian" / "patrol.yaml")
BILEVEL = str(ROOT / "data" / "bilevel" / "covering_proven.yaml")
TIMES = re.compile(rb'("[a-z_]*seconds": )[-+0-9.e]+')


def _cli(*args: str, stderr=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stackopt", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=stderr,
        timeout=120,
    )


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def logger():
    log = logging.getLogger("stackopt.test_progress")
    root = logging.getLogger("stackopt")
    old_level, old_handlers = root.level, list(root.handlers)
    yield log
    for h in list(root.handlers):
        if h not in old_handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(old_level)


def _attach(handler: StatusHandler, level: int) -> None:
    root = logging.getLogger("stackopt")
    root.setLevel(level)
    root.addHandler(handler)


# -- CLI, end to end -----------------------------------------------------------------------------
def test_verbose_solve_logs_phases_and_highs_progress_stdout_unchanged():
    """-v: phases (loading, MILP built with its size, done) and HiGHS's branch-and-bound
    table and report on stderr; stdout is the same JSON as without -v (up to timings)."""
    plain = _cli("solve", PATROL, "--method", "dobss", "--json")
    verbose = _cli("-v", "solve", PATROL, "--method", "dobss", "--json")
    assert plain.returncode == verbose.returncode == 0
    assert plain.stderr == b""
    assert TIMES.sub(rb"\1T", plain.stdout) == TIMES.sub(rb"\1T", verbose.stdout)
    assert json.loads(verbose.stdout)["status"] == "optimal"
    err = verbose.stderr.decode()
    for phase in (
        "loading ",
        "solving bayesian game",
        "DOBSS MILP built (",
        "integer), ",
        "HiGHS started",
        "done: optimal, certificate passed",
    ):
        assert phase in err, phase
    # HiGHS's own log: the B&B table header with nodes/bounds/gap and the final report
    assert "BestBound" in err and "Gap" in err and "Nodes" in err
    assert re.search(r"Dual bound +-0\.28125", err)  # DOBSS optimum of patrol, scaled
    assert all(line.startswith("stackopt: ") for line in err.splitlines())


def test_quiet_successful_solve_prints_nothing_on_stderr():
    out = _cli("-q", "solve", PATROL, "--method", "dobss", "--json")
    assert out.returncode == 0 and out.stderr == b""
    json.loads(out.stdout)


def test_verbose_bilevel_milp_in_process(capsys):
    """The highspy path (``run_highs``) routes the MILP's log too (the MILP method: the
    default for this file is Bard-Moore branching)."""
    assert main(["-v", "solve", BILEVEL, "--method", "kkt_bigm", "--json"]) == 0
    cap = capsys.readouterr()
    assert json.loads(cap.out)["status"] == "optimal"
    assert "kkt_bigm MILP built (13 variables (5 integer), 18 constraints)" in cap.err
    assert "BestBound" in cap.err and "Solving report" in cap.err
    assert "certificate: solving the follower's problem" in cap.err
    assert main(["solve", BILEVEL, "--json"]) == 0  # and silent again without -v
    assert capsys.readouterr().err == ""


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_heartbeat_on_a_terminal_is_cleared_and_stdout_is_clean():
    """stderr a TTY, no -v: a status line drawn with \\r, then erased; no log lines; stdout
    (a pipe) carries only the JSON."""
    master, slave = os.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "stackopt", "solve", PATROL, "--method", "dobss", "--json"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=slave,
        )
        os.close(slave)
        data = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            data += chunk
        out = proc.stdout.read()
        assert proc.wait(timeout=120) == 0
    finally:
        os.close(master)
    assert json.loads(out)["status"] == "optimal"
    assert data.startswith(b"\rstackopt 0:0")
    assert b"INFO" not in data
    assert re.search(rb"\r +\r$", data)  # the line is erased at the end


# -- the status handler ------------------------------------------------------------------------
def test_status_line_only_on_a_tty_and_cleared(logger):
    tty = FakeTTY()
    handler = StatusHandler.for_stream(tty, show_level=logging.WARNING, quiet=False)
    assert handler.heartbeat
    _attach(handler, logging.INFO)
    logger.info("formulation built (3 variables)")
    text = tty.getvalue()
    assert text.startswith("\rstackopt 0:00 formulation built (3 variables)")
    assert "\n" not in text and "INFO" not in text  # INFO is below the printed level
    logging.getLogger(STATUS_LOGGER).info("MILP: 5 nodes, incumbent 1, bound 2, gap 50%")
    handler.draw()
    assert "formulation built (3 variables) | MILP: 5 nodes" in tty.getvalue()
    logger.warning("something to print")  # printed on its own line, status line cleared first
    after = tty.getvalue()[len(text) :]
    assert re.search(r"\r +\rstackopt: WARNING: something to print\n", after)
    handler.draw()  # redrawn below the printed line ...
    assert tty.getvalue().endswith("\rstackopt 0:00 something to print")
    handler.stop()  # ... and erased at the end
    assert re.search(r"\r +\r$", tty.getvalue())


def test_no_status_line_when_not_a_tty_or_quiet(logger):
    for stream, quiet in ((io.StringIO(), False), (FakeTTY(), True)):
        handler = StatusHandler.for_stream(stream, show_level=logging.WARNING, quiet=quiet)
        assert not handler.heartbeat
        _attach(handler, logging.WARNING)
        logger.info("a phase")
        handler.start()
        handler.draw()
        handler.stop()
        assert stream.getvalue() == ""
        logger.warning("printed")
        assert stream.getvalue() == "stackopt: WARNING: printed\n"
        logging.getLogger("stackopt").removeHandler(handler)


def test_verbose_lines_without_a_tty(logger):
    stream = io.StringIO()
    handler = StatusHandler.for_stream(stream, show_level=logging.INFO, quiet=False)
    _attach(handler, logging.INFO)
    logger.info("phase one")
    assert stream.getvalue() == "stackopt: INFO: phase one\n"


def test_guarded_stdout_clears_the_line_and_ends_the_heartbeat(logger):
    tty, out = FakeTTY(), io.StringIO()
    handler = StatusHandler.for_stream(tty, show_level=logging.WARNING, quiet=False)
    _attach(handler, logging.INFO)
    logger.info("solving")
    guarded = handler.guard(out, final=True)
    guarded.write('{"status": "optimal"}')
    assert out.getvalue() == '{"status": "optimal"}'  # stdout gets nothing but the output
    assert re.search(r"\r +\r$", tty.getvalue())
    before = tty.getvalue()
    logger.info("later phase")
    handler.draw()
    assert tty.getvalue() == before  # no status line after the output began
    assert handler.guard(out) is out  # no wrapping once the heartbeat is off


# -- HiGHS's log -----------------------------------------------------------------------------
def _knapsack():
    from stackopt.engines.highs import new_highs

    h = new_highs(threads=1)
    import highspy

    xs = [h.addVariable(0, 3, type=highspy.HighsVarType.kInteger) for _ in range(6)]
    w = [5, 7, 4, 3, 8, 6]
    h.addConstr(sum(wi * x for wi, x in zip(w, xs)) <= 23)
    h.maximize(sum((wi + 1) * x for wi, x in zip(w, xs)))
    return h


def test_highs_log_only_when_enabled(caplog):
    from stackopt.engines.highs import run_highs

    logging.getLogger("stackopt").setLevel(logging.NOTSET)
    with caplog.at_level(logging.WARNING, logger="stackopt"):
        h = _knapsack()
        route_highs_log(h)
        assert h.getOptionValue("output_flag")[1] is False  # silent: nothing routed
    with caplog.at_level(logging.INFO, logger="stackopt"):
        h = _knapsack()
        assert run_highs(h) == "optimal"
        lines = [r.getMessage() for r in caplog.records if r.name == "stackopt.highs"]
        assert any("Dual bound" in m for m in lines) and any("Nodes" in m for m in lines)
        # the objective HiGHS reports is the one it returns (28 = brute force below)
        best = max(
            sum((wi + 1) * c for wi, c in zip([5, 7, 4, 3, 8, 6], cs))
            for cs in _combos(6, 4)
            if sum(w * c for w, c in zip([5, 7, 4, 3, 8, 6], cs)) <= 23
        )
        assert h.getInfo().objective_function_value == pytest.approx(best)
        assert any(re.search(rf"Primal bound +{best}\b", m) for m in lines)


def _combos(n: int, k: int):
    if n == 0:
        yield ()
        return
    for c in range(k):
        for rest in _combos(n - 1, k):
            yield (c, *rest)


def test_status_mode_feeds_compact_milp_progress(caplog):
    """Under a status line without -v: no full log, one compact nodes/bound/gap line per
    HiGHS MIP report on ``stackopt.status``."""
    from stackopt.engines.highs import run_highs

    highs_log = logging.getLogger("stackopt.highs")
    try:
        highs_log.setLevel(logging.WARNING)
        with caplog.at_level(logging.INFO, logger="stackopt"):
            h = _knapsack()
            assert run_highs(h) == "optimal"
        names = {r.name for r in caplog.records}
        assert "stackopt.highs" not in names
        msgs = [r.getMessage() for r in caplog.records if r.name == STATUS_LOGGER]
        assert msgs and all(
            re.match(r"MILP: \d+ nodes, incumbent .*, bound .*, gap .*%", m) for m in msgs
        )
    finally:
        highs_log.setLevel(logging.NOTSET)


def test_mip_rows_are_summarised_other_lines_not():
    from stackopt.progress import mip_row

    row = " T     598    13   290  81.13%   0.7746095795    0.3975   12.3%   82  6 10  470  1.2s"
    assert mip_row(row) == "MILP: 598 nodes, bound 0.7746095795, incumbent 0.3975, gap 12.3%"
    assert (
        mip_row("  1  0  1 100.00%  -0.28125  -0.28125  0.00%  82 6 10 47 0.0s")
        == "MILP: 1 nodes, bound -0.28125, incumbent -0.28125, gap 0.00%"
    )
    for other in ("Presolving model", "   23 rows", "Solving report", ""):
        assert mip_row(other) is None


def test_bard_moore_reports_nodes_bound_incumbent(monkeypatch, caplog):
    """The branching logs nodes, open nodes, bound and incumbent every 2 s (the clock is
    made to advance 1 s per reading, so every other node reports)."""
    import itertools
    import types

    import stackopt
    import stackopt.engines.bard_moore as bm
    from stackopt.io.load import load_game

    ticks = itertools.count()
    monkeypatch.setattr(bm, "time", types.SimpleNamespace(perf_counter=lambda: float(next(ticks))))
    game = load_game(ROOT / "data" / "bilevel" / "bard.yaml")
    with caplog.at_level(logging.INFO, logger="stackopt.bilevel"):
        result = stackopt.solve(game, method="bard_moore")
    assert result.certified
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Bard-Moore:")]
    assert lines
    nodes = [
        int(re.match(r"Bard-Moore: (\d+) nodes, \d+ open, bound \S+, incumbent \S+", m).group(1))
        for m in lines
    ]
    assert nodes == sorted(nodes) and len(set(nodes)) == len(nodes)
