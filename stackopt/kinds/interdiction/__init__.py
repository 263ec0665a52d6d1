"""Shortest-path network interdiction: the leader removes arcs, the follower routes."""

from stackopt.kinds.registry import Column, Frame, KindSpec, Method, Option

ENUMERATE_LIMIT = Option(
    "enumerate_limit",
    "int",
    2000,
    minimum=0,
    doc="prove optimality by enumerating interdictions up to this many",
)

KIND = KindSpec(
    name="interdiction",
    summary="shortest-path interdiction: the leader cuts arcs within a budget",
    game=".game:InterdictionGame",
    methods=(
        Method(
            "dual_milp",
            "Israeli-Wood dual MILP with a proven removal penalty",
            optimality="solver-reported",
            options=(
                Option(
                    "tighten", "bool", False, doc="add the exact potential box and reduced delays"
                ),
            ),
        ),
        Method(
            "lp_dual", "the same model built through Pyomo's LP dual", optimality="solver-reported"
        ),
        Method(
            "benders",
            "Israeli-Wood decomposition: a small master MILP over interdictions "
            "with one cut per follower path (Dijkstra), LP cut loop first; the master's "
            "bound closes the gap",
            optimality="solver-reported",
        ),
    ),
    default_method="dual_milp",
    options=(
        Option("threads", "int", None, minimum=1, doc="HiGHS threads (default: HiGHS's)"),
        ENUMERATE_LIMIT,
    ),
    verify_options=(ENUMERATE_LIMIT,),
    frame=Frame(
        Column("arc", "string", "an arc, 'tail->head'"),
        Column("interdicted", "boolean", "whether the leader interdicts it"),
        (Column("on_path", "boolean", "whether the follower's path uses it"),),
        rows="stackopt.frames:interdiction_rows",
    ),
)
