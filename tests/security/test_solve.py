"""Security games: coverage LPs and ERASER against the normal-form expansion and by hand.

Independent references: the hand-derived sanity case of issue 3; the normal-form expansion
(``to_normal_form``) solved by the core normal-form SSE solver
(``stackopt.kinds.normal_form.solve.solve_sse``) and, for the tiniest games, by the exact
rational oracle of ``tests/oracles.py``; the same game written by hand in normal form
(``data/security_small.yaml``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from stackopt import InputError, UnsupportedError, load_game, solve, verify
from stackopt.cli import main
from stackopt.kinds.normal_form.solve import solve_sse
from stackopt.kinds.security.game import SecurityGame
from stackopt.kinds.security.solve import (
    build_model,
    coverage_of,
    solve_security,
    to_normal_form,
    verify_security,
)
from stackopt.testing.oracles import sse_vertex_enumeration

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "security"


def five_identical() -> SecurityGame:
    return SecurityGame(
        tuple(f"t{k}" for k in range(1, 6)), [5] * 5, [-20] * 5, [-10] * 5, [30] * 5, 2
    )


def random_game(seed: int, T: int, m: int, L: int = 1, integer: bool = False) -> SecurityGame:
    rng = np.random.default_rng(seed)
    draw = (
        (lambda lo, hi, size: rng.integers(lo, hi + 1, size).astype(float))
        if integer
        else (lambda lo, hi, size: rng.uniform(lo, hi, size))
    )
    shape = (L, T)
    priors = rng.dirichlet(np.ones(L)) if L > 1 else ()
    if L > 1:
        priors = tuple(float(p) for p in priors[:-1]) + (1.0 - float(sum(priors[:-1])),)
    return SecurityGame(
        tuple(f"t{k}" for k in range(T)),
        draw(0, 10, T),
        draw(-10, 0, T),
        draw(-10, 0, shape),
        draw(0, 10, shape),
        m,
        types=tuple(f"type{k}" for k in range(L)) if L > 1 else (),
        priors=priors,
    )


# -- the sanity case from the issue -------------------------------------------------------------
@pytest.mark.parametrize(
    "method,engine", [("multiple_lps", "highs"), ("multiple_lps", "pyomo"), ("eraser", "highs")]
)
def test_five_identical_targets(method, engine):
    r = solve_security(five_identical(), method=method, engine=engine)
    assert r.certified, r.certificate.summary()
    assert r.leader.value == pytest.approx(-10, abs=1e-5)
    for c in r.leader.commitment.values():
        assert c == pytest.approx(0.4, abs=1e-6)
    assert r.follower.value == pytest.approx(14, abs=1e-5)


def test_five_identical_targets_file_and_expansion():
    g = load_game(DATA / "five_identical_targets.yaml")
    r = solve(g)
    assert r.certified and r.leader.value == pytest.approx(-10)
    nf = solve_sse(to_normal_form(g))
    assert nf.certified and nf.leader.value == pytest.approx(-10)
    assert np.allclose(coverage_of(g, nf.leader.commitment), 0.4)


def test_compact_file_matches_hand_written_normal_form():
    compact = solve(load_game(DATA / "transit_hubs.yaml"))
    normal = solve(load_game(REPO / "data" / "security_small.yaml"))
    assert compact.certified and normal.certified
    assert compact.leader.value == pytest.approx(normal.leader.value, abs=1e-6)
    ex = sse_vertex_enumeration(
        load_game(REPO / "data" / "security_small.yaml").A,
        load_game(REPO / "data" / "security_small.yaml").B,
    )
    assert compact.leader.value == pytest.approx(float(ex.value), abs=1e-9)


# -- one attacker type: LPs vs expansion vs ERASER ------------------------------------------------
@pytest.mark.parametrize(
    "seed,T,m,integer",
    [
        (1, 4, 1, False),
        (2, 5, 2, False),
        (3, 6, 2, True),
        (4, 5, 3, True),
        (5, 6, 1, True),
        (6, 4, 4, False),
    ],
)
def test_one_type_against_normal_form_expansion(seed, T, m, integer):
    g = random_game(seed, T, m, integer=integer)
    lp = solve_security(g)
    lp_pyomo = solve_security(g, engine="pyomo")
    milp = solve_security(g, method="eraser")
    assert lp.certified and lp_pyomo.certified and milp.certified
    nf = solve_sse(to_normal_form(g))
    assert nf.certified
    tol = 1e-6 * g.scale
    assert lp.leader.value == pytest.approx(nf.leader.value, abs=tol)
    assert lp_pyomo.leader.value == pytest.approx(nf.leader.value, abs=tol)
    assert milp.leader.value == pytest.approx(nf.leader.value, abs=tol)
    exact = solve_sse(to_normal_form(g, sizes="exactly"))
    assert exact.leader.value == pytest.approx(nf.leader.value, abs=tol)


def test_one_type_exact_oracle_on_tiny_game():
    g = random_game(7, 3, 1, integer=True)
    nf = to_normal_form(g)
    ex = sse_vertex_enumeration(nf.A, nf.B)
    assert solve_security(g).leader.value == pytest.approx(float(ex.value), abs=1e-9)


# -- attacker types: ERASER vs Harsanyi expansion ------------------------------------------------
@pytest.mark.parametrize("seed,T,m,L", [(11, 3, 1, 2), (12, 4, 2, 2), (13, 4, 1, 3), (14, 5, 2, 2)])
def test_types_against_harsanyi_expansion(seed, T, m, L):
    g = random_game(seed, T, m, L=L, integer=seed % 2 == 0)
    r = solve_security(g)
    assert r.method == "eraser" and r.certified, r.certificate.summary()
    assert set(r.follower.response) == set(g.types)
    nf = solve_sse(to_normal_form(g))
    assert nf.certified
    assert r.leader.value == pytest.approx(nf.leader.value, abs=1e-6 * g.scale)


def test_types_file():
    g = load_game(DATA / "two_attacker_types.yaml")
    r = solve(g)
    assert r.certified
    nf = solve_sse(to_normal_form(g))
    assert r.leader.value == pytest.approx(nf.leader.value, abs=1e-6 * g.scale)
    assert "milp_bound" in r.certificate.evidence
    assert "solver's claim" in r.certificate.check("optimality").detail


def test_invariance_under_permutation_and_scaling():
    g = random_game(21, 6, 2)
    base = solve_security(g).leader.value
    perm = np.random.default_rng(0).permutation(6)
    g2 = SecurityGame(
        tuple(g.targets[k] for k in perm),
        g.defender_covered[0, perm] * 3,
        g.defender_uncovered[0, perm] * 3,
        g.attacker_covered[0, perm] * 0.5,
        g.attacker_uncovered[0, perm] * 0.5,
        2,
    )
    assert solve_security(g2).leader.value == pytest.approx(3 * base, abs=1e-6)


# -- certificates --------------------------------------------------------------------------------
def test_verify_round_trip_and_tampering(tmp_path):
    g = random_game(31, 6, 2)
    r = solve_security(g)
    d = json.loads(r.to_json())
    assert verify_security(g, d).passed and verify(g, d).passed
    worse = json.loads(r.to_json())
    worse["leader"]["commitment"] = {t: 2 / 6 for t in g.targets}
    ud = g.defender_utility(np.full(6, 2 / 6))[0]
    ua = g.attacker_utility(np.full(6, 2 / 6))[0]
    t = int(np.argmax(np.where(ua >= ua.max() - 1e-12, ud, -np.inf)))
    worse["follower"]["response"] = g.targets[t]
    worse["leader"]["value"], worse["follower"]["value"] = float(ud[t]), float(ua[t])
    cert = verify_security(g, worse)
    assert float(ud[t]) < r.leader.value - 1e-3  # uniform coverage is suboptimal here
    assert not cert.check("optimality").passed
    assert cert.check("best_response").passed and cert.check("commitment").passed
    wrong = json.loads(r.to_json())
    wrong["follower"]["response"] = next(x for x in g.targets if x != r.follower.response)
    assert not verify_security(g, wrong).passed
    over = json.loads(r.to_json())
    over["leader"]["commitment"] = {t: 1.0 for t in g.targets}
    assert not verify_security(g, over).check("commitment").passed
    bare = json.loads(r.to_json())
    bare["certificate"]["evidence"] = {}
    assert not verify_security(g, bare).check("optimality").passed


@pytest.mark.parametrize(
    "options, error, match",
    [
        ({"method": "multiple_lps"}, UnsupportedError, "eraser"),
        ({"method": "origami"}, InputError, "unknown method"),
        ({"rtol": 2}, InputError, "rtol"),
    ],
)
def test_bad_options(options, error, match):
    with pytest.raises(error, match=match):
        solve_security(random_game(41, 4, 1, L=2), **options)


def test_cli_solve_json_verify_export(tmp_path, capsys):
    f = DATA / "two_attacker_types.yaml"
    out = tmp_path / "r.json"
    assert main(["solve", str(f), "--json", "--out", str(out)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["kind"] == "security" and set(d["follower"]["response"]) == {"terrorist", "vandal"}
    assert main(["verify", str(f), str(out)]) == 0
    capsys.readouterr()
    assert main(["export", str(f), "--format", "lp", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "two_attacker_types.lp").read_text().count("a(") > 0
    assert build_model(load_game(f)).name == "eraser"


EDGE = {
    "no_resources": (("a", "b", "c"), [1, 2, 3], [-1, -5, -2], [-1, -1, -1], [3, 2, 1], 0),
    "full_coverage": (("a", "b", "c"), [1, 2, 3], [-1, -5, -2], [-1, -1, -1], [3, 2, 1], 3),
    "attacker_ignores_coverage": (
        ("a", "b", "c"),
        [1, 2, 3],
        [-1, -5, -2],
        [2, -1, -1],
        [2, 2, 1],
        1,
    ),
    "defender_ignores_coverage": (
        ("a", "b", "c"),
        [1, -5, 3],
        [-1, -5, -2],
        [-1, -1, -1],
        [3, 2, 1],
        1,
    ),
    "all_zero": (("a", "b"), [0, 0], [0, 0], [0, 0], [0, 0], 1),
}


@pytest.mark.parametrize("name", sorted(EDGE))
@pytest.mark.parametrize("opts", [{}, {"engine": "pyomo"}, {"method": "eraser"}])
def test_edge_cases_against_expansion(name, opts):
    g = SecurityGame(*EDGE[name])
    r = solve_security(g, **opts)
    assert r.certified, r.certificate.summary()
    nf = to_normal_form(g)
    assert r.leader.value == pytest.approx(
        float(sse_vertex_enumeration(nf.A, nf.B).value), abs=1e-6
    )
