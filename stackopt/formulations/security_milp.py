r"""ERASER: the MILP for security games with attacker types (Kiekintveld et al. 2009).

Kiekintveld, Jain, Tsai, Pita, Ordóñez & Tambe, *Computing optimal randomized resource
allocations for massive security games*, AAMAS 2009, §5 (ERASER; the compact-form counterpart
of DOBSS). For attacker types :math:`\lambda` with priors :math:`p_\lambda`:

Variables
    coverage :math:`c_t \in [0, 1]`; attack indicators :math:`a^\lambda_t \in \{0, 1\}`;
    defender value :math:`d^\lambda` and attacker value :math:`k^\lambda` per type.

.. math::

    \begin{aligned}
    \max\quad & \textstyle\sum_\lambda p_\lambda d^\lambda \\
    \text{s.t.}\quad & \textstyle\sum_t c_t \le m, \qquad \sum_t a^\lambda_t = 1 \quad
        \forall \lambda \\
    & d^\lambda - U_d^\lambda(t, c) \le (1 - a^\lambda_t)\, Z_d^\lambda
        && \forall \lambda, t \\
    & 0 \le k^\lambda - U_a^\lambda(t, c) \le (1 - a^\lambda_t)\, Z_a^\lambda
        && \forall \lambda, t
    \end{aligned}

with :math:`U(t, c) = c_t U^c(t) + (1 - c_t) U^u(t)`, linear in :math:`c`.

Big-M constants and their validity
    Per type and target, :math:`Z_d^{\lambda t} = \max_{t'} U_d^{\lambda,c}(t') -
    U_d^{\lambda,u}(t)` and :math:`Z_a^{\lambda t} = \max_{t'} U_a^{\lambda,u}(t') -
    U_a^{\lambda,c}(t)`; the variables are bounded by :math:`d^\lambda \in [\min_t
    U_d^{\lambda,u}, \max_t U_d^{\lambda,c}]` and :math:`k^\lambda \in [\min_t
    U_a^{\lambda,c}, \max_t U_a^{\lambda,u}]`. (Per-target constants are never looser than one
    constant per type.)

    *No equilibrium is cut off.* Given any coverage :math:`c` and best responses
    :math:`t_\lambda`, put :math:`a^\lambda_{t_\lambda} = 1`, :math:`k^\lambda = \max_t
    U_a^\lambda(t, c)` and :math:`d^\lambda = U_d^\lambda(t_\lambda, c)`. Every
    :math:`U_a^\lambda(t, c)` lies between :math:`U_a^{\lambda,c}(t)` and
    :math:`U_a^{\lambda,u}(t)`, and :math:`k^\lambda \le \max_{t'} U_a^{\lambda,u}(t')`, so
    :math:`0 \le k^\lambda - U_a^\lambda(t, c) \le Z_a^{\lambda t}`; likewise
    :math:`d^\lambda \le \max_{t'} U_d^{\lambda,c}(t')` and :math:`U_d^\lambda(t, c) \ge
    U_d^{\lambda,u}(t)` give :math:`d^\lambda - U_d^\lambda(t, c) \le Z_d^{\lambda t}`, and
    both differences are 0 at :math:`t_\lambda`. So the point is feasible with objective the
    defender's expected utility.

    *Every feasible point is a best-response profile.* :math:`k^\lambda \ge U_a^\lambda(t, c)`
    for all :math:`t` and equality where :math:`a^\lambda_t = 1`: the chosen target is a best
    response. :math:`d^\lambda \le U_d^\lambda(t_\lambda, c)`, with equality at an optimum.
    Among tied best responses the maximisation picks the one best for the defender: the
    optimum is the strong Stackelberg equilibrium.

Value caps (optional, used by ``solve_security``): :math:`d^\lambda \le \sum_t B^\lambda_t
a^\lambda_t` with :math:`B^\lambda_t` a proven bound on type :math:`\lambda`'s own coverage LP
for target :math:`t` (:func:`value_caps`, which states why no equilibrium is cut off), and the
tighter :math:`Z_d` this gives (:func:`big_ms`).

Presolve: :math:`a^\lambda_t` is fixed to 0 when :func:`never_attacked` proves that type
:math:`\lambda` never attacks :math:`t` under any feasible coverage (such a point has no
feasible completion anyway, so no solution is lost).

HiGHS has no indicator constraints (``docs/design.md``), so the big-M form with the
proven constants above is used. One attacker type is allowed (the model is then an exact
single MILP alternative to the multiple LPs, used for ``stackopt export``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pyomo.environ as pyo

    from stackopt.kinds.security.game import SecurityGame


def big_ms(game: SecurityGame, caps: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Per-(type, target) constants ``(Z_d, Z_a)``, shape ``(L, T)`` (proof: module docstring);
    with ``caps``, :math:`Z_d^{\lambda t} = \min(\max_{t'} U_d^{\lambda,c}(t'),
    \max_{t'} B^\lambda_{t'}) - U_d^{\lambda,u}(t)`."""
    top = game.defender_covered.max(axis=1, keepdims=True)
    if caps is not None:
        top = np.minimum(top, caps.max(axis=1, keepdims=True))
    zd = top - game.defender_uncovered
    za = game.attacker_uncovered.max(axis=1, keepdims=True) - game.attacker_covered
    return zd, za


def never_attacked(game: SecurityGame) -> np.ndarray:
    r"""``(L, T)`` booleans: target :math:`t` is never a best response of type :math:`\lambda`.

    Coverage on :math:`t` only makes :math:`t` less attractive, so take :math:`c_t = 0`; then
    another target :math:`t'` needs coverage :math:`n_{t'} = (U_a^u(t') - U_a^u(t))^+ /
    \Delta_a(t')` for :math:`t` to be a best response. :math:`t` is never a best response iff
    some :math:`U_a^c(t') > U_a^u(t)` (then :math:`n_{t'} > 1`; also covers
    :math:`\Delta_a(t') = 0`) or :math:`\sum_{t'} n_{t'} > m`. Exact comparisons; a tie
    keeps the target.
    """
    ac, au = game.attacker_covered, game.attacker_uncovered
    L, T = ac.shape
    out = np.zeros((L, T), dtype=bool)
    for lam in range(L):
        da = au[lam] - ac[lam]
        for t in range(T):
            others = np.arange(T) != t
            if np.any(others & (ac[lam] > au[lam, t])):
                out[lam, t] = True
                continue
            gap = np.where(others, au[lam] - au[lam, t], 0.0)
            pos = gap > 0
            need = np.divide(gap, da, out=np.zeros(T), where=pos & (da > 0))
            out[lam, t] = bool(need.sum() > game.resources)
    return out


def build_eraser(game: SecurityGame, caps: np.ndarray | None = None) -> pyo.ConcreteModel:
    r"""The ERASER MILP as a Pyomo model.

    Components: ``c[t]``, ``a[type, t]`` (binary), ``d[type]``, ``k[type]``, constraints
    ``resources``, ``one_target[type]``, ``defender_value[type, t]``,
    ``attacker_best[type, t]``, ``attacker_switch[type, t]`` and the objective
    ``expected_defender_value`` (maximise). With ``caps`` (shape ``(L, T)``, proven upper
    bounds :math:`B^\lambda_t \ge \mathrm{LP}^\lambda(t)`, see :func:`value_caps`) also
    ``value_cap[type]`` and the tighter :math:`Z_d` of :func:`big_ms`.
    """
    import pyomo.environ as pyo

    labels, types = list(game.targets), list(game.types)
    dc, du = game.defender_covered, game.defender_uncovered
    ac, au = game.attacker_covered, game.attacker_uncovered
    zd, za = big_ms(game, caps)
    ti = {t: k for k, t in enumerate(labels)}
    li = {ty: k for k, ty in enumerate(types)}

    model = pyo.ConcreteModel(name="eraser")
    model.T = pyo.Set(initialize=labels, ordered=True)
    model.L = pyo.Set(initialize=types, ordered=True)
    model.c = pyo.Var(model.T, bounds=(0, 1), doc="coverage probability")
    model.a = pyo.Var(model.L, model.T, domain=pyo.Binary, doc="type attacks target")
    d_max = dc.max(axis=1) if caps is None else np.minimum(dc.max(axis=1), caps.max(axis=1))
    model.d = pyo.Var(
        model.L,
        bounds=lambda mdl, ty: (float(du[li[ty]].min()), float(d_max[li[ty]])),
        doc="defender's value against the type",
    )
    model.k = pyo.Var(
        model.L,
        bounds=lambda mdl, ty: (float(ac[li[ty]].min()), float(au[li[ty]].max())),
        doc="the type's best-response value",
    )

    def ud(mdl, ty, t):
        lam, i = li[ty], ti[t]
        return float(du[lam, i]) + float(dc[lam, i] - du[lam, i]) * mdl.c[t]

    def ua(mdl, ty, t):
        lam, i = li[ty], ti[t]
        return float(au[lam, i]) - float(au[lam, i] - ac[lam, i]) * mdl.c[t]

    never = never_attacked(game)
    for lam, ty in enumerate(types):
        for i, t in enumerate(labels):
            if never[lam, i]:
                model.a[ty, t].fix(0)

    model.resources = pyo.Constraint(expr=sum(model.c[t] for t in labels) <= game.resources)
    model.one_target = pyo.Constraint(
        model.L, rule=lambda mdl, ty: sum(mdl.a[ty, t] for t in labels) == 1
    )
    model.defender_value = pyo.Constraint(
        model.L,
        model.T,
        rule=lambda mdl, ty, t: (
            mdl.d[ty] - ud(mdl, ty, t) <= (1 - mdl.a[ty, t]) * float(zd[li[ty], ti[t]])
        ),
    )
    model.attacker_best = pyo.Constraint(
        model.L, model.T, rule=lambda mdl, ty, t: mdl.k[ty] - ua(mdl, ty, t) >= 0
    )
    model.attacker_switch = pyo.Constraint(
        model.L,
        model.T,
        rule=lambda mdl, ty, t: (
            mdl.k[ty] - ua(mdl, ty, t) <= (1 - mdl.a[ty, t]) * float(za[li[ty], ti[t]])
        ),
    )
    if caps is not None:  # d^lambda <= sum_t B^lambda_t a^lambda_t (valid: value_caps)
        model.value_cap = pyo.Constraint(
            model.L,
            rule=lambda mdl, ty: (
                mdl.d[ty]
                <= sum(float(caps[li[ty], i]) * mdl.a[ty, t] for i, t in enumerate(labels))
            ),
        )
    model.expected_defender_value = pyo.Objective(
        expr=sum(float(game.priors[li[ty]]) * model.d[ty] for ty in types), sense=pyo.maximize
    )
    return model


def value_caps(game: SecurityGame) -> tuple[np.ndarray, float, float]:
    r"""``(B, build seconds, HiGHS seconds)``: :func:`type_lps` without the coverages."""
    caps, _, build, highs = type_lps(game)
    return caps, build, highs


def type_lps(game: SecurityGame) -> tuple[np.ndarray, list[np.ndarray], float, float]:
    r"""``(B, coverages, build seconds, HiGHS seconds)``: ``coverages[lambda]`` is type
    :math:`\lambda`'s own optimal coverage (its one-type Stackelberg commitment); for every
    type :math:`\lambda` and target :math:`t`, a proven upper bound :math:`B^\lambda_t` on
    the defender's value against type :math:`\lambda` over the coverages under which
    :math:`\lambda` attacks :math:`t`.

    :math:`B^\lambda_t` is the weak-duality bound of the one-type coverage LP
    :math:`\mathrm{LP}^\lambda(t)` (:mod:`stackopt.formulations.security_lps`, solved for every
    target by :func:`stackopt.engines.security_lps.solve_security_lps` without pruning) plus
    :math:`10^{-9}` times the type's payoff scale. *Validity of the cut*
    :math:`d^\lambda \le \sum_t B^\lambda_t a^\lambda_t`: if type :math:`\lambda` attacks
    :math:`t` under coverage :math:`c` (a best response, :math:`\sum c \le m`), then :math:`c`
    is feasible for :math:`\mathrm{LP}^\lambda(t)`, so
    :math:`d^\lambda = U_d^\lambda(t, c) \le \mathrm{LP}^\lambda(t) \le B^\lambda_t` — no
    equilibrium is cut off; it also gives :math:`d^\lambda \le \max_t B^\lambda_t`, hence the
    tighter :math:`Z_d` of :func:`big_ms`. A target whose LP is infeasible gets a bound below
    every defender payoff, which forbids attacking it. The cut makes the LP relaxation at most
    :math:`\sum_\lambda p_\lambda \max_t B^\lambda_t` (each type's own Stackelberg value).
    """
    import time

    from stackopt.engines.security_lps import solve_security_lps

    L, T = game.n_types, game.n_targets
    caps = np.empty((L, T))
    coverages: list[np.ndarray] = []
    build = highs = 0.0
    for lam in range(L):
        t0 = time.perf_counter()
        dc, du = game.defender_covered[lam], game.defender_uncovered[lam]
        out = solve_security_lps(
            dc,
            du,
            game.attacker_covered[lam],
            game.attacker_uncovered[lam],
            game.resources,
            prune=False,
        )
        if out.coverage is not None:
            coverages.append(np.asarray(out.coverage, dtype=float))
        slack = 1e-9 * float(max(np.abs(dc).max(), np.abs(du).max(), 1.0))
        for j in range(T):
            rec = out.records[j]
            caps[lam, j] = (float(dc[j]) if rec.bound is None else float(rec.bound)) + slack
        highs += float(out.stats["highs_seconds"])
        build += time.perf_counter() - t0 - float(out.stats["highs_seconds"])
    return np.minimum(caps, game.defender_covered + 0.0), coverages, build, highs


def read_solution(model: pyo.ConcreteModel, game: SecurityGame) -> tuple[np.ndarray, list[int]]:
    """Read back a solved ERASER model: the coverage (clipped to [0, 1]) and, per attacker
    type, the index of the target it attacks."""
    import pyomo.environ as pyo

    c = np.clip([pyo.value(model.c[t]) for t in game.targets], 0.0, 1.0)
    resp = [int(np.argmax([pyo.value(model.a[ty, t]) for t in game.targets])) for ty in game.types]
    return c, resp
