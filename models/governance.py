r"""Regulator-vs-firm AI governance game (deterministic generator of a normal-form game).

The game follows the structure of the paper behind stackopt: AI governance as a Stackelberg game
between a regulator and an AI firm, where either may lead (firms in civil domains, the regulator
in safety-critical and military domains). A firm strategy :math:`\pi` is scored on six
dimensions :math:`\mu(\pi) \in [0, 1]^6` (performance, robustness, explainability, fairness,
privacy, security); the regulator sets a standard :math:`\omega` (thresholds on the five safety
dimensions, plus an audit probability); the firm maximises :math:`J(\mu, c(\mu, \omega))`, the
regulator minimises :math:`L(\mu, \omega)`.

Everything is deterministic (no random numbers): the tables below *are* the model. Units are
"value units" (think millions per year); only differences matter to the equilibrium.

Firm strategies and their scores :math:`\mu` (``FIRM_STRATEGIES``):

==================  ====  ====  ====  ====  ====  ====
strategy            perf  rob   expl  fair  priv  sec
==================  ====  ====  ====  ====  ====  ====
frontier_race       0.95  0.45  0.20  0.40  0.35  0.40
fast_follower       0.80  0.50  0.35  0.50  0.45  0.50
open_weights        0.85  0.55  0.60  0.55  0.50  0.30
balanced            0.75  0.70  0.55  0.65  0.65  0.70
safety_first        0.60  0.90  0.80  0.85  0.85  0.90
==================  ====  ====  ====  ====  ====  ====

Regulator standards (``STANDARDS``): a common threshold :math:`\theta(\omega)` on every safety
dimension, an audit probability :math:`p(\omega)`, a fixed compliance overhead
:math:`a(\omega)` borne by the firm and an enforcement cost :math:`e(\omega)` borne by the
regulator:

==============  ========  ====  ====  ====
standard        theta     p     a     e
==============  ========  ====  ====  ====
laissez_faire   0.00      0.00  0.0   0.0
light_touch     0.50      0.30  0.3   0.4
risk_based      0.65      0.60  0.6   1.0
strict          0.80      0.90  1.0   1.8
==============  ========  ====  ====  ====

Formulas (:math:`S` = the five safety dimensions, :math:`\bar\mu_S` their mean,
:math:`g_d = \max(0, \theta(\omega) - \mu_d)` the shortfall on dimension :math:`d`):

* revenue :math:`R(\mu) = \rho\,\mu_{perf} + \tau\,\bar\mu_S`, with :math:`\rho = 10`
  (performance drives market share) and :math:`\tau = 2` (a trust premium);
* compliance cost :math:`c(\mu, \omega) = a(\omega) + \kappa \sum_{d \in S} \theta(\omega)
  (1 - \mu_d)`, with :math:`\kappa = 1.5`: the overhead of the standard plus the effort of
  testing and documenting each dimension up to the threshold, larger the weaker the product;
* penalty :math:`P(\mu, \omega) = p(\omega)\, F \sum_{d \in S} g_d`, with :math:`F = 12`:
  the expected fine, audit probability times fine per unit of shortfall;
* firm value :math:`J = R(\mu) - c(\mu, \omega) - P(\mu, \omega)` (the firm's payoff);
* regulator loss :math:`L = H \sum_{d \in S} w_d (1 - \mu_d) + e(\omega)`, with harm scale
  :math:`H = 6` and weights :math:`w` = robustness 0.25, explainability 0.15, fairness 0.2,
  privacy 0.15, security 0.25 (expected societal harm from weak safety dimensions plus the cost
  of enforcing the standard); the regulator's payoff is :math:`-L`.

A mixed commitment of the regulator is a randomised enforcement regime (which standard is
applied to a given product or audit cycle); a mixed commitment of the firm is a portfolio of
development lines.

Run ``python models/governance.py`` to (re)write ``data/governance_regulator_leads.yaml``
(regulator leads: safety-critical domains) and ``data/governance_firm_leads.yaml`` (the same
game, the firm leads: civil domains).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

DIMENSIONS = ("performance", "robustness", "explainability", "fairness", "privacy",
              "security")
SAFETY = DIMENSIONS[1:]

#: mu(pi): scores in [0, 1] on the six dimensions, in ``DIMENSIONS`` order.
FIRM_STRATEGIES: dict[str, tuple[float, ...]] = {
    "frontier_race": (0.95, 0.45, 0.20, 0.40, 0.35, 0.40),
    "fast_follower": (0.80, 0.50, 0.35, 0.50, 0.45, 0.50),
    "open_weights": (0.85, 0.55, 0.60, 0.55, 0.50, 0.30),
    "balanced": (0.75, 0.70, 0.55, 0.65, 0.65, 0.70),
    "safety_first": (0.60, 0.90, 0.80, 0.85, 0.85, 0.90),
}

#: omega: (threshold theta, audit probability p, firm overhead a, enforcement cost e).
STANDARDS: dict[str, tuple[float, float, float, float]] = {
    "laissez_faire": (0.00, 0.00, 0.0, 0.0),
    "light_touch": (0.50, 0.30, 0.3, 0.4),
    "risk_based": (0.65, 0.60, 0.6, 1.0),
    "strict": (0.80, 0.90, 1.0, 1.8),
}

REVENUE_PER_PERFORMANCE = 10.0   # rho
TRUST_PREMIUM = 2.0              # tau
COMPLIANCE_EFFORT = 1.5          # kappa
FINE_PER_SHORTFALL = 12.0        # F
HARM_SCALE = 6.0                 # H
HARM_WEIGHTS = {"robustness": 0.25, "explainability": 0.15, "fairness": 0.20,
                "privacy": 0.15, "security": 0.25}


def compliance_cost(mu: np.ndarray, standard: tuple[float, float, float, float]) -> float:
    r""":math:`c(\mu, \omega) = a(\omega) + \kappa \sum_{d \in S} \theta(\omega)(1 - \mu_d)`."""
    theta, _, a, _ = standard
    return a + COMPLIANCE_EFFORT * float(np.sum(theta * (1.0 - mu[1:])))


def penalty(mu: np.ndarray, standard: tuple[float, float, float, float]) -> float:
    r""":math:`P(\mu, \omega) = p(\omega) F \sum_{d \in S} \max(0, \theta(\omega) - \mu_d)`."""
    theta, p, _, _ = standard
    return p * FINE_PER_SHORTFALL * float(np.sum(np.maximum(0.0, theta - mu[1:])))


def firm_value(mu: np.ndarray, standard: tuple[float, float, float, float]) -> float:
    r""":math:`J = \rho \mu_{perf} + \tau \bar\mu_S - c(\mu, \omega) - P(\mu, \omega)`."""
    revenue = REVENUE_PER_PERFORMANCE * mu[0] + TRUST_PREMIUM * float(np.mean(mu[1:]))
    return revenue - compliance_cost(mu, standard) - penalty(mu, standard)


def regulator_loss(mu: np.ndarray, standard: tuple[float, float, float, float]) -> float:
    r""":math:`L = H \sum_{d \in S} w_d (1 - \mu_d) + e(\omega)`."""
    w = np.array([HARM_WEIGHTS[d] for d in SAFETY])
    return HARM_SCALE * float(w @ (1.0 - mu[1:])) + standard[3]


def payoff_matrices(decimals: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """``(regulator payoff -L, firm payoff J)``: rows standards, columns firm strategies."""
    reg = np.zeros((len(STANDARDS), len(FIRM_STRATEGIES)))
    firm = np.zeros_like(reg)
    for i, std in enumerate(STANDARDS.values()):
        for j, scores in enumerate(FIRM_STRATEGIES.values()):
            mu = np.asarray(scores, dtype=float)
            reg[i, j] = -regulator_loss(mu, std)
            firm[i, j] = firm_value(mu, std)
    return np.round(reg, decimals), np.round(firm, decimals)


def build_game(leader: str = "regulator"):
    """The governance game as a :class:`~stackopt.kinds.normal_form.game.NormalFormGame`.

    ``leader="regulator"``: rows are standards (regulator leads; safety-critical domains).
    ``leader="firm"``: the same payoffs transposed, rows are firm strategies (civil domains).
    """
    from stackopt.kinds.normal_form.game import NormalFormGame

    reg, firm = payoff_matrices()
    standards, strategies = tuple(STANDARDS), tuple(FIRM_STRATEGIES)
    if leader == "regulator":
        return NormalFormGame(reg, firm, standards, strategies, leader_name="regulator",
                              follower_name="firm", name="governance_regulator_leads")
    if leader == "firm":
        return NormalFormGame(firm.T, reg.T, strategies, standards, leader_name="firm",
                              follower_name="regulator", name="governance_firm_leads")
    raise ValueError(f"leader must be 'regulator' or 'firm', got {leader!r}")


def header(leader: str) -> str:
    """The comment block written at the top of the data file."""
    who = ("The regulator leads (safety-critical and military domains): it commits to a "
           "(possibly randomised)\n# enforcement regime, the firm best-responds."
           if leader == "regulator" else
           "The firm leads (civil domains): it commits to a (possibly mixed) portfolio of "
           "development\n# strategies, the regulator best-responds with a standard.")
    return (
        "# AI governance as a Stackelberg game between a regulator and an AI firm.\n"
        f"# {who}\n"
        "# Regulator payoff = -L (societal harm from weak robustness/explainability/fairness/\n"
        "# privacy/security plus enforcement cost); firm payoff = J (performance-driven revenue\n"
        "# minus compliance cost c(mu, omega) minus expected fine for shortfalls).\n"
        "# Source: generated by models/governance.py (formulas and tables in its docstring);\n"
        "# do not edit by hand, re-run `python models/governance.py`.\n")


def write(path: Path, leader: str) -> None:
    """Write the game with ``save_game`` and prepend the comment header."""
    from stackopt.io.load import save_game

    save_game(build_game(leader), path)
    path.write_text(header(leader) + path.read_text(encoding="utf-8"), encoding="utf-8")


def main() -> None:
    out = ROOT / "data"
    for leader, name in (("regulator", "governance_regulator_leads.yaml"),
                         ("firm", "governance_firm_leads.yaml")):
        write(out / name, leader)
        print(out / name)


if __name__ == "__main__":
    main()
