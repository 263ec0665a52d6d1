r"""Exact (rational) proof of a Bayesian answer given its response profile.

For a commitment :math:`x` and a response profile :math:`(j_\ell)_\ell` (one action per type)
the floating-point checks hold only within tolerances. :func:`exact_check` recovers the exact
rational commitment behind :math:`x` and re-checks it in :class:`fractions.Fraction`
arithmetic (payoffs and priors read as their exact binary values):

1. :math:`S` = the support of :math:`x`; :math:`T` = the pairs :math:`(\ell, k)` with type
   :math:`\ell`'s payoff of :math:`k` within a tolerance of its payoff of :math:`j_\ell`. The
   system :math:`\sum_{i \in S} x_i = 1`, :math:`\sum_{i \in S} (C^\ell_{i j_\ell} -
   C^\ell_{ik}) x_i = 0` for :math:`(\ell, k) \in T` is solved exactly (free variables fixed at
   rational approximations of the float values).
2. Accepted only if, exactly, :math:`x^* \ge 0`, every :math:`j_\ell` is a best response of
   type :math:`\ell`, ties among exact best responses go to the leader (``tie_break="leader"``)
   and the leader value :math:`W \sum_\ell p_\ell\, x^{*\top} R^\ell_{\cdot j_\ell}` is computed
   exactly.

This proves that :math:`(x^*, j)` is an exact equilibrium point with the stated value; the
optimality over all profiles is proved by the ``optimality`` check (tolerance, or re-derived).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from stackopt.certificate import Check
from stackopt.checks.exact import exact_vertex, not_proved, to_fraction
from stackopt.kinds.bayesian.game import BayesianGame


def exact_check(
    game: BayesianGame,
    x: np.ndarray,
    resp: list[int],
    *,
    tol: float = 1e-7,
    tie_break: str = "leader",
) -> tuple[Check, dict[str, Any]]:
    """The ``exact`` check and evidence (rational commitment and value as strings)."""
    S = [int(i) for i in np.flatnonzero(x > tol)]
    rows: list[list[Fraction]] = [[Fraction(1)] * len(S)]
    for l, t in enumerate(game.types):
        fu = x @ t.C
        sc = float(np.abs(t.C).max()) or 1.0
        j = resp[l]
        for k_np in np.flatnonzero(fu >= fu[j] - tol * sc):
            k = int(k_np)
            if k != j:
                rows.append([to_fraction(t.C[i, j]) - to_fraction(t.C[i, k]) for i in S])
    rhs = [Fraction(1)] + [Fraction(0)] * (len(rows) - 1)
    xq = exact_vertex(rows, rhs, S, [x[i] for i in S])
    if isinstance(xq, str):
        return not_proved(xq), {}
    total = Fraction(0)
    for l, t in enumerate(game.types):
        fq = [
            sum((to_fraction(t.C[i, k]) * p for i, p in xq.items()), Fraction(0))
            for k in range(t.C.shape[1])
        ]
        j = resp[l]
        best = max(fq)
        if fq[j] != best:
            k = fq.index(best)
            return not_proved(
                f"exactly, type {t.name!r} prefers {t.actions[k]!r} by {best - fq[j]}"
            ), {}
        lq = {
            k: sum((to_fraction(t.R[i, k]) * p for i, p in xq.items()), Fraction(0))
            for k in range(len(fq))
            if fq[k] == best
        }
        pick = max(lq.values()) if tie_break == "leader" else min(lq.values())
        if lq[j] != pick:
            return not_proved(
                f"exactly, type {t.name!r}'s tie is not broken "
                f"{'for' if tie_break == 'leader' else 'against'} the leader"
            ), {}
        total += to_fraction(game.priors[l]) * lq[j]
    value = total * to_fraction(game.value_factor)
    evidence = {
        "commitment": {game.leader_actions[i]: str(p) for i, p in sorted(xq.items())},
        "leader_value": str(value),
    }
    return Check(
        "exact",
        True,
        0.0,
        0.0,
        f"proved in rational arithmetic for this response profile: leader value {value}",
    ), evidence
