r"""Pessimistic (weak) Stackelberg equilibria: the supremum, attainment and a strict commitment.

Under *adversarial* tie-breaking the follower answers a commitment :math:`x` with the best
response worst for the leader, so the leader gets

.. math::

    P(x) = \min_{k \in BR(x)} x^\top A_{\cdot k}, \qquad
    BR(x) = \arg\max_k x^\top B_{\cdot k}.

:math:`P` need not attain its supremum :math:`V^* = \sup_{x\in\Delta} P(x)`: the classic case
is a strong equilibrium that needs the follower to break a tie the leader's way.

**Classes.** Columns of :math:`B` that are identical are always tied; they form one *class*
:math:`J` whose leader payoff at :math:`x` is :math:`v_J(x) = \min_{k\in J} x^\top A_{\cdot k}`.
:math:`X_J = \{x \in \Delta: x^\top B_{\cdot j} \ge x^\top B_{\cdot k}\ \forall k\}`
(:math:`j \in J`) is where :math:`J` is a best response, :math:`S_J` (all inequalities against
other classes strict) where it is the *unique* best class.

**Supremum** (multiple LPs). If :math:`S_J \neq \emptyset` then :math:`\overline{S_J} = X_J`
(segment argument); the tie hyperplanes of non-identical columns are nowhere dense in
:math:`\Delta`, so every :math:`x` is a limit of points of some non-empty :math:`S_J` with
:math:`J \in BR(x)`, and :math:`P(x) \le v_J(x)`. Hence

.. math::

    V^* = \max_{J:\ S_J \ne \emptyset}\ \max_{x \in X_J} v_J(x),

one LP per class (``LP_J``: maximise :math:`t \le x^\top A_{\cdot k}` for :math:`k \in J` over
:math:`X_J`), after one *margin* LP per class deciding :math:`S_J \ne \emptyset`
(:math:`\max \delta` s.t. :math:`x^\top(B_{\cdot j} - B_{\cdot k}) \ge \delta` for all other
classes). Classes whose cheap bound :math:`\min_{k\in J}\max_i A_{ik}` is below the incumbent
by more than the tolerance are skipped (the bound is their certificate), and so are classes
weakly dominated by a single other action (never the unique best response).

**Attainment.** :math:`V^*` is attained iff for some optimal class :math:`J` the face
:math:`G = \{x \in X_J : v_J(x) \ge V^*\}` contains a point at which every class tied with
:math:`J` also gives :math:`\ge V^*`. We decide this by a finite refinement: repeatedly add to
:math:`W` the classes tied with :math:`J` on *all* of :math:`G` (one LP each) and intersect
:math:`G` with :math:`\{v_K \ge V^*: K \in W\}`; stop when :math:`G` is empty (not attained
through :math:`J`) or :math:`W` is stable. In the latter case a max-margin LP against the
classes outside :math:`J \cup W` returns a point of :math:`G` where only :math:`J \cup W` are
best responses, all giving :math:`\ge V^*`: attained. (Any attaining point lies in every
:math:`G` of the refinement, so an empty :math:`G` proves non-attainment through :math:`J`.)
Ties and identical columns are decided at the certificate's absolute tolerances; the face
:math:`G` is taken with a value slack of :math:`10^{-2}\varepsilon_L`, so "attained" means
that a commitment gets within :math:`10^{-2}\varepsilon_L` of :math:`V^*` against the
adversarial follower (the certificate re-checks it at :math:`\varepsilon_L`), and "not
attained" that no commitment of that face gets there.

**Strict commitment.** For an optimal class :math:`J` the LP
:math:`\max\delta` s.t. :math:`x \in \Delta`, :math:`v_J(x) \ge V^* - \varepsilon`,
:math:`x^\top(B_{\cdot j} - B_{\cdot k}) \ge \delta` (other classes) has :math:`\delta^*>0`;
a second LP maximises :math:`v_J` with margins :math:`\ge \delta^*/2`. Its solution is a
commitment at which :math:`J` is the unique best class by margin :math:`\ge\delta^*/2` and
whose value is within :math:`\varepsilon` of :math:`V^*`.

**Reporting.** Attained: ``Status.OPTIMAL`` with an attaining commitment (which is the strict
commitment whenever no class is tied there). Not attained: ``Status.NOT_ATTAINED``; the result
carries the strict commitment and the value it *actually* gets (below :math:`V^*`), the
supremum in ``stats["supremum"]``; ``result.certified`` is ``False``: no equilibrium is claimed.

References: von Stengel & Zamir, *Leadership games with convex strategy sets*, GEB 2010
(weak vs strong commitment); Conitzer & Sandholm, EC 2006 (multiple LPs).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from stackopt.errors import InputError, SolverError, UnsupportedError
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.result import FollowerOutcome, LeaderOutcome, Result
from stackopt.status import Status

DEFAULT_EPSILON = 1e-3
DEFAULT_RTOL = 1e-6


@dataclass
class WeakOutcome:
    """What the weak-SSE LPs found (all values in original payoff units)."""

    supremum: float
    attained: bool
    classes: list[list[int]]
    records: dict[int, dict[str, Any]]           # class index -> bound / never-unique record
    best_class: int
    strict_x: np.ndarray
    strict_margin: float
    attaining_x: np.ndarray | None
    stats: dict[str, Any] = field(default_factory=dict)


def column_classes(B: np.ndarray, tol: float) -> list[list[int]]:
    """Group follower actions whose payoff columns agree within ``tol`` (always tied)."""
    classes: list[list[int]] = []
    reps: list[int] = []
    for k in range(B.shape[1]):
        if reps:
            dist = np.abs(B[:, reps] - B[:, [k]]).max(axis=0)
            c = int(np.argmin(dist))
            if float(dist[c]) <= tol:
                classes[c].append(k)
                continue
        classes.append([k])
        reps.append(k)
    return classes


def weak_sse_lps(A: np.ndarray, B: np.ndarray, *, atol_l: float, atol_f: float,
                 epsilon: float, time_limit: float | None = None,
                 prune: bool = True) -> WeakOutcome:
    """Run the LPs of the module docstring on ``(A, B)``; ``epsilon`` is absolute."""
    from stackopt.engines.dense_lp import solve_dense_lp

    t0 = time.perf_counter()
    deadline = None if time_limit is None else t0 + time_limit
    m, n = A.shape
    sa = float(np.abs(A).max()) or 1.0
    sb = float(np.abs(B).max()) or 1.0
    An, Bn = A / sa, B / sb
    tl, tf, eps = atol_l / sa, atol_f / sb, epsilon / sa
    classes = column_classes(B, atol_f)
    lps = 0

    def lp(*args, **kw):
        nonlocal lps
        if deadline is not None and time.perf_counter() > deadline:
            raise SolverError(f"time limit of {time_limit} s reached after {lps} LPs")
        lps += 1
        return solve_dense_lp(*args, **kw)

    def others(c: int) -> list[int]:
        return [k for d, cl in enumerate(classes) if d != c for k in cl]

    # Variables: x (m), then extra columns (t or delta) appended by each LP.
    ones = np.r_[np.ones(m), 0.0]

    def margin_lp(c: int, extra_ub: list[tuple[np.ndarray, float]], cap: float = 1.0):
        """max delta s.t. x^T(B_j - B_k) >= delta for k outside c (and extra rows)."""
        j = classes[c][0]
        ks = others(c)
        if not ks:
            return None, np.inf
        rows = [_diff_rows(Bn, ks, j, 1.0)]
        rhs = [np.zeros(len(ks))]
        if extra_ub:
            rows.append(np.array([np.r_[a_row, 0.0] for a_row, _ in extra_ub]))
            rhs.append(np.array([b for _, b in extra_ub]))
        out = lp(np.r_[np.zeros(m), 1.0], np.vstack(rows), np.concatenate(rhs), ones[None, :],
                 np.array([1.0]), lb=np.r_[np.zeros(m), -np.inf], ub=np.r_[np.ones(m), cap])
        if out.status != "optimal":
            return None, -np.inf
        return out, float(out.objective)

    records: dict[int, dict[str, Any]] = {}
    values: dict[int, float] = {}
    # Cheap bound per class (lambda = one member, y = 0): max_i A[i, k]. Classes are visited
    # in decreasing order of it and skipped once it is below the incumbent by more than
    # atol_l (a class within atol_l of the supremum is always solved: attainment needs it).
    cheap = {c: min((float(A[:, k].max()), k) for k in cl) for c, cl in enumerate(classes)}
    pruned = 0
    for c in sorted(range(len(classes)), key=lambda c: -cheap[c][0]):
        members = classes[c]
        if prune and values and cheap[c][0] < max(values.values()) - atol_l:
            records[c] = {"outcome": "pruned", "weights": {int(cheap[c][1]): 1.0},
                          "multipliers": {}, "bound": cheap[c][0]}
            pruned += 1
            continue
        j = members[0]
        # cheap pre-check: another action at least as good against every leader action
        dom = (Bn - Bn[:, [j]]).min(axis=0)
        dom[members] = -np.inf
        k = int(np.argmax(dom))
        if dom[k] >= -0.5 * tf:
            records[c] = {"outcome": "never_unique", "dominated_by": {k: 1.0}}
            continue
        ks = others(c)
        out, delta = margin_lp(c, [])
        if delta <= tf:
            y = np.zeros(n)
            if out is not None:
                d = np.abs(out.duals_ub[:len(ks)])
                if d.sum() > 0:
                    y[ks] = d / d.sum()
            records[c] = {"outcome": "never_unique",
                          "dominated_by": {int(k): float(y[k]) for k in np.nonzero(y)[0]}}
            continue
        # LP_J: max t s.t. t <= x^T A_k (k in J); x^T(B_k - B_j) <= 0 (k outside J).
        rows = np.vstack([np.c_[-An[:, members].T, np.ones(len(members))],
                          _diff_rows(Bn, ks, j, 0.0)])
        res = lp(np.r_[np.zeros(m), 1.0], rows, np.zeros(len(rows)), ones[None, :],
                 np.array([1.0]), lb=np.r_[np.zeros(m), -np.inf], ub=np.r_[np.ones(m), np.inf])
        if res.status != "optimal":  # pragma: no cover - S_J non-empty implies feasible
            raise SolverError(f"LP for follower action class {members} returned {res.status}")
        lam = np.abs(res.duals_ub[:len(members)])
        lam = lam / lam.sum() if lam.sum() > 0 else np.full(len(members), 1 / len(members))
        y = np.zeros(n)
        y[ks] = np.abs(res.duals_ub[len(members):]) * (sa / sb)
        values[c] = float(res.objective) * sa
        records[c] = {"outcome": "optimal", "value": values[c],
                      "weights": {int(k): float(w) for k, w in zip(members, lam)},
                      "multipliers": {int(k): float(y[k]) for k in np.nonzero(y)[0]}}
        records[c]["bound"] = class_bound(A, B, members, records[c]["weights"],
                                          records[c]["multipliers"])
    if not values:  # pragma: no cover - some class is always uniquely best somewhere
        raise SolverError("no follower action class is ever the unique best response")
    sup = max(values.values())
    order = sorted(values, key=lambda c: -values[c])
    optimal = [c for c in order if values[c] >= sup - atol_l]

    def value_rows(cls: Sequence[int], target: float) -> list[tuple[np.ndarray, float]]:
        # x^T A_k >= target  <=>  -x^T A_k <= -target
        return [(-An[:, k], -target) for c in cls for k in classes[c]]

    # -- attainment ------------------------------------------------------------------------
    attaining_x, attained_class = None, None
    for c in optimal:
        j = classes[c][0]
        W: list[int] = []
        slack = 1e-2 * tl   # well inside the certificate's tolerance (see docstring)
        base = value_rows([c], sup / sa - slack)
        ok = True
        while True:
            cand = [d for d in range(len(classes)) if d != c and d not in W]
            out, delta = _margin_over(lp, An, Bn, classes, c, cand, base + value_rows(W, sup / sa
                                                                                     - slack), m)
            if out is None:
                ok = False
                break
            if delta > tf or not cand:
                attaining_x = _simplex_clip(out.x[:m])
                attained_class = c
                break
            new = []
            x0 = out.x[:m]
            for d in cand:
                if float(x0 @ (Bn[:, j] - Bn[:, classes[d][0]])) > tf:
                    continue  # strictly below at a point of G: not tied on all of G
                r = _max_gap(lp, An, Bn, classes, c, d, base + value_rows(W, sup / sa - slack),
                             m)
                if r is None:
                    ok = False
                    break
                if r <= tf:
                    new.append(d)
            if not ok:
                break
            if not new:
                # Each remaining class is strictly below somewhere, yet no common point was
                # found above tolerance: treat as a thin case, not attained through c.
                ok = False
                break
            W += new
        if attaining_x is not None:
            break

    # -- strict commitment ---------------------------------------------------------------
    best_strict = None
    for c in optimal:
        out, delta = margin_lp(c, value_rows([c], (sup - epsilon) / sa))
        if delta == np.inf:  # a single class: every commitment induces it
            best_strict = (c, 1.0)
            break
        if out is None or delta <= 2 * tf:
            continue
        if best_strict is None or delta > best_strict[1]:
            best_strict = (c, delta)
    if best_strict is None:
        raise SolverError("no commitment within epsilon of the supremum induces a unique best "
                          "response above the tolerance; increase epsilon or rtol")
    c, delta = best_strict
    j = classes[c][0]
    ks = others(c)
    rows = np.vstack([np.c_[-An[:, classes[c]].T, np.ones(len(classes[c]))],
                      _diff_rows(Bn, ks, j, 0.0)])
    rhs = [0.0] * len(classes[c]) + [-delta / 2] * len(ks)
    res = lp(np.r_[np.zeros(m), 1.0], rows, np.array(rhs), ones[None, :],
             np.array([1.0]), lb=np.r_[np.zeros(m), -np.inf], ub=np.r_[np.ones(m), np.inf])
    if res.status != "optimal":  # pragma: no cover - the margin LP's point is feasible
        raise SolverError(f"strict-commitment LP returned {res.status}")
    strict_x = _simplex_clip(res.x[:m])
    strict_margin = float(min((strict_x @ (B[:, j] - B[:, k]) for k in ks), default=np.inf))
    stats = {"lps_solved": lps, "classes": len(classes), "classes_pruned": pruned,
             "classes_never_unique": sum(1 for r in records.values()
                                         if r["outcome"] == "never_unique"),
             "lp_seconds": time.perf_counter() - t0}
    return WeakOutcome(supremum=sup, attained=attaining_x is not None, classes=classes,
                       records=records, best_class=attained_class if attaining_x is not None
                       else c, strict_x=strict_x, strict_margin=strict_margin,
                       attaining_x=attaining_x, stats=stats)


def class_bound(A: np.ndarray, B: np.ndarray, members: Sequence[int],
                weights: Mapping[int, float], multipliers: Mapping[int, float]) -> float:
    r"""Weak-duality bound on :math:`\max_{x \in X_J} \min_{k\in J} x^\top A_{\cdot k}`.

    For :math:`\lambda \ge 0` on :math:`J` summing to 1 and :math:`y \ge 0` on the other
    actions: :math:`\max_i \big(\sum_k \lambda_k A_{ik} + \sum_{k'} y_{k'}(B_{ij} - B_{ik'})\big)`.
    """
    j = members[0]
    lift = sum(float(w) * A[:, int(k)] for k, w in weights.items())
    for k, w in multipliers.items():
        lift = lift + float(w) * (B[:, j] - B[:, int(k)])
    return float(np.max(lift))


def _diff_rows(Bn: np.ndarray, ks: Sequence[int], j: int, last: float) -> np.ndarray:
    """Rows ``[B_k - B_j, last]`` for ``k`` in ``ks`` (one row per follower action)."""
    d = (Bn[:, list(ks)] - Bn[:, [j]]).T
    return np.c_[d, np.full(len(ks), last)]


def _simplex_clip(x: np.ndarray) -> np.ndarray:
    x = np.clip(np.asarray(x, dtype=float), 0.0, None)
    return x / x.sum()


def _margin_over(lp, An, Bn, classes, c, cand, extra, m):
    """max delta s.t. x in X_c, extra rows, margins >= delta against classes ``cand``."""
    j = classes[c][0]
    all_other = [k for d, cl in enumerate(classes) if d != c for k in cl]
    strict = [k for d in cand for k in classes[d]]
    strict_set = set(strict)
    rows = [_diff_rows(Bn, all_other, j, 0.0)] if all_other else []
    if rows:
        rows[0][:, m] = [1.0 if k in strict_set else 0.0 for k in all_other]
    rhs = [np.zeros(len(all_other))]
    if extra:
        rows.append(np.array([np.r_[a_row, 0.0] for a_row, _ in extra]))
        rhs.append(np.array([b for _, b in extra]))
    cap = 1.0 if strict else 0.0
    out = lp(np.r_[np.zeros(m), 1.0], np.vstack(rows) if rows else None,
             np.concatenate(rhs) if rows else None, np.r_[np.ones(m), 0.0][None, :],
             np.array([1.0]),
             lb=np.r_[np.zeros(m), -np.inf], ub=np.r_[np.ones(m), cap])
    if out.status != "optimal":
        return None, -np.inf
    return out, float(out.objective)


def _max_gap(lp, An, Bn, classes, c, d, extra, m):
    """max over {x in X_c, extra rows} of x^T(B_j - B_k) for class d's representative."""
    j = classes[c][0]
    k0 = classes[d][0]
    rows = [Bn[:, k] - Bn[:, j] for e, cl in enumerate(classes) if e != c for k in cl]
    rhs = [0.0] * len(rows)
    for a_row, b in extra:
        rows.append(a_row)
        rhs.append(b)
    out = lp(Bn[:, j] - Bn[:, k0], np.array(rows), np.array(rhs), np.ones(m)[None, :],
             np.array([1.0]), lb=0.0, ub=1.0)
    if out.status != "optimal":
        return None
    return float(out.objective)


# -- public API ------------------------------------------------------------------------------

def solve_weak_sse(game: NormalFormGame, *, epsilon: float = DEFAULT_EPSILON,
                   rtol: float = DEFAULT_RTOL, leader: str = "leader",
                   leader_actions: Sequence[str] | None = None,
                   follower_actions: Sequence[str] | None = None,
                   time_limit: float | None = None) -> Result:
    """Pessimistic (weak) Stackelberg solution of a normal-form game (method ``weak_multiple_lps``).

    Parameters
    ----------
    game
        The game.
    epsilon
        Relative distance to the supremum allowed for the strict commitment: its value is at
        least ``supremum - epsilon * s_A`` (:math:`s_A` the largest absolute leader payoff).
    rtol
        Relative tolerance of the certificate (``rtol * s_A``, ``rtol * s_B``); ties, classes
        of identical columns and attainment are decided at these tolerances.
    leader, leader_actions, follower_actions
        As for :func:`stackopt.solve_sse`.
    time_limit
        Seconds for the LP loop.

    Returns
    -------
    Result
        ``Status.OPTIMAL`` when the supremum is attained (commitment attains it, response is the
        follower's adversarial choice there); ``Status.NOT_ATTAINED`` otherwise (commitment is
        the strict ε-commitment, value the one it actually gets, ``certified`` is False).
        ``stats["supremum"]``, ``stats["attained"]``; the certificate's evidence holds the
        supremum, the per-class bounds and the strict commitment.
    """
    from stackopt.kinds.normal_form.checks import tolerances
    from stackopt.kinds.normal_form.solve import prepare

    if time_limit is not None and (isinstance(time_limit, bool) or not isinstance(
            time_limit, (int, float)) or not time_limit >= 0):
        raise InputError(f"time_limit must be a number >= 0, got {time_limit!r}",
                         field="time_limit", fix="give seconds, e.g. 60")
    if not (isinstance(epsilon, (int, float)) and 0 < epsilon < 1):
        raise InputError(f"epsilon must be a number in (0, 1), got {epsilon!r}",
                         field="epsilon", fix="use e.g. 1e-3 (relative to the payoff scale)")
    t0 = time.perf_counter()
    g = prepare(game, leader=leader, leader_actions=leader_actions,
                follower_actions=follower_actions)
    atol_l, atol_f = tolerances(g, rtol)
    if epsilon <= 10 * rtol:
        raise InputError(f"epsilon {epsilon:g} must exceed 10 * rtol ({10 * rtol:g})",
                         field="epsilon", fix="increase epsilon or decrease rtol")
    sa = float(np.abs(g.A).max()) or 1.0
    out = weak_sse_lps(g.A, g.B, atol_l=atol_l, atol_f=atol_f, epsilon=epsilon * sa,
                       time_limit=time_limit)
    options = {"leader": leader, "leader_actions": leader_actions,
               "follower_actions": follower_actions, "rtol": rtol, "epsilon": epsilon,
               "tie_break": "adversarial"}
    res = weak_result(g, out, epsilon=epsilon, rtol=rtol, options=options, name=game.name)
    res.stats["total_seconds"] = time.perf_counter() - t0
    return res


def weak_result(g: NormalFormGame, out: WeakOutcome, *, epsilon: float, rtol: float,
                options: dict[str, Any], name: str | None) -> Result:
    """Assemble the :class:`Result` (and its certificate) from a :class:`WeakOutcome`."""
    from stackopt.kinds.normal_form.checks import tolerances
    from stackopt.kinds.normal_form.checks_pessimistic import adversarial_response, certify_weak, weak_evidence

    atol_l, atol_f = tolerances(g, rtol)
    evidence = weak_evidence(g, out, epsilon=epsilon)
    x = out.attaining_x if out.attained else out.strict_x
    j = adversarial_response(g, x, atol_f)
    commitment = {g.leader_actions[i]: float(x[i]) for i in range(g.shape[0])}
    lv, fv = float(x @ g.A[:, j]), float(x @ g.B[:, j])
    cert = certify_weak(g, commitment, g.follower_actions[j], lv, fv, evidence, rtol=rtol,
                        attained=out.attained)
    status = Status.OPTIMAL if out.attained else Status.NOT_ATTAINED
    if out.attained:
        msg = f"supremum {out.supremum:.10g} is attained"
    else:
        msg = (f"supremum {out.supremum:.10g} is NOT attained: no commitment gets it when ties "
               f"go against the leader; the reported commitment induces "
               f"'{g.follower_actions[j]}' strictly and gets {lv:.10g} "
               f"(within epsilon {epsilon:g} x payoff scale)")
    if not cert.passed:
        msg += "; certificate failed: " + cert.summary()
    stats = dict(out.stats)
    stats.update({"supremum": out.supremum, "attained": out.attained})
    return Result(kind=NormalFormGame.kind, status=status, method="weak_multiple_lps",
                  leader=LeaderOutcome(g.leader_name, commitment, lv),
                  follower=FollowerOutcome(g.follower_name, g.follower_actions[j], fv),
                  certificate=cert, stats=stats, options=options, game=name, message=msg)


def refuse_pure() -> None:
    raise UnsupportedError("pessimistic tie-breaking is not implemented for pure commitments",
                           field="pure", fix="drop --pure or use --tie-break leader")
