"""``stackopt export`` of bilevel problems writes the model the solve uses (issue 7, item 6).

Was: 10 of the 12 bundled files failed with "gdp.bigm ... Cannot estimate M", reported as bad
input in field 'method'. Now: the proven-M KKT MILP when every M is proven, else the exact KKT
model with SOS1 complementarity (no M at all). Independent oracle for the SOS1 model: enumerate
every complementarity pattern (lambda_i = 0 or s_i = 0) and solve the LPs with SciPy's linprog;
the best pattern must equal the leader's optimum that ``solve_bilevel`` certifies.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

import stackopt
from stackopt.kinds.bilevel.export import choose_export, export_models

REPO = Path(__file__).resolve().parents[2]
FILES = sorted(
    p for p in (REPO / "data" / "bilevel").glob("*.yaml") if p.name != "integer_follower.yaml"
)  # refused on purpose when loading


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_export_cli_works_on_every_bundled_bilevel_file(path, tmp_path, capsys):
    from stackopt.cli import main

    code = main(["export", str(path), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "field 'method'" not in err
    written = tmp_path / f"{path.stem}.lp"
    assert written.exists() and written.stat().st_size > 0
    text = written.read_text()
    game = stackopt.load_game(path)
    method, _, sos = choose_export(game)
    assert ("SOS" in text) == bool(sos)
    if method == "bard_moore":
        assert "S1::" in text


def _pattern_optimum(milp, sos) -> tuple[str, float | None]:
    from scipy.optimize import linprog

    A = milp.A.toarray()
    lo, hi = milp.row_lo, milp.row_hi
    eq = lo == hi
    le_hi = ~eq & np.isfinite(hi)
    ge_lo = ~eq & np.isfinite(lo)
    A_ub = np.vstack([A[le_hi], -A[ge_lo]])
    b_ub = np.concatenate([hi[le_hi], -lo[ge_lo]])
    best, unbounded, feasible = np.inf, False, False
    for pattern in itertools.product((0, 1), repeat=len(sos)):
        clo = milp.col_lo.copy()
        chi = milp.col_hi.copy()
        for (lam, s), which in zip(sos, pattern):
            chi[lam if which == 0 else s] = 0.0
        bounds = [
            (None if not np.isfinite(a) else a, None if not np.isfinite(b) else b)
            for a, b in zip(clo, chi)
        ]
        integ = np.asarray(milp.integrality)
        res = linprog(
            milp.cost,
            A_ub=A_ub,
            b_ub=b_ub,
            A_eq=A[eq],
            b_eq=hi[eq],
            bounds=bounds,
            integrality=integ if integ.any() else None,
            method="highs",
        )
        if res.status == 0:
            feasible = True
            best = min(best, res.fun)
        elif res.status == 3:
            unbounded = True
    if unbounded:
        return "unbounded", None
    return ("optimal", best) if feasible else ("infeasible", None)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_exported_sos1_model_has_the_bilevel_optimum(path):
    game = stackopt.load_game(path)
    _, milp, sos = choose_export(game, "bard_moore")
    if len(sos) > 10:
        pytest.skip("too many complementarity pairs to enumerate")
    status, value = _pattern_optimum(milp, sos)
    result = stackopt.solve(game)
    if result.status.value == "optimal":
        assert status == "optimal"
        leader_min = game.leader_sign * (result.leader.value - game.leader_constant)
        assert value == pytest.approx(leader_min, abs=1e-6 * max(1.0, abs(leader_min)))
    elif result.status.value == "infeasible":
        assert status == "infeasible"
    # unbounded bilevel problems: the inducible region is unbounded in the leader's direction,
    # and some pattern's LP (a relaxation of it) is unbounded too
    elif result.status.value == "unbounded":
        assert status == "unbounded"


def test_exported_proven_big_m_lp_file_solves_to_the_optimum(tmp_path):
    import highspy

    path = REPO / "data" / "bilevel" / "covering_proven.yaml"
    game = stackopt.load_game(path)
    models = export_models(game)
    assert models[""].stackopt_method == "kkt_bigm"
    f = tmp_path / "m.mps"
    models[""].write(str(f), io_options={"symbolic_solver_labels": True})
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(f))
    h.run()
    result = stackopt.solve(game)
    leader_min = game.leader_sign * (result.leader.value - game.leader_constant)
    assert h.getInfo().objective_function_value == pytest.approx(leader_min, abs=1e-6)


def test_a_method_that_cannot_be_built_is_refused_without_blaming_the_user():
    game = stackopt.load_game(REPO / "data" / "bilevel" / "bard.yaml")
    with pytest.raises(stackopt.UnsupportedError) as exc:
        export_models(game, method="kkt_bigm")
    assert exc.value.field is None and "export without --method" in str(exc.value)
