"""An independent, month-by-month reading of DESIGN.md's per-sample model.

This module is a second implementation of the model written from the text of
/work/shared/DESIGN.md alone ("The model", "Risk (v2)", "Costs (v2)", "Custom levers (v2)" and
"Decision figures (v2)"), for tests to cross-check the engine against. It deliberately imports
nothing from ``inaction_cli``: only numpy and the standard library.

It favours clarity over speed. Every figure is a plain loop over the months m = 1 … H that sums
the formulas exactly as DESIGN.md writes them; each month's quantity is a numpy array over the
samples, shape (n,). Inputs are the per-sample *draws* (sampling is not modelled here): build a
:class:`RefScenario` from the same draws the engine used and compare.

Conventions (all from DESIGN.md):

- month m = 1 … H, start delay s (s = 0: act now), adoption month k is model month s + k;
- discount d(m) = (1 + r)^(−m/12), r annual;
- ramp f_l(m; s) = clamp((m − s − D − L_l) / T_l, 0, 1), a step (1 once m > s + D + L_l) when
  T_l = 0;
- benefit b_m(s) = S × [Σ_l ρ_l V_l / 12 × f_l(m; s) + A g / 12 × (1 − (1 − e)^(m/12))];
- cost c_m(s) = Ω × [setup × 1{m = s + 1} + run / 12 × 1{m ≥ s + 1} + cost lines in month m],
  only for m ≤ H, and only for m ≤ s + P when S = 0;
- net(s) = Σ_m (b_m(s) − c_m(s)) d(m).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

CATALOGUE_LEVERS = (
    "productivity",
    "cac",
    "ctr",
    "roas",
    "meetings",
    "cpl",
    "retention",
    "returns",
)


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefLever:
    """One lever of one scenario, per sample.

    Every per-sample field accepts a number or an array of shape (n,); :class:`RefScenario`
    broadcasts them to (n,) floats.
    """

    id: str
    annual_value: ArrayLike  # V_l: annual value at full effect (see lever_value, custom_value)
    time_to_value: ArrayLike  # T_l in months; 0 makes the ramp a step
    lag: ArrayLike = 0.0  # L_l = starts_after_months
    realisation: ArrayLike = 1.0  # ρ_l


@dataclass(frozen=True)
class RefCostLine:
    """One line of ``adoption.costs``: either a one-off or a monthly amount.

    Months are *adoption* months (1 = the first month of adoption, model month s + 1). A one-off
    is paid in adoption month ``month``; a monthly amount in every adoption month
    ``from_month`` … ``to_month`` (``to_month=None``: to the horizon). Use :meth:`one_off_at` or
    :meth:`monthly_from` to build one.
    """

    one_off: ArrayLike | None = None
    month: int = 1
    monthly: ArrayLike | None = None
    from_month: int = 1
    to_month: int | None = None

    def __post_init__(self) -> None:
        if (self.one_off is None) == (self.monthly is None):
            raise ValueError("a cost line is either one_off or monthly")

    @classmethod
    def one_off_at(cls, amount: ArrayLike, month: int = 1) -> RefCostLine:
        return cls(one_off=amount, month=month)

    @classmethod
    def monthly_from(
        cls, amount: ArrayLike, from_month: int = 1, to_month: int | None = None
    ) -> RefCostLine:
        return cls(monthly=amount, from_month=from_month, to_month=to_month)

    def amount_in_adoption_month(self, k: int, n: int) -> np.ndarray:
        """What this line costs in adoption month k (before the overrun Ω)."""
        if self.one_off is not None:
            paid = k == self.month
            return _per_sample(self.one_off, n) if paid else np.zeros(n)
        assert self.monthly is not None
        last = math.inf if self.to_month is None else self.to_month
        paid = self.from_month <= k <= last
        return _per_sample(self.monthly, n) if paid else np.zeros(n)


@dataclass(frozen=True)
class RefScenario:
    """The per-sample draws of one scenario.

    Per-sample fields accept a number or an array of shape (n,); they are broadcast to float
    arrays of shape (n,) on construction, n being the longest array given (1 if none; a
    one-element array counts as a number, so ``sc.with_(success=mask)`` can widen a scenario).
    ``market`` is (A annual revenue, g gross margin, e erosion per year), or None without a
    ``market`` section.
    """

    horizon: int  # H
    discount_rate: float  # r, annual
    diagnostic: ArrayLike  # D, months
    levers: Sequence[RefLever] = ()
    success: ArrayLike = 1.0  # S, 0.0 or 1.0
    pilot_months: int = 3  # P
    overrun: ArrayLike = 1.0  # Ω
    setup: ArrayLike = 0.0  # one-off, adoption month 1
    run: ArrayLike = 0.0  # annual, every adoption month
    cost_lines: Sequence[RefCostLine] = ()
    market: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None
    n: int = field(init=False)

    def __post_init__(self) -> None:
        if self.horizon < 1:
            raise ValueError("horizon must be at least one month")
        arrays: list[ArrayLike] = [
            self.diagnostic,
            self.success,
            self.overrun,
            self.setup,
            self.run,
        ]
        for lever in self.levers:
            arrays += [lever.annual_value, lever.time_to_value, lever.lag, lever.realisation]
        for line in self.cost_lines:
            arrays += [a for a in (line.one_off, line.monthly) if a is not None]
        if self.market is not None:
            arrays += list(self.market)
        n = max((np.size(a) for a in arrays), default=1)
        put = object.__setattr__  # frozen dataclass: normalise once, here
        put(self, "n", n)
        for name in ("diagnostic", "success", "overrun", "setup", "run"):
            put(self, name, _per_sample(getattr(self, name), n))
        put(
            self,
            "levers",
            tuple(
                RefLever(
                    id=lever.id,
                    annual_value=_per_sample(lever.annual_value, n),
                    time_to_value=_per_sample(lever.time_to_value, n),
                    lag=_per_sample(lever.lag, n),
                    realisation=_per_sample(lever.realisation, n),
                )
                for lever in self.levers
            ),
        )
        put(self, "cost_lines", tuple(self.cost_lines))
        if self.market is not None:
            put(self, "market", tuple(_per_sample(a, n) for a in self.market))
        success = _a(self.success)
        if not np.all((success == 0.0) | (success == 1.0)):
            raise ValueError("success S must be 0.0 or 1.0 per sample")

    def with_(self, **changes: Any) -> RefScenario:
        """A copy with some fields replaced (e.g. ``success=1.0`` for the succeeding branch)."""
        return dataclasses.replace(self, **changes)


def _per_sample(value: ArrayLike, n: int) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if array.size == 1:  # a number, or a one-sample array (e.g. a copy of a 1-sample scenario)
        return np.full(n, float(array.reshape(())))
    if array.shape != (n,):
        raise ValueError(f"expected a number or an array of shape ({n},), got {array.shape}")
    return array.copy()


def _a(value: object) -> np.ndarray:
    """Typing helper: a field normalised by RefScenario.__post_init__ is an ndarray."""
    assert isinstance(value, np.ndarray)
    return value


# --------------------------------------------------------------------------------------------
# Annual values at full effect (DESIGN.md, "The model" and "Custom levers")
# --------------------------------------------------------------------------------------------


def lever_value(lever_id: str, inputs: Mapping[str, ArrayLike], uplift: ArrayLike) -> np.ndarray:
    """V of a catalogue lever, from its inputs keyed by field name, and its uplift u.

    Keys are the profile's field names: ``headcount``, ``affected_share``,
    ``loaded_cost_per_fte`` (productivity); ``new_customers_per_year``, ``cac``,
    ``targeted_share`` (cac); ``annual_revenue`` (ctr: *email*'s annual revenue, not finance's),
    ``programmatic_spend``, ``roas``; ``qualified_meetings_per_year``, ``close_rate``,
    ``average_deal_value``; ``leads_per_year``, ``cpl``; ``new_customers_per_year``,
    ``retention_90d``, ``annual_revenue_per_customer``; ``orders_per_year``, ``return_rate``,
    ``cost_per_return``; and ``gross_margin`` for the levers valued at margin.
    ``affected_share`` and ``targeted_share`` default to 1 when absent.
    """
    u = np.asarray(uplift, dtype=float)

    def x(name: str) -> np.ndarray:
        return np.asarray(inputs[name], dtype=float)

    def share(name: str) -> np.ndarray:
        return np.asarray(inputs.get(name, 1.0), dtype=float)

    value: np.ndarray
    if lever_id == "productivity":
        value = x("headcount") * share("affected_share") * x("loaded_cost_per_fte") * u / (1 + u)
    elif lever_id == "cac":
        value = x("new_customers_per_year") * x("cac") * share("targeted_share") * u
    elif lever_id == "ctr":
        value = x("annual_revenue") * u * x("gross_margin")
    elif lever_id == "roas":
        value = x("programmatic_spend") * x("roas") * u * x("gross_margin")
    elif lever_id == "meetings":
        value = (
            x("qualified_meetings_per_year")
            * u
            * x("close_rate")
            * x("average_deal_value")
            * x("gross_margin")
        )
    elif lever_id == "cpl":
        value = x("leads_per_year") * x("cpl") * u
    elif lever_id == "retention":
        base = x("retention_90d")
        gain = np.minimum(base * (1 + u), 1.0) - base
        value = (
            x("new_customers_per_year")
            * gain
            * x("annual_revenue_per_customer")
            * x("gross_margin")
        )
    elif lever_id == "returns":
        value = x("orders_per_year") * x("return_rate") * u * x("cost_per_return")
    else:
        raise ValueError(f"unknown catalogue lever {lever_id!r}")
    return np.asarray(value, dtype=float)


def custom_value(
    factors: Mapping[str, ArrayLike],
    uplift: ArrayLike,
    kind: str,
    gross_margin: ArrayLike | None = None,
) -> np.ndarray:
    """V of a custom lever: Π factors × u, × gross_margin when ``kind`` is ``revenue``."""
    value = np.asarray(uplift, dtype=float)
    for factor in factors.values():
        value = value * np.asarray(factor, dtype=float)
    if kind == "revenue":
        if gross_margin is None:
            raise ValueError("a revenue custom lever is valued at gross_margin")
        value = value * np.asarray(gross_margin, dtype=float)
    elif kind != "saving":
        raise ValueError(f"kind must be 'saving' or 'revenue', not {kind!r}")
    return np.asarray(value, dtype=float)


# --------------------------------------------------------------------------------------------
# Month by month
# --------------------------------------------------------------------------------------------


def discount(m: int, r: float) -> float:
    """d(m) = (1 + r)^(−m/12)."""
    return float((1.0 + r) ** (-m / 12.0))


def ramp(m: int, s: int, D: ArrayLike, L: ArrayLike, T: ArrayLike) -> np.ndarray:
    """f(m; s) = clamp((m − s − D − L) / T, 0, 1); with T = 0 a step, 1 once m > s + D + L."""
    D, L, T = (np.asarray(a, dtype=float) for a in (D, L, T))
    elapsed = m - s - D - L
    step = (elapsed > 0).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        linear = np.clip(elapsed / T, 0.0, 1.0)
    return np.asarray(np.where(T > 0, linear, step), dtype=float)


def lever_benefit(sc: RefScenario, i: int, m: int, s: int) -> np.ndarray:
    """Lever i's term of b_m(s): S × ρ_l × V_l / 12 × f_l(m; s)."""
    lever = sc.levers[i]
    f = ramp(m, s, sc.diagnostic, lever.lag, lever.time_to_value)
    return np.asarray(_a(sc.success) * _a(lever.realisation) * _a(lever.annual_value) / 12.0 * f)


def market_benefit(sc: RefScenario, m: int) -> np.ndarray:
    """Market share's term of b_m: S × A g / 12 × (1 − (1 − e)^(m/12)); not shifted by s."""
    if sc.market is None:
        return np.zeros(sc.n)
    A, g, e = (_a(a) for a in sc.market)
    return np.asarray(_a(sc.success) * A * g / 12.0 * (1.0 - (1.0 - e) ** (m / 12.0)))


def benefit(sc: RefScenario, m: int, s: int) -> np.ndarray:
    """b_m(s): the levers' terms plus market share."""
    total = market_benefit(sc, m)
    for i in range(len(sc.levers)):
        total = total + lever_benefit(sc, i, m, s)
    return total


def cost(sc: RefScenario, m: int, s: int) -> np.ndarray:
    """c_m(s) = Ω × [setup × 1{m = s+1} + run/12 × 1{m ≥ s+1} + cost lines in month m].

    Zero beyond the horizon (m > H) and before adoption (m ≤ s); a failed sample (S = 0) pays
    only adoption months 1 … P, i.e. m ≤ s + P.
    """
    n = sc.n
    k = m - s  # adoption month
    if m > sc.horizon or k < 1:
        return np.zeros(n)
    amount = _a(sc.run) / 12.0
    if k == 1:
        amount = amount + _a(sc.setup)
    for line in sc.cost_lines:
        amount = amount + line.amount_in_adoption_month(k, n)
    paid = np.where(_a(sc.success) == 1.0, 1.0, 1.0 if k <= sc.pilot_months else 0.0)
    return _a(sc.overrun) * amount * paid


def months(sc: RefScenario) -> range:
    """m = 1 … H."""
    return range(1, sc.horizon + 1)


# --------------------------------------------------------------------------------------------
# The reported totals (DESIGN.md, "The model")
# --------------------------------------------------------------------------------------------


def net(sc: RefScenario, s: int = 0) -> np.ndarray:
    """net(s) = Σ_m (b_m(s) − c_m(s)) d(m): the risk-adjusted net cost of inaction."""
    total = np.zeros(sc.n)
    for m in months(sc):
        total = total + (benefit(sc, m, s) - cost(sc, m, s)) * discount(m, sc.discount_rate)
    return total


def lever_horizon(sc: RefScenario, i: int) -> np.ndarray:
    """Lever i's ``horizon`` value: Σ_m S ρ_l V_l / 12 f_l(m; 0) d(m)."""
    total = np.zeros(sc.n)
    for m in months(sc):
        total = total + lever_benefit(sc, i, m, 0) * discount(m, sc.discount_rate)
    return total


def lever_annual(sc: RefScenario, i: int) -> np.ndarray:
    """Lever i's ``annual`` value: S × ρ_l × V_l."""
    lever = sc.levers[i]
    return np.asarray(_a(sc.success) * _a(lever.realisation) * _a(lever.annual_value))


def gross(sc: RefScenario) -> np.ndarray:
    """Σ_m (the levers' benefit) d(m), at s = 0, with S and ρ (no market share)."""
    total = np.zeros(sc.n)
    for i in range(len(sc.levers)):
        total = total + lever_horizon(sc, i)
    return total


def market_share(sc: RefScenario) -> np.ndarray:
    """Σ_m (market share's term of b_m) d(m)."""
    total = np.zeros(sc.n)
    for m in months(sc):
        total = total + market_benefit(sc, m) * discount(m, sc.discount_rate)
    return total


def adoption_cost(sc: RefScenario) -> np.ndarray:
    """Σ_m c_m(0) d(m)."""
    total = np.zeros(sc.n)
    for m in months(sc):
        total = total + cost(sc, m, 0) * discount(m, sc.discount_rate)
    return total


def run_rate(sc: RefScenario) -> np.ndarray:
    """The annual run-rate Σ_l S ρ_l V_l."""
    total = np.zeros(sc.n)
    for i in range(len(sc.levers)):
        total = total + lever_annual(sc, i)
    return total


def cost_of_delay(sc: RefScenario) -> np.ndarray:
    """Cost of delay per month: net(0) − net(1), on the same samples."""
    return np.asarray(net(sc, 0) - net(sc, 1))


def as_claimed(sc: RefScenario) -> RefScenario:
    """The same draws with S = 1, every ρ_l = 1 and Ω = 1."""
    levers = [dataclasses.replace(lever, realisation=1.0) for lever in sc.levers]
    return sc.with_(success=1.0, overrun=1.0, levers=levers)


def as_claimed_net(sc: RefScenario) -> np.ndarray:
    """The ``as claimed`` net: net(0) with S = 1, ρ = 1, Ω = 1 on the same draws."""
    return net(as_claimed(sc), 0)


# --------------------------------------------------------------------------------------------
# Decision figures (DESIGN.md, "Decision figures (v2)"), all at s = 0 unless said otherwise
# --------------------------------------------------------------------------------------------


def break_even_success_probability(sc: RefScenario) -> float | None:
    """p* = E[C_f] / (E[N_s] + E[C_f]); None when E[N_s] ≤ 0.

    N_s is the net of the succeeding branch (S = 1) and C_f the discounted cost of the failing
    branch (S = 0), both computed for every sample whatever its drawn S; ρ and Ω as drawn.
    """
    n_s = float(np.mean(net(sc.with_(success=1.0), 0)))
    c_f = float(np.mean(adoption_cost(sc.with_(success=0.0))))
    if n_s <= 0:
        return None
    return c_f / (n_s + c_f)


def discounted_benefit(sc: RefScenario) -> np.ndarray:
    """B = Σ_m b_m(0) d(m) (levers and market share)."""
    total = np.zeros(sc.n)
    for m in months(sc):
        total = total + benefit(sc, m, 0) * discount(m, sc.discount_rate)
    return total


def roi(sc: RefScenario) -> np.ndarray | None:
    """(B − C) / C per sample, C = Σ_m c_m d(m); None when some sample has C = 0."""
    b = discounted_benefit(sc)
    c = adoption_cost(sc)
    if np.any(c == 0):
        return None
    return np.asarray((b - c) / c)


def payback_month(sc: RefScenario) -> np.ndarray:
    """Per sample, the first m with Σ_{k≤m} (b_k − c_k) d(k) ≥ 0 and Σ_{k≤m} c_k > 0.

    Months as floats; np.inf when there is none within the horizon.
    """
    found = np.full(sc.n, np.inf)
    cumulative_net = np.zeros(sc.n)
    cumulative_cost = np.zeros(sc.n)
    for m in months(sc):
        b, c = benefit(sc, m, 0), cost(sc, m, 0)
        cumulative_net = cumulative_net + (b - c) * discount(m, sc.discount_rate)
        cumulative_cost = cumulative_cost + c
        now = np.isinf(found) & (cumulative_net >= 0) & (cumulative_cost > 0)
        found[now] = m
    return found


def payback_summary(
    months_: np.ndarray, percentiles: Iterable[float] = (5, 50, 95)
) -> dict[str, float | None]:
    """Payback percentiles (``method="inverted_cdf"``; +∞ as None) and P(payback within H).

    Keys ``p5``, ``p50``, … and ``probability_within_horizon``.
    """
    out: dict[str, float | None] = {}
    for q in percentiles:
        value = float(np.percentile(months_, q, method="inverted_cdf"))
        out[f"p{q:g}"] = None if math.isinf(value) else value
    out["probability_within_horizon"] = float(np.mean(np.isfinite(months_)))
    return out


@dataclass(frozen=True)
class RefYear:
    """One year of the cash flow: undiscounted sums per sample."""

    year: int
    benefits: np.ndarray
    costs: np.ndarray
    net: np.ndarray


def cash_flow_by_year(sc: RefScenario) -> list[RefYear]:
    """For y = 1 … ⌈H/12⌉, months 12y − 11 … min(12y, H): Σ b_m, Σ c_m and their difference."""
    years: list[RefYear] = []
    for y in range(1, math.ceil(sc.horizon / 12) + 1):
        benefits = np.zeros(sc.n)
        costs = np.zeros(sc.n)
        for m in range(12 * y - 11, min(12 * y, sc.horizon) + 1):
            benefits = benefits + benefit(sc, m, 0)
            costs = costs + cost(sc, m, 0)
        years.append(RefYear(year=y, benefits=benefits, costs=costs, net=benefits - costs))
    return years


def timeline(sc: RefScenario) -> np.ndarray:
    """Shape (H, n): row m − 1 is the cumulative discounted net Σ_{k≤m} (b_k − c_k) d(k)."""
    rows = []
    cumulative = np.zeros(sc.n)
    for m in months(sc):
        cumulative = cumulative + (benefit(sc, m, 0) - cost(sc, m, 0)) * discount(
            m, sc.discount_rate
        )
        rows.append(cumulative.copy())
    return np.array(rows)


@dataclass(frozen=True)
class RefDelay:
    """One start delay: net(s) and the cost of waiting net(0) − net(s), per sample."""

    months: int
    net: np.ndarray
    cost_of_waiting: np.ndarray


def delays(sc: RefScenario, months_list: Iterable[int] = (0, 1, 3, 6, 12)) -> list[RefDelay]:
    """net(s) and net(0) − net(s) for each s in ``months_list``, dropping s ≥ H."""
    now = net(sc, 0)
    out: list[RefDelay] = []
    for s in months_list:
        if s >= sc.horizon:
            continue
        later = net(sc, s)
        out.append(RefDelay(months=s, net=later, cost_of_waiting=now - later))
    return out


@dataclass(frozen=True)
class RefPriority:
    """One lever's priority figures, per sample."""

    id: str
    cost_of_delay: np.ndarray  # CoD_l, per month
    months_to_full_effect: np.ndarray  # D + L_l + T_l
    cd3: np.ndarray  # CoD_l / max(D + L_l + T_l, 1)


def priority(sc: RefScenario) -> list[RefPriority]:
    """Per lever, in the scenario's order (rank them with :func:`rank_priority`).

    CoD_l = S ρ_l V_l / 12 × (Σ_m f_l(m; 0) d(m) − Σ_m f_l(m; 1) d(m)).
    """
    out: list[RefPriority] = []
    for lever in sc.levers:
        now = np.zeros(sc.n)
        later = np.zeros(sc.n)
        for m in months(sc):
            d = discount(m, sc.discount_rate)
            now = now + ramp(m, 0, sc.diagnostic, lever.lag, lever.time_to_value) * d
            later = later + ramp(m, 1, sc.diagnostic, lever.lag, lever.time_to_value) * d
        scale = _a(sc.success) * _a(lever.realisation) * _a(lever.annual_value) / 12.0
        cod = scale * (now - later)
        full = _a(sc.diagnostic) + _a(lever.lag) + _a(lever.time_to_value)
        out.append(
            RefPriority(
                id=lever.id,
                cost_of_delay=cod,
                months_to_full_effect=full,
                cd3=cod / np.maximum(full, 1.0),
            )
        )
    return out


def rank_priority(rows: Iterable[RefPriority], method: Any = "linear") -> list[str]:
    """Lever ids ranked by CD3 P50, highest first, ties by id.

    DESIGN.md does not name the percentile method of STATS (only payback's); pass the engine's.
    """
    keyed = [(float(np.percentile(row.cd3, 50, method=method)), row.id) for row in rows]
    return [lever_id for _, lever_id in sorted(keyed, key=lambda t: (-t[0], t[1]))]


def evpi(net_: ArrayLike) -> float:
    """EVPI = E[max(net, 0)] − max(E[net], 0)."""
    values = np.asarray(net_, dtype=float)
    return float(np.mean(np.maximum(values, 0.0)) - max(float(np.mean(values)), 0.0))


def evppi(net_: ArrayLike, draws: ArrayLike, *, by_value: bool = False) -> float:
    """EVPPI_X = Σ_b (n_b / n) max(mean of net over bin b, 0) − max(E[net], 0).

    The samples, sorted by X's draw with a stable sort, are split with ``numpy.array_split``
    into ⌊√n⌋ consecutive bins. With ``by_value=True`` (a 0/1 draw such as S) there is one bin
    per distinct value instead.
    """
    values = np.asarray(net_, dtype=float)
    x = np.asarray(draws, dtype=float)
    n = values.size
    if by_value:
        bins = [values[x == value] for value in np.unique(x)]
    else:
        order = np.argsort(x, kind="stable")
        bins = np.array_split(values[order], math.isqrt(n))
    informed = sum(b.size / n * max(float(np.mean(b)), 0.0) for b in bins)
    return float(informed - max(float(np.mean(values)), 0.0))


def rank_value_of_information(evppis: Mapping[str, float]) -> list[tuple[str, float]]:
    """(path, EVPPI) ranked highest first, ties by path."""
    return sorted(evppis.items(), key=lambda item: (-item[1], item[0]))
