"""The result vocabulary: every check name, stats key and evidence key, in one place.

Code writes these names through the constants below; the docs
(``docs/certificate.md``, ``docs/api.md``) show the same tables, and a test compares them.
The published JSON Schema of a result (``stackopt/result.schema.json``, copied to
``docs/result.schema.json``) is generated from this module by :func:`result_schema`
(``python -m stackopt.vocabulary > stackopt/result.schema.json``).

Check names
-----------
Every kind reports the six *core* checks where they apply:

==================  =================================================================
``commitment``      the leader's commitment is feasible (a probability distribution,
                    a coverage within the resources, bounds/integrality/leader rows,
                    an interdiction set within the budget)
``best_response``   the follower's response is optimal for the commitment
``tie_break``       among the follower's optimal responses the stated tie rule holds
``leader_value``    the reported leader value recomputes from the game
``follower_value``  the reported follower value recomputes from the game
``optimality``      no other commitment gives the leader more (a bound, an enumeration,
                    a completed branching or a solver's MILP bound)
==================  =================================================================

plus ``status`` (``verify`` of a result that claims ``infeasible``/``unbounded``) and the
kind-specific checks of :data:`KIND_CHECKS`. Names used before version 0.2 are read through
:data:`CHECK_ALIASES` (``Certificate.check("coverage")`` still finds ``commitment``).

Stats keys
----------
``build_seconds`` (building models), ``highs_seconds`` (inside HiGHS), ``total_seconds``
(the whole call) plus the counts of :data:`STATS_KEYS`; old names in :data:`STATS_ALIASES`.

Evidence keys
-------------
``milp_bound``: a solver-reported MILP bound, ``{"bound": number, "incumbent": number,
"mip_rel_gap": number, "solver": "highs", ...}`` (kind-specific extras such as
``path_bound`` or ``objective`` may be added). Old spellings ``milp`` (with
``objective_bound``), ``mip`` (with ``dual_bound``), a bare number under ``milp_bound`` and the
Nash ``objective_bound`` number are upgraded by :func:`upgrade_evidence`.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# -- check names ------------------------------------------------------------------------------
COMMITMENT = "commitment"
BEST_RESPONSE = "best_response"
TIE_BREAK = "tie_break"
LEADER_VALUE = "leader_value"
FOLLOWER_VALUE = "follower_value"
OPTIMALITY = "optimality"
STATUS = "status"

CORE_CHECKS: tuple[str, ...] = (
    COMMITMENT,
    BEST_RESPONSE,
    TIE_BREAK,
    LEADER_VALUE,
    FOLLOWER_VALUE,
    OPTIMALITY,
)


@dataclass(frozen=True)
class Term:
    """One documented name: where it is used and what it means."""

    name: str
    where: str
    meaning: str


#: Kind-specific checks (the table in ``docs/certificate.md``).
KIND_CHECKS: tuple[Term, ...] = (
    Term("exact", "normal_form (--exact)", "the answer re-proved in rational arithmetic"),
    Term(
        "supremum",
        "normal_form (tie_break adversarial)",
        "the pessimistic value is the supremum over every follower action's class",
    ),
    Term(
        "attainment",
        "normal_form (tie_break adversarial)",
        "whether the supremum is attained, decided exactly",
    ),
    Term(
        "strict_commitment",
        "normal_form (tie_break adversarial)",
        "a commitment within epsilon of the supremum makes the response strictly optimal",
    ),
    Term(
        "leader_strategy",
        "normal_form (Nash equilibria)",
        "the leader's mixed strategy is a probability distribution",
    ),
    Term(
        "follower_strategy",
        "normal_form (Nash equilibria)",
        "the follower's mixed strategy is a probability distribution",
    ),
    Term(
        "leader_best_response",
        "normal_form (Nash equilibria)",
        "no pure deviation gains the leader more than its tolerance",
    ),
    Term(
        "follower_best_response",
        "normal_form (Nash equilibria)",
        "no pure deviation gains the follower more than its tolerance",
    ),
    Term("follower_feasible", "bilevel", "the response satisfies the follower's rows and bounds"),
    Term(
        "big_m_valid",
        "bilevel (kkt_bigm, kkt_normalized, strong_duality)",
        "every big-M / multiplier bound of the MILP is proven by LP",
    ),
    Term("budget", "interdiction", "the interdicted arcs cost at most the budget"),
    Term(
        "response_path",
        "interdiction",
        "the response is a source-target path avoiding interdicted arcs",
    ),
    Term(
        "optimality_enumeration",
        "interdiction (small graphs)",
        "enumeration of the maximal interdiction sets confirms the optimum",
    ),
    Term(
        "target_unreachable",
        "interdiction",
        "an infinite value: the interdiction really disconnects the target",
    ),
)

#: Old check name -> current name (read by ``Certificate.check`` and ``Check.from_dict``).
CHECK_ALIASES: Mapping[str, str] = {
    "global_optimality": OPTIMALITY,  # bilevel MILP methods and bilevel verify
    "branching_complete": OPTIMALITY,  # bilevel bard_moore
    "objective_bound": OPTIMALITY,  # Nash best/worst-equilibrium MILP
    "coverage": COMMITMENT,  # security games
    "leader_feasible": COMMITMENT,  # bilevel
    "follower_optimal": BEST_RESPONSE,  # bilevel
}

CHECK_NAMES: tuple[str, ...] = (*CORE_CHECKS, STATUS, *(t.name for t in KIND_CHECKS))

# -- stats keys -------------------------------------------------------------------------------
BUILD_SECONDS = "build_seconds"
HIGHS_SECONDS = "highs_seconds"
TOTAL_SECONDS = "total_seconds"

#: Documented stats keys (every kind writes ``total_seconds``; the others where they apply).
STATS_KEYS: tuple[Term, ...] = (
    Term(BUILD_SECONDS, "all", "seconds spent building models (Pyomo, HiGHS, bounds LPs)"),
    Term(HIGHS_SECONDS, "all", "seconds spent inside HiGHS"),
    Term(TOTAL_SECONDS, "all", "seconds for the whole solve"),
    Term("highs_edit_seconds", "normal_form, bayesian", "seconds editing the HiGHS model"),
    Term("highs_runs", "normal_form, bayesian", "HiGHS runs"),
    Term("rows_added", "normal_form, bayesian", "rows added to the in-place LP"),
    Term("lps_solved", "normal_form, bayesian, security", "LPs solved"),
    Term("lps_pruned", "normal_form, bayesian, security", "LPs skipped by the pruning bound"),
    Term(
        "lps_stopped_early",
        "normal_form",
        "LPs HiGHS stopped once their dual bound fell to the incumbent (duals re-proved)",
    ),
    Term("lps_dominated", "normal_form, bayesian", "follower actions proven dominated"),
    Term("lps_infeasible", "normal_form, bayesian, security", "infeasible LPs"),
    Term("dual_lps_solved", "security", "dual LPs solved for the bound records"),
    Term("commitments_enumerated", "normal_form (pure)", "pure commitments enumerated"),
    Term("profiles", "bayesian", "Harsanyi pure type profiles"),
    Term("types", "bayesian", "follower types"),
    Term(
        "types_merged",
        "bayesian (dobss), security (eraser)",
        "follower types merged with an identical one before the MILP",
    ),
    Term("transform_seconds", "bayesian", "seconds for the Harsanyi transformation"),
    Term("milp_seconds", "bayesian", "seconds of the DOBSS MILP call"),
    Term("binaries", "bayesian, security, bilevel, interdiction", "binary variables"),
    Term("polished", "bayesian, security", "whether the MILP answer was polished by an LP"),
    Term("bounds_lps", "bilevel", "LPs solved to prove big-M bounds"),
    Term("bounds_seconds", "bilevel", "seconds proving bounds"),
    Term("certificate_seconds", "bilevel", "seconds computing the certificate"),
    Term("oracle_seconds", "bilevel", "seconds in the follower oracle"),
    Term("rows", "bilevel", "MILP rows"),
    Term("columns", "bilevel", "MILP columns"),
    Term("mip_gap", "bilevel", "HiGHS's final MIP gap"),
    Term("mip_nodes", "bilevel", "HiGHS branch-and-bound nodes"),
    Term("nodes", "bilevel (bard_moore), interdiction", "search nodes / graph nodes"),
    Term("node_lps", "bilevel (bard_moore)", "LPs solved at branching nodes"),
    Term("relaxation_bound", "bilevel (kkt_normalized)", "the normalised MILP's value"),
    Term(
        "relaxation_attained",
        "bilevel (kkt_normalized)",
        "whether the best response attains that value",
    ),
    Term("relaxation", "bilevel (kkt_normalized)", "'unbounded' when the relaxation is"),
    Term("arcs", "interdiction", "arcs in the graph"),
    Term("model_arcs", "interdiction", "arcs in the MILP after pruning"),
    Term("model_nodes", "interdiction", "nodes in the MILP after pruning"),
)

#: Old stats key -> current key (read by :func:`upgrade_stats`).
STATS_ALIASES: Mapping[str, str] = {
    "pyomo_build_seconds": BUILD_SECONDS,
    "setup_seconds": BUILD_SECONDS,
    "pyomo_solve_seconds": HIGHS_SECONDS,
}

# -- evidence keys ----------------------------------------------------------------------------
MILP_BOUND = "milp_bound"

EVIDENCE_KEYS: tuple[Term, ...] = (
    Term(
        "bounds",
        "normal_form, bayesian (harsanyi), security (multiple_lps)",
        "one weak-duality bound record per follower action / target",
    ),
    Term("pure_values", "normal_form (pure)", "the leader's value of every pure commitment"),
    Term("exact", "normal_form (--exact)", "the exact commitment and values as fractions"),
    Term(
        MILP_BOUND,
        "bayesian (dobss), security (eraser), interdiction, Nash MILP",
        "HiGHS's proven MILP bound: {bound, incumbent, mip_rel_gap, solver, ...}",
    ),
    Term("big_m", "security (eraser), bilevel", "the big-Ms used and whether they are proven"),
    Term("method", "bilevel", "the method whose answer this is"),
    Term("nodes", "bilevel (bard_moore)", "branching nodes explored"),
    Term("strict", "normal_form (adversarial)", "the strict commitment record"),
    Term("classes", "normal_form (adversarial)", "per-follower-action supremum records"),
    Term("player", "normal_form (Nash)", "whose value the Nash MILP optimised"),
)

EVIDENCE_ALIASES: Mapping[str, str] = {"milp": MILP_BOUND, "mip": MILP_BOUND}


# -- reading old names ------------------------------------------------------------------------
def canonical_check(name: str) -> str:
    """The current name of check ``name`` (itself unless it is an old alias)."""
    return CHECK_ALIASES.get(name, name)


def lookup_check(checks: Any, name: str) -> Any:
    """The first check in ``checks`` called ``name``; an old alias finds the current name
    with a :class:`DeprecationWarning`. ``None`` when absent."""
    for c in checks:
        if c.name == name:
            return c
    new = CHECK_ALIASES.get(name)
    if new is not None:
        for c in checks:
            if c.name == new:
                warnings.warn(
                    f"check {name!r} is now called {new!r}", DeprecationWarning, stacklevel=3
                )
                return c
    return None


def upgrade_stats(stats: Mapping[str, Any]) -> dict[str, Any]:
    """``stats`` with old keys renamed (a current key present already wins)."""
    out: dict[str, Any] = {}
    for key, value in stats.items():
        new = STATS_ALIASES.get(key)
        if new is None:
            out[key] = value
        elif new not in stats and new not in out:
            out[new] = value
    return out


def upgrade_evidence(evidence: Mapping[str, Any]) -> dict[str, Any]:
    """``evidence`` with the old MILP-bound spellings rewritten as one ``milp_bound`` record.

    ``milp: {objective_bound, ...}`` (Bayesian DOBSS), ``mip: {dual_bound, ...}``
    (interdiction), ``milp_bound: <number>`` (security ERASER) and ``objective_bound:
    <number>`` with ``objective`` (Nash MILP) all become ``milp_bound: {bound, ...}``.
    Values are not validated here; the checks do that.
    """
    ev = dict(evidence)
    if MILP_BOUND in ev and not isinstance(ev[MILP_BOUND], Mapping):
        ev[MILP_BOUND] = {"bound": ev[MILP_BOUND]}
    for old, inner in (("milp", "objective_bound"), ("mip", "dual_bound")):
        rec = ev.pop(old, None)
        if MILP_BOUND not in ev and isinstance(rec, Mapping):
            rec = dict(rec)
            if "bound" not in rec and inner in rec:
                rec["bound"] = rec.pop(inner)
            ev[MILP_BOUND] = rec
    if "objective_bound" in ev:
        bound = ev.pop("objective_bound")
        if MILP_BOUND not in ev:
            rec = {"bound": bound}
            if "objective" in ev:
                rec["objective"] = ev.pop("objective")
            ev[MILP_BOUND] = rec
    return ev


def milp_bound(evidence: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The ``milp_bound`` record of ``evidence`` (old spellings accepted), or ``None``."""
    rec = upgrade_evidence(evidence).get(MILP_BOUND)
    return rec if isinstance(rec, Mapping) else None


def milp_record(bound: float | None, incumbent: float | None, **extra: Any) -> dict[str, Any]:
    """The ``milp_bound`` evidence record every MILP method writes."""
    return {"bound": bound, "incumbent": incumbent, "mip_rel_gap": 0.0, "solver": "highs", **extra}


# -- the JSON Schema --------------------------------------------------------------------------
SCHEMA_ID = "https://stackopt.invalid/result.schema.json"


def result_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``Result.to_dict()`` / ``stackopt solve --json``."""
    number = {"type": "number"}
    num_or_inf = {"anyOf": [number, {"enum": ["inf", "-inf"]}, {"type": "null"}]}
    scalar = {"type": ["number", "string", "boolean", "null"]}
    check = {
        "type": "object",
        "required": ["name", "passed", "residual", "tolerance", "detail"],
        "additionalProperties": False,
        "properties": {
            "name": {
                "type": "string",
                "pattern": "^[a-z][a-z0-9_]*$",
                "not": {"enum": sorted(CHECK_ALIASES)},
                "description": "core checks: "
                + ", ".join(CORE_CHECKS)
                + "; kind-specific ones: "
                + ", ".join(t.name for t in KIND_CHECKS)
                + " (docs/certificate.md)",
            },
            "passed": {"type": "boolean"},
            "residual": num_or_inf,
            "tolerance": num_or_inf,
            "detail": {"type": "string"},
        },
    }
    milp = {
        "type": "object",
        "required": ["bound"],
        "properties": {
            "bound": {"type": ["number", "null"]},
            "incumbent": {"type": ["number", "null"]},
            "mip_rel_gap": {"type": ["number", "null"]},
            "solver": {"type": "string"},
        },
    }
    certificate = {
        "type": "object",
        "required": ["passed", "tie_break", "rtol", "atol", "scale", "checks", "evidence"],
        "additionalProperties": False,
        "properties": {
            "passed": {"type": "boolean"},
            "tie_break": {"enum": ["leader", "adversarial"]},
            "rtol": {"type": "number", "exclusiveMinimum": 0},
            "atol": {"type": "number", "minimum": 0},
            "scale": {"type": "number", "minimum": 0},
            "checks": {"type": "array", "items": check},
            "evidence": {
                "type": "object",
                "properties": {MILP_BOUND: milp},
                "propertyNames": {"not": {"enum": sorted(EVIDENCE_ALIASES)}},
            },
        },
    }
    stats = {
        "type": "object",
        "properties": {
            t.name: ({"type": "number", "minimum": 0} if t.name.endswith("_seconds") else {})
            for t in STATS_KEYS
        },
        "propertyNames": {"not": {"enum": sorted(STATS_ALIASES)}},
        "additionalProperties": scalar,
    }
    properties = {
        "kind": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "game": {"type": ["string", "null"]},
        "status": {"enum": _statuses()},
        "method": {"type": "string"},
        "leader": {
            "type": "object",
            "required": ["name", "commitment", "value"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string"},
                "commitment": {"type": "object", "additionalProperties": {"type": "number"}},
                "value": num_or_inf,
                "incentives": {"type": "object"},
                "payment": num_or_inf,
            },
        },
        "follower": {
            "type": "object",
            "required": ["name", "response", "value"],
            "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "response": {}, "value": {}},
        },
        "certificate": {"anyOf": [{"type": "null"}, certificate]},
        "stats": stats,
        "options": {
            "type": "object",
            "properties": {
                "model": {
                    "type": "object",
                    "description": "results of a parameterised model (stackopt.models): "
                    "its name and every parameter value used (docs/models.md)",
                    "required": ["name", "parameters"],
                    "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string"},
                        "parameters": {"type": "object", "additionalProperties": scalar},
                    },
                }
            },
        },
        "message": {"type": "string"},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "stackopt result",
        "description": "The JSON form of a stackopt Result (Result.to_dict, "
        "'stackopt solve --json'). Generated by stackopt.vocabulary.",
        "type": "object",
        "required": list(properties),  # every top-level key
        "additionalProperties": False,
        "properties": properties,
    }


def _statuses() -> list[str]:
    from stackopt.status import Status

    return [s.value for s in Status]


def schema_text() -> str:
    """The schema as the shipped file holds it (sorted keys, two-space indent)."""
    return json.dumps(result_schema(), indent=2, sort_keys=True) + "\n"


def markdown_tables() -> str:
    """The vocabulary tables as MyST markdown; ``docs/certificate.md`` holds this text verbatim
    (a test compares them)."""
    out = ["| kind-specific check | where | meaning |", "|---|---|---|"]
    out += [f"| `{t.name}` | {t.where} | {t.meaning} |" for t in KIND_CHECKS]
    out += ["", "| old check name (still read) | current name |", "|---|---|"]
    out += [f"| `{old}` | `{new}` |" for old, new in CHECK_ALIASES.items()]
    out += ["", "| stats key | where | meaning |", "|---|---|---|"]
    out += [f"| `{t.name}` | {t.where} | {t.meaning} |" for t in STATS_KEYS]
    out += ["", "| old stats key (still read) | current key |", "|---|---|"]
    out += [f"| `{old}` | `{new}` |" for old, new in STATS_ALIASES.items()]
    out += ["", "| evidence key | where | meaning |", "|---|---|---|"]
    out += [f"| `{t.name}` | {t.where} | {t.meaning} |" for t in EVIDENCE_KEYS]
    out += ["", "| old evidence spelling (still read) | current form |", "|---|---|"]
    out += [
        "| `milp: {objective_bound, ...}` | `milp_bound: {bound, ...}` |",
        "| `mip: {dual_bound, ...}` | `milp_bound: {bound, ...}` |",
        "| `milp_bound: <number>` | `milp_bound: {bound: <number>}` |",
        "| `objective_bound: <number>`, `objective` | `milp_bound: {bound, objective}` |",
    ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerates the shipped schema
    print(schema_text(), end="")
