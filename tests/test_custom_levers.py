"""Custom levers (DESIGN.md, "Custom levers"): exact values, streams keyed by id, and every
view that shows a catalogue lever shows them too."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import reference_model as ref
from crosscheck import reference_of, scenario
from inaction_cli.cli import app
from inaction_cli.engine import simulate
from support import certain, estimate, lever, month_loop_gross

EXACT = 1e-12
runner = CliRunner()


def custom(**fields: object) -> dict[str, object]:
    lever = {
        "label": "Support tickets answered by an AI assistant",
        "kind": "saving",
        "factors": {"tickets_per_year": 40_000, "cost_per_ticket": 7.5},
        "uplift": 0.3,
        "time_to_value_months": 2,
        "source": "Vendor case study, 2025",
    }
    lever.update(fields)
    return lever


def test_a_saving_lever_is_the_product_of_its_factors_and_its_uplift() -> None:
    report = estimate(certain(custom_levers={"support": custom()}))
    support = lever(report, "support")
    # V = 40,000 × 7.5 × 0.3 = 90,000 a year; D = 1, T = 2, H = 12, r = 0: Σf = 10.5.
    assert support.annual.mean == pytest.approx(90_000, rel=EXACT)
    assert support.horizon.mean == pytest.approx(7_500 * 10.5, rel=EXACT)
    assert support.label == "Support tickets answered by an AI assistant"
    assert support.benchmark.source == "Vendor case study, 2025"
    assert support.benchmark.evidence == "claimed range"


def test_a_revenue_lever_is_valued_at_gross_margin() -> None:
    profile = certain(
        finance={"gross_margin": 0.4},
        custom_levers={
            "upsell": custom(kind="revenue", factors={"orders": 10_000, "basket": 80}, uplift=0.05)
        },
    )
    # V = 10,000 × 80 × 0.05 × 0.4 = 16,000
    assert lever(estimate(profile), "upsell").annual.mean == pytest.approx(16_000, rel=EXACT)


@pytest.mark.parametrize(("lag", "ramp"), [(0, 2), (3, 2), (2.5, 4.5), (3, 0), (11.5, 1)])
@pytest.mark.parametrize("rate", [0.0, 0.08])
def test_lags_and_ramps_match_a_month_by_month_sum(lag: float, ramp: float, rate: float) -> None:
    profile = certain(
        discount_rate=rate,
        custom_levers={"support": custom(starts_after_months=lag, time_to_value_months=ramp)},
    )
    totals = estimate(profile).totals
    now = month_loop_gross(90_000, 12, rate, 1.0 + lag, ramp)
    later = month_loop_gross(90_000, 12, rate, 2.0 + lag, ramp)
    assert totals.gross.mean == pytest.approx(now, rel=1e-12, abs=1e-9)
    assert totals.cost_of_delay_per_month.mean == pytest.approx(now - later, rel=1e-12, abs=1e-9)


def test_the_default_ramp_is_the_article_s_phase_two() -> None:
    fields = custom()
    del fields["time_to_value_months"]
    report = estimate(certain(custom_levers={"support": fields}))
    ramp = lever(report, "support").benchmark.time_to_value_months
    assert (ramp.low, ramp.high) == (3.0, 9.0)


SCENARIO = """
analysis: {samples: 4000, seed: 11, horizon_months: 30}
finance: {gross_margin: {low: 0.3, high: 0.5}}
operations: {headcount: 12, loaded_cost_per_fte: {low: 40000, high: 60000}}
custom_levers:
  support:
    label: Support deflection
    kind: saving
    factors: {tickets_per_year: {low: 30000, high: 50000}, cost_per_ticket: {low: 6, high: 9}}
    uplift: {low: 0.2, high: 0.4, distribution: pert}
    time_to_value_months: {low: 2, high: 4}
    starts_after_months: {low: 1, high: 3}
    source: Vendor case study
  upsell:
    label: Recommendations
    kind: revenue
    factors: {orders: 10000, basket: {low: 60, high: 90}}
    uplift: {low: 0.02, high: 0.08}
    source: Pilot
adoption: {setup_cost: {low: 50000, high: 80000}, annual_run_cost: 12000}
"""


def test_the_engine_matches_the_independent_month_loop_on_the_same_draws() -> None:
    plan = scenario(SCENARIO)
    outcome = simulate(plan)
    reference = reference_of(plan)
    for index, result in enumerate(outcome.levers):
        assert result.annual.mean == pytest.approx(
            ref.lever_annual(reference, index).mean(), rel=1e-12
        )
        assert result.horizon.mean == pytest.approx(
            ref.lever_horizon(reference, index).mean(), rel=1e-12
        )
    net = ref.net(reference)
    np.testing.assert_allclose(outcome.net_samples, net, rtol=1e-11)
    assert outcome.cost_of_delay_per_month.mean == pytest.approx(
        ref.cost_of_delay(reference).mean(), rel=1e-10
    )


def run_json(text: str) -> dict:
    result = runner.invoke(app, ["estimate", "-", "-f", "json", "-q"], input=text)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_removing_a_custom_lever_leaves_every_other_lever_byte_identical() -> None:
    full = run_json(SCENARIO)
    start = SCENARIO.index("  upsell:")
    end = SCENARIO.index("adoption:")
    without = run_json(SCENARIO[:start] + SCENARIO[end:])
    kept = {item["id"]: item for item in without["levers"]}
    assert set(kept) == {"productivity", "support"}
    for item in full["levers"]:
        if item["id"] in kept:
            assert item == kept[item["id"]]
    assert without["totals"]["adoption_cost"] == full["totals"]["adoption_cost"]


def test_reordering_custom_levers_changes_no_number() -> None:
    start, middle, end = (
        SCENARIO.index("  support:"),
        SCENARIO.index("  upsell:"),
        SCENARIO.index("adoption:"),
    )
    swapped = SCENARIO[:start] + SCENARIO[middle:end] + SCENARIO[start:middle] + SCENARIO[end:]
    first, second = run_json(SCENARIO), run_json(swapped)
    by_id = {item["id"]: item for item in second["levers"]}
    for item in first["levers"]:
        assert item == by_id[item["id"]]
    assert first["totals"] == second["totals"]


def test_custom_levers_in_every_view() -> None:
    text = SCENARIO + (
        "correlations:\n"
        "  - {inputs: [custom_levers.support.uplift, benchmarks.productivity], "
        "rank_correlation: 0.5}\n"
    )
    table = runner.invoke(app, ["estimate", "-", "--sensitivity"], input=text)
    assert table.exit_code == 0, table.stderr
    assert "Support deflection" in table.stdout
    assert "support uplift" in table.stdout
    explained = runner.invoke(app, ["explain", "-", "--lever", "support"], input=text)
    assert explained.exit_code == 0, explained.stderr
    assert "V = tickets_per_year × cost_per_ticket × u" in explained.stdout
    assert "Source: Vendor case study" in explained.stdout
    assert "L, months after the diagnostic" in explained.stdout
    markdown = runner.invoke(app, ["estimate", "-", "-f", "markdown"], input=text)
    assert "| Recommendations |" in markdown.stdout
    data = run_json(text)
    upsell = next(item for item in data["levers"] if item["id"] == "upsell")
    assert upsell["benchmark"]["source"] == "Pilot"
    assert upsell["benchmark"]["evidence"] == "claimed range"


def test_custom_levers_in_batch_and_diff(tmp_path) -> None:  # type: ignore[no-untyped-def]
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(SCENARIO, encoding="utf-8")
    new.write_text(SCENARIO.replace("{low: 0.02, high: 0.08}", "0.1"), encoding="utf-8")
    batch = runner.invoke(app, ["batch", str(old), str(new), "-f", "json"])
    assert batch.exit_code == 0, batch.stderr
    assert [item["status"] for item in json.loads(batch.stdout)["profiles"]] == ["ok", "ok"]
    compared = runner.invoke(app, ["diff", str(old), str(new), "-f", "json"])
    assert compared.exit_code == 0, compared.stderr
    lines = {line["id"]: line for line in json.loads(compared.stdout)["levers"]}
    assert lines["support"]["status"] == "unchanged"
    assert lines["upsell"]["status"] == "changed"
