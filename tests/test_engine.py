"""The engine's statistics: means against closed forms, streams, chunks and the timeline."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from inaction_cli.api import estimate_document, scenario_of
from inaction_cli.build_scenario import Overrides, build_scenario
from inaction_cli.catalogue import catalogue
from inaction_cli.distributions import Uncertain, stream
from inaction_cli.engine import Timeline, net_samples, simulate
from inaction_cli.loader import parse
from inaction_cli.profile import validate
from support import SCENARIOS, certain, estimate, lever

SAMPLES = 20_000


def uniform_sd(low: float, high: float) -> float:
    return (high - low) / math.sqrt(12)


def within_standard_errors(value: float, expected: float, sd: float, samples: int) -> bool:
    """Four standard errors: a false alarm about once in 16,000 runs (and the seed is fixed)."""
    return abs(value - expected) <= 4 * sd / math.sqrt(samples)


def test_mean_of_a_uniform_uplift_matches_its_closed_form() -> None:
    # cac: V = 800 × 750 × u, u ~ U(0.20, 0.35): mean 600,000 × 0.275, sd 600,000 × 0.15/√12
    profile = certain(acquisition={"new_customers_per_year": 800, "cac": 750})
    profile["analysis"]["samples"] = SAMPLES
    summary = lever(estimate(profile), "cac").annual
    assert within_standard_errors(summary.mean, 165_000, 600_000 * uniform_sd(0.2, 0.35), SAMPLES)
    # The median of a uniform is its midpoint; P5 and P95 sit 5 % in from each end.
    p5, p50, p95 = summary.percentiles
    assert p50 == pytest.approx(165_000, rel=0.01)
    assert p5 == pytest.approx(600_000 * (0.2 + 0.05 * 0.15), rel=0.01)
    assert p95 == pytest.approx(600_000 * (0.35 - 0.05 * 0.15), rel=0.01)


def test_mean_of_productivity_matches_its_closed_form() -> None:
    # E[u / (1 + u)] for u ~ U(a, b) is 1 − ln((1 + b) / (1 + a)) / (b − a).
    a, b = 0.15, 0.25
    profile = certain(operations={"headcount": 40, "loaded_cost_per_fte": 55_000})
    profile["analysis"]["samples"] = SAMPLES
    summary = lever(estimate(profile), "productivity").annual
    expected = 2_200_000 * (1 - math.log((1 + b) / (1 + a)) / (b - a))
    sd = 2_200_000 * uniform_sd(a / (1 + a), b / (1 + b))  # bounds the true sd from above
    assert within_standard_errors(summary.mean, expected, sd, SAMPLES)


def test_mean_of_a_product_of_independent_uniform_inputs() -> None:
    profile = certain(
        uplifts={"cpl": 0.25},
        leads={"leads_per_year": {"low": 4000, "high": 6000}, "cpl": {"low": 30, "high": 50}},
    )
    profile["analysis"]["samples"] = SAMPLES
    summary = lever(estimate(profile), "cpl").annual
    # E[XY] = E[X] E[Y] for independent draws: 5,000 × 40 × 0.25 = 50,000
    sd_x, sd_y = uniform_sd(4000, 6000), uniform_sd(30, 50)
    sd = 0.25 * math.sqrt((sd_x * 40) ** 2 + (sd_y * 5000) ** 2 + (sd_x * sd_y) ** 2)
    assert within_standard_errors(summary.mean, 50_000, sd, SAMPLES)


def test_a_shared_input_is_drawn_once_for_every_lever() -> None:
    # ctr and roas both read finance.gross_margin: with everything else certain, their
    # annual values are the same multiple of the one margin draw, sample by sample.
    profile = certain(
        uplifts={"ctr": 0.5, "roas": 0.5},
        finance={"gross_margin": {"low": 0.2, "high": 0.6}},
        email={"annual_revenue": 100_000},
        advertising={"programmatic_spend": 100_000, "roas": 2.0},
    )
    profile["analysis"]["samples"] = 5_000
    report = estimate(profile)
    ctr, roas = lever(report, "ctr").annual, lever(report, "roas").annual
    # roas = 2 × ctr for every sample, so every statistic is doubled exactly.
    assert roas.mean == pytest.approx(2 * ctr.mean, rel=1e-12)
    for ctr_value, roas_value in zip(ctr.percentiles, roas.percentiles, strict=True):
        assert roas_value == pytest.approx(2 * ctr_value, rel=1e-12)
    # Independent draws would give a narrower band of the sum than this perfect correlation.
    total = report.totals.annual
    assert total.percentiles[2] - total.percentiles[0] == pytest.approx(
        3 * (ctr.percentiles[2] - ctr.percentiles[0]), rel=1e-9
    )


SME_WITH_FOUR_LEVERS = """
analysis: {samples: 3000, seed: 7}
finance: {annual_revenue: 12000000, gross_margin: {low: 0.4, high: 0.5}}
operations: {headcount: 40, loaded_cost_per_fte: {low: 50000, high: 60000}}
acquisition: {new_customers_per_year: 800, cac: {low: 600, high: 900}}
email: {annual_revenue: 900000}
advertising: {programmatic_spend: 200000, roas: 3.0}
market: {erosion_per_year: {low: 0.01, high: 0.03}}
adoption: {setup_cost: {low: 70000, high: 110000}, annual_run_cost: 40000}
"""


def run_text(text: str) -> dict:
    return estimate_document(parse(text.encode(), "p.yaml")).to_dict()


def test_removing_a_lever_leaves_every_other_lever_byte_identical() -> None:
    full = run_text(SME_WITH_FOUR_LEVERS)
    without_email = run_text(SME_WITH_FOUR_LEVERS.replace("email: {annual_revenue: 900000}\n", ""))
    kept = {item["id"]: item for item in without_email["levers"]}
    assert set(kept) == {"productivity", "cac", "roas"}
    for item in full["levers"]:
        if item["id"] in kept:
            assert item == kept[item["id"]]
    assert without_email["totals"]["market_share"] == full["totals"]["market_share"]
    assert without_email["totals"]["adoption_cost"] == full["totals"]["adoption_cost"]


def test_reordering_sections_changes_no_number() -> None:
    lines = SME_WITH_FOUR_LEVERS.strip().splitlines()
    reordered = "\n".join([lines[0], *reversed(lines[1:])])
    first, second = run_text(SME_WITH_FOUR_LEVERS), run_text(reordered)
    # Levers come out in catalogue order whatever the order of the sections.
    assert first["levers"] == second["levers"]
    assert first["totals"] == second["totals"]


def test_adding_an_input_range_changes_only_what_reads_it() -> None:
    base = run_text(SME_WITH_FOUR_LEVERS)
    wider = run_text(SME_WITH_FOUR_LEVERS.replace("roas: 3.0", "roas: {low: 2.5, high: 3.5}"))
    assert [i for i in base["levers"] if i["id"] != "roas"] == [
        i for i in wider["levers"] if i["id"] != "roas"
    ]


@pytest.mark.parametrize("chunk", [1, 7, 1000, 2999, 3000, 1 << 20])
def test_chunk_size_changes_no_number(chunk: int) -> None:
    profile = validate(parse(SME_WITH_FOUR_LEVERS.encode(), "p.yaml"), catalogue())
    scenario = build_scenario(profile, catalogue(), "p")
    assert simulate(scenario, chunk_size=chunk) == simulate(scenario)


@pytest.mark.parametrize("scenario_file", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
@pytest.mark.parametrize("capacity", [1, 2, 3, 7, 11])
def test_the_outputs_split_into_passes_change_no_number(
    scenario_file: Path, capacity: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten million samples do not fit in memory at once: the outputs are computed in passes
    (a year's three flows may fall in two). Forced here at 2,000 samples. A later pass starts
    the timeline's running sums from a closed form, equal to the last bits: the report, to
    the cent, is the same."""
    from inaction_cli import engine

    document = parse(scenario_file.read_bytes(), "p.yaml")
    whole = estimate_document(document, Overrides(samples=2000)).to_dict()
    monkeypatch.setattr(engine, "OUTPUT_BUDGET", 8 * 2000 * capacity)
    assert estimate_document(document, Overrides(samples=2000)).to_dict() == whole


HELD = {path.stem: path.read_bytes() for path in sorted(SCENARIOS.glob("*.yaml"))}
HELD["sme-correlated"] = HELD["sme"] + (
    b"correlations: [{inputs: [finance.gross_margin, advertising.roas], rank_correlation: 0.5}]\n"
)


@pytest.mark.parametrize("name", list(HELD))
def test_a_held_input_gives_the_net_of_a_run_with_it_fixed_bit_for_bit(name: str) -> None:
    """The tornado's shortcut: each chunk drawn once, a held input recomputing only what reads
    it, equals a whole run of the scenario with that input fixed (inputs outside any
    correlation: fixing a correlated one re-pairs its group, and reruns)."""
    from inaction_cli.distributions import quantile
    from inaction_cli.engine import held_medians, median

    scenario = scenario_of(parse(HELD[name], "p.yaml"), Overrides(samples=3000))
    correlated = {path for pair in scenario.correlations for path in (pair.first, pair.second)}
    holds = [
        (path, quantile(item.value, share))
        for path, item in scenario.uncertain_inputs().items()
        if path not in correlated
        for share in (0.1, 0.9)
    ]
    expected = [median(net_samples(scenario.with_fixed(path, value))) for path, value in holds]
    assert held_medians(scenario, holds, chunk_size=1000) == expected


@pytest.mark.parametrize("name", list(HELD))
def test_held_medians_on_threads_change_no_number(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tornado's chunks computed on threads (forced at 3,000 samples, chunks of 300) and
    its medians taken by selection: the same medians as on one thread by partition."""
    from inaction_cli import engine, parallel, selection
    from inaction_cli.distributions import quantile

    scenario = scenario_of(parse(HELD[name], "p.yaml"), Overrides(samples=3000))
    holds = [
        (path, quantile(item.value, 0.25)) for path, item in scenario.uncertain_inputs().items()
    ][:6]
    monkeypatch.setattr(parallel, "WORKERS", 1)
    alone = engine.held_medians(scenario, holds, chunk_size=300)
    monkeypatch.setattr(parallel, "WORKERS", 3)
    monkeypatch.setattr(parallel, "WORTH_IT", 0)
    monkeypatch.setattr(selection, "SELECT_FROM", 1000)
    assert engine.held_medians(scenario, holds, chunk_size=300) == alone


CORRELATED_MARKET = b"""
market: {erosion_per_year: {low: 0.01, high: 0.03}}
correlations: [{inputs: [finance.gross_margin, market.erosion_per_year], rank_correlation: 0.5}]
"""


@pytest.mark.parametrize(
    "text",
    [path.read_bytes() for path in sorted(SCENARIOS.glob("*.yaml"))]
    + [(SCENARIOS / "sme.yaml").read_bytes() + CORRELATED_MARKET],
    ids=[path.stem for path in sorted(SCENARIOS.glob("*.yaml"))] + ["sme-correlated-market"],
)
def test_net_samples_is_the_net_of_simulate_bit_for_bit(text: bytes) -> None:
    """The tornado's shortcut: no summaries, no cost of delay, the same net."""
    scenario = scenario_of(parse(text, "p.yaml"))
    for chunk in (1000, 1 << 18):
        assert np.array_equal(net_samples(scenario, chunk), simulate(scenario, chunk).net_samples)


@pytest.mark.parametrize("family", ["uniform", "triangular", "pert", "normal90", "lognormal90"])
def test_drawing_in_chunks_equals_drawing_at_once(family: str) -> None:
    from inaction_cli.distributions import Distribution, sample

    value = Uncertain(
        1.0, 3.0, Distribution(family), 1.5 if family in ("triangular", "pert") else None
    )
    whole = sample(value, stream(1, "x"), 1000)
    rng = stream(1, "x")
    parts = np.concatenate([sample(value, rng, size) for size in (1, 99, 400, 500)])
    np.testing.assert_array_equal(whole, parts)


def test_streams_depend_on_seed_and_path_only() -> None:
    a = stream(42, "acquisition.cac").random(5)
    np.testing.assert_array_equal(a, stream(42, "acquisition.cac").random(5))
    assert not np.array_equal(a, stream(43, "acquisition.cac").random(5))
    assert not np.array_equal(a, stream(42, "acquisition.cacx").random(5))


def test_timeline_prefix_sums() -> None:
    timeline = Timeline.build(24, 0.08)
    discount = 1.08 ** (-np.arange(1, 25) / 12)
    np.testing.assert_allclose(timeline.discount_sum[1:], np.cumsum(discount), rtol=1e-14)
    np.testing.assert_allclose(
        timeline.weighted_sum[1:], np.cumsum(np.arange(1, 25) * discount), rtol=1e-14
    )
    assert timeline.factors[13] == pytest.approx(1.08 ** (-13 / 12), rel=1e-14)


def test_ramp_sum_is_vectorised_over_samples() -> None:
    from support import month_loop_gross

    timeline = Timeline.build(36, 0.08)
    rng = np.random.default_rng(3)
    start = rng.uniform(0, 40, 500)
    time_to_value = rng.uniform(0, 12, 500)
    time_to_value[:20] = 0.0
    sums = timeline.ramp_sum(start, time_to_value)
    expected = [
        month_loop_gross(12.0, 36, 0.08, s, t) for s, t in zip(start, time_to_value, strict=True)
    ]
    np.testing.assert_allclose(sums, expected, rtol=1e-12, atol=1e-12)


def test_clipped_tails_are_reported() -> None:
    profile = certain(
        uplifts={"ctr": 0.3},
        finance={"gross_margin": {"low": 0.5, "high": 0.99, "distribution": "normal90"}},
        email={"annual_revenue": 100_000},
    )
    profile["analysis"]["samples"] = 10_000
    report = estimate(profile)
    warning = next(w for w in report.warnings if w.startswith("finance.gross_margin"))
    assert "clipped" in warning
    assert lever(report, "ctr").annual.percentiles[2] <= 100_000 * 0.3 * 1.0


def test_outcome_is_a_value() -> None:
    profile = validate(parse(SME_WITH_FOUR_LEVERS.encode(), "p.yaml"), catalogue())
    outcome = simulate(build_scenario(profile, catalogue(), "p"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.net = outcome.gross  # type: ignore[misc]


@pytest.mark.parametrize("name", list(HELD))
def test_threads_change_no_number(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large run computes its chunks, sorts and partitions on threads: the same report,
    byte for byte, as on one thread (forced here at 3,000 samples, in chunks of 700, so that
    several chunks are in flight at once)."""
    import functools

    from inaction_cli import api, engine, parallel

    monkeypatch.setattr(api, "simulate", functools.partial(engine.simulate, chunk_size=700))
    document = parse(HELD[name], "p.yaml")
    monkeypatch.setattr(parallel, "WORKERS", 1)
    alone = estimate_document(document, Overrides(samples=3000)).to_dict()
    monkeypatch.setattr(parallel, "WORKERS", 3)
    monkeypatch.setattr(parallel, "WORTH_IT", 0)
    assert estimate_document(document, Overrides(samples=3000)).to_dict() == alone
