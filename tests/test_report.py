"""The text table: a policy response (MDPs) is shown step by step, never as a Python repr."""

from __future__ import annotations

from pathlib import Path

import stackopt
from stackopt.report import format_result, policy_text

DATA = Path(__file__).resolve().parents[1] / "data"


def test_policy_text_lists_steps_and_says_how_many_are_left_out():
    policy = {str(t): {"s0": "test", "s1": "wait"} for t in range(8)}
    text = policy_text(policy, limit=3)
    assert text.startswith("step 0: s0 test, s1 wait; step 1:")
    assert text.endswith("... (5 more steps; see --json)")
    assert "{" not in text


def test_mdp_table_shows_the_policy_by_step():
    result = stackopt.solve(stackopt.load_game(DATA / "mdp" / "chain.yaml"))
    follower_line = format_result(result).splitlines()[3]
    assert follower_line.startswith("follower") and "step 0: s0 " in follower_line
    assert "{" not in follower_line and "'" not in follower_line
