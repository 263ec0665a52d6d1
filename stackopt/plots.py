"""Figures of batch tables and two-action games (matplotlib, the optional extra ``plot``).

Every function takes an ``Axes`` (``ax=None``: the current one of ``matplotlib.pyplot``) and
returns it. Tables are the ones ``stackopt batch`` writes (:mod:`stackopt.batch.table`): a row
says who leads (``leader_name``), who follows (``follower_name``) and both players' values, so
a player's value in an order of play is ``leader_value`` in the rows it leads and
``follower_value`` in the rows it follows.

- :func:`value_plot` — each player's value against a swept parameter, one line per player and
  order of play (solid: the player leads; dashed: it follows);
- :func:`order_map` — over two parameters, which order of play gives a player (e.g. the
  regulator) the higher value, i.e. the lower loss; :func:`value_map` — one value over two
  parameters;
- :func:`commitment_plot` — for a normal-form game whose leader has two actions, the leader's
  payoff against its commitment ``p`` = P(first action), with the follower's best-response
  regions shaded: on each region the follower's best response ``j`` is fixed and the leader
  gets ``p A[0, j] + (1 - p) A[1, j]``; the strong Stackelberg commitment maximises this
  piecewise-linear function (ties at region boundaries broken in the leader's favour), the
  picture of the multiple-LPs method (one LP per region).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from stackopt.batch.table import RESULT_COLUMNS, TAIL_COLUMNS
from stackopt.errors import InputError

_DASH = {True: "-", False: "--"}


def require_matplotlib() -> Any:
    """The ``matplotlib`` module, or an :class:`InputError` saying how to install it."""
    try:
        import matplotlib
    except ImportError:
        raise InputError(
            "plots need matplotlib, which is not installed", fix="pip install 'stackopt[plot]'"
        ) from None
    return matplotlib


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    require_matplotlib()
    import matplotlib.pyplot as plt

    return plt.gca()


def read_results(table: Any) -> Any:
    """``table`` itself if it is a DataFrame, else the batch table read from that file."""
    import pandas as pd

    if isinstance(table, pd.DataFrame):
        return table
    from stackopt.batch.table import read_table

    return read_table(table)


def _need(df: Any, *columns: str) -> None:
    for c in columns:
        if c not in df.columns:
            params = [k for k in df.columns if k not in _RESULT and not k.startswith("commitment.")]
            raise InputError(
                f"the table has no column {c!r}",
                field=c,
                fix="use one of its parameters: " + (", ".join(params) or "(none)"),
            )


_RESULT = {"scenario", *RESULT_COLUMNS, *TAIL_COLUMNS}


def player_values(table: Any) -> Any:
    """Long form of a batch table: one row per (scenario, player) with columns ``order``
    (who leads), ``player``, ``value``, ``leads`` and the table's other columns; only solved
    rows (``status`` optimal)."""
    import pandas as pd

    df = read_results(table)
    _need(df, "leader_name", "follower_name", "leader_value", "follower_value", "status")
    ok = df[df["status"] == "optimal"]
    lead = ok.assign(
        order=ok["leader_name"], player=ok["leader_name"], value=ok["leader_value"], leads=True
    )
    follow = ok.assign(
        order=ok["leader_name"], player=ok["follower_name"], value=ok["follower_value"], leads=False
    )
    return pd.concat([lead, follow], ignore_index=True)


def value_plot(table: Any, x: str, *, ax: Any = None, players: Sequence[str] | None = None) -> Any:
    """Each player's value against parameter ``x``, one line per player and order of play."""
    ax = _axes(ax)
    long = player_values(table)
    _need(long, x)
    names = list(dict.fromkeys(long["player"])) if players is None else list(players)
    colors = {p: f"C{i}" for i, p in enumerate(names)}
    for (order, player), part in long.groupby(["order", "player"], sort=False):
        if player not in colors:
            continue
        part = part.sort_values(x)
        if part[x].duplicated().any():
            raise InputError(
                f"several rows share each value of {x!r} in the order '{order} leads'",
                field=x,
                fix="plot a map with --y PARAM, or filter the table with --where PARAM=VALUE",
            )
        leads = bool(part["leads"].iloc[0])
        ax.plot(
            part[x],
            part["value"],
            _DASH[leads],
            marker="o",
            markersize=3,
            color=colors[player],
            label=f"{player} ({order} leads)",
        )
    ax.set_xlabel(x)
    ax.set_ylabel("value (as each result states it)")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return ax


def _pivot(long: Any, x: str, y: str) -> tuple[list[Any], list[Any]]:
    xs = sorted(long[x].dropna().unique())
    ys = sorted(long[y].dropna().unique())
    return xs, ys


def _edges(values: Sequence[float]) -> list[float]:
    v = [float(t) for t in values]
    if len(v) == 1:
        return [v[0] - 0.5, v[0] + 0.5]
    mids = [(a + b) / 2 for a, b in zip(v, v[1:])]
    return [v[0] - (mids[0] - v[0]), *mids, v[-1] + (v[-1] - mids[-1])]


def order_map(
    table: Any,
    x: str,
    y: str,
    *,
    player: str | None = None,
    ax: Any = None,
    rtol: float = 1e-9,
    minimize: bool = False,
) -> Any:
    """Which order of play gives ``player`` the higher value at each (x, y) point (the lower
    one with ``minimize``, for values that are losses, as bilevel leaders' objectives may be).

    ``player`` defaults to the leader of the table's first row. Cells where the orders give
    values within ``rtol`` (relative to the largest |value|) are marked ``tie``; a table with
    a single order of play gives :func:`value_map` of that player's value instead.
    """
    import numpy as np
    from matplotlib.patches import Patch

    ax = _axes(ax)
    long = player_values(table)
    _need(long, x, y)
    if player is None:
        player = str(read_results(table)["leader_name"].dropna().iloc[0])
    mine = long[long["player"] == player]
    if mine.empty:
        raise InputError(
            f"no solved row has a player called {player!r}",
            field="--player",
            fix="name one of: " + ", ".join(sorted(set(long["player"]))),
        )
    orders = list(dict.fromkeys(mine["order"]))
    if len(orders) < 2:
        return value_map(
            mine.assign(value_of=mine["value"]),
            x,
            y,
            column="value_of",
            ax=ax,
            label=f"{player}'s value ({orders[0]} leads)",
        )
    sign = -1.0 if minimize else 1.0
    best = (
        sign * mine.groupby([x, y, "order"])["value"].agg("min" if minimize else "max")
    ).unstack("order")
    scale = float(np.nanmax(np.abs(best.to_numpy()))) or 1.0
    labels = [f"{o} leads" for o in orders] + ["tie"]
    xs, ys = _pivot(mine, x, y)
    grid = np.full((len(ys), len(xs)), np.nan)
    for (xv, yv), row in best.iterrows():
        vals = row.dropna()
        if vals.empty:
            continue
        top = vals.max()
        winners = [o for o in orders if o in vals and vals[o] >= top - rtol * scale]
        code = orders.index(winners[0]) if len(winners) == 1 else len(orders)
        grid[ys.index(yv), xs.index(xv)] = code
    from matplotlib.colors import ListedColormap

    colors = [f"C{i}" for i in range(len(orders))] + ["0.8"]
    cmap = ListedColormap(colors)
    ax.pcolormesh(
        _edges(xs),
        _edges(ys),
        np.ma.masked_invalid(grid),
        cmap=cmap,
        vmin=-0.5,
        vmax=len(colors) - 0.5,
        shading="flat",
    )
    present = sorted({int(c) for c in grid[~np.isnan(grid)]})
    ax.legend(
        handles=[Patch(color=colors[c], label=labels[c]) for c in present],
        title=f"best for {player}",
        fontsize="small",
        loc="best",
    )
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    return ax


def value_map(
    table: Any,
    x: str,
    y: str,
    *,
    column: str = "leader_value",
    ax: Any = None,
    label: str | None = None,
) -> Any:
    """``column`` (default the leader's value) over two parameters, as a colour map."""
    import numpy as np

    ax = _axes(ax)
    df = read_results(table)
    _need(df, x, y, column)
    ok = df[df["status"] == "optimal"] if "status" in df.columns else df
    xs, ys = _pivot(ok, x, y)
    grid = np.full((len(ys), len(xs)), np.nan)
    for (xv, yv), v in ok.groupby([x, y])[column].max().items():
        grid[ys.index(yv), xs.index(xv)] = v
    mesh = ax.pcolormesh(
        _edges(xs), _edges(ys), np.ma.masked_invalid(grid), shading="flat", cmap="viridis"
    )
    ax.figure.colorbar(mesh, ax=ax, label=label or column)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    return ax


# -- two-action leaders -----------------------------------------------------------------------
@dataclass(frozen=True)
class Region:
    """An interval of ``p`` = P(leader's first action) on which the follower's best response
    is ``response``; the leader gets ``value(p) = p * a0 + (1 - p) * a1`` there."""

    start: Fraction
    stop: Fraction
    response: int
    a0: float
    a1: float

    def value(self, p: float) -> float:
        return p * self.a0 + (1 - p) * self.a1


def best_response_regions(A: Any, B: Any) -> list[Region]:
    """The follower's best-response regions of a 2 x n game over ``p`` in [0, 1], in exact
    rational arithmetic (breakpoints where two follower actions tie)."""
    import numpy as np

    A, B = np.asarray(A, float), np.asarray(B, float)
    if A.shape[0] != 2:
        raise InputError(
            f"the leader has {A.shape[0]} actions; the commitment plot needs 2",
            field="leader.actions",
            fix="restrict the leader to two actions (--leader-actions A,B)",
        )
    Bf = [[Fraction(float(v)) for v in row] for row in B]
    n = B.shape[1]
    cuts = {Fraction(0), Fraction(1)}
    for k in range(n):
        for m in range(k + 1, n):
            d = (Bf[0][k] - Bf[1][k]) - (Bf[0][m] - Bf[1][m])
            if d != 0:
                p = (Bf[1][m] - Bf[1][k]) / d
                if 0 < p < 1:
                    cuts.add(p)
    pts = sorted(cuts)
    regions = []
    for lo, hi in zip(pts, pts[1:]):
        mid = (lo + hi) / 2
        u = [mid * Bf[0][j] + (1 - mid) * Bf[1][j] for j in range(n)]
        top = max(u)
        brs = [j for j in range(n) if u[j] == top]
        # several actions tie on a whole interval only when they are identical for the
        # follower there: the leader-favourable one is the strong equilibrium's choice
        j = max(brs, key=lambda k: float(mid) * A[0, k] + (1 - float(mid)) * A[1, k])
        regions.append(Region(lo, hi, j, float(A[0, j]), float(A[1, j])))
    return regions


def strong_value_2xn(A: Any, B: Any) -> tuple[float, float]:
    """(best leader value, the ``p`` attaining it): the strong Stackelberg value of a
    two-action leader. The leader's payoff is linear on each region, so the maximum is at a
    region boundary, where the follower may be indifferent between several actions: there it
    takes the one best for the leader (exact best-response sets, rational arithmetic)."""
    import numpy as np

    A, B = np.asarray(A, float), np.asarray(B, float)
    regions = best_response_regions(A, B)
    Bf = [[Fraction(float(v)) for v in row] for row in B]
    best = (-math.inf, 0.0)
    for p in sorted({r.start for r in regions} | {r.stop for r in regions}):
        u = [p * Bf[0][j] + (1 - p) * Bf[1][j] for j in range(B.shape[1])]
        top = max(u)
        v = max(
            float(p) * A[0, j] + (1 - float(p)) * A[1, j] for j in range(B.shape[1]) if u[j] == top
        )
        if v > best[0]:
            best = (v, float(p))
    return best


def _point(ax: Any, x: float, y: float, label: str, **style: Any) -> None:
    """Mark the single point ``(x, y)`` (no line) with a legend entry ``label``."""
    ax.plot([x], [y], linestyle="none", label=label, **style)


def commitment_plot(
    game: Any, *, ax: Any = None, result: Any = None, leader: str = "leader"
) -> Any:
    """The leader's payoff against its commitment with best-response regions shaded.

    ``game`` is a normal-form game (``leader="follower"`` or a player name swaps the roles,
    as ``stackopt solve --leader`` does) whose leader has two actions; ``result`` (optional)
    marks a solved commitment.
    """
    from stackopt.kinds.normal_form.game import NormalFormGame

    if not isinstance(game, NormalFormGame):
        raise InputError(
            "the commitment plot needs a normal-form game",
            field="kind",
            fix="give a 'kind: normal_form' game",
        )
    if leader not in ("leader", game.leader_name):
        if leader not in ("follower", game.follower_name):
            raise InputError(
                f"unknown player {leader!r}",
                field="--leader",
                fix=f"use {game.leader_name} or {game.follower_name}",
            )
        game = game.swap_roles()
    ax = _axes(ax)
    regions = best_response_regions(game.A, game.B)
    first, second = game.leader_actions
    for k, r in enumerate(regions):
        color = f"C{r.response % 10}"
        label = game.follower_actions[r.response]
        seen = any(q.response == r.response for q in regions[:k])
        ax.axvspan(
            float(r.start),
            float(r.stop),
            color=color,
            alpha=0.15,
            label=None if seen else f"{game.follower_name}: {label}",
        )
        ax.plot(
            [float(r.start), float(r.stop)],
            [r.value(float(r.start)), r.value(float(r.stop))],
            color=color,
            linewidth=2,
        )
    value, p = strong_value_2xn(game.A, game.B)
    star = f"strong Stackelberg: p = {p:.4g}, value {value:.4g}"
    _point(ax, p, value, star, marker="*", markersize=14, color="black")
    if result is not None:
        commitment = (
            result.commitment if hasattr(result, "commitment") else result["leader"]["commitment"]
        )
        rp = float(commitment.get(first, 0.0))
        rv = result.leader_value if hasattr(result, "leader_value") else result["leader"]["value"]
        ring = {"marker": "o", "markersize": 8, "fillstyle": "none", "color": "red"}
        _point(ax, rp, rv, "solved commitment", **ring)
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"p = P({game.leader_name} plays {first}); 1 - p: {second}")
    ax.set_ylabel(f"{game.leader_name}'s payoff")
    ax.set_title(
        f"{game.name or 'game'}: {game.leader_name} commits, {game.follower_name} best-responds",
        fontsize="medium",
    )
    ax.legend(fontsize="small", loc="best")
    ax.grid(True, alpha=0.3)
    return ax


def filter_rows(df: Any, where: Mapping[str, str]) -> Any:
    """Rows whose column equals each given value (numbers compared as numbers)."""
    for col, text in where.items():
        _need(df, col)
        try:
            value: Any = float(text)
            mask = (df[col].astype(float) - value).abs() <= 1e-9 * max(1.0, abs(value))
        except (TypeError, ValueError):
            mask = df[col].astype(str) == text
        df = df[mask]
    if df.empty:
        raise InputError(
            "no row matches --where " + ", ".join(f"{k}={v}" for k, v in where.items()),
            field="--where",
            fix="use values that occur in the table",
        )
    return df
