r"""A security game over AI assets: ``ai_assets_security``.

A regulator's security team (the defender: audits and red-team exercises) has ``m`` identical
resources (``resources``), each able to protect one AI asset for the period, and commits
publicly to a randomised audit plan — a coverage vector :math:`c \in [0, 1]^6`,
:math:`\sum_t c_t \le m`. An attacker observes the plan and breaches one asset. The six
assets are the model weights, the training-data pipeline, the fine-tuning API, the evaluation
suite, the compute cluster and the deployment endpoint.

**Harm (the defender's loss), tied to the paper's dimensions.** Zhang, Yue & Fang (2022)
evaluate AI along six dimensions (performance, robustness, explainability, fairness, privacy,
security) and give the regulator a loss :math:`L` (eq. 7) that grows with the shortfall on the
safety dimensions. A breach of asset :math:`t` is a security failure of severity :math:`s_t`
and a privacy failure of severity :math:`q_t` (harm units, 0-10); the regulator weighs them
with the harm weights of the six-dimension model, :math:`w_S` (security) and :math:`w_P`
(privacy):

.. math::

    H_t = \kappa_t\,(w_S\, s_t + w_P\, q_t), \qquad
    \kappa_t = \begin{cases} \kappa & t = \text{model\_weights}\\ 1 & \text{otherwise,}
    \end{cases}

with :math:`\kappa` (``weights_leak_scale``) scaling the harm of a weights leak (e.g. 3 for a
frontier model whose weights would let anyone remove its safeguards). The defender gets
:math:`U_d^c(t) = 0` if the attacked asset is covered (the breach is stopped) and
:math:`U_d^u(t) = -H_t` if not, so its expected value is :math:`-L = -(1 - c_t) H_t`.

**Attackers.** ``attacker: typed`` (default) is a Bayesian game (Kiekintveld et al. 2009,
ERASER) over three types :math:`\lambda` with priors :math:`p_\lambda`: a ``criminal``
(monetises data and compute), a ``state_actor`` (capability theft: weights first) and an
``insider`` (easy access to weights, data and evaluations). Type :math:`\lambda` gains
:math:`G_{\lambda t}` from an uncovered breach (table :data:`GAINS`) and pays a penalty
:math:`\phi_\lambda` if caught: :math:`U_a^{\lambda,u}(t) = G_{\lambda t}`,
:math:`U_a^{\lambda,c}(t) = -\phi_\lambda`. ``attacker: criminal | state_actor | insider``
keeps one known type; ``attacker: harm`` is a single worst-case attacker whose gain is the
harm it causes (:math:`U_a^u = H_t`, :math:`U_a^c = 0`: a zero-sum game whose equilibrium
equalises :math:`(1 - c_t) H_t` over the covered assets).

Payoffs are rounded to 9 decimals (as the bundled data file holds them);
``models/ai_assets.py`` writes ``data/security/ai_assets.yaml`` from :func:`build` at the
defaults. Severities, gains and penalties are illustrative numbers chosen for this model
(documented in ``docs/models.md``), not measurements.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stackopt.errors import InputError
from stackopt.models.params import ParameterSpec
from stackopt.models.registry import ModelSpec

ASSETS: tuple[str, ...] = (
    "model_weights",
    "training_data",
    "finetuning_api",
    "eval_suite",
    "compute_cluster",
    "deployment_endpoint",
)
TYPES: tuple[str, ...] = ("criminal", "state_actor", "insider")
ATTACKERS: tuple[str, ...] = ("typed", *TYPES, "harm")

#: Default severities (harm units, 0-10) of a breach: (security s_t, privacy q_t).
SEVERITY: dict[str, tuple[float, float]] = {
    "model_weights": (10.0, 2.0),  # safeguards removable, capability proliferates; memorised data
    "training_data": (4.0, 8.0),  # poisoning / backdoors; personal data leaked
    "finetuning_api": (6.0, 2.0),  # safety fine-tuned away through the API
    "eval_suite": (3.0, 0.0),  # tampered evaluations hide dangerous capabilities
    "compute_cluster": (5.0, 1.0),  # hijacked compute, implanted backdoors
    "deployment_endpoint": (4.0, 5.0),  # prompt injection, user data exfiltrated
}

#: Attacker type gains G[type][asset] from an uncovered breach (attacker's value units).
GAINS: dict[str, tuple[float, ...]] = {
    "criminal": (6.0, 7.0, 5.0, 1.0, 8.0, 5.0),
    "state_actor": (10.0, 5.0, 4.0, 3.0, 3.0, 2.0),
    "insider": (8.0, 6.0, 2.0, 5.0, 2.0, 3.0),
}

_PRIORS = {"criminal": 0.5, "state_actor": 0.3, "insider": 0.2}
_PENALTIES = {"criminal": 4.0, "state_actor": 1.0, "insider": 6.0}

PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "resources",
        "int",
        2,
        "audit / red-team teams, each protecting one asset per period",
        0,
        len(ASSETS),
        units="teams",
    ),
    ParameterSpec(
        "attacker",
        "str",
        "typed",
        "typed (Bayesian over criminal / state_actor / insider), one known type, or harm "
        "(a worst-case attacker gaining the harm: zero-sum)",
        choices=ATTACKERS,
    ),
    ParameterSpec(
        "w_security",
        "float",
        0.5,
        "harm weight of a security breach (the six-dimension model's security weight)",
        0.0,
        1e3,
        units="harm per severity unit",
    ),
    ParameterSpec(
        "w_privacy",
        "float",
        0.4,
        "harm weight of a privacy breach (the six-dimension model's privacy weight)",
        0.0,
        1e3,
        units="harm per severity unit",
    ),
    ParameterSpec(
        "weights_leak_scale",
        "float",
        1.0,
        "multiplier on the harm of a model-weights leak (kappa)",
        0.0,
        1e3,
        units="multiplier",
    ),
    *(
        ParameterSpec(
            f"security_{a}",
            "float",
            SEVERITY[a][0],
            f"security severity s_t of a breach of {a}",
            0.0,
            1e6,
            units="severity units (0-10)",
        )
        for a in ASSETS
    ),
    *(
        ParameterSpec(
            f"privacy_{a}",
            "float",
            SEVERITY[a][1],
            f"privacy severity q_t of a breach of {a}",
            0.0,
            1e6,
            units="severity units (0-10)",
        )
        for a in ASSETS
    ),
    *(
        ParameterSpec(
            f"prior_{t}",
            "float",
            _PRIORS[t],
            f"prior probability that the attacker is a {t} (attacker: typed; priors sum to 1)",
            0.0,
            1.0,
            units="probability",
        )
        for t in TYPES
    ),
    *(
        ParameterSpec(
            f"penalty_{t}",
            "float",
            _PENALTIES[t],
            f"what a {t} loses when caught breaching a covered asset",
            0.0,
            1e6,
            units="attacker value units",
        )
        for t in TYPES
    ),
)

#: Every parameter at its default.
DEFAULTS: dict[str, Any] = {p.name: p.default for p in PARAMETERS}


def harms(v: dict[str, Any]) -> np.ndarray:
    r""":math:`H_t = \kappa_t (w_S s_t + w_P q_t)` per asset (order :data:`ASSETS`)."""
    h = np.array(
        [
            float(v["w_security"]) * float(v[f"security_{a}"])
            + float(v["w_privacy"]) * float(v[f"privacy_{a}"])
            for a in ASSETS
        ]
    )
    h[0] *= float(v["weights_leak_scale"])
    return h


def build(v: dict[str, Any], *, name: str, decimals: int = 9) -> Any:
    """``ai_assets_security``: the security team leads, the attacker follows."""
    from stackopt.kinds.security.game import SecurityGame

    v = {**DEFAULTS, **v}
    H = np.round(harms(v), decimals) + 0.0
    T = len(ASSETS)
    kind = str(v["attacker"])
    if kind == "harm":
        types: tuple[str, ...] = ("harm",)
        priors: tuple[float, ...] = (1.0,)
        ac, au = np.zeros((1, T)), H[None, :].copy()
    else:
        types = TYPES if kind == "typed" else (kind,)
        if kind == "typed":
            priors = tuple(float(v[f"prior_{t}"]) for t in TYPES)
            total = sum(priors)
            if abs(total - 1.0) > 1e-9:
                raise InputError(
                    f"attacker type priors sum to {total:g}, not 1",
                    field="parameters.prior_criminal",
                    fix="set prior_criminal + prior_state_actor + prior_insider = 1",
                )
        else:
            priors = (1.0,)
        au = np.array([GAINS[t] for t in types], dtype=float)
        ac = np.array([[-float(v[f"penalty_{t}"])] * T for t in types]) + 0.0
    return SecurityGame(
        targets=ASSETS,
        defender_covered=np.zeros(T),
        defender_uncovered=-H,
        attacker_covered=np.round(ac, decimals) + 0.0,
        attacker_uncovered=np.round(au, decimals) + 0.0,
        resources=int(v["resources"]),
        types=types,
        priors=priors,
        defender_name="security_team",
        attacker_name="attacker",
        name=name,
    )


MODEL = ModelSpec(
    name="ai_assets_security",
    summary="a regulator's security team with limited audit / red-team resources protects "
    "six AI assets against a criminal, state-actor or insider attacker (security game)",
    parameters=PARAMETERS,
    generator="stackopt.models.ai_assets:build",
    kinds=("security",),
    source="security games: Kiekintveld et al. (2009), ERASER; harm weights: the "
    "six-dimension model of Zhang, Yue & Fang (2022) (eq. 7)",
)
