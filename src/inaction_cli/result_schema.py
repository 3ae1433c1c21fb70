"""The published shape of `estimate --format json`, and how `diff` reads a result back.

A result is input too when `diff` reads it: it is validated like a profile, with located
errors. Extra fields are accepted, since a minor version of the format only adds fields.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from inaction_cli import messages
from inaction_cli.distributions import Distribution, Uncertain
from inaction_cli.errors import InputError
from inaction_cli.loader import Document, Loc
from inaction_cli.result import (
    DEFAULT_DELAYS,
    RESULT_SCHEMA_VERSION,
    AsClaimed,
    Benchmark,
    Decision,
    DelayOutcome,
    InputValue,
    LeverReport,
    Payback,
    Priority,
    Provenance,
    Report,
    RiskSummary,
    Settings,
    Summary,
    Totals,
    ValueOfInformation,
    YearFlow,
    percentile_key,
)
from inaction_cli.text import unprintable

SCHEMA_ID = "https://inaction.invalid/schema/result-1.json"
READABLE_MAJOR = RESULT_SCHEMA_VERSION.split(".")[0]


def _plain(text: str) -> str:
    found = unprintable(text)
    if found is not None:
        raise PydanticCustomError(
            "control_character",
            "control character {found} in text that inaction always writes plain: "
            "this file was not written by inaction estimate, or was edited",
            {"found": found},
        )
    return text


PlainText = Annotated[str, AfterValidator(_plain)]
"""Text that inaction writes from its own catalogue: never with control characters. (Names
and paths may hold anything a file name holds; the renderers show them escaped.)"""


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Stats(_Part):
    """Mean and one `p<percentile>` key per requested percentile, in the currency, in cents."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, float] = Field(init=False)

    mean: float

    def summary(self, percentiles: list[float]) -> Summary:
        """Back to the engine's Summary, in the order of `percentiles`."""
        extra = self.__pydantic_extra__ or {}
        return Summary(self.mean, tuple(extra[percentile_key(p)] for p in percentiles))


class Tool(_Part):
    name: PlainText
    version: PlainText


class ProfileInfo(_Part):
    name: str
    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class SettingsInfo(_Part):
    samples: int
    seed: int
    horizon_months: int
    discount_rate: float
    percentiles: list[float]
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code.")
    delays: list[int] = Field(
        default_factory=lambda: list(DEFAULT_DELAYS), description="Start delays, in months (1.2)."
    )


class RangeInfo(_Part):
    low: float
    high: float
    distribution: Distribution
    mode: float | None = None

    def uncertain(self) -> Uncertain:
        return Uncertain(self.low, self.high, self.distribution, self.mode)


class BenchmarkInfo(RangeInfo):
    time_to_value_months: RangeInfo
    source: str
    overridden: bool = False
    evidence: PlainText = Field("claimed range", description="anecdote or claimed range (1.2).")
    starts_after_months: RangeInfo | None = Field(None, description="The lever's lag (1.2).")
    realisation: RangeInfo | None = Field(None, description="Its realisation ρ (1.2).")


class LeverResult(_Part):
    id: PlainText
    label: PlainText
    annual: Stats = Field(description="Value per year at full effect.")
    horizon: Stats = Field(description="Value over the horizon, ramped and discounted.")
    benchmark: BenchmarkInfo


class TotalsResult(_Part):
    annual: Stats = Field(description="Annual run-rate: all levers at full effect.")
    gross: Stats = Field(description="All levers over the horizon, acting now.")
    adoption_cost: Stats
    market_share: Stats
    net: Stats = Field(description="gross + market_share − adoption_cost.")
    cost_of_delay_per_month: Stats
    probability_net_positive: float = Field(ge=0, le=1)


class AsClaimedInfo(_Part):
    net: Stats = Field(description="The net with S = 1, ρ = 1, Ω = 1, on the same samples.")
    probability_net_positive: float = Field(ge=0, le=1)


class RiskInfo(_Part):
    given: bool
    success_probability: float = Field(ge=0, le=1)
    pilot_months: int
    probability_pilot_fails: float = Field(ge=0, le=1)
    failed_pilot_cost: Stats


class PaybackInfo(_Part):
    """A month (or null, beyond the horizon) per `p<percentile>` key."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, int | None] = Field(init=False)

    probability_within_horizon: float = Field(ge=0, le=1)


class YearInfo(_Part):
    year: int
    months: int
    benefits: Stats
    costs: Stats
    net: Stats


class DelayInfo(_Part):
    months: int
    net: Stats
    cost_of_waiting: Stats


class PriorityInfo(_Part):
    id: PlainText
    label: str
    cost_of_delay_per_month: Stats
    months_to_full_effect: Stats
    cd3: Stats


class InputValueInfo(_Part):
    input: PlainText
    label: str
    evppi: float


class ValueOfInformationInfo(_Part):
    evpi: float
    worth_measuring: bool = True
    inputs: list[InputValueInfo]


class DecisionInfo(_Part):
    break_even_success_probability: float | None = Field(ge=0, le=1)
    roi: Stats | None
    payback_month: PaybackInfo | None
    cash_flow_by_year: list[YearInfo]
    delays: list[DelayInfo]
    priority: list[PriorityInfo]
    value_of_information: ValueOfInformationInfo


class MonthInfo(_Part):
    month: int
    cumulative_net: Stats


class ResultDocument(_Part):
    """The result of `inaction estimate --format json`."""

    model_config = ConfigDict(extra="ignore", frozen=True, title="inaction result")

    schema_version: str = Field(
        pattern=r"^1\.\d+$",
        description="MAJOR.MINOR: a minor version only adds fields; a reader refuses an "
        "unknown major.",
    )
    tool: Tool
    profile: ProfileInfo
    settings: SettingsInfo
    benchmarks_version: PlainText
    levers: list[LeverResult]
    totals: TotalsResult
    warnings: list[str]
    as_claimed: AsClaimedInfo | None = Field(None, description="1.2")
    risk: RiskInfo | None = Field(None, description="1.2")
    decision: DecisionInfo | None = Field(None, description="1.2")
    timeline: list[MonthInfo] = Field(default_factory=list, description="1.2")

    def report(self) -> Report:
        """The Report this document is the JSON form of."""
        percentiles = self.settings.percentiles
        totals = self.totals
        market = totals.market_share
        claimed, risk = self.as_claimed, self.risk
        return Report(
            provenance=Provenance(
                tool_version=self.tool.version,
                profile_name=self.profile.name,
                profile_path=self.profile.path,
                profile_sha256=self.profile.sha256,
                benchmarks_version=self.benchmarks_version,
            ),
            settings=Settings(
                samples=self.settings.samples,
                seed=self.settings.seed,
                horizon_months=self.settings.horizon_months,
                discount_rate=self.settings.discount_rate,
                percentiles=tuple(percentiles),
                currency=self.settings.currency,
                delays=tuple(self.settings.delays),
            ),
            levers=tuple(
                LeverReport(
                    id=lever.id,
                    label=lever.label,
                    annual=lever.annual.summary(percentiles),
                    horizon=lever.horizon.summary(percentiles),
                    benchmark=Benchmark(
                        uplift=lever.benchmark.uncertain(),
                        time_to_value_months=lever.benchmark.time_to_value_months.uncertain(),
                        source=lever.benchmark.source,
                        overridden=lever.benchmark.overridden,
                        evidence=lever.benchmark.evidence,
                        starts_after_months=_range_or(lever.benchmark.starts_after_months, 0.0),
                        realisation=_range_or(lever.benchmark.realisation, 1.0),
                    ),
                )
                for lever in self.levers
            ),
            totals=Totals(
                annual=totals.annual.summary(percentiles),
                gross=totals.gross.summary(percentiles),
                adoption_cost=totals.adoption_cost.summary(percentiles),
                market_share=market.summary(percentiles),
                net=totals.net.summary(percentiles),
                cost_of_delay_per_month=totals.cost_of_delay_per_month.summary(percentiles),
                probability_net_positive=totals.probability_net_positive,
                market_share_estimated=any(market.summary(percentiles).percentiles)
                or market.mean != 0,
            ),
            warnings=tuple(self.warnings),
            as_claimed=None
            if claimed is None
            else AsClaimed(claimed.net.summary(percentiles), claimed.probability_net_positive),
            risk=None
            if risk is None
            else RiskSummary(
                risk.given,
                risk.success_probability,
                risk.pilot_months,
                risk.probability_pilot_fails,
                risk.failed_pilot_cost.summary(percentiles),
            ),
            decision=None if self.decision is None else self._decision(self.decision),
            timeline=tuple(month.cumulative_net.summary(percentiles) for month in self.timeline),
        )

    def _decision(self, decision: DecisionInfo) -> Decision:
        percentiles = self.settings.percentiles
        payback = decision.payback_month
        voi = decision.value_of_information
        return Decision(
            break_even_success_probability=decision.break_even_success_probability,
            roi=None if decision.roi is None else decision.roi.summary(percentiles),
            payback_month=None
            if payback is None
            else Payback(
                tuple(
                    None
                    if (month := (payback.__pydantic_extra__ or {})[percentile_key(p)]) is None
                    else float(month)
                    for p in percentiles
                ),
                payback.probability_within_horizon,
            ),
            cash_flow_by_year=tuple(
                YearFlow(
                    year.year,
                    year.months,
                    year.benefits.summary(percentiles),
                    year.costs.summary(percentiles),
                    year.net.summary(percentiles),
                )
                for year in decision.cash_flow_by_year
            ),
            delays=tuple(
                DelayOutcome(
                    delay.months,
                    delay.net.summary(percentiles),
                    delay.cost_of_waiting.summary(percentiles),
                )
                for delay in decision.delays
            ),
            priority=tuple(
                Priority(
                    item.id,
                    item.label,
                    item.cost_of_delay_per_month.summary(percentiles),
                    item.months_to_full_effect.summary(percentiles),
                    item.cd3.summary(percentiles),
                )
                for item in decision.priority
            ),
            value_of_information=ValueOfInformation(
                voi.evpi,
                tuple(InputValue(item.input, item.label, item.evppi) for item in voi.inputs),
                voi.worth_measuring,
            ),
        )


def _range_or(value: RangeInfo | None, default: float) -> Uncertain:
    return Uncertain.point(default) if value is None else value.uncertain()


def is_result(source: object, document: Document) -> bool:
    """A `.json` file is a result; so is anything shaped like one (a result piped to stdin):
    a profile's schema_version is a number, a result's a string, and only results have totals."""
    if isinstance(source, str | os.PathLike) and Path(source).suffix.lower() == ".json":
        return True
    data = document.data
    if not isinstance(data, dict):
        return False
    return isinstance(data.get("schema_version"), str) and "totals" in data


def read_result(document: Document) -> Report:
    """Validate a parsed JSON result and return its Report, or raise InputError."""
    data: Any = document.data
    if document.problems:
        raise InputError(document.problems)
    if not isinstance(data, dict):
        raise InputError.single(
            document.source,
            f"an inaction result is a JSON object, not {messages.describe(data)}",
            line=1,
            column=1,
        )
    version = data.get("schema_version")
    if isinstance(version, str) and version.split(".")[0] != READABLE_MAJOR:
        raise InputError(
            [
                messages.located(
                    document,
                    ("schema_version",),
                    f"this result has format {version}; this inaction reads "
                    f"{READABLE_MAJOR}.x only: use the inaction that wrote it, or upgrade",
                )
            ]
        )
    try:
        result = ResultDocument.model_validate(data)
    except ValidationError as error:
        raise InputError(messages.problems(document, error, ResultDocument)) from None
    _check_percentile_keys(document, result)
    return result.report()


def _check_percentile_keys(document: Document, result: ResultDocument) -> None:
    """Every statistic of the result has a key for each percentile its settings list."""
    wanted = [percentile_key(p) for p in result.settings.percentiles]
    problems = []
    for loc, item in _statistics(result, ()):
        missing = [key for key in wanted if key not in (item.__pydantic_extra__ or {})]
        if missing:
            problems.append(
                messages.located(
                    document, loc, f"missing {', '.join(missing)}: settings.percentiles has them"
                )
            )
    if problems:
        raise InputError(problems)


def _statistics(node: object, loc: Loc) -> Iterator[tuple[Loc, Stats | PaybackInfo]]:
    """Every statistic in a validated result, with where it sits."""
    if isinstance(node, Stats | PaybackInfo):
        yield loc, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _statistics(getattr(node, name), (*loc, name))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _statistics(item, (*loc, index))


def result_json_schema() -> dict[str, Any]:
    """The JSON Schema of a result."""
    schema = ResultDocument.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
