"""CSV forms of normal-form games.

*Long (tidy) form*: one row per action profile, header exactly
``leader_action,follower_action,leader_payoff,follower_payoff`` (every profile exactly once).

*Two-matrix form*: header ``player,action,<follower action>...``; rows with ``player`` equal to
``leader`` give the leader's payoff row for leader action ``action``, rows with ``follower``
the follower's, in the same action order.

*Matrix file* (used by ``payoffs: {leader: A.csv, follower: B.csv}``): header
``<anything>,<follower action>...``, one row per leader action.

Action order is the order of first appearance.

Numbers are read by pandas' C parser (:func:`stackopt.io.arrays.read_csv_frame`) whenever the
file is plain (no quotes, every cell a finite number or a label); any file the fast path cannot
vouch for is read again cell by cell below, whose errors name the line and column. Both give
bit-identical arrays (tested).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from stackopt.errors import InputError
from stackopt.io.arrays import max_file_bytes, numeric_block, read_csv_frame
from stackopt.io.build import build_from
from stackopt.io.safe_yaml import CONTROL_CHARS, csv_rows, escape_excerpt, read_text
from stackopt.io.tables import finite_cell, refuse_ragged
from stackopt.kinds.normal_form.game import NormalFormGame

#: The fixes a payoff cell's refusal gives (not a number / not finite).
_PAYOFF_FIXES = {"fix": "write a plain number", "fix_finite": "payoffs must be finite numbers"}

LONG_HEADER = ["leader_action", "follower_action", "leader_payoff", "follower_payoff"]


def _rows(path: Path) -> list[list[str]]:
    text = read_text(path, max_bytes=max_file_bytes())
    rows = [r for _, r in csv_rows(text, str(path)) if any(c.strip() for c in r)]
    for r in rows:
        for c in r:
            if CONTROL_CHARS.search(c) or "\n" in c:
                raise InputError(
                    f"'{escape_excerpt(c)}' contains a control character",
                    source=str(path),
                    fix="labels are plain printable text",
                )
    if not rows:
        raise InputError("empty CSV file", source=str(path), fix="add a header and rows")
    return [[c.strip() for c in r] for r in rows]


def _numbers(cells: list[str], source: str, line: int, cols: Sequence[str]) -> list[float]:
    """The payoffs of one row (``cells`` under the header labels ``cols``): :func:`float` of
    each cell, all in one pass; when a cell is not a finite number,
    :func:`~stackopt.io.tables.finite_cell` names the first such cell and column (the same
    check, cell by cell)."""
    try:
        vals = [float(c) for c in cells]
        if all(map(math.isfinite, vals)):
            return vals
    except ValueError:
        pass
    return [
        finite_cell(c, source=source, field=f"line {line} column {cols[k]!r}", **_PAYOFF_FIXES)
        for k, c in enumerate(cells)
    ]


def read_normal_form_csv(
    path: str | Path, *, leader_name: str = "leader", follower_name: str = "follower"
) -> NormalFormGame:
    """Read a game from a long-form or two-matrix-form CSV (detected from the header)."""
    path = Path(path)
    src = str(path)
    game = _fast_game(path)
    if game is not None:
        return game_from_parts(game, leader_name, follower_name, path.stem, src)
    rows = _rows(path)
    header = [h.lower() for h in rows[0]]
    if header == LONG_HEADER:
        game = _long(rows[1:], src)
    elif header[:2] == ["player", "action"] and len(header) > 2:
        game = _two_matrix(rows, src)
    else:
        raise InputError(
            f"unrecognised CSV header {rows[0]}",
            source=src,
            field="header",
            fix="use 'leader_action,follower_action,leader_payoff,follower_payoff'"
            " (long form) or 'player,action,<follower actions>' (two-matrix)",
        )
    return game_from_parts(game, leader_name, follower_name, path.stem, src)


def game_from_parts(
    parts: tuple, leader_name: str, follower_name: str, name: str, source: str
) -> NormalFormGame:
    """The game from ``(leader labels, follower labels, A, B)`` read from file ``source``
    (its validation errors name the file)."""
    labels_l, labels_f, A, B = parts
    return build_from(
        source,
        NormalFormGame,
        A,
        B,
        labels_l,
        labels_f,
        leader_name=leader_name,
        follower_name=follower_name,
        name=name,
    )


def _fast_game(path: Path):
    """``(leader labels, follower labels, A, B)`` through pandas, or ``None`` (exact path)."""
    frame = read_csv_frame(path, (0, 1))
    if frame is None or frame.shape[0] == 0:
        return None
    names = [str(c) for c in frame.columns]
    header = [h.lower() for h in names]
    block = numeric_block(frame, 2)
    if block is None:
        return None
    first = frame.iloc[:, 0].to_numpy(dtype=object)
    second = frame.iloc[:, 1].to_numpy(dtype=object)
    if header == LONG_HEADER:
        import pandas as pd

        rc, rl = pd.factorize(first)
        cc, cl = pd.factorize(second)
        m, n = len(rl), len(cl)
        idx = rc.astype(np.int64) * n + cc
        if len(idx) != m * n or np.bincount(idx, minlength=m * n).max() != 1:
            return None  # a duplicate or missing profile: the exact path names it
        A = np.empty(m * n)
        B = np.empty(m * n)
        A[idx] = block[:, 0]
        B[idx] = block[:, 1]
        return tuple(rl), tuple(cl), A.reshape(m, n), B.reshape(m, n)
    if header[:2] == ["player", "action"] and len(header) > 2:
        who = np.array([str(w).lower() for w in first])
        lead, foll = who == "leader", who == "follower"
        if not (lead | foll).all():
            return None
        rl, fl = list(second[lead]), list(second[foll])
        if rl != fl or not rl or len(set(rl)) != len(rl):
            return None
        return tuple(rl), tuple(names[2:]), block[lead], block[foll]
    return None


def _long(rows: list[list[str]], src: str):
    rl: dict[str, int] = {}
    cl: dict[str, int] = {}
    cells: dict[tuple[str, str], tuple[float, float, int]] = {}
    for n, r in enumerate(rows, start=2):
        if len(r) != 4:
            raise InputError(
                f"row has {len(r)} fields, expected 4",
                source=src,
                field=f"line {n}",
                fix="write leader_action,follower_action,leader_payoff,follower_payoff",
            )
        a, b = r[0], r[1]
        if not a or not b:
            raise InputError(
                "empty action label",
                source=src,
                field=f"line {n}",
                fix="every row needs both action labels",
            )
        key = (a, b)
        if key in cells:
            raise InputError(
                f"profile ({a}, {b}) appears twice (lines {cells[key][2]} and {n})",
                source=src,
                field=f"line {n}",
                fix="give each profile once",
            )
        cells[key] = (
            finite_cell(r[2], source=src, field=f"line {n} leader_payoff", **_PAYOFF_FIXES),
            finite_cell(r[3], source=src, field=f"line {n} follower_payoff", **_PAYOFF_FIXES),
            n,
        )
        rl.setdefault(a, len(rl))
        cl.setdefault(b, len(cl))
    if not cells:
        raise InputError("no payoff rows", source=src, fix="add one row per action profile")
    A = np.full((len(rl), len(cl)), np.nan)
    B = np.full_like(A, np.nan)
    for (a, b), (u, v, _) in cells.items():
        A[rl[a], cl[b]] = u
        B[rl[a], cl[b]] = v
    missing = np.argwhere(np.isnan(A))
    if missing.size:
        i, j = missing[0]
        raise InputError(
            f"profile ({list(rl)[i]}, {list(cl)[j]}) is missing ({len(missing)} missing in all)",
            source=src,
            fix="give a row for every pair of leader and follower actions",
        )
    return tuple(rl), tuple(cl), A, B


def _two_matrix(rows: list[list[str]], src: str):
    cols = rows[0][2:]
    mats: dict[str, dict[str, list[float]]] = {"leader": {}, "follower": {}}
    for n, r in enumerate(rows[1:], start=2):
        refuse_ragged(
            r,
            len(rows[0]),
            source=src,
            line=n,
            fix="give one payoff per follower action",
            row="row",
        )
        who = r[0].lower()
        if who not in mats:
            raise InputError(
                f"player {r[0]!r} must be 'leader' or 'follower'",
                source=src,
                field=f"line {n} player",
                fix="write leader or follower",
            )
        if r[1] in mats[who]:
            raise InputError(
                f"action {r[1]!r} appears twice for the {who}",
                source=src,
                field=f"line {n} action",
                fix="give each row once",
            )
        mats[who][r[1]] = _numbers(r[2:], src, n, cols)
    if list(mats["leader"]) != list(mats["follower"]) or not mats["leader"]:
        raise InputError(
            f"leader rows {list(mats['leader'])} and follower rows {list(mats['follower'])} differ",
            source=src,
            field="action",
            fix="give both players a row for every leader action, in the same order",
        )
    rl = tuple(mats["leader"])
    A = np.array([mats["leader"][a] for a in rl])
    B = np.array([mats["follower"][a] for a in rl])
    return rl, tuple(cols), A, B


def read_matrix_csv(path: str | Path) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
    """Read one labelled matrix: header ``<corner>,<col labels>``, rows
    ``<row label>,<numbers>``."""
    path = Path(path)
    frame = read_csv_frame(path, (0,))
    if frame is not None and frame.shape[0] and frame.shape[1] > 1:
        block = numeric_block(frame, 1)
        if block is not None:
            return (tuple(frame.iloc[:, 0]), tuple(str(c) for c in frame.columns[1:]), block)
    rows = _rows(path)
    src = str(path)
    cols = tuple(rows[0][1:])
    if not cols:
        raise InputError(
            "header has no column labels",
            source=src,
            field="header",
            fix="write ',<follower action>,<follower action>...'",
        )
    labels, data = [], []
    for n, r in enumerate(rows[1:], start=2):
        refuse_ragged(
            r,
            len(cols) + 1,
            source=src,
            line=n,
            fix="give a label and one number per column",
            row="row",
        )
        labels.append(r[0])
        data.append(_numbers(r[1:], src, n, cols))
    if not data:
        raise InputError("no rows", source=src, fix="add one row per leader action")
    return tuple(labels), cols, np.array(data)


def write_normal_form_csv(game: NormalFormGame, path: str | Path, *, form: str = "long") -> None:
    """Write ``game`` as CSV in ``form`` ``"long"`` or ``"matrix"`` (two-matrix form)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        if form == "long":
            w.writerow(LONG_HEADER)
            for i, a in enumerate(game.leader_actions):
                for j, b in enumerate(game.follower_actions):
                    w.writerow([a, b, repr(float(game.A[i, j])), repr(float(game.B[i, j]))])
        elif form == "matrix":
            w.writerow(["player", "action", *game.follower_actions])
            for who, M in (("leader", game.A), ("follower", game.B)):
                for i, a in enumerate(game.leader_actions):
                    w.writerow([who, a, *(repr(float(v)) for v in M[i])])
        else:
            raise InputError(
                f"unknown CSV form {form!r}", field="form", fix="use 'long' or 'matrix'"
            )
