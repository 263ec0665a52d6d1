"""Seeded random grid instances for the interdiction tests: the grids of
``benchmarks/run_all.py`` (:func:`stackopt.testing.instances.interdiction_grid`)."""

from __future__ import annotations

from stackopt.testing.instances import interdiction_grid as grid_game

__all__ = ["grid_game"]
