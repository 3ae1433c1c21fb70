"""The Monte Carlo model of DESIGN.md, in numpy only.

Every sum over months is taken in closed form per sample (prefix sums of the discount
factors, a geometric series for market erosion), so the work is a few vector operations per
lever whatever the horizon. Samples are processed in chunks: memory stays bounded and, since
each input draws from its own stream one chunk after another, the numbers do not depend on
the chunk size.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from inaction_cli import parallel, progress
from inaction_cli.correlation import groups, iman_conover, matrix
from inaction_cli.distributions import FloatArray, Uncertain, Values, sample, stream
from inaction_cli.result import MEDIAN, DelayOutcome, Payback, Summary, YearFlow
from inaction_cli.scenario import SUCCESS, CostItem, Input, LeverPlan, Scenario
from inaction_cli.selection import order_statistics

CHUNK_SAMPLES = 1 << 16
"""Samples per chunk: large enough for numpy to be efficient, small enough for the cache."""


@dataclass(frozen=True)
class Timeline:
    """Months 1…H with their discount factors d(m) = (1 + r)^(−m/12) as prefix sums."""

    months: int
    monthly_factor: float
    factors: FloatArray
    """factors[m] = d(m) for m = 1…H (factors[0] = 1, unused)."""
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
            factors=np.concatenate([np.ones(1), discount]),
            discount_sum=np.concatenate([zero, np.cumsum(discount)]),
            weighted_sum=np.concatenate([zero, np.cumsum(month * discount)]),
        )

    def cost_weight(self, item: CostItem, delay: int, last: int) -> float:
        """Σ d(m) over the months a cost item is paid in: adoption months first…last, model
        months delay + first…, none after `last` (the horizon, or a failed pilot's end)."""
        first = delay + item.first
        end = min(last, delay + (self.months if item.last is None else item.last))
        if first > end:
            return 0.0
        return float(self.discount_sum[end] - self.discount_sum[first - 1])

    def ramp_sum(self, start: Values, time_to_value: Values, last: int | None = None) -> Values:
        """Σ_{m=1..last} clamp((m − start) / T, 0, 1) × d(m), per sample, without a month
        loop (`last`: the horizon unless given).

        Months up to `start` contribute nothing; months from b+1 to e ramp linearly, which
        the weighted prefix sums give at once; months after e count in full.
        """
        last = self.months if last is None else last
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

    def erosion_sum(self, erosion: Values, last: int | None = None) -> Values:
        """Σ_{m=1..last} (1 − (1 − e)^(m/12)) × d(m), per sample: two geometric series."""
        months = self.months if last is None else last
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

        def drawn(path: str) -> Callable[[], FloatArray]:
            def draw() -> FloatArray:
                item = inputs[path]
                draws, outside = _clip(
                    item, np.asarray(sample(item.value, stream(seed, path), samples))
                )
                if outside:
                    clipped[path] = outside / samples
                return draws

            return draw

        target = matrix(group, scenario.correlations)
        scores = stream(seed, "correlation:" + "|".join(group))
        paired = iman_conover([drawn(path) for path in group], target, scores, samples)
        result.update(zip(group, paired, strict=True))
    return result


def draw_input(scenario: Scenario, path: str) -> FloatArray:
    """Every sample of one input, exactly as a run of the scenario draws it; for `risk.success`,
    the success S itself (1 or 0)."""
    if path == SUCCESS:
        samples, seed = scenario.settings.samples, scenario.settings.seed
        if scenario.risk.certain_success:
            return np.ones(samples)
        draws = np.asarray(sample(SUCCESS_DRAW.value, stream(seed, SUCCESS), samples))
        probability = draw_input(scenario, scenario.risk.success_probability.path)
        success: FloatArray = np.less(draws, probability).astype(np.float64)
        return success
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
    from the order statistics around them (`selection`) and the minimum and maximum."""
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
    smallest, largest = float(values.min()), float(values.max())
    if smallest == largest:  # a certain output: exact, with no rounding in the mean
        return Summary(smallest, (smallest,) * len(percentiles))
    mean = float(values.mean())
    # The order statistics to place, as a sorted list of distinct inner indices (a Python set:
    # np.unique would import numpy.ma, which costs the command line ten milliseconds). The two
    # ends come from min and max: asked of the partition, they make it several times slower.
    kth = sorted({*lower.tolist(), *upper.tolist()} - {0, count - 1})
    placed = {0: smallest, count - 1: largest, **order_statistics(values, kth)}
    start = np.array([placed[index] for index in lower.tolist()])
    end = np.array([placed[index] for index in upper.tolist()])
    weight = virtual - lower
    step = end - start
    # numpy's _lerp: from the nearer end, so that a weight of 1 gives the upper value exactly.
    found = start + step * weight
    np.subtract(end, step * (1 - weight), out=found, where=weight >= 0.5)
    return Summary(mean, tuple(float(value) for value in found))


def median_standard_error(values: FloatArray, batches: int = 20) -> float:
    """Standard error of the median of `values`, from the medians of equal batches: the
    samples are independent, so the batches are too, and no density estimate is needed."""
    size = len(values) // batches
    if size < 1:
        return 0.0
    medians = row_medians(values[: size * batches].reshape(batches, size))
    return float(medians.std(ddof=1) / np.sqrt(batches))


def median(values: FloatArray) -> float:
    """np.median(values), bit for bit (the mean of the two middle values as row_medians takes
    it), from `order_statistics`; 0 for no values."""
    count = values.size
    if not count:
        return 0.0
    half = count // 2
    if count % 2:
        return order_statistics(values, [half])[half]
    middle = order_statistics(values, [half - 1, half])
    return float((np.float64(middle[half - 1]) + np.float64(middle[half])) / 2)


def row_medians(rows: FloatArray) -> FloatArray:
    """np.median(rows, axis=1), bit for bit, without the import of numpy.ma that np.median
    makes on its first call (ten milliseconds of every command line's start-up)."""
    half = rows.shape[1] // 2
    if rows.shape[1] % 2:
        return np.partition(rows, half, axis=1)[:, half]
    ordered = np.partition(rows, (half - 1, half), axis=1)
    return (ordered[:, half - 1] + ordered[:, half]) / 2


# --- what one run reports -------------------------------------------------------------------


@dataclass(frozen=True)
class LeverOutcome:
    """One lever's figures: its value per year and over the horizon, and its priority."""

    id: str
    annual: Summary
    horizon: Summary
    cost_of_delay_per_month: Summary
    """What a month's delay loses of this lever (Reinertsen's cost of delay)."""
    months_to_full_effect: Summary
    """D + L + T: the diagnostic, the lag and the ramp."""
    cd3: Summary
    """Cost of delay divided by duration: which lever first."""
    cd3_median: float = 0.0
    """The P50 of the CD3, whatever the percentiles asked for: levers are ranked by it."""
    capped: float = 0.0
    """Share of the samples in which the lever's cap binds (retention past 100 %)."""


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
    claimed_net: Summary
    """The net with S = 1, ρ = 1 and Ω = 1, on the same samples: as the article claims."""
    claimed_probability_net_positive: float
    failure_probability: float
    """Share of the samples whose pilot fails."""
    failed_pilot_cost: Summary
    """C_f: the discounted cost of the failing branch, for every sample whatever its S."""
    success_net_mean: float
    """E[N_s]: the mean net of the succeeding branch, for every sample whatever its S."""
    roi: Summary | None
    """(B − C) / C per sample; None when some sample has no cost."""
    payback: Payback | None
    """None when the scenario has no cost."""
    cash_flow: tuple[YearFlow, ...]
    timeline: tuple[Summary, ...]
    """The cumulative discounted net at the end of each month 1…H."""
    delays: tuple[DelayOutcome, ...]
    headline: Headline = field(compare=False, repr=False)
    """What a batch row shows of the run: the same figures as the fields here (`headline`)."""
    net_mean_standard_error: float = 0.0
    """Monte Carlo standard error of the net's mean: its standard deviation / √n."""
    net_median_standard_error: float = 0.0
    """Monte Carlo standard error of the net's P50, from the spread of batch medians."""
    clipped: dict[str, float] = field(default_factory=dict)
    """Input path → share of its samples clipped to the input's bounds (normal90 tails)."""
    net_samples: FloatArray = field(default_factory=lambda: np.zeros(0), compare=False, repr=False)
    """Every sample of the net, for the histogram, the tornado and the value of information."""
    claimed_samples: FloatArray | None = field(default=None, compare=False, repr=False)
    """Every sample of the net as claimed, when the run was asked to keep it (the report)."""
    draws: dict[str, FloatArray] = field(default_factory=dict, compare=False, repr=False)
    """Every sample of each uncertain input (and of S), kept when memory allows, so that the
    value of information need not draw them again."""


# --- the model on one chunk of samples ------------------------------------------------------


class _Lever:
    """One lever on a chunk: V, where its ramp starts, how long it takes, what is realised."""

    def __init__(self, plan: LeverPlan, x: dict[str, Values], diagnostic: Values) -> None:
        self.value = plan.annual_value(x)
        self.start = np.add(diagnostic, x[plan.lag.path])
        self.ramp = x[plan.time_to_value.path]
        self.realisation = x[plan.realisation.path]
        self.capped = None if plan.capped is None else plan.capped(x)


class _Chunk:
    """The model of DESIGN.md on one chunk of samples: each per-sample figure on demand."""

    def __init__(self, run: _Run, x: dict[str, Values], size: int) -> None:
        scenario, timeline = run.scenario, run.timeline
        self.run, self.size, self.timeline, self.x = run, size, timeline, x
        self.success = run.success(x)
        self.overrun = x[scenario.risk.cost_overrun.path]
        self.diagnostic = x[scenario.diagnostic_months.path]
        self.levers = [_Lever(plan, x, self.diagnostic) for plan in scenario.levers]
        self.amounts = [_amount(item, x) for item in scenario.costs]
        self.market_monthly: Values = 0.0
        self.erosion: Values = 0.0
        if scenario.market is not None:
            market = scenario.market
            self.market_monthly = x[market.annual_revenue.path] * x[market.gross_margin.path] / 12
            self.erosion = x[market.erosion_per_year.path]
        self._memo: dict[str, Values] = {}

    def held(self, path: str, value: float) -> _Chunk:
        """The same chunk with one input held at a value: a new chunk that keeps every figure
        already computed that does not read the input (a lever the input is not part of, the
        market, the costs), so that it recomputes only what does. Its figures equal those of
        a run of the scenario with that input fixed, bit for bit."""
        x = dict(self.x)
        x[path] = value
        other = _Chunk(self.run, x, self.size)
        other._memo = {
            name: figure
            for name, figure in self._memo.items()
            if (reads := self._reads(name)) is not None and path not in reads
        }
        return other

    def _reads(self, name: str) -> frozenset[str] | None:
        """The inputs a figure reads, for the figures `held` keeps (None: any input)."""
        kind, _, rest = name.partition(":")
        scenario = self.run.scenario
        success = frozenset((SUCCESS, scenario.risk.success_probability.path))
        if kind in ("realised", "ramp", "horizon"):
            plan = scenario.levers[int(rest.partition(",")[0])]
            value = {item.path for item in (*plan.inputs, plan.uplift, plan.realisation)}
            timing = {scenario.diagnostic_months.path, plan.lag.path, plan.time_to_value.path}
            reads = {"realised": value | success, "ramp": timing}.get(
                kind, value | timing | success
            )
            return frozenset(reads)
        if kind in ("market_value", "market") and scenario.market is not None:
            paths = frozenset(item.path for item in scenario.market.parts())
            return paths | success if kind == "market" else paths
        if kind in ("success_cost", "failure_cost", "cost"):
            costs = {item.path for cost in scenario.costs for item in cost.amount}
            costs.add(scenario.risk.cost_overrun.path)
            return frozenset(costs) | (success if kind == "cost" else frozenset())
        return None

    def get(self, name: str) -> Values:
        """A per-sample figure of the chunk by name, computed once."""
        if name not in self._memo:
            self._memo[name] = self._compute(name)
        return self._memo[name]

    def _compute(self, name: str) -> Values:
        kind, _, rest = name.partition(":")
        timeline, success = self.timeline, self.success
        if kind == "realised":  # S ρ V: each lever's realised annual value
            lever = self.levers[int(rest)]
            return np.multiply(success, lever.realisation) * lever.value
        if kind == "ramp":  # Σ_m f(m; s) d(m), rest = "lever,s"
            index, delay = map(int, rest.split(","))
            lever = self.levers[index]
            return timeline.ramp_sum(np.add(lever.start, delay), lever.ramp)
        if kind == "horizon":  # a lever's term of the gross, at s = 0
            return np.divide(self.get(f"realised:{rest}"), 12) * self.get(f"ramp:{rest},0")
        if kind == "lever_delay":  # CoD_l = S ρ V / 12 × (R(0) − R(1))
            now, later = self.get(f"ramp:{rest},0"), self.get(f"ramp:{rest},1")
            return np.divide(self.get(f"realised:{rest}"), 12) * np.subtract(now, later)
        if kind == "lever_months":  # D + L + T
            lever = self.levers[int(rest)]
            return np.add(lever.start, lever.ramp)
        if kind == "lever_cd3":
            months = np.maximum(self.get(f"lever_months:{rest}"), 1.0)
            return np.divide(self.get(f"lever_delay:{rest}"), months)
        if kind == "annual":
            return self._sum(f"realised:{index}" for index in range(len(self.levers)))
        if kind == "gross":
            return self._sum(f"horizon:{index}" for index in range(len(self.levers)))
        if kind == "market_value":  # A g / 12 × Σ_m (1 − (1 − e)^(m/12)) d(m), whatever S
            if self.run.scenario.market is None:
                return 0.0
            return self.market_monthly * timeline.erosion_sum(self.erosion)
        if kind == "market":
            return np.multiply(success, self.get("market_value"))
        if kind == "cost":  # what adopting costs, rest = s: the branch each sample is on
            delay = int(rest)
            now_success = self.get(f"success_cost:{delay}")
            if isinstance(success, float):
                return now_success
            return np.where(success > 0, now_success, self.get(f"failure_cost:{delay}"))
        if kind == "success_cost":
            return self._cost(int(rest), self.timeline.months)
        if kind == "failure_cost":
            delay = int(rest)
            pilot = self.run.scenario.risk.pilot_months
            return self._cost(delay, min(self.timeline.months, delay + pilot))
        if kind == "net_at":  # net(s) = S × (Σ_l ρ V / 12 R(s) + market) − cost(s)
            delay = int(rest)
            if delay == 0:
                return self.get("net")
            benefit = self._sum(
                f"realised_ramp:{index},{delay}" for index in range(len(self.levers))
            )
            return benefit + self.get("market") - self.get(f"cost:{delay}")
        if kind == "realised_ramp":
            lever_index = rest.partition(",")[0]
            return np.divide(self.get(f"realised:{lever_index}"), 12) * self.get(f"ramp:{rest}")
        if kind == "net":
            return self.get("gross") + self.get("market") - self.get("cost:0")
        if kind == "delay":  # net(0) − net(1): the cost of each month of delay
            levers = self._sum(f"lever_delay:{index}" for index in range(len(self.levers)))
            return levers - np.subtract(self.get("cost:0"), self.get("cost:1"))
        if kind == "waiting":  # net(0) − net(s)
            return np.subtract(self.get("net"), self.get(f"net_at:{rest}"))
        if kind == "claimed":  # S = 1, ρ = 1, Ω = 1
            benefit = self._sum(f"claimed_horizon:{index}" for index in range(len(self.levers)))
            return benefit + self.get("market_value") - self._cost(0, timeline.months, 1.0)
        if kind == "claimed_horizon":
            lever = self.levers[int(rest)]
            return np.divide(lever.value, 12) * self.get(f"ramp:{rest},0")
        if kind == "success_net":  # N_s: the succeeding branch, with ρ and Ω as drawn
            benefit = self._sum(f"success_horizon:{index}" for index in range(len(self.levers)))
            return benefit + self.get("market_value") - self.get("success_cost:0")
        if kind == "success_horizon":
            lever = self.levers[int(rest)]
            realised = np.multiply(lever.realisation, lever.value)
            return np.divide(realised, 12) * self.get(f"ramp:{rest},0")
        if kind == "roi":  # (B − C) / C
            return np.divide(self.get("net"), self.get("cost:0"))
        raise KeyError(name)  # pragma: no cover - every name the planner asks for is above

    def _sum(self, names: Iterable[str]) -> Values:
        total: Values = 0.0
        for name in names:
            total = total + self.get(name)
        return total

    def _cost(self, delay: int, last: int, overrun: Values | None = None) -> Values:
        """Ω × Σ items: each amount times its discount weight, for a start delay and the last
        month paid (the horizon, or the end of a failed pilot)."""
        total: Values = 0.0
        for item, amount in zip(self.run.scenario.costs, self.amounts, strict=True):
            weight = self.timeline.cost_weight(item, delay, last)
            if weight:
                total = total + np.multiply(amount, weight)
        return np.multiply(self.overrun if overrun is None else overrun, total)

    # --- the month loop: payback, cash flow by year, timeline ---------------------------

    def months(self, first: int, last: int) -> Iterator[tuple[int, Values, Values, Values]]:
        """Month by month from `first` to `last`: (m, benefits, costs, cumulative discounted
        net), the cumulative net taken in closed form up to `first − 1`."""
        timeline, success = self.timeline, self.success
        scenario = self.run.scenario
        pilot = scenario.risk.pilot_months
        cumulative = self.cumulative(first - 1)
        ramps = [
            _Ramp(np.divide(self.get(f"realised:{index}"), 12), lever.start, lever.ramp)
            for index, lever in enumerate(self.levers)
        ]
        market: Values = 0.0
        log_ratio: Values = 0.0
        if scenario.market is not None:
            market = np.multiply(success, self.market_monthly)
            with np.errstate(divide="ignore"):  # e = 1: log 0 = −inf, and 1 − 0 = 1 exactly
                log_ratio = np.log1p(-np.asarray(self.erosion, dtype=np.float64)) / 12
        costs: dict[tuple[tuple[int, ...], bool], Values] = {}
        for month in range(first, last + 1):
            benefit: Values = 0.0
            for ramp in ramps:
                benefit = ramp.add_to(benefit, month)
            if scenario.market is not None:
                eroded = -np.expm1(month * np.asarray(log_ratio))
                benefit = benefit + market * eroded
            active = tuple(
                index
                for index, item in enumerate(scenario.costs)
                if item.first <= month <= (timeline.months if item.last is None else item.last)
            )
            key = (active, month > pilot)
            if key not in costs:
                total: Values = 0.0
                for index in active:
                    total = total + self.amounts[index]
                cost = np.multiply(self.overrun, total)
                if month > pilot:  # a failed pilot has stopped: only succeeding samples pay
                    cost = np.multiply(cost, success)
                costs[key] = cost
            cost = costs[key]
            cumulative = cumulative + (benefit - cost) * timeline.factors[month]
            yield month, benefit, cost, cumulative

    def cumulative(self, month: int) -> Values:
        """Σ_{k ≤ month} (b_k − c_k) d(k), in closed form (0 before month 1)."""
        if month <= 0:
            return 0.0
        timeline, success = self.timeline, self.success
        benefit: Values = 0.0
        for index, lever in enumerate(self.levers):
            ramp = timeline.ramp_sum(lever.start, lever.ramp, last=month)
            benefit = benefit + np.divide(self.get(f"realised:{index}"), 12) * ramp
        if self.run.scenario.market is not None:
            eroded = timeline.erosion_sum(self.erosion, last=month)
            benefit = benefit + np.multiply(success, self.market_monthly) * eroded
        pilot = self.run.scenario.risk.pilot_months
        cost = self._cost(0, month)
        if not isinstance(success, float):
            cost = np.where(success > 0, cost, self._cost(0, min(month, pilot)))
        return benefit - cost


def _amount(item: CostItem, x: dict[str, Values]) -> Values:
    """A cost item's amount per payment: the product of its factors (a yearly amount in
    twelfths)."""
    amount: Values = 1.0
    for factor in item.amount:
        amount = amount * x[factor.path]
    return np.divide(amount, 12) if item.per_year else amount


class _Ramp:
    """A lever's monthly value and its ramp f(m) = clamp((m − start) / T, 0, 1) on a chunk;
    T = 0 is a step, 1 once m > start."""

    def __init__(self, monthly: Values, start: Values, ramp: Values) -> None:
        self.monthly = monthly
        self.start = np.asarray(start, dtype=np.float64)
        with np.errstate(divide="ignore"):
            # A step is a ramp so steep that any month past its start is past its end.
            self.inverse = np.where(np.greater(ramp, 0), np.divide(1.0, ramp), 1e300)
        # Before `rising`, f = 0 in every sample; from `full` on, f = 1 in every sample.
        self.rising = int(np.floor(self.start.min()))
        self.full = int(np.floor(np.max(np.add(start, ramp)))) + 1

    def add_to(self, benefit: Values, month: int) -> Values:
        """benefit + the lever's value in `month`."""
        if month <= self.rising:
            return benefit
        if month >= self.full:
            return benefit + self.monthly
        with np.errstate(over="ignore"):  # a step's slope overflows to ±inf: clipped to 0 or 1
            share = np.clip(np.multiply(np.subtract(month, self.start), self.inverse), 0.0, 1.0)
        total: Values = benefit + np.multiply(self.monthly, share)
        return total


# --- running the model: passes over the samples ---------------------------------------------

KEEP_BUDGET = 64 * 1024 * 1024
"""Bytes of input draws kept whole after a run (for the value of information): beyond, the
inputs are drawn again, one at a time."""
OUTPUT_BUDGET = 704 * 1024 * 1024
"""Bytes of whole per-sample arrays a run holds at once: the net (kept for the analyses), the
correlated inputs (drawn whole, to be paired), and the outputs of a pass. A run with more
outputs than fit (ten million samples) goes over its samples again, drawing them anew from the
same streams, for the rest: the same numbers, in bounded memory."""


@dataclass(frozen=True)
class _Output:
    """One per-sample figure the run summarises: a figure of the chunk, or of the month loop."""

    name: str
    month: int = 0
    """The last month the month loop must reach for it (0: it needs no month loop)."""
    from_first: bool = False
    """It accumulates from month 1 (payback, cash flow), so its loop cannot start later."""


@dataclass(frozen=True)
class Headline:
    """What a batch row shows of a run, and what its warnings need: the net, the run-rate and
    the cost of delay, ROI, payback and the break-even's two means, the capped and clipped
    shares, and the net's samples and standard errors (its precision). A full run computes the
    same figures, bit for bit (`Outcome.headline`)."""

    net: Summary
    annual: Summary
    cost_of_delay_per_month: Summary
    probability_net_positive: float
    failed_pilot_cost: Summary
    """C_f: the discounted cost of the failing branch, for every sample whatever its S."""
    success_net_mean: float
    """E[N_s]: the mean net of the succeeding branch, for every sample whatever its S."""
    roi: Summary | None
    """(B − C) / C per sample; None when some sample has no cost."""
    payback: Payback | None
    """None when the scenario has no cost."""
    capped: tuple[float, ...]
    """Per lever, the share of the samples in which its cap binds."""
    clipped: dict[str, float]
    """Input path → share of its samples clipped to the input's bounds (normal90 tails)."""
    net_mean_standard_error: float
    net_median_standard_error: float
    net_samples: FloatArray = field(compare=False, repr=False)


def _headline_outputs(scenario: Scenario) -> list[_Output]:
    """The outputs a Headline summarises: the first of every run."""
    has_cost = scenario.has_cost
    outputs = [
        _Output(name)
        for name in (
            "net",
            "annual",
            "delay",
            "success_net",
            "failure_cost:0",
            *(["roi"] if has_cost else []),
        )
    ]
    if has_cost:
        outputs.append(_Output("payback", scenario.settings.horizon_months, from_first=True))
    return outputs


def _headline(run: _Run, summaries: dict[str, Summary | Payback], net: FloatArray) -> Headline:
    """The Headline of a run from its summaries: one function for `simulate` and `headline`."""
    samples = run.samples

    def stats(name: str) -> Summary:
        return summaries[name]  # type: ignore[return-value]

    payback = summaries.get("payback")
    return Headline(
        net=stats("net"),
        annual=stats("annual"),
        cost_of_delay_per_month=stats("delay"),
        probability_net_positive=run.positive["net"] / samples,
        failed_pilot_cost=stats("failure_cost:0"),
        success_net_mean=stats("success_net").mean,
        roi=stats("roi") if run.scenario.has_cost and run.roi_defined else None,
        payback=payback if isinstance(payback, Payback) else None,
        capped=tuple(count / samples for count in run.capped),
        clipped=run.clipped,
        net_mean_standard_error=float(net.std(ddof=1) / np.sqrt(samples)),
        net_median_standard_error=median_standard_error(net),
        net_samples=net,
    )


def headline(scenario: Scenario, chunk_size: int = CHUNK_SAMPLES) -> Headline:
    """Run the model of a scenario for a batch row's figures only: `simulate(scenario).headline`
    bit for bit (the same draws, the same summaries), without the time line, the cash flow,
    the delays, the levers' figures or the claimed net."""
    run = _Run(scenario, chunk_size)
    run.keep = []  # the draws are kept for the value of information, which a row lacks
    summaries, net = run.summarised(_headline_outputs(scenario))
    return _headline(run, summaries, net)


def simulate(
    scenario: Scenario, chunk_size: int = CHUNK_SAMPLES, *, keep_claimed: bool = False
) -> Outcome:
    """Run the Monte Carlo model of a scenario: every figure of DESIGN.md (and, with
    `keep_claimed`, every sample of the net as claimed, for the report's distribution)."""
    run = _Run(scenario, chunk_size)
    run.keep_claimed = keep_claimed
    settings = scenario.settings
    months = settings.horizon_months
    levers = range(len(scenario.levers))
    delays = [delay for delay in settings.delays if 0 < delay < months]
    # The headline's outputs first (a batch row computes those alone), then the rest.
    outputs = _headline_outputs(scenario) + [
        _Output(name)
        for name in (
            "gross",
            "market",
            "cost:0",
            "claimed",
            *(
                f"{kind}:{index}"
                for index in levers
                for kind in ("realised", "horizon", "lever_delay", "lever_months", "lever_cd3")
            ),
            *(f"{kind}:{delay}" for delay in delays for kind in ("net_at", "waiting")),
        )
    ]
    years = (months + 11) // 12
    outputs += [
        _Output(f"year_{kind}:{year}", months, from_first=True)
        for year in range(1, years + 1)
        for kind in ("benefits", "costs", "net")
    ]
    outputs += [_Output(f"month:{month}", month) for month in range(1, months + 1)]
    summaries, net = run.summarised(outputs)
    top = _headline(run, summaries, net)
    percentiles = settings.percentiles

    def stats(name: str) -> Summary:
        return summaries[name]  # type: ignore[return-value]

    samples = settings.samples
    return Outcome(
        levers=tuple(
            LeverOutcome(
                id=plan.id,
                annual=stats(f"realised:{index}"),
                horizon=stats(f"horizon:{index}"),
                cost_of_delay_per_month=stats(f"lever_delay:{index}"),
                months_to_full_effect=stats(f"lever_months:{index}"),
                cd3=stats(f"lever_cd3:{index}"),
                cd3_median=run.medians[f"lever_cd3:{index}"],
                capped=top.capped[index],
            )
            for index, plan in enumerate(scenario.levers)
        ),
        annual=top.annual,
        gross=stats("gross"),
        market_share=stats("market"),
        adoption_cost=stats("cost:0"),
        net=top.net,
        cost_of_delay_per_month=top.cost_of_delay_per_month,
        probability_net_positive=top.probability_net_positive,
        claimed_net=stats("claimed"),
        claimed_probability_net_positive=run.positive["claimed"] / samples,
        failure_probability=run.failures / samples,
        failed_pilot_cost=top.failed_pilot_cost,
        success_net_mean=top.success_net_mean,
        roi=top.roi,
        payback=top.payback,
        cash_flow=tuple(
            YearFlow(
                year,
                min(12 * year, months) - 12 * (year - 1),
                stats(f"year_benefits:{year}"),
                stats(f"year_costs:{year}"),
                stats(f"year_net:{year}"),
            )
            for year in range(1, years + 1)
        ),
        timeline=tuple(stats(f"month:{month}") for month in range(1, months + 1)),
        delays=tuple(
            DelayOutcome(0, stats("net"), Summary(0.0, (0.0,) * len(percentiles)))
            if delay == 0
            else DelayOutcome(delay, stats(f"net_at:{delay}"), stats(f"waiting:{delay}"))
            for delay in (0, *delays)
            if delay or 0 in settings.delays
        ),
        net_mean_standard_error=top.net_mean_standard_error,
        net_median_standard_error=top.net_median_standard_error,
        clipped=top.clipped,
        net_samples=net,
        claimed_samples=run.claimed,
        # The correlated inputs are held whole for the run anyway: handing them on spares the
        # value of information a second Iman–Conover of their group.
        draws={**run.correlated, **run.kept},
        headline=top,
    )


def net_samples(scenario: Scenario, chunk_size: int = CHUNK_SAMPLES) -> FloatArray:
    """The net of every sample, equal to `simulate(scenario).net_samples` bit for bit, and
    nothing else. The tornado runs this twice per input."""
    progress.expect(scenario.settings.samples)
    return _Run(scenario, chunk_size).arrays([_Output("net")])["net"]


HELD_BUDGET = 256 * 1024 * 1024
"""Bytes of held nets (one array of every sample per held value) a tornado keeps at once."""


def held_medians(
    scenario: Scenario, holds: Sequence[tuple[str, float]], chunk_size: int = CHUNK_SAMPLES
) -> list[float]:
    """The net P50 with each (input, value) of `holds` held and every other draw as the run
    draws it: `median(net_samples(scenario.with_fixed(path, value)))`, bit for bit, for
    inputs outside any correlation. Each chunk is drawn once for all the holds, and a hold
    recomputes only the terms of the net that read its input, so the cost grows linearly
    with the number of inputs; the holds go in passes that fit HELD_BUDGET."""
    if not holds:
        return []
    run = _Run(scenario, chunk_size)
    samples = run.samples
    per_pass = max(1, HELD_BUDGET // (8 * samples))
    found: list[float] = []
    for first in range(0, len(holds), per_pass):
        group = holds[first : first + per_pass]
        nets = np.empty((len(group), samples))
        progress.expect(samples * len(group))
        draws = _Draws(run.inputs, run.seed, run.clipped, run.correlated)

        fill = functools.partial(_held_nets, group=group, nets=nets)
        # Drawn in order on this thread, computed on threads (as `arrays` does).
        size = max(1, chunk_size // parallel.WORKERS) if parallel.threaded(samples) else chunk_size
        chunks = (
            (_Chunk(run, draws.take(stop - start), stop - start), start, stop)
            for start, stop in _chunks(samples, size)
        )
        for _, start, stop in parallel.streamed(fill, chunks, samples):
            progress.advance((stop - start) * len(group))
        found += parallel.mapped(median, list(nets), samples)
    return found


def _held_nets(
    chunk: _Chunk, start: int, stop: int, *, group: Sequence[tuple[str, float]], nets: FloatArray
) -> _Chunk:
    """The net of one chunk with each (input, value) of `group` held, into its rows of `nets`."""
    chunk.get("net")
    for row, (path, value) in enumerate(group):
        nets[row, start:stop] = chunk.held(path, value).get("net")
    return chunk


class _Run:
    """One run of a scenario: its draws, chunk after chunk, in as many passes as memory needs."""

    def __init__(self, scenario: Scenario, chunk_size: int) -> None:
        settings = scenario.settings
        self.scenario = scenario
        self.samples, self.seed = settings.samples, settings.seed
        self.chunk_size = chunk_size
        self.timeline = Timeline.build(settings.horizon_months, settings.discount_rate)
        self.clipped: dict[str, float] = {}
        self.correlated = correlated_draws(scenario, self.clipped)
        self.inputs = list(scenario.inputs().values())
        self.success_probability = scenario.risk.success_probability.path
        if not scenario.risk.certain_success:
            self.inputs.append(SUCCESS_DRAW)
        self.failures = 0
        self.capped = [0] * len(scenario.levers)
        self.positive: dict[str, int] = {}
        self.medians: dict[str, float] = {}
        self.roi_defined = True
        # The draws of each uncertain input, kept whole from the first pass when they fit.
        self.keep = [
            item.path
            for item in self.inputs
            if not item.value.is_point and item.path not in self.correlated
        ]
        if scenario.risk.certain_success or 8 * self.samples * len(self.keep) > KEEP_BUDGET:
            self.keep = []
        self.kept: dict[str, FloatArray] = {}
        self.keep_claimed = False
        self.claimed: FloatArray | None = None

    def success(self, x: dict[str, Values]) -> Values:
        """S per sample: 1 when the success draw is below p (1.0 when every pilot succeeds)."""
        if self.scenario.risk.certain_success:
            return 1.0
        return np.less(x[SUCCESS], x[self.success_probability]).astype(np.float64)

    def summarised(self, outputs: list[_Output]) -> tuple[dict[str, Summary | Payback], FloatArray]:
        """Every output summarised, pass after pass; and the net of every sample."""
        whole = 8 * max(self.samples, 1)
        resident = whole * (1 + len(self.correlated))  # the net, the correlated inputs
        capacity = max(2, (OUTPUT_BUDGET - resident) // whole)
        summaries: dict[str, Summary | Payback] = {}
        net = np.zeros(0)
        percentiles = self.scenario.settings.percentiles
        progress.expect(self.samples * -(-len(outputs) // capacity))  # samples × passes
        for index in range(0, len(outputs), capacity):
            arrays = self.arrays(outputs[index : index + capacity], first_pass=index == 0)
            # What reads the arrays as drawn, before their summaries reorder them in place.
            for name in ("net", "claimed"):
                if name in arrays:
                    self.positive[name] = int(np.count_nonzero(arrays[name] > 0))
            net = arrays.get("net", net)
            if "claimed" in arrays and self.keep_claimed:
                self.claimed = arrays["claimed"].copy()

            def summary(
                item: tuple[str, FloatArray],
            ) -> tuple[str, Summary | Payback | None, float | None]:
                name, values = item
                if name == "payback":
                    return name, _payback(values, percentiles), None
                if name == "roi":
                    return name, _ratio_summary(values, percentiles), None
                ranked = name.startswith("lever_cd3:")  # levers are ranked by their CD3 P50
                middle = median(values) if ranked and MEDIAN not in percentiles else None
                found = summarise(values, percentiles)
                if ranked and middle is None:
                    middle = found.percentiles[percentiles.index(MEDIAN)]
                return name, found, middle

            done = parallel.mapped(summary, list(arrays.items()), self.samples)
            arrays.clear()  # the pass's arrays are freed
            for name, result, middle in done:
                if name == "roi":
                    self.roi_defined = result is not None
                if result is not None:
                    summaries[name] = result
                if middle is not None:
                    self.medians[name] = middle
        return summaries, net

    def arrays(self, outputs: list[_Output], first_pass: bool = True) -> dict[str, FloatArray]:
        """One pass over the samples: every output of the list, in full."""
        samples = self.samples
        arrays = {output.name: np.empty(samples) for output in outputs}
        monthly = [output for output in outputs if output.month]
        plain = [output.name for output in outputs if not output.month]
        draws = _Draws(self.inputs, self.seed, self.clipped, self.correlated)
        keep = self.keep if first_pass else []
        for path in keep:
            self.kept[path] = np.empty(samples)

        def fill(chunk: _Chunk, start: int, stop: int) -> _Chunk:
            """Every output of one chunk, into its own slice of the arrays."""
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # roi: no cost
                for name in plain:
                    arrays[name][start:stop] = chunk.get(name)
                if monthly:
                    _month_loop(chunk, monthly, arrays, start, stop)
            return chunk

        def done(chunk: _Chunk, start: int, stop: int) -> None:
            if first_pass:
                self._count(chunk)
                for path in keep:
                    self.kept[path][start:stop] = chunk.x[path]
            progress.advance(stop - start)

        # The draws are taken in order on this thread (each stream is sequential); the chunks
        # are computed on threads (numpy releases the GIL), each into its own slices, in
        # smaller chunks so that those in flight hold no more than one did (the numbers do
        # not depend on the chunk size).
        size = self.chunk_size
        if parallel.threaded(samples):
            size = max(1, size // parallel.WORKERS)
        chunks = (
            (_Chunk(self, draws.take(stop - start), stop - start), start, stop)
            for start, stop in _chunks(samples, size)
        )
        for chunk, start, stop in parallel.streamed(fill, chunks, samples):
            done(chunk, start, stop)
        if keep and SUCCESS in self.kept:
            probability = self.kept.get(self.success_probability)
            if probability is None:
                probability = np.full(samples, self.scenario.risk.success_probability.value.low)
            self.kept[SUCCESS] = np.less(self.kept[SUCCESS], probability).astype(np.float64)
        draws.close()
        return arrays

    def _count(self, chunk: _Chunk) -> None:
        """Counts every pass would find alike: kept from the first."""
        if not isinstance(chunk.success, float):
            self.failures += int(np.count_nonzero(chunk.success <= 0))
        for index, lever in enumerate(chunk.levers):
            if lever.capped is not None:
                self.capped[index] += int(np.count_nonzero(lever.capped))


SUCCESS_DRAW = Input(SUCCESS, Uncertain(0.0, 1.0), 0.0, 1.0, "share", "success draw")
"""The uniform draw behind S, on its own stream keyed `risk.success`."""


def _month_loop(
    chunk: _Chunk, outputs: list[_Output], arrays: dict[str, FloatArray], start: int, stop: int
) -> None:
    """Payback, yearly flows and the timeline of one chunk, month by month."""
    from_first = any(output.from_first for output in outputs)
    months = {
        int(output.name.partition(":")[2]) for output in outputs if output.name.startswith("month:")
    }
    first = 1 if from_first or not months else min(months)
    last = max(output.month for output in outputs)
    payback = "payback" in arrays
    paid: Values = 0.0
    found = np.full(stop - start, np.inf)
    yearly = any(output.name.startswith("year_") for output in outputs)
    benefits: Values = 0.0
    costs: Values = 0.0
    # Payback alone (a batch row): once every succeeding sample has paid back, the month loop
    # has nothing left to find. A failing sample never pays back: it has no benefit, and a
    # cost once it has paid any (S = 0 multiplies every benefit).
    alone = payback and not yearly and not months
    succeeding = np.count_nonzero(chunk.success) if not isinstance(chunk.success, float) else None
    paid_back = 0
    for month, benefit, cost, cumulative in chunk.months(first, last):
        if payback:
            paid = paid + cost
            hit = (cumulative >= 0) & np.greater(paid, 0) & np.isinf(found)
            found[hit] = month
            if alone:
                paid_back += int(np.count_nonzero(hit))
                if paid_back == (stop - start if succeeding is None else succeeding):
                    break
        if yearly:
            benefits, costs = benefits + benefit, costs + cost
            if month % 12 == 0 or month == chunk.timeline.months:
                year = (month + 11) // 12
                # A pass holds what fits in memory: a year's three flows may fall in two.
                for kind, flow in (("benefits", benefits), ("costs", costs)):
                    if f"year_{kind}:{year}" in arrays:
                        arrays[f"year_{kind}:{year}"][start:stop] = flow
                if f"year_net:{year}" in arrays:
                    arrays[f"year_net:{year}"][start:stop] = np.subtract(benefits, costs)
                benefits, costs = 0.0, 0.0
        if month in months:
            arrays[f"month:{month}"][start:stop] = cumulative
    if payback:
        arrays["payback"][start:stop] = found


def _ratio_summary(values: FloatArray, percentiles: tuple[float, ...]) -> Summary | None:
    """A ratio's summary, or None when some sample's ratio is undefined (a sample that costs
    nothing has no return on its cost) or too large to average."""
    if not np.all(np.isfinite(values)):
        return None
    with np.errstate(over="ignore"):
        summary = summarise(values, percentiles)
    finite = np.isfinite(summary.mean) and all(np.isfinite(summary.percentiles))
    return summary if finite else None


def inverted_cdf(values: FloatArray, percentiles: tuple[float, ...]) -> list[float]:
    """`np.percentile(values, percentiles, method="inverted_cdf")`, bit for bit: the order
    statistic at ⌈n q⌉ − 1, without the import of numpy.ma that np.percentile makes on its
    first call."""
    count = values.size
    virtual = count * np.true_divide(np.asarray(percentiles, dtype=np.float64), 100) - 1
    below = np.floor(virtual)
    index = np.where(virtual - below > 0, below + 1, below)
    index[index < 0] = 0
    wanted = index.astype(np.intp).tolist()
    placed = order_statistics(values, sorted(set(wanted)))
    return [placed[position] for position in wanted]


def _payback(values: FloatArray, percentiles: tuple[float, ...]) -> Payback:
    """Percentiles of the payback month by the inverted CDF (months, never between two);
    beyond the horizon is None."""
    within = float(np.count_nonzero(np.isfinite(values))) / values.size
    found = inverted_cdf(values, percentiles)
    return Payback(
        tuple(None if not np.isfinite(value) else float(value) for value in found), within
    )
