"""Scenario-grid filters: simple comparisons, parsed by a tiny grammar and never evaluated.

A YAML grid may drop some of its points with filters such as ``fine_cap >= budget`` or
``budget + 2 * cost <= 10 and leader != "firm"``. Each filter is tokenised and parsed into a
small tree by a recursive-descent parser over this grammar (nothing reaches ``eval``)::

    filter     := disjunct ("or" disjunct)*
    disjunct   := conjunct ("and" conjunct)*
    conjunct   := "not" conjunct | comparison
    comparison := sum OP sum          OP: < <= > >= == !=
    sum        := product (("+" | "-") product)*
    product    := factor (("*" | "/") factor)*
    factor     := NUMBER | STRING | "true" | "false" | NAME | "-" factor | "(" sum ")"

``NAME`` is a parameter of the grid (dotted paths such as ``payoffs.leader.0.1`` included);
any other name, a call such as ``__import__('os')``, an attribute access or an unknown token is
an :class:`~stackopt.errors.InputError` raised while the grid is read, before any solve.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stackopt.errors import InputError

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<string>"[^"\\]*"|'[^'\\]*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
  | (?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\(|\))
""",
    re.VERBOSE,
)

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
_KEYWORDS = {"and", "or", "not", "true", "false"}


@dataclass(frozen=True)
class Filter:
    """A parsed filter: ``keep(point)`` says whether a grid point survives it."""

    text: str
    tree: tuple
    names: tuple[str, ...]

    def keep(self, point: Mapping[str, Any]) -> bool:
        """Evaluate the parsed tree on ``point`` (parameter name -> value)."""
        try:
            return bool(_eval(self.tree, point))
        except (TypeError, ZeroDivisionError) as exc:
            raise InputError(
                f"filter {self.text!r} cannot be applied to {dict(point)!r}: {exc}",
                field="filters",
                fix="compare numbers with numbers and strings with strings",
            ) from None


def parse_filter(text: Any, parameters: Sequence[str], *, source: str | None = None) -> Filter:
    """Parse one filter over ``parameters``; an :class:`InputError` when it is not one."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(
            f"a filter must be a comparison written as text, got {text!r}",
            source=source,
            field="filters",
            fix="write e.g. 'fine >= budget'",
        )
    parser = _Parser(text, set(parameters), source)
    tree = parser.parse()
    return Filter(text=text, tree=tree, names=tuple(sorted(parser.used)))


def _tokenize(text: str, source: str | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise InputError(
                f"cannot parse filter {text!r} at {text[pos : pos + 10]!r}",
                source=source,
                field="filters",
                fix="write simple comparisons such as 'fine_cap >= budget'",
            )
        pos = m.end()
        kind = m.lastgroup or ""
        if kind != "ws":
            out.append((kind, m.group()))
    out.append(("end", ""))
    return out


class _Parser:
    def __init__(self, text: str, names: set[str], source: str | None) -> None:
        self.text, self.names, self.source = text, names, source
        self.tokens = _tokenize(text, source)
        self.i = 0
        self.used: set[str] = set()

    # -- helpers ------------------------------------------------------------------------
    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.i]

    def _take(self) -> tuple[str, str]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def _error(self, what: str) -> InputError:
        kind, value = self._peek()
        at = "the end" if kind == "end" else repr(value)
        return InputError(
            f"cannot parse filter {self.text!r}: {what} at {at}",
            source=self.source,
            field="filters",
            fix="write simple comparisons of parameters and numbers, e.g. "
            "'fine_cap >= budget' (no calls, no attributes)",
        )

    def _word(self, word: str) -> bool:
        kind, value = self._peek()
        if kind == "name" and value == word:
            self.i += 1
            return True
        return False

    # -- grammar ------------------------------------------------------------------------
    def parse(self) -> tuple:
        tree = self._or()
        if self._peek()[0] != "end":
            raise self._error("unexpected token")
        return tree

    def _or(self) -> tuple:
        tree = self._and()
        while self._word("or"):
            tree = ("or", tree, self._and())
        return tree

    def _and(self) -> tuple:
        tree = self._not()
        while self._word("and"):
            tree = ("and", tree, self._not())
        return tree

    def _not(self) -> tuple:
        if self._word("not"):
            return ("not", self._not())
        return self._comparison()

    def _comparison(self) -> tuple:
        left = self._sum()
        kind, value = self._peek()
        if kind != "op" or value not in _COMPARE:
            raise self._error("expected a comparison (<, <=, >, >=, ==, !=)")
        self.i += 1
        right = self._sum()
        nxt = self._peek()
        if nxt[0] == "op" and nxt[1] in _COMPARE:
            raise self._error("chained comparison; join comparisons with 'and'")
        return ("cmp", value, left, right)

    def _sum(self) -> tuple:
        return self._left_assoc(("+", "-"), self._product)

    def _product(self) -> tuple:
        return self._left_assoc(("*", "/"), self._factor)

    def _left_assoc(self, ops: tuple[str, ...], operand: Callable[[], tuple]) -> tuple:
        """``operand (op operand)*`` with ``op`` in ``ops``, grouped from the left."""
        tree = operand()
        while self._peek() in [("op", o) for o in ops]:
            op = self._take()[1]
            tree = ("arith", op, tree, operand())
        return tree

    def _factor(self) -> tuple:
        kind, value = self._peek()
        if kind == "number":
            self.i += 1
            return ("const", float(value) if any(c in value for c in ".eE") else int(value))
        if kind == "string":
            self.i += 1
            return ("const", value[1:-1])
        if (kind, value) == ("op", "-"):
            self.i += 1
            return ("neg", self._factor())
        if (kind, value) == ("op", "("):
            self.i += 1
            tree = self._sum()
            if self._peek() != ("op", ")"):
                raise self._error("expected ')'")
            self.i += 1
            return tree
        if kind == "name":
            if value in ("true", "false"):
                self.i += 1
                return ("const", value == "true")
            if value in _KEYWORDS:
                raise self._error(f"misplaced {value!r}")
            if self.tokens[self.i + 1] == ("op", "("):
                self.i += 1
                raise self._error("calls are not allowed")
            if value not in self.names:
                raise InputError(
                    f"filter {self.text!r} names {value!r}, which is not a parameter of the grid",
                    source=self.source,
                    field="filters",
                    fix="use the grid's parameters: " + ", ".join(sorted(self.names)),
                )
            self.i += 1
            self.used.add(value)
            return ("name", value)
        raise self._error("expected a number, a string or a parameter")


def _eval(tree: tuple, point: Mapping[str, Any]) -> Any:
    tag = tree[0]
    if tag == "const":
        return tree[1]
    if tag == "name":
        return point[tree[1]]
    if tag == "neg":
        return -_eval(tree[1], point)
    if tag == "arith":
        return _ARITH[tree[1]](_eval(tree[2], point), _eval(tree[3], point))
    if tag == "cmp":
        left, right = _eval(tree[2], point), _eval(tree[3], point)
        if any(isinstance(v, float) and math.isnan(v) for v in (left, right)):
            return False
        return _COMPARE[tree[1]](left, right)
    if tag == "not":
        return not _eval(tree[1], point)
    if tag == "and":
        return bool(_eval(tree[1], point)) and bool(_eval(tree[2], point))
    if tag == "or":
        return bool(_eval(tree[1], point)) or bool(_eval(tree[2], point))
    raise AssertionError(tag)  # pragma: no cover - the parser builds no other node
