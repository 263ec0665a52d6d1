"""Per-kind row builders for ``Result.to_frame()`` (the columns are declared in each kind's
:class:`~stackopt.kinds.registry.Frame`).

Each builder takes a :class:`~stackopt.result.Result` and returns ``{column: [value per leader
decision entry]}`` for the kind's extra columns, in the order of ``result.leader.commitment``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _attacked(response: Any) -> set[str]:
    if isinstance(response, Mapping):
        return {str(v) for v in response.values()}
    return set() if response is None else {str(response)}


def normal_form_rows(result: Any) -> dict[str, list[Any]]:
    """``response``: the follower's action (the same on every row)."""
    resp = result.follower.response
    label = None if resp is None or isinstance(resp, Mapping) else str(resp)
    return {"response": [label] * len(result.leader.commitment)}


def bayesian_rows(result: Any) -> dict[str, list[Any]]:
    """``responses``: ``type=action`` for every follower type (the same on every row)."""
    resp = result.follower.response
    text = (
        "; ".join(f"{k}={v}" for k, v in resp.items())
        if isinstance(resp, Mapping)
        else (None if resp is None else str(resp))
    )
    return {"responses": [text] * len(result.leader.commitment)}


def security_rows(result: Any) -> dict[str, list[Any]]:
    """``attacked``: whether some attacker type attacks the target."""
    hit = _attacked(result.follower.response)
    return {"attacked": [str(t) in hit for t in result.leader.commitment]}


def interdiction_rows(result: Any) -> dict[str, list[Any]]:
    """``on_path``: whether the arc is on the follower's shortest path."""
    resp = result.follower.response
    path = list(resp.get("path") or []) if isinstance(resp, Mapping) else []
    on = {f"{a}->{b}" for a, b in zip(path, path[1:])}
    return {"on_path": [str(arc) in on for arc in result.leader.commitment]}
