"""Pyomo's chain (core.kkt -> mpec.simple_disjunction -> gdp.bigm) as an independent model.

The Pyomo model is built from the problem by different code (Pyomo's own KKT derivation and
M estimation from variable bounds) and solved through Pyomo's HiGHS interface; its optimum
must equal ours. Unbounded multipliers make gdp.bigm refuse, which must surface as an
UnsupportedError (never a default M).
"""

import re
from pathlib import Path

import pytest

from stackopt.cli import main
from stackopt.errors import UnsupportedError
from stackopt.io.load import load_game
from stackopt.kinds.bilevel.solve import build_model, solve_bilevel
from stackopt.testing.oracles.bilevel import enumerate_active_sets

DATA = Path(__file__).resolve().parents[2] / "data" / "bilevel"


def test_pyomo_kkt_model_matches_our_solution():
    pyo = pytest.importorskip("pyomo.environ")
    from stackopt.engines.highs import _swallow_banner

    p = load_game(DATA / "covering_proven.yaml")
    r = solve_bilevel(p, method="kkt_bigm")
    assert r.method == "kkt_bigm" and r.certified
    status, value = enumerate_active_sets(p)
    assert status == "optimal" and r.leader.value == pytest.approx(value, abs=1e-6)
    default = solve_bilevel(p)  # continuous leader, linear follower: branching by default
    assert default.method == "bard_moore" and default.certified
    assert default.leader.value == pytest.approx(value, abs=1e-6)
    m = build_model(p)
    _swallow_banner()
    from pyomo.contrib.solver.common.factory import SolverFactory

    SolverFactory("highs").solve(m)
    assert pyo.value(m.leader_objective) == pytest.approx(value, abs=1e-5)


def test_pyomo_refuses_unbounded_multipliers():
    with pytest.raises(UnsupportedError, match="gdp.bigm"):
        build_model(load_game(DATA / "bard.yaml"))


def test_cli_export(tmp_path, capsys):
    assert (
        main(
            ["export", str(DATA / "covering_proven.yaml"), "--format", "lp", "--out", str(tmp_path)]
        )
        == 0
    )
    text = (tmp_path / "covering_proven.lp").read_text()
    assert "minimize" in text.lower() or "min" in text.lower()
    # no big-M provable: the normalised KKT MILP is written (was: exit 2, 'field method')
    assert main(["export", str(DATA / "bard.yaml"), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "bard.lp").exists()


def test_docs_matrix_example():
    """The matrix-form example of docs/bilevel.md, run as written there."""
    text = (DATA.parents[1] / "docs" / "bilevel.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "from_matrices" in b]
    names: dict = {}
    exec(block, names)
    r = names["r"]
    assert r.certified and r.leader.value == pytest.approx(-12)
    assert r.commitment == {"x[1]": pytest.approx(4)} and r.response == {"y[1]": pytest.approx(4)}
