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
    Report,
    Summary,
    Validation,
    money,
    percentile_key,
)
from inaction_cli.text import section_label

TOTAL_STATS = ("market_share", "adoption_cost", "net", "cost_of_delay_per_month")


def _write(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _stat_columns(prefix: str, percentiles: Sequence[float]) -> list[str]:
    return [f"{prefix}_mean", *(f"{prefix}_{percentile_key(p)}" for p in percentiles)]


def _stat_cells(summary: Summary) -> list[float]:
    return [money(summary.mean), *(money(value) for value in summary.percentiles)]


def estimate(report: Report) -> str:
    """One row per lever, then a totals row (its annual is the run-rate, its horizon the
    gross)."""
    percentiles = report.settings.percentiles
    header = [
        "scope",
        "id",
        "label",
        "currency",
        *_stat_columns("annual", percentiles),
        *_stat_columns("horizon", percentiles),
    ]
    for name in TOTAL_STATS:
        header += _stat_columns(name, percentiles)
    header.append("probability_net_positive")
    blank = [""] * (len(TOTAL_STATS) * (len(percentiles) + 1) + 1)
    rows: list[list[Any]] = [
        [
            "lever",
            lever.id,
            lever.label,
            report.currency,
            *_stat_cells(lever.annual),
            *_stat_cells(lever.horizon),
            *blank,
        ]
        for lever in report.levers
    ]
    totals = report.totals
    total_row: list[Any] = [
        "total",
        "total",
        "All levers",
        report.currency,
        *_stat_cells(totals.annual),
        *_stat_cells(totals.gross),
    ]
    for name in TOTAL_STATS:
        total_row += _stat_cells(getattr(totals, name))
    total_row.append(round(totals.probability_net_positive, 6))
    rows.append(total_row)
    return _write(header, rows)


def batch(run: Batch) -> str:
    """One row per profile, in the order given; failed profiles carry their error."""
    items, percentiles = run.items, run.percentiles
    header = [
        "file",
        "name",
        "status",
        "currency",
        *_stat_columns("net", percentiles),
        "annual_p50",
        "cost_of_delay_per_month_p50",
        "probability_net_positive",
        "error",
    ]
    middle = percentiles.index(MEDIAN)
    rows: list[list[Any]] = []
    for item in items:
        report = item.report
        if report is None:
            error = "; ".join(
                [*(str(problem) for problem in item.problems), *filter(None, [item.error])]
            )
            rows.append([item.file, "", "error", "", *([""] * (len(percentiles) + 4)), error])
            continue
        totals = report.totals
        rows.append(
            [
                item.file,
                report.provenance.profile_name,
                "ok",
                report.currency,
                *_stat_cells(totals.net),
                money(totals.annual.percentiles[middle]),
                money(totals.cost_of_delay_per_month.percentiles[middle]),
                round(totals.probability_net_positive, 6),
                "",
            ]
        )
    return _write(header, rows)


def diff(comparison: Diff) -> str:
    """One row per lever and total: P50 before, after, change, relative change."""
    data = comparison.to_dict()
    header = [
        "scope",
        "id",
        "label",
        "status",
        "before_p50",
        "after_p50",
        "change",
        "relative_change",
    ]
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
        for scope, key in (("lever", "levers"), ("total", "totals"))
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
