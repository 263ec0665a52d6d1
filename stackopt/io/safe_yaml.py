"""YAML reading that cannot execute code or explode in memory.

``yaml.safe_load`` already refuses ``!!python/...`` tags, but not alias bombs (a 431-byte,
9-level document expands to ~2.3 GB once walked). We therefore cap the file size, scan the
parse events and refuse any alias, anchor or explicit tag before constructing anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stackopt.errors import InputError

_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in
               ("str", "int", "float", "bool", "null", "seq", "map")}
MAX_BYTES = 20 * 1024 * 1024  # 20 MiB: far beyond any hand-written game


def read_text(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, refusing missing, oversized, binary or non-UTF-8 files."""
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", source=str(p), fix="check the path")
    if p.is_dir():
        raise InputError("is a directory, not a file", source=str(p), fix="name a file")
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError(f"file is {size:,} bytes, above the {max_bytes:,}-byte limit",
                         source=str(p), fix="split the input or use the CSV matrix form")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(p),
                         fix="check the file's permissions") from None
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes)", source=str(p),
                         fix="give a UTF-8 text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", source=str(p),
                         fix="save the file as UTF-8") from None


def load_yaml_text(text: str, source: str = "<string>") -> Any:
    """Parse YAML safely: no aliases/anchors, no tags, plain data only."""
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~4x faster
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                raise InputError(f"YAML alias '*{event.anchor}' at line "
                                 f"{event.start_mark.line + 1}", source=source,
                                 fix="aliases and anchors are not accepted; write the value out")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise InputError(f"YAML anchor '&{anchor}' at line {event.start_mark.line + 1}",
                                 source=source,
                                 fix="aliases and anchors are not accepted; write the value out")
            tag = getattr(event, "tag", None)
            implicit = getattr(event, "implicit", True)
            explicit = not (implicit is True or (isinstance(implicit, tuple) and any(implicit)))
            if tag is not None and explicit and tag not in _PLAIN_TAGS:
                raise InputError(f"YAML tag '{tag}' at line {event.start_mark.line + 1}",
                                 source=source, fix="remove the tag; only plain data is read")
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader, never the full one
    except InputError:
        raise
    except ValueError as exc:  # a value PyYAML cannot construct, e.g. a 5000-digit integer
        raise InputError(f"cannot read a value: {str(exc).splitlines()[0]}", source=source,
                         fix="write plain numbers of ordinary size") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"invalid YAML{where}: {problem}", source=source,
                         fix="fix the YAML syntax") from None


def load_yaml(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Any:
    """Read and safely parse a YAML file (see :func:`load_yaml_text`)."""
    return load_yaml_text(read_text(path, max_bytes=max_bytes), str(path))
