"""Result and Certificate objects: JSON form, round trips, frames, summaries."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest

from stackopt import (
    Certificate,
    Check,
    FollowerOutcome,
    InputError,
    LeaderOutcome,
    Result,
    Status,
    TieBreak,
    load_game,
    solve,
    verify,
)
from stackopt.report import format_result
from stackopt.testing.oracles import BY_NAME
from tests.helpers import RESULT_KEYS

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def result():
    return solve(BY_NAME["inspection"].game())


def test_to_dict_shape(result):
    d = result.to_dict()
    assert set(d) == RESULT_KEYS
    assert set(d["leader"]) == {"name", "commitment", "value"}
    assert set(d["follower"]) == {"name", "response", "value"}
    assert d["status"] == "optimal" and d["kind"] == "normal_form"
    assert d["certificate"]["passed"] is True and d["certificate"]["tie_break"] == "leader"
    assert d["options"]["tie_break"] == "leader" and d["options"]["rtol"] == 1e-6
    assert {"lps_solved", "lps_pruned", "total_seconds"} <= set(d["stats"])
    json.dumps(d, allow_nan=False)  # plain JSON


def test_round_trip_is_lossless(result):
    back = Result.from_dict(json.loads(result.to_json()))
    assert back.to_dict() == json.loads(result.to_json())
    assert back.certified and back.status is Status.OPTIMAL
    assert back.certificate.check("optimality").passed
    assert verify(BY_NAME["inspection"].game(), back).passed


def test_frozen(result):
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = Status.ERROR


def test_properties_and_frame(result):
    assert result.commitment is result.leader.commitment
    assert result.response == "legal"
    assert result.leader_value == result.leader.value
    f = result.to_frame()
    assert list(f.columns) == [
        "action",
        "probability",
        "response",
        "leader_value",
        "follower_value",
    ]
    assert f["action"].tolist() == ["inspect", "skip"]
    assert f["probability"].sum() == pytest.approx(1.0)
    assert f["response"].tolist() == ["legal", "legal"]
    with pytest.warns(DeprecationWarning):
        f = result.to_frame(layout="long")  # the pre-0.2 long form
    assert list(f.columns) == ["player", "name", "label", "value"]
    assert f["player"].tolist() == ["leader", "leader", "follower"]
    assert f["label"].tolist() == ["inspect", "skip", "legal"]
    assert f["value"].iloc[-1] == 1.0
    assert f["value"].iloc[:2].sum() == pytest.approx(1.0)


def test_summary_row(result):
    s = result.summary()
    assert s["certified"] is True and s["leader"] == "leader"
    assert s["leader_value"] == pytest.approx(-5 / 14)


def test_minimal_from_dict_defaults():
    r = Result.from_dict({"leader": {"commitment": "skip"}, "follower": {"response": "legal"}})
    assert r.leader.commitment == {"skip": 1.0}
    assert r.status is Status.OPTIMAL and r.certificate is None and not r.certified
    # no kind: another tool's minimal JSON; verify takes the game's kind
    assert r.leader.value is None and r.method == "unknown" and r.kind == ""


def test_from_dict_values():
    r = Result.from_dict(
        {"leader": {"commitment": {}, "value": "inf"}, "follower": {"response": None}}
    )
    assert r.leader.value == math.inf
    # values are optional, so a non-number must not pass for "not reported"
    with pytest.raises(InputError, match="leader.value"):
        Result.from_dict(
            {"leader": {"commitment": {}, "value": "abc"}, "follower": {"response": None}}
        )


@pytest.mark.parametrize(
    "data,field",
    [
        ([], None),
        ({"follower": {"response": "x"}}, "leader.commitment"),
        ({"leader": {"commitment": {}}}, "follower.response"),
        ({"leader": {"commitment": 3}, "follower": {"response": "x"}}, "leader.commitment"),
        ({"status": "fine", "leader": {"commitment": {}}, "follower": {"response": "x"}}, "status"),
    ],
)
def test_from_dict_errors(data, field):
    with pytest.raises(InputError) as ei:
        Result.from_dict(data)
    assert ei.value.field == field and "(fix:" in str(ei.value)


def test_certified_requires_optimal_status(result):
    r = dataclasses.replace(result, status=Status.ERROR)
    assert not r.certified
    assert not dataclasses.replace(result, certificate=None).certified


def test_infinite_values_serialise():
    c = Check("x", True, residual=math.inf, tolerance=-math.inf)
    assert c.to_dict()["residual"] == "inf" and c.to_dict()["tolerance"] == "-inf"
    assert Check("x", False, residual=math.nan).to_dict()["residual"] is None
    r = Result(
        "normal_form",
        Status.UNBOUNDED,
        "m",
        LeaderOutcome("l", {}, math.inf),
        FollowerOutcome("f", None, None),
        None,
    )
    d = json.loads(r.to_json())
    assert d["leader"]["value"] == "inf" and Result.from_dict(d).leader.value == math.inf


def test_certificate_basics():
    empty = Certificate(checks=())
    assert not empty.passed and empty.summary() == "no checks"
    c = Certificate(
        checks=(Check("a", True), Check("b", False, 0.5, 0.1, "too big")),
        tie_break=TieBreak.LEADER,
        evidence={"k": (1, 2)},
    )
    assert not c.passed and c.failed() == (c.checks[1],)
    assert c.summary() == "FAILED b: too big"
    with pytest.raises(KeyError):
        c.check("zzz")
    back = Certificate.from_dict(json.loads(json.dumps(c.to_dict())))
    assert back.checks == c.checks and back.evidence == {"k": [1, 2]}


def test_report_table_of_a_failed_result():
    r = Result(
        "normal_form",
        Status.ERROR,
        "multiple_lps",
        LeaderOutcome("l", {}, None),
        FollowerOutcome("f", None, None),
        None,
        message="solver stopped",
    )
    text = format_result(r)
    assert "status error" in text and "solver stopped" in text and "certificate" not in text


def test_answered_takes_kind_names_and_verdict_from_the_game_and_certificate():
    game = load_game(DATA / "security" / "transit_hubs.yaml")
    passed = Certificate(checks=(Check("commitment", True),))
    failed = Certificate(checks=(Check("commitment", True), Check("optimality", False)))
    ok = Result.answered(game, Status.OPTIMAL, "multiple_lps", {"t": 1.0}, 2.0, "t", -1.0, passed)
    assert (ok.kind, ok.game) == ("security", game.name)
    assert (ok.leader.name, ok.follower.name) == (game.defender_name, game.attacker_name)
    assert ok.message == "" and ok.certified and ok.stats == {} and ok.options == {}
    bad = Result.answered(game, Status.OPTIMAL, "multiple_lps", {"t": 1.0}, 2.0, "t", -1.0, failed)
    assert bad.message == "certificate failed: " + failed.summary() and not bad.certified
    said = Result.answered(game, Status.OPTIMAL, "m", {}, None, None, None, failed, message="x")
    assert said.message == "x"
    assert Result.from_dict(json.loads(bad.to_json())).to_dict() == bad.to_dict()


def test_unanswered_works_for_any_object():
    r = Result.unanswered(object(), Status.ERROR, "m", "stopped", {"rtol": 1e-6})
    assert (r.kind, r.game, r.leader.name, r.follower.name) == (
        "unknown",
        None,
        "leader",
        "follower",
    )
    assert r.leader.commitment == {} and r.leader.value is None and r.certificate is None
    assert r.message == "stopped" and r.options == {"rtol": 1e-6} and not r.certified
