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

The formulas live in the package (:mod:`stackopt.models.governance_menu`, the parameterised
models ``governance_menu`` and ``governance_menu_subsidy``; ``stackopt solve governance_menu
--set ...``); this script writes the bundled data files at the defaults.

Run ``python models/governance.py`` to (re)write ``data/governance_regulator_leads.yaml``,
``data/governance_firm_leads.yaml`` and ``data/incentive/governance_menu.yaml``.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from stackopt.models import governance_menu as model

#: the package model's default parameters (the six-dimension model's defaults)
PARAMETERS = dict(model.DEFAULTS)
#: firm action -> (performance target, safety target) of its allocation
FIRM_MENU: dict[str, tuple[float, float]] = model.firm_menu(PARAMETERS)
#: regulator action -> (standard tau, fine rate f); ``ban`` licenses systems at tau
REGULATOR_MENU: dict[str, tuple[float, float]] = model.regulator_menu(PARAMETERS)
#: incentive version: at most this subsidy, paid for these firm actions
SUBSIDY_MAX = 1.0
SUBSIDISED = ("basic", "full_safety")


def payoff_matrices(decimals: int = 9) -> tuple[np.ndarray, np.ndarray]:
    """``(regulator payoff -L, firm payoff J)``: rows regimes, columns firm actions."""
    return model.payoff_matrices(PARAMETERS, decimals)


def build_game(leader: str = "regulator"):
    """The menu game as a :class:`~stackopt.kinds.normal_form.game.NormalFormGame`: the
    package model ``governance_menu`` with ``leadership=leader``.

    ``leader="regulator"``: rows are regimes (safety-critical and military domains).
    ``leader="firm"``: the same payoffs transposed, rows are firm actions (civil domains).
    """
    from stackopt.models import load_model

    if leader not in ("regulator", "firm"):
        raise ValueError(f"leader must be 'regulator' or 'firm', got {leader!r}")
    game = load_model("governance_menu", leadership=leader)
    return replace(game, name=f"governance_{leader}_leads")


def build_incentive_game():
    """The regulator-leads game with a subsidy (at most ``SUBSIDY_MAX``, cost weight 1) for
    the firm actions in ``SUBSIDISED``: an :class:`~stackopt.kinds.incentive.game.IncentiveGame`
    (the package model ``governance_menu_subsidy``)."""
    from stackopt.models import load_model

    game = load_model(
        "governance_menu_subsidy",
        subsidy_max=SUBSIDY_MAX,
        cost_weight=1.0,
        **{f"subsidise_{a}": a in SUBSIDISED for a in FIRM_MENU},
    )
    return replace(game, base=replace(game.base, name="governance_menu"))


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
