"""The command line's options: their types, help and parsers, shared by the commands.

A parser reads a flag by the profile's rules and says what is wrong in the profile's words;
what it refuses is a usage error (exit code 2).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from inaction_cli.limits import (
    HORIZON_LIMIT_REASON,
    MAX_DELAYS,
    MAX_HORIZON_MONTHS,
    MAX_PERCENTILES,
    MAX_SAMPLES,
    MAX_SEED,
    MIN_SAMPLES,
    SAMPLES_LIMIT_REASON,
)
from inaction_cli.render import Format, formats
from inaction_cli.text import echoed_number, quoted


def ascii_digits(text: str, what: str, param_hint: str | None = None) -> None:
    """Refuse a flag written with digits other than ASCII's, as a profile does: Python would
    read `٥٠` or `５０` as 50, YAML reads them as text."""
    if not text.isascii():
        odd = next(character for character in text if not character.isascii())
        raise typer.BadParameter(
            f"expected {what} in the digits 0-9, got {quoted(text)} ({quoted(odd)} is not one)",
            param_hint=param_hint,
        )


def parse_percentiles(text: str | None) -> tuple[float, ...] | None:
    """`5,50,95` → (5.0, 50.0, 95.0): distinct, sorted, each within [0, 100], each with a key
    of its own once written (`p12.3456`)."""
    if text is None:
        return None
    ascii_digits(text, "numbers", "--percentiles")
    try:
        values = sorted({float(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise typer.BadParameter(
            f"expected numbers separated by commas, got {quoted(text)}", param_hint="--percentiles"
        ) from None
    if not values:
        raise typer.BadParameter(
            "give at least one percentile, for example 5,50,95", param_hint="--percentiles"
        )
    if any(not 0 <= value <= 100 for value in values):
        raise typer.BadParameter(
            f"percentiles lie between 0 and 100, got {quoted(text)}", param_hint="--percentiles"
        )
    if len(values) > MAX_PERCENTILES:
        raise typer.BadParameter(
            f"at most {MAX_PERCENTILES} percentiles, got {len(values)}", param_hint="--percentiles"
        )
    from inaction_cli.result import percentile_collision

    collision = percentile_collision(values)
    if collision is not None:
        raise typer.BadParameter(collision, param_hint="--percentiles")
    return tuple(values)


def parse_delays(text: str | None) -> tuple[int, ...] | None:
    """`0,3,6,12` → (0, 3, 6, 12): start delays in whole months, distinct and sorted."""
    if text is None:
        return None
    ascii_digits(text, "whole numbers of months", "--delays")
    try:
        values = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise typer.BadParameter(
            "expected whole numbers of months separated by commas, such as 0,3,6,12, got "
            + quoted(text),
            param_hint="--delays",
        ) from None
    if not values or len(values) > MAX_DELAYS:
        raise typer.BadParameter(
            f"give 1 to {MAX_DELAYS} delays, such as 0,3,6,12", param_hint="--delays"
        )
    if values[0] < 0 or values[-1] > MAX_HORIZON_MONTHS:
        raise typer.BadParameter(
            f"delays lie from 0 to {MAX_HORIZON_MONTHS} months, got {quoted(text)}",
            param_hint="--delays",
        )
    return tuple(values)


def number_flag(
    low: float, high: float, *, whole: bool = True, reason: str = ""
) -> Callable[[str], float]:
    """A parser for a numeric flag with the profile's rules in the profile's words: `--samples
    1e6` is a million, as `samples: 1e6` is in a profile."""

    def parse(text: str | int) -> float:
        if isinstance(text, int):  # a default value, passed through as it is
            return text
        value = _number(text, whole=whole)
        shown = echoed_number(text.strip())
        if value < low:
            raise typer.BadParameter(f"must be at least {_bound(low)}, got {shown}")
        if value > high:
            because = f": {reason}" if reason else ""
            raise typer.BadParameter(f"must be at most {_bound(high)}, got {shown}{because}")
        return value

    return parse


def _number(text: str, *, whole: bool) -> float:
    ascii_digits(text, "a whole number" if whole else "a number")
    written = text.strip().replace("_", "")
    try:
        exact = int(written)  # exact however large: a seed goes up to 2**64 - 1
        return exact if whole else float(exact)
    except ValueError:
        pass
    kind = "a whole number" if whole else "a number"
    try:
        value = float(written)
    except ValueError:
        raise typer.BadParameter(f"expected {kind}, got {quoted(text)}") from None
    if not math.isfinite(value):
        raise typer.BadParameter(f"expected a finite number, got {quoted(text)}")
    if not whole:
        return value
    if not value.is_integer() or abs(value) > 2**53:  # beyond 2**53 a float is not exact
        raise typer.BadParameter(f"expected {kind}, got {quoted(text)}")
    return int(value)


def _bound(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


class ReportFormat(enum.StrEnum):
    """The board pack's formats."""

    html = "html"
    xlsx = "xlsx"
    markdown = "markdown"


REPORT_SUFFIXES = {
    ".html": ReportFormat.html,
    ".htm": ReportFormat.html,
    ".xlsx": ReportFormat.xlsx,
    ".md": ReportFormat.markdown,
    ".markdown": ReportFormat.markdown,
}


def report_format(given: ReportFormat | None, output: Path | None) -> ReportFormat:
    """`--format`, else the extension of `-o`, else HTML."""
    if given is not None:
        return given
    if output is not None:
        found = REPORT_SUFFIXES.get(output.suffix.lower())
        if found is None:
            known = ", ".join(sorted(REPORT_SUFFIXES))
            raise typer.BadParameter(
                f"cannot tell the format from {output.name!r}: name the file {known}, or give "
                "--format html, xlsx or markdown",
                param_hint="--output",
            )
        return found
    return ReportFormat.html


BOARD_FORMATS = ("html", "xlsx")


SUFFIX_FORMATS = {
    ".json": Format.json,
    ".jsonl": Format.jsonl,
    ".csv": Format.csv,
    ".md": Format.markdown,
    ".markdown": Format.markdown,
    ".txt": Format.table,
}
"""What `-o FILE` is written as when `--format` is not given, by its extension."""


def chosen_format(given: Format | None, output: Path | None, *kinds: str) -> Format:
    """`--format`; else the extension of `-o`, when the command writes that format (`-o
    result.json` is JSON, as `report -o board.xlsx` is a workbook); else a table."""
    if given is not None:
        return given
    if output is not None:
        found = SUFFIX_FORMATS.get(output.suffix.lower())
        if found is not None and all(found in formats(kind) for kind in kinds):
            return found
    return Format.table


def format_flag(*kinds: str) -> Any:
    """`--format` for a command whose results are of `kinds`: only the formats they are
    written in, listed in the help and completed by the shell; a wrong one answered in plain
    words."""
    names = [format.value for format in Format if all(format in formats(kind) for kind in kinds)]
    listed = f"{', '.join(names[:-1])} or {names[-1]}"
    suffixes = ", ".join(
        suffix
        for suffix, format in SUFFIX_FORMATS.items()
        if format.value in names and format is not Format.table and suffix != ".markdown"
    )

    def parse(text: str) -> Format:
        chosen = text.strip().lower()
        if chosen not in names:
            board = "; a page or a workbook is `inaction report`" if chosen in BOARD_FORMATS else ""
            raise typer.BadParameter(
                f"{text!r} is not a format this command writes: use {listed}{board}"
            )
        return Format(chosen)

    return typer.Option(
        "--format",
        "-f",
        parser=parse,
        metavar="FORMAT",
        help=f"Output format: {listed}; default: from the extension of --output "
        f"({suffixes}), else table.",
        autocompletion=lambda: names,
    )


def _dash_is_stdout(value: Path | None) -> Path | None:
    """`-o -` writes to stdout, as `-` reads stdin."""
    return None if value is not None and str(value) == "-" else value


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE instead of stdout (atomically: a failed run leaves FILE "
        "untouched); - is stdout.",
        dir_okay=False,
        metavar="FILE",
        callback=_dash_is_stdout,
    ),
]
SamplesOption = Annotated[
    int | None,
    typer.Option(
        parser=number_flag(MIN_SAMPLES, MAX_SAMPLES, reason=SAMPLES_LIMIT_REASON),
        metavar="N",
        help=f"Monte Carlo samples, {MIN_SAMPLES} to {MAX_SAMPLES:,}; 1e6 is a million "
        "(overrides the profile).",
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option(
        parser=number_flag(0, MAX_SEED),
        metavar="N",
        help="Random seed, 0 to 2**64 - 1 (overrides the profile).",
    ),
]
HorizonOption = Annotated[
    int | None,
    typer.Option(
        "--horizon",
        parser=number_flag(1, MAX_HORIZON_MONTHS, reason=HORIZON_LIMIT_REASON),
        metavar="MONTHS",
        help=f"Horizon in months, 1 to {MAX_HORIZON_MONTHS} (overrides the profile).",
    ),
]
DiscountOption = Annotated[
    float | None,
    typer.Option(
        parser=number_flag(0.0, 1.0, whole=False),
        metavar="RATE",
        help="Annual discount rate from 0 to 1, such as 0.08 (overrides the profile).",
    ),
]
PercentilesOption = Annotated[
    str | None,
    typer.Option(
        help="Percentiles to report, comma-separated: 5,50,95 unless the profile says otherwise.",
        metavar="LIST",
    ),
]
JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        parser=number_flag(1, math.inf),
        metavar="N",
        help="Profiles estimated in parallel, at most one process per CPU.",
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No warnings on stderr.")]
DebugOption = Annotated[
    bool, typer.Option("--debug", help="Show the traceback of an internal error.")
]


def parse_threshold(text: str) -> float:
    """`5%` or `5` → 0.05."""
    ascii_digits(text, "a percentage", "--fail-above")
    try:
        value = float(text.strip().removesuffix("%").strip())
    except ValueError:
        raise typer.BadParameter(
            f"expected a percentage such as 5% or 2.5, got {quoted(text)}",
            param_hint="--fail-above",
        ) from None
    if not 0 <= value < 1e6:
        raise typer.BadParameter(
            f"expected a percentage from 0 to 1,000,000, got {quoted(text)}",
            param_hint="--fail-above",
        )
    return value / 100


def threshold_note(text: str) -> str | None:
    """A note for `--fail-above 0.05` (0.05 %, where a share written elsewhere in the tool as
    0.05 means 5 %): the reader may have meant the share."""
    written = text.strip()
    if written.endswith("%"):
        return None
    value = float(written)
    if 0 < value < 1:
        return (
            f"--fail-above {written} is {written} % (a percentage, not a share): for "
            f"{value * 100:g} %, write {value * 100:g} or {value * 100:g}%"
        )
    return None
