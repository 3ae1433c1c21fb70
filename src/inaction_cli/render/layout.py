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
    percentile_label,
)
from inaction_cli.result import (
    MEDIAN,
    BatchItem,
    Change,
    Diff,
    ExplainedCost,
    ExplainedInput,
    Explanation,
    Gate,
    Histogram,
    InputSensitivity,
    Precision,
    Report,
    Sensitivity,
    Summary,
)
from inaction_cli.text import fill, printable, symbolic


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
            f"stopped after {risk.pilot_months} months, it costs {middle} for nothing"
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
    rows.append(Row(f"Over {report.settings.horizon_months} months, discounted"))
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
    return [(f"Over {horizon} months, P50", diff.levers), ("Totals, P50", diff.totals)]


def ranked(items: list[BatchItem], position: int) -> list[BatchItem]:
    """Estimated profiles by their net at `position` (the P50), highest first; then failures."""
    done = [item for item in items if item.report is not None]
    done.sort(key=lambda item: -item.report.totals.net.percentiles[position])  # type: ignore[union-attr]
    return done + [item for item in items if item.report is None]


BAR_WIDTH = 36
TORNADO_WIDTH = 12
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, largest: float, width: int) -> str:
    """A horizontal bar of `value` against `largest`, in eighths of a character."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    return "█" * (eighths // 8) + _EIGHTHS[eighths % 8].strip()


def histogram_lines(histogram: Histogram, currency: str) -> list[str]:
    """The histogram as plain text: one line per bin, the percentiles marked at the right."""
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
        drawn = bar(count, histogram.largest_count, BAR_WIDTH).ljust(BAR_WIDTH)
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


def change_texts(change: Change, currency: str) -> tuple[str, str, str, str]:
    """A diff line's P50 before and after, its change and its change in % (or added/removed)."""

    def money(value: float | None) -> str:
        return MISSING if value is None else format_money(value, currency)

    moved = MISSING if change.change is None else format_money(change.change, currency, signed=True)
    status = change.status
    relative = status if status in ("added", "removed") else format_change(change.relative)
    return money(change.before), money(change.after), moved, relative


def probability_texts(change: Change) -> tuple[str, str, str]:
    """P(net > 0) before and after, and its change in points."""

    def share(value: float | None) -> str:
        return MISSING if value is None else format_share(value)

    return share(change.before), share(change.after), format_points(change.change)


def batch_shown(percentiles: tuple[float, ...]) -> list[float]:
    """The net percentiles a batch row shows: the lowest, the P50 and the highest."""
    return list(dict.fromkeys((percentiles[0], MEDIAN, percentiles[-1])))


def batch_figures(report: Report, shown: list[float]) -> list[float]:
    """A batch row's amounts: the net at each shown percentile, then the run-rate and the
    cost of delay per month at their P50."""
    totals, position = report.totals, report.settings.percentiles.index
    return [
        *(totals.net.percentiles[position(p)] for p in shown),
        totals.annual.percentiles[position(MEDIAN)],
        totals.cost_of_delay_per_month.percentiles[position(MEDIAN)],
    ]


def settings_line(report: Report) -> str:
    """Currency, horizon, discount rate, samples and seed, on one line."""
    settings = report.settings
    return (
        f"{settings.currency} · {settings.horizon_months} months · discount "
        f"{format_share(settings.discount_rate)} a year · {settings.samples:,} samples · "
        f"seed {settings.seed}"
    )


def range_text(low: float, high: float) -> str:
    """`0.15–0.25`, or `0.25` for a point."""
    return f"{low:.4g}" if low == high else f"{low:.4g}–{high:.4g}"


def gate_sentence(verdict: Gate) -> str:
    """The gate's verdict in one line."""
    limit = format_share(verdict.threshold).replace(".0 %", " %")
    moved = (
        "moved from zero"
        if verdict.relative is None
        else f"moved {format_change(verdict.relative)}"
    )
    outcome = "above" if verdict.tripped else "within"
    state = "failed" if verdict.tripped else "passed"
    return f"gate {state}: the net P50 {moved}, {outcome} the ±{limit} limit"
