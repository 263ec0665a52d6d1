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
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from stackopt.engines.weak_sse import WeakOutcome, class_bound, column_classes, weak_sse_lps  # noqa: F401  (re-exported: the names of 0.1)
from stackopt.errors import InputError, UnsupportedError
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.kinds.registry import DEFAULT_RTOL
from stackopt.result import Result
from stackopt.status import Status

DEFAULT_EPSILON = 1e-3


def solve_weak_sse(
    game: NormalFormGame,
    *,
    epsilon: float = DEFAULT_EPSILON,
    rtol: float = DEFAULT_RTOL,
    leader: str = "leader",
    leader_actions: Sequence[str] | None = None,
    follower_actions: Sequence[str] | None = None,
    time_limit: float | None = None,
) -> Result:
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
    from stackopt.kinds.normal_form.game import prepare

    if time_limit is not None and (
        isinstance(time_limit, bool)
        or not isinstance(time_limit, (int, float))
        or not time_limit >= 0
    ):
        raise InputError(
            f"time_limit must be a number >= 0, got {time_limit!r}",
            field="time_limit",
            fix="give seconds, e.g. 60",
        )
    if not (isinstance(epsilon, (int, float)) and 0 < epsilon < 1):
        raise InputError(
            f"epsilon must be a number in (0, 1), got {epsilon!r}",
            field="epsilon",
            fix="use e.g. 1e-3 (relative to the payoff scale)",
        )
    t0 = time.perf_counter()
    g = prepare(
        game, leader=leader, leader_actions=leader_actions, follower_actions=follower_actions
    )
    atol_l, atol_f = tolerances(g, rtol)
    if epsilon <= 10 * rtol:
        raise InputError(
            f"epsilon {epsilon:g} must exceed 10 * rtol ({10 * rtol:g})",
            field="epsilon",
            fix="increase epsilon or decrease rtol",
        )
    sa = float(np.abs(g.A).max()) or 1.0
    out = weak_sse_lps(
        g.A, g.B, atol_l=atol_l, atol_f=atol_f, epsilon=epsilon * sa, time_limit=time_limit
    )
    options = {
        "leader": leader,
        "leader_actions": leader_actions,
        "follower_actions": follower_actions,
        "rtol": rtol,
        "epsilon": epsilon,
        "tie_break": "adversarial",
    }
    return weak_result(g, out, epsilon=epsilon, rtol=rtol, options=options, name=game.name, t0=t0)


def weak_result(
    g: NormalFormGame,
    out: WeakOutcome,
    *,
    epsilon: float,
    rtol: float,
    options: dict[str, Any],
    name: str | None,
    t0: float | None = None,
) -> Result:
    """Assemble the :class:`Result` (and its certificate) from a :class:`WeakOutcome`;
    ``stats["total_seconds"]`` counts from ``t0`` (``time.perf_counter``) when given."""
    from stackopt.kinds.normal_form.checks import tolerances
    from stackopt.kinds.normal_form.checks_pessimistic import (
        adversarial_response,
        certify_weak,
        weak_evidence,
    )

    _atol_l, atol_f = tolerances(g, rtol)
    evidence = weak_evidence(g, out, epsilon=epsilon)
    x = out.attaining_x if out.attained and out.attaining_x is not None else out.strict_x
    j = adversarial_response(g, x, atol_f)
    commitment = {g.leader_actions[i]: float(x[i]) for i in range(g.shape[0])}
    lv, fv = float(x @ g.A[:, j]), float(x @ g.B[:, j])
    response = g.follower_actions[j]
    cert = certify_weak(g, commitment, response, lv, fv, evidence, rtol=rtol, attained=out.attained)
    status = Status.OPTIMAL if out.attained else Status.NOT_ATTAINED
    if out.attained:
        msg = f"supremum {out.supremum:.10g} is attained"
    else:
        msg = (
            f"supremum {out.supremum:.10g} is NOT attained: no commitment gets it when ties "
            f"go against the leader; the reported commitment induces "
            f"'{response}' strictly and gets {lv:.10g} "
            f"(within epsilon {epsilon:g} x payoff scale)"
        )
    if not cert.passed:
        msg += "; certificate failed: " + cert.summary()
    stats = dict(out.stats)
    stats.update({"supremum": out.supremum, "attained": out.attained})
    if t0 is not None:
        stats["total_seconds"] = time.perf_counter() - t0
    answer = Result.answered(
        g, status, "weak_multiple_lps", commitment, lv, response, fv, cert, stats, options, msg
    )
    return replace(answer, game=name)


def refuse_pure() -> None:
    raise UnsupportedError(
        "pessimistic tie-breaking is not implemented for pure commitments",
        field="pure",
        fix="drop --pure or use --tie-break leader",
    )
