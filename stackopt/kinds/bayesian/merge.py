r"""Identical follower types merged exactly: one type with the summed prior.

Two types :math:`\ell, \ell'` are *identical* when they have the same action labels and
bit-identical payoff matrices :math:`R^\ell = R^{\ell'}`, :math:`C^\ell = C^{\ell'}`. Against
any commitment :math:`x` they have the same best responses and — with ties broken for the
leader (or against it) by the same rule — the same tie-broken response :math:`j`, so their
terms in the leader's value combine:

.. math::

    p_\ell\, x^\top R^\ell_{\cdot j} + p_{\ell'}\, x^\top R^{\ell'}_{\cdot j}
    = (p_\ell + p_{\ell'})\, x^\top R^\ell_{\cdot j}.

The DOBSS MILP (Paruchuri et al. 2008) of the merged game therefore has the same optimal value
and the same optimal commitments as the original's, with one block of binaries per *distinct*
type instead of per type; an optimal response of the merged type is an optimal response of each
type it stands for (the original's DOBSS optimum may pick different tie-equivalent responses
for identical types, but never a better value). The answer is mapped back to every original
type and certified on the original game.
"""

from __future__ import annotations

from dataclasses import dataclass

from stackopt.kinds.bayesian.game import BayesianGame, FollowerType


@dataclass(frozen=True)
class MergedTypes:
    """The merged game and, for each original type, the index of its merged type."""

    game: BayesianGame
    group_of: tuple[int, ...]

    @property
    def merged(self) -> int:
        """How many types were folded into others (0: nothing to merge)."""
        return len(self.group_of) - len(self.game.types)

    def expand(self, responses: list[int]) -> list[int]:
        """Responses of the merged types (action indices) -> one per original type."""
        return [responses[g] for g in self.group_of]


def merge_identical_types(game: BayesianGame) -> MergedTypes:
    """Fold identical types (same actions, bit-identical ``R`` and ``C``) into the first of
    them, with the summed prior (or weight). Types keep their order of first appearance."""
    keys: dict[tuple, int] = {}
    group_of: list[int] = []
    members: list[list[FollowerType]] = []
    for t in game.types:
        key = (t.actions, t.R.shape, t.R.tobytes(), t.C.tobytes())
        g = keys.get(key)
        if g is None:
            g = keys[key] = len(members)
            members.append([])
        members[g].append(t)
        group_of.append(g)
    if len(members) == len(game.types):
        return MergedTypes(game, tuple(group_of))
    types = tuple(
        FollowerType(
            name=ts[0].name,
            prior=float(sum(t.prior for t in ts)),
            leader_payoffs=ts[0].R,
            follower_payoffs=ts[0].C,
            actions=ts[0].actions,
        )
        for ts in members
    )
    merged = BayesianGame(
        leader_actions=game.leader_actions,
        types=types,
        leader_name=game.leader_name,
        follower_name=game.follower_name,
        name=game.name,
        mode=game.mode,
    )
    return MergedTypes(merged, tuple(group_of))
