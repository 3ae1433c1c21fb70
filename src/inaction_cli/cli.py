"""The command line: parse options, call one core function, render, set the exit code.

Exit codes (DESIGN.md): 0 success · 1 a gate tripped or a batch had failures · 2 bad usage or
invalid input · 70 internal error · 130 interrupted · 141 the reader of stdout went away.
The options, their help and their parsers are in options.py.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from inaction_cli import __version__
from inaction_cli.errors import InputError, printable
from inaction_cli.options import (
    DebugOption,
    DiscountOption,
    Format,
    FormatOption,
    HorizonOption,
    OutputOption,
    PercentilesOption,
    QuietOption,
    SamplesOption,
    SeedOption,
    parse_percentiles,
    parse_threshold,
)
from inaction_cli.output import write_atomically

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a program stopped by SIGPIPE

if TYPE_CHECKING:
    from rich.console import RenderableType

    from inaction_cli.prepare import Overrides
    from inaction_cli.result import Report

app = typer.Typer(
    name="inaction",
    help="Put a defensible number on what not adopting AI costs a company.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


@contextmanager
def _guard(debug: bool) -> Iterator[None]:
    """Map failures to DESIGN.md's exit codes: bad input 2, interrupted 130, internal 70;
    and a closed pipe to 141."""
    try:
        yield
    except InputError as error:
        for problem in error.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except KeyboardInterrupt:
        typer.echo("inaction: interrupted", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        # The reader went away (`inaction … | head`): not a bug, and nobody left to tell. Stop
        # quietly, as `cat` would, and let nothing flush into the closed pipe on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except (typer.Exit, typer.Abort, typer.BadParameter):
        raise
    except Exception as error:
        if debug or os.environ.get("INACTION_DEBUG"):
            traceback.print_exc()
        typer.echo(
            printable(
                f"inaction: internal error ({type(error).__name__}: {error}); this is a bug, "
                "please report it (--debug shows the traceback)"
            ),
            err=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


def _spare_inputs(inputs: Iterable[str], *outputs: Path | None) -> None:
    """Refuse to write a report over a file the command reads (`-o sme.yaml` for `-o sme.txt`
    would replace the profile with its own estimate)."""
    for output in outputs:
        if output is None or not output.is_file():
            continue
        for path in inputs:
            if path != "-" and os.path.isfile(path) and os.path.samefile(path, output):
                raise InputError.single(
                    str(output),
                    "refused: this file is also an input of the command, and writing the "
                    "report there would destroy it",
                )


def _warn(warnings: tuple[str, ...], quiet: bool, prefix: str = "") -> None:
    if not quiet:
        for warning in warnings:
            typer.echo(f"{prefix}warning: {warning}", err=True)


def _overrides(
    samples: int | None,
    seed: int | None,
    horizon: int | None,
    discount_rate: float | None,
    percentiles: str | None,
) -> Overrides:
    from inaction_cli.prepare import Overrides

    return Overrides(
        samples=samples,
        seed=seed,
        horizon_months=horizon,
        discount_rate=discount_rate,
        percentiles=parse_percentiles(percentiles),
    )


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
    sensitivity: Annotated[
        bool,
        typer.Option(
            "--sensitivity",
            help="Add a tornado: the net P50 with each uncertain input at its P10 and P90.",
        ),
    ] = False,
    histogram: Annotated[
        bool, typer.Option("--histogram", help="Add a text histogram of the net cost.")
    ] = False,
    export_svg: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", dir_okay=False, help="Also save the report as an SVG picture."
        ),
    ] = None,
    export_html: Annotated[
        Path | None,
        typer.Option(metavar="FILE", dir_okay=False, help="Also save the report as an HTML page."),
    ] = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Estimate what not adopting AI costs, lever by lever, with P5/P50/P95 bands.

    Example: inaction estimate scenarios/sme.yaml --sensitivity --histogram
    """
    from inaction_cli.estimate import Extras, estimate_file

    overrides = _overrides(samples, seed, horizon, discount_rate, percentiles)
    with _guard(debug):
        _spare_inputs([profile], output, export_svg, export_html)
        report = estimate_file(profile, overrides, Extras(sensitivity, histogram))
        if export_svg is not None or export_html is not None:
            _export(report, export_svg, export_html)
        if format is Format.table:
            from inaction_cli.render import table

            _emit_rich(table.estimate(report), output)
            return
        if format is Format.json:
            _emit(report.to_json(), output)
        elif format is Format.csv:
            from inaction_cli.render import csv

            _emit(csv.estimate(report), output)
        else:
            from inaction_cli.render import markdown

            _emit(markdown.estimate(report), output)
        if format is not Format.markdown:
            _warn(report.warnings, quiet)


def _export(report: Report, svg: Path | None, html: Path | None) -> None:
    """Save the table view as a picture and/or a page, each file atomically."""
    from inaction_cli.render import table
    from inaction_cli.render.console import exported

    picture, page = exported(
        table.estimate(report), f"inaction — {printable(report.provenance.profile_name)}"
    )
    for path, text in ((svg, picture), (html, page)):
        if path is not None:
            _emit(text, path)


@app.command()
def validate(
    paths: Annotated[
        list[str],
        typer.Argument(help="Profile files, folders or glob patterns.", metavar="PATH..."),
    ],
    format: FormatOption = Format.table,
    output: OutputOption = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Check profiles without running them: every problem of every file, one line each.

    Exit code 0 when every profile is valid, 2 otherwise.
    Example: inaction validate scenarios/
    """
    from inaction_cli.compare import expand
    from inaction_cli.estimate import Validation, validate_file

    with _guard(debug):
        files, empty = expand(paths)
        _spare_inputs(files, output)
        items = [Validation(item.file, problems=item.problems) for item in empty]
        items += [validate_file(file) for file in files]
        for item in items:
            for problem in item.problems:
                typer.echo(str(problem), err=True)
            _warn(item.warnings, quiet, prefix=f"{printable(item.file)}: ")
        _render_many(format, output, "validation", items)
        if not all(item.valid for item in items):
            raise typer.Exit(EXIT_USAGE)


@app.command()
def batch(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Profile files, folders (their *.yaml and *.yml) or glob patterns.",
            metavar="PATH...",
        ),
    ],
    format: FormatOption = Format.table,
    output: OutputOption = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, max=64, metavar="N", help="Profiles estimated in parallel."
        ),
    ] = 1,
    samples: SamplesOption = None,
    seed: SeedOption = None,
    horizon: HorizonOption = None,
    discount_rate: DiscountOption = None,
    percentiles: PercentilesOption = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Estimate many profiles: one row each, ranked by net P50 in the table.

    A profile that fails is reported on stderr and as an error row; the others still run,
    and the exit code is 1. Example: inaction batch scenarios/ --format csv -o batch.csv
    """
    from inaction_cli.compare import expand, run_batch
    from inaction_cli.result import MEDIAN
    from inaction_cli.scenario import DEFAULT_PERCENTILES

    overrides = _overrides(samples, seed, horizon, discount_rate, percentiles)
    wanted = overrides.percentiles or DEFAULT_PERCENTILES
    if MEDIAN not in wanted:
        raise typer.BadParameter("batch ranks by the P50: include 50", param_hint="--percentiles")
    with _guard(debug):
        files, empty = expand(paths)
        _spare_inputs(files, output)
        with _progress(len(files), quiet) as advance:
            items = run_batch(files, overrides, jobs=jobs, on_done=advance)
        items = [*empty, *items]
        for item in items:
            for problem in item.problems:
                typer.echo(str(problem), err=True)
            if item.error:
                typer.echo(printable(f"{item.file}: {item.error}"), err=True)
        _render_many(format, output, "batch", items, wanted)
        if not all(item.ok for item in items):
            raise typer.Exit(EXIT_FAILED)


@contextmanager
def _progress(total: int, quiet: bool) -> Iterator[Callable[[object], None]]:
    """A progress bar on stderr, only for a person watching several profiles."""
    if quiet or total < 2 or not sys.stderr.isatty():
        yield lambda _: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("Estimating", total=total)
        yield lambda _: progress.advance(task)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The earlier result (.json) or profile.")],
    new: Annotated[str, typer.Argument(help="The later result (.json) or profile.")],
    format: FormatOption = Format.table,
    output: OutputOption = None,
    fail_above: Annotated[
        str | None,
        typer.Option(
            metavar="PCT",
            help="Exit 1 when the net P50 moves by more than PCT (5% or 5), either way.",
        ),
    ] = None,
    samples: SamplesOption = None,
    seed: SeedOption = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Compare two estimates, P50 by P50: per lever and for the totals.

    OLD and NEW are JSON results of `estimate`, or profiles (then both run with the same seed
    and sample count). Example: inaction diff base.json head.json --fail-above 5% -f markdown
    """
    from inaction_cli.compare import diff_paths, gate
    from inaction_cli.prepare import Overrides

    threshold = None if fail_above is None else parse_threshold(fail_above)
    if old == new == "-":
        raise typer.BadParameter("OLD and NEW cannot both be - : stdin holds only one file")
    with _guard(debug):
        _spare_inputs([old, new], output)
        comparison = diff_paths(old, new, Overrides(samples=samples, seed=seed))
        verdict = None if threshold is None else gate(comparison, threshold)
        if format is Format.table:
            from inaction_cli.render import table

            _emit_rich(table.diff(comparison), output)
        elif format is Format.json:
            from inaction_cli.render import machine
            from inaction_cli.result import dump_json

            _emit(dump_json(machine.diff(comparison, verdict)), output)
        elif format is Format.csv:
            from inaction_cli.render import csv

            _emit(csv.diff(comparison), output)
        else:
            from inaction_cli.render import markdown

            _emit(markdown.diff(comparison, verdict), output)
        if format in (Format.json, Format.csv):
            _warn(comparison.warnings, quiet)
        if verdict is not None:
            from inaction_cli.render.table import gate_sentence

            typer.echo(gate_sentence(verdict), err=True)
            if verdict.tripped:
                raise typer.Exit(EXIT_FAILED)


@app.command()
def explain(
    profile: Annotated[str, typer.Argument(help="Profile YAML file, or - for stdin.")],
    lever: Annotated[
        list[str] | None,
        typer.Option("--lever", "-l", metavar="ID", help="Explain only this lever (repeatable)."),
    ] = None,
    format: FormatOption = Format.table,
    output: OutputOption = None,
    debug: DebugOption = False,
) -> None:
    """Show how the estimate is computed: each formula with the profile's numbers put in.

    Every input is taken at its P50; each benchmark comes with its source in the article.
    Example: inaction explain scenarios/sme.yaml --lever cac
    """
    from inaction_cli.estimate import explain_file

    with _guard(debug):
        _spare_inputs([profile], output)
        explained, provenance = explain_file(profile, tuple(lever or ()))
        if format is Format.table:
            from inaction_cli.render import table

            _emit_rich(table.explanation(explained, provenance), output)
        elif format is Format.markdown:
            from inaction_cli.render import markdown

            _emit(markdown.explanation(explained, provenance), output)
        else:
            from inaction_cli.render import machine
            from inaction_cli.result import dump_json

            if format is Format.csv:
                raise typer.BadParameter(
                    "explain writes table, markdown or json", param_hint="--format"
                )
            _emit(dump_json(machine.explanation(explained, provenance)), output)


@app.command()
def benchmarks(
    format: FormatOption = Format.table,
    output: OutputOption = None,
    debug: DebugOption = False,
) -> None:
    """Show the benchmark catalogue: every default figure and where the article gives it."""
    from inaction_cli.benchmarks import catalogue

    with _guard(debug):
        _render_many(format, output, "benchmarks", catalogue())


@app.command()
def schema(
    result: Annotated[
        bool, typer.Option("--result", help="The schema of estimate's JSON output instead.")
    ] = False,
    output: OutputOption = None,
    debug: DebugOption = False,
) -> None:
    """Print the JSON Schema of a profile (for editors), or of a result with --result."""
    from inaction_cli.result import dump_json

    with _guard(debug):
        if result:
            from inaction_cli.result_schema import result_json_schema

            _emit(dump_json(result_json_schema()), output)
        else:
            from inaction_cli.profile import profile_json_schema

            _emit(dump_json(profile_json_schema()), output)


def _render_many(format: Format, output: Path | None, kind: str, *data: Any) -> None:
    """Render batch, benchmarks or validation data in the chosen format."""
    if format is Format.table:
        from inaction_cli.render import table

        _emit_rich(getattr(table, kind)(*data), output, soft_wrap=kind == "validation")
    elif format is Format.json:
        from inaction_cli.render import machine
        from inaction_cli.result import dump_json

        # Machine forms take the data alone: percentiles are in each report.
        _emit(dump_json(getattr(machine, kind)(data[0])), output)
    elif format is Format.csv:
        from inaction_cli.render import csv

        _emit(getattr(csv, kind)(*data), output)
    else:
        from inaction_cli.render import markdown

        _emit(getattr(markdown, kind)(*data), output)


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


def _emit_rich(renderable: RenderableType, output: Path | None, *, soft_wrap: bool = False) -> None:
    """A rich renderable to the terminal; as plain text to a pipe or the output file."""
    from inaction_cli.render.console import plain_text, stdout_console

    if output is not None:
        _emit(plain_text(renderable, soft_wrap=soft_wrap), output)
        return
    console = stdout_console(renderable)
    if console.is_terminal:
        console.print(renderable, soft_wrap=soft_wrap)
    else:  # a pipe or a file: the same text, without the spaces rich pads every line with
        typer.echo(plain_text(renderable, console.width, soft_wrap=soft_wrap), nl=False)


def main() -> None:
    """Entry point of the `inaction` script."""
    # pydantic scans every installed package for plugins before it builds its first
    # validator; inaction uses none, and the scan costs start-up in a large environment.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # The engine is elementwise numpy and its only matrices are a few inputs wide, so BLAS
    # threads buy nothing; in `batch --jobs` workers, forked from a process that loaded
    # OpenBLAS, they cost a third of the run in contention. Set before numpy loads.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    _keep_freed_memory()
    app()


def _keep_freed_memory() -> None:
    """Let glibc reuse freed memory instead of returning it to the system at once.

    A default run's arrays (20,000 samples, 160 KB) sit just above glibc's 128 KB threshold
    for mapping memory apart: each temporary was mapped, touched page by page and unmapped,
    which cost a batch of 1,000 profiles two million page faults and a third of its time.
    Arrays above 32 MiB are still mapped apart and given back. Elsewhere, a no-op.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl, for one, has no mallopt)
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    mallopt(m_mmap_threshold, 32 * 1024 * 1024)
    mallopt(m_trim_threshold, 128 * 1024 * 1024)
