"""YAML reading that cannot execute code, hang or explode in memory.

``yaml.safe_load`` already refuses ``!!python/...`` tags, but not alias bombs (a 431-byte,
9-level document expands to ~2.3 GB once walked). We therefore:

* read only *regular* files (no devices, FIFOs or sockets, also behind a symlink), opened
  without blocking, with the size cap enforced *while reading* (``stat`` is not trusted:
  ``/dev/zero`` reports size 0);
* scan the parse events and refuse any alias, anchor or explicit tag, and any nesting deeper
  than :data:`MAX_DEPTH`, before constructing anything;
* refuse duplicate mapping keys (YAML says keys are unique; PyYAML silently keeps the last);
* resolve numbers as YAML 1.2's core schema does in addition to YAML 1.1: ``1e3``, ``9e-05``
  and ``1E-7`` (no dot, or an unsigned exponent) are floats, so every JSON document that is a
  valid game loads with the same values as ``json.loads`` would give.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Any

from stackopt.errors import InputError

_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")
}
MAX_BYTES = 20 * 1024 * 1024  # 20 MiB: far beyond any hand-written game
#: Deepest nesting of sequences/mappings accepted in a YAML (or JSON) document.
MAX_DEPTH = 64
_CHUNK = 1 << 16

#: YAML 1.2 core-schema floats that the YAML 1.1 resolver leaves as strings: an exponent
#: without a dot (``1e3``, ``9e-05``) or with an unsigned exponent (``1.5e3``).
_FLOAT_12 = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$")


def escape_excerpt(text: str, limit: int = 40) -> str:
    """A short, printable excerpt of untrusted text (control characters escaped)."""
    s = text[:limit].encode("unicode_escape", "backslashreplace").decode("ascii")
    return s + ("..." if len(text) > limit else "")


def read_bytes(path: str | Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a regular file's bytes, refusing devices, FIFOs, sockets, directories and files
    over ``max_bytes`` (counted while reading)."""
    p = Path(path)
    src = escape_excerpt(str(p), 200)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError("file not found", source=src, fix="check the path") from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", source=src, fix="name a file") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise InputError(
                "file name too long", source=src[:80] + "...", fix="use a shorter path"
            ) from None
        raise InputError(
            f"cannot read: {exc.strerror}",
            source=src,
            fix="check the path and the file's permissions",
        ) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError("is a directory, not a file", source=src, fix="name a file")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(
                "not a regular file (a device, FIFO or socket)",
                source=src,
                fix="give an ordinary file",
            )
        if st.st_size > max_bytes:
            raise InputError(
                f"file is {st.st_size:,} bytes, above the {max_bytes:,}-byte limit",
                source=src,
                fix="split the input or use the CSV matrix form",
            )
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                chunk = os.read(fd, _CHUNK)
            except BlockingIOError:  # pragma: no cover - regular files never block
                raise InputError(
                    "file would block", source=src, fix="give an ordinary file"
                ) from None
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise InputError(
                    f"file is above the {max_bytes:,}-byte limit",
                    source=src,
                    fix="split the input or use the CSV matrix form",
                )
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(
            f"cannot read: {exc.strerror}", source=src, fix="check the file's permissions"
        ) from None
    finally:
        os.close(fd)


def read_text(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, refusing missing, non-regular, oversized, binary or non-UTF-8
    files (see :func:`read_bytes`)."""
    data = read_bytes(path, max_bytes=max_bytes)
    src = escape_excerpt(str(path), 200)
    if b"\x00" in data:
        raise InputError(
            "binary file (contains NUL bytes)", source=src, fix="give a UTF-8 text file"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte {exc.start})", source=src, fix="save the file as UTF-8"
        ) from None


def resolve_inside(
    base_dir: str | Path | None,
    name: str,
    *,
    field: str,
    source: str | None = None,
    allow_outside: bool = False,
) -> Path:
    """The file ``name`` named inside a game, resolved against ``base_dir``.

    Symlinks are resolved; the result must lie inside ``base_dir`` (resolved) unless
    ``allow_outside``. Absolute paths and ``..`` escaping the folder are refused.
    """
    if not isinstance(name, str) or not name or "\x00" in name or len(name) > 4096:
        raise InputError(
            "must be a file name",
            source=source,
            field=field,
            fix="write a path relative to the game file",
        )
    base = Path(base_dir if base_dir is not None else ".").resolve()
    p = Path(name)
    target = p if p.is_absolute() else base / p
    try:
        real = target.resolve()
    except (OSError, RuntimeError):
        raise InputError(
            f"cannot resolve the path {escape_excerpt(name, 80)!s}",
            source=source,
            field=field,
            fix="check the path",
        ) from None
    if not allow_outside and real != base and base not in real.parents:
        raise InputError(
            f"'{escape_excerpt(name, 80)}' lies outside the game's folder "
            "(after resolving symlinks)",
            source=source,
            field=field,
            fix="put the file next to the game file (or in a sub-folder)",
        )
    return real


def _loader() -> type:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~4x faster

    class _StrictLoader(base):  # type: ignore[misc, valid-type]
        """Safe loader with YAML 1.2 floats and duplicate keys refused."""

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                seen: dict[Any, int] = {}
                for key_node, _ in node.value:
                    key = self.construct_object(key_node, deep=True)
                    try:
                        hash(key)
                    except TypeError:
                        continue  # refused by the base constructor with its own message
                    if key in seen:
                        raise InputError(
                            f"duplicate key '{escape_excerpt(str(key))}' at line "
                            f"{key_node.start_mark.line + 1} (first at line {seen[key]})",
                            source=getattr(self, "_stackopt_source", None),
                            fix="write each key once",
                        )
                    seen[key] = key_node.start_mark.line + 1
            return super().construct_mapping(node, deep=deep)

    _StrictLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_12, list("-+0123456789."))
    return _StrictLoader


_LOADER: type | None = None


def load_yaml_text(text: str, source: str = "<string>") -> Any:
    """Parse YAML safely: no aliases/anchors, no tags, no duplicate keys, bounded nesting,
    plain data only; YAML 1.2 floats (``1e3``) are floats."""
    import yaml

    global _LOADER
    if _LOADER is None:
        _LOADER = _loader()
    src = escape_excerpt(source, 200)
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(
                        f"nesting deeper than {MAX_DEPTH} levels at line "
                        f"{event.start_mark.line + 1}",
                        source=src,
                        fix="flatten the document",
                    )
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            anchor = getattr(event, "anchor", None)  # an alias names its anchor too
            if anchor is not None:
                what, sign = (
                    ("alias", "*") if isinstance(event, yaml.AliasEvent) else ("anchor", "&")
                )
                raise InputError(
                    f"YAML {what} '{sign}{escape_excerpt(str(anchor))}' at line "
                    f"{event.start_mark.line + 1}",
                    source=src,
                    fix="aliases and anchors are not accepted; write the value out",
                )
            tag = getattr(event, "tag", None)
            implicit = getattr(event, "implicit", True)
            explicit = not (implicit is True or (isinstance(implicit, tuple) and any(implicit)))
            if tag is not None and explicit and tag not in _PLAIN_TAGS:
                raise InputError(
                    f"YAML tag '{escape_excerpt(str(tag))}' at line {event.start_mark.line + 1}",
                    source=src,
                    fix="remove the tag; only plain data is read",
                )
        loader = _LOADER(text)
        loader._stackopt_source = src
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except InputError:
        raise
    except (ValueError, OverflowError) as exc:  # e.g. a 5000-digit integer
        raise InputError(
            f"cannot read a value: {escape_excerpt(str(exc).splitlines()[0], 80)}",
            source=src,
            fix="write plain numbers of ordinary size",
        ) from None
    except RecursionError:
        raise InputError(
            "document nested too deeply", source=src, fix="flatten the document"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if "nesting depth" in str(problem):  # libyaml's own cap (PyYAML >= 6.0.4) came first
            raise InputError(
                f"nesting deeper than {MAX_DEPTH} levels{where}",
                source=src,
                fix="flatten the document",
            ) from None
        raise InputError(
            f"invalid YAML{where}: {escape_excerpt(str(problem), 80)}",
            source=src,
            fix="fix the YAML syntax",
        ) from None


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Control characters refused in labels (public for the CSV and .nfg readers).
CONTROL_CHARS = _CONTROL
_LABEL_KEYS = {"name", "actions", "targets", "source", "target", "leader", "follower"}


def refuse_control_characters(data: Any, source: str) -> None:
    """Refuse terminal control characters (ESC, CR, ...) anywhere in a parsed document, and
    newlines in keys, names and labels, so that nothing printed from a game can forge output
    lines (e.g. a fake ``status optimal``). Newlines stay allowed in descriptions and
    expressions."""
    src = escape_excerpt(source, 200)
    stack: list[tuple[Any, str, bool]] = [(data, "", False)]
    while stack:
        v, field, label = stack.pop()
        if isinstance(v, dict):
            for k, w in v.items():
                ks = str(k)
                if _CONTROL.search(ks) or "\n" in ks:
                    raise InputError(
                        f"key '{escape_excerpt(ks)}' contains a control character",
                        source=src,
                        field=field or None,
                        fix="remove it",
                    )
                stack.append((w, f"{field}.{ks}" if field else ks, ks in _LABEL_KEYS))
        elif isinstance(v, list):
            stack.extend((w, f"{field}[{i}]", label) for i, w in enumerate(v))
        elif isinstance(v, str) and (_CONTROL.search(v) or (label and "\n" in v)):
            raise InputError(
                f"'{escape_excerpt(v)}' contains a control character",
                source=src,
                field=field or None,
                fix="names and labels are plain printable text",
            )


def printable(text: str) -> str:
    """``text`` with control characters (newlines included) escaped, for one output line."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text).replace(
        "\n", "\\n"
    )


def csv_rows(text: str, source: str) -> list[tuple[int, list[str]]]:
    """Rows of an untrusted CSV text as ``(line number, fields)``: any line ending (also CR
    only), fields up to the whole file's size, CSV errors as one :class:`InputError`."""
    import csv
    import io

    src = escape_excerpt(source, 200)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, len(text) + 1))
    try:
        reader = csv.reader(io.StringIO(text))
        out = []
        for fields in reader:
            out.append((reader.line_num, fields))
        return out
    except csv.Error as exc:
        raise InputError(
            f"cannot read the CSV: {escape_excerpt(str(exc), 80)}",
            source=src,
            fix="give a plain comma-separated file",
        ) from None
    finally:
        csv.field_size_limit(old)


def json_depth_ok(text: str, max_depth: int = MAX_DEPTH) -> int | None:
    """``None`` when the JSON text nests at most ``max_depth`` brackets deep, else the offset of
    the first bracket too deep (strings are skipped; linear time, no recursion)."""
    depth = 0
    in_str = esc = False
    for k, ch in enumerate(text):
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                return k
        elif ch in "]}":
            depth -= 1
    return None


def load_json_text(text: str, source: str = "<string>") -> Any:
    """Parse JSON from an untrusted file: nesting at most :data:`MAX_DEPTH`, integers of at
    most 4300 digits, duplicate keys refused, NaN/Infinity literals kept (validated later by the
    checks), errors as one :class:`InputError` line."""
    import json

    src = escape_excerpt(source, 200)
    too_deep = json_depth_ok(text)
    if too_deep is not None:
        raise InputError(
            f"JSON nested deeper than {MAX_DEPTH} levels (offset {too_deep})",
            source=src,
            fix="give the JSON written by 'stackopt solve --json'",
        )

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in pairs:
            if k in out:
                raise InputError(
                    f"duplicate key '{escape_excerpt(k)}'", source=src, fix="write each key once"
                )
            out[k] = v
        return out

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except InputError:
        raise
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            source=src,
            fix="give the JSON written by 'stackopt solve --json'",
        ) from None
    except (ValueError, RecursionError, OverflowError) as exc:
        raise InputError(
            f"cannot read a value: {escape_excerpt(str(exc), 80)}",
            source=src,
            fix="write plain numbers of ordinary size",
        ) from None


def load_yaml(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Any:
    """Read and safely parse a YAML file (see :func:`read_text`, :func:`load_yaml_text`)."""
    return load_yaml_text(read_text(path, max_bytes=max_bytes), str(path))
