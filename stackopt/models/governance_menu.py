r"""Regulator vs AI firm with a finite menu: ``governance_menu`` and ``governance_menu_subsidy``.

The finite-menu version of the six-dimension regulation model (paper section 3, eq. 6-11; the
continuous model is :mod:`stackopt.models.regulation`, whose parameter names and defaults it
shares). Both players choose from short menus, so the game is a normal-form game in either
order of play (an incentive game when the regulator may also subsidise, section 4.1,
eq. 12-13).

**Scores.** Spending :math:`x_k \ge 0` on dimension :math:`k` gives
:math:`\mu_k = \min(1, \mu^0_k + a_k x_k)` (performance, robustness, explainability, fairness,
privacy, security; :math:`S` = the five safety dimensions).

**Firm menu** (budget :math:`B`; an allocation lifts every safety dimension to a target
first, then performance towards 1 with what is left):

* ``race``: performance to 1, nothing on safety;
* ``basic``: every safety dimension to ``basic_target`` (0.6), performance to 1;
* ``full_safety``: every safety dimension to ``full_safety_target`` (0.8), the rest of the
  budget on performance.

**Regulator menu** (standard :math:`\tau` on every safety dimension, fine rate :math:`f` per
unit shortfall): ``light`` (``light_standard``, ``light_fine``), ``audit`` (``audit_standard``,
``audit_fine``), ``strict`` (``strict_standard``, the fine cap ``fine_cap``) and ``ban``
(licensing: a system below ``ban_standard`` on any safety dimension may not be deployed; no
fine).

**Payoffs** (:math:`g = \sum_{k \in S} \max(0, \tau - \mu_k)`, spend :math:`= \sum_k x_k`):
firm (eq. 6) :math:`J = \sum_k r_k \mu_k - \mathrm{spend} - f g`, a banned system earns no
revenue (:math:`J = -\mathrm{spend}`); regulator loss (eq. 7)
:math:`L = m \sum_{k \in S} w_k (1 - \mu_k) - v_P \mu_P + |S| (c_\tau \tau + c_f f) - f g`
with the domain's harm multiplier :math:`m`; a banned system does no harm and brings no value:
:math:`L = |S| c_\tau \tau`. The regulator's payoff is :math:`-L`.

**Who leads** (section 3), as in ``ai_regulation``: by domain (civil -> the firm leads), by a
capability threshold, or forced. Regulator leads: rows are regimes, columns firm plans. Firm
leads: the same payoffs transposed.

**Subsidy version** (``governance_menu_subsidy``, section 4.1): the regulator leads and may also
pay the firm at most ``subsidy_max`` when it takes a subsidised plan, at ``cost_weight`` per unit
paid (an :class:`~stackopt.kinds.incentive.game.IncentiveGame`).

Units: value units per period; scores in [0, 1]. ``models/governance.py`` writes the bundled
data files from these functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stackopt.errors import InputError
from stackopt.models.params import ParameterSpec, subsidy_game, subsidy_parameters
from stackopt.models.registry import ModelSpec
from stackopt.models.regulation import DIMENSIONS, SAFETY, score_vectors
from stackopt.models.regulation import PARAMETERS as _REGULATION

FIRM_ACTIONS = ("race", "basic", "full_safety")
REGIMES = ("light", "audit", "strict", "ban")

_SHARED = {p.name: p for p in _REGULATION}
_WHO = ("leadership", "domain", "capability", "threshold")
_COMMON = (
    "multiplier_civil",
    "multiplier_safety_critical",
    "multiplier_military",
    "budget",
    *(f"{f}_{d}" for f in ("mu0", "a", "r") for d in DIMENSIONS),
    *(f"w_{d}" for d in SAFETY),
    "value_performance",
    "fine_cap",
    "enforcement_standard",
    "enforcement_fine",
)


def _score(name: str, default: float, doc: str) -> ParameterSpec:
    return ParameterSpec(name, "float", default, doc, 0.0, 1.0, units="score")


def _rate(name: str, default: float, doc: str) -> ParameterSpec:
    return ParameterSpec(
        name, "float", default, doc, 0.0, 1e3, units="value units per unit shortfall"
    )


MENU_PARAMETERS: tuple[ParameterSpec, ...] = (
    _score("basic_target", 0.6, "firm plan basic: every safety dimension's score target"),
    _score(
        "full_safety_target", 0.8, "firm plan full_safety: every safety dimension's score target"
    ),
    _score("light_standard", 0.5, "regime light: the standard on every safety dimension"),
    _rate("light_fine", 1.0, "regime light: fine rate per unit shortfall"),
    _score("audit_standard", 0.6, "regime audit: the standard on every safety dimension"),
    _rate("audit_fine", 2.5, "regime audit: fine rate per unit shortfall"),
    _score(
        "strict_standard",
        0.8,
        "regime strict: the standard on every safety dimension (fine rate: fine_cap)",
    ),
    _score("ban_standard", 0.8, "regime ban: the licensing standard (below it: no deployment)"),
)

PARAMETERS: tuple[ParameterSpec, ...] = (
    *(_SHARED[n] for n in _WHO),
    *(_SHARED[n] for n in _COMMON),
    *MENU_PARAMETERS,
)

SUBSIDY_PARAMETERS: tuple[ParameterSpec, ...] = (
    _SHARED["domain"],
    *(_SHARED[n] for n in _COMMON),
    *MENU_PARAMETERS,
    *subsidy_parameters(
        1.0, "largest subsidy per subsidised plan (the paper's v in [0, 1])", 1e3, "value units"
    ),
    ParameterSpec("subsidise_race", "bool", False, "whether plan race may be subsidised"),
    ParameterSpec("subsidise_basic", "bool", True, "whether plan basic may be subsidised"),
    ParameterSpec(
        "subsidise_full_safety", "bool", True, "whether plan full_safety may be subsidised"
    ),
    ParameterSpec(
        "contract",
        "str",
        "uniform",
        "uniform: one subsidy per firm plan; per_action: it may depend on the regime drawn",
        choices=("uniform", "per_action"),
    ),
)

#: Every parameter of ``governance_menu`` at its default.
DEFAULTS: dict[str, Any] = {p.name: p.default for p in PARAMETERS}


def firm_menu(v: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Firm plan -> (performance target, safety target)."""
    return {
        "race": (1.0, 0.0),
        "basic": (1.0, float(v["basic_target"])),
        "full_safety": (1.0, float(v["full_safety_target"])),
    }


def regulator_menu(v: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Regime -> (standard tau, fine rate f); ``ban`` licenses systems at its standard."""
    return {
        "light": (float(v["light_standard"]), float(v["light_fine"])),
        "audit": (float(v["audit_standard"]), float(v["audit_fine"])),
        "strict": (float(v["strict_standard"]), float(v["fine_cap"])),
        "ban": (float(v["ban_standard"]), 0.0),
    }


def allocation(
    v: dict[str, Any], performance_target: float, safety_target: float, plan: str = ""
) -> np.ndarray:
    """Spending ``x``: safety dimensions up to ``safety_target`` first, then performance up to
    its target with what is left of the budget ``B``."""
    mu0, a, _, _ = score_vectors(v)
    x = np.zeros(6)
    if bool(np.any((a[1:] <= 0) & (safety_target > mu0[1:]))):
        raise InputError(
            f"plan {plan or 'of the firm'} cannot reach the safety target {safety_target:g}: "
            "some a_<dim> is 0",
            field="parameters.a_<dim>",
            fix="give every safety dimension a positive a_<dim>, or lower the target",
        )
    need = np.where(a[1:] > 0, (safety_target - mu0[1:]) / np.where(a[1:] > 0, a[1:], 1.0), 0.0)
    x[1:] = np.maximum(0.0, need)
    rest = v["budget"] - float(x.sum())
    if rest < -1e-12:
        raise InputError(
            f"plan {plan} needs {float(x.sum()):.6g} value units for its safety target "
            f"{safety_target:g} but the budget is {v['budget']:g}",
            field="parameters.budget",
            fix="raise budget or lower the plan's target",
        )
    x[0] = min(rest, max(0.0, (performance_target - mu0[0]) / a[0])) if a[0] > 0 else 0.0
    return x


def payoffs(v: dict[str, Any], x: np.ndarray, regime: str) -> tuple[float, float]:
    """``(firm value J, regulator loss L)`` of allocation ``x`` under ``regime`` (eq. 6-7)."""
    mu0, a, r, w = score_vectors(v)
    tau, fine = regulator_menu(v)[regime]
    mu = np.minimum(1.0, mu0 + a * x)
    spend = float(x.sum())
    revenue = float(r @ mu)
    m = float(v[f"multiplier_{v['domain']}"])
    harm = m * float(w @ (1.0 - mu[1:])) - v["value_performance"] * float(mu[0])
    enforcement = len(SAFETY) * (v["enforcement_standard"] * tau + v["enforcement_fine"] * fine)
    if regime == "ban":
        if bool((mu[1:] >= tau - 1e-12).all()):
            return revenue - spend, harm + enforcement
        return -spend, enforcement
    shortfall = float(np.maximum(0.0, tau - mu[1:]).sum())
    return revenue - spend - fine * shortfall, harm + enforcement - fine * shortfall


def payoff_matrices(v: dict[str, Any], decimals: int = 9) -> tuple[np.ndarray, np.ndarray]:
    """``(regulator payoff -L, firm payoff J)``: rows regimes, columns firm plans, rounded to
    ``decimals`` (the bundled files hold 9)."""
    reg = np.zeros((len(REGIMES), len(FIRM_ACTIONS)))
    firm = np.zeros_like(reg)
    for j, (plan, targets) in enumerate(firm_menu(v).items()):
        x = allocation(v, *targets, plan=plan)
        for i, regime in enumerate(REGIMES):
            J, L = payoffs(v, x, regime)
            reg[i, j], firm[i, j] = -L, J
    return np.round(reg, decimals) + 0.0, np.round(firm, decimals) + 0.0


def regulator_leads(v: dict[str, Any]) -> bool:
    """Who leads (paper section 3); the same rule as ``ai_regulation``."""
    from stackopt.models.regulation import regulator_leads as rule

    return rule(v)


def build(v: dict[str, Any], *, name: str) -> Any:
    """``governance_menu``: the normal-form game in the order of play ``v`` selects."""
    from stackopt.kinds.normal_form.game import NormalFormGame

    reg, firm = payoff_matrices(v)
    game = NormalFormGame(
        reg, firm, REGIMES, FIRM_ACTIONS, leader_name="regulator", follower_name="firm", name=name
    )
    return game if regulator_leads(v) else game.swap_roles()


def build_subsidy(v: dict[str, Any], *, name: str) -> Any:
    """``governance_menu_subsidy``: the regulator leads and may subsidise (section 4.1)."""
    payable = tuple(a for a in FIRM_ACTIONS if v[f"subsidise_{a}"])
    if not payable:
        raise InputError(
            "no firm plan may be subsidised",
            field="parameters.subsidise_basic",
            fix="set at least one subsidise_<plan> to true, or use model governance_menu",
        )
    base = build({**v, "leadership": "regulator"}, name=name)
    return subsidy_game(base, v, payable, v["contract"])


def outcome(result: Any) -> dict[str, float | None]:
    """The firm's J and the regulator's loss L from a result of either order (the regulator's
    payoff is -L). A result without a leader name is read with the regulator as row player."""
    lv, fv = result.leader.value, result.follower.value
    if getattr(result.leader, "name", None) == "firm":
        return {"firm J": lv, "regulator L": None if fv is None else -fv}
    return {"firm J": fv, "regulator L": None if lv is None else -lv}


_SOURCE = (
    "Zhang, Yue & Fang (2022), A Game-Theoretic Framework for AI Governance, section 3 "
    "(eq. 6-11); finite menus from the six-dimension model's defaults"
)

MODEL = ModelSpec(
    name="governance_menu",
    summary="regulator (light/audit/strict/ban) vs AI firm (race/basic/full_safety), finite "
    "menus from the six-dimension defaults; who leads by domain, capability or forced",
    parameters=PARAMETERS,
    generator="stackopt.models.governance_menu:build",
    kinds=("normal_form",),
    source=_SOURCE,
    orders={
        "regulator leads": ({"leadership": "regulator"}, {}),
        "firm leads": ({"leadership": "firm"}, {}),
    },
    outcome="stackopt.models.governance_menu:outcome",
    finite_order="regulator leads",
)

SUBSIDY_MODEL = ModelSpec(
    name="governance_menu_subsidy",
    summary="the governance menu with the regulator leading and subsidising safe plans "
    "(incentive game)",
    parameters=SUBSIDY_PARAMETERS,
    generator="stackopt.models.governance_menu:build_subsidy",
    kinds=("incentive",),
    source=_SOURCE + "; incentives: section 4.1 (eq. 12-13)",
)
