"""CSV: a stable column order, plain numbers (money in cents, no separators, no symbols)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from inaction_cli.result import (
    MEDIAN,
    Batch,
    CatalogueListing,
    Diff,
    FolderDiff,
    Report,
    Summary,
    Validation,
    money,
    percentile_key,
)
from inaction_cli.text import section_label

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"; the full-width
forms too, which some spreadsheets fold to their ASCII twins)."""


def inert(cell: Any) -> Any:
    """A cell a spreadsheet shows as written: text that starts like a formula gets a leading
    `'` (OWASP's advice). Numbers stay numbers, negative ones included: only text can be a
    formula, and every number is written by inaction itself."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _write(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([inert(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _stat_columns(prefix: str, percentiles: Sequence[float]) -> list[str]:
    return [f"{prefix}_mean", *(f"{prefix}_{percentile_key(p)}" for p in percentiles)]


def _stat_cells(summary: Summary) -> list[float]:
    return [money(summary.mean), *(money(value) for value in summary.percentiles)]


def estimate(report: Report) -> str:
    """Long format: one row per figure (and per lever, year, delay, month or input), with the
    figure's unit; a statistic fills `mean` and the percentile columns, a single number fills
    `value`. Money is in the currency, in cents; ratios and probabilities to six decimals."""
    rows = _Long(report)
    currency = report.currency
    for lever in report.levers:
        rows.stats("lever.annual", lever.annual, currency, lever.id, lever.label)
        rows.stats("lever.horizon", lever.horizon, currency, lever.id, lever.label)
    totals = report.totals
    for name in ("annual", "gross", "market_share", "adoption_cost", "net"):
        rows.stats(f"total.{name}", getattr(totals, name), currency)
    rows.stats("total.cost_of_delay_per_month", totals.cost_of_delay_per_month, currency)
    rows.value("total.probability_net_positive", totals.probability_net_positive)
    if report.as_claimed is not None:
        rows.stats("as_claimed.net", report.as_claimed.net, currency)
        rows.value(
            "as_claimed.probability_net_positive", report.as_claimed.probability_net_positive
        )
    if report.risk is not None:
        rows.value("risk.probability_pilot_fails", report.risk.probability_pilot_fails)
        rows.stats("risk.failed_pilot_cost", report.risk.failed_pilot_cost, currency)
    decision = report.decision
    if decision is not None:
        rows.value(
            "decision.break_even_success_probability", decision.break_even_success_probability
        )
        if decision.roi is not None:
            rows.stats("decision.roi", decision.roi, "ratio")
        payback = decision.payback_month
        if payback is not None:
            rows.months("decision.payback_month", payback.percentiles)
            rows.value(
                "decision.payback_probability_within_horizon", payback.probability_within_horizon
            )
        for year in decision.cash_flow_by_year:
            for name in ("benefits", "costs", "net"):
                rows.stats(f"cash_flow.{name}", getattr(year, name), currency, period=year.year)
        for delay in decision.delays:
            rows.stats("delay.net", delay.net, currency, period=delay.months)
            rows.stats(
                "delay.cost_of_waiting", delay.cost_of_waiting, currency, period=delay.months
            )
        for rank, ranked in enumerate(decision.priority, start=1):
            for name, unit in (
                ("cost_of_delay_per_month", currency),
                ("months_to_full_effect", "month"),
                ("cd3", currency),
            ):
                summary = getattr(ranked, name)
                rows.stats(f"priority.{name}", summary, unit, ranked.id, ranked.label, rank)
        voi = decision.value_of_information
        rows.value("value_of_information.evpi", voi.evpi, currency)
        for known in voi.inputs:
            rows.value(
                "value_of_information.evppi", known.evppi, currency, known.input, known.label
            )
    for month, summary in enumerate(report.timeline, start=1):
        rows.stats("timeline.cumulative_net", summary, currency, period=month)
    return rows.text()


class _Long:
    """The rows of the long format, with their header."""

    def __init__(self, report: Report) -> None:
        self.percentiles = report.settings.percentiles
        keys = [percentile_key(percentile) for percentile in self.percentiles]
        self.header = ["figure", "id", "label", "period", "unit", "value", "mean", *keys]
        self.rows: list[list[Any]] = []

    def stats(
        self,
        figure: str,
        summary: Summary,
        unit: str,
        id: str = "",
        label: str = "",
        period: int | str = "",
    ) -> None:
        number = money if unit not in ("ratio", "month") else _ratio
        cells = [number(summary.mean), *(number(value) for value in summary.percentiles)]
        self.rows.append([figure, id, label, period, unit, "", *cells])

    def months(self, figure: str, months: tuple[float | None, ...]) -> None:
        cells = ["" if month is None else int(month) for month in months]
        self.rows.append([figure, "", "", "", "month", "", "", *cells])

    def value(
        self, figure: str, value: float | None, unit: str = "share", id: str = "", label: str = ""
    ) -> None:
        shown: Any = ""
        if value is not None:
            shown = money(value) if unit not in ("share", "ratio") else _ratio(value)
        self.rows.append([figure, id, label, "", unit, shown, "", *[""] * len(self.percentiles)])

    def text(self) -> str:
        return _write(self.header, self.rows)


def _ratio(value: float) -> float:
    return round(value, 6) + 0.0


def batch(run: Batch) -> str:
    """One row per profile, in the order given; failed profiles carry their error."""
    items, percentiles = run.items, run.percentiles
    header = [
        "file",
        "name",
        "status",
        "currency",
        "rank",
        *_stat_columns("net", percentiles),
        "annual_p50",
        "cost_of_delay_per_month_p50",
        "probability_net_positive",
        "roi_p50",
        "payback_month_p50",
        "break_even_success_probability",
        "error",
    ]
    middle = percentiles.index(MEDIAN)
    ranks = {id(item): rank for rank, item in run.ranked()}
    rows: list[list[Any]] = []
    for item in items:
        row = item.row
        if row is None:
            error = "; ".join(
                [*(str(problem) for problem in item.problems), *filter(None, [item.error])]
            )
            rows.append([item.file, "", "error", "", "", *([""] * (len(percentiles) + 7)), error])
            continue
        figures = [
            "" if value is None else int(value) if unit == "month" else _ratio(value)
            for value, unit in row.decision_figures().values()
        ] or ["", "", ""]
        rows.append(
            [
                item.file,
                row.provenance.profile_name,
                "ok",
                row.currency,
                ranks[id(item)],
                *_stat_cells(row.net),
                money(row.annual.percentiles[middle]),
                money(row.cost_of_delay_per_month.percentiles[middle]),
                round(row.probability_net_positive, 6),
                *figures,
                "",
            ]
        )
    return _write(header, rows)


_DIFF_HEADER = [
    "scope",
    "id",
    "label",
    "status",
    "before_p50",
    "after_p50",
    "change",
    "relative_change",
]


def diff(comparison: Diff) -> str:
    """One row per lever and total: P50 before, after, change, relative change."""
    return _write(_DIFF_HEADER, _diff_rows(comparison))


def _diff_rows(comparison: Diff) -> list[list[Any]]:
    data = comparison.to_dict()
    rows = [
        [
            scope,
            item["id"],
            item["label"],
            item["status"],
            item["before"],
            item["after"],
            item["change"],
            item["relative_change"],
        ]
        for scope, key in (("lever", "levers"), ("total", "totals"), ("decision", "decision"))
        for item in data[key]
    ]
    probability = data["probability_net_positive"]
    rows.append(
        [
            "total",
            probability["id"],
            probability["label"],
            probability["status"],
            probability["before"],
            probability["after"],
            probability["change"],
            "",
        ]
    )
    return [["" if cell is None else cell for cell in row] for row in rows]


def folder_diff(comparison: FolderDiff) -> str:
    """Per scenario, a `scenario` row (its net P50, its status, why it could not be compared),
    then the rows of its diff when both sides have it."""
    header = ["scenario", *_DIFF_HEADER, "currency", "old_file", "new_file", "error"]
    rows: list[list[Any]] = []
    for item in comparison.scenarios:
        net = item.net.to_dict() if item.net is not None else {}
        error = "; ".join(str(problem) for problem in item.problems)
        rows.append(
            [
                item.name,
                "scenario",
                "net",
                "Net cost of inaction",
                item.status,
                *(net.get(key) for key in ("before", "after", "change", "relative_change")),
                item.currency,
                *item.files,
                error,
            ]
        )
        if item.diff is not None:
            rows += [
                [item.name, *row, item.currency, *item.files, ""] for row in _diff_rows(item.diff)
            ]
    return _write(header, [["" if cell is None else cell for cell in row] for row in rows])


def benchmarks(book: CatalogueListing) -> str:
    """One row per lever of the catalogue."""
    header = [
        "id",
        "label",
        "uplift_low",
        "uplift_high",
        "time_to_value_low",
        "time_to_value_high",
        "group",
        "evidence",
        "sections",
        "source",
    ]
    rows = [
        [
            lever.id,
            lever.label,
            lever.uplift.low,
            lever.uplift.high,
            lever.time_to_value_months.low,
            lever.time_to_value_months.high,
            lever.group or "",
            lever.evidence,
            section_label(lever.sections),
            lever.source,
        ]
        for lever in book.levers
    ]
    return _write(header, rows)


def validation(checked: Validation) -> str:
    """One row per problem; a valid file has one row with valid = true."""
    header = ["file", "valid", "line", "column", "key", "message"]
    rows: list[list[Any]] = []
    for item in checked.files:
        if item.valid:
            rows.append([item.file, "true", "", "", "", ""])
        for problem in item.problems:
            rows.append(
                [
                    item.file,
                    "false",
                    problem.line or "",
                    problem.column or "",
                    problem.key,
                    problem.message,
                ]
            )
    return _write(header, rows)
