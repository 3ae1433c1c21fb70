"""Helpers shared by the tests: build profiles in Python, run them, read the numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from inaction_cli.api import estimate_document
from inaction_cli.build_scenario import Overrides
from inaction_cli.loader import parse
from inaction_cli.result import Report

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"


def estimate(profile: dict[str, Any], **overrides: Any) -> Report:
    """Estimate a profile given as a dict (written to YAML and parsed, as a file would be)."""
    raw = yaml.safe_dump(profile, sort_keys=False).encode()
    return estimate_document(parse(raw, "test.yaml"), Overrides(**overrides))


def certain(
    *,
    horizon: int = 12,
    discount_rate: float = 0.0,
    diagnostic: float = 1.0,
    uplifts: dict[str, float] | None = None,
    time_to_value: dict[str, float] | None = None,
    **sections: Any,
) -> dict[str, Any]:
    """A profile with nothing uncertain, so the Monte Carlo is exact and hand-computable."""
    benchmarks: dict[str, dict[str, float]] = {}
    for lever, uplift in (uplifts or {}).items():
        benchmarks.setdefault(lever, {}).update(low=uplift, high=uplift)
    for lever, months in (time_to_value or {}).items():
        benchmarks.setdefault(lever, {})["time_to_value_months"] = months
    profile: dict[str, Any] = {
        "analysis": {"horizon_months": horizon, "discount_rate": discount_rate, "samples": 100},
        "adoption": {"diagnostic_months": diagnostic},
        **sections,
    }
    if benchmarks:
        profile["benchmarks"] = benchmarks
    if "adoption" in sections:
        profile["adoption"] = {"diagnostic_months": diagnostic, **sections["adoption"]}
    return profile


def lever(report: Report, lever_id: str) -> Any:
    """The report's entry for one lever."""
    return next(item for item in report.levers if item.id == lever_id)


def month_loop_gross(
    annual_value: float, horizon: int, rate: float, start: float, time_to_value: float
) -> float:
    """DESIGN.md's gross(s) summed month by month, as one would by hand."""
    total = 0.0
    for month in range(1, horizon + 1):
        if time_to_value > 0:
            ramp = min(max((month - start) / time_to_value, 0.0), 1.0)
        else:
            ramp = 1.0 if month > start else 0.0
        total += annual_value / 12 * ramp * (1 + rate) ** (-month / 12)
    return total
