"""The estimate from end to end: file → profile → scenario → Monte Carlo → report."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from inaction_cli import __version__, analysis, validation
from inaction_cli.benchmarks import catalogue
from inaction_cli.engine import Outcome, simulate
from inaction_cli.errors import InputError, Problem
from inaction_cli.limits import MAX_SAMPLES
from inaction_cli.loader import STDIN_LABEL, Document, load, parse, source_label
from inaction_cli.prepare import NO_OVERRIDES, Overrides, correlation_problems, prepare
from inaction_cli.profile import validate
from inaction_cli.result import Benchmark, LeverReport, Provenance, Report, Totals
from inaction_cli.scenario import Scenario

if TYPE_CHECKING:
    from inaction_cli.explain import Explanation


@dataclass(frozen=True)
class Extras:
    """Analyses beyond the estimate itself, on request."""

    sensitivity: bool = False
    histogram: bool = False


NO_EXTRAS = Extras()


def estimate_file(
    path: str, overrides: Overrides = NO_OVERRIDES, extras: Extras = NO_EXTRAS
) -> Report:
    """Estimate the cost of inaction of the profile at `path` (`-` for stdin)."""
    return estimate_document(load(path), overrides, extras)


def estimate_document(
    document: Document, overrides: Overrides = NO_OVERRIDES, extras: Extras = NO_EXTRAS
) -> Report:
    """Estimate the cost of inaction of a parsed profile."""
    scenario = scenario_of(document, overrides)
    outcome = simulate(scenario)
    result = report(scenario, outcome, document)
    return replace(
        result,
        sensitivity=analysis.sensitivity(scenario, outcome) if extras.sensitivity else None,
        histogram=analysis.histogram(outcome.net_samples, scenario.settings.percentiles)
        if extras.histogram
        else None,
    )


def scenario_of(document: Document, overrides: Overrides = NO_OVERRIDES) -> Scenario:
    """Validate a parsed profile and build what the engine runs, or raise InputError."""
    profile = validate(document)
    name = profile.company.name or default_name(document.source)
    scenario = prepare(profile, name, overrides)
    problems = correlation_problems(scenario)
    if problems:
        raise InputError(validation.located(document, loc, message) for loc, message in problems)
    return scenario


def warm_up() -> None:
    """Build once what every estimate needs (the profile's validator, the catalogue, numpy's
    random module), so that processes forked from this one inherit it ready."""
    import numpy.random  # noqa: F401 - imported for its side effect: loaded once, here

    scenario_of(parse(b"operations: {headcount: 1, loaded_cost_per_fte: 1}", "warm-up"))


def default_name(source: str) -> str:
    """A profile without `company.name` is named after its file."""
    return "profile" if source == STDIN_LABEL else Path(source).stem


def report(scenario: Scenario, outcome: Outcome, document: Document) -> Report:
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
            ),
        )
        for plan, result in zip(scenario.levers, outcome.levers, strict=True)
    )
    precision = analysis.precision(outcome)
    imprecise = analysis.precision_warning(precision, settings.samples, MAX_SAMPLES)
    clipped = [
        f"{path}: {share:.1%} of the samples fell outside the allowed range and were clipped "
        "to it (the tails of a normal90 or lognormal90 range)".replace("%", " %", 1)
        for path, share in sorted(outcome.clipped.items())
    ]
    return Report(
        provenance=_provenance(scenario, document),
        currency=scenario.currency,
        samples=settings.samples,
        seed=settings.seed,
        horizon_months=settings.horizon_months,
        discount_rate=settings.discount_rate,
        percentiles=settings.percentiles,
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
        warnings=(*scenario.warnings, *clipped, *filter(None, [imprecise])),
        precision=precision,
    )


@dataclass(frozen=True)
class Validation:
    """What `validate` found in one file."""

    file: str
    levers: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def valid(self) -> bool:
        """Whether the profile can be estimated."""
        return not self.problems


def validate_file(path: str) -> Validation:
    """Check a profile without running it: every problem, or its active levers and warnings."""
    try:
        scenario = scenario_of(load(path))
    except InputError as error:
        return Validation(source_label(path), problems=tuple(error.problems))
    levers = tuple(lever.id for lever in scenario.levers)
    if scenario.market is not None:
        levers += ("market_share",)
    return Validation(source_label(path), levers, scenario.warnings)


def explain_file(path: str, lever_ids: tuple[str, ...] = ()) -> tuple[Explanation, Provenance]:
    """The audit trail of a profile, and where it comes from."""
    document = load(path)
    scenario = scenario_of(document)
    active = [lever.id for lever in scenario.levers]
    unknown = [lever_id for lever_id in lever_ids if lever_id not in active]
    if unknown:
        raise InputError.single(
            document.source,
            f"lever {', '.join(map(repr, unknown))} is not active in this profile "
            f"(active: {', '.join(active) or 'none'})",
        )
    from inaction_cli.explain import explain

    return explain(scenario, lever_ids), _provenance(scenario, document)


def _provenance(scenario: Scenario, document: Document) -> Provenance:
    return Provenance(
        tool_version=__version__,
        profile_name=scenario.name,
        profile_path=document.source,
        profile_sha256=document.sha256,
        benchmarks_version=catalogue().version,
    )
