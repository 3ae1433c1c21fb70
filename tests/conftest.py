"""Shared fixtures: a plain, predictable terminal for every test."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("deep", parent=settings.get_profile("ci"), max_examples=2000)
# HYPOTHESIS_PROFILE=deep python -m pytest tests/test_fuzz.py: a longer hunt, by hand.
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour variables from the developer's shell; 80 columns like a CI log."""
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM", "CLICOLOR_FORCE", "INACTION_DEBUG", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "80")
