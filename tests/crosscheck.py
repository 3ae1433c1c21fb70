"""Run the engine and the independent month-by-month reference on the same draws."""

from __future__ import annotations

from typing import Any

import numpy as np

import reference_model as ref
from inaction_cli.api import scenario_of
from inaction_cli.engine import draw_input
from inaction_cli.loader import parse
from inaction_cli.scenario import Input, Scenario


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
            )
        )
    setup: Any = 0.0
    if scenario.setup_cost:
        setup = 1.0
        for factor in scenario.setup_cost:
            setup = setup * draws(scenario, factor)
    run = 0.0 if scenario.annual_run_cost is None else draws(scenario, scenario.annual_run_cost)
    market = None
    if scenario.market is not None:
        market = tuple(draws(scenario, item) for item in scenario.market.parts())
    settings = scenario.settings
    return ref.RefScenario(
        horizon=settings.horizon_months,
        discount_rate=settings.discount_rate,
        diagnostic=draws(scenario, scenario.diagnostic_months),
        levers=levers,
        setup=setup,
        run=run,
        market=market,  # type: ignore[arg-type]
    )


def scenario(text: str) -> Scenario:
    return scenario_of(parse(text.encode(), "crosscheck.yaml"))
