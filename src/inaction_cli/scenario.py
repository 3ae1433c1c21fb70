"""What the engine runs: plain, frozen values built from a validated profile."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from inaction_cli.correlation import Pair
from inaction_cli.distributions import Uncertain, Values
from inaction_cli.result import Settings

Draws = Mapping[str, Values]
"""Sampled inputs by path (`acquisition.cac`); every lever sees the same draw of a path."""


@dataclass(frozen=True)
class Input:
    """One uncertain input, named by its path in the profile (its random stream's key)."""

    path: str
    value: Uncertain
    lower: float = 0.0
    upper: float = math.inf
    unit: str = "number"
    """money, count, share, ratio, uplift, months or number: how to write its values."""
    label: str = ""
    """A person's name for it, when its path is not one (`productivity uplift`)."""

    @property
    def name(self) -> str:
        """How reports name the input: its label, else its path."""
        return self.label or self.path


@dataclass(frozen=True)
class LeverPlan:
    """One active lever: its inputs, its benchmark after overrides, and how to value it."""

    id: str
    label: str
    annual_value: Callable[[Draws], Values]
    """V per sample, from the draws of every input by path."""
    inputs: tuple[Input, ...]
    """The inputs of its formula, in its order (the uplift apart)."""
    names: tuple[str, ...]
    """Each input's name in the formula, in the same order."""
    uplift: Input
    time_to_value: Input
    lag: Input
    """Months after the diagnostic before the lever starts to ramp."""
    formula: str
    source: str
    time_to_value_source: str
    evidence: str
    """How strong the evidence for the uplift is: `anecdote` or `claimed range`."""
    overridden: bool
    custom: bool = False

    def parts(self) -> tuple[Input, ...]:
        """Every input the lever draws: its formula's, its uplift, its ramp and its lag."""
        return (*self.inputs, self.uplift, self.time_to_value, self.lag)


@dataclass(frozen=True)
class CatalogueValue:
    """V of a catalogue lever: its function, called with each input under its name."""

    function: Callable[..., Values]
    parameters: tuple[tuple[str, str], ...]
    """(parameter, input path) for every input but the uplift."""
    uplift: str

    def __call__(self, draws: Draws) -> Values:
        named = {parameter: draws[path] for parameter, path in self.parameters}
        return self.function(**named, u=draws[self.uplift])


@dataclass(frozen=True)
class CustomValue:
    """V of a custom lever: Π factors × u, × gross margin when it brings revenue."""

    function: Callable[[tuple[Values, ...], Values, Values | None], Values]
    factors: tuple[str, ...]
    uplift: str
    gross_margin: str | None

    def __call__(self, draws: Draws) -> Values:
        margin = None if self.gross_margin is None else draws[self.gross_margin]
        factors = tuple(draws[path] for path in self.factors)
        return self.function(factors, draws[self.uplift], margin)


@dataclass(frozen=True)
class MarketPlan:
    """The market-share lever: revenue lost while competitors adopt AI."""

    annual_revenue: Input
    gross_margin: Input
    erosion_per_year: Input
    formula: str

    def parts(self) -> tuple[Input, ...]:
        """Its inputs, in the formula's order."""
        return (self.annual_revenue, self.gross_margin, self.erosion_per_year)


@dataclass(frozen=True)
class Scenario:
    """Everything one Monte Carlo run needs."""

    name: str
    settings: Settings
    levers: tuple[LeverPlan, ...]
    diagnostic_months: Input
    diagnostic_source: str
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
            for item in lever.parts():
                found.setdefault(item.path, item)
        found.setdefault(self.diagnostic_months.path, self.diagnostic_months)
        for item in self.setup_cost:
            found.setdefault(item.path, item)
        if self.annual_run_cost is not None:
            found.setdefault(self.annual_run_cost.path, self.annual_run_cost)
        if self.market is not None:
            for item in self.market.parts():
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
                lag=fix(lever.lag),
            )
            for lever in self.levers
        )
        market = self.market
        if market is not None:
            market = replace(
                market,
                annual_revenue=fix(market.annual_revenue),
                gross_margin=fix(market.gross_margin),
                erosion_per_year=fix(market.erosion_per_year),
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
