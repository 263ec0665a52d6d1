"""Incentive games (paper section 4.1): the leader commits to a mixed strategy and pays the
follower incentives for its actions. The kind declaration.

Modules: ``game`` (:class:`IncentiveGame`, :class:`Incentives`), ``io_yaml`` (``kind:
incentive``), ``solve`` (solve, verify, export), ``checks`` (the certificate). The LPs are in
:mod:`stackopt.formulations.incentive_lps` (Pyomo) and :mod:`stackopt.engines.incentive_lps`
(highspy, in place).
"""

from stackopt.kinds.normal_form import LP_LOOP_OPTIONS
from stackopt.kinds.registry import KindSpec, Method, Option

KIND = KindSpec(
    name="incentive",
    summary="normal-form games in which the leader also pays incentives for follower actions",
    game=".game:IncentiveGame",
    methods=(
        Method(
            "incentive_lps",
            "one LP over (commitment, incentives) per induced follower "
            "action, on one HiGHS model edited in place; one duality bound per action "
            "proves optimality",
            options=LP_LOOP_OPTIONS,
        ),
        Method(
            "pure_commitment",
            "enumerate the leader's pure actions, each with the minimal "
            "incentive for every inducible action (closed form; the same as --pure)",
            optimality="enumeration",
        ),
    ),
    default_method="incentive_lps",
    options=(Option("pure", "bool", False, doc="the leader commits to a pure action only"),),
    mixed=True,
)
