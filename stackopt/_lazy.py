"""Names a package exports without importing the modules that define them until first use.

``stackopt``, ``stackopt.testing`` and ``stackopt.testing.oracles`` stay cheap to import (no
Pyomo, HiGHS, scipy or hypothesis) while offering their names at the top level::

    __getattr__, __dir__ = lazy_exports(__name__, {"solve": "stackopt.api"})
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(
    package: str, where: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of ``package`` for the names in
    ``where`` (name -> the module that defines it): the first access imports that module and
    keeps the value in the package's namespace, so later accesses cost nothing."""
    namespace = vars(sys.modules[package])

    def __getattr__(name: str) -> Any:
        if name in where:
            value = getattr(import_module(where[name]), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return __getattr__, __dir__
