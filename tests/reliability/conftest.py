"""Hypothesis profiles for the reliability suite.

``ci`` (selected when ``CI=true``) is derandomized: the same examples on every run, no example database,
a modest number of examples so the suite stays within a few minutes on two cores. ``dev`` (the default
elsewhere) is random; ``AML_RELIABILITY_EXAMPLES=2000`` scales it up for a long local hunt, and
``HYPOTHESIS_PROFILE`` picks a profile explicitly. Tests that run subprocesses cap their own count."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}

settings.register_profile("ci", derandomize=True, database=None, max_examples=60, print_blob=True, **_COMMON)
settings.register_profile("dev", max_examples=int(os.environ.get("AML_RELIABILITY_EXAMPLES", "60")),
                          **_COMMON)
_DEFAULT = "ci" if os.environ.get("CI") == "true" else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or _DEFAULT)


def scaled(examples: int) -> int:
    """A subprocess-heavy test's example count, scaled with the profile's (never below ``examples``)."""
    return max(examples, examples * settings.default.max_examples // 60)
