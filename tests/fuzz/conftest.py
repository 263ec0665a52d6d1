"""Fuzzing settings: a bounded number of examples in CI, ``STACKOPT_FUZZ_SCALE=10`` for 10x.

Examples are derandomized (the same inputs on every run) unless ``STACKOPT_FUZZ_RANDOM=1``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SCALE = max(1, int(os.environ.get("STACKOPT_FUZZ_SCALE", "1") or 1))


def fuzz_settings(examples: int):
    """Hypothesis settings for ``examples`` examples times ``STACKOPT_FUZZ_SCALE``."""
    return settings(max_examples=examples * SCALE, deadline=None,
                    derandomize=os.environ.get("STACKOPT_FUZZ_RANDOM") != "1",
                    suppress_health_check=list(HealthCheck), database=None)
