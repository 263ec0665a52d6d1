"""Certificate checks for normal-form results, on hand-computed cases."""

from __future__ import annotations

import pytest

from stackopt import Certificate, InputError, NormalFormGame
from stackopt.kinds.normal_form.checks import certify, commitment_vector, pure_values, tolerances

INSP = NormalFormGame(
    [[-1, -6], [0, -10]], [[-1, -10], [0, 5]], ["inspect", "skip"], ["legal", "violate"]
)
X = {"inspect": 5 / 14, "skip": 9 / 14}
# hand-computed: with y_violate = 1/14 both rows of the bound give -1 + 9/14 = -5/14 and
# 0 - 5/14; LP(violate) is bounded by max_i A[i, violate] = -6.
EVIDENCE = {
    "bounds": {
        "legal": {"outcome": "optimal", "multipliers": {"violate": 1 / 14}},
        "violate": {"outcome": "pruned", "bound": -6.0},
    }
}


def _cert(**kw):
    args = dict(
        commitment=X,
        response="legal",
        leader_value=-5 / 14,
        follower_value=-5 / 14,
        evidence=EVIDENCE,
    )
    args.update(kw)
    return certify(
        INSP,
        args.pop("commitment"),
        args.pop("response"),
        args.pop("leader_value"),
        args.pop("follower_value"),
        args.pop("evidence"),
    )


def test_hand_built_certificate_passes():
    c = _cert()
    assert isinstance(c, Certificate) and c.passed
    assert [k.name for k in c.checks] == [
        "commitment",
        "best_response",
        "tie_break",
        "leader_value",
        "follower_value",
        "optimality",
    ]
    assert c.check("optimality").residual == pytest.approx(0.0, abs=1e-15)
    assert c.atol == pytest.approx(1e-5) and c.scale == 10 and c.rtol == 1e-6


def test_tolerances_are_relative_per_player():
    g = NormalFormGame([[1000, -2]], [[0.5, 0]])
    assert tolerances(g, 1e-6) == pytest.approx((1e-3, 5e-7))
    assert tolerances(NormalFormGame([[0]], [[0]]), 1e-4) == (1e-4, 1e-4)


@pytest.mark.parametrize("scale", [1.0, 1000.0, 1e-3])
def test_tolerance_boundary_scales_with_payoffs(scale):
    g = NormalFormGame(INSP.A * scale, INSP.B * scale, INSP.leader_actions, INSP.follower_actions)
    ev = {
        "bounds": {
            "legal": {"multipliers": {"violate": 1 / 14}},
            "violate": {"bound": -6.0 * scale},
        }
    }
    v = -5 / 14 * scale
    atol = 1e-6 * 10 * scale
    ok = certify(g, X, "legal", v + 0.5 * atol, v, ev)
    assert ok.check("leader_value").passed
    bad = certify(g, X, "legal", v + 2 * atol, v, ev)
    assert not bad.check("leader_value").passed and not bad.passed


def test_commitment_checks():
    c = _cert(commitment={"inspect": 0.5, "skip": 0.6})
    assert not c.check("commitment").passed and "sum 1.1" in c.check("commitment").detail
    c = _cert(commitment={"inspect": 1.1, "skip": -0.1})
    assert not c.check("commitment").passed
    # missing labels count as 0
    assert commitment_vector(INSP, {"skip": 1}).tolist() == [0.0, 1.0]
    with pytest.raises(InputError, match="unknown leader action"):
        commitment_vector(INSP, {"audit": 1})
    with pytest.raises(InputError, match="not a number"):
        commitment_vector(INSP, {"skip": None})
    with pytest.raises(InputError, match="non-finite"):
        commitment_vector(INSP, {"skip": float("nan")})


def test_best_response_and_tie_break_failures():
    c = _cert(commitment={"inspect": 0.2, "skip": 0.8}, leader_value=-8.2, follower_value=-2.2)
    assert not c.check("best_response").passed and "'violate'" in c.check("best_response").detail
    # at p = 5/14 both responses tie for the follower; 'violate' gives the leader less
    c = _cert(response="violate", leader_value=-60 / 7 + 0, follower_value=-5 / 14)
    assert c.check("best_response").passed
    assert not c.check("tie_break").passed


def test_missing_values_are_optional():
    c = _cert(leader_value=None, follower_value=None)
    assert c.check("leader_value").passed and c.check("leader_value").detail.startswith(
        "not reported; the game gives -0.357142857"
    )
    assert c.check("best_response").passed


@pytest.mark.parametrize(
    "evidence,words",
    [
        (None, "no optimality bounds"),
        ({"bounds": []}, "no optimality bounds"),
        (
            {"bounds": {"legal": EVIDENCE["bounds"]["legal"]}},
            "no bound for follower action(s) 'violate'",
        ),
        (
            {"bounds": {"legal": {"multipliers": {"violate": -1}}, "violate": {"bound": -6}}},
            "non-negative",
        ),
        (
            {"bounds": {"legal": {"multipliers": {"violate": "x"}}, "violate": {"bound": -6}}},
            "bad bound record",
        ),
        (
            {"bounds": {"legal": {"multipliers": {"nobody": 1}}, "violate": {"bound": -6}}},
            "unknown follower action",
        ),
        (
            {"bounds": {"legal": {"multipliers": {}}, "violate": {"bound": -6}}},
            "'legal' is only bounded by 0",
        ),
        (
            {
                "bounds": {
                    "legal": {"multipliers": {"violate": 1 / 14}},
                    "violate": {"dominated_by": {"legal": 1.0}},
                }
            },
            "margin",
        ),
    ],
)
def test_optimality_failures(evidence, words):
    c = _cert(evidence=evidence)
    assert not c.check("optimality").passed and not c.passed
    assert words in c.check("optimality").detail
    assert c.summary().startswith("FAILED optimality")


def test_pruned_record_bound_is_recomputed_not_trusted():
    """A record's stated 'bound' is ignored: the bound is recomputed from the multipliers."""
    ev = {
        "bounds": {
            "legal": EVIDENCE["bounds"]["legal"],
            "violate": {"bound": -100.0, "multipliers": {}},
        }
    }
    # recomputed bound for violate with y = 0 is max A[:, violate] = -6 < -5/14: passes
    assert _cert(evidence=ev).passed
    g = NormalFormGame([[1, 0], [0, 5]], [[1, 0], [0, 1]])
    ev = {"bounds": {"b0": {"multipliers": {}}, "b1": {"bound": -100.0}}}
    c = certify(g, {"a0": 1.0}, "b0", 1.0, 1.0, ev)
    assert not c.check("optimality").passed  # b1 really gives 5 at a1


def test_dominance_records():
    g = NormalFormGame([[0, 0, 9], [0, 0, 9]], [[4, 0, 1], [0, 4, 1]])
    base = {"b0": {"multipliers": {}}, "b1": {"multipliers": {}}}  # LP(b0), LP(b1) <= 0
    good = dict(base, b2={"dominated_by": {"b0": 0.5, "b1": 0.5}})
    assert certify(g, {"a0": 1}, "b0", 0.0, 4.0, {"bounds": good}).passed
    for bad in (
        {"b0": 0.5},
        {"b0": 0.5, "b1": 0.5, "b2": 0.0001},
        {"b0": 1.0},
        {"b0": -0.5, "b1": 1.5},
        {"b2": 1.0},
    ):
        ev = {"bounds": dict(base, b2={"dominated_by": bad})}
        assert not certify(g, {"a0": 1}, "b0", 0.0, 4.0, ev).check("optimality").passed, bad


PURE = NormalFormGame([[2, 0, 7], [1, 0, 3]], [[1, 1, 0], [0, 1, 1]])


def test_pure_values_break_ties_for_the_leader():
    resp, vals = pure_values(PURE, 1e-9)
    assert resp.tolist() == [0, 2] and vals.tolist() == [2.0, 3.0]


def test_pure_certificate_enumerates():
    g = PURE
    assert certify(g, {"a1": 1}, "b2", 3.0, 1.0, None, pure=True).passed
    c = certify(g, {"a0": 1}, "b0", 2.0, 1.0, None, pure=True)
    assert not c.check("optimality").passed and "'a1' gives 3" in c.check("optimality").detail
    c = certify(g, {"a0": 0.5, "a1": 0.5}, "b1", 0.5, 1.0, None, pure=True)
    assert not c.check("commitment").passed and "pure" in c.check("commitment").detail
