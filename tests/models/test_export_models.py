"""``stackopt export`` takes model names and ``--set`` as ``solve`` does."""

from __future__ import annotations

import highspy

from stackopt.cli import main


def test_export_a_bundled_model_with_overrides_reads_back_into_highs(tmp_path, capsys):
    assert (
        main(["export", "ai_assets_security", "--set", "resources=1", "--out", str(tmp_path)]) == 0
    )
    path = tmp_path / "ai_assets_security.lp"
    assert capsys.readouterr().out.strip() == str(path)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    assert h.readModel(str(path)) == highspy.HighsStatus.kOk


def test_export_refuses_parameters_for_a_plain_game(capsys):
    assert main(["export", "data/inspection.yaml", "--set", "x=1"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "not a model file" in err
