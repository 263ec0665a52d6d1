"""Old module paths, kept importable with a :class:`DeprecationWarning`.

The kinds moved into ``stackopt.kinds.<kind>`` (one folder per kind); code that imports a module
by its old path (``stackopt.sse``, ``stackopt.games.bilevel``, ...) still gets the same module
object, with a warning that names the new path. Contracts extend, never rename.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from typing import Any

#: old module path -> new module path
MOVED: dict[str, str] = {
    "stackopt.bayesian": "stackopt.kinds.bayesian.solve",
    "stackopt.bilevel": "stackopt.kinds.bilevel.solve",
    "stackopt.checks.bayesian": "stackopt.kinds.bayesian.checks",
    "stackopt.checks.bilevel": "stackopt.kinds.bilevel.checks",
    "stackopt.checks.interdiction": "stackopt.kinds.interdiction.checks",
    "stackopt.checks.nash": "stackopt.kinds.normal_form.checks_nash",
    "stackopt.checks.normal_form": "stackopt.kinds.normal_form.checks",
    "stackopt.checks.pessimistic": "stackopt.kinds.normal_form.checks_pessimistic",
    "stackopt.checks.security": "stackopt.kinds.security.checks",
    "stackopt.compare": "stackopt.kinds.normal_form.compare",
    "stackopt.games.bayesian": "stackopt.kinds.bayesian.game",
    "stackopt.games.bilevel": "stackopt.kinds.bilevel.game",
    "stackopt.games.interdiction": "stackopt.kinds.interdiction.game",
    "stackopt.games.normal_form": "stackopt.kinds.normal_form.game",
    "stackopt.games.security": "stackopt.kinds.security.game",
    "stackopt.interdiction": "stackopt.kinds.interdiction.solve",
    "stackopt.io.bayesian_yaml": "stackopt.kinds.bayesian.io_yaml",
    "stackopt.io.bilevel_yaml": "stackopt.kinds.bilevel.io_yaml",
    "stackopt.io.expressions": "stackopt.kinds.bilevel.expressions",
    "stackopt.io.gambit_nfg": "stackopt.kinds.normal_form.io_nfg",
    "stackopt.io.interdiction_yaml": "stackopt.kinds.interdiction.io_yaml",
    "stackopt.io.normal_form_csv": "stackopt.kinds.normal_form.io_csv",
    "stackopt.io.normal_form_yaml": "stackopt.kinds.normal_form.io_yaml",
    "stackopt.io.security_yaml": "stackopt.kinds.security.io_yaml",
    "stackopt.nash": "stackopt.kinds.normal_form.nash",
    "stackopt.pessimistic": "stackopt.kinds.normal_form.pessimistic",
    "stackopt.security": "stackopt.kinds.security.solve",
    "stackopt.sse": "stackopt.kinds.normal_form.solve",
}


class _Loader(importlib.abc.Loader):
    def __init__(self, new: str) -> None:
        self.new = new

    def create_module(self, spec: Any) -> Any:
        warnings.warn(
            f"{spec.name} moved to {self.new}; import it from there",
            DeprecationWarning,
            stacklevel=3,
        )
        module = importlib.import_module(self.new)
        sys.modules[spec.name] = module
        return module

    def exec_module(self, module: Any) -> None:
        pass


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.util.spec_from_loader(fullname, _Loader(new))


def install() -> None:
    """Put the finder on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())
