"""Solver engines: code that talks to HiGHS directly (highspy)."""
