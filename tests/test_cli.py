"""The command line through typer's CliRunner: exit codes, stdout and stderr."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inaction_cli import __version__
from inaction_cli.cli import app
from support import SCENARIOS

runner = CliRunner()
SME = str(SCENARIOS / "sme.yaml")
LOCATED = re.compile(r"^.+:\d+:\d+: [\w.\[\]]+: .+$")


def run(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, list(args), input=input)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"inaction {__version__} (benchmarks ")
    assert result.stderr == ""


def test_version_is_answered_before_numpy_typer_and_pydantic_load() -> None:
    """`inaction --version` takes about the interpreter's own start-up: the line is read from
    the catalogue's text, and the process leaves without tearing the interpreter down."""
    import subprocess
    import sys

    from inaction_cli.catalogue import catalogue

    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            "from inaction_cli.cli import main; main()",
            "--version",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout == f"inaction {__version__} (benchmarks {catalogue().version})\n"
    loaded = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert not loaded & {"numpy", "typer", "pydantic", "rich", "yaml"}


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["estimate", "--help"]])
def test_help(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0
    assert "Usage: inaction" in result.stdout


def test_no_arguments_shows_help_and_usage_code() -> None:
    result = run()
    assert result.exit_code == 2
    assert "estimate" in result.stdout + result.stderr


def test_estimate_table() -> None:
    result = run("estimate", SME)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "Cost of inaction — Atelier Durand (SME)" in out
    assert "EUR · 36 months · discount 8.0 % a year · 20,000 samples · seed 42" in out
    for label in (
        "Productivity",
        "CAC (lead scoring)",
        "E-mail CTR (personalisation)",
        "Programmatic ROAS",
        "Net cost of inaction",
        "Cost of each month of delay",
        "Less adoption cost",
        "All levers (run-rate)",
    ):
        assert label in out
    assert re.search(r"Net cost of inaction\s+-?€[\d,]+\s+-?€[\d,]+\s+-?€[\d,]+", out)
    assert re.search(r"\(net > 0\): \d+\.\d %", out)
    assert "as claimed (S = 1, ρ = 1, Ω = 1)" in out
    assert "\x1b[" not in out, "no colour codes when stdout is not a terminal"
    assert max(len(line) for line in out.splitlines()) <= 80


DEV_BUDGET_ONLY = (
    "operations: {headcount: 10, loaded_cost_per_fte: 50000}\nfinance: {dev_budget: 1e6}\n"
)


def test_estimate_table_shows_warnings() -> None:
    result = run("estimate", "-", input=DEV_BUDGET_ONLY)
    assert result.exit_code == 0
    assert "warning: adoption cost not given" in result.stdout
    assert "a pilot's envelope, not the total cost of ownership" in " ".join(result.stdout.split())
    assert "warning: no risk: section" in result.stdout
    # Diagnostics go to stderr as well (the table may be going to a file or a pipe)...
    assert result.stderr.startswith("warning: adoption cost not given")
    assert result.stderr.count("warning: ") == 2
    # ... but --quiet keeps stderr quiet; the table still says what it rests on.
    quiet = run("estimate", "-", "--quiet", input=DEV_BUDGET_ONLY)
    assert quiet.exit_code == 0
    assert quiet.stderr == ""
    assert quiet.stdout == result.stdout


def test_a_table_on_the_terminal_does_not_say_its_warnings_twice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from inaction_cli.cli import commands

    monkeypatch.setattr(commands, "_stdout_is_terminal", lambda: True)
    shown = run("estimate", "-", input=DEV_BUDGET_ONLY)
    assert shown.exit_code == 0
    assert "warning: no risk: section" in shown.stdout
    assert shown.stderr == ""
    # Written to a file, the warnings are not on the terminal: stderr says them.
    written = run("estimate", "-", "-o", str(tmp_path / "r.md"), input=DEV_BUDGET_ONLY)
    assert written.exit_code == 0
    assert written.stderr.count("warning: ") == 2


def test_estimate_json_is_data_only_on_stdout() -> None:
    result = run("estimate", SME, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["schema_version"] == "1.2"
    assert document["tool"] == {"name": "inaction", "version": __version__}
    assert document["settings"] == {
        "samples": 20000,
        "seed": 42,
        "horizon_months": 36,
        "discount_rate": 0.08,
        "percentiles": [5, 50, 95],
        "currency": "EUR",
        "delays": [0, 1, 3, 6, 12],
    }
    assert [lever["id"] for lever in document["levers"]] == ["productivity", "cac", "ctr", "roas"]
    assert set(document["totals"]) == {
        "annual",
        "gross",
        "adoption_cost",
        "market_share",
        "net",
        "cost_of_delay_per_month",
        "probability_net_positive",
    }
    assert set(document["totals"]["net"]) == {"mean", "p5", "p50", "p95"}
    assert result.stderr == ""


def test_json_keys_are_sorted_and_money_is_in_cents() -> None:
    result = run("estimate", SME, "-f", "json")
    document = json.loads(result.stdout)
    assert (
        result.stdout == json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    )
    for value in document["totals"]["net"].values():
        assert round(value, 2) == value


def test_json_is_byte_identical_across_runs() -> None:
    first = run("estimate", SME, "-f", "json").stdout_bytes
    second = run("estimate", SME, "-f", "json").stdout_bytes
    assert first == second


def test_json_warnings_go_to_stderr_too_unless_quiet() -> None:
    result = run("estimate", "-", "-f", "json", input=DEV_BUDGET_ONLY)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["warnings"]
    assert result.stderr.startswith("warning: adoption cost not given")
    quiet = run("estimate", "-", "-f", "json", "--quiet", input=DEV_BUDGET_ONLY)
    assert quiet.stderr == ""
    assert quiet.stdout == result.stdout


def test_flags_override_the_profile() -> None:
    result = run(
        "estimate",
        SME,
        "-f",
        "json",
        "--samples",
        "500",
        "--seed",
        "7",
        "--horizon",
        "24",
        "--discount-rate",
        "0.1",
        "--percentiles",
        "10,50,90",
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["settings"] == {
        "samples": 500,
        "seed": 7,
        "horizon_months": 24,
        "discount_rate": 0.1,
        "percentiles": [10, 50, 90],
        "currency": "EUR",
        "delays": [0, 1, 3, 6, 12],
    }
    assert set(document["totals"]["net"]) == {"mean", "p10", "p50", "p90"}


def test_seed_changes_the_numbers_and_samples_too() -> None:
    base = json.loads(run("estimate", SME, "-f", "json").stdout)
    other = json.loads(run("estimate", SME, "-f", "json", "--seed", "1").stdout)
    assert base["totals"]["net"] != other["totals"]["net"]


def test_percentiles_in_the_table_follow_the_flag() -> None:
    result = run("estimate", SME, "--percentiles", "2.5,50,97.5")
    assert result.exit_code == 0
    assert re.search(r"P2\.5\s+P50\s+P97\.5", result.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--samples", "5"], "'--samples': must be at least 100, got 5"),
        (
            ["--samples", "100000000000"],
            "must be at most 10,000,000, got 100000000000: more than 10,000,000 samples add",
        ),
        (["--samples", "1.5"], "'--samples': expected a whole number, got '1.5'"),
        (["--horizon", "0"], "'--horizon': must be at least 1, got 0"),
        (["--horizon", "121"], "must be at most 120, got 121: the article's figures describe"),
        (["--seed", "-1"], "'--seed': must be at least 0, got -1"),
        (["--seed", "18446744073709551616"], "must be at most 18,446,744,073,709,551,615"),
        (["--discount-rate", "2"], "'--discount-rate': must be at most 1, got 2"),
        (["--discount-rate", "nan"], "'--discount-rate': expected a finite number, got 'nan'"),
        (["--percentiles", "5,abc"], "--percentiles"),
        (["--percentiles", "5,150"], "--percentiles"),
        (["--percentiles", ","], "--percentiles"),
        (["--format", "xml"], "--format"),
    ],
)
def test_bad_flags_are_usage_errors(args: list[str], message: str) -> None:
    result = run("estimate", SME, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_numeric_flags_read_numbers_as_the_profile_does() -> None:
    """`--samples 1e4` is ten thousand, as `samples: 1e4` is in a profile; seeds stay exact."""
    result = run(
        "estimate",
        SME,
        "-f",
        "json",
        "--samples",
        "1e4",
        "--seed",
        str(2**64 - 1),
        "--horizon",
        "2.4e1",
        "--discount-rate",
        "0",
    )
    assert result.exit_code == 0, result.stderr
    settings = json.loads(result.stdout)["settings"]
    assert (settings["samples"], settings["seed"]) == (10_000, 2**64 - 1)
    assert (settings["horizon_months"], settings["discount_rate"]) == (24, 0.0)


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "sme.json"
    result = run("estimate", SME, "-f", "json", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == "1.2"
    assert [p.name for p in tmp_path.iterdir()] == ["sme.json"], "no temporary file left behind"


def test_output_table_to_file_is_plain_text(tmp_path: Path) -> None:
    target = tmp_path / "sme.txt"
    result = run("estimate", SME, "--output", str(target))
    assert result.exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "Net cost of inaction" in text
    assert "\x1b[" not in text


def test_a_table_sent_to_a_pipe_is_the_text_of_the_output_file(tmp_path: Path) -> None:
    target = tmp_path / "sme.txt"
    run("estimate", SME, "--output", str(target))
    piped = run("estimate", SME, "--sensitivity", "--histogram").stdout  # not a terminal
    assert piped.startswith(target.read_text(encoding="utf-8"))
    assert not [line for line in piped.splitlines() if line != line.rstrip()]


@pytest.mark.parametrize("columns", ["40", "80"])
def test_a_table_too_wide_for_the_terminal_keeps_every_number_whole(
    columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nine percentiles need about 125 columns in full amounts: the table falls back to compact
    amounts (€1.4M), and a terminal narrower still gets longer lines, never a figure cut."""
    from inaction_cli.render.money import format_compact

    monkeypatch.setenv("COLUMNS", columns)
    wanted = "1,5,10,25,50,75,90,95,99"
    table = run("estimate", SME, "--percentiles", wanted).stdout
    net = json.loads(run("estimate", SME, "-f", "json", "--percentiles", wanted).stdout)
    net_row = next(line for line in table.splitlines() if line.startswith("Net cost"))
    figures = [format_compact(net["totals"]["net"][key], "EUR") for key in ("p1", "p50", "p99")]
    assert all(figure in net_row.split() for figure in figures), net_row
    assert "…" not in net_row
    width = max(len(line) for line in table.splitlines())
    assert width <= max(int(columns), 100)


def test_failed_run_leaves_an_existing_output_untouched(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    target.write_bytes(b"precious")
    bad = tmp_path / "bad.yaml"
    bad.write_text("operations: {headcount: -1, loaded_cost_per_fte: 1}\n")
    result = run("estimate", str(bad), "-f", "json", "-o", str(target))
    assert result.exit_code == 2
    assert target.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "result.json"]


def test_output_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.json"
    result = run("estimate", SME, "-f", "json", "-o", str(target))
    assert result.exit_code == 2
    assert str(target) in result.stderr
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.stderr


def test_stdin() -> None:
    text = (SCENARIOS / "sme.yaml").read_text(encoding="utf-8")
    from_stdin = run("estimate", "-", "-f", "json", input=text)
    assert from_stdin.exit_code == 0, from_stdin.stderr
    document = json.loads(from_stdin.stdout)
    assert document["profile"]["path"] == "<stdin>"
    from_file = json.loads(run("estimate", SME, "-f", "json").stdout)
    assert document["totals"] == from_file["totals"]
    assert document["profile"]["sha256"] == from_file["profile"]["sha256"]


def test_stdin_errors_name_stdin() -> None:
    result = run("estimate", "-", input="operations: {headcount: 1}\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("<stdin>:1:1: operations.loaded_cost_per_fte: ")


def test_validate_and_batch_name_stdin_as_estimate_does() -> None:
    text = (SCENARIOS / "sme.yaml").read_text(encoding="utf-8")
    checked = json.loads(run("validate", "-", "-f", "json", input=text).stdout)
    assert checked["files"][0]["file"] == "<stdin>"
    batch = run("batch", "-", "-f", "csv", input=text)
    assert batch.stdout.splitlines()[1].startswith("<stdin>,Atelier Durand (SME),ok,")


def test_missing_file() -> None:
    result = run("estimate", "nowhere.yaml")
    assert result.exit_code == 2
    assert result.stderr == "nowhere.yaml: no such file\n"
    assert result.stdout == ""


def test_invalid_profile_gives_one_located_line_per_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "finance: {gross_margin: 45}\n"
        "operations:\n"
        "  headcount: many\n"
        "  loaded_cost_per_fte: 50000\n"
        "acquisiton: {cac: 1}\n",
        encoding="utf-8",
    )
    result = run("estimate", str(bad))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines == [
        f"{bad}:1:25: finance.gross_margin: must be at most 1, got 45 "
        "(a share: if you meant 45 %, write 0.45)",
        f"{bad}:3:14: operations.headcount: expected a number or a range {{low: …, high: …}}, "
        "got text 'many'",
        f"{bad}:5:1: acquisiton: unknown section 'acquisiton'; did you mean 'acquisition'?",
    ]
    assert all(LOCATED.match(line) for line in lines)


def test_yaml_syntax_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("finance:\n  gross_margin: 0.4\n  dev_budget: [1, 2\n", encoding="utf-8")
    result = run("estimate", str(bad))
    assert result.exit_code == 2
    assert re.match(rf"^{re.escape(str(bad))}:\d+:\d+: YAML syntax error: ", result.stderr)
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_internal_error_exits_70_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("inaction_cli.api.simulate", explode)
    result = run("estimate", SME)
    assert result.exit_code == 70
    assert "internal error (RuntimeError: boom)" in result.stderr
    assert "Traceback" not in result.stderr
    debug = run("estimate", SME, "--debug")
    assert debug.exit_code == 70
    assert "Traceback" in debug.stderr


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def interrupt(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("inaction_cli.api.simulate", interrupt)
    target = tmp_path / "out.json"
    result = run("estimate", SME, "-f", "json", "-o", str(target))
    assert result.exit_code == 130
    assert result.stdout == ""
    assert not target.exists()


def test_no_color_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    colour = re.compile(r"\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;)[0-9;]*m")
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run("estimate", SME).stdout
    assert colour.search(coloured), "colours when a terminal is forced"
    monkeypatch.setenv("NO_COLOR", "1")
    plain = run("estimate", SME).stdout
    assert not colour.search(plain), "no colour with NO_COLOR (bold and dim are not colours)"
    assert "Net cost of inaction" in plain
