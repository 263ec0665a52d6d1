"""Building a game from values read from a file, its validation errors naming that file.

Imports nothing but :mod:`stackopt.checks.inputs` (the fast readers stay free of pydantic).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from stackopt.checks.inputs import in_file

T = TypeVar("T")


def build_from(source: str, factory: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``factory(*args, **kwargs)`` (e.g. a game's validating constructor) with any
    :class:`~stackopt.errors.InputError` it raises re-raised naming ``source``, the file the
    values came from (an error that already names a file keeps it)."""
    with in_file(source):
        return factory(*args, **kwargs)
