"""The board pack as an Excel workbook: numbers stored as numbers with currency and percent
formats, a native chart of the timeline fan, and the same bytes for the same inputs."""

from __future__ import annotations

import datetime
import io
from typing import Any

import xlsxwriter

from inaction_cli.render.board import build
from inaction_cli.render.board import middle_of as middle
from inaction_cli.render.layout import cost_months, evidence_mark, quantity_text
from inaction_cli.render.localised import Numbers
from inaction_cli.result import MEDIAN, BoardPack, Report, Summary, money, percentile_key

FIXED_DATE = datetime.datetime(2000, 1, 1)
"""The workbook's creation date: fixed, so that the same inputs give the same bytes."""
SHEETS = (
    "Summary",
    "Cash flow",
    "Timeline",
    "Levers",
    "Costs",
    "Sensitivity",
    "Assumptions",
    "Provenance",
)


def workbook(pack: BoardPack) -> bytes:
    """The workbook of a board pack, as bytes."""
    report = pack.report
    numbers = Numbers(pack.locale, report.currency)
    board = build(pack, charts_wanted=False)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties(
        {"title": board.title, "creator": "inaction", "created": FIXED_DATE, "company": ""}
    )
    formats = _Formats(book, numbers.excel_money())
    sheets = {name: book.add_worksheet(name) for name in SHEETS}
    _summary(sheets["Summary"], board, report, formats)
    _cash_flow(sheets["Cash flow"], report, formats)
    _timeline(book, sheets["Timeline"], report, formats)
    _levers(sheets["Levers"], report, formats)
    _costs(sheets["Costs"], pack, formats)
    _sensitivity(sheets["Sensitivity"], report, formats)
    _assumptions(sheets["Assumptions"], board, formats)
    _provenance(sheets["Provenance"], board, report, formats)
    book.close()
    return buffer.getvalue()


class _Formats:
    def __init__(self, book: Any, money: str) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.head = book.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        self.money = book.add_format({"num_format": money})
        self.percent = book.add_format({"num_format": "0.0%"})
        self.number = book.add_format({"num_format": "#,##0.0"})
        self.whole = book.add_format({"num_format": "0"})
        self.months = book.add_format({"num_format": '[=1]0" month";0" months"', "align": "left"})
        self.text = book.add_format({"text_wrap": True, "valign": "top"})
        self.note = book.add_format({"italic": True, "font_color": "#5b5b5b"})


def _stat_header(report: Report) -> list[str]:
    return ["mean", *(percentile_key(p).upper() for p in report.settings.percentiles)]


def _stats(sheet: Any, row: int, column: int, summary: Summary, style: Any) -> None:
    for offset, value in enumerate((summary.mean, *summary.percentiles)):
        sheet.write_number(row, column + offset, _kept(value, style), style)


def _kept(value: float, style: Any) -> float:
    """A number as the JSON keeps it: money in cents, ratios to six decimals."""
    return money(value) if style.num_format not in ("0.0%", "#,##0.0") else round(value, 6) + 0.0


def _header(sheet: Any, row: int, titles: list[str], formats: _Formats) -> None:
    for column, title in enumerate(titles):
        sheet.write_string(row, column, title, formats.head)


def _summary(sheet: Any, board: Any, report: Report, formats: _Formats) -> None:
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1 + len(report.settings.percentiles), 16)
    sheet.write_string(0, 0, board.title, formats.title)
    sheet.write_string(1, 0, board.settings, formats.note)
    _header(sheet, 3, ["Figure", *_stat_header(report)], formats)
    totals = report.totals
    rows: list[tuple[str, Summary, Any]] = [
        ("Net cost of inaction, risk-adjusted", totals.net, formats.money),
        ("Gross value of the levers", totals.gross, formats.money),
        ("Market share lost", totals.market_share, formats.money),
        ("Adoption cost", totals.adoption_cost, formats.money),
        ("Cost of each month of delay", totals.cost_of_delay_per_month, formats.money),
        ("Annual run-rate", totals.annual, formats.money),
    ]
    if report.as_claimed is not None:
        rows.append(("Net as claimed (S = 1, ρ = 1, Ω = 1)", report.as_claimed.net, formats.money))
    decision = report.decision
    if decision is not None and decision.roi is not None:
        rows.append(("Return on investment", decision.roi, formats.percent))
    row = 4
    for label, summary, style in rows:
        sheet.write_string(row, 0, label)
        if summary is totals.market_share and not totals.market_share_estimated:
            sheet.write_string(row, 1, "not estimated (no market: section)", formats.note)
        else:
            _stats(sheet, row, 1, summary, style)
        row += 1
    row += 1
    singles: list[tuple[str, float | None, Any]] = [
        ("Chance that adopting pays (net > 0)", totals.probability_net_positive, formats.percent)
    ]
    if report.as_claimed is not None:
        singles.append(
            ("… as claimed", report.as_claimed.probability_net_positive, formats.percent)
        )
    if report.risk is not None and report.risk.given:
        singles.append(
            ("Chance that the pilot fails", report.risk.probability_pilot_fails, formats.percent)
        )
    if decision is not None:
        singles.append(
            (
                "Break-even chance of success",
                decision.break_even_success_probability,
                formats.percent,
            )
        )
        payback = decision.payback_month
        if payback is not None:
            singles.append(
                (
                    "Chance of paying back within the horizon",
                    payback.probability_within_horizon,
                    formats.percent,
                )
            )
            for percentile, month in zip(
                report.settings.percentiles, payback.percentiles, strict=True
            ):
                singles.append(
                    (
                        f"Payback month, P{percentile:g} (empty: beyond the horizon)",
                        month,
                        formats.whole,
                    )
                )
        singles.append(
            (
                "Value of perfect information (EVPI)",
                decision.value_of_information.evpi,
                formats.money,
            )
        )
    for label, value, style in singles:
        sheet.write_string(row, 0, label)
        if value is not None:
            sheet.write_number(row, 1, _kept(value, style), style)
        row += 1
    row += 1
    sheet.write_string(row, 0, "In plain words", formats.head)
    for figure in board.figures:
        row += 1
        sheet.write_string(row, 0, figure.label)
        sheet.write_string(
            row, 1, f"{figure.value} — {figure.note}" if figure.note else figure.value
        )
    row += 2
    for warning in board.warnings:
        sheet.write_string(row, 0, f"Warning: {warning}", formats.note)
        row += 1


def _cash_flow(sheet: Any, report: Report, formats: _Formats) -> None:
    decision = report.decision
    sheet.set_column(0, 1, 8)
    sheet.set_column(2, 40, 14)
    stats = _stat_header(report)
    titles = ["Year", "Months"]
    for part in ("Benefits", "Costs", "Net"):
        titles += [f"{part} {name}" for name in stats]
    _header(sheet, 0, titles, formats)
    if decision is None:
        return
    width = len(stats)
    for row, year in enumerate(decision.cash_flow_by_year, start=1):
        sheet.write_number(row, 0, year.year)
        sheet.write_number(row, 1, year.months)
        for index, summary in enumerate((year.benefits, year.costs, year.net)):
            _stats(sheet, row, 2 + index * width, summary, formats.money)
    note = len(decision.cash_flow_by_year) + 2
    sheet.write_string(
        note, 0, "Undiscounted: what adopting brings, costs and nets each year.", formats.note
    )


def _timeline(book: Any, sheet: Any, report: Report, formats: _Formats) -> None:
    stats = _stat_header(report)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, len(stats), 14)
    _header(sheet, 0, ["Month", *stats], formats)
    for row, summary in enumerate(report.timeline, start=1):
        sheet.write_number(row, 0, row)
        _stats(sheet, row, 1, summary, formats.money)
    last = len(report.timeline)
    if not last:
        return
    chart = book.add_chart({"type": "line"})
    percentiles = report.settings.percentiles
    styles = [
        {"color": "#56B4E9", "width": 1.25, "dash_type": "dash"},
        {"color": "#0072B2", "width": 2.25},
        {"color": "#56B4E9", "width": 1.25, "dash_type": "dash"},
    ]
    middle = 1 + (percentiles.index(MEDIAN) + 1 if MEDIAN in percentiles else 0)
    columns = [2, middle, 1 + len(percentiles)]
    names = [stats[column - 1] for column in columns]
    for column, name, style in zip(columns, names, styles, strict=True):
        chart.add_series(
            {
                "name": f"Cumulative net, {name}",
                "categories": ["Timeline", 1, 0, last, 0],
                "values": ["Timeline", 1, column, last, column],
                "line": style,
                "marker": {"type": "none"},
            }
        )
    chart.set_title({"name": "Cumulative discounted net by month"})
    chart.set_x_axis({"name": "Month", "interval_unit": 3})
    chart.set_y_axis({"name": report.currency, "num_format": formats.money.num_format})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 380})
    sheet.insert_chart(1, len(stats) + 2, chart)


def _levers(sheet: Any, report: Report, formats: _Formats) -> None:
    stats = _stat_header(report)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 2, 14)
    sheet.set_column(3, 3 + 2 * len(stats), 14)
    titles = ["Lever", "Id", "Evidence"]
    titles += [f"Per year {name}" for name in stats]
    titles += [f"Over the horizon {name}" for name in stats]
    _header(sheet, 0, titles, formats)
    width = len(stats)
    for row, lever in enumerate(report.levers, start=1):
        sheet.write_string(row, 0, lever.label)
        sheet.write_string(row, 1, lever.id)
        sheet.write_string(row, 2, evidence_mark(lever.benchmark.evidence))
        _stats(sheet, row, 3, lever.annual, formats.money)
        _stats(sheet, row, 3 + width, lever.horizon, formats.money)
    decision = report.decision
    if decision is None:
        return
    row = len(report.levers) + 3
    sheet.write_string(row - 1, 0, "Priority: which lever first (CD3, highest first)", formats.head)
    _header(
        sheet,
        row,
        [
            "Lever",
            "Id",
            "Rank",
            "Cost of delay a month P50",
            "Months to full effect P50",
            "CD3 P50",
        ],
        formats,
    )
    for rank, item in enumerate(decision.priority, start=1):
        row += 1
        sheet.write_string(row, 0, item.label)
        sheet.write_string(row, 1, item.id)
        sheet.write_number(row, 2, rank)
        sheet.write_number(row, 3, middle(report, item.cost_of_delay_per_month), formats.money)
        sheet.write_number(row, 4, middle(report, item.months_to_full_effect), formats.number)
        sheet.write_number(row, 5, middle(report, item.cd3), formats.money)


def _costs(sheet: Any, pack: BoardPack, formats: _Formats) -> None:
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 2, 36)
    _header(sheet, 0, ["Cost", "When", "Amount (before any overrun)"], formats)
    currency = pack.report.currency
    for row, cost in enumerate(pack.explanation.costs, start=1):
        sheet.write_string(row, 0, cost.label)
        sheet.write_string(row, 1, cost_months(cost))
        amount = " × ".join(quantity_text(item, currency) for item in cost.factors)
        sheet.write_string(row, 2, amount + (" a year" if cost.per_year else ""))


def _sensitivity(sheet: Any, report: Report, formats: _Formats) -> None:
    sheet.set_column(0, 1, 36)
    sheet.set_column(2, 7, 16)
    _header(
        sheet,
        0,
        [
            "Input",
            "Path",
            "Its P10",
            "Its P90",
            "Net P50 at its P10",
            "Net P50 at its P90",
            "Swing",
            "Rank correlation with the net",
        ],
        formats,
    )
    sensitivity = report.sensitivity
    if sensitivity is not None:
        for row, item in enumerate(sensitivity.inputs, start=1):
            sheet.write_string(row, 0, item.label)
            sheet.write_string(row, 1, item.path)
            style = formats.money if item.unit == "money" else formats.number
            sheet.write_number(row, 2, item.low, style)
            sheet.write_number(row, 3, item.high, style)
            sheet.write_number(row, 4, item.net_at_low, formats.money)
            sheet.write_number(row, 5, item.net_at_high, formats.money)
            sheet.write_number(row, 6, item.swing, formats.money)
            if item.rank_correlation is not None:
                sheet.write_number(row, 7, item.rank_correlation, formats.number)
    decision = report.decision
    if decision is None:
        return
    start = (0 if sensitivity is None else len(sensitivity.inputs)) + 3
    sheet.write_string(
        start - 1, 0, "Value of information: what knowing each input is worth", formats.head
    )
    _header(sheet, start, ["Input", "Path", "EVPPI"], formats)
    for offset, value in enumerate(decision.value_of_information.inputs, start=1):
        sheet.write_string(start + offset, 0, value.label)
        sheet.write_string(start + offset, 1, value.input)
        sheet.write_number(start + offset, 2, value.evppi, formats.money)


def _assumptions(sheet: Any, board: Any, formats: _Formats) -> None:
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 3, 28)
    sheet.set_column(4, 4, 80)
    row = 0
    for table in board.assumptions:
        sheet.write_string(row, 0, table.caption, formats.title)
        row += 1
        _header(sheet, row, table.header, formats)
        for cells in table.rows:
            row += 1
            for column, cell in enumerate(cells):
                sheet.write_string(row, column, cell, formats.text)
        row += 2
    sheet.write_string(row, 0, board.evidence_note, formats.note)


def _provenance(sheet: Any, board: Any, report: Report, formats: _Formats) -> None:
    """The page's provenance; its numbers as numbers (a seed past 2^53 stays text: Excel's
    numbers would round it)."""
    settings = report.settings
    numbers: dict[str, tuple[float, Any]] = {
        "Samples": (settings.samples, formats.whole),
        "Horizon": (settings.horizon_months, formats.months),
        "Discount rate": (settings.discount_rate, formats.percent),
    }
    if settings.seed < 2**53:
        numbers["Seed"] = (settings.seed, formats.whole)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 70)
    for row, (name, value) in enumerate(board.provenance):
        sheet.write_string(row, 0, name, formats.head)
        if name in numbers:
            number, style = numbers[name]
            sheet.write_number(row, 1, number, style)
        else:
            sheet.write_string(row, 1, value)
