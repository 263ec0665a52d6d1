"""The six-dimension AI-regulation model: closed forms, brute force, both orders of play.

Independent references: the firm's break-even fine 1/a_k - r_k (closed form); enumeration over
the regulator's grid with the firm's LP (``tests/bilevel/grid_oracle.py``, scipy); the two exact
bilinear methods against each other (revenue identity vs binary expansion); the firm-leads
payoffs recomputed from the model's equations and its pure commitment by enumeration.
"""

from __future__ import annotations

import numpy as np
import pytest

from stackopt.api import solve, verify
from stackopt.models import load_model
from stackopt.models.regulation import DIMENSIONS, SAFETY, allocations, regulator_leads
from stackopt.status import Status
from tests.bilevel.grid_oracle import grid_optimum

A = dict(zip(DIMENSIONS, (0.8, 1.0, 0.8, 1.0, 1.0, 1.0)))
R = dict(zip(DIMENSIONS, (3.0, 0.9, 0.3, 0.3, 0.5, 0.8)))


def only(dim: str, **extra):
    """Regulator leads, standards fixed at 1 on ``dim`` only (0 elsewhere), fines a lever."""
    stds = {f"standard_{d}": (1.0 if d == dim else 0.0) for d in SAFETY}
    return load_model("ai_regulation", leadership="regulator", standards="fixed", **stds, **extra)


W = dict(zip(SAFETY, (0.5, 0.25, 0.5, 0.4, 0.5)))


@pytest.mark.parametrize("dim", SAFETY)
def test_optimal_fine_is_the_firms_break_even_continuous(dim):
    """With the fine as the only lever, the optimal fine on the enforced dimension is the
    firm's break-even 1/a_k - r_k: below it the firm pays instead of improving, above it the
    regulator pays more enforcement for nothing. At the break-even the firm is indifferent and
    (optimistic ties) does what the regulator prefers: comply when the harm avoided, m w_k per
    unit, exceeds the fine it would collect, 1/a_k - r_k per unit (m = 2, safety-critical);
    otherwise keep the shortfall and pay (explainability: 0.5 < 0.95)."""
    p = only(dim, rate_levels=0)
    r = solve(p)
    assert r.status is Status.OPTIMAL and r.certified, r.message
    break_even = 1 / A[dim] - R[dim]
    assert r.commitment[f"fine[{dim}]"] == pytest.approx(break_even, abs=1e-6)
    complies = 2 * W[dim] > break_even
    want = 1.0 if complies else {"explainability": 0.3}[dim]
    assert r.response[f"score[{dim}]"] == pytest.approx(want, abs=1e-6)
    for d in SAFETY:
        if d != dim:
            assert r.commitment[f"fine[{d}]"] == pytest.approx(0.0, abs=1e-6)


def test_optimal_fine_on_a_grid_is_the_smallest_level_at_or_above_break_even():
    # step 5/20 = 0.25: break-even 0.1 (robustness) -> 0.25, 0.5 (privacy) -> 0.5
    for dim, want in (("robustness", 0.25), ("privacy", 0.5)):
        r = solve(only(dim, rate_levels=20))
        assert r.certified, r.message
        assert r.commitment[f"fine_level[{dim}]"] * 5 / 20 == pytest.approx(want)


def test_identity_and_expansion_agree_on_the_default_costs():
    p = load_model("ai_regulation", leadership="regulator", standards="fixed", rate_levels=10)
    a = solve(p, method="bard_moore")
    b = solve(p, method="strong_duality")
    assert a.certified and b.certified, (a.message, b.message)
    assert a.leader.value == pytest.approx(b.leader.value, abs=1e-6)


def test_standard_grid_matches_enumeration_with_fixed_fines():
    """Standards on the grid {0, .5, 1} (products standard x dual expanded), fines fixed at
    the cap: enumeration over all 3^5 standard choices with the firm's LP."""
    p = load_model(
        "ai_regulation", leadership="regulator", fines="fixed", fine_rate=1.0, standard_levels=2
    )
    r = solve(p)
    assert r.status is Status.OPTIMAL and r.certified, r.message
    ref, _ = grid_optimum(p, [range(3)] * 5)
    assert r.leader.value == pytest.approx(ref, abs=1e-6)


def test_subsidies_as_the_only_lever_match_enumeration():
    p = load_model(
        "ai_regulation",
        leadership="regulator",
        standards="fixed",
        fines="none",
        subsidies="lever",
        subsidy_cap=1.0,
        rate_levels=2,
        value_performance=2.0,
        domain="military",
    )
    r = solve(p)
    assert r.certified, r.message
    ref, _ = grid_optimum(p, [range(3)] * 5)
    assert r.leader.value == pytest.approx(ref, abs=1e-6)


def test_who_leads():
    v = {"leadership": "domain", "domain": "civil", "capability": 0.9, "threshold": 0.7}
    assert not regulator_leads(v)
    assert regulator_leads({**v, "domain": "military"})
    assert regulator_leads({**v, "leadership": "capability"})
    assert not regulator_leads({**v, "leadership": "capability", "capability": 0.5})
    assert regulator_leads({**v, "leadership": "regulator"})
    assert load_model("ai_regulation", domain="civil", firm_grid=2).kind == "normal_form"
    assert load_model("ai_regulation", domain="military", standards="fixed").kind == "bilevel"


def _firm_leads_reference(n: int, levels: int, m: float = 1.0):
    """J and L of every (allocation, answer) from the model's equations (fines at the cap)."""
    mu0 = np.array([0.5, 0.4, 0.3, 0.4, 0.4, 0.4])
    a = np.array([A[d] for d in DIMENSIONS])
    r = np.array([R[d] for d in DIMENSIONS])
    w = np.array([0.5, 0.25, 0.5, 0.4, 0.5])
    m, B, F = 1.0, 2.5, 5.0  # civil multiplier, budget, fine cap
    rows = []
    for c in allocations(n):
        x = np.array(c) * B / n
        mu = np.minimum(1, mu0 + a * x)
        J0 = r @ mu - x.sum()
        L0 = m * w @ (1 - mu[1:]) - 2.0 * mu[0]
        J, L = [J0], [L0]
        for t in np.arange(1, levels + 1) / levels:
            fine = F * np.maximum(0, t - mu[1:]).sum()
            J.append(J0 - fine)
            L.append(L0 + 5 * (0.1 * t + 0.05 * F) - fine)
        J.append(-x.sum())
        L.append(0.0)
        rows.append((J, L))
    return rows


def test_firm_leads_pure_commitment_matches_enumeration():
    g = load_model("ai_regulation", domain="civil", firm_grid=3, standard_levels=2)
    rows = _firm_leads_reference(3, 2)
    assert np.allclose(g.leader_payoffs, [J for J, _ in rows])
    assert np.allclose(g.follower_payoffs, [[-x for x in L] for _, L in rows])
    best = -np.inf
    for J, L in rows:  # regulator minimises L, ties for the firm
        Lmin = min(L)
        best = max(best, max(j for j, l in zip(J, L) if l <= Lmin + 1e-9))
    r = solve(g, pure=True)
    assert r.certified and r.leader.value == pytest.approx(best, abs=1e-9)
    mixed = solve(g)
    assert mixed.certified and mixed.leader.value >= best - 1e-9


@pytest.mark.parametrize("path", ["models/ai_regulation.yaml", "models/ai_regulation_civil.yaml"])
def test_bundled_model_files_solve_verify_and_export(path, tmp_path):
    from stackopt.cli import main

    small = {"firm_grid": 2, "standard_levels": 2, "rate_levels": 4}
    g = load_model(path, **small)
    r = solve(g)
    assert r.certified, r.message
    assert verify(g, r).passed
    sets = [a for k, v in small.items() for a in ("--set", f"{k}={v}")]
    out = tmp_path / "r.json"
    assert main(["solve", path, *sets, "--out", str(out)]) == 0
    assert main(["export", path, "--out", str(tmp_path / "m")]) == 0
    written = list((tmp_path / "m").iterdir())
    assert written and written[0].stat().st_size > 0


def test_compare_solves_both_orders_with_the_same_parameters():
    from stackopt.models.compare import compare_model, format_model_comparison

    c = compare_model("ai_regulation", ["firm_grid=2", "standard_levels=2", "rate_levels=4"])
    assert [o.order for o in c.orders][:3] == [
        "regulator leads",
        "firm leads",
        "regulator leads (same menus)",
    ]
    assert [o.kind for o in c.orders][:2] == ["bilevel", "normal_form"] and c.passed
    reg, firm = c.orders[:2]
    # simultaneous play on the finite menus: each reported equilibrium value is a pure Nash
    # equilibrium's found by brute force (the bundled file is safety-critical: m = 2)
    rows = _firm_leads_reference(2, 2, m=2.0)
    ne = [
        (J[j], L[j])
        for J, L in rows
        for j in range(len(J))
        if L[j] <= min(L) + 1e-9 and J[j] >= max(r[0][j] for r in rows) - 1e-9
    ]
    for o in c.orders[3:]:
        assert o.certified
        assert any(o.values["firm J"] == pytest.approx(a, abs=1e-6) for a, _ in ne)
    # regulator leads: L is the bilevel leader's value; re-solve independently to compare
    g = load_model("ai_regulation", leadership="regulator", standard_levels=2, rate_levels=4)
    assert reg.values["regulator L"] == pytest.approx(solve(g).leader.value, abs=1e-6)
    rows = _firm_leads_reference(2, 2)
    # firm leads in the bundled (safety-critical, m = 2) setting: recompute with m = 2
    g2 = load_model("ai_regulation", leadership="firm", firm_grid=2, standard_levels=2)
    assert firm.values["firm J"] == pytest.approx(solve(g2, pure=True).leader.value)
    assert len(rows) == len(g2.leader_actions)
    assert "regulator L" in format_model_comparison(c)


def test_compare_cli_on_a_model_file():
    from stackopt.cli import main

    assert (
        main(
            [
                "compare",
                "models/ai_regulation.yaml",
                "--set",
                "firm_grid=2",
                "--set",
                "standard_levels=2",
                "--set",
                "rate_levels=4",
                "--json",
            ]
        )
        == 0
    )
    assert main(["compare", "models/ai_regulation.yaml", "--set", "nope=1"]) == 2


def test_binding_budget_fines_equalise_every_dimensions_return_with_performance():
    """Closed form with a binding budget (all five standards at 1, continuous fines): the
    regulator sets each fine so that the firm's return per unit spent, a_k (r_k + f_k), equals
    that of performance, a_P r_P = 2.4 (the budget's shadow price plus one), i.e.
    f_k = a_P r_P / a_k - r_k; the firm, indifferent, allocates as the regulator prefers."""
    p = load_model("ai_regulation", leadership="regulator", standards="fixed", rate_levels=0)
    r = solve(p)
    assert r.certified, r.message
    aPrP = A["performance"] * R["performance"]
    for d in SAFETY:
        assert r.commitment[f"fine[{d}]"] == pytest.approx(aPrP / A[d] - R[d], abs=1e-6), d
    spend = sum(v for k, v in r.response.items() if k.startswith("spend["))
    assert spend == pytest.approx(2.5)  # the budget binds
    # L by hand for the allocation reported first by the solver (every optimal allocation
    # gives the same L): explainability kept at 0.3, fairness at 0.475, the rest at 1
    fines = {d: aPrP / A[d] - R[d] for d in SAFETY}
    harm = 2 * (0.25 * 0.7 + 0.5 * 0.525)
    collected = fines["explainability"] * 0.7 + fines["fairness"] * 0.525
    by_hand = harm - 2.0 + 0.1 * 5 + 0.05 * sum(fines.values()) - collected
    assert r.leader.value == pytest.approx(by_hand, abs=1e-6)


def test_exported_milp_reads_back_into_highs_with_the_same_optimum(tmp_path):
    import highspy

    from stackopt.cli import main

    doc = tmp_path / "small.yaml"
    doc.write_text(
        "model: ai_regulation\nname: small\nparameters: {standards: fixed, rate_levels: 4}\n"
    )
    assert main(["export", str(doc), "--out", str(tmp_path)]) == 0
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    assert h.readModel(str(tmp_path / "small.lp")) == highspy.HighsStatus.kOk
    h.run()
    r = solve(load_model(doc))
    assert r.certified
    assert h.getInfo().objective_function_value == pytest.approx(r.leader.value, abs=1e-6)
