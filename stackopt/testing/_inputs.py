"""Plain Python / NumPy answers -> the minimal result JSON ``stackopt.verify`` reads.

Users of :mod:`stackopt.testing` pass commitments and responses the way their own code holds
them: a mapping keyed by label or by index, a list or array in the game's order, a pure action
(label or index), a per-type list or mapping for games with follower types. This module turns
them into the label-keyed form of a result (``leader.commitment``, ``follower.response``) using
only the game's labels; it knows each built-in kind's label attributes and passes anything else
through unchanged, so kinds added later work as long as their answers are written with labels.
"""

from __future__ import annotations

import json
import numbers
import os
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np


def leader_labels(game: Any) -> tuple[str, ...] | None:
    """The labels the leader's commitment is keyed by (actions, targets, variables, arcs)."""
    for attr in ("leader_actions", "targets", "leader_variables"):
        v = getattr(game, attr, None)
        if isinstance(v, (tuple, list)) and v:
            return tuple(str(a) for a in v)
    arcs = getattr(game, "arcs", None)
    if isinstance(arcs, (tuple, list)) and arcs and hasattr(arcs[0], "key"):
        return tuple(a.key for a in arcs)
    return None


def type_names(game: Any) -> tuple[str, ...] | None:
    """Follower type names of games with several types (Bayesian, security), else ``None``."""
    types = getattr(game, "types", None)
    if not isinstance(types, (tuple, list)) or not types:
        return None
    names = tuple(str(getattr(t, "name", t)) for t in types)
    if getattr(game, "kind", None) == "security" and len(names) == 1:
        return None  # a one-type security game answers with one target
    return names


def follower_labels(game: Any, type_index: int | None = None) -> tuple[str, ...] | None:
    """The follower's action labels (of type ``type_index`` when the game has types)."""
    types = getattr(game, "types", None)
    if type_index is not None and isinstance(types, (tuple, list)):
        acts = getattr(types[type_index], "actions", None)
        if acts:
            return tuple(str(a) for a in acts)
    for attr in ("follower_actions", "targets", "follower_variables"):
        v = getattr(game, attr, None)
        if isinstance(v, (tuple, list)) and v:
            return tuple(str(a) for a in v)
    if isinstance(types, (tuple, list)) and types and getattr(types[0], "actions", None):
        return tuple(str(a) for a in types[0].actions)
    return None


def number(v: Any, where: str) -> float:
    """``v`` as a float (ints, floats, NumPy scalars, Fractions, decimal strings)."""
    if isinstance(v, bool):
        raise TypeError(f"{where}: expected a number, got {v!r}")
    if isinstance(v, (numbers.Real, np.generic)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(Fraction(v))
        except (ValueError, ZeroDivisionError):
            if v.strip() in ("inf", "-inf"):  # how results write an infinite value
                return float(v)
    raise TypeError(f"{where}: expected a number, got {v!r}")


def _is_index(k: Any) -> bool:
    return isinstance(k, (numbers.Integral, np.integer)) and not isinstance(k, bool)


def _label(labels: Sequence[str] | None, k: Any, where: str) -> str:
    """A label given as a label or as an index into ``labels``."""
    if _is_index(k):
        if labels is None or not 0 <= int(k) < len(labels):
            raise ValueError(
                f"{where}: index {k} is out of range"
                + (f" (the game has {len(labels)}: {', '.join(labels)})" if labels else "")
            )
        return labels[int(k)]
    return str(k)


def commitment_dict(game: Any, commitment: Any, *, mixed: bool) -> dict[str, float]:
    """The commitment as ``{label: number}``.

    Accepts a mapping keyed by label or index, a sequence / 1-D array in the game's order,
    a label (pure commitment) or, for mixed kinds, an index (pure commitment).
    """
    labels = leader_labels(game)
    if isinstance(commitment, Mapping):
        return {
            _label(labels, k, "commitment"): number(v, f"commitment[{k!r}]")
            for k, v in commitment.items()
        }
    if isinstance(commitment, str):
        return {commitment: 1.0}
    if mixed and _is_index(commitment):
        return {_label(labels, commitment, "commitment"): 1.0}
    arr = np.asarray(commitment, dtype=object)
    if arr.ndim == 1 and labels is not None:
        if len(arr) != len(labels):
            raise ValueError(
                f"commitment: {len(arr)} numbers for {len(labels)} leader "
                f"labels ({', '.join(labels)})"
            )
        return {
            lab: number(v, f"commitment[{i}]")
            for i, (lab, v) in enumerate(zip(labels, arr.tolist()))
        }
    if arr.ndim == 0 and labels is not None and len(labels) == 1:
        return {labels[0]: number(commitment, "commitment")}
    raise TypeError(
        f"commitment: cannot read {commitment!r}; give a mapping label -> number, "
        "a list in the game's order or a pure action label"
    )


def _one_response(game: Any, r: Any, type_index: int | None, where: str) -> Any:
    labels = follower_labels(game, type_index)
    if _is_index(r):
        return _label(labels, r, where)
    if isinstance(r, (np.str_, str)):
        return str(r)
    return r


def response_value(game: Any, response: Any) -> Any:
    """The response in the form results use: a label; ``{type: label}`` for games with types;
    ``{variable: value}`` for problems with follower variables; anything else unchanged
    (e.g. an interdiction path, a list of nodes)."""
    kind = getattr(game, "kind", None)
    types = type_names(game)
    if types is not None:
        if isinstance(response, Mapping):
            out = {}
            for k, v in response.items():
                t = _label(types, k, "response")
                out[t] = _one_response(
                    game, v, types.index(t) if t in types else None, f"response[{t!r}]"
                )
            return out
        if isinstance(response, (list, tuple, np.ndarray)):
            seq = list(np.asarray(response, dtype=object).tolist())
            if len(seq) != len(types):
                raise ValueError(
                    f"response: {len(seq)} actions for {len(types)} follower "
                    f"types ({', '.join(types)})"
                )
            return {
                t: _one_response(game, v, i, f"response[{t!r}]")
                for i, (t, v) in enumerate(zip(types, seq))
            }
        return response
    fvars: tuple[str, ...] = tuple(getattr(game, "follower_variables", None) or ())
    if fvars and (kind == "bilevel" or not getattr(game, "follower_actions", None)):
        if isinstance(response, Mapping):
            return {
                _label(fvars, k, "response"): number(v, f"response[{k!r}]")
                for k, v in response.items()
            }
        arr = np.atleast_1d(np.asarray(response, dtype=float))
        if len(arr) != len(fvars):
            raise ValueError(
                f"response: {len(arr)} numbers for {len(fvars)} follower "
                f"variables ({', '.join(fvars)})"
            )
        return {v: float(a) for v, a in zip(fvars, arr)}
    if isinstance(response, np.ndarray):
        return response.tolist()
    return _one_response(game, response, None, "response")


def mixed_strategy(labels: Sequence[str], strategy: Any, where: str) -> dict[str, float]:
    """A mixed strategy (mapping, sequence, array or pure label/index) as ``{label: p}``."""
    if isinstance(strategy, Mapping):
        return {_label(labels, k, where): number(v, f"{where}[{k!r}]") for k, v in strategy.items()}
    if isinstance(strategy, str) or _is_index(strategy):
        return {_label(labels, strategy, where): 1.0}
    seq = list(np.asarray(strategy, dtype=object).ravel().tolist())
    if len(seq) != len(labels):
        raise ValueError(
            f"{where}: {len(seq)} numbers for {len(labels)} actions ({', '.join(labels)})"
        )
    return {lab: number(v, f"{where}[{i}]") for i, (lab, v) in enumerate(zip(labels, seq))}


def value_of(v: Any, where: str) -> Any:
    """A reported value: a number, or ``{type: number}``; ``None`` stays ``None``."""
    if v is None:
        return None
    if isinstance(v, Mapping):
        return {str(k): _json_number(number(x, f"{where}[{k!r}]")) for k, x in v.items()}
    return _json_number(number(v, where))


def _json_number(x: float) -> float | str:
    """Infinite values as results write them (``"inf"``, ``"-inf"``)."""
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    return x


def result_mapping(result: Any) -> dict[str, Any]:
    """A :class:`~stackopt.Result`, a result dictionary, a JSON string or a JSON file path as a
    plain dictionary (a copy)."""
    if hasattr(result, "to_dict") and callable(result.to_dict):
        return result.to_dict()
    if isinstance(result, Mapping):
        return json.loads(json.dumps(result, default=json_default))
    if isinstance(result, (str, os.PathLike)):
        text = str(result)
        if isinstance(result, os.PathLike) or not text.lstrip().startswith("{"):
            text = Path(result).read_text(encoding="utf-8")
        data = json.loads(text)
        if not isinstance(data, dict):
            raise TypeError("a result must be a JSON object")
        return data
    raise TypeError(
        f"cannot read a result from {type(result).__name__}; pass a Result, a "
        "dictionary, a JSON string or a path"
    )


def json_default(o: Any) -> Any:
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, (np.generic,)):
        return o.item()
    if isinstance(o, Fraction):
        return float(o)
    raise TypeError(f"not JSON-serialisable: {o!r}")
