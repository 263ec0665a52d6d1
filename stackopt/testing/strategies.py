"""Hypothesis strategies for stackopt games (``pip install hypothesis``).

Every strategy draws a game that stackopt's own validation accepts (valid by construction),
with knobs for its size and payoff range and options that force the degenerate cases solvers
get wrong::

    from hypothesis import given
    from stackopt.testing.strategies import normal_form_games, commitments

    @given(normal_form_games(ties=True, integer=True), st.data())
    def test_my_best_response(game, data):
        x = data.draw(commitments(game))
        assert_best_response(game, x, my_best_response(game.A, game.B, x))

Degeneracy options (all off by default; several may be combined):

``integer``
    integer payoffs (otherwise multiples of 1/100 in the range).
``ties``
    two follower actions with identical follower payoffs but different leader payoffs, so the
    follower is indifferent between them at *every* commitment and the tie rule decides.
``duplicate_rows`` / ``duplicate_columns``
    a leader action (row of both matrices) / follower action (column) repeated.
``dominated``
    a follower action strictly dominated (its payoffs are another action's minus a positive
    amount), so it is never a best response but may carry the leader's best payoff.
``zero_sum``
    the follower's payoffs are the negated leader's.

Strategies: :func:`normal_form_games`, :func:`bayesian_games`, :func:`security_games`,
:func:`incentive_games`, :func:`bilevel_problems` (small linear bilevel problems, always
feasible and bounded), :func:`interdiction_games`, :func:`mdp_games`, :func:`games` (any of
the finite games), :func:`commitments` (a mixed or pure
commitment of a finite game). Strategies for kinds the registry does not know (an older
stackopt) raise when drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

__all__ = [
    "bayesian_games",
    "bilevel_problems",
    "commitments",
    "games",
    "incentive_games",
    "interdiction_games",
    "mdp_games",
    "normal_form_games",
    "payoff_matrices",
    "security_games",
]


def _labels(prefix: str, n: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{i}" for i in range(n))


def _count(draw: Any, low: int, high: int, *, at_least: int = 1) -> int:
    """A number of actions in ``[low, high]``, both raised to ``at_least``."""
    return int(draw(st.integers(max(low, at_least), max(high, at_least))))


def _min_columns(ties: bool, dominated: bool, zero_sum: bool, duplicate: bool = False) -> int:
    """The fewest follower actions the degeneracy options need: 2 for one of them, 3 for a tie
    and a dominated action (the dominated one must not break the tied pair)."""
    if ties and dominated and not zero_sum:
        return 3
    return 2 if ties or dominated or duplicate else 1


def _distinct_pair(draw: Any, n: int) -> tuple[int, int]:
    """Two different indices below ``n`` (``n >= 2``)."""
    return draw(st.sampled_from([(j, k) for j in range(n) for k in range(n) if j != k]))


def _number(draw: Any, low: float, high: float, integer: bool) -> float:
    scale = 1 if integer else 100
    lo, hi = int(np.ceil(low * scale)), int(np.floor(high * scale))
    if lo > hi:
        raise ValueError(
            f"payoff_range ({low}, {high}) holds no "
            + ("whole number (integer=True)" if integer else "multiple of 0.01")
        )
    if integer:
        return float(draw(st.integers(lo, hi)))
    return draw(st.integers(lo, hi)) / 100.0


@st.composite
def payoff_matrices(
    draw: Any,
    m: int,
    n: int,
    *,
    payoff_range: tuple[float, float] = (-10, 10),
    integer: bool = False,
) -> np.ndarray:
    """An ``m x n`` matrix of payoffs in ``payoff_range`` (integers or multiples of 1/100)."""
    low, high = payoff_range
    if not low <= high:
        raise ValueError("payoff_range must be (low, high) with low <= high")
    return np.array([[_number(draw, low, high, integer) for _ in range(n)] for _ in range(m)])


def _payoff_pair(
    draw: Any,
    m: int,
    n: int,
    payoff_range: tuple[float, float],
    integer: bool,
    *,
    ties: bool,
    dominated: bool,
    zero_sum: bool,
    duplicate_rows: bool = False,
    duplicate_columns: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Leader and follower ``m x n`` payoff matrices, made degenerate as asked."""
    A = draw(payoff_matrices(m, n, payoff_range=payoff_range, integer=integer)).copy()
    B = draw(payoff_matrices(m, n, payoff_range=payoff_range, integer=integer)).copy()
    if zero_sum:
        B = -A
    if duplicate_rows and m >= 2:
        i, k = _distinct_pair(draw, m)
        A[k], B[k] = A[i], B[i]
    if duplicate_columns and n >= 2:
        j, k = _distinct_pair(draw, n)
        A[:, k], B[:, k] = A[:, j], B[:, j]
    tied: tuple[int, ...] = ()
    if ties and n >= 2 and not zero_sum:
        j, k = tied = _distinct_pair(draw, n)
        B[:, k] = B[:, j]
        if np.array_equal(A[:, k], A[:, j]):  # make the tie matter to the leader
            A[:, k] = A[:, j] + (1.0 if integer else 0.5)
    free = [c for c in range(n) if c not in tied]  # the dominated column keeps the tie intact
    if dominated and n >= 2 and free:
        k = draw(st.sampled_from(free))
        j = draw(st.sampled_from([c for c in range(n) if c != k]))
        gap = max(1.0, (payoff_range[1] - payoff_range[0]) / 10.0)
        B[:, k] = B[:, j] - (np.ceil(gap) if integer else gap)
        if zero_sum:
            A[:, k] = -B[:, k]
        else:
            A[:, k] = max(abs(payoff_range[0]), abs(payoff_range[1]))  # bait for a bad solver
    return A, B


@st.composite
def normal_form_games(
    draw: Any,
    *,
    min_leader_actions: int = 1,
    max_leader_actions: int = 4,
    min_follower_actions: int = 1,
    max_follower_actions: int = 4,
    payoff_range: tuple[float, float] = (-10, 10),
    integer: bool = False,
    ties: bool = False,
    duplicate_rows: bool = False,
    duplicate_columns: bool = False,
    dominated: bool = False,
    zero_sum: bool = False,
) -> Any:
    """A :class:`stackopt.NormalFormGame` (see the module docstring for the options).

    Options that need two actions (``ties``, ``duplicate_*``, ``dominated``) raise the
    minimum number of the actions concerned to 2 (3 follower actions for ``ties`` with
    ``dominated``: the dominated action is not one of the tied pair).
    """
    from stackopt.kinds.normal_form.game import NormalFormGame

    cols = _min_columns(ties, dominated, zero_sum, duplicate_columns)
    m = _count(draw, min_leader_actions, max_leader_actions, at_least=2 if duplicate_rows else 1)
    n = _count(draw, min_follower_actions, max_follower_actions, at_least=cols)
    A, B = _payoff_pair(
        draw,
        m,
        n,
        payoff_range,
        integer,
        ties=ties,
        dominated=dominated,
        zero_sum=zero_sum,
        duplicate_rows=duplicate_rows,
        duplicate_columns=duplicate_columns,
    )
    return NormalFormGame(A, B, _labels("r", m), _labels("c", n), name="hypothesis")


@st.composite
def bayesian_games(
    draw: Any,
    *,
    max_types: int = 3,
    max_leader_actions: int = 3,
    max_follower_actions: int = 3,
    payoff_range: tuple[float, float] = (-10, 10),
    integer: bool = False,
    ties: bool = False,
    dominated: bool = False,
    zero_sum: bool = False,
    followers: bool = False,
) -> Any:
    """A :class:`stackopt.BayesianGame` with 1..``max_types`` follower types (priors summing
    to 1; with ``followers=True`` independent followers with positive weights instead). The
    degeneracy options apply to every type's matrices."""
    from stackopt.kinds.bayesian.game import BayesianGame, FollowerType

    m = draw(st.integers(1, max_leader_actions))
    L = draw(st.integers(1, max_types))
    weights = [draw(st.integers(1, 4)) for _ in range(L)]
    priors = [w / sum(weights) for w in weights] if not followers else [float(w) for w in weights]
    types = []
    for t in range(L):
        n = _count(draw, 1, max_follower_actions, at_least=_min_columns(ties, dominated, zero_sum))
        R, C = _payoff_pair(
            draw, m, n, payoff_range, integer, ties=ties, dominated=dominated, zero_sum=zero_sum
        )
        types.append(FollowerType(f"t{t}", priors[t], R, C, _labels(f"t{t}c", n)))
    return BayesianGame(
        _labels("r", m), tuple(types), name="hypothesis", mode="followers" if followers else "types"
    )


@st.composite
def security_games(
    draw: Any,
    *,
    max_targets: int = 4,
    max_types: int = 1,
    payoff_range: tuple[float, float] = (-10, 10),
    integer: bool = False,
    ties: bool = False,
    zero_sum: bool = False,
) -> Any:
    """A :class:`stackopt.SecurityGame`: 1..``max_targets`` targets, 0..T resources, and
    1..``max_types`` attacker types; covered payoffs never worse for the defender and never
    better for the attacker than uncovered ones. ``ties``: two targets with the same attacker
    payoffs; ``zero_sum``: the attacker's payoffs are the negated defender's."""
    from stackopt.kinds.security.game import SecurityGame

    T = draw(st.integers(1, max_targets))
    L = draw(st.integers(1, max_types))
    low, high = payoff_range

    def pair(hi_first: bool) -> tuple[float, float]:
        a, b = _number(draw, low, high, integer), _number(draw, low, high, integer)
        return (max(a, b), min(a, b)) if hi_first else (min(a, b), max(a, b))

    dc, du, ac, au = (np.zeros((L, T)) for _ in range(4))
    for lam in range(L):
        for t in range(T):
            dc[lam, t], du[lam, t] = pair(True)  # covered >= uncovered for the defender
            ac[lam, t], au[lam, t] = pair(False)  # covered <= uncovered for the attacker
            if zero_sum:
                ac[lam, t], au[lam, t] = -dc[lam, t], -du[lam, t]
        if ties and T >= 2:
            ac[lam, 1], au[lam, 1] = ac[lam, 0], au[lam, 0]
            if zero_sum:  # the defender's payoffs stay the attacker's negated
                dc[lam, 1], du[lam, 1] = dc[lam, 0], du[lam, 0]
    weights = [draw(st.integers(1, 4)) for _ in range(L)]
    return SecurityGame(
        _labels("t", T),
        dc,
        du,
        ac,
        au,
        resources=draw(st.integers(0, T)),
        types=_labels("a", L),
        priors=tuple(w / sum(weights) for w in weights),
        name="hypothesis",
    )


@st.composite
def incentive_games(
    draw: Any,
    *,
    max_leader_actions: int = 3,
    max_follower_actions: int = 3,
    payoff_range: tuple[float, float] = (-10, 10),
    integer: bool = False,
    ties: bool = False,
    dominated: bool = False,
    zero_sum: bool = False,
    budget: bool | None = None,
) -> Any:
    """An incentive game (a normal-form game plus bounded incentives for follower actions,
    drawn cost weight, optional budget, uniform or per-action contract)."""
    from stackopt.kinds.incentive.game import IncentiveGame, Incentives

    base = draw(
        normal_form_games(
            max_leader_actions=max_leader_actions,
            max_follower_actions=max_follower_actions,
            payoff_range=payoff_range,
            integer=integer,
            ties=ties,
            dominated=dominated,
            zero_sum=zero_sum,
        )
    )
    has_budget = draw(st.booleans()) if budget is None else budget
    inc = Incentives(
        max=float(draw(st.sampled_from([0.5, 1.0, 2.0, 5.0]))),
        cost_weight=float(draw(st.sampled_from([0.0, 0.5, 1.0, 2.0]))),
        budget=float(draw(st.sampled_from([0.0, 0.5, 1.0]))) if has_budget else None,
        contract=draw(st.sampled_from(["uniform", "per_action"])),
    )
    return IncentiveGame(base=base, incentives=inc)


@st.composite
def bilevel_problems(
    draw: Any,
    *,
    max_leader_variables: int = 2,
    max_follower_variables: int = 2,
    max_rows: int = 3,
    coefficient_range: tuple[int, int] = (-5, 5),
    upper: int = 5,
    integer_leader: bool = False,
) -> Any:
    """A small linear bilevel problem (both players minimise, integer coefficients), always
    feasible and bounded: every variable lies in ``[0, upper]`` and the follower's rows
    ``A_x x + A_y y <= b`` have ``b >= 0``, so ``y = 0`` answers every ``x >= 0``."""
    from stackopt.kinds.bilevel.game import BilevelProblem

    nx = draw(st.integers(1, max_leader_variables))
    ny = draw(st.integers(1, max_follower_variables))
    k = draw(st.integers(1, max_rows))
    lo, hi = coefficient_range
    ints = st.integers(lo, hi)

    def vec(n: int) -> list[float]:
        return [float(draw(ints)) for _ in range(n)]

    return BilevelProblem.from_matrices(
        c_x=vec(nx),
        c_y=vec(ny),
        d_y=vec(ny),
        A_x=[vec(nx) for _ in range(k)],
        A_y=[vec(ny) for _ in range(k)],
        b=[float(draw(st.integers(0, max(hi, 1) * upper))) for _ in range(k)],
        x_lower=0.0,
        x_upper=float(upper),
        y_lower=0.0,
        y_upper=float(upper),
        x_types=["integer"] * nx if integer_leader else None,
        name="hypothesis",
    )


@st.composite
def interdiction_games(
    draw: Any,
    *,
    max_nodes: int = 5,
    max_extra_arcs: int = 4,
    max_length: int = 10,
    max_budget: int = 4,
    removable: bool | None = None,
) -> Any:
    """A small shortest-path interdiction game: nodes ``n0 .. nk``, a chain ``n0 -> ... ->
    nk`` (so the target is reachable before interdiction) plus extra forward arcs, integer
    lengths, delays (or removable arcs: ``removable=True`` all, ``False`` none, ``None`` a
    mix) and costs, and an integer budget."""
    from stackopt.kinds.interdiction.game import Arc, InterdictionGame

    k = draw(st.integers(1, max_nodes - 1))
    pairs = [(i, i + 1) for i in range(k)]
    extra = [(i, j) for i in range(k + 1) for j in range(i + 2, k + 1)]
    if extra:
        chosen = draw(st.lists(st.sampled_from(extra), max_size=max_extra_arcs, unique=True))
        pairs += sorted(chosen)
    arcs = []
    for i, j in pairs:
        rem = draw(st.booleans()) if removable is None else removable
        arcs.append(
            Arc(
                f"n{i}",
                f"n{j}",
                float(draw(st.integers(0, max_length))),
                delay=0.0 if rem else float(draw(st.integers(0, max_length))),
                cost=float(draw(st.integers(1, 3))),
                removable=rem,
            )
        )
    return InterdictionGame(
        tuple(arcs), "n0", f"n{k}", float(draw(st.integers(0, max_budget))), name="hypothesis"
    )


@st.composite
def mdp_games(
    draw: Any,
    *,
    max_states: int = 3,
    max_actions: int = 2,
    max_leader_actions: int = 2,
    max_horizon: int = 3,
    payoff_range: tuple[float, float] = (-5, 5),
    integer: bool = True,
    leader_transitions: bool = False,
) -> Any:
    """A small finite-horizon Stackelberg MDP in which the leader commits to a distribution
    over its actions in every state (case (a)): random transition distributions (rational
    weights), rewards in ``payoff_range``, an initial distribution. The leader's actions
    change the rewards only, unless ``leader_transitions=True`` (then they change the
    transitions too; stackopt solves such games for pure commitments only)."""
    from stackopt.kinds.mdp.game import MDPGame

    S = draw(st.integers(1, max_states))
    A = draw(st.integers(1, max_actions))
    L = draw(st.integers(1, max_leader_actions))

    def dist(n: int) -> np.ndarray:
        w = np.array([draw(st.integers(0, 4)) for _ in range(n)], dtype=float)
        if w.sum() == 0:
            w[draw(st.integers(0, n - 1))] = 1.0
        return w / w.sum()

    P = np.array(
        [
            [[dist(S) for _ in range(A)] for _ in range(S)]
            for _ in range(L if leader_transitions else 1)
        ]
    )
    if not leader_transitions:
        P = np.repeat(P, L, axis=0)

    def rewards() -> np.ndarray:  # one S x A matrix per leader action
        matrices = payoff_matrices(S, A, payoff_range=payoff_range, integer=integer)
        return np.array([draw(matrices) for _ in range(L)])

    rf, rl = rewards(), rewards()
    return MDPGame(
        states=_labels("s", S),
        actions=_labels("a", A),
        initial=dist(S),
        transitions=P,
        follower_rewards=rf,
        leader_rewards=rl,
        horizon=draw(st.integers(1, max_horizon)),
        leader_actions=_labels("l", L),
        name="hypothesis",
    )


def games(**kwargs: Any) -> st.SearchStrategy[Any]:
    """Any of the finite-game strategies (normal-form, Bayesian, security, incentive) with the
    options they share (``payoff_range``, ``integer``, ``ties``, ``zero_sum``)."""
    shared = {
        k: v for k, v in kwargs.items() if k in ("payoff_range", "integer", "ties", "zero_sum")
    }
    return st.one_of(
        normal_form_games(**shared),
        bayesian_games(**shared),
        security_games(**shared),
        incentive_games(**shared),
    )


@st.composite
def commitments(draw: Any, game: Any, *, pure: bool = False) -> dict[str, float]:
    """A commitment of ``game`` as ``{label: number}``: a probability distribution over the
    leader's actions (a pure action with ``pure=True``); for security games a coverage vector
    within the resources (sum ``<= resources``, each in [0, 1])."""
    if getattr(game, "kind", None) == "security":
        T, m = len(game.targets), int(game.resources)
        wt = np.array([draw(st.integers(0, 100)) for _ in range(T)], dtype=float)
        c = np.zeros(T) if wt.sum() == 0 or m == 0 else np.minimum(1.0, wt / wt.sum() * m)
        return {t: float(v) for t, v in zip(game.targets, c)}
    labels = tuple(game.leader_actions)
    if pure:
        i = draw(st.integers(0, len(labels) - 1))
        return {lab: float(k == i) for k, lab in enumerate(labels)}
    w = [draw(st.integers(0, 20)) for _ in labels]
    if sum(w) == 0:
        w[draw(st.integers(0, len(labels) - 1))] = 1
    return {lab: wi / sum(w) for lab, wi in zip(labels, w)}
