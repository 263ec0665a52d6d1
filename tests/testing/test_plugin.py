"""The pytest plugin in a pytester run: fixtures (paths relative to the test file, one load
and one solve per session), the exact marker and option, the header."""

from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]

GAME = (Path(__file__).resolve().parents[2] / "data" / "inspection.yaml").read_text("utf-8")

TESTS = """
import pytest
import stackopt.testing.asserts as A
from stackopt.testing import assert_stackelberg_equilibrium, exact_mode

P = 5 / 14 + 1e-7        # wrong in the 7th digit: passes at rtol 1e-6, fails exactly

def test_fixtures(stackopt_game, stackopt_solve):
    g = stackopt_game("games/inspection.yaml")
    assert stackopt_game("games/inspection.yaml") is g           # loaded once
    r = stackopt_solve(g)
    assert stackopt_solve("games/inspection.yaml") is r           # solved once
    assert r.certified and not exact_mode()

def test_default_tolerance(stackopt_game):
    assert_stackelberg_equilibrium(stackopt_game("games/inspection.yaml"), [P, 1 - P], 0)

@pytest.mark.stackopt_exact
def test_marked_exact(stackopt_game):
    assert exact_mode()
    assert_stackelberg_equilibrium(stackopt_game("games/inspection.yaml"), [P, 1 - P], 0)
"""


def test_plugin_fixtures_marker_option_header(pytester):
    pytester.makefile(".yaml", **{"games/inspection": GAME})
    pytester.makepyfile(test_user=TESTS)
    res = pytester.runpytest("-p", "no:cacheprovider")
    res.assert_outcomes(passed=2, failed=1)
    res.stdout.fnmatch_lines(
        [
            "stackopt *, HiGHS * (highspy)",
            "*test_marked_exact*",
            "*exact failed: exact commitment found*",
        ]
    )
    res = pytester.runpytest("-p", "no:cacheprovider", "--stackopt-exact")
    res.assert_outcomes(passed=0, failed=3)  # test_fixtures asserts exact_mode() is off
    res = pytester.runpytest("-p", "no:cacheprovider", "--markers")
    res.stdout.fnmatch_lines(["@pytest.mark.stackopt_exact*"])
