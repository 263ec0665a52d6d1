"""The security game over AI assets: ``ai_assets_security`` (``stackopt.models.ai_assets``).

Every answer is checked against an independent computation. The payoffs are recomputed here
from the documented tables (plain Python, not the package's code); the game is expanded into
its normal form (the defender's pure strategies are the sets of ``m`` covered assets, the
Harsanyi expansion over attacker types) and solved by exact vertex enumeration (one type, one
resource) or by one scipy LP per type-response profile (several types); the zero-sum variant
(``attacker=harm``) is checked against its closed form (water filling).
"""

from __future__ import annotations

import importlib.util
import json
from fractions import Fraction
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from stackopt import load_game, solve, verify
from stackopt.errors import InputError
from stackopt.models import list_models, load_model, model_parameters, solve_model
from stackopt.testing.oracles import bayesian as bay
from stackopt.testing.oracles import normal_form as nf
from tests.helpers import run_cli

REPO = Path(__file__).resolve().parents[2]
MODEL = "ai_assets_security"
MODEL_FILE = REPO / "models" / "ai_assets_security.yaml"
DATA_FILE = REPO / "data" / "security" / "ai_assets.yaml"

# -- the documented tables, typed in again (docs/models.md) ---------------------------------
ASSETS = [
    "model_weights",
    "training_data",
    "finetuning_api",
    "eval_suite",
    "compute_cluster",
    "deployment_endpoint",
]
SEC = [10, 4, 6, 3, 5, 4]
PRIV = [2, 8, 2, 0, 1, 5]
GAIN = {
    "criminal": [6, 7, 5, 1, 8, 5],
    "state_actor": [10, 5, 4, 3, 3, 2],
    "insider": [8, 6, 2, 5, 2, 3],
}
PRIOR = {"criminal": Fraction(1, 2), "state_actor": Fraction(3, 10), "insider": Fraction(1, 5)}
PENALTY = {"criminal": 4, "state_actor": 1, "insider": 6}


def harm(w_s=Fraction(1, 2), w_p=Fraction(2, 5), kappa=1, sec=SEC):
    h = [w_s * s + w_p * q for s, q in zip(sec, PRIV)]
    h[0] *= kappa
    return h


def expand(m, types, H):
    """Normal form: rows = sets of m covered assets; per type (leader, follower) matrices."""
    rows = list(combinations(range(6), m))
    R, C = [], []
    for t in types:
        R.append(np.array([[0.0 if a in S else -float(H[a]) for a in range(6)] for S in rows]))
        if t == "harm":
            C.append(np.array([[0.0 if a in S else float(H[a]) for a in range(6)] for S in rows]))
        else:
            C.append(
                np.array(
                    [[-PENALTY[t] if a in S else GAIN[t][a] for a in range(6)] for S in rows],
                    dtype=float,
                )
            )
    return R, C


# -- the model and its payoffs --------------------------------------------------------------
def test_registered_and_payoffs_match_the_documented_tables():
    assert MODEL in list_models()
    g = load_model(MODEL)
    assert g.kind == "security" and g.targets == tuple(ASSETS) and g.resources == 2
    assert g.types == ("criminal", "state_actor", "insider")
    assert g.priors == pytest.approx([0.5, 0.3, 0.2])
    H = [float(h) for h in harm()]
    assert H == pytest.approx([5.8, 5.2, 3.8, 1.5, 2.9, 4.0])
    for lam, t in enumerate(g.types):
        assert g.defender_uncovered[lam] == pytest.approx([-h for h in H])
        assert g.defender_covered[lam] == pytest.approx([0.0] * 6)
        assert g.attacker_uncovered[lam] == pytest.approx(GAIN[t])
        assert g.attacker_covered[lam] == pytest.approx([-PENALTY[t]] * 6)
    g = load_model(MODEL, weights_leak_scale=3.0, w_privacy=0.0, security_eval_suite=8.0)
    assert g.defender_uncovered[0] == pytest.approx([-15.0, -2.0, -3.0, -4.0, -2.5, -2.0])


def test_default_bayesian_game_against_the_normal_form_expansion():
    """Defaults (2 teams, three types): the Harsanyi normal form (15 x 6^3 profiles), one LP
    per profile (scipy), gives the same defender value."""
    res = solve_model(MODEL)
    assert res.status.value == "optimal" and res.certified, res.certificate.summary()
    types = list(GAIN)
    R, C = expand(2, types, harm())
    ref, _x, prof = bay.profile_enumeration(R, C, [float(PRIOR[t]) for t in types])
    assert res.leader.value == pytest.approx(ref, abs=1e-7)
    assert res.leader.value == pytest.approx(-1.5362068965517242, abs=1e-9)
    # the coverage is a valid marginal of m = 2 teams and the responses are the profile's
    cov = np.array([res.leader.commitment[a] for a in ASSETS])
    assert cov.sum() == pytest.approx(2.0, abs=1e-9) and (cov >= -1e-12).all()
    assert [ASSETS[j] for j in prof] == [res.follower.response[t] for t in types]


@pytest.mark.parametrize("attacker", ["criminal", "state_actor", "insider"])
def test_one_team_one_type_against_exact_vertex_enumeration(attacker):
    """resources=1 and one known attacker type: a 6 x 6 bimatrix game solved exactly."""
    res = solve_model(MODEL, {"resources": 1, "attacker": attacker})
    assert res.certified
    R, C = expand(1, [attacker], harm())
    exact = nf.sse_vertex_enumeration(R[0], C[0])
    assert res.leader.value == pytest.approx(float(exact.value), abs=1e-8)


def test_three_teams_with_a_frontier_weights_scale_against_profile_enumeration():
    res = solve_model(
        MODEL,
        {"resources": 3, "weights_leak_scale": 3.0, "prior_insider": 0.4, "prior_criminal": 0.3},
    )
    assert res.certified
    types = list(GAIN)
    R, C = expand(3, types, harm(kappa=3))
    ref, _, _ = bay.profile_enumeration(R, C, [0.3, 0.3, 0.4])
    assert res.leader.value == pytest.approx(ref, abs=1e-7)


@pytest.mark.parametrize("m", [1, 2, 3])
def test_zero_sum_attacker_matches_water_filling(m):
    """attacker=harm is zero sum: the defender's loss v solves sum_t max(0, 1 - v/H_t) = m."""
    H = sorted((float(h) for h in harm()), reverse=True)
    v = None
    for k in range(1, 7):  # the k largest harms are covered
        cand = (k - m) / sum(1.0 / h for h in H[:k])
        if cand >= 0 and cand <= H[k - 1] and (k == 6 or cand >= H[k]):
            v = cand
            break
    assert v is not None
    res = solve_model(MODEL, {"resources": m, "attacker": "harm"})
    assert res.certified
    assert res.leader.value == pytest.approx(-v, abs=1e-8)
    R, _C = expand(m, ["harm"], harm())
    assert res.leader.value == pytest.approx(nf.minimax_value(R[0]), abs=1e-7)


def test_more_teams_never_hurt_and_six_cover_everything():
    values = [solve_model(MODEL, {"resources": m}).leader.value for m in range(7)]
    assert all(b >= a - 1e-9 for a, b in zip(values, values[1:]))
    assert values[6] == pytest.approx(0.0, abs=1e-9)
    # no team: each type attacks its best target; the defender loses the prior-weighted harm
    H = harm()
    loss = sum(PRIOR[t] * H[int(np.argmax(GAIN[t]))] for t in GAIN)
    assert values[0] == pytest.approx(-float(loss), abs=1e-9)


# -- CLI, API, files ------------------------------------------------------------------------
def test_cli_solve_and_verify_with_overrides(tmp_path):
    out = tmp_path / "r.json"
    code, _, err = run_cli("solve", MODEL, "--set", "resources=1", "--out", str(out))
    assert code == 0, err
    data = json.loads(out.read_text())
    assert data["status"] == "optimal" and data["certificate"]["passed"]
    R, C = expand(1, list(GAIN), harm())
    ref, _, _ = bay.profile_enumeration(R, C, [0.5, 0.3, 0.2])
    assert data["leader"]["value"] == pytest.approx(ref, abs=1e-7)
    assert data["options"]["model"]["name"] == MODEL
    code, _, err = run_cli("verify", MODEL, str(out))
    assert code == 0, err
    # the same answer is wrong for two teams
    code, _, _ = run_cli("verify", MODEL, str(out), "--set", "resources=2")
    assert code != 0
    out2 = tmp_path / "r2.json"
    assert run_cli("solve", str(MODEL_FILE), "--set", "resources=2", "--out", str(out2))[0] == 0
    assert json.loads(out2.read_text())["leader"]["value"] == pytest.approx(
        solve_model(MODEL).leader.value, abs=1e-9
    )


def test_api_load_solve_verify_and_the_bundled_data_file():
    g = load_model(MODEL_FILE, resources=3)
    res = solve(g)
    assert res.certified and verify(g, res.to_dict()).passed
    data = load_game(DATA_FILE)
    res = solve(data)
    assert res.certified
    assert res.leader.value == pytest.approx(solve_model(MODEL).leader.value, abs=1e-9)
    params = model_parameters(MODEL_FILE)
    assert params["resources"].default == 2 and params["attacker"].default == "typed"


@pytest.mark.parametrize(
    "flag, field",
    [
        ("bogus=1", "bogus"),
        ("resources=7", "resources"),
        ("resources=1.5", "resources"),
        ("attacker=alien", "attacker"),
        ("prior_insider=0.5", "prior_criminal"),
        ("w_security=nan", "w_security"),
    ],
)
def test_bad_parameter_is_one_line_exit_2(flag, field):
    code, _out, err = run_cli("solve", MODEL, "--set", flag)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert field in err


def test_priors_not_summing_to_one_is_an_input_error():
    with pytest.raises(InputError, match="priors sum to"):
        load_model(MODEL, prior_criminal=0.2)
    # a single known type ignores the priors
    assert load_model(MODEL, prior_criminal=0.2, attacker="insider").types == ("insider",)


@pytest.mark.parametrize("target", [MODEL_FILE, DATA_FILE])
def test_export_writes_the_lp(tmp_path, target):
    code, _, err = run_cli("export", str(target), "--out", str(tmp_path))
    assert code == 0, err
    files = list(tmp_path.glob("*.lp"))
    assert files and all(f.stat().st_size > 0 for f in files)


def test_script_regenerates_the_committed_data_file(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "models_ai_assets", REPO / "models" / "ai_assets.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.write(tmp_path / "out.yaml")
    assert (tmp_path / "out.yaml").read_text() == DATA_FILE.read_text()


def test_every_parameter_is_documented_with_its_default():
    text = (REPO / "docs" / "models.md").read_text(encoding="utf-8")
    start = text.index("## `ai_assets_security`")
    section = text[start:]
    for name, spec in model_parameters(MODEL).items():
        family = name
        for prefix in ("security_", "privacy_", "prior_", "penalty_"):
            if name.startswith(prefix) and name not in ("w_security", "w_privacy"):
                family = prefix + ("<type>" if prefix in ("prior_", "penalty_") else "<asset>")
        assert f"`{family}`" in section, name
        d = spec.default
        shown = d if isinstance(d, str) else (f"{d:g}".lstrip("0") if 0 < d < 1 else f"{d:g}")
        assert str(shown) in section, (name, shown)
