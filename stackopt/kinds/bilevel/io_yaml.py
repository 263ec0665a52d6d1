"""The ``kind: bilevel`` YAML form (a contract; see docs/bilevel.md).

.. code-block:: yaml

    kind: bilevel
    name: bard_5_1_1                      # optional
    leader:
      name: leader                        # optional
      variables: {x: {lower: 0, upper: 10, type: integer}}
      objective: {minimize: "x - 4*y"}    # or {maximize: ...}
      constraints: []                     # list of strings, or {label: string}
    follower:
      variables: {y: {lower: 0}}
      objective: {minimize: "y"}
      constraints: ["-x - y <= -3", "-2*x + y <= 0", "2*x + y <= 12", "3*x - 2*y <= 4"]

A variable spec may be empty (free, continuous) and may carry ``index: N`` or
``index: [a, b]`` to declare ``x[1]..x[N]`` / ``x[a], x[b]`` with the same bounds and type.
Expressions use the safe grammar of :mod:`stackopt.kinds.bilevel.expressions`. Constraints must
be linear; the leader's objective is linear plus products of a leader and a follower variable
(``T*y``: a toll, subsidy or fine rate times a follower quantity; see
:mod:`stackopt.kinds.bilevel.bilinear`); the follower's objective may add convex quadratic terms
in the follower's own variables (e.g. ``"y^2 - 2*y"``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field

from stackopt.errors import InputError, UnsupportedError
from stackopt.io.build import build_from
from stackopt.io.specs import GameSpec, PlayerNameSpec, StrictSpec
from stackopt.io.tables import refuse_repeats
from stackopt.io.validation import parse_model
from stackopt.kinds.bilevel.expressions import Poly, parse_constraint, parse_expression
from stackopt.kinds.bilevel.game import BilevelProblem


class VarSpec(StrictSpec):
    lower: float | None = None
    upper: float | None = None
    type: Literal["continuous", "integer", "binary"] = "continuous"
    index: int | list[int | str] | None = None


class ObjectiveSpec(StrictSpec):
    minimize: str | float | None = None
    maximize: str | float | None = None


class PlayerSpec(PlayerNameSpec):
    variables: dict[str, VarSpec | None]
    objective: ObjectiveSpec
    constraints: list[str | float] | dict[str, str | float] | None = None


class BilevelSpec(GameSpec):
    leader: PlayerSpec
    follower: PlayerSpec
    tie_break: Literal["leader"] = Field(default="leader")


#: Most variables per player (the solvers build dense matrices: 5,000^2 floats = 200 MB).
MAX_VARIABLES = 5_000


def _expand(name: str, spec: VarSpec, field: str, source: str) -> list[str]:
    if spec.index is None:
        return [name]
    idx = spec.index
    if isinstance(idx, int):
        if idx < 1 or idx > MAX_VARIABLES:
            raise InputError(
                f"index count {idx} out of range",
                source=source,
                field=f"{field}.index",
                fix=f"use 1..{MAX_VARIABLES}",
            )
        return [f"{name}[{i}]" for i in range(1, idx + 1)]
    return [f"{name}[{i}]" for i in idx]


def _variables(player: PlayerSpec, who: str, source: str):
    names: list[str] = []
    lo: list[float] = []
    hi: list[float] = []
    types: list[str] = []
    for raw, spec in player.variables.items():
        spec = spec or VarSpec()
        field = f"{who}.variables.{raw}"
        for bound in (spec.lower, spec.upper):
            if bound is not None and math.isnan(bound):
                raise InputError("bound is NaN", source=source, field=field, fix="use a number")
        for n in _expand(raw, spec, field, source):
            if len(names) >= MAX_VARIABLES:
                raise InputError(
                    f"more than {MAX_VARIABLES} variables",
                    source=source,
                    field=f"{who}.variables",
                    fix="stackopt's bilevel solvers use dense matrices; split or "
                    "aggregate the problem",
                )
            names.append(n)
            lo.append(-np.inf if spec.lower is None else spec.lower)
            hi.append(np.inf if spec.upper is None else spec.upper)
            types.append(spec.type)
    refuse_repeats(
        names,
        "variable",
        source=source,
        field=f"{who}.variables",
        fix="use unique names",
        twice="declared twice",
    )
    return names, np.array(lo, float), np.array(hi, float), types


def _objective(spec: ObjectiveSpec, who: str, source: str) -> tuple[Poly, str]:
    if (spec.minimize is None) == (spec.maximize is None):
        raise InputError(
            "give exactly one of 'minimize' or 'maximize'",
            source=source,
            field=f"{who}.objective",
            fix='write {minimize: "x - 4*y"}',
        )
    sense = "minimize" if spec.minimize is not None else "maximize"
    text = spec.minimize if spec.minimize is not None else spec.maximize
    assert text is not None  # exactly one of the two is set (checked above)
    return parse_expression(text, field=f"{who}.objective.{sense}", source=source), sense


def _unknown(poly: Poly, known: dict[str, Any], text: str, field: str, source: str) -> None:
    for n in sorted(poly.names()):
        if n not in known:
            col = text.find(n.split("[")[0]) + 1 if isinstance(text, str) else 0
            raise InputError(
                f"unknown variable {n!r} at column {max(col, 1)} of expression {text!r}",
                source=source,
                field=field,
                fix="declare it under leader.variables or follower.variables",
            )


def parse_bilevel(
    data: dict[str, Any], *, source: str = "<data>", base_dir: Path | None = None
) -> BilevelProblem:
    """Build a :class:`BilevelProblem` from parsed YAML ``data`` (see module doc)."""
    spec = parse_model(BilevelSpec, data, source=source)
    xn, xl, xu, xt = _variables(spec.leader, "leader", source)
    yn, yl, yu, yt = _variables(spec.follower, "follower", source)
    for n, t in zip(yn, yt):
        if t != "continuous":
            raise UnsupportedError(
                f"follower variable {n!r} is {t}",
                source=source,
                field=f"follower.variables.{n.split('[')[0]}.type",
                fix="follower variables must be continuous (KKT and "
                "duality need a convex follower problem)",
            )
    if not yn:
        raise InputError(
            "the follower has no variables",
            source=source,
            field="follower.variables",
            fix="declare at least one",
        )
    refuse_repeats(
        xn + yn,
        "variable",
        source=source,
        field=lambda _, n: f"follower.variables.{n}",
        fix="give each variable one owner",
        twice="is declared by both players",
    )
    pos = {n: ("x", i) for i, n in enumerate(xn)}
    pos.update({n: ("y", j) for j, n in enumerate(yn)})
    nx, ny = len(xn), len(yn)

    def linear(poly: Poly, text: str, field: str) -> tuple[np.ndarray, np.ndarray]:
        _unknown(poly, pos, text, field, source)
        if poly.degree > 1:
            raise UnsupportedError(
                f"expression {text!r} is not linear",
                source=source,
                field=field,
                fix="leader objectives and all constraints must be linear (HiGHS has no MIQP)",
            )
        cx, cy = np.zeros(nx), np.zeros(ny)
        for n, c in poly.linear().items():
            side, i = pos[n]
            (cx if side == "x" else cy)[i] += c
        return cx, cy

    lobj, lsense = _objective(spec.leader.objective, "leader", source)
    ltext = (
        spec.leader.objective.minimize if lsense == "minimize" else spec.leader.objective.maximize
    )
    lfield = f"leader.objective.{lsense}"
    _unknown(lobj, pos, str(ltext), lfield, source)
    H = np.zeros((ny, nx))
    lquad = lobj.quadratic()
    for (a, b), c in lquad.items():  # rate x quantity: a leader times a follower variable
        sa, sb = pos[a][0], pos[b][0]
        if sa == sb:
            raise UnsupportedError(
                f"term {a}*{b} in {str(ltext)!r} is not a product of a "
                "leader and a follower variable",
                source=source,
                field=lfield,
                fix="the leader's objective may be linear "
                "plus leader-rate x follower-quantity terms only",
            )
        yi = pos[a][1] if sa == "y" else pos[b][1]
        xj = pos[a][1] if sa == "x" else pos[b][1]
        H[yi, xj] += c
    c_x, c_y = linear(
        Poly({m: c for m, c in lobj.terms.items() if len(m) <= 1}), str(ltext), lfield
    )
    fobj, fsense = _objective(spec.follower.objective, "follower", source)
    ftext = str(
        spec.follower.objective.minimize
        if fsense == "minimize"
        else spec.follower.objective.maximize
    )
    ffield = f"follower.objective.{fsense}"
    _unknown(fobj, pos, ftext, ffield, source)
    d_x, d_y = np.zeros(nx), np.zeros(ny)
    Q = np.zeros((ny, ny))
    D = np.zeros((ny, nx))
    for n, c in fobj.linear().items():
        side, i = pos[n]
        (d_x if side == "x" else d_y)[i] += c
    for (a, b), c in fobj.quadratic().items():
        sa, sb = pos[a][0], pos[b][0]
        if sa == "x" and sb == "x":
            raise UnsupportedError(
                f"term {a}*{b} in {ftext!r} is quadratic in leader variables only",
                source=source,
                field=ffield,
                fix="drop it: it does not change the follower's choice",
            )
        if sa != sb:
            yi = pos[a][1] if sa == "y" else pos[b][1]
            xj = pos[a][1] if sa == "x" else pos[b][1]
            D[yi, xj] += c
            continue
        i, j = pos[a][1], pos[b][1]
        if i == j:
            Q[i, i] += 2 * c
        else:
            Q[i, j] += c
            Q[j, i] += c

    def rows(player: PlayerSpec, who: str):
        raw = player.constraints or []
        items = (
            list(raw.items())
            if isinstance(raw, dict)
            else [(f"{who[0]}{k}", t) for k, t in enumerate(raw)]
        )
        Mx, My, lo, hi, labels = [], [], [], [], []
        for k, (label, text) in enumerate(items):
            field = f"{who}.constraints[{label if isinstance(raw, dict) else k}]"
            con = parse_constraint(text, field=field, source=source)
            ax, ay = linear(con.body, str(text), field)
            rhs = -con.body.constant
            if not ax.any() and not ay.any():
                ok = {"<=": rhs + 1e-12 >= 0, ">=": rhs - 1e-12 <= 0, "==": abs(rhs) <= 1e-12}[
                    con.sense
                ]
                if not ok:
                    raise InputError(
                        f"constraint {text!r} has no variables and never holds",
                        source=source,
                        field=field,
                        fix="remove or correct it",
                    )
                continue
            Mx.append(ax)
            My.append(ay)
            labels.append(str(label))
            lo.append(rhs if con.sense in (">=", "==") else -np.inf)
            hi.append(rhs if con.sense in ("<=", "==") else np.inf)
        return (
            np.array(Mx).reshape(len(Mx), nx),
            np.array(My).reshape(len(My), ny),
            np.array(lo, float),
            np.array(hi, float),
            tuple(labels),
        )

    gx, gy, glo, ghi, glab = rows(spec.leader, "leader")
    ax, ay, alo, ahi, alab = rows(spec.follower, "follower")
    return build_from(
        source,
        BilevelProblem,
        leader_variables=tuple(xn),
        follower_variables=tuple(yn),
        leader_types=tuple(xt),
        leader_lower=xl,
        leader_upper=xu,
        follower_lower=yl,
        follower_upper=yu,
        leader_cost_x=c_x,
        leader_cost_y=c_y,
        leader_constant=lobj.constant,
        leader_sense=lsense,
        leader_rows_x=gx,
        leader_rows_y=gy,
        leader_rows_lower=glo,
        leader_rows_upper=ghi,
        leader_row_names=glab,
        follower_cost_x=d_x,
        follower_cost_y=d_y,
        follower_quadratic=Q if Q.any() else None,
        follower_cross=D if D.any() else None,
        follower_constant=fobj.constant,
        leader_cross=H if H.any() else None,
        follower_sense=fsense,
        follower_rows_x=ax,
        follower_rows_y=ay,
        follower_rows_lower=alo,
        follower_rows_upper=ahi,
        follower_row_names=alab,
        leader_name=spec.leader.name or "leader",
        follower_name=spec.follower.name or "follower",
        name=spec.name,
    )
