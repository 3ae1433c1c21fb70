"""The Monte Carlo model of DESIGN.md, in numpy only.

Every sum over months is taken in closed form per sample (prefix sums of the discount
factors, a geometric series for market erosion), so the work is a few vector operations per
lever whatever the horizon. Samples are processed in chunks: memory stays bounded and, since
each input draws from its own stream one chunk after another, the numbers do not depend on
the chunk size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from inaction_cli.correlation import groups, iman_conover, matrix
from inaction_cli.distributions import FloatArray, Values, sample, stream
from inaction_cli.result import Summary
from inaction_cli.scenario import Input, LeverPlan, Scenario

CHUNK_SAMPLES = 1 << 18
"""Samples per chunk: large enough for numpy to be efficient, small enough for the cache."""


@dataclass(frozen=True)
class LeverOutcome:
    """One lever's value: per year at full effect, and over the horizon (discounted)."""

    id: str
    annual: Summary
    horizon: Summary


@dataclass(frozen=True)
class Outcome:
    """Everything a run computed, as statistics."""

    levers: tuple[LeverOutcome, ...]
    annual: Summary
    gross: Summary
    market_share: Summary
    adoption_cost: Summary
    net: Summary
    cost_of_delay_per_month: Summary
    probability_net_positive: float
    net_mean_standard_error: float = 0.0
    """Monte Carlo standard error of the net's mean: its standard deviation / √n."""
    net_median_standard_error: float = 0.0
    """Monte Carlo standard error of the net's P50, from the spread of batch medians."""
    clipped: dict[str, float] = field(default_factory=dict)
    """Input path → share of its samples clipped to the input's bounds (normal90 tails)."""
    net_samples: FloatArray = field(default_factory=lambda: np.zeros(0), compare=False, repr=False)
    """Every sample of the net, for the histogram and the sensitivity analysis."""


@dataclass(frozen=True)
class Timeline:
    """Months 1…H with their discount factors d(m) = (1 + r)^(−m/12) as prefix sums."""

    months: int
    monthly_factor: float
    discount_sum: FloatArray
    """discount_sum[k] = Σ_{m=1..k} d(m), with discount_sum[0] = 0."""
    weighted_sum: FloatArray
    """weighted_sum[k] = Σ_{m=1..k} m × d(m)."""

    @classmethod
    def build(cls, months: int, discount_rate: float) -> Timeline:
        """The timeline of a horizon and an annual discount rate."""
        month = np.arange(1, months + 1, dtype=np.float64)
        discount = (1.0 + discount_rate) ** (-month / 12.0)
        zero = np.zeros(1)
        return cls(
            months=months,
            monthly_factor=(1.0 + discount_rate) ** (-1.0 / 12.0),
            discount_sum=np.concatenate([zero, np.cumsum(discount)]),
            weighted_sum=np.concatenate([zero, np.cumsum(month * discount)]),
        )

    def discount(self, month: int) -> float:
        """d(month), for any month, inside the horizon or not."""
        return float(self.monthly_factor**month)

    def ramp_sum(self, start: Values, time_to_value: Values) -> Values:
        """Σ_{m=1..H} clamp((m − start) / T, 0, 1) × d(m), per sample, without a month loop.

        Months up to `start` contribute nothing; months from b+1 to e ramp linearly, which
        the weighted prefix sums give at once; months after e count in full.
        """
        last = self.months
        ramp_from = np.clip(np.floor(start), 0, last).astype(np.intp)
        full_from = np.clip(np.ceil(np.add(start, time_to_value)) - 1, 0, last).astype(np.intp)
        full_from = np.maximum(full_from, ramp_from)  # T = 0: a step, no ramp
        s0, s1 = self.discount_sum, self.weighted_sum
        ramp = s1[full_from] - s1[ramp_from] - np.multiply(start, s0[full_from] - s0[ramp_from])
        ramp = np.divide(
            ramp,
            time_to_value,
            out=np.zeros(np.shape(ramp)),
            where=np.greater(time_to_value, 0),
        )
        return ramp + (s0[last] - s0[full_from])  # type: ignore[no-any-return]

    def erosion_sum(self, erosion: Values) -> Values:
        """Σ_{m=1..H} (1 − (1 − e)^(m/12)) × d(m), per sample: two geometric series."""
        months = self.months
        with np.errstate(divide="ignore"):  # e = 1 gives log 0 = −inf, and x = 0: exact
            log_ratio = np.log1p(-np.asarray(erosion, dtype=np.float64)) / 12.0 + np.log(
                self.monthly_factor
            )
        # Σ x^m for m = 1..H is x (x^H − 1) / (x − 1); expm1 keeps it exact near x = 1.
        denominator = np.expm1(log_ratio)
        eroded = np.divide(
            np.exp(log_ratio) * np.expm1(months * log_ratio),
            denominator,
            out=np.full(np.shape(log_ratio), float(months)),
            where=denominator != 0,
        )
        lost = self.discount_sum[months] - eroded
        return np.where(np.equal(erosion, 0), 0.0, lost)


def _clip(item: Input, draws: FloatArray) -> tuple[FloatArray, int]:
    """normal90 and lognormal90 have tails beyond any bound: clip them, and count."""
    if not item.value.distribution.unbounded:
        return draws, 0
    outside = int(np.count_nonzero((draws < item.lower) | (draws > item.upper)))
    if outside:
        draws = np.clip(draws, item.lower, item.upper)
    return draws, outside


def correlated_draws(scenario: Scenario, clipped: dict[str, float]) -> dict[str, FloatArray]:
    """All samples of every correlated input, reordered by Iman–Conover.

    Each input is drawn from its own stream, exactly as it would be alone; the scores that
    pair them come from a stream keyed by the group's paths, so inputs outside the group
    never move.
    """
    if not scenario.correlations:
        return {}
    samples, seed = scenario.settings.samples, scenario.settings.seed
    inputs = scenario.inputs()
    result: dict[str, FloatArray] = {}
    for group in groups(scenario.correlations):
        columns = []
        for path in group:
            item = inputs[path]
            draws, outside = _clip(
                item, np.asarray(sample(item.value, stream(seed, path), samples))
            )
            if outside:
                clipped[path] = outside / samples
            columns.append(draws)
        target = matrix(group, scenario.correlations)
        scores = stream(seed, "correlation:" + "|".join(group))
        result.update(zip(group, iman_conover(columns, target, scores), strict=True))
    return result


def draw_input(scenario: Scenario, path: str) -> FloatArray:
    """Every sample of one input, exactly as a run of the scenario draws it."""
    if any(path in (pair.first, pair.second) for pair in scenario.correlations):
        # Only a correlated input needs its group drawn and paired; the others stand alone.
        return correlated_draws(scenario, {})[path]
    item = scenario.inputs()[path]
    samples = scenario.settings.samples
    if item.value.is_point:
        return np.full(samples, item.value.low)
    draws, _ = _clip(
        item, np.asarray(sample(item.value, stream(scenario.settings.seed, path), samples))
    )
    return draws


class _Draws:
    """The samples of a set of inputs, chunk after chunk: drawn from their own streams, or
    sliced from the correlated inputs drawn in full beforehand."""

    def __init__(
        self,
        inputs: Iterable[Input],
        seed: int,
        clipped: dict[str, float],
        correlated: dict[str, FloatArray],
    ) -> None:
        self.inputs = {item.path: item for item in inputs}
        self.correlated = correlated
        self.streams = {
            path: stream(seed, path)
            for path, item in self.inputs.items()
            if not item.value.is_point and path not in correlated
        }
        self.clipped = clipped
        self.clipped_counts = dict.fromkeys(self.inputs, 0)
        self.drawn = 0

    def take(self, size: int) -> dict[str, Values]:
        values: dict[str, Values] = {}
        for path, item in self.inputs.items():
            if item.value.is_point:
                values[path] = item.value.low
            elif path in self.correlated:
                values[path] = self.correlated[path][self.drawn : self.drawn + size]
            else:
                draws = np.asarray(sample(item.value, self.streams[path], size))
                values[path], outside = _clip(item, draws)
                self.clipped_counts[path] += outside
        self.drawn += size
        return values

    def close(self) -> None:
        for path, count in self.clipped_counts.items():
            if count:
                self.clipped[path] = count / self.drawn


def _chunks(samples: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, samples, size):
        yield start, min(start + size, samples)


def summarise(values: Values, percentiles: tuple[float, ...]) -> Summary:
    """Mean and percentiles of one output: numpy's default (linear) percentiles, bit for bit,
    from one partition that also yields the minimum and maximum."""
    if isinstance(values, float):  # certain, and never made into an array
        return Summary(values, (values,) * len(percentiles))
    count = values.size
    # numpy's "linear" method: the virtual index (n − 1) q, between two order statistics.
    virtual = (count - 1) * np.true_divide(np.asarray(percentiles, dtype=np.float64), 100)
    below = np.floor(virtual)
    above = below + 1
    at_end = virtual >= count - 1
    below[at_end] = above[at_end] = count - 1
    lower, upper = below.astype(np.intp), above.astype(np.intp)
    # The order statistics to place, as a sorted list of distinct indices (a Python set: np.unique
    # would import numpy.ma, which costs the command line ten milliseconds).
    kth = sorted({0, count - 1, *lower.tolist(), *upper.tolist()})
    ordered = np.partition(values, kth)
    smallest, largest = float(ordered[0]), float(ordered[-1])
    if smallest == largest:  # a certain output: exact, with no rounding in the mean
        return Summary(smallest, (smallest,) * len(percentiles))
    weight = virtual - lower
    start, end = ordered[lower], ordered[upper]
    step = end - start
    # numpy's _lerp: from the nearer end, so that a weight of 1 gives the upper value exactly.
    found = start + step * weight
    np.subtract(end, step * (1 - weight), out=found, where=weight >= 0.5)
    return Summary(float(values.mean()), tuple(float(value) for value in found))


def median_standard_error(values: FloatArray, batches: int = 20) -> float:
    """Standard error of the median of `values`, from the medians of equal batches: the
    samples are independent, so the batches are too, and no density estimate is needed."""
    size = len(values) // batches
    if size < 1:
        return 0.0
    medians = row_medians(values[: size * batches].reshape(batches, size))
    return float(medians.std(ddof=1) / np.sqrt(batches))


def median(values: FloatArray) -> float:
    """np.median(values), bit for bit (see row_medians)."""
    return float(row_medians(values.reshape(1, -1))[0]) if values.size else 0.0


def row_medians(rows: FloatArray) -> FloatArray:
    """np.median(rows, axis=1), bit for bit, without the import of numpy.ma that np.median
    makes on its first call (ten milliseconds of every command line's start-up)."""
    half = rows.shape[1] // 2
    if rows.shape[1] % 2:
        return np.partition(rows, half, axis=1)[:, half]
    ordered = np.partition(rows, (half - 1, half), axis=1)
    return (ordered[:, half - 1] + ordered[:, half]) / 2


def simulate(scenario: Scenario, chunk_size: int = CHUNK_SAMPLES) -> Outcome:
    """Run the Monte Carlo model of a scenario."""
    run = _Run(scenario, chunk_size)
    samples, percentiles = run.samples, scenario.settings.percentiles
    annual_total = np.zeros(samples)
    gross_now = np.zeros(samples)
    gross_delay = np.zeros(samples)  # what the levers lose if they start one month later
    lever_outcomes = []
    for lever in scenario.levers:
        annual, horizon = run.lever(lever, gross_delay)
        annual_total += annual
        gross_now += horizon
        lever_outcomes.append(
            LeverOutcome(lever.id, summarise(annual, percentiles), summarise(horizon, percentiles))
        )
        del annual, horizon
    adoption_now, adoption_delay = run.adoption_cost()
    market_share = run.market_share()
    net = np.asarray(gross_now + market_share - adoption_now)
    # Market share does not depend on when adoption starts: it cancels in the cost of delay.
    cost_of_delay = gross_delay - adoption_delay
    return Outcome(
        levers=tuple(lever_outcomes),
        annual=summarise(annual_total, percentiles),
        gross=summarise(gross_now, percentiles),
        market_share=summarise(market_share, percentiles),
        adoption_cost=summarise(adoption_now, percentiles),
        net=summarise(net, percentiles),
        cost_of_delay_per_month=summarise(cost_of_delay, percentiles),
        probability_net_positive=float(np.count_nonzero(net > 0)) / samples,
        net_mean_standard_error=float(net.std(ddof=1) / np.sqrt(samples)),
        net_median_standard_error=median_standard_error(net),
        clipped=run.clipped,
        net_samples=net,
    )


def net_samples(scenario: Scenario, chunk_size: int = CHUNK_SAMPLES) -> FloatArray:
    """The net of every sample, equal to `simulate(scenario).net_samples` bit for bit, and
    nothing else: no summaries and no cost of delay, about half the work. The tornado runs
    this twice per input."""
    run = _Run(scenario, chunk_size)
    gross_now = np.zeros(run.samples)
    for lever in scenario.levers:
        _, horizon = run.lever(lever, None)
        gross_now += horizon
    adoption_now, _ = run.adoption_cost()
    return np.asarray(gross_now + run.market_share() - adoption_now)


class _Run:
    """The parts of one run of a scenario, each drawn from the inputs' own streams."""

    def __init__(self, scenario: Scenario, chunk_size: int) -> None:
        settings = scenario.settings
        self.scenario = scenario
        self.samples, self.seed = settings.samples, settings.seed
        self.chunk_size = chunk_size
        self.timeline = Timeline.build(settings.horizon_months, settings.discount_rate)
        self.clipped: dict[str, float] = {}
        self.correlated = correlated_draws(scenario, self.clipped)

    def lever(
        self, lever: LeverPlan, gross_delay: FloatArray | None
    ) -> tuple[FloatArray, FloatArray]:
        """A lever's annual value and its value over the horizon, per sample."""
        scenario = self.scenario
        draws = _Draws(
            (*lever.parts(), scenario.diagnostic_months),
            self.seed,
            self.clipped,
            self.correlated,
        )
        return _run_lever(
            lever,
            scenario.diagnostic_months,
            self.timeline,
            draws,
            self.samples,
            self.chunk_size,
            gross_delay,
        )

    def adoption_cost(self) -> tuple[Values, Values]:
        """cost(0), and cost(0) − cost(1): what adopting costs now, and what a month saves."""
        scenario, timeline = self.scenario, self.timeline
        months = timeline.months
        total = timeline.discount_sum[months]

        def adoption(x: dict[str, Values]) -> tuple[Values, ...]:
            setup: Values = 0.0
            if scenario.setup_cost:
                setup = 1.0
                for factor in scenario.setup_cost:
                    setup = setup * x[factor.path]
            run = 0.0 if scenario.annual_run_cost is None else x[scenario.annual_run_cost.path]
            # cost(s) = setup × d(s + 1) + Σ_{m = s+1..H} run / 12 × d(m), for s = 0 and s = 1
            now = setup * timeline.discount(1) + np.multiply(run, total) / 12
            later = (
                setup * timeline.discount(2)
                + np.multiply(run, total - timeline.discount_sum[min(1, months)]) / 12
            )
            return now, np.subtract(now, later)

        costs = list(scenario.setup_cost)
        if scenario.annual_run_cost is not None:
            costs.append(scenario.annual_run_cost)
        now, delay = self._per_sample(costs, adoption, 2)
        return now, delay

    def market_share(self) -> Values:
        """What inaction loses to competitors who adopt, per sample (0 without `market:`)."""
        market, timeline = self.scenario.market, self.timeline
        if market is None:
            return 0.0

        def erosion(x: dict[str, Values]) -> tuple[Values, ...]:
            monthly_margin = x[market.annual_revenue.path] * x[market.gross_margin.path] / 12
            return (monthly_margin * timeline.erosion_sum(x[market.erosion_per_year.path]),)

        inputs = [market.annual_revenue, market.gross_margin, market.erosion_per_year]
        (lost,) = self._per_sample(inputs, erosion, 1)
        return lost

    def _per_sample(
        self,
        inputs: list[Input],
        compute: Callable[[dict[str, Values]], tuple[Values, ...]],
        outputs: int,
    ) -> tuple[Values, ...]:
        return _per_sample(
            inputs,
            compute,
            outputs,
            self.seed,
            self.samples,
            self.chunk_size,
            self.clipped,
            self.correlated,
        )


def _per_sample(
    inputs: list[Input],
    compute: Callable[[dict[str, Values]], tuple[Values, ...]],
    outputs: int,
    seed: int,
    samples: int,
    chunk_size: int,
    clipped: dict[str, float],
    correlated: dict[str, FloatArray],
) -> tuple[Values, ...]:
    """`compute` over every sample, chunk by chunk; when every input is certain, once, and
    its outputs are plain floats (no arrays of one repeated value)."""
    if all(item.value.is_point for item in inputs):
        return tuple(float(value) for value in compute({i.path: i.value.low for i in inputs}))
    results = [np.empty(samples) for _ in range(outputs)]
    draws = _Draws(inputs, seed, clipped, correlated)
    for start, stop in _chunks(samples, chunk_size):
        for result, value in zip(results, compute(draws.take(stop - start)), strict=True):
            result[start:stop] = value
    draws.close()
    return tuple(results)


def _run_lever(
    lever: LeverPlan,
    diagnostic: Input,
    timeline: Timeline,
    draws: _Draws,
    samples: int,
    chunk_size: int,
    gross_delay: FloatArray | None,
) -> tuple[FloatArray, FloatArray]:
    """A lever's annual value and its value over the horizon; adds what a month's delay
    loses of it to `gross_delay`, unless that is None."""
    annual = np.empty(samples)
    horizon = np.empty(samples)
    for start, stop in _chunks(samples, chunk_size):
        x = draws.take(stop - start)
        value = lever.annual_value(x)
        monthly = np.divide(value, 12)
        start_now = np.add(x[diagnostic.path], x[lever.lag.path])
        time_to_value = x[lever.time_to_value.path]
        now = monthly * timeline.ramp_sum(start_now, time_to_value)
        annual[start:stop] = value
        horizon[start:stop] = now
        if gross_delay is not None:
            later = monthly * timeline.ramp_sum(np.add(start_now, 1), time_to_value)
            gross_delay[start:stop] += now - later
    draws.close()
    return annual, horizon
