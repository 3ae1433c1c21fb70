"""GitHub-flavoured Markdown: for a pull-request comment or a CI job summary."""

from __future__ import annotations

import re
from collections.abc import Sequence

from inaction_cli.render.layout import (
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
    explanation_lines,
    folder_gate_sentence,
    folder_heading,
    folder_rows,
    gate_sentence,
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
    format_money,
    format_share,
    percentile_label,
)
from inaction_cli.result import (
    Batch,
    BoardPack,
    CatalogueListing,
    Diff,
    Explanation,
    FolderDiff,
    Report,
    Sensitivity,
    Validation,
)
from inaction_cli.text import printable

DIFF_MARKER = "<!-- inaction:diff -->"
"""A hidden line a CI step can search for to update its pull-request comment in place."""


_ESCAPED = {
    "`": "\\`",
    "*": "\\*",
    "[": "\\[",
    "]": "\\]",
    "~": "\\~",
    "|": "\\|",
    "&": "&amp;",
    "<": "&lt;",  # no tag opens without it; a lone > is text
    # A zero-width space after @ keeps `@someone` from notifying someone in a comment.
    "@": "@&#8203;",
}
_MARKDOWN = str.maketrans(_ESCAPED)
_ESCAPING_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
"""A backslash that Markdown would read as escaping the punctuation after it (`\\x1b` is shown
as written; `\\[` would not be)."""


def cell(text: str) -> str:
    """Text from a profile, a file or a result as Markdown shows it, never as markup: safe in a
    table cell (and in a terminal), with no HTML, link, image, emphasis or @mention in it."""
    shown = printable(text.replace("\n", " "))
    return _ESCAPING_BACKSLASH.sub(r"\\\\", shown).translate(_MARKDOWN)


def code(text: str) -> str:
    """Text as an inline code span (no markup, no mention inside), fenced by more backticks
    than it holds in a row, as CommonMark allows; a pipe escaped for the table around it."""
    shown = printable(text.replace("\n", " ")).replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", shown)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {shown} " if shown.startswith("`") or shown.endswith("`") else shown
    return f"{fence}{padded}{fence}"


_NUMERIC = re.compile(r"[-+−]?[^\w\s\\]?\d")
"""A cell that starts as a number does (`€1,234`, `-12.5 %`, `3`): in the board pack's tables,
a column of them is right-aligned; text (an evidence grade, a path, a label) stays left."""


def _table(header: Sequence[str], align: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(f"{'-' * 3}:" if a == "r" else "---" for a in align) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _warnings(warnings: Sequence[str]) -> str:
    return "".join(f"> **Warning:** {cell(warning)}\n" for warning in warnings)


def estimate(report: Report, views: frozenset[str] = frozenset()) -> str:
    """The estimate as a heading, one table, the decision block, the parts asked for in
    `views`, and the warnings."""
    percentiles = report.settings.percentiles
    width = len(percentiles)
    rows = []
    for row in estimate_rows(report):
        if row.values is None and not row.note:
            rows.append([f"**{cell(row.label)}**", *([""] * width)])
        elif row.values is None:
            rows.append([cell(row.label), *([MISSING] * width)])
        else:
            label = cell(row.label) + (f" {row.evidence}" if row.evidence else "")
            label = f"**{label}**" if row.emphasis else f"_{label}_" if row.quiet else label
            rows.append([label, *(format_money(v, report.currency) for v in row.values)])
    header = ["", *(percentile_label(p) for p in percentiles)]
    text = (
        f"### Cost of inaction — {cell(report.provenance.profile_name)}\n\n"
        f"{settings_line(report)}\n\n"
        + _table(header, ["l", *("r" * width)], rows)
        + "\nChance that inaction costs more than adopting (net > 0): "
        f"**{format_share(report.totals.probability_net_positive)}**\n"
    )
    for line in risk_lines(report):
        text += f"\n{line}\n"
    if report.levers:
        text += f"\n_{EVIDENCE_NOTE}_\n"
    if report.precision is not None:
        text += f"\n{precision_line(report.precision, report.currency)}\n"
    lines = decision_lines(report)
    if lines:
        text += "\n#### Decision\n\n" + "".join(f"- {cell(line)}\n" for line in lines)
    if "cash_flow" in views:
        header, rows = cash_flow_rows(report)
        text += "\n#### Cash flow by year, undiscounted\n\n" + _table(
            header, ["l", *"r" * (len(header) - 1)], rows
        )
    if "delays" in views:
        header, rows = delay_rows(report)
        text += "\n#### What waiting costs\n\n" + (
            _table(header, ["l", *"r" * (len(header) - 1)], rows) + f"\n_{DELAYS_NOTE}_\n"
            if rows
            else f"{NO_DELAYS}\n"
        )
    if "timeline" in views:
        fan = "\n".join(timeline_lines(report))
        text += f"\n#### Cumulative net by quarter, discounted\n\n```text\n{fan}\n```\n"
    if report.sensitivity is not None:
        text += "\n" + tornado(report.sensitivity, report.currency)
    if report.histogram is not None:
        lines = histogram_lines(report.histogram, report.currency)
        text += (
            "\n#### Distribution of the net cost of inaction "
            f"({report.settings.samples:,} samples)\n\n"
            "```text\n" + "\n".join(lines) + "\n```\n"
        )
    if report.warnings:
        text += "\n" + _warnings(report.warnings)
    return text


def tornado(sensitivity: Sensitivity, currency: str) -> str:
    """The sensitivity of the net P50 to each uncertain input, largest swing first."""
    rows = [
        [
            cell(item.label),
            cell(input_range(item, currency)),
            format_money(item.net_at_low, currency),
            format_money(item.net_at_high, currency),
            format_money(item.swing, currency),
            correlation_text(item.rank_correlation),
            f"`{tornado_bar(item, sensitivity)}`" if item.swing > 0 else "",
        ]
        for item in sensitivity.inputs
    ]
    return (
        "#### What drives the net\n\n"
        f"Its P50 ({format_money(sensitivity.net_p50, currency)}) with each uncertain input held "
        "at its own P10 and P90, every other input random; ρ is the input's rank correlation "
        "with the net.\n\n"
        + _table(
            ["Input", "Range held", "Net P50 at P10", "Net P50 at P90", "Swing", "ρ", ""],
            "llrrrrl",
            rows,
        )
    )


def batch(run: Batch) -> str:
    """One row per profile, ranked by net P50 within its currency."""
    items, percentiles = run.items, run.percentiles
    shown = batch_shown(percentiles)
    header = [
        "#",
        "Profile",
        "File",
        "Currency",
        *(f"Net {percentile_label(p)}" for p in shown),
        "Run-rate P50",
        "Delay/month P50",
        "P(net>0)",
        *DECISION_HEADERS,
    ]
    rows = []
    for rank, item in run.ranked():
        row = item.row
        if row is None:
            rows.append(["✗", "**failed**", code(item.file), *([""] * (len(shown) + 7))])
            continue
        rows.append(
            [
                str(rank),
                cell(row.provenance.profile_name),
                code(item.file),
                row.currency,
                *(format_money(value, row.currency) for value in batch_figures(row, shown)),
                format_share(row.probability_net_positive),
                *decision_texts(row),
            ]
        )
    failed = run.failed
    ranking = " Ranked within each currency." if len(run.currencies) > 1 else ""
    return (
        "### Cost of inaction, profile by profile\n\n"
        + _table(header, ["r", "l", "l", "l", *("r" * (len(shown) + 6))], rows)
        + f"\n{len(items)} profiles, {len(items) - failed} estimated, {failed} failed.{ranking}\n"
    )


def diff(comparison: Diff) -> str:
    """The diff as a pull-request comment, with a hidden marker to update it in place."""
    name = comparison.new.provenance.profile_name
    return f"{DIFF_MARKER}\n### Cost of inaction: {cell(name)}\n\n" + _diff_body(comparison)


def _diff_body(comparison: Diff) -> str:
    old, new, verdict = comparison.old, comparison.new, comparison.gate
    currency = new.currency
    rows = []
    for title, changes in diff_sections(comparison):
        rows.append([f"**{cell(title)}**", "", "", "", ""])
        rows += [
            [
                f"**{cell(change.label)}**" if change.id == "net" else cell(change.label),
                *change_texts(change, currency),
            ]
            for change in changes
        ]
    files = comparison.files
    text = f"{code(files[0])} → {code(files[1])} · {diff_settings(old, new)}\n\n" + _table(
        ["", "Before", "After", "Change", "Change %"], "lrrrr", rows
    )
    if verdict is not None:
        mark = "❌" if verdict.tripped else "✅"
        text += f"\n{mark} **{gate_sentence(verdict)}**\n"
    if comparison.warnings:
        text += "\n" + _warnings(comparison.warnings)
    return text


def folder_diff(comparison: FolderDiff) -> str:
    """A diff of folders as a pull-request comment: a summary row per scenario, the gate, the
    scenarios that could not be compared, then each changed scenario in a `<details>` block."""
    old, new = comparison.folders
    rows = [
        [code(name), before, after, moved, relative, status]
        for name, before, after, moved, relative, status in folder_rows(comparison)
    ]
    total, counts = folder_heading(comparison)
    text = (
        f"{DIFF_MARKER}\n### Cost of inaction: {total}\n\n"
        f"{code(old)} → {code(new)} · {counts} · net cost of inaction, P50\n\n"
        + _table(["Scenario", "Before", "After", "Change", "Change %", "Status"], "lrrrrl", rows)
    )
    if comparison.gate is not None:
        mark = "❌" if comparison.gate.tripped or comparison.failed else "✅"
        text += f"\n{mark} **{cell(folder_gate_sentence(comparison))}**\n"
    failed = [item for item in comparison.scenarios if item.status == "error"]
    if failed:
        text += "\n**Could not be compared** (fix these and push again):\n\n"
        text += "".join(
            f"- {code(item.name)}: {code(str(problem))}\n"
            for item in failed
            for problem in item.problems
        )
    for item in comparison.scenarios:
        if item.status != "changed" or item.diff is None or item.net is None:
            continue
        moved = change_texts(item.net, item.currency or "")
        text += (
            f"\n<details><summary><b>{cell(item.name)}</b>: net P50 {moved[0]} → {moved[1]} "
            f"({moved[3]})</summary>\n\n{_diff_body(item.diff)}\n</details>\n"
        )
    return text


def benchmarks(book: CatalogueListing) -> str:
    """The catalogue as a Markdown table."""
    rows = [
        [
            f"`{lever.id}`",
            cell(lever.label),
            range_text(lever.uplift.low, lever.uplift.high),
            range_text(lever.time_to_value_months.low, lever.time_to_value_months.high),
            lever.group or MISSING,
            lever.evidence,
            cell(lever.citation),
        ]
        for lever in book.levers
    ]
    return (
        f"### Benchmark catalogue {book.version}\n\n"
        + _table(
            ["Lever", "Label", "Uplift", "Months to full effect", "Group", "Evidence", "Source"],
            "llrrlll",
            rows,
        )
        + f"\n_{EVIDENCE_NOTE}_\n"
    )


def validation(checked: Validation) -> str:
    """One row per file."""
    rows = [
        [
            code(item.file),
            "✅ valid" if item.valid else "❌ invalid",
            cell(", ".join(item.levers))
            if item.valid
            else cell("; ".join(str(problem) for problem in item.problems)),
        ]
        for item in checked.files
    ]
    return _table(["File", "Result", "Levers or problems"], "lll", rows)


def explanation(explained: Explanation) -> str:
    """The audit trail as Markdown: headings, formulas as code blocks, the rest as lists."""
    out: list[str] = []
    previous = ""
    for line in explanation_lines(explained):
        if line.kind == "title":
            out.append(f"### {cell(line.text)}")
        elif line.kind == "meta":
            out += ["", f"_{cell(line.text)}_"]
        elif line.kind == "heading":
            out += ["", f"#### {cell(line.text)}"]
        elif line.kind == "formula":  # an indented code block: shown as written
            out += [""] * (previous != "formula") + [f"    {printable(line.text)}"]
        else:
            out += [""] * (previous not in ("prose",)) + [f"- {cell(line.text)}"]
        previous = line.kind
    return "\n".join(out) + "\n"


def board_pack(pack: BoardPack) -> str:
    """The board pack in Markdown: the key figures, the tables, the assumptions, the audit
    trail and the provenance, in the pack's locale (charts only in the page and workbook)."""
    # The board pack's layout reads the locale with Babel, of the extra `report`: imported
    # here, so that every other Markdown (an estimate, a diff in CI) needs no extra.
    from inaction_cli.render.board import build

    board = build(pack, charts_wanted=False)
    out = [f"# {cell(board.title)}", "", board.settings, "", "## The answer in figures", ""]
    out += [
        f"- **{cell(figure.label)}**: {cell(figure.value)}"
        + (f" ({cell(figure.note)})" if figure.note else "")
        for figure in board.figures
    ]
    out += ["", f"_{board.evidence_note}_", ""]
    if board.warnings:
        out += ["## What a reviewer should know", ""]
        out += [f"> **Warning:** {cell(warning)}" for warning in board.warnings]
        out.append("")
    for title, tables in (
        ("Tables", board.tables),
        ("Assumptions and their sources", board.assumptions),
    ):
        out += [f"## {title}", ""]
        for table in tables:
            out += [f"### {cell(table.caption)}", ""]
            rows = [[cell(text) for text in row] for row in table.rows]
            align = [
                "r"
                if column and all(_NUMERIC.match(row[column]) for row in rows if row[column])
                else "l"
                for column in range(len(table.header))
            ]
            out.append(_table([cell(head) for head in table.header], align, rows))
            if table.note:
                out += [f"_{cell(table.note)}_", ""]
    out += ["## Audit trail", "", explanation(pack.explanation), "## Provenance", ""]
    out += [f"- {name}: {code(value)}" for name, value in board.provenance]
    return "\n".join(out) + "\n"
