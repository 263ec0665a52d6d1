"""Bilevel programs: a leader's decision, a follower's linear or convex-quadratic program."""

from stackopt.kinds.registry import Column, Frame, KindSpec, Method, Option

KIND = KindSpec(
    name="bilevel",
    summary="linear / convex-quadratic-follower bilevel programs, continuous or integer leader",
    game=".game:BilevelProblem",
    methods=(
        Method(
            "kkt_bigm",
            "follower KKT conditions with big-M proven by LP (primal slacks, dual region)",
            optimality="solver-reported",
        ),
        Method(
            "kkt_normalized",
            "KKT MILP with normalised multipliers (no big-M needed)",
            optimality="solver-reported",
        ),
        Method(
            "strong_duality",
            "strong duality with binary expansion of integer leaders "
            "(and of rates in bilinear leader objectives)",
            optimality="solver-reported",
        ),
        Method(
            "bard_moore",
            "exact branching on complementarity pairs (Bard-Moore); "
            "bilinear leader objectives via the revenue identity",
            options=(
                Option(
                    "max_nodes",
                    "int",
                    None,
                    minimum=1,
                    metavar="N",
                    doc="node limit of the branching",
                ),
            ),
        ),
    ),
    default_method=None,
    default_doc="bard_moore for continuous leaders and linear followers; otherwise kkt_bigm "
    "when every big-M is proven, else strong_duality when proven, else bard_moore; bilinear "
    "leader "
    "objectives: bard_moore (revenue identity) where it applies, else "
    "strong_duality",
    options=(
        Option(
            "big_m",
            "float",
            None,
            minimum=0.0,
            exclusive_minimum=True,
            metavar="M",
            doc="a big-M to use where none can be proven (the result is then never certified)",
        ),
        Option(
            "rate_step",
            "float",
            None,
            minimum=0.0,
            exclusive_minimum=True,
            metavar="H",
            doc="bilinear leader objectives: discretise continuous rates on this step (an "
            "approximation: status feasible with an error bound)",
        ),
    ),
    verify_options=(
        Option("resolve", "bool", True, doc="re-solve independently to check optimality"),
    ),
    frame=Frame(
        Column("variable", "string", "a leader variable"), Column("value", "float64", "its value")
    ),
)
