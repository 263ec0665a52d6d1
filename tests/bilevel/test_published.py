"""Published optima of classic linear bilevel problems (YAML files under data/bilevel/).

Sources (instance data in each YAML file's header):

* Bard (1998), *Practical Bilevel Optimization*, example 5.1.1 - x=4, y=4, leader -12; with
  the last follower row reversed (the variant of Pyomo/PAO's examples) x=2, y=1, leader -2.
* Candler & Townsley (1982), Comput. Oper. Res. 9(1) - BASBLib ct_1982_01: leader -29.2,
  x=(0, 0.9), y=(0, 0.6, 0.4).
* Clark & Westerberg (1988), Naval Res. Logist. 35(5) - BASBLib cw_1988_01: x=19, y=14,
  leader -37.
* Moore & Bard (1990), Oper. Res. 38(5) - PAO pao/mpr/examples/moore.py: continuous version
  x=8, y=1, leader -18 (the chain core.kkt -> mpec -> gdp.bigm was checked on it); integer
  leader: also x=8, leader -18 (checked by enumeration below); integer follower refused.
* Pineda & Morales (2019), IEEE Trans. Power Syst. 34(3) - PAO pao/mpr/examples/pineda.py:
  max x + y, optimum 102 (x=2, y=100); a big-M below 100 gives the wrong value 1-ish.
"""

from pathlib import Path

import numpy as np
import pytest

from stackopt.errors import UnsupportedError
from stackopt.io.load import load_game
from stackopt.kinds.bilevel.solve import solve_bilevel, verify_bilevel
from stackopt.status import Status
from stackopt.testing.oracles.bilevel import enumerate_active_sets, enumerate_integer_leader

DATA = Path(__file__).resolve().parents[2] / "data" / "bilevel"

PUBLISHED = [
    ("bard.yaml", {"x": 4, "y": 4}, -12.0),
    ("bard_reversed.yaml", {"x": 2, "y": 1}, -2.0),
    ("candler_townsley.yaml", {"x[1]": 0, "x[2]": 0.9, "y[1]": 0, "y[2]": 0.6, "y[3]": 0.4}, -29.2),
    ("clark_westerberg.yaml", {"x": 19, "y": 14}, -37.0),
    ("moore_bard.yaml", {"x": 8, "y": 1}, -18.0),
    ("moore_bard_integer.yaml", {"x": 8, "y": 1}, -18.0),
    ("pineda_morales.yaml", {"x": 2, "y": 100}, 102.0),
]


@pytest.mark.parametrize("method", [None, "bard_moore"])
@pytest.mark.parametrize("fname,point,value", PUBLISHED)
def test_published_optimum(fname, point, value, method):
    p = load_game(DATA / fname)
    r = solve_bilevel(p, method=method)
    assert r.status is Status.OPTIMAL
    assert r.certified, r.message
    assert r.leader.value == pytest.approx(value, abs=1e-6)
    got = {**r.commitment, **r.response}
    for k, v in point.items():
        assert got[k] == pytest.approx(v, abs=1e-6), k


@pytest.mark.parametrize(
    "fname",
    [
        "bard.yaml",
        "bard_reversed.yaml",
        "moore_bard.yaml",
        "clark_westerberg.yaml",
        "pineda_morales.yaml",
    ],
)
def test_published_matches_active_set_enumeration(fname):
    p = load_game(DATA / fname)
    status, value = enumerate_active_sets(p)
    r = solve_bilevel(p)
    assert status == "optimal"
    assert r.leader.value == pytest.approx(value, abs=1e-6)


def test_moore_bard_integer_leader_matches_enumeration():
    p = load_game(DATA / "moore_bard_integer.yaml")
    status, value = enumerate_integer_leader(p)
    assert status == "optimal" and value == pytest.approx(-18.0)
    assert solve_bilevel(p).leader.value == pytest.approx(value, abs=1e-6)


def test_moore_bard_integer_follower_is_refused():
    with pytest.raises(UnsupportedError, match="integer"):
        load_game(DATA / "integer_follower.yaml")


def test_pineda_morales_small_big_m_is_flagged_not_certified():
    """A too-small M (50 < 100) gives a wrong optimum: it must never come out certified."""
    p = load_game(DATA / "pineda_morales.yaml")
    r = solve_bilevel(p, method="kkt_bigm", big_m=50)
    assert not r.certified
    assert r.certificate.check("big_m_valid").passed is False
    assert "WARNING" in r.message or "big-M" in r.message
    assert r.leader.value < 102 - 1  # the wrong answer the big-M produces ...
    cert = verify_bilevel(p, r)  # ... and an independent re-solve exposes it
    assert not cert.check("optimality").passed


def test_kkt_bigm_without_proven_m_is_refused_not_guessed():
    p = load_game(DATA / "pineda_morales.yaml")
    with pytest.raises(UnsupportedError, match="big-M"):
        solve_bilevel(p, method="kkt_bigm")


def test_bard_follower_is_exactly_feasible():
    """PAO left the follower infeasible by 7e-7 on Bard's example; we re-solve the follower."""
    p = load_game(DATA / "moore_bard.yaml")
    r = solve_bilevel(p)
    assert r.certificate.check("follower_feasible").residual <= 1e-9
    x, y = p.vectors(r.commitment, r.response)
    assert np.all(p.follower_rows_x @ x + p.follower_rows_y @ y <= p.follower_rows_upper + 1e-9)
