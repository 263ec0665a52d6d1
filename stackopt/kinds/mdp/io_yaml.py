"""The ``kind: mdp`` YAML form (a contract; see docs/mdp.md) and its tidy CSV files.

.. code-block:: yaml

    kind: mdp
    name: chain
    horizon: 4                  # or `discount: 0.95` (infinite horizon)
    states: [s0, s1, s2]
    actions: [wait, test]       # the follower's actions, the same in every state
    initial: {s0: 1.0}          # states left out have probability 0
    transitions:                # transitions[state][action] = {next_state: probability}
      s0: {wait: {s0: 1.0}, test: {s0: 0.2, s1: 0.8}}
      s1: {wait: {s1: 1.0}, test: {s1: 0.3, s2: 0.7}}
      s2: {wait: {s2: 1.0}, test: {s2: 1.0}}
    rewards:                    # per step; entries left out are 0
      follower: {s0: {wait: 0.3, test: -1.0}, s1: {wait: 0.3, test: -1.0}}
      leader:   {s2: {wait: 2.0, test: 2.0}}
    leader:
      name: regulator
      parameters: {subsidy: {lower: 0, upper: 2, cost: 0.5}}
      effects: {subsidy: {s0: {test: 1.0}, s1: {test: 1.0}}}
      actions:                  # case (a), optional: the leader's actions
        strict: {rewards: {follower: {s0: {test: -0.5}}}}    # added while drawn
        lax: {transitions: {s1: {test: {s2: 1.0}}}}           # replace these rows while drawn
    follower: {name: firm}

``transitions`` and ``rewards`` may instead name CSV files beside the YAML:
``state,action,next_state,probability`` and ``state,action,leader_reward,follower_reward``,
both with an optional ``leader_action`` column (rows with a leader action replace the
transition row / add to the rewards while that action is drawn; an empty cell means every
leader action). ``leader.actions`` may then be a plain list of names.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from stackopt.errors import InputError
from stackopt.io.build import build_from
from stackopt.io.safe_yaml import csv_rows, read_text, resolve_inside
from stackopt.io.specs import GameSpec, PlayerNameSpec, StrictSpec
from stackopt.io.tables import finite_cell, refuse_ragged, refuse_repeats
from stackopt.io.validation import parse_model
from stackopt.kinds.mdp.game import MDPGame, labels

Nested = dict[Any, Any]


class ParamSpec(StrictSpec):
    lower: Any
    upper: Any
    cost: Any = 0.0


class RewardsSpec(StrictSpec):
    follower: Nested | None = None
    leader: Nested | None = None


class LeaderActionSpec(StrictSpec):
    rewards: RewardsSpec | None = None
    transitions: Nested | None = None


class LeaderSpec(PlayerNameSpec):
    parameters: dict[Any, ParamSpec] | None = None
    effects: Nested | None = None
    actions: dict[Any, LeaderActionSpec | None] | list[Any] | None = None


class MDPSpec(GameSpec):
    horizon: Any = None
    discount: Any = None
    states: list[Any]
    actions: list[Any]
    initial: Nested
    transitions: str | Nested
    rewards: str | RewardsSpec | None = None
    leader: LeaderSpec | None = None
    follower: PlayerNameSpec | None = None


def _num(v: Any, field: str, source: str, *, what: str = "value") -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise InputError(
            f"{what} {v!r} is not a number", source=source, field=field, fix="write a finite number"
        )
    try:
        x = float(v)
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        raise InputError(
            f"{what} {v!r} is not finite", source=source, field=field, fix="write a finite number"
        )
    return x


class _Index:
    def __init__(self, states, actions, leader_actions, source):
        self.s = {x: i for i, x in enumerate(states)}
        self.a = {x: i for i, x in enumerate(actions)}
        self.l = {x: i for i, x in enumerate(leader_actions)}
        self.source = source

    def at(self, source: str) -> _Index:
        """The same index, its refusals naming ``source`` (a CSV table) instead."""
        other = copy.copy(self)
        other.source = source
        return other

    def get(self, table: dict, key: Any, field: str, what: str) -> int:
        k = str(key)
        if k not in table:
            raise InputError(
                f"unknown {what} {k!r}",
                source=self.source,
                field=field,
                fix=f"use one of the declared {what}s: " + ", ".join(table),
            )
        return table[k]

    def state(self, k, field):
        return self.get(self.s, k, field, "state")

    def action(self, k, field):
        return self.get(self.a, k, field, "action")

    def leader(self, k, field):
        return self.get(self.l, k, field, "leader action")


def _mapping(v: Any, field: str, source: str, fix: str) -> dict:
    if not isinstance(v, dict):
        raise InputError(
            f"expected a mapping, got {type(v).__name__}", source=source, field=field, fix=fix
        )
    return v


def _sa_table(data: Nested, out: np.ndarray, ix: _Index, field: str, *, add: bool = False) -> None:
    """``{state: {action: number}}`` into ``out (S, A)``."""
    src = ix.source
    for s, row in _mapping(data, field, src, "write {state: {action: number}}").items():
        i = ix.state(s, f"{field}.{s}")
        for a, v in _mapping(row, f"{field}.{s}", src, "write {action: number}").items():
            j = ix.action(a, f"{field}.{s}.{a}")
            val = _num(v, f"{field}.{s}.{a}", src, what="reward")
            out[i, j] = out[i, j] + val if add else val


def _transitions(data: Nested, P: np.ndarray, ix: _Index, field: str, *, full: bool) -> None:
    """``{state: {action: {next: probability}}}`` into ``P (S, A, S)`` (rows replaced)."""
    src = ix.source
    seen = np.zeros(P.shape[:2], bool)
    for s, row in _mapping(data, field, src, "write {state: {action: {next: p}}}").items():
        i = ix.state(s, f"{field}.{s}")
        for a, dist in _mapping(
            row, f"{field}.{s}", src, "write {action: {next_state: probability}}"
        ).items():
            j = ix.action(a, f"{field}.{s}.{a}")
            f = f"{field}.{s}.{a}"
            P[i, j] = 0.0
            for n, p in _mapping(dist, f, src, "write {next_state: probability}").items():
                k = ix.state(n, f"{f}.{n}")
                P[i, j, k] += _num(p, f"{f}.{n}", src, what="probability")
            seen[i, j] = True
    if full and not seen.all():
        i, j = np.argwhere(~seen)[0]
        raise InputError(
            f"no transition for state {list(ix.s)[i]!r}, action {list(ix.a)[j]!r}",
            source=src,
            field=field,
            fix="give transitions[state][action] for every pair",
        )


#: The columns each tidy CSV file must have (plus an optional ``leader_action``).
_CSV_COLUMNS = {
    "transitions": ("state", "action", "next_state", "probability"),
    "rewards": ("state", "action", "leader_reward", "follower_reward"),
}


def _read_csv(
    base_dir: Path | None, name: str, field: str, source: str, fill: Callable[..., None], *into: Any
) -> None:
    """Read the CSV file ``name`` given for ``field`` (columns ``_CSV_COLUMNS[field]`` and
    optionally ``leader_action``, each once, in any order; every row one cell per column;
    blank lines skipped) and ``fill(path, rows, *into)`` with its rows as column -> cell
    mappings, every error naming the file."""
    required = _CSV_COLUMNS[field]
    path = resolve_inside(base_dir, name, field=field, source=source)
    src = str(path)
    lines = [(n, cells) for n, cells in csv_rows(read_text(path), src) if cells]
    cols = [c.strip() for c in lines[0][1]] if lines else []
    allowed = set(required) | {"leader_action"}
    bad = [(f"column {c!r} is missing", c) for c in required if c not in cols]
    bad += [(f"unknown column {c!r}", c) for c in cols if c not in allowed]
    if bad:
        message, column = bad[0]
        raise InputError(
            message,
            source=src,
            field=column,
            fix="columns: " + ",".join(required) + " (and optionally leader_action)",
        )
    refuse_repeats(cols, "column", source=src, field=lambda _, c: c, fix="name each column once")
    rows = []
    for n, cells in lines[1:]:
        refuse_ragged(
            cells, len(cols), source=src, line=n, fix="give every row one cell per column"
        )
        rows.append({c: v.strip() for c, v in zip(cols, cells)})
    build_from(src, fill, path, rows, *into)


def _leader_rows(row: dict[str, str], ix: _Index, where: str, L: int) -> list[int]:
    la = row.get("leader_action", "")
    return list(range(L)) if la == "" else [ix.leader(la, where)]


def _transitions_csv(path: Path, rows, P: np.ndarray, ix: _Index) -> None:
    ix = ix.at(str(path))
    L = P.shape[0]
    base_seen = np.zeros(P.shape[1:3], bool)
    cleared: set[tuple[int, int, int]] = set()
    numbered = list(enumerate(rows, start=2))  # CSV line numbers (line 1 is the header)
    base = [(n, r) for n, r in numbered if not r.get("leader_action", "")]
    specific = [(n, r) for n, r in numbered if r.get("leader_action", "")]
    for line, row in base + specific:  # base rows first: leader-specific rows replace them
        where = f"row {line}"
        i = ix.state(row["state"], f"{where}.state")
        j = ix.action(row["action"], f"{where}.action")
        k = ix.state(row["next_state"], f"{where}.next_state")
        p = finite_cell(
            row["probability"], source=str(path), field=f"{where}.probability", what="probability"
        )
        for l in _leader_rows(row, ix, f"{where}.leader_action", L):
            key = (l, i, j)
            if row.get("leader_action", "") and key not in cleared:
                P[l, i, j] = 0.0  # a leader-specific row replaces the base row
                cleared.add(key)
            P[l, i, j, k] += p
        if not row.get("leader_action", ""):
            base_seen[i, j] = True
    for l in range(L):
        for i in range(P.shape[1]):
            for j in range(P.shape[2]):
                if not base_seen[i, j] and (l, i, j) not in cleared:
                    raise InputError(
                        f"no transition for state {list(ix.s)[i]!r}, action {list(ix.a)[j]!r}",
                        source=str(path),
                        field="transitions",
                        fix="give a row for every (state, action)",
                    )


def _rewards_csv(path: Path, rows, rf: np.ndarray, rl: np.ndarray, ix: _Index) -> None:
    ix = ix.at(str(path))
    L = rf.shape[0]
    for n, row in enumerate(rows):
        where = f"row {n + 2}"
        i = ix.state(row["state"], f"{where}.state")
        j = ix.action(row["action"], f"{where}.action")
        vl = finite_cell(
            row["leader_reward"] or "0",
            source=str(path),
            field=f"{where}.leader_reward",
            what="reward",
        )
        vf = finite_cell(
            row["follower_reward"] or "0",
            source=str(path),
            field=f"{where}.follower_reward",
            what="reward",
        )
        for l in _leader_rows(row, ix, f"{where}.leader_action", L):
            rl[l, i, j] += vl
            rf[l, i, j] += vf


def parse_mdp(
    data: dict[str, Any], *, source: str = "<data>", base_dir: Path | None = None
) -> MDPGame:
    """Build an :class:`MDPGame` from parsed YAML ``data`` (see the module docstring)."""
    spec = parse_model(MDPSpec, data, source=source)
    states = labels(spec.states, "states", source)
    actions = labels(spec.actions, "actions", source)
    lspec = spec.leader or LeaderSpec()
    la_raw = lspec.actions or {}
    leader_actions = labels(list(la_raw), "leader.actions", source)
    if isinstance(la_raw, list):
        la_raw = {k: None for k in leader_actions}
    for name, field in (("horizon", "horizon"), ("discount", "discount")):
        v = getattr(spec, name)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
            raise InputError(
                f"{name} {v!r} is not a number",
                source=source,
                field=field,
                fix="write 'horizon: 4' or 'discount: 0.95'",
            )
    horizon = spec.horizon
    if isinstance(horizon, float):
        if not horizon.is_integer():
            raise InputError(
                f"horizon must be a whole number >= 1, got {horizon!r}",
                source=source,
                field="horizon",
                fix="write e.g. 'horizon: 4'",
            )
        horizon = int(horizon)
    S, A, L = len(states), len(actions), max(1, len(leader_actions))
    ix = _Index(states, actions, leader_actions, source)
    init = np.zeros(S)
    for s, p in _mapping(spec.initial, "initial", source, "write {state: probability}").items():
        init[ix.state(s, f"initial.{s}")] = _num(p, f"initial.{s}", source, what="probability")
    P = np.zeros((L, S, A, S))
    rf = np.zeros((L, S, A))
    rl = np.zeros((L, S, A))
    if isinstance(spec.transitions, str):
        _read_csv(base_dir, spec.transitions, "transitions", source, _transitions_csv, P, ix)
    else:
        base = np.zeros((S, A, S))
        _transitions(spec.transitions, base, ix, "transitions", full=True)
        P[:] = base
    if isinstance(spec.rewards, str):
        _read_csv(base_dir, spec.rewards, "rewards", source, _rewards_csv, rf, rl, ix)
    elif spec.rewards is not None:
        for who, arr in (("follower", rf), ("leader", rl)):
            table = getattr(spec.rewards, who)
            if table is not None:
                base = np.zeros((S, A))
                _sa_table(table, base, ix, f"rewards.{who}")
                arr += base
    for l, (name, aspec) in enumerate(la_raw.items()):
        if aspec is None:
            continue
        f = f"leader.actions.{name}"
        if aspec.rewards is not None:
            for who, arr in (("follower", rf), ("leader", rl)):
                table = getattr(aspec.rewards, who)
                if table is not None:
                    _sa_table(table, arr[l], ix, f"{f}.rewards.{who}", add=True)
        if aspec.transitions is not None:
            _transitions(aspec.transitions, P[l], ix, f"{f}.transitions", full=False)
    params = labels(list(lspec.parameters or {}), "leader.parameters", source)
    K = len(params)
    lo, hi, cost = np.zeros(K), np.zeros(K), np.zeros(K)
    for k, (name, p) in enumerate((lspec.parameters or {}).items()):
        f = f"leader.parameters.{name}"
        lo[k] = _num(p.lower, f"{f}.lower", source, what="bound")
        hi[k] = _num(p.upper, f"{f}.upper", source, what="bound")
        cost[k] = _num(p.cost, f"{f}.cost", source, what="cost")
    E = np.zeros((K, S, A))
    pidx = {p: k for k, p in enumerate(params)}
    for name, table in _mapping(
        lspec.effects or {},
        "leader.effects",
        source,
        "write {parameter: {state: {action: coefficient}}}",
    ).items():
        if str(name) not in pidx:
            raise InputError(
                f"unknown parameter {name!r}",
                source=source,
                field=f"leader.effects.{name}",
                fix="declare it under leader.parameters",
            )
        _sa_table(table, E[pidx[str(name)]], ix, f"leader.effects.{name}")
    return build_from(
        source,
        MDPGame,
        states=states,
        actions=actions,
        initial=init,
        transitions=P,
        follower_rewards=rf,
        leader_rewards=rl,
        horizon=horizon,
        discount=None if spec.discount is None else float(spec.discount),
        leader_actions=leader_actions,
        parameters=params,
        lower=lo,
        upper=hi,
        cost=cost,
        effects=E,
        name=spec.name,
        leader_name=lspec.name or "leader",
        follower_name=(spec.follower.name if spec.follower else None) or "follower",
        source=source,
    )
