"""The sample user project in docs/sample_project runs under the installed plugin: it passes,
and each planted bug makes its tests fail with the messages docs/testing.md shows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "sample_project"


def _run(tmp_path: Path, corrupt: str = "", *args: str) -> subprocess.CompletedProcess:
    project = tmp_path / "project"
    if not project.exists():
        shutil.copytree(SAMPLE, project)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["SAMPLE_CORRUPT"] = corrupt
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize(
    "flags",
    [(), ("-p", "no:stackopt", "-p", "stackopt.testing.plugin")],
    ids=["entry-point", "dash-p-only"],
)
def test_sample_project_passes(tmp_path, flags):
    """With the installed entry point, and with ``-p stackopt.testing.plugin`` alone (for
    source checkouts); one report header line."""
    out = _run(tmp_path, "", "-v", *flags)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "4 passed" in out.stdout
    assert out.stdout.count("stackopt 0.1.0, HiGHS") == 1


# bug -> (failing tests, lines the failure output must contain)
EXPECTED = {
    "digit7": (
        {"test_policy_is_a_strong_stackelberg_equilibrium", "test_policy_value_is_minus_5_14"},
        [
            "optimality failed: follower action 'legal' is only bounded by -0.3571428571 "
            "> -0.3571429571 [off by 1e-07; tolerance 1e-08]",
            "better commitment: stackopt's solve gives the leader -0.3571428571",
            "leader_value: got -0.35714295714285715, expected -5/14 = "
            "-0.35714285714285715: off by 1e-07 (tolerance 1e-09)",
        ],
    ),
    "not_best": (
        {
            "test_policy_is_a_strong_stackelberg_equilibrium",
            "test_policy_value_is_minus_5_14",
            "test_policy_agrees_with_stackopt",
            "test_simulated_follower_best_responds",
        },
        [
            "best_response failed: 'legal' is 1.5 below the best response 'violate' "
            "[off by 1.5; tolerance 1e-08]",
            "better response: 'violate' gives the follower 1.25, 'legal' only -0.25",
        ],
    ),
    "bad_tie": (
        {
            "test_policy_is_a_strong_stackelberg_equilibrium",
            "test_policy_value_is_minus_5_14",
            "test_policy_agrees_with_stackopt",
            "test_simulated_follower_best_responds",
        },
        [
            "tie_break failed: another best response gives the leader 8.21 more "
            "[off by 8.21; tolerance 1e-08]",
            "leader-favourable tie: 'legal' is also a best response and gives the leader "
            "-0.3571428571, 'violate' only -8.571428571",
            "leader-favourable tie: 'c1' is also a best response and gives the leader 1, "
            "'c0' only 0",
        ],
    ),
    "sum999": (
        {"test_policy_is_a_strong_stackelberg_equilibrium", "test_policy_agrees_with_stackopt"},
        [
            "commitment failed: not a probability distribution (min 0.357, sum 0.999) "
            "[off by 0.001; tolerance 1e-09]",
            "the commitment sums to 0.999 (smallest probability 0.357143); probabilities "
            "must be >= 0 and sum to 1",
        ],
    ),
}


@pytest.mark.parametrize("bug", sorted(EXPECTED))
def test_sample_project_fails_with_the_documented_messages(tmp_path, bug):
    failing, lines = EXPECTED[bug]
    out = _run(
        tmp_path, bug, "-rf", *(("-p", "stackopt.testing.plugin") if bug == "digit7" else ())
    )  # -p next to the entry point: harmless
    assert out.returncode == 1, out.stdout + out.stderr
    failed = {
        line.split("::")[1].split(" ")[0]
        for line in out.stdout.splitlines()
        if line.startswith("FAILED ")
    }
    assert failed == failing, out.stdout
    for line in lines:
        assert line in out.stdout, (line, out.stdout)
    # the message is documented word for word in docs/testing.md
    doc = (SAMPLE.parent / "testing.md").read_text(encoding="utf-8")
    assert lines[0] in doc, lines[0]
