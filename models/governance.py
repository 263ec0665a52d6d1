r"""Regulator vs AI firm with a finite menu (deterministic generator of normal-form and
incentive games).

The finite-menu version of the six-dimension regulation model (paper section 3, eqs. 6-11;
the continuous model is :mod:`stackopt.models.regulation`). It replaces an earlier 4x5 table
whose regulator loss depended on the standard only through its enforcement cost, so that the
regulator, as follower, always answered ``laissez_faire`` and "the firm leads" was degenerate.
Here the regulator's loss includes the fines it collects and a standard changes what the firm
pays, so the regulator's answer depends on the firm's commitment and both orders of play are
meaningful.

**Dimensions and defaults** (the six-dimension model's): scores
:math:`\mu_k = \min(1, \mu^0_k + a_k x_k)` on performance, robustness, explainability,
fairness, privacy, security with :math:`\mu^0 = (.5, .4, .3, .4, .4, .4)`,
:math:`a = (.8, 1, .8, 1, 1, 1)` (score per value unit spent), revenue weights
:math:`r = (3, .9, .3, .3, .5, .8)`, budget :math:`B = 2.5`, the regulator's value of
performance :math:`v_P = 2`, harm weights :math:`w = (.5, .25, .5, .4, .5)` on the five
safety dimensions :math:`S`, domain multiplier :math:`m = 2` (safety-critical), fine cap 5,
enforcement cost :math:`c_\tau = 0.1` per unit standard and :math:`c_f = 0.05` per unit fine
rate, per safety dimension. Units: value units per period; scores in [0, 1].

**Firm menu** (spending allocations :math:`x`, derived from the defaults):

* ``race``: performance to 1 (:math:`x_P = (1 - \mu^0_P)/a_P = 0.625`), nothing on safety;
* ``basic``: performance to 1 and every safety dimension to 0.6 (spend 1.8);
* ``full_safety``: every safety dimension to 0.8 (spend 2.225) and the rest of the budget on
  performance (:math:`\mu_P = 0.72`; spend 2.5).

**Regulator menu** (standard :math:`\tau` on every safety dimension, fine rate :math:`f` per
unit shortfall):

* ``light``: :math:`\tau = 0.5`, :math:`f = 1`;
* ``audit``: :math:`\tau = 0.6`, :math:`f = 2.5`;
* ``strict``: :math:`\tau = 0.8`, :math:`f = 5` (the fine cap);
* ``ban``: systems below :math:`\tau = 0.8` on any safety dimension may not be deployed
  (licensing; no fine, enforcement cost of a standard at 0.8).

**Payoffs** (:math:`g = \sum_{k \in S} \max(0, \tau - \mu_k)` the total shortfall,
:math:`\mathrm{spend} = \sum_k x_k`):

* firm (eq. 6): :math:`J = \sum_k r_k \mu_k - \mathrm{spend} - f g`; under ``ban`` a banned
  system earns no revenue: :math:`J = -\mathrm{spend}`;
* regulator (eq. 7): loss :math:`L = m \sum_{k \in S} w_k (1 - \mu_k) - v_P \mu_P
  + |S| (c_\tau \tau + c_f f) - f g`; a banned system does no harm and brings no value:
  :math:`L = |S| c_\tau \tau`. The regulator's payoff is :math:`-L`.

Equilibria (tests/test_examples.py checks them against vertex enumeration): when the
regulator leads it randomises light (0.80) and strict (0.20) and the firm builds ``basic``
safety (regulator loss -0.535); pure standards do worse (``ban``: loss -0.18, the firm goes
``full_safety``). When the firm leads it commits to ``full_safety`` and the regulator answers
``ban`` (a licensing regime the system passes); a racing firm would be fined under ``strict``.

**Incentive version** (``data/incentive/governance_menu.yaml``): the regulator leads and may
also pay a subsidy of at most 1 (the paper's :math:`v \in [0, 1]`) when the firm builds
``basic`` or ``full_safety`` (paper section 4.1, eqs. 12-13).

Run ``python models/governance.py`` to (re)write ``data/governance_regulator_leads.yaml``,
``data/governance_firm_leads.yaml`` and ``data/incentive/governance_menu.yaml``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

DIMENSIONS = ("performance", "robustness", "explainability", "fairness", "privacy", "security")
SAFETY = DIMENSIONS[1:]

MU0 = np.array([0.5, 0.4, 0.3, 0.4, 0.4, 0.4])  # starting scores
GAIN = np.array([0.8, 1.0, 0.8, 1.0, 1.0, 1.0])  # a: score per value unit spent
REVENUE = np.array([3.0, 0.9, 0.3, 0.3, 0.5, 0.8])  # r: value units per unit score
BUDGET = 2.5  # B
VALUE_PERFORMANCE = 2.0  # v_P
HARM_WEIGHTS = np.array([0.5, 0.25, 0.5, 0.4, 0.5])  # w on the safety dimensions
DOMAIN_MULTIPLIER = 2.0  # m (safety-critical)
FINE_CAP = 5.0
ENFORCEMENT_STANDARD = 0.1  # c_tau per unit standard and dimension
ENFORCEMENT_FINE = 0.05  # c_f per unit fine rate and dimension

#: firm action -> (performance target, safety target) of its allocation
FIRM_MENU: dict[str, tuple[float, float]] = {
    "race": (1.0, 0.0),
    "basic": (1.0, 0.6),
    "full_safety": (1.0, 0.8),
}
#: regulator action -> (standard tau, fine rate f); ``ban`` licenses systems at tau
REGULATOR_MENU: dict[str, tuple[float, float]] = {
    "light": (0.5, 1.0),
    "audit": (0.6, 2.5),
    "strict": (0.8, FINE_CAP),
    "ban": (0.8, 0.0),
}
#: incentive version: at most this subsidy, paid for these firm actions
SUBSIDY_MAX = 1.0
SUBSIDISED = ("basic", "full_safety")


def allocation(performance_target: float, safety_target: float) -> np.ndarray:
    """Spending ``x``: safety dimensions up to ``safety_target`` first, then performance up to
    its target with what is left of the budget."""
    x = np.zeros(6)
    x[1:] = np.maximum(0.0, (safety_target - MU0[1:]) / GAIN[1:])
    rest = BUDGET - float(x.sum())
    if rest < -1e-12:
        raise ValueError("the safety target does not fit in the budget")
    x[0] = min(rest, max(0.0, (performance_target - MU0[0]) / GAIN[0]))
    return x


def scores(x: np.ndarray) -> np.ndarray:
    r""":math:`\mu = \min(1, \mu^0 + a x)`."""
    return np.minimum(1.0, MU0 + GAIN * x)


def payoffs(x: np.ndarray, regime: str) -> tuple[float, float]:
    """``(firm value J, regulator loss L)`` of allocation ``x`` under ``regime``."""
    tau, fine = REGULATOR_MENU[regime]
    mu = scores(x)
    spend = float(x.sum())
    revenue = float(REVENUE @ mu)
    harm = DOMAIN_MULTIPLIER * float(HARM_WEIGHTS @ (1.0 - mu[1:])) - VALUE_PERFORMANCE * float(
        mu[0]
    )
    enforcement = len(SAFETY) * (ENFORCEMENT_STANDARD * tau + ENFORCEMENT_FINE * fine)
    if regime == "ban":
        if bool((mu[1:] >= tau - 1e-12).all()):
            return revenue - spend, harm + enforcement
        return -spend, enforcement
    shortfall = float(np.maximum(0.0, tau - mu[1:]).sum())
    return revenue - spend - fine * shortfall, harm + enforcement - fine * shortfall


def payoff_matrices(decimals: int = 9) -> tuple[np.ndarray, np.ndarray]:
    """``(regulator payoff -L, firm payoff J)``: rows regimes, columns firm actions."""
    reg = np.zeros((len(REGULATOR_MENU), len(FIRM_MENU)))
    firm = np.zeros_like(reg)
    for j, targets in enumerate(FIRM_MENU.values()):
        x = allocation(*targets)
        for i, regime in enumerate(REGULATOR_MENU):
            J, L = payoffs(x, regime)
            reg[i, j], firm[i, j] = -L, J
    return np.round(reg, decimals) + 0.0, np.round(firm, decimals) + 0.0


def build_game(leader: str = "regulator"):
    """The menu game as a :class:`~stackopt.kinds.normal_form.game.NormalFormGame`.

    ``leader="regulator"``: rows are regimes (safety-critical and military domains).
    ``leader="firm"``: the same payoffs transposed, rows are firm actions (civil domains).
    """
    from stackopt.kinds.normal_form.game import NormalFormGame

    reg, firm = payoff_matrices()
    regimes, actions = tuple(REGULATOR_MENU), tuple(FIRM_MENU)
    if leader == "regulator":
        return NormalFormGame(
            reg,
            firm,
            regimes,
            actions,
            leader_name="regulator",
            follower_name="firm",
            name="governance_regulator_leads",
        )
    if leader == "firm":
        return NormalFormGame(
            firm.T,
            reg.T,
            actions,
            regimes,
            leader_name="firm",
            follower_name="regulator",
            name="governance_firm_leads",
        )
    raise ValueError(f"leader must be 'regulator' or 'firm', got {leader!r}")


def build_incentive_game():
    """The regulator-leads game with a subsidy (at most ``SUBSIDY_MAX``, cost weight 1) for
    the firm actions in ``SUBSIDISED``: an :class:`~stackopt.kinds.incentive.game.IncentiveGame`."""
    from dataclasses import replace

    from stackopt.kinds.incentive.game import IncentiveGame, Incentives

    base = replace(build_game("regulator"), name="governance_menu")
    return IncentiveGame(base, Incentives(max=SUBSIDY_MAX, cost_weight=1.0, actions=SUBSIDISED))


def header(leader: str) -> str:
    """The comment block written at the top of a data file."""
    who = {
        "regulator": "The regulator leads (safety-critical and military domains): it commits "
        "to a (possibly randomised)\n# regime, the firm best-responds.",
        "firm": "The firm leads (civil domains): it commits to a (possibly mixed) development "
        "plan, the regulator\n# best-responds with a regime.",
        "incentive": "The regulator leads and may also subsidise basic or full safety (at most "
        "1 per period, paid\n# from its own payoff): paper section 4.1.",
    }[leader]
    return (
        "# AI governance with a finite menu: firm race / basic / full_safety, regulator light /"
        " audit /\n# strict / ban (licensing at 0.8).\n"
        f"# {who}\n"
        "# Regulator payoff = -L (harm from weak safety dimensions minus the value of "
        "performance plus\n# enforcement costs minus fines collected); firm payoff = J "
        "(revenue minus spend minus fines).\n"
        "# Source: generated by models/governance.py (formulas and defaults in its docstring);"
        "\n# do not edit by hand, re-run `python models/governance.py`.\n"
    )


def write(path: Path, leader: str) -> None:
    """Write the game (``leader``: regulator, firm or incentive) with its comment header."""
    import yaml

    from stackopt.io.load import save_game

    if leader == "incentive":
        from stackopt.kinds.incentive.io_yaml import incentive_to_dict

        path.write_text(
            yaml.safe_dump(
                incentive_to_dict(build_incentive_game()), sort_keys=False, default_flow_style=None
            ),
            encoding="utf-8",
        )
    else:
        save_game(build_game(leader), path)
    path.write_text(header(leader) + path.read_text(encoding="utf-8"), encoding="utf-8")


OUTPUTS = (
    ("regulator", "governance_regulator_leads.yaml"),
    ("firm", "governance_firm_leads.yaml"),
    ("incentive", "incentive/governance_menu.yaml"),
)


def main() -> None:
    out = ROOT / "data"
    for leader, name in OUTPUTS:
        write(out / name, leader)
        print(out / name)


if __name__ == "__main__":
    main()
