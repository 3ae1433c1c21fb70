"""Turn a validated Profile into the engine's Scenario: defaults, overrides, warnings."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from inaction_cli import levers as lever_functions
from inaction_cli.catalogue import DEFAULT_EVIDENCE, Catalogue, LeverSpec
from inaction_cli.correlation import Pair
from inaction_cli.distributions import Distribution, Uncertain
from inaction_cli.errors import InputError, Problem
from inaction_cli.limits import (
    DEFAULT_PILOT_MONTHS,
    HORIZON_LIMIT_REASON,
    MAX_DELAYS,
    MAX_HORIZON_MONTHS,
    MAX_PERCENTILES,
    MAX_SAMPLES,
    MAX_SEED,
    MIN_SAMPLES,
    SAMPLES_LIMIT_REASON,
)
from inaction_cli.profile import CustomLeverBase, LeverKind, ProfileBase, bounds, shape_position
from inaction_cli.quantities import UPPER_BOUNDS, Quantity, uncertain
from inaction_cli.result import DEFAULT_PERCENTILES, Settings, percentile_collision
from inaction_cli.rules import CUSTOM_LEVERS, GROSS_MARGIN
from inaction_cli.scenario import (
    REALISATION,
    CatalogueValue,
    CostItem,
    CustomValue,
    Input,
    LeverPlan,
    MarketPlan,
    RiskPlan,
    Scenario,
)
from inaction_cli.text import cut
from inaction_cli.text import months as months_text

DEV_BUDGET_SHARE_PATH = "adoption.setup_share_of_dev_budget"
"""The input behind the default setup cost, a share of `finance.dev_budget`: not a key a
profile can set, but a path all the same, so that its random stream stays put."""
NO_LAG = Uncertain.point(0.0)
ONE = Uncertain.point(1.0)


@dataclass(frozen=True)
class Overrides:
    """Settings given on the command line or to the Python API; None keeps the profile's."""

    samples: int | None = None
    seed: int | None = None
    horizon_months: int | None = None
    discount_rate: float | None = None
    percentiles: tuple[float, ...] | None = None
    delays: tuple[int, ...] | None = None

    def apply(self, settings: Settings) -> Settings:
        """`settings` with every value given here in place of the profile's."""
        given = {
            item.name: getattr(self, item.name)
            for item in fields(self)
            if getattr(self, item.name) is not None
        }
        return replace(settings, **given)


NO_OVERRIDES = Overrides()
ARGUMENTS = "<arguments>"
"""How messages name the arguments given to the Python API."""


def checked_overrides(
    *,
    samples: Any = None,
    seed: Any = None,
    horizon_months: Any = None,
    discount_rate: Any = None,
    percentiles: Sequence[float] | None = None,
    delays: Sequence[int] | None = None,
) -> Overrides:
    """Overrides given as arguments (the Python API), under the limits of the profile and the
    command line; InputError names every argument out of bounds."""
    problems: list[Problem] = []

    def whole(name: str, value: Any, low: int, high: int, reason: str = "") -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            problems.append(Problem(ARGUMENTS, f"expected a whole number, got {value!r}", name))
            return None
        if int(value) < low:  # the reason is the upper bound's, as on the command line
            problems.append(Problem(ARGUMENTS, f"must be at least {low:,}, got {value}", name))
            return None
        if int(value) > high:
            because = f": {reason}" if reason else ""
            problems.append(
                Problem(ARGUMENTS, f"must be at most {high:,}, got {value}{because}", name)
            )
            return None
        return int(value)

    rate = None
    if discount_rate is not None:
        valid = isinstance(discount_rate, numbers.Real) and not isinstance(discount_rate, bool)
        if not valid or not math.isfinite(discount_rate) or not 0 <= discount_rate <= 1:
            problems.append(
                Problem(
                    ARGUMENTS,
                    f"expected a number from 0 to 1, got {discount_rate!r}",
                    "discount_rate",
                )
            )
        else:
            rate = float(discount_rate)
    wanted = None
    if percentiles is not None:
        try:
            wanted = tuple(sorted({float(value) for value in percentiles}))
        except (TypeError, ValueError, OverflowError):
            wanted = ()
        bad = not wanted or len(wanted) > MAX_PERCENTILES
        if bad or any(not 0 <= value <= 100 for value in wanted):
            problems.append(
                Problem(
                    ARGUMENTS,
                    f"expected 1 to {MAX_PERCENTILES} distinct numbers from 0 to 100, got "
                    f"{cut(repr(percentiles))}",
                    "percentiles",
                )
            )
        else:
            collision = percentile_collision(wanted)
            if collision:
                problems.append(Problem(ARGUMENTS, collision, "percentiles"))
    months = None
    if delays is not None:
        given = list(delays)
        valid = all(
            isinstance(value, numbers.Integral) and not isinstance(value, bool) for value in given
        )
        if not valid or not given or len(given) > MAX_DELAYS:
            problems.append(
                Problem(
                    ARGUMENTS,
                    f"expected 1 to {MAX_DELAYS} whole numbers of months, got {delays!r}",
                    "delays",
                )
            )
        elif any(not 0 <= int(value) <= MAX_HORIZON_MONTHS for value in given):
            problems.append(
                Problem(
                    ARGUMENTS,
                    f"delays lie from 0 to {MAX_HORIZON_MONTHS} months, got {delays!r}",
                    "delays",
                )
            )
        else:
            months = tuple(sorted({int(value) for value in given}))
    overrides = Overrides(
        samples=whole("samples", samples, MIN_SAMPLES, MAX_SAMPLES, SAMPLES_LIMIT_REASON),
        seed=whole("seed", seed, 0, MAX_SEED),
        horizon_months=whole(
            "horizon_months", horizon_months, 1, MAX_HORIZON_MONTHS, HORIZON_LIMIT_REASON
        ),
        discount_rate=rate,
        percentiles=wanted,
        delays=months,
    )
    if problems:
        raise InputError(problems)
    return overrides


def settings_for(profile: ProfileBase, overrides: Overrides = NO_OVERRIDES) -> Settings:
    """The run's settings: the command line wins over the profile's `analysis`."""
    analysis = profile.analysis
    return overrides.apply(
        Settings(
            samples=analysis.samples,
            seed=analysis.seed,
            horizon_months=analysis.horizon_months,
            discount_rate=analysis.discount_rate,
            percentiles=DEFAULT_PERCENTILES,
            currency=profile.company.currency,
        )
    )


class _Builder:
    """Builds the inputs of a scenario: each with its path, bounds and unit."""

    def __init__(self, profile: ProfileBase, book: Catalogue) -> None:
        self.profile = profile
        self.book = book
        risk = profile.risk
        given = None if risk is None else risk.realisation
        self.realisation = self.given(
            REALISATION, ONE if given is None else given, "share", "realisation"
        )

    def input(self, path: str, label: str = "") -> Input:
        """The input at a path of the profile."""
        return Input(path, uncertain(self.profile.value(path)), *bounds(self.book, path), label)

    def given(self, path: str, value: Quantity | Uncertain, unit: str, label: str = "") -> Input:
        """An input from a value the builder resolved itself (an override, a default)."""
        resolved = value if isinstance(value, Uncertain) else uncertain(value)
        return Input(path, resolved, 0.0, UPPER_BOUNDS[unit], unit, label)

    def lever_realisation(self, path: str, value: Quantity | None, lever_id: str) -> Input:
        """A lever's own realisation, or the one draw shared by every lever without one."""
        if value is None:
            return self.realisation
        return self.given(path, value, "share", f"{lever_id} realisation")

    def catalogue_lever(self, spec: LeverSpec) -> LeverPlan:
        profile = self.profile
        override = profile.override(spec.id)
        uplift, time_to_value = spec.uplift, spec.time_to_value_months
        lag: Quantity | Uncertain = NO_LAG
        source = spec.citation
        if override is not None:
            uplift = Uncertain(
                uplift.low if override.low is None else override.low,
                uplift.high if override.high is None else override.high,
                uplift.distribution if override.distribution is None else override.distribution,
                override.mode,
            )
            if override.time_to_value_months is not None:
                time_to_value = uncertain(override.time_to_value_months)
            if override.starts_after_months is not None:
                lag = override.starts_after_months
            source = f"profile override of benchmarks.{spec.id} (default: {source})"
        position, level = shape_position(profile, spec)
        if position is not None and spec.shaped_by is not None:
            mode = uplift.low + position * (uplift.high - uplift.low)
            uplift = Uncertain(uplift.low, uplift.high, Distribution.PERT, mode)
            source += f" Shaped by {spec.section}.{spec.shaped_by.key} ({level})."
        path = f"benchmarks.{spec.id}"
        uplift_input = Input(path, uplift, 0.0, spec.max_uplift, "uplift", f"{spec.id} uplift")
        parameters = tuple(spec.parameters.items())
        return LeverPlan(
            id=spec.id,
            label=spec.label,
            annual_value=CatalogueValue(spec.function, parameters, uplift_input.path),
            inputs=tuple(self.input(input_path) for _, input_path in parameters),
            names=tuple(name for name, _ in parameters),
            uplift=uplift_input,
            time_to_value=self.given(
                f"{path}.time_to_value_months",
                time_to_value,
                "months",
                f"{spec.id} months to full effect",
            ),
            lag=self.given(f"{path}.starts_after_months", lag, "months", f"{spec.id} lag"),
            realisation=self.lever_realisation(
                f"{path}.realisation", None if override is None else override.realisation, spec.id
            ),
            formula=spec.formula,
            source=source,
            time_to_value_source=spec.time_to_value_source,
            evidence=spec.evidence,
            overridden=override is not None,
            capped=None
            if spec.capped is None
            else CatalogueValue(spec.capped, parameters, uplift_input.path),
            capped_when=spec.capped_when,
        )

    def custom_lever(self, lever_id: str, lever: CustomLeverBase) -> LeverPlan:
        book = self.book
        path = f"{CUSTOM_LEVERS}.{lever_id}"
        factors = tuple(
            self.given(f"{path}.factors.{name}", value, "number", f"{lever_id}.{name}")
            for name, value in lever.factors.items()
        )
        revenue = lever.kind is LeverKind.REVENUE
        margin = (self.input(GROSS_MARGIN),) if revenue else ()
        uplift = self.given(f"{path}.uplift", lever.uplift, "uplift", f"{lever_id} uplift")
        default_ramp = book.custom_time_to_value_months
        time_to_value = self.given(
            f"{path}.time_to_value_months",
            default_ramp.value
            if lever.time_to_value_months is None
            else lever.time_to_value_months,
            "months",
            f"{lever_id} months to full effect",
        )
        lag = self.given(
            f"{path}.starts_after_months",
            NO_LAG if lever.starts_after_months is None else lever.starts_after_months,
            "months",
            f"{lever_id} lag",
        )
        names = [*lever.factors, *(["gross_margin"] if revenue else [])]
        formula = " × ".join([*(f"{{{name}}}" for name in lever.factors), "{u}"])
        if revenue:
            formula += " × {gross_margin}"
        return LeverPlan(
            id=lever_id,
            label=lever.label,
            annual_value=CustomValue(
                lever_functions.custom,
                tuple(item.path for item in factors),
                uplift.path,
                GROSS_MARGIN if revenue else None,
            ),
            inputs=(*factors, *margin),
            names=tuple(names),
            uplift=uplift,
            time_to_value=time_to_value,
            lag=lag,
            realisation=self.lever_realisation(f"{path}.realisation", lever.realisation, lever_id),
            formula=formula,
            source=lever.source,
            time_to_value_source=(
                "profile" if lever.time_to_value_months is not None else default_ramp.citation
            ),
            evidence=lever.evidence or DEFAULT_EVIDENCE,
            overridden=False,
            custom=True,
        )

    def costs(self, warnings: list[str]) -> tuple[CostItem, ...]:
        """The adoption costs: setup, run cost and the itemised lines; or the default."""
        profile, book = self.profile, self.book
        adoption = profile.adoption
        items: list[CostItem] = []
        if adoption.setup_cost is not None:
            setup = self.input("adoption.setup_cost")
            items.append(CostItem("setup", "Setup", (setup,), monthly=False, first=1, last=1))
        if adoption.annual_run_cost is not None:
            run = self.input("adoption.annual_run_cost")
            items.append(
                CostItem("run", "Running", (run,), monthly=True, first=1, last=None, per_year=True)
            )
        for line_id, line in adoption.costs.items():
            path = f"adoption.costs.{line_id}"
            if line.one_off is not None:
                month = line.month or 1
                amount = self.given(f"{path}.one_off", line.one_off, "money")
                items.append(
                    CostItem(line_id, line.label, (amount,), monthly=False, first=month, last=month)
                )
            else:
                assert line.monthly is not None  # rules: exactly one of one_off and monthly
                amount = self.given(f"{path}.monthly", line.monthly, "money")
                items.append(
                    CostItem(
                        line_id,
                        line.label,
                        (amount,),
                        monthly=True,
                        first=line.from_month or 1,
                        last=line.to_month,
                    )
                )
        if items:
            return tuple(items)
        if profile.finance.dev_budget is not None:
            share = book.initial_budget_share
            factors = (
                self.input("finance.dev_budget"),
                self.given(
                    DEV_BUDGET_SHARE_PATH, share.value, "share", "setup share of finance.dev_budget"
                ),
            )
            warnings.append(
                "adoption cost not given: assumed a one-off "
                f"{share.value.low * 100:g}–{share.value.high * 100:g} % of finance.dev_budget "
                '(article §5, "start small"): a pilot\'s envelope, not the total cost of '
                "ownership, and no running cost"
            )
            return (CostItem("setup", "Setup", factors, monthly=False, first=1, last=1),)
        warnings.append(
            "no adoption cost given (adoption.setup_cost, adoption.annual_run_cost, "
            "adoption.costs or finance.dev_budget): the net figure is gross of what adopting "
            "would cost"
        )
        return ()

    def risk(self, warnings: list[str]) -> RiskPlan:
        """Success, the pilot's length and the overrun: the risk section's, or as claimed."""
        risk = self.profile.risk
        if risk is None:
            warnings.append(
                "no risk: section: the figure is as the article claims it (unsourced ranges and "
                "anecdotes, every pilot succeeding, every gain realised); add risk: with a "
                "success_probability and a realisation to risk-adjust it"
            )
        success = None if risk is None else risk.success_probability
        overrun = None if risk is None else risk.cost_overrun
        return RiskPlan(
            success_probability=self.given(
                "risk.success_probability",
                ONE if success is None else success,
                "share",
                "success probability",
            ),
            pilot_months=DEFAULT_PILOT_MONTHS if risk is None else risk.pilot_months,
            cost_overrun=self.given(
                "risk.cost_overrun", ONE if overrun is None else overrun, "multiplier", "overrun"
            ),
            given=risk is not None,
        )


def build_scenario(
    profile: ProfileBase, book: Catalogue, name: str, overrides: Overrides = NO_OVERRIDES
) -> Scenario:
    """Build the Scenario a profile describes."""
    builder = _Builder(profile, book)
    warnings = override_warnings(profile, book)
    plans = [builder.catalogue_lever(book.levers[lever_id]) for lever_id in profile.active_levers()]
    plans += [builder.custom_lever(key, lever) for key, lever in profile.custom_levers.items()]
    market_section = profile.section(book.market_share.section)
    if not plans and market_section is None:
        warnings.append("no lever is active: add a lever's section (operations:, acquisition:, …)")

    market = None
    if market_section is not None:
        spec = book.market_share
        revenue, margin = spec.reads
        market = MarketPlan(
            builder.input(revenue),
            builder.input(margin),
            builder.input(spec.inputs[0].path),
            spec.formula,
        )

    adoption = profile.adoption
    diagnostic = (
        book.diagnostic_months.value
        if adoption.diagnostic_months is None
        else uncertain(adoption.diagnostic_months)
    )
    costs = builder.costs(warnings)
    risk = builder.risk(warnings)
    pairs = tuple(
        Pair(correlation.inputs[0], correlation.inputs[1], correlation.rank_correlation)
        for correlation in profile.correlations
    )
    settings = settings_for(profile, overrides)
    late = [delay for delay in overrides.delays or () if delay >= settings.horizon_months]
    if late:
        listed = ", ".join(str(delay) for delay in late)
        warnings.append(
            f"start delays of {months_text(settings.horizon_months)} or more leave no benefit "
            f"within the horizon and are not reported: {listed}"
        )
    return Scenario(
        name=name,
        settings=settings,
        levers=tuple(plans),
        diagnostic_months=Input(
            "adoption.diagnostic_months",
            diagnostic,
            *bounds(book, "adoption.diagnostic_months"),
        ),
        diagnostic_source=book.diagnostic_months.citation,
        market=market,
        costs=costs,
        risk=risk,
        warnings=tuple(warnings),
        correlations=pairs,
    )


def override_warnings(profile: ProfileBase, book: Catalogue) -> list[str]:
    """Overrides of levers the profile does not activate do nothing: say so."""
    active = set(profile.active_levers())
    return [
        f"benchmarks.{lever_id} is set but lever '{lever_id}' is not active "
        f"(no {lever.section}: section): the override is ignored"
        for lever_id, lever in book.levers.items()
        if profile.override(lever_id) is not None and lever_id not in active
    ]
