"""Turning pydantic validation errors into one-line :class:`~stackopt.errors.InputError` s."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from stackopt.errors import InputError

M = TypeVar("M", bound=BaseModel)


def field_path(loc: tuple[Any, ...], prefix: str = "") -> str:
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def parse_model(model: type[M], data: Any, *, source: str, prefix: str = "") -> M:
    """Validate ``data`` against ``model``; raise an InputError naming the first bad field."""
    if not isinstance(data, dict):
        where = prefix or "top level"
        raise InputError(
            f"expected a mapping of keys to values at {where}, got {type(data).__name__}",
            source=source,
            field=prefix or None,
            fix="write 'key: value' pairs",
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        path = field_path(tuple(err.get("loc", ())), prefix)
        kind = err.get("type", "")
        if kind == "extra_forbidden":
            allowed = ", ".join(_allowed_keys(model, tuple(err.get("loc", ()))[:-1]))
            raise InputError(
                "unknown key",
                source=source,
                field=path,
                fix=f"remove it or check the spelling; allowed keys: {allowed}",
            ) from None
        if kind == "missing":
            raise InputError(
                "required key is missing",
                source=source,
                field=path,
                fix="add it (see docs/formats.md)",
            ) from None
        msg = err.get("msg", "invalid value")
        got = err.get("input")
        got_s = "" if isinstance(got, (dict, list)) else f" (got {got!r})"
        raise InputError(
            f"{msg}{got_s}",
            source=source,
            field=path,
            fix="see docs/formats.md for the expected form",
        ) from None


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    cur: Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(cur, type) and issubclass(cur, BaseModel)):
            continue
        field = cur.model_fields.get(str(part))
        if field is None:
            break
        ann = field.annotation
        for cand in getattr(ann, "__args__", (ann,)):
            if isinstance(cand, type) and issubclass(cand, BaseModel):
                cur = cand
                break
            for inner in getattr(cand, "__args__", ()):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    cur = inner
                    break
    if isinstance(cur, type) and issubclass(cur, BaseModel):
        return [(f.alias or k) for k, f in cur.model_fields.items()]
    return []
