"""The board pack's charts, drawn by matplotlib as SVG to inline in the page.

One question per chart, answered by its title; axes in the currency; P5–P95 as a band, P50 as
a line, zero drawn; the Okabe–Ito palette, which colour-blind readers tell apart. Each SVG is
the same bytes for the same figures: no date, and ids salted by the chart's name.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

# Okabe and Ito (2008): eight colours that stay distinct with every common colour blindness.
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, BLACK = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
GREY = "#6b6b6b"
WIDTH, HEIGHT = 7.0, 3.2
"""Inches: a chart spans the text column of an A4 page."""


@dataclass(frozen=True)
class Chart:
    """One chart of the page: its answer as a title, its SVG, and words for who cannot see it."""

    key: str
    title: str
    svg: str
    caption: str
    alt: str


Money = Callable[[float], str]


def _figure(height: float = HEIGHT) -> tuple[Figure, object]:
    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return figure, axes


def _svg(figure: Figure, key: str, alt: str) -> str:
    """The figure as an SVG element for the page: no XML prologue, no date, fixed ids, and an
    accessible name."""
    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": f"inaction-{key}", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # Ids are unique to the chart: several charts sit in one page.
    text = re.sub(r'id="([^"]+)"', rf'id="{key}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{key}-\1"', text)
    label = html.escape(alt, quote=True)
    return text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def plain(text: str) -> str:
    """Text for matplotlib to draw as it is: a `$` would open its mathematics."""
    return text.replace("$", r"\$")


def _money_axis(axes: object, money: Money, axis: str = "y") -> None:
    formatter = FuncFormatter(lambda value, _: money(value))
    target = axes.yaxis if axis == "y" else axes.xaxis  # type: ignore[attr-defined]
    target.set_major_formatter(formatter)
    target.set_major_locator(MaxNLocator(6))


def fan(
    key: str,
    title: str,
    months: Sequence[int],
    low: Sequence[float],
    middle: Sequence[float],
    high: Sequence[float],
    labels: tuple[str, str, str],
    money: Money,
    x_label: str,
    alt: str,
    caption: str,
    steps: bool = False,
) -> Chart:
    """A band from the low to the high percentile, the P50 as a line, and zero."""
    figure, axes = _figure()
    axes.fill_between(  # type: ignore[attr-defined]
        months, low, high, color=SKY, alpha=0.35, linewidth=0, label=f"{labels[0]}–{labels[2]}"
    )
    axes.plot(months, middle, color=BLUE, linewidth=2, label=labels[1])  # type: ignore[attr-defined]
    if steps:
        axes.scatter(months, middle, color=BLUE, s=14, zorder=3)  # type: ignore[attr-defined]
    axes.axhline(0, color=BLACK, linewidth=0.8)  # type: ignore[attr-defined]
    axes.set_xlabel(x_label)  # type: ignore[attr-defined]
    _money_axis(axes, money)
    first, last = float(min(months)), float(max(months))
    if first == last:  # one month (a horizon of one): a point in the middle, not a warning
        first, last = first - 0.5, last + 0.5
    axes.set_xlim(first, last)  # type: ignore[attr-defined]
    axes.legend(loc="upper left", frameon=False)  # type: ignore[attr-defined]
    return Chart(key, title, _svg(figure, key, alt), caption, alt)


def bars(
    key: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    money: Money,
    x_label: str,
    alt: str,
    caption: str,
) -> Chart:
    """Horizontal bars, largest first: which lever first."""
    figure, axes = _figure(max(1.6, 0.45 * len(labels) + 0.9))
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, values, color=GREEN)  # type: ignore[attr-defined]
    _bar_axes(axes, positions, labels, 0, x_label, money)
    return Chart(key, title, _svg(figure, key, alt), caption, alt)


def tornado(
    key: str,
    title: str,
    labels: Sequence[str],
    lows: Sequence[float],
    highs: Sequence[float],
    centre: float,
    money: Money,
    alt: str,
    caption: str,
) -> Chart:
    """Each input's swing of the net P50, from its P10 (orange) to its P90 (blue)."""
    figure, axes = _figure(max(1.8, 0.4 * len(labels) + 1.0))
    positions = list(range(len(labels)))[::-1]
    for position, low, high in zip(positions, lows, highs, strict=True):
        axes.barh(position, low - centre, left=centre, color=ORANGE)  # type: ignore[attr-defined]
        axes.barh(position, high - centre, left=centre, color=BLUE)  # type: ignore[attr-defined]
    x_label = "Net P50 with the input at its P10 (orange) and its P90 (blue)"
    _bar_axes(axes, positions, labels, centre, x_label, money)
    return Chart(key, title, _svg(figure, key, alt), caption, alt)


def _bar_axes(
    axes: object,
    positions: list[int],
    labels: Sequence[str],
    base: float,
    x_label: str,
    money: Money,
) -> None:
    """The axes of horizontal bars: a label per bar, the base line, a money scale across."""
    axes.set_yticks(positions, labels)  # type: ignore[attr-defined]
    axes.axvline(base, color=BLACK, linewidth=0.8)  # type: ignore[attr-defined]
    axes.grid(axis="y", visible=False)  # type: ignore[attr-defined]
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)  # type: ignore[attr-defined]
    axes.set_xlabel(x_label)  # type: ignore[attr-defined]
    _money_axis(axes, money, "x")


def distribution(
    key: str,
    title: str,
    edges: Sequence[float],
    counts: Sequence[int],
    claimed: Sequence[int] | None,
    marks: Sequence[tuple[str, float]],
    money: Money,
    alt: str,
    caption: str,
) -> Chart:
    """The net's histogram, its percentiles and zero marked; the as-claimed net in outline."""
    figure, axes = _figure()
    axes.stairs(counts, edges, fill=True, color=SKY, label="risk-adjusted")  # type: ignore[attr-defined]
    if claimed is not None:
        axes.stairs(claimed, edges, color=VERMILLION, linewidth=1.5, label="as claimed")  # type: ignore[attr-defined]
    for label, value in marks:
        axes.axvline(value, color=BLUE, linewidth=1, linestyle="--")  # type: ignore[attr-defined]
        axes.annotate(  # type: ignore[attr-defined]
            label,
            (value, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(2, -2),
            textcoords="offset points",
            va="top",
            fontsize=8,
            color=BLUE,
        )
    axes.axvline(0, color=BLACK, linewidth=1.2)  # type: ignore[attr-defined]
    axes.set_ylabel("samples")  # type: ignore[attr-defined]
    axes.set_xlabel("Net cost of inaction over the horizon")  # type: ignore[attr-defined]
    _money_axis(axes, money, "x")
    axes.legend(  # type: ignore[attr-defined]
        loc="lower right", bbox_to_anchor=(1.0, 1.02), ncol=2, frameon=False, borderaxespad=0
    )
    return Chart(key, title, _svg(figure, key, alt), caption, alt)
