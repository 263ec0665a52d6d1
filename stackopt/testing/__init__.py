"""Testing with stackopt: assertion helpers, a pytest plugin, strategies and reference oracles.

Check equilibria computed by *your* code (a solver, a simulation, a learning agent, policy
code) in your own tests, with plain Python / NumPy inputs::

    from stackopt.testing import assert_stackelberg_equilibrium

    def test_my_solver():
        game = stackopt.load_game("inspection.yaml")
        x, j = my_solver(game.A, game.B)              # arrays and an index are fine
        assert_stackelberg_equilibrium(game, x, j)    # AssertionError says what is wrong

Helpers (:mod:`stackopt.testing.asserts`; every kind the registry knows):
:func:`assert_stackelberg_equilibrium`, :func:`assert_best_response`,
:func:`assert_nash_equilibrium`, :func:`assert_values_close`, :func:`assert_result_verifies`,
and :func:`minimal_result` (the minimal result JSON ``stackopt verify`` reads).
Also :mod:`stackopt.testing.plugin` (pytest fixtures ``stackopt_game``, ``stackopt_solve``,
marker ``stackopt_exact``), :mod:`stackopt.testing.strategies` (hypothesis) and
:mod:`stackopt.testing.oracles` (independent reference computations).

Importing this package imports neither Pyomo nor HiGHS (nor hypothesis); a solve happens only
when a helper needs stackopt's own optimality evidence. See ``docs/testing.md``.
"""

from __future__ import annotations

from stackopt._lazy import lazy_exports

#: The helpers, listed once: :mod:`stackopt.testing.asserts` exports the same names.
__all__ = [
    "EXACT_RTOL",
    "FLOAT_ROUNDING",
    "assert_best_response",
    "assert_nash_equilibrium",
    "assert_result_verifies",
    "assert_stackelberg_equilibrium",
    "assert_values_close",
    "clear_cache",
    "covered_kinds",
    "exact_checks",
    "exact_mode",
    "minimal_result",
    "solve_cached",
]

# Loaded on first use, so that the pytest plugin (a submodule) stays light to load and
# pytest can still rewrite the helpers' module.
__getattr__, __dir__ = lazy_exports(__name__, dict.fromkeys(__all__, "stackopt.testing.asserts"))
