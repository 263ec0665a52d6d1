"""CLI subcommands: each module defines ``add_parser(subparsers)`` and ``run(args) -> int``.

Exit codes (a contract): 0 solved and verified; 1 no equilibrium, infeasible, unbounded, solver
failure or a result that does not verify; 2 bad input.
"""

# Order in which subcommands appear in ``stackopt --help``.
COMMANDS = ["solve", "verify", "export", "compare"]

EXIT_OK, EXIT_NO_EQUILIBRIUM, EXIT_BAD_INPUT = 0, 1, 2
