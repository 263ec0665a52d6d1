"""Writing a batch's results out as files that ``stackopt verify`` re-checks one by one.

Every line of the store keeps the scenario's full result JSON (``result``). For each scenario
with a result, :func:`export_results` writes ``DIR/<id>.json`` (that result) and, when the game
is not a file of its own (a template with parameters, or a model), ``DIR/<id>.game.yaml`` (the
game the scenario solved: the template's document with the overrides applied, or the model's
normal-form game). ``DIR/index.csv`` lists ``scenario,game,result``; then::

    stackopt verify DIR/s0001.game.yaml DIR/s0001.json
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path
from typing import Any

from stackopt.errors import InputError


def check_directory(directory: str | os.PathLike) -> Path:
    p = Path(directory)
    if p.exists() and not p.is_dir():
        raise InputError(
            "is a file, not a directory",
            source=str(p),
            field="--export-results",
            fix="name a directory",
        )
    return p


def _safe(name: str, used: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "scenario"
    base = base[:100]
    out, n = base, 1
    while out in used:
        n += 1
        out = f"{base}-{n}"
    used.add(out)
    return out


def export_results(
    sset: Any, *, out: str | os.PathLike | None, directory: str | os.PathLike, table: Any = None
) -> Path:
    """Write each scenario's result (and game, when needed) into ``directory``."""
    import yaml

    from stackopt.batch.spaces import apply_overrides
    from stackopt.batch.store import latest, read_store, store_path

    if out is None:
        raise InputError(
            "--export-results needs --out (the results are read from its store)",
            field="--export-results",
            fix="add --out FILE.csv",
        )
    root = check_directory(directory)
    root.mkdir(parents=True, exist_ok=True)
    records = latest(read_store(store_path(out)))
    used: set[str] = set()
    index = []
    for sc in sset.scenarios:
        rec = records.get(sc.key)
        if not rec or not rec.get("result"):
            continue
        name = _safe(sc.id, used)
        result_path = root / f"{name}.json"
        result_path.write_text(
            json.dumps(rec["result"], indent=2, allow_nan=False) + "\n", encoding="utf-8"
        )
        source = sc.source
        if "file" in source:
            game = source["file"]
        else:
            game_path = root / f"{name}.game.yaml"
            if "template" in source:
                doc = apply_overrides(source["template"], sc.params)
            else:
                doc = _model_document(source["model"], sc.params)
            if doc is None:
                game = ""
            else:
                game_path.write_text(
                    yaml.safe_dump(doc, sort_keys=False, default_flow_style=None), encoding="utf-8"
                )
                game = str(game_path)
        index.append((sc.id, game, str(result_path)))
    with open(root / "index.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["scenario", "game", "result"])
        w.writerows(index)
    return root


def _model_document(model: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """The YAML document of a model's game, when its kind can be written (normal form)."""
    from stackopt.kinds.normal_form.game import NormalFormGame
    from stackopt.kinds.normal_form.io_yaml import normal_form_to_dict
    from stackopt.models import load_model

    game = load_model(model, **params)
    if isinstance(game, NormalFormGame):
        return normal_form_to_dict(game)
    return None
