"""The audit trail: each lever's formula with the profile's numbers put in.

Numbers only; the renderers write them out. Every input is taken at its own P50, so the
annual values here are "the formula at typical inputs", not the P50 of the simulated value.
"""

from __future__ import annotations

from inaction_cli.distributions import Uncertain, quantile
from inaction_cli.result import (
    ExplainedCost,
    ExplainedInput,
    ExplainedRisk,
    Explanation,
    LeverExplanation,
    Provenance,
)
from inaction_cli.scenario import REALISATION, Input, Scenario


def _explained(item: Input, name: str) -> ExplainedInput:
    median = min(max(quantile(item.value, 0.5), item.lower), item.upper)
    return ExplainedInput(item.path, name, item.name, item.value, median, item.unit)


def explain(
    scenario: Scenario, provenance: Provenance, lever_ids: tuple[str, ...] = ()
) -> Explanation:
    """The audit trail of a scenario (of some of its levers, when `lever_ids` says which)."""
    levers = []
    for plan in scenario.levers:
        if lever_ids and plan.id not in lever_ids:
            continue
        inputs = tuple(
            _explained(item, name) for item, name in zip(plan.inputs, plan.names, strict=True)
        )
        uplift = _explained(plan.uplift, "u")
        medians = {item.path: item.median for item in (*inputs, uplift)}
        levers.append(
            LeverExplanation(
                id=plan.id,
                label=plan.label,
                formula=plan.formula,
                inputs=inputs,
                uplift=uplift,
                uplift_source=plan.source,
                time_to_value=_explained(plan.time_to_value, "T"),
                time_to_value_source=plan.time_to_value_source,
                lag=_explained(plan.lag, "L"),
                realisation=_explained(plan.realisation, "ρ"),
                evidence=plan.evidence,
                annual_value=float(plan.annual_value(medians)),
            )
        )
    risk = scenario.risk
    shared = [plan.realisation for plan in scenario.levers if plan.realisation.path == REALISATION]
    realisation = shared[0] if shared else Input(REALISATION, Uncertain.point(1.0), unit="share")
    market: tuple[ExplainedInput, ...] = ()
    formula = ""
    if scenario.market is not None:
        formula = scenario.market.formula
        market = tuple(
            _explained(item, item.path.rsplit(".", 1)[-1]) for item in scenario.market.parts()
        )
    return Explanation(
        provenance=provenance,
        settings=scenario.settings,
        levers=tuple(levers),
        diagnostic=_explained(scenario.diagnostic_months, "D"),
        diagnostic_source=scenario.diagnostic_source,
        market=market,
        market_formula=formula,
        costs=tuple(
            ExplainedCost(
                id=cost.id,
                label=cost.label,
                factors=tuple(_explained(item, item.path) for item in cost.amount),
                monthly=cost.monthly,
                first=cost.first,
                last=cost.last,
                per_year=cost.per_year,
            )
            for cost in scenario.costs
        ),
        risk=ExplainedRisk(
            given=risk.given,
            success_probability=_explained(risk.success_probability, "p"),
            pilot_months=risk.pilot_months,
            realisation=_explained(realisation, "ρ"),
            cost_overrun=_explained(risk.cost_overrun, "Ω"),
        ),
    )
