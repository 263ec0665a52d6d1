"""The tidy batch table: one row per scenario, in scenario order, from the store's records.

Columns, in order: ``scenario`` (the game file as given, or the table's id), the parameters (one
column each, as named in the table or grid), the options set per scenario, ``kind``, ``game``,
``leader_name`` and ``follower_name`` (who leads: the committing player), ``status``,
``method``, ``leader_value``, ``follower_value``, ``support`` (the actions the leader plays with
positive probability, or the non-zero decision variables), ``commitment.<label>`` (one column
per leader action when the whole table has at most :data:`MAX_ACTION_COLUMNS` of them),
``response`` (the follower's action; JSON for type- or variable-wise responses),
``certified``, ``seconds`` (wall-clock time of the scenario in its worker) and ``message``.
A scenario without a record (the batch stopped early) has status ``not_run``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from stackopt.commands import unwritable
from stackopt.errors import InputError

#: Per-action commitment columns are written when the table has at most this many actions.
MAX_ACTION_COLUMNS = 20
#: Result columns, after ``scenario``, the parameters and the per-scenario options.
RESULT_COLUMNS = (
    "kind",
    "game",
    "leader_name",
    "follower_name",
    "status",
    "method",
    "leader_value",
    "follower_value",
    "support",
)
TAIL_COLUMNS = ("response", "certified", "seconds", "message")
NOT_RUN = "not_run"
_SUPPORT_TOL = 1e-9


def _number(x: Any) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return math.nan
    return float(x)


def _response(resp: Any) -> str | None:
    if resp is None:
        return None
    if isinstance(resp, (Mapping, list)):
        return json.dumps(resp, sort_keys=True, separators=(",", ":"))
    return str(resp)


def record_row(rec: Mapping[str, Any] | None) -> dict[str, Any]:
    """The result columns of one stored record (``None``: not run)."""
    if rec is None:
        return {
            "status": NOT_RUN,
            "certified": False,
            "message": "not run (the batch stopped early; run it again with --resume)",
        }
    res = rec.get("result") or {}
    leader = res.get("leader") or {}
    follower = res.get("follower") or {}
    commitment = leader.get("commitment") or {}
    support = [str(k) for k, v in commitment.items() if abs(_number(v)) > _SUPPORT_TOL]
    return {
        "kind": res.get("kind"),
        "game": res.get("game"),
        "leader_name": leader.get("name"),
        "follower_name": follower.get("name"),
        "status": rec.get("status"),
        "method": res.get("method"),
        "leader_value": _number(leader.get("value")),
        "follower_value": _number(follower.get("value")),
        "support": " ".join(support) if res else None,
        "_commitment": {str(k): _number(v) for k, v in commitment.items()},
        "response": _response(follower.get("response")),
        "certified": bool(rec.get("certified")),
        "seconds": _number(rec.get("seconds")),
        "message": rec.get("message") or "",
    }


def build_table(
    scenarios: Sequence[Any],
    records: Mapping[str, Mapping[str, Any]],
    parameters: Sequence[str] = (),
    option_columns: Sequence[str] = (),
):
    """The :class:`pandas.DataFrame` of ``scenarios`` (in their order) from ``records``
    (key -> record, see :func:`stackopt.batch.store.latest`)."""
    import pandas as pd

    rows = []
    labels: dict[str, None] = {}
    for sc in scenarios:
        row: dict[str, Any] = {"scenario": sc.id}
        for p in parameters:
            row[p] = sc.params.get(p)
        for o in option_columns:
            row[o] = sc.options.get(o)
        rec = records.get(sc.key)
        res = dict(rec["row"]) if rec is not None and "row" in rec else record_row(rec)
        for label in res.get("_commitment", {}):
            labels.setdefault(label)
        row.update(res)
        rows.append(row)
    actions = list(labels) if len(labels) <= MAX_ACTION_COLUMNS else []
    for row in rows:
        commitment = row.pop("_commitment", {})
        for label in actions:
            row[f"commitment.{label}"] = commitment.get(label, math.nan)
    columns = [
        "scenario",
        *parameters,
        *option_columns,
        *RESULT_COLUMNS,
        *(f"commitment.{a}" for a in actions),
        *TAIL_COLUMNS,
    ]
    df = pd.DataFrame(rows, columns=columns)
    for col in (*parameters, *option_columns):
        values = [v for v in df[col] if v is not None]
        if any(isinstance(v, str) for v in values) and not all(isinstance(v, str) for v in values):
            df[col] = [None if v is None else str(v) for v in df[col]]
    df["certified"] = df["certified"].astype(bool)
    return df


def check_output(out: str | os.PathLike) -> str:
    """The format of output file ``out`` (``csv`` or ``parquet``), checked before any solve."""
    ext = Path(out).suffix.lower()
    if ext not in (".csv", ".parquet"):
        raise InputError(
            f"unknown output type {ext or '(none)'!r}",
            source=str(out),
            field="--out",
            fix="name a .csv or .parquet file",
        )
    parent = Path(out).parent
    if not parent.is_dir():
        raise InputError(
            "the output's directory does not exist",
            source=str(out),
            field="--out",
            fix="create the directory first",
        )
    if ext == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError(
                "writing .parquet needs pyarrow, which is not installed",
                source=str(out),
                field="--out",
                fix="pip install 'stackopt[parquet]', or write .csv",
            ) from None
    return ext[1:]


def write_table(df: Any, out: str | os.PathLike) -> None:
    """Write ``df`` as CSV or Parquet (chosen by the extension), atomically."""
    fmt = check_output(out)
    tmp = Path(f"{out}.tmp{os.getpid()}")
    try:
        if fmt == "csv":
            df.to_csv(tmp, index=False)
        else:
            df.to_parquet(tmp, index=False)
        os.replace(tmp, out)
    except OSError as exc:
        raise unwritable(exc, "the table", out, "name a file in a writable directory") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def read_table(path: str | os.PathLike):
    """Read a batch table written by :func:`write_table` (CSV or Parquet)."""
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", source=str(p), fix="check the path")
    if p.suffix.lower() == ".parquet":
        check_output(p)
        return pd.read_parquet(p)
    if p.suffix.lower() != ".csv":
        raise InputError(
            f"unknown table type {p.suffix!r}",
            source=str(p),
            fix="give the .csv or .parquet table 'stackopt batch' wrote",
        )
    try:
        return pd.read_csv(p, keep_default_na=True)
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(
            f"cannot read the table: {str(exc).splitlines()[0]}",
            source=str(p),
            fix="give the table 'stackopt batch' wrote",
        ) from None
