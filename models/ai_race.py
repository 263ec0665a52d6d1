r"""The AI race of Han, Pereira, Santos & Lenaerts (2020), with a regulator's incentive to play
safe (deterministic generator of a normal-form and an incentive game).

Han et al., "To regulate or not: a social dynamics analysis of an idealised AI race" (JAIR 69,
2020), model developers racing for a prize: a safe developer (AS) pays a cost :math:`c` per
round for safety and advances at speed 1; an unsafe one (AU) skips it and advances at speed
:math:`s > 1` but, with probability :math:`1 - p`, causes a disaster that wipes out its
gains. With :math:`b` the per-round benefit shared by the developers, :math:`B` the prize and
:math:`W` the number of rounds to win it, the row player's payoff is (their early-race matrix)

.. math::

    \Pi(AS,AS) = \tfrac{b}{2} - c + \tfrac{B}{2W},\quad
    \Pi(AS,AU) = \tfrac{b}{s+1} - c,\quad
    \Pi(AU,AS) = p\big(\tfrac{sB}{W} + \tfrac{sb}{s+1}\big),\quad
    \Pi(AU,AU) = p\big(\tfrac{sB}{2W} + \tfrac{b}{2}\big).

Defaults (chosen for this example; value units per round): :math:`b = 4`, :math:`c = 1`,
:math:`B = 1000`, :math:`W = 100`, :math:`s = 1.5`, :math:`p = 0.6`. Then
:math:`\Pi = [[6, 0.6], [10.44, 5.7]]`: AU strictly dominates AS, yet both playing AS (6 each)
beats both playing AU (5.7 each) — the race is a social dilemma.

``data/ai_race.yaml`` (``kind: normal_form``): developer 1 leads (commits publicly to a
development policy), developer 2 follows. AU stays dominant, so commitment does not help:
both race unsafely.

``data/incentive/ai_race_subsidy.yaml`` (``kind: incentive``, paper section 4.1): a regulator
runs a public lab (its commitment: AS or AU, possibly mixed) and may pay the private developer
a subsidy of at most :math:`\bar v = 5` when it develops safely (cost weight 1). The
regulator's payoff is social welfare: both developers' payoffs minus an external harm
:math:`h = 5` per unsafe developer (the harm to third parties a disaster risk carries; an
extension of Han et al. for the regulator). Without incentives the private developer races
(AU dominant) and the regulator's best is a safe public lab (welfare 0.6 + 10.44 - 5 = 6.04);
with incentives it pays 4.44 for AS and gets 12 - 4.44 = 7.56: the value of incentives is
1.52, although the subsidy only benefits the developer.

Run ``python models/ai_race.py`` to (re)write both files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

DEFAULTS = {"b": 4.0, "c": 1.0, "B": 1000.0, "W": 100.0, "s": 1.5, "p": 0.6}
EXTERNAL_HARM = 5.0  # h: harm to third parties per unsafe developer
SUBSIDY_MAX = 5.0  # largest subsidy for safe development
ACTIONS = ("AS", "AU")


def race_payoffs(
    b: float = 4.0,
    c: float = 1.0,
    B: float = 1000.0,
    W: float = 100.0,
    s: float = 1.5,
    p: float = 0.6,
) -> np.ndarray:
    r"""The row player's payoffs :math:`\Pi` (rows: own action AS, AU; columns: the other's)."""
    return np.array(
        [
            [b / 2 - c + B / (2 * W), b / (s + 1) - c],
            [p * (s * B / W + s * b / (s + 1)), p * (s * B / (2 * W) + b / 2)],
        ]
    )


def build_race(decimals: int = 9):
    """Developer 1 leads, developer 2 follows: a normal-form game."""
    from stackopt.kinds.normal_form.game import NormalFormGame

    P = np.round(race_payoffs(**DEFAULTS), decimals) + 0.0
    return NormalFormGame(
        P,
        P.T.copy(),
        ACTIONS,
        ACTIONS,
        leader_name="developer_1",
        follower_name="developer_2",
        name="ai_race",
    )


def build_subsidy_game(decimals: int = 9):
    """The regulator (public lab) leads, the private developer follows; subsidy on AS."""
    from stackopt.kinds.incentive.game import IncentiveGame, Incentives
    from stackopt.kinds.normal_form.game import NormalFormGame

    P = race_payoffs(**DEFAULTS)
    unsafe = np.array([[0, 1], [1, 2]], dtype=float)  # unsafe developers per profile
    welfare = P + P.T - EXTERNAL_HARM * unsafe
    base = NormalFormGame(
        np.round(welfare, decimals) + 0.0,
        np.round(P.T, decimals) + 0.0,
        ("public_AS", "public_AU"),
        ACTIONS,
        leader_name="regulator",
        follower_name="developer",
        name="ai_race_subsidy",
    )
    return IncentiveGame(base, Incentives(max=SUBSIDY_MAX, cost_weight=1.0, actions=("AS",)))


HEADERS = {
    "race": "# The AI race of Han et al. (2020): developer 1 commits to a policy (AS safe, AU "
    "unsafe), developer 2\n# follows. b=4, c=1, B=1000, W=100, s=1.5, p=0.6.\n",
    "subsidy": "# The AI race with a regulator's incentive to play safe: the regulator runs a "
    "public lab (AS/AU)\n# and may pay the private developer up to 5 for AS; its "
    "payoff is welfare minus harm 5 per\n# unsafe developer. b=4, c=1, B=1000, "
    "W=100, s=1.5, p=0.6.\n",
}


def write(path: Path, which: str) -> None:
    """Write ``which`` (``race`` or ``subsidy``) with its comment header."""
    import yaml

    from stackopt.io.load import save_game

    if which == "race":
        save_game(build_race(), path)
    else:
        from stackopt.kinds.incentive.io_yaml import incentive_to_dict

        path.write_text(
            yaml.safe_dump(
                incentive_to_dict(build_subsidy_game()), sort_keys=False, default_flow_style=None
            ),
            encoding="utf-8",
        )
    path.write_text(
        HEADERS[which] + "# Source: generated by models/ai_race.py (formulas in "
        "its docstring); do not edit by hand.\n" + path.read_text(encoding="utf-8"),
        encoding="utf-8",
    )


OUTPUTS = (("race", "ai_race.yaml"), ("subsidy", "incentive/ai_race_subsidy.yaml"))


def main() -> None:
    for which, name in OUTPUTS:
        write(ROOT / "data" / name, which)
        print(ROOT / "data" / name)


if __name__ == "__main__":
    main()
