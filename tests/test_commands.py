"""validate, schema, benchmarks, batch and diff through CliRunner; every output format."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from inaction_cli.cli import app
from support import ROOT, SCENARIOS

runner = CliRunner()
SME = str(SCENARIOS / "sme.yaml")
ALL_FORMATS = ["table", "json", "csv", "markdown"]


def run(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input)


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    """A folder with the bundled scenarios and one broken profile."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    for path in SCENARIOS.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    (folder / "broken.yaml").write_text("operations: {headcount: -3}\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a profile\n", encoding="utf-8")
    return folder


# --- estimate in every format -----------------------------------------------------------


def test_estimate_csv_is_one_row_per_figure() -> None:
    result = run("estimate", SME, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    header = result.stdout.splitlines()[0].split(",")
    assert header == [
        "figure",
        "id",
        "label",
        "period",
        "unit",
        "value",
        "mean",
        "p5",
        "p50",
        "p95",
    ]
    document = json.loads(run("estimate", SME, "-f", "json").stdout)

    def row(figure: str, id: str = "", period: str = "") -> dict[str, str]:
        found = [
            r for r in rows if r["figure"] == figure and r["id"] == id and r["period"] == period
        ]
        assert len(found) == 1, (figure, id, period)
        return found[0]

    assert [r["id"] for r in rows if r["figure"] == "lever.annual"] == [
        "productivity",
        "cac",
        "ctr",
        "roas",
    ]
    assert float(row("total.net")["p50"]) == document["totals"]["net"]["p50"]
    assert float(row("total.gross")["p50"]) == document["totals"]["gross"]["p50"]
    assert (
        float(row("total.probability_net_positive")["value"])
        == (document["totals"]["probability_net_positive"])
    )
    decision = document["decision"]
    assert float(row("decision.roi")["p50"]) == decision["roi"]["p50"]
    assert row("decision.roi")["unit"] == "ratio"
    assert int(row("decision.payback_month")["p50"]) == decision["payback_month"]["p50"]
    assert (
        float(row("cash_flow.net", period="2")["p50"])
        == (decision["cash_flow_by_year"][1]["net"]["p50"])
    )
    assert (
        float(row("delay.cost_of_waiting", period="12")["p50"])
        == (decision["delays"][-1]["cost_of_waiting"]["p50"])
    )
    assert (
        float(row("timeline.cumulative_net", period="36")["p50"])
        == (document["timeline"][-1]["cumulative_net"]["p50"])
    )
    assert (
        float(row("value_of_information.evppi", "risk.success")["value"])
        == (decision["value_of_information"]["inputs"][0]["evppi"])
    )
    assert "," not in row("total.net")["p50"]
    assert "€" not in result.stdout


def test_estimate_markdown() -> None:
    result = run("estimate", SME, "-f", "markdown")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("### Cost of inaction — Atelier Durand (SME)\n")
    assert "|  | P5 | P50 | P95 |\n|---|---:|---:|---:|---:|" not in out
    assert "|  | P5 | P50 | P95 |\n|---|---:|---:|---:|\n" in out
    net = json.loads(run("estimate", SME, "-f", "json").stdout)["totals"]["net"]
    cells = " | ".join(
        ("-" if net[key] < 0 else "") + f"€{abs(net[key]):,.0f}" for key in ("p5", "p50", "p95")
    )
    assert f"| **Net cost of inaction** | {cells} |" in out
    assert "| _as claimed (S = 1, ρ = 1, Ω = 1)_ |" in out
    assert "| Productivity [claimed] |" in out


# --- validate ---------------------------------------------------------------------------


def test_validate_valid_profiles() -> None:
    result = run("validate", str(SCENARIOS), "-q")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert f"✓ {SCENARIOS / 'sme.yaml'}: valid (productivity, cac, ctr, roas)" in result.stdout


def test_validate_reports_every_problem_of_every_file(tmp_path: Path) -> None:
    first = tmp_path / "first.yaml"
    first.write_text("finance: {gross_margin: 2}\noperatons: {}\n", encoding="utf-8")
    second = tmp_path / "second.yaml"
    second.write_text("email: {annual_revenue: x}\n", encoding="utf-8")
    result = run("validate", str(first), SME, str(second))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(": ")[0] for line in lines] == [
        f"{first}:1:25",
        f"{first}:2:1",
        f"{second}:1:1",
        f"{second}:1:25",
    ]
    assert "operatons: unknown section 'operatons'; did you mean 'operations'?" in lines[1]
    assert "email: lever 'ctr' needs finance.gross_margin" in lines[2]
    assert f"✗ {first}: 2 problems" in result.stdout
    assert f"✓ {SME}: valid" in result.stdout


def test_validate_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("leads: {leads_per_year: 10}\n", encoding="utf-8")
    result = run("validate", SME, str(bad), "-f", "json")
    assert result.exit_code == 2
    files = json.loads(result.stdout)["files"]
    assert [entry["valid"] for entry in files] == [True, False]
    problem = files[1]["problems"][0]
    assert problem == {
        "line": 1,
        "column": 1,
        "key": "leads.cpl",
        "message": "required key 'cpl' is missing: cost per lead",
        "text": f"{bad}:1:1: leads.cpl: required key 'cpl' is missing: cost per lead",
    }


@pytest.mark.parametrize(
    ("written", "line"),
    [
        (
            "leads: {leads_per_year: 10, cpll: 5}\n",
            "leads.cpll: unknown key 'cpll'; did you mean 'cpl'?",
        ),
        (
            "adoption:\n  costs:\n    it: {lable: Licences, monthly: 100}\n",
            "adoption.costs.it.lable: unknown key 'lable'; did you mean 'label'?",
        ),
    ],
)
def test_a_misspelt_required_key_is_one_problem(tmp_path: Path, written: str, line: str) -> None:
    # Not two: the unknown key and, beside it, the required key it was meant to be.
    bad = tmp_path / "bad.yaml"
    bad.write_text(written, encoding="utf-8")
    result = run("validate", str(bad), "-f", "json")
    assert result.exit_code == 2
    problems = json.loads(result.stdout)["files"][0]["problems"]
    assert [problem["text"].split(": ", 1)[1] for problem in problems] == [line]


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_validate_other_formats(fmt: str, profiles: Path) -> None:
    result = run("validate", str(profiles), "-f", fmt, "-q")
    assert result.exit_code == 2
    assert "broken.yaml" in result.stdout
    assert "sme.yaml" in result.stdout


def test_validate_warnings_go_to_stderr(tmp_path: Path) -> None:
    profile = tmp_path / "budget.yaml"
    profile.write_text(
        "operations: {headcount: 10, loaded_cost_per_fte: 50000}\nfinance: {dev_budget: 1e6}\n"
    )
    result = run("validate", str(profile))
    assert result.exit_code == 0
    assert result.stderr.startswith(f"{profile}: warning: adoption cost")


def test_validate_needs_a_path() -> None:
    result = run("validate")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


# --- schema -----------------------------------------------------------------------------


def test_profile_schema_file_in_the_repo_matches_the_command() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert result.stdout == (ROOT / "schema" / "profile.schema.json").read_text(encoding="utf-8")


def test_result_schema_file_in_the_repo_matches_the_command() -> None:
    result = run("schema", "--result")
    assert result.exit_code == 0
    assert result.stdout == (ROOT / "schema" / "result.schema.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_scenarios_point_editors_at_the_schema_and_satisfy_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/profile.schema.json"
    schema = json.loads((ROOT / "schema" / "profile.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(text), schema)


@pytest.mark.parametrize("args", [[], ["--percentiles", "10,50,90,99"]])
def test_real_results_satisfy_the_result_schema(args: list[str]) -> None:
    schema = json.loads(run("schema", "--result").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in SCENARIOS.glob("*.yaml"):
        document = json.loads(run("estimate", str(path), "-f", "json", "-q", *args).stdout)
        jsonschema.validate(document, schema)


def test_the_profile_schema_rejects_what_the_tool_rejects() -> None:
    schema = json.loads(run("schema").stdout)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"operations": {"headcount": 1, "loaded_cost": 2}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"finance": {"gross_margin": 1.5}}, schema)


# --- benchmarks -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_benchmarks_in_every_format(fmt: str) -> None:
    result = run("benchmarks", "-f", fmt)
    assert result.exit_code == 0
    assert result.stderr == ""
    for lever_id in (
        "productivity",
        "cac",
        "ctr",
        "roas",
        "meetings",
        "cpl",
        "retention",
        "returns",
    ):
        assert lever_id in result.stdout


def test_benchmarks_json() -> None:
    document = json.loads(run("benchmarks", "-f", "json").stdout)
    roas = next(lever for lever in document["levers"] if lever["id"] == "roas")
    assert roas["uplift"] == {"low": 0.3, "high": 0.8, "distribution": "uniform"}
    assert roas["group"] == "programmatic"
    assert roas["sections"] == [1]
    assert document["initial_budget_share"]["low"] == 0.05


def test_benchmarks_table_shows_sources() -> None:
    out = run("benchmarks").stdout
    assert "0.15–0.25" in out
    assert "article §2" in out
    assert "diagnostic: 0.46–0.9199 months" in out
    assert "[anecdote]" in out


# --- batch ------------------------------------------------------------------------------


def test_batch_of_a_folder(profiles: Path) -> None:
    (profiles / "broken.yaml").unlink()
    result = run("batch", str(profiles))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    ranked = [line for line in lines if re.match(r"^\d+  ", line)]
    names = ["Atelier", "Scale-up", "Agence", "Cabinet"]
    files = [
        str(profiles / f"{name}.yaml") for name in ("sme", "ecommerce", "b2b-agency", "close-call")
    ]
    assert [line.split()[1] for line in ranked][:8] == [*names, *names]
    # Then each file whole (a long one on a line of its own), never split.
    words = [word for line in lines for word in line.split()]
    assert all(file in words for file in files)
    assert "4 profiles: 4 estimated, 0 failed." in result.stdout


def test_batch_keeps_going_past_a_broken_profile(profiles: Path) -> None:
    result = run("batch", str(profiles), "-f", "json")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{profiles / 'broken.yaml'}:1:1: operations.loaded_cost_per_fte: required key "
        "'loaded_cost_per_fte' is missing: yearly loaded cost of one of them",
        f"{profiles / 'broken.yaml'}:1:25: operations.headcount: must be at least 0, got -3",
    ]
    document = json.loads(result.stdout)
    assert [entry["file"] for entry in document["profiles"]] == [
        str(profiles / name)
        for name in (
            "b2b-agency.yaml",
            "broken.yaml",
            "close-call.yaml",
            "ecommerce.yaml",
            "sme.yaml",
        )
    ]
    broken = document["profiles"][1]
    assert broken["status"] == "error"
    assert [error["key"] for error in broken["errors"]] == [
        "operations.loaded_cost_per_fte",
        "operations.headcount",
    ]
    assert document["summary"] == {"profiles": 5, "estimated": 4, "failed": 1}
    sme = document["profiles"][4]
    estimate = json.loads(run("estimate", str(profiles / "sme.yaml"), "-f", "json").stdout)
    assert sme["net"] == estimate["totals"]["net"]
    assert sme["sha256"] == estimate["profile"]["sha256"]


def test_batch_csv(profiles: Path) -> None:
    result = run("batch", str(profiles), "-f", "csv", "-q")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "file",
        "name",
        "status",
        "currency",
        "rank",
        "net_mean",
        "net_p5",
        "net_p50",
        "net_p95",
        "annual_p50",
        "cost_of_delay_per_month_p50",
        "probability_net_positive",
        "roi_p50",
        "payback_month_p50",
        "break_even_success_probability",
        "error",
    ]
    assert [row["status"] for row in rows] == ["ok", "error", "ok", "ok", "ok"]
    assert "operations.headcount" in rows[1]["error"]
    assert sorted(row["rank"] for row in rows) == ["", "1", "2", "3", "4"]


def test_batch_markdown(profiles: Path) -> None:
    result = run("batch", str(profiles), "-f", "markdown")
    assert result.exit_code == 1
    assert "| 1 | Atelier Durand (SME) |" in result.stdout
    assert "**failed**" in result.stdout


def test_batch_with_two_jobs_gives_the_same_bytes(profiles: Path) -> None:
    one = run("batch", str(profiles), "-f", "json", "--jobs", "1", "--samples", "2000")
    two = run("batch", str(profiles), "-f", "json", "--jobs", "2", "--samples", "2000")
    assert one.exit_code == two.exit_code == 1
    assert one.stdout_bytes == two.stdout_bytes
    assert one.stderr == two.stderr


def test_batch_globs_and_duplicates(profiles: Path) -> None:
    pattern = str(profiles / "s*.yaml")
    result = run("batch", pattern, str(profiles / "sme.yaml"), "-f", "json")
    assert result.exit_code == 0
    files = [entry["file"] for entry in json.loads(result.stdout)["profiles"]]
    assert files == [str(profiles / "sme.yaml")]


def test_batch_empty_pattern_and_missing_file_are_failed_items(profiles: Path) -> None:
    result = run(
        "batch",
        str(profiles / "z*.yaml"),
        str(profiles / "missing.yaml"),
        str(profiles / "sme.yaml"),
        "-f",
        "json",
    )
    assert result.exit_code == 1
    statuses = [entry["status"] for entry in json.loads(result.stdout)["profiles"]]
    assert statuses == ["error", "error", "ok"]
    assert "no file matches this pattern" in result.stderr
    assert "missing.yaml: no such file" in result.stderr


def test_batch_needs_the_median() -> None:
    result = run("batch", SME, "--percentiles", "5,95")
    assert result.exit_code == 2
    assert "include 50" in result.stderr


def test_batch_flags_apply_to_every_profile(profiles: Path) -> None:
    result = run(
        "batch",
        str(profiles / "sme.yaml"),
        str(profiles / "ecommerce.yaml"),
        "-f",
        "json",
        "--seed",
        "3",
        "--samples",
        "500",
    )
    entries = json.loads(result.stdout)["profiles"]
    assert {(entry["seed"], entry["samples"]) for entry in entries} == {(3, 500)}


# --- diff -------------------------------------------------------------------------------


@pytest.fixture
def results(tmp_path: Path) -> dict[str, Path]:
    """Results of the SME scenario and of a variant with a wider targeted share."""
    variant = tmp_path / "sme-variant.yaml"
    variant.write_text(
        (SCENARIOS / "sme.yaml")
        .read_text(encoding="utf-8")
        .replace("targeted_share: 0.6", "targeted_share: 0.9"),
        encoding="utf-8",
    )
    paths = {"old": tmp_path / "old.json", "new": tmp_path / "new.json", "variant": variant}
    assert run("estimate", SME, "-f", "json", "-o", str(paths["old"])).exit_code == 0
    assert run("estimate", str(variant), "-f", "json", "-o", str(paths["new"])).exit_code == 0
    return paths


def test_diff_of_identical_results(results: dict[str, Path]) -> None:
    result = run(
        "diff", str(results["old"]), str(results["old"]), "-f", "json", "--fail-above", "0"
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert {item["status"] for item in document["levers"] + document["totals"]} == {"unchanged"}
    assert document["gate"] == {"threshold": 0.0, "relative_change": 0.0, "tripped": False}
    assert result.stderr == "gate passed: the net P50 moved 0.0 %, within the ±0 % limit\n"


def test_diff_gate_trips_after_printing_the_report(results: dict[str, Path]) -> None:
    result = run("diff", str(results["old"]), str(results["new"]), "--fail-above", "5%")
    assert result.exit_code == 1
    assert "CAC (lead scoring)" in result.stdout
    assert "+50.0 %" in result.stdout
    assert result.stderr == "gate failed: the net P50 moved +9.3 %, above the ±5 % limit\n"
    assert "gate failed" not in result.stdout


def test_diff_gate_passes_within_the_threshold(results: dict[str, Path]) -> None:
    result = run("diff", str(results["old"]), str(results["new"]), "--fail-above", "9.5")
    assert result.exit_code == 0
    assert result.stderr.startswith("gate passed")


def test_diff_json_values(results: dict[str, Path]) -> None:
    document = json.loads(
        run("diff", str(results["old"]), str(results["new"]), "-f", "json").stdout
    )
    old = json.loads(results["old"].read_text(encoding="utf-8"))
    new = json.loads(results["new"].read_text(encoding="utf-8"))
    net = next(item for item in document["totals"] if item["id"] == "net")
    before, after = old["totals"]["net"]["p50"], new["totals"]["net"]["p50"]
    assert net["before"] == before
    assert net["after"] == after
    assert net["change"] == round(after - before, 2)
    assert net["relative_change"] == round((after - before) / before, 6)
    cac = next(item for item in document["levers"] if item["id"] == "cac")
    assert cac["status"] == "changed"
    assert document["gate"] is None


def test_diff_of_profiles_runs_both_with_the_same_seed(results: dict[str, Path]) -> None:
    from_profiles = run("diff", SME, str(results["variant"]), "-f", "json")
    from_results = run("diff", str(results["old"]), str(results["new"]), "-f", "json")
    assert from_profiles.exit_code == 0
    for key in ("levers", "totals"):
        assert json.loads(from_profiles.stdout)[key] == json.loads(from_results.stdout)[key]


def test_diff_profile_against_a_result_uses_the_result_s_settings(
    results: dict[str, Path],
) -> None:
    result = run("diff", str(results["old"]), str(results["variant"]), "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["new"]["seed"] == 42
    assert result.stderr == ""


def test_diff_shows_added_and_removed_levers(tmp_path: Path) -> None:
    text = (SCENARIOS / "sme.yaml").read_text(encoding="utf-8")
    without_email = tmp_path / "no-email.yaml"
    without_email.write_text(
        text.replace(
            "email:                                      # ctr\n  annual_revenue: 900000\n", ""
        ),
        encoding="utf-8",
    )
    result = run("diff", SME, str(without_email), "-f", "json")
    ctr = next(item for item in json.loads(result.stdout)["levers"] if item["id"] == "ctr")
    assert ctr["status"] == "removed"
    assert ctr["after"] is None
    table = run("diff", str(without_email), SME).stdout
    assert "added" in table


def test_diff_markdown_carries_the_marker(results: dict[str, Path]) -> None:
    result = run(
        "diff", str(results["old"]), str(results["new"]), "-f", "markdown", "--fail-above", "5%"
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("<!-- inaction:diff -->\n")
    assert "| **Net cost of inaction** |" in result.stdout
    assert "❌ **gate failed" in result.stdout


def test_diff_csv(results: dict[str, Path]) -> None:
    result = run("diff", str(results["old"]), str(results["new"]), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "scope",
        "id",
        "label",
        "status",
        "before_p50",
        "after_p50",
        "change",
        "relative_change",
    ]
    assert [row["id"] for row in rows if row["scope"] == "lever"] == [
        "productivity",
        "cac",
        "ctr",
        "roas",
    ]


def test_diff_warns_when_seeds_differ(results: dict[str, Path], tmp_path: Path) -> None:
    other = tmp_path / "other-seed.json"
    run("estimate", SME, "-f", "json", "--seed", "7", "-o", str(other))
    result = run("diff", str(results["old"]), str(other), "-f", "json")
    assert result.exit_code == 0
    assert "warning: the seeds differ (42 and 7)" in result.stderr
    assert "the seeds differ" in run("diff", str(results["old"]), str(other)).stdout


def test_diff_refuses_an_unknown_major_version(results: dict[str, Path], tmp_path: Path) -> None:
    future = tmp_path / "future.json"
    document = json.loads(results["old"].read_text(encoding="utf-8"))
    document["schema_version"] = "2.0"
    future.write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")
    result = run("diff", str(results["old"]), str(future))
    assert result.exit_code == 2
    assert "this result is in format 2.0; this inaction reads format 1.x" in result.stderr
    assert result.stderr.startswith(f"{future}:")
    assert "Traceback" not in result.stderr


def test_diff_accepts_a_newer_minor_version_with_extra_fields(
    results: dict[str, Path], tmp_path: Path
) -> None:
    newer = tmp_path / "newer.json"
    document = json.loads(results["old"].read_text(encoding="utf-8"))
    document["schema_version"] = "1.7"
    document["totals"]["something_new"] = {"mean": 1.0}
    newer.write_text(json.dumps(document), encoding="utf-8")
    assert run("diff", str(results["old"]), str(newer)).exit_code == 0


def test_diff_of_a_broken_result_is_located(results: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    document = json.loads(results["old"].read_text(encoding="utf-8"))
    document["totals"]["probability"] = document["totals"].pop("probability_net_positive")
    broken.write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")
    result = run("diff", str(broken), str(results["new"]))
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith(f"{broken}:")
    assert "totals.probability_net_positive: required key" in line


def test_diff_keeps_escape_sequences_of_a_result_off_the_terminal(
    results: dict[str, Path], tmp_path: Path
) -> None:
    document = json.loads(results["old"].read_text(encoding="utf-8"))
    document["profile"]["name"] = "Acme\x1b[2K"  # a name may hold anything: shown escaped
    named = tmp_path / "named.json"
    named.write_text(json.dumps(document), encoding="utf-8")
    for format in ("table", "markdown"):
        shown = run("diff", str(results["old"]), str(named), "--format", format)
        assert shown.exit_code == 0
        # Markdown also escapes the bracket: its text is never markup.
        assert ("Acme\\x1b[2K" if format == "table" else "Acme\\x1b\\[2K") in shown.stdout
        assert "\x1b" not in shown.stdout + shown.stderr
    # Labels and currencies come from inaction's own catalogue and profile rules: refused.
    document["levers"][0]["label"] = "\x1b[31mred"
    document["settings"]["currency"] = "\x1b[1m"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document, indent=2), encoding="utf-8")
    refused = run("diff", str(results["old"]), str(tampered))
    assert refused.exit_code == 2
    lines = refused.stderr.splitlines()
    assert [line.split(": ")[1] for line in lines] == ["levers[0].label", "settings.currency"]
    assert "control character \\x1b" in lines[0]
    assert "\x1b" not in refused.stderr


@pytest.mark.parametrize("value", ["abc", "-5", "5%%"])
def test_diff_rejects_a_bad_threshold(value: str, results: dict[str, Path]) -> None:
    result = run("diff", str(results["old"]), str(results["new"]), "--fail-above", value)
    assert result.exit_code == 2
    assert "--fail-above" in result.stderr


def test_diff_reads_a_result_piped_to_stdin(results: dict[str, Path]) -> None:
    """`inaction estimate … -f json | inaction diff - new.yaml`: stdin has no suffix to go by."""
    piped = results["old"].read_text(encoding="utf-8")
    result = runner.invoke(app, ["diff", "-", str(results["old"]), "-f", "json"], input=piped)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    # Read as the result it is, not as a profile; each side named by the file it came from.
    assert document["old"].pop("file") == "<stdin>"
    assert document["new"].pop("file") == str(results["old"])
    assert document["old"] == document["new"]


def test_diff_refuses_stdin_twice() -> None:
    result = runner.invoke(app, ["diff", "-", "-"], input="operations: {headcount: 1}\n")
    assert result.exit_code == 2
    assert "stdin holds only one file" in result.stderr


def test_diff_missing_file() -> None:
    result = run("diff", "old.json", SME)
    assert result.exit_code == 2
    assert result.stderr == "old.json: no such file\n"


@pytest.mark.parametrize(
    ("command", "name", "starts"),
    [
        (["estimate", str(SCENARIOS / "sme.yaml")], "result.json", "{"),
        (["estimate", str(SCENARIOS / "sme.yaml")], "result.csv", "figure,"),
        (["estimate", str(SCENARIOS / "sme.yaml")], "result.md", "### Cost of inaction"),
        (["estimate", str(SCENARIOS / "sme.yaml")], "result.txt", "Cost of inaction"),
        (["estimate", str(SCENARIOS / "sme.yaml")], "result.out", "Cost of inaction"),
        (["batch", str(SCENARIOS)], "rows.jsonl", '{"annual"'),
        (["validate", str(SCENARIOS)], "check.json", "{"),
        (["benchmarks"], "catalogue.md", "### Benchmark catalogue"),
    ],
)
def test_the_format_follows_the_extension_of_the_output(
    tmp_path: Path, command: list[str], name: str, starts: str
) -> None:
    """`-o result.json` is JSON, as `report -o board.xlsx` is a workbook: a table written into
    a .json file was a trap that showed only when `diff` tried to read it back."""
    target = tmp_path / name
    result = run(*command, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith(starts)


def test_an_explicit_format_wins_over_the_extension(tmp_path: Path) -> None:
    target = tmp_path / "table.json"
    result = run("estimate", str(SCENARIOS / "sme.yaml"), "-f", "table", "-o", str(target), "-q")
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("Cost of inaction")


def test_a_fail_above_below_one_without_a_percent_sign_gets_a_note(tmp_path: Path) -> None:
    """`--fail-above 0.05` is 0.05 %: elsewhere the tool reads 0.05 as a share (5 %)."""
    before = ROOT / "examples" / "diff" / "before"
    after = ROOT / "examples" / "diff" / "after"
    result = run("diff", str(before), str(after), "--fail-above", "0.05")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "note: --fail-above 0.05 is 0.05 % (a percentage, not a share): for 5 %, write 5 or 5%\n"
    )
    for quiet in (["--fail-above", "0.05%"], ["--fail-above", "5"], ["--fail-above", "0.05", "-q"]):
        assert "note:" not in run("diff", str(before), str(after), *quiet).stderr
