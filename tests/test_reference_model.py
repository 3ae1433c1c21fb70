"""Tests of the reference model itself, against values computed by hand from DESIGN.md.

The reference (tests/reference_model.py) is an independent month-by-month reading of DESIGN.md
used to cross-check the engine; these tests make sure it can be trusted on its own.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from reference_model import (
    RefCostLine,
    RefLever,
    RefScenario,
    adoption_cost,
    as_claimed_net,
    benefit,
    break_even_success_probability,
    cash_flow_by_year,
    cost,
    cost_of_delay,
    custom_value,
    delays,
    discount,
    evpi,
    evppi,
    gross,
    lever_annual,
    lever_horizon,
    lever_value,
    market_share,
    net,
    payback_month,
    payback_summary,
    priority,
    ramp,
    rank_priority,
    rank_value_of_information,
    roi,
    run_rate,
    timeline,
)

V = 120_000.0  # the worked example: 10,000 a month at full effect
SEVEN_OF_TEN = np.array([1.0] * 7 + [0.0] * 3)


def worked(**changes: Any) -> RefScenario:
    """DESIGN.md's worked example: one lever, H = 12, r = 0, D = 1, T = 2, no costs, no risk."""
    sc = RefScenario(horizon=12, discount_rate=0.0, diagnostic=1.0, levers=[RefLever("x", V, 2.0)])
    return sc.with_(**changes) if changes else sc


def worked_with_risk() -> RefScenario:
    """The worked example with p = 0.7 as 10 two-point samples, P = 3, run 1,200 a year."""
    return worked(success=SEVEN_OF_TEN, pilot_months=3, run=1_200.0)


def only_costs(**fields: Any) -> RefScenario:
    base: dict[str, Any] = {"horizon": 12, "discount_rate": 0.0, "diagnostic": 1.0}
    base.update(fields)
    return RefScenario(**base)


# -- values at full effect ----------------------------------------------------------------------


def test_catalogue_values() -> None:
    u = 0.25
    assert lever_value(
        "productivity", {"headcount": 40, "loaded_cost_per_fte": 55_000, "affected_share": 0.5}, u
    ) == pytest.approx(40 * 0.5 * 55_000 * 0.25 / 1.25)
    assert lever_value(
        "productivity", {"headcount": 40, "loaded_cost_per_fte": 55_000}, u
    ) == pytest.approx(40 * 55_000 * 0.2)
    assert lever_value(
        "cac", {"new_customers_per_year": 800, "cac": 750, "targeted_share": 0.5}, u
    ) == pytest.approx(800 * 750 * 0.5 * 0.25)
    assert lever_value(
        "ctr", {"annual_revenue": 900_000, "gross_margin": 0.45}, u
    ) == pytest.approx(900_000 * 0.25 * 0.45)
    assert lever_value(
        "roas", {"programmatic_spend": 200_000, "roas": 3.0, "gross_margin": 0.45}, u
    ) == pytest.approx(200_000 * 3 * 0.25 * 0.45)
    meetings = {
        "qualified_meetings_per_year": 600,
        "close_rate": 0.2,
        "average_deal_value": 9_000,
        "gross_margin": 0.45,
    }
    assert lever_value("meetings", meetings, u) == pytest.approx(600 * 0.25 * 0.2 * 9_000 * 0.45)
    assert lever_value("cpl", {"leads_per_year": 5_000, "cpl": 40}, u) == pytest.approx(50_000)
    returns = {"orders_per_year": 50_000, "return_rate": 0.18, "cost_per_return": 12}
    assert lever_value("returns", returns, u) == pytest.approx(50_000 * 0.18 * 0.25 * 12)
    with pytest.raises(ValueError, match="unknown"):
        lever_value("telepathy", {}, u)


def test_retention_is_capped_at_full_retention() -> None:
    inputs: dict[str, Any] = {
        "new_customers_per_year": 800,
        "retention_90d": np.array([0.6, 0.9]),
        "annual_revenue_per_customer": 2_400,
        "gross_margin": 0.5,
    }
    value = lever_value("retention", inputs, 0.25)
    # 0.6 → 0.75 (a gain of 0.15); 0.9 → min(1.125, 1) = 1 (a gain of 0.1, not 0.225)
    assert value == pytest.approx([800 * 0.15 * 2_400 * 0.5, 800 * 0.1 * 2_400 * 0.5])


def test_custom_values() -> None:
    factors: dict[str, Any] = {"tickets_per_year": 40_000, "cost_per_ticket": np.array([6.0, 9.0])}
    assert custom_value(factors, 0.3, "saving") == pytest.approx([72_000, 108_000])
    assert custom_value(factors, 0.3, "revenue", gross_margin=0.5) == pytest.approx(
        [36_000, 54_000]
    )
    with pytest.raises(ValueError, match="gross_margin"):
        custom_value(factors, 0.3, "revenue")


# -- the worked example -------------------------------------------------------------------------


def test_ramp_of_the_worked_example() -> None:
    now = [float(ramp(m, 0, 1.0, 0.0, 2.0)) for m in range(1, 13)]
    later = [float(ramp(m, 1, 1.0, 0.0, 2.0)) for m in range(1, 13)]
    assert now == [0.0, 0.5] + [1.0] * 10
    assert later == [0.0, 0.0, 0.5] + [1.0] * 9
    # T = 0: a step, 1 once m > s + D + L (strictly)
    assert [float(ramp(m, 0, 1.0, 0.0, 0.0)) for m in (1, 2)] == [0.0, 1.0]
    assert float(ramp(1, 0, 0.5, 0.0, 0.0)) == 1.0


def test_worked_example_gross_and_cost_of_delay() -> None:
    sc = worked()
    assert gross(sc) == pytest.approx([105_000.0])
    assert net(sc, 0) == pytest.approx([105_000.0])
    assert net(sc, 1) == pytest.approx([95_000.0])
    assert cost_of_delay(sc) == pytest.approx([10_000.0])
    assert lever_annual(sc, 0) == pytest.approx([V])
    assert run_rate(sc) == pytest.approx([V])
    assert adoption_cost(sc) == pytest.approx([0.0])


def test_worked_example_with_risk() -> None:
    sc = worked_with_risk()
    assert sc.n == 10
    result = net(sc, 0)
    assert result[:7] == pytest.approx([103_800.0] * 7)
    assert result[7:] == pytest.approx([-300.0] * 3)
    assert result.mean() == pytest.approx(72_570.0)
    assert gross(sc) == pytest.approx([105_000.0] * 7 + [0.0] * 3)
    assert adoption_cost(sc) == pytest.approx([1_200.0] * 7 + [300.0] * 3)
    assert lever_annual(sc, 0) == pytest.approx([V] * 7 + [0.0] * 3)
    # waiting a month: the success branch loses 10,000 of benefit and saves 100 of run cost
    # (months 2–12); the failing branch still pays adoption months 1–3 (model months 2–4)
    assert cost_of_delay(sc) == pytest.approx([9_900.0] * 7 + [0.0] * 3)
    assert as_claimed_net(sc) == pytest.approx([103_800.0] * 10)


def test_parts_add_up_to_the_net() -> None:
    sc = worked_with_risk().with_(
        discount_rate=0.08,
        setup=5_000.0,
        overrun=np.linspace(1.0, 1.5, 10),
        market=(1_000_000.0, 0.4, 0.02),
        cost_lines=[RefCostLine.one_off_at(2_000.0, 2), RefCostLine.monthly_from(300.0, 4, 9)],
    )
    assert gross(sc) + market_share(sc) - adoption_cost(sc) == pytest.approx(net(sc, 0))
    assert gross(sc) == pytest.approx(lever_horizon(sc, 0))
    assert timeline(sc)[-1] == pytest.approx(net(sc, 0))
    assert timeline(sc).shape == (12, 10)


# -- costs ---------------------------------------------------------------------------------------


def test_one_off_cost_line_moves_with_the_start() -> None:
    r = 0.12
    sc = only_costs(discount_rate=r, cost_lines=[RefCostLine.one_off_at(1_000.0, month=2)])
    assert [float(cost(sc, m, 0)[0]) for m in range(1, 5)] == [0.0, 1_000.0, 0.0, 0.0]
    assert [float(cost(sc, m, 1)[0]) for m in range(1, 5)] == [0.0, 0.0, 1_000.0, 0.0]
    assert net(sc, 0) == pytest.approx([-1_000.0 * (1 + r) ** (-2 / 12)])
    assert net(sc, 1) == pytest.approx([-1_000.0 * (1 + r) ** (-3 / 12)])
    assert adoption_cost(sc) == pytest.approx([1_000.0 * (1 + r) ** (-2 / 12)])


def test_monthly_cost_line_moves_with_the_start() -> None:
    sc = only_costs(cost_lines=[RefCostLine.monthly_from(500.0, from_month=2, to_month=4)])
    assert [float(cost(sc, m, 0)[0]) for m in range(1, 7)] == [0, 500, 500, 500, 0, 0]
    assert [float(cost(sc, m, 1)[0]) for m in range(1, 7)] == [0, 0, 500, 500, 500, 0]
    assert net(sc, 0) == pytest.approx([-1_500.0])
    assert net(sc, 1) == pytest.approx([-1_500.0])


def test_costs_stop_at_the_horizon() -> None:
    sc = only_costs(
        horizon=6,
        setup=1_000.0,
        run=1_200.0,
        cost_lines=[RefCostLine.monthly_from(50.0), RefCostLine.one_off_at(700.0, month=5)],
    )
    # s = 0: setup, 6 months of run and of the monthly line, the one-off in month 5
    assert adoption_cost(sc) == pytest.approx([1_000 + 6 * 100 + 6 * 50 + 700])
    # s = 2: run and monthly line in months 3–6 only; the one-off would fall in month 7
    assert net(sc, 2) == pytest.approx([-(1_000 + 4 * 100 + 4 * 50)])
    # s = 5: only month 6 counts, the setup included
    assert net(sc, 5) == pytest.approx([-(1_000 + 100 + 50)])
    # s = H: adoption month 1 is beyond the horizon, setup included
    assert net(sc, 6) == pytest.approx([0.0])
    assert float(cost(sc, 7, 0)[0]) == 0.0


def test_failed_pilot_pays_only_its_first_months() -> None:
    lines = [RefCostLine.one_off_at(900.0, month=3), RefCostLine.one_off_at(800.0, month=4)]
    sc = only_costs(success=0.0, pilot_months=3, setup=1_000.0, run=1_200.0, cost_lines=lines)
    assert [float(cost(sc, m, 0)[0]) for m in range(1, 6)] == [1_100, 100, 1_000, 0, 0]
    assert [float(cost(sc, m, 2)[0]) for m in range(1, 8)] == [0, 0, 1_100, 100, 1_000, 0, 0]
    assert adoption_cost(sc) == pytest.approx([2_200.0])


def test_overrun_multiplies_every_cost() -> None:
    lines = [RefCostLine.one_off_at(400.0, month=2)]
    sc = only_costs(
        success=np.array([1.0, 0.0]),
        overrun=1.5,
        setup=1_000.0,
        run=1_200.0,
        cost_lines=lines,
    )
    assert adoption_cost(sc) == pytest.approx([1.5 * 2_600, 1.5 * (1_000 + 300 + 400)])
    assert as_claimed_net(sc) == pytest.approx([-2_600.0, -2_600.0])


def test_cost_line_must_be_one_thing() -> None:
    with pytest.raises(ValueError, match="either"):
        RefCostLine(one_off=1.0, monthly=1.0)
    with pytest.raises(ValueError, match="either"):
        RefCostLine()


# -- lag, realisation, market share ----------------------------------------------------------------


def test_lag_delays_the_ramp() -> None:
    ramped = worked(levers=[RefLever("x", V, 2.0, lag=2.0)])
    # f = clamp((m − 3)/2): 0 for m ≤ 3, 0.5 in month 4, 1 in months 5–12 → Σf = 8.5
    assert gross(ramped) == pytest.approx([85_000.0])
    stepped = worked(levers=[RefLever("x", V, 0.0, lag=2.0)])
    # a step: 1 once m > 3 → months 4–12
    assert gross(stepped) == pytest.approx([90_000.0])


def test_realisation_scales_each_lever() -> None:
    sc = worked(
        levers=[
            RefLever("x", V, 2.0, realisation=np.array([0.5, 1.0])),
            RefLever("y", 12_000.0, 0.0, realisation=0.25),
        ]
    )
    assert lever_horizon(sc, 0) == pytest.approx([52_500.0, 105_000.0])
    # y: a step from month 2 (m > D = 1), 11 months of 0.25 × 1,000
    assert lever_horizon(sc, 1) == pytest.approx([2_750.0, 2_750.0])
    assert lever_annual(sc, 1) == pytest.approx([3_000.0, 3_000.0])
    assert run_rate(sc) == pytest.approx([63_000.0, 123_000.0])
    assert as_claimed_net(sc) == pytest.approx([105_000.0 + 11_000.0] * 2)


def test_market_share_at_one_month() -> None:
    A, g, e = 1_000_000.0, 0.5, 0.12
    sc = only_costs(success=np.array([1.0, 0.0]), market=(A, g, e), discount_rate=0.1)
    expected = A * g / 12 * (1 - 0.88**0.5)
    assert benefit(sc, 6, 0) == pytest.approx([expected, 0.0])
    assert benefit(sc, 6, 3) == pytest.approx([expected, 0.0])  # not shifted by s
    total = sum(A * g / 12 * (1 - 0.88 ** (m / 12)) * 1.1 ** (-m / 12) for m in range(1, 13))
    assert market_share(sc) == pytest.approx([total, 0.0])
    assert gross(sc) == pytest.approx([0.0, 0.0])
    assert net(sc, 0) - net(sc, 5) == pytest.approx([0.0, 0.0])


def test_discount_is_monthly_from_an_annual_rate() -> None:
    assert discount(12, 0.08) == pytest.approx(1 / 1.08)
    assert discount(1, 0.0) == 1.0


# -- decision figures ------------------------------------------------------------------------------


def test_payback_month() -> None:
    # 1,000 a month from month 1 (a step, D = 0), a setup of 2,500 in month 1:
    # cumulative net −1,500, −500, +500 → month 3
    sc = RefScenario(
        horizon=12,
        discount_rate=0.0,
        diagnostic=0.0,
        levers=[RefLever("x", 12_000.0, 0.0)],
        success=np.array([1.0, 0.0]),
        setup=2_500.0,
    )
    assert payback_month(sc).tolist() == [3.0, math.inf]
    # no cost at all: never "paid back", the cumulative cost is not > 0
    assert payback_month(sc.with_(setup=0.0, success=1.0)).tolist() == [math.inf, math.inf]
    # a cost exactly covered in month 1 pays back in month 1 (≥ 0)
    assert payback_month(sc.with_(setup=1_000.0, success=1.0)).tolist() == [1.0, 1.0]


def test_payback_summary() -> None:
    months_ = np.array([3.0, 4.0, 5.0, math.inf])
    summary = payback_summary(months_, (25, 50, 100))
    assert summary == {"p25": 3.0, "p50": 4.0, "p100": None, "probability_within_horizon": 0.75}


def test_break_even_on_two_points() -> None:
    sc = worked_with_risk()
    p_star = break_even_success_probability(sc)
    assert p_star is not None
    assert p_star == pytest.approx(300 / (103_800 + 300))
    # the same whatever S was drawn: both branches are computed for every sample
    assert break_even_success_probability(sc.with_(success=1.0)) == pytest.approx(p_star)
    # at p*, the expected net is zero
    assert p_star * 103_800 - (1 - p_star) * 300 == pytest.approx(0.0, abs=1e-9)
    losing = worked(levers=[RefLever("x", 1_000.0, 2.0)], run=12_000.0)
    assert break_even_success_probability(losing) is None


def test_roi() -> None:
    sc = worked_with_risk()
    assert roi(sc) == pytest.approx([103_800 / 1_200] * 7 + [-1.0] * 3)
    assert roi(worked()) is None


def test_cash_flow_by_year_with_a_short_last_year() -> None:
    sc = RefScenario(
        horizon=18,
        discount_rate=0.1,  # cash flow is undiscounted
        diagnostic=0.0,
        levers=[RefLever("x", V, 0.0)],
        run=1_200.0,
    )
    years = cash_flow_by_year(sc)
    assert [y.year for y in years] == [1, 2]
    assert years[0].benefits == pytest.approx([120_000.0])
    assert years[0].costs == pytest.approx([1_200.0])
    assert years[0].net == pytest.approx([118_800.0])
    assert years[1].benefits == pytest.approx([60_000.0])
    assert years[1].costs == pytest.approx([600.0])
    assert years[1].net == pytest.approx([59_400.0])


def test_delays_drop_starts_beyond_the_horizon() -> None:
    sc = worked()
    rows = delays(sc, [0, 1, 3, 12, 24])
    assert [row.months for row in rows] == [0, 1, 3]
    assert rows[0].cost_of_waiting == pytest.approx([0.0])
    assert rows[1].net == pytest.approx([95_000.0])
    # s = 3: f = 0.5 in month 5, then 1 in months 6–12 → Σf = 7.5
    assert rows[2].net == pytest.approx([75_000.0])
    assert rows[2].cost_of_waiting == pytest.approx([30_000.0])


def test_priority_cd3() -> None:
    sc = worked(
        success=np.array([1.0, 0.0]),
        levers=[RefLever("x", V, 2.0), RefLever("a", 24_000.0, 0.0, lag=1.0)],
    )
    x, a = priority(sc)
    assert x.cost_of_delay == pytest.approx([10_000.0, 0.0])
    assert x.months_to_full_effect == pytest.approx([3.0, 3.0])
    assert x.cd3 == pytest.approx([10_000 / 3, 0.0])
    # a: a step once m > 2 (s = 0) or m > 3 (s = 1): one month of 2,000 lost
    assert a.cost_of_delay == pytest.approx([2_000.0, 0.0])
    assert a.months_to_full_effect == pytest.approx([2.0, 2.0])
    assert a.cd3 == pytest.approx([1_000.0, 0.0])
    # CD3 P50: x 5,000/3 > a 500
    assert rank_priority([a, x]) == ["x", "a"]
    # a lever with no delay at all is divided by 1, not by 0
    quick = worked(diagnostic=0.0, levers=[RefLever("q", 12_000.0, 0.0)])
    (q,) = priority(quick)
    assert q.months_to_full_effect == pytest.approx([0.0])
    assert q.cd3 == pytest.approx(q.cost_of_delay)
    assert q.cost_of_delay == pytest.approx([1_000.0])


def test_rank_ties_by_id() -> None:
    sc = worked(levers=[RefLever("b", V, 2.0), RefLever("a", V, 2.0)])
    assert rank_priority(priority(sc)) == ["a", "b"]
    assert rank_value_of_information({"b": 1.0, "a": 1.0, "c": 2.0}) == [
        ("c", 2.0),
        ("a", 1.0),
        ("b", 1.0),
    ]


def test_evpi_equals_evppi_of_success_when_it_is_the_only_uncertainty() -> None:
    sc = worked_with_risk()
    result = net(sc, 0)
    expected = 0.7 * 103_800 - 72_570  # E[max(net, 0)] − max(E[net], 0)
    assert evpi(result) == pytest.approx(expected)
    assert evppi(result, sc.success, by_value=True) == pytest.approx(expected)
    # the generic ⌊√10⌋ = 3 bins of 4, 3, 3 would mix the branches and learn less
    assert evppi(result, sc.success) < expected


def test_evppi_bins() -> None:
    net_ = np.array([-4.0, 1.0, 3.0, -1.0])
    # ⌊√4⌋ = 2 bins; sorted by draw: [1, 3] then [-1, -4]
    draws = np.array([0.9, 0.1, 0.2, 0.5])
    assert evppi(net_, draws) == pytest.approx(0.5 * 2.0 - 0.0)
    assert evpi(net_) == pytest.approx(1.0)
    # ties keep the samples' order (stable sort): bins [-4, 1] and [3, -1]
    assert evppi(net_, np.zeros(4)) == pytest.approx(0.5 * 1.0)
    # many ties among 400 samples: the stable order is the samples' own order within a value
    rng = np.random.default_rng(7)
    many = rng.normal(size=400)
    coarse = rng.integers(0, 3, size=400).astype(float)
    stable = [i for _, i in sorted(zip(coarse.tolist(), range(400), strict=True))]
    bins = [many[stable[20 * b : 20 * b + 20]] for b in range(20)]  # ⌊√400⌋ = 20 bins of 20
    expected = sum(0.05 * max(float(b.mean()), 0.0) for b in bins) - max(float(many.mean()), 0.0)
    assert evppi(many, coarse) == pytest.approx(expected)
    # array_split: 10 samples → ⌊√10⌋ = 3 bins of 4, 3, 3
    ten = np.array([1.0, 1.0, 1.0, -3.0, -1.0, -1.0, -1.0, 5.0, 5.0, -1.0])
    expected = 0.0 * 0.4 + 0.3 * 0.0 + 0.3 * 3.0 - max(ten.mean(), 0.0)
    assert evppi(ten, np.arange(10.0)) == pytest.approx(expected)
