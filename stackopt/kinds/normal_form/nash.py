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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from math import comb
from typing import Any

import numpy as np

from stackopt.certificate import Certificate
from stackopt.errors import InputError, SolverError, UnsupportedError
from stackopt.kinds.normal_form.checks import DEFAULT_RTOL, tolerances
from stackopt.kinds.normal_form.checks_nash import certify_nash
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.result import Result
from stackopt.status import Status
from stackopt.vocabulary import MILP_BOUND, OPTIMALITY, milp_bound, milp_record, upgrade_evidence

#: Largest number of square systems :func:`all_nash_equilibria` will solve before refusing.
MAX_SYSTEMS = 500_000


# -- best / worst equilibrium by MILP ------------------------------------------------------------
def _player_is_follower(game: NormalFormGame, player: str) -> bool:
    if player in ("leader", game.leader_name):
        return False
    if player in ("follower", game.follower_name):
        return True
    raise InputError(
        f"unknown player {player!r}",
        field="player",
        fix=f"use 'leader', 'follower', {game.leader_name!r} or {game.follower_name!r}",
    )


#: Largest number of square systems for which the (reduced) game's equilibria are enumerated
#: exactly instead of solving the MILP (923 for 6 x 6: ~0.4 s).
ENUM_SYSTEMS = 1_000


def _systems(m: int, n: int) -> int:
    return sum(comb(m, k) * comb(n, k) for k in range(1, min(m, n) + 1))


@dataclass(frozen=True)
class _ExactAnswer:
    """The best/worst equilibrium found, exactly, and how its optimality was established."""

    x: tuple[Fraction, ...]  # over the (possibly swapped) game's rows
    y: tuple[Fraction, ...]
    u1: Fraction
    u2: Fraction
    how: str  # "dominance" | "enumeration" | "milp"
    bound: float | None  # the MILP bound when how == "milp"
    reduction: Any
    count: int  # extreme equilibria enumerated (how == "enumeration")


def _best_exact(
    g: NormalFormGame, objective: str, time_limit: float | None, stats: dict[str, Any]
) -> tuple[_ExactAnswer | None, str, np.ndarray | None, np.ndarray | None, float | None]:
    """Presolve, then enumeration or MILP + exact support solve (see :func:`nash_equilibria`).

    Returns ``(answer, reason, x_float, y_float, bound)``; ``answer`` is ``None`` when no exact
    equilibrium stands behind the MILP's profile (``reason`` says why).
    """
    from stackopt.kinds.normal_form.nash_exact import clean_and_solve, iterated_strict_dominance

    m, n = g.shape
    t = time.perf_counter()
    red = iterated_strict_dominance(g.A, g.B)
    stats["presolve_seconds"] = time.perf_counter() - t
    stats.update({f"presolve_{k}": v for k, v in red.to_dict().items()})
    rows, cols = list(red.rows), list(red.cols)

    def pad(xs, idx, size):
        out = [Fraction(0)] * size
        for k, v in zip(idx, xs):
            out[k] = v
        return tuple(out)

    if len(rows) == 1 and len(cols) == 1:
        i, j = rows[0], cols[0]
        x = pad([Fraction(1)], rows, m)
        y = pad([Fraction(1)], cols, n)
        return (
            _ExactAnswer(
                x,
                y,
                Fraction(float(g.A[i, j])),
                Fraction(float(g.B[i, j])),
                "dominance",
                None,
                red,
                1,
            ),
            "",
            None,
            None,
            None,
        )
    sub = g.restrict([g.leader_actions[i] for i in rows], [g.follower_actions[j] for j in cols])
    if _systems(len(rows), len(cols)) <= ENUM_SYSTEMS:
        eqs = all_nash_equilibria(sub)
        sign = 1 if objective == "best" else -1
        e = max(eqs, key=lambda q: sign * q.leader_value)  # first of the sorted list on ties
        return (
            _ExactAnswer(
                pad(e.leader_strategy, rows, m),
                pad(e.follower_strategy, cols, n),
                e.leader_value,
                e.follower_value,
                "enumeration",
                None,
                red,
                len(eqs),
            ),
            "",
            None,
            None,
            None,
        )
    xs, ys, bound, mstats = _solve_milp(sub, objective, time_limit)
    stats.update(mstats)
    xf = np.zeros(m)
    yf = np.zeros(n)
    xf[rows], yf[cols] = xs, ys
    prof, reason = clean_and_solve(sub.A, sub.B, xs, ys)
    if prof is None:
        return None, reason, xf, yf, bound
    return (
        _ExactAnswer(
            pad(prof.x, rows, m), pad(prof.y, cols, n), prof.u1, prof.u2, "milp", bound, red, 0
        ),
        "",
        xf,
        yf,
        bound,
    )


def nash_equilibria(
    game: NormalFormGame,
    *,
    objective: str = "best",
    player: str = "leader",
    rtol: float = DEFAULT_RTOL,
    time_limit: float | None = None,
) -> Result:
    """The best or worst Nash equilibrium of the simultaneous game for one player, exactly.

    Steps (every answer is an *exact* equilibrium or no answer is certified):

    1. Presolve: iterated removal of strictly dominated strategies, each removal proved in
       exact arithmetic (:func:`stackopt.kinds.normal_form.nash_exact.iterated_strict_dominance`);
       the equilibria of the reduced game are exactly those of the game. A ``1 x 1`` reduced
       game (the traveler's dilemma) has a unique equilibrium: done.
    2. Small reduced game (at most :data:`ENUM_SYSTEMS` square systems): exact enumeration of
       its extreme equilibria (:func:`all_nash_equilibria`); the best/worst payoff is attained
       at one of them, so optimality is proved exactly.
    3. Otherwise the Sandholm–Gilpin–Conitzer MILP on the reduced game; the exact equilibrium
       on the supports of the MILP's profile is recovered in rational arithmetic
       (:func:`~stackopt.kinds.normal_form.nash_exact.clean_and_solve`). If none exists, the
       profile is only an :math:`\varepsilon`-equilibrium and the result has status ``error``
       (not certified). Optimality then rests on the MILP bound, *solver-reported*.

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
        Relative tolerance of the floating-point checks (absolute: ``rtol`` times each
        player's largest absolute payoff).
    time_limit
        Seconds for HiGHS (``None``: none). Hitting it raises :class:`SolverError`.

    Returns
    -------
    Result
        Always in the game's own orientation: ``leader`` is the row player with its mixed
        strategy as ``commitment``, ``follower`` the column player with its mixed strategy as
        ``response``; values are the exact equilibrium payoffs (as floats; the fractions are
        in ``certificate.evidence["exact"]``). ``method = "nash_milp"``.
    """
    if not isinstance(game, NormalFormGame):
        raise InputError(f"expected a NormalFormGame, got {type(game).__name__}")
    if objective not in ("best", "worst"):
        raise InputError(
            f"unknown objective {objective!r}", field="objective", fix="use 'best' or 'worst'"
        )
    tolerances(game, rtol)  # validates rtol
    swap = _player_is_follower(game, player)
    g = game.swap_roles() if swap else game
    t0 = time.perf_counter()
    stats: dict[str, Any] = {}
    ans, reason, xf, yf, bound = _best_exact(g, objective, time_limit, stats)
    who = game.follower_name if swap else game.leader_name
    options = {
        "objective": objective,
        "player": player,
        "rtol": rtol,
        "time_limit": time_limit,
        "solution_concept": "nash",
    }
    if ans is None:
        assert xf is not None and yf is not None
        if swap:
            xf, yf = yf, xf
        x_map = {a: float(p) for a, p in zip(game.leader_actions, xf)}
        y_map = {b: float(p) for b, p in zip(game.follower_actions, yf)}
        cert = certify_nash(
            game, x_map, y_map, float(xf @ game.A @ yf), float(xf @ game.B @ yf), None, rtol=rtol
        )
        from stackopt.certificate import Check

        cert = Certificate(
            checks=cert.checks
            + (
                Check(
                    "exact",
                    False,
                    None,
                    0.0,
                    "the MILP's profile is only an approximate equilibrium: "
                    + reason
                    + " (also after dropping small probabilities)",
                ),
            ),
            rtol=cert.rtol,
            atol=cert.atol,
            scale=cert.scale,
            evidence={
                "objective": objective,
                "player": who,
                MILP_BOUND: milp_record(bound, None, objective=objective),
            },
        )
        stats["total_seconds"] = time.perf_counter() - t0
        lv, fv = float(xf @ game.A @ yf), float(xf @ game.B @ yf)
        msg = f"not certified: no exact equilibrium behind the MILP's approximate one ({reason})"
        return Result.answered(
            game, Status.ERROR, "nash_milp", x_map, lv, y_map, fv, cert, stats, options, msg
        )
    xq, yq, u1, u2 = ans.x, ans.y, ans.u1, ans.u2
    if swap:
        xq, yq, u1, u2 = yq, xq, u2, u1
    x_map = {a: float(p) for a, p in zip(game.leader_actions, xq)}
    y_map = {b: float(p) for b, p in zip(game.follower_actions, yq)}
    exact = {
        "leader_strategy": {a: str(p) for a, p in zip(game.leader_actions, xq) if p},
        "follower_strategy": {b: str(p) for b, p in zip(game.follower_actions, yq) if p},
        "leader_value": str(u1),
        "follower_value": str(u2),
    }
    evidence: dict[str, Any] = {
        "objective": objective,
        "player": who,
        "exact": exact,
        "presolve": ans.reduction.to_dict(),
        "optimality": ans.how,
    }
    if ans.how == "milp":
        evidence[MILP_BOUND] = milp_record(
            ans.bound, float(u2 if swap else u1), objective=objective
        )
    cert = certify_nash(game, x_map, y_map, float(u1), float(u2), None, rtol=rtol)
    checks = cert.checks + (
        _exact_check(
            game, True, f"exact Nash equilibrium (rational arithmetic): values {u1}, {u2}"
        ),
        _optimality_check(game, ans, who, objective, float(u2 if swap else u1), rtol, swap),
    )
    cert = Certificate(
        checks=checks, rtol=cert.rtol, atol=cert.atol, scale=cert.scale, evidence=evidence
    )
    stats["total_seconds"] = time.perf_counter() - t0
    status = Status.OPTIMAL if cert.passed else Status.FEASIBLE
    return Result.answered(
        game, status, "nash_milp", x_map, float(u1), y_map, float(u2), cert, stats, options
    )


def _exact_check(game: NormalFormGame, ok: bool, detail: str):
    from stackopt.certificate import Check

    return Check("exact", ok, 0.0 if ok else None, 0.0, detail)


def _optimality_check(
    game: NormalFormGame,
    ans: _ExactAnswer,
    who: str,
    objective: str,
    value: float,
    rtol: float,
    swap: bool,
):
    from stackopt.certificate import Check

    more = "more" if objective == "best" else "less"
    red = ans.reduction
    pre = f"iterated strict dominance (exact) left {len(red.rows)}x{len(red.cols)}"
    if ans.how == "dominance":
        return Check(
            OPTIMALITY, True, 0.0, 0.0, f"{pre}: the equilibrium is unique (proved exactly)"
        )
    if ans.how == "enumeration":
        return Check(
            OPTIMALITY,
            True,
            0.0,
            0.0,
            f"{pre}; exact enumeration of its {ans.count} extreme equilibria proves "
            f"no equilibrium gives {who} {more}",
        )
    atol1, atol2 = tolerances(game, rtol)
    atol = atol2 if swap else atol1
    bound = ans.bound
    gap = abs(float(bound) - value) if bound is not None and np.isfinite(bound) else np.inf
    ok = bool(gap <= atol)
    return Check(
        OPTIMALITY,
        ok,
        gap,
        atol,
        f"{pre}; HiGHS proved no equilibrium gives {who} {more} (bound {bound}; "
        "solver-reported, not re-checkable from the game)"
        if ok
        else f"the MILP bound {bound} is {gap:.3g} away from the exact value",
    )


def _solve_milp(
    g: NormalFormGame, objective: str, time_limit: float | None
) -> tuple[np.ndarray, np.ndarray, float, dict[str, Any]]:
    from pyomo.contrib.solver.common.results import TerminationCondition

    from stackopt.engines.highs import solve_milp_exactly, swallow_banner
    from stackopt.formulations.nash_milp import build_nash_milp, read_solution
    from stackopt.progress import model_size, phase

    swallow_banner()
    t = time.perf_counter()
    model = build_nash_milp(g, objective)
    build = time.perf_counter() - t
    phase("normal_form", "Nash MILP built (%s) in %.2f s; HiGHS started", model_size(model), build)
    res, solve = solve_milp_exactly(model, time_limit=time_limit)
    if res.termination_condition != TerminationCondition.convergenceCriteriaSatisfied:
        raise SolverError(
            f"HiGHS stopped with '{res.termination_condition.name}' on the "
            f"Nash MILP (a finite game always has an equilibrium)"
        )
    res.solution_loader.load_vars()
    x, y = read_solution(model, g)
    bound = res.objective_bound
    bound = float(bound if bound is not None else res.incumbent_objective)
    stats = {"build_seconds": build, "highs_seconds": solve, "binaries": g.shape[0] + g.shape[1]}
    return x, y, bound, stats


#: Largest reduced game (rows x columns) for which ``verify`` re-solves the Nash MILP to
#: re-derive a best/worst claim that enumeration cannot settle.
VERIFY_MILP_ENTRIES = 400
#: Seconds allowed for that fresh MILP solve.
VERIFY_MILP_SECONDS = 30.0


def verify_nash(
    game: NormalFormGame,
    result: Result | Mapping[str, Any],
    *,
    rtol: float | None = None,
    exact: bool = True,
) -> Certificate:
    """Re-check a Nash result against ``game``; nothing in the file is trusted but the answer.

    * The tolerance is the result's ``rtol`` capped at the default (a result cannot loosen its
      own check); every reported number is validated (finite) first.
    * ``exact``: an exact equilibrium (rational arithmetic, supports of the reported profile,
      small probabilities dropped) must lie within ``rtol`` of the reported strategies.
    * ``optimality`` (when the result claims a best/worst equilibrium through
      ``options.objective``): re-derived — exactly by iterated strict dominance and
      enumeration when the reduced game is small, else by a fresh MILP solve when it has at
      most :data:`VERIFY_MILP_ENTRIES` entries, else from the file's MILP bound (validated,
      marked *solver-reported*).

    ``exact`` is accepted for ``stackopt verify --exact``; the ``exact`` check is always made.
    """
    from stackopt.checks.common import finite_number, read_result
    from stackopt.kinds.normal_form.checks import commitment_vector
    from stackopt.kinds.normal_form.checks_nash import strategy_vector
    from stackopt.kinds.normal_form.nash_exact import clean_and_solve

    result, rtol, _ = read_result(result, rtol, DEFAULT_RTOL)
    tolerances(game, rtol)
    v1 = finite_number(result.leader.value, "leader.value", optional=True)
    v2 = finite_number(result.follower.value, "follower.value", optional=True)
    x = commitment_vector(game, result.leader.commitment)
    y = strategy_vector(game.follower_actions, result.follower.response, "follower.response")
    cert = certify_nash(
        game, result.leader.commitment, result.follower.response, v1, v2, None, rtol=rtol
    )
    checks = list(cert.checks)
    prof, reason = clean_and_solve(game.A, game.B, np.clip(x, 0, None), np.clip(y, 0, None))
    if prof is not None:
        dist = max(
            float(np.abs(x - np.array([float(v) for v in prof.x])).max()),
            float(np.abs(y - np.array([float(v) for v in prof.y])).max()),
        )
        if dist > rtol:
            prof, reason = (
                None,
                (
                    f"the exact equilibrium on these supports is {dist:.3g} "
                    "away from the reported strategies"
                ),
            )
    checks.append(
        _exact_check(
            game,
            prof is not None,
            f"an exact Nash equilibrium (rational arithmetic) within rtol of "
            f"the profile: values {prof.u1}, {prof.u2}"
            if prof is not None
            else f"no exact equilibrium behind the profile: {reason}",
        )
    )
    opts = dict(result.options or {})
    ev = upgrade_evidence(dict(result.certificate.evidence) if result.certificate else {})
    rec = milp_bound(ev) or {}
    objective = opts.get("objective", rec.get("objective", ev.get("objective")))
    evidence: dict[str, Any] = {}
    if objective is not None:
        if objective not in ("best", "worst"):
            raise InputError(
                f"unknown objective {objective!r}",
                field="options.objective",
                fix="use 'best' or 'worst'",
            )
        player = opts.get("player", ev.get("player", "leader"))
        if not isinstance(player, str):
            raise InputError(
                f"unknown player {player!r}",
                field="options.player",
                fix="use 'leader' or 'follower'",
            )
        swap = _player_is_follower(game, player)
        checks.append(_verify_optimality(game, prof, objective, swap, rtol, rec, evidence))
    return Certificate(
        checks=tuple(checks), rtol=cert.rtol, atol=cert.atol, scale=cert.scale, evidence=evidence
    )


def _verify_optimality(
    game: NormalFormGame,
    prof: Any,
    objective: str,
    swap: bool,
    rtol: float,
    rec: Mapping[str, Any],
    evidence: dict[str, Any],
):
    from stackopt.certificate import Check
    from stackopt.checks.common import finite_number
    from stackopt.kinds.normal_form.nash_exact import iterated_strict_dominance

    g = game.swap_roles() if swap else game
    who = g.leader_name
    more = "more" if objective == "best" else "less"
    if prof is None:
        return Check(
            OPTIMALITY, False, None, 0.0, "not checked: the profile is not an exact equilibrium"
        )
    value = prof.u2 if swap else prof.u1
    red = iterated_strict_dominance(g.A, g.B)
    rows, cols = list(red.rows), list(red.cols)
    pre = f"iterated strict dominance (exact) left {len(rows)}x{len(cols)}"
    evidence["presolve"] = red.to_dict()
    best: Fraction | None = None
    how = ""
    if len(rows) == 1 and len(cols) == 1:
        best, how = Fraction(float(g.A[rows[0], cols[0]])), "the equilibrium is unique"
    elif _systems(len(rows), len(cols)) <= ENUM_SYSTEMS:
        sub = g.restrict([g.leader_actions[i] for i in rows], [g.follower_actions[j] for j in cols])
        vals = [e.leader_value for e in all_nash_equilibria(sub)]
        best = max(vals) if objective == "best" else min(vals)
        how = f"exact enumeration of its {len(vals)} extreme equilibria"
    if best is not None:
        ok = value == best
        evidence["optimality"] = "exact"
        return Check(
            OPTIMALITY,
            ok,
            0.0 if ok else float(abs(best - value)),
            0.0,
            f"re-derived exactly ({pre}; {how}): no equilibrium gives {who} {more} than {value}"
            if ok
            else f"re-derived exactly ({pre}; {how}): the {objective} equilibrium gives "
            f"{who} {best}, not {value}",
        )
    atol1, _ = tolerances(g, rtol)
    if len(rows) * len(cols) <= VERIFY_MILP_ENTRIES:
        sub = g.restrict([g.leader_actions[i] for i in rows], [g.follower_actions[j] for j in cols])
        try:
            _, _, bound, _ = _solve_milp(sub, objective, VERIFY_MILP_SECONDS)
        except SolverError:
            bound = None
        if bound is not None:
            gap = abs(bound - float(value))
            ok = gap <= atol1
            evidence["optimality"] = "fresh_milp"
            return Check(
                OPTIMALITY,
                ok,
                gap,
                atol1,
                f"re-derived by a fresh MILP solve on the reduced game ({pre}): bound "
                f"{bound:.10g} (solver-reported)"
                if ok
                else f"a fresh MILP solve gives the bound {bound:.10g}, {gap:.3g} from the "
                f"value {float(value):.10g}",
            )
    bound = finite_number(rec.get("bound"), "certificate.evidence.milp_bound.bound", optional=True)
    evidence["optimality"] = "solver-reported"
    if bound is None:
        return Check(
            OPTIMALITY,
            False,
            None,
            atol1,
            "not re-derivable here (game too large) and no MILP bound in the result",
        )
    gap = abs(bound - float(value))
    ok = gap <= atol1
    return Check(
        OPTIMALITY,
        ok,
        gap,
        atol1,
        f"solver-reported: the result's MILP bound {bound:.10g} (not re-derived: the "
        f"reduced game is too large)"
        if ok
        else f"the result's MILP bound {bound:.10g} is {gap:.3g} from the exact value",
    )


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
        return (
            np.array([float(v) for v in self.leader_strategy]),
            np.array([float(v) for v in self.follower_strategy]),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "leader_strategy": [str(v) for v in self.leader_strategy],
            "follower_strategy": [str(v) for v in self.follower_strategy],
            "leader_value": str(self.leader_value),
            "follower_value": str(self.follower_value),
            "leader_support": list(self.leader_support),
            "follower_support": list(self.follower_support),
        }


def all_nash_equilibria(
    game: NormalFormGame, *, max_support: int | None = None
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
            raise InputError(
                f"max_support must be a positive integer, got {max_support!r}",
                field="max_support",
                fix="use e.g. 3",
            )
        kmax = min(kmax, max_support)
    systems = sum(comb(m, k) * comb(n, k) for k in range(1, kmax + 1))
    if systems > MAX_SYSTEMS:
        raise UnsupportedError(
            f"enumerating a {m}x{n} game needs {systems} linear systems",
            field="max_support",
            fix="pass a smaller max_support, or compute the best/worst "
            "equilibrium with nash_equilibria()",
        )
    A = _fractions(game.A)
    B = _fractions(game.B)
    a0 = min(min(r) for r in A) - 1
    b0 = min(min(r) for r in B) - 1
    As = [[v - a0 for v in row] for row in A]  # A' >= 1
    BsT = [[B[i][j] - b0 for i in range(m)] for j in range(n)]  # (B')^T, >= 1
    px = _vertices(BsT, kmax)  # vertices of P: x with x^T B' <= 1
    qy = _vertices(As, kmax)  # vertices of Q: y with A' y <= 1
    out = []
    for x, sx, tx in px:
        for y, sy, ty in qy:
            if sx <= ty and sy <= tx:
                sum_x, sum_y = sum(x, Fraction(0)), sum(y, Fraction(0))
                xs = tuple(v / sum_x for v in x)
                ys = tuple(v / sum_y for v in y)
                out.append(
                    NashEquilibrium(
                        xs,
                        ys,
                        1 / sum_y + a0,
                        1 / sum_x + b0,
                        tuple(game.leader_actions[i] for i in sorted(sx)),
                        tuple(game.follower_actions[j] for j in sorted(sy)),
                    )
                )
    out.sort(
        key=lambda e: (-e.leader_value, -e.follower_value, e.leader_strategy, e.follower_strategy)
    )
    return tuple(out)


def _fractions(M: np.ndarray) -> list[list[Fraction]]:
    return [[Fraction(float(v)) for v in row] for row in M.tolist()]


def _vertices(
    C: list[list[Fraction]], kmax: int
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
