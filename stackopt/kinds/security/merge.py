r"""Identical attacker types merged exactly: one type with the summed prior.

Attacker types :math:`\lambda, \lambda'` are *identical* when all four payoff rows
(:math:`U_d^{c}, U_d^{u}, U_a^{c}, U_a^{u}` over the targets) are bit-identical. Against any
coverage :math:`c` they attack the same set of best targets, and with ties broken for the
defender they attack the same target, so their terms in the defender's value combine into one
term with prior :math:`p_\lambda + p_{\lambda'}`. The ERASER MILP (Kiekintveld et al. 2009) of
the merged game has the same optimal value and optimal coverages, with :math:`T` binaries per
*distinct* type; the merged type's target is an optimal target for every type it stands for.
The answer is mapped back to every original type and certified on the original game.
"""

from __future__ import annotations

from stackopt.kinds.security.game import SecurityGame


def merge_attacker_types(game: SecurityGame) -> tuple[SecurityGame, tuple[int, ...]]:
    """``(merged game, merged type index of each original type)``; the game itself when no
    two types are identical. Types keep their order of first appearance."""
    keys: dict[bytes, int] = {}
    group_of: list[int] = []
    reps: list[int] = []
    priors: list[float] = []
    for lam in range(game.n_types):
        key = b"".join(
            a[lam].tobytes()
            for a in (
                game.defender_covered,
                game.defender_uncovered,
                game.attacker_covered,
                game.attacker_uncovered,
            )
        )
        g = keys.get(key)
        if g is None:
            g = keys[key] = len(reps)
            reps.append(lam)
            priors.append(0.0)
        priors[g] += float(game.priors[lam])
        group_of.append(g)
    if len(reps) == game.n_types:
        return game, tuple(group_of)
    merged = SecurityGame(
        game.targets,
        game.defender_covered[reps],
        game.defender_uncovered[reps],
        game.attacker_covered[reps],
        game.attacker_uncovered[reps],
        game.resources,
        types=tuple(game.types[k] for k in reps),
        priors=tuple(priors),
        defender_name=game.defender_name,
        attacker_name=game.attacker_name,
        name=game.name,
    )
    return merged, tuple(group_of)
