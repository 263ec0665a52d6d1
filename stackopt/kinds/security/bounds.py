r"""Weak-duality bounds of the one-type coverage LPs, recomputed from compact or full multipliers.

For a target :math:`j`, LP(:math:`j`) of :mod:`stackopt.formulations.security_lps` (Kiekintveld
et al. 2009, §4) maximises :math:`U_d^u(j) + \Delta_d(j) c_j` over coverages that make
:math:`j` a best response. For *any* :math:`\mu_t \ge 0` (:math:`t \ne j`) and :math:`\nu \ge 0`
Lagrangian duality over the box :math:`[0, 1]^T` gives

.. math::

    B_j(\mu, \nu) = U_d^u(j) + \nu m + \sum_{t \ne j} \mu_t \big(U_a^u(j) - U_a^u(t)\big)
    + \sum_{t \ne j} \big(\Delta_a(t)\mu_t - \nu\big)^+
    + \big(\Delta_d(j) - \Delta_a(j) \textstyle\sum_{t \ne j} \mu_t - \nu\big)^+
    \;\ge\; \mathrm{LP}(j).

**Bound records** (``certificate.evidence.bounds[label]``). A record gives ``nu``, an optional
``kappa`` and a mapping ``mu`` of *explicit* multipliers; the multipliers it stands for are

.. math::

    \mu_t = \begin{cases} \texttt{mu}[t] & t \in \texttt{mu} \\
    \nu / \Delta_a(t) & t \notin \texttt{mu},\ U_a^u(t) \ge \kappa,\ \Delta_a(t) > 0 \\
    0 & \text{otherwise} \end{cases} \qquad (t \ne j).

Without ``kappa`` (every record written before this compact form) this is the explicit
``mu``, the old format, read unchanged. Every such :math:`\mu` is non-negative, so *any*
record — forged or not — yields a valid upper bound; a wrong ``(nu, kappa)`` can only give a
weaker bound, which then fails the optimality check.

**Why one** :math:`(\nu, \kappa)` **and at most one explicit entry suffice** (linear-size
evidence). Substituting :math:`k = U_a^u(j) - \Delta_a(j) c_j` (the attacker's value),
LP(:math:`j`) minimises :math:`k` subject to :math:`k \ge U_a^c(t)` for :math:`t \ne j`
(:math:`c_t \le 1`), :math:`U_a^c(j) \le k \le U_a^u(j)` and
:math:`g(k) = \sum_t (U_a^u(t) - k)^+ / \Delta_a(t) \le m`, each target taking the least
coverage :math:`c_t = (U_a^u(t) - k)^+/\Delta_a(t)` that keeps it no better than :math:`j`. So
:math:`k^* = \max(\max_{t\ne j} U_a^c(t),\ U_a^c(j),\ k_m)` with :math:`g(k_m) = m`, and the
value is :math:`U_d^u(j) + \Delta_d(j)(U_a^u(j) - k^*)/\Delta_a(j)`. The three cases have
optimal multipliers of the record form:

* :math:`k^* = U_a^c(j)` (:math:`c_j = 1`): :math:`\mu = 0, \nu = 0`,
  :math:`B_j = U_d^c(j)`;
* :math:`k^* = U_a^c(s)`, :math:`s \ne j` (target :math:`s` fully covered): the single
  explicit entry :math:`\mu_s = \Delta_d(j)/\Delta_a(j)`, :math:`\nu = 0`, giving
  :math:`B_j = U_d^u(j) + \Delta_d(j)(U_a^u(j) - U_a^c(s))/\Delta_a(j)`;
* :math:`k^* = k_m` (resources bind): :math:`\kappa = k^*`,
  :math:`\nu = \Delta_d(j) / (1 + \Delta_a(j) H)` with
  :math:`H = \sum_{t \ne j, U_a^u(t) \ge \kappa} 1/\Delta_a(t)`; then the positive parts vanish
  and :math:`B_j = U_d^u(j) + \nu\,(m + \sum_{t \ne j, U_a^u(t)\ge\kappa}
  (U_a^u(j) - U_a^u(t))/\Delta_a(t))`, which :math:`g(k^*) = m` turns into the LP value.
  (Targets with :math:`U_a^u(t) = \kappa` exactly change neither side.)

A target that is never a best response has a record of the same form whose bound is below every
defender payoff (the closed-form rays of :mod:`stackopt.engines.security_lps`).

**Rounding.** The bound is evaluated in floating point, and to it is added the margin
:math:`4 (T + 8)\,u\,M_j`, :math:`u = 2^{-53}`, :math:`M_j` the sum of the absolute values of
every term of :math:`B_j` (each positive part counted as
:math:`\Delta_a(t)\mu_t + \nu`) — at least the accumulated rounding error of the evaluation, so
huge forged multipliers cannot turn cancellation error into a false certificate. Overflow or a
non-finite result gives an infinite bound. Implied multipliers are the reals
:math:`\mu_t = \nu\,\mathrm{fl}(1/\Delta_a(t))`; their positive parts
:math:`\nu(\Delta_a(t)\mathrm{fl}(1/\Delta_a(t)) - 1)^+ \le u\nu` are bounded by
:math:`2u\nu` each instead of evaluated, and their sums are row-times-vector products
(one dense block of records by targets at a time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from stackopt.checks.common import is_finite_number

_INF = float("inf")
#: Unit roundoff of IEEE double precision.
UNIT_ROUNDOFF = 2.0**-53
#: Entries (records x targets) per dense block: small enough to stay in cache (measured).
_BLOCK_ENTRIES = 1 << 16


@dataclass(frozen=True)
class ParsedRecords:
    """Bound records as arrays: record ``r`` bounds LP(``target[r]``)."""

    target: np.ndarray  # (R,) int
    nu: np.ndarray  # (R,) float >= 0
    kappa: np.ndarray  # (R,) float; NaN = no implied multipliers
    e_rec: np.ndarray  # (E,) record index of each explicit multiplier
    e_tgt: np.ndarray  # (E,) its target
    e_val: np.ndarray  # (E,) its value >= 0


def _number(v: Any, what: str, *, nonneg: bool) -> float:
    if type(v) is float and -_INF < v < _INF and (v >= 0.0 or not nonneg):
        return v  # the common case, checked without the general path
    if not is_finite_number(v):
        raise ValueError(f"{what} must be a finite number, got {str(v)[:40]!r}")
    x = float(v)
    if nonneg and x < 0:
        raise ValueError(f"{what} must be non-negative, got {x!r}")
    return x


def parse_record(
    rec: Mapping[str, Any], index_of: Any
) -> tuple[float, float, list[int], list[float]]:
    """``(nu, kappa or NaN, explicit targets, explicit values)`` of one record; raises
    ``ValueError`` / ``TypeError`` (or ``index_of``'s error for an unknown label)."""
    nu = _number(rec.get("nu", 0.0), "nu", nonneg=True)
    raw_kappa = rec.get("kappa")
    kappa = np.nan if raw_kappa is None else _number(raw_kappa, "kappa", nonneg=False)
    raw_mu = rec.get("mu") or {}
    if not isinstance(raw_mu, Mapping):
        raise TypeError("mu must map targets to multipliers")
    tg: list[int] = []
    vals: list[float] = []
    for lab, w in raw_mu.items():
        tg.append(index_of(lab))
        vals.append(_number(w, "a multiplier in mu", nonneg=True))
    if len(set(tg)) != len(tg):
        raise ValueError("mu names a target twice")
    return nu, kappa, tg, vals


def lagrangian_bounds(
    dc: np.ndarray,
    du: np.ndarray,
    ac: np.ndarray,
    au: np.ndarray,
    m: float,
    recs: ParsedRecords,
) -> np.ndarray:
    r"""Sound upper bounds :math:`B_j(\mu, \nu) + \text{margin}` on LP(``recs.target[r]``) for
    every record ``r`` (``inf`` when not finite); see the module docstring."""
    T = int(dc.size)
    da, dd = au - ac, dc - du
    j = recs.target
    R = j.size
    nu = recs.nu
    aj = au[j]
    # explicit multipliers (t != j; parse_record refuses a target named twice)
    keep = recs.e_tgt != j[recs.e_rec]
    er, et, ev = recs.e_rec[keep], recs.e_tgt[keep], recs.e_val[keep]
    diff = aj[er] - au[et]

    def per_record(weights: np.ndarray) -> np.ndarray:
        return np.bincount(er, weights, minlength=R).astype(float)

    with np.errstate(over="ignore", invalid="ignore"):
        lin = per_record(ev * diff)
        mag = per_record(ev * np.abs(diff)) + per_record(da[et] * ev + nu[er])
        ssum = per_record(ev)
        pos = per_record(np.maximum(da[et] * ev - nu[er], 0.0))
    # implied multipliers nu / da_t on {t != j : au_t >= kappa, da_t > 0, t not explicit}
    implied = np.flatnonzero(np.isfinite(recs.kappa) & (nu > 0))
    if implied.size:
        inv = np.zeros(T)
        ok = da > 0
        inv[ok] = 1.0 / da[ok]
        step = max(1, _BLOCK_ENTRIES // max(T, 1))
        loc = np.full(R, -1, dtype=np.intp)
        for lo in range(0, implied.size, step):
            rows = implied[lo : lo + step]
            n = rows.size
            mask = (au[None, :] >= recs.kappa[rows, None]) & ok[None, :]
            mask[np.arange(n), j[rows]] = False
            loc[rows] = np.arange(n)
            sel = loc[recs.e_rec] >= 0  # explicit entries replace implied ones
            mask[loc[recs.e_rec[sel]], recs.e_tgt[sel]] = False
            loc[rows] = -1
            mf = mask.astype(float)
            x = mf * (aj[rows, None] - au[None, :])  # (U_a^u(j) - U_a^u(t)) on the implied set
            nr = nu[rows]
            with np.errstate(over="ignore", invalid="ignore"):
                lin[rows] += nr * (x @ inv)
                mag[rows] += nr * (np.abs(x) @ inv)
                ssum[rows] += nr * (mf @ inv)
                # Delta_a(t) mu_t - nu = nu (Delta_a(t) fl(1/Delta_a(t)) - 1), at most u nu
                cnt = mf.sum(axis=1)
                pos[rows] += 2.0 * UNIT_ROUNDOFF * cnt * nr
                mag[rows] += 2.0 * cnt * nr
    with np.errstate(over="ignore", invalid="ignore"):
        last = dd[j] - da[j] * ssum - nu
        b = du[j] + nu * m + lin + pos + np.maximum(last, 0.0)
        mag += np.abs(du[j]) + nu * m + np.abs(dd[j]) + da[j] * ssum + nu
        margin = 4.0 * (T + 8) * UNIT_ROUNDOFF * mag
        out = b + margin
    return np.where(np.isfinite(b) & np.isfinite(margin), out, np.inf)


def parse_records(
    labels: tuple[str, ...] | list[str],
    bounds: Mapping[str, Any],
    index_of: Any,
    errors: tuple[type[Exception], ...],
) -> tuple[ParsedRecords, dict[int, Exception]]:
    """Parse every well-formed record of ``bounds`` (keyed by target label); returns the arrays
    and, per target index, the error of a malformed record (missing records are skipped)."""
    tgt: list[int] = []
    et: list[int] = []
    er: list[int] = []
    nus: list[float] = []
    kappas: list[float] = []
    ev: list[float] = []
    bad: dict[int, Exception] = {}
    for k, label in enumerate(labels):
        rec = bounds.get(label)
        if not isinstance(rec, Mapping):
            continue
        try:
            nu, kappa, ts, vs = parse_record(rec, index_of)
        except errors as exc:
            bad[k] = exc
            continue
        r = len(tgt)
        tgt.append(k)
        nus.append(nu)
        kappas.append(kappa)
        er.extend([r] * len(ts))
        et.extend(ts)
        ev.extend(vs)
    return (
        ParsedRecords(
            np.asarray(tgt, dtype=np.intp),
            np.asarray(nus, dtype=float),
            np.asarray(kappas, dtype=float),
            np.asarray(er, dtype=np.intp),
            np.asarray(et, dtype=np.intp),
            np.asarray(ev, dtype=float),
        ),
        bad,
    )
