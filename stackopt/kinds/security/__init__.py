"""Compact security games: coverage of targets against one or several attacker types."""

from stackopt.kinds.registry import Column, Frame, KindSpec, Method, Option

_P = "stackopt.kinds.security"

KIND = KindSpec(
    name="security",
    summary="a defender covers targets with limited resources; attackers pick a target",
    game=f"{_P}.game:SecurityGame",
    solve=f"{_P}.solve:solve_security",
    verify=f"{_P}.solve:verify_security",
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
    parse_yaml=f"{_P}.io_yaml:parse_security",
    export=f"{_P}.solve:export_models",
    mixed=True,
    docs="security",
    frame=Frame(
        Column("target", "string", "a target"),
        Column("coverage", "float64", "the probability that it is protected"),
        (Column("attacked", "boolean", "whether some attacker type attacks it"),),
        rows="stackopt.frames:security_rows",
    ),
)
