"""Fuzzing settings: a bounded number of examples in CI, ``STACKOPT_FUZZ_SCALE=10`` for 10x.

Examples are derandomized (the same inputs on every run) unless ``STACKOPT_FUZZ_RANDOM=1``.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from hypothesis import HealthCheck, settings

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data")

#: What each number of a result is turned into by the tampering tests.
MUTANTS: list[Any] = [
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    -1e308,
    -1.0,
    10**30,
    "x",
    "nan",
    "inf",
    "-inf",
    None,
    True,
    [],
    {},
]


@cache
def solved_json(path: str, opts: tuple[tuple[str, Any], ...] = ()) -> str:
    """The JSON result of the bundled game ``data/<path>`` solved with ``opts`` (once per
    session); the solve must certify."""
    import stackopt
    from stackopt.io.load import load_game

    r = stackopt.solve(load_game(os.path.join(DATA, path)), **dict(opts))
    assert r.certificate is not None and r.certificate.passed, r.message
    return r.to_json()


SCALE = max(1, int(os.environ.get("STACKOPT_FUZZ_SCALE", "1") or 1))


def fuzz_settings(examples: int):
    """Hypothesis settings for ``examples`` examples times ``STACKOPT_FUZZ_SCALE``."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=os.environ.get("STACKOPT_FUZZ_RANDOM") != "1",
        suppress_health_check=list(HealthCheck),
        database=None,
    )


def tree_paths(node, prefix=()):
    """Every ``(path, value)`` in a YAML/JSON tree, containers included (root: ``()``)."""
    yield prefix, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from tree_paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from tree_paths(v, prefix + (i,))


class alarm:
    """Raise ``TimeoutError`` after ``seconds`` (POSIX main thread; a no-op elsewhere)."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        self.old = None

    def __enter__(self):
        import signal
        import threading

        if hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread():

            def fire(signum, frame):
                raise TimeoutError(f"solve took more than {self.seconds} s")

            self.old = signal.signal(signal.SIGALRM, fire)
            signal.alarm(self.seconds)
        return self

    def __exit__(self, *exc):
        import signal

        if self.old is not None:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, self.old)
        return False
