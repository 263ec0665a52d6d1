"""Bayesian Stackelberg games (follower types with priors, or independent followers)."""

from stackopt.kinds.registry import Column, Frame, KindSpec, Method, Option

MAX_PROFILES = Option(
    "max_profiles",
    "int",
    5000,
    minimum=1,
    doc="largest number of response profiles the Harsanyi game may have",
)

KIND = KindSpec(
    name="bayesian",
    summary="a leader against follower types drawn from a prior, or independent followers",
    game=".game:BayesianGame",
    methods=(
        Method(
            "dobss",
            "DOBSS MILP with big-M proven from payoff ranges, polished by the LP "
            "of its response profile",
            optimality="solver-reported",
        ),
        Method(
            "harsanyi",
            "multiple LPs on the Harsanyi-transformed game (one duality bound "
            "per response profile)",
        ),
        Method("harsanyi_weak_lps", "adversarial ties on the Harsanyi game", solvable=False),
    ),
    default_method=None,
    default_doc="dobss for leader ties, harsanyi for adversarial ties",
    options=(
        MAX_PROFILES,
        Option(
            "epsilon",
            "float",
            1e-3,
            minimum=0.0,
            exclusive_minimum=True,
            doc="adversarial ties: the strict commitment's distance to the supremum",
        ),
    ),
    tie_breaks=("leader", "adversarial"),
    mixed=True,
    verify_options=(MAX_PROFILES,),
    frame=Frame(
        Column("action", "string", "a leader action"),
        Column("probability", "float64", "its probability in the commitment"),
        (Column("responses", "string", "type=action for every follower type"),),
        rows="stackopt.frames:bayesian_rows",
    ),
)
