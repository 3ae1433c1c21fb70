"""What the board pack says, in a locale's words: the key figures, tables, assumptions and
charts that the page, the workbook and the Markdown pack all draw. Formatting and selection
only: every figure comes computed in the BoardPack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from inaction_cli.render.layout import (
    DELAYS_NOTE,
    EVIDENCE_NOTE,
    cost_months,
    evidence_mark,
    explanation_lines,
    quantity_text,
)
from inaction_cli.render.localised import MISSING, Numbers
from inaction_cli.result import MEDIAN, BoardPack, Report, Summary
from inaction_cli.text import months as months_text
from inaction_cli.text import printable

if TYPE_CHECKING:
    from inaction_cli.render import charts

TORNADO_BARS = 10


@dataclass(frozen=True)
class Figure:
    """A key figure: what it is, its value, and a line that qualifies it."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Table:
    """A table: a caption, its column headers, and rows of text (the first cell heads a row)."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass
class Board:
    """The board pack as text, ready for a template."""

    language: str
    title: str
    company: str
    settings: str
    figures: list[Figure] = field(default_factory=list)
    charts: list[charts.Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    assumptions: list[Table] = field(default_factory=list)
    audit: list[tuple[str, str]] = field(default_factory=list)
    provenance: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    evidence_note: str = EVIDENCE_NOTE


def middle_of(report: Report, summary: Summary) -> float:
    """The P50 of a summary, or its mean when the report has no P50."""
    percentiles = report.settings.percentiles
    if MEDIAN in percentiles:
        return summary.percentiles[percentiles.index(MEDIAN)]
    return summary.mean


def _band(report: Report, summary: Summary, show: Callable[[float], str] | None = None) -> str:
    """`P5 €1.4M to P95 €2.0M`."""
    percentiles = report.settings.percentiles
    low, high = f"P{percentiles[0]:g}", f"P{percentiles[-1]:g}"
    write = show or str
    return f"{low} {write(summary.percentiles[0])} to {high} {write(summary.percentiles[-1])}"


def build(pack: BoardPack, *, charts_wanted: bool = True) -> Board:
    """The board pack of an estimate, in its locale."""
    report = pack.report
    settings = report.settings
    numbers = Numbers(pack.locale, settings.currency)
    money, compact, percent = numbers.money, numbers.compact, numbers.percent
    name = printable(report.provenance.profile_name)
    board = Board(
        language=numbers.language,
        title=f"Cost of inaction — {name}",
        company=name,
        settings=(
            f"{settings.currency} · {months_text(settings.horizon_months)} · discount "
            f"{percent(settings.discount_rate)} a year · {numbers.number(settings.samples, 0)} "
            f"samples · seed {settings.seed}"
        ),
        warnings=[printable(warning) for warning in report.warnings],
    )
    _figures(board, pack, numbers)
    if charts_wanted:
        board.charts = _charts(pack, numbers)
    board.tables = _tables(pack, numbers)
    board.assumptions = _assumptions(pack, numbers)
    kinds = {"title": "h", "heading": "h", "meta": "meta", "formula": "formula", "prose": "p"}
    board.audit = [(kinds[line.kind], line.text) for line in explanation_lines(pack.explanation)]
    origin = report.provenance
    board.provenance = [
        ("Profile", printable(origin.profile_name)),
        ("File", printable(origin.profile_path)),
        ("SHA-256 of the profile", origin.profile_sha256),
        ("inaction", origin.tool_version),
        ("Benchmark catalogue", origin.benchmarks_version),
        ("Samples", numbers.number(settings.samples, 0)),
        ("Seed", str(settings.seed)),
        ("Horizon", months_text(settings.horizon_months)),
        ("Discount rate", percent(settings.discount_rate)),
        ("Percentiles", ", ".join(f"P{p:g}" for p in settings.percentiles)),
    ]
    del money, compact
    return board


def _figures(board: Board, pack: BoardPack, numbers: Numbers) -> None:
    report = pack.report
    money, percent = numbers.money, numbers.percent
    totals, decision, risk = report.totals, report.decision, report.risk
    figures = board.figures
    figures.append(
        Figure(
            "Net cost of inaction, risk-adjusted (P50)",
            money(middle_of(report, totals.net)),
            _band(report, totals.net, money),
        )
    )
    claimed = report.as_claimed
    if claimed is not None and risk is not None and risk.given:
        figures.append(
            Figure(
                "As the article's figures claim it (P50)",
                money(middle_of(report, claimed.net)),
                "every pilot succeeding, every gain realised, no overrun",
            )
        )
    elif claimed is not None:
        figures.append(
            Figure("As claimed", "the same", "no risk section: the figure is the claimed one")
        )
    figures.append(
        Figure(
            "Chance that adopting pays (net > 0)",
            percent(totals.probability_net_positive),
            ""
            if risk is None or not risk.given
            else f"chance that the pilot fails: {percent(risk.probability_pilot_fails)}",
        )
    )
    if decision is not None:
        roi = decision.roi
        figures.append(
            Figure(
                "Return on investment (P50)",
                MISSING if roi is None else percent(middle_of(report, roi)),
                (
                    "not defined: no cost"
                    if decision.payback_month is None
                    else "not defined: some outcomes cost nothing"
                )
                if roi is None
                else _band(report, roi, percent),
            )
        )
        payback = decision.payback_month
        if payback is None:
            figures.append(Figure("Payback", MISSING, "no cost to pay back"))
        else:
            percentiles = report.settings.percentiles
            found = (
                payback.percentiles[percentiles.index(MEDIAN)] if MEDIAN in percentiles else None
            )
            figures.append(
                Figure(
                    "Payback (P50)",
                    "beyond the horizon" if found is None else f"month {found:.0f}",
                    f"within {months_text(report.settings.horizon_months)} in "
                    f"{percent(payback.probability_within_horizon)} of the outcomes",
                )
            )
        threshold = decision.break_even_success_probability
        figures.append(
            Figure(
                "Adopting beats waiting while the chance of success is above",
                MISSING if threshold is None else percent(threshold),
                "even a certain success does not pay" if threshold is None else "break-even",
            )
        )
    figures.append(
        Figure(
            "Each month of delay costs (P50)",
            money(middle_of(report, totals.cost_of_delay_per_month)),
            _band(report, totals.cost_of_delay_per_month, money),
        )
    )
    if decision is not None and decision.priority:
        first = decision.priority[0]
        figures.append(
            Figure(
                "Start with",
                printable(first.label),
                "the highest cost of delay per month it takes (CD3)",
            )
        )
    if decision is not None:
        voi = decision.value_of_information
        if voi.worth_measuring and voi.inputs and voi.inputs[0].evppi > 0:
            best = voi.inputs[0]
            figures.append(
                Figure(
                    "Measure first",
                    printable(best.label),
                    f"knowing it before committing is worth {money(best.evppi)}",
                )
            )
        else:
            figures.append(Figure("Measure first", "nothing", "the decision is clear"))


def _charts(pack: BoardPack, numbers: Numbers) -> list[charts.Chart]:
    from inaction_cli.render import charts  # matplotlib: only the page draws charts

    report = pack.report
    compact = numbers.compact
    percentiles = report.settings.percentiles
    low, high = f"P{percentiles[0]:g}", f"P{percentiles[-1]:g}"
    found: list[charts.Chart] = []
    months = report.settings.horizon_months
    if report.timeline:
        middle = [middle_of(report, summary) for summary in report.timeline]
        found.append(
            charts.fan(
                "timeline",
                f"By month {months}, adopting now has netted {compact(middle[-1])} (P50)",
                list(range(1, months + 1)),
                [summary.percentiles[0] for summary in report.timeline],
                middle,
                [summary.percentiles[-1] for summary in report.timeline],
                (low, "P50", high),
                compact,
                "Month",
                "Cumulative discounted net of adopting now, month by month: "
                f"the {low}–{high} band and the P50 line, with zero marked",
                "The cumulative discounted net by month: benefits so far less costs so far.",
            )
        )
    decision = report.decision
    if decision is not None and len(decision.delays) > 1:
        delays = decision.delays
        chosen = next((item for item in delays if item.months == 6), delays[-1])
        waiting = [middle_of(report, item.cost_of_waiting) for item in delays]
        cost = compact(middle_of(report, chosen.cost_of_waiting))
        found.append(
            charts.fan(
                "waiting",
                f"Waiting {months_text(chosen.months)} costs {cost} (P50)",
                [item.months for item in delays],
                [item.cost_of_waiting.percentiles[0] for item in delays],
                waiting,
                [item.cost_of_waiting.percentiles[-1] for item in delays],
                (low, "P50", high),
                compact,
                "Months of delay before adopting",
                f"What waiting costs against acting now, by months of delay: {low}–{high} "
                "band and P50",
                "The benefit window still ends at the horizon: a later start shortens it.",
                steps=True,
            )
        )
    sensitivity = report.sensitivity
    if sensitivity is not None and sensitivity.inputs:
        shown = sensitivity.inputs[:TORNADO_BARS]
        found.append(
            charts.tornado(
                "tornado",
                f"{charts.plain(printable(shown[0].label)).capitalize()} moves the net most",
                [charts.plain(printable(item.label)) for item in shown],
                [item.net_at_low for item in shown],
                [item.net_at_high for item in shown],
                sensitivity.net_p50,
                compact,
                "The net P50 with each uncertain input held at its own P10 and P90, largest "
                "swing first",
                "Each bar: the net P50 with that input held at its P10 (orange) and at its P90 "
                "(blue), every other input random.",
            )
        )
    histogram = report.histogram
    if histogram is not None:
        marks = [(f"P{p:g}", value) for p, value, _ in histogram.marks]
        claimed = pack.claimed_histogram
        found.append(
            charts.distribution(
                "distribution",
                f"Adopting pays in {numbers.percent(report.totals.probability_net_positive)} "
                "of the outcomes",
                histogram.edges,
                histogram.counts,
                None if claimed is None else claimed.counts,
                marks,
                compact,
                "Histogram of the net cost of inaction over the simulated outcomes, percentiles "
                "and zero marked" + ("; the as-claimed net in outline" if claimed else ""),
                "Bars: the risk-adjusted net. "
                + ("Outline: the same samples as the article claims them. " if claimed else "")
                + "Dashed lines: percentiles; solid line: zero.",
            )
        )
    if decision is not None and decision.priority:
        found.append(
            charts.bars(
                "cd3",
                f"Start with {charts.plain(printable(decision.priority[0].label))}",
                [charts.plain(printable(item.label)) for item in decision.priority],
                [middle_of(report, item.cd3) for item in decision.priority],
                compact,
                "CD3 P50: cost of delay a month ÷ months to full effect",
                "The levers by CD3, highest first: what a month's delay of each costs, for each "
                "month it takes to reach full effect",
                "Reinertsen's CD3 ranks work by cost of delay divided by duration.",
            )
        )
    return found


def _tables(pack: BoardPack, numbers: Numbers) -> list[Table]:
    report = pack.report
    money, percent = numbers.money, numbers.percent
    percentiles = report.settings.percentiles
    low, high = f"P{percentiles[0]:g}", f"P{percentiles[-1]:g}"
    tables = [
        Table(
            "Levers: value per year at full effect and over the horizon, risk-adjusted",
            ["Lever", "Evidence", "Per year P50", f"Over the horizon {low}", "P50", high],
            [
                [
                    printable(lever.label),
                    evidence_mark(lever.benchmark.evidence),
                    money(middle_of(report, lever.annual)),
                    money(lever.horizon.percentiles[0]),
                    money(middle_of(report, lever.horizon)),
                    money(lever.horizon.percentiles[-1]),
                ]
                for lever in report.levers
            ],
            EVIDENCE_NOTE,
        )
    ]
    decision = report.decision
    if decision is not None:
        tables.append(
            Table(
                "Cash flow by year, undiscounted",
                [
                    "Year",
                    "Months",
                    "Benefits P50",
                    "Costs P50",
                    f"Net {low}",
                    "Net P50",
                    f"Net {high}",
                ],
                [
                    [
                        str(year.year),
                        str(year.months),
                        money(middle_of(report, year.benefits)),
                        money(middle_of(report, year.costs)),
                        money(year.net.percentiles[0]),
                        money(middle_of(report, year.net)),
                        money(year.net.percentiles[-1]),
                    ]
                    for year in decision.cash_flow_by_year
                ],
            )
        )
    explanation = pack.explanation
    tables.append(
        Table(
            "Costs of adopting, before any overrun",
            ["Cost", "When", "Amount"],
            [
                [
                    printable(cost.label),
                    cost_months(cost),
                    " × ".join(quantity_text(item, report.currency) for item in cost.factors)
                    + (" a year" if cost.per_year else ""),
                ]
                for cost in explanation.costs
            ]
            or [["No cost given", "", "the net is gross of what adopting would cost"]],
        )
    )
    if decision is not None:
        tables.append(
            Table(
                "Priority: which lever first (CD3)",
                ["Lever", "Cost of delay a month P50", "Months to full effect P50", "CD3 P50"],
                [
                    [
                        printable(item.label),
                        money(middle_of(report, item.cost_of_delay_per_month)),
                        numbers.number(middle_of(report, item.months_to_full_effect), 1),
                        money(middle_of(report, item.cd3)),
                    ]
                    for item in decision.priority
                ],
            )
        )
        voi = decision.value_of_information
        tables.append(
            Table(
                "Value of information: what knowing each input is worth before committing",
                ["Input", "Path", "Worth (EVPPI)"],
                [[printable(item.label), item.input, money(item.evppi)] for item in voi.inputs],
                f"Perfect information about everything (EVPI) is worth {money(voi.evpi)}.",
            )
        )
        if decision.delays:
            tables.append(
                Table(
                    "What waiting costs",
                    ["Start in", f"Net {low}", "Net P50", f"Net {high}", "Waiting costs P50"],
                    [
                        [
                            "now"
                            if item.months == 0
                            else f"{item.months} month{'s' * (item.months != 1)} later",
                            money(item.net.percentiles[0]),
                            money(middle_of(report, item.net)),
                            money(item.net.percentiles[-1]),
                            money(middle_of(report, item.cost_of_waiting)),
                        ]
                        for item in decision.delays
                    ],
                    DELAYS_NOTE,
                )
            )
    del percent
    return tables


def _assumptions(pack: BoardPack, numbers: Numbers) -> list[Table]:
    explanation = pack.explanation
    currency = pack.report.currency
    levers = Table(
        "Each lever's figures and where they come from",
        ["Lever", "Uplift u", "Months to full effect", "Evidence", "Source"],
        [
            [
                printable(lever.label),
                quantity_text(lever.uplift, currency),
                quantity_text(lever.time_to_value, currency),
                lever.evidence,
                printable(lever.uplift_source),
            ]
            for lever in explanation.levers
        ],
    )
    risk = explanation.risk
    rows = [
        [
            "Diagnostic before any lever ramps",
            quantity_text(explanation.diagnostic, currency),
            printable(explanation.diagnostic_source),
        ],
    ]
    if risk.given:
        rows += [
            [
                "Chance that the pilot succeeds",
                quantity_text(risk.success_probability, currency),
                "profile",
            ],
            ["A failed pilot stops after", months_text(risk.pilot_months), "profile"],
            [
                "Realisation of the claimed gains",
                quantity_text(risk.realisation, currency),
                "profile",
            ],
            ["Cost overrun", quantity_text(risk.cost_overrun, currency), "profile"],
        ]
    else:
        rows.append(["Risk", "none: every pilot succeeds, every gain realised", "no risk: section"])
    del numbers
    return [levers, Table("Time line and risk", ["Assumption", "Value", "Source"], rows)]
