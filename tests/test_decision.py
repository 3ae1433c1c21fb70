"""The decision figures (DESIGN.md, "Decision figures"): each against a hand computation on a
degenerate profile, two-point cases, statistics, a property, and the independent month loop."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from typer.testing import CliRunner

import reference_model as ref
from crosscheck import reference_of, scenario
from inaction_cli.cli import app
from inaction_cli.engine import draw_input, simulate
from strategies import profiles
from support import certain, estimate
from test_risk import EVERYTHING, worked_example

EXACT = 1e-12
runner = CliRunner()


def with_costs(**changes: Any) -> dict[str, Any]:
    """The worked example with a setup cost of 12,000 and a run cost of 1,200 a year."""
    profile = worked_example(adoption={"setup_cost": 12_000, "annual_run_cost": 1_200})
    for section, value in changes.items():
        profile[section] = {**profile.get(section, {}), **value}
    return profile


def test_every_figure_of_a_degenerate_profile_by_hand() -> None:
    report = estimate(with_costs())
    decision = report.decision
    assert decision is not None
    # Benefits 0, 5,000, then 10,000 a month; costs 12,100, then 100 a month (r = 0).
    benefits = [0, 5_000] + [10_000] * 10
    costs = [12_100] + [100] * 11
    cumulative = np.cumsum(np.subtract(benefits, costs))
    for month, summary in enumerate(report.timeline, start=1):
        assert summary.mean == pytest.approx(cumulative[month - 1], rel=EXACT, abs=1e-9), month
    # The first month whose cumulative net is ≥ 0 with a cost paid: month 3 (−7,200 → 2,700).
    assert cumulative[1] < 0 <= cumulative[2]
    assert decision.payback_month is not None
    assert decision.payback_month.percentiles == (3.0, 3.0, 3.0)
    assert decision.payback_month.probability_within_horizon == 1.0
    # ROI = (B − C) / C = (105,000 − 13,200) / 13,200
    assert decision.roi is not None
    assert decision.roi.mean == pytest.approx(91_800 / 13_200, rel=EXACT)
    (year,) = decision.cash_flow_by_year
    assert (year.year, year.months) == (1, 12)
    assert year.benefits.mean == pytest.approx(105_000, rel=EXACT)
    assert year.costs.mean == pytest.approx(13_200, rel=EXACT)
    assert year.net.mean == pytest.approx(91_800, rel=EXACT)


@pytest.mark.parametrize(
    ("delay", "net"),
    [
        (0, 91_800),
        # s = 1: Σf = 9.5, setup in month 2, run in months 2–12: 95,000 − 13,100
        (1, 95_000 - 13_100),
        # s = 3: f = 0.5 in month 5, then 1 for months 6–12: Σf = 7.5; 12,000 + 9 × 100
        (3, 75_000 - 12_900),
        # s = 6: f = 0.5 in month 8, then 1 for months 9–12: Σf = 4.5; 12,000 + 6 × 100
        (6, 45_000 - 12_600),
    ],
)
def test_each_delay_by_hand(delay: int, net: float) -> None:
    decision = estimate(with_costs()).decision
    assert decision is not None
    found = {item.months: item for item in decision.delays}
    assert set(found) == {0, 1, 3, 6}  # 12 ≥ H = 12 is dropped
    assert found[delay].net.mean == pytest.approx(net, rel=EXACT)
    assert found[delay].cost_of_waiting.mean == pytest.approx(91_800 - net, rel=EXACT, abs=1e-9)


def test_two_years_of_cash_flow() -> None:
    profile = with_costs(analysis={"horizon_months": 18})
    decision = estimate(profile).decision
    assert decision is not None
    first, second = decision.cash_flow_by_year
    assert (second.year, second.months) == (2, 6)
    assert first.benefits.mean == pytest.approx(105_000, rel=EXACT)
    assert second.benefits.mean == pytest.approx(60_000, rel=EXACT)
    assert second.costs.mean == pytest.approx(600, rel=EXACT)
    assert second.net.mean == pytest.approx(59_400, rel=EXACT)


def test_cd3_by_hand_and_ties_by_id() -> None:
    lever = {
        "label": "Same",
        "kind": "saving",
        "factors": {"base": 240_000},
        "uplift": 0.5,
        "time_to_value_months": 2,
        "source": "Test",
    }
    profile = certain(custom_levers={"zulu": lever, "alpha": lever, "mike": {**lever, "uplift": 1}})
    decision = estimate(profile).decision
    assert decision is not None
    assert [item.id for item in decision.priority] == ["mike", "alpha", "zulu"]
    alpha = next(item for item in decision.priority if item.id == "alpha")
    # V = 120,000: CoD = 10,000 × (10.5 − 9.5); D + L + T = 3 months; CD3 = CoD / 3.
    assert alpha.cost_of_delay_per_month.mean == pytest.approx(10_000, rel=EXACT)
    assert alpha.months_to_full_effect.mean == pytest.approx(3, rel=EXACT)
    assert alpha.cd3.mean == pytest.approx(10_000 / 3, rel=EXACT)


def test_a_lever_with_a_short_ramp_comes_before_a_bigger_slow_one() -> None:
    quick = {
        "label": "Quick",
        "kind": "saving",
        "factors": {"base": 60_000},
        "uplift": 1,
        "time_to_value_months": 0,
        "source": "Test",
    }
    slow = {**quick, "label": "Slow", "factors": {"base": 120_000}, "time_to_value_months": 11}
    decision = estimate(certain(custom_levers={"slow": slow, "quick": quick})).decision
    assert decision is not None
    assert [item.id for item in decision.priority] == ["quick", "slow"]


# --- two-point cases: success is the only uncertainty ------------------------------------


def two_point(samples: int = 10_000) -> dict[str, Any]:
    return worked_example(
        adoption={"annual_run_cost": 1_200},
        risk={"success_probability": 0.7, "pilot_months": 3},
        analysis={"samples": samples},
    )


def test_break_even_chance_of_success_is_exact() -> None:
    decision = estimate(two_point()).decision
    assert decision is not None
    # N_s = 103,800 and C_f = 300 in every sample: p* = 300 / 104,100.
    assert decision.break_even_success_probability == pytest.approx(300 / 104_100, rel=EXACT)


def test_evpi_is_the_evppi_of_the_success_draw() -> None:
    report = estimate(two_point())
    voi = report.decision.value_of_information  # type: ignore[union-attr]
    share = 1 - report.risk.probability_pilot_fails  # type: ignore[union-attr]
    assert voi.evpi == pytest.approx((1 - share) * 300, rel=1e-9)
    best = voi.inputs[0]
    assert best.input == "risk.success"
    assert best.evppi == pytest.approx(voi.evpi, rel=1e-9)
    assert voi.worth_measuring is False  # 90 against a mean net of 72,500: the decision is clear


def test_payback_p95_is_null_when_more_than_five_percent_fail() -> None:
    report = estimate(two_point())
    payback = report.decision.payback_month  # type: ignore[union-attr]
    assert payback is not None
    assert payback.percentiles[-1] is None
    # Succeeding samples pay back in month 2: −100, then 5,000 − 100 (no setup cost here).
    assert payback.percentiles[0] == 2.0
    share = 1 - report.risk.probability_pilot_fails  # type: ignore[union-attr]
    assert payback.probability_within_horizon == pytest.approx(share, abs=1e-12)
    data = report.to_dict()["decision"]["payback_month"]
    assert data["p95"] is None
    assert data["p5"] == 2


def test_no_cost_no_roi_no_payback() -> None:
    report = estimate(worked_example())
    decision = report.decision
    assert decision is not None
    assert decision.roi is None
    assert decision.payback_month is None
    assert report.to_dict()["decision"]["roi"] is None


@pytest.mark.parametrize(
    "adoption",
    [
        {"setup_cost": 0, "annual_run_cost": 0},
        {"costs": {"late": {"label": "After the horizon", "one_off": 5_000, "month": 120}}},
        {"costs": {"free": {"label": "Free tier", "monthly": 0, "from_month": 1}}},
    ],
    ids=["zero", "after-the-horizon", "zero-monthly"],
)
def test_costs_of_nothing_are_no_cost(adoption: dict[str, Any]) -> None:
    # Cost lines that add up to nothing within the horizon are no cost: nothing to pay back
    # (not "beyond the horizon in 0 % of the outcomes") and no return on it.
    profile = worked_example(adoption=adoption)
    decision = estimate(profile).decision
    assert decision is not None
    assert decision.roi is None
    assert decision.payback_month is None
    result = runner.invoke(app, ["estimate", "-"], input=json.dumps(profile))
    assert "Payback: no cost to pay back" in result.stdout
    assert "Return on investment: not defined (no cost)" in result.stdout


# --- statistics against closed forms -------------------------------------------------------


def test_roi_mean_against_its_closed_form() -> None:
    # u ~ U(0.2, 0.3) on a cpl lever of 480,000 a year; a one-off cost of 60,000 (r = 0):
    # B = 480,000 u / 12 × 10.5, so E[ROI] = E[B] / C − 1 with E[u] = 0.25.
    profile = worked_example(adoption={"setup_cost": 60_000}, analysis={"samples": 20_000})
    profile["leads"] = {"leads_per_year": 4800, "cpl": 100}
    profile["benchmarks"]["cpl"].update(low=0.2, high=0.3)
    roi = estimate(profile).decision.roi  # type: ignore[union-attr]
    assert roi is not None
    scale = 480_000 / 12 * 10.5 / 60_000  # ROI = scale × u − 1
    expected = scale * 0.25 - 1
    standard_error = scale * 0.1 / math.sqrt(12) / math.sqrt(20_000)
    assert roi.mean == pytest.approx(expected, abs=4 * standard_error)


@given(profiles())
def test_evppi_never_exceeds_evpi(profile: dict[str, Any]) -> None:
    profile["risk"] = {"success_probability": {"low": 0.3, "high": 0.9}}
    voi = estimate(profile).decision.value_of_information  # type: ignore[union-attr]
    for item in voi.inputs:
        assert 0 <= item.evppi <= voi.evpi, item.input


# --- against the independent month loop ----------------------------------------------------


def test_decision_figures_match_the_independent_month_loop() -> None:
    plan = scenario(EVERYTHING)
    outcome = simulate(plan)
    reference = reference_of(plan)
    percentiles = plan.settings.percentiles

    def close(summary: Any, values: np.ndarray, name: str) -> None:
        assert summary.mean == pytest.approx(values.mean(), rel=1e-9, abs=1e-6), name
        np.testing.assert_allclose(
            summary.percentiles, np.percentile(values, percentiles), rtol=1e-9, atol=1e-6
        )

    for month, summary in enumerate(outcome.timeline, start=1):
        close(summary, ref.timeline(reference)[month - 1], f"month {month}")
    for year, flow in zip(ref.cash_flow_by_year(reference), outcome.cash_flow, strict=True):
        close(flow.benefits, year.benefits, "benefits")
        close(flow.costs, year.costs, "costs")
        close(flow.net, year.net, "net")
    for expected, found in zip(ref.delays(reference), outcome.delays, strict=True):
        assert expected.months == found.months
        close(found.net, expected.net, f"net({found.months})")
        close(found.cost_of_waiting, expected.cost_of_waiting, f"waiting({found.months})")
    roi = ref.roi(reference)
    assert roi is not None
    assert outcome.roi is not None
    close(outcome.roi, roi, "roi")
    payback = ref.payback_summary(ref.payback_month(reference), percentiles)
    assert outcome.payback is not None
    assert outcome.payback.percentiles == tuple(payback[f"p{p:g}"] for p in percentiles)
    assert outcome.payback.probability_within_horizon == payback["probability_within_horizon"]
    for expected, found in zip(ref.priority(reference), outcome.levers, strict=True):
        close(found.cost_of_delay_per_month, expected.cost_of_delay, "cod")
        close(found.months_to_full_effect, expected.months_to_full_effect, "months")
        close(found.cd3, expected.cd3, "cd3")
    report = runner.invoke(app, ["estimate", "-", "-f", "json", "-q"], input=EVERYTHING)
    data = json.loads(report.stdout)["decision"]
    p_star = ref.break_even_success_probability(reference)
    assert data["break_even_success_probability"] == pytest.approx(p_star, abs=1e-6)
    ranked = [item["id"] for item in data["priority"]]
    assert ranked == ref.rank_priority(ref.priority(reference))
    net = ref.net(reference)
    voi = data["value_of_information"]
    assert voi["evpi"] == pytest.approx(ref.evpi(net), abs=0.01)
    for item in voi["inputs"]:
        draws = draw_input(plan, item["input"])
        expected = ref.evppi(net, draws, by_value=item["input"] == "risk.success")
        assert item["evppi"] == pytest.approx(max(expected, 0.0), abs=0.01), item["input"]


# --- the command line ----------------------------------------------------------------------


def test_the_decision_block_and_its_views() -> None:
    result = runner.invoke(
        app, ["estimate", "-", "--cash-flow", "--delays", "0,3,6", "--timeline"], input=EVERYTHING
    )
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for text in (
        "Decision",
        "Return on investment:",
        "Payback:",
        "Adopting beats waiting while the chance of success is above",
        "Start with",
        "Cash flow by year, undiscounted",
        "What waiting costs",
        "A later start shortens the benefit window",
        "Cumulative net by quarter",
    ):
        assert text in out, text
    assert max(len(line) for line in out.splitlines()) <= 80
    data = json.loads(
        runner.invoke(
            app, ["estimate", "-", "-f", "json", "--delays", "0,3,6"], input=EVERYTHING
        ).stdout
    )
    assert [item["months"] for item in data["decision"]["delays"]] == [0, 3, 6]
    assert data["settings"]["delays"] == [0, 3, 6]


def test_bad_delays_are_usage_errors() -> None:
    result = runner.invoke(app, ["estimate", "-", "--delays", "3,x"], input=EVERYTHING)
    assert result.exit_code == 2
    assert "--delays" in result.stderr
    assert "whole numbers of months" in result.stderr


def test_delays_past_the_horizon_are_said_to_be_dropped() -> None:
    result = runner.invoke(
        app,
        ["estimate", "-", "--horizon", "12", "--delays", "0,3,12,24", "-f", "json"],
        input=EVERYTHING,
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    horizon = document["settings"]["horizon_months"]
    assert horizon == 12
    assert [row["months"] for row in document["decision"]["delays"]] == [0, 3]
    said = (
        "start delays of 12 months or more leave no benefit within the horizon and "
        "are not reported: 12, 24"
    )
    assert f"warning: {said}\n" in result.stderr
    assert said in document["warnings"]
    # The default delays (0, 1, 3, 6, 12) are a menu, not a request: no warning for them.
    quiet = runner.invoke(app, ["estimate", "-", "--horizon", "12", "-f", "json"], input=EVERYTHING)
    assert "start delays" not in quiet.stderr


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_no_delay_within_the_horizon_says_so_instead_of_an_empty_table(fmt: str) -> None:
    result = runner.invoke(
        app, ["estimate", "-", "--horizon", "12", "--delays", "40", "-f", fmt], input=EVERYTHING
    )
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "What waiting costs" in text
    assert "No start delay asked for falls within the horizon: nothing to show." in text
    assert "Start in" not in text


def test_a_profile_with_no_lever_and_no_cost_has_nothing_to_decide() -> None:
    """The blank starter: no verdict ("adopting does not pay") from no data at all."""
    result = runner.invoke(app, ["estimate", "-", "-q"], input="company: {name: Blank}\n")
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Nothing to decide yet: no lever is active and adopting costs nothing" in text
    assert "does not pay" not in text
