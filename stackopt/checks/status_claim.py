"""The ``status`` a result states, checked against what its kind can report.

``verify`` re-checks the answer (commitment, response, values, optimality evidence); this check
adds the claim around it. A finite game (normal-form, Bayesian, security) always has a strong
Stackelberg equilibrium, and a shortest-path interdiction with a reachable target always has an
optimal interdiction, so such a result stating ``infeasible``, ``unbounded`` or ``error`` next
to a valid answer is a wrong claim and must not verify. Kinds that can decide infeasibility
(bilevel) check their status claims themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from stackopt.certificate import Certificate, Check
from stackopt.status import Status


def with_status_check(
    cert: Certificate, status: Status, allowed: Iterable[Status], *, why: str
) -> Certificate:
    """``cert`` plus a failing ``status`` check when ``status`` is not in ``allowed``.

    ``why`` says why only those statuses are possible (shown in the check's detail).
    """
    allowed = tuple(allowed)
    if status in allowed:
        return cert
    names = " or ".join(repr(s.value) for s in allowed)
    check = Check(
        "status",
        False,
        None,
        0.0,
        f"the result says {status.value!r}, but {why} (expected {names})",
    )
    return replace(cert, checks=cert.checks + (check,))
