"""Assertion helpers, pytest plugin, strategies and oracles for testing equilibria."""
