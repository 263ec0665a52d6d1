"""Compact security games: coverage of targets against one or several attacker types."""

from stackopt.kinds.registry import Column, Frame, KindSpec, Method, Option

KIND = KindSpec(
    name="security",
    summary="a defender covers targets with limited resources; attackers pick a target",
    game=".game:SecurityGame",
    methods=(
        Method(
            "multiple_lps",
            "one coverage LP per attacked target (one attacker type); a "
            "duality bound per target proves optimality",
            options=(
                Option(
                    "engine",
                    "str",
                    "highs",
                    choices=("highs", "pyomo"),
                    doc="highs (in place, fast) or pyomo (cross-check)",
                ),
                Option(
                    "prune", "bool", True, doc="skip targets whose bound cannot beat the incumbent"
                ),
            ),
        ),
        Method("eraser", "ERASER MILP for several attacker types", optimality="solver-reported"),
    ),
    default_method=None,
    default_doc="multiple_lps for one attacker type, eraser for several",
    mixed=True,
    frame=Frame(
        Column("target", "string", "a target"),
        Column("coverage", "float64", "the probability that it is protected"),
        (Column("attacked", "boolean", "whether some attacker type attacks it"),),
        rows="stackopt.frames:security_rows",
    ),
)
