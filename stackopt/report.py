"""Human-readable reports of results: the compact table printed by ``stackopt solve``."""

from __future__ import annotations

from typing import Any, Mapping

from stackopt.result import Result


def fmt(v: Any, digits: int = 6) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return f"{float(v) + 0.0:.{digits}g}"  # + 0.0 turns -0.0 into 0
    return str(v)


def _entries(mapping: Mapping[str, Any], skip_zero: bool) -> list[tuple[str, str]]:
    out = []
    for k, v in mapping.items():
        if skip_zero and isinstance(v, (int, float)) and abs(float(v)) < 1e-12:
            continue
        out.append((str(k), fmt(v)))
    return out


def format_result(result: Result) -> str:
    """A compact table: header line, one block per player, certificate and statistics."""
    lines = []
    title = result.game or "(unnamed)"
    lines.append(f"{title} [{result.kind}]  method {result.method}  status {result.status.value}")
    if result.message:
        lines.append(f"  {result.message}")
    width = max(len(result.leader.name), len(result.follower.name), 8)
    lines.append(f"{'role':<9}{'player':<{width + 2}}{'value':>14}  strategy")
    lv = fmt(result.leader.value)
    # mixed strategies: list the support; decision variables (bilevel, ...): list all
    mixed = _is_mixed(result.kind)
    commit = _entries(result.leader.commitment, skip_zero=mixed)
    if len(commit) > 12:
        commit = commit[:12] + [("...", f"({len(commit) - 12} more; see --json)")]
    strat = ", ".join(f"{k} {v}" for k, v in commit) or "-"
    lines.append(f"{'leader':<9}{result.leader.name:<{width + 2}}{lv:>14}  {strat}")
    resp = result.follower.response
    if isinstance(resp, Mapping):
        rs = ", ".join(f"{k} {v}" for k, v in _entries(resp, skip_zero=False)) or "-"
    else:
        rs = fmt(resp)
    fv = result.follower.value
    fvs = fmt(fv) if not isinstance(fv, Mapping) else \
        ", ".join(f"{k} {fmt(v)}" for k, v in fv.items())
    lines.append(f"{'follower':<9}{result.follower.name:<{width + 2}}{fvs:>14}  {rs}")
    if result.certificate is not None:
        lines.append(f"certificate: {result.certificate.summary()}")
        exact = (result.certificate.evidence or {}).get("exact") or {}
        if exact.get("commitment"):
            ex = ", ".join(f"{k} {v}" for k, v in exact["commitment"].items())
            lines.append(f"exact: {ex}; leader value {exact.get('leader_value')}, "
                         f"follower value {exact.get('follower_value')}")
        for c in result.certificate.failed():
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


def _is_mixed(kind: str) -> bool:
    """Whether ``kind``'s commitments are distributions (the registry's ``mixed``)."""
    from stackopt.kinds.registry import kinds

    spec = kinds().get(kind)
    return bool(spec and spec.mixed)
