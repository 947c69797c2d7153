"""Shared test settings: hypothesis runs derandomized in CI so a red build reproduces."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "chaingrad",
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("chaingrad")
