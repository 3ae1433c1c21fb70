"""The command line: parse options, call one core function, render, set the exit code.

Exit codes (DESIGN.md): 0 success · 1 a gate tripped or a batch had failures · 2 bad usage or
invalid input · 70 internal error · 130 interrupted.
"""

from __future__ import annotations

import enum
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from inaction_cli import __version__
from inaction_cli.errors import InputError
from inaction_cli.output import write_atomically
from inaction_cli.profile import MAX_HORIZON_MONTHS, MAX_SAMPLES, MAX_SEED, MIN_SAMPLES

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

if TYPE_CHECKING:
    from rich.console import RenderableType

MAX_PERCENTILES = 9

app = typer.Typer(
    name="inaction",
    help="Put a defensible number on what not adopting AI costs a company.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(enum.StrEnum):
    """Output formats."""

    table = "table"
    json = "json"


def _show_version(value: bool) -> None:
    if value:
        from inaction_cli.benchmarks import catalogue

        typer.echo(f"inaction {__version__} (benchmarks {catalogue().version})")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Put a defensible number on what not adopting AI costs a company.

    Start with `inaction estimate scenarios/sme.yaml`.
    """


def parse_percentiles(text: str | None) -> tuple[float, ...] | None:
    """`5,50,95` → (5.0, 50.0, 95.0): distinct, sorted, each within [0, 100]."""
    if text is None:
        return None
    try:
        values = sorted({float(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise typer.BadParameter(
            f"expected numbers separated by commas, got {text!r}", param_hint="--percentiles"
        ) from None
    if not values:
        raise typer.BadParameter(
            "give at least one percentile, for example 5,50,95", param_hint="--percentiles"
        )
    if any(not 0 <= value <= 100 for value in values):
        raise typer.BadParameter(
            f"percentiles lie between 0 and 100, got {text!r}", param_hint="--percentiles"
        )
    if len(values) > MAX_PERCENTILES:
        raise typer.BadParameter(
            f"at most {MAX_PERCENTILES} percentiles, got {len(values)}", param_hint="--percentiles"
        )
    return tuple(values)


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE instead of stdout (atomically: a failed run leaves FILE untouched).",
        dir_okay=False,
        metavar="FILE",
    ),
]
SamplesOption = Annotated[
    int | None,
    typer.Option(
        min=MIN_SAMPLES,
        max=MAX_SAMPLES,
        metavar="N",
        help="Monte Carlo samples (overrides the profile).",
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option(min=0, max=MAX_SEED, metavar="N", help="Random seed (overrides the profile)."),
]
HorizonOption = Annotated[
    int | None,
    typer.Option(
        "--horizon",
        min=1,
        max=MAX_HORIZON_MONTHS,
        metavar="MONTHS",
        help="Horizon in months (overrides the profile).",
    ),
]
DiscountOption = Annotated[
    float | None,
    typer.Option(
        min=0.0,
        max=1.0,
        metavar="RATE",
        help="Annual discount rate, 0.08 for 8 % (overrides the profile).",
    ),
]
PercentilesOption = Annotated[
    str | None,
    typer.Option(
        help="Percentiles to report, comma-separated.", metavar="LIST", show_default="5,50,95"
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No warnings on stderr.")]
DebugOption = Annotated[
    bool, typer.Option("--debug", help="Show the traceback of an internal error.")
]


@contextmanager
def _guard(debug: bool) -> Iterator[None]:
    """Map failures to DESIGN.md's exit codes: bad input 2, interrupted 130, internal 70."""
    try:
        yield
    except InputError as error:
        for problem in error.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except KeyboardInterrupt:
        typer.echo("inaction: interrupted", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (typer.Exit, typer.Abort, typer.BadParameter):
        raise
    except Exception as error:
        if debug or os.environ.get("INACTION_DEBUG"):
            traceback.print_exc()
        typer.echo(
            f"inaction: internal error ({type(error).__name__}: {error}); this is a bug, "
            "please report it (--debug shows the traceback)",
            err=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


def _warn(warnings: tuple[str, ...], quiet: bool) -> None:
    if not quiet:
        for warning in warnings:
            typer.echo(f"warning: {warning}", err=True)


@app.command()
def estimate(
    profile: Annotated[str, typer.Argument(help="Profile YAML file, or - to read it from stdin.")],
    format: FormatOption = Format.table,
    output: OutputOption = None,
    samples: SamplesOption = None,
    seed: SeedOption = None,
    horizon: HorizonOption = None,
    discount_rate: DiscountOption = None,
    percentiles: PercentilesOption = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Estimate what not adopting AI costs, lever by lever, with P5/P50/P95 bands.

    Example: inaction estimate scenarios/sme.yaml --format json -o sme.json
    """
    from inaction_cli.estimate import estimate_file
    from inaction_cli.prepare import Overrides

    overrides = Overrides(
        samples=samples,
        seed=seed,
        horizon_months=horizon,
        discount_rate=discount_rate,
        percentiles=parse_percentiles(percentiles),
    )
    with _guard(debug):
        report = estimate_file(profile, overrides)
        if format is Format.json:
            _emit(report.to_json(), output)
            _warn(report.warnings, quiet)
        else:
            from inaction_cli.render import table

            _emit_rich(table.render(report), output)


def _emit(text: str, output: Path | None) -> None:
    """Data to stdout, or to the output file atomically."""
    if output is not None:
        try:
            write_atomically(output, text)
        except OSError as error:
            raise InputError.single(str(output), f"cannot write: {error.strerror}") from None
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _emit_rich(renderable: RenderableType, output: Path | None) -> None:
    """A rich renderable to the terminal, or as plain text to the output file."""
    from inaction_cli.render.console import plain_text, stdout_console

    if output is None:
        stdout_console().print(renderable)
    else:
        _emit(plain_text(renderable), output)


def main() -> None:
    """Entry point of the `inaction` script."""
    app()
