r"""Numbers at memory speed: numeric arrays in YAML, CSV and binary files straight into NumPy.

**YAML** (:func:`parse_yaml_arrays`). A flow sequence of plain numbers (``[1, -2.5, 1e3]``) or
of such rows (``[[1, 2], [3, 4]]``) is also valid JSON whenever every number is written in
JSON's grammar (``-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?``). For JSON numbers the safe
loader (:mod:`stackopt.io.safe_yaml`) and :func:`json.loads` build the same Python values:
both call :func:`int` on integers and :func:`float` on the rest (correctly rounded), so
``-0`` is the integer 0, ``-0.0`` the float :math:`-0`, ``1e3`` the float 1000. The fast path

1. finds such sequences in the text (a regular expression over the characters
   ``[]0-9eE+-., \t\r\n`` with at most two levels of brackets), parses each with
   :func:`json.loads` row by row straight into a float array (a sequence that is not valid
   JSON — ``[+1]``, ``[.5]``, ``[1,]``, ``[0x1F]`` — is left in the text for the safe loader);
2. replaces each with a unique placeholder and reads the remaining *skeleton* (kilobytes) with
   :func:`stackopt.io.safe_yaml.load_yaml_text`, so aliases, anchors, tags, duplicate keys and
   nesting are refused exactly as before;
3. checks on the skeleton's parse events that every placeholder is a plain, untagged,
   unanchored scalar met exactly once and in value position — i.e. that the original text was a
   flow sequence there and not part of a quoted string, block scalar, comment or key — and
   falls back to the safe loader on the whole text otherwise;
4. puts the arrays back: as read-only ``float64`` arrays at the fields named in
   :data:`ARRAY_FIELDS` (the payoff matrices of ``kind: normal_form``, either one ``[[...]]``
   flow sequence or a block list of ``- [...]`` rows), as the Python lists :func:`json.loads`
   gives (the same values the safe loader gives) everywhere else.

Anything the fast path cannot convert exactly (a huge integer, a ragged matrix, a mixture) is
left to the safe loader, whose errors name the field. Small documents (< 64 KiB) go straight to
the safe loader.

**Size cap** (:func:`max_file_bytes`): files read here may be up to ``STACKOPT_MAX_FILE_MB``
MiB (default 256: a 2000x2000 game written with full-precision floats is about 150 MB). Memory
stays near the arrays: the text is read once, the numbers are parsed one row at a time into a
preallocated array (no Python float per entry survives a row), and CSV goes through pandas' C
parser (measured by ``benchmarks/run_all.py``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from stackopt.errors import InputError
from stackopt.io.safe_yaml import escape_excerpt, load_yaml_text, read_bytes, read_text

#: Default cap on the size of a game file read through this module, in MiB.
DEFAULT_MAX_FILE_MB = 256
#: Documents smaller than this go straight to the safe loader (the fast path cannot pay off).
FAST_PATH_MIN_CHARS = 64 * 1024

#: CSV files smaller than this are read cell by cell unless pandas is imported already (its
#: import, ~0.4 s, costs more than the Python reader spends on ~100,000 cells).
FAST_CSV_MIN_BYTES = 2 * 1024 * 1024

#: Fields (key paths from the top of the document) whose numeric matrices are handed over as
#: ``float64`` arrays instead of Python lists, per ``kind``.
ARRAY_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "normal_form": (("payoffs", "leader"), ("payoffs", "follower")),
}

_WS = r"[ \t\r\n]"
_ROW = r"\[[ \t\r\n,0-9eE+.\-]*\]"
_ROW_RE = re.compile(_ROW)
#: a two-level flow sequence of numeric rows (group ``m``), or one numeric row
_SPAN = re.compile(
    r"(?P<m>\[" + _WS + r"*(?:" + _ROW + _WS + r"*," + _WS + r"*)*" + _ROW + _WS + r"*\])|" + _ROW
)


def max_file_bytes() -> int:
    """The size cap for game files, from ``STACKOPT_MAX_FILE_MB`` (default 256 MiB)."""
    raw = os.environ.get("STACKOPT_MAX_FILE_MB")
    if raw is None or not raw.strip():
        return DEFAULT_MAX_FILE_MB * 1024 * 1024
    try:
        mb = float(raw)
    except ValueError:
        mb = float("nan")
    if not (mb > 0 and mb < 1 << 30):
        raise InputError(
            f"STACKOPT_MAX_FILE_MB={escape_excerpt(raw)!s} is not a positive number of MiB",
            field="STACKOPT_MAX_FILE_MB",
            fix=f"set e.g. STACKOPT_MAX_FILE_MB={DEFAULT_MAX_FILE_MB}, or unset it",
        )
    return int(mb * 1024 * 1024)


# -- YAML --------------------------------------------------------------------------------------


class _Span:
    """One numeric flow sequence found in the text, parsed (a 1-D row or a 2-D matrix), and
    where it lies (its text gives the exact Python values outside :data:`ARRAY_FIELDS`)."""

    __slots__ = ("array", "end", "start")

    def __init__(self, array: np.ndarray, start: int, end: int) -> None:
        self.array = array
        self.start = start
        self.end = end


def _parse_matrix(text: str, start: int, end: int) -> np.ndarray | None:
    """The rows of the matrix ``text[start:end]`` (already matched by ``_SPAN``'s group ``m``,
    so rows are separated by commas only) parsed one at a time into one float array."""
    rows = _ROW_RE.finditer(text, start + 1, end - 1)
    first = _row(next(rows).group())
    if first is None:
        return None
    out = np.empty((text.count("[", start + 1, end - 1), first.size))
    out[0] = first
    for k, match in enumerate(rows, start=1):
        r = _row(match.group())
        if r is None or r.size != first.size:
            return None
        out[k] = r
    return out


def _row(text: str) -> np.ndarray | None:
    """One ``[...]`` row (matched by ``_ROW``: no quotes, no brackets inside, so JSON can only
    give numbers) as a float array, or ``None``."""
    try:
        vals = json.loads(text)
    except ValueError:
        return None
    if not isinstance(vals, list) or not vals:
        return None
    try:
        arr = np.array(vals, dtype=float)
    except (OverflowError, ValueError, TypeError):  # an integer beyond float range
        return None
    return arr if arr.ndim == 1 else None


def parse_yaml_arrays(
    text: str, source: str = "<string>", *, min_chars: int = FAST_PATH_MIN_CHARS
) -> Any:
    """Parse YAML like :func:`~stackopt.io.safe_yaml.load_yaml_text`, numeric flow sequences
    through JSON into NumPy (see the module docstring). Same result as the safe loader except
    that :data:`ARRAY_FIELDS` may hold read-only ``float64`` arrays instead of lists of numbers.

    Only those arrays may make a document larger than the safe loader's cap
    (:data:`stackopt.io.safe_yaml.MAX_BYTES`, 20 MiB): the rest of the document — the skeleton
    and any numbers outside :data:`ARRAY_FIELDS`, which become Python objects — is held to it,
    so memory stays bounded by the arrays plus what the safe loader always allowed."""
    if len(text) < min_chars:
        return load_yaml_text(text, source)
    nonce = os.urandom(8).hex()  # as secrets.token_hex(8), without its import
    if nonce in text:  # pragma: no cover - probability 2^-64
        return _safe_load(text, source)
    spans: dict[str, _Span] = {}
    for match in _SPAN.finditer(text):
        start, end = match.span()
        arr = _parse_matrix(text, start, end) if match.group("m") else _row(match.group())
        if arr is not None:
            spans[f"_stackopt_{nonce}_{len(spans)}_"] = _Span(arr, start, end)
    for _ in range(2):  # a span inside a string, comment or key is put back once
        if not spans:
            return _safe_load(text, source)
        skeleton = _skeleton(text, spans)
        bad = _misplaced(skeleton, spans)
        if bad is None:
            return _safe_load(text, source)
        if not bad:
            break
        spans = {k: v for k, v in spans.items() if k not in bad}
    else:
        return _safe_load(text, source)
    _check_structure_size(len(skeleton), source)
    try:
        data = load_yaml_text(skeleton, source)
    except InputError:  # report it with the original's line numbers when that is allowed
        if len(text) > _safe_cap():
            raise
        return load_yaml_text(text, source)
    del skeleton
    used: set[str] = set()
    kind = data.get("kind") if isinstance(data, dict) else None
    fields = ARRAY_FIELDS.get(kind, ()) if isinstance(kind, str) else ()
    outside = sum(v.end - v.start for v in spans.values())  # upper bound of non-array spans
    try:
        data = _substitute(
            data,
            text,
            spans,
            used,
            fields,
            (),
            _Budget(_safe_cap() - (len(text) - outside), source),
        )
    except _Fallback:
        return _safe_load(text, source)
    if len(used) != len(spans):  # a placeholder used as a mapping key
        return _safe_load(text, source)
    return data


def _safe_cap() -> int:
    from stackopt.io import safe_yaml

    return int(safe_yaml.MAX_BYTES)


def _check_structure_size(size: int, source: str) -> None:
    cap = _safe_cap()
    if size > cap:
        raise InputError(
            f"{size:,} characters of YAML besides the payoff matrices, above the {cap:,}-byte "
            "limit (only the numeric payoff matrices of a normal-form game may exceed it)",
            source=escape_excerpt(source, 200),
            fix="write large matrices as payoffs of a normal-form game, or in .npz/.csv files",
        )


def _safe_load(text: str, source: str) -> Any:
    """The safe loader on the whole text, within its own size cap."""
    _check_structure_size(len(text), source)
    return load_yaml_text(text, source)


class _Budget:
    """Characters of numeric spans that may still become Python objects (outside the array
    fields), within the safe loader's cap."""

    def __init__(self, left: int, source: str) -> None:
        self.left = left
        self.source = source

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            _check_structure_size(_safe_cap() + 1, self.source)


def _skeleton(text: str, spans: dict[str, _Span]) -> str:
    pieces: list[str] = []
    pos = 0
    for key, span in spans.items():  # in text order (dicts keep insertion order)
        pieces.append(text[pos : span.start])
        pieces.append(key)
        pos = span.end
    pieces.append(text[pos:])
    return "".join(pieces)


class _Fallback(Exception):
    pass


def _misplaced(skeleton: str, spans: dict[str, _Span]) -> set[str] | None:
    """Placeholders that are not a plain, untagged, unanchored scalar seen exactly once (the
    span was inside a quoted or block scalar, a comment, or is repeated); ``None`` if the
    skeleton does not parse (the safe loader then reports the error on the original)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    seen: set[str] = set()
    bad: set[str] = set()
    try:
        for ev in yaml.parse(skeleton, Loader=loader):
            if not isinstance(ev, yaml.ScalarEvent):
                continue
            if ev.value in spans:
                if (
                    ev.style not in (None, "")
                    or ev.tag is not None
                    or ev.anchor is not None
                    or not ev.implicit[0]
                    or ev.value in seen
                ):
                    bad.add(ev.value)
                seen.add(ev.value)
            elif "_stackopt_" in ev.value:  # inside a longer scalar (string, comment-free)
                bad.update(k for k in spans if k in ev.value)
    except yaml.YAMLError:
        return None
    bad.update(k for k in spans if k not in seen)  # in a comment: vanished
    return bad


def _substitute(
    node: Any,
    text: str,
    spans: dict[str, _Span],
    used: set[str],
    fields: tuple[tuple[str, ...], ...],
    path: tuple[str, ...],
    budget: _Budget,
) -> Any:
    if isinstance(node, str):
        span = spans.get(node)
        if span is None:
            return node
        used.add(node)
        if path in fields:
            a = span.array
            if a.ndim != 2:
                raise _Fallback  # a single row as a matrix: the safe path reports it
            a.setflags(write=False)
            return a
        # valid JSON (parsed above): the same ints and floats as the safe loader builds
        budget.spend(span.end - span.start)  # Python objects: held to the safe loader's cap
        return json.loads(text[span.start : span.end])
    if isinstance(node, dict):
        return {
            k: _substitute(v, text, spans, used, fields, path + (str(k),), budget)
            for k, v in node.items()
        }
    if isinstance(node, list):
        if (
            path in fields
            and node
            and all(isinstance(v, str) and v in spans and spans[v].array.ndim == 1 for v in node)
        ):
            width = spans[node[0]].array.size
            if all(spans[v].array.size == width for v in node):
                out = np.empty((len(node), width))
                for k, v in enumerate(node):
                    out[k] = spans[v].array
                    used.add(v)
                out.setflags(write=False)
                return out
        return [_substitute(v, text, spans, used, fields, path + ("[]",), budget) for v in node]
    return node


def load_yaml_arrays(path: str | Path) -> Any:
    """Read a YAML game file (size cap :func:`max_file_bytes`) with the numeric fast path."""
    text = read_text(path, max_bytes=max_file_bytes())
    return parse_yaml_arrays(text, str(path))


# -- CSV ---------------------------------------------------------------------------------------


def read_csv_frame(path: str | Path, label_columns: Iterable[int]) -> Any | None:
    """A pandas frame of the CSV at ``path`` read with the C parser: the ``label_columns``
    (positions) as stripped strings, every other column ``float64``.

    Returns ``None`` whenever the fast path cannot vouch for the result (quotes, blank cells,
    non-numbers, non-finite numbers, duplicate header labels, NUL bytes, bad UTF-8): the caller
    then reads the file with its exact Python path, which names the offending cell.
    Correctly rounded: pandas >= 3 parses like :func:`float` (checked bit for bit in the tests).
    """
    import io
    import sys

    if "pandas" not in sys.modules:
        try:  # only a hint: the exact path reads (and checks) the file itself
            small = os.stat(path).st_size < FAST_CSV_MIN_BYTES
        except OSError:
            return None
        if small:
            return None  # importing pandas costs more than reading a small file cell by cell
    data = read_bytes(path, max_bytes=max_file_bytes())
    if b"\x00" in data or b'"' in data:
        return None
    head_end = data.find(b"\n")
    header = (data if head_end < 0 else data[:head_end]).decode("utf-8-sig", "replace")
    names = [h.strip() for h in header.split(",")]
    labels = set(label_columns)
    if len(set(names)) != len(names) or not names:
        return None
    import pandas as pd

    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            engine="c",
            header=0,
            names=names,
            dtype={names[k]: str for k in labels if k < len(names)},
            na_filter=False,
            skip_blank_lines=True,
            encoding="utf-8-sig",
            encoding_errors="strict",
            skipinitialspace=False,
        )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return None
    del data
    kinds = [dt.kind for dt in frame.dtypes]  # one pass, no Series per column
    for k, kind in enumerate(kinds):
        if k in labels:
            col = frame.columns[k]
            s = frame[col].astype(str).str.strip()
            if (s == "").any():
                return None
            frame[col] = s
        elif kind not in "fi":  # float64 / int64 columns only (bools, objects: exact path)
            return None
    return frame


def numeric_block(frame: Any, first: int) -> np.ndarray | None:
    """Columns ``first:`` of ``frame`` as one C-ordered float array, or ``None`` if any entry
    is not finite (the exact path then reports it)."""
    block = frame.iloc[:, first:].to_numpy(dtype=float, copy=True)
    if not np.isfinite(block).all():
        return None
    return block
