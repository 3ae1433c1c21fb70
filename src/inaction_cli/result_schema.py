"""The published shape of `estimate --format json`, and how `diff` reads a result back.

A result is input too when `diff` reads it: strict JSON (`strict_json`), then validated like a
profile, with located errors, against the types and the bounds of what inaction writes, before
any number of it is used (a result's `samples` and `seed` may drive a new estimate). Extra
fields are accepted, since a minor version of the format only adds fields.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, ValidationError
from pydantic_core import PydanticCustomError

from inaction_cli import messages
from inaction_cli.distributions import Distribution, Uncertain
from inaction_cli.errors import InputError, Problem
from inaction_cli.limits import (
    MAX_CUSTOM_LEVERS,
    MAX_DELAYS,
    MAX_HORIZON_MONTHS,
    MAX_PERCENTILES,
    MAX_SAMPLES,
    MAX_SEED,
    MIN_SAMPLES,
)
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
    percentile_collision,
    percentile_key,
)
from inaction_cli.text import number_text, quoted, unprintable

SCHEMA_ID = "https://inaction.invalid/schema/result-1.json"
READABLE_MAJOR = RESULT_SCHEMA_VERSION.split(".")[0]
VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
"""MAJOR.MINOR, as inaction writes it."""
MAX_FIGURE = 1e200
"""Beyond any figure inaction writes (a custom lever's ten factors of at most 10^15 each, times
an uplift of 100, stay below 10^153), and far enough below the largest double that a
difference or a ratio of two figures stays a number: a diff never writes Infinity."""
MAX_LEVERS = 8 + MAX_CUSTOM_LEVERS
"""The catalogue's levers and the custom ones."""


def _figure(value: float) -> float:
    if not math.isfinite(value):
        raise PydanticCustomError("finite_number", "expected a finite number")
    if abs(value) > MAX_FIGURE:
        raise PydanticCustomError(
            "figure_size",
            "{got} is beyond any figure inaction writes (at most 10^200 in size)",
            {"got": number_text(value)},
        )
    return value


Number = Annotated[float, Strict(), AfterValidator(_figure)]
"""A figure: a JSON number (never a yes/no value or text), finite and bounded."""
Share = Annotated[float, Strict(), Field(ge=0, le=1), AfterValidator(_figure)]
"""A probability or a share, from 0 to 1."""
Whole = Annotated[int, Strict()]
Months = Annotated[int, Strict(), Field(ge=0, le=MAX_HORIZON_MONTHS)]
Month = Annotated[int, Strict(), Field(ge=1, le=MAX_HORIZON_MONTHS)]
Text = Annotated[str, Strict()]


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


PlainText = Annotated[str, Strict(), AfterValidator(_plain)]
"""Text that inaction writes from its own catalogue: never with control characters. (Names
and paths may hold anything a file name holds; the renderers show them escaped.)"""


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Stats(_Part):
    """Mean and one `p<percentile>` key per requested percentile, in the currency, in cents."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, Number] = Field(init=False)

    mean: Number

    def summary(self, percentiles: list[float]) -> Summary:
        """Back to the engine's Summary, in the order of `percentiles`."""
        extra = self.__pydantic_extra__ or {}
        return Summary(self.mean, tuple(extra[percentile_key(p)] for p in percentiles))


class Tool(_Part):
    name: PlainText
    version: PlainText


class ProfileInfo(_Part):
    name: Text
    path: Text
    sha256: Text = Field(pattern=r"^[0-9a-f]{64}$")


class SettingsInfo(_Part):
    samples: Whole = Field(ge=MIN_SAMPLES, le=MAX_SAMPLES)
    seed: Whole = Field(ge=0, le=MAX_SEED)
    horizon_months: Month
    discount_rate: Share
    percentiles: list[Annotated[float, Strict(), Field(ge=0, le=100)]] = Field(
        min_length=1, max_length=MAX_PERCENTILES
    )
    currency: Text = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code.")
    delays: list[Months] = Field(
        default_factory=lambda: list(DEFAULT_DELAYS),
        max_length=MAX_DELAYS,
        description="Start delays, in months (1.2).",
    )


class RangeInfo(_Part):
    low: Number
    high: Number
    distribution: Distribution
    mode: Number | None = None

    def uncertain(self) -> Uncertain:
        return Uncertain(self.low, self.high, self.distribution, self.mode)


class BenchmarkInfo(RangeInfo):
    time_to_value_months: RangeInfo
    source: Text
    overridden: Annotated[bool, Strict()] = False
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
    probability_net_positive: Share


class AsClaimedInfo(_Part):
    net: Stats = Field(description="The net with S = 1, ρ = 1, Ω = 1, on the same samples.")
    probability_net_positive: Share


class RiskInfo(_Part):
    given: Annotated[bool, Strict()]
    success_probability: Share
    pilot_months: Month
    probability_pilot_fails: Share
    failed_pilot_cost: Stats


class PaybackInfo(_Part):
    """A month (or null, beyond the horizon) per `p<percentile>` key."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, Month | None] = Field(init=False)

    probability_within_horizon: Share


class YearInfo(_Part):
    year: Annotated[int, Strict(), Field(ge=1, le=MAX_HORIZON_MONTHS // 12)]
    months: Annotated[int, Strict(), Field(ge=1, le=12)]
    benefits: Stats
    costs: Stats
    net: Stats


class DelayInfo(_Part):
    months: Months
    net: Stats
    cost_of_waiting: Stats


class PriorityInfo(_Part):
    id: PlainText
    label: Text
    cost_of_delay_per_month: Stats
    months_to_full_effect: Stats
    cd3: Stats


class InputValueInfo(_Part):
    input: PlainText
    label: Text
    evppi: Number


class ValueOfInformationInfo(_Part):
    evpi: Number
    worth_measuring: Annotated[bool, Strict()] = True
    inputs: list[InputValueInfo]


class DecisionInfo(_Part):
    break_even_success_probability: Share | None
    roi: Stats | None
    payback_month: PaybackInfo | None
    cash_flow_by_year: list[YearInfo] = Field(max_length=MAX_HORIZON_MONTHS // 12)
    delays: list[DelayInfo] = Field(max_length=MAX_DELAYS)
    priority: list[PriorityInfo] = Field(max_length=MAX_LEVERS)
    value_of_information: ValueOfInformationInfo


class MonthInfo(_Part):
    month: Month
    cumulative_net: Stats


class ResultDocument(_Part):
    """The result of `inaction estimate --format json`."""

    model_config = ConfigDict(extra="ignore", frozen=True, title="inaction result")

    schema_version: Text = Field(
        pattern=r"^1\.\d+$",
        description='The format, text MAJOR.MINOR such as "1.2": a minor version only adds '
        "fields; a reader refuses an unknown major.",
    )
    tool: Tool
    profile: ProfileInfo
    settings: SettingsInfo
    benchmarks_version: PlainText
    levers: list[LeverResult] = Field(max_length=MAX_LEVERS)
    totals: TotalsResult
    warnings: list[Text]
    as_claimed: AsClaimedInfo | None = Field(None, description="1.2")
    risk: RiskInfo | None = Field(None, description="1.2")
    decision: DecisionInfo | None = Field(None, description="1.2")
    timeline: list[MonthInfo] = Field(
        default_factory=list, max_length=MAX_HORIZON_MONTHS, description="1.2"
    )

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
    return looks_like_result(document.data)


def looks_like_result(data: object) -> bool:
    """Whether parsed data is shaped like a result rather than a profile."""
    return (
        isinstance(data, dict) and isinstance(data.get("schema_version"), str) and "totals" in data
    )


def read_result(document: Document) -> Report:
    """Validate a parsed JSON result and return its Report, or raise InputError: every field
    is checked against the format and the command line's bounds before any is used."""
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
    _check_version(document, data)
    try:
        result = ResultDocument.model_validate(data)
    except ValidationError as error:
        notes = messages.Notes(writing_hints=False)
        raise InputError(messages.problems(document, error, ResultDocument, notes)) from None
    problems = [*_percentile_problems(document, result), *_identity_problems(document, result)]
    if problems:
        raise InputError(problems)
    return result.report()


def _check_version(document: Document, data: dict[str, Any]) -> None:
    """The format version, in plain words: MAJOR.MINOR text, of a major this inaction reads."""
    if "schema_version" not in data:
        return  # reported as a missing key, with the others
    version = data["schema_version"]
    example = f'such as "{RESULT_SCHEMA_VERSION}"'
    if not isinstance(version, str):
        message = (
            f"the format of a result is text, MAJOR.MINOR in quotes ({example}), got "
            f"{messages.describe(version)}"
        )
    else:
        match = VERSION.match(version)
        if match is None:
            message = f"the format of a result is MAJOR.MINOR ({example}), got {quoted(version)}"
        elif match.group(1) != READABLE_MAJOR:
            message = (
                f"this result is in format {version}; this inaction reads format "
                f"{READABLE_MAJOR}.x (a newer minor only adds fields), not another major: use "
                "the inaction that wrote it, or upgrade"
            )
        else:
            return
    raise InputError([messages.located(document, ("schema_version",), message)])


def _percentile_problems(document: Document, result: ResultDocument) -> list[Problem]:
    """The percentiles are distinct once written as keys, and every statistic has each."""
    percentiles = result.settings.percentiles
    loc: Loc = ("settings", "percentiles")
    keys: dict[str, float] = {}
    for index, percentile in enumerate(percentiles):
        key = percentile_key(percentile)
        if key in keys:
            why = percentile_collision([keys[key], percentile]) or (
                f"{number_text(percentile)} is given twice"
            )
            return [messages.located(document, (*loc, index), why)]
        keys[key] = percentile
    problems = []
    for where, item in _statistics(result, ()):
        missing = [key for key in keys if key not in (item.__pydantic_extra__ or {})]
        if missing:
            problems.append(
                messages.located(
                    document, where, f"missing {', '.join(missing)}: settings.percentiles has them"
                )
            )
    return problems


def _identity_problems(document: Document, result: ResultDocument) -> list[Problem]:
    """Each lever once (a diff pairs levers by id), and no month past the horizon."""
    problems = []
    places: list[tuple[str, Loc, list[str]]] = [
        ("levers", ("levers",), [lever.id for lever in result.levers])
    ]
    if result.decision is not None:
        ranked = [item.id for item in result.decision.priority]
        places.append(("decision.priority", ("decision", "priority"), ranked))
    for name, loc, ids in places:
        seen: dict[str, int] = {}
        for index, lever_id in enumerate(ids):
            if lever_id not in seen:
                seen[lever_id] = index
                continue
            problems.append(
                messages.located(
                    document,
                    (*loc, index, "id"),
                    f"lever {quoted(lever_id)} is given twice (first at {name}[{seen[lever_id]}])"
                    ": a result holds each lever once",
                )
            )
    horizon = result.settings.horizon_months
    months: list[tuple[Loc, int | None]] = [
        (("timeline", index, "month"), item.month) for index, item in enumerate(result.timeline)
    ]
    payback = result.decision.payback_month if result.decision else None
    if payback is not None:
        months += [
            (("decision", "payback_month", key), month)
            for key, month in (payback.__pydantic_extra__ or {}).items()
        ]
    for where, month in months:
        if month is not None and month > horizon:
            problems.append(
                messages.located(
                    document,
                    where,
                    f"month {month} is past the horizon of settings.horizon_months ({horizon})",
                )
            )
    return problems


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
