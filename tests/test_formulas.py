"""Every formula of DESIGN.md against a hand-computed value.

Ranges are degenerate (low == high) so the Monte Carlo is exact.
"""

from __future__ import annotations

import math

import pytest

from support import certain, estimate, lever, month_loop_gross

EXACT = 1e-12


def annual(profile: dict, lever_id: str) -> float:
    report = estimate(profile)
    summary = lever(report, lever_id).annual
    assert len(set(summary.percentiles)) == 1, "a certain profile gives a certain value"
    return summary.mean


@pytest.mark.parametrize(
    ("lever_id", "uplift", "sections", "expected"),
    [
        # 10 × 50,000 × 0.25 / 1.25 = 100,000
        (
            "productivity",
            0.25,
            {"operations": {"headcount": 10, "loaded_cost_per_fte": 50000}},
            100_000,
        ),
        # 800 × 750 × 0.5 × 0.2 = 60,000
        (
            "cac",
            0.2,
            {"acquisition": {"new_customers_per_year": 800, "cac": 750, "targeted_share": 0.5}},
            60_000,
        ),
        # 900,000 × 0.5 × 0.4 = 180,000
        ("ctr", 0.5, {"email": {"annual_revenue": 900000}}, 180_000),
        # 200,000 × 3 × 0.5 × 0.4 = 120,000
        ("roas", 0.5, {"advertising": {"programmatic_spend": 200000, "roas": 3.0}}, 120_000),
        # 600 × 1.0 × 0.2 × 9,000 × 0.4 = 432,000
        (
            "meetings",
            1.0,
            {
                "sales": {
                    "qualified_meetings_per_year": 600,
                    "close_rate": 0.2,
                    "average_deal_value": 9000,
                }
            },
            432_000,
        ),
        # 5,000 × 40 × 0.25 = 50,000
        ("cpl", 0.25, {"leads": {"leads_per_year": 5000, "cpl": 40}}, 50_000),
        # 800 × (0.6 × 1.25 − 0.6) × 2,400 × 0.4 = 800 × 0.15 × 960 = 115,200
        (
            "retention",
            0.25,
            {
                "retention": {
                    "new_customers_per_year": 800,
                    "retention_90d": 0.6,
                    "annual_revenue_per_customer": 2400,
                }
            },
            115_200,
        ),
        # retention capped at 100 %: 800 × (1 − 0.9) × 2,400 × 0.4 = 76,800
        (
            "retention",
            0.5,
            {
                "retention": {
                    "new_customers_per_year": 800,
                    "retention_90d": 0.9,
                    "annual_revenue_per_customer": 2400,
                }
            },
            76_800,
        ),
        # 50,000 × 0.18 × (1 − 10/18) × 12 = 50,000 × 0.08 × 12 = 48,000
        (
            "returns",
            1 - 10 / 18,
            {"ecommerce": {"orders_per_year": 50000, "return_rate": 0.18, "cost_per_return": 12}},
            48_000,
        ),
    ],
)
def test_annual_value_of_each_lever(
    lever_id: str, uplift: float, sections: dict, expected: float
) -> None:
    profile = certain(
        uplifts={lever_id: uplift},
        finance={"gross_margin": 0.4, "annual_revenue": 1_000_000},
        **sections,
    )
    assert annual(profile, lever_id) == pytest.approx(expected, rel=EXACT)


def test_catalogue_defaults_apply_when_not_overridden() -> None:
    # cpl's default is the point 0.25 and returns' is 1 − 10/18: no override needed.
    profile = certain(
        leads={"leads_per_year": 4800, "cpl": 100},
        ecommerce={"orders_per_year": 50000, "return_rate": 0.18, "cost_per_return": 12},
    )
    report = estimate(profile)
    assert lever(report, "cpl").annual.mean == pytest.approx(120_000, rel=EXACT)
    assert lever(report, "returns").annual.mean == pytest.approx(48_000, rel=EXACT)


def worked_example(**changes: object) -> dict:
    """DESIGN.md's worked example: V = 120,000 a year, H = 12, r = 0, D = 1, T = 2."""
    settings = {"horizon": 12, "discount_rate": 0.0, "diagnostic": 1.0, **changes}
    return certain(
        leads={"leads_per_year": 4800, "cpl": 100},  # 4,800 × 100 × 0.25 = 120,000
        time_to_value={"cpl": 2},
        **settings,  # type: ignore[arg-type]
    )


def test_worked_example_of_design_md() -> None:
    report = estimate(worked_example())
    # Acting now: f = 0, 0.5, then 1 for months 3–12, Σf = 10.5: gross(0) = 10,000 × 10.5.
    assert lever(report, "cpl").horizon.mean == pytest.approx(105_000, rel=EXACT)
    assert report.totals.gross.mean == pytest.approx(105_000, rel=EXACT)
    # Acting a month later: Σf = 9.5, so each month of delay costs 10,000.
    assert report.totals.cost_of_delay_per_month.mean == pytest.approx(10_000, rel=EXACT)
    assert report.totals.annual.mean == pytest.approx(120_000, rel=EXACT)
    # No adoption cost given: the net equals the gross, and the report says so.
    assert report.totals.net.mean == pytest.approx(105_000, rel=EXACT)
    assert any("gross of what adopting would cost" in warning for warning in report.warnings)
    assert report.totals.probability_net_positive == 1.0


@pytest.mark.parametrize(
    ("diagnostic", "time_to_value"),
    [(0.0, 0.0), (0.5, 3.0), (1.0, 2.0), (0.75, 4.5), (2.0, 9.0), (11.5, 3.0), (13.0, 1.0)],
)
@pytest.mark.parametrize("rate", [0.0, 0.08, 0.35])
def test_ramp_and_discounting_match_a_month_by_month_sum(
    diagnostic: float, time_to_value: float, rate: float
) -> None:
    profile = worked_example(diagnostic=diagnostic, discount_rate=rate, horizon=12)
    profile["benchmarks"]["cpl"]["time_to_value_months"] = time_to_value
    report = estimate(profile)
    now = month_loop_gross(120_000, 12, rate, diagnostic, time_to_value)
    later = month_loop_gross(120_000, 12, rate, diagnostic + 1, time_to_value)
    assert report.totals.gross.mean == pytest.approx(now, rel=1e-12, abs=1e-9)
    assert report.totals.cost_of_delay_per_month.mean == pytest.approx(
        now - later, rel=1e-12, abs=1e-9
    )


def test_discounting_of_a_flat_year() -> None:
    # T = 0 and D = 0: the full value from month 1, so gross = 10,000 × Σ 1.12^(−m/12).
    profile = worked_example(diagnostic=0.0, discount_rate=0.12)
    profile["benchmarks"]["cpl"]["time_to_value_months"] = 0
    expected = sum(10_000 * 1.12 ** (-month / 12) for month in range(1, 13))
    assert estimate(profile).totals.gross.mean == pytest.approx(expected, rel=EXACT)
    # Close to, and below, 120,000 / 1.12^(6.5/12): the mid-year discount.
    assert expected < 120_000


def test_adoption_cost_explicit() -> None:
    profile = worked_example(adoption={"setup_cost": 12_000, "annual_run_cost": 1_200})
    totals = estimate(profile).totals
    # cost(0) = 12,000 × d(1) + 12 × 100 = 13,200 with r = 0
    assert totals.adoption_cost.mean == pytest.approx(13_200, rel=EXACT)
    assert totals.net.mean == pytest.approx(105_000 - 13_200, rel=EXACT)
    # cost(1) = 12,000 + 11 × 100: delay saves one month of running cost
    assert totals.cost_of_delay_per_month.mean == pytest.approx(10_000 - 100, rel=EXACT)


def test_adoption_cost_is_discounted() -> None:
    rate = 0.10
    profile = worked_example(
        discount_rate=rate, adoption={"setup_cost": 50_000, "annual_run_cost": 24_000}
    )
    totals = estimate(profile).totals
    d = [(1 + rate) ** (-month / 12) for month in range(0, 14)]
    cost_now = 50_000 * d[1] + sum(2_000 * d[m] for m in range(1, 13))
    cost_later = 50_000 * d[2] + sum(2_000 * d[m] for m in range(2, 13))
    assert totals.adoption_cost.mean == pytest.approx(cost_now, rel=EXACT)
    gross_now = month_loop_gross(120_000, 12, rate, 1.0, 2.0)
    gross_later = month_loop_gross(120_000, 12, rate, 2.0, 2.0)
    assert totals.cost_of_delay_per_month.mean == pytest.approx(
        (gross_now - gross_later) - (cost_now - cost_later), rel=1e-12
    )


def test_setup_cost_only_and_run_cost_only() -> None:
    setup_only = estimate(worked_example(adoption={"setup_cost": 5_000})).totals
    assert setup_only.adoption_cost.mean == pytest.approx(5_000, rel=EXACT)
    run_only = estimate(worked_example(adoption={"annual_run_cost": 6_000})).totals
    assert run_only.adoption_cost.mean == pytest.approx(6_000, rel=EXACT)


def test_default_adoption_cost_is_5_to_10_percent_of_dev_budget() -> None:
    profile = worked_example(finance={"dev_budget": 1_000_000})
    profile["analysis"]["samples"] = 20_000
    report = estimate(profile)
    cost = report.totals.adoption_cost
    # One-off, paid in month 1 (r = 0): uniform on [50,000, 100,000], mean 75,000.
    standard_error = 50_000 / math.sqrt(12) / math.sqrt(20_000)
    assert cost.mean == pytest.approx(75_000, abs=4 * standard_error)
    assert 50_000 <= cost.percentiles[0] < cost.percentiles[1] < cost.percentiles[2] <= 100_000
    assert any("finance.dev_budget" in warning for warning in report.warnings)


def test_market_share_erosion() -> None:
    revenue, margin, erosion, rate = 12_000_000, 0.5, 0.12, 0.08
    profile = certain(
        horizon=24,
        discount_rate=rate,
        finance={"annual_revenue": revenue, "gross_margin": margin},
        market={"erosion_per_year": erosion},
    )
    expected = sum(
        revenue * margin / 12 * (1 - (1 - erosion) ** (month / 12)) * (1 + rate) ** (-month / 12)
        for month in range(1, 25)
    )
    totals = estimate(profile).totals
    assert totals.market_share.mean == pytest.approx(expected, rel=1e-12)
    assert totals.net.mean == pytest.approx(expected, rel=1e-12)
    # Market share does not depend on when adoption starts.
    assert totals.cost_of_delay_per_month.mean == 0


@pytest.mark.parametrize(
    ("erosion", "rate"), [(0.0, 0.08), (0.0, 0.0), (1.0, 0.0), (1.0, 0.1), (1e-9, 0.0), (0.03, 0.0)]
)
def test_market_share_edge_rates(erosion: float, rate: float) -> None:
    profile = certain(
        horizon=12,
        discount_rate=rate,
        finance={"annual_revenue": 1_200_000, "gross_margin": 1.0},
        market={"erosion_per_year": erosion},
    )
    expected = sum(
        100_000 * (1 - (1 - erosion) ** (month / 12)) * (1 + rate) ** (-month / 12)
        for month in range(1, 13)
    )
    assert estimate(profile).totals.market_share.mean == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_net_adds_market_share_and_subtracts_cost() -> None:
    profile = worked_example(
        finance={"annual_revenue": 1_200_000, "gross_margin": 1.0},
        market={"erosion_per_year": 1.0},  # everything lost from month 1: 100,000 a month
        adoption={"setup_cost": 30_000},
    )
    totals = estimate(profile).totals
    assert totals.market_share.mean == pytest.approx(1_200_000, rel=EXACT)
    assert totals.net.mean == pytest.approx(105_000 + 1_200_000 - 30_000, rel=EXACT)


def test_probability_net_positive_when_cost_exceeds_gain() -> None:
    profile = worked_example(adoption={"setup_cost": 200_000})
    totals = estimate(profile).totals
    assert totals.net.mean == pytest.approx(-95_000, rel=EXACT)
    assert totals.probability_net_positive == 0.0


def test_annual_run_rate_sums_levers_at_full_effect_undiscounted() -> None:
    profile = certain(
        discount_rate=0.3,
        uplifts={"productivity": 0.25},
        operations={"headcount": 10, "loaded_cost_per_fte": 50000},
        leads={"leads_per_year": 4800, "cpl": 100},
    )
    assert estimate(profile).totals.annual.mean == pytest.approx(220_000, rel=EXACT)


def test_lever_starting_after_the_horizon_is_worth_nothing_in_it() -> None:
    profile = worked_example(diagnostic=12.0)
    report = estimate(profile)
    assert report.totals.gross.mean == 0
    assert report.totals.annual.mean == pytest.approx(120_000, rel=EXACT)


def test_every_part_at_once_against_design_md_summed_month_by_month() -> None:
    """Five levers, market share and both adoption costs in one profile, with a fractional
    diagnostic and discounting: the wiring between the parts, not only each part alone."""
    horizon, rate, diagnostic = 24, 0.1, 0.75
    profile = certain(
        horizon=horizon,
        discount_rate=rate,
        diagnostic=diagnostic,
        uplifts={"productivity": 0.2, "meetings": 1.0, "retention": 0.5},
        time_to_value={"productivity": 4.5, "retention": 2.5},
        finance={"annual_revenue": 5_000_000, "gross_margin": 0.4},
        operations={"headcount": 30, "loaded_cost_per_fte": 50_000},
        sales={"qualified_meetings_per_year": 300, "close_rate": 0.25, "average_deal_value": 8000},
        leads={"leads_per_year": 4000, "cpl": 30},
        retention={
            "new_customers_per_year": 500,
            "retention_90d": 0.7,
            "annual_revenue_per_customer": 1500,
        },
        ecommerce={"orders_per_year": 20_000, "return_rate": 0.15, "cost_per_return": 10},
        market={"erosion_per_year": 0.02},
        adoption={"setup_cost": 50_000, "annual_run_cost": 24_000},
    )
    # V per lever (DESIGN.md's table), and T: overridden, or the catalogue's point defaults.
    values = {
        "productivity": (30 * 50_000 * 0.2 / 1.2, 4.5),
        "meetings": (300 * 1.0 * 0.25 * 8000 * 0.4, 1.5),
        "cpl": (4000 * 30 * 0.25, 1.0),
        "retention": (500 * (min(0.7 * 1.5, 1) - 0.7) * 1500 * 0.4, 2.5),
        "returns": (20_000 * 0.15 * (1 - 10 / 18) * 10, 9.0),
    }

    def discount(month: int) -> float:
        return float((1 + rate) ** (-month / 12))

    def gross(start: int) -> float:
        return sum(
            month_loop_gross(value, horizon, rate, start + diagnostic, months)
            for value, months in values.values()
        )

    def cost(start: int) -> float:
        run = sum(24_000 / 12 * discount(m) for m in range(start + 1, horizon + 1))
        return 50_000 * discount(start + 1) + run

    market_share = sum(
        5_000_000 * 0.4 / 12 * (1 - (1 - 0.02) ** (m / 12)) * discount(m)
        for m in range(1, horizon + 1)
    )
    report = estimate(profile)
    totals = report.totals
    for lever_id, (value, months) in values.items():
        assert lever(report, lever_id).annual.mean == pytest.approx(value, rel=EXACT)
        assert lever(report, lever_id).horizon.mean == pytest.approx(
            month_loop_gross(value, horizon, rate, diagnostic, months), rel=EXACT
        )
    assert totals.annual.mean == pytest.approx(sum(v for v, _ in values.values()), rel=EXACT)
    assert totals.gross.mean == pytest.approx(gross(0), rel=EXACT)
    assert totals.market_share.mean == pytest.approx(market_share, rel=EXACT)
    assert totals.adoption_cost.mean == pytest.approx(cost(0), rel=EXACT)
    net_now = gross(0) + market_share - cost(0)
    net_later = gross(1) + market_share - cost(1)
    assert totals.net.mean == pytest.approx(net_now, rel=EXACT)
    assert totals.cost_of_delay_per_month.mean == pytest.approx(net_now - net_later, rel=1e-10)
