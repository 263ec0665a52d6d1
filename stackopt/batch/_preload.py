"""Imported once by the process pool's fork server, before it forks the workers.

It imports what a first scenario would (the kind registry and every kind's declaration, the
YAML and pydantic layers, the normal-form solver modules, ``highspy``) and validates a tiny
game, so that each worker starts warm. Nothing here starts a thread or creates a HiGHS
instance: forking a process that runs threads is unsafe.
"""

from __future__ import annotations

import contextlib
import importlib


def warm() -> None:
    from stackopt.io.load import parse_game
    from stackopt.kinds.registry import kinds

    for spec in kinds().values():  # every kind's declaration and its game class
        with contextlib.suppress(Exception):  # a broken plug-in must not stop the pool
            spec.game_class()
    for name in (
        "highspy",
        "stackopt.api",
        "stackopt.kinds.normal_form.solve",
        "stackopt.batch.worker",
    ):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    parse_game({"kind": "normal_form", "payoffs": {"leader": [[0, 1]], "follower": [[1, 0]]}})


warm()
