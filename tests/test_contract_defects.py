"""Regression tests for the contract defects found on trial (issue 7, item 6)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import stackopt
from stackopt.kinds.registry import spec_of

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


def _cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stackopt", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def _files_of(kind: str) -> list[Path]:
    out = []
    for p in sorted(DATA.rglob("*")):
        if p.suffix not in (".yaml", ".csv", ".nfg") or "scenarios" in p.parts:
            continue
        try:
            g = stackopt.load_game(p)
        except stackopt.InputError:
            continue
        if spec_of(g).name == kind:
            out.append(p)
    return out


# -- the Pyomo cross-check engine certifies every bundled game --------------------------------
@pytest.mark.parametrize("path", _files_of("normal_form"), ids=lambda p: p.name)
def test_pyomo_engine_certifies_every_bundled_normal_form_game(path):
    g = stackopt.load_game(path)
    fast = stackopt.solve(g)
    cross = stackopt.solve(g, engine="pyomo")
    assert cross.certified, cross.certificate.summary()
    # the two engines agree on the leader's value (two solve paths, one optimum)
    assert cross.leader.value == pytest.approx(fast.leader.value, abs=1e-6 * g.scale)


def test_pyomo_engine_certifies_random_degenerate_games():
    """Small integer payoffs (many ties, dominated and infeasible LPs); the value is checked
    against exact vertex enumeration in rational arithmetic."""
    import numpy as np

    from stackopt.testing.oracles.normal_form import sse_vertex_enumeration

    rng = np.random.default_rng(7)
    for _ in range(40):
        m, n = (int(v) for v in rng.integers(2, 6, 2))
        A = rng.integers(-3, 4, (m, n)).astype(float)
        B = rng.integers(-3, 4, (m, n)).astype(float)
        r = stackopt.solve(stackopt.NormalFormGame(A, B), engine="pyomo")
        assert r.certified, r.certificate.summary()
        assert r.leader.value == pytest.approx(float(sse_vertex_enumeration(A, B).value), abs=1e-6)


def test_travelers_dilemma_pyomo_engine_cli():
    """Was: 'optimality: follower action claim_100 is only bounded by 101 > 98.33' (the
    dominance LP of the infeasible action failed because Pyomo's HiGHS call had started HiGHS's
    thread scheduler with two threads and the in-place LP asked for one)."""
    out = _cli("solve", "data/travelers_dilemma_99.yaml", "--engine", "pyomo", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads(out.stdout)
    assert data["certificate"]["passed"]
    rec = data["certificate"]["evidence"]["bounds"]["claim_100"]
    assert rec["outcome"] == "infeasible"
    assert rec.get("dominated_by") or rec["bound"] <= data["leader"]["value"] + 1e-4


def test_highs_runs_after_a_foreign_pyomo_highs_call():
    """A HiGHS scheduler started by someone else with more threads must not break stackopt's
    one-thread HiGHS calls (subprocess: the scheduler is process-wide)."""
    code = """
import pyomo.environ as pyo
from pyomo.contrib.solver.common.factory import SolverFactory
m = pyo.ConcreteModel(); m.x = pyo.Var(bounds=(0, 1))
m.o = pyo.Objective(expr=m.x, sense=pyo.maximize)
SolverFactory("highs").solve(m)          # default threads: the scheduler gets 2
import stackopt
for f in ("data/travelers_dilemma_99.yaml", "data/security/two_attacker_types.yaml",
          "data/bilevel/bard.yaml", "data/interdiction/diamond.yaml"):
    g = stackopt.load_game(f)
    assert stackopt.solve(g).certified, f
g = stackopt.load_game("data/travelers_dilemma_99.yaml")
assert stackopt.solve(g, engine="pyomo").certified
print("ok")
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr[-2000:]


# -- tables show the decision ------------------------------------------------------------------
def test_interdiction_table_shows_the_interdicted_arcs_and_counts_the_rest():
    """Was: every arc listed in file order, zeros included, cut at 12 - the interdicted arcs
    past the cut were not shown."""
    from stackopt.report import format_result

    g = stackopt.load_game(DATA / "interdiction" / "supply_routes.yaml")
    r = stackopt.solve(g)
    line = next(x for x in format_result(r).splitlines() if x.startswith("leader"))
    cut = [a for a, v in r.leader.commitment.items() if v > 0.5]
    assert cut and all(f"{a} 1" in line for a in cut)
    zeros = len(r.leader.commitment) - len(cut)
    assert f"({zeros} more at 0; see --json)" in line
    assert " 0," not in line  # no zero entry is listed when the list is cut


def test_decision_text_orders_and_counts():
    from stackopt.report import decision_text

    m = {f"a{i}": (1.0 if i in (3, 30) else 0.0) for i in range(40)}
    assert decision_text(m, mixed=False) == "a3 1, a30 1, ... (38 more at 0; see --json)"
    m = {"x": 0.0, "y": 2.5}
    assert decision_text(m, mixed=False) == "y 2.5, x 0"  # everything fits: zeros after
    assert decision_text(m, mixed=True) == "y 2.5"  # a distribution: its support
    many = {f"b{i}": 1 / 20 for i in range(20)}
    assert decision_text(many, mixed=True).endswith("(8 more non-zero; see --json)")
    assert decision_text({"x": 0, "y": 0}, mixed=False) == "x 0, y 0"
    assert decision_text({f"z{i}": 0 for i in range(13)}, mixed=False) == "all 13 at 0 (see --json)"


# -- compare --time-limit keeps what finished ------------------------------------------------
def test_compare_keeps_finished_solves_when_the_nash_milp_stops(monkeypatch):
    """Deterministic: the Nash MILP 'times out'; both SSE solves are kept and reported."""
    from stackopt.errors import SolverError
    from stackopt.kinds.normal_form import nash
    from stackopt.kinds.normal_form.compare import compare_leadership, format_comparison

    def stopped(*_a, **_k):
        raise SolverError("HiGHS stopped with 'maxTimeLimit' on the Nash MILP")

    monkeypatch.setattr(nash, "nash_equilibria", stopped)
    g = stackopt.load_game(DATA / "inspection.yaml")
    c = compare_leadership(g, time_limit=5.0)
    ref = stackopt.solve(g)
    assert c.finished("player1_leads") and c.finished("player2_leads")
    assert c.values("player1_leads")[0] == pytest.approx(ref.leader.value)
    assert not c.finished("nash_best_player1")
    assert c.nash_best_player1.status.value == "time_limit"
    assert c.value_of_commitment_player1 is None and c.theorem_holds_player1 is None
    assert not c.passed
    text = format_comparison(c)
    assert "NOT FINISHED (time_limit)" in text and "undecided" in text
    d = c.to_dict()
    assert d["unfinished"] == [
        "nash_best_player1",
        "nash_worst_player1",
        "nash_best_player2",
        "nash_worst_player2",
    ]
    json.dumps(d)  # still plain JSON
    frame = c.to_frame()
    assert frame["player1_value"].dtype == float and frame["finished"].tolist()[:2] == [True, True]


def test_compare_cli_time_limit_on_a_game_whose_nash_milp_is_slow(tmp_path, capsys):
    """A 25x25 random game: the SSE solves take milliseconds, the Nash MILP seconds."""
    import numpy as np

    from stackopt.cli import main

    rng = np.random.default_rng(5)
    A = rng.integers(0, 100, (25, 25)).astype(float)
    B = rng.integers(0, 100, (25, 25)).astype(float)
    game = stackopt.NormalFormGame(A, B, name="slow_nash")
    path = tmp_path / "g.yaml"
    stackopt.save_game(game, path)
    code = main(["compare", str(path), "--time-limit", "0.5", "--json"])
    out = json.loads(capsys.readouterr().out)
    ref = stackopt.solve(game)
    rows = {r["scenario"]: r for r in out["rows"]}
    assert rows["player1_leads"]["finished"] and rows["player1_leads"]["certified"]
    assert rows["player1_leads"]["player1_value"] == pytest.approx(ref.leader.value)
    if out["unfinished"]:  # the MILP stopped (it does on this machine in 0.5 s)
        assert code == 1
        assert all(rows[s]["status"] in ("time_limit", "error") for s in out["unfinished"])
        assert all(rows[s]["player1_value"] is None for s in out["unfinished"])


# -- each warning once -----------------------------------------------------------------------
def test_big_m_warning_prints_once(capsys):
    """Was printed three times: as the message, as the certificate summary, as the failure."""
    from stackopt.cli import main

    code = main(
        [
            "solve",
            str(DATA / "bilevel" / "pineda_morales.yaml"),
            "--method",
            "kkt_bigm",
            "--big-m",
            "50",
        ]
    )
    out = capsys.readouterr()
    assert code == 1
    text = out.out + out.err
    assert text.count("big-M 50 used") == 1, text
    assert "certificate: FAILED 1 of" in text


def test_a_failed_certificate_is_reported_once():
    """Was twice (message 'certificate failed: ...' and the certificate lines), e.g. for
    interdiction results."""
    from dataclasses import replace

    from stackopt.certificate import Check
    from stackopt.report import format_result

    g = stackopt.load_game(DATA / "interdiction" / "diamond.yaml")
    r = stackopt.solve(g)
    bad = replace(
        r.certificate,
        checks=r.certificate.checks
        + (Check("optimality", False, 1.0, 1e-6, "HiGHS's bound 9 exceeds the value 7"),),
    )
    r = replace(r, certificate=bad, message="certificate failed: " + bad.summary())
    text = format_result(r)
    assert text.count("HiGHS's bound 9 exceeds the value 7") == 1, text
    # a message that says something else is kept
    r2 = replace(r, message="HiGHS stopped with 'maxTimeLimit'; not proven optimal")
    assert "maxTimeLimit" in format_result(r2)


# -- argument errors name the subcommand -------------------------------------------------------
@pytest.mark.parametrize(
    "argv, usage",
    [
        (["solve", "data/inspection.yaml", "--bogus"], "usage: stackopt solve"),
        (["verify", "data/inspection.yaml", "r.json", "--nope"], "usage: stackopt verify"),
        (["export", "data/inspection.yaml", "--zzz", "1"], "usage: stackopt export"),
        (["--bogus", "solve", "data/inspection.yaml"], "usage: stackopt [-h]"),
    ],
)
def test_argument_errors_print_the_subcommands_usage(argv, usage, capsys, monkeypatch):
    """Was: 'usage: stackopt [-h] ... COMMAND ...' for an unknown option of a subcommand."""
    from stackopt.cli import main

    monkeypatch.chdir(REPO)
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage), err
    assert "unrecognized arguments" in err


# -- to_frame: typed, documented columns per kind ---------------------------------------------
def _bundled_games() -> list[Path]:
    out = []
    for p in sorted(DATA.rglob("*")):
        if p.suffix not in (".yaml", ".csv", ".nfg") or "scenarios" in p.parts:
            continue
        try:
            stackopt.load_game(p)
        except stackopt.InputError:
            continue
        out.append(p)
    return out


@pytest.mark.parametrize("path", _bundled_games(), ids=lambda p: p.stem)
def test_to_frame_has_the_declared_typed_columns(path):
    """Was: one 'value' column mixing probabilities, labels and paths, and no values."""
    import math

    from stackopt.kinds.registry import DEFAULT_FRAME

    g = stackopt.load_game(path)
    spec = spec_of(g)
    r = stackopt.solve(g)
    df = r.to_frame()
    frame = spec.frame or DEFAULT_FRAME
    cols = frame.all_columns()
    assert list(df.columns) == [c.name for c in cols]
    assert {c.name: str(df[c.name].dtype) for c in cols} == {c.name: c.dtype for c in cols}
    assert len(df) == len(r.leader.commitment)  # one row per leader decision entry
    assert df[frame.entry.name].tolist() == list(r.leader.commitment)
    values = [float(v) for v in r.leader.commitment.values()]
    assert [float(v) for v in df[frame.value.name]] == pytest.approx(values)
    if r.leader.value is not None and len(df):
        lv = df["leader_value"].iloc[0]
        assert lv == r.leader.value or (math.isinf(lv) and math.isinf(r.leader.value))
    if spec.mixed and len(df) and r.status.value == "optimal" and spec.name != "security":
        assert df[frame.value.name].sum() == pytest.approx(1.0, abs=1e-6)
    for c in cols:
        assert c.doc  # documented


def test_frame_columns_are_documented_in_the_api_page():
    from stackopt.kinds.registry import kinds

    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    for spec in kinds().values():
        if spec.frame is None:
            continue
        for c in spec.frame.all_columns():
            assert f"`{c.name}`" in text, f"docs/api.md does not list column {c.name!r}"


# -- short repr, HTML repr ------------------------------------------------------------------------
def test_repr_is_short_and_html_repr_shows_the_checks():
    """Was: repr(result) dumped the whole certificate (thousands of characters)."""
    from html.parser import HTMLParser

    g = stackopt.load_game(DATA / "travelers_dilemma_99.yaml")
    r = stackopt.solve(g)
    text = repr(r)
    assert len(text) < 200 and "\n" not in text
    assert "optimal" in text and "certified" in text and "98.3333" in text
    assert repr(r.certificate) == f"<Certificate {r.certificate.summary()}>"
    html = r._repr_html_()
    assert "<table>" in html and "claim_97" in html
    for c in r.certificate.checks:
        assert f"<code>{c.name}</code>" in r.certificate._repr_html_()

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag != "br":
                self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack and self.stack.pop() == tag

    p = Tags()
    p.feed(html)
    assert p.stack == []  # balanced tags
    # labels are escaped
    bad = stackopt.NormalFormGame(
        [[1, 0], [0, 1]], [[0, 1], [1, 0]], leader_actions=["<a>", "b&c"], name="x<y"
    )
    assert "&lt;a&gt;" in stackopt.solve(bad)._repr_html_()
