"""What each report shows, row by row, whatever the format that draws it.

The terminal table and the Markdown table draw the same rows; this module decides the rows,
their labels and their order, and never computes a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from inaction_cli.compare import BatchItem, Change, Diff
from inaction_cli.engine import Summary
from inaction_cli.result import Report


@dataclass(frozen=True)
class Row:
    """A heading (no values), a line of values, or a line that says why it has none."""

    label: str
    values: tuple[float, ...] | None = None
    emphasis: bool = False
    note: str = ""
    indent: bool = False


def estimate_rows(report: Report) -> list[Row]:
    """The estimate table: per lever per year, per lever over the horizon, then totals."""
    totals = report.totals

    def line(label: str, summary: Summary, emphasis: bool = False, indent: bool = True) -> Row:
        return Row(label, summary.percentiles, emphasis, indent=indent)

    rows = [Row("Per year, at full effect")]
    rows += [line(lever.label, lever.annual) for lever in report.levers]
    rows.append(line("All levers (run-rate)", totals.annual, emphasis=True))
    rows.append(Row(f"Over {report.horizon_months} months, discounted"))
    rows += [line(lever.label, lever.horizon) for lever in report.levers]
    rows.append(line("All levers", totals.gross, emphasis=True))
    if totals.market_share_estimated:
        rows.append(line("Market share lost", totals.market_share))
    else:
        # Not zero: unknown. The article gives no erosion rate; the analyst supplies one.
        rows.append(Row("Market share lost (no market:)", note="not estimated", indent=True))
    rows.append(line("Less adoption cost", totals.adoption_cost))
    rows.append(line("Net cost of inaction", totals.net, emphasis=True, indent=False))
    rows.append(line("Cost of each month of delay", totals.cost_of_delay_per_month, indent=False))
    return rows


def diff_sections(diff: Diff) -> list[tuple[str, tuple[Change, ...]]]:
    """The diff table: levers over the horizon, then the totals."""
    horizon = diff.new.horizon_months
    return [(f"Over {horizon} months, P50", diff.levers), ("Totals, P50", diff.totals)]


def ranked(items: list[BatchItem], position: int) -> list[BatchItem]:
    """Estimated profiles by their net at `position` (the P50), highest first; then failures."""
    done = [item for item in items if item.report is not None]
    done.sort(key=lambda item: -item.report.totals.net.percentiles[position])  # type: ignore[union-attr]
    return done + [item for item in items if item.report is None]
