"""The company profile: pydantic models of the YAML an analyst writes (DESIGN.md, "Profile").

This is the only module that knows pydantic. `validate` turns a parsed Document into a
Profile, or raises InputError with one located, human message per problem.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from inaction_cli import validation
from inaction_cli.benchmarks import catalogue
from inaction_cli.distributions import Distribution, Uncertain
from inaction_cli.errors import InputError, Problem, unprintable
from inaction_cli.levers import GROSS_MARGIN, LEVERS, MARKET_SHARE_SECTION
from inaction_cli.limits import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_HORIZON_MONTHS,
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    HORIZON_LIMIT_REASON,
    MAX_COUNT,
    MAX_HORIZON_MONTHS,
    MAX_MONEY,
    MAX_MONTHS,
    MAX_RATIO,
    MAX_SAMPLES,
    MAX_SEED,
    MAX_UPLIFT,
    MIN_SAMPLES,
    SAMPLES_LIMIT_REASON,
    SCHEMA_VERSION,
)
from inaction_cli.loader import Document, Loc

SECTIONS_OF_LEVERS = frozenset(
    (*(lever.section for lever in LEVERS.values()), MARKET_SHARE_SECTION)
)

Money = Annotated[float, Strict(), Field(ge=0, le=MAX_MONEY, allow_inf_nan=False)]
Count = Annotated[float, Strict(), Field(ge=0, le=MAX_COUNT, allow_inf_nan=False)]
Share = Annotated[float, Strict(), Field(ge=0, le=1, allow_inf_nan=False)]
Ratio = Annotated[float, Strict(), Field(ge=0, le=MAX_RATIO, allow_inf_nan=False)]
Uplift = Annotated[float, Strict(), Field(ge=0, le=MAX_UPLIFT, allow_inf_nan=False)]
Months = Annotated[float, Strict(), Field(ge=0, le=MAX_MONTHS, allow_inf_nan=False)]


def _whole(value: Any) -> Any:
    # `samples: 1e5` means 100000: accept a float that is a whole number where an int goes.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Whole = Annotated[int, BeforeValidator(_whole), Strict()]


class Section(BaseModel):
    """A mapping of the profile: unknown keys are errors, values never change."""

    # Built on first use: the profile's validator then holds every section, and no section
    # needs a validator of its own. This saves tens of milliseconds of start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any, info: ValidationInfo) -> Any:
        # `key:` with nothing after it is YAML's null: a slip, never a way to say "default".
        if value is None:
            field = cls.model_fields[info.field_name or ""]
            model = validation.first_model(field.annotation)
            if model is not None and not issubclass(model, Range):
                message = "the section is empty: give its keys, or remove it"
                if info.field_name in SECTIONS_OF_LEVERS:
                    message += " to turn the lever off"
            else:
                message = "no value (null): give one, or remove the key to use the default"
            raise PydanticCustomError("null_value", message)
        return value


class Range(Section):
    """An uncertain number: `{low, high}`, optionally a distribution and its mode."""

    LOWER: ClassVar[float] = 0.0
    UPPER: ClassVar[float] = math.inf
    UNIT: ClassVar[str] = "number"

    low: float = Field(description="Low end of the range (the 5th percentile for *90 families).")
    high: float = Field(description="High end of the range (the 95th percentile for *90).")
    distribution: Distribution = Field(
        Distribution.UNIFORM,
        description="uniform (default), triangular, pert, normal90 or lognormal90.",
    )
    mode: float | SkipJsonSchema[None] = Field(
        None, description="Most likely value, for triangular and pert (default: the midpoint)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        check_range(self.low, self.high, self.distribution, self.mode)
        return self

    def uncertain(self) -> Uncertain:
        """The range as an engine value."""
        return Uncertain(self.low, self.high, self.distribution, self.mode)


def check_range(low: float, high: float, distribution: Distribution, mode: float | None) -> None:
    """Raise the pydantic error that describes what is wrong with a range, if anything."""
    shown = validation.number_text
    if low > high:
        raise PydanticCustomError(
            "range_order",
            "low ({low}) is above high ({high})",
            {"low": shown(low), "high": shown(high)},
        )
    if mode is not None:
        if not distribution.takes_mode:
            raise PydanticCustomError(
                "range_mode",
                "mode is used only by triangular and pert, not by {distribution}",
                {"distribution": distribution.value},
            )
        if not low <= mode <= high:
            raise PydanticCustomError(
                "range_mode",
                "mode ({mode}) is outside the range [{low}, {high}]",
                {"mode": shown(mode), "low": shown(low), "high": shown(high)},
            )
    if distribution is Distribution.LOGNORMAL90 and low <= 0:
        raise PydanticCustomError(
            "range_lognormal",
            "lognormal90 needs low > 0 (its logarithm is taken), got {low}",
            {"low": shown(low)},
        )


class MoneyRange(Range):
    """A range of money."""

    UPPER: ClassVar[float] = MAX_MONEY
    UNIT: ClassVar[str] = "money"
    low: Money
    high: Money
    mode: Money | SkipJsonSchema[None] = None


class CountRange(Range):
    """A range of counts."""

    UPPER: ClassVar[float] = MAX_COUNT
    UNIT: ClassVar[str] = "count"
    low: Count
    high: Count
    mode: Count | SkipJsonSchema[None] = None


class ShareRange(Range):
    """A range of shares (0.45 is 45 %)."""

    UPPER: ClassVar[float] = 1.0
    UNIT: ClassVar[str] = "share"
    low: Share
    high: Share
    mode: Share | SkipJsonSchema[None] = None


class RatioRange(Range):
    """A range of ratios."""

    UPPER: ClassVar[float] = MAX_RATIO
    UNIT: ClassVar[str] = "ratio"
    low: Ratio
    high: Ratio
    mode: Ratio | SkipJsonSchema[None] = None


class UpliftRange(Range):
    """A range of relative uplifts (0.25 is +25 %, or −25 % for a cost)."""

    UPPER: ClassVar[float] = MAX_UPLIFT
    UNIT: ClassVar[str] = "uplift"
    low: Uplift
    high: Uplift
    mode: Uplift | SkipJsonSchema[None] = None


class MonthsRange(Range):
    """A range of months."""

    UPPER: ClassVar[float] = MAX_MONTHS
    UNIT: ClassVar[str] = "months"
    low: Months
    high: Months
    mode: Months | SkipJsonSchema[None] = None


def _number_or_range(value: Any) -> str:
    return "range" if isinstance(value, dict | Range) else "number"


MoneyInput = Annotated[
    Annotated[Money, Tag("number")] | Annotated[MoneyRange, Tag("range")],
    Discriminator(_number_or_range),
]
CountInput = Annotated[
    Annotated[Count, Tag("number")] | Annotated[CountRange, Tag("range")],
    Discriminator(_number_or_range),
]
ShareInput = Annotated[
    Annotated[Share, Tag("number")] | Annotated[ShareRange, Tag("range")],
    Discriminator(_number_or_range),
]
RatioInput = Annotated[
    Annotated[Ratio, Tag("number")] | Annotated[RatioRange, Tag("range")],
    Discriminator(_number_or_range),
]
MonthsInput = Annotated[
    Annotated[Months, Tag("number")] | Annotated[MonthsRange, Tag("range")],
    Discriminator(_number_or_range),
]

Quantity = float | Range


def uncertain(quantity: Quantity) -> Uncertain:
    """A profile number or range as an engine value."""
    return quantity.uncertain() if isinstance(quantity, Range) else Uncertain.point(quantity)


class Company(Section):
    """Who the estimate is for."""

    name: str | SkipJsonSchema[None] = Field(
        None, min_length=1, max_length=200, description="Shown in reports (default: file name)."
    )
    currency: str = Field(
        "EUR", pattern=r"^[A-Z]{3}$", description="ISO 4217 code of every amount in the profile."
    )

    @field_validator("name")
    @classmethod
    def _plain_text(cls, name: str | None) -> str | None:
        # A name is printed in tables: an escape sequence in it would be obeyed by the terminal.
        found = None if name is None else unprintable(name)
        if found is not None:
            raise PydanticCustomError(
                "control_character",
                "a name is one line of plain text, without control characters (found {found})",
                {"found": found},
            )
        return name


class Analysis(Section):
    """How the estimate is run; the command line's flags override these."""

    horizon_months: Whole = Field(
        DEFAULT_HORIZON_MONTHS,
        ge=1,
        le=MAX_HORIZON_MONTHS,
        description=f"Months over which costs are counted (1 to {MAX_HORIZON_MONTHS}).",
    )
    discount_rate: Annotated[float, Strict()] = Field(
        DEFAULT_DISCOUNT_RATE,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Annual discount rate (0.08 is 8 %).",
    )
    samples: Whole = Field(
        DEFAULT_SAMPLES,
        ge=MIN_SAMPLES,
        le=MAX_SAMPLES,
        description=f"Monte Carlo samples ({MIN_SAMPLES:,} to {MAX_SAMPLES:,}).",
    )
    seed: Whole = Field(
        DEFAULT_SEED, ge=0, le=MAX_SEED, description="Random seed: the same seed, the same numbers."
    )


class Finance(Section):
    """Company-wide figures that several levers share."""

    annual_revenue: MoneyInput | SkipJsonSchema[None] = Field(
        None, description="Annual revenue (market share)."
    )
    gross_margin: ShareInput | SkipJsonSchema[None] = Field(
        None, description="Gross margin as a share (0.45 is 45 %): values extra revenue."
    )
    dev_budget: MoneyInput | SkipJsonSchema[None] = Field(
        None, description="Annual development budget: the default adoption cost is 5–10 % of it."
    )


class Operations(Section):
    """Lever `productivity`: repetitive work automated."""

    headcount: CountInput = Field(description="Full-time staff whose repetitive work AI takes on.")
    loaded_cost_per_fte: MoneyInput = Field(description="Yearly loaded cost of one of them.")


class Acquisition(Section):
    """Lever `cac`: lead scoring lowers the cost of acquiring a customer."""

    new_customers_per_year: CountInput = Field(description="Customers acquired per year.")
    cac: MoneyInput = Field(description="Customer acquisition cost, per new customer.")
    targeted_share: ShareInput = Field(
        1.0, description="Share of acquisition in the segments scoring targets (default 1)."
    )


DATA_QUALITY_LEVELS = {"low": 0.0, "medium": 0.5, "high": 1.0}


class Email(Section):
    """Lever `ctr`: personalised e-mail lifts click-through, and revenue with it."""

    annual_revenue: MoneyInput = Field(description="Revenue the e-mail channel brings per year.")
    data_quality: (
        Literal["low", "medium", "high"]
        | Annotated[float, Strict(), Field(ge=0, le=1, allow_inf_nan=False)]
        | SkipJsonSchema[None]
    ) = Field(
        None,
        description="How clean the customer data is: low, medium, high, or a number from 0 to "
        "1. The article says the CTR uplift depends on it: the uplift becomes a PERT whose mode "
        "sits that far up its range (low at the bottom, high at the top). Default: uniform.",
    )

    @field_validator("data_quality", mode="before")
    @classmethod
    def _known_level(cls, value: Any) -> Any:
        # One message for a wrong value, instead of one per branch of the union.
        if value is None or (isinstance(value, str) and value in DATA_QUALITY_LEVELS):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                raise PydanticCustomError("finite_number", "expected a finite number")
            if 0 <= value <= 1:
                return value
            raise PydanticCustomError(
                "data_quality",
                "a number for data quality lies from 0 (low) to 1 (high), got {got}",
                {"got": validation.number_text(value)},
            )
        hint = validation.did_you_mean(value, DATA_QUALITY_LEVELS) if isinstance(value, str) else ""
        raise PydanticCustomError(
            "data_quality",
            "expected low, medium or high, or a number from 0 to 1, got {got}{hint}",
            {"got": validation.describe(value), "hint": hint},
        )

    def data_quality_position(self) -> float | None:
        """Where the mode of the CTR uplift sits in its range, from 0 to 1 (None: uniform)."""
        if isinstance(self.data_quality, str):
            return DATA_QUALITY_LEVELS[self.data_quality]
        return self.data_quality


class Advertising(Section):
    """Lever `roas`: AI-optimised programmatic campaigns."""

    programmatic_spend: MoneyInput = Field(description="Programmatic ad spend per year.")
    roas: RatioInput = Field(description="Return on ad spend today (3.0: 3 of revenue per 1).")


class Sales(Section):
    """Lever `meetings`: scoring raises the rate of qualified meetings."""

    qualified_meetings_per_year: CountInput = Field(description="Qualified meetings per year.")
    close_rate: ShareInput = Field(description="Share of qualified meetings that become deals.")
    average_deal_value: MoneyInput = Field(description="Revenue of an average deal.")


class Leads(Section):
    """Lever `cpl`: model-driven campaigns lower the cost per lead."""

    leads_per_year: CountInput = Field(description="Leads bought per year.")
    cpl: MoneyInput = Field(description="Cost per lead.")


class Retention(Section):
    """Lever `retention`: personalised e-mail keeps more new customers past 90 days."""

    new_customers_per_year: CountInput = Field(description="New customers per year.")
    retention_90d: ShareInput = Field(description="Share still active after 90 days.")
    annual_revenue_per_customer: MoneyInput = Field(description="Yearly revenue of a customer.")


class Ecommerce(Section):
    """Lever `returns`: size and description recommendations cut product returns."""

    orders_per_year: CountInput = Field(description="Orders shipped per year.")
    return_rate: ShareInput = Field(description="Share of orders returned (0.18 is 18 %).")
    cost_per_return: MoneyInput = Field(description="Logistics cost of one return.")


class Market(Section):
    """Lever `market_share`: what inaction loses while competitors adopt AI."""

    erosion_per_year: ShareInput = Field(
        description="Share of revenue lost per year to adopters (the article gives no figure)."
    )


class Adoption(Section):
    """What adopting would cost, and how long the diagnostic takes."""

    setup_cost: MoneyInput | SkipJsonSchema[None] = Field(
        None, description="One-off cost, paid when starting."
    )
    annual_run_cost: MoneyInput | SkipJsonSchema[None] = Field(
        None, description="Yearly running cost."
    )
    diagnostic_months: MonthsInput | SkipJsonSchema[None] = Field(
        None, description="Months of diagnostic before any lever ramps (default 0.5–1.0)."
    )


class BenchmarkOverride(Section):
    """Replace some of a lever's catalogue figures; what is left out keeps its default."""

    low: Uplift | SkipJsonSchema[None] = None
    high: Uplift | SkipJsonSchema[None] = None
    distribution: Distribution | SkipJsonSchema[None] = None
    mode: Uplift | SkipJsonSchema[None] = None
    time_to_value_months: MonthsInput | SkipJsonSchema[None] = Field(
        None, description="Months from the end of the diagnostic to full effect."
    )


class Benchmarks(Section):
    """Overrides of the article's benchmark ranges, by lever id."""

    productivity: BenchmarkOverride | SkipJsonSchema[None] = None
    cac: BenchmarkOverride | SkipJsonSchema[None] = None
    ctr: BenchmarkOverride | SkipJsonSchema[None] = None
    roas: BenchmarkOverride | SkipJsonSchema[None] = None
    meetings: BenchmarkOverride | SkipJsonSchema[None] = None
    cpl: BenchmarkOverride | SkipJsonSchema[None] = None
    retention: BenchmarkOverride | SkipJsonSchema[None] = None
    returns: BenchmarkOverride | SkipJsonSchema[None] = None


class Correlation(Section):
    """Two uncertain inputs that move together, by rank (Spearman), from −1 to 1."""

    inputs: Annotated[list[str], Field(min_length=2, max_length=2)] = Field(
        description="Two input paths, such as benchmarks.ctr and benchmarks.roas (the uplifts) "
        "or finance.gross_margin."
    )
    rank_correlation: Annotated[float, Strict()] = Field(
        ge=-1, le=1, allow_inf_nan=False, description="Target rank correlation, −1 to 1."
    )


class Profile(Section):
    """A company profile. Every section is optional; a lever is active when its section is."""

    model_config = ConfigDict(title="inaction profile")

    schema_version: Annotated[int, Strict()] = Field(
        SCHEMA_VERSION, description="Version of the profile format (1)."
    )
    company: Company = Field(default_factory=Company)
    analysis: Analysis = Field(default_factory=Analysis)
    finance: Finance = Field(default_factory=Finance)
    operations: Operations | SkipJsonSchema[None] = None
    acquisition: Acquisition | SkipJsonSchema[None] = None
    email: Email | SkipJsonSchema[None] = None
    advertising: Advertising | SkipJsonSchema[None] = None
    sales: Sales | SkipJsonSchema[None] = None
    leads: Leads | SkipJsonSchema[None] = None
    retention: Retention | SkipJsonSchema[None] = None
    ecommerce: Ecommerce | SkipJsonSchema[None] = None
    market: Market | SkipJsonSchema[None] = None
    adoption: Adoption = Field(default_factory=Adoption)
    benchmarks: Benchmarks = Field(default_factory=Benchmarks)
    correlations: list[Correlation] = Field(
        default_factory=list,
        description="Pairs of uncertain inputs that move together (Iman–Conover): each keeps "
        "its own distribution exactly; only the pairing of samples changes.",
    )

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version > SCHEMA_VERSION:
            raise PydanticCustomError(
                "schema_version",
                "schema_version {version} is newer than this inaction understands "
                "({supported}): upgrade inaction",
                {"version": version, "supported": SCHEMA_VERSION},
            )
        if version < SCHEMA_VERSION:
            raise PydanticCustomError(
                "schema_version",
                "schema_version must be {supported}",
                {"supported": SCHEMA_VERSION},
            )
        return version

    def active_levers(self) -> list[str]:
        """Ids of the levers whose section is present, in catalogue order."""
        return [lever.id for lever in LEVERS.values() if getattr(self, lever.section) is not None]

    def value(self, path: str) -> Quantity:
        """The number or range at a dotted input path such as `acquisition.cac`."""
        section, name = path.split(".")
        found: Quantity = getattr(getattr(self, section), name)
        return found


def validate(document: Document) -> Profile:
    """Validate a parsed profile, or raise InputError listing every problem in it."""
    data = document.data
    if not isinstance(data, dict):
        if document.problems:
            raise InputError(document.problems)
        raise InputError.single(
            document.source,
            "a profile is a mapping of sections (company:, finance:, …), not "
            + validation.describe(data),
            line=1,
            column=1,
        )
    problems: list[Problem] = []
    profile: Profile | SkipJsonSchema[None] = None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as error:
        problems += validation.problems(document, error, Profile, NOTES)
    problems += _combination_problems(document)
    problems += _override_problems(document)
    problems = document.checked(problems)
    if problems:
        raise InputError(problems)
    assert profile is not None
    return profile


NOTES = validation.Notes(
    unknown_keys={
        ("benchmarks", "market_share"): (
            "market_share has no benchmark to override: its erosion rate is market.erosion_per_year"
        ),
    },
    upper_bounds={
        "samples": SAMPLES_LIMIT_REASON,
        "horizon_months": HORIZON_LIMIT_REASON,
    },
)


def bounds(path: str) -> tuple[float, float, str]:
    """The lowest and highest value an input at `path` may take, and its unit."""
    model = validation.model_at(Profile, tuple(path.split(".")))
    if model is not None and issubclass(model, Range):
        return model.LOWER, model.UPPER, model.UNIT
    return 0.0, math.inf, "number"


def resolved_uplift(profile: Profile, lever_id: str) -> tuple[Uncertain, Uncertain, bool]:
    """A lever's uplift and time to full effect after the profile's overrides, and whether
    the profile overrode anything."""
    default = catalogue().levers[lever_id]
    override: BenchmarkOverride | SkipJsonSchema[None] = getattr(profile.benchmarks, lever_id)
    if override is None:
        return default.uplift, default.time_to_value_months, False
    uplift = Uncertain(
        default.uplift.low if override.low is None else override.low,
        default.uplift.high if override.high is None else override.high,
        default.uplift.distribution if override.distribution is None else override.distribution,
        override.mode,
    )
    time_to_value = (
        default.time_to_value_months
        if override.time_to_value_months is None
        else uncertain(override.time_to_value_months)
    )
    return uplift, time_to_value, True


# --- cross-field rules -------------------------------------------------------------------


def _combination_problems(document: Document) -> list[Problem]:
    """Rules between sections, checked on the raw data so that they are reported even when
    a section has errors of its own."""
    data: dict[str, Any] = document.data
    problems = []
    present = [lever for lever in LEVERS.values() if lever.section in data]
    for group, members in catalogue().groups().items():
        active = [lever for lever in present if lever.id in members]
        for second in active[1:]:
            first = active[0]
            problems.append(
                validation.located(
                    document,
                    (second.section,),
                    f"levers '{first.id}' ({first.section}:) and '{second.id}' ({second.section}:)"
                    f" are both mechanism group '{group}': they count the same benefit, so a "
                    "profile may activate only one of them",
                    key=True,
                )
            )
    email, overrides = data.get("email"), data.get("benchmarks")
    ctr = overrides.get("ctr") if isinstance(overrides, dict) else None
    if isinstance(email, dict) and "data_quality" in email and isinstance(ctr, dict):
        clash = sorted({"distribution", "mode"} & set(ctr))
        if clash:
            problems.append(
                validation.located(
                    document,
                    ("email", "data_quality"),
                    "email.data_quality shapes the CTR uplift as a PERT; benchmarks.ctr gives "
                    f"its own {' and '.join(clash)}: keep one of the two",
                    key=True,
                )
            )
    finance = data.get("finance")
    has = set(finance) if isinstance(finance, dict) else set()
    needs = [(lever.id, lever.section) for lever in present if lever.needs_gross_margin]
    if MARKET_SHARE_SECTION in data:
        needs.append(("market_share", MARKET_SHARE_SECTION))
        if "annual_revenue" not in has:
            problems.append(
                validation.located(
                    document,
                    (MARKET_SHARE_SECTION,),
                    "lever 'market_share' needs finance.annual_revenue: erosion is a share of it",
                    key=True,
                )
            )
    for lever_id, section in needs:
        if GROSS_MARGIN.split(".")[1] not in has:
            problems.append(
                validation.located(
                    document,
                    (section,),
                    f"lever '{lever_id}' needs finance.gross_margin: it values revenue at margin",
                    key=True,
                )
            )
    return problems


def _override_problems(document: Document) -> list[Problem]:
    """A benchmark override merged with the catalogue must still be a valid range. Checked on
    the raw data, field by field, so that it is reported beside every other problem."""
    overrides = document.data.get("benchmarks")
    if not isinstance(overrides, dict):
        return []
    problems = []
    for lever_id, raw in overrides.items():
        if lever_id not in LEVERS or not isinstance(raw, dict):
            continue
        default = catalogue().levers[lever_id].uplift
        try:
            distribution = Distribution(raw.get("distribution", default.distribution))
        except ValueError:
            continue  # reported by the model
        low, high = _finite(raw.get("low")), _finite(raw.get("high"))
        uplift = Uncertain(
            default.low if low is None else low,
            default.high if high is None else high,
            distribution,
            _finite(raw.get("mode")),
        )
        loc: Loc = ("benchmarks", lever_id)
        try:
            check_range(uplift.low, uplift.high, uplift.distribution, uplift.mode)
        except PydanticCustomError as error:
            detail = error.message()
            if error.type == "range_order" and not ("low" in raw and "high" in raw):
                detail += (
                    f" (the catalogue's range is [{validation.number_text(default.low)}, "
                    f"{validation.number_text(default.high)}]: override both ends)"
                )
            problems.append(validation.located(document, loc, detail))
            continue
        cap = LEVERS[lever_id].max_uplift
        if cap < MAX_UPLIFT and uplift.high > cap:
            problems.append(
                validation.located(
                    document,
                    loc,
                    f"high ({validation.number_text(uplift.high)}) is above "
                    f"{validation.number_text(cap)}: '{lever_id}' cuts a cost, which cannot fall "
                    "by more than all of it",
                )
            )
    return problems


def _finite(value: Any) -> float | None:
    """`value` if it is a finite number, else None (its own error is reported apart)."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if number and math.isfinite(value) else None


def override_warnings(profile: Profile) -> list[str]:
    """Overrides of levers the profile does not activate do nothing: say so."""
    active = set(profile.active_levers())
    return [
        f"benchmarks.{lever_id} is set but lever '{lever_id}' is not active "
        f"(no {LEVERS[lever_id].section}: section): the override is ignored"
        for lever_id in LEVERS
        if getattr(profile.benchmarks, lever_id) is not None and lever_id not in active
    ]


SCHEMA_ID = "https://inaction.invalid/schema/profile-1.json"


def profile_json_schema() -> dict[str, Any]:
    """The JSON Schema of a profile, for editors and other tools."""
    schema = Profile.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
