"""The ``kind: security`` YAML format (a contract; see docs/security.md).

One attacker type:

.. code-block:: yaml

    kind: security
    name: five_targets             # optional
    description: ...               # optional
    resources: 2                   # identical defender resources, 0 <= m <= number of targets
    defender: {name: police}       # optional (default name 'defender')
    attacker: {name: adversary}    # optional (default name 'attacker')
    targets:
      - name: t1
        defender: {covered: 5, uncovered: -20}
        attacker: {covered: -10, uncovered: 30}
      - ...

Several attacker types (a Bayesian security game): the targets carry only the defender's
payoffs and ``attacker.types`` lists each type with its ``prior`` and its payoffs per target
(every target, by name); a type may also override the defender's payoffs against it for some
targets with ``defender:``.

.. code-block:: yaml

    attacker:
      name: adversary
      types:
        - name: terrorist
          prior: 0.7
          payoffs: {t1: {covered: -10, uncovered: 30}, t2: {covered: -5, uncovered: 10}}
        - name: vandal
          prior: 0.3
          payoffs: {t1: {covered: -1, uncovered: 2}, t2: {covered: -1, uncovered: 4}}
          defender: {t2: {covered: 0, uncovered: -2}}     # optional override

The project's shared words are accepted too: ``leader`` for ``defender`` and ``follower`` for
``attacker``, at every level (giving both spellings of one key is an error).

Rules: payoffs are plain numbers; covered >= uncovered for the defender and covered <=
uncovered for the attacker; priors are non-negative and sum to 1 (within 1e-9); ``resources``
is a whole number not above the number of targets.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from stackopt.errors import InputError
from stackopt.io.build import build_from
from stackopt.io.specs import GameSpec, PlayerNameSpec, StrictSpec
from stackopt.io.validation import parse_model
from stackopt.kinds.security.game import SecurityGame


class _Pair(StrictSpec):
    covered: Any
    uncovered: Any


class _Target(StrictSpec):
    name: Any
    defender: _Pair
    attacker: _Pair | None = None


class _Type(StrictSpec):
    name: Any
    prior: Any
    payoffs: dict[str, _Pair]
    defender: dict[str, _Pair] | None = None


class _Attacker(PlayerNameSpec):
    types: list[_Type] | None = None


class _Defender(PlayerNameSpec):
    """Only the player's ``name``."""


class _SecuritySpec(GameSpec):
    resources: Any
    defender: _Defender = _Defender()
    attacker: _Attacker = _Attacker()
    targets: list[_Target]


_ALIASES = {"leader": "defender", "follower": "attacker"}


def _shared_vocabulary(data: Any, source: str) -> Any:
    """Accept the project's ``leader``/``follower`` wherever the format says
    ``defender``/``attacker`` (top level, in each target, in a type's override)."""

    def rename(block: Any, where: str) -> Any:
        if not isinstance(block, dict):
            return block
        out = dict(block)
        for alias, key in _ALIASES.items():
            if alias in out:
                if key in out:
                    raise InputError(
                        f"both '{alias}' and '{key}' given",
                        source=source,
                        field=f"{where}{alias}",
                        fix=f"write only one of them ('{alias}' means '{key}')",
                    )
                out[key] = out.pop(alias)
        return out

    if not isinstance(data, dict):
        return data
    data = rename(data, "")
    if isinstance(data.get("targets"), list):
        data["targets"] = [rename(t, f"targets[{k}].") for k, t in enumerate(data["targets"])]
    att = data.get("attacker")
    if isinstance(att, dict) and isinstance(att.get("types"), list):
        att = dict(att)
        att["types"] = [rename(t, f"attacker.types[{k}].") for k, t in enumerate(att["types"])]
        data["attacker"] = att
    return data


def parse_security(
    data: dict[str, Any], *, source: str, base_dir: Path | None = None
) -> SecurityGame:
    """Build a :class:`SecurityGame` from parsed YAML ``data`` (see the module docstring)."""
    data = _shared_vocabulary(data, source)
    spec = parse_model(_SecuritySpec, data, source=source)
    if not spec.targets:
        raise InputError(
            "no targets", source=source, field="targets", fix="list at least one target"
        )
    names = [_name(t.name, source, f"targets[{k}].name") for k, t in enumerate(spec.targets)]
    dc = [
        _num(t.defender.covered, source, f"targets[{k}].defender.covered")
        for k, t in enumerate(spec.targets)
    ]
    du = [
        _num(t.defender.uncovered, source, f"targets[{k}].defender.uncovered")
        for k, t in enumerate(spec.targets)
    ]
    types = spec.attacker.types
    if not types:
        ac: list[Any] = []
        au: list[Any] = []
        for k, t in enumerate(spec.targets):
            if t.attacker is None:
                raise InputError(
                    "required key is missing",
                    source=source,
                    field=f"targets[{k}].attacker",
                    fix="give the attacker's covered/uncovered payoffs, or list attacker.types",
                )
            ac.append(_num(t.attacker.covered, source, f"targets[{k}].attacker.covered"))
            au.append(_num(t.attacker.uncovered, source, f"targets[{k}].attacker.uncovered"))
        type_names: list[str] = []
        priors: list[Any] = []
        dcs: list[Any] = dc
        dus: list[Any] = du
    else:
        for k, t in enumerate(spec.targets):
            if t.attacker is not None:
                raise InputError(
                    "attacker payoffs on a target and attacker.types together",
                    source=source,
                    field=f"targets[{k}].attacker",
                    fix="with attacker types, give attacker payoffs per type "
                    "under attacker.types[].payoffs",
                )
        ac, au, dcs, dus, type_names, priors = [], [], [], [], [], []
        for lam, ty in enumerate(types):
            where = f"attacker.types[{lam}]"
            type_names.append(_name(ty.name, source, f"{where}.name"))
            priors.append(ty.prior)
            unknown = sorted(set(ty.payoffs) - set(names))
            if unknown:
                raise InputError(
                    f"unknown target {unknown[0]!r}",
                    source=source,
                    field=f"{where}.payoffs.{unknown[0]}",
                    fix="use the target names listed under 'targets'",
                )
            missing = [n for n in names if n not in ty.payoffs]
            if missing:
                raise InputError(
                    f"no payoffs for target {missing[0]!r}",
                    source=source,
                    field=f"{where}.payoffs",
                    fix="give this type's payoffs for every target",
                )
            ac.append(
                [_num(ty.payoffs[n].covered, source, f"{where}.payoffs.{n}.covered") for n in names]
            )
            au.append(
                [
                    _num(ty.payoffs[n].uncovered, source, f"{where}.payoffs.{n}.uncovered")
                    for n in names
                ]
            )
            over = ty.defender or {}
            unknown = sorted(set(over) - set(names))
            if unknown:
                raise InputError(
                    f"unknown target {unknown[0]!r}",
                    source=source,
                    field=f"{where}.defender.{unknown[0]}",
                    fix="use the target names listed under 'targets'",
                )
            dcs.append(
                [
                    _num(over[n].covered, source, f"{where}.defender.{n}.covered")
                    if n in over
                    else dc[k]
                    for k, n in enumerate(names)
                ]
            )
            dus.append(
                [
                    _num(over[n].uncovered, source, f"{where}.defender.{n}.uncovered")
                    if n in over
                    else du[k]
                    for k, n in enumerate(names)
                ]
            )
    return build_from(
        source,
        SecurityGame,
        targets=tuple(names),
        defender_covered=np.asarray(dcs, dtype=float),
        defender_uncovered=np.asarray(dus, dtype=float),
        attacker_covered=np.asarray(ac, dtype=float),
        attacker_uncovered=np.asarray(au, dtype=float),
        resources=spec.resources,
        types=tuple(type_names),
        priors=tuple(priors),
        defender_name=spec.defender.name or "defender",
        attacker_name=spec.attacker.name or "attacker",
        name=spec.name,
    )


def _name(v: Any, source: str, field: str) -> str:
    if isinstance(v, bool) or not isinstance(v, (str, int)) or not str(v).strip():
        raise InputError(
            f"name {v!r} is not a non-empty string",
            source=source,
            field=field,
            fix="give a short text name",
        )
    return str(v).strip()


def _num(v: Any, source: str, field: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise InputError(
            f"payoff {v!r} is not a number",
            source=source,
            field=field,
            fix="write a plain number (e.g. -20 or 2.5)",
        )
    try:
        x = float(v)
    except OverflowError:  # an integer beyond the float range
        x = math.inf
    if not math.isfinite(x):
        raise InputError(
            f"payoff {v!r} is not finite",
            source=source,
            field=field,
            fix="payoffs must be finite numbers (no NaN or infinity)",
        )
    return x


def security_to_dict(game: SecurityGame) -> dict[str, Any]:
    """The YAML form of ``game`` as plain data (inverse of :func:`parse_security`)."""
    out: dict[str, Any] = {"kind": "security"}
    if game.name:
        out["name"] = game.name
    out["resources"] = game.resources
    out["defender"] = {"name": game.defender_name}
    targets = []
    for k, t in enumerate(game.targets):
        entry: dict[str, Any] = {
            "name": t,
            "defender": {
                "covered": float(game.defender_covered[0, k]),
                "uncovered": float(game.defender_uncovered[0, k]),
            },
        }
        if game.n_types == 1:
            entry["attacker"] = {
                "covered": float(game.attacker_covered[0, k]),
                "uncovered": float(game.attacker_uncovered[0, k]),
            }
        targets.append(entry)
    att: dict[str, Any] = {"name": game.attacker_name}
    if game.n_types > 1:
        att["types"] = []
        for lam, ty in enumerate(game.types):
            rec: dict[str, Any] = {
                "name": ty,
                "prior": game.priors[lam],
                "payoffs": {
                    t: {
                        "covered": float(game.attacker_covered[lam, k]),
                        "uncovered": float(game.attacker_uncovered[lam, k]),
                    }
                    for k, t in enumerate(game.targets)
                },
            }
            over = {
                t: {
                    "covered": float(game.defender_covered[lam, k]),
                    "uncovered": float(game.defender_uncovered[lam, k]),
                }
                for k, t in enumerate(game.targets)
                if (game.defender_covered[lam, k], game.defender_uncovered[lam, k])
                != (game.defender_covered[0, k], game.defender_uncovered[0, k])
            }
            if over:
                rec["defender"] = over
            att["types"].append(rec)
    out["attacker"] = att
    out["targets"] = targets
    return out
