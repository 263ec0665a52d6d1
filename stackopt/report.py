"""Human-readable reports of results: the compact table printed by ``stackopt solve``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stackopt.result import Result


def fmt(v: Any, digits: int = 6) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return f"{float(v) + 0.0:.{digits}g}"  # + 0.0 turns -0.0 into 0
    return str(v)


def _is_zero(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and abs(float(v)) < 1e-12


def decision_text(mapping: Mapping[str, Any], *, mixed: bool, limit: int = 12) -> str:
    """The entries of a commitment or response for a table: the decision first.

    Non-zero entries come first, in the game's order. Zeros follow when everything fits in
    ``limit`` entries (decision variables) and are otherwise only counted; mixed strategies
    list their support only. The text says how many entries were left out, and whether they
    are zero.
    """
    nonzero = [(str(k), v) for k, v in mapping.items() if not _is_zero(v)]
    zero = [] if mixed else [(str(k), v) for k, v in mapping.items() if _is_zero(v)]
    shown = nonzero[:limit]
    if len(nonzero) + len(zero) <= limit:
        shown += zero
    more_nonzero = len(nonzero) - len(nonzero[:limit])
    more_zero = len(zero) - (len(shown) - len(nonzero[:limit]))
    if not shown:
        return f"all {len(zero)} at 0 (see --json)" if zero else "-"
    text = ", ".join(f"{k} {fmt(v)}" for k, v in shown)
    notes = []
    if more_nonzero:
        notes.append(f"{more_nonzero} more non-zero")
    if more_zero:
        notes.append(f"{more_zero} more at 0")
    if notes:
        text += f", ... ({' and '.join(notes)}; see --json)"
    return text


def policy_text(policy: Mapping[str, Mapping[str, Any]], *, limit: int = 6) -> str:
    """A policy ``step -> {state: action}`` for a table: ``step 0: s0 test, s1 wait; ...``,
    the first ``limit`` steps, and how many more there are."""
    steps = list(policy.items())
    parts = [
        f"step {k}: " + ", ".join(f"{st} {fmt(a)}" for st, a in rule.items())
        for k, rule in steps[:limit]
    ]
    if len(steps) > limit:
        parts.append(f"... ({len(steps) - limit} more steps; see --json)")
    return "; ".join(parts)


def format_result(result: Result) -> str:
    """A compact table: header line, one block per player, certificate and statistics."""
    lines = []
    title = result.game or "(unnamed)"
    lines.append(f"{title} [{result.kind}]  method {result.method}  status {result.status.value}")
    cert = result.certificate
    if result.message and not _restates(result.message, cert):
        lines.append(f"  {result.message}")
    width = max(len(result.leader.name), len(result.follower.name), 8)
    lines.append(f"{'role':<9}{'player':<{width + 2}}{'value':>14}  strategy")
    lv = fmt(result.leader.value)
    # mixed strategies: list the support; decision variables (bilevel, ...): list all
    mixed = _is_mixed(result.kind)
    strat = decision_text(result.leader.commitment, mixed=mixed)
    lines.append(f"{'leader':<9}{result.leader.name:<{width + 2}}{lv:>14}  {strat}")
    resp = result.follower.response
    if isinstance(resp, Mapping) and resp and all(isinstance(v, Mapping) for v in resp.values()):
        rs = policy_text(resp)  # a policy: step -> state -> action (MDPs)
    elif isinstance(resp, Mapping):
        rs = decision_text(resp, mixed=False)
    else:
        rs = fmt(resp)
    fv = result.follower.value
    fvs = (
        fmt(fv)
        if not isinstance(fv, Mapping)
        else ", ".join(f"{k} {fmt(v)}" for k, v in fv.items())
    )
    lines.append(f"{'follower':<9}{result.follower.name:<{width + 2}}{fvs:>14}  {rs}")
    if cert is not None:
        failed = cert.failed()
        # each failure is printed once: the summary line counts them, the lines below name them
        lines.append(
            f"certificate: {cert.summary()}"
            if not failed
            else f"certificate: FAILED {len(failed)} of {len(cert.checks)} checks"
        )
        exact = (cert.evidence or {}).get("exact") or {}
        if exact.get("commitment"):
            ex = ", ".join(f"{k} {v}" for k, v in exact["commitment"].items())
            lines.append(
                f"exact: {ex}; leader value {exact.get('leader_value')}, "
                f"follower value {exact.get('follower_value')}"
            )
        for c in failed:
            lines.append(f"  FAILED {c.name}: {c.detail}")
    stats = dict(result.stats)
    if stats:
        parts = []
        for key in ("lps_solved", "lps_pruned", "lps_dominated", "lps_infeasible"):
            if key in stats:
                parts.append(f"{key.split('_', 1)[1]} {stats[key]}")
        if parts:
            parts[0] = "LPs: " + parts[0]
        for key in ("highs_seconds", "total_seconds"):
            if key in stats:
                parts.append(f"{key.replace('_seconds', '')} {float(stats[key]):.3g} s")
        if parts:
            lines.append("; ".join(parts))
    return "\n".join(lines)


def _restates(message: str, cert: Any) -> bool:
    """Whether ``message`` only repeats the certificate's failure (printed below anyway)."""
    if cert is None or cert.passed:
        return False
    summary = cert.summary()
    if summary.startswith("FAILED "):
        summary = summary[len("FAILED ") :]
    return summary in message


def _is_mixed(kind: str) -> bool:
    """Whether ``kind``'s commitments are distributions (the registry's ``mixed``)."""
    from stackopt.kinds.registry import kinds

    spec = kinds().get(kind)
    return bool(spec and spec.mixed)
