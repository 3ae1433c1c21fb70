"""The Report of a run: the engine's outcome with the scenario's labels, sources and warnings."""

from __future__ import annotations

from inaction_cli import __version__, decision, uncertainty
from inaction_cli.catalogue import Catalogue
from inaction_cli.distributions import mean
from inaction_cli.engine import Headline, Outcome
from inaction_cli.limits import MAX_SAMPLES
from inaction_cli.loader import Document
from inaction_cli.result import (
    AsClaimed,
    BatchRow,
    Benchmark,
    LeverReport,
    Precision,
    Provenance,
    Report,
    RiskSummary,
    Totals,
)
from inaction_cli.scenario import Scenario


def provenance(scenario: Scenario, document: Document, book: Catalogue) -> Provenance:
    """Where a result comes from: the profile, its hash, the catalogue and the tool."""
    return Provenance(
        tool_version=__version__,
        profile_name=scenario.name,
        profile_path=document.source,
        profile_sha256=document.sha256,
        benchmarks_version=book.version,
    )


def row(scenario: Scenario, top: Headline, origin: Provenance) -> BatchRow:
    """What a batch row shows of a run: the report's figures of the same name, bit for bit."""
    return BatchRow(
        provenance=origin,
        settings=scenario.settings,
        net=top.net,
        annual=top.annual,
        cost_of_delay_per_month=top.cost_of_delay_per_month,
        probability_net_positive=top.probability_net_positive,
        roi=top.roi,
        payback_month=top.payback,
        break_even_success_probability=decision.break_even(top),
        warnings=warnings(scenario, top, uncertainty.precision(top)),
    )


def warnings(scenario: Scenario, top: Headline, precision: Precision) -> tuple[str, ...]:
    """The warnings of a run: the scenario's, then capped levers, clipped inputs and a net
    known too imprecisely."""
    capped = [
        f"{plan.id}: in {share:.1%} of the samples {plan.capped_when}; the value counts "
        "only up to that ceiling".replace("%", " %", 1)
        for plan, share in zip(scenario.levers, top.capped, strict=True)
        if share > 0
    ]
    imprecise = uncertainty.precision_warning(precision, scenario.settings.samples, MAX_SAMPLES)
    clipped = [
        f"{path}: {share:.1%} of the samples fell outside the allowed range and were clipped "
        "to it (the tails of a normal90 or lognormal90 range)".replace("%", " %", 1)
        for path, share in sorted(top.clipped.items())
    ]
    return (*scenario.warnings, *capped, *clipped, *filter(None, [imprecise]))


def report(scenario: Scenario, outcome: Outcome, origin: Provenance) -> Report:
    """Assemble the report of a run."""
    settings = scenario.settings
    levers = tuple(
        LeverReport(
            id=plan.id,
            label=plan.label,
            annual=result.annual,
            horizon=result.horizon,
            benchmark=Benchmark(
                uplift=plan.uplift.value,
                time_to_value_months=plan.time_to_value.value,
                source=plan.source,
                overridden=plan.overridden,
                evidence=plan.evidence,
                starts_after_months=plan.lag.value,
                realisation=plan.realisation.value,
            ),
            custom=plan.custom,
        )
        for plan, result in zip(scenario.levers, outcome.levers, strict=True)
    )
    risk = scenario.risk
    precision = uncertainty.precision(outcome.headline)
    return Report(
        provenance=origin,
        settings=settings,
        levers=levers,
        totals=Totals(
            annual=outcome.annual,
            gross=outcome.gross,
            adoption_cost=outcome.adoption_cost,
            market_share=outcome.market_share,
            net=outcome.net,
            cost_of_delay_per_month=outcome.cost_of_delay_per_month,
            probability_net_positive=outcome.probability_net_positive,
            market_share_estimated=scenario.market is not None,
        ),
        warnings=warnings(scenario, outcome.headline, precision),
        as_claimed=AsClaimed(outcome.claimed_net, outcome.claimed_probability_net_positive),
        risk=RiskSummary(
            given=risk.given,
            success_probability=mean(risk.success_probability.value),
            pilot_months=risk.pilot_months,
            probability_pilot_fails=outcome.failure_probability,
            failed_pilot_cost=outcome.failed_pilot_cost,
        ),
        precision=precision,
    )
