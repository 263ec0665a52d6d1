r"""Who should lead? Commitment by either player versus simultaneous play.

:func:`compare_leadership` solves a bimatrix game three ways:

1. player 1 (the file's ``leader``) commits first — strong Stackelberg equilibrium,
   :func:`stackopt.kinds.normal_form.solve.solve_sse`;
2. player 2 (the file's ``follower``) commits first — ``solve_sse(game, leader="follower")``;
3. simultaneous play — the best and the worst Nash equilibrium for each player
   (:func:`stackopt.kinds.normal_form.nash.nash_equilibria`, MILP of Sandholm, Gilpin &
   Conitzer 2005).

The *value of commitment* of a player is its SSE value when it leads minus its payoff in the
Nash equilibrium best for it. The theorem checked (von Stengel & Zamir, *Leadership games with
convex strategy sets*, GEB 2010; already Conitzer & Sandholm 2006 for this setting) is that
this is never negative: if :math:`(x^*, y^*)` is any Nash equilibrium, the leader can commit to
:math:`x^*`; every action in the support of :math:`y^*` is then a best response, one of them
gives the leader at least :math:`x^{*\top} A y^*`, and leader-favourable tie-breaking picks a
best response at least that good. So :math:`\text{SSE value} \ge` the leader's payoff in
*every* Nash equilibrium, in particular the best one; the check uses the certified numbers with
the absolute tolerance ``rtol`` times the player's payoff scale.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from stackopt.errors import InputError, SolverError, UnsupportedError
from stackopt.kinds.normal_form.checks import DEFAULT_RTOL
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.result import FollowerOutcome, LeaderOutcome, Result, failure_result
from stackopt.status import Status

SCENARIOS = (
    "player1_leads",
    "player2_leads",
    "nash_best_player1",
    "nash_worst_player1",
    "nash_best_player2",
    "nash_worst_player2",
)


@dataclass(frozen=True)
class LeadershipComparison:
    """SSE with either leader and the simultaneous game's extreme Nash equilibria, compared.

    Attributes
    ----------
    game
        The game's name (or ``None``).
    player1, player2
        Names of the file's leader (row player) and follower (column player).
    sse_player1, sse_player2
        SSE results with player 1 / player 2 committing (each result is in the orientation it
        was solved: its ``leader`` is the committing player).
    nash_best_player1, nash_worst_player1, nash_best_player2, nash_worst_player2
        Nash results (game orientation: ``leader`` = player 1), best / worst for the player.
    tolerance1, tolerance2
        Absolute tolerances for each player's values (``rtol`` times its payoff scale).

    A solve that did not finish (time limit, solver failure) is kept as a result with status
    ``time_limit`` or ``error``, no answer and the reason in its ``message``: the other
    scenarios are still reported, and every quantity that needs the missing one is ``None``
    (:meth:`finished` says which finished).
    """

    game: str | None
    player1: str
    player2: str
    sse_player1: Result
    sse_player2: Result
    nash_best_player1: Result
    nash_worst_player1: Result
    nash_best_player2: Result
    nash_worst_player2: Result
    tolerance1: float
    tolerance2: float

    # -- derived quantities --------------------------------------------------
    def finished(self, scenario: str) -> bool:
        """Whether the solve of ``scenario`` finished with an answer."""
        if scenario not in SCENARIOS:
            raise InputError(
                f"unknown scenario {scenario!r}", fix="use one of " + ", ".join(SCENARIOS)
            )
        r = getattr(self, _attr(scenario))
        return r.status not in (Status.TIME_LIMIT, Status.ERROR) and r.leader.value is not None

    def values(self, scenario: str) -> tuple[float | None, float | None]:
        """(player 1, player 2) payoffs in ``scenario`` (one of :data:`SCENARIOS`);
        ``(None, None)`` when its solve did not finish."""
        if not self.finished(scenario):
            return None, None
        r = getattr(self, _attr(scenario))
        if scenario == "player2_leads":
            return float(r.follower.value), float(r.leader.value)
        return float(r.leader.value), float(r.follower.value)

    @property
    def value_of_commitment_player1(self) -> float | None:
        """Player 1's SSE value minus its best Nash equilibrium payoff (``None`` if either
        solve did not finish)."""
        a, b = self.values("player1_leads")[0], self.values("nash_best_player1")[0]
        return None if a is None or b is None else a - b

    @property
    def value_of_commitment_player2(self) -> float | None:
        """Player 2's SSE value (when it leads) minus its best Nash equilibrium payoff."""
        a, b = self.values("player2_leads")[1], self.values("nash_best_player2")[1]
        return None if a is None or b is None else a - b

    @property
    def theorem_holds_player1(self) -> bool | None:
        """SSE value of player 1 >= its payoff in every Nash equilibrium (within tolerance);
        ``None`` (undecided) when a solve it needs did not finish."""
        v = self.value_of_commitment_player1
        return None if v is None else v >= -self.tolerance1

    @property
    def theorem_holds_player2(self) -> bool | None:
        v = self.value_of_commitment_player2
        return None if v is None else v >= -self.tolerance2

    @property
    def certified(self) -> bool:
        """Every one of the six results carries a passing certificate."""
        return all(getattr(self, _attr(s)).certified for s in SCENARIOS)

    @property
    def passed(self) -> bool:
        """Certified, and the theorem holds for both players."""
        return bool(self.certified and self.theorem_holds_player1 and self.theorem_holds_player2)

    # -- output --------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        out = []
        for s in SCENARIOS:
            v1, v2 = self.values(s)
            r = getattr(self, _attr(s))
            out.append(
                {
                    "scenario": s,
                    "label": self.label(s),
                    "player1_value": v1,
                    "player2_value": v2,
                    "certified": r.certified,
                    "method": r.method,
                    "finished": self.finished(s),
                    "status": r.status.value,
                }
            )
        return out

    def label(self, scenario: str) -> str:
        return {
            "player1_leads": f"{self.player1} leads (SSE)",
            "player2_leads": f"{self.player2} leads (SSE)",
            "nash_best_player1": f"simultaneous: best NE for {self.player1}",
            "nash_worst_player1": f"simultaneous: worst NE for {self.player1}",
            "nash_best_player2": f"simultaneous: best NE for {self.player2}",
            "nash_worst_player2": f"simultaneous: worst NE for {self.player2}",
        }[scenario]

    def to_dict(self) -> dict[str, Any]:
        return {
            "game": self.game,
            "player1": self.player1,
            "player2": self.player2,
            "rows": self.rows(),
            "value_of_commitment": {
                self.player1: self.value_of_commitment_player1,
                self.player2: self.value_of_commitment_player2,
            },
            "theorem": {
                "statement": "SSE leader value >= the leader's payoff in every Nash equilibrium "
                "of the simultaneous game (von Stengel & Zamir 2010)",
                self.player1: self.theorem_holds_player1,
                self.player2: self.theorem_holds_player2,
            },
            "tolerances": {self.player1: self.tolerance1, self.player2: self.tolerance2},
            "certified": self.certified,
            "passed": self.passed,
            "unfinished": [s for s in SCENARIOS if not self.finished(s)],
            "results": {s: getattr(self, _attr(s)).to_dict() for s in SCENARIOS},
        }

    def to_frame(self):
        """One row per scenario: ``scenario``, ``label``, ``player1_value``, ``player2_value``,
        ``certified``, ``method``; player names in ``frame.attrs``."""
        import pandas as pd

        df = pd.DataFrame(
            self.rows(),
            columns=[
                "scenario",
                "label",
                "player1_value",
                "player2_value",
                "certified",
                "method",
                "finished",
                "status",
            ],
        )
        df["player1_value"] = df["player1_value"].astype(float)
        df["player2_value"] = df["player2_value"].astype(float)
        df.attrs["player1"], df.attrs["player2"] = self.player1, self.player2
        return df


def _attr(scenario: str) -> str:
    return {"player1_leads": "sse_player1", "player2_leads": "sse_player2"}.get(scenario, scenario)


def compare_leadership(
    game: NormalFormGame,
    *,
    rtol: float = DEFAULT_RTOL,
    engine: str = "highs",
    time_limit: float | None = None,
) -> LeadershipComparison:
    """Solve ``game`` with player 1 leading, player 2 leading and simultaneously.

    Parameters
    ----------
    game
        A normal-form (bimatrix) game.
    rtol
        Relative tolerance for every certificate and the theorem check.
    engine
        SSE engine (``"highs"`` or ``"pyomo"``, see
        :func:`stackopt.kinds.normal_form.solve.solve_sse`).
    time_limit
        Seconds per solve (``None``: none). A solve that reaches it (or fails in the solver)
        is recorded as unfinished (status ``time_limit`` / ``error``) and the others are kept.
    """
    from stackopt.kinds.normal_form.nash import nash_equilibria
    from stackopt.kinds.normal_form.solve import solve_sse
    from stackopt.progress import phase

    if not isinstance(game, NormalFormGame):
        raise UnsupportedError(
            f"leadership comparison needs a normal-form game, got kind "
            f"{getattr(game, 'kind', type(game).__name__)!r}",
            field="kind",
            fix="use a 'kind: normal_form' game",
        )

    def attempt(method: str, who: str, other: str, fn, **kw) -> Result:
        phase(
            "compare",
            "solving: %s",
            f"{who} leads (SSE)"
            if method != "nash_milp"
            else f"Nash equilibrium {kw.get('objective')} for the {kw.get('player')} (MILP)",
        )
        try:
            return fn(game, rtol=rtol, time_limit=time_limit, **kw)
        except SolverError as exc:
            timed_out = (
                time_limit is not None and "time limit" in str(exc).lower()
            ) or "maxtimelimit" in str(exc).lower()
            failed = failure_result(
                game,
                {"time_limit": time_limit, "rtol": rtol, **kw},
                str(exc),
                method,
                Status.TIME_LIMIT if timed_out else Status.ERROR,
            )
            return replace(
                failed,
                leader=LeaderOutcome(who, {}, None),
                follower=FollowerOutcome(other, None, None),
            )

    p1, p2 = game.leader_name, game.follower_name
    sse1 = attempt("multiple_lps", p1, p2, solve_sse, engine=engine)
    sse2 = attempt("multiple_lps", p2, p1, solve_sse, engine=engine, leader="follower")
    nash = {
        f"nash_{o}_player{p}": attempt(
            "nash_milp",
            p1,
            p2,
            nash_equilibria,
            objective=o,
            player="leader" if p == 1 else "follower",
        )
        for p in (1, 2)
        for o in ("best", "worst")
    }
    t1 = rtol * (float(np.abs(game.A).max()) or 1.0)
    t2 = rtol * (float(np.abs(game.B).max()) or 1.0)
    return LeadershipComparison(
        game=game.name,
        player1=game.leader_name,
        player2=game.follower_name,
        sse_player1=sse1,
        sse_player2=sse2,
        tolerance1=t1,
        tolerance2=t2,
        **nash,
    )


def format_comparison(c: LeadershipComparison) -> str:
    """The compact table printed by ``stackopt compare``."""
    from stackopt.report import fmt

    w = max(len(c.label(s)) for s in SCENARIOS) + 2
    wv = max(len(c.player1), len(c.player2), 10) + 2
    lines = [
        f"{c.game or '(unnamed)'}: who should lead?",
        f"{'scenario':<{w}}{c.player1:>{wv}}{c.player2:>{wv}}  certified",
    ]
    for row in c.rows():
        mark = (
            ("yes" if row["certified"] else "NO")
            if row["finished"]
            else f"NOT FINISHED ({row['status']})"
        )
        lines.append(
            f"{row['label']:<{w}}{fmt(row['player1_value']):>{wv}}"
            f"{fmt(row['player2_value']):>{wv}}  {mark}"
        )

    def signed(v: float | None) -> str:
        return "- (a solve did not finish)" if v is None else f"{v:+.6g}"

    def verdict(ok: bool | None) -> str:
        return (
            "undecided (a solve did not finish)" if ok is None else ("holds" if ok else "VIOLATED")
        )

    lines.append(
        "value of commitment (SSE value - best NE value): "
        f"{c.player1} {signed(c.value_of_commitment_player1)}, "
        f"{c.player2} {signed(c.value_of_commitment_player2)}"
    )
    ok1 = verdict(c.theorem_holds_player1)
    ok2 = verdict(c.theorem_holds_player2)
    lines.append(
        f"theorem SSE >= every NE (von Stengel & Zamir 2010): {c.player1} {ok1}, {c.player2} {ok2}"
    )
    if not c.certified:
        for s in SCENARIOS:
            r = getattr(c, _attr(s))
            if not c.finished(s):
                lines.append(f"  NOT FINISHED {c.label(s)}: {r.message or r.status.value}")
            elif not r.certified:
                lines.append(f"  NOT CERTIFIED {c.label(s)}: {r.message or r.status.value}")
    return "\n".join(lines)
