r"""The AI race of Han, Pereira, Santos & Lenaerts (2020): ``ai_race`` and ``ai_race_subsidy``.

Han et al., "To regulate or not: a social dynamics analysis of an idealised AI race" (JAIR 69,
2020), model developers racing for a prize: a safe developer (AS) pays a cost :math:`c` per
round for safety and advances at speed 1; an unsafe one (AU) skips it and advances at speed
:math:`s` but, with probability :math:`1 - p`, causes a disaster that wipes out its gains. With
:math:`b` the per-round benefit shared by the developers, :math:`B` the prize and :math:`W` the
number of rounds to win it, the row player's payoff is (their early-race matrix)

.. math::

    \Pi(AS,AS) = \tfrac{b}{2} - c + \tfrac{B}{2W},\quad
    \Pi(AS,AU) = \tfrac{b}{s+1} - c,\quad
    \Pi(AU,AS) = p\big(\tfrac{sB}{W} + \tfrac{sb}{s+1}\big),\quad
    \Pi(AU,AU) = p\big(\tfrac{sB}{2W} + \tfrac{b}{2}\big).

``ai_race`` (normal form): developer 1 commits publicly to a development policy (possibly
mixed), developer 2 follows; both get :math:`\Pi` (developer 2 the transpose).

``ai_race_subsidy`` (incentive game, paper section 4.1 eq. 12-13): a regulator runs a public
lab (its commitment: ``public_AS`` / ``public_AU``, possibly mixed) and may pay the private
developer at most ``subsidy_max`` when it develops safely, at ``cost_weight`` per unit paid. Its
payoff is social welfare: both developers' payoffs minus an external harm :math:`h` (``harm``)
per unsafe developer (an extension of Han et al. for the regulator).

Defaults (value units per round): :math:`b = 4`, :math:`c = 1`, :math:`B = 1000`,
:math:`W = 100`, :math:`s = 1.5`, :math:`p = 0.6`, :math:`h = 5`, subsidy at most 5. Payoffs are
rounded to 9 decimals (as the bundled data files hold them). ``models/ai_race.py`` writes the
bundled files from these functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stackopt.models.params import ParameterSpec, subsidy_game, subsidy_parameters
from stackopt.models.registry import ModelSpec

ACTIONS = ("AS", "AU")
PUBLIC_ACTIONS = ("public_AS", "public_AU")

RACE_PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "b",
        "float",
        4.0,
        "per-round benefit shared by the developers",
        0.0,
        1e6,
        units="value units per round",
    ),
    ParameterSpec(
        "c",
        "float",
        1.0,
        "per-round cost of safe development (AS)",
        0.0,
        1e6,
        units="value units per round",
    ),
    ParameterSpec(
        "B", "float", 1000.0, "the prize for winning the race", 0.0, 1e9, units="value units"
    ),
    ParameterSpec(
        "W",
        "float",
        100.0,
        "rounds a safe developer needs to win the prize",
        1.0,
        1e6,
        units="rounds",
    ),
    ParameterSpec(
        "s",
        "float",
        1.5,
        "speed of unsafe development relative to safe (s >= 1)",
        1.0,
        1e3,
        units="speed ratio",
    ),
    ParameterSpec(
        "p",
        "float",
        0.6,
        "probability that unsafe development causes no disaster",
        0.0,
        1.0,
        units="probability",
    ),
)

SUBSIDY_PARAMETERS: tuple[ParameterSpec, ...] = (
    *RACE_PARAMETERS,
    ParameterSpec(
        "harm",
        "float",
        5.0,
        "external harm h per unsafe developer (the regulator's welfare)",
        0.0,
        1e6,
        units="value units per round",
    ),
    *subsidy_parameters(
        5.0, "largest subsidy paid for safe development (AS)", 1e6, "value units per round"
    ),
)

#: ``b, c, B, W, s, p`` at their defaults.
DEFAULTS: dict[str, float] = {p.name: p.default for p in RACE_PARAMETERS}


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


def _race(v: dict[str, Any]) -> np.ndarray:
    return race_payoffs(**{k: float(v[k]) for k in DEFAULTS})


def build(v: dict[str, Any], *, name: str, decimals: int = 9) -> Any:
    """``ai_race``: developer 1 leads, developer 2 follows (a normal-form game)."""
    from stackopt.kinds.normal_form.game import NormalFormGame

    P = np.round(_race(v), decimals) + 0.0
    return NormalFormGame(
        P,
        P.T.copy(),
        ACTIONS,
        ACTIONS,
        leader_name="developer_1",
        follower_name="developer_2",
        name=name,
    )


def welfare(v: dict[str, Any]) -> np.ndarray:
    r"""The regulator's payoff: :math:`\Pi + \Pi^T - h \cdot` (unsafe developers per profile)."""
    P = _race(v)
    unsafe = np.array([[0, 1], [1, 2]], dtype=float)
    return P + P.T - float(v["harm"]) * unsafe


def build_subsidy(v: dict[str, Any], *, name: str, decimals: int = 9) -> Any:
    """``ai_race_subsidy``: the regulator (public lab) leads; a subsidy on AS."""
    from stackopt.kinds.normal_form.game import NormalFormGame

    P = _race(v)
    base = NormalFormGame(
        np.round(welfare(v), decimals) + 0.0,
        np.round(P.T, decimals) + 0.0,
        PUBLIC_ACTIONS,
        ACTIONS,
        leader_name="regulator",
        follower_name="developer",
        name=name,
    )
    return subsidy_game(base, v, ("AS",))


_SOURCE = (
    "Han, Pereira, Santos & Lenaerts (2020), To regulate or not: a social dynamics analysis "
    "of an idealised AI race, JAIR 69"
)

MODEL = ModelSpec(
    name="ai_race",
    summary="the AI race of Han et al. (2020): developer 1 commits to safe/unsafe "
    "development, developer 2 follows",
    parameters=RACE_PARAMETERS,
    generator="stackopt.models.ai_race:build",
    kinds=("normal_form",),
    source=_SOURCE,
)

SUBSIDY_MODEL = ModelSpec(
    name="ai_race_subsidy",
    summary="the AI race with a regulator (public lab) that may subsidise safe development "
    "(incentive game)",
    parameters=SUBSIDY_PARAMETERS,
    generator="stackopt.models.ai_race:build_subsidy",
    kinds=("incentive",),
    source=_SOURCE + "; incentives: Zhang, Yue & Fang (2022) section 4.1 (eq. 12-13)",
)
