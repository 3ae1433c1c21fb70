"""The company profile: pydantic models of the YAML an analyst writes (DESIGN.md, "Profile").

The sections that turn levers on, and the `benchmarks` overrides, are derived from the
catalogue's declarations (`profile_model`); the other sections are written out here. `validate`
turns a parsed Document into a Profile, or raises InputError with one located, human message
per problem.
"""

from __future__ import annotations

import enum
import functools
import math
import re
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    WithJsonSchema,
    create_model,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from inaction_cli import messages, rules
from inaction_cli.catalogue import Catalogue, InputSpec, LeverSpec, Shape
from inaction_cli.distributions import Distribution
from inaction_cli.errors import InputError, Problem
from inaction_cli.limits import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_HORIZON_MONTHS,
    DEFAULT_PILOT_MONTHS,
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    HORIZON_LIMIT_REASON,
    MAX_COST_LINES,
    MAX_CUSTOM_LEVERS,
    MAX_FACTORS,
    MAX_HORIZON_MONTHS,
    MAX_SAMPLES,
    MAX_SEED,
    MAX_SOURCE_TEXT,
    MAX_TEXT,
    MIN_SAMPLES,
    SAMPLES_LIMIT_REASON,
    SCHEMA_VERSION,
)
from inaction_cli.loader import Document
from inaction_cli.quantities import NOT_NULL, Quantity, Range, Section, number, quantity
from inaction_cli.text import number_text, quoted, unprintable


def _whole(value: Any) -> Any:
    # `samples: 1e5` means 100000: accept a float that is a whole number where an int goes.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Whole = Annotated[int, BeforeValidator(_whole), Strict()]

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_IDENTIFIER = 64


def _identifier(name: str) -> str:
    if not IDENTIFIER.match(name) or len(name) > MAX_IDENTIFIER:
        raise PydanticCustomError(
            "identifier",
            "a name here is lowercase letters, digits and _, starting with a letter, at most "
            "{limit} characters (such as support_deflection), got {got}",
            {"limit": MAX_IDENTIFIER, "got": quoted(name)},
        )
    return name


Identifier = Annotated[
    str,
    Strict(),
    AfterValidator(_identifier),
    WithJsonSchema({"type": "string", "pattern": IDENTIFIER.pattern, "maxLength": MAX_IDENTIFIER}),
]
"""A name the analyst chooses for a custom lever, a factor or a group."""


def _one_line(text: str) -> str:
    # Shown in tables and reports: an escape sequence in it would be obeyed by the terminal.
    found = unprintable(text)
    if found is not None:
        raise PydanticCustomError(
            "control_character",
            "a name is one line of plain text, without control characters (found {found})",
            {"found": found},
        )
    return text


PlainText = Annotated[
    str, Strict(), Field(min_length=1, max_length=MAX_TEXT), AfterValidator(_one_line)
]
"""A name or a label: one line of a table."""
SourceText = Annotated[
    str, Strict(), Field(min_length=1, max_length=MAX_SOURCE_TEXT), AfterValidator(_one_line)
]
"""A citation: a sentence or two, on one line."""


class Company(Section):
    """Who the estimate is for."""

    name: PlainText | SkipJsonSchema[None] = Field(
        None, description="Shown in reports (default: file name)."
    )
    currency: str = Field(
        "EUR", pattern=r"^[A-Z]{3}$", description="ISO 4217 code of every amount in the profile."
    )


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

    annual_revenue: quantity("money") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None, description="Annual revenue (market share)."
    )
    gross_margin: quantity("share") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None, description="Gross margin as a share (0.45 is 45 %): values extra revenue."
    )
    dev_budget: quantity("money") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None, description="Annual development budget: the default adoption cost is 5–10 % of it."
    )


AdoptionMonth = Annotated[Whole, Field(ge=1, le=MAX_HORIZON_MONTHS)]
"""A month of adoption: 1 is the first month after the start delay."""


class CostLine(Section):
    """One cost of adopting: a one-off amount in one month, or a monthly amount over months."""

    label: PlainText = Field(description="What the cost is: shown in reports.")
    one_off: quantity("money") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None, description="An amount paid once, in adoption month `month`."
    )
    month: AdoptionMonth | SkipJsonSchema[None] = Field(
        None, description="The adoption month of a one-off (1 to 120, default 1)."
    )
    monthly: quantity("money") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None, description="An amount paid every month from `from_month` to `to_month`."
    )
    from_month: AdoptionMonth | SkipJsonSchema[None] = Field(
        None, description="First adoption month of a monthly amount (1 to 120, default 1)."
    )
    to_month: AdoptionMonth | SkipJsonSchema[None] = Field(
        None, description="Last adoption month of a monthly amount (default: to the horizon)."
    )


class Adoption(Section):
    """What adopting would cost, and how long the diagnostic takes."""

    setup_cost: quantity("money") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None, description="One-off cost, paid in the first month of adoption."
    )
    annual_run_cost: quantity("money") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None, description="Yearly running cost, paid monthly from the first month of adoption."
    )
    diagnostic_months: quantity("months") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None,
        description="Months of diagnostic before any lever ramps (default: the article's 2–4 "
        "weeks, uniform 0.46–0.92 months).",
    )
    costs: Annotated[dict[Identifier, CostLine], Field(max_length=MAX_COST_LINES)] = Field(
        default_factory=dict,
        description=f"Itemised costs by id (at most {MAX_COST_LINES}): training, integration, "
        "an AI lead, MLOps.",
    )


class Risk(Section):
    """What turns the claimed figure into a risk-adjusted one (DESIGN.md, "Risk")."""

    success_probability: quantity("share") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None,
        description="The chance that the pilot succeeds and the levers deliver (default 1).",
    )
    pilot_months: Whole = Field(
        DEFAULT_PILOT_MONTHS,
        ge=1,
        le=MAX_HORIZON_MONTHS,
        description="Adoption months after which a failed pilot is stopped (default 3).",
    )
    realisation: quantity("share") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None,
        description="The part of each lever's claimed value that is realised (default 1); "
        "levers with a realisation of their own keep it.",
    )
    cost_overrun: quantity("multiplier") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None, description="Multiplies every adoption cost (default 1; 1.5 is 50 % over budget)."
    )


class BenchmarkOverride(Section):
    """Replace some of a lever's catalogue figures; what is left out keeps its default."""

    low: number("uplift") | SkipJsonSchema[None] = None  # type: ignore[valid-type]
    high: number("uplift") | SkipJsonSchema[None] = None  # type: ignore[valid-type]
    distribution: Distribution | SkipJsonSchema[None] = None
    mode: number("uplift") | SkipJsonSchema[None] = None  # type: ignore[valid-type]
    time_to_value_months: quantity("months") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None, description="Months from the end of the diagnostic to full effect."
    )
    starts_after_months: quantity("months") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None, description="Months after the diagnostic before the lever starts to ramp (default 0)."
    )
    realisation: quantity("share") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None,
        description="The part of the lever's claimed value that is realised (default: risk's).",
    )


class LeverKind(enum.StrEnum):
    """What a custom lever brings: a saving counts in full, revenue at gross margin."""

    SAVING = "saving"
    REVENUE = "revenue"


class CustomLeverBase(Section):
    """A use case of the company's own (DESIGN.md, "Custom levers")."""

    if TYPE_CHECKING:  # added by profile_model, from the catalogue's grades
        evidence: str | None

    label: PlainText = Field(description="What the lever is, in a few words: shown in reports.")
    kind: LeverKind = Field(
        description="saving (counts in full) or revenue (valued at finance.gross_margin)."
    )
    factors: Annotated[
        dict[Identifier, quantity("number")],  # type: ignore[valid-type]
        Field(min_length=1, max_length=MAX_FACTORS),
    ] = Field(
        description="1 to 10 named non-negative numbers or ranges, multiplied together: the "
        "yearly base the uplift applies to (tickets_per_year × cost_per_ticket)."
    )
    uplift: quantity("uplift") = Field(  # type: ignore[valid-type]
        description="Relative gain on that base, 0 to 100 (0.3 is 30 %)."
    )
    time_to_value_months: quantity("months") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None,
        description="Months from the end of the diagnostic (and the lag) to full effect "
        "(default 3–9, the article's phase 2).",
    )
    starts_after_months: quantity("months") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None, description="Months after the diagnostic before the lever starts to ramp (default 0)."
    )
    realisation: quantity("share") | SkipJsonSchema[None] = Field(  # type: ignore[valid-type]
        None, description="The part of the lever's value that is realised (default: risk's)."
    )
    group: Identifier | SkipJsonSchema[None] = Field(
        None,
        description="Mechanism group: a profile activates one lever per group, catalogue levers "
        "included (lead_scoring, programmatic, email_personalisation, or a group of your own).",
    )
    source: SourceText = Field(
        description="Where the uplift comes from: a study, a pilot, a vendor's case (required: "
        "a figure without a source is not defensible)."
    )


class Correlation(Section):
    """Two uncertain inputs that move together, by rank (Spearman), from −1 to 1."""

    inputs: Annotated[list[str], Field(min_length=2, max_length=2)] = Field(
        description="Two input paths, such as benchmarks.ctr and benchmarks.roas (the uplifts) "
        "or finance.gross_margin."
    )
    rank_correlation: Annotated[float, Strict()] = Field(
        ge=-1, le=1, allow_inf_nan=False, description="Target rank correlation, −1 to 1."
    )


class ProfileBase(Section):
    """A company profile. Every section is optional; a lever is active when its section is."""

    model_config = ConfigDict(title="inaction profile")
    CATALOGUE: ClassVar[Any] = None
    """The catalogue this profile model was derived from."""

    if TYPE_CHECKING:  # the fields, as profile_model adds them
        schema_version: int
        company: Company
        analysis: Analysis
        finance: Finance
        adoption: Adoption
        risk: Risk | None
        benchmarks: Any
        custom_levers: dict[str, CustomLeverBase]
        correlations: list[Correlation]

    @field_validator("schema_version", mode="before", check_fields=False)
    @classmethod
    def _known_version(cls, version: Any) -> int:
        # In plain words, whatever was written: a profile's format is a whole number.
        version = _whole(version)
        if isinstance(version, int) and not isinstance(version, bool):
            if version > SCHEMA_VERSION:
                raise PydanticCustomError(
                    "schema_version",
                    "schema_version {version} is newer than this inaction understands "
                    "({supported}): upgrade inaction",
                    {"version": number_text(version), "supported": SCHEMA_VERSION},
                )
            if version < SCHEMA_VERSION:
                raise PydanticCustomError(
                    "schema_version",
                    "schema_version must be {supported}, got {version}",
                    {"supported": SCHEMA_VERSION, "version": number_text(version)},
                )
            return version
        got = messages.describe(version)
        if isinstance(version, str):
            got += " (text MAJOR.MINOR is the format of a result, not of a profile)"
        raise PydanticCustomError(
            "schema_version",
            "a profile's schema_version is the whole number {supported}, got {got}",
            {"supported": SCHEMA_VERSION, "got": got},
        )

    def section(self, name: str) -> Any:
        """A section by name (None when the profile leaves it out)."""
        return getattr(self, name)

    def active_levers(self) -> list[str]:
        """Ids of the catalogue levers whose section is present, in catalogue order."""
        book: Catalogue = self.CATALOGUE
        return [
            lever.id for lever in book.levers.values() if self.section(lever.section) is not None
        ]

    def override(self, lever_id: str) -> BenchmarkOverride | None:
        """The profile's override of a catalogue lever's benchmark, if any."""
        found: BenchmarkOverride | None = getattr(self.benchmarks, lever_id)
        return found

    def value(self, path: str) -> Quantity:
        """The number or range at a dotted input path such as `acquisition.cac`."""
        section, name = path.split(".")
        found: Quantity = getattr(self.section(section), name)
        return found


def _section_model(
    name: str, about: str, inputs: tuple[InputSpec, ...], turns_on: str, shape: Shape | None = None
) -> Any:
    """A lever's section: one field per input, typed by its unit; the key that shapes the
    uplift, if the lever has one."""
    fields: dict[str, Any] = {}
    for spec in inputs:
        default = ... if spec.default is None else spec.default
        fields[spec.name] = (quantity(spec.unit), Field(default, description=spec.description))
    validators = {}
    if shape is not None:
        fields[shape.key] = _shape_field(shape)
        validators["_known_level"] = _shape_validator(shape)
    model = create_model(
        name.capitalize(), __base__=Section, __doc__=about, __validators__=validators, **fields
    )
    model.TURNS_ON = turns_on
    return model


def _shape_field(shape: Shape) -> tuple[Any, Any]:
    """The key that shapes an uplift: one of the levels, or a number from 0 to 1."""
    levels = tuple(shape.levels)
    annotation = (
        Literal[levels]  # type: ignore[valid-type]
        | Annotated[float, Strict(), Field(ge=0, le=1, allow_inf_nan=False)]
        | SkipJsonSchema[None]
    )
    return annotation, Field(None, description=shape.description)


def _shape_validator(shape: Shape) -> Any:
    def known_level(cls: Any, value: Any) -> Any:
        # One message for a wrong value, instead of one per branch of the union.
        if value is None or (isinstance(value, str) and value in shape.levels):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                raise PydanticCustomError("finite_number", "expected a finite number")
            if 0 <= value <= 1:
                return value
            raise PydanticCustomError(
                "shape_level",
                "a number for {key} lies from 0 (low) to 1 (high), got {got}",
                {"key": shape.key.replace("_", " "), "got": messages.number_text(value)},
            )
        hint = messages.did_you_mean(value, shape.levels) if isinstance(value, str) else ""
        *first, last = shape.levels
        raise PydanticCustomError(
            "shape_level",
            "expected {names}, or a number from 0 to 1, got {got}{hint}",
            {
                "names": f"{', '.join(first)} or {last}",
                "got": messages.describe(value),
                "hint": hint,
            },
        )

    return field_validator(shape.key, mode="before")(classmethod(known_level))


@functools.cache
def profile_model(book: Catalogue) -> type[ProfileBase]:
    """The Profile model of a catalogue: one optional section per lever, one override each."""
    optional = NOT_NULL
    levers: dict[str, Any] = {}
    for lever in book.levers.values():
        section = _section_model(
            lever.section, lever.about, lever.inputs, lever.id, lever.shaped_by
        )
        levers[lever.section] = (section | optional, None)
    market = book.market_share
    levers[market.section] = (
        _section_model(market.section, market.about, market.inputs, "market_share") | optional,
        None,
    )
    overrides: dict[str, Any] = dict.fromkeys(book.levers, (BenchmarkOverride | optional, None))
    benchmarks = create_model(
        "Benchmarks",
        __base__=Section,
        __doc__="Overrides of the article's benchmark ranges, by lever id.",
        **overrides,
    )
    grades = tuple(book.evidence_grades)
    grade: Any = Literal[grades]
    custom = create_model(
        "CustomLever",
        __base__=CustomLeverBase,
        __doc__=CustomLeverBase.__doc__,
        evidence=(
            grade | optional,
            Field(
                None,
                description=f"How strong the evidence is: {', '.join(grades)} (default "
                "claimed range).",
            ),
        ),
    )
    model = create_model(
        "Profile",
        __base__=ProfileBase,
        __doc__=ProfileBase.__doc__,
        schema_version=(
            Annotated[int, Strict()],
            Field(SCHEMA_VERSION, description="Version of the profile format (1)."),
        ),
        company=(Company, Field(default_factory=Company)),
        analysis=(Analysis, Field(default_factory=Analysis)),
        finance=(Finance, Field(default_factory=Finance)),
        **levers,
        custom_levers=(
            Annotated[dict[Identifier, custom], Field(max_length=MAX_CUSTOM_LEVERS)],
            Field(
                default_factory=dict,
                description=f"Use cases of the company's own, by id (at most {MAX_CUSTOM_LEVERS}).",
            ),
        ),
        adoption=(Adoption, Field(default_factory=Adoption)),
        risk=(Risk | optional, None),
        benchmarks=(benchmarks, Field(default_factory=benchmarks)),
        correlations=(
            list[Correlation],
            Field(
                default_factory=list,
                description="Pairs of uncertain inputs that move together (Iman–Conover): each "
                "keeps its own distribution exactly; only the pairing of samples changes.",
            ),
        ),
    )
    model.CATALOGUE = book
    return model


def validate(document: Document, book: Catalogue) -> ProfileBase:
    """Validate a parsed profile, or raise InputError listing every problem in it."""
    data = document.data
    if not isinstance(data, dict):
        if document.problems:
            raise InputError(document.problems)
        raise InputError.single(
            document.source,
            "a profile is a mapping of sections (company:, finance:, …), not "
            + messages.describe(data),
            line=1,
            column=1,
        )
    model = profile_model(book)
    problems: list[Problem] = []
    profile: ProfileBase | None = None
    try:
        profile = model.model_validate(data)
    except ValidationError as error:
        problems += messages.problems(document, error, model, NOTES)
    problems += rules.section_problems(document, book)
    problems = document.checked(problems)
    if problems:
        raise InputError(problems)
    assert profile is not None
    return profile


NOTES = messages.Notes(
    unknown_keys={
        ("benchmarks", "market_share"): (
            "market_share has no benchmark to override: its erosion rate is market.erosion_per_year"
        ),
    },
    upper_bounds={
        "samples": SAMPLES_LIMIT_REASON,
        "horizon_months": HORIZON_LIMIT_REASON,
        "pilot_months": "a pilot lasts months of the horizon, which is at most 120",
        "cost_overrun": "ten times the budget is beyond the worst IT overruns on record "
        "(Flyvbjerg and Budzier)",
    },
)


def bounds(book: Catalogue, path: str) -> tuple[float, float, str]:
    """The lowest and highest value an input at `path` may take, and its unit."""
    model = messages.model_at(profile_model(book), tuple(path.split(".")))
    if model is not None and issubclass(model, Range):
        return model.LOWER, model.UPPER, model.UNIT
    return 0.0, math.inf, "number"


def shape_position(profile: ProfileBase, lever: LeverSpec) -> tuple[float | None, str]:
    """Where the lever's uplift mode sits in its range (None: uniform), and the level given."""
    if lever.shaped_by is None:
        return None, ""
    given = getattr(profile.section(lever.section), lever.shaped_by.key)
    if isinstance(given, str):
        return lever.shaped_by.levels[given], given
    return given, "" if given is None else messages.number_text(given)


SCHEMA_ID = "https://inaction.invalid/schema/profile-1.json"


def profile_json_schema(book: Catalogue) -> dict[str, Any]:
    """The JSON Schema of a profile, for editors and other tools."""
    schema = profile_model(book).model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
