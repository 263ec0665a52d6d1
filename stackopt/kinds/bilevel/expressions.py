"""A small, safe grammar for linear and quadratic expressions and constraints.

Used by the ``kind: bilevel`` YAML form (objectives such as ``"x - 4*y"``, constraints such as
``"3*x - 2*y <= 4"``). Text is tokenised and parsed by a recursive-descent parser into a
polynomial of degree at most two; nothing is ever passed to ``eval``.

Grammar (whitespace is ignored)::

    constraint := expr ("<=" | ">=" | "==" | "=") expr
    expr       := ["+" | "-"] term (("+" | "-") term)*
    term       := factor (("*" | "/") factor)*          # division by constants only
    factor     := ("+" | "-") factor | power
    power      := atom [("**" | "^") integer]            # exponent 0, 1 or 2
    atom       := number | name | "(" expr ")"
    name       := identifier ["[" index ("," index)* "]"] # e.g. x, flow[a,b], y[1]
    number     := digits ["." digits] [("e" | "E") ["+" | "-"] digits]

A :class:`Poly` maps monomials to coefficients: ``()`` is the constant, ``("x",)`` a linear
term and ``("x", "y")`` (names sorted) a quadratic one. Errors are :class:`InputError` s that
quote the expression and point at the offending column (1-based).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NoReturn

from stackopt.errors import InputError

Monomial = tuple[str, ...]

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\s*\[[^\[\]]*\])?)
  | (?P<op><=|>=|==|\*\*|[-+*/^()=<>])
""",
    re.VERBOSE,
)
_INDEX_PART = re.compile(r"^\s*[A-Za-z0-9_.+-]+\s*$")
MAX_LENGTH = 20_000
#: The comparison operators the tokeniser reads; the last two (strict) are refused.
_COMPARISONS = ("<=", ">=", "==", "=", "<", ">")


@dataclass(frozen=True)
class Poly:
    """A polynomial of degree <= 2: ``terms`` maps monomials to non-zero coefficients."""

    terms: Mapping[Monomial, float]

    @property
    def constant(self) -> float:
        return float(self.terms.get((), 0.0))

    @property
    def degree(self) -> int:
        return max((len(m) for m in self.terms), default=0)

    def names(self) -> set[str]:
        return {n for m in self.terms for n in m}

    def linear(self) -> dict[str, float]:
        """The linear coefficients ``{name: coefficient}``."""
        return {m[0]: c for m, c in self.terms.items() if len(m) == 1}

    def quadratic(self) -> dict[tuple[str, str], float]:
        """The quadratic coefficients ``{(name, name): coefficient}`` (names sorted)."""
        return {(m[0], m[1]): c for m, c in self.terms.items() if len(m) == 2}


@dataclass(frozen=True)
class ParsedConstraint:
    """``body sense 0`` with ``sense`` one of ``<=``, ``>=``, ``==`` (``body = lhs - rhs``)."""

    body: Poly
    sense: str
    text: str


def _add(a: dict, b: Mapping, sign: float = 1.0) -> dict:
    out = dict(a)
    for m, c in b.items():
        out[m] = out.get(m, 0.0) + sign * c
        if out[m] == 0.0:
            del out[m]
    return out


def _mul(a: Mapping, b: Mapping) -> dict:
    out: dict = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            m = tuple(sorted(ma + mb))
            out[m] = out.get(m, 0.0) + ca * cb
    return {m: c for m, c in out.items() if c != 0.0}


#: Deepest nesting of parentheses accepted (the parser is recursive-descent).
MAX_NESTING = 100


class _Parser:
    def __init__(self, text: object, field: str | None, source: str | None) -> None:
        self.text = text = _check_text(text, field, source)
        self.field = field
        self.source = source
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:
                self.fail(f"unexpected character {text[pos]!r}", pos)
            kind = m.lastgroup or ""
            if kind != "ws":
                val = m.group()
                if kind == "name":
                    val = self._name(val, pos)
                self.tokens.append((kind, val, pos))
            pos = m.end()
        self.tokens.append(("end", "", len(text)))
        self.i = 0
        self.depth = 0

    # -- helpers -------------------------------------------------------------
    def fail(self, message: str, pos: int, fix: str | None = None) -> NoReturn:
        from stackopt.io.safe_yaml import escape_excerpt

        raise InputError(
            f"{message} at column {pos + 1} of expression {escape_excerpt(self.text, 80)!r}",
            source=self.source,
            field=self.field,
            fix=fix or "write e.g. '3*x - 2*y <= 4' (numbers, names, + - * /, parentheses, x[1])",
        )

    def _name(self, raw: str, pos: int) -> str:
        if "[" not in raw:
            return raw
        head, _, rest = raw.partition("[")
        inside = rest[:-1]
        parts = inside.split(",")
        if not inside.strip() or not all(_INDEX_PART.match(p) for p in parts):
            self.fail(
                f"bad index in {raw!r}", pos, fix="write indexed names like x[1] or flow[a,b]"
            )
        return head.strip() + "[" + ",".join(p.strip() for p in parts) + "]"

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def finish(self, comparisons: tuple[str, ...], message: str, fix: str) -> None:
        """Fail unless every token has been read: at a comparison in ``comparisons`` with
        ``message`` (``{}`` stands for the comparison) and ``fix``, at any other token as
        unexpected."""
        kind, val, pos = self.peek()
        if kind != "end":
            if kind == "op" and val in comparisons:
                self.fail(message.format(repr(val)), pos, fix=fix)
            self.fail(f"unexpected {val!r}", pos)

    # -- grammar ---------------------------------------------------------------
    def expr(self) -> dict:
        out: dict = {}
        sign = 1.0
        kind, val, _ = self.peek()
        if kind == "op" and val in "+-" and val:
            self.take()
            sign = -1.0 if val == "-" else 1.0
        out = _add(out, self.term(), sign)
        while True:
            kind, val, _ = self.peek()
            if kind == "op" and val in ("+", "-"):
                self.take()
                out = _add(out, self.term(), -1.0 if val == "-" else 1.0)
            else:
                return out

    def term(self) -> dict:
        out = self.factor()
        while True:
            kind, val, pos = self.peek()
            if kind == "op" and val == "*":
                self.take()
                rhs = self.factor()
                out = _mul(out, rhs)
                if not all(math.isfinite(c) for c in out.values()):
                    self.fail(
                        "a coefficient overflows to infinity",
                        pos,
                        fix="use coefficients of ordinary size",
                    )
                if any(len(m) > 2 for m in out):
                    self.fail(
                        "terms of degree above 2 are not supported",
                        pos,
                        fix="bilevel objectives are linear or quadratic",
                    )
            elif kind == "op" and val == "/":
                self.take()
                rhs = self.factor()
                if any(m != () for m in rhs) or not rhs:
                    self.fail(
                        "division by zero"
                        if not rhs
                        else "division by a variable is not supported",
                        pos,
                        fix="divide by a non-zero number only",
                    )
                out = {m: c / rhs[()] for m, c in out.items()}
                if not all(math.isfinite(c) for c in out.values()):
                    self.fail(
                        "a coefficient overflows to infinity",
                        pos,
                        fix="use coefficients of ordinary size",
                    )
            elif kind in ("num", "name") or (kind == "op" and val == "("):
                self.fail(
                    f"missing operator before {val!r}",
                    pos,
                    fix="write the multiplication explicitly, e.g. 2*x",
                )
            else:
                return out

    def factor(self) -> dict:
        negate = False
        while True:  # unary signs, iteratively (15,000 leading signs must not recurse)
            kind, val, _ = self.peek()
            if not (kind == "op" and val in ("+", "-")):
                break
            self.take()
            negate ^= val == "-"
        inner = self.power()
        return {m: -c for m, c in inner.items()} if negate else inner

    def power(self) -> dict:
        base = self.atom()
        kind, val, pos = self.peek()
        if kind == "op" and val in ("**", "^"):
            self.take()
            k2, v2, p2 = self.take()
            if k2 != "num" or v2 not in ("0", "1", "2"):
                self.fail(
                    f"exponent {v2 or 'end'!r} is not supported",
                    p2,
                    fix="only the exponents 0, 1 and 2 are allowed",
                )
            n = int(v2)
            out: dict = {(): 1.0}
            for _ in range(n):
                out = _mul(out, base)
            if any(len(m) > 2 for m in out):
                self.fail("terms of degree above 2 are not supported", pos)
            return out
        return base

    def atom(self) -> dict:
        kind, val, pos = self.take()
        if kind == "num":
            x = float(val)
            if not math.isfinite(x):
                self.fail(f"number {val!r} is not finite", pos)
            return {(): x} if x != 0.0 else {}
        if kind == "name":
            if val.lower() in ("inf", "nan", "infinity"):
                self.fail(
                    f"{val!r} is not allowed in an expression",
                    pos,
                    fix="use finite numbers; write bounds under 'variables'",
                )
            return {(val,): 1.0}
        if kind == "op" and val == "(":
            self.depth += 1
            if self.depth > MAX_NESTING:
                self.fail(
                    f"parentheses nested deeper than {MAX_NESTING}",
                    pos,
                    fix="simplify the expression",
                )
            inner = self.expr()
            self.depth -= 1
            k2, v2, p2 = self.take()
            if not (k2 == "op" and v2 == ")"):
                self.fail("missing ')'", p2, fix="close every '('")
            return inner
        if kind == "end":
            self.fail("unexpected end of expression", pos)
        self.fail(f"unexpected {val!r}", pos)
        raise AssertionError  # pragma: no cover - fail() always raises


def _check_text(text: object, field: str | None, source: str | None) -> str:
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise InputError(
            f"expected an expression string, got {type(text).__name__}",
            source=source,
            field=field,
            fix='write e.g. "x - 4*y"',
        )
    text = str(text)
    if len(text) > MAX_LENGTH:
        raise InputError(
            f"expression longer than {MAX_LENGTH} characters",
            source=source,
            field=field,
            fix="use the matrix form for large problems",
        )
    if not text.strip():
        raise InputError("empty expression", source=source, field=field, fix='write e.g. "x - 4*y"')
    return text


def parse_expression(
    text: str | float, *, field: str | None = None, source: str | None = None
) -> Poly:
    """Parse a linear or quadratic expression such as ``"x - 4*y + 0.5*y^2"``."""
    p = _Parser(text, field, source)
    out = p.expr()
    p.finish(
        _COMPARISONS,
        "comparison {} in an objective",
        "objectives are expressions; put comparisons under 'constraints'",
    )
    _finite(p, out)
    return Poly(out)


def _finite(p: _Parser, terms: Mapping) -> None:
    if not all(math.isfinite(c) for c in terms.values()):
        p.fail("a coefficient overflows to infinity", 0, fix="use coefficients of ordinary size")


def parse_constraint(
    text: str | float, *, field: str | None = None, source: str | None = None
) -> ParsedConstraint:
    """Parse ``lhs OP rhs`` with ``OP`` in ``<=``, ``>=``, ``==`` (``=`` is accepted too)."""
    p = _Parser(text, field, source)
    lhs = p.expr()
    kind, val, pos = p.take()
    if kind == "end":
        p.fail("a constraint needs a comparison", pos, fix="write e.g. 'x + y <= 3'")
    if kind != "op" or val not in _COMPARISONS:
        p.fail(f"unexpected {val!r}", pos)
    if val in ("<", ">"):
        p.fail(
            f"strict inequality {val!r} is not supported",
            pos,
            fix=f"use '{val}=' (optimisation problems need closed feasible sets)",
        )
    rhs = p.expr()
    p.finish(
        _COMPARISONS[:4],
        "only one comparison per constraint",
        "split 'a <= expr <= b' into two constraints",
    )
    sense = "==" if val in ("=", "==") else val
    diff = _add(lhs, rhs, -1.0)
    _finite(p, diff)
    return ParsedConstraint(Poly(diff), sense, p.text)
