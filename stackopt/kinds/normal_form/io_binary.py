"""Binary forms of normal-form games: NumPy ``.npz``/``.npy`` and Parquet.

*Game file* ``game.npz`` (``numpy.savez``): arrays ``leader`` and ``follower`` (``m x n``
numbers), optional ``leader_actions`` (``m`` strings) and ``follower_actions`` (``n``
strings); nothing else. Written by :func:`write_normal_form_npz`.

*Game file* ``game.parquet``: the long or two-matrix form of the CSV formats
(:mod:`stackopt.kinds.normal_form.io_csv`) as a table (needs ``pyarrow``: ``pip install
'stackopt[parquet]'``).

*Matrix files* (``payoffs: {leader: A.npz, follower: B.npz}`` beside a YAML): ``.npy`` — one
2-D array, default labels; ``.npz`` — one 2-D numeric array of any name, optional
``leader_actions``/``follower_actions``; ``.parquet`` — a first text column of leader actions,
then one numeric column per follower action.

Files are read whole through :func:`stackopt.io.safe_yaml.read_bytes` (regular files only, at
most :func:`stackopt.io.arrays.max_file_bytes`); pickled objects are refused
(``allow_pickle=False``) and each array's declared size is checked against the same cap before
it is decompressed, so a small compressed file cannot expand without bound.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from stackopt.errors import InputError
from stackopt.io.arrays import max_file_bytes
from stackopt.io.safe_yaml import read_bytes
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.kinds.normal_form.io_csv import game_from_parts

GAME_ARRAYS = ("leader", "follower", "leader_actions", "follower_actions")
Matrix = tuple[tuple[str, ...] | None, tuple[str, ...] | None, np.ndarray]


def _npz_arrays(path: Path) -> dict[str, np.ndarray]:
    src = str(path)
    cap = max_file_bytes()
    data = read_bytes(path, max_bytes=cap)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        out: dict[str, np.ndarray] = {}
        for info in zf.infolist():
            name = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
            with zf.open(info) as fh:
                version = np.lib.format.read_magic(fh)
                shape, _, dtype = (
                    np.lib.format.read_array_header_1_0(fh)
                    if version == (1, 0)
                    else np.lib.format.read_array_header_2_0(fh)
                )
            if dtype.hasobject:
                raise InputError(
                    f"array {name!r} holds Python objects",
                    source=src,
                    field=name,
                    fix="save numbers and strings only",
                )
            size = int(np.prod(shape, dtype=np.int64)) * max(dtype.itemsize, 1)
            if size > cap:
                raise InputError(
                    f"array {name!r} would take {size:,} bytes, above the {cap:,}-byte limit",
                    source=src,
                    field=name,
                    fix="raise STACKOPT_MAX_FILE_MB or use a smaller game",
                )
            with zf.open(info) as fh:
                out[name] = np.lib.format.read_array(fh, allow_pickle=False)
        return out
    except InputError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise InputError(
            f"not a readable .npz file: {str(exc).splitlines()[0][:80]}",
            source=src,
            fix="write it with numpy.savez",
        ) from None


def _npy_array(path: Path) -> np.ndarray:
    cap = max_file_bytes()
    data = read_bytes(path, max_bytes=cap)
    try:
        return np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise InputError(
            f"not a readable .npy file: {str(exc).splitlines()[0][:80]}",
            source=str(path),
            fix="write it with numpy.save",
        ) from None


def _labels(arr: np.ndarray | None, src: str, field: str) -> tuple[str, ...] | None:
    if arr is None:
        return None
    if arr.ndim != 1 or arr.dtype.kind not in "USO":
        raise InputError(
            f"labels must be a 1-D array of strings, got {arr.dtype} with shape {arr.shape}",
            source=src,
            field=field,
            fix="save e.g. numpy.array(['left', 'right'])",
        )
    return tuple(str(x.decode() if isinstance(x, bytes) else x).strip() for x in arr)


def read_normal_form_npz(
    path: str | Path, *, leader_name: str = "leader", follower_name: str = "follower"
) -> NormalFormGame:
    """Read a game from a ``.npz`` file (arrays ``leader``, ``follower`` and optional labels)."""
    p = Path(path)
    src = str(p)
    arrays = _npz_arrays(p)
    extra = sorted(set(arrays) - set(GAME_ARRAYS))
    if extra:
        raise InputError(
            f"unknown array {extra[0]!r}",
            source=src,
            field=extra[0],
            fix="a game .npz holds " + ", ".join(GAME_ARRAYS),
        )
    for who in ("leader", "follower"):
        if who not in arrays:
            raise InputError(
                "required array is missing",
                source=src,
                field=who,
                fix="save it: numpy.savez(path, leader=A, follower=B)",
            )
    leader_labels = _labels(arrays.get("leader_actions"), src, "leader_actions") or ()
    follower_labels = _labels(arrays.get("follower_actions"), src, "follower_actions") or ()
    parts = (leader_labels, follower_labels, arrays["leader"], arrays["follower"])
    return game_from_parts(parts, leader_name, follower_name, p.stem, src)


def write_normal_form_npz(game: NormalFormGame, path: str | Path) -> None:
    """Write ``game`` as a ``.npz`` game file (inverse of :func:`read_normal_form_npz`)."""
    np.savez(
        path,
        leader=game.A,
        follower=game.B,
        leader_actions=np.array(game.leader_actions, dtype=str),
        follower_actions=np.array(game.follower_actions, dtype=str),
    )


def _parquet_frame(path: Path) -> Any:
    src = str(path)
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "reading Parquet needs pyarrow",
            source=src,
            fix="pip install 'stackopt[parquet]' (or pyarrow)",
        ) from None
    cap = max_file_bytes()
    data = read_bytes(path, max_bytes=cap)
    try:
        pf = pq.ParquetFile(io.BytesIO(data))
        meta = pf.metadata
        if meta.num_rows * max(meta.num_columns, 1) * 8 > cap:
            raise InputError(
                f"table of {meta.num_rows:,} rows and {meta.num_columns:,} columns"
                " is above the size limit",
                source=src,
                fix="raise STACKOPT_MAX_FILE_MB or use a smaller game",
            )
        return pf.read().to_pandas()
    except InputError:
        raise
    except Exception as exc:  # pyarrow raises its own exception types
        raise InputError(
            f"not a readable Parquet file: {str(exc).splitlines()[0][:80]}",
            source=src,
            fix="write it with pandas.DataFrame.to_parquet",
        ) from None


def _frame_columns(frame: Any, src: str, labels: int) -> tuple[list[str], np.ndarray, list[Any]]:
    names = [str(c).strip() for c in frame.columns]
    if len(names) <= labels:
        raise InputError(
            f"{len(names)} columns: expected {labels} label column(s) and numbers",
            source=src,
            field="columns",
            fix="see docs/formats.md",
        )
    cols = [frame.iloc[:, k].astype(str).str.strip().tolist() for k in range(labels)]
    block = frame.iloc[:, labels:]
    for name, dt in zip(names[labels:], block.dtypes):
        if dt.kind not in "fiu":
            raise InputError(
                f"column {name!r} is {dt}, not numbers",
                source=src,
                field=name,
                fix="store payoffs as numbers",
            )
    return names, block.to_numpy(dtype=float, copy=True), cols


def read_normal_form_parquet(
    path: str | Path, *, leader_name: str = "leader", follower_name: str = "follower"
) -> NormalFormGame:
    """Read a game from a Parquet table in the long or two-matrix form of the CSV formats."""
    from stackopt.kinds.normal_form.io_csv import LONG_HEADER

    p = Path(path)
    src = str(p)
    frame = _parquet_frame(p)
    names, block, (first, second) = _frame_columns(frame, src, 2)
    header = [h.lower() for h in names]
    if header == LONG_HEADER:
        rl: dict[str, int] = {}
        cl: dict[str, int] = {}
        rc = np.array([rl.setdefault(a, len(rl)) for a in first], dtype=np.int64)
        cc = np.array([cl.setdefault(b, len(cl)) for b in second], dtype=np.int64)
        m, n = len(rl), len(cl)
        idx = rc * n + cc
        counts = np.bincount(idx, minlength=m * n)
        if counts.max(initial=0) > 1 or (counts == 0).any() or m * n == 0:
            k = int(np.argmax(counts != 1)) if m * n else 0
            raise InputError(
                f"profile ({list(rl)[k // n] if n else '?'}, "
                f"{list(cl)[k % n] if n else '?'}) is "
                f"{'repeated' if m * n and counts[k] > 1 else 'missing'}",
                source=src,
                fix="give every profile exactly once",
            )
        A = np.empty(m * n)
        B = np.empty(m * n)
        A[idx], B[idx] = block[:, 0], block[:, 1]
        game = (tuple(rl), tuple(cl), A.reshape(m, n), B.reshape(m, n))
    elif header[:2] == ["player", "action"]:
        who = np.array([w.lower() for w in first])
        lead, foll = who == "leader", who == "follower"
        if not (lead | foll).all():
            raise InputError(
                "column 'player' must be 'leader' or 'follower'",
                source=src,
                field="player",
                fix="write leader or follower",
            )
        acts = np.array(second, dtype=object)
        if list(acts[lead]) != list(acts[foll]):
            raise InputError(
                "leader and follower rows name different actions",
                source=src,
                field="action",
                fix="give both players a row for every leader action, in the same order",
            )
        game = (tuple(acts[lead]), tuple(names[2:]), block[lead], block[foll])
    else:
        raise InputError(
            f"unrecognised columns {names[:4]}",
            source=src,
            field="columns",
            fix="use leader_action, follower_action, leader_payoff, "
            "follower_payoff (long form) or player, action, <follower "
            "actions> (two-matrix form)",
        )
    return game_from_parts(game, leader_name, follower_name, p.stem, src)


def read_matrix_binary(path: str | Path) -> Matrix:
    """One payoff matrix from ``.npy``, ``.npz`` or ``.parquet``: ``(rows, cols, M)``, the
    labels ``None`` where the file has none."""
    p = Path(path)
    src = str(p)
    ext = p.suffix.lower()
    if ext == ".npy":
        return None, None, _npy_array(p)
    if ext == ".npz":
        arrays = _npz_arrays(p)
        rows = _labels(arrays.pop("leader_actions", None), src, "leader_actions")
        cols = _labels(arrays.pop("follower_actions", None), src, "follower_actions")
        if len(arrays) != 1:
            raise InputError(
                f"expected one payoff array, found {sorted(arrays) or 'none'}",
                source=src,
                fix="save one matrix (and optional labels) per file",
            )
        return rows, cols, next(iter(arrays.values()))
    if ext == ".parquet":
        names, block, (first,) = _frame_columns(_parquet_frame(p), src, 1)
        return tuple(first), tuple(names[1:]), block
    raise InputError(
        f"unknown matrix file type {ext!r}", source=src, fix="use .csv, .npy, .npz or .parquet"
    )
