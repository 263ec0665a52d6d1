"""The ``kind: bayesian`` YAML format (a contract; see docs/bayesian.md).

.. code-block:: yaml

    kind: bayesian
    name: patrol                  # optional
    description: ...              # optional
    leader: {name: police, actions: [house1, house2]}
    follower: {name: robber}      # optional: the follower population's name
    followers:
      - name: thief
        prior: 0.6                # or 'weight:' (several independent followers)
        actions: [rob1, rob2]
        payoffs:
          leader:   [[-1, 1], [0.5, -1]]   # rows: leader actions, columns: this type's actions
          follower: [[1, -1], [-1, 1]]
      - name: vandal
        prior: 0.4
        actions: [rob1, rob2]
        payoffs: {leader: [[...]], follower: [[...]]}

Every entry of ``followers`` uses ``prior`` (a Bayesian game: priors >= 0 summing to 1) or
every entry uses ``weight`` (several independent followers: weights >= 0, leader utility is the
weighted sum); mixing the two is an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from stackopt.errors import InputError
from stackopt.io.build import build_from
from stackopt.io.specs import GameSpec, PlayerNameSpec, StrictSpec
from stackopt.io.validation import parse_model
from stackopt.kinds.bayesian.game import BayesianGame, FollowerType


class _LeaderSpec(PlayerNameSpec):
    actions: list[Any] | None = None


class _FollowerSpec(PlayerNameSpec):
    """Only the player's ``name``."""


class _PayoffSpec(StrictSpec):
    leader: list[Any]
    follower: list[Any]


class _TypeSpec(StrictSpec):
    name: str
    prior: Any | None = None
    weight: Any | None = None
    actions: list[Any] | None = None
    payoffs: _PayoffSpec


class BayesianSpec(GameSpec):
    leader: _LeaderSpec = _LeaderSpec()
    follower: _FollowerSpec = _FollowerSpec()
    followers: list[_TypeSpec]


def parse_bayesian(
    data: dict[str, Any], *, source: str = "<data>", base_dir: Path | None = None
) -> BayesianGame:
    """Build a :class:`BayesianGame` from parsed YAML ``data`` (``base_dir`` is unused)."""
    spec = parse_model(BayesianSpec, data, source=source)
    if not spec.followers:
        raise InputError(
            "the list of follower types is empty",
            source=source,
            field="followers",
            fix="list at least one follower type",
        )
    uses_prior = [t.prior is not None for t in spec.followers]
    uses_weight = [t.weight is not None for t in spec.followers]
    for k, t in enumerate(spec.followers):
        where = f"followers[{k}] ({t.name})"
        if uses_prior[k] and uses_weight[k]:
            raise InputError(
                f"type {t.name!r} has both 'prior' and 'weight'",
                source=source,
                field=where,
                fix="use 'prior' (one follower of unknown type) or "
                "'weight' (independent followers), not both",
            )
        if not uses_prior[k] and not uses_weight[k]:
            raise InputError(
                f"type {t.name!r} has neither 'prior' nor 'weight'",
                source=source,
                field=f"{where}.prior",
                fix="add 'prior: <probability>'",
            )
    if any(uses_prior) and any(uses_weight):
        k = uses_weight.index(True) if uses_prior[0] else uses_prior.index(True)
        raise InputError(
            "some types have 'prior' and others 'weight'",
            source=source,
            field=f"followers[{k}] ({spec.followers[k].name})",
            fix="use 'prior' for every type (Bayesian game) or 'weight' for every "
            "follower (independent followers)",
        )
    mode = "types" if uses_prior[0] else "followers"
    types = []
    for t in spec.followers:
        p = t.prior if mode == "types" else t.weight
        # raw YAML values: BayesianGame.__post_init__ validates and converts them
        types.append(
            FollowerType(
                name=t.name,
                prior=cast(float, p),
                leader_payoffs=cast(Any, t.payoffs.leader),
                follower_payoffs=cast(Any, t.payoffs.follower),
                actions=tuple(t.actions or ()),
            )
        )
    game = build_from(
        source,
        BayesianGame,
        leader_actions=tuple(spec.leader.actions or ()),
        types=tuple(types),
        leader_name=spec.leader.name or "leader",
        follower_name=spec.follower.name or "follower",
        name=spec.name,
        mode=mode,
    )
    _check_range(game, source)
    return game


def _check_range(game: BayesianGame, source: str) -> None:
    """Refuse weights/payoffs whose weighted leader utility overflows a float (e.g. weights
    ``1.0e+308``): every value the solvers and the JSON output compute must stay finite."""
    import numpy as np

    total = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for t in game.types:
            total += float(t.prior) * (float(np.abs(t.R).max()) if t.R.size else 0.0)
    if not np.isfinite(total) or not np.isfinite(sum(float(t.prior) for t in game.types)):
        word = "weight" if game.mode != "types" else "prior"
        raise InputError(
            f"the {word}s times the leader's payoffs overflow a floating-point number",
            source=source,
            field="followers",
            fix=f"rescale the {word}s or the payoffs",
        )


def bayesian_to_dict(game: BayesianGame) -> dict[str, Any]:
    """The YAML form of ``game`` as plain data (inverse of :func:`parse_bayesian`)."""
    word = "prior" if game.mode == "types" else "weight"
    out: dict[str, Any] = {"kind": "bayesian"}
    if game.name:
        out["name"] = game.name
    out["leader"] = {"name": game.leader_name, "actions": list(game.leader_actions)}
    out["follower"] = {"name": game.follower_name}
    out["followers"] = [
        {
            "name": t.name,
            word: t.prior,
            "actions": list(t.actions),
            "payoffs": {"leader": t.R.tolist(), "follower": t.C.tolist()},
        }
        for t in game.types
    ]
    return out
