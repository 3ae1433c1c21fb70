"""The audit trail: each lever's formula with the profile's numbers put in.

Numbers only; the renderers write them out. Every input is taken at its own P50, so the
annual values here are "the formula at typical inputs", not the P50 of the simulated value.
"""

from __future__ import annotations

from dataclasses import dataclass

from inaction_cli.benchmarks import catalogue, section_label
from inaction_cli.distributions import Uncertain, quantile
from inaction_cli.levers import LEVERS, MARKET_SHARE_FORMULA
from inaction_cli.scenario import Input, Scenario


@dataclass(frozen=True)
class Quantity:
    """One input as the profile gives it, and its P50."""

    path: str
    value: Uncertain
    median: float
    unit: str


@dataclass(frozen=True)
class LeverExplanation:
    """One lever's audit trail."""

    id: str
    label: str
    formula: str
    """The formula template (`{path}` per input, `{u}` for the uplift)."""
    inputs: tuple[Quantity, ...]
    uplift: Quantity
    uplift_source: str
    time_to_value: Quantity
    time_to_value_source: str
    annual_value: float
    """V with every input, the uplift included, at its P50."""


@dataclass(frozen=True)
class Explanation:
    """How a profile's cost of inaction is computed, lever by lever."""

    scenario: Scenario
    levers: tuple[LeverExplanation, ...]
    diagnostic: Quantity
    diagnostic_source: str
    market: tuple[Quantity, ...]
    market_formula: str
    setup_cost: tuple[Quantity, ...]
    annual_run_cost: Quantity | None


def _quantity(item: Input) -> Quantity:
    median = min(max(quantile(item.value, 0.5), item.lower), item.upper)
    return Quantity(item.path, item.value, median, item.unit)


def explain(scenario: Scenario, lever_ids: tuple[str, ...] = ()) -> Explanation:
    """The audit trail of a scenario (of some of its levers, when `lever_ids` says which)."""
    book = catalogue()
    levers = []
    for plan in scenario.levers:
        if lever_ids and plan.id not in lever_ids:
            continue
        inputs = tuple(_quantity(item) for item in plan.inputs)
        uplift = _quantity(plan.uplift)
        medians = {quantity.path: quantity.median for quantity in inputs}
        levers.append(
            LeverExplanation(
                id=plan.id,
                label=plan.label,
                formula=LEVERS[plan.id].formula,
                inputs=inputs,
                uplift=uplift,
                uplift_source=plan.source,
                time_to_value=_quantity(plan.time_to_value),
                time_to_value_source=book.levers[plan.id].time_to_value_source,
                annual_value=float(plan.annual_value(medians, uplift.median)),
            )
        )
    diagnostic_figure = book.diagnostic_months
    market: tuple[Quantity, ...] = ()
    if scenario.market is not None:
        market = tuple(
            _quantity(item)
            for item in (
                scenario.market.annual_revenue,
                scenario.market.gross_margin,
                scenario.market.erosion_per_year,
            )
        )
    return Explanation(
        scenario=scenario,
        levers=tuple(levers),
        diagnostic=_quantity(scenario.diagnostic_months),
        diagnostic_source=(
            f"{section_label(diagnostic_figure.sections)}: {diagnostic_figure.source}"
        ),
        market=market,
        market_formula=MARKET_SHARE_FORMULA,
        setup_cost=tuple(_quantity(item) for item in scenario.setup_cost),
        annual_run_cost=None
        if scenario.annual_run_cost is None
        else _quantity(scenario.annual_run_cost),
    )
