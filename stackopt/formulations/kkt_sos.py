r"""KKT single-level model of a bilevel problem with complementarity as SOS1 sets (no big-M).

Columns ``[x, y, lambda, mu, s]``: the KKT relaxation of :func:`.bilevel_form.kkt_matrix` plus
one slack ``s_i = r_i - R_i x - P_i y >= 0`` per follower ``<=`` row, and the SOS1 sets
``{lambda_i, s_i}`` (at most one non-zero), which state complementarity
:math:`\lambda_i s_i = 0` exactly, with no bound on either. This is the model the Bard-Moore
branching (:mod:`stackopt.engines.bard_moore`) solves - it branches on exactly these pairs - and
the model ``stackopt export`` writes when no big-M can be proven; solvers with SOS support
(the LP and MPS formats carry SOS sections) solve it as it stands.

Reference: J. F. Bard, J. T. Moore (1990), SIAM J. Sci. Stat. Comput. 11(2), 281-292.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from stackopt.formulations.bilevel_form import FollowerForm, KKTModel, kkt_matrix
from stackopt.kinds.bilevel.game import BilevelProblem


@dataclass(frozen=True)
class KKTSOS(KKTModel):
    """The arrays; ``sos1`` lists the column pairs ``(lambda_i, s_i)``; ``base`` the blocks."""

    i_s: int
    sos1: tuple[tuple[int, int], ...]


def build_kkt_sos(problem: BilevelProblem, form: FollowerForm | None = None) -> KKTSOS:
    """Assemble the KKT model with SOS1 complementarity (see the module docstring)."""
    km = kkt_matrix(problem, form)
    f = km.form
    k, n0 = f.k, km.n_cols
    sos = tuple((km.il + i, n0 + i) for i in range(k))
    return KKTSOS.below(
        km,
        km.slack_rows(sp.identity(k, format="csr"), n0),  # R_i x + P_i y + s_i = r_i
        f.r,
        f.r,
        np.zeros(k),
        np.full(k, np.inf),
        np.zeros(k, dtype=np.int32),
        n0,
        sos,
    )
