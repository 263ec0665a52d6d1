"""Reading two-player Gambit ``.nfg`` files (payoff and outcome versions).

Format (Gambit documentation, "The strategic game (.nfg) file format")::

    NFG 1 R "title" { "Player 1" "Player 2" } { 3 2 }      # payoff version: counts
    1 1 0 2 ...                                             # payoffs, player 1 varies fastest

    NFG 1 R "title" { "Player 1" "Player 2" }
    { { "a" "b" } { "x" "y" } }                              # outcome version: labels
    ""
    { { "outcome" 1, 2 } ... }                               # outcomes
    1 2 0 ...                                                # outcome index per profile

Player 1 is the leader, player 2 the follower. Rationals (``3/2``) are accepted.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np

from stackopt.errors import InputError
from stackopt.io.safe_yaml import CONTROL_CHARS, escape_excerpt, read_text
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.kinds.normal_form.io_csv import game_from_parts

_TOKEN = re.compile(r'\s*(?:(\{)|(\})|"((?:[^"\\]|\\.)*)"|([^\s{}",]+)|(,))')


def _tokens(text: str, src: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise InputError(
                f"cannot read character {escape_excerpt(text[pos])!r} at offset {pos}",
                source=src,
                fix="check the .nfg syntax",
            )
        pos = m.end()
        if m.group(1):
            out.append(("{", "{"))
        elif m.group(2):
            out.append(("}", "}"))
        elif m.group(3) is not None:
            label = m.group(3).replace('\\"', '"')
            if CONTROL_CHARS.search(label) or "\n" in label:
                raise InputError(
                    f"label '{escape_excerpt(label)}' contains a control character",
                    source=src,
                    fix="labels are plain printable text",
                )
            out.append(("str", label))
        elif m.group(4):
            out.append(("word", m.group(4)))
        # commas are separators only
    return out


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?|[+-]?\d+/\d+")
#: Longest number token and largest decimal exponent accepted (``1e99999999`` would take
#: minutes as an exact fraction).
MAX_NUMBER_CHARS = 100
MAX_EXPONENT = 400


def _num(tok: tuple[str, str], src: str) -> float:
    if tok[0] != "word":
        raise InputError(
            f"expected a number, found {escape_excerpt(tok[1])!r}",
            source=src,
            fix="check the payoff list",
        )
    if len(tok[1]) > MAX_NUMBER_CHARS:
        raise InputError(
            f"number of {len(tok[1])} characters is too large (over {MAX_NUMBER_CHARS})",
            source=src,
            fix="rescale the payoffs",
        )
    m = _NUMBER.fullmatch(tok[1])
    if m is None:
        raise InputError(
            f"{escape_excerpt(tok[1])!r} is not a number (or is over "
            f"{MAX_NUMBER_CHARS} characters)",
            source=src,
            fix="payoffs must be integers, decimals or fractions like 3/2",
        )
    if m.group(1) is not None and abs(int(m.group(1))) > MAX_EXPONENT:
        raise InputError(
            f"exponent of {escape_excerpt(tok[1])!r} is out of range",
            source=src,
            fix="rescale the payoffs",
        )
    try:
        return float(Fraction(tok[1]))
    except (ValueError, ZeroDivisionError):
        raise InputError(
            f"{tok[1]!r} is not a number",
            source=src,
            fix="payoffs must be integers, decimals or fractions like 3/2",
        ) from None
    except OverflowError:
        raise InputError(
            f"number of {len(tok[1])} characters is too large for a floating-point number",
            source=src,
            fix="rescale the payoffs",
        ) from None


def read_nfg(path: str | Path) -> NormalFormGame:
    """Read a two-player Gambit .nfg file into a :class:`NormalFormGame`."""
    path = Path(path)
    src = str(path)
    toks = _tokens(read_text(path), src)
    k = 0

    def take(kind: str | None = None) -> tuple[str, str]:
        nonlocal k
        if k >= len(toks):
            raise InputError("unexpected end of file", source=src, fix="the file is truncated")
        t = toks[k]
        if kind and t[0] != kind:
            raise InputError(
                f"expected {kind!r}, found {t[1]!r}", source=src, fix="check the .nfg syntax"
            )
        k += 1
        return t

    def peek() -> str:
        if k >= len(toks):
            raise InputError("unexpected end of file", source=src, fix="the file is truncated")
        return toks[k][0]

    def braced(kind: str) -> list[tuple[str, str]]:
        """The tokens of ``kind`` up to the closing brace, which it takes too."""
        out = []
        while peek() == kind:
            out.append(take(kind))
        take("}")
        return out

    if take("word")[1] != "NFG" or take("word")[1] != "1":
        raise InputError(
            "not a Gambit .nfg file (must start with 'NFG 1')",
            source=src,
            fix="export the game from Gambit as .nfg",
        )
    prec = take("word")[1]
    if prec not in ("R", "D"):
        raise InputError(f"unknown precision {prec!r}", source=src, fix="use R or D")
    title = take("str")[1]
    take("{")
    players = [t[1] for t in braced("str")]
    if len(players) != 2:
        raise InputError(
            f"{len(players)} players; stackopt reads two-player games",
            source=src,
            field="players",
            fix="give a two-player game",
        )
    take("{")
    if peek() == "word":  # payoff version: strategy counts
        raw_counts = [_num(take("word"), src) for _ in range(2)]
        if any(c < 1 or c != int(c) for c in raw_counts):
            raise InputError(
                f"strategy counts {raw_counts} must be positive integers",
                source=src,
                field="strategies",
                fix="give each player's number of strategies",
            )
        counts = [int(c) for c in raw_counts]
        take("}")
        if k < len(toks) and toks[k][0] == "str":
            take("str")  # optional comment
        m, n = counts
        if 2 * m * n != len(toks) - k:  # before allocating anything of size m or n
            raise InputError(
                f"{len(toks) - k} payoffs for {m}x{n} profiles (need {2 * m * n})",
                source=src,
                field="payoffs",
                fix="give two payoffs per profile",
            )
        labels = [
            tuple(f"{p[:1] or 'p'}{s + 1}" for s in range(c)) for p, c in zip(("a", "b"), counts)
        ]
        vals = [_num(t, src) for t in toks[k:]]  # 2*m*n of them (checked above)
        arr = np.array(vals).reshape(n, m, 2)  # player 1 varies fastest
        A, B = arr[:, :, 0].T, arr[:, :, 1].T
    else:  # outcome version
        labels = []
        for _ in range(2):
            take("{")
            labels.append(tuple(t[1] for t in braced("str")))
        take("}")
        if k < len(toks) and toks[k][0] == "str":
            take("str")  # comment
        take("{")
        outcomes: list[tuple[float, float]] = []
        while peek() == "{":
            take("{")
            take("str")  # outcome name
            pays = [_num(t, src) for t in braced("word")]
            if len(pays) != 2:
                raise InputError(
                    f"outcome {len(outcomes) + 1} has {len(pays)} payoffs",
                    source=src,
                    field="outcomes",
                    fix="give two payoffs",
                )
            outcomes.append((pays[0], pays[1]))
        take("}")
        m, n = len(labels[0]), len(labels[1])
        idx = [int(_num(t, src)) for t in toks[k:]]
        if len(idx) != m * n:
            raise InputError(
                f"{len(idx)} outcome indices for {m * n} profiles",
                source=src,
                field="profiles",
                fix="give one outcome index per profile",
            )
        A = np.zeros((m, n))
        B = np.zeros((m, n))
        for p, o in enumerate(idx):
            i, j = p % m, p // m
            if o < 0 or o > len(outcomes):
                raise InputError(
                    f"outcome index {o} out of range",
                    source=src,
                    field="profiles",
                    fix=f"use 0..{len(outcomes)}",
                )
            if o > 0:
                A[i, j], B[i, j] = outcomes[o - 1]
    return game_from_parts(
        (labels[0], labels[1], A, B),
        players[0] or "leader",
        players[1] or "follower",
        title or path.stem,
        src,
    )
