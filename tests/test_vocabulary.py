"""The result vocabulary and its JSON Schema (issue 7, item 3).

* the shipped schema (package and docs copy) is the one ``stackopt.vocabulary`` generates;
* every bundled data file solves to a result that matches the schema, uses only documented
  check names, stats keys and evidence keys, and ``verify`` names the same checks as ``solve``;
* result files written before the rename (``tests/data/results/old_*.json``, produced by the
  previous release) still verify, and old names are still found (with a warning).
"""

from __future__ import annotations

import json
import warnings
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

import stackopt
from stackopt import vocabulary as voc
from stackopt.certificate import Certificate
from stackopt.result import Result

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
OLD = Path(__file__).resolve().parent / "data" / "results"
KNOWN_CHECKS = set(voc.CHECK_NAMES)
KNOWN_STATS = {t.name for t in voc.STATS_KEYS}
KNOWN_EVIDENCE = {t.name for t in voc.EVIDENCE_KEYS}
# files that are not games on their own, or are refused on purpose (documented in the docs)
NOT_GAMES = {
    "interdiction/supply_routes.csv": "the arcs table read by supply_routes.yaml",
    "bilevel/integer_follower.yaml": "refused on purpose: integer follower",
}
BUILTIN = ("normal_form", "bayesian", "security", "bilevel", "interdiction")


def _schema() -> dict:
    return json.loads(
        resources.files("stackopt").joinpath("result.schema.json").read_text(encoding="utf-8")
    )


def test_shipped_schema_is_generated_from_the_vocabulary():
    shipped = resources.files("stackopt").joinpath("result.schema.json").read_text("utf-8")
    assert shipped == voc.schema_text(), (
        "run: python -m stackopt.vocabulary > stackopt/result.schema.json"
    )
    assert (REPO / "docs" / "result.schema.json").read_text("utf-8") == shipped, (
        "docs/result.schema.json must be a copy of stackopt/result.schema.json"
    )
    jsonschema.Draft202012Validator.check_schema(_schema())


def test_schema_refuses_old_names_and_missing_keys():
    g = stackopt.load_game(DATA / "inspection.yaml")
    d = stackopt.solve(g).to_dict()
    v = jsonschema.Draft202012Validator(_schema())
    assert not list(v.iter_errors(d))
    bad = json.loads(json.dumps(d))
    bad["stats"]["setup_seconds"] = 0.1
    assert list(v.iter_errors(bad))
    bad = json.loads(json.dumps(d))
    bad["certificate"]["checks"][0]["name"] = "coverage"
    assert list(v.iter_errors(bad))
    bad = json.loads(json.dumps(d))
    del bad["follower"]
    assert list(v.iter_errors(bad))
    bad = json.loads(json.dumps(d))
    bad["status"] = "great"
    assert list(v.iter_errors(bad))


def _bundled() -> list[str]:
    out = []
    for p in sorted(DATA.rglob("*")):
        if p.suffix not in (".yaml", ".yml", ".csv", ".nfg") or not p.is_file():
            continue
        rel = p.relative_to(DATA).as_posix()
        if rel in NOT_GAMES or rel.startswith("scenarios/"):  # batch scenario files
            continue
        out.append(rel)
    return out


@pytest.mark.parametrize("rel", _bundled())
def test_every_bundled_file_solves_to_a_schema_valid_result(rel):
    game = stackopt.load_game(DATA / rel)
    result = stackopt.solve(game)
    data = json.loads(result.to_json())
    jsonschema.validate(data, _schema())
    if game.kind not in BUILTIN:
        return  # kinds added later document their names in their own docs page
    assert set(data["stats"]) <= KNOWN_STATS, set(data["stats"]) - KNOWN_STATS
    assert "total_seconds" in data["stats"]
    if result.certificate is None:
        return
    names = [c.name for c in result.certificate.checks]
    assert set(names) <= KNOWN_CHECKS, set(names) - KNOWN_CHECKS
    assert set(result.certificate.evidence) <= KNOWN_EVIDENCE
    if result.status.value == "optimal":
        assert voc.OPTIMALITY in names and voc.LEADER_VALUE in names
        assert voc.COMMITMENT in names and voc.BEST_RESPONSE in names
    cert = stackopt.verify(game, data)
    assert [c.name for c in cert.checks] == names  # solve and verify name the same checks
    assert cert.passed == result.certificate.passed


@pytest.mark.parametrize("path", sorted(OLD.glob("old_*.json")), ids=lambda p: p.stem)
def test_result_files_written_before_the_rename_still_verify(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    game = stackopt.load_game(REPO / data.pop("_source"))
    olds = (
        set(voc.CHECK_ALIASES)
        | set(voc.STATS_ALIASES)
        | set(voc.EVIDENCE_ALIASES)
        | {"objective_bound"}
    )
    text = json.dumps(data)
    assert any(f'"{o}"' in text for o in olds), "the stored file must use an old name"
    if data["method"] == "nash_milp":
        from stackopt.kinds.normal_form.nash import verify_nash

        cert = verify_nash(game, data)
    else:
        cert = stackopt.verify(game, data)
    assert cert.passed, cert.summary()
    assert voc.OPTIMALITY in [c.name for c in cert.checks]
    # the old file reads into current names
    r = Result.from_dict(data)
    assert not set(r.stats) & set(voc.STATS_ALIASES)
    assert not set(r.certificate.evidence) & (set(voc.EVIDENCE_ALIASES) | {"objective_bound"})
    assert not {c.name for c in r.certificate.checks} & set(voc.CHECK_ALIASES)


def test_old_check_names_are_found_with_a_warning():
    g = stackopt.load_game(DATA / "security" / "transit_hubs.yaml")
    cert = stackopt.solve(g).certificate
    with pytest.warns(DeprecationWarning, match="now called 'commitment'"):
        assert cert.check("coverage") is cert.check("commitment")
    with pytest.raises(KeyError):
        cert.check("no_such_check")


def test_upgrade_evidence_reads_every_old_milp_spelling():
    assert voc.milp_bound({"milp": {"objective_bound": 3.0, "incumbent": 3.0}})["bound"] == 3.0
    assert voc.milp_bound({"mip": {"dual_bound": 2.0, "path_bound": 9}})["path_bound"] == 9
    assert voc.milp_bound({"milp_bound": 1.5}) == {"bound": 1.5}
    assert voc.milp_bound({"objective_bound": 4.0, "objective": "worst"}) == {
        "bound": 4.0,
        "objective": "worst",
    }
    assert voc.milp_bound({"bounds": {}}) is None
    # the current record wins over an old one
    assert voc.milp_bound({"milp_bound": {"bound": 1.0}, "mip": {"dual_bound": 5.0}}) == {
        "bound": 1.0
    }
    assert voc.upgrade_stats({"setup_seconds": 1.0, "build_seconds": 2.0}) == {"build_seconds": 2.0}
    cert = Certificate.from_dict(
        {
            "checks": [{"name": "global_optimality", "passed": True}],
            "evidence": {"mip": {"dual_bound": 1.0}},
        }
    )
    assert cert.checks[0].name == "optimality"
    assert cert.evidence["milp_bound"]["bound"] == 1.0


def test_docs_list_the_vocabulary():
    text = (REPO / "docs" / "certificate.md").read_text(encoding="utf-8")
    for name in (
        *voc.CORE_CHECKS,
        *(t.name for t in voc.KIND_CHECKS),
        *voc.CHECK_ALIASES,
        voc.MILP_BOUND,
        voc.BUILD_SECONDS,
        voc.HIGHS_SECONDS,
        voc.TOTAL_SECONDS,
        *voc.STATS_ALIASES,
    ):
        assert f"`{name}`" in text, f"docs/certificate.md does not mention `{name}`"
    assert "result.schema.json" in text
    assert voc.markdown_tables() in text, (
        "paste stackopt.vocabulary.markdown_tables() into docs/certificate.md"
    )


def test_the_suite_validates_results_against_the_schema():
    """tests/conftest.py wraps Result.to_dict: a result off the schema fails its test."""
    from stackopt.result import FollowerOutcome, LeaderOutcome
    from stackopt.status import Status

    bad = Result(
        kind="normal_form",
        status=Status.OPTIMAL,
        method="x",
        leader=LeaderOutcome("l", {"a": 1.0}, 1.0),
        follower=FollowerOutcome("f", "b", 1.0),
        certificate=None,
        stats={"pyomo_build_seconds": 1.0},
    )  # an old name: off the schema
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(AssertionError, match="result.schema.json"):
            bad.to_dict()
