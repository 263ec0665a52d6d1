"""Exceptions with one-line, actionable messages.

Every error raised for bad input names *where* (the file, when known), *what* (the field) and
*how to fix it*. The CLI prints ``str(error)`` and exits with code 2; no traceback is shown.
"""

from __future__ import annotations


class StackoptError(Exception):
    """Base class of every error stackopt raises on purpose."""


class InputError(StackoptError, ValueError):
    """Bad input: a file, a field or an argument that cannot describe a valid game.

    Parameters
    ----------
    message
        What is wrong, with the offending value where it helps.
    source
        The file (or other origin) the input came from, if known.
    field
        Dotted path of the offending field, e.g. ``payoffs.leader[1][2]``.
    fix
        What the user should do instead.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        field: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.field = field
        self.fix = fix
        super().__init__(self._render())

    def _render(self) -> str:
        parts = []
        if self.source:
            parts.append(str(self.source))
        if self.field:
            parts.append(f"field '{self.field}'")
        head = ": ".join(parts)
        text = f"{head}: {self.message}" if head else self.message
        if self.fix:
            text += f" (fix: {self.fix})"
        return " ".join(text.split("\n"))

    def with_source(self, source: str) -> InputError:
        """Return a copy that names ``source`` (used by file readers to add the path)."""
        if self.source:
            return self
        return type(self)(self.message, source=source, field=self.field, fix=self.fix)

    def with_prefix(self, prefix: str) -> InputError:
        """Return a copy whose field path is prefixed with ``prefix``."""
        field = f"{prefix}.{self.field}" if self.field else prefix
        return type(self)(self.message, source=self.source, field=field, fix=self.fix)


class UnsupportedError(InputError):
    """The input is well formed but asks for something a method cannot do exactly."""


class SolverError(StackoptError, RuntimeError):
    """The solver failed (crashed, hit a limit, or returned a status we cannot interpret)."""


def shown_value(value: object, width: int = 40) -> str:
    """``repr(value)`` for an error message, cut to ``width`` characters (``...`` marks a cut)."""
    shown = repr(value)
    return shown if len(shown) <= width else shown[: width - 3] + "..."
