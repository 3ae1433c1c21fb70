"""The terminal tables, drawn with rich."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from inaction_cli.render.layout import (
    DECISION_HEADERS,
    DELAYS_NOTE,
    EVIDENCE_NOTE,
    batch_figures,
    batch_shown,
    cash_flow_rows,
    change_texts,
    correlation_text,
    decision_lines,
    decision_texts,
    delay_rows,
    diff_sections,
    diff_settings,
    estimate_rows,
    evidence_mark,
    explanation_lines,
    folder_heading,
    folder_rows,
    histogram_lines,
    input_range,
    precision_line,
    range_text,
    ranked,
    risk_lines,
    settings_line,
    timeline_lines,
    tornado_bar,
)
from inaction_cli.render.money import (
    MISSING,
    format_compact,
    format_money,
    format_share,
    percentile_label,
)
from inaction_cli.result import (
    MEDIAN,
    Batch,
    CatalogueListing,
    Diff,
    Explanation,
    FolderDiff,
    Report,
    Sensitivity,
    Validation,
)
from inaction_cli.text import printable


def _table(*, title: str | None = None) -> Table:
    return Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        collapse_padding=True,
        title=title,
        title_justify="left",
    )


def _warnings(warnings: Sequence[str]) -> list[RenderableType]:
    return [Text(f"warning: {warning}", style="yellow") for warning in warnings]


def estimate(report: Report, views: frozenset[str] = frozenset()) -> RenderableType:
    """The whole estimate: header, the lever and totals table, P(net > 0), the decision block,
    the parts asked for in `views`, warnings."""
    header = Text.assemble(
        ("Cost of inaction — ", "bold"),
        (printable(report.provenance.profile_name), "bold cyan"),
        "\n",
        (settings_line(report), "dim"),
    )
    table = _table()
    table.add_column("", overflow="fold", min_width=16)
    percentiles = report.settings.percentiles
    for percentile in percentiles:
        style = "" if percentile == MEDIAN else "dim"
        table.add_column(percentile_label(percentile), justify="right", no_wrap=True, style=style)
    for row in estimate_rows(report):
        label = f"  {row.label}" if row.indent else row.label
        if row.values is None and not row.note:
            if table.row_count:
                table.add_section()
            table.add_row(Text(label, style="bold underline"))
        elif row.values is None:
            table.add_row(label, *([MISSING] * len(percentiles)))
        else:
            cells = [format_money(value, report.currency) for value in row.values]
            shown = Text(label)
            if row.evidence:
                shown.append(f" {row.evidence}", style="dim")
            style = "bold" if row.emphasis else "dim" if row.quiet else ""
            table.add_row(shown, *cells, style=style)
    verdict = Text.assemble(
        "Chance that inaction costs more than adopting (net > 0): ",
        (format_share(report.totals.probability_net_positive), "bold"),
    )
    parts: list[RenderableType] = [header, table, verdict]
    parts += [Text(line) for line in risk_lines(report)]
    if report.levers:
        parts.append(Text(EVIDENCE_NOTE, style="dim"))
    if report.precision is not None:
        parts.append(Text(precision_line(report.precision, report.currency), style="dim"))
    lines = decision_lines(report)
    if lines:
        parts += ["", Text("Decision", style="bold underline")]
        parts += [Padding(Text(line), (0, 0, 0, 2)) for line in lines]
    if "cash_flow" in views:
        parts += ["", _grid("Cash flow by year, undiscounted", *cash_flow_rows(report))]
    if "delays" in views:
        waiting = _grid("What waiting costs", *delay_rows(report))
        parts += ["", waiting, Text(DELAYS_NOTE, style="dim")]
    if "timeline" in views:
        fan = timeline_lines(report)
        title = "Cumulative net by quarter, discounted (─ band, ● P50, │ zero)"
        parts += ["", Text(title, style="bold"), Text("\n".join(fan))]
    if report.sensitivity is not None:
        parts += ["", tornado(report.sensitivity, report.currency)]
    if report.histogram is not None:
        parts += ["", distribution(report)]
    return Group(*parts, *_warnings(report.warnings))


def _grid(title: str, header: list[str], rows: list[list[str]]) -> RenderableType:
    """A small table of figures: the first column left, the others right."""
    table = _table()
    for index, name in enumerate(header):
        table.add_column(name, justify="left" if index == 0 else "right", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    return Group(Text(title, style="bold"), table)


def tornado(sensitivity: Sensitivity, currency: str) -> RenderableType:
    """What drives the net: its P50 with each uncertain input at its P10 and at its P90."""
    title = Text.assemble(
        ("What drives the net", "bold"),
        (
            f" — its P50 ({format_money(sensitivity.net_p50, currency)}) with each input "
            "held at its own P10 and P90, the others random",
            "dim",
        ),
    )
    table = _table()
    table.add_column("Input", overflow="fold", min_width=18)
    for name in ("at P10", "at P90", "Swing", "ρ"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("", no_wrap=True, style="cyan")
    for item in sensitivity.inputs:
        table.add_row(
            Text.assemble(item.label, "\n", (input_range(item, currency), "dim")),
            format_compact(item.net_at_low, currency),
            format_compact(item.net_at_high, currency),
            format_compact(item.swing, currency),
            correlation_text(item.rank_correlation),
            tornado_bar(item, sensitivity),
        )
    note = Text("ρ: rank correlation of the input with the net.", style="dim")
    return Group(title, table, note)


def distribution(report: Report) -> RenderableType:
    """The histogram of the net, drawn with text so that it survives copy and paste."""
    histogram = report.histogram
    assert histogram is not None
    title = Text.assemble(
        ("Distribution of the net cost of inaction", "bold"),
        (f" — {report.settings.samples:,} samples", "dim"),
    )
    lines = histogram_lines(histogram, report.currency)
    return Group(title, Text("\n".join(lines)))


class Folded:
    """Text that folds anywhere when room is short (a long file name), and so never asks a
    table for more than `minimum` columns: rich measures text by its longest word, and the
    console is widened to what a report needs (render/console.py)."""

    def __init__(self, text: Text, minimum: int) -> None:
        self.text = text
        self.minimum = minimum

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        measured = Measurement.get(console, options, self.text)
        return Measurement(min(measured.minimum, self.minimum), measured.maximum)


PROFILE_WIDTH = 12


def batch(run: Batch) -> RenderableType:
    """One row per profile, ranked by net P50; failures last.

    Amounts are compact (€1.71M): eight figures a row must fit 80 columns. The exact ones
    are in the JSON and CSV forms.
    """
    items, percentiles = list(run.items), run.percentiles
    middle = percentiles.index(MEDIAN)
    shown = batch_shown(percentiles)
    table = _table()
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Profile", overflow="fold", min_width=PROFILE_WIDTH)
    for percentile in shown:
        table.add_column(f"Net {percentile_label(percentile)}", justify="right", no_wrap=True)
    for title in ("Run-rate", "Delay/mo", "P(net>0)"):
        table.add_column(title, justify="right", no_wrap=True)
    for rank, item in enumerate(ranked(items, middle), start=1):
        report = item.report
        if report is None:
            failed = Text.assemble(("failed", "bold red"), "\n", (printable(item.file), "dim"))
            table.add_row("✗", Folded(failed, PROFILE_WIDTH), *([""] * (len(shown) + 3)))
            continue
        table.add_row(
            str(rank),
            Folded(
                Text.assemble(
                    printable(report.provenance.profile_name), "\n", (printable(item.file), "dim")
                ),
                PROFILE_WIDTH,
            ),
            *(format_compact(value, report.currency) for value in batch_figures(report, shown)),
            format_share(report.totals.probability_net_positive),
        )
    decisions = _table()
    decisions.add_column("#", justify="right", no_wrap=True)
    decisions.add_column("Profile", overflow="fold", min_width=PROFILE_WIDTH)
    for title in DECISION_HEADERS:
        decisions.add_column(title, justify="right", no_wrap=True)
    for rank, item in enumerate(ranked(items, middle), start=1):
        if item.report is not None:
            name = Text(printable(item.report.provenance.profile_name))
            decisions.add_row(str(rank), Folded(name, PROFILE_WIDTH), *decision_texts(item.report))
    failed_count = sum(1 for item in items if item.report is None)
    summary = Text(
        f"{len(items)} profiles: {len(items) - failed_count} estimated, {failed_count} failed. "
        "Run-rate and delay per month are P50s; break-even p is the chance of success above "
        "which adopting beats waiting.",
        style="red" if failed_count else "dim",
    )
    parts: list[RenderableType] = [table]
    if decisions.row_count:
        parts += ["", decisions]
    return Group(*parts, summary)


def diff(comparison: Diff) -> RenderableType:
    """The P50 of every lever and total, before and after. (The gate's verdict goes to
    stderr, where a terminal shows it after the table.)"""
    old, new = comparison.old.provenance, comparison.new.provenance
    name = printable(
        new.profile_name
        if old.profile_name == new.profile_name
        else f"{old.profile_name} → {new.profile_name}"
    )
    files = comparison.files
    header = Text.assemble(
        ("Change in the cost of inaction — ", "bold"),
        (name, "bold cyan"),
        "\n",
        (printable(f"{files[0]} → {files[1]}"), "dim"),
        "\n",
        (diff_settings(comparison.old, comparison.new), "dim"),
    )
    currency = comparison.new.currency
    table = _table()
    table.add_column("", overflow="fold", min_width=16)
    for title in ("Before", "After", "Change", "Change %"):
        table.add_column(title, justify="right", no_wrap=True)
    for title, changes in diff_sections(comparison):
        if table.row_count:
            table.add_section()
        table.add_row(Text(title, style="bold underline"))
        for change in changes:
            label = Text(f"  {change.label}", style="bold" if change.id == "net" else "")
            table.add_row(label, *change_texts(change, currency))
    return Group(header, table, *_warnings(comparison.warnings))


_STATUS_STYLES = {"added": "green", "removed": "yellow", "changed": "bold", "error": "red"}


def folder_diff(comparison: FolderDiff) -> RenderableType:
    """A summary row per scenario (net P50 before and after), then the whole diff of each
    changed scenario. (Problems and the gate's verdict go to stderr.)"""
    old, new = comparison.folders
    total, counts = folder_heading(comparison)
    header = Text.assemble(
        ("Change in the cost of inaction — ", "bold"),
        (total, "bold cyan"),
        "\n",
        (counts, "dim"),
        "\n",
        (printable(f"{old} → {new}"), "dim"),
    )
    table = _table()
    table.add_column("Scenario", overflow="fold", min_width=12)
    for title in ("Before", "After", "Change", "Change %"):
        table.add_column(title, justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for name, before, after, moved, relative, status in folder_rows(comparison):
        table.add_row(
            printable(name),
            before,
            after,
            moved,
            relative,
            Text(status, style=_STATUS_STYLES.get(status, "dim")),
        )
    parts: list[RenderableType] = [header, table, Text("Net cost of inaction, P50.", style="dim")]
    for item in comparison.scenarios:
        if item.status == "changed" and item.diff is not None:
            parts += ["", diff(item.diff)]
    return Group(*parts, *_warnings(comparison.warnings))


def benchmarks(book: CatalogueListing) -> RenderableType:
    """The catalogue, one block per lever: its figures on one line, its source below, wrapped
    at word boundaries whatever the terminal's width."""
    parts: list[RenderableType] = [Text(f"Benchmark catalogue {book.version}", style="bold")]
    for lever in book.levers:
        group = f"group {lever.group}" if lever.group else "no mechanism group"
        parts += [
            "",
            Text.assemble(
                (lever.id, "bold"),
                f" — {lever.label}  ",
                (evidence_mark(lever.evidence), "bold"),
            ),
            Padding(
                Text(
                    f"uplift {range_text(lever.uplift.low, lever.uplift.high)} · "
                    f"{range_text(lever.time_to_value_months.low, lever.time_to_value_months.high)}"
                    f" months to full effect · {group}"
                ),
                (0, 0, 0, 2),
            ),
            Padding(Text(lever.citation, style="dim"), (0, 0, 0, 2)),
        ]
    parts.append("")
    parts += [
        Text(
            f"{figure.name}: {range_text(figure.value.low, figure.value.high)} {figure.what} "
            f"({figure.citation})",
            style="dim",
        )
        for figure in book.figures
    ]
    return Group(*parts, Text(EVIDENCE_NOTE, style="dim"))


def validation(checked: Validation) -> RenderableType:
    """One line per file: valid, with its levers, or how many problems. Print it with
    `soft_wrap=True`: a file name is never broken across lines."""
    lines = []
    for item in checked.files:
        if item.problems:
            count = len(item.problems)
            lines.append(
                Text(f"✗ {printable(item.file)}: {count} problem{'s' * (count != 1)}", style="red")
            )
        else:
            levers = ", ".join(item.levers) or "no lever"
            lines.append(Text(f"✓ {printable(item.file)}: valid ({levers})", style="green"))
    return Group(*lines)


def explanation(explained: Explanation) -> RenderableType:
    """The audit trail: formulas with the profile's numbers, sources, time line."""
    styles = {
        "title": "bold",
        "meta": "dim",
        "heading": "bold underline",
        "formula": "cyan",
        "prose": "",
    }
    parts: list[RenderableType] = []
    for line in explanation_lines(explained):
        if line.kind == "heading":
            parts.append("")
        text = Text(line.text, style=styles[line.kind])
        # Indented as a block, so that a long source wraps under itself.
        parts.append(
            text if line.kind in ("title", "meta", "heading") else Padding(text, (0, 0, 0, 2))
        )
    return Group(*parts)
