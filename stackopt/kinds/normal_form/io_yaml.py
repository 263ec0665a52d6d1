"""The ``kind: normal_form`` YAML format (a contract; see docs/formats.md).

.. code-block:: yaml

    kind: normal_form
    name: inspection            # optional
    leader:   {name: inspector, actions: [inspect, skip]}
    follower: {name: inspectee, actions: [legal, violate]}
    payoffs:
      leader:   [[-1, -6], [0, -10]]    # rows: leader actions, columns: follower actions
      follower: [[-1, -10], [0, 5]]

``payoffs`` may instead be the name of a game file beside the YAML (CSV in long or two-matrix
form, :mod:`stackopt.kinds.normal_form.io_csv`; ``.npz`` or ``.parquet``,
:mod:`stackopt.kinds.normal_form.io_binary`), or a mapping ``{leader: A.csv, follower: B.csv}``
of matrix files (``.csv``, ``.npy``, ``.npz`` or ``.parquet``).

Large matrices written inline are read by the numeric fast path of
:func:`stackopt.io.arrays.parse_yaml_arrays` and arrive here as ``float64`` arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from stackopt.errors import InputError
from stackopt.io.build import build_from
from stackopt.kinds.normal_form.game import NormalFormGame


@cache
def spec_model() -> type:
    """The pydantic model of the format (``NormalFormSpec``), built on first use: pydantic's
    import (~65 ms) is paid only when a document is not in the plain form
    :func:`_plain_spec` accepts, i.e. to word the error of a malformed file."""
    from stackopt.io.specs import GameSpec, PlayerNameSpec

    class PlayerSpec(PlayerNameSpec):
        actions: list[Any] | None = None

    class NormalFormSpec(GameSpec):
        leader: PlayerSpec = PlayerSpec()
        follower: PlayerSpec = PlayerSpec()
        payoffs: str | dict[str, Any]

    return NormalFormSpec


@dataclass(frozen=True)
class _Player:
    name: str | None = None
    actions: list[Any] | None = None


@dataclass(frozen=True)
class _Spec:
    name: str | None
    leader: _Player
    follower: _Player
    payoffs: str | dict[str, Any]


_TOP_KEYS = frozenset({"kind", "name", "description", "leader", "follower", "payoffs"})
_PLAYER_KEYS = frozenset({"name", "actions"})


def _opt_str(v: Any) -> bool:
    return v is None or type(v) is str


def _plain_player(v: Any) -> _Player | None:
    if v is None:
        return None
    if type(v) is not dict or not v.keys() <= _PLAYER_KEYS:
        return None
    name, actions = v.get("name"), v.get("actions")
    if not _opt_str(name) or not (actions is None or type(actions) is list):
        return None
    return _Player(name, None if actions is None else list(actions))


def _plain_spec(data: dict[str, Any]) -> _Spec | None:
    """The document's keys when they are exactly of the types the pydantic model
    (:func:`spec_model`) accepts without coercion — what pydantic would return for it;
    ``None`` for anything else (pydantic then validates it and names the bad field)."""
    if not data.keys() <= _TOP_KEYS or type(data.get("kind")) is not str:
        return None
    if not (_opt_str(data.get("name")) and _opt_str(data.get("description"))):
        return None
    pay = data.get("payoffs")
    if type(pay) is dict:
        if not all(type(k) is str for k in pay):
            return None
        pay = dict(pay)
    elif type(pay) is not str:
        return None
    players = []
    for who in ("leader", "follower"):
        player = _plain_player(data[who]) if who in data else _Player()
        if player is None:
            return None
        players.append(player)
    return _Spec(data.get("name"), players[0], players[1], pay)


def parse_normal_form(
    data: dict[str, Any], *, source: str, base_dir: Path | None = None
) -> NormalFormGame:
    """Build a :class:`NormalFormGame` from parsed YAML ``data``."""
    spec: Any = _plain_spec(data) if isinstance(data, dict) else None
    if spec is None:
        from stackopt.io.validation import parse_model

        spec = parse_model(spec_model(), data, source=source)
    for who, player in (("leader", spec.leader), ("follower", spec.follower)):
        if player.actions is not None and len(player.actions) == 0:
            raise InputError(
                "empty action list",
                source=source,
                field=f"{who}.actions",
                fix="list the actions, or omit the key for default labels",
            )
        if player.name is not None and not player.name.strip():
            raise InputError(
                "empty player name",
                source=source,
                field=f"{who}.name",
                fix="give the player a name, or omit the key",
            )
    base = base_dir or Path(".")
    leader_labels = spec.leader.actions
    follower_labels = spec.follower.actions
    pay = spec.payoffs
    if isinstance(pay, str) or (isinstance(pay, dict) and isinstance(pay.get("leader"), str)):
        if isinstance(pay, str):
            csv_game = _read_game_file(_beside(base, pay, source, "payoffs"))
            A, B = csv_game.A, csv_game.B
            rows, cols = csv_game.leader_actions, csv_game.follower_actions
        else:
            extra = set(pay) - {"leader", "follower"}
            if extra or not isinstance(pay.get("follower"), str):
                raise InputError(
                    "a matrix-file mapping needs exactly 'leader' and 'follower' file names",
                    source=source,
                    field="payoffs",
                    fix="write payoffs: {leader: A.csv, follower: B.csv}",
                )
            rows, cols, A = _read_matrix(_beside(base, pay["leader"], source, "payoffs.leader"))
            rows2, cols2, B = _read_matrix(
                _beside(base, pay["follower"], source, "payoffs.follower")
            )
            if (rows, cols) != (rows2, cols2):
                raise InputError(
                    "the leader and follower matrix files have different row or column labels",
                    source=source,
                    field="payoffs",
                    fix="label both files with the same actions in the same order",
                )
        leader_labels = _check_labels(leader_labels, rows, source, "leader.actions")
        follower_labels = _check_labels(follower_labels, cols, source, "follower.actions")
    else:
        unknown = sorted(set(pay) - {"leader", "follower"})
        if unknown:
            raise InputError(
                "unknown key",
                source=source,
                field=f"payoffs.{unknown[0]}",
                fix="payoffs has exactly the keys 'leader' and 'follower'",
            )
        for who in ("leader", "follower"):
            if who not in pay:
                raise InputError(
                    "required key is missing",
                    source=source,
                    field=f"payoffs.{who}",
                    fix=f"give the {who}'s payoff matrix as a list of rows",
                )
        A, B = pay["leader"], pay["follower"]
    return build_from(
        source,
        NormalFormGame,
        leader_payoffs=A,
        follower_payoffs=B,
        leader_actions=tuple(leader_labels or ()),
        follower_actions=tuple(follower_labels or ()),
        leader_name=spec.leader.name or "leader",
        follower_name=spec.follower.name or "follower",
        name=spec.name,
    )


def normal_form_to_dict(game: NormalFormGame) -> dict[str, Any]:
    """The YAML form of ``game`` as plain data (inverse of :func:`parse_normal_form`)."""
    out: dict[str, Any] = {"kind": "normal_form"}
    if game.name:
        out["name"] = game.name
    out["leader"] = {"name": game.leader_name, "actions": list(game.leader_actions)}
    out["follower"] = {"name": game.follower_name, "actions": list(game.follower_actions)}
    out["payoffs"] = {
        "leader": [[_num(v) for v in row] for row in game.A.tolist()],
        "follower": [[_num(v) for v in row] for row in game.B.tolist()],
    }
    return out


def _num(v: float) -> int | float:
    return int(v) if float(v).is_integer() and abs(v) < 2**53 else float(v)


def _beside(base: Path, name: str, source: str, field: str) -> Path:
    from stackopt.io.safe_yaml import escape_excerpt, resolve_inside

    p = Path(name)
    if p.is_absolute() or ".." in p.parts:
        raise InputError(
            f"file name {escape_excerpt(name, 80)!r} must be relative and beside the YAML",
            source=source,
            field=field,
            fix="put the CSV next to the YAML file",
        )
    # symlinks resolved: the file must really lie inside the game's folder (issue 8)
    full = resolve_inside(base, name, field=field, source=source)
    if not full.exists():
        raise InputError(
            f"payoff file {name!r} not found next to the YAML",
            source=source,
            field=field,
            fix=f"create {full} or correct the name",
        )
    return full


def _read_game_file(path: Path) -> NormalFormGame:
    """A whole game beside the YAML, by extension (CSV, ``.npz``, ``.parquet``)."""
    ext = path.suffix.lower()
    if ext in (".npz", ".parquet"):
        from stackopt.kinds.normal_form import io_binary

        reader = (
            io_binary.read_normal_form_npz if ext == ".npz" else io_binary.read_normal_form_parquet
        )
        return reader(path)
    from stackopt.kinds.normal_form.io_csv import read_normal_form_csv

    return read_normal_form_csv(path)


def _read_matrix(path: Path):
    """One matrix file beside the YAML, by extension: ``(row labels, column labels, M)``."""
    if path.suffix.lower() in (".npy", ".npz", ".parquet"):
        from stackopt.kinds.normal_form.io_binary import read_matrix_binary

        return read_matrix_binary(path)
    from stackopt.kinds.normal_form.io_csv import read_matrix_csv

    return read_matrix_csv(path)


def _check_labels(declared, found, source: str, field: str):
    if found is None:  # a .npy matrix: labels from the YAML or the defaults
        return declared
    if declared is None:
        return found
    declared_s = tuple(str(x).strip() for x in declared)
    if declared_s != tuple(found):
        raise InputError(
            f"labels {list(declared_s)} do not match the CSV's {list(found)}",
            source=source,
            field=field,
            fix="list the same actions in the same order, or omit the list",
        )
    return declared_s
