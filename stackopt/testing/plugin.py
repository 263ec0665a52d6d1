"""The stackopt pytest plugin under its documented name (``pytest -p stackopt.testing.plugin``).

The implementation is :mod:`stackopt_pytest`, the module the ``pytest11`` entry point loads
(kept outside ``stackopt`` so that loading it does not import ``stackopt``); see its docstring
for the fixtures ``stackopt_game`` and ``stackopt_solve``, the marker ``stackopt_exact``, the
option ``--stackopt-exact`` and the report header.
"""

from stackopt_pytest import (
    pytest_addoption,
    pytest_configure,
    pytest_report_header,
    pytest_runtest_call,
    stackopt_game,
    stackopt_solve,
)

__all__ = [
    "pytest_addoption",
    "pytest_configure",
    "pytest_report_header",
    "pytest_runtest_call",
    "stackopt_game",
    "stackopt_solve",
]
