"""What the engine runs: plain, frozen values built from a validated profile."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from inaction_cli.correlation import Pair
from inaction_cli.distributions import Uncertain, Values
from inaction_cli.levers import Inputs

DEFAULT_PERCENTILES = (5.0, 50.0, 95.0)

DEV_BUDGET_SHARE_PATH = "adoption.setup_share_of_dev_budget"
"""The input behind the default setup cost, a share of `finance.dev_budget`: not a key a
profile can set, but a path all the same, so that its random stream stays put."""


def input_label(path: str) -> str:
    """A person's name for an input path: `benchmarks.ctr` is the CTR lever's uplift."""
    if path == DEV_BUDGET_SHARE_PATH:
        return "setup share of finance.dev_budget"
    parts = path.split(".")
    if parts[0] == "benchmarks" and len(parts) == 2:
        return f"{parts[1]} uplift"
    if parts[0] == "benchmarks":
        return f"{parts[1]} months to full effect"
    return path


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
    unit: str = "number"
    """money, count, share, ratio, uplift or months: how to write its values."""


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
    correlations: tuple[Pair, ...] = ()

    def inputs(self) -> dict[str, Input]:
        """Every input the run draws, by path, in a stable order."""
        found: dict[str, Input] = {}
        for lever in self.levers:
            for item in (*lever.inputs, lever.uplift, lever.time_to_value):
                found.setdefault(item.path, item)
        found.setdefault(self.diagnostic_months.path, self.diagnostic_months)
        for item in self.setup_cost:
            found.setdefault(item.path, item)
        if self.annual_run_cost is not None:
            found.setdefault(self.annual_run_cost.path, self.annual_run_cost)
        if self.market is not None:
            market = self.market
            for item in (market.annual_revenue, market.gross_margin, market.erosion_per_year):
                found.setdefault(item.path, item)
        return found

    def uncertain_inputs(self) -> dict[str, Input]:
        """The inputs drawn from a range, not fixed."""
        return {path: item for path, item in self.inputs().items() if not item.value.is_point}

    def with_fixed(self, path: str, value: float) -> Scenario:
        """The same scenario with one input held at a value (for sensitivity analysis)."""

        def fix(item: Input) -> Input:
            return replace(item, value=Uncertain.point(value)) if item.path == path else item

        levers = tuple(
            replace(
                lever,
                inputs=tuple(fix(item) for item in lever.inputs),
                uplift=fix(lever.uplift),
                time_to_value=fix(lever.time_to_value),
            )
            for lever in self.levers
        )
        market = self.market
        if market is not None:
            market = MarketPlan(
                fix(market.annual_revenue), fix(market.gross_margin), fix(market.erosion_per_year)
            )
        return replace(
            self,
            levers=levers,
            diagnostic_months=fix(self.diagnostic_months),
            market=market,
            setup_cost=tuple(fix(item) for item in self.setup_cost),
            annual_run_cost=None if self.annual_run_cost is None else fix(self.annual_run_cost),
            correlations=tuple(
                pair for pair in self.correlations if path not in (pair.first, pair.second)
            ),
        )
