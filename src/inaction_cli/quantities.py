"""Numbers and uncertain ranges as a profile writes them, for each unit: one factory.

Any numeric input of a profile may be a plain number or a range `{low, high}` with an optional
distribution and mode. `quantity(unit)` is the pydantic type of such an input, bounded for its
unit; `uncertain` turns a validated one into the engine's value.
"""

from __future__ import annotations

import functools
import math
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    Tag,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from inaction_cli import messages
from inaction_cli.distributions import Distribution, Uncertain
from inaction_cli.limits import (
    MAX_COUNT,
    MAX_MONEY,
    MAX_MONTHS,
    MAX_MULTIPLIER,
    MAX_RATIO,
    MAX_UPLIFT,
)
from inaction_cli.text import number_text

UPPER_BOUNDS = {
    "money": MAX_MONEY,
    "count": MAX_COUNT,
    "share": 1,
    "ratio": MAX_RATIO,
    "uplift": MAX_UPLIFT,
    "months": MAX_MONTHS,
    "number": MAX_MONEY,
    "multiplier": MAX_MULTIPLIER,
}
"""Each unit's highest value; every unit starts at 0."""
NOT_NULL: Any = SkipJsonSchema[None]  # type: ignore[misc]
"""`| NOT_NULL`: None is the default, and not a value a profile writes (left out of the schema)."""
UNIT_NOUNS = {
    "money": "money",
    "count": "counts",
    "share": "shares (0.45 is 45 %)",
    "ratio": "ratios",
    "uplift": "relative uplifts (0.25 is +25 %, or −25 % for a cost)",
    "months": "months",
    "number": "numbers",
    "multiplier": "cost multipliers (1.5 is 50 % over budget)",
}


class Section(BaseModel):
    """A mapping of the profile: unknown keys are errors, values never change."""

    # Built on first use: the profile's validator then holds every section, and no section
    # needs a validator of its own. This saves tens of milliseconds of start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    TURNS_ON: ClassVar[str | None] = None
    """The lever this section turns on by being present, if any."""

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any, info: ValidationInfo) -> Any:
        # `key:` with nothing after it is YAML's null: a slip, never a way to say "default".
        if value is None:
            field = cls.model_fields[info.field_name or ""]
            model = messages.first_model(field.annotation)
            if model is not None and not issubclass(model, Range):
                message = "the section is empty: give its keys, or remove it"
                if issubclass(model, Section) and model.TURNS_ON is not None:
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
    if low > high:
        raise PydanticCustomError(
            "range_order",
            "low ({low}) is above high ({high})",
            {"low": number_text(low), "high": number_text(high)},
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
                {"mode": number_text(mode), "low": number_text(low), "high": number_text(high)},
            )
    if distribution is Distribution.LOGNORMAL90 and low <= 0:
        raise PydanticCustomError(
            "range_lognormal",
            "lognormal90 needs low > 0 (its logarithm is taken), got {low}",
            {"low": number_text(low)},
        )


@functools.cache
def number(unit: str) -> Any:
    """The type of a plain number of `unit`: a finite float from 0 to the unit's bound."""
    return Annotated[float, Strict(), Field(ge=0, le=UPPER_BOUNDS[unit], allow_inf_nan=False)]


@functools.cache
def range_model(unit: str) -> type[Range]:
    """The range model of `unit` (MoneyRange, ShareRange, …): its ends bounded like a number."""
    bounded = number(unit)
    optional: Any = bounded | NOT_NULL
    name = "Range" if unit == "number" else f"{unit.capitalize()}Range"
    model = create_model(
        name,
        __base__=Range,
        __doc__=f"A range of {UNIT_NOUNS[unit]}.",
        low=(bounded, Field(description=Range.model_fields["low"].description)),
        high=(bounded, Field(description=Range.model_fields["high"].description)),
        mode=(optional, Field(None, description=Range.model_fields["mode"].description)),
    )
    model.UPPER = UPPER_BOUNDS[unit]
    model.UNIT = unit
    return model


def _number_or_range(value: Any) -> str:
    return "range" if isinstance(value, dict | Range) else "number"


@functools.cache
def quantity(unit: str) -> Any:
    """The type of an input of `unit`: a plain number or a range."""
    return Annotated[
        Annotated[number(unit), Tag("number")] | Annotated[range_model(unit), Tag("range")],
        Discriminator(_number_or_range),
    ]


Quantity = float | Range
"""A validated input: a plain number or a range."""


def uncertain(value: Quantity) -> Uncertain:
    """A profile number or range as an engine value."""
    return value.uncertain() if isinstance(value, Range) else Uncertain.point(value)
