"""``stackopt export`` for bilevel problems: the single-level model the solve uses.

The model is chosen as :func:`stackopt.kinds.bilevel.solve.solve_bilevel` chooses its method
(or as ``method=`` says), and always carries proven data only:

``kkt_bigm``
    the KKT MILP with every big-M proven by LP (:mod:`stackopt.formulations.kkt_bigm`);
``strong_duality``
    the strong-duality MILP with proven multiplier bounds
    (:mod:`stackopt.formulations.strong_duality`);
``kkt_normalized``
    the KKT MILP with multipliers normalised to ``[0, 1]`` and proven slack bounds
    (:mod:`stackopt.formulations.kkt_normalized`; a relaxation whose optimum is the bilevel
    optimum when the follower's best response attains it);
``bard_moore``
    the KKT model with complementarity as SOS1 sets, no big-M at all
    (:mod:`stackopt.formulations.kkt_sos`): the pairs the branching works on.

Without ``method`` the proven-M KKT MILP is exported when every M is proven, else the
strong-duality MILP when it applies with proven bounds, else the normalised KKT MILP when the
follower is linear with bounded slacks, else the SOS1 model (the automatic solve then uses the
Bard-Moore branching on the same pairs). Every model but the SOS1 one reads into HiGHS; the
SOS1 model is written in the LP/MPS SOS sections that CPLEX, Gurobi and SCIP read (HiGHS does
not read SOS). A method that cannot be built for this problem is
refused with an :class:`~stackopt.errors.UnsupportedError` that says why and which model to
export instead; nothing is ever built on a guessed big-M. The objective is the leader's in
minimisation form (a maximising leader's objective is negated).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stackopt.errors import UnsupportedError
from stackopt.formulations.bilevel_form import follower_form
from stackopt.kinds.bilevel.game import BilevelProblem


def choose_export(problem: BilevelProblem, method: str | None = None) -> tuple[str, Any, list]:
    """``(method, MILP arrays, SOS1 pairs)`` of the model to export (module docstring)."""
    from stackopt.formulations.bounds import prove_bounds

    if problem.leader_cross is not None:
        raise UnsupportedError(
            "export of bilevel problems with products of leader and follower "
            "variables in the leader's objective is not available",
            fix="solve the problem instead ('stackopt solve')",
        )
    form = follower_form(problem)
    if method == "bard_moore":
        return _sos(problem, form)
    bounds = prove_bounds(problem, form)
    if method in (None, "kkt_bigm"):
        if bounds.complementarity_proven:
            from stackopt.formulations.kkt_bigm import build_kkt_bigm

            return "kkt_bigm", build_kkt_bigm(problem, bounds.slack, bounds.lam, form), []
        if method == "kkt_bigm":
            raise UnsupportedError(
                "the KKT big-M MILP cannot be exported for this problem: no valid big-M could "
                f"be proven ({'; '.join(bounds.notes) or 'unbounded multipliers or slacks'})",
                fix="export without --method (the exact SOS1 model is written) or with "
                "--method bard_moore",
            )
    if method in (None, "strong_duality"):
        from stackopt.formulations.strong_duality import (
            build_strong_duality,
            proven_multiplier_bounds,
        )
        from stackopt.kinds.bilevel.solve import strong_duality_applicable

        why = strong_duality_applicable(problem, form)
        if why is None:
            sd, proven = proven_multiplier_bounds(problem, form)
            if proven:
                lam, lo, hi = sd.lam.copy(), sd.mu_lo.copy(), sd.mu_hi.copy()
                lam[~np.isfinite(lam)] = 0.0  # rows that need no bound
                lo[~np.isfinite(lo)] = 0.0
                hi[~np.isfinite(hi)] = 0.0
                return "strong_duality", build_strong_duality(problem, lam, lo, hi, form), []
            why = "the multiplier bounds it needs cannot be proven"
        if method == "strong_duality":
            raise UnsupportedError(
                f"the strong-duality MILP cannot be exported: {why}",
                fix="export without --method (the exact SOS1 model is written)",
            )
    normalisable = problem.is_linear and bool(np.all(np.isfinite(bounds.slack)))
    if method == "kkt_normalized" or (method is None and normalisable):
        if not normalisable:
            raise UnsupportedError(
                "the normalised KKT MILP cannot be exported: it needs a linear follower whose "
                "slacks are bounded",
                fix="export without --method (the exact SOS1 model is written)",
            )
        from stackopt.formulations.kkt_normalized import build_kkt_normalized

        return "kkt_normalized", build_kkt_normalized(problem, bounds.slack, form), []
    return _sos(problem, form)


def _sos(problem: BilevelProblem, form: Any) -> tuple[str, Any, list]:
    from stackopt.formulations.kkt_sos import build_kkt_sos

    milp = build_kkt_sos(problem, form)
    return "bard_moore", milp, list(milp.sos1)


def column_names(problem: BilevelProblem, milp: Any) -> list[str]:
    """Readable column names: the game's variables, then ``lambda_<row>``, ``mu_<row>`` and
    ``z_<row>`` / ``s_<row>`` (binary / slack of a follower ``<=`` row); other columns of a
    formulation (e.g. binary expansions) are ``aux_<i>``."""
    import re

    from stackopt.formulations.multiple_lps import safe_name as _safe

    def safe_name(label: str) -> str:
        return re.sub("_+", "_", _safe(label)).strip("_") or "row"

    names = list(problem.leader_variables) + list(problem.follower_variables)
    base = getattr(milp, "base", None)
    if base is None:
        return names + [f"aux_{i}" for i in range(milp.A.shape[1] - len(names))]
    form = base.form
    names += [f"lambda_{safe_name(lab)}" for lab in form.le_labels]
    names += [f"mu_{safe_name(lab)}" for lab in form.eq_labels]
    last = "s" if hasattr(milp, "sos1") else "z"
    if milp.A.shape[1] - len(names) == form.k:
        names += [f"{last}_{safe_name(lab)}" for lab in form.le_labels]
    return names + [f"aux_{i}" for i in range(milp.A.shape[1] - len(names))]


def export_models(game: BilevelProblem, *, method: str | None = None, **_: object) -> dict:
    """The models ``stackopt export`` writes: ``{"": the Pyomo model}`` (one file)."""
    from stackopt.formulations.milp_pyomo import pyomo_from_milp

    if not isinstance(game, BilevelProblem):
        raise UnsupportedError(f"expected a BilevelProblem, got {type(game).__name__}")
    chosen, milp, sos = choose_export(game, method)
    constant = game.leader_sign * game.leader_constant if game.leader_constant else 0.0
    model = pyomo_from_milp(
        milp,
        column_names(game, milp),
        name=f"{game.name or 'bilevel'}_{chosen}",
        constant=constant,
        sos1=sos,
    )
    model.stackopt_method = chosen
    return {"": model}
