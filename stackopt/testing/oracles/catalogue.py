"""Named small normal-form games with exact, hand-derived strong Stackelberg answers.

Every method (multiple LPs on HiGHS, the Pyomo path, pure enumeration, the oracles in
:mod:`stackopt.testing.oracles.normal_form`) is run against this one list. The answers below
were derived by hand (derivation in each ``note``); stackopt's own tests also re-derive them
with the exact vertex enumeration oracle, so a typo here cannot hide a solver bug. Users can run
their own solver against :data:`CASES` (each :class:`Case` builds its game with ``.game()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction as F

import numpy as np

from stackopt.kinds.normal_form.game import NormalFormGame


@dataclass(frozen=True)
class Case:
    name: str
    A: list[list]
    B: list[list]
    value: F  # leader's SSE value
    commitment: tuple[F, ...]  # an optimal commitment (unique in these games)
    response: int  # the follower's response (index)
    follower_value: F
    pure_value: F  # best pure commitment's value
    leader_actions: tuple[str, ...] = ()
    follower_actions: tuple[str, ...] = ()
    note: str = ""
    response_unique: bool = True  # False when another response gives the same values

    def game(self) -> NormalFormGame:
        return NormalFormGame(
            np.array(self.A, dtype=float),
            np.array(self.B, dtype=float),
            self.leader_actions,
            self.follower_actions,
            name=self.name,
        )


CASES: list[Case] = [
    Case(
        "inspection",
        [[-1, -6], [0, -10]],
        [[-1, -10], [0, 5]],
        value=F(-5, 14),
        commitment=(F(5, 14), F(9, 14)),
        response=0,
        follower_value=F(-5, 14),
        pure_value=F(-1),
        leader_actions=("inspect", "skip"),
        follower_actions=("legal", "violate"),
        note="x = P(inspect) = p: legal gives -p, violate 5 - 15p; legal is a best response "
        "iff p >= 5/14, where the leader gets -p, best -5/14; violate region gives "
        "-10 + 4p <= -60/7.",
    ),
    Case(
        "commitment_beats_nash",
        [[1, 3], [0, 2]],
        [[1, 0], [0, 1]],
        value=F(5, 2),
        commitment=(F(1, 2), F(1, 2)),
        response=1,
        follower_value=F(1, 2),
        pure_value=F(2),
        leader_actions=("U", "D"),
        follower_actions=("L", "R"),
        note="Conitzer & Sandholm (2006) / von Stengel & Zamir (2010): U strictly dominates "
        "D, so the only Nash equilibrium is (U, L) with 1; committing to U w.p. 1/2 "
        "makes R a best response (ties to the leader) and gives 3/2 + 1 = 5/2.",
    ),
    Case(
        "matching_pennies",
        [[1, -1], [-1, 1]],
        [[-1, 1], [1, -1]],
        value=F(0),
        commitment=(F(1, 2), F(1, 2)),
        response=0,
        follower_value=F(0),
        pure_value=F(-1),
        note="zero-sum, value 0 at the uniform commitment; both responses tie there and give "
        "0 to both players, so either may be reported.",
        response_unique=False,
    ),
    Case(
        "dominated_follower_action",
        [[2, 0, 9], [1, 3, 9]],
        [[1, 0, 0], [0, 1, -1]],
        value=F(3),
        commitment=(F(0), F(1)),
        response=1,
        follower_value=F(1),
        pure_value=F(3),
        note="column 2 is strictly dominated by column 0 (1 > 0, 0 > -1), so its 9 is "
        "unreachable; column 0 region p >= 1/2 gives 1 + p <= 2, column 1 region "
        "p <= 1/2 gives 3 - 3p <= 3 at p = 0.",
    ),
    Case(
        "needs_tie_break",
        [[2, 0], [1, 1]],
        [[1, 1], [0, 1]],
        value=F(2),
        commitment=(F(1), F(0)),
        response=0,
        follower_value=F(1),
        pure_value=F(2),
        note="column 0 is a best response only at p = 1, where the follower is indifferent; "
        "leader-favourable ties give 2, a pessimistic follower would give at most 1.",
    ),
    Case(
        "one_by_n",
        [[3, 1, 2]],
        [[0, 2, 1]],
        value=F(1),
        commitment=(F(1),),
        response=1,
        follower_value=F(2),
        pure_value=F(1),
        note="the leader has one action; the follower's unique best response is column 1.",
    ),
    Case(
        "m_by_one",
        [[1], [4], [2]],
        [[5], [0], [7]],
        value=F(4),
        commitment=(F(0), F(1), F(0)),
        response=0,
        follower_value=F(0),
        pure_value=F(4),
        note="the follower has one action; the leader takes its best row.",
    ),
    Case(
        "degenerate_all_ties",
        [[1, 5], [2, 0]],
        [[0, 0], [0, 0]],
        value=F(5),
        commitment=(F(1), F(0)),
        response=1,
        follower_value=F(0),
        pure_value=F(5),
        note="the follower is indifferent everywhere, so ties let the leader pick the best "
        "cell (row 0, column 1).",
    ),
    Case(
        "three_by_three",
        [[0, 4, 1], [3, 0, 2], [1, 1, 1]],
        [[2, 0, 1], [0, 2, 1], [1, 1, 3]],
        value=F(2),
        commitment=(F(1, 2), F(1, 2), F(0)),
        response=1,
        follower_value=F(1),
        pure_value=F(1),
        note="x = (a, b, c): the follower gets 2a + c, 2b + c, a + b + 3c; column 1 is a best "
        "response iff b >= a and b >= a + 2c, where the leader gets 4a + c. On that "
        "region b = a + 2c at the optimum, so 2a + 3c = 1 and 4a + c = 2 - 5c: c = 0, "
        "a = b = 1/2, value 2 (columns 0 and 1 tie; column 0 would give 3/2). Pure "
        "commitments give 0, 0, 1.",
    ),
    Case(
        "best_response_at_one_point",
        [[0, 0, 9], [0, 0, 9]],
        [[4, 0, 2], [0, 4, 2]],
        value=F(9),
        commitment=(F(1, 2), F(1, 2)),
        response=2,
        follower_value=F(2),
        pure_value=F(0),
        note="column 2 (follower payoff 2) is below max(4p, 4 - 4p) except at p = 1/2, "
        "where all three columns tie at 2; only there can the leader collect 9, and "
        "only because ties go its way. Pure commitments give 0.",
    ),
]

BY_NAME = {c.name: c for c in CASES}
