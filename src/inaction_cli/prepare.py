"""Turn a validated Profile into the engine's Scenario: defaults, overrides, warnings."""

from __future__ import annotations

from dataclasses import dataclass

from inaction_cli.benchmarks import catalogue
from inaction_cli.correlation import Pair, groups, is_positive_semidefinite, matrix
from inaction_cli.distributions import Distribution, Uncertain
from inaction_cli.levers import LEVERS
from inaction_cli.loader import Loc
from inaction_cli.profile import Profile, bounds, override_warnings, resolved_uplift, uncertain
from inaction_cli.scenario import (
    DEFAULT_PERCENTILES,
    DEV_BUDGET_SHARE_PATH,
    Input,
    LeverPlan,
    MarketPlan,
    Scenario,
    Settings,
)
from inaction_cli.validation import did_you_mean


@dataclass(frozen=True)
class Overrides:
    """Settings given on the command line; None keeps the profile's value."""

    samples: int | None = None
    seed: int | None = None
    horizon_months: int | None = None
    discount_rate: float | None = None
    percentiles: tuple[float, ...] | None = None


def settings_for(profile: Profile, overrides: Overrides) -> Settings:
    """The run's settings: the command line wins over the profile's `analysis`."""
    analysis = profile.analysis
    return Settings(
        samples=analysis.samples if overrides.samples is None else overrides.samples,
        seed=analysis.seed if overrides.seed is None else overrides.seed,
        horizon_months=(
            analysis.horizon_months
            if overrides.horizon_months is None
            else overrides.horizon_months
        ),
        discount_rate=(
            analysis.discount_rate if overrides.discount_rate is None else overrides.discount_rate
        ),
        percentiles=(
            DEFAULT_PERCENTILES if overrides.percentiles is None else overrides.percentiles
        ),
    )


def _input(profile: Profile, path: str) -> Input:
    return Input(path, uncertain(profile.value(path)), *bounds(path))


NO_OVERRIDES = Overrides()


def prepare(profile: Profile, name: str, overrides: Overrides = NO_OVERRIDES) -> Scenario:
    """Build the Scenario a profile describes."""
    book = catalogue()
    warnings = override_warnings(profile)
    levers = []
    for lever_id in profile.active_levers():
        lever = LEVERS[lever_id]
        benchmark = book.levers[lever_id]
        uplift, time_to_value, overridden = resolved_uplift(profile, lever_id)
        source = benchmark.citation
        if overridden:
            source = f"profile override of benchmarks.{lever_id} (default: {source})"
        if lever_id == "ctr" and profile.email is not None:
            position = profile.email.data_quality_position()
            if position is not None:
                # The article: the CTR uplift depends on data quality. Better data, likelier top.
                mode = uplift.low + position * (uplift.high - uplift.low)
                uplift = Uncertain(uplift.low, uplift.high, Distribution.PERT, mode)
                source += f" Shaped by email.data_quality ({profile.email.data_quality})."
        levers.append(
            LeverPlan(
                id=lever_id,
                label=benchmark.label,
                annual_value=lever.annual_value,
                inputs=tuple(_input(profile, path) for path in lever.inputs),
                uplift=Input(f"benchmarks.{lever_id}", uplift, 0.0, lever.max_uplift, "uplift"),
                time_to_value=Input(
                    f"benchmarks.{lever_id}.time_to_value_months",
                    time_to_value,
                    *bounds("adoption.diagnostic_months"),
                ),
                source=source,
                overridden=overridden,
            )
        )
    if not levers and profile.market is None:
        warnings.append("no lever is active: add a lever's section (operations:, acquisition:, …)")

    market = None
    if profile.market is not None:
        market = MarketPlan(
            _input(profile, "finance.annual_revenue"),
            _input(profile, "finance.gross_margin"),
            _input(profile, "market.erosion_per_year"),
        )

    adoption = profile.adoption
    diagnostic = (
        book.diagnostic_months.value
        if adoption.diagnostic_months is None
        else uncertain(adoption.diagnostic_months)
    )
    setup_cost: tuple[Input, ...] = ()
    run_cost = None
    if adoption.setup_cost is not None or adoption.annual_run_cost is not None:
        if adoption.setup_cost is not None:
            setup_cost = (_input(profile, "adoption.setup_cost"),)
        if adoption.annual_run_cost is not None:
            run_cost = _input(profile, "adoption.annual_run_cost")
    elif profile.finance.dev_budget is not None:
        share = book.initial_budget_share
        setup_cost = (
            _input(profile, "finance.dev_budget"),
            Input(DEV_BUDGET_SHARE_PATH, share.value, 0.0, 1.0, "share"),
        )
        warnings.append(
            "adoption cost not given: assumed a one-off "
            f"{share.value.low * 100:g}–{share.value.high * 100:g} % of finance.dev_budget "
            '(article §5, "start small"), no running cost'
        )
    else:
        warnings.append(
            "no adoption cost given (adoption.setup_cost, adoption.annual_run_cost or "
            "finance.dev_budget): the net figure is gross of what adopting would cost"
        )

    pairs = tuple(
        Pair(correlation.inputs[0], correlation.inputs[1], correlation.rank_correlation)
        for correlation in profile.correlations
    )
    return Scenario(
        name=name,
        currency=profile.company.currency,
        settings=settings_for(profile, overrides),
        levers=tuple(levers),
        diagnostic_months=Input(
            "adoption.diagnostic_months", diagnostic, *bounds("adoption.diagnostic_months")
        ),
        market=market,
        setup_cost=setup_cost,
        annual_run_cost=run_cost,
        warnings=tuple(warnings),
        correlations=pairs,
    )


def correlation_problems(scenario: Scenario) -> list[tuple[Loc, str]]:
    """What is wrong with the profile's correlations, by location in the profile."""
    problems: list[tuple[Loc, str]] = []
    inputs = scenario.inputs()
    seen: dict[frozenset[str], int] = {}
    for index, pair in enumerate(scenario.correlations):
        loc: Loc = ("correlations", index, "inputs")
        bad = False
        for position, path in enumerate((pair.first, pair.second)):
            item = inputs.get(path)
            if item is None:
                hint = did_you_mean(path, inputs) or (
                    " (an input of an active lever, such as benchmarks.ctr or finance.gross_margin)"
                )
                problems.append(
                    ((*loc, position), f"'{path}' is not an input of this profile{hint}")
                )
                bad = True
            elif item.value.is_point:
                problems.append(
                    (
                        (*loc, position),
                        f"'{path}' is a fixed number: give it a range to correlate it",
                    )
                )
                bad = True
        if bad:
            continue
        if pair.first == pair.second:
            problems.append((loc, "an input cannot be correlated with itself"))
            continue
        key = frozenset((pair.first, pair.second))
        if key in seen:
            problems.append((loc, f"this pair is already correlated (correlations[{seen[key]}])"))
            continue
        seen[key] = index
    if problems:
        return problems
    for group in groups(scenario.correlations):
        if not is_positive_semidefinite(matrix(group, scenario.correlations)):
            problems.append(
                (
                    ("correlations",),
                    f"the correlations between {', '.join(group)} cannot all hold at once (their "
                    "matrix is not positive semi-definite): loosen one of them",
                )
            )
    return problems
