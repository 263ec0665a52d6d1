r"""Who should lead? Commitment by either player versus simultaneous play.

:func:`compare_leadership` solves a bimatrix game three ways:

1. player 1 (the file's ``leader``) commits first — strong Stackelberg equilibrium,
   :func:`stackopt.kinds.normal_form.solve.solve_sse`;
2. player 2 (the file's ``follower``) commits first — ``solve_sse(game, leader="follower")``;
3. simultaneous play — the best and the worst Nash equilibrium for each player
   (:func:`stackopt.kinds.normal_form.nash.nash_equilibria`, MILP of Sandholm, Gilpin & Conitzer 2005).

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

from dataclasses import dataclass
from typing import Any

import numpy as np

from stackopt.kinds.normal_form.checks import DEFAULT_RTOL
from stackopt.errors import InputError, UnsupportedError
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.result import Result

SCENARIOS = ("player1_leads", "player2_leads", "nash_best_player1", "nash_worst_player1",
             "nash_best_player2", "nash_worst_player2")


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
    def values(self, scenario: str) -> tuple[float, float]:
        """(player 1, player 2) payoffs in ``scenario`` (one of :data:`SCENARIOS`)."""
        if scenario == "player1_leads":
            r = self.sse_player1
            return float(r.leader.value), float(r.follower.value)
        if scenario == "player2_leads":
            r = self.sse_player2
            return float(r.follower.value), float(r.leader.value)
        if scenario not in SCENARIOS:
            raise InputError(f"unknown scenario {scenario!r}",
                             fix="use one of " + ", ".join(SCENARIOS))
        r = getattr(self, scenario)
        return float(r.leader.value), float(r.follower.value)

    @property
    def value_of_commitment_player1(self) -> float:
        """Player 1's SSE value minus its best Nash equilibrium payoff."""
        return self.values("player1_leads")[0] - self.values("nash_best_player1")[0]

    @property
    def value_of_commitment_player2(self) -> float:
        """Player 2's SSE value (when it leads) minus its best Nash equilibrium payoff."""
        return self.values("player2_leads")[1] - self.values("nash_best_player2")[1]

    @property
    def theorem_holds_player1(self) -> bool:
        """SSE value of player 1 >= its payoff in every Nash equilibrium (within tolerance)."""
        return self.value_of_commitment_player1 >= -self.tolerance1

    @property
    def theorem_holds_player2(self) -> bool:
        return self.value_of_commitment_player2 >= -self.tolerance2

    @property
    def certified(self) -> bool:
        """Every one of the six results carries a passing certificate."""
        return all(getattr(self, _attr(s)).certified for s in SCENARIOS)

    @property
    def passed(self) -> bool:
        """Certified, and the theorem holds for both players."""
        return self.certified and self.theorem_holds_player1 and self.theorem_holds_player2

    # -- output --------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        out = []
        for s in SCENARIOS:
            v1, v2 = self.values(s)
            r = getattr(self, _attr(s))
            out.append({"scenario": s, "label": self.label(s), "player1_value": v1,
                        "player2_value": v2, "certified": r.certified, "method": r.method})
        return out

    def label(self, scenario: str) -> str:
        return {"player1_leads": f"{self.player1} leads (SSE)",
                "player2_leads": f"{self.player2} leads (SSE)",
                "nash_best_player1": f"simultaneous: best NE for {self.player1}",
                "nash_worst_player1": f"simultaneous: worst NE for {self.player1}",
                "nash_best_player2": f"simultaneous: best NE for {self.player2}",
                "nash_worst_player2": f"simultaneous: worst NE for {self.player2}"}[scenario]

    def to_dict(self) -> dict[str, Any]:
        return {
            "game": self.game, "player1": self.player1, "player2": self.player2,
            "rows": self.rows(),
            "value_of_commitment": {self.player1: self.value_of_commitment_player1,
                                    self.player2: self.value_of_commitment_player2},
            "theorem": {
                "statement": "SSE leader value >= the leader's payoff in every Nash equilibrium "
                             "of the simultaneous game (von Stengel & Zamir 2010)",
                self.player1: self.theorem_holds_player1,
                self.player2: self.theorem_holds_player2},
            "tolerances": {self.player1: self.tolerance1, self.player2: self.tolerance2},
            "certified": self.certified, "passed": self.passed,
            "results": {s: getattr(self, _attr(s)).to_dict() for s in SCENARIOS},
        }

    def to_frame(self):
        """One row per scenario: ``scenario``, ``label``, ``player1_value``, ``player2_value``,
        ``certified``, ``method``; player names in ``frame.attrs``."""
        import pandas as pd

        df = pd.DataFrame(self.rows(), columns=["scenario", "label", "player1_value",
                                                "player2_value", "certified", "method"])
        df.attrs["player1"], df.attrs["player2"] = self.player1, self.player2
        return df


def _attr(scenario: str) -> str:
    return {"player1_leads": "sse_player1", "player2_leads": "sse_player2"}.get(scenario,
                                                                              scenario)


def compare_leadership(game: NormalFormGame, *, rtol: float = DEFAULT_RTOL,
                       engine: str = "highs", time_limit: float | None = None
                       ) -> LeadershipComparison:
    """Solve ``game`` with player 1 leading, player 2 leading and simultaneously.

    Parameters
    ----------
    game
        A normal-form (bimatrix) game.
    rtol
        Relative tolerance for every certificate and the theorem check.
    engine
        SSE engine (``"highs"`` or ``"pyomo"``, see :func:`stackopt.kinds.normal_form.solve.solve_sse`).
    time_limit
        Seconds per solve (``None``: none).
    """
    from stackopt.kinds.normal_form.nash import nash_equilibria
    from stackopt.kinds.normal_form.solve import solve_sse

    if not isinstance(game, NormalFormGame):
        raise UnsupportedError(f"leadership comparison needs a normal-form game, got kind "
                               f"{getattr(game, 'kind', type(game).__name__)!r}",
                               field="kind", fix="use a 'kind: normal_form' game")
    sse1 = solve_sse(game, rtol=rtol, engine=engine, time_limit=time_limit)
    sse2 = solve_sse(game, leader="follower", rtol=rtol, engine=engine, time_limit=time_limit)
    nash = {f"nash_{o}_player{p}": nash_equilibria(game, objective=o,
                                                   player="leader" if p == 1 else "follower",
                                                   rtol=rtol, time_limit=time_limit)
            for p in (1, 2) for o in ("best", "worst")}
    t1 = rtol * (float(np.abs(game.A).max()) or 1.0)
    t2 = rtol * (float(np.abs(game.B).max()) or 1.0)
    return LeadershipComparison(game=game.name, player1=game.leader_name,
                                player2=game.follower_name, sse_player1=sse1,
                                sse_player2=sse2, tolerance1=t1, tolerance2=t2, **nash)


def format_comparison(c: LeadershipComparison) -> str:
    """The compact table printed by ``stackopt compare``."""
    from stackopt.report import fmt

    w = max(len(c.label(s)) for s in SCENARIOS) + 2
    wv = max(len(c.player1), len(c.player2), 10) + 2
    lines = [f"{c.game or '(unnamed)'}: who should lead?",
             f"{'scenario':<{w}}{c.player1:>{wv}}{c.player2:>{wv}}  certified"]
    for row in c.rows():
        lines.append(f"{row['label']:<{w}}{fmt(row['player1_value']):>{wv}}"
                     f"{fmt(row['player2_value']):>{wv}}  {'yes' if row['certified'] else 'NO'}")
    lines.append("value of commitment (SSE value - best NE value): "
                 f"{c.player1} {c.value_of_commitment_player1:+.6g}, "
                 f"{c.player2} {c.value_of_commitment_player2:+.6g}")
    ok1 = "holds" if c.theorem_holds_player1 else "VIOLATED"
    ok2 = "holds" if c.theorem_holds_player2 else "VIOLATED"
    lines.append(f"theorem SSE >= every NE (von Stengel & Zamir 2010): {c.player1} {ok1}, "
                 f"{c.player2} {ok2}")
    if not c.certified:
        for s in SCENARIOS:
            r = getattr(c, _attr(s))
            if not r.certified:
                lines.append(f"  NOT CERTIFIED {c.label(s)}: {r.message or r.status.value}")
    return "\n".join(lines)
