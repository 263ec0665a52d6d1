"""The model-parameter mechanism: names, paths, overrides, validation, CLI --set."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import stackopt
from stackopt.errors import InputError
from stackopt.models import ParameterSpec, list_models, load_model, model_parameters
from tests.helpers import run_cli

REPO = Path(__file__).resolve().parents[2]
MODEL_FILE = REPO / "models" / "ai_regulation.yaml"
CIVIL_FILE = REPO / "models" / "ai_regulation_civil.yaml"


def test_registry_lists_the_bundled_model_with_typed_parameters():
    assert "ai_regulation" in list_models()
    params = model_parameters("ai_regulation")
    spec = params["fine_cap"]
    assert isinstance(spec, ParameterSpec)
    assert (spec.type, spec.default, spec.lower) == ("float", 5.0, 0.0)
    assert spec.units
    assert params["domain"].choices == ("civil", "safety_critical", "military")
    for p in params.values():
        assert p.doc and p.type in ("float", "int", "str", "bool")
        assert p.check(p.default, model="ai_regulation") == p.default


def test_lazy_export_and_file_defaults():
    assert stackopt.load_model is load_model
    assert model_parameters(CIVIL_FILE)["domain"].default == "civil"
    assert model_parameters("ai_regulation")["domain"].default == "safety_critical"


def test_name_and_file_give_the_same_game_and_overrides_apply():
    a = load_model("ai_regulation", standards="fixed", fine_cap=3, rate_levels=0)
    b = load_model(MODEL_FILE, standards="fixed", fine_cap=3, rate_levels=0)
    assert a.kind == b.kind == "bilevel"
    assert np.array_equal(a.leader_upper, b.leader_upper)
    assert max(a.leader_upper) == 3.0  # the fine cap bounds the fine rates
    assert stackopt.load_game(MODEL_FILE).kind == "bilevel"  # load_game dispatches model:
    assert load_model(CIVIL_FILE, firm_grid=2).kind == "normal_form"


@pytest.mark.parametrize(
    "overrides, needle",
    [
        ({"fine_kap": 3}, "unknown parameter 'fine_kap'"),
        ({"fine_cap": -1}, "'fine_cap'"),
        ({"fine_cap": "3"}, "must be a number"),
        ({"fine_cap": float("nan")}, "finite"),
        ({"firm_grid": 2.5}, "whole number"),
        ({"firm_grid": True}, "whole number"),
        ({"domain": "moon"}, "one of civil"),
        ({"standard_levels": 0}, "'standard_levels'"),
    ],
)
def test_bad_parameters_are_one_line_errors(overrides, needle):
    with pytest.raises(InputError) as err:
        load_model("ai_regulation", **overrides)
    assert needle in str(err.value) and "\n" not in str(err.value)
    assert "fix:" in str(err.value)


@pytest.mark.parametrize(
    "name, text, match",
    [
        ("nope", None, "unknown model 'nope'"),
        (
            "g.yaml",
            "kind: normal_form\npayoffs: {leader: [[1]], follower: [[1]]}\n",
            "not a model file",
        ),
        ("m.yaml", "model: ai_regulation\nparameters: {fine_cap: five}\n", "m.yaml.*fine_cap"),
        ("m.yaml", "model: ai_regulation\nparamters: {}\n", "unknown key"),
    ],
)
def test_unknown_model_and_non_model_file(name, text, match, tmp_path):
    """A model name that is not registered, or a file (``text``) that is no valid model file."""
    source = name
    if text is not None:
        source = tmp_path / name
        source.write_text(text)
    with pytest.raises(InputError, match=match):
        load_model(source)


def test_cli_set_errors_exit_2_and_nothing_is_evaluated(tmp_path):
    for arg in (
        "fine_kap=3",
        "fine_cap=__import__('os')",
        "fine_cap",
        "=3",
        "domain=moon",
        "firm_grid=1e9",
    ):
        code, out, err = run_cli("solve", str(MODEL_FILE), "--set", arg)
        assert code == 2, (arg, out, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    game = tmp_path / "g.yaml"
    game.write_text("kind: normal_form\npayoffs: {leader: [[1]], follower: [[1]]}\n")
    code, _, err = run_cli("solve", str(game), "--set", "fine_cap=3")
    assert code == 2 and "not a model file" in err


def test_cli_set_solves_a_bundled_model_by_name():
    code, out, err = run_cli(
        "solve",
        "ai_regulation",
        "--set",
        "domain=civil",
        "--set",
        "firm_grid=2",
        "--set",
        "standard_levels=2",
        "--pure",
        "--json",
    )
    assert code == 0, err
    assert '"kind": "normal_form"' in out


def test_bool_and_int_parsing_by_type():
    spec = ParameterSpec("flag", "bool", False, "a flag")
    assert spec.parse("true", model="m") is True and spec.parse("no", model="m") is False
    with pytest.raises(InputError):
        spec.parse("maybe", model="m")
    n = ParameterSpec("n", "int", 3, "a count", 1, 10)
    assert n.parse("4", model="m") == 4 and n.parse("4.0", model="m") == 4
    with pytest.raises(InputError):
        n.parse("4.5", model="m")


def test_every_parameter_is_documented_with_its_default():
    """docs/models.md lists every parameter of ai_regulation (per-dimension families as
    ``name_<dim>``) with its default."""
    from stackopt.models.regulation import DIMENSIONS

    text = (REPO / "docs" / "models.md").read_text(encoding="utf-8")
    for name, spec in model_parameters("ai_regulation").items():
        family = name
        for d in DIMENSIONS:
            prefix = name[: -len(d)]
            if name.endswith("_" + d) and prefix in ("mu0_", "a_", "r_", "w_", "standard_"):
                family = prefix + "<dim>"
        assert f"`{family}`" in text, name
        default = spec.default
        if isinstance(default, float):
            shown = f"{default:g}".lstrip("0") if 0 < default < 1 else f"{default:g}"
            assert shown in text, (name, shown)
