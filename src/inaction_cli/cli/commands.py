"""The commands: parse options, call one use case of `inaction_cli.api`, render, set the exit
code. Nothing here computes or checks a figure.

Exit codes (DESIGN.md): 0 success · 1 a gate tripped or a batch had failures · 2 bad usage or
invalid input · 70 internal error · 74 an output could not be written · 129, 130, 143 stopped by
SIGHUP, SIGINT, SIGTERM · 141 the reader of stdout went away.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from inaction_cli.cli.bars import profiles_bar, samples_bar
from inaction_cli.cli.exits import EXIT_FAILED, EXIT_USAGE, guard
from inaction_cli.cli.help import EPILOG, Command
from inaction_cli.cli.options import (
    DebugOption,
    DiscountOption,
    HorizonOption,
    JobsOption,
    OutputOption,
    PercentilesOption,
    QuietOption,
    ReportFormat,
    SamplesOption,
    SeedOption,
    chosen_format,
    format_flag,
    parse_delays,
    parse_percentiles,
    parse_threshold,
    report_format,
    threshold_note,
)
from inaction_cli.cli.output import distinct_outputs, emit, emit_text, spare_folders, spare_inputs
from inaction_cli.render import Format, render
from inaction_cli.text import printable

app = typer.Typer(
    name="inaction",
    help="Put a defensible number on what not adopting AI costs a company.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EPILOG,
)


def _show_version(value: bool) -> None:
    if value:
        from inaction_cli.version import version_line

        typer.echo(version_line())
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


def _warn(warnings: tuple[str, ...], quiet: bool, prefix: str = "") -> None:
    """Diagnostics to stderr, unless --quiet."""
    if not quiet:
        for warning in warnings:
            typer.echo(f"{prefix}warning: {warning}", err=True)


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _warn_unless_shown(
    warnings: tuple[str, ...], quiet: bool, format: Format, output: Path | None
) -> None:
    """A table or Markdown carries its warnings in its body (as JSON does in `warnings`); they
    go to stderr too unless that body is on the user's terminal already, so that `-o FILE` or
    a pipe never hides them and a terminal never shows them twice."""
    on_terminal = (output is None or str(output) == "-") and _stdout_is_terminal()
    if format in (Format.json, Format.csv) or not on_terminal:
        _warn(warnings, quiet)


def _settings(
    samples: int | None,
    seed: int | None,
    horizon: int | None,
    discount_rate: float | None,
    percentiles: str | None,
) -> dict[str, Any]:
    """The run settings given as flags, as keyword arguments of the use cases."""
    return {
        "samples": samples,
        "seed": seed,
        "horizon_months": horizon,
        "discount_rate": discount_rate,
        "percentiles": parse_percentiles(percentiles),
    }


@app.command(short_help="Estimate the cost of inaction of a profile, P5/P50/P95.")
def estimate(
    profile: Annotated[
        str,
        typer.Argument(metavar="PROFILE", help="Profile YAML file, or - to read it from stdin."),
    ],
    format: Annotated[Format | None, format_flag("Report")] = None,
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
    cash_flow: Annotated[
        bool, typer.Option("--cash-flow", help="Add the cash flow by year (undiscounted).")
    ] = False,
    delays: Annotated[
        str | None,
        typer.Option(
            metavar="MONTHS",
            help="Add what waiting costs for these start delays, such as 0,3,6,12 "
            "(default in JSON: 0,1,3,6,12).",
        ),
    ] = None,
    timeline: Annotated[
        bool,
        typer.Option("--timeline", help="Add a text fan of the cumulative net by quarter."),
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

    \b
    Example:
      inaction estimate scenarios/sme.yaml --sensitivity --histogram
    """
    format = chosen_format(format, output, "Report")
    from inaction_cli import api

    settings = _settings(samples, seed, horizon, discount_rate, percentiles)
    waits = parse_delays(delays)
    views = {"cash_flow": cash_flow, "delays": waits is not None, "timeline": timeline}
    with guard(debug):
        spare_inputs([profile], output, export_svg, export_html)
        distinct_outputs(
            ("the report", output or Path("-")),
            ("the SVG picture", export_svg),
            ("the HTML page", export_html),
        )
        with samples_bar("Simulating", quiet):
            report = api.estimate(
                profile, **settings, delays=waits, sensitivity=sensitivity, histogram=histogram
            )
        if export_svg is not None or export_html is not None:
            from inaction_cli.render.console import exported

            drawing = render(report, Format.table)
            title = f"inaction — {printable(report.provenance.profile_name)}"
            picture, page = exported(drawing.renderable, title)  # type: ignore[union-attr]
            for path, text in ((export_svg, picture), (export_html, page)):
                if path is not None:
                    emit_text(text, path)
        shown = frozenset(name for name, wanted in views.items() if wanted)
        emit(render(report, format, views=shown), output)
        _warn_unless_shown(report.warnings, quiet, format, output)


@app.command(short_help="Write the board pack: a page, a workbook or Markdown.")
def report(
    profile: Annotated[
        str,
        typer.Argument(metavar="PROFILE", help="Profile YAML file, or - to read it from stdin."),
    ],
    output: OutputOption = None,
    format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="html (a page with charts), xlsx (a workbook) or markdown; default: from the "
            "extension of --output, else html.",
            case_sensitive=False,
        ),
    ] = None,
    locale: Annotated[
        str,
        typer.Option(
            metavar="LOCALE",
            help="How numbers, money and percentages are written: en, fr, de, fr_CH, …",
        ),
    ] = "en",
    samples: SamplesOption = None,
    seed: SeedOption = None,
    horizon: HorizonOption = None,
    discount_rate: DiscountOption = None,
    percentiles: PercentilesOption = None,
    delays: Annotated[
        str | None,
        typer.Option(metavar="MONTHS", help="Start delays to compare, such as 0,1,3,6,12."),
    ] = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Write the board pack: one self-contained page with charts, a workbook, or Markdown.

    Key figures, charts (timeline, cost of waiting, tornado, distribution, priority), tables,
    assumptions with their sources, the audit trail and the provenance. Needs the extra
    `report`: pip install '.[report]' in a clone, or pipx inject inaction matplotlib jinja2
    xlsxwriter babel (the README says more; `inaction` on PyPI is another project).

    \b
    Example:
      inaction report scenarios/sme.yaml -o board.html --locale fr
    """
    from inaction_cli import api

    chosen = report_format(format, output)
    if chosen is ReportFormat.xlsx and output is None and sys.stdout.isatty():
        raise typer.BadParameter(
            "a workbook is binary: write it to a file with -o board.xlsx, or pipe it",
            param_hint="--format",
        )
    settings = _settings(samples, seed, horizon, discount_rate, percentiles)
    with guard(debug):
        spare_inputs([profile], output)
        with samples_bar("Simulating", quiet):
            pack = api.board_pack(profile, **settings, delays=parse_delays(delays), locale=locale)
        emit(render(pack, Format(chosen.value)), output)
        _warn(pack.report.warnings, quiet)


@app.command(short_help="Check profiles without running them.")
def validate(
    paths: Annotated[
        list[str],
        typer.Argument(help="Profile files, folders or glob patterns.", metavar="PATH..."),
    ],
    format: Annotated[Format | None, format_flag("Validation")] = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Check profiles without running them: every problem of every file, one line each.

    Exit code 0 when every profile is valid, 2 otherwise.

    \b
    Example:
      inaction validate scenarios/
    """
    format = chosen_format(format, output, "Validation")
    from inaction_cli import api
    from inaction_cli.batch import expand

    with guard(debug):
        spare_inputs(expand(paths)[0], output)
        checked = api.validation(paths)
        for item in checked.files:
            for problem in item.problems:
                typer.echo(str(problem), err=True)
            _warn(item.warnings, quiet, prefix=f"{printable(item.file)}: ")
        emit(render(checked, format), output)
        if not checked.valid:
            raise typer.Exit(EXIT_USAGE)


@app.command(short_help="Estimate many profiles: one row each, ranked.")
def batch(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Profile files, folders (their *.yaml and *.yml) or glob patterns.",
            metavar="PATH",
        ),
    ],
    format: Annotated[Format | None, format_flag("Batch")] = None,
    output: OutputOption = None,
    jobs: JobsOption = 1,
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
    and the exit code is 1.

    \b
    Example:
      inaction batch scenarios/ --format csv -o batch.csv
    """
    format = chosen_format(format, output, "Batch")
    from inaction_cli import api
    from inaction_cli.batch import RANKED_BY_MEDIAN, expand, usable_jobs
    from inaction_cli.result import DEFAULT_PERCENTILES, MEDIAN

    settings = _settings(samples, seed, horizon, discount_rate, percentiles)
    if MEDIAN not in (settings["percentiles"] or DEFAULT_PERCENTILES):
        raise typer.BadParameter(RANKED_BY_MEDIAN, param_hint="--percentiles")
    with guard(debug):
        files = expand(paths)[0]
        spare_inputs(files, output)
        jobs, note = usable_jobs(jobs)
        if note and not quiet:
            typer.echo(f"note: {note}", err=True)
        with profiles_bar(len(files), quiet) as advance:
            run = api.batch(paths, **settings, jobs=jobs, on_done=advance)
        for item in run.items:
            for problem in item.problems:
                typer.echo(str(problem), err=True)
            if item.error:
                typer.echo(printable(f"{item.file}: {item.error}"), err=True)
        emit(render(run, format), output)
        if run.failed:
            raise typer.Exit(EXIT_FAILED)


@app.command(short_help="Compare two estimates, or two folders of them.")
def diff(
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="The earlier result (.json), profile or folder.")
    ],
    new: Annotated[
        str, typer.Argument(metavar="NEW", help="The later result (.json), profile or folder.")
    ],
    format: Annotated[Format | None, format_flag("Diff", "FolderDiff")] = None,
    output: OutputOption = None,
    fail_above: Annotated[
        str | None,
        typer.Option(
            metavar="PCT",
            help="Exit 1 when a net P50 moves by more than PCT (5% or 5), either way.",
        ),
    ] = None,
    samples: SamplesOption = None,
    seed: SeedOption = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Compare two estimates, P50 by P50: per lever and for the totals.

    OLD and NEW are JSON results of `estimate`, or profiles (then both run with the same seed
    and sample count), or two folders of either, paired by file stem (a summary row per
    scenario: added, removed, changed, unchanged). Exit 2 when a scenario cannot be read
    (after writing the rest), else 1 when the gate trips.

    \b
    Example:
      inaction diff base/ head/ --fail-above 5% -f markdown -o comment.md
    """
    format = chosen_format(format, output, "Diff", "FolderDiff")
    from inaction_cli import api

    threshold = None if fail_above is None else parse_threshold(fail_above)
    note = None if fail_above is None else threshold_note(fail_above)
    if note is not None and not quiet:
        typer.echo(f"note: {note}", err=True)
    if old == new == "-":
        raise typer.BadParameter("OLD and NEW cannot both be - : stdin holds only one file")
    folders = [os.path.isdir(path) for path in (old, new)]
    if any(folders) and not all(folders):
        folder, other = (old, new) if folders[0] else (new, old)
        if other != "-" and not os.path.lexists(other):
            raise typer.BadParameter(f"{printable(other)}: no such file or folder")
        raise typer.BadParameter(
            f"{folder} is a folder but {other} is not: give two folders or two files"
        )
    with guard(debug):
        if all(folders):
            _diff_folders(old, new, format, output, threshold, samples, seed, quiet)
            return
        spare_inputs([old, new], output)
        with samples_bar("Simulating", quiet):
            comparison = api.diff(old, new, samples=samples, seed=seed, fail_above=threshold)
        emit(render(comparison, format), output)
        _warn_unless_shown(comparison.warnings, quiet, format, output)
        verdict = comparison.gate
        if verdict is not None:
            from inaction_cli.render.layout import gate_sentence

            typer.echo(gate_sentence(verdict), err=True)
            if verdict.tripped:
                raise typer.Exit(EXIT_FAILED)


def _diff_folders(
    old: str,
    new: str,
    format: Format,
    output: Path | None,
    threshold: float | None,
    samples: int | None,
    seed: int | None,
    quiet: bool,
) -> None:
    """`diff` of two folders: the whole comparison is written even when some scenario could
    not be read; then exit 2 for those, else 1 when the gate trips."""
    from inaction_cli import api
    from inaction_cli.render.layout import folder_gate_sentence

    spare_folders([old, new], output, api.SCENARIO_SUFFIXES)
    with samples_bar("Simulating", quiet):
        comparison = api.diff_folders(old, new, samples=samples, seed=seed, fail_above=threshold)
    emit(render(comparison, format), output)
    for item in comparison.scenarios:
        for problem in item.problems:
            typer.echo(str(problem), err=True)
    _warn_unless_shown(comparison.warnings, quiet, format, output)
    if comparison.gate is not None:
        typer.echo(printable(folder_gate_sentence(comparison)), err=True)
    if comparison.failed:
        raise typer.Exit(EXIT_USAGE)
    if comparison.gate is not None and comparison.gate.tripped:
        raise typer.Exit(EXIT_FAILED)


@app.command(short_help="Show each formula with the profile's numbers.")
def explain(
    profile: Annotated[
        str,
        typer.Argument(metavar="PROFILE", help="Profile YAML file, or - to read it from stdin."),
    ],
    lever: Annotated[
        list[str] | None,
        typer.Option("--lever", "-l", metavar="ID", help="Explain only this lever (repeatable)."),
    ] = None,
    format: Annotated[Format | None, format_flag("Explanation")] = None,
    output: OutputOption = None,
    debug: DebugOption = False,
) -> None:
    """Show how the estimate is computed: each formula with the profile's numbers put in.

    Every input is taken at its P50; each benchmark comes with its source in the article.

    \b
    Example:
      inaction explain scenarios/sme.yaml --lever cac
    """
    format = chosen_format(format, output, "Explanation")
    from inaction_cli import api

    with guard(debug):
        spare_inputs([profile], output)
        emit(render(api.explain(profile, tuple(lever or ())), format), output)


@app.command(short_help="Show the benchmark catalogue and its sources.")
def benchmarks(
    format: Annotated[Format | None, format_flag("CatalogueListing")] = None,
    output: OutputOption = None,
    debug: DebugOption = False,
) -> None:
    """Show the benchmark catalogue: every default figure and where the article gives it."""
    format = chosen_format(format, output, "CatalogueListing")
    from inaction_cli import api

    with guard(debug):
        emit(render(api.benchmarks(), format), output)


@app.command(short_help="Print the JSON Schema of a profile or of a result.")
def schema(
    result: Annotated[
        bool, typer.Option("--result", help="The schema of estimate's JSON output instead.")
    ] = False,
    output: OutputOption = None,
    debug: DebugOption = False,
) -> None:
    """Print the JSON Schema of a profile (for editors), or of a result with --result."""
    from inaction_cli import api
    from inaction_cli.result import dump_json

    with guard(debug):
        emit_text(dump_json(api.result_schema() if result else api.profile_schema()), output)


def _template_names(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion of --template: each template with its description."""
    from inaction_cli.starters import STARTERS

    return [(item.name, item.description) for item in STARTERS if item.name.startswith(incomplete)]


@app.command(short_help="Write a commented starter profile to edit.")
def init(
    path: Annotated[
        Path,
        typer.Argument(
            help="Where to write the profile (default: profile.yaml), or - for stdout. An "
            "existing file is never replaced.",
            dir_okay=False,
            metavar="PATH",
            show_default=False,
        ),
    ] = Path("profile.yaml"),
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            "-t",
            metavar="NAME",
            help="sme (the default), ecommerce, b2b-agency or blank.",
            autocompletion=_template_names,
        ),
    ] = None,
    list_templates: Annotated[
        bool, typer.Option("--list", help="List the templates, one line each, and exit.")
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Write a starter profile to edit, each of its keys explained in comments.

    The templates are worked examples (sme, ecommerce, b2b-agency) or a blank profile with every
    section written out and commented out (blank). An existing file is never replaced.

    \b
    Example:
      inaction init --template ecommerce shop.yaml && inaction estimate shop.yaml
    """
    import shlex

    from inaction_cli import starters
    from inaction_cli.cli.output import create_new

    with guard(debug):
        if list_templates:
            width = max(len(item.name) for item in starters.STARTERS)
            lines = [f"{item.name:<{width}}  {item.description}\n" for item in starters.STARTERS]
            emit_text("".join(lines), None)
            return
        name = starters.starter(starters.DEFAULT_STARTER if template is None else template).name
        text = starters.starter_text(name)
        if str(path) == "-":
            emit_text(text, None)
            return
        create_new(path, text.encode("utf-8"))
        typer.echo(
            printable(
                f"Wrote {path} (template {name}). Next: put your figures in it, then run: "
                f"inaction estimate {shlex.quote(str(path))}"
            ),
            err=True,
        )


# Every command's help reads `PROFILE` and `PATH...`, not typer's `{profile} <str>`.
for _info in app.registered_commands:
    _info.cls = Command
