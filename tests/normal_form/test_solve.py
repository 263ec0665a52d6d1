"""Strong Stackelberg equilibria of normal-form games, checked against independent oracles.

Reference answers come from ``tests/oracles.py`` (exact rational vertex enumeration, a fine grid
on 2 x n games, a separate minimax LP, brute force over pure commitments) and from the
hand-derived catalogue ``tests/catalogue.py`` -- never from stackopt itself.
"""

from __future__ import annotations

import numpy as np
import pytest

import stackopt
from stackopt import InputError, NormalFormGame, Result, SolverError, Status, solve_sse, verify_sse
from stackopt.testing.oracles import (
    CASES,
    grid_value_2xn,
    leader_value_at,
    minimax_value,
    nash_leader_values,
    pure_commitment_values,
    sse_vertex_enumeration,
)

TOL = 1e-9


def _random_games(seed: int, count: int, max_m: int = 4, max_n: int = 4, integer: bool = False):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        m, n = int(rng.integers(1, max_m + 1)), int(rng.integers(1, max_n + 1))
        if integer:  # small integers: many ties and degenerate regions
            A = rng.integers(-3, 4, size=(m, n)).astype(float)
            B = rng.integers(-3, 4, size=(m, n)).astype(float)
        else:
            A = np.round(rng.uniform(-10, 10, size=(m, n)), 3)
            B = np.round(rng.uniform(-10, 10, size=(m, n)), 3)
        out.append(NormalFormGame(A, B))
    return out


def _tol(game: NormalFormGame) -> float:
    return TOL * max(1.0, game.scale)


# -- the catalogue ------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_catalogue_answers_match_vertex_oracle(case):
    exact = sse_vertex_enumeration(case.A, case.B)
    assert exact.value == case.value
    assert max(pure_commitment_values(case.A, case.B)) == case.pure_value
    assert exact.region_values[case.response] == case.value


@pytest.mark.parametrize(
    "engine,prune", [("highs", True), ("highs", False), ("pyomo", True), ("pyomo", False)]
)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_catalogue_solved_by_every_engine(case, engine, prune):
    game = case.game()
    r = solve_sse(game, engine=engine, prune=prune)
    assert r.status is Status.OPTIMAL and r.certified, r.certificate.summary()
    assert r.method == "multiple_lps"
    assert abs(r.leader.value - float(case.value)) <= TOL
    assert abs(r.follower.value - float(case.follower_value)) <= TOL
    x = np.array([r.leader.commitment[a] for a in game.leader_actions])
    assert np.allclose(x, [float(p) for p in case.commitment], atol=1e-7)
    if case.response_unique:
        assert r.follower.response == game.follower_actions[case.response]
    # independent re-evaluation of the reported commitment
    assert abs(leader_value_at(case.A, case.B, x, tol=1e-7) - float(case.value)) <= 1e-7


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_catalogue_pure_commitment(case):
    game = case.game()
    r = solve_sse(game, pure=True)
    assert r.method == "pure_commitment" and r.certified
    assert abs(r.leader.value - float(case.pure_value)) <= TOL
    assert sorted(r.leader.commitment.values()) == [0.0] * (game.shape[0] - 1) + [1.0]


def test_inspection_file_from_data_dir():
    game = stackopt.load_game(
        stackopt.__file__.replace("stackopt/__init__.py", "data/inspection.yaml")
    )
    r = stackopt.solve(game)
    assert abs(r.leader.value + 5 / 14) <= TOL
    assert abs(r.leader.commitment["inspect"] - 5 / 14) <= 1e-9
    assert r.follower.response == "legal" and r.certified


def test_tie_break_game_needs_leader_favourable_ties():
    """Without leader-favourable ties the value would be 1 (sup of the other region), not 2."""
    g = NormalFormGame([[2, 0], [1, 1]], [[1, 1], [0, 1]])
    r = solve_sse(g)
    assert r.follower.response == "b0" and abs(r.leader.value - 2) <= TOL
    assert r.certificate.check("tie_break").passed


# -- random games against exact vertex enumeration ------------------------------------------------
@pytest.mark.parametrize("integer", [False, True], ids=["continuous", "integer_ties"])
def test_random_games_match_exact_vertex_enumeration(integer):
    for game in _random_games(7 if integer else 3, 40, integer=integer):
        exact = sse_vertex_enumeration(game.A, game.B)
        r = solve_sse(game)
        assert r.certified, (game.A, game.B, r.certificate.summary())
        assert abs(r.leader.value - float(exact.value)) <= _tol(game), (game.A, game.B)
        x = np.array([r.leader.commitment[a] for a in game.leader_actions])
        # the reported commitment really earns the value with leader-favourable ties
        assert leader_value_at(game.A, game.B, x, tol=1e-7) >= float(exact.value) - 1e-6


def test_larger_random_game_matches_exact_vertex_enumeration():
    rng = np.random.default_rng(11)
    A = rng.integers(-20, 21, size=(5, 6)).astype(float)
    B = rng.integers(-20, 21, size=(5, 6)).astype(float)
    exact = sse_vertex_enumeration(A, B)
    r = solve_sse(NormalFormGame(A, B))
    assert abs(r.leader.value - float(exact.value)) <= 20 * TOL


# -- 2 x n games against a fine grid --------------------------------------------------------------
def test_two_by_n_games_match_fine_grid():
    rng = np.random.default_rng(5)
    for _ in range(25):
        n = int(rng.integers(1, 6))
        A = np.round(rng.uniform(-5, 5, size=(2, n)), 2)
        B = np.round(rng.uniform(-5, 5, size=(2, n)), 2)
        r = solve_sse(NormalFormGame(A, B))
        grid = grid_value_2xn(A, B, step=1e-4)
        assert grid <= r.leader.value + 1e-9
        assert r.leader.value - grid <= 1e-9  # breakpoints are included exactly
        # the grid alone (no breakpoints) is below the value and, on these continuous games
        # (best-response regions are intervals of positive length), within a grid step
        lone = grid_value_2xn(A, B, step=1e-4, breakpoints=False)
        assert lone <= r.leader.value + 1e-9
        assert r.leader.value - lone <= 1e-4 * 2 * np.abs(A).max() + 1e-9


# -- zero-sum games against a minimax LP -----------------------------------------------------
def test_zero_sum_games_equal_minimax_value():
    rng = np.random.default_rng(17)
    for _ in range(15):
        m, n = (int(v) for v in rng.integers(1, 6, size=2))
        A = np.round(rng.uniform(-10, 10, size=(m, n)), 3)
        r = solve_sse(NormalFormGame(A, -A))
        assert r.certified
        assert abs(r.leader.value - minimax_value(A)) <= 1e-7 * max(1, np.abs(A).max())
        assert abs(r.follower.value + r.leader.value) <= 1e-9


def test_matching_pennies_value_zero():
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    assert abs(minimax_value(A)) <= 1e-12
    assert abs(solve_sse(NormalFormGame(A, -A)).leader.value) <= TOL


# -- options ---------------------------------------------------------------------------------
def test_engines_agree_on_random_games():
    for game in _random_games(23, 8, max_m=3, max_n=4):
        a = solve_sse(game, engine="highs")
        b = solve_sse(game, engine="pyomo")
        assert abs(a.leader.value - b.leader.value) <= _tol(game)
        assert b.certified and a.certified


def test_prune_off_agrees_and_solves_every_inducible_lp():
    for game in _random_games(29, 20, max_m=4, max_n=5):
        a, b = solve_sse(game, prune=True), solve_sse(game, prune=False)
        assert abs(a.leader.value - b.leader.value) <= _tol(game)
        n = game.shape[1]
        for r in (a, b):
            s = r.stats
            assert s["lps_solved"] + s["lps_pruned"] + s["lps_dominated"] == n
        assert b.stats["lps_pruned"] == 0
        assert len(b.certificate.evidence["bounds"]) == n


def test_pruning_skips_lps_and_reports_it():
    # column 0's region gives 10 (leader row 0 pure); column 1 can give at most 1 -> pruned
    g = NormalFormGame([[10, 1], [0, 1]], [[1, 0], [0, 1]])
    r = solve_sse(g)
    assert r.stats["lps_solved"] == 1 and r.stats["lps_pruned"] == 1
    assert r.certificate.evidence["bounds"]["b1"]["outcome"] == "pruned"
    assert r.certified


def test_dominated_follower_action_is_skipped_with_evidence():
    from stackopt.testing.oracles import BY_NAME

    r = solve_sse(BY_NAME["dominated_follower_action"].game(), prune=False)
    rec = r.certificate.evidence["bounds"]["b2"]
    assert rec["outcome"] == "dominated" and rec["dominated_by"] == {"b0": 1.0}
    assert r.stats["lps_dominated"] == 1 and r.certified


def test_never_best_response_by_mixture_is_certified_infeasible():
    # column 2 is beaten by the 50/50 mix of columns 0 and 1 but by neither alone
    g = NormalFormGame([[0, 0, 9], [0, 0, 9]], [[4, 0, 1], [0, 4, 1]])
    r = solve_sse(g, prune=False)
    rec = r.certificate.evidence["bounds"]["b2"]
    assert rec["outcome"] == "infeasible" and "dominated_by" in rec
    assert r.certified and abs(r.leader.value - 0.0) <= TOL


@pytest.mark.parametrize("integer", [False, True])
def test_pure_equals_brute_force(integer):
    for game in _random_games(31, 25, max_m=5, max_n=5, integer=integer):
        r = solve_sse(game, pure=True)
        brute = max(pure_commitment_values(game.A, game.B))
        assert abs(r.leader.value - float(brute)) <= TOL
        assert r.certified
        assert r.leader.value <= solve_sse(game).leader.value + _tol(game)


def test_leader_follower_equals_transposed_oracle():
    for game in _random_games(37, 15, integer=True):
        r = solve_sse(game, leader="follower")
        exact = sse_vertex_enumeration(game.B.T, game.A.T)
        assert abs(r.leader.value - float(exact.value)) <= _tol(game)
        assert r.leader.name == game.follower_name
        assert set(r.leader.commitment) == set(game.follower_actions)
        assert r.follower.response in game.leader_actions
        assert verify_sse(game, r).passed  # verifies against the file's orientation


def test_leader_by_player_name():
    g = NormalFormGame([[1, 3], [0, 2]], [[1, 0], [0, 1]], leader_name="row", follower_name="col")
    a = solve_sse(g, leader="col")
    b = solve_sse(g, leader="follower")
    assert a.leader.value == pytest.approx(b.leader.value, abs=TOL)
    assert a.leader.name == "col"
    with pytest.raises(InputError, match="unknown player"):
        solve_sse(g, leader="nobody")


def test_restrictions_equal_oracle_on_submatrix():
    rng = np.random.default_rng(41)
    for _ in range(15):
        A = rng.integers(-5, 6, size=(4, 4)).astype(float)
        B = rng.integers(-5, 6, size=(4, 4)).astype(float)
        g = NormalFormGame(A, B)
        rows = sorted(rng.choice(4, size=int(rng.integers(1, 5)), replace=False).tolist())
        cols = sorted(rng.choice(4, size=int(rng.integers(1, 5)), replace=False).tolist())
        r = solve_sse(
            g, leader_actions=[f"a{i}" for i in rows], follower_actions=[f"b{j}" for j in cols]
        )
        exact = sse_vertex_enumeration(A[np.ix_(rows, cols)], B[np.ix_(rows, cols)])
        assert abs(r.leader.value - float(exact.value)) <= 5 * TOL
        assert set(r.leader.commitment) == {f"a{i}" for i in rows}
        # restrictions apply only when passed to verify explicitly (issue 8)
        assert verify_sse(
            g, r, leader_actions=[f"a{i}" for i in rows], follower_actions=[f"b{j}" for j in cols]
        ).passed
        assert verify_sse(
            g,
            Result.from_dict(r.to_dict()),
            leader_actions=[f"a{i}" for i in rows],
            follower_actions=[f"b{j}" for j in cols],
        ).passed


def test_bad_options_are_input_errors():
    g = NormalFormGame([[1]], [[1]])
    with pytest.raises(InputError, match="engine"):
        solve_sse(g, engine="cplex")
    for bad in (0, 1, -1e-3, 2.0, "x"):
        with pytest.raises(InputError, match="rtol"):
            solve_sse(g, rtol=bad)
    with pytest.raises(InputError, match="unknown action"):
        solve_sse(g, leader_actions=["zz"])
    with pytest.raises(InputError, match="empty"):
        solve_sse(g, follower_actions=[])
    with pytest.raises(InputError, match="NormalFormGame"):
        solve_sse([[1]])
    with pytest.raises(InputError, match="--bogus does not apply to normal-form games"):
        stackopt.solve(g, bogus=1)


def test_time_limit_exceeded_is_a_solver_error():
    g = NormalFormGame(np.eye(3), np.eye(3))
    with pytest.raises(SolverError, match="time limit"):
        solve_sse(g, time_limit=1e-9)
    assert solve_sse(g, time_limit=60.0).certified
    with pytest.raises(InputError, match="time-limit of normal-form games must be a number > 0"):
        solve_sse(g, time_limit=0.0)


def test_rtol_is_recorded_and_scales_with_payoffs():
    g = NormalFormGame([[-1, -6], [0, -10]], [[-1, -10], [0, 5]])
    r = solve_sse(g, rtol=1e-8)
    assert r.certificate.rtol == 1e-8 and r.options["rtol"] == 1e-8
    assert r.certificate.atol == pytest.approx(1e-8 * 10)
    assert r.certificate.scale == 10.0


# -- verify: round trips, foreign JSON, corruption -------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_json_round_trip_verifies(case):
    import json

    game = case.game()
    r = solve_sse(game)
    back = Result.from_dict(json.loads(r.to_json()))
    cert = stackopt.verify(game, back)
    assert cert.passed, cert.summary()
    assert back.leader.commitment == r.leader.commitment
    assert back.follower.response == r.follower.response


def test_minimal_foreign_json_verifies_first_checks_and_fails_optimality():
    game = CASES[0].game()
    foreign = {
        "leader": {"commitment": {"inspect": 5 / 14, "skip": 9 / 14}, "value": -5 / 14},
        "follower": {"response": "legal", "value": -5 / 14},
    }
    cert = stackopt.verify(game, foreign)
    names = {c.name: c for c in cert.checks}
    for ok in ("commitment", "best_response", "tie_break", "leader_value", "follower_value"):
        assert names[ok].passed, names[ok].detail
    assert not names["optimality"].passed and not cert.passed
    assert "no optimality bounds" in names["optimality"].detail
    assert "stackopt solve" in names["optimality"].detail


def test_foreign_json_without_values_fails_optimality_only():
    # values are optional (docs/quickstart.md): only the missing bounds fail
    game = CASES[0].game()
    cert = stackopt.verify(
        game,
        {
            "leader": {"commitment": {"inspect": 5 / 14, "skip": 9 / 14}},
            "follower": {"response": "legal"},
        },
    )
    failed = {c.name for c in cert.failed()}
    assert failed == {"optimality"}
    assert cert.check("leader_value").detail == "not reported; the game gives -0.3571428571"


def test_foreign_pure_json_is_checked_by_enumeration():
    game = CASES[1].game()  # commitment beats Nash; best pure commitment D gives 2
    good = {
        "method": "pure_commitment",
        "leader": {"commitment": "D", "value": 2},
        "follower": {"response": "R", "value": 1},
    }
    assert stackopt.verify(game, good, pure=True).passed
    # the result's own "method: pure_commitment" restricts nothing (issue 8)
    unrestricted = stackopt.verify(game, good)
    assert not unrestricted.passed
    assert unrestricted.evidence["ignored_restrictions"] == {"method": "pure_commitment"}
    bad = {
        "method": "pure_commitment",
        "leader": {"commitment": "U", "value": 1},
        "follower": {"response": "L", "value": 1},
    }
    cert = stackopt.verify(game, bad, pure=True)
    assert not cert.passed and cert.failed()[0].name == "optimality"
    assert "'D' gives 2" in cert.failed()[0].detail


def _corrupt(d, how):
    import copy

    d = copy.deepcopy(d)
    lc = d["leader"]["commitment"]
    bounds = d["certificate"]["evidence"]["bounds"]
    if how == "commitment":
        first = next(iter(lc))
        for k in lc:
            lc[k] = 1.0 if k == first else 0.0
    elif how == "commitment_not_distribution":
        for k in lc:
            lc[k] *= 2
    elif how == "response":
        d["follower"]["response"] = "violate"
    elif how == "leader_value":
        d["leader"]["value"] += 0.01
    elif how == "follower_value":
        d["follower"]["value"] -= 0.01
    elif how == "multiplier_zero":
        bounds["legal"]["multipliers"] = {}
    elif how == "multiplier_negative":
        bounds["legal"]["multipliers"] = {"violate": -0.07}
    elif how == "drop_bound":
        del bounds["violate"]
    elif how == "drop_evidence":
        d["certificate"]["evidence"] = {}
    elif how == "unknown_response":
        d["follower"]["response"] = "nonsense"
    return d


@pytest.mark.parametrize(
    "how",
    [
        "commitment",
        "commitment_not_distribution",
        "response",
        "leader_value",
        "follower_value",
        "multiplier_zero",
        "multiplier_negative",
        "drop_bound",
        "drop_evidence",
    ],
)
def test_corrupted_inspection_answer_fails_verify(how):
    game = CASES[0].game()
    d = solve_sse(game).to_dict()
    assert stackopt.verify(game, d).passed
    cert = stackopt.verify(game, _corrupt(d, how))
    assert not cert.passed
    assert "FAILED" in cert.summary()


def test_corrupted_dominance_evidence_fails_verify():
    from stackopt.testing.oracles import BY_NAME

    game = BY_NAME["dominated_follower_action"].game()
    d = solve_sse(game, prune=False).to_dict()
    d["certificate"]["evidence"]["bounds"]["b2"]["dominated_by"] = {"b1": 1.0}  # not dominating
    cert = stackopt.verify(game, d)
    assert not cert.check("optimality").passed
    assert "margin" in cert.check("optimality").detail


def test_unknown_response_label_in_result_is_input_error():
    game = CASES[0].game()
    d = _corrupt(solve_sse(game).to_dict(), "unknown_response")
    with pytest.raises(InputError, match="unknown follower action 'nonsense'"):
        stackopt.verify(game, d)
    d = solve_sse(game).to_dict()
    d["follower"]["response"] = ["legal"]
    with pytest.raises(InputError, match="one action label"):
        stackopt.verify(game, d)


def test_a_result_cannot_loosen_its_own_check():
    """A result file may claim a loose rtol; verify never goes above the default unless told."""
    game = CASES[0].game()
    d = solve_sse(game).to_dict()
    d["leader"]["value"] += 1.0
    d["options"]["rtol"] = 0.5  # atol = 0.5 * 10 = 5 would hide the wrong value
    cert = stackopt.verify(game, d)
    assert not cert.passed and not cert.check("leader_value").passed
    assert cert.rtol == 1e-6
    # an explicit rtol is what the user asked for, and is what counts
    assert stackopt.verify(game, d, rtol=0.5).passed
    # a stricter stored rtol is kept
    d2 = solve_sse(game, rtol=1e-9).to_dict()
    assert stackopt.verify(game, d2).rtol == 1e-9


def test_oracles_on_textbook_values():
    """The oracles themselves, on values known from the literature/by hand."""
    # 2x2 zero-sum without saddle point: value (ad - bc) / (a + d - b - c) = 1/5
    assert minimax_value([[2, -1], [-1, 1]]) == pytest.approx(0.2, abs=1e-12)
    # commitment beats Nash: the unique Nash equilibrium (U, L) gives the leader 1
    assert nash_leader_values([[1, 3], [0, 2]], [[1, 0], [0, 1]]) == [1.0]
    # regions of the inspection game: legal for p >= 5/14, violate for p <= 5/14
    from fractions import Fraction as F

    from stackopt.testing.oracles import region_vertices, to_fractions

    B = to_fractions([[-1, -10], [0, 5]])
    assert region_vertices(B, 0) == [(F(5, 14), F(9, 14)), (F(1), F(0))]
    assert region_vertices(B, 1) == [(F(0), F(1)), (F(5, 14), F(9, 14))]


def test_foreign_json_naming_the_follower_as_leader_is_checked_swapped(inspection_file):
    """Another tool's answer for 'inspectee leads', recognised by the player's name."""
    game = stackopt.load_game(inspection_file)
    swapped = solve_sse(game, leader="follower")
    exact = sse_vertex_enumeration(game.B.T, game.A.T)
    assert abs(swapped.leader.value - float(exact.value)) <= TOL
    foreign = {
        "leader": {
            "name": "inspectee",
            "commitment": dict(swapped.leader.commitment),
            "value": swapped.leader.value,
        },
        "follower": {
            "name": "inspector",
            "response": swapped.follower.response,
            "value": swapped.follower.value,
        },
    }
    cert = stackopt.verify(game, foreign)
    assert [c.name for c in cert.failed()] == ["optimality"]  # no bounds: only that fails


def test_method_names_are_accepted_and_unknown_ones_refused():
    game = CASES[0].game()
    assert solve_sse(game, method="multiple_lps").method == "multiple_lps"
    r = solve_sse(game, method="pure_commitment")
    assert r.method == "pure_commitment" and r.certified
    with pytest.raises(InputError, match="unknown method"):
        solve_sse(game, method="dobss")


def test_role_keywords_win_over_player_names():
    from stackopt import NormalFormGame

    g = NormalFormGame(
        [[1, 0], [0, 2]], [[0, 1], [1, 0]], leader_name="follower", follower_name="leader"
    )
    r = solve_sse(g, leader="follower")  # the role, not the player called "follower"
    assert r.leader.name == "leader"  # the player in the follower role now leads
    assert solve_sse(g, leader="leader").leader.name == "follower"


def test_early_stopped_lps_are_certified_and_match_a_linprog_loop():
    """LPs that HiGHS stops at the incumbent (objective bound) carry their own multipliers;
    the answer equals a scipy ``linprog`` loop over every full LP(j) (an independent solve)."""
    from scipy.optimize import linprog

    rng = np.random.default_rng(20261127)
    m = n = 30
    A = rng.standard_normal((m, n))
    B = -0.9 * A + np.sqrt(0.19) * rng.standard_normal((m, n))  # anti-correlated
    game = NormalFormGame(A, B)
    r = solve_sse(game)
    assert r.stats["lps_stopped_early"] > 0 and r.certified
    a_ub = np.hstack([B.T, -np.ones((n, 1))])
    best = -np.inf
    for j in range(n):
        res = linprog(
            np.r_[-A[:, j], 0.0],
            A_ub=a_ub,
            b_ub=np.zeros(n),
            A_eq=np.vstack([np.r_[np.ones(m), 0.0], a_ub[j]]),
            b_eq=[1.0, 0.0],
            bounds=[(0.0, 1.0)] * m + [(None, None)],
            method="highs",
        )
        if res.status == 0:
            best = max(best, -float(res.fun))
    assert abs(r.leader.value - best) <= 1e-7 * np.abs(A).max()
    bounds = r.certificate.evidence["bounds"]
    for label, rec in bounds.items():  # every pruned bound recomputes below the value
        if rec["outcome"] == "pruned" and rec["multipliers"]:
            k = game.follower_index(label)
            y = np.zeros(n)
            for lab, w in rec["multipliers"].items():
                y[game.follower_index(lab)] = w
            lift = A[:, k] + B[:, k] * y.sum() - B @ y
            assert lift.max() <= r.leader.value + 1e-6 * np.abs(A).max()
