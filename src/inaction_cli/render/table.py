"""The analyst's table, drawn with rich."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from inaction_cli.engine import Summary
from inaction_cli.render.money import format_money, format_share, percentile_label
from inaction_cli.result import Report


def render(report: Report) -> RenderableType:
    """The whole report: header, the lever and totals table, P(net > 0), warnings."""
    provenance = report.provenance
    header = Text.assemble(
        ("Cost of inaction — ", "bold"),
        (provenance.profile_name, "bold cyan"),
        "\n",
        (
            f"{report.currency} · {report.horizon_months} months · discount "
            f"{format_share(report.discount_rate)} a year · {report.samples:,} samples · "
            f"seed {report.seed}",
            "dim",
        ),
    )
    parts: list[RenderableType] = [header, _table(report), _verdict(report)]
    if report.warnings:
        parts.append(
            Text("\n").join(
                Text(f"warning: {warning}", style="yellow") for warning in report.warnings
            )
        )
    return Group(*parts)


def _table(report: Report) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    table.add_column("", overflow="fold", min_width=16)
    for percentile in report.percentiles:
        table.add_column(
            percentile_label(percentile), justify="right", no_wrap=True, style=_style(percentile)
        )

    def row(label: str, summary: Summary, style: str = "") -> None:
        cells = [format_money(value, report.currency) for value in summary.percentiles]
        table.add_row(label, *cells, style=style)

    def heading(text: str) -> None:
        table.add_row(Text(text, style="bold underline"), *([""] * len(report.percentiles)))

    totals = report.totals
    heading("Per year, at full effect")
    for lever in report.levers:
        row(f"  {lever.label}", lever.annual)
    row("  All levers (run-rate)", totals.annual, "bold")
    table.add_section()
    heading(f"Over {report.horizon_months} months, discounted")
    for lever in report.levers:
        row(f"  {lever.label}", lever.horizon)
    row("  All levers", totals.gross, "bold")
    if totals.market_share_estimated:
        row("  Market share lost", totals.market_share)
    else:
        # Not zero: unknown. The article gives no erosion rate; the analyst supplies one.
        table.add_row("  Market share lost (no market:)", *(["—"] * len(report.percentiles)))
    row("  Less adoption cost", totals.adoption_cost)
    table.add_section()
    row("Net cost of inaction", totals.net, "bold green")
    row("Cost of each month of delay", totals.cost_of_delay_per_month, "bold")
    return table


def _style(percentile: float) -> str:
    return "" if percentile == 50 else "dim"


def _verdict(report: Report) -> Text:
    share = report.totals.probability_net_positive
    return Text.assemble(
        "Chance that inaction costs more than adopting (net > 0): ",
        (format_share(share), "bold"),
    )
