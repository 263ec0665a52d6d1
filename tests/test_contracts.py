"""Cross-kind CLI contracts, run on every example under ``data/`` (new files are picked up).

The contracts (issues 2-4): ``stackopt solve FILE [--json] [--out F]``, ``stackopt verify GAME
RESULT`` and ``stackopt export FILE --format lp|mps`` behave the same for every game kind:

* exit codes: 0 solved and certified, 1 no equilibrium / infeasible / unbounded / not
  certified, 2 bad input with exactly one stderr line ``stackopt: error: FILE: field ...``;
  never a traceback;
* the JSON result has the shared keys (``kind``, ``status``, ``method``, ``leader.commitment``,
  ``leader.value``, ``follower.response``, ``follower.value``, ``certificate.passed``,
  ``certificate.checks``, ``stats``, ``options``) with the documented types;
* a result written by ``solve --out`` verifies (exit 0), and a tampered one does not (exit 1);
* exported LP/MPS files are read back by HiGHS itself (``Highs.readModel``), an independent
  parser of what Pyomo wrote.

Everything runs in-process through :func:`stackopt.cli.main` (one solve per file is cached).
Bad-input tests (unknown keys, wrong types, missing keys, NaN, YAML aliases, missing files,
options a kind does not take) live in ``tests/test_contracts_bad_input.py``.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from stackopt.status import Status
from tests.helpers import RESULT_KEYS, run_cli

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
GAME_SUFFIXES = {".yaml", ".yml", ".csv", ".nfg"}

# Example files that document an outcome other than "solved and certified" (exit code, status).
# Every other file under data/ must solve with exit 0 and status optimal.
EXPECTED: dict[str, tuple[int, str | None]] = {
    "bilevel/infeasible.yaml": (1, "infeasible"),
    "bilevel/unbounded.yaml": (1, "unbounded"),
    "bilevel/integer_follower.yaml": (2, None),  # unsupported: integer follower variables
}
# Kinds whose every example must export (a build_model exists and needs no proof of big-M).
EXPORT_REQUIRED = {"normal_form", "bayesian", "security", "interdiction"}
# Normal-form games with more follower actions than this export one LP (--response) in the
# fast run; the full export runs under the ``slow`` marker.
EXPORT_ALL_LPS_UP_TO = 20

CHECK_KEYS = {"name", "passed", "residual", "tolerance", "detail"}


# -- discovering the example files ---------------------------------------------------------
def _yaml_kind(path: Path) -> str | None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None
    return data.get("kind") if isinstance(data, dict) else None


def _companion_files() -> set[Path]:
    """CSV files that only make sense as part of a non-normal-form YAML game (edge lists).

    A CSV named by a ``normal_form`` YAML (a payoff file) is also a game on its own, so it
    stays in the list of games.
    """
    out: set[Path] = set()
    for y in list(DATA.rglob("*.yaml")) + list(DATA.rglob("*.yml")):
        kind = _yaml_kind(y)
        if kind in (None, "normal_form"):
            continue
        text = y.read_text(encoding="utf-8")
        for f in y.parent.glob("*.csv"):
            if f.name in text:
                out.add(f)
    return out


def game_files() -> list[Path]:
    companions = _companion_files()
    return sorted(
        p
        for p in DATA.rglob("*")
        if p.is_file()
        and p.suffix.lower() in GAME_SUFFIXES
        and p not in companions
        and "scenarios" not in p.relative_to(DATA).parts
    )  # batch scenario sets


def rel(path: Path) -> str:
    return path.relative_to(DATA).as_posix()


def expected(path: Path) -> tuple[int, str | None]:
    return EXPECTED.get(rel(path), (0, Status.OPTIMAL.value))


def file_kind(path: Path) -> str:
    return _yaml_kind(path) if path.suffix.lower() in (".yaml", ".yml") else "normal_form"


FILES = game_files()
IDS = [rel(p) for p in FILES]
SOLVABLE = [p for p in FILES if expected(p)[0] == 0]
SOLVABLE_IDS = [rel(p) for p in SOLVABLE]


# -- running the CLI in-process (run_cli, from tests.helpers) --------------------------------
def assert_one_line_error(err: str, *names: str) -> None:
    """Exactly one stderr line ``stackopt: error: ...`` mentioning every string in ``names``."""
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one stderr line, got {len(lines)}:\n{err}"
    assert lines[0].startswith("stackopt: error:"), err
    for name in names:
        assert name in lines[0], f"{name!r} not named in: {lines[0]}"


_SOLVED: dict[Path, tuple[int, str, str, Path]] = {}


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """``solved(path)`` -> (exit code, stdout, stderr, JSON file) of ``solve --json --out``."""
    root = tmp_path_factory.mktemp("results")

    def _solve(path: Path) -> tuple[int, str, str, Path]:
        if path not in _SOLVED:
            out = root / (rel(path).replace("/", "__") + ".json")
            code, stdout, stderr = run_cli("solve", path, "--json", "--out", out)
            _SOLVED[path] = (code, stdout, stderr, out)
        return _SOLVED[path]

    return _solve


@functools.cache
def game_of(path: Path) -> Any:
    """The game in ``path`` (loaded once; used by the test's own oracles)."""
    from stackopt import load_game

    return load_game(path)


def _is_num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


# -- 1. solve / solve --json / verify / export on every example ----------------------------
def test_data_directory_is_discovered():
    kinds = {file_kind(p) for p in FILES}
    assert {"normal_form", "bayesian", "security", "bilevel", "interdiction"} <= kinds
    assert any(p.suffix == ".csv" for p in FILES)  # standalone CSV games are included
    for name in EXPECTED:
        assert (DATA / name).exists(), f"EXPECTED lists a missing example {name}"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_solve_table(path):
    code, out, err = run_cli("solve", path)
    want, _ = expected(path)
    assert code == want, f"exit {code}, expected {want}\n{out}\n{err}"
    if want == 2:
        assert_one_line_error(err, str(path))
    else:
        assert out.strip(), "no table printed"
        assert "Traceback" not in err


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_solve_json_shared_keys(path, solved):
    code, out, err, out_file = solved(path)
    want, status = expected(path)
    assert code == want, f"exit {code}, expected {want}\n{err}"
    if want == 2:
        assert_one_line_error(err, str(path))
        assert not out.strip()
        return
    data = json.loads(out)
    assert json.loads(out_file.read_text(encoding="utf-8")) == data  # --out writes the same
    assert RESULT_KEYS <= set(data), sorted(RESULT_KEYS - set(data))
    assert data["kind"] == file_kind(path)
    assert data["status"] in {s.value for s in Status}
    assert data["status"] == status
    assert isinstance(data["method"], str) and data["method"]
    assert isinstance(data["message"], str)
    assert isinstance(data["stats"], dict) and isinstance(data["options"], dict)
    leader, follower = data["leader"], data["follower"]
    # incentive games add the incentives paid and the expected payment (issue 9)
    extra = {"incentives", "payment"} if data["kind"] == "incentive" else set()
    assert set(leader) == {"name", "commitment", "value"} | extra
    assert set(follower) == {"name", "response", "value"}
    assert isinstance(leader["name"], str) and isinstance(follower["name"], str)
    assert isinstance(leader["commitment"], dict)
    assert all(isinstance(k, str) and _is_num(v) for k, v in leader["commitment"].items())
    if want == 0:
        assert leader["commitment"], "an optimal result needs a commitment"
        assert _is_num(leader["value"])
        assert follower["response"] not in (None, "", {}, [])
        fv = follower["value"]
        assert _is_num(fv) or (isinstance(fv, dict) and fv and all(map(_is_num, fv.values())))
        cert = data["certificate"]
        assert isinstance(cert, dict) and cert["passed"] is True
        assert isinstance(cert["checks"], list) and cert["checks"]
        for check in cert["checks"]:
            assert CHECK_KEYS <= set(check) and check["passed"] is True, check
        # every stats entry in seconds is a non-negative number, and every kind reports the
        # wall-clock total under the same key
        secs = {k: v for k, v in data["stats"].items() if k.endswith("_seconds")}
        assert "total_seconds" in secs, sorted(data["stats"])
        assert all(_is_num(v) and v >= 0 for v in secs.values()), secs
    else:
        assert leader["value"] is None and data["message"]
        assert data["certificate"] is None or isinstance(data["certificate"], dict)


@pytest.mark.parametrize("path", SOLVABLE, ids=SOLVABLE_IDS)
def test_verify_round_trip(path, solved):
    code, _, _, out_file = solved(path)
    assert code == 0
    vcode, vout, verr = run_cli("verify", path, out_file)
    assert vcode == 0, f"verify exit {vcode}\n{vout}\n{verr}"
    vcode, vout, _ = run_cli("verify", path, out_file, "--json")
    assert vcode == 0 and json.loads(vout)["passed"] is True


@pytest.mark.parametrize(
    "path",
    [p for p in FILES if expected(p)[0] == 1],
    ids=[rel(p) for p in FILES if expected(p)[0] == 1],
)
def test_verify_of_a_no_solution_result_is_not_bad_input(path, solved):
    """A result stackopt wrote itself (status infeasible/unbounded) is not *bad input*:
    verify confirms the claim (exit 0) or fails to (exit 1), but must not call the file
    malformed (exit 2). A tampered claim (status optimal) must not verify."""
    code, out, _, out_file = solved(path)
    assert code == 1
    vcode, vout, verr = run_cli("verify", path, out_file)
    assert vcode in (0, 1), f"verify exit {vcode}\n{vout}\n{verr}"
    assert "Traceback" not in verr
    data = json.loads(out)
    data["status"] = Status.OPTIMAL.value
    out_file.with_suffix(".optimal.json").write_text(json.dumps(data), encoding="utf-8")
    vcode, vout, verr = run_cli("verify", path, out_file.with_suffix(".optimal.json"))
    assert vcode in (1, 2), f"a no-solution result relabelled optimal: verify exit {vcode}"
    assert "Traceback" not in verr


def _readable_by_highs(path: Path) -> None:
    import highspy

    from stackopt.engines.highs import new_highs

    h = new_highs()
    if "S1::" in path.read_text(errors="replace") or "\nSOS" in path.read_text(errors="replace"):
        # a bilevel problem with no MILP on proven bounds: the exact KKT model with SOS1
        # complementarity, which HiGHS does not read (tests/bilevel/test_export.py checks it)
        return
    status = h.readModel(str(path))
    assert status == highspy.HighsStatus.kOk, f"HiGHS cannot read {path.name}: {status}"
    assert h.getNumCol() > 0, f"{path.name} has no variables"


def _export_args(path: Path, full: bool) -> list[str]:
    if file_kind(path) != "normal_form" or full:
        return []
    actions = game_of(path).follower_actions
    return [] if len(actions) <= EXPORT_ALL_LPS_UP_TO else ["--response", actions[0]]


def _check_export(path: Path, fmt: str, out_dir: Path, full: bool = False) -> None:
    code, out, err = run_cli(
        "export", path, "--format", fmt, "--out", out_dir, *_export_args(path, full)
    )
    want, _ = expected(path)
    kind = file_kind(path)
    if want == 2:
        assert code == 2
        assert_one_line_error(err, str(path))
        return
    if code == 2 and kind not in EXPORT_REQUIRED:
        # a kind may refuse to export a problem (e.g. bilevel without provable big-M), but
        # with the contract's one-line message naming the file
        assert_one_line_error(err, str(path))
        return
    assert code == 0, f"export exit {code}\n{err}"
    written = [Path(line) for line in out.split()]
    assert written, "export printed no file names"
    for f in written:
        assert f.exists() and f.suffix == f".{fmt}" and f.parent == out_dir
        _readable_by_highs(f)


@pytest.mark.parametrize("fmt", ["lp", "mps"])
@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_export_reads_back_into_highs(path, fmt, tmp_path):
    _check_export(path, fmt, tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("STACKOPT_SLOW_FULL"),
    reason="full export of large games: set STACKOPT_SLOW_FULL=1",
)
@pytest.mark.parametrize(
    "path",
    [p for p in FILES if file_kind(p) == "normal_form"],
    ids=[rel(p) for p in FILES if file_kind(p) == "normal_form"],
)
def test_export_every_lp_of_large_normal_form_games(path, tmp_path):
    if not _export_args(path, full=False):
        pytest.skip("small game: every LP is already exported by the fast test")
    _check_export(path, "mps", tmp_path, full=True)


# -- 2. tampered results must not verify ---------------------------------------------------
# A tamper must be a genuine corruption, judged independently of stackopt from the game's
# payoff arrays: the changed answer is no longer a best response, or changes the leader's
# payoff. Degenerate changes (e.g. another of five identical targets) are skipped over.
def _leader_vector(game: Any, commitment: dict) -> list[float]:
    labels = getattr(game, "leader_actions", None) or game.targets
    return [float(commitment[lab]) for lab in labels]


def _payoffs(
    game: Any, kind: str, commitment: dict, typ: str | None, label: str
) -> tuple[float, float] | None:
    """(follower, leader) payoff of response ``label`` (of type ``typ``) at ``commitment``,
    computed here from the game's arrays; ``None`` when this test has no oracle for the kind."""
    import numpy as np

    x = np.array(_leader_vector(game, commitment))
    if kind == "normal_form":
        j = list(game.follower_actions).index(label)
        return float(x @ game.B[:, j]), float(x @ game.A[:, j])
    if kind == "bayesian":
        t = game.types[game.type_names.index(typ)]
        j = list(t.actions).index(label)
        return (
            float(x @ np.asarray(t.follower_payoffs)[:, j]),
            float(x @ np.asarray(t.leader_payoffs)[:, j]),
        )
    if kind == "security":
        lam = 0 if typ is None else list(game.types).index(typ)
        k = list(game.targets).index(label)
        c = x[k]
        return (
            float(game.attacker_covered[lam, k] * c + game.attacker_uncovered[lam, k] * (1 - c)),
            float(game.defender_covered[lam, k] * c + game.defender_uncovered[lam, k] * (1 - c)),
        )
    return None


def _is_corruption(game, kind, commitment, typ, old, new, value_tol=1e-4) -> bool:
    before = _payoffs(game, kind, commitment, typ, old)
    after = _payoffs(game, kind, commitment, typ, new)
    if before is None:
        return True
    return after[0] < before[0] - value_tol or abs(after[1] - before[1]) > value_tol


def _tamper_value(d: dict, game: Any) -> None:
    v = d["leader"]["value"]
    d["leader"]["value"] = v + max(1.0, abs(v)) * 0.1


def _commitment_candidates(c: dict):
    """Move weight between two entries (a probability vector stays one, coverage keeps its
    total, binary decisions are swapped); a single entry is shifted by 1."""
    keys = list(c)
    if len(keys) == 1:
        yield {keys[0]: c[keys[0]] + 1}
        return
    for hi in sorted(keys, key=lambda k: -c[k]):
        for lo in keys:
            if lo == hi or c[hi] <= 0:
                continue
            if isinstance(c[hi], int) and isinstance(c[lo], int):
                new = dict(c)
                new[hi], new[lo] = c[lo], c[hi]
                yield new
                continue
            for delta in (min(0.25, c[hi] / 2), c[hi]):
                new = dict(c)
                new[hi] -= delta
                new[lo] += delta
                if new[lo] <= 1 + 1e-12:
                    yield new


def _commitment_changes_payoffs(game, kind, d: dict, new: dict) -> bool:
    """Independently: under ``new`` the reported response is not a best response of some
    follower (type), or the leader's payoff changes."""
    r = d["follower"]["response"]
    pairs = (
        [(None, r)]
        if isinstance(r, str)
        else list(r.items())
        if isinstance(r, dict) and all(isinstance(v, str) for v in r.values())
        else []
    )
    if not pairs or _payoffs(game, kind, new, pairs[0][0], pairs[0][1]) is None:
        return True
    old = d["leader"]["commitment"]
    for typ, lab in pairs:
        labels = (
            list(game.types[game.type_names.index(typ)].actions)
            if kind == "bayesian"
            else list(getattr(game, "follower_actions", None) or game.targets)
        )
        f_new, l_new = _payoffs(game, kind, new, typ, lab)
        best = max(_payoffs(game, kind, new, typ, other)[0] for other in labels)
        if f_new < best - 1e-4 or abs(l_new - _payoffs(game, kind, old, typ, lab)[1]) > 1e-4:
            return True
    return False


def _tamper_commitment(d: dict, game: Any) -> None:
    for new in _commitment_candidates(d["leader"]["commitment"]):
        if _commitment_changes_payoffs(game, d["kind"], d, new):
            d["leader"]["commitment"] = new
            return
    pytest.skip("every weight shift leaves the answer an equilibrium (degenerate game)")


def _tamper_response(d: dict, game: Any) -> None:
    f = d["follower"]
    r = f["response"]
    kind = d["kind"]
    c = d["leader"]["commitment"]
    if isinstance(r, str):
        labels = getattr(game, "follower_actions", None) or game.targets
        for lab in labels:
            if lab != r and _is_corruption(game, kind, c, None, r, lab):
                f["response"] = lab
                return
    elif kind == "mdp":  # a policy {step: {state: action}}: change the first decision
        step = r["0"] if "0" in r else r
        start = max(game.states, key=lambda st: game.initial[game.states.index(st)])
        step[start] = next(a for a in game.actions if a != step[start])
        return
    elif kind == "interdiction":
        import networkx as nx

        for p in nx.all_simple_paths(game.to_networkx(), game.source, game.target):
            if list(p) != r["path"]:
                f["response"] = {"path": list(p)}
                return
    elif isinstance(r, dict) and all(isinstance(v, str) for v in r.values()):
        for typ, cur in r.items():  # a typed follower: change one type's action
            labels = (
                game.types[game.type_names.index(typ)].actions
                if kind == "bayesian"
                else game.targets
            )
            for lab in labels:
                if lab != cur and _is_corruption(game, kind, c, typ, cur, lab):
                    r[typ] = lab
                    return
    elif isinstance(r, dict):  # variable -> value
        k = next(iter(r))
        r[k] = r[k] + 1.0
        return
    else:
        pytest.fail(f"unexpected response shape {r!r}")
    pytest.skip("every other response is also an equilibrium response (degenerate game)")


TAMPERS = {
    "leader_value": _tamper_value,
    "commitment": _tamper_commitment,
    "response": _tamper_response,
}


@pytest.mark.parametrize("what", list(TAMPERS))
@pytest.mark.parametrize("path", SOLVABLE, ids=SOLVABLE_IDS)
def test_tampered_result_fails_verify(path, what, solved, tmp_path):
    code, out, _, _ = solved(path)
    assert code == 0
    data = copy.deepcopy(json.loads(out))
    TAMPERS[what](data, game_of(path))
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    vcode, vout, verr = run_cli("verify", path, bad)
    assert vcode == 1, f"tampered {what}: verify exit {vcode}\n{vout}\n{verr}"
    assert "Traceback" not in verr
    assert "FAIL" in vout


# -- 4. shared vocabulary ------------------------------------------------------------------
@pytest.mark.parametrize("path", SOLVABLE, ids=SOLVABLE_IDS)
def test_shared_vocabulary(path, solved):
    """The words of the JSON contract, the same in every kind: ``kind`` is the file's kind,
    the certificate's own keys and every check's keys are the same, the tie rule is stated."""
    data = json.loads(solved(path)[1])
    assert data["kind"] == file_kind(path)
    cert = data["certificate"]
    assert {"passed", "checks", "tie_break", "rtol", "atol", "scale", "evidence"} <= set(cert)
    names = [c["name"] for c in cert["checks"]]
    assert len(names) == len(set(names)), f"duplicate check names {names}"
    assert "leader_value" in names and "follower_value" in names, names


def test_export_file_names_never_collide(tmp_path):
    """Labels that sanitise to the same file name ('a-b', 'a+b' -> 'a_b') still give one file
    per follower action, each a valid model."""
    game = tmp_path / "coll.yaml"
    game.write_text(
        "kind: normal_form\nleader: {actions: [u, d]}\n"
        "follower: {actions: ['a-b', 'a+b', 'a_b']}\n"
        "payoffs:\n  leader: [[1, 2, 0], [3, 1, 0]]\n"
        "  follower: [[1, 0, 0], [0, 1, 0]]\n",
        encoding="utf-8",
    )
    out_dir = tmp_path / "out"
    code, out, err = run_cli("export", game, "--out", out_dir)
    assert code == 0, err
    written = [Path(line) for line in out.split()]
    assert len(written) == 3 and len(set(written)) == 3, written
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(p.name for p in written)
    for f in written:
        _readable_by_highs(f)


#: games whose labels (actions, types, targets) differ only in characters LP/MPS names drop
SANITISE_ALIKE = {
    "bayesian": "kind: bayesian\nleader: {actions: ['g-1', 'g+1']}\nfollowers:\n"
    "  - {name: 't-1', prior: 0.5, actions: ['a-b', 'a+b'],\n"
    "     payoffs: {leader: [[1, 0], [0, 1]], follower: [[0, 1], [1, 0]]}}\n"
    "  - {name: 't+1', prior: 0.5, actions: ['a-b', 'a+b'],\n"
    "     payoffs: {leader: [[1, 0], [0, 1]], follower: [[1, 0], [0, 1]]}}\n",
    "security": "kind: security\nresources: 1\ntargets:\n"
    "  - {name: 'a-b', defender: {covered: 1, uncovered: -5},"
    " attacker: {covered: -1, uncovered: 5}}\n"
    "  - {name: 'a+b', defender: {covered: 1, uncovered: -4},"
    " attacker: {covered: -1, uncovered: 4}}\n",
}


@pytest.mark.parametrize("fmt", ["lp", "mps"])
@pytest.mark.parametrize("kind", sorted(SANITISE_ALIKE))
def test_export_of_labels_that_sanitise_alike(kind, fmt, tmp_path):
    game = tmp_path / f"{kind}.yaml"
    game.write_text(SANITISE_ALIKE[kind], encoding="utf-8")
    code, out, err = run_cli("export", game, "--format", fmt, "--out", tmp_path / "out")
    assert code == 0, err
    for line in out.split():
        _readable_by_highs(Path(line))
