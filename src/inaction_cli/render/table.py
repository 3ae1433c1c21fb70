"""The terminal tables, drawn with rich."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.containers import Lines as Lines_
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from inaction_cli.render.console import MAX_WIDTH
from inaction_cli.render.layout import (
    COMPACT_BAR_WIDTH,
    COMPACT_FAN_WIDTH,
    DECISION_HEADERS,
    DELAYS_NOTE,
    EVIDENCE_NOTE,
    NO_DELAYS,
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
    BatchItem,
    CatalogueListing,
    Diff,
    Explanation,
    FolderDiff,
    Report,
    Sensitivity,
    Validation,
)
from inaction_cli.text import printable


class _Table(Table):
    """A table whose unwrapped columns ask for their whole width: rich measures a cell by its
    longest word, so `Net P50` or `month 8` would be squeezed into `Net …` on a narrow
    terminal instead of choosing a more compact layout (see Fit)."""

    def _settle(self) -> None:
        for column in self.columns:
            if not column.no_wrap:
                continue
            texts = [column.header, *column.cells]
            widths = [
                cell_len(line)
                for text in texts
                if isinstance(text, str | Text)
                for line in str(text).splitlines() or [""]
            ]
            column.min_width = max(column.min_width or 0, *widths)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        self._settle()
        return super().__rich_measure__(console, options)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        self._settle()
        yield from super().__rich_console__(console, options)


def _table(*, title: str | None = None) -> Table:
    return _Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        collapse_padding=True,
        title=title,
        title_justify="left",
    )


def _warnings(warnings: Sequence[str]) -> list[RenderableType]:
    return [Prose(f"warning: {warning}", style="yellow") for warning in warnings]


def estimate(report: Report, views: frozenset[str] = frozenset()) -> RenderableType:
    """The whole estimate: header, the lever and totals table, P(net > 0), the decision block,
    the parts asked for in `views`, warnings."""
    header = Text.assemble(
        ("Cost of inaction — ", "bold"),
        (printable(report.provenance.profile_name), "bold cyan"),
        "\n",
        (settings_line(report), "dim"),
    )
    table = Fit(
        _estimate_table(report, format_money, LABEL_WIDTH),
        _estimate_table(report, format_compact, COMPACT_LABEL_WIDTH),
    )
    verdict = Prose.assemble(
        "Chance that inaction costs more than adopting (net > 0): ",
        (format_share(report.totals.probability_net_positive), "bold"),
    )
    parts: list[RenderableType] = [header, table, verdict]
    parts += [Prose(line) for line in risk_lines(report)]
    if report.levers:
        parts.append(Prose(EVIDENCE_NOTE, style="dim"))
    if report.precision is not None:
        parts.append(Prose(precision_line(report.precision, report.currency), style="dim"))
    lines = decision_lines(report)
    if lines:
        parts += ["", Text("Decision", style="bold underline")]
        parts += [Padding(Prose(line), (0, 0, 0, 2)) for line in lines]
    if "cash_flow" in views:
        parts += ["", _grid("Cash flow by year, undiscounted", *cash_flow_rows(report))]
    if "delays" in views:
        columns, rows = delay_rows(report)
        if rows:
            parts += [
                "",
                _grid("What waiting costs", columns, rows),
                Prose(DELAYS_NOTE, style="dim"),
            ]
        else:
            parts += ["", Text("What waiting costs", style="bold"), Prose(NO_DELAYS)]
    if "timeline" in views:
        fan = Fit(Lines(timeline_lines(report)), Lines(timeline_lines(report, COMPACT_FAN_WIDTH)))
        title = "Cumulative net by quarter, discounted (─ band, ● P50, │ zero)"
        parts += ["", Text(title, style="bold"), fan]
    if report.sensitivity is not None:
        parts += ["", tornado(report.sensitivity, report.currency)]
    if report.histogram is not None:
        parts += ["", distribution(report)]
    return Group(*parts, *_warnings(report.warnings))


LABEL_WIDTH = 34
"""The labels' column with full amounts: narrower, a compact layout reads better."""
COMPACT_LABEL_WIDTH = 16


def _estimate_table(report: Report, amount: Callable[[float, str], str], label_width: int) -> Table:
    """The levers and totals, each amount written by `amount` (full or compact)."""
    table = _table()
    table.add_column("", overflow="fold", min_width=label_width)
    percentiles = report.settings.percentiles
    for percentile in percentiles:
        style = "" if percentile == MEDIAN else "dim"
        table.add_column(percentile_label(percentile), justify="right", no_wrap=True, style=style)
    for row in estimate_rows(report):
        if row.values is None and not row.note:
            if table.row_count:
                table.add_section()
            table.add_row(Text(row.label, style="bold underline"))
            continue
        shown = Text(row.label)
        if row.evidence:
            shown.append(f" {row.evidence}", style="dim")
        label = Padding(shown, (0, 0, 0, 2)) if row.indent else shown
        if row.values is None:
            table.add_row(label, *([MISSING] * len(percentiles)))
        else:
            cells = [amount(value, report.currency) for value in row.values]
            style = "bold" if row.emphasis else "dim" if row.quiet else ""
            table.add_row(label, *cells, style=style)
    return table


def _grid(title: str, header: list[str], rows: list[list[str]]) -> RenderableType:
    """A small table of figures: the first column left, the others right; on a narrow
    terminal, without the columns that only repeat what the rows say (`Months`)."""

    def drawn(kept: list[int]) -> Table:
        table = _table()
        for index in kept:
            table.add_column(header[index], justify="right" if index else "left", no_wrap=True)
        for row in rows:
            table.add_row(*(row[index] for index in kept))
        return table

    every = list(range(len(header)))
    compact = [index for index in every if header[index] not in OPTIONAL_COLUMNS]
    return Group(Text(title, style="bold"), Fit(drawn(every), drawn(compact)))


OPTIONAL_COLUMNS = ("Months",)


INPUT_WIDTH = 18
"""The inputs' column of the tornado: a long key path folds."""


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

    def drawn(with_bars: bool) -> Table:
        table = _table()
        table.add_column("Input", overflow="fold", min_width=INPUT_WIDTH)
        for name in ("at P10", "at P90", "Swing", "ρ"):
            table.add_column(name, justify="right", no_wrap=True)
        if with_bars:
            table.add_column("", no_wrap=True, style="cyan")
        for item in sensitivity.inputs:
            bars = [tornado_bar(item, sensitivity)] if with_bars else []
            label = Text.assemble(item.label, "\n", (input_range(item, currency), "dim"))
            table.add_row(
                Folded(label, INPUT_WIDTH),
                format_compact(item.net_at_low, currency),
                format_compact(item.net_at_high, currency),
                format_compact(item.swing, currency),
                correlation_text(item.rank_correlation),
                *bars,
            )
        return table

    note = Text("ρ: rank correlation of the input with the net.", style="dim")
    return Group(title, Fit(drawn(with_bars=True), drawn(with_bars=False)), note)


def distribution(report: Report) -> RenderableType:
    """The histogram of the net, drawn with text so that it survives copy and paste."""
    histogram = report.histogram
    assert histogram is not None
    title = Text.assemble(
        ("Distribution of the net cost of inaction", "bold"),
        (f" — {report.settings.samples:,} samples", "dim"),
    )
    currency = report.currency
    return Group(
        title,
        Fit(
            Lines(histogram_lines(histogram, currency)),
            Lines(histogram_lines(histogram, currency, COMPACT_BAR_WIDTH)),
        ),
    )


_GLUE = "\ue000"
"""A character that is not a space and is one cell wide: what a number's space becomes while
a line is wrapped."""


class Prose(Text):
    """A sentence that wraps between words and never parts a number from its unit: `30-60 %`
    stays on one line."""

    def wrap(self, console: Console, width: int, **options: Any) -> Lines_:
        glued = self.copy()
        glued.plain = re.sub(r" (?=%|pt\b|mo\b)", _GLUE, self.plain)
        lines = Text.wrap(glued, console, width, **options)
        for line in lines:
            line.plain = line.plain.replace(_GLUE, " ")
        return lines


class Fit:
    """The first of several layouts that fits the width it is given, else the last (the most
    compact): full amounts on a wide terminal, compact ones on a narrow one, and never a
    number split or a line wider than the terminal (from 60 columns)."""

    def __init__(self, *layouts: RenderableType) -> None:
        self.layouts = layouts

    def _measure(self, console: Console, options: ConsoleOptions, layout: Any) -> Measurement:
        return Measurement.get(console, options.update(max_width=MAX_WIDTH), layout)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for layout in self.layouts[:-1]:
            if self._measure(console, options, layout).minimum <= options.max_width:
                yield layout
                return
        yield self.layouts[-1]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        measured = [self._measure(console, options, layout) for layout in self.layouts]
        return Measurement(
            min(item.minimum for item in measured), max(item.maximum for item in measured)
        )


class Lines:
    """Lines drawn as they are, never wrapped (a fan, a histogram): a layout is chosen to fit
    by its widest line."""

    def __init__(self, lines: list[str]) -> None:
        self.text = Text("\n".join(lines), no_wrap=True, overflow="ignore")
        self.width = max((len(line) for line in lines), default=0)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)


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
    """One row per profile, ranked by net P50 within its currency (a section each when there
    are several); failures last. Then the decision figures, then each profile's file on a
    line of its own, so that a file name is never split.

    Amounts are compact (€1.71M): eight figures a row must fit 80 columns; below, the P5
    and P95 give way. The exact ones are in the JSON and CSV forms.
    """
    several = len(run.currencies) > 1
    shown = batch_shown(run.percentiles)
    ranked = run.ranked()

    def key(rank: int | None, item: BatchItem) -> str:
        if rank is None:
            return "✗"
        assert item.row is not None
        return f"{item.row.currency} {rank}" if several else str(rank)

    def figures(percentiles: list[float]) -> Table:
        table = _table()
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Profile", overflow="fold", min_width=PROFILE_WIDTH)
        for percentile in percentiles:
            table.add_column(f"Net {percentile_label(percentile)}", justify="right", no_wrap=True)
        for title in ("Run-rate", "Delay/mo", "P(net>0)"):
            table.add_column(title, justify="right", no_wrap=True)
        for rank, item in ranked:
            row = item.row
            if row is None:
                failed = Text("failed (file below)", style="bold red")
                table.add_row("✗", failed, *([""] * (len(percentiles) + 3)))
                continue
            _currency_section(table, rank, row.currency, several)
            table.add_row(
                str(rank),
                Folded(Text(printable(row.provenance.profile_name)), PROFILE_WIDTH),
                *(format_compact(value, row.currency) for value in batch_figures(row, percentiles)),
                format_share(row.probability_net_positive),
            )
        return table

    decisions = _table()
    decisions.add_column("#", justify="right", no_wrap=True)
    decisions.add_column("Profile", overflow="fold", min_width=PROFILE_WIDTH)
    for title in DECISION_HEADERS:
        decisions.add_column(title, justify="right", no_wrap=True)
    for rank, item in ranked:
        if item.row is not None:
            _currency_section(decisions, rank, item.row.currency, several)
            name = Folded(Text(printable(item.row.provenance.profile_name)), PROFILE_WIDTH)
            decisions.add_row(str(rank), name, *decision_texts(item.row))
    items, failed_count = run.items, run.failed
    ranking = " Ranked within each currency." if several else ""
    summary = Prose(
        f"{len(items)} profiles: {len(items) - failed_count} estimated, {failed_count} failed."
        f"{ranking} Run-rate and delay per month are P50s; break-even p is the chance of "
        "success above which adopting beats waiting.",
        style="red" if failed_count else "dim",
    )
    width = max(len(key(rank, item)) for rank, item in ranked)
    files = Text(
        "\n".join(
            f"{key(rank, item).rjust(width)}  {printable(item.file)}" for rank, item in ranked
        ),
        style="dim",
    )
    parts: list[RenderableType] = [Fit(figures(shown), figures([MEDIAN]))]
    if decisions.row_count:
        parts += ["", decisions]
    return Group(*parts, "", Text("Files", style="bold"), files, summary)


def _currency_section(table: Table, rank: int | None, currency: str, several: bool) -> None:
    """With profiles in several currencies, a heading row before each currency's first."""
    if several and rank == 1:
        if table.row_count:
            table.add_section()
        table.add_row("", Text(f"In {currency}", style="bold underline"))


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

    def drawn(compact: bool) -> Table:
        table = _table()
        table.add_column("", overflow="fold", min_width=16)
        for title in ("Before", "After", "Change", "Change %"):
            table.add_column(title, justify="right", no_wrap=True)
        for title, changes in diff_sections(comparison):
            if table.row_count:
                table.add_section()
            table.add_row(Text(title, style="bold underline"))
            for change in changes:
                label = Text(change.label, style="bold" if change.id == "net" else "")
                texts = change_texts(change, currency, compact=compact)
                table.add_row(Padding(label, (0, 0, 0, 2)), *texts)
        return table

    table = Fit(drawn(compact=False), drawn(compact=True))
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

    def drawn(compact: bool) -> Table:
        table = _table()
        table.add_column("Scenario", overflow="fold", min_width=12)
        for title in ("Before", "After", "Change", "Change %"):
            table.add_column(title, justify="right", no_wrap=True)
        table.add_column("Status", no_wrap=True)
        for name, before, after, moved, relative, status in folder_rows(
            comparison, compact=compact
        ):
            table.add_row(
                Folded(Text(printable(name)), 12),
                before,
                after,
                moved,
                relative,
                Text(status, style=_STATUS_STYLES.get(status, "dim")),
            )
        return table

    table = Fit(drawn(compact=False), drawn(compact=True))
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
                Prose(
                    f"uplift {range_text(lever.uplift.low, lever.uplift.high)} · "
                    f"{range_text(lever.time_to_value_months.low, lever.time_to_value_months.high)}"
                    f" month{'' if lever.time_to_value_months.high == 1 else 's'} to full effect"
                    f" · {group}"
                ),
                (0, 0, 0, 2),
            ),
            Padding(Prose(lever.citation, style="dim"), (0, 0, 0, 2)),
        ]
    parts.append("")
    parts += [
        Prose(
            f"{figure.name}: {range_text(figure.value.low, figure.value.high)} {figure.what} "
            f"({figure.citation})",
            style="dim",
        )
        for figure in book.figures
    ]
    return Group(*parts, Prose(EVIDENCE_NOTE, style="dim"))


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
        text = Prose(line.text, style=styles[line.kind])
        # Indented as a block, so that a long source wraps under itself; a meta line (a
        # 64-digit hash) may fold rather than widen the page.
        if line.kind == "meta":
            parts.append(Folded(text, 20))
        else:
            parts.append(text if line.kind in ("title", "heading") else Padding(text, (0, 0, 0, 2)))
    return Group(*parts)
