"""What an analyst asks after the estimate: what drives it, how it is spread, how precise.

Pure numpy over the engine's samples; the renderers draw what this module computes.
"""

from __future__ import annotations

import math

import numpy as np

from inaction_cli.correlation import rank_correlation, ranks
from inaction_cli.distributions import FloatArray, quantile
from inaction_cli.engine import (
    Headline,
    Outcome,
    draw_input,
    held_medians,
    median,
    net_samples,
    summarise,
)
from inaction_cli.result import Histogram, InputSensitivity, Precision, Sensitivity
from inaction_cli.scenario import Scenario

TORNADO_LOW, TORNADO_HIGH = 0.10, 0.90
PRECISION_TARGET = 0.005
"""Warn when one standard error of the net P50 is above 0.5 % of the net's scale: the larger
of |P50| and the width of its 90 % band."""
PRECISION_BAND = (5.0, 50.0, 95.0)
HISTOGRAM_BINS = 20
HISTOGRAM_RANGE = (0.5, 99.5)
"""The histogram spans P0.5 to P99.5; the rare samples beyond count in the end bins."""


def sensitivity(scenario: Scenario, outcome: Outcome) -> Sensitivity:
    """Hold each uncertain input at its P10, then its P90, and rerun: the tornado.

    Every other input keeps its own stream, so the two runs differ by that input only. An
    input outside any correlation is held on the run's own draws, recomputing only what reads
    it (engine.held_medians); one inside a correlation reruns the scenario with it fixed,
    since fixing it re-pairs the others of its group.
    """
    net = outcome.net_samples
    uncertain = scenario.uncertain_inputs()
    correlated = {path for pair in scenario.correlations for path in (pair.first, pair.second)}
    bounds: dict[str, tuple[float, float]] = {}
    for path, item in uncertain.items():
        low = min(max(quantile(item.value, TORNADO_LOW), item.lower), item.upper)
        high = min(max(quantile(item.value, TORNADO_HIGH), item.lower), item.upper)
        bounds[path] = (low, high)
    holds = [
        (path, value) for path in uncertain if path not in correlated for value in bounds[path]
    ]
    medians = dict(zip(holds, held_medians(scenario, holds), strict=True))
    for path in uncertain:
        if path in correlated:
            for value in bounds[path]:
                medians[(path, value)] = median(net_samples(scenario.with_fixed(path, value)))
    net_ranks = ranks(net)
    entries = []
    for path, item in uncertain.items():
        low, high = bounds[path]
        at_low, at_high = medians[(path, low)], medians[(path, high)]
        entries.append(
            InputSensitivity(
                path=path,
                label=item.name,
                low=low,
                high=high,
                net_at_low=at_low,
                net_at_high=at_high,
                rank_correlation=rank_correlation(ranks(draw_input(scenario, path)), net_ranks),
                unit=item.unit,
                swing=abs(at_high - at_low),
            )
        )
    entries.sort(key=lambda entry: (-entry.swing, entry.path))
    largest = max((entry.swing for entry in entries), default=0.0)
    return Sensitivity(median(net), tuple(entries), largest)


def histogram(
    values: FloatArray,
    percentiles: tuple[float, ...],
    bins: int = HISTOGRAM_BINS,
    span: tuple[float, float] | None = None,
) -> Histogram:
    """Bin the samples between P0.5 and P99.5 (tails in the end bins) and mark percentiles;
    `span` gives the range instead (two histograms drawn on one axis share it)."""
    low, high = span or histogram_span(values)
    if low == high:
        low, high, bins = low - 0.5, high + 0.5, 1
    counts, edges = np.histogram(np.clip(values, low, high), bins=bins, range=(low, high))
    marked = np.asarray(summarise(values, tuple(percentiles)).percentiles)
    where = np.clip(np.searchsorted(edges, marked, side="right") - 1, 0, len(counts) - 1)
    return Histogram(
        edges=tuple(float(edge) for edge in edges),
        counts=tuple(int(count) for count in counts),
        largest_count=int(counts.max(initial=0)),
        marks=tuple(
            (float(p), float(value), int(index))
            for p, value, index in zip(percentiles, marked, where, strict=True)
        ),
        open_ends=bool(values.min() < low or values.max() > high),
    )


def histogram_span(*samples: FloatArray) -> tuple[float, float]:
    """The range a histogram of these samples spans: from the lowest P0.5 to the highest P99.5."""
    ends = [summarise(values, HISTOGRAM_RANGE).percentiles for values in samples]
    return float(min(end[0] for end in ends)), float(max(end[1] for end in ends))


def precision(outcome: Headline) -> Precision:
    """The precision of a run's net, and the scale it is judged on."""
    # np.percentile's numbers, bit for bit, without its first call's import of numpy.ma
    low, middle, high = summarise(outcome.net_samples, PRECISION_BAND).percentiles
    return Precision(
        outcome.net_mean_standard_error,
        outcome.net_median_standard_error,
        float(middle),
        float(high - low),
    )


def precision_warning(result: Precision, samples: int, maximum: int) -> str | None:
    """A warning when one standard error of the net P50 is above 0.5 % of the net's scale,
    with the samples that would bring it under.

    The scale is the larger of |P50| and the width of the 90 % band (P95 − P5): near a net of
    zero, an error relative to the P50 grows without bound and would ask for millions of
    samples, while what a reader needs is that the noise is small beside the spread they are
    shown."""
    band = result.net_band_width
    scale = max(abs(result.net_p50), band)
    if scale == 0:
        return None
    relative = result.net_p50_standard_error / scale
    if relative <= PRECISION_TARGET:
        return None
    # The standard error falls as 1/√n.
    needed = samples * (relative / PRECISION_TARGET) ** 2
    rounded = min(_round_up(needed), maximum)
    judged = "of its value" if abs(result.net_p50) >= band else "of the width of its 90 % band"
    return (
        f"Monte Carlo precision: with {samples:,} samples the net P50 is known to "
        f"±{relative:.1%} {judged} (one standard error); about {rounded:,} samples would "
        "bring it under 0.5 %"
    ).replace("%", " %", 1)


def _round_up(value: float) -> int:
    """Up to a number with two significant digits: 123,456 → 130,000."""
    digits = max(0, math.floor(math.log10(value)) - 1)
    return int(math.ceil(value / 10**digits) * 10**digits)
