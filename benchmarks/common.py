"""What the benchmark scripts share: a wall-clock timer, package versions and the line naming
the machine.

A script run as ``python benchmarks/<name>.py`` finds this module next to it (the script's
folder comes first on ``sys.path``); one loaded from elsewhere puts its folder there first.
"""

from __future__ import annotations

import math
import os
import platform
import time
from collections.abc import Callable
from importlib import metadata
from typing import Any


def timed(fn: Callable[..., Any], *args: Any, **kw: Any) -> tuple[float, Any]:
    """``(seconds, fn(*args, **kw))``, the seconds by :func:`time.perf_counter`."""
    t = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t, out


def load_average() -> float:
    """The machine's one-minute load average (NaN where the system does not report one)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan


def version(pkg: str) -> str:
    """The installed version of the distribution ``pkg`` (``not installed`` without one)."""
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine(*packages: str) -> str:
    """``python 3.11.7, highspy 1.16.0, 2 CPUs, load average 0.42``: the interpreter, the
    versions of ``packages``, the core count and the load (timings on a machine whose load
    exceeds its cores are noisy)."""
    return ", ".join(
        [
            f"python {platform.python_version()}",
            *(f"{pkg} {version(pkg)}" for pkg in packages),
            f"{os.cpu_count()} CPUs",
            f"load average {load_average():.2f}",
        ]
    )
