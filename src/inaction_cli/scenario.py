"""What the engine runs: plain, frozen values built from a validated profile."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from inaction_cli.distributions import Uncertain, Values
from inaction_cli.levers import Inputs

DEFAULT_PERCENTILES = (5.0, 50.0, 95.0)


@dataclass(frozen=True)
class Settings:
    """How a run samples and what it reports."""

    samples: int
    seed: int
    horizon_months: int
    discount_rate: float
    percentiles: tuple[float, ...] = DEFAULT_PERCENTILES


@dataclass(frozen=True)
class Input:
    """One uncertain input, named by its path in the profile (its random stream's key)."""

    path: str
    value: Uncertain
    lower: float = 0.0
    upper: float = math.inf


@dataclass(frozen=True)
class LeverPlan:
    """One active lever: its formula, its inputs and its benchmark after overrides."""

    id: str
    label: str
    annual_value: Callable[[Inputs, Values], Values]
    inputs: tuple[Input, ...]
    uplift: Input
    time_to_value: Input
    source: str
    overridden: bool


@dataclass(frozen=True)
class MarketPlan:
    """The market-share lever: revenue lost while competitors adopt AI."""

    annual_revenue: Input
    gross_margin: Input
    erosion_per_year: Input


@dataclass(frozen=True)
class Scenario:
    """Everything one Monte Carlo run needs."""

    name: str
    currency: str
    settings: Settings
    levers: tuple[LeverPlan, ...]
    diagnostic_months: Input
    market: MarketPlan | None
    setup_cost: tuple[Input, ...]
    """Factors whose product is the one-off adoption cost (none: no setup cost)."""
    annual_run_cost: Input | None
    warnings: tuple[str, ...] = ()
