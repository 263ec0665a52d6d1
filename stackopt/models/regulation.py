r"""The six-dimension AI-regulation model (continuous), in both orders of play.

Dimensions :math:`k \in K` = performance, robustness, explainability, fairness, privacy,
security; :math:`S = K \setminus \{\text{performance}\}` are the five *safety* dimensions.

Firm (paper eq. 6, 12). It spends :math:`x_k \ge 0` budget units on dimension :math:`k`,
:math:`\sum_k x_k \le B`, and reaches scores :math:`\mu_k = \min(1, \mu^0_k + a_k x_k)`. Its value

.. math::

    J = \sum_{k \in K} r_k \mu_k - \sum_{k \in K} x_k
        - \sum_{k \in S} f_k \max(0, \tau_k - \mu_k)
        + \sum_{k \in S} s_k (\mu_k - \mu^0_k)

(revenue minus spend minus fines plus subsidies; a subsidy is paid per unit of score
*improvement*, so it rewards effort and not the starting point).

Regulator (paper eq. 7, 13). It sets standards :math:`\tau_k \in [0, 1]`, fine rates
:math:`0 \le f_k \le F` (the fine cap) and subsidy rates :math:`0 \le s_k \le \bar s` on the
safety dimensions, and its loss is

.. math::

    L = m_{domain} \sum_{k \in S} w_k (1 - \mu_k) - v_P \mu_P
        + c_\tau \sum_{k \in S} \tau_k + c_f \sum_{k \in S} f_k
        + \sum_{k \in S} s_k (\mu_k - \mu^0_k) - \sum_{k \in S} f_k \max(0, \tau_k - \mu_k)

(harm from weak safety dimensions scaled by the domain, minus the value of performance, plus
enforcement costs, plus subsidies paid, minus fines collected).

**Regulator leads** (safety-critical and military domains, or capability at or above the
threshold; paper eq. 10-11): a :class:`~stackopt.kinds.bilevel.game.BilevelProblem` whose
follower is the firm's linear program in :math:`(x, \mu, g)` with the shortfall
:math:`g_k \ge \tau_k - \mu_k,\ g_k \ge 0` (the firm pays :math:`f_k g_k`, so at its optimum
:math:`g_k = \max(0, \tau_k - \mu_k)` whenever :math:`f_k > 0`), and whose leader objective
has the products :math:`f_k g_k` and :math:`s_k \mu_k` (solved exactly by
:mod:`stackopt.formulations.bilinear_leader`). Standards are either fixed (``standards:
fixed``, the values ``standard_<dim>``) or chosen on the grid
:math:`\tau_k \in \{0, 1/n, \dots, 1\}` (``standards: grid``, :math:`n` = ``standard_levels``,
leader variables ``level[k]`` integer with :math:`\tau_k = level_k / n`) — exact for that grid,
because the products of a standard and the firm's dual price of its shortfall row are expanded
into binaries. Fines and subsidies are levers or fixed (``fines``, ``subsidies``).

**Firm leads** (civil domain, or capability below the threshold; paper eq. 8-9): a
:class:`~stackopt.kinds.normal_form.game.NormalFormGame`. The firm's actions are budget
allocations on a grid (``firm_grid`` steps of :math:`B/n` over the six dimensions, the rest
unspent); the regulator answers ``approve`` (no standard), ``standard_<t>`` (every safety
dimension at :math:`\tau = t` with the fine rate ``fine_cap``, or ``fine_rate`` when fines are
fixed) or ``ban`` (no deployment: the firm earns no revenue and keeps its spend sunk; the
regulator's loss is ``ban_loss``). The firm's commitment is pure with ``--pure``; without it the
firm may commit to a randomised portfolio of allocations.

Units: money in *value units* per period (revenue, spend, fines, subsidies, losses); scores in
[0, 1]; ``a_k`` in score per value unit spent; ``r_k`` in value units per unit score; fine and
subsidy rates in value units per unit score (of shortfall / of improvement).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from stackopt.errors import InputError
from stackopt.models.params import ParameterSpec
from stackopt.models.registry import ModelSpec

DIMENSIONS = ("performance", "robustness", "explainability", "fairness", "privacy", "security")
SAFETY = DIMENSIONS[1:]

#: The defaults suggested by the model's specification.
MU0 = (0.5, 0.4, 0.3, 0.4, 0.4, 0.4)
A = (0.8, 1.0, 0.8, 1.0, 1.0, 1.0)
R = (3.0, 0.9, 0.3, 0.3, 0.5, 0.8)
W = (0.5, 0.25, 0.5, 0.4, 0.5)

#: The per-dimension parameters ``<prefix>_<dimension>``: (prefix, defaults, dimensions, doc,
#: upper bound, units); every lower bound is 0.
_PER_DIMENSION: tuple[tuple[str, tuple[float, ...], tuple[str, ...], str, float, str], ...] = (
    ("mu0", MU0, DIMENSIONS, "starting score mu0 of {}", 1.0, "score"),
    ("a", A, DIMENSIONS, "score gained per value unit spent on {}", 1e3, "score per value unit"),
    ("r", R, DIMENSIONS, "revenue per unit score of {}", 1e3, "value units per unit score"),
    ("w", W, SAFETY, "harm weight of a shortfall of {} below 1", 1e3, "value units per unit score"),
)


def _p(
    name: str,
    type_: str,
    default: Any,
    doc: str,
    lower: float | None = None,
    upper: float | None = None,
    choices: tuple[str, ...] | None = None,
    units: str = "",
) -> ParameterSpec:
    return ParameterSpec(name, type_, default, doc, lower, upper, choices, units)


PARAMETERS: tuple[ParameterSpec, ...] = (
    _p(
        "leadership",
        "str",
        "domain",
        "who leads: by domain (civil -> firm; safety_critical, "
        "military -> regulator), by capability (capability >= threshold -> regulator), or "
        "forced (regulator / firm)",
        choices=("domain", "capability", "regulator", "firm"),
    ),
    _p(
        "domain",
        "str",
        "safety_critical",
        "application domain (sets the harm multiplier and, with leadership=domain, who leads)",
        choices=("civil", "safety_critical", "military"),
    ),
    _p(
        "capability",
        "float",
        0.5,
        "capability of the AI system",
        0.0,
        1.0,
        units="capability index",
    ),
    _p(
        "threshold",
        "float",
        0.7,
        "capability threshold theta: at or above it the regulator leads (leadership=capability)",
        0.0,
        1.0,
        units="capability index",
    ),
    _p("multiplier_civil", "float", 1.0, "harm multiplier m of the civil domain", 0.0, 1e3),
    _p(
        "multiplier_safety_critical",
        "float",
        2.0,
        "harm multiplier m of safety-critical domains",
        0.0,
        1e3,
    ),
    _p("multiplier_military", "float", 4.0, "harm multiplier m of military domains", 0.0, 1e3),
    _p(
        "budget",
        "float",
        2.5,
        "the firm's budget B for improvements",
        0.0,
        1e3,
        units="value units",
    ),
    *(
        _p(f"{prefix}_{d}", "float", v, doc.format(d), 0.0, upper, units=units)
        for prefix, values, dims, doc, upper, units in _PER_DIMENSION
        for d, v in zip(dims, values)
    ),
    _p(
        "value_performance",
        "float",
        2.0,
        "the regulator's value v_P of performance",
        0.0,
        1e3,
        units="value units per unit score",
    ),
    _p(
        "fines",
        "str",
        "lever",
        "fine rates: chosen by the regulator in [0, fine_cap] (lever), fixed at fine_rate, or none",
        choices=("lever", "fixed", "none"),
    ),
    _p(
        "fine_cap",
        "float",
        5.0,
        "largest fine rate",
        0.0,
        1e3,
        units="value units per unit shortfall",
    ),
    _p(
        "fine_rate",
        "float",
        5.0,
        "the fine rate when fines=fixed",
        0.0,
        1e3,
        units="value units per unit shortfall",
    ),
    _p(
        "subsidies",
        "str",
        "none",
        "subsidy rates: chosen in [0, subsidy_cap] (lever), fixed at subsidy_rate, or none",
        choices=("lever", "fixed", "none"),
    ),
    _p(
        "subsidy_cap",
        "float",
        1.0,
        "largest subsidy rate",
        0.0,
        1e3,
        units="value units per unit score improvement",
    ),
    _p(
        "subsidy_rate",
        "float",
        0.0,
        "the subsidy rate when subsidies=fixed",
        0.0,
        1e3,
        units="value units per unit score improvement",
    ),
    _p(
        "standards",
        "str",
        "grid",
        "standards chosen on the grid {0, 1/n, ..., 1} (exact for "
        "the grid) or fixed at standard_<dim>",
        choices=("grid", "fixed"),
    ),
    _p("standard_levels", "int", 4, "n: grid steps of the standards (both orders of play)", 1, 20),
    _p(
        "rate_levels",
        "int",
        100,
        "fine and subsidy rates that are levers: 0 = continuous in [0, cap] (exact by the "
        "revenue identity; needs standards=fixed), n > 0 = the grid cap * {0, 1/n, ..., 1} "
        "(integer levels, exact for that grid)",
        0,
        1000,
    ),
    *(
        _p(
            f"standard_{d}",
            "float",
            1.0,
            f"the standard on {d} when standards=fixed",
            0.0,
            1.0,
            units="score",
        )
        for d in SAFETY
    ),
    _p(
        "enforcement_standard",
        "float",
        0.1,
        "enforcement cost per unit standard and dimension",
        0.0,
        1e3,
        units="value units per unit standard",
    ),
    _p(
        "enforcement_fine",
        "float",
        0.05,
        "enforcement cost per unit fine rate and dimension",
        0.0,
        1e3,
        units="value units per unit fine rate",
    ),
    _p(
        "firm_grid", "int", 5, "firm leads: budget steps of the firm's allocations (B/n each)", 1, 8
    ),
    _p(
        "ban_loss",
        "float",
        0.0,
        "firm leads: the regulator's loss when it bans deployment",
        -1e3,
        1e3,
        units="value units",
    ),
)


def regulator_leads(v: dict[str, Any]) -> bool:
    """Who leads (paper section 3): by domain, by capability threshold, or forced."""
    rule = v["leadership"]
    if rule == "regulator":
        return True
    if rule == "firm":
        return False
    if rule == "capability":
        return bool(v["capability"] >= v["threshold"])
    return v["domain"] != "civil"


def multiplier(v: dict[str, Any]) -> float:
    return float(v[f"multiplier_{v['domain']}"])


def score_vectors(v: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(mu0, a, r, w)`` from the parameter values (per dimension; ``w`` per safety one)."""
    mu0 = np.array([v[f"mu0_{d}"] for d in DIMENSIONS])
    a = np.array([v[f"a_{d}"] for d in DIMENSIONS])
    r = np.array([v[f"r_{d}"] for d in DIMENSIONS])
    w = np.array([v[f"w_{d}"] for d in SAFETY])
    return mu0, a, r, w


def build(v: dict[str, Any], *, name: str) -> Any:
    """The game of the model with validated parameter values ``v`` (see the module doc)."""
    if regulator_leads(v):
        return build_bilevel(v, name=name)
    return build_firm_leads(v, name=name)


# -- regulator leads: a bilevel problem -----------------------------------------------------
def build_bilevel(v: dict[str, Any], *, name: str) -> Any:
    """Regulator leads: the bilevel problem (see the module doc for the equations)."""
    from stackopt.kinds.bilevel.game import BilevelProblem

    mu0, a, r, w = score_vectors(v)
    m = multiplier(v)
    nS = len(SAFETY)
    grid = v["standards"] == "grid"
    n = int(v["standard_levels"])
    # leader variables: [level/standard (grid only)] [fine (lever)] [subsidy (lever)]
    lnames: list[str] = []
    ltypes: list[str] = []
    llo: list[float] = []
    lhi: list[float] = []
    idx: dict[str, list[int]] = {"level": [], "fine": [], "subsidy": []}

    def add(kind: str, d: str, typ: str, lo: float, hi: float) -> None:
        idx.setdefault(kind, []).append(len(lnames))
        lnames.append(f"{kind}[{d}]")
        ltypes.append(typ)
        llo.append(lo)
        lhi.append(hi)

    if grid:
        for d in SAFETY:
            add("level", d, "integer", 0, n)
    levels = int(v["rate_levels"])
    # a rate variable's unit: 1 (continuous rate) or cap / levels (integer level of the rate)
    unit = {"fine": 1.0, "subsidy": 1.0}
    for kind, cap in (("fine", v["fine_cap"]), ("subsidy", v["subsidy_cap"])):
        if v[f"{kind}s" if kind == "fine" else "subsidies"] != "lever":
            continue
        for d in SAFETY:
            if levels:
                add(f"{kind}_level", d, "integer", 0, levels)
                idx[kind].append(idx.pop(f"{kind}_level")[0])
            else:
                add(kind, d, "continuous", 0.0, cap)
        if levels:
            unit[kind] = cap / levels
    if not lnames:
        raise InputError(
            "the regulator has no lever: standards fixed, fines and subsidies not levers",
            field="parameters",
            fix="set standards=grid, fines=lever or subsidies=lever",
        )
    nx = len(lnames)
    # follower variables: spend[k] (6), score[k] (6), shortfall[k] (5)
    fnames = (
        [f"spend[{d}]" for d in DIMENSIONS]
        + [f"score[{d}]" for d in DIMENSIONS]
        + [f"shortfall[{d}]" for d in SAFETY]
    )
    iX, iM, iG = range(0, 6), range(6, 12), range(12, 12 + nS)
    ny = len(fnames)
    ylo = np.concatenate([np.zeros(6), mu0, np.zeros(nS)])
    # the shortfall has no upper bound in the firm's problem (its dual price is then at most
    # the fine rate, a bound the solver proves by LP); the leader row g <= 1 below bounds it
    yhi = np.concatenate([np.full(6, np.inf), np.ones(6), np.full(nS, np.inf)])
    fixed_fine = {"lever": None, "fixed": v["fine_rate"], "none": 0.0}[v["fines"]]
    fixed_sub = {"lever": None, "fixed": v["subsidy_rate"], "none": 0.0}[v["subsidies"]]
    fixed_tau = np.array([v[f"standard_{d}"] for d in SAFETY])

    # follower (firm) objective, maximise J: r.mu - sum x - f.g + s.(mu - mu0)
    dy = np.zeros(ny)
    dx = np.zeros(nx)
    D = np.zeros((ny, nx))
    d0 = 0.0
    dy[list(iM)] = r
    dy[list(iX)] = -1.0
    for k in range(nS):
        g, mu = iG[k], iM[k + 1]
        if fixed_fine is None:
            D[g, idx["fine"][k]] = -unit["fine"]
        else:
            dy[g] -= fixed_fine
        if fixed_sub is None:
            D[mu, idx["subsidy"][k]] = unit["subsidy"]
            dx[idx["subsidy"][k]] = -mu0[k + 1] * unit["subsidy"]
        else:
            dy[mu] += fixed_sub
            d0 -= fixed_sub * mu0[k + 1]
    # leader (regulator) objective, minimise L
    cy = np.zeros(ny)
    cx = np.zeros(nx)
    H = D.copy()  # fines collected (-f.g) and subsidies paid (+s.mu): the firm's transfer
    c0 = m * float(w.sum())
    cy[list(iM)[1:]] -= m * w
    cy[iM[0]] -= v["value_performance"]
    for k in range(nS):
        if grid:
            cx[idx["level"][k]] += v["enforcement_standard"] / n
        else:
            c0 += v["enforcement_standard"] * fixed_tau[k]
        if fixed_fine is None:
            cx[idx["fine"][k]] += v["enforcement_fine"] * unit["fine"]
        else:
            c0 += v["enforcement_fine"] * fixed_fine
            cy[iG[k]] -= fixed_fine
        if fixed_sub is None:
            cx[idx["subsidy"][k]] -= mu0[k + 1] * unit["subsidy"]
        else:
            cy[iM[k + 1]] += fixed_sub
            c0 -= fixed_sub * mu0[k + 1]
    # follower rows: budget; score mu_k - a_k x_k <= mu0_k; shortfall g_k + mu_k >= tau_k
    rows_y: list[np.ndarray] = []
    rows_x: list[np.ndarray] = []
    lo: list[float] = []
    hi: list[float] = []
    labels: list[str] = []

    def add_row(ry: np.ndarray, rx: np.ndarray, low: float, high: float, label: str) -> None:
        rows_y.append(ry)
        rows_x.append(rx)
        lo.append(low)
        hi.append(high)
        labels.append(label)

    row = np.zeros(ny)
    row[list(iX)] = 1.0
    add_row(row, np.zeros(nx), -np.inf, v["budget"], "budget")
    for k, d in enumerate(DIMENSIONS):
        row = np.zeros(ny)
        row[iM[k]], row[iX[k]] = 1.0, -a[k]
        add_row(row, np.zeros(nx), -np.inf, mu0[k], f"score[{d}]")
    for k, d in enumerate(SAFETY):
        row = np.zeros(ny)
        row[iG[k]], row[iM[k + 1]] = 1.0, 1.0
        rx = np.zeros(nx)
        if grid:  # g_k + mu_k - level_k / n >= 0
            rx[idx["level"][k]] = -1.0 / n
            add_row(row, rx, 0.0, np.inf, f"shortfall[{d}]")
        else:
            add_row(row, rx, float(fixed_tau[k]), np.inf, f"shortfall[{d}]")
    # leader rows g_k <= 1: the firm's optimal shortfall max(0, tau - mu) <= 1 always
    # satisfies them (when f_k = 0 every g_k >= tau_k - mu_k is optimal and costs the
    # regulator nothing), so they cut no optimistic solution; they bound g for the products
    G_y = np.zeros((nS, ny))
    for k in range(nS):
        G_y[k, iG[k]] = 1.0
    return BilevelProblem(
        leader_rows_x=np.zeros((nS, nx)),
        leader_rows_y=G_y,
        leader_rows_lower=np.full(nS, -np.inf),
        leader_rows_upper=np.ones(nS),
        leader_row_names=tuple(f"shortfall_cap[{d}]" for d in SAFETY),
        leader_variables=tuple(lnames),
        follower_variables=tuple(fnames),
        leader_types=tuple(ltypes),
        leader_lower=np.array(llo, float),
        leader_upper=np.array(lhi, float),
        follower_lower=ylo,
        follower_upper=yhi,
        leader_cost_x=cx,
        leader_cost_y=cy,
        leader_constant=c0,
        leader_sense="minimize",
        leader_cross=H if H.any() else None,
        follower_cost_x=dx,
        follower_cost_y=dy,
        follower_cross=D if D.any() else None,
        follower_constant=d0,
        follower_sense="maximize",
        follower_rows_x=np.array(rows_x),
        follower_rows_y=np.array(rows_y),
        follower_rows_lower=np.array(lo),
        follower_rows_upper=np.array(hi),
        follower_row_names=tuple(labels),
        leader_name="regulator",
        follower_name="firm",
        name=name,
    )


# -- firm leads: a normal-form game -----------------------------------------------------------
def allocations(n: int) -> list[tuple[int, ...]]:
    """Every split of ``n`` budget steps over the six dimensions (the rest unspent)."""
    return [c for c in itertools.product(range(n + 1), repeat=6) if sum(c) <= n]


def firm_payoffs(
    v: dict[str, Any],
) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray]:
    """``(firm actions, regulator answers, J, L, mu)`` of the firm-leads game.

    ``J[i, j]`` is the firm's value and ``L[i, j]`` the regulator's loss when the firm takes
    allocation ``i`` and the regulator answers ``j``; ``mu[i]`` are the allocation's scores.
    """
    mu0, a, r, w = score_vectors(v)
    m = multiplier(v)
    n = int(v["firm_grid"])
    step = v["budget"] / n
    levels = int(v["standard_levels"])
    fine = {"lever": v["fine_cap"], "fixed": v["fine_rate"], "none": 0.0}[v["fines"]]
    taus = [t / levels for t in range(1, levels + 1)]
    answers = ["approve"] + [f"standard_{t:g}" for t in taus] + ["ban"]
    allocs = allocations(n)
    labels, Js, Ls, mus = [], [], [], []
    cs, cf = v["enforcement_standard"], v["enforcement_fine"]
    for c in allocs:
        x = np.array(c, float) * step
        mu = np.minimum(1.0, mu0 + a * x)
        spend = float(x.sum())
        revenue = float(r @ mu)
        harm = m * float(w @ (1.0 - mu[1:])) - v["value_performance"] * mu[0]
        Jrow, Lrow = [revenue - spend], [harm]
        for t in taus:
            fines = fine * float(np.maximum(0.0, t - mu[1:]).sum())
            Jrow.append(revenue - spend - fines)
            Lrow.append(harm + len(SAFETY) * (cs * t + cf * fine) - fines)
        Jrow.append(-spend)
        Lrow.append(v["ban_loss"])
        labels.append("spend_" + "_".join(str(k) for k in c))
        Js.append(Jrow)
        Ls.append(Lrow)
        mus.append(mu)
    return labels, answers, np.array(Js), np.array(Ls), np.array(mus)


def build_firm_leads(v: dict[str, Any], *, name: str) -> Any:
    """Firm leads: the normal-form game (firm rows, regulator columns; regulator payoff -L)."""
    from stackopt.kinds.normal_form.game import NormalFormGame

    labels, answers, J, L, _ = firm_payoffs(v)
    return NormalFormGame(
        leader_payoffs=J,
        follower_payoffs=-L,
        leader_actions=tuple(labels),
        follower_actions=tuple(answers),
        leader_name="firm",
        follower_name="regulator",
        name=name,
    )


def outcome(result: Any) -> dict[str, float | None]:
    """Both players' values in the model's terms: the firm's J and the regulator's loss L
    (the firm-leads game stores the regulator's payoff as -L)."""
    lv, fv = result.leader.value, result.follower.value
    if result.kind == "bilevel":
        return {"firm J": fv, "regulator L": lv}
    return {"firm J": lv, "regulator L": None if fv is None else -fv}


MODEL = ModelSpec(
    name="ai_regulation",
    summary="six-dimension AI regulation: standards, fines and subsidies vs a firm's "
    "budget allocation; regulator or firm leads",
    parameters=PARAMETERS,
    generator="stackopt.models.regulation:build",
    kinds=("bilevel", "normal_form"),
    source="Zhang, Yue & Fang (2022), A Game-Theoretic Framework for AI Governance, "
    "section 3 (eq. 6-11) and section 4.1 (eq. 12-13)",
    orders={
        "regulator leads": ({"leadership": "regulator"}, {}),
        "firm leads": ({"leadership": "firm"}, {"pure": True}),
    },
    outcome="stackopt.models.regulation:outcome",
    finite_order="firm leads",
)
