"""Stackelberg MDPs (paper section 4.2): the leader commits, the follower plans an MDP.

Modules: ``game`` (:class:`MDPGame`), ``io_yaml`` (the ``kind: mdp`` YAML and its tidy CSV
files), ``dp`` (backward induction / policy iteration), ``solve`` (solve, verify, export),
``checks`` (the certificate). The MILP is :mod:`stackopt.formulations.mdp_milp`.
"""

from stackopt.kinds.registry import KindSpec, Method, Option

KIND = KindSpec(
    name="mdp",
    summary="Stackelberg MDPs: the leader sets reward parameters / per-state action mixes, "
    "the follower plans (finite horizon or discounted)",
    game=".game:MDPGame",
    methods=(
        Method(
            "kkt_milp",
            "the follower's occupancy LP with complementarity on binary "
            "action choices, big-M proven from the data (leader actions may change "
            "rewards only)",
            optimality="solver-reported",
        ),
        Method(
            "enumerate",
            "every pure commitment over the leader's actions, each MDP "
            "solved by the MILP (parameters) or backward induction",
            optimality="solver-reported",
        ),
    ),
    default_method=None,
    default_doc="kkt_milp unless the leader's actions change transitions (then enumerate, "
    "pure commitments only)",
    options=(
        Option("pure", "bool", False, doc="the leader commits to a pure action only"),
        Option(
            "max_commitments",
            "int",
            4096,
            minimum=1,
            metavar="N",
            doc="enumerate: refuse games with more pure commitments than this",
        ),
    ),
)
