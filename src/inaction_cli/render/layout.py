"""What each report shows, row by row, whatever the format that draws it.

The terminal table and the Markdown table draw the same rows; this module decides the rows,
their labels and their order, and never computes a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from inaction_cli.render.money import (
    MISSING,
    format_change,
    format_compact,
    format_money,
    format_points,
    format_share,
    format_threshold,
    percentile_label,
)
from inaction_cli.result import (
    MEDIAN,
    BatchRow,
    Change,
    Diff,
    ExplainedCost,
    ExplainedInput,
    Explanation,
    FolderDiff,
    Gate,
    Histogram,
    InputSensitivity,
    Precision,
    Report,
    Sensitivity,
    Summary,
)
from inaction_cli.text import fill, printable, symbolic
from inaction_cli.text import months as months_text


@dataclass(frozen=True)
class Row:
    """A heading (no values), a line of values, or a line that says why it has none."""

    label: str
    values: tuple[float, ...] | None = None
    emphasis: bool = False
    note: str = ""
    indent: bool = False
    evidence: str = ""
    """The grade of the figure on this line, shown beside its label."""
    quiet: bool = False
    """A line for comparison, drawn dim (the net as claimed)."""


EVIDENCE_MARKS = {"claimed range": "claimed", "anecdote": "anecdote"}
EVIDENCE_NOTE = (
    "[claimed]: a range the article states without a source; [anecdote]: one company's "
    "story. Neither is a measurement."
)
AS_CLAIMED = "as claimed (S = 1, ρ = 1, Ω = 1)"


def evidence_mark(grade: str) -> str:
    """`[claimed]` or `[anecdote]`: a figure's grade, short enough for a table's label."""
    return f"[{EVIDENCE_MARKS.get(grade, grade)}]"


def middle(report: Report, values: tuple[float, ...], mean: float) -> tuple[str, float]:
    """The P50 of a statistic, or its mean when the report has no P50: (label, value)."""
    percentiles = report.settings.percentiles
    if MEDIAN in percentiles:
        return "P50", values[percentiles.index(MEDIAN)]
    return "mean", mean


def band(report: Report) -> tuple[str, str]:
    """The labels of the report's lowest and highest percentiles: ('P5', 'P95')."""
    percentiles = report.settings.percentiles
    return percentile_label(percentiles[0]), percentile_label(percentiles[-1])


NOTHING_TO_DECIDE = (
    "Nothing to decide yet: no lever is active and adopting costs nothing (see the warnings)"
)


def decision_lines(report: Report) -> list[str]:
    """The decision block in plain words: return, payback, break-even, which lever first,
    what to measure first."""
    decision = report.decision
    if decision is None:
        return []
    if (
        not report.levers
        and not report.totals.market_share_estimated
        and not decision.payback_month
    ):
        return [NOTHING_TO_DECIDE]
    currency, months = report.currency, report.settings.horizon_months
    low, high = band(report)
    lines = []
    roi = decision.roi
    if roi is None:
        why = "no cost" if decision.payback_month is None else "some outcomes cost nothing"
        lines.append(f"Return on investment: not defined ({why})")
    else:
        label, value = middle(report, roi.percentiles, roi.mean)
        lowest, highest = format_share(roi.percentiles[0]), format_share(roi.percentiles[-1])
        lines.append(
            f"Return on investment: {format_share(value)} ({label}); "
            f"{low} {lowest} to {high} {highest}"
        )
    payback = decision.payback_month
    if payback is None:
        lines.append("Payback: no cost to pay back")
    else:
        percentiles = report.settings.percentiles
        found = payback.percentiles[percentiles.index(MEDIAN)] if MEDIAN in percentiles else None
        when = "beyond the horizon" if found is None else f"month {found:.0f}"
        lines.append(
            f"Payback: {when} (P50); within {months_text(months)} in "
            f"{format_share(payback.probability_within_horizon)} of the outcomes"
        )
    threshold = decision.break_even_success_probability
    if threshold is None:
        lines.append("Adopting does not pay even if the pilot surely succeeds")
    else:
        lines.append(
            f"Adopting beats waiting while the chance of success is above {format_share(threshold)}"
        )
    if decision.priority:
        first = decision.priority[0]
        lines.append(
            f"Start with {printable(first.label)}: the highest cost of delay per month it takes "
            "(CD3)"
        )
    voi = decision.value_of_information
    if voi.worth_measuring and voi.inputs and voi.inputs[0].evppi > 0:
        best = voi.inputs[0]
        named = printable(best.label)
        if best.label != best.input:
            named += f" ({best.input})"
        lines.append(
            f"Measure first: {named}, worth {format_money(best.evppi, currency)} before committing"
        )
    else:
        lines.append("No input is worth measuring: the decision is clear")
    return lines


def cash_flow_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    """The yearly cash flow, undiscounted: header and rows of compact amounts."""
    decision = report.decision
    if decision is None:
        return [], []
    currency = report.currency
    low, high = band(report)
    header = ["Year", "Months", "Benefits P50", "Costs P50", f"Net {low}", "Net P50", f"Net {high}"]
    rows = []
    for year in decision.cash_flow_by_year:
        _, benefits = middle(report, year.benefits.percentiles, year.benefits.mean)
        _, costs = middle(report, year.costs.percentiles, year.costs.mean)
        _, net = middle(report, year.net.percentiles, year.net.mean)
        rows.append(
            [
                str(year.year),
                str(year.months),
                format_compact(benefits, currency),
                format_compact(costs, currency),
                format_compact(year.net.percentiles[0], currency),
                format_compact(net, currency),
                format_compact(year.net.percentiles[-1], currency),
            ]
        )
    return header, rows


DELAYS_NOTE = "A later start shortens the benefit window: it still ends at the horizon."
NO_DELAYS = "No start delay asked for falls within the horizon: nothing to show."


def delay_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    """Adopting 0, 1, 3… months later: the net and what waiting costs against acting now."""
    decision = report.decision
    if decision is None:
        return [], []
    currency = report.currency
    low, high = band(report)
    header = ["Start in", f"Net {low}", "Net P50", f"Net {high}", "Waiting costs P50"]
    rows = []
    for delay in decision.delays:
        _, net = middle(report, delay.net.percentiles, delay.net.mean)
        _, waiting = middle(report, delay.cost_of_waiting.percentiles, delay.cost_of_waiting.mean)
        rows.append(
            [
                "now" if delay.months == 0 else f"{delay.months} mo",
                format_compact(delay.net.percentiles[0], currency),
                format_compact(net, currency),
                format_compact(delay.net.percentiles[-1], currency),
                format_compact(waiting, currency),
            ]
        )
    return header, rows


FAN_WIDTH = 30
COMPACT_FAN_WIDTH = 18
"""The fan's width on a terminal narrower than 80 columns."""


def timeline_lines(report: Report, fan_width: int = FAN_WIDTH) -> list[str]:
    """A text fan of the cumulative discounted net by quarter: the band from the lowest to the
    highest percentile (─), the P50 (●) and zero (│), on one scale `fan_width` wide."""
    timeline = report.timeline
    if not timeline:
        return []
    currency = report.currency
    months = report.settings.horizon_months
    quarters = sorted({*range(3, months + 1, 3), months})
    rows = [(month, timeline[month - 1]) for month in quarters]
    lowest = min(0.0, *(summary.percentiles[0] for _, summary in rows))
    highest = max(0.0, *(summary.percentiles[-1] for _, summary in rows))
    span = highest - lowest or 1.0

    def place(value: float) -> int:
        return int((value - lowest) / span * (fan_width - 1) + 0.5)  # value ≥ lowest: rounds

    low, high = band(report)
    texts = [
        (
            str(month),
            format_compact(summary.percentiles[0], currency),
            format_compact(middle(report, summary.percentiles, summary.mean)[1], currency),
            format_compact(summary.percentiles[-1], currency),
        )
        for month, summary in rows
    ]
    titles = ["Month", low, "P50", high]
    widths = [
        max(len(title), *(len(row[index]) for row in texts)) for index, title in enumerate(titles)
    ]
    head = "  ".join(title.rjust(width) for title, width in zip(titles, widths, strict=True))
    scale = f"{format_compact(lowest, currency)} … {format_compact(highest, currency)}"
    lines = [f"{head}  {scale}"]
    for (_, summary), text in zip(rows, texts, strict=True):
        cells = [" "] * fan_width
        start, end = place(summary.percentiles[0]), place(summary.percentiles[-1])
        for index in range(start, end + 1):
            cells[index] = "─"
        cells[place(0.0)] = "│"
        cells[place(middle(report, summary.percentiles, summary.mean)[1])] = "●"
        numbers = "  ".join(value.rjust(width) for value, width in zip(text, widths, strict=True))
        lines.append(f"{numbers}  {''.join(cells)}".rstrip())
    return lines


def risk_lines(report: Report) -> list[str]:
    """The claimed figure's chance beside the risk-adjusted one, and what a failed pilot
    costs, in plain words (only for a profile with a `risk:` section)."""
    risk, claimed = report.risk, report.as_claimed
    if risk is None or not risk.given or claimed is None:
        return []
    currency = report.currency
    lines = [
        f"As claimed (every pilot succeeds, every gain realised, no overrun): net > 0 in "
        f"{format_share(claimed.probability_net_positive)} of the samples"
    ]
    if risk.probability_pilot_fails > 0:
        cost = risk.failed_pilot_cost
        position = report.settings.percentiles.index
        middle = (
            format_money(cost.percentiles[position(MEDIAN)], currency)
            if MEDIAN in report.settings.percentiles
            else format_money(cost.mean, currency)
        )
        lines.append(
            f"Chance that the pilot fails: {format_share(risk.probability_pilot_fails)}; "
            f"stopped after {months_text(risk.pilot_months)}, it costs {middle} for nothing"
        )
    return lines


def estimate_rows(report: Report) -> list[Row]:
    """The estimate table: per lever per year, per lever over the horizon, then totals."""
    totals = report.totals

    def line(label: str, summary: Summary, emphasis: bool = False, indent: bool = True) -> Row:
        return Row(label, summary.percentiles, emphasis, indent=indent)

    rows = [Row("Per year, at full effect")]
    rows += [
        Row(
            lever.label,
            lever.annual.percentiles,
            indent=True,
            evidence=evidence_mark(lever.benchmark.evidence),
        )
        for lever in report.levers
    ]
    rows.append(line("All levers (run-rate)", totals.annual, emphasis=True))
    rows.append(Row(f"Over {months_text(report.settings.horizon_months)}, discounted"))
    rows += [line(lever.label, lever.horizon) for lever in report.levers]
    rows.append(line("All levers", totals.gross, emphasis=True))
    if totals.market_share_estimated:
        rows.append(line("Market share lost", totals.market_share))
    else:
        # Not zero: unknown. The article gives no erosion rate; the analyst supplies one.
        rows.append(Row("Market share lost (no market:)", note="not estimated", indent=True))
    rows.append(line("Less adoption cost", totals.adoption_cost))
    rows.append(line("Net cost of inaction", totals.net, emphasis=True, indent=False))
    if report.risk is not None and report.risk.given and report.as_claimed is not None:
        rows.append(Row(AS_CLAIMED, report.as_claimed.net.percentiles, indent=True, quiet=True))
    rows.append(line("Cost of each month of delay", totals.cost_of_delay_per_month, indent=False))
    return rows


def diff_sections(diff: Diff) -> list[tuple[str, tuple[Change, ...]]]:
    """The diff table: levers over the horizon, then the totals."""
    horizon = diff.new.settings.horizon_months
    totals = (*diff.totals, diff.probability_net_positive)
    sections = [(f"Over {months_text(horizon)}, P50", diff.levers), ("Totals, P50", totals)]
    if diff.decision:
        sections.append(("Decision, P50", diff.decision))
    return sections


BAR_WIDTH = 36
COMPACT_BAR_WIDTH = 20
"""A histogram's bars on a terminal narrower than 80 columns."""
TORNADO_WIDTH = 12
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, largest: float, width: int) -> str:
    """A horizontal bar of `value` against `largest`, in eighths of a character."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    return "█" * (eighths // 8) + _EIGHTHS[eighths % 8].strip()


def histogram_lines(histogram: Histogram, currency: str, bar_width: int = BAR_WIDTH) -> list[str]:
    """The histogram as plain text: one line per bin, its bar `bar_width` at most, the
    percentiles marked at the right."""
    edges, counts = histogram.edges, histogram.counts
    labels = []
    for index in range(len(counts)):
        low = format_compact(edges[index], currency)
        high = format_compact(edges[index + 1], currency)
        if histogram.open_ends and index == 0:
            low = "…"
        if histogram.open_ends and index == len(counts) - 1:
            high = "…"
        labels.append(f"{low} – {high}")
    width = max(len(label) for label in labels)
    marks: dict[int, list[str]] = {}
    for percentile, value, index in histogram.marks:
        marks.setdefault(index, []).append(
            f"{percentile_label(percentile)} {format_compact(value, currency)}"
        )
    lines = []
    for index, (label, count) in enumerate(zip(labels, counts, strict=True)):
        drawn = bar(count, histogram.largest_count, bar_width).ljust(bar_width)
        note = f" ◀ {', '.join(marks[index])}" if index in marks else ""
        lines.append(f"{label.rjust(width)} │{drawn}{note}".rstrip())
    return lines


def precision_line(precision: Precision, currency: str) -> str:
    """The Monte Carlo error of the net, in one sentence."""
    return (
        "Monte Carlo error (one standard error): net mean ±"
        f"{format_money(precision.net_mean_standard_error, currency)}, net P50 ±"
        f"{format_money(precision.net_p50_standard_error, currency)}"
    )


def input_range(item: InputSensitivity, currency: str) -> str:
    """An input's P10 and P90, written for its unit."""
    low = quantity_value(item.low, item.unit, currency)
    high = quantity_value(item.high, item.unit, currency)
    return f"P10 {low} → P90 {high}"


def tornado_bar(item: InputSensitivity, sensitivity: Sensitivity) -> str:
    """The input's swing as a bar against the largest swing."""
    return bar(item.swing, sensitivity.largest_swing, TORNADO_WIDTH)


def correlation_text(value: float | None) -> str:
    """A rank correlation: `+0.59`, or a dash when it is undefined."""
    return MISSING if value is None else f"{value:+.2f}"


def quantity_value(value: float, unit: str, currency: str) -> str:
    """An input's value written for its unit, exactly enough to redo the arithmetic: the P50
    of €11–€16 is €13.50, not €14."""
    whole = float(value).is_integer()
    if unit == "money":
        return format_money(value, currency, cents=not whole)
    if unit in ("count", "number") and abs(value) >= 100:
        return f"{value:,.0f}" if whole else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.4g}"


def quantity_text(quantity: ExplainedInput, currency: str) -> str:
    """`uniform €52,000–€58,000, P50 €55,000`, or the value alone when it is fixed."""
    value = quantity.value
    if value.is_point:
        return quantity_value(value.low, quantity.unit, currency)
    low = quantity_value(value.low, quantity.unit, currency)
    high = quantity_value(value.high, quantity.unit, currency)
    mode = ""
    if value.distribution.takes_mode:
        mode = f", mode {quantity_value(value.effective_mode, quantity.unit, currency)}"
    median = quantity_value(quantity.median, quantity.unit, currency)
    unit = " months" if quantity.unit == "months" else ""
    return f"{value.distribution.value} {low}–{high}{unit}{mode}, P50 {median}"


@dataclass(frozen=True)
class Line:
    """A line of an explanation: a heading, a formula, or prose."""

    text: str
    kind: str = "prose"
    """title, meta, heading, formula or prose."""


def explanation_lines(explanation: Explanation) -> list[Line]:
    """The audit trail, line by line, for the terminal and for Markdown alike."""
    provenance, settings = explanation.provenance, explanation.settings
    currency = settings.currency
    lines = [
        Line(
            f"How the cost of inaction of {printable(provenance.profile_name)} is computed",
            "title",
        ),
        Line(f"profile {printable(provenance.profile_path)}", "meta"),
        Line(f"sha256 {provenance.profile_sha256}", "meta"),
        Line(
            f"benchmarks {provenance.benchmarks_version} · inaction {provenance.tool_version} · "
            f"seed {settings.seed} · {settings.samples:,} samples",
            "meta",
        ),
    ]
    for lever in explanation.levers:
        numbers = {
            quantity.name: quantity_value(quantity.median, quantity.unit, currency)
            for quantity in lever.inputs
        }
        numbers["u"] = quantity_value(lever.uplift.median, "uplift", currency)
        lines += [
            Line(f"{printable(lever.label)} ({lever.id})", "heading"),
            Line(f"V = {symbolic(lever.formula)}", "formula"),
            Line(f"  = {fill(lever.formula, numbers)}", "formula"),
            Line(
                f"  = {format_money(lever.annual_value, currency)} a year at full effect, "
                "every input at its P50",
                "formula",
            ),
            Line(
                f"u, the uplift: {quantity_text(lever.uplift, currency)}. "
                f"Source: {printable(lever.uplift_source)}"
            ),
            Line(f"Evidence for u: {lever.evidence}"),
            Line(
                f"T, months to full effect: {quantity_text(lever.time_to_value, currency)}. "
                f"Source: {printable(lever.time_to_value_source)}"
            ),
            *(
                [Line(f"L, months after the diagnostic before it starts to ramp: {lag}")]
                if (lag := quantity_text(lever.lag, currency)) != "0"
                else []
            ),
            *(
                [Line(f"ρ, realisation: {realised} ({lever.realisation.path})")]
                if (realised := quantity_text(lever.realisation, currency)) != "1"
                else []
            ),
            *(
                Line(f"{quantity.path}: {quantity_text(quantity, currency)}")
                for quantity in lever.inputs
            ),
            Line(
                "The estimate's figure a year is S × ρ × V sample by sample (S = 1 when the "
                "pilot succeeds, 0 when it fails): its percentiles are those of the products, "
                "not the product of each input's P50 above."
            ),
        ]
    lines += [
        Line("Time line", "heading"),
        Line(f"months m = 1 … {settings.horizon_months}; act now (s = 0) or a month later (s = 1)"),
        Line(
            f"D, the diagnostic before any lever ramps: "
            f"{quantity_text(explanation.diagnostic, currency)}. "
            f"Source: {explanation.diagnostic_source}"
        ),
        Line("f(m) = clamp((m − s − D − L) / T, 0, 1), L = 0 unless a lever says", "formula"),
        Line(f"d(m) = (1 + {settings.discount_rate:g})^(−m/12)", "formula"),
        Line("gross(s) = Σ_levers Σ_m S × ρ × V / 12 × f(m; s) × d(m)", "formula"),
        Line("Market share", "heading"),
    ]
    if explanation.market:
        numbers = {
            quantity.name: quantity_value(quantity.median, quantity.unit, currency)
            for quantity in explanation.market
        }
        lines += [
            Line(f"market share = {symbolic(explanation.market_formula)}", "formula"),
            Line(f"             = {fill(explanation.market_formula, numbers)}", "formula"),
            *(
                Line(f"{quantity.path}: {quantity_text(quantity, currency)}")
                for quantity in explanation.market
            ),
        ]
    else:
        lines.append(
            Line(
                "not estimated: the profile has no market: section (the article gives "
                "no erosion rate; the analyst supplies one)"
            )
        )
    lines.append(Line("Adoption cost", "heading"))
    lines.append(
        Line(
            "c(m; s) = Ω × [setup in adoption month 1 + run / 12 each month + cost lines], "
            "adoption month k = model month s + k, m ≤ H",
            "formula",
        )
    )
    if not explanation.costs:
        lines.append(Line("no cost: the net is gross of what adopting would cost"))
    for cost in explanation.costs:
        amount = " × ".join(
            f"{quantity.label} ({quantity_text(quantity, currency)})" for quantity in cost.factors
        )
        if cost.per_year:
            amount += " / 12"
        lines.append(Line(f"{cost.id}: {printable(cost.label)}, {cost_months(cost)}: {amount}"))
    risk = explanation.risk
    lines.append(Line("Risk", "heading"))
    if not risk.given:
        lines.append(
            Line("no risk: section: S = 1, ρ = 1, Ω = 1 for every sample: the figure is as claimed")
        )
    else:
        lines += [
            Line(
                "S = 1 when the success draw (risk.success) is below p; a failed pilot (S = 0) "
                f"pays adoption months 1 … P = {risk.pilot_months} and delivers nothing",
                "formula",
            ),
            Line(f"p, success probability: {quantity_text(risk.success_probability, currency)}"),
            Line(f"ρ, realisation: {quantity_text(risk.realisation, currency)}"),
            Line(f"Ω, cost overrun: {quantity_text(risk.cost_overrun, currency)}"),
        ]
    lines += [
        Line("Totals", "heading"),
        Line(
            "b(m; s) = S × [Σ_levers ρ V / 12 × f(m; s) + market share's term]",
            "formula",
        ),
        Line("net cost of inaction = Σ_m (b(m; 0) − c(m; 0)) × d(m)", "formula"),
        Line("cost of delay per month = net(0) − net(1), on the same samples", "formula"),
        Line("annual run-rate = Σ_levers S × ρ × V", "formula"),
        Line("as claimed: the same net with S = 1, ρ = 1 and Ω = 1", "formula"),
    ]
    return lines


def cost_months(cost: ExplainedCost) -> str:
    """When a cost is paid, in adoption months: `one-off in month 2`, `monthly, months 1–9`."""
    if not cost.monthly:
        return f"one-off in adoption month {cost.first}"
    last = "the horizon" if cost.last is None else str(cost.last)
    return f"monthly from adoption month {cost.first} to {last}"


def change_texts(
    change: Change, currency: str, *, compact: bool = False
) -> tuple[str, str, str, str]:
    """A diff line's P50 before and after, its change and its change in % (or added/removed),
    each written for the line's unit; amounts compact (€1.32M) on a narrow terminal."""
    status = change.status
    if change.unit == "money":

        def amount(value: float, signed: bool = False) -> str:
            if compact:
                text = format_compact(value, currency)
                return f"+{text}" if signed and value > 0 else text
            return format_money(value, currency, signed=signed)

        def shown(value: float | None) -> str:
            return MISSING if value is None else amount(value)

        moved = MISSING if change.change is None else amount(change.change, signed=True)
        relative = status if status in ("added", "removed") else format_change(change.relative)
        return shown(change.before), shown(change.after), moved, relative
    if change.unit == "month":

        def month(value: float | None) -> str:
            return "beyond" if value is None else f"month {value:.0f}"

        moved = (
            MISSING if change.change is None else f"{change.change:+.0f} mo".replace("+0 ", "0 ")
        )
        return month(change.before), month(change.after), moved, ""

    def share(value: float | None) -> str:
        return MISSING if value is None else format_share(value)

    return share(change.before), share(change.after), format_points(change.change), ""


def decision_texts(row: BatchRow) -> list[str]:
    """A batch row's decision figures: ROI P50, payback month P50, break-even chance."""
    figures = row.decision_figures()
    if not figures:
        return [MISSING] * 3
    roi, payback, threshold = (figures[key][0] for key in figures)
    return [
        MISSING if roi is None else format_share(roi),
        "none"
        if row.payback_month is None
        else "beyond"
        if payback is None
        else f"month {payback:.0f}",
        MISSING if threshold is None else format_share(threshold),
    ]


DECISION_HEADERS = ("ROI P50", "Payback P50", "Break-even p")


def batch_shown(percentiles: tuple[float, ...]) -> list[float]:
    """The net percentiles a batch row shows: the lowest, the P50 and the highest."""
    return list(dict.fromkeys((percentiles[0], MEDIAN, percentiles[-1])))


def batch_figures(row: BatchRow, shown: list[float]) -> list[float]:
    """A batch row's amounts: the net at each shown percentile, then the run-rate and the
    cost of delay per month at their P50."""
    position = row.settings.percentiles.index
    return [
        *(row.net.percentiles[position(p)] for p in shown),
        row.annual.percentiles[position(MEDIAN)],
        row.cost_of_delay_per_month.percentiles[position(MEDIAN)],
    ]


def settings_line(report: Report) -> str:
    """Currency, horizon, discount rate, samples and seed, on one line."""
    settings = report.settings
    return (
        f"{settings.currency} · {months_text(settings.horizon_months)} · discount "
        f"{format_share(settings.discount_rate)} a year · {settings.samples:,} samples · "
        f"seed {settings.seed}"
    )


def range_text(low: float, high: float) -> str:
    """`0.15–0.25`, or `0.25` for a point."""
    return f"{low:.4g}" if low == high else f"{low:.4g}–{high:.4g}"


def gate_sentence(verdict: Gate) -> str:
    """The gate's verdict in one line."""
    limit, moved = _gate_texts(verdict)
    outcome = "above" if verdict.tripped else "within"
    state = "failed" if verdict.tripped else "passed"
    return f"gate {state}: the net P50 {moved}, {outcome} the ±{limit} limit"


def _gate_texts(verdict: Gate) -> tuple[str, str]:
    """The limit as written, and the move with as many decimals as the limit has (at least
    one): a 0.05 % limit shows a move of 0.03 %, not 0.0 %."""
    limit = format_threshold(verdict.threshold)
    decimals = max(1, len(limit.removesuffix(" %").partition(".")[2]))
    moved = (
        "moved from zero"
        if verdict.relative is None
        else f"moved {format_change(verdict.relative, decimals)}"
    )
    return limit, moved


def folder_gate_sentence(diff: FolderDiff) -> str:
    """The gate's verdict over a diff of folders, naming the scenarios that tripped it, and
    saying how many could not be compared (the gate could not judge them)."""
    verdict = diff.gate
    assert verdict is not None
    limit, moved = _gate_texts(verdict)
    compared = [item for item in diff.scenarios if item.diff is not None]
    tripped = [
        item.name for item in compared if item.diff and item.diff.gate and item.diff.gate.tripped
    ]
    count = f"{len(compared)} scenario{'' if len(compared) == 1 else 's'} compared"
    if tripped:
        named = ", ".join(printable(name) for name in tripped)
        which = f"the {count}"
        if len(tripped) < len(compared):
            which = f"{len(tripped)} of {which}"
        sentence = (
            f"gate failed: the net P50 of {which} moved by more than the ±{limit} limit "
            f"({named}; largest {moved.removeprefix('moved ')})"
        )
    elif compared:
        sentence = (
            f"gate passed: the net P50 of the {count} {moved.replace('moved', 'moved at most')}, "
            f"within the ±{limit} limit"
        )
    else:
        sentence = f"gate passed: no scenario on both sides to hold to the ±{limit} limit"
    errors = sum(1 for item in diff.scenarios if item.status == "error")
    if not errors:
        return sentence
    missing = f"{errors} scenario{'' if errors == 1 else 's'} could not be compared"
    if tripped:
        return f"{sentence}; {missing}"
    # Not a pass: the gate cannot vouch for what it could not read.
    return f"gate not passed: {missing}; {sentence.removeprefix('gate passed: ')}"


def diff_settings(old: Report, new: Report) -> str:
    """`seed 42 · 20,000 samples`, with both sides' values where they differ."""

    def both(before: str, after: str) -> str:
        return after if before == after else f"{before} → {after}"

    seeds = both(str(old.settings.seed), str(new.settings.seed))
    samples = both(f"{old.settings.samples:,}", f"{new.settings.samples:,}")
    return f"seed {seeds} · {samples} samples"


def folder_rows(
    diff: FolderDiff, *, compact: bool = False
) -> list[tuple[str, str, str, str, str, str]]:
    """The summary of a diff of folders: scenario, net P50 before, after, change, change %,
    status."""
    rows = []
    for item in diff.scenarios:
        if item.net is None:
            rows.append((item.name, MISSING, MISSING, MISSING, MISSING, item.status))
            continue
        currency = item.currency or ""
        before, after, moved, relative = change_texts(item.net, currency, compact=compact)
        if item.status in ("added", "removed", "error"):
            relative = MISSING
        rows.append((item.name, before, after, moved, relative, item.status))
    return rows


def folder_heading(diff: FolderDiff) -> tuple[str, str]:
    """`4 scenarios` and `1 changed, 1 added, 1 unchanged, 1 error`."""
    found = {
        status: sum(1 for item in diff.scenarios if item.status == status)
        for status in ("changed", "added", "removed", "unchanged", "error")
    }
    counts = [
        f"{count} {status}{'s' if status == 'error' and count != 1 else ''}"
        for status, count in found.items()
        if count
    ]
    total = len(diff.scenarios)
    return f"{total} scenario{'' if total == 1 else 's'}", ", ".join(counts)
