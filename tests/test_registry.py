"""The kind registry: one declaration per kind, read by the API, loaders, CLI and export.

Checked against the code it describes (signatures, files on disk, the CLI), not against itself.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import stackopt
from stackopt.cli import main
from stackopt.errors import InputError, UnsupportedError
from stackopt.kinds import BUILTIN_KINDS
from stackopt.kinds.registry import (
    COMMON_OPTIONS,
    KindSpec,
    Method,
    Option,
    check_options,
    get_kind,
    kinds,
    load_target,
    register_kind,
)

ROOT = Path(__file__).resolve().parents[1]
SPECS = list(kinds().values())


def test_every_builtin_kind_is_registered_once_from_its_folder():
    assert list(kinds())[: len(BUILTIN_KINDS)] == list(BUILTIN_KINDS)
    for name in BUILTIN_KINDS:
        assert (ROOT / "stackopt" / "kinds" / name / "__init__.py").is_file()
        assert get_kind(name).name == name


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_every_named_function_exists(spec: KindSpec):
    targets = [spec.game, spec.solve, spec.verify, *spec.readers.values()]
    targets += [t for t in (spec.parse_yaml, spec.export) if t]
    targets += [m.verify for m in spec.methods if m.verify]
    for target in targets:
        assert callable(load_target(target)), target
    assert spec.game_class().kind == spec.name
    if spec.default_method is not None:
        assert spec.method(spec.default_method).solvable
    else:
        assert spec.default_doc, "a game-dependent default must say how it is chosen"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_declared_defaults_equal_the_solve_signature(spec: KindSpec):
    """Options are declared once in the spec; the solve function's keyword defaults must say
    the same thing (``None`` where the default is chosen from the game)."""
    params = inspect.signature(spec.solve_function()).parameters
    for opt in spec.all_options():
        assert opt.name in params, f"{spec.name}: solve does not take {opt.name}"
        default = params[opt.name].default
        if opt.name == "method":
            assert default in (None, spec.default_method)
            continue
        assert default == opt.default, (spec.name, opt.name, default, opt.default)
    takes = {n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    declared = {o.name for o in spec.all_options()}
    assert takes <= declared, f"{spec.name}: undeclared options {takes - declared}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_time_limit_rtol_and_tie_break_follow_one_rule(spec: KindSpec):
    for bad in (0, 0.0, -1, float("nan"), float("inf"), "x", True):
        with pytest.raises(InputError, match="--time-limit"):
            check_options(spec, {"time_limit": bad})
    for bad in (0, 1, 2.0, -1e-3, "x"):
        with pytest.raises(InputError, match="--rtol"):
            check_options(spec, {"rtol": bad})
    assert check_options(spec, {"time_limit": 5, "rtol": 1e-8}) == {"time_limit": 5.0, "rtol": 1e-8}
    with pytest.raises(InputError, match="unknown tie_break"):
        check_options(spec, {"tie_break": "random"})
    if "adversarial" not in spec.tie_breaks:
        with pytest.raises(UnsupportedError, match="not available"):
            check_options(spec, {"tie_break": "adversarial"})
    with pytest.raises(InputError, match="does not apply"):
        check_options(spec, {"no_such_option": 1})
    with pytest.raises(InputError, match="unknown method"):
        check_options(spec, {"method": "no_such_method"})


def test_an_option_of_another_method_is_refused_by_name_unless_at_its_default():
    spec = get_kind("security")
    with pytest.raises(InputError, match="belongs to method multiple_lps"):
        check_options(spec, {"method": "eraser", "engine": "pyomo"})
    assert check_options(spec, {"method": "eraser", "engine": "highs"}) == {"method": "eraser"}


def test_verify_only_methods_cannot_be_solved():
    with pytest.raises(InputError, match="not a way to solve"):
        check_options(get_kind("normal_form"), {"method": "nash_milp"})


def test_option_types_are_converted_and_checked():
    opt = Option("n", "int", 5, minimum=1)
    assert opt.check(3.0, "k") == 3
    with pytest.raises(InputError, match="whole number"):
        opt.check(2.5, "k")
    with pytest.raises(InputError, match=">= 1"):
        opt.check(0, "k")
    labels = Option("acts", "labels")
    assert labels.check("a, b,c", "k") == ["a", "b", "c"]
    with pytest.raises(InputError):
        labels.check([1, 2], "k")
    assert {o.name for o in COMMON_OPTIONS} == {"method", "rtol", "time_limit", "tie_break"}


def test_registering_a_kind_twice_is_an_error():
    spec = get_kind("normal_form")
    assert register_kind(spec) is spec  # the same declaration again is harmless
    clone = KindSpec(**{**spec.__dict__})
    with pytest.raises(ValueError, match="registered already"):
        register_kind(clone)


def test_api_solve_checks_options_for_every_kind(tmp_path):
    game = stackopt.load_game(ROOT / "data" / "inspection.yaml")
    with pytest.raises(InputError, match="--big-m does not apply to normal-form games"):
        stackopt.solve(game, big_m=10.0)
    with pytest.raises(InputError, match="--time-limit of normal-form games must be"):
        stackopt.solve(game, time_limit=0)


@pytest.mark.parametrize(
    "path",
    [
        "inspection.yaml",
        "security_small.yaml",
        "bilevel/bard.yaml",
        "interdiction/diamond.yaml",
        "bayesian/patrol.yaml",
    ],
)
def test_cli_time_limit_zero_is_bad_input_for_every_kind(capsys, path):
    code = main(["solve", str(ROOT / "data" / path), "--time-limit", "0"])
    err = capsys.readouterr().err
    assert code == 2 and "--time-limit" in err and len(err.strip().splitlines()) == 1


def test_cli_refuses_an_option_of_another_kind(capsys):
    code = main(["solve", str(ROOT / "data" / "bilevel" / "bard.yaml"), "--pure"])
    err = capsys.readouterr().err
    assert code == 2 and "--pure does not apply to bilevel games" in err
    code = main(
        [
            "export",
            str(ROOT / "data" / "bilevel" / "bard.yaml"),
            "--leader",
            "follower",
            "--out",
            "/tmp",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "--leader does not apply to bilevel games" in err


def test_methods_command_lists_every_kind_method_and_option(capsys):
    assert main(["methods"]) == 0
    out = capsys.readouterr().out
    for spec in SPECS:
        assert out.count(f"{spec.name}: ") >= 1
        for m in spec.methods:
            assert f"method {m.name}" in out
        for o in spec.options:
            assert o.flag in out
    assert main(["methods", "bilevel"]) == 0
    out = capsys.readouterr().out
    assert "bard_moore" in out and "dobss" not in out
    assert main(["methods", "no_such_kind"]) == 2


def test_solve_help_lists_methods_per_kind(capsys):
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    out = capsys.readouterr().out
    for spec in SPECS:
        assert f"  {spec.name}: methods" in out


def test_old_module_paths_import_with_a_deprecation_warning():
    code = (
        "import warnings, stackopt\n"
        "warnings.simplefilter('error')\n"
        "try:\n    import stackopt.sse\nexcept DeprecationWarning as e:\n    print(e)\n"
        "warnings.simplefilter('ignore')\n"
        "import stackopt.sse, stackopt.kinds.normal_form.solve as new\n"
        "print(stackopt.sse is new)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert "moved to stackopt.kinds.normal_form.solve" in out[0] and out[1] == "True"


def test_reading_the_registry_imports_no_pyomo():
    code = (
        "import sys, stackopt\nfrom stackopt.kinds.registry import kinds\nkinds()\n"
        "print(any(m.split('.')[0] in ('pyomo', 'highspy') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "False"


def _toy(**fields) -> KindSpec:
    """A kind ``toy`` with one method and the given fields."""
    return KindSpec(**{"name": "toy", "summary": "t", "methods": (Method("m", "d"),), **fields})


def test_functions_left_out_follow_the_kind_folder_layout():
    spec = _toy(game=".game:Toy")
    assert spec.package == "stackopt.kinds.toy"
    assert spec.game == "stackopt.kinds.toy.game:Toy"
    assert spec.solve == "stackopt.kinds.toy.solve:solve_toy"
    assert spec.verify == "stackopt.kinds.toy.solve:verify_toy"
    assert spec.parse_yaml == "stackopt.kinds.toy.io_yaml:parse_toy"
    assert spec.export == "stackopt.kinds.toy.solve:export_models"
    assert spec.docs == "toy"
    # a third-party kind names its package; None declares "none"; named targets are kept
    other = _toy(
        game="elsewhere.games:Toy",
        solve=".run:go",
        methods=(Method("m", "d", verify=".check:it"),),
        parse_yaml=None,
        export=None,
        readers={".toy": ".read:toy"},
        package="toyplugin",
    )
    assert (other.game, other.solve, other.verify) == (
        "elsewhere.games:Toy",
        "toyplugin.run:go",
        "toyplugin.solve:verify_toy",
    )
    assert other.parse_yaml is None and other.export is None
    assert other.readers == {".toy": "toyplugin.read:toy"}
    assert other.methods[0].verify == "toyplugin.check:it"
    # a spec written before the convention (functions named absolutely) is taken as written
    old = _toy(game="toyplugin:Toy", solve="toyplugin:solve", verify="toyplugin:verify")
    assert (old.solve, old.verify, old.parse_yaml, old.export, old.docs) == (
        "toyplugin:solve",
        "toyplugin:verify",
        None,
        None,
        "",
    )
    with pytest.raises(ValueError, match="name its verify function"):
        _toy(game="toyplugin:Toy", solve="toyplugin:solve")


def test_api_verify_checks_its_options_for_every_kind():
    game = stackopt.load_game(ROOT / "data" / "inspection.yaml")
    result = stackopt.solve(game)
    with pytest.raises(InputError, match="'tie_break' does not apply to verifying normal-form"):
        stackopt.verify(game, result, tie_break="adversarial")
    with pytest.raises(InputError, match="--rtol of normal-form games must be a number > 0"):
        stackopt.verify(game, result, rtol=0)
    assert stackopt.verify(game, result, rtol=1e-5).passed
    bard = stackopt.load_game(ROOT / "data" / "bilevel" / "bard.yaml")
    with pytest.raises(InputError, match="--resolve of bilevel games must be true or false"):
        stackopt.verify(bard, stackopt.solve(bard), resolve="no")
