"""The finite governance models as parameterised models: ``governance_menu``,
``governance_menu_subsidy``, ``ai_race``, ``ai_race_subsidy``.

Every answer is checked against an independent computation: the payoffs are recomputed here
from the documented formulas (plain Python loops, not the package's code), and the equilibria
against exact vertex enumeration, pure-commitment enumeration and a grid over mixed
commitments (normal form), or scipy linprog per induced action, the pure-commitment closed form
and a grid (incentive games) — all from :mod:`stackopt.testing.oracles`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from stackopt import solve, verify
from stackopt.errors import InputError
from stackopt.models import load_model, model_parameters, solve_model
from stackopt.testing.oracles import incentive as inc
from stackopt.testing.oracles import normal_form as nf
from tests.grid_oracle import grid_value
from tests.helpers import run_cli

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
MODELS = REPO / "models"
NEW = ("governance_menu", "governance_menu_subsidy", "ai_race", "ai_race_subsidy")


# -- independent payoffs from the documented formulas ---------------------------------------
DIMS = ("performance", "robustness", "explainability", "fairness", "privacy", "security")


def menu_reference(**kw):
    """(regulator payoff -L, firm J) by hand: rows light/audit/strict/ban, cols race/basic/full."""
    p = {
        "mu0": [0.5, 0.4, 0.3, 0.4, 0.4, 0.4],
        "a": [0.8, 1, 0.8, 1, 1, 1],
        "r": [3, 0.9, 0.3, 0.3, 0.5, 0.8],
        "w": [0.5, 0.25, 0.5, 0.4, 0.5],
        "B": 2.5,
        "vP": 2.0,
        "m": {"civil": 1.0, "safety_critical": 2.0, "military": 4.0}[
            kw.get("domain", "safety_critical")
        ],
        "cap": kw.get("fine_cap", 5.0),
        "basic": kw.get("basic_target", 0.6),
        "full": kw.get("full_safety_target", 0.8),
        "light": (kw.get("light_standard", 0.5), kw.get("light_fine", 1.0)),
        "audit": (kw.get("audit_standard", 0.6), kw.get("audit_fine", 2.5)),
        "cs": kw.get("enforcement_standard", 0.1),
        "cf": kw.get("enforcement_fine", 0.05),
    }
    regimes = [
        p["light"],
        p["audit"],
        (kw.get("strict_standard", 0.8), p["cap"]),
        (kw.get("ban_standard", 0.8), None),
    ]
    reg = np.zeros((4, 3))
    firm = np.zeros((4, 3))
    for j, target in enumerate([0.0, p["basic"], p["full"]]):
        x = [0.0] * 6
        for k in range(1, 6):
            x[k] = max(0.0, (target - p["mu0"][k]) / p["a"][k])
        rest = p["B"] - sum(x)
        x[0] = min(rest, max(0.0, (1 - p["mu0"][0]) / p["a"][0]))
        mu = [min(1.0, p["mu0"][k] + p["a"][k] * x[k]) for k in range(6)]
        spend, revenue = sum(x), sum(p["r"][k] * mu[k] for k in range(6))
        harm = p["m"] * sum(p["w"][k - 1] * (1 - mu[k]) for k in range(1, 6)) - p["vP"] * mu[0]
        for i, (tau, fine) in enumerate(regimes):
            if fine is None:  # ban: licensing at tau
                enf = 5 * p["cs"] * tau
                if all(mu[k] >= tau - 1e-12 for k in range(1, 6)):
                    J, L = revenue - spend, harm + enf
                else:
                    J, L = -spend, enf
            else:
                g = sum(max(0.0, tau - mu[k]) for k in range(1, 6))
                J = revenue - spend - fine * g
                L = harm + 5 * (p["cs"] * tau + p["cf"] * fine) - fine * g
            reg[i, j], firm[i, j] = -L, J
    return reg, firm


def race_reference(b=4.0, c=1.0, B=1000.0, W=100.0, s=1.5, p=0.6):
    """Han et al. (2020), their early-race matrix, by hand."""
    return np.array(
        [
            [b / 2 - c + B / (2 * W), b / (s + 1) - c],
            [p * (s * B / W + s * b / (s + 1)), p * (s * B / (2 * W) + b / 2)],
        ]
    )


# -- brute force over commitments: tests.grid_oracle ----------------------------------------
def check_normal_form(game, res):
    """The result against exact vertex enumeration, pure commitments and a mixed grid."""
    assert res.certified, res.certificate.summary()
    exact = nf.sse_vertex_enumeration(game.A, game.B)
    assert res.leader.value == pytest.approx(float(exact.value), abs=1e-7)
    pure = max(float(v) for v in nf.pure_commitment_values(game.A, game.B))
    assert res.leader.value >= pure - 1e-9
    grid = grid_value(np.asarray(game.A, float), np.asarray(game.B, float), 40)
    assert grid - 1e-9 <= res.leader.value <= grid + 0.1 * (np.ptp(game.A) + 1)
    # the reported commitment earns the reported value under leader-favourable ties
    x = [res.leader.commitment.get(a, 0.0) for a in game.leader_actions]
    assert nf.leader_value_at(game.A, game.B, x, tol=1e-7) == pytest.approx(
        res.leader.value, abs=1e-6
    )


MENU_CASES = [
    ({}, "regulator"),
    ({"fine_cap": 3.0, "light_fine": 0.5}, "regulator"),
    ({"domain": "civil"}, "firm"),
    ({"domain": "military", "audit_standard": 0.7, "audit_fine": 4.0}, "regulator"),
    ({"leadership": "capability", "capability": 0.9, "domain": "civil"}, "regulator"),
    ({"leadership": "capability", "capability": 0.6, "threshold": 0.7}, "firm"),
    ({"leadership": "firm", "basic_target": 0.7, "enforcement_fine": 0.2}, "firm"),
]


@pytest.mark.parametrize("overrides, leader", MENU_CASES)
def test_governance_menu_api_matches_hand_payoffs_and_brute_force(overrides, leader):
    game = load_model("governance_menu", **overrides)
    assert game.leader_name == leader
    ref = {k: v for k, v in overrides.items() if k not in ("leadership", "capability", "threshold")}
    reg, firm = menu_reference(**ref)
    if leader == "regulator":
        assert game.leader_actions == ("light", "audit", "strict", "ban")
        assert np.allclose(game.A, reg, atol=1e-9) and np.allclose(game.B, firm, atol=1e-9)
    else:
        assert game.leader_actions == ("race", "basic", "full_safety")
        assert np.allclose(game.A, firm.T, atol=1e-9) and np.allclose(game.B, reg.T, atol=1e-9)
    check_normal_form(game, solve(game))


@pytest.mark.parametrize(
    "overrides",
    [{}, {"s": 2.0, "p": 0.9}, {"b": 10.0, "c": 0.5, "B": 200.0, "W": 50.0}, {"p": 0.1}],
)
def test_ai_race_api_matches_han_and_brute_force(overrides):
    game = load_model("ai_race", **overrides)
    P = race_reference(**overrides)
    assert np.allclose(game.A, P, atol=1e-9) and np.allclose(game.B, P.T, atol=1e-9)
    res = solve(game)
    check_normal_form(game, res)
    assert nf.grid_value_2xn(game.A, game.B) == pytest.approx(res.leader.value, abs=1e-7)


def check_incentive(game, res, payable):
    assert res.certified, res.certificate.summary()
    A, B = np.asarray(game.A, float), np.asarray(game.B, float)
    kw = {"vmax": game.incentives.max, "cost": game.incentives.cost_weight, "payable": payable}
    ref, _ = inc.linprog_value(A, B, contract=game.incentives.contract, **kw)
    assert res.leader.value == pytest.approx(ref, abs=1e-7)
    assert res.leader.value >= inc.pure_value(A, B, **kw) - 1e-9
    if A.shape[0] == 2 and game.incentives.contract == "uniform":
        assert inc.grid_value(A, B, **kw) == pytest.approx(res.leader.value, abs=1e-2)


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"subsidy_max": 5.0},
        {"subsidy_max": 3.0, "cost_weight": 0.5, "subsidise_race": True},
        {"domain": "civil", "fine_cap": 1.0, "subsidise_basic": False, "contract": "per_action"},
    ],
)
def test_governance_menu_subsidy_matches_linprog_and_pure_enumeration(overrides):
    game = load_model("governance_menu_subsidy", **overrides)
    base = {k: v for k, v in overrides.items() if k in ("domain", "fine_cap")}
    reg, firm = menu_reference(**base)
    assert np.allclose(game.A, reg, atol=1e-9) and np.allclose(game.B, firm, atol=1e-9)
    payable = [
        overrides.get(f"subsidise_{a}", a != "race") for a in ("race", "basic", "full_safety")
    ]
    check_incentive(game, solve(game), payable)


@pytest.mark.parametrize(
    "overrides", [{}, {"harm": 0.0}, {"s": 2.0, "subsidy_max": 2.0}, {"cost_weight": 2.0}]
)
def test_ai_race_subsidy_matches_linprog_grid_and_closed_form(overrides):
    game = load_model("ai_race_subsidy", **overrides)
    race = {k: v for k, v in overrides.items() if k in "bcBWsp"}
    P = race_reference(**race)
    h = overrides.get("harm", 5.0)
    welfare = P + P.T - h * np.array([[0, 1], [1, 2]])
    assert np.allclose(game.A, welfare, atol=1e-9) and np.allclose(game.B, P.T, atol=1e-9)
    check_incentive(game, solve(game), [True, False])


def test_defaults_reproduce_the_bundled_data_files():
    from stackopt import load_game

    for model, data in [
        ("governance_menu", "governance_regulator_leads.yaml"),
        ("ai_race", "ai_race.yaml"),
        ("governance_menu_subsidy", "incentive/governance_menu.yaml"),
        ("ai_race_subsidy", "incentive/ai_race_subsidy.yaml"),
    ]:
        for src in (model, MODELS / f"{model}.yaml"):
            g, d = load_model(src), load_game(DATA / data)
            assert np.array_equal(g.A, d.A) and np.array_equal(g.B, d.B), (src, data)
            assert g.leader_actions == d.leader_actions
    firm = load_model("governance_menu", leadership="firm")
    d = load_game(DATA / "governance_firm_leads.yaml")
    assert np.array_equal(firm.A, d.A) and np.array_equal(firm.B, d.B)


# -- CLI: overrides, recorded parameters, verify round trip ----------------------------------
@pytest.mark.parametrize(
    "target, sets",
    [
        ("governance_menu", ["domain=civil", "fine_cap=2"]),
        (str(MODELS / "governance_menu.yaml"), ["audit_fine=4", "leadership=regulator"]),
        ("governance_menu_subsidy", ["subsidy_max=3", "subsidise_race=yes"]),
        ("ai_race", ["s=2", "p=0.9"]),
        (str(MODELS / "ai_race_subsidy.yaml"), ["harm=2", "subsidy_max=1.5"]),
    ],
)
def test_cli_overrides_record_parameters_and_verify_round_trip(target, sets, tmp_path):
    flags = [a for s in sets for a in ("--set", s)]
    out = tmp_path / "r.json"
    code, _, err = run_cli("solve", target, *flags, "--out", str(out))
    assert code == 0, err
    data = json.loads(out.read_text())
    rec = data["options"]["model"]
    name = Path(target).stem if target.endswith(".yaml") else target
    assert rec["name"] == name
    spec = model_parameters(name)
    assert set(rec["parameters"]) == set(spec)  # every value, defaults included
    overrides = {}
    for s in sets:
        k, _, v = s.partition("=")
        overrides[k] = spec[k].parse(v, model=name)
        assert rec["parameters"][k] == overrides[k]
    # the same game through the API, checked against the oracles
    game = load_model(target, **overrides)
    api = solve_model(target, overrides)
    assert api.options["model"] == rec
    assert data["leader"]["value"] == pytest.approx(api.leader.value, abs=1e-9)
    if game.kind == "normal_form":
        check_normal_form(game, api)
    else:
        payable = [
            a in (game.incentives.actions or game.follower_actions) for a in game.follower_actions
        ]
        check_incentive(game, api, payable)
    # verify rebuilds the game from the recorded parameters (no --set needed) ...
    code, text, err = run_cli("verify", target, str(out))
    assert code == 0, (text, err)
    assert "recorded in the result" in text
    assert verify(game, data).passed
    # ... agrees with a --set equal to the recorded value ...
    code, _, err = run_cli("verify", target, str(out), flags[0], flags[1])
    assert code == 0, err
    # ... and refuses one that contradicts it, in one line
    k = sets[0].partition("=")[0]
    val, ps = overrides[k], spec[k]
    if ps.type == "bool":
        other = str(not val).lower()
    elif ps.type == "str":
        other = next(c for c in ps.choices if c != val)
    else:
        other = f"{(val + ps.upper) / 2 if val < ps.upper else (val + ps.lower) / 2!r}"
    code, _, err = run_cli("verify", target, str(out), "--set", f"{k}={other}")
    assert code == 2 and "contradicts" in err and len(err.strip().splitlines()) == 1, err


def test_verify_against_the_defaults_game_file_fails_when_parameters_changed(tmp_path):
    out = tmp_path / "r.json"
    assert run_cli("solve", "ai_race", "--set", "s=2", "--set", "p=0.9", "--out", str(out))[0] == 0
    code, text, _ = run_cli("verify", str(DATA / "ai_race.yaml"), str(out))  # a plain game file
    assert code == 1 and "FAIL" in text
    code, _, err = run_cli("verify", "ai_race_subsidy", str(out))
    assert code == 2 and "solved on model 'ai_race'" in err


@pytest.mark.parametrize(
    "patch, needle",
    [
        ({"nope": 1}, "unknown parameter 'nope'"),
        ({"s": "fast"}, "must be a number"),
        ({"p": 1.5}, "in [0, 1]"),
        ({"s": None}, "must be a number"),
    ],
)
def test_tampered_recorded_parameters_are_one_line_errors(patch, needle, tmp_path):
    out = tmp_path / "r.json"
    assert run_cli("solve", "ai_race", "--out", str(out))[0] == 0
    data = json.loads(out.read_text())
    data["options"]["model"]["parameters"].update(patch)
    out.write_text(json.dumps(data))
    code, _, err = run_cli("verify", "ai_race", str(out))
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1, err
    assert "options.model.parameters" in err
    data["options"]["model"] = "ai_race"
    out.write_text(json.dumps(data))
    code, _, err = run_cli("verify", "ai_race", str(out))
    assert code == 2 and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "model, arg, needle",
    [
        ("governance_menu", "fine_kap=3", "did you mean 'fine_cap'"),
        ("governance_menu", "fine_cap=lots", "must be a number"),
        ("governance_menu", "basic_target=1.5", "in [0, 1]"),
        ("governance_menu", "domain=moon", "one of civil"),
        ("governance_menu", "budget=1", "budget"),  # full_safety no longer fits the budget
        ("governance_menu_subsidy", "subsidise_basic=maybe", "true or false"),
        ("governance_menu_subsidy", "contract=weekly", "one of uniform"),
        ("ai_race", "W=0", "in [1,"),
        ("ai_race", "p=-0.1", "in [0, 1]"),
        ("ai_race", "pp=0.5", "did you mean 'p'"),
        ("ai_race_subsidy", "harm=inf", "finite"),
        ("ai_race_subsidy", "subsidy_max=-1", "'subsidy_max'"),
    ],
)
def test_bad_parameters_exit_2_with_one_line(model, arg, needle, tmp_path):
    result = tmp_path / "r.json"
    assert run_cli("solve", model, "--out", str(result))[0] == 0
    for argv in (["solve", model, "--set", arg], ["verify", model, str(result), "--set", arg]):
        code, out, err = run_cli(*argv)
        assert code == 2, (argv, out, err)
        assert needle in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    name, _, text = arg.partition("=")
    with pytest.raises(InputError) as exc:
        spec = model_parameters(model).get(name)
        load_model(model, **{name: spec.parse(text, model=model) if spec else 1})
    assert "\n" not in str(exc.value)


def test_no_subsidised_plan_is_a_one_line_error():
    with pytest.raises(InputError, match="no firm plan may be subsidised"):
        load_model(
            "governance_menu_subsidy",
            subsidise_race=False,
            subsidise_basic=False,
            subsidise_full_safety=False,
        )


def test_recorded_results_match_the_schema():
    import jsonschema

    schema = json.loads((REPO / "stackopt" / "result.schema.json").read_text())
    for model in NEW:
        data = solve_model(model).to_dict()
        jsonschema.validate(data, schema)
        assert data["options"]["model"]["name"] == model


def test_every_new_parameter_is_documented_with_its_default():
    """docs/models.md lists every parameter of the four models (per-dimension families as
    ``name_<dim>``) with its default."""
    text = (REPO / "docs" / "models.md").read_text(encoding="utf-8")
    for model in NEW:
        for name, spec in model_parameters(model).items():
            family = name
            for d in DIMS:
                prefix = name[: -len(d)]
                if name.endswith("_" + d) and prefix in ("mu0_", "a_", "r_", "w_"):
                    family = prefix + "<dim>"
            assert f"`{family}`" in text, (model, name)
            default = spec.default
            if isinstance(default, bool):
                assert str(default).lower() in text, (model, name)
            elif isinstance(default, float):
                shown = f"{default:g}".lstrip("0") if 0 < default < 1 else f"{default:g}"
                assert shown in text, (model, name, shown)


def test_compare_governance_menu_both_orders_against_vertex_enumeration():
    from stackopt.models.compare import compare_model

    c = compare_model("governance_menu", ["fine_cap=4"])
    assert c.passed
    rows = {o.order: o.values for o in c.orders}
    reg, firm = menu_reference(fine_cap=4.0)
    lead_reg = float(nf.sse_vertex_enumeration(reg, firm).value)  # regulator's payoff -L
    lead_firm = nf.sse_vertex_enumeration(firm.T, reg.T)
    assert rows["regulator leads"]["regulator L"] == pytest.approx(-lead_reg, abs=1e-7)
    assert rows["firm leads"]["firm J"] == pytest.approx(float(lead_firm.value), abs=1e-7)
    # simultaneous play: every reported value is a Nash equilibrium's (nashpy)
    ne = nf.nash_leader_values(reg, firm)
    for order, v in rows.items():
        if order.startswith("simultaneous"):
            assert any(-v["regulator L"] == pytest.approx(x, abs=1e-6) for x in ne), order


def test_a_game_file_is_not_read_as_a_model_and_set_on_it_is_refused(tmp_path):
    from stackopt.models import instantiate

    assert instantiate(DATA / "ai_race.yaml") is None
    code, _, err = run_cli("verify", str(DATA / "ai_race.yaml"), "missing.json", "--set", "s=2")
    assert code == 2 and len(err.strip().splitlines()) == 1
    code, _, err = run_cli("solve", str(DATA / "ai_race.yaml"), "--set", "s=2")
    assert code == 2 and "not a model file" in err
