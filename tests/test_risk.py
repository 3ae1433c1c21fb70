"""The risk-adjusted business case (DESIGN.md, "Risk", "Costs", "The model"): each part against
a hand computation, the properties that tie it to the claimed figure, and its streams."""

from __future__ import annotations

import copy
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st
from typer.testing import CliRunner

import reference_model as ref
from crosscheck import reference_of, scenario
from inaction_cli.api import scenario_of
from inaction_cli.cli import app
from inaction_cli.engine import draw_input, simulate
from inaction_cli.loader import parse
from strategies import profiles
from support import certain, estimate, lever

EXACT = 1e-12
runner = CliRunner()


def worked_example(**changes: Any) -> dict[str, Any]:
    """DESIGN.md's worked example: V = 120,000 a year (cpl), H = 12, r = 0, D = 1, T = 2."""
    profile = certain(
        leads={"leads_per_year": 4800, "cpl": 100},  # 4,800 × 100 × 0.25 = 120,000
        time_to_value={"cpl": 2},
    )
    for section, value in changes.items():
        if isinstance(value, dict) and isinstance(profile.get(section), dict):
            profile[section] = {**profile[section], **value}
        else:
            profile[section] = value
    return profile


def samples(profile: dict[str, Any], path: str = "net") -> np.ndarray:
    """Every sample of the net (or of an input) of a profile."""
    plan = scenario_of(parse(json.dumps(profile).encode(), "p.yaml"))
    if path == "net":
        return simulate(plan).net_samples
    return draw_input(plan, path)


# --- DESIGN.md's worked example, with its risk figures -----------------------------------


def test_the_worked_example_with_risk_holds_exactly() -> None:
    profile = worked_example(
        adoption={"annual_run_cost": 1_200},
        risk={"success_probability": 0.7, "pilot_months": 3},
        analysis={"samples": 10_000},
    )
    net = samples(profile)
    success = samples(profile, "risk.success")
    # A failing sample pays three months of 100; a succeeding one nets 105,000 − 1,200.
    assert set(np.unique(net).tolist()) == {-300.0, 103_800.0}
    np.testing.assert_array_equal(net == 103_800.0, success == 1.0)
    share = success.mean()
    assert share == pytest.approx(0.7, abs=4 * np.sqrt(0.21 / 10_000))
    report = estimate(profile)
    assert report.totals.net.mean == pytest.approx(share * 103_800 - (1 - share) * 300, rel=EXACT)
    # With exactly 70 % of the samples succeeding, the mean is DESIGN.md's 72,570.
    assert pytest.approx(72_570, rel=EXACT) == 0.7 * 103_800 - 0.3 * 300
    assert report.as_claimed is not None
    assert report.as_claimed.net.mean == pytest.approx(103_800, rel=EXACT)
    assert report.risk is not None
    assert report.risk.probability_pilot_fails == pytest.approx(1 - share, abs=1e-12)
    assert report.risk.failed_pilot_cost.mean == pytest.approx(300, rel=EXACT)


# --- costs, each kind against a hand computation -----------------------------------------


@pytest.mark.parametrize(
    ("line", "now", "later"),
    [
        # 3,000 in adoption month 2: model month 2 now, 3 a month later (r = 0).
        ({"label": "Integration", "one_off": 3000, "month": 2}, 3_000, 3_000),
        # 3,000 in adoption month 12: now month 12; a month later, month 13 is past H = 12.
        ({"label": "Late", "one_off": 3000, "month": 12}, 3_000, 0),
        # 500 a month in adoption months 1–9: 4,500 now; a month later, model months 2–10.
        ({"label": "Bootcamps", "monthly": 500, "from_month": 1, "to_month": 9}, 4_500, 4_500),
        # 500 a month from adoption month 6 to the horizon: months 6–12 now, 7–12 later.
        ({"label": "MLOps", "monthly": 500, "from_month": 6}, 3_500, 3_000),
    ],
)
def test_each_kind_of_cost_line(line: dict[str, Any], now: float, later: float) -> None:
    report = estimate(worked_example(adoption={"costs": {"item": line}}))
    totals = report.totals
    assert totals.adoption_cost.mean == pytest.approx(now, rel=EXACT)
    assert totals.net.mean == pytest.approx(105_000 - now, rel=EXACT)
    # cost of delay = gross delay (10,000) − what a month's wait saves of this line
    assert totals.cost_of_delay_per_month.mean == pytest.approx(10_000 - (now - later), rel=EXACT)


def test_cost_lines_are_discounted_by_their_months() -> None:
    rate = 0.1
    profile = worked_example(
        analysis={"discount_rate": rate},
        adoption={
            "setup_cost": 10_000,
            "costs": {
                "once": {"label": "Once", "one_off": 2_000, "month": 3},
                "each": {"label": "Each", "monthly": 100, "from_month": 2, "to_month": 4},
            },
        },
    )
    d = [(1 + rate) ** (-m / 12) for m in range(13)]
    expected = 10_000 * d[1] + 2_000 * d[3] + 100 * (d[2] + d[3] + d[4])
    assert estimate(profile).totals.adoption_cost.mean == pytest.approx(expected, rel=EXACT)


def test_a_failed_pilot_pays_its_months_only_and_delivers_nothing() -> None:
    profile = worked_example(
        finance={"annual_revenue": 1_200_000, "gross_margin": 1.0},
        market={"erosion_per_year": 1.0},
        adoption={
            "setup_cost": 5_000,
            "annual_run_cost": 12_000,
            "costs": {
                "early": {"label": "Early", "one_off": 700, "month": 2},
                "late": {"label": "Late", "one_off": 900, "month": 4},
            },
        },
        risk={"success_probability": 0.0, "pilot_months": 3},
    )
    report = estimate(profile)
    # Setup 5,000, three months of 1,000, the one-off of month 2; not the one of month 4.
    assert report.totals.net.mean == pytest.approx(-(5_000 + 3_000 + 700), rel=EXACT)
    assert report.totals.gross.mean == 0
    assert report.totals.market_share.mean == 0
    assert report.totals.annual.mean == 0
    assert report.totals.probability_net_positive == 0
    assert report.risk is not None
    assert report.risk.probability_pilot_fails == 1.0


def test_overrun_multiplies_every_cost() -> None:
    base = {"setup_cost": 10_000, "costs": {"x": {"label": "X", "monthly": 100}}}
    plain = estimate(worked_example(adoption=base)).totals.adoption_cost.mean
    over = estimate(worked_example(adoption=base, risk={"cost_overrun": 1.5})).totals
    assert over.adoption_cost.mean == pytest.approx(1.5 * plain, rel=EXACT)
    assert plain == pytest.approx(10_000 + 1_200, rel=EXACT)


def test_realisation_global_per_lever_and_per_custom_lever() -> None:
    custom = {
        "label": "Tickets",
        "kind": "saving",
        "factors": {"tickets": 1000, "cost": 12},
        "uplift": 0.5,
        "time_to_value_months": 2,
        "source": "Test",
    }
    profile = worked_example(custom_levers={"tickets": custom}, risk={"realisation": 0.5})
    report = estimate(profile)
    assert lever(report, "cpl").annual.mean == pytest.approx(60_000, rel=EXACT)
    assert lever(report, "tickets").annual.mean == pytest.approx(3_000, rel=EXACT)
    # A lever's own realisation wins over the risk section's.
    profile["benchmarks"]["cpl"]["realisation"] = 0.25
    profile["custom_levers"]["tickets"]["realisation"] = 1.0
    report = estimate(profile)
    assert lever(report, "cpl").annual.mean == pytest.approx(30_000, rel=EXACT)
    assert lever(report, "cpl").horizon.mean == pytest.approx(0.25 * 105_000, rel=EXACT)
    assert lever(report, "tickets").annual.mean == pytest.approx(6_000, rel=EXACT)
    assert report.as_claimed is not None
    assert report.as_claimed.net.mean == pytest.approx(105_000 + 6_000 / 120_000 * 105_000)


def test_affected_share_and_a_lag() -> None:
    profile = certain(
        uplifts={"productivity": 0.25},
        time_to_value={"productivity": 2},
        operations={"headcount": 10, "loaded_cost_per_fte": 50_000, "affected_share": 0.4},
    )
    report = estimate(profile)
    # 10 × 0.4 × 50,000 × 0.25 / 1.25 = 40,000 a year: 3,333.33 a month, Σf = 10.5.
    assert lever(report, "productivity").annual.mean == pytest.approx(40_000, rel=EXACT)
    profile["benchmarks"]["productivity"]["starts_after_months"] = 3
    lagged = estimate(profile)
    # D = 1, L = 3, T = 2: f = 0 to month 4, 0.5 in month 5, then 1 for months 6–12: Σf = 7.5.
    assert lever(lagged, "productivity").horizon.mean == pytest.approx(40_000 / 12 * 7.5)


# --- properties ----------------------------------------------------------------------------


def with_risk(profile: dict[str, Any], **risk: Any) -> dict[str, Any]:
    changed = copy.deepcopy(profile)
    changed["risk"] = risk
    return changed


@given(profiles())
def test_certain_success_realisation_and_overrun_give_the_claimed_net(
    profile: dict[str, Any],
) -> None:
    report = estimate(with_risk(profile, success_probability=1, realisation=1, cost_overrun=1))
    assert report.as_claimed is not None
    assert report.totals.net == report.as_claimed.net
    assert report.totals.probability_net_positive == report.as_claimed.probability_net_positive


@given(profiles(), st.floats(0, 1), st.floats(0, 1))
def test_a_lower_chance_of_success_never_raises_the_mean_net_of_a_worthwhile_project(
    profile: dict[str, Any], first: float, second: float
) -> None:
    """Lowering p turns some succeeding samples into failing ones, with the same draws. That
    lowers the net where succeeding is worth at least failing (N_s ≥ −C_f); for a project
    whose costs after the pilot exceed its benefits, failing early is the better outcome."""
    low, high = sorted((first, second))
    plan = scenario_of(
        parse(json.dumps(with_risk(profile, success_probability=high)).encode(), "p")
    )
    reference = reference_of(plan)
    worthwhile = ref.net(reference.with_(success=1.0)) >= -ref.adoption_cost(
        reference.with_(success=0.0)
    )
    assume(bool(np.all(worthwhile)))
    note(f"p from {high} down to {low}")
    lower = estimate(with_risk(profile, success_probability=low)).totals.net.mean
    higher = estimate(with_risk(profile, success_probability=high)).totals.net.mean
    assert lower <= higher + 1e-9 * max(1.0, abs(higher))


@given(profiles())
def test_adding_a_cost_line_or_a_risk_input_moves_no_other_draw(profile: dict[str, Any]) -> None:
    before = scenario_of(parse(json.dumps(profile).encode(), "p"))
    changed = copy.deepcopy(profile)
    changed.setdefault("adoption", {})["costs"] = {
        "extra": {"label": "Extra", "monthly": {"low": 10, "high": 20}}
    }
    changed["risk"] = {
        "success_probability": {"low": 0.4, "high": 0.9},
        "realisation": {"low": 0.5, "high": 1},
        "cost_overrun": {"low": 1, "high": 2},
    }
    after = scenario_of(parse(json.dumps(changed).encode(), "p"))
    # A cost line replaces the default setup cost (a share of finance.dev_budget): that input
    # goes; every input that stays keeps its draws.
    kept = set(before.uncertain_inputs()) & set(after.inputs())
    default_setup = {"adoption.setup_share_of_dev_budget", "finance.dev_budget"}
    assert kept >= set(before.uncertain_inputs()) - default_setup
    for path in kept:
        np.testing.assert_array_equal(draw_input(before, path), draw_input(after, path), path)


@given(profiles())
def test_risk_adjusted_percentiles_are_ordered(profile: dict[str, Any]) -> None:
    report = estimate(
        with_risk(
            profile,
            success_probability={"low": 0.3, "high": 0.9},
            realisation={"low": 0.5, "high": 1},
            cost_overrun={"low": 1, "high": 3, "distribution": "lognormal90"},
        )
    )
    assert report.as_claimed is not None
    assert report.risk is not None
    summaries = [
        report.totals.net,
        report.totals.gross,
        report.totals.adoption_cost,
        report.as_claimed.net,
        report.risk.failed_pilot_cost,
        *(item.annual for item in report.levers),
        *(item.horizon for item in report.levers),
    ]
    for summary in summaries:
        assert list(summary.percentiles) == sorted(summary.percentiles)


# --- against the independent month loop, with everything uncertain ----------------------

EVERYTHING = """
analysis: {samples: 3000, seed: 5, horizon_months: 30, discount_rate: 0.1}
finance: {gross_margin: {low: 0.3, high: 0.5}, annual_revenue: 4000000}
operations: {headcount: 12, loaded_cost_per_fte: {low: 40000, high: 60000}, affected_share: 0.6}
retention: {new_customers_per_year: 500, retention_90d: {low: 0.6, high: 0.95},
            annual_revenue_per_customer: 900}
market: {erosion_per_year: {low: 0.01, high: 0.05}}
custom_levers:
  tickets:
    label: Tickets
    kind: revenue
    factors: {tickets: {low: 1000, high: 3000}, value: 40}
    uplift: {low: 0.1, high: 0.3}
    starts_after_months: {low: 0, high: 4}
    realisation: {low: 0.3, high: 0.9}
    source: Test
adoption:
  setup_cost: {low: 20000, high: 40000}
  annual_run_cost: 9000
  costs:
    once: {label: Once, one_off: {low: 1000, high: 5000}, month: 4}
    each: {label: Each, monthly: 700, from_month: 2, to_month: 8}
risk:
  success_probability: {low: 0.4, high: 0.8}
  pilot_months: 5
  realisation: {low: 0.5, high: 1.0}
  cost_overrun: {low: 0.9, high: 1.8, distribution: lognormal90}
benchmarks: {retention: {starts_after_months: 2, realisation: 0.7}}
"""


def test_everything_uncertain_matches_the_independent_month_loop() -> None:
    plan = scenario(EVERYTHING)
    outcome = simulate(plan)
    reference = reference_of(plan)
    np.testing.assert_allclose(outcome.net_samples, ref.net(reference), rtol=1e-10, atol=1e-6)
    checks = {
        "gross": (outcome.gross, ref.gross(reference)),
        "market": (outcome.market_share, ref.market_share(reference)),
        "cost": (outcome.adoption_cost, ref.adoption_cost(reference)),
        "delay": (outcome.cost_of_delay_per_month, ref.cost_of_delay(reference)),
        "annual": (outcome.annual, ref.run_rate(reference)),
        "claimed": (outcome.claimed_net, ref.as_claimed_net(reference)),
    }
    for name, (summary, values) in checks.items():
        assert summary.mean == pytest.approx(values.mean(), rel=1e-10, abs=1e-6), name
        expected = np.percentile(values, plan.settings.percentiles)
        np.testing.assert_allclose(summary.percentiles, expected, rtol=1e-10, atol=1e-6)
    for index, result in enumerate(outcome.levers):
        assert result.horizon.mean == pytest.approx(
            ref.lever_horizon(reference, index).mean(), rel=1e-10
        )
    success = draw_input(plan, "risk.success")
    assert outcome.failure_probability == pytest.approx(1 - success.mean(), abs=1e-12)


# --- the command line ----------------------------------------------------------------------


def test_the_table_shows_claimed_and_risk_adjusted_side_by_side() -> None:
    result = runner.invoke(app, ["estimate", "-"], input=EVERYTHING)
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "as claimed (S = 1, ρ = 1, Ω = 1)" in out
    assert "Chance that the pilot fails:" in out
    assert "stopped after 5 months" in out
    assert "90-day retention (e-mail) [claimed]" in out
    assert "[anecdote]: one company's story" in out
    assert "retention: in " in out
    assert "past 100 %" in out


def test_json_has_as_claimed_and_risk() -> None:
    result = runner.invoke(app, ["estimate", "-", "-f", "json", "-q"], input=EVERYTHING)
    data = json.loads(result.stdout)
    assert set(data["as_claimed"]) == {"net", "probability_net_positive"}
    assert data["risk"]["given"] is True
    assert data["risk"]["pilot_months"] == 5
    retention = next(item for item in data["levers"] if item["id"] == "retention")
    assert retention["benchmark"]["realisation"]["low"] == 0.7
    assert retention["benchmark"]["starts_after_months"]["low"] == 2
    assert retention["benchmark"]["evidence"] == "claimed range"


def test_no_risk_section_says_the_figure_is_as_claimed() -> None:
    result = runner.invoke(
        app, ["estimate", "-", "-f", "json"], input="leads: {leads_per_year: 10, cpl: 5}"
    )
    assert "warning: no risk: section: the figure is as the article claims it" in result.stderr
    data = json.loads(result.stdout)
    assert data["as_claimed"]["net"] == data["totals"]["net"]
    assert data["risk"]["given"] is False
