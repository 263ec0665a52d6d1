"""The optimality check's bound per record (``checks._record_bound``) against a brute-force
evaluation of the weak-duality bound, with and without the transposed row views."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stackopt.kinds.normal_form.checks import _record_bound, _RowViews, certify
from stackopt.kinds.normal_form.game import NormalFormGame
from stackopt.kinds.normal_form.solve import solve_sse


def brute_bound(A: np.ndarray, B: np.ndarray, k: int, y: dict[int, float]) -> float:
    """max_i (A[i,k] + sum_l y_l (B[i,k] - B[i,l])), one entry at a time."""
    best = -math.inf
    for i in range(A.shape[0]):
        v = A[i, k] + sum(w * (B[i, k] - B[i, l]) for l, w in y.items() if l != k)
        best = max(best, v)
    return best


@pytest.mark.parametrize("seed", range(5))
def test_record_bound_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m, n = rng.integers(2, 9, size=2)
    A, B = rng.standard_normal((m, n)), rng.standard_normal((m, n))
    g = NormalFormGame(A, B)
    rows = _RowViews(g)
    for k in range(n):
        ls = rng.choice(n, size=rng.integers(1, n + 1), replace=False)
        y = {int(l): float(rng.random() * 3) for l in ls}
        rec = {"multipliers": {g.follower_actions[l]: w for l, w in y.items()}}
        want = brute_bound(A, B, k, y)
        assert _record_bound(g, k, rec, 1e-9, None, rows) == pytest.approx(want, abs=1e-12)
        assert _record_bound(g, k, rec, 1e-9) == pytest.approx(want, abs=1e-12)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_huge_multipliers_fail_the_check() -> None:
    """Finite multipliers so large that the bound is NaN (their sum overflows, inf - inf)
    must fail the check, not be skipped as if the action were bounded."""
    A = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    B = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    g = NormalFormGame(A, B)
    r = solve_sse(g)
    ev = dict(r.certificate.evidence)
    bounds = dict(ev["bounds"])
    k = 2  # never a best response; its bound record is replaced by a forged one
    others = [a for i, a in enumerate(g.follower_actions) if i != k]
    bounds[g.follower_actions[k]] = {
        "outcome": "pruned",
        "multipliers": {others[0]: 1e308, others[1]: 1e308},
    }
    ev["bounds"] = bounds
    cert = certify(
        g, r.leader.commitment, r.follower.response, r.leader.value, r.follower.value, ev
    )
    opt = next(c for c in cert.checks if c.name == "optimality")
    assert not opt.passed
    assert "no finite bound" in opt.detail
