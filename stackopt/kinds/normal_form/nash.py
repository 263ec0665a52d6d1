r"""Nash equilibria of the simultaneous (bimatrix) game, for comparison with commitment.

Two independent methods:

* :func:`nash_equilibria` — the best or the worst Nash equilibrium for one player, by the MILP
  of Sandholm, Gilpin & Conitzer (2005) (:mod:`stackopt.formulations.nash_milp`) in Pyomo,
  solved by HiGHS with ``mip_rel_gap = 0`` and ``threads = 1``. Returns a certified
  :class:`~stackopt.result.Result` (``method = "nash_milp"``) whose ``leader.commitment`` and
  ``follower.response`` are the two mixed strategies (label -> probability).
* :func:`all_nash_equilibria` — exact enumeration (rational arithmetic) of the *extreme*
  Nash equilibria of a small game.

What "all" means
----------------
In a nondegenerate game the equilibria are finitely many and all are returned. In a degenerate
game the equilibrium set can be infinite: it is a finite union of *maximal Nash subsets*, each a
product :math:`X' \times Y'` of polytopes, and each is the convex hull of the *extreme
equilibria* it contains (Jansen 1981; Avis, Rosenberg, Savani & von Stengel, *Enumeration of
Nash equilibria for two-player games*, Economic Theory 2010). :func:`all_nash_equilibria`
returns exactly the extreme equilibria. Player 1's payoff on :math:`X' \times Y'` is
:math:`(Ay)_i` for any row :math:`i` in the support of :math:`X'` (all such rows are best
responses), linear in :math:`y` and constant in :math:`x`; so the best and worst equilibrium
payoffs of either player are attained at extreme equilibria, and the MILP optima equal the
maximum / minimum over the enumerated list.

Enumeration method
------------------
Shift the payoffs to :math:`A' = A - \min A + 1 \ge 1`, :math:`B' = B - \min B + 1` and
consider the best-response polytopes :math:`P = \{x \ge 0 : x^\top B' \le 1\}`,
:math:`Q = \{y \ge 0 : A' y \le 1\}`. A nonzero vertex :math:`x` of :math:`P` with support
:math:`I` is the unique solution of :math:`B'[I, J']^\top x_I = 1` for some column set
:math:`J'`, :math:`|J'| = |I|`, with :math:`B'[I, J']` nonsingular (the tight constraints have
rank :math:`m`, the :math:`m - |I|` zero bounds account for the rest). So vertices are found by
enumerating supports :math:`I` and square nonsingular systems, keeping :math:`x_I > 0` with all
other constraints satisfied, and recording the full set of tight columns (in degenerate games,
more than :math:`|I|`). Likewise for :math:`Q`. A pair of vertices is an extreme equilibrium iff
it is completely labelled: :math:`\mathrm{supp}(x) \subseteq \text{tight rows of } y` and
:math:`\mathrm{supp}(y) \subseteq \text{tight columns of } x`. Supports of *unequal* sizes are
paired (they occur in degenerate games). Normalising gives the strategies; the payoffs are
:math:`1/\sum y + \min A - 1` and :math:`1/\sum x + \min B - 1`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from math import comb
from typing import Any, Mapping, Sequence

import numpy as np

from stackopt.certificate import Certificate
from stackopt.kinds.normal_form.checks_nash import certify_nash
from stackopt.kinds.normal_form.checks import DEFAULT_RTOL, tolerances
from stackopt.errors import InputError, SolverError, UnsupportedError
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.result import FollowerOutcome, LeaderOutcome, Result
from stackopt.status import Status

#: Largest number of square systems :func:`all_nash_equilibria` will solve before refusing.
MAX_SYSTEMS = 500_000


# -- best / worst equilibrium by MILP ------------------------------------------------------------
def _player_is_follower(game: NormalFormGame, player: str) -> bool:
    if player in ("leader", game.leader_name):
        return False
    if player in ("follower", game.follower_name):
        return True
    raise InputError(f"unknown player {player!r}", field="player",
                     fix=f"use 'leader', 'follower', {game.leader_name!r} or "
                         f"{game.follower_name!r}")


def nash_equilibria(game: NormalFormGame, *, objective: str = "best", player: str = "leader",
                    rtol: float = DEFAULT_RTOL, time_limit: float | None = None) -> Result:
    """The best or worst Nash equilibrium of the simultaneous game for one player.

    Parameters
    ----------
    game
        The bimatrix game (its leader is player 1, the row player).
    objective
        ``"best"`` maximises, ``"worst"`` minimises ``player``'s equilibrium payoff.
    player
        Whose payoff the objective refers to: ``"leader"`` (default), ``"follower"`` or a
        player name.
    rtol
        Relative tolerance of the certificate (absolute: ``rtol`` times each player's largest
        absolute payoff).
    time_limit
        Seconds for HiGHS (``None``: none). Hitting it raises :class:`SolverError`.

    Returns
    -------
    Result
        Always in the game's own orientation: ``leader`` is the row player with its mixed
        strategy as ``commitment``, ``follower`` the column player with its mixed strategy as
        ``response``; values are the equilibrium payoffs. ``method = "nash_milp"``; the
        certificate is :func:`stackopt.kinds.normal_form.checks_nash.certify_nash` including the MILP bound.
    """
    if not isinstance(game, NormalFormGame):
        raise InputError(f"expected a NormalFormGame, got {type(game).__name__}")
    if objective not in ("best", "worst"):
        raise InputError(f"unknown objective {objective!r}", field="objective",
                         fix="use 'best' or 'worst'")
    tolerances(game, rtol)  # validates rtol
    swap = _player_is_follower(game, player)
    g = game.swap_roles() if swap else game
    t0 = time.perf_counter()
    x, y, bound, stats = _solve_milp(g, objective, time_limit)
    if swap:
        x, y = y, x
    x_map = {a: float(p) for a, p in zip(game.leader_actions, x)}
    y_map = {b: float(p) for b, p in zip(game.follower_actions, y)}
    v1, v2 = float(x @ game.A @ y), float(x @ game.B @ y)
    evidence = {"objective": objective, "player": game.follower_name if swap
                else game.leader_name, "objective_bound": bound}
    if swap:  # the certificate's bound check is on player 1's value; record p2's separately
        cert = certify_nash(game, x_map, y_map, v1, v2, None, rtol=rtol)
        cert = _with_player2_bound(cert, game, v2, bound, objective, rtol, evidence)
    else:
        cert = certify_nash(game, x_map, y_map, v1, v2, evidence, rtol=rtol)
    stats["total_seconds"] = time.perf_counter() - t0
    return Result(kind=NormalFormGame.kind, status=Status.OPTIMAL, method="nash_milp",
                  leader=LeaderOutcome(game.leader_name, x_map, v1),
                  follower=FollowerOutcome(game.follower_name, y_map, v2),
                  certificate=cert, stats=stats,
                  options={"objective": objective, "player": player, "rtol": rtol,
                           "time_limit": time_limit, "solution_concept": "nash"},
                  game=game.name,
                  message="" if cert.passed else "certificate failed: " + cert.summary())


def _with_player2_bound(cert: Certificate, game: NormalFormGame, v2: float, bound: float,
                        objective: str, rtol: float, evidence: dict) -> Certificate:
    from stackopt.certificate import Check

    _, atol2 = tolerances(game, rtol)
    gap = abs(float(bound) - v2)
    check = Check("objective_bound", gap <= atol2, gap, atol2,
                  f"HiGHS proved no equilibrium gives {game.follower_name} "
                  f"{'more' if objective == 'best' else 'less'} (bound {bound}; "
                  f"solver-reported, not re-checkable from the game)" if gap <= atol2 else
                  f"the MILP bound {bound} is {gap:.3g} away from the value")
    return Certificate(checks=cert.checks + (check,), rtol=cert.rtol, atol=cert.atol,
                       scale=cert.scale, evidence=evidence)


def _solve_milp(g: NormalFormGame, objective: str, time_limit: float | None
                ) -> tuple[np.ndarray, np.ndarray, float, dict[str, Any]]:
    import pyomo.environ as pyo
    from pyomo.contrib.solver.common.results import TerminationCondition

    from stackopt.engines.highs import _swallow_banner, solve_milp_exactly
    from stackopt.formulations.nash_milp import build_nash_milp

    _swallow_banner()
    t = time.perf_counter()
    model = build_nash_milp(g, objective)
    build = time.perf_counter() - t
    res, solve = solve_milp_exactly(model, time_limit=time_limit)
    if res.termination_condition != TerminationCondition.convergenceCriteriaSatisfied:
        raise SolverError(f"HiGHS stopped with '{res.termination_condition.name}' on the "
                          f"Nash MILP (a finite game always has an equilibrium)")
    res.solution_loader.load_vars()
    x = np.array([pyo.value(model.x[a]) for a in g.leader_actions], dtype=float)
    y = np.array([pyo.value(model.y[b]) for b in g.follower_actions], dtype=float)
    x = np.clip(x, 0.0, None)
    y = np.clip(y, 0.0, None)
    x, y = x / x.sum(), y / y.sum()
    bound = res.objective_bound
    bound = float(bound if bound is not None else res.incumbent_objective)
    stats = {"pyomo_build_seconds": build, "highs_seconds": solve,
             "binaries": g.shape[0] + g.shape[1]}
    return x, y, bound, stats


def verify_nash(game: NormalFormGame, result: Result | Mapping[str, Any], *,
                rtol: float | None = None) -> Certificate:
    """Re-check a Nash result (its two strategies and values) against ``game``, no solving.

    The ``objective_bound`` check is re-applied from the recorded evidence when present.
    """
    if isinstance(result, Mapping):
        result = Result.from_dict(result)
    if rtol is None:
        rtol = float((result.options or {}).get("rtol") or DEFAULT_RTOL)
    fv = result.follower.value
    ev = dict(result.certificate.evidence) if result.certificate else {}
    if ev.get("player") == game.follower_name and "objective_bound" in ev:
        cert = certify_nash(game, result.leader.commitment, result.follower.response,
                            result.leader.value, None if fv is None else float(fv), None,
                            rtol=rtol)
        return _with_player2_bound(cert, game, float(fv), ev["objective_bound"],
                                   ev.get("objective", "best"), rtol, ev)
    return certify_nash(game, result.leader.commitment, result.follower.response,
                        result.leader.value, None if fv is None else float(fv), ev, rtol=rtol)


# -- exact enumeration of extreme equilibria -----------------------------------------------------
@dataclass(frozen=True)
class NashEquilibrium:
    """One extreme Nash equilibrium in exact rational arithmetic.

    ``leader_strategy``/``follower_strategy`` are probability vectors over the game's action
    lists (row player = the file's leader); ``*_value`` are the exact equilibrium payoffs of the
    game as stored (floats are converted to their exact binary value).
    """

    leader_strategy: tuple[Fraction, ...]
    follower_strategy: tuple[Fraction, ...]
    leader_value: Fraction
    follower_value: Fraction
    leader_support: tuple[str, ...]
    follower_support: tuple[str, ...]

    def as_floats(self) -> tuple[np.ndarray, np.ndarray]:
        return (np.array([float(v) for v in self.leader_strategy]),
                np.array([float(v) for v in self.follower_strategy]))

    def to_dict(self) -> dict[str, Any]:
        return {"leader_strategy": [str(v) for v in self.leader_strategy],
                "follower_strategy": [str(v) for v in self.follower_strategy],
                "leader_value": str(self.leader_value),
                "follower_value": str(self.follower_value),
                "leader_support": list(self.leader_support),
                "follower_support": list(self.follower_support)}


def all_nash_equilibria(game: NormalFormGame, *, max_support: int | None = None
                        ) -> tuple[NashEquilibrium, ...]:
    """Every extreme Nash equilibrium of a small bimatrix game, exactly (see module docstring).

    Parameters
    ----------
    game
        The game.
    max_support
        Only consider strategies with at most this many actions in their support (``None``:
        no limit, the complete list). With a limit the list is complete only for equilibria
        whose supports are that small.

    Returns
    -------
    tuple of NashEquilibrium
        Sorted by (player-1 value descending, player-2 value descending, strategies).

    Raises
    ------
    UnsupportedError
        When more than :data:`MAX_SYSTEMS` square systems would be solved (lower
        ``max_support`` or use :func:`nash_equilibria`).
    """
    if not isinstance(game, NormalFormGame):
        raise InputError(f"expected a NormalFormGame, got {type(game).__name__}")
    m, n = game.shape
    kmax = min(m, n)
    if max_support is not None:
        if isinstance(max_support, bool) or not isinstance(max_support, int) or max_support < 1:
            raise InputError(f"max_support must be a positive integer, got {max_support!r}",
                             field="max_support", fix="use e.g. 3")
        kmax = min(kmax, max_support)
    systems = sum(comb(m, k) * comb(n, k) for k in range(1, kmax + 1))
    if systems > MAX_SYSTEMS:
        raise UnsupportedError(f"enumerating a {m}x{n} game needs {systems} linear systems",
                               field="max_support",
                               fix="pass a smaller max_support, or compute the best/worst "
                                   "equilibrium with nash_equilibria()")
    A = _fractions(game.A)
    B = _fractions(game.B)
    a0 = min(min(r) for r in A) - 1
    b0 = min(min(r) for r in B) - 1
    As = [[v - a0 for v in row] for row in A]                     # A' >= 1
    BsT = [[B[i][j] - b0 for i in range(m)] for j in range(n)]   # (B')^T, >= 1
    px = _vertices(BsT, kmax)      # vertices of P: x with x^T B' <= 1
    qy = _vertices(As, kmax)       # vertices of Q: y with A' y <= 1
    out = []
    for x, sx, tx in px:
        for y, sy, ty in qy:
            if sx <= ty and sy <= tx:
                sum_x, sum_y = sum(x), sum(y)
                xs = tuple(v / sum_x for v in x)
                ys = tuple(v / sum_y for v in y)
                out.append(NashEquilibrium(
                    xs, ys, 1 / sum_y + a0, 1 / sum_x + b0,
                    tuple(game.leader_actions[i] for i in sorted(sx)),
                    tuple(game.follower_actions[j] for j in sorted(sy))))
    out.sort(key=lambda e: (-e.leader_value, -e.follower_value, e.leader_strategy,
                            e.follower_strategy))
    return tuple(out)


def _fractions(M: np.ndarray) -> list[list[Fraction]]:
    return [[Fraction(float(v)) for v in row] for row in M.tolist()]


def _vertices(C: list[list[Fraction]], kmax: int
              ) -> list[tuple[tuple[Fraction, ...], frozenset[int], frozenset[int]]]:
    r"""Nonzero vertices of :math:`\{z \ge 0 : C z \le 1\}` (``C`` is r x c, entries >= 1).

    Returns ``(z, support, tight rows)`` for each vertex with support size at most ``kmax``.
    """
    r, c = len(C), len(C[0])
    seen: dict[tuple[Fraction, ...], tuple] = {}
    for k in range(1, kmax + 1):
        for support in combinations(range(c), k):
            for rows in combinations(range(r), k):
                sol = _solve([[C[i][j] for j in support] for i in rows], k)
                if sol is None or any(v <= 0 for v in sol):
                    continue
                z = [Fraction(0)] * c
                for j, v in zip(support, sol):
                    z[j] = v
                key = tuple(z)
                if key in seen:
                    continue
                loads = [sum(C[i][j] * z[j] for j in support) for i in range(r)]
                if any(v > 1 for v in loads):
                    continue
                tight = frozenset(i for i in range(r) if loads[i] == 1)
                seen[key] = (key, frozenset(support), tight)
    return list(seen.values())


def _solve(M: list[list[Fraction]], k: int) -> list[Fraction] | None:
    """Solve ``M z = 1`` (k x k) exactly; ``None`` when ``M`` is singular."""
    aug = [list(M[i]) + [Fraction(1)] for i in range(k)]
    for col in range(k):
        piv = next((i for i in range(col, k) if aug[i][col] != 0), None)
        if piv is None:
            return None
        aug[col], aug[piv] = aug[piv], aug[col]
        p = aug[col][col]
        row = [v / p for v in aug[col]]
        aug[col] = row
        for i in range(k):
            if i != col and aug[i][col] != 0:
                f = aug[i][col]
                aug[i] = [a - f * b for a, b in zip(aug[i], row)]
    return [aug[i][k] for i in range(k)]


def equilibrium_values(equilibria: Sequence[NashEquilibrium]) -> list[tuple[float, float]]:
    """(player 1, player 2) payoffs of each equilibrium, as floats."""
    return [(float(e.leader_value), float(e.follower_value)) for e in equilibria]
