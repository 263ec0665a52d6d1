"""Linear-size bound records of the one-type coverage LPs (issue 13): soundness and tightness.

Independent oracle: every LP(j) of the multiple-LPs method solved afresh by ``scipy.optimize.
linprog`` (HiGHS through SciPy, a different code path from the in-place highspy loop), and the
equilibrium value as the best of those LPs. The records of a result must give, for every target,
a bound at least that LP's value (weak duality) and, for the solved ones, equal to it (optimal
compact multipliers). Hostile tests forge ``(nu, kappa, mu)``: the bound must stay an upper
bound, and an answer below the optimum must fail the optimality check whatever the evidence.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import stackopt
from stackopt.kinds.security.bounds import lagrangian_bounds, parse_records
from stackopt.kinds.security.checks import bound_from_multipliers
from stackopt.kinds.security.game import SecurityGame
from stackopt.kinds.security.solve import solve_security, verify_security

REPO = Path(__file__).resolve().parents[2]


def game_of(seed: int, T: int, m: int, kind: str = "uniform") -> SecurityGame:
    rng = np.random.default_rng(seed)
    if kind == "integer":  # many ties
        draw = lambda lo, hi: rng.integers(lo, hi + 1, T).astype(float)  # noqa: E731
    else:
        draw = lambda lo, hi: rng.uniform(lo, hi, T)  # noqa: E731
    dc, du, ac, au = draw(0, 10), draw(-10, 0), draw(-10, 0), draw(0, 10)
    if kind == "degenerate":  # attacker indifferent to coverage, defender indifferent
        flat = rng.random(T) < 0.3
        ac[flat] = au[flat]
        same = rng.random(T) < 0.2
        du[same] = dc[same]
    return SecurityGame(tuple(f"t{k}" for k in range(T)), dc, du, ac, au, m)


def lp_value(g: SecurityGame, j: int) -> float | None:
    """LP(j) by scipy's linprog on the full model (None when infeasible)."""
    out = lp_solution(g, j)
    return None if out is None else out[0]


def lp_solution(g: SecurityGame, j: int) -> tuple[float, np.ndarray] | None:
    """(value, coverage) of LP(j) by scipy's linprog (None when infeasible)."""
    T = g.n_targets
    dc, du = g.defender_covered[0], g.defender_uncovered[0]
    ac, au = g.attacker_covered[0], g.attacker_uncovered[0]
    da = au - ac
    cost = np.zeros(T + 1)
    cost[j] = -(dc[j] - du[j])
    A, b = [], []
    for t in range(T):  # k >= au_t - da_t c_t
        row = np.zeros(T + 1)
        row[t], row[T] = -da[t], -1.0
        A.append(row)
        b.append(-au[t])
    row = np.zeros(T + 1)  # k <= au_j - da_j c_j
    row[j], row[T] = da[j], 1.0
    A.append(row)
    b.append(au[j])
    A.append(np.r_[np.ones(T), 0.0])
    b.append(g.resources)
    res = linprog(
        cost, A_ub=np.array(A), b_ub=b, bounds=[(0, 1)] * T + [(None, None)], method="highs"
    )
    if res.status == 2:
        return None
    assert res.status == 0, res.message
    return float(du[j] - res.fun), np.clip(res.x[:T], 0.0, 1.0)


def record_bounds(g: SecurityGame, bounds: dict) -> dict[str, float]:
    recs, bad = parse_records(g.targets, bounds, g.target_index, (ValueError, TypeError))
    assert not bad
    vals = lagrangian_bounds(
        g.defender_covered[0],
        g.defender_uncovered[0],
        g.attacker_covered[0],
        g.attacker_uncovered[0],
        float(g.resources),
        recs,
    )
    return {g.targets[k]: float(v) for k, v in zip(recs.target, vals)}


GAMES = [
    (seed, T, m, kind)
    for seed, (T, m) in enumerate([(3, 1), (6, 2), (9, 3), (12, 2), (15, 5), (8, 8), (7, 0)])
    for kind in ("uniform", "integer", "degenerate")
]


@pytest.mark.parametrize("seed,T,m,kind", GAMES)
def test_compact_records_are_sound_tight_and_linear(seed, T, m, kind):
    g = game_of(seed, T, m, kind)
    r = solve_security(g, prune=False)  # every LP solved: every record is checked
    assert r.certified, r.certificate.summary()
    lps = {t: lp_value(g, k) for k, t in enumerate(g.targets)}
    best = max(v for v in lps.values() if v is not None)
    assert r.leader.value == pytest.approx(best, abs=1e-7 * g.scale)
    tol = 1e-7 * g.scale
    bounds = r.certificate.evidence["bounds"]
    recomputed = record_bounds(g, bounds)
    assert r.stats["dual_lps_solved"] == 0  # the compact multipliers were tight
    for t, rec in bounds.items():
        assert len(rec["mu"]) <= 1, rec  # linear size: at most one explicit multiplier
        if lps[t] is not None:
            assert recomputed[t] >= lps[t] - tol  # weak duality
        if rec["outcome"] == "optimal":
            assert recomputed[t] == pytest.approx(lps[t], abs=tol)  # optimal multipliers
        else:
            assert recomputed[t] <= r.leader.value
    # through JSON and verify, as a user would
    d = json.loads(r.to_json())
    assert verify_security(g, d).passed and stackopt.verify(g, d).passed


def test_evidence_grows_linearly():
    sizes = {}
    for T in (100, 400):
        rng = np.random.default_rng(T)
        g = SecurityGame(
            tuple(f"t{k}" for k in range(T)),
            rng.uniform(0, 10, T),
            rng.uniform(-10, 0, T),
            rng.uniform(-10, 0, T),
            rng.uniform(0, 10, T),
            T // 10,
        )
        r = solve_security(g, prune=False)
        assert r.certified
        sizes[T] = len(json.dumps(r.certificate.evidence))
    assert sizes[400] < 5 * sizes[100]  # quadratic evidence would be about 16x


def _dense(g: SecurityGame, j: int, rec: dict) -> tuple[np.ndarray, float]:
    """The full multiplier vector a record stands for, written from the documented rule."""
    ac, au = g.attacker_covered[0], g.attacker_uncovered[0]
    da = au - ac
    nu = float(rec["nu"])
    mu = np.zeros(g.n_targets)
    if rec.get("kappa") is not None:
        for t in range(g.n_targets):
            if t != j and au[t] >= rec["kappa"] and da[t] > 0:
                mu[t] = nu / da[t]
    for lab, w in rec["mu"].items():
        mu[g.target_index(lab)] = w
    mu[j] = 0.0
    return mu, nu


def test_old_full_format_still_verifies():
    g = game_of(5, 10, 3)
    r = solve_security(g, prune=False)
    d = json.loads(r.to_json())
    for k, t in enumerate(g.targets):  # rewrite every record as full multipliers (the old form)
        rec = d["certificate"]["evidence"]["bounds"][t]
        mu, nu = _dense(g, k, rec)
        rec.pop("kappa", None)
        rec["mu"] = {g.targets[i]: float(mu[i]) for i in np.flatnonzero(mu)}
        # the old formula, written independently in checks.py, gives the same bound
        old = bound_from_multipliers(g, k, mu, nu)
        assert record_bounds(g, {t: rec})[t] == pytest.approx(old, abs=1e-9 * g.scale)
    assert verify_security(g, d).passed
    # the stored file written before the compact form (full multipliers)
    data = json.loads((REPO / "tests/data/results/old_security_lps.json").read_text("utf-8"))
    game = stackopt.load_game(REPO / data.pop("_source"))
    assert all("kappa" not in rec for rec in data["certificate"]["evidence"]["bounds"].values())
    assert stackopt.verify(game, data).passed
    # the Pyomo engine still writes full multipliers, and they verify
    rp = solve_security(g, engine="pyomo", prune=False)
    assert rp.certified
    assert all("kappa" not in x for x in rp.certificate.evidence["bounds"].values())


def _optimal_record(r):
    bounds = r.certificate.evidence["bounds"]
    return r.follower.response, bounds[r.follower.response]


def test_a_weaker_nu_or_kappa_fails_optimality():
    for seed in range(40):  # find games whose optimal LP uses (nu, kappa)
        g = game_of(100 + seed, 8, 2)
        r = solve_security(g)
        t, rec = _optimal_record(r)
        if rec.get("kappa") is not None and rec["nu"] > 0:
            break
    else:  # pragma: no cover
        pytest.fail("no game with a (nu, kappa) record at the optimum")
    d = json.loads(r.to_json())
    assert verify_security(g, d).passed
    atol = r.certificate.atol
    for change in ({"nu": rec["nu"] * 3}, {"nu": 0.0}, {"kappa": 1e3}, {"nu": rec["nu"] / 3}):
        bad = json.loads(r.to_json())
        bad["certificate"]["evidence"]["bounds"][t].update(change)
        weaker = record_bounds(g, bad["certificate"]["evidence"]["bounds"])[t]
        assert weaker > r.leader.value + atol  # this forgery only weakens the bound ...
        cert = verify_security(g, bad)
        assert not cert.check("optimality").passed  # ... and so fails, honestly
        assert cert.check("best_response").passed and cert.check("leader_value").passed


def test_bad_records_are_refused_one_line():
    g = game_of(3, 6, 2)
    r = solve_security(g)
    t = r.follower.response
    for change in (
        {"nu": -1.0},
        {"kappa": "x"},
        {"mu": {"nowhere": 1.0}},
        {"mu": {t: -2.0}},
        {"mu": [1, 2]},
    ):
        bad = json.loads(r.to_json())
        bad["certificate"]["evidence"]["bounds"][t].update(change)
        check = verify_security(g, bad).check("optimality")
        assert not check.passed and "bad bound record" in check.detail, (change, check.detail)


records = st.fixed_dictionaries(
    {
        "nu": st.one_of(
            st.floats(0, 1e4), st.sampled_from([0.0, 1e-300, 1e150, 1e300, 1.7976931348623157e308])
        ),
        "kappa": st.one_of(st.none(), st.floats(-30, 30), st.sampled_from([-1e300, 1e300])),
        "mu": st.dictionaries(
            st.sampled_from([f"t{k}" for k in range(8)]),
            st.one_of(st.floats(0, 1e4), st.sampled_from([1e-300, 1e200, 1e300])),
            max_size=4,
        ),
    }
)
HOSTILE = [game_of(7, 8, 2, "integer"), game_of(8, 8, 3), game_of(9, 8, 1, "degenerate")]
HOSTILE_LPS = [[lp_value(g, j) for j in range(8)] for g in HOSTILE]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.integers(0, 2), j=st.integers(0, 7), rec=records)
def test_forged_records_still_give_upper_bounds(which, j, rec):
    g, lps = HOSTILE[which], HOSTILE_LPS[which]
    t = g.targets[j]
    b = record_bounds(g, {t: rec})[t]
    assert not np.isnan(b)
    if lps[j] is not None:
        assert b >= lps[j]  # weak duality survives any forgery (rounding margin included)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.integers(0, 2), rec=records, others=st.booleans())
def test_a_suboptimal_answer_fails_whatever_the_evidence(which, rec, others):
    g, lps = HOSTILE[which], HOSTILE_LPS[which]
    best = max(range(8), key=lambda j: -np.inf if lps[j] is None else lps[j])
    r = solve_security(g)
    assert r.leader.value == pytest.approx(lps[best], abs=1e-7 * g.scale)
    # an honest-looking answer for another target, strictly worse than the optimum
    worse = [j for j in range(8) if lps[j] is not None and lps[j] < lps[best] - 1e-3]
    if not worse:  # pragma: no cover
        return
    j = worse[0]
    value, cov = lp_solution(g, j)
    d = json.loads(solve_security(g, prune=False).to_json())
    d["leader"]["commitment"] = {t: float(c) for t, c in zip(g.targets, cov)}
    d["leader"]["value"] = value
    d["follower"]["response"] = g.targets[j]
    d["follower"]["value"] = None
    ev = d["certificate"]["evidence"]["bounds"]
    ev[g.targets[best]] = dict(rec, outcome="optimal")  # forged evidence for the best LP
    if others:  # and every other record forged the same way
        for lab in g.targets:
            ev[lab] = dict(rec, outcome="optimal")
    cert = verify_security(g, d)
    assert cert.check("leader_value").passed  # the answer is consistent, only not optimal
    assert not cert.check("optimality").passed


def test_rounding_margin_stops_absorption_by_huge_multipliers(monkeypatch):
    # LP(t0) is feasible only with c_t0 = 0 (target t1 needs all of the one resource), so its
    # value is U_d^u(t0) = 2; nu = 1e17 with kappa = U_a^u(t0) gives, in exact arithmetic,
    # 2 + 1e17 (m - 1) = 2, but in floating point 1e17 * m absorbs the 2 and cancels to 0
    g = SecurityGame(("t0", "t1", "t2"), [3, 1, 2], [2, 0, -1], [0, 3, -6], [3, 6, 0], 1)
    assert lp_value(g, 0) == pytest.approx(2.0)
    forged = {"t0": {"nu": 1e17, "kappa": 3.0, "mu": {}}}
    assert record_bounds(g, forged)["t0"] >= 2.0
    import stackopt.kinds.security.bounds as bounds_module

    monkeypatch.setattr(bounds_module, "UNIT_ROUNDOFF", 0.0)
    assert record_bounds(g, forged)["t0"] < 2.0 - 1.0  # what the margin prevents
    monkeypatch.undo()
    # a result claiming a worse answer with this forged record fails
    r = solve_security(g, prune=False)
    lps = [lp_value(g, j) for j in range(3)]
    assert r.leader.value == pytest.approx(max(v for v in lps if v is not None))
    assert r.follower.response == "t0"
    worse = [j for j in (1, 2) if lps[j] is not None and lps[j] < 2.0 - 1e-3]
    assert worse
    value, cov = lp_solution(g, worse[0])
    d = json.loads(r.to_json())
    d["leader"]["commitment"] = {t: float(c) for t, c in zip(g.targets, cov)}
    d["leader"]["value"], d["follower"]["value"] = value, None
    d["follower"]["response"] = g.targets[worse[0]]
    d["certificate"]["evidence"]["bounds"]["t0"] = dict(forged["t0"], outcome="optimal")
    cert = verify_security(g, d)
    assert cert.check("leader_value").passed and not cert.check("optimality").passed


def test_fallback_to_the_dual_lp_when_compact_records_are_not_tight(monkeypatch):
    import stackopt.engines.security_lps as engine

    def loose(dc, du, ac, au, m, js, cjs):  # as if every compact record missed the value
        return [engine.TargetRecord("optimal", bound=float(dc[j]) + 1.0) for j in js]

    monkeypatch.setattr(engine, "compact_records", loose)
    g = game_of(11, 9, 3)
    r = solve_security(g, prune=False)
    assert r.stats["dual_lps_solved"] >= r.stats["lps_solved"] > 0
    assert r.certified
    solved = [x for x in r.certificate.evidence["bounds"].values() if x["outcome"] == "optimal"]
    assert solved and all("kappa" not in x for x in solved)  # full multipliers from the dual LP
    assert r.leader.value == pytest.approx(
        max(v for j in range(9) if (v := lp_value(g, j)) is not None), abs=1e-7 * g.scale
    )
