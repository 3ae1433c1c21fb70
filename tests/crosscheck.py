"""Run the engine and the independent month-by-month reference on the same draws."""

from __future__ import annotations

from typing import Any

import numpy as np

import reference_model as ref
from inaction_cli.api import scenario_of
from inaction_cli.engine import draw_input
from inaction_cli.loader import parse
from inaction_cli.scenario import SUCCESS, Input, Scenario


def draws(scenario: Scenario, item: Input) -> np.ndarray:
    """Every sample of an input, exactly as the engine draws it."""
    return np.asarray(draw_input(scenario, item.path), dtype=float)


def reference_of(scenario: Scenario) -> ref.RefScenario:
    """The reference scenario fed with the engine's own draws; V computed by the reference."""
    levers = []
    for plan in scenario.levers:
        named = {
            name: draws(scenario, item) for name, item in zip(plan.names, plan.inputs, strict=True)
        }
        uplift = draws(scenario, plan.uplift)
        if plan.custom:
            margin = named.pop("gross_margin", None)
            kind = "saving" if margin is None else "revenue"
            value = ref.custom_value(named, uplift, kind, margin)
        else:
            value = ref.lever_value(plan.id, named, uplift)
        levers.append(
            ref.RefLever(
                plan.id,
                value,
                draws(scenario, plan.time_to_value),
                draws(scenario, plan.lag),
                draws(scenario, plan.realisation),
            )
        )
    setup: Any = 0.0
    run: Any = 0.0
    lines = []
    for cost in scenario.costs:
        amount: Any = 1.0
        for factor in cost.amount:
            amount = amount * draws(scenario, factor)
        if cost.id == "setup":
            setup = amount
        elif cost.id == "run":
            run = amount
        elif cost.monthly:
            lines.append(ref.RefCostLine.monthly_from(amount, cost.first, cost.last))
        else:
            lines.append(ref.RefCostLine.one_off_at(amount, cost.first))
    risk = scenario.risk
    market = None
    if scenario.market is not None:
        market = tuple(draws(scenario, item) for item in scenario.market.parts())
    settings = scenario.settings
    return ref.RefScenario(
        horizon=settings.horizon_months,
        discount_rate=settings.discount_rate,
        diagnostic=draws(scenario, scenario.diagnostic_months),
        levers=levers,
        success=draws_at(scenario, SUCCESS),
        pilot_months=risk.pilot_months,
        overrun=draws(scenario, risk.cost_overrun),
        setup=setup,
        run=run,
        cost_lines=lines,
        market=market,  # type: ignore[arg-type]
    )


def draws_at(scenario: Scenario, path: str) -> np.ndarray:
    """Every sample at a path, the success draw S included."""
    return np.asarray(draw_input(scenario, path), dtype=float)


def scenario(text: str) -> Scenario:
    return scenario_of(parse(text.encode(), "crosscheck.yaml"))
