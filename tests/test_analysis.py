"""Correlations, data quality, the tornado, the histogram and Monte Carlo precision."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from inaction_cli.api import scenario_of
from inaction_cli.cli import app
from inaction_cli.correlation import spearman
from inaction_cli.engine import draw_input, simulate
from inaction_cli.loader import parse
from inaction_cli.uncertainty import histogram, sensitivity
from support import SCENARIOS, certain, estimate, lever

runner = CliRunner()


def scenario(profile: dict[str, Any], **changes: Any) -> Any:
    raw = yaml.safe_dump(profile, sort_keys=False).encode()
    return scenario_of(parse(raw, "test.yaml"))


def two_uplifts(rank: float | None, samples: int = 100_000) -> dict[str, Any]:
    """CTR and ROAS, everything certain but their uplifts (the catalogue's ranges)."""
    profile: dict[str, Any] = {
        "analysis": {"samples": samples, "horizon_months": 24},
        "finance": {"gross_margin": 0.5},
        "email": {"annual_revenue": 1_000_000},
        "advertising": {"programmatic_spend": 300_000, "roas": 3.0},
        "adoption": {"diagnostic_months": 1.0},
        "benchmarks": {"ctr": {"time_to_value_months": 3}, "roas": {"time_to_value_months": 3}},
    }
    if rank is not None:
        profile["correlations"] = [
            {"inputs": ["benchmarks.ctr", "benchmarks.roas"], "rank_correlation": rank}
        ]
    return profile


# --- correlation ------------------------------------------------------------------------


@pytest.mark.parametrize("rank", [0.6, -0.5, 0.9, 0.0])
def test_achieved_rank_correlation_is_within_0_02_of_the_target(rank: float) -> None:
    plan = scenario(two_uplifts(rank))
    achieved = spearman(draw_input(plan, "benchmarks.ctr"), draw_input(plan, "benchmarks.roas"))
    assert achieved is not None
    assert abs(achieved - rank) < 0.02


def test_marginals_are_unchanged_by_correlation() -> None:
    alone, paired = scenario(two_uplifts(None)), scenario(two_uplifts(0.8))
    for path in ("benchmarks.ctr", "benchmarks.roas"):
        before, after = draw_input(alone, path), draw_input(paired, path)
        np.testing.assert_array_equal(np.sort(before), np.sort(after))
        assert not np.array_equal(before, after), "the pairing changed"


def test_positive_correlation_widens_the_net_band() -> None:
    def band(rank: float | None) -> float:
        net = estimate(two_uplifts(rank, samples=50_000)).totals.net.percentiles
        return net[2] - net[0]

    independent, together, opposed = band(None), band(0.9), band(-0.9)
    assert together > independent * 1.15
    assert opposed < independent * 0.85


def test_a_correlation_moves_nothing_outside_its_pair() -> None:
    profile = two_uplifts(None, samples=5_000)
    profile["operations"] = {"headcount": {"low": 10, "high": 20}, "loaded_cost_per_fte": 50_000}
    before = estimate(profile)
    profile["correlations"] = [
        {"inputs": ["benchmarks.ctr", "benchmarks.roas"], "rank_correlation": 0.7}
    ]
    after = estimate(profile)
    assert lever(before, "productivity") == lever(after, "productivity")
    # The marginal statistics do not move: the same samples, only paired differently (the
    # mean may differ in its last bit, summed in another order).
    for name in ("annual", "horizon"):
        old, new = getattr(lever(before, "ctr"), name), getattr(lever(after, "ctr"), name)
        assert old.percentiles == new.percentiles
        assert old.mean == pytest.approx(new.mean, rel=1e-12)


@pytest.mark.parametrize("chunk", [999, 1 << 20])
def test_correlated_runs_do_not_depend_on_the_chunk_size(chunk: int) -> None:
    plan = scenario(two_uplifts(0.5, samples=5_000))
    assert simulate(plan, chunk_size=chunk) == simulate(plan)


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (
            [{"inputs": ["benchmarks.ctr", "benchmarks.roass"], "rank_correlation": 0.5}],
            "correlations[0].inputs[1]: 'benchmarks.roass' is not an input of this profile; "
            "did you mean 'benchmarks.roas'?",
        ),
        (
            [{"inputs": ["benchmarks.ctr", "email.annual_revenue"], "rank_correlation": 0.5}],
            "'email.annual_revenue' is a fixed number: give it a range to correlate it",
        ),
        (
            [{"inputs": ["benchmarks.ctr", "benchmarks.ctr"], "rank_correlation": 0.5}],
            "an input cannot be correlated with itself",
        ),
        (
            [
                {"inputs": ["benchmarks.ctr", "benchmarks.roas"], "rank_correlation": 0.5},
                {"inputs": ["benchmarks.roas", "benchmarks.ctr"], "rank_correlation": 0.2},
            ],
            "correlations[1].inputs: this pair is already correlated (correlations[0])",
        ),
        (
            [{"inputs": ["benchmarks.ctr", "benchmarks.roas"], "rank_correlation": 1.5}],
            "correlations[0].rank_correlation: must be at most 1",
        ),
        (
            [{"inputs": ["benchmarks.ctr"], "rank_correlation": 0.5}],
            "correlations[0].inputs: expected at least 2 inputs, got 1",
        ),
        (
            [
                {"inputs": ["benchmarks.ctr", "benchmarks.roas"], "rank_correlation": 0.9},
                {"inputs": ["benchmarks.roas", "finance.gross_margin"], "rank_correlation": 0.9},
                {"inputs": ["benchmarks.ctr", "finance.gross_margin"], "rank_correlation": -0.9},
            ],
            "correlations: the correlations between benchmarks.ctr, benchmarks.roas, "
            "finance.gross_margin cannot all hold at once",
        ),
    ],
)
def test_bad_correlations_are_clear_errors(
    pairs: list[dict[str, Any]], message: str, tmp_path: Path
) -> None:
    profile = two_uplifts(None, samples=1000)
    profile["finance"]["gross_margin"] = {"low": 0.4, "high": 0.6}
    profile["correlations"] = pairs
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["estimate", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith(f"{path}:")
    assert "Traceback" not in result.stderr


# --- data quality -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quality", "mode"),
    [("low", 0.3), ("medium", 0.45), ("high", 0.6), (0.25, 0.375), (1, 0.6)],
)
def test_data_quality_places_the_mode_of_the_ctr_uplift(quality: Any, mode: float) -> None:
    profile = two_uplifts(None, samples=2000)
    profile["email"]["data_quality"] = quality
    document = estimate(profile).to_dict()
    ctr = next(item for item in document["levers"] if item["id"] == "ctr")["benchmark"]
    assert ctr["distribution"] == "pert"
    assert ctr["mode"] == pytest.approx(mode)
    assert (ctr["low"], ctr["high"]) == (0.3, 0.6)


def test_better_data_gives_a_higher_ctr_value() -> None:
    means = []
    for quality in ("low", "medium", "high"):
        profile = two_uplifts(None, samples=20_000)
        profile["email"]["data_quality"] = quality
        means.append(lever(estimate(profile), "ctr").annual.mean)
    assert means == sorted(means)
    # PERT means (low + 4 mode + high) / 6 of the uplift, on 500,000 of margin-valued revenue
    for quality, mean in zip((0.3, 0.45, 0.6), means, strict=True):
        assert mean == pytest.approx(500_000 * (0.3 + 4 * quality + 0.6) / 6, rel=0.01)


def test_without_data_quality_the_ctr_uplift_stays_uniform() -> None:
    document = estimate(two_uplifts(None, samples=1000)).to_dict()
    ctr = next(item for item in document["levers"] if item["id"] == "ctr")["benchmark"]
    assert ctr["distribution"] == "uniform"


def test_data_quality_clashes_with_a_ctr_distribution(tmp_path: Path) -> None:
    profile = two_uplifts(None, samples=1000)
    profile["email"]["data_quality"] = "high"
    profile["benchmarks"]["ctr"]["distribution"] = "triangular"
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "email.data_quality: email.data_quality shapes the CTR uplift" in result.stderr


@pytest.mark.parametrize("quality", ["excellent", 1.5, True])
def test_data_quality_values_are_checked(quality: Any, tmp_path: Path) -> None:
    profile = two_uplifts(None, samples=1000)
    profile["email"]["data_quality"] = quality
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "email.data_quality" in result.stderr


# --- tornado ----------------------------------------------------------------------------


def test_tornado_matches_hand_computed_swings() -> None:
    # Only leads_per_year is uncertain: the net is 4,000–6,000 × 100 × 0.25 × Σf / 12 ...
    profile = certain(
        horizon=12,
        leads={"leads_per_year": {"low": 4000, "high": 6000}, "cpl": 100},
        time_to_value={"cpl": 2},
    )
    plan = scenario(profile)
    result = sensitivity(plan, simulate(plan))
    (entry,) = result.inputs
    assert entry.path == "leads.leads_per_year"
    assert (entry.low, entry.high) == pytest.approx((4200, 5800))
    # ... and with it held, the net is certain: V × 10.5 / 12 (the worked example's Σf).
    assert entry.net_at_low == pytest.approx(4200 * 25 * 10.5 / 12, rel=1e-12)
    assert entry.net_at_high == pytest.approx(5800 * 25 * 10.5 / 12, rel=1e-12)
    assert entry.rank_correlation == pytest.approx(1.0)


def test_the_dominant_input_ranks_first() -> None:
    profile = certain(
        horizon=24,
        uplifts={"productivity": 0.2},
        operations={
            "headcount": {"low": 10, "high": 1000},
            "loaded_cost_per_fte": {"low": 50_000, "high": 51_000},
        },
        leads={"leads_per_year": {"low": 4000, "high": 4100}, "cpl": 40},
    )
    profile["analysis"]["samples"] = 4000
    plan = scenario(profile)
    result = sensitivity(plan, simulate(plan))
    assert [entry.path for entry in result.inputs][:1] == ["operations.headcount"]
    swings = [entry.swing for entry in result.inputs]
    assert swings == sorted(swings, reverse=True)
    assert result.inputs[0].rank_correlation > 0.95


def test_an_input_that_cannot_move_the_net_has_zero_swing() -> None:
    # The diagnostic outlasts the horizon: no lever ever ramps, so its time to value is moot.
    profile = certain(
        horizon=12,
        diagnostic=20.0,
        leads={"leads_per_year": {"low": 4000, "high": 6000}, "cpl": 40},
        time_to_value={"cpl": 2},
    )
    profile["benchmarks"]["cpl"]["time_to_value_months"] = {"low": 1, "high": 6}
    plan = scenario(profile)
    result = sensitivity(plan, simulate(plan))
    swings = {entry.path: entry.swing for entry in result.inputs}
    assert swings["benchmarks.cpl.time_to_value_months"] == 0.0
    assert swings["leads.leads_per_year"] == 0.0


def test_input_labels() -> None:
    text = b"finance: {gross_margin: 0.4}\nemail: {annual_revenue: 1000}\nadoption: {setup_cost: 1}"
    inputs = scenario_of(parse(text, "p.yaml")).inputs()
    assert inputs["benchmarks.ctr"].name == "ctr uplift"
    assert inputs["benchmarks.ctr.time_to_value_months"].name == "ctr months to full effect"
    assert inputs["finance.gross_margin"].name == "finance.gross_margin"


# --- histogram and precision --------------------------------------------------------------


def test_histogram_counts_every_sample_and_marks_percentiles() -> None:
    values = np.random.default_rng(1).normal(100.0, 10.0, 10_000)
    result = histogram(values, (5.0, 50.0, 95.0))
    assert sum(result.counts) == 10_000
    assert len(result.edges) == len(result.counts) + 1
    for percentile, value, index in result.marks:
        assert value == pytest.approx(np.percentile(values, percentile))
        assert result.edges[index] <= value <= result.edges[index + 1]
    assert result.open_ends


def test_histogram_of_a_constant() -> None:
    result = histogram(np.full(50, 7.0), (50.0,))
    assert result.counts == (50,)
    assert result.marks == ((50.0, 7.0, 0),)


def test_precision_is_the_standard_error() -> None:
    profile = two_uplifts(None, samples=20_000)
    plan = scenario(profile)
    outcome = simulate(plan)
    net = outcome.net_samples
    assert outcome.net_mean_standard_error == pytest.approx(net.std(ddof=1) / math.sqrt(20_000))
    # The batch estimate of the median's error is near the asymptotic sd × √(π/2) / √n.
    asymptotic = net.std() * math.sqrt(math.pi / 2) / math.sqrt(20_000)
    assert outcome.net_median_standard_error == pytest.approx(asymptotic, rel=0.6)


def test_too_few_samples_warn_about_precision() -> None:
    few = estimate(two_uplifts(None, samples=100))
    warning = next(w for w in few.warnings if w.startswith("Monte Carlo precision"))
    assert "with 100 samples the net P50 is known to ±" in warning
    assert "samples would bring it under 0.5 %" in warning
    enough = estimate(two_uplifts(None, samples=20_000))
    assert not any(w.startswith("Monte Carlo precision") for w in enough.warnings)


# --- through the command line -------------------------------------------------------------

SME = str(SCENARIOS / "sme.yaml")


def test_sensitivity_table() -> None:
    result = runner.invoke(app, ["estimate", SME, "--sensitivity"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "What drives the net" in out
    assert "productivity uplift" in out
    assert "P10 0.16 → P90 0.24" in out
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80


def test_sensitivity_json_is_ranked_by_swing() -> None:
    result = runner.invoke(app, ["estimate", SME, "--sensitivity", "-f", "json"])
    document = json.loads(result.stdout)
    entries = document["sensitivity"]["inputs"]
    assert [entry["swing"] for entry in entries] == sorted(
        (entry["swing"] for entry in entries), reverse=True
    )
    assert entries[0]["path"] == "risk.realisation"  # the scenario's largest swing
    assert document["sensitivity"]["net_p50"] == document["totals"]["net"]["p50"]
    assert document["schema_version"] == "1.2"
    plain = json.loads(runner.invoke(app, ["estimate", SME, "-f", "json"]).stdout)
    assert "sensitivity" not in plain
    assert plain["totals"] == document["totals"]


def test_sensitivity_markdown() -> None:
    result = runner.invoke(app, ["estimate", SME, "--sensitivity", "-f", "markdown"])
    assert "#### What drives the net" in result.stdout
    assert "| productivity uplift | P10 0.16 → P90 0.24 |" in result.stdout


def test_histogram_in_the_terminal() -> None:
    result = runner.invoke(app, ["estimate", SME, "--histogram"])
    assert result.exit_code == 0
    out = result.stdout
    assert "Distribution of the net cost of inaction — 20,000 samples" in out
    for mark in ("◀ P5 -€159k", "◀ P50 €925k", "◀ P95 €1.4M"):
        assert mark in out
    assert out.count("│") >= 20


def test_histogram_in_markdown_and_json() -> None:
    markdown = runner.invoke(app, ["estimate", SME, "--histogram", "-f", "markdown"]).stdout
    assert "```text\n" in markdown
    assert "◀ P50" in markdown
    document = json.loads(runner.invoke(app, ["estimate", SME, "--histogram", "-f", "json"]).stdout)
    assert sum(document["histogram"]["counts"]) == 20_000


def test_exports(tmp_path: Path) -> None:
    svg, html = tmp_path / "report.svg", tmp_path / "report.html"
    result = runner.invoke(
        app,
        [
            "estimate",
            SME,
            "--histogram",
            "--export-svg",
            str(svg),
            "--export-html",
            str(html),
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0
    json.loads(result.stdout)
    picture = svg.read_text(encoding="utf-8")
    assert picture.startswith("<svg")
    assert "Net&#160;cost&#160;of&#160;inaction" in picture
    page = html.read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "Net cost of inaction" in page


def test_explain_shows_formulas_with_numbers_and_sources() -> None:
    result = runner.invoke(app, ["explain", SME])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "V = headcount × affected_share × loaded_cost_per_fte × u / (1 + u)" in out
    assert "= 40 × 1 × €55,000 × 0.2 / (1 + 0.2)" in out
    assert "Evidence for u: claimed range" in out
    assert "ρ, realisation: uniform 0.6–0.9, P50 0.75 (risk.realisation)" in out
    assert "= €366,667 a year at full effect" in out
    assert "uniform 0.15–0.25, P50 0.2" in out
    assert "article §2" in out
    assert "sha256 " in out
    assert "benchmarks 2026.11.1" in out


def test_explain_one_lever() -> None:
    result = runner.invoke(app, ["explain", SME, "--lever", "cac"])
    assert result.exit_code == 0
    assert "= 800 × €750 × 0.6 × 0.275" in result.stdout
    assert "Productivity" not in result.stdout


def test_explain_writes_inputs_exactly_enough_to_redo_the_arithmetic() -> None:
    """The P50 of €11–€16 is €13.50: written €14, the line would not multiply out."""
    ecommerce = str(SCENARIOS / "ecommerce.yaml")
    out = runner.invoke(app, ["explain", ecommerce, "--lever", "returns"]).stdout
    assert "= 150,000 × 0.18 × 0.4444 × €13.50" in out
    assert "= €162,000 a year at full effect" in out  # 150,000 × 0.18 × 4/9 × 13.5
    budget = "operations: {headcount: 10, loaded_cost_per_fte: 50000}\nfinance: {dev_budget: 1e6}"
    explained = runner.invoke(app, ["explain", "-"], input=budget).stdout
    whole = " ".join(explained.split())
    assert "× setup share of finance.dev_budget (uniform 0.05–0.1" in whole
    assert "adoption.setup_share_of_dev_budget" not in whole  # not a key a profile can set


def test_explain_an_inactive_lever() -> None:
    result = runner.invoke(app, ["explain", SME, "--lever", "returns"])
    assert result.exit_code == 2
    assert "lever 'returns' is not active in this profile" in result.stderr


def test_explain_markdown_and_json() -> None:
    markdown = runner.invoke(app, ["explain", SME, "-f", "markdown"]).stdout
    assert markdown.startswith("### How the cost of inaction of Atelier Durand (SME)")
    assert "    V = headcount × affected_share × loaded_cost_per_fte × u / (1 + u)" in markdown
    document = json.loads(runner.invoke(app, ["explain", SME, "-f", "json"]).stdout)
    productivity = document["levers"][0]
    assert productivity["annual_value_at_p50_inputs"] == 366666.67
    assert productivity["uplift"]["p50"] == pytest.approx(0.2)
    assert (
        document["profile"]["sha256"]
        == json.loads(runner.invoke(app, ["estimate", SME, "-f", "json"]).stdout)["profile"][
            "sha256"
        ]
    )
    csv = runner.invoke(app, ["explain", SME, "-f", "csv"])
    assert csv.exit_code == 2
