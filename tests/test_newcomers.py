"""What new users tripped over (issue 14): each rough edge is a test, with its exit code and
streams."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from inaction_cli.cli import app
from inaction_cli.result import Precision
from inaction_cli.uncertainty import precision_warning
from support import ROOT, SCENARIOS

runner = CliRunner()
SME = str(SCENARIOS / "sme.yaml")
BEFORE = str(ROOT / "examples" / "diff" / "before" / "atelier.yaml")
AFTER = str(ROOT / "examples" / "diff" / "after" / "atelier.yaml")


def run(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input)


# --- the gate says the limit it was given -------------------------------------------------


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("0.05", "0.00 %, within the ±0.05 %"),
        ("0.05%", "0.00 %, within the ±0.05 %"),
        ("5", "0.0 %, within the ±5 %"),
        ("2.5%", "0.0 %, within the ±2.5 %"),
    ],
)
def test_fail_above_says_the_limit_as_written(given: str, said: str) -> None:
    result = run("diff", BEFORE, BEFORE, "--samples", "500", "--fail-above", given)
    assert result.exit_code == 0
    # (0.05 without % also gets a note first: it is 0.05 %, not 5 %)
    assert result.stderr.endswith(f"\ngate passed: the net P50 moved {said} limit\n") or (
        result.stderr == f"gate passed: the net P50 moved {said} limit\n"
    )


def test_a_small_limit_shows_the_move_to_its_precision() -> None:
    result = run("diff", BEFORE, AFTER, "--samples", "500", "--fail-above", "0.05%")
    assert result.exit_code == 1
    assert result.stderr.startswith("gate failed: the net P50 moved +")
    assert result.stderr.endswith(", above the ±0.05 % limit\n")
    moved = result.stderr.split("moved ")[1].split(" %")[0]
    assert len(moved.split(".")[1]) == 2  # two decimals, as the limit has


# --- formats ------------------------------------------------------------------------------


def test_explain_help_lists_only_the_formats_explain_writes() -> None:
    result = run("explain", "--help")
    assert result.exit_code == 0
    assert "Output format: table, json or markdown;" in " ".join(result.stdout.split())
    assert "csv" not in result.stdout
    assert "xlsx" not in result.stdout


@pytest.mark.parametrize(
    ("command", "listed"),
    [
        (["estimate", SME], "table, json, csv or markdown"),
        (["explain", SME], "table, json or markdown"),
        (["batch", SME], "table, json, jsonl, csv or markdown"),
        (["benchmarks"], "table, json, csv or markdown"),
    ],
)
def test_a_bad_format_is_answered_in_plain_words(command: list[str], listed: str) -> None:
    result = run(*command, "--format", "pdf")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"'pdf' is not a format this command writes: use {listed}" in result.stderr
    assert "Traceback" not in result.stderr


def test_html_from_estimate_points_to_report() -> None:
    result = run("estimate", SME, "-f", "html")
    assert result.exit_code == 2  # was an internal error (70)
    assert "a page or a workbook is `inaction report`" in result.stderr


# --- diff names the file it was given -----------------------------------------------------


def test_diff_names_the_files_given_not_the_paths_inside_results(tmp_path: Path) -> None:
    shutil.copy(SME, tmp_path / "sme.yaml")
    old, new = tmp_path / "base.json", tmp_path / "head.json"
    for target in (old, new):
        made = run("estimate", str(tmp_path / "sme.yaml"), "--samples", "500", "-f", "json")
        target.write_text(made.stdout, encoding="utf-8")
    (tmp_path / "sme.yaml").unlink()  # the results still name it inside
    result = run("diff", str(old), str(new))
    assert result.exit_code == 0
    unwrapped = result.stdout.replace("\n", " ")
    assert str(old) in unwrapped
    assert str(new) in unwrapped
    assert str(tmp_path / "sme.yaml") not in unwrapped
    markdown = run("diff", str(old), str(new), "-f", "markdown").stdout
    assert f"`{old}` → `{new}`" in markdown


# --- the precision warning is judged against the spread -----------------------------------


def test_precision_is_judged_against_the_spread_not_the_p50_alone() -> None:
    # A net near zero: 1 % of the P50, but 0.1 % of the band a reader is shown.
    near_zero = Precision(0.0, 10.0, net_p50=1_000.0, net_band_width=10_000.0)
    assert precision_warning(near_zero, 20_000, 10_000_000) is None
    # Noisy beside its band: the warning, and the samples that fix it (error ∝ 1/√n).
    noisy = Precision(0.0, 100.0, net_p50=1_000.0, net_band_width=10_000.0)
    warning = precision_warning(noisy, 20_000, 10_000_000)
    assert warning == (
        "Monte Carlo precision: with 20,000 samples the net P50 is known to ±1.0 % of the "
        "width of its 90 % band (one standard error); about 80,000 samples would bring it "
        "under 0.5 %"
    )
    # A net far from zero with a narrow band is judged against its value.
    narrow = Precision(0.0, 100.0, net_p50=10_000.0, net_band_width=1_000.0)
    assert "±1.0 % of its value" in str(precision_warning(narrow, 1_000, 10_000_000))


def test_a_close_call_gets_no_advice_for_millions_of_samples() -> None:
    result = run("estimate", str(SCENARIOS / "close-call.yaml"), "-f", "json")
    assert result.exit_code == 0
    warnings = json.loads(result.stdout)["warnings"]
    assert not [warning for warning in warnings if "Monte Carlo precision" in warning]


# --- batch ranks within a currency --------------------------------------------------------


def test_batch_never_ranks_amounts_of_different_currencies_together(tmp_path: Path) -> None:
    shutil.copy(SME, tmp_path / "eur.yaml")
    usd = (SCENARIOS / "close-call.yaml").read_text(encoding="utf-8")
    (tmp_path / "usd.yaml").write_text(usd.replace("currency: EUR", "currency: USD"), "utf-8")
    result = run("batch", str(tmp_path), "--samples", "500", "-f", "json")
    assert result.exit_code == 0
    ranks = {entry["currency"]: entry["rank"] for entry in json.loads(result.stdout)["profiles"]}
    assert ranks == {"EUR": 1, "USD": 1}
    table = run("batch", str(tmp_path), "--samples", "500").stdout
    assert "In EUR" in table
    assert "In USD" in table
    assert "Ranked within each currency." in table
    markdown = run("batch", str(tmp_path), "--samples", "500", "-f", "markdown").stdout
    assert "| Currency |" in markdown


# --- -o - is stdout everywhere ------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["estimate", SME, "--samples", "500", "-f", "json"],
        ["validate", SME],
        ["batch", SME, "--samples", "500", "-f", "csv"],
        ["diff", BEFORE, AFTER, "--samples", "500"],
        ["explain", SME],
        ["benchmarks"],
        ["schema"],
        ["report", SME, "--samples", "500", "-f", "markdown"],
    ],
    ids=lambda command: command[0],
)
def test_dash_output_is_stdout(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    to_stdout = run(*command)
    dashed = run(*command, "-o", "-")
    assert dashed.exit_code == to_stdout.exit_code == 0
    assert dashed.stdout == to_stdout.stdout
    assert dashed.stdout
    assert not (tmp_path / "-").exists()


# --- help as a person writes it -----------------------------------------------------------


def test_top_level_help_has_examples_exit_codes_and_the_environment() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for needed in ("Examples:", "Exit codes:", "Environment:", "NO_COLOR", "INACTION_DEBUG"):
        assert needed in result.stdout
    assert "  130  interrupted" in result.stdout
    assert "..." not in result.stdout.split("Commands:")[1].split("Examples:")[0]


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("estimate", "Usage: inaction estimate [OPTIONS] PROFILE"),
        ("validate", "Usage: inaction validate [OPTIONS] PATH..."),
        ("batch", "Usage: inaction batch [OPTIONS] PATH..."),
        ("diff", "Usage: inaction diff [OPTIONS] OLD NEW"),
        ("report", "Usage: inaction report [OPTIONS] PROFILE"),
    ],
)
def test_metavars_read_as_a_person_writes_them(command: str, usage: str) -> None:
    result = run(command, "--help")
    assert result.stdout.startswith(usage + "\n")
    assert "<str>" not in result.stdout
    assert "{" not in result.stdout.splitlines()[0]


def test_the_percentiles_default_reads_5_50_95() -> None:
    text = " ".join(run("estimate", "--help").stdout.split())
    assert "5,50,95 unless the profile says otherwise" in text
    assert "(5,50,95)" not in text


# --- batch --format jsonl -----------------------------------------------------------------


def test_batch_jsonl_is_one_object_per_line(tmp_path: Path) -> None:
    shutil.copy(SME, tmp_path / "a.yaml")
    (tmp_path / "b.yaml").write_text("company: [broken\n", encoding="utf-8")
    lines = run("batch", str(tmp_path), "--samples", "500", "-f", "jsonl", "-q")
    assert lines.exit_code == 1  # a failed profile
    whole = json.loads(run("batch", str(tmp_path), "--samples", "500", "-f", "json").stdout)
    entries = [json.loads(line) for line in lines.stdout.splitlines()]
    assert entries == whole["profiles"]
    assert [entry["status"] for entry in entries] == ["ok", "error"]
    assert entries[0]["rank"] == 1
    assert all(line.startswith("{") and "\n" not in line for line in lines.stdout.splitlines())


# --- progress on stderr, for a person at a terminal only ----------------------------------


def test_the_engine_reports_every_sample_it_draws() -> None:
    from inaction_cli import api
    from inaction_cli.progress import metered

    class Count:
        expected = drawn = 0

        def expect(self, samples: int) -> None:
            self.expected += samples

        def advance(self, samples: int) -> None:
            self.drawn += samples

    counted = Count()
    with metered(counted):
        report = api.estimate(SME, samples=3_000, sensitivity=True)
    assert report.sensitivity is not None
    runs = 1 + 2 * len(report.sensitivity.inputs)  # the estimate, then each input at P10, P90
    assert counted.expected == counted.drawn == 3_000 * runs


def test_no_progress_bar_off_a_terminal() -> None:
    result = run("estimate", SME, "--samples", "200000", "-f", "json", "-q")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_a_wrong_evidence_grade_is_answered_in_plain_words(tmp_path: Path) -> None:
    """pydantic's "Input should be 'anecdote' or 'claimed range'" became the tool's own words."""
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "custom_levers:\n  x:\n    label: X\n    kind: saving\n    factors: {a: 1}\n"
        "    uplift: 0.2\n    time_to_value_months: 3\n    source: s\n    evidence: claimed\n",
        encoding="utf-8",
    )
    result = run("validate", str(profile))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{profile}:9:15: custom_levers.x.evidence: expected one of anecdote, claimed range, "
        "got text 'claimed'; did you mean 'claimed range'?\n"
    )
