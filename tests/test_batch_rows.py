"""A batch row computes only what it shows: the figures of the full estimate, bit for bit."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from inaction_cli import api
from inaction_cli.build_scenario import NO_OVERRIDES, Overrides
from inaction_cli.engine import headline, simulate
from inaction_cli.loader import Document, load, parse
from support import SCENARIOS, certain

NO_COST = certain(
    leads={"leads_per_year": 4800, "cpl": 100},
    time_to_value={"cpl": 2},
)
"""No adoption cost: no ROI, no payback ("none" in a row)."""

CLIPPED_AND_CAPPED = """
analysis: {samples: 3000, seed: 5, horizon_months: 30, discount_rate: 0.1}
finance: {gross_margin: {low: 0.3, high: 0.5}, annual_revenue: 4000000}
retention: {new_customers_per_year: 500, retention_90d: {low: 0.6, high: 0.99},
            annual_revenue_per_customer: 900}
adoption:
  setup_cost: {low: 20000, high: 40000}
  annual_run_cost: 9000
risk:
  success_probability: {low: 0.05, high: 0.95, distribution: normal90}
  pilot_months: 5
  cost_overrun: {low: 0.9, high: 1.8, distribution: lognormal90}
"""
"""Clipped draws (a lognormal90 overrun), a capped lever, a pilot that may fail."""


def documents() -> list[tuple[str, Document]]:
    bundled = [(path.name, load(str(path))) for path in sorted(SCENARIOS.glob("*.yaml"))]
    written = yaml.safe_dump(NO_COST, sort_keys=False).encode()
    # The payback loop of a row stops once every succeeding sample has paid back: profiles
    # where none can fail, where every pilot fails, and where some never pay back.
    sme = (SCENARIOS / "sme.yaml").read_text(encoding="utf-8")
    never = sme.replace("success_probability: {low: 0.6, high: 0.8}", "success_probability: 0")
    slow = sme.replace("annual_run_cost: 40000", "annual_run_cost: 400000")  # 24 % pay back
    return [
        *bundled,
        ("no-cost", parse(written, "no-cost.yaml")),
        ("clipped-and-capped", parse(CLIPPED_AND_CAPPED.encode(), "clipped.yaml")),
        ("every-pilot-fails", parse(never.encode(), "never.yaml")),
        ("some-never-pay-back", parse(slow.encode(), "slow.yaml")),
        ("certain-success", parse(sme.split("\nrisk:")[0].encode(), "certain.yaml")),
    ]


OVERRIDES = {
    "default": NO_OVERRIDES,
    "p10-p90-3000": Overrides(samples=3000, percentiles=(10.0, 50.0, 90.0)),
}


@pytest.mark.parametrize("overrides", OVERRIDES.values(), ids=OVERRIDES.keys())
@pytest.mark.parametrize(("name", "document"), documents(), ids=lambda value: str(value))
def test_a_batch_row_has_the_figures_of_the_full_estimate(
    name: str, document: Document, overrides: Overrides
) -> None:
    report = api.estimate_document(document, overrides)
    row = api.estimate_row(document, overrides)
    decision = report.decision
    assert decision is not None
    totals = report.totals
    assert row.provenance == report.provenance
    assert row.settings == report.settings
    # Exact equality: the same draws, summarised by the same calls.
    assert row.net == totals.net
    assert row.annual == totals.annual
    assert row.cost_of_delay_per_month == totals.cost_of_delay_per_month
    assert row.probability_net_positive == totals.probability_net_positive
    assert row.roi == decision.roi
    assert row.payback_month == decision.payback_month
    assert row.break_even_success_probability == decision.break_even_success_probability
    assert row.decision_figures() == report.decision_figures()
    assert row.warnings == report.warnings
    assert row.stats(row.net) == report.stats(totals.net)


def test_the_edge_cases_are_covered() -> None:
    """The profiles above reach what a row can say: no cost, clipped and capped warnings."""
    rows = {name: api.estimate_row(document) for name, document in documents()}
    assert rows["no-cost"].roi is None
    assert rows["no-cost"].payback_month is None
    warnings = " ".join(rows["clipped-and-capped"].warnings)
    assert "were clipped" in warnings
    assert "the value counts only up to that ceiling" in warnings


def test_the_headline_of_a_run_is_the_full_runs() -> None:
    scenario = api.scenario_of(load(str(SCENARIOS / "sme.yaml")))
    full, top = simulate(scenario).headline, headline(scenario)
    assert top == full
    assert (top.net_samples == full.net_samples).all()


def test_a_batch_item_travels_to_a_worker_and_back() -> None:
    import pickle

    item = api.batch([str(SCENARIOS / "sme.yaml")]).items[0]
    assert item.row is not None
    copy: Any = pickle.loads(pickle.dumps(item))
    assert copy.to_dict() == item.to_dict()
