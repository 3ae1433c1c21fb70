"""Rules between sections of a profile: what one section's presence asks of another.

Checked on the raw data, so that they are reported even when a section has errors of its own,
beside every other problem, in one run. The correlations are checked on the scenario, once
every input is known.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticCustomError

from inaction_cli import messages
from inaction_cli.correlation import groups, is_positive_semidefinite, matrix
from inaction_cli.distributions import Distribution, Uncertain
from inaction_cli.errors import Problem
from inaction_cli.limits import MAX_UPLIFT
from inaction_cli.loader import Document, Loc
from inaction_cli.quantities import check_range
from inaction_cli.text import quoted

if TYPE_CHECKING:
    from inaction_cli.catalogue import Catalogue
    from inaction_cli.scenario import Scenario

GROSS_MARGIN = "finance.gross_margin"
ANNUAL_REVENUE = "finance.annual_revenue"
CUSTOM_LEVERS = "custom_levers"


@dataclass(frozen=True)
class _Active:
    """A lever the raw data turns on, and where the profile says so."""

    id: str
    where: str
    """How a message names its section: `acquisition:` or `custom_levers.support`."""
    loc: Loc
    group: str | None
    group_loc: Loc
    needs_margin: bool


def _active(data: dict[str, Any], book: Catalogue) -> Iterator[_Active]:
    for lever in book.levers.values():
        if lever.section in data:
            loc: Loc = (lever.section,)
            yield _Active(
                lever.id, f"{lever.section}:", loc, lever.group, loc, lever.reads_path(GROSS_MARGIN)
            )
    custom = data.get(CUSTOM_LEVERS)
    if not isinstance(custom, dict):
        return
    for lever_id, entry in custom.items():
        if not isinstance(entry, dict):
            continue
        loc = (CUSTOM_LEVERS, lever_id)
        group = entry.get("group")
        yield _Active(
            str(lever_id),
            f"{CUSTOM_LEVERS}.{lever_id}",
            loc,
            group if isinstance(group, str) else None,
            (*loc, "group"),
            entry.get("kind") == "revenue",
        )


def section_problems(document: Document, book: Catalogue) -> list[Problem]:
    """Every rule between sections that the raw data breaks."""
    data: dict[str, Any] = document.data
    active = list(_active(data, book))
    return [
        *_custom_ids(document, book),
        *_factor_names(document),
        *_groups(document, active),
        *_shape_clash(document, book),
        *_margins(document, book, active),
        *_override_problems(document, book),
        *_cost_lines(document),
    ]


def _cost_lines(document: Document) -> Iterator[Problem]:
    """A cost line is a one-off with its month, or a monthly amount with its months."""
    adoption = document.data.get("adoption")
    lines = adoption.get("costs") if isinstance(adoption, dict) else None
    if not isinstance(lines, dict):
        return
    for line_id, line in lines.items():
        if not isinstance(line, dict):
            continue
        loc: Loc = ("adoption", "costs", line_id)
        kinds = [kind for kind in ("one_off", "monthly") if kind in line]
        if len(kinds) != 1:
            given = "both" if kinds else "neither"
            yield messages.located(
                document,
                loc,
                "a cost line is either one_off (an amount, once) or monthly (an amount each "
                f"month): this one has {given}",
                key=True,
            )
            continue
        wrong = ("from_month", "to_month") if kinds == ["one_off"] else ("month",)
        for key in wrong:
            if key in line:
                other = "monthly" if key != "month" else "one_off"
                yield messages.located(
                    document,
                    (*loc, key),
                    f"{key} goes with {other}; a {kinds[0]} line takes "
                    + ("month" if kinds == ["one_off"] else "from_month and to_month"),
                    key=True,
                )
        first, last = line.get("from_month", 1), line.get("to_month")
        whole = all(
            isinstance(value, int) and not isinstance(value, bool) for value in (first, last)
        )
        if whole and last < first:
            yield messages.located(
                document,
                (*loc, "to_month"),
                f"to_month ({last}) is before from_month ({first}): the line would cost nothing",
            )


def _custom_ids(document: Document, book: Catalogue) -> Iterator[Problem]:
    custom = document.data.get(CUSTOM_LEVERS)
    if not isinstance(custom, dict):
        return
    taken = {*book.levers, "market_share"}
    for lever_id in custom:
        if lever_id in taken:
            yield messages.located(
                document,
                (CUSTOM_LEVERS, lever_id),
                f"'{lever_id}' is a lever of the catalogue: turn it on with its own section, or "
                "give this use case another id",
                key=True,
            )


RESERVED_FACTORS = {"u": "the uplift", "gross_margin": "finance.gross_margin"}
"""Names the formula of a custom lever already uses."""


def _factor_names(document: Document) -> Iterator[Problem]:
    custom = document.data.get(CUSTOM_LEVERS)
    if not isinstance(custom, dict):
        return
    for lever_id, entry in custom.items():
        factors = entry.get("factors") if isinstance(entry, dict) else None
        if not isinstance(factors, dict):
            continue
        for name in factors:
            if name in RESERVED_FACTORS:
                yield messages.located(
                    document,
                    (CUSTOM_LEVERS, lever_id, "factors", name),
                    f"'{name}' names {RESERVED_FACTORS[name]} in a custom lever's formula: "
                    "give this factor another name",
                    key=True,
                )


def _groups(document: Document, active: list[_Active]) -> Iterator[Problem]:
    """One lever per mechanism group: the levers of a group count the same benefit."""
    by_group: dict[str, list[_Active]] = {}
    for lever in active:
        if lever.group is not None:
            by_group.setdefault(lever.group, []).append(lever)
    for group, members in by_group.items():
        first = members[0]
        for second in members[1:]:
            yield messages.located(
                document,
                second.group_loc,
                f"levers '{first.id}' ({first.where}) and '{second.id}' ({second.where})"
                f" are both mechanism group '{group}': they count the same benefit, so a "
                "profile may activate only one of them",
                key=True,
            )


def _shape_clash(document: Document, book: Catalogue) -> Iterator[Problem]:
    """A key that shapes an uplift (email.data_quality) and an override of the same shape."""
    data, overrides = document.data, document.data.get("benchmarks")
    for lever in book.levers.values():
        shape = lever.shaped_by
        section = data.get(lever.section)
        override = overrides.get(lever.id) if isinstance(overrides, dict) else None
        if shape is None or not isinstance(section, dict) or shape.key not in section:
            continue
        if not isinstance(override, dict):
            continue
        clash = sorted({"distribution", "mode"} & set(override))
        if clash:
            yield messages.located(
                document,
                (lever.section, shape.key),
                f"{lever.section}.{shape.key} shapes the {lever.id.upper()} uplift as a PERT; "
                f"benchmarks.{lever.id} gives its own {' and '.join(clash)}: keep one of the two",
                key=True,
            )


def _margins(document: Document, book: Catalogue, active: list[_Active]) -> Iterator[Problem]:
    """Levers that value revenue need finance.gross_margin; market share, the revenue too."""
    data = document.data
    finance = data.get("finance")
    has = set(finance) if isinstance(finance, dict) else set()
    needs = [(lever.id, lever.loc) for lever in active if lever.needs_margin]
    market = book.market_share.section
    if market in data:
        needs.append(("market_share", (market,)))
        if ANNUAL_REVENUE.split(".")[1] not in has:
            yield messages.located(
                document,
                (market,),
                "lever 'market_share' needs finance.annual_revenue: erosion is a share of it",
                key=True,
            )
    if GROSS_MARGIN.split(".")[1] in has:
        return
    for lever_id, loc in sorted(needs, key=lambda need: need[1] != (market,)):
        yield messages.located(
            document,
            loc,
            f"lever '{lever_id}' needs finance.gross_margin: it values revenue at margin",
            key=True,
        )


def _override_problems(document: Document, book: Catalogue) -> Iterator[Problem]:
    """A benchmark override merged with the catalogue must still be a valid range. Checked on
    the raw data, field by field, so that it is reported beside every other problem."""
    overrides = document.data.get("benchmarks")
    if not isinstance(overrides, dict):
        return
    for lever_id, raw in overrides.items():
        if lever_id not in book.levers or not isinstance(raw, dict):
            continue
        default = book.levers[lever_id].uplift
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
                    f" (the catalogue's range is [{messages.number_text(default.low)}, "
                    f"{messages.number_text(default.high)}]: override both ends)"
                )
            yield messages.located(document, loc, detail)
            continue
        cap = book.levers[lever_id].max_uplift
        if uplift.high > cap and "high" in raw and uplift.high <= MAX_UPLIFT:
            # Above the limit of every uplift, the field's own bound says so; here, the lower
            # cap of a lever that cuts a cost.
            yield messages.located(
                document,
                loc,
                f"high ({messages.number_text(uplift.high)}) is above "
                f"{messages.number_text(cap)}: '{lever_id}' cuts a cost, which cannot fall "
                "by more than all of it",
            )


def _finite(value: Any) -> float | None:
    """`value` if it is a finite number, else None (its own error is reported apart: an
    integer of hundreds of digits is too large for a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


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
                hint = messages.did_you_mean(path, inputs) or (
                    " (an input of an active lever, such as benchmarks.ctr or finance.gross_margin)"
                )
                problems.append(
                    ((*loc, position), f"{quoted(path)} is not an input of this profile{hint}")
                )
                bad = True
            elif item.value.is_point:
                problems.append(
                    (
                        (*loc, position),
                        f"{quoted(path)} is a fixed number: give it a range to correlate it",
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
