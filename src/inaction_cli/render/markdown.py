"""GitHub-flavoured Markdown: for a pull-request comment or a CI job summary."""

from __future__ import annotations

from collections.abc import Sequence

from inaction_cli.benchmarks import Catalogue, section_label
from inaction_cli.compare import MEDIAN, BatchItem, Change, Diff, Gate
from inaction_cli.estimate import Validation
from inaction_cli.render.layout import diff_sections, estimate_rows, ranked
from inaction_cli.render.money import (
    MISSING,
    format_change,
    format_money,
    format_points,
    format_share,
    percentile_label,
)
from inaction_cli.render.table import gate_sentence, range_text, settings_line
from inaction_cli.result import Report

DIFF_MARKER = "<!-- inaction:diff -->"
"""A hidden line a CI step can search for to update its pull-request comment in place."""


def cell(text: str) -> str:
    """Text safe inside a table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: Sequence[str], align: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(f"{'-' * 3}:" if a == "r" else "---" for a in align) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _warnings(warnings: Sequence[str]) -> str:
    return "".join(f"> **Warning:** {cell(warning)}\n" for warning in warnings)


def estimate(report: Report) -> str:
    """The estimate as a heading, one table and the warnings."""
    width = len(report.percentiles)
    rows = []
    for row in estimate_rows(report):
        if row.values is None and not row.note:
            rows.append([f"**{cell(row.label)}**", *([""] * width)])
        elif row.values is None:
            rows.append([cell(row.label), *([MISSING] * width)])
        else:
            label = f"**{cell(row.label)}**" if row.emphasis else cell(row.label)
            rows.append([label, *(format_money(v, report.currency) for v in row.values)])
    header = ["", *(percentile_label(p) for p in report.percentiles)]
    text = (
        f"### Cost of inaction — {cell(report.provenance.profile_name)}\n\n"
        f"{settings_line(report)}\n\n"
        + _table(header, ["l", *("r" * width)], rows)
        + "\nChance that inaction costs more than adopting (net > 0): "
        f"**{format_share(report.totals.probability_net_positive)}**\n"
    )
    if report.warnings:
        text += "\n" + _warnings(report.warnings)
    return text


def batch(items: list[BatchItem], percentiles: tuple[float, ...]) -> str:
    """One row per profile, ranked by net P50."""
    middle = percentiles.index(MEDIAN)
    shown = list(dict.fromkeys((percentiles[0], MEDIAN, percentiles[-1])))
    header = [
        "#",
        "Profile",
        "File",
        *(f"Net {percentile_label(p)}" for p in shown),
        "Run-rate P50",
        "Delay/month P50",
        "P(net>0)",
    ]
    rows = []
    for rank, item in enumerate(ranked(items, middle), start=1):
        report = item.report
        if report is None:
            rows.append(["✗", "**failed**", f"`{cell(item.file)}`", *([""] * (len(shown) + 3))])
            continue
        totals = report.totals
        rows.append(
            [
                str(rank),
                cell(report.provenance.profile_name),
                f"`{cell(item.file)}`",
                *(
                    format_money(
                        totals.net.percentiles[report.percentiles.index(p)], report.currency
                    )
                    for p in shown
                ),
                format_money(totals.annual.percentiles[middle], report.currency),
                format_money(totals.cost_of_delay_per_month.percentiles[middle], report.currency),
                format_share(totals.probability_net_positive),
            ]
        )
    failed = sum(1 for item in items if item.report is None)
    return (
        "### Cost of inaction, profile by profile\n\n"
        + _table(header, ["r", "l", "l", *("r" * (len(shown) + 3))], rows)
        + f"\n{len(items)} profiles, {len(items) - failed} estimated, {failed} failed.\n"
    )


def diff(comparison: Diff, verdict: Gate | None = None) -> str:
    """The diff as a pull-request comment, with a hidden marker to update it in place."""
    old, new = comparison.old, comparison.new
    currency = new.currency
    rows = []
    for title, changes in diff_sections(comparison):
        rows.append([f"**{cell(title)}**", "", "", "", ""])
        rows += [_change_row(change, currency) for change in changes]
    probability = comparison.probability_net_positive
    rows.append(
        [
            "P(net > 0)",
            MISSING if probability.before is None else format_share(probability.before),
            MISSING if probability.after is None else format_share(probability.after),
            format_points(probability.change),
            "",
        ]
    )
    text = (
        f"{DIFF_MARKER}\n"
        f"### Cost of inaction: {cell(new.provenance.profile_name)}\n\n"
        f"`{cell(old.provenance.profile_path)}` → `{cell(new.provenance.profile_path)}` · "
        f"seed {new.seed} · {new.samples:,} samples\n\n"
        + _table(["", "Before", "After", "Change", "Change %"], "lrrrr", rows)
    )
    if verdict is not None:
        mark = "❌" if verdict.tripped else "✅"
        text += f"\n{mark} **{gate_sentence(verdict)}**\n"
    if comparison.warnings:
        text += "\n" + _warnings(comparison.warnings)
    return text


def _change_row(change: Change, currency: str) -> list[str]:
    def money(value: float | None) -> str:
        return MISSING if value is None else format_money(value, currency)

    status = change.status
    relative = status if status in ("added", "removed") else format_change(change.relative)
    label = f"**{cell(change.label)}**" if change.id == "net" else cell(change.label)
    moved = MISSING if change.change is None else format_money(change.change, currency, signed=True)
    return [label, money(change.before), money(change.after), moved, relative]


def benchmarks(book: Catalogue) -> str:
    """The catalogue as a Markdown table."""
    rows = [
        [
            f"`{lever.id}`",
            cell(lever.label),
            range_text(lever.uplift.low, lever.uplift.high),
            range_text(lever.time_to_value_months.low, lever.time_to_value_months.high),
            lever.group or MISSING,
            cell(f"{section_label(lever.sections)}: {lever.source}"),
        ]
        for lever in book.levers.values()
    ]
    return f"### Benchmark catalogue {book.version}\n\n" + _table(
        ["Lever", "Label", "Uplift", "Months to full effect", "Group", "Source"],
        "llrrll",
        rows,
    )


def validation(items: list[Validation]) -> str:
    """One row per file."""
    rows = [
        [
            f"`{cell(item.file)}`",
            "✅ valid" if item.valid else "❌ invalid",
            cell(", ".join(item.levers))
            if item.valid
            else cell("; ".join(str(problem) for problem in item.problems)),
        ]
        for item in items
    ]
    return _table(["File", "Result", "Levers or problems"], "lll", rows)
