"""A forged "disconnected" interdiction result on a game whose path lengths overflow is refused.

Two arcs of finite length 1e308 in series: networkx's Dijkstra sums them to ``inf``, which the
certificate took for "the target is unreachable", so an empty response with value ``inf`` (and
no interdiction at all) was certified optimal although the path s-a-t exists. Passed on
9934c2a and on 2bbde40.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest

import stackopt
from stackopt.kinds.interdiction.checks import shortest

GAME = """\
kind: interdiction
name: overflow
leader: {name: interdictor}
follower: {name: convoy}
source: s
target: t
budget: 1
arcs:
  - {source: s, target: a, length: 1.0e308, delay: 1, cost: 1}
  - {source: a, target: t, length: 1.0e308, delay: 1, cost: 1}
"""

FORGED: dict[str, Any] = {
    "kind": "interdiction",
    "game": "overflow",
    "status": "optimal",
    "method": "milp",
    "leader": {"name": "interdictor", "commitment": {}, "value": "inf"},
    "follower": {"name": "convoy", "response": {"path": []}, "value": "inf"},
    "certificate": {"passed": True, "checks": [], "evidence": {}},
    "options": {},
}


@pytest.fixture(scope="module")
def game(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("overflow") / "game.yaml"
    path.write_text(GAME)
    return stackopt.load_game(path)


def test_the_target_is_reachable_but_the_distance_overflows(game: Any) -> None:
    from stackopt.kinds.interdiction.checks import reachable_distance

    dist, path = shortest(game, {})
    assert path == ["s", "a", "t"] and math.isinf(dist)  # networkx: 1e308 + 1e308 = inf
    assert math.isnan(reachable_distance(game, {}))


def test_an_empty_response_is_not_certified_as_a_disconnection(game: Any) -> None:
    cert = stackopt.verify(game, copy.deepcopy(FORGED))
    assert not cert.passed
    for name in ("best_response", "optimality", "optimality_enumeration"):
        assert not cert.check(name).passed, name


def test_the_real_path_is_not_certified_either(game: Any) -> None:
    # its length is not representable: no distance to certify, so no check on it may pass
    forged = copy.deepcopy(FORGED)
    forged["follower"]["response"] = {"path": ["s", "a", "t"]}
    cert = stackopt.verify(game, forged)
    assert not cert.check("best_response").passed
    assert not cert.check("optimality").passed


def test_an_infeasible_claim_is_not_certified(game: Any) -> None:
    # the 'infeasible' status is re-checked as "no path even without interdiction": the
    # overflowed distance inf passed it (9934c2a, 2bbde40)
    forged = copy.deepcopy(FORGED)
    forged["status"] = "infeasible"
    forged["leader"]["value"] = forged["follower"]["value"] = None
    cert = stackopt.verify(game, forged)
    assert not cert.passed
    assert not cert.check("target_unreachable").passed
