"""Certificates: the checkable evidence that comes with every result.

A :class:`Certificate` is a list of named :class:`Check` s, each recording what was checked,
the measured residual and the tolerance it was held to, plus kind-specific *evidence* (for
finite games: one optimality bound per follower action) that :func:`stackopt.verify` can
re-check from the game alone, without solving anything.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stackopt.status import TieBreak
from stackopt.vocabulary import canonical_check, lookup_check, upgrade_evidence


def excess(*amounts: Any) -> float:
    r""":math:`\max(0, a_1, \dots)` for residuals, except that a NaN amount gives NaN (the
    builtin ``max(0.0, nan)`` is ``0.0``, which would pass a check on a NaN residual; a NaN
    residual fails :meth:`Check.within`)."""
    out = 0.0
    for a in amounts:
        a = float(a)
        if math.isnan(a):
            return math.nan
        out = max(out, a)
    return out


@dataclass(frozen=True)
class Check:
    """One verified property.

    Attributes
    ----------
    name
        Stable identifier, e.g. ``best_response``, ``leader_value``, ``optimality``.
    passed
        Whether the property holds within ``tolerance``.
    residual
        The measured violation (0 when the property holds exactly); ``None`` when not numeric.
    tolerance
        The absolute tolerance the residual was compared with.
    detail
        One human-readable sentence.
    """

    name: str
    passed: bool
    residual: float | None = None
    tolerance: float | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "passed": bool(self.passed),
            "residual": _clean(self.residual),
            "tolerance": _clean(self.tolerance),
            "detail": self.detail,
        }

    @classmethod
    def within(
        cls, name: str, residual: float, tolerance: float, passed: str, failed: str | None = None
    ) -> Check:
        """The check that ``residual <= tolerance`` (NaN fails), with the detail ``passed``
        or ``failed`` (default: ``passed``)."""
        ok = bool(residual <= tolerance)
        return cls(name, ok, residual, tolerance, passed if ok or failed is None else failed)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Check:
        return cls(
            name=canonical_check(str(data["name"])),
            passed=bool(data["passed"]),
            residual=data.get("residual"),
            tolerance=data.get("tolerance"),
            detail=str(data.get("detail", "")),
        )


@dataclass(frozen=True)
class Certificate:
    """Evidence that a result is an equilibrium, checked within stated tolerances.

    Attributes
    ----------
    checks
        The properties checked, in order.
    tie_break
        The tie rule the best-response check used.
    rtol
        Relative tolerance requested by the user.
    atol
        Absolute tolerance actually applied: ``rtol`` times the game's payoff scale.
    scale
        The payoff scale (largest absolute payoff) ``atol`` was derived from.
    evidence
        Kind-specific data needed to re-check optimality without solving (read-only by
        convention). For finite games: ``{"bounds": {follower action: bound record}}``.
    """

    checks: tuple[Check, ...]
    tie_break: TieBreak = TieBreak.LEADER
    rtol: float = 1e-6
    atol: float = 1e-6
    scale: float = 1.0
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """True when every check passed (and there is at least one)."""
        return bool(self.checks) and all(c.passed for c in self.checks)

    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed)

    def check(self, name: str) -> Check:
        """The check called ``name`` (an old name, e.g. ``coverage``, finds its current name
        with a :class:`DeprecationWarning`; see :mod:`stackopt.vocabulary`)."""
        found = lookup_check(self.checks, name)
        if found is None:
            raise KeyError(name)
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "tie_break": str(self.tie_break.value),
            "rtol": self.rtol,
            "atol": self.atol,
            "scale": self.scale,
            "checks": [c.to_dict() for c in self.checks],
            "evidence": jsonable(self.evidence),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Certificate:
        return cls(
            checks=tuple(Check.from_dict(c) for c in data.get("checks", ())),
            tie_break=TieBreak(data.get("tie_break", "leader")),
            rtol=float(data.get("rtol", 1e-6)),
            atol=float(data.get("atol", 1e-6)),
            scale=float(data.get("scale", 1.0)),
            evidence=upgrade_evidence(data.get("evidence") or {}),
        )

    def __repr__(self) -> str:
        """Short: ``<Certificate passed (6 checks, atol 1e-05)>`` or the first failure."""
        text = self.summary()
        if len(text) > 100:
            text = text[:97] + "..."
        return f"<Certificate {text}>"

    def _repr_html_(self) -> str:
        """The checks as an HTML table (notebooks)."""
        from html import escape

        def num(v: Any) -> str:
            return "" if v is None else escape(f"{v:.3g}" if isinstance(v, float) else str(v))

        rows = "".join(
            f"<tr><td><code>{escape(c.name)}</code></td>"
            f"<td>{'ok' if c.passed else '<b>FAILED</b>'}</td><td>{num(c.residual)}</td>"
            f"<td>{num(c.tolerance)}</td><td>{escape(c.detail)}</td></tr>"
            for c in self.checks
        )
        return (
            f"<div><b>certificate</b>: {escape(self.summary())} (rtol {self.rtol:g}, "
            f"tie_break {escape(str(self.tie_break.value))})"
            "<table><tr><th>check</th><th></th><th>residual</th><th>tolerance</th>"
            f"<th>detail</th></tr>{rows}</table></div>"
        )

    def summary(self) -> str:
        """One line: ``passed (7 checks, atol 1e-06)`` or the first failure."""
        if self.passed:
            return f"passed ({len(self.checks)} checks, atol {self.atol:.3g})"
        bad = self.failed()
        if not bad:
            return "no checks"
        return f"FAILED {bad[0].name}: {bad[0].detail}"


def _clean(x: Any) -> Any:
    if isinstance(x, float) and x == 0.0:
        return 0.0  # never print -0.0
    if isinstance(x, float) and not math.isfinite(x):
        return None if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays and tuples into plain JSON types."""
    import numpy as np  # a hard dependency; imported here to keep `import stackopt` light

    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [jsonable(v) for v in obj.tolist()]
    if isinstance(obj, np.generic):
        return _clean(obj.item())
    if isinstance(obj, (str, bool)) or obj is None:
        return obj
    if isinstance(obj, int):
        return obj
    if isinstance(obj, float):
        return _clean(obj)
    return str(obj)


_jsonable = jsonable  # the name used before 0.2
