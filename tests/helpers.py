"""Helpers the test modules share: running the CLI in-process, running a benchmark script, the
result keys the tests pin, and changing one place of a YAML/JSON tree.

Imported as ``from tests.helpers import run_cli`` (``tests`` is a package).
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from stackopt.cli import main

REPO = Path(__file__).resolve().parents[1]

#: The top-level keys of every result (JSON, ``Result.to_dict``), pinned here independently of
#: ``stackopt.vocabulary``, which builds the published schema.
RESULT_KEYS = frozenset(
    {
        "kind",
        "game",
        "status",
        "method",
        "leader",
        "follower",
        "certificate",
        "stats",
        "options",
        "message",
    }
)


def run_cli(*argv: object) -> tuple[int, str, str]:
    """``stackopt ARGV`` in-process: (exit code, stdout, stderr). A traceback fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        except Exception:
            pytest.fail(f"stackopt {' '.join(map(str, argv))} raised:\n" + traceback.format_exc())
    return code, out.getvalue(), err.getvalue()


def run_benchmark(script: str, *args: str, timeout: float) -> str:
    """The standard output of ``python benchmarks/<script> ARGS`` run from the repository
    root, which must exit 0 within ``timeout`` seconds."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


#: The value that makes :func:`set_place` delete the place instead of setting it.
DELETE = object()


def set_place(tree, path, value):
    """Set the place ``path`` (keys and indices from the root, non-empty) of a YAML/JSON tree to
    ``value``, or delete it when ``value`` is :data:`DELETE`; returns ``tree``, changed in
    place."""
    parent = tree
    for k in path[:-1]:
        parent = parent[k]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return tree
