"""What the engine runs: plain, frozen values built from a validated profile."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace

from inaction_cli.correlation import Pair
from inaction_cli.distributions import Uncertain, Values
from inaction_cli.result import Settings

Draws = Mapping[str, Values]
"""Sampled inputs by path (`acquisition.cac`); every lever sees the same draw of a path."""

REALISATION = "risk.realisation"
"""The one realisation draw shared by every lever without a realisation of its own."""
SUCCESS = "risk.success"
"""The path of the success draw: a uniform draw from its own stream, below p for success."""


@dataclass(frozen=True)
class Input:
    """One uncertain input, named by its path in the profile (its random stream's key)."""

    path: str
    value: Uncertain
    lower: float = 0.0
    upper: float = math.inf
    unit: str = "number"
    """money, count, share, ratio, uplift, months, multiplier or number: how to write it."""
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
    """L: months after the diagnostic before the lever starts to ramp."""
    realisation: Input
    """ρ: the part of the claimed value that is realised (its own, or the risk section's)."""
    formula: str
    source: str
    time_to_value_source: str
    evidence: str
    """How strong the evidence for the uplift is: `anecdote` or `claimed range`."""
    overridden: bool
    custom: bool = False
    capped: Callable[[Draws], Values] | None = None
    """True in the samples where the lever's cap binds (retention past 100 %)."""
    capped_when: str = ""

    def parts(self) -> tuple[Input, ...]:
        """Every input the lever draws: its formula's, uplift, ramp, lag and realisation."""
        return (*self.inputs, self.uplift, self.time_to_value, self.lag, self.realisation)


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
class CostItem:
    """One cost of adopting: an amount once, or every month, over adoption months.

    Adoption month k is model month s + k (s: the start delay); only months up to the horizon
    count, and a failed pilot pays only its first `pilot_months`.
    """

    id: str
    label: str
    amount: tuple[Input, ...]
    """Factors whose product is the amount (once, or per year for a monthly item)."""
    monthly: bool
    first: int
    """The first adoption month it is paid in."""
    last: int | None
    """The last one (None: to the horizon); a one-off's first and last are its month."""
    per_year: bool = False
    """The amount is a yearly figure, paid a twelfth a month (the run cost)."""


@dataclass(frozen=True)
class RiskPlan:
    """The risk section: success, the pilot's length and the cost overrun."""

    success_probability: Input
    pilot_months: int
    cost_overrun: Input
    given: bool
    """Whether the profile has a `risk:` section (the figure is otherwise as claimed)."""

    def parts(self) -> tuple[Input, ...]:
        """Its drawn inputs (the success draw itself apart)."""
        return (self.success_probability, self.cost_overrun)

    @property
    def certain_success(self) -> bool:
        """Whether every sample succeeds (p = 1): no success draw is needed."""
        probability = self.success_probability.value
        return probability.is_point and probability.low >= 1.0


@dataclass(frozen=True)
class Scenario:
    """Everything one Monte Carlo run needs."""

    name: str
    settings: Settings
    levers: tuple[LeverPlan, ...]
    diagnostic_months: Input
    diagnostic_source: str
    market: MarketPlan | None
    costs: tuple[CostItem, ...]
    risk: RiskPlan
    warnings: tuple[str, ...] = ()
    correlations: tuple[Pair, ...] = ()

    @property
    def has_cost(self) -> bool:
        """Whether adopting costs anything within the horizon: some cost item paid in it whose
        factors are not all held at zero. Without one, ROI and payback are null ("no cost to
        pay back"), not a payback beyond the horizon."""
        months = self.settings.horizon_months
        return any(
            cost.first <= months and all(factor.value.high > 0 for factor in cost.amount)
            for cost in self.costs
        )

    def inputs(self) -> dict[str, Input]:
        """Every input the run draws, by path, in a stable order."""
        found: dict[str, Input] = {}
        for lever in self.levers:
            for item in lever.parts():
                found.setdefault(item.path, item)
        found.setdefault(self.diagnostic_months.path, self.diagnostic_months)
        for cost in self.costs:
            for item in cost.amount:
                found.setdefault(item.path, item)
        if self.market is not None:
            for item in self.market.parts():
                found.setdefault(item.path, item)
        for item in self.risk.parts():
            found.setdefault(item.path, item)
        return found

    def uncertain_inputs(self) -> dict[str, Input]:
        """The inputs drawn from a range, not fixed."""
        return {path: item for path, item in self.inputs().items() if not item.value.is_point}

    def with_fixed(self, path: str, value: float) -> Scenario:
        """The same scenario with one input held at a value (for sensitivity analysis)."""

        def fix(item: Input) -> Input:
            return replace(item, value=Uncertain.point(value)) if item.path == path else item

        def fixed(holder: object) -> object:
            """A copy of a frozen value with each of its Input fields fixed."""
            changes: dict[str, object] = {}
            for entry in fields(holder):  # type: ignore[arg-type]
                current = getattr(holder, entry.name)
                if isinstance(current, Input):
                    changes[entry.name] = fix(current)
                elif isinstance(current, tuple) and current and isinstance(current[0], Input):
                    changes[entry.name] = tuple(fix(item) for item in current)
            return replace(holder, **changes)  # type: ignore[type-var]

        return replace(
            self,
            levers=tuple(fixed(lever) for lever in self.levers),  # type: ignore[misc]
            diagnostic_months=fix(self.diagnostic_months),
            market=None if self.market is None else fixed(self.market),  # type: ignore[arg-type]
            costs=tuple(fixed(cost) for cost in self.costs),  # type: ignore[misc]
            risk=fixed(self.risk),  # type: ignore[arg-type]
            correlations=tuple(
                pair for pair in self.correlations if path not in (pair.first, pair.second)
            ),
        )
