"""Normal-form (bimatrix) Stackelberg games: the kind declaration.

Modules: ``game`` (:class:`NormalFormGame`), ``io_yaml``/``io_csv``/``io_nfg`` (file formats),
``solve`` (strong equilibrium, export), ``pessimistic`` (adversarial ties), ``nash`` (Nash
equilibria), ``compare`` (who should lead), ``checks*`` (certificates).
"""

from stackopt.kinds.registry import Column, Frame, KindSpec, Method, Option

#: The options of the in-place LP loops (multiple LPs here, the incentive LPs of
#: ``kind: incentive``): declared once, shared by both kinds.
LP_LOOP_OPTIONS = (
    Option(
        "engine",
        "str",
        "highs",
        choices=("highs", "pyomo"),
        doc="highs (in place, fast) or pyomo (one Pyomo model per LP; cross-check)",
    ),
    Option(
        "prune",
        "bool",
        True,
        doc="skip LPs whose bound max_i A[i,j] cannot beat the incumbent",
    ),
)

KIND = KindSpec(
    name="normal_form",
    summary="bimatrix games: the leader commits to a mixed strategy over its actions",
    game=".game:NormalFormGame",
    solve=".solve:solve_sse",
    verify=".solve:verify_sse",
    methods=(
        Method(
            "multiple_lps",
            "Conitzer-Sandholm: one LP per follower action, on one HiGHS "
            "model edited in place; one duality bound per action proves optimality",
            options=LP_LOOP_OPTIONS,
        ),
        Method(
            "pure_commitment",
            "enumerate the leader's pure actions (the same as --pure)",
            optimality="enumeration",
        ),
        Method(
            "weak_multiple_lps",
            "adversarial ties (--tie-break adversarial): supremum, "
            "attainment decided exactly, strict commitment within epsilon",
            solvable=False,
        ),
        Method(
            "nash_milp",
            "Nash equilibria of the simultaneous game (stackopt compare); "
            "results verified as Nash equilibria",
            optimality="solver-reported",
            verify=".nash:verify_nash",
            solvable=False,
        ),
    ),
    default_method="multiple_lps",
    options=(
        Option(
            "leader",
            "str",
            "leader",
            metavar="ROLE",
            doc="who leads: 'leader' (as in the file), 'follower', or a player name",
        ),
        Option(
            "leader_actions",
            "labels",
            None,
            metavar="A,B",
            doc="restrict the leader to these actions",
        ),
        Option(
            "follower_actions",
            "labels",
            None,
            metavar="A,B",
            doc="restrict the follower to these actions",
        ),
        Option("pure", "bool", False, doc="the leader commits to a pure action only"),
        Option("exact", "bool", False, doc="also prove the answer in rational arithmetic"),
    ),
    tie_breaks=("leader", "adversarial"),
    readers={
        ".csv": ".io_csv:read_normal_form_csv",
        ".nfg": ".io_nfg:read_nfg",
        ".npz": ".io_binary:read_normal_form_npz",
        ".parquet": ".io_binary:read_normal_form_parquet",
    },
    mixed=True,
    docs="methods",
    frame=Frame(
        Column("action", "string", "a leader action"),
        Column("probability", "float64", "its probability in the commitment"),
        (Column("response", "string", "the follower's action"),),
        rows="stackopt.frames:normal_form_rows",
    ),
)
