"""Hostile input: every bad profile gets located, one-line errors and exit code 2.

One fixture file per failure mode, in tests/fixtures/bad_*.yaml.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inaction_cli.cli import app
from inaction_cli.loader import MAX_PROFILE_BYTES
from support import FIXTURES, SCENARIOS

runner = CliRunner()

# fixture → the problems it must produce: (line, column, key path, part of the message).
# Line and column are None where the problem has no place in the file.
EXPECTED: dict[str, list[tuple[int | None, int | None, str, str]]] = {
    # libyaml says "did not find expected ','", PyYAML "expected ','": either is fine.
    "bad_syntax_unclosed": [(4, 11, "", "expected ',' or ']'")],
    "bad_syntax_indent": [(3, 14, "", "YAML syntax error: mapping values are not allowed")],
    "bad_syntax_tab": [(2, 1, "", "indent with spaces, not tabs")],
    "bad_empty": [(1, 1, "", "the profile is empty")],
    "bad_only_comments": [(1, 1, "", "the profile is empty")],
    "bad_root_list": [
        (1, 1, "", "a profile is a mapping of sections (company:, finance:, …), not a list")
    ],
    "bad_root_scalar": [(1, 1, "", "not text 'just some text'")],
    "bad_not_utf8": [(1, 20, "", "the file is not UTF-8 text (byte 0xe9)")],
    "bad_utf16": [(1, 1, "", "the file is UTF-16 text: save it as UTF-8")],
    "bad_unknown_section": [(2, 1, "operatons", "did you mean 'operations'?")],
    "bad_unknown_field": [
        # one problem for a misspelt required key, not two (it is not also "missing")
        (3, 3, "operations.loaded_cost_per_ftee", "did you mean 'loaded_cost_per_fte'?"),
        (4, 54, "acquisition.targetted_share", "did you mean 'targeted_share'?"),
    ],
    "bad_string_number": [
        (2, 27, "acquisition.new_customers_per_year", "got text '800'"),
        (3, 8, "acquisition.cac", "got text 'twelve'"),
        (
            5,
            19,
            "finance.annual_revenue",
            "write plain digits without separators or symbols: 12000000",
        ),
    ],
    "bad_boolean_number": [
        (2, 14, "operations.headcount", "got yes (a yes/no value)"),
        (3, 24, "operations.loaded_cost_per_fte", "got off (a yes/no value)"),
    ],
    "bad_null_number": [
        (2, 3, "operations.headcount", "no value (null)"),
        (3, 3, "operations.loaded_cost_per_fte", "no value (null)"),
        (4, 11, "finance.gross_margin", "no value (null)"),
    ],
    "bad_negative": [
        (1, 25, "operations.headcount", "must be at least 0, got -40"),
        (2, 24, "adoption.setup_cost", "must be at least 0, got -1"),
        (2, 51, "adoption.annual_run_cost.low", "must be at least 0, got -5"),
    ],
    "bad_share_range": [
        (
            1,
            25,
            "finance.gross_margin",
            "must be at most 1, got 45 (a share: if you meant 45 %, write 0.45)",
        ),
        (2, 70, "acquisition.targeted_share", "must be at least 0, got -0.1"),
        (3, 49, "ecommerce.return_rate", "must be at most 1, got 1.2"),
    ],
    "bad_nan": [(2, 14, "operations.headcount", "expected a finite number, got .nan")],
    "bad_infinity": [
        (3, 24, "operations.loaded_cost_per_fte", "expected a finite number, got .inf"),
        (4, 25, "leads.leads_per_year", "expected a finite number, got -.inf"),
    ],
    "bad_overflow": [(3, 24, "operations.loaded_cost_per_fte", "finite number, got 1e400")],
    "bad_huge_integer": [(1, 25, "operations.headcount", "cannot read '1000")],
    "bad_range_order": [
        (3, 24, "operations.loaded_cost_per_fte", "low (60,000) is above high (50,000)")
    ],
    "bad_mechanism_group": [(4, 1, "sales", "mechanism group 'lead_scoring'")],
    "bad_missing_gross_margin": [(2, 1, "email", "lever 'ctr' needs finance.gross_margin")],
    "bad_duplicate_keys": [
        (5, 3, "operations.headcount", "duplicate key 'headcount' (first given on line 3)"),
        (6, 1, "finance", "duplicate key 'finance' (first given on line 1)"),
    ],
    "bad_unsafe_tag": [
        (1, 17, "company.name", "the YAML tag !!python/object/apply:os.system is not allowed"),
        (3, 14, "operations.headcount", "the YAML tag !!python/name:os.getcwd is not allowed"),
    ],
    "bad_alias_bomb": [(2, 22, "", "refused: aliases expand to more than 10000 values")],
    "bad_deep_nesting": [(33, 63, "", "refused: nesting deeper than 32 levels")],
    # libyaml stops flow nesting itself, further along the line than PyYAML would.
    "bad_deep_flow_nesting": [(2, None, "", "refused: nesting deeper than 32 levels")],
    "bad_future_schema_version": [
        (1, 17, "schema_version", "schema_version 2 is newer than this inaction understands (1)")
    ],
    "bad_absurd_samples": [
        (2, 12, "analysis.samples", "must be at most 10,000,000, got 100000000000: more than")
    ],
    "bad_absurd_horizon": [
        (2, 19, "analysis.horizon_months", "must be at most 120, got 100000: the article's figures")
    ],
    "bad_distribution": [
        (
            3,
            51,
            "email.annual_revenue.distribution",
            "expected one of uniform, triangular, pert, normal90, lognormal90, got text 'gaussian'",
        ),
        (5, 14, "operations.headcount", "mode is used only by triangular and pert"),
        (6, 24, "operations.loaded_cost_per_fte", "lognormal90 needs low > 0"),
    ],
    "bad_benchmark_override": [
        (4, 8, "benchmarks.cac", "low (0.5) is above high (0.35)"),
        (5, 8, "benchmarks.cpl", "high (1.5) is above 1: 'cpl' cuts a cost"),
        (6, 3, "benchmarks.market_share", "market_share has no benchmark to override"),
        (7, 3, "benchmarks.productivty", "did you mean 'productivity'?"),
    ],
    "bad_custom_lever_ids": [
        (2, 3, "custom_levers.support.deflection", "got 'support.deflection'"),
        (3, 3, "custom_levers.Upsell", "lowercase letters, digits and _, starting with a letter"),
        (4, 3, "custom_levers.cac", "'cac' is a lever of the catalogue"),
    ],
    "bad_custom_lever_fields": [
        (5, 14, "custom_levers.many_factors.factors", "expected at most 10 factors, got 11"),
        (11, 24, "custom_levers.negative.factors.tickets", "must be at least 0, got -100"),
        (14, 3, "custom_levers.unsourced.source", "required key 'source' is missing"),
        (16, 11, "custom_levers.unsourced.kind", "got text 'savings'; did you mean 'saving'?"),
        (18, 13, "custom_levers.unsourced.uplift", "must be at most 100, got 150"),
        (22, 15, "custom_levers.reserved.factors.u", "'u' names the uplift"),
    ],
    "bad_custom_lever_group": [
        (
            8,
            5,
            "custom_levers.call_scoring.group",
            "levers 'cac' (acquisition:) and 'call_scoring' (custom_levers.call_scoring) are "
            "both mechanism group 'lead_scoring'",
        )
    ],
    "bad_custom_lever_margin": [
        (2, 3, "custom_levers.upsell", "lever 'upsell' needs finance.gross_margin")
    ],
    "bad_custom_levers_too_many": [
        (2, 3, "custom_levers", "expected at most 50 custom levers, got 51")
    ],
    "bad_risk": [
        (1, 73, "operations.affected_share", "must be at most 1, got 40 (a share: if you meant"),
        (3, 24, "risk.success_probability", "must be at most 1, got 1.5"),
        (4, 17, "risk.pilot_months", "expected a whole number, got 2.5"),
        (5, 16, "risk.realisation", "expected a number or a range {low: …, high: …}, got text"),
        (6, 17, "risk.cost_overrun", "must be at most 10, got 12: ten times the budget"),
        (7, 3, "risk.sucess_probability", "did you mean 'success_probability'?"),
    ],
    "bad_risk_pilot": [
        (2, 22, "risk.pilot_months", "must be at least 1, got 0"),
        (2, 54, "risk.cost_overrun.high", "must be at most 10, got 11"),
    ],
    "bad_cost_lines": [
        (4, 5, "adoption.costs.both", "either one_off (an amount, once) or monthly"),
        (5, 5, "adoption.costs.neither", "this one has neither"),
        (6, 74, "adoption.costs.backwards.to_month", "to_month (3) is before from_month (6)"),
        (7, 55, "adoption.costs.too_late.month", "must be at most 120, got 200"),
        (8, 42, "adoption.costs.mixed.from_month", "from_month goes with monthly"),
        (9, 5, "adoption.costs.typo", "this one has neither"),
        (9, 25, "adoption.costs.typo.monthy", "did you mean 'monthly'?"),
        (10, 5, "adoption.costs.nameless.label", "required key 'label' is missing"),
    ],
    "bad_benchmark_risk": [
        (3, 22, "benchmarks.cac.realisation", "must be at most 1, got 2"),
        (3, 46, "benchmarks.cac.starts_after_months", "must be at least 0, got -1"),
        (5, 108, "custom_levers.tickets.realisation", "must be at most 1, got 1.5"),
    ],
    "bad_two_documents": [(2, 1, "", "a profile is one YAML document; this is a second one")],
    "bad_currency": [(1, 33, "company.currency", "three-letter ISO 4217 code")],
    "bad_yaml11_numbers": [
        (3, 25, "operations.headcount", "got text '0700'; write it without leading zeros: 700"),
        (3, 52, "operations.loaded_cost_per_fte", "got text '1:30'"),
        (4, 27, "finance.annual_revenue", "got text '0x1F'"),
    ],
    "bad_text_values": [
        (2, 17, "company.name", "must not be empty: give a value, or remove the key"),
        (3, 47, "email.data_quality", "got text 'hihg'; did you mean 'high'?"),
    ],
    "bad_control_characters": [
        (3, 17, "company.name", "without control characters (found \\x1b)"),
        (4, 1, "op\\x1b[31merations", "unknown section 'op\\x1b[31merations'"),
    ],
    # A duplicate hidden in a mapping merged with `<<` (and in one merged into that).
    "bad_merge_duplicates": [
        (2, 36, "operations.loaded_cost_per_fte", "duplicate key 'loaded_cost_per_fte' (first"),
        (7, 44, "leads.cpl", "duplicate key 'cpl' (first given on line 7) in a mapping merged"),
    ],
    # A tag does not bring YAML 1.1's readings back: never 448, 90 or 90.0.
    "bad_explicit_number_tags": [
        (2, 25, "operations.headcount", "cannot read '0700' as an integer: with a leading zero"),
        (2, 58, "operations.loaded_cost_per_fte", "YAML 1.1 reads it in base 60 (1:30 is 90)"),
        (3, 27, "finance.annual_revenue", "cannot read '1:30' as a number: YAML 1.1 reads it"),
        (4, 25, "leads.leads_per_year", "cannot read '0x1F' as an integer: write it in decimal"),
    ],
    "bad_invisible_characters": [
        (1, 14, "operations.head\\u200bcount", "unknown key 'head\\u200bcount'; did you mean"),
        (2, 17, "company.name", "without control characters (found \\u202e)"),
        (3, 25, "finance.gross_margin", "got text '0.4\\u200b'"),
        (4, 1, "email\\xa0", "unknown section 'email\\xa0'; did you mean 'email'?"),
    ],
    "bad_long_values": [
        (
            1,
            57,
            "operations." + "affected_share_of_the_whole_company_" * 3 + "…",
            "unknown key 'affected_share_of_the_whole_company_affe…' (360 characters)",
        ),
        (2, 47, "email.data_quality", "got text 'excellent excellent excellent excellent …' (299"),
        (3, 46, "finance.annual_revenue", "symbols: 120000001200000012000000120000001200000…"),
    ],
    "bad_huge_integers": [
        (1, 50, "operations.loaded_cost_per_fte", "must be at most 10^15, got 1e16"),
        (4, 45, "benchmarks.productivity.mode", "too large to compute with, got 1000000"),
        (5, 14, "benchmarks.ctr.low", "too large to compute with, got 100000000000… (401 digits)"),
        (5, 423, "benchmarks.ctr.high", "too large to compute with"),
        (6, 47, "email.data_quality", "got 100000000000… (401 digits: too large)"),
        (7, 18, "analysis.seed", "must be at most 18,446,744,073,709,551,615, got 100000000000…"),
    ],
    "bad_non_ascii_digits": [
        (2, 25, "operations.headcount", "got text '٤٠'; write it in the digits 0-9: 40"),
        (2, 50, "operations.loaded_cost_per_fte", "write it in the digits 0-9: 55000"),
    ],
    # A rank correlation is no share: no "if you meant 150 %, write 1.5".
    "bad_rank_correlation": [
        (5, 67, "correlations[0].rank_correlation", "must be at most 1, got 1.5"),
        (6, 88, "correlations[1].rank_correlation", "must be at least -1, got -45"),
    ],
    # The YAML's own problems (a tag, a duplicate) and the profile's, in one run.
    "bad_many_problems": [
        (2, 25, "finance.gross_margin", "must be at most 1, got 45"),
        (4, 14, "operations.headcount", "the YAML tag !!python/object/apply:os.system"),
        (5, 24, "operations.loaded_cost_per_fte", "expected a finite number, got 1e400"),
        (6, 1, "acquisiton", "did you mean 'acquisition'?"),
        (8, 1, "email", "duplicate key 'email' (first given on line 7)"),
    ],
}


def fixture_names() -> list[str]:
    return sorted(path.stem for path in FIXTURES.glob("bad_*.yaml"))


def test_every_fixture_has_expectations_and_back() -> None:
    assert set(fixture_names()) == set(EXPECTED)


def line_for(path: Path, line: int | None, column: int | None, key: str, message: str) -> str:
    """The start of the expected line; with no column, just up to the line number."""
    if line is not None and column is None:
        return f"{path}:{line}:"
    where = f"{path}:{line}:{column}" if line is not None else f"{path}"
    return f"{where}: {key}: " if key else f"{where}: "


@pytest.mark.parametrize("command", ["estimate", "validate"])
@pytest.mark.parametrize("name", fixture_names())
def test_bad_fixture(name: str, command: str) -> None:
    path = FIXTURES / f"{name}.yaml"
    result = runner.invoke(app, [command, str(path)])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    problems = result.stderr.splitlines()
    assert len(problems) == len(EXPECTED[name]), result.stderr
    for line, (row, column, key, message) in zip(problems, EXPECTED[name], strict=True):
        assert line.startswith(line_for(path, row, column, key, message)), line
        assert message in line, line
    if command == "estimate":
        assert result.stdout == ""


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "company: {name: " + "x" * 201 + "}",
            "company.name: expected at most 200 characters, got 201",
        ),
        ("email: {annual_revenue: 1, data_quality: 1.5}", "lies from 0 (low) to 1 (high), got 1.5"),
        ("email: {annual_revenue: 1, data_quality: [1]}", "number from 0 to 1, got a list"),
        ("email: {annual_revenue: 1, data_quality: true}", "got a yes/no value"),
        ("email: {annual_revenue: 1, data_quality: {low: 1}}", "got a mapping"),
        ("email: {annual_revenue: 1, data_quality: .nan}", "expected a finite number, got .nan"),
    ],
)
def test_one_plain_message_per_bad_value(line: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(f"{line}\nfinance: {{gross_margin: 0.4}}\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr


def test_problems_are_sorted_by_line() -> None:
    for name in fixture_names():
        result = runner.invoke(app, ["validate", str(FIXTURES / f"{name}.yaml")])
        if name == "bad_deep_flow_nesting":
            continue
        places = [
            tuple(map(int, m.groups()))
            for m in (
                re.match(r".*?\.yaml:(\d+):(\d+): ", line) for line in result.stderr.splitlines()
            )
            if m
        ]
        assert places == sorted(places), name


def test_unsafe_tags_are_never_executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["estimate", str(FIXTURES / "bad_unsafe_tag.yaml")])
    assert result.exit_code == 2
    assert not (tmp_path / "inaction-pwned").exists()


def test_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    for command in ("estimate", "validate"):
        result = runner.invoke(app, [command, str(missing)])
        assert result.exit_code == 2
        assert result.stderr == f"{missing}: no such file\n"


def test_a_folder_given_as_a_file() -> None:
    result = runner.invoke(app, ["estimate", str(FIXTURES)])
    assert result.exit_code == 2
    assert result.stderr == f"{FIXTURES}: is a folder, not a profile file\n"


def test_an_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    locked = tmp_path / "locked.yaml"
    locked.write_text("operations: {}\n", encoding="utf-8")
    locked.chmod(0)
    result = runner.invoke(app, ["estimate", str(locked)])
    assert result.exit_code == 2
    assert result.stderr == f"{locked}: permission denied\n"


def test_an_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    # Invalid YAML all the way: a parser that ran would report a syntax error instead.
    big.write_bytes(b"[" * (MAX_PROFILE_BYTES + 1))
    result = runner.invoke(app, ["estimate", str(big)])
    assert result.exit_code == 2
    assert (
        result.stderr == f"{big}: refused: the file is over 1 MiB, and a profile is a few "
        "kilobytes\n"
    )


def test_an_oversized_stdin_is_refused() -> None:
    result = runner.invoke(app, ["estimate", "-"], input="#" * (MAX_PROFILE_BYTES + 10))
    assert result.exit_code == 2
    assert result.stderr.startswith("<stdin>: refused: the file is over 1 MiB")


@pytest.mark.parametrize("name", ["bad_alias_bomb", "bad_deep_nesting", "bad_deep_flow_nesting"])
def test_bombs_are_defused_quickly_in_a_real_process(name: str) -> None:
    """A guard against hangs and memory blow-ups, in a process of its own."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "inaction_cli", "validate", str(FIXTURES / f"{name}.yaml")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 2
    assert "refused" in result.stderr
    assert "Traceback" not in result.stderr
    assert elapsed < 20, "a hang guard, not a speed target: the note reports the real time"


def test_a_good_file_among_bad_ones_in_batch() -> None:
    bad = [str(FIXTURES / f"{name}.yaml") for name in ("bad_nan", "bad_alias_bomb")]
    result = runner.invoke(app, ["batch", *bad, str(SCENARIOS / "sme.yaml"), "-f", "json"])
    assert result.exit_code == 1
    assert '"status": "ok"' in result.stdout
    assert "Traceback" not in result.stderr


def test_ctrl_c_exits_130_and_leaves_no_output(tmp_path: Path) -> None:
    """A real SIGINT in the middle of a long run."""
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inaction_cli",
            "estimate",
            str(SCENARIOS / "sme.yaml"),
            "--samples",
            "10000000",
            "-f",
            "json",
            "-o",
            str(target),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # past start-up, inside the simulation
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stdout == ""
    assert "Traceback" not in stderr
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


@pytest.mark.parametrize(
    "args", [["schema"], ["estimate", str(SCENARIOS / "sme.yaml"), "--sensitivity"]]
)
def test_a_closed_pipe_stops_quietly_with_141(args: list[str]) -> None:
    """`inaction … | head`: the reader leaves early; that is no internal error."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte
    try:
        result = subprocess.run(
            [sys.executable, "-m", "inaction_cli", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 141, result.stderr
    assert result.stderr == ""


def test_a_report_is_never_written_over_an_input(tmp_path: Path) -> None:
    profile = tmp_path / "sme.yaml"
    original = (SCENARIOS / "sme.yaml").read_bytes()
    profile.write_bytes(original)
    link = tmp_path / "link.yaml"
    link.symlink_to(profile)
    for args in (
        ["estimate", str(profile), "-o", str(profile)],
        ["estimate", str(profile), "--export-html", str(link)],
        ["explain", str(profile), "-o", str(link)],
        ["validate", str(tmp_path), "-o", str(profile)],
        ["batch", str(tmp_path / "*.yaml"), "-f", "csv", "-o", str(link)],
        ["diff", str(SCENARIOS / "sme.yaml"), str(profile), "-o", str(profile)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert "is also an input of the command" in result.stderr, args
        assert result.stdout == ""
        assert profile.read_bytes() == original, args


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    # A file name is not checked like a profile's text: every view shows it escaped.
    evil = tmp_path / "e\x1b[31mvil.yaml"
    evil.write_text("leads: {leads_per_year: 4800, cpl: 100}\n", encoding="utf-8")
    shown = "e\\x1b[31mvil"
    for args in (
        ["estimate", str(evil)],
        ["estimate", str(evil), "--format", "markdown"],
        ["explain", str(evil)],
        ["validate", str(tmp_path)],
        ["batch", str(tmp_path)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "\x1b" not in result.stdout + result.stderr, args
        # Markdown escapes the bracket too: its text is never markup.
        assert shown.replace("[", "\\[") in result.stdout + result.stderr or shown in (
            result.stdout + result.stderr
        ), args


def test_a_rank_correlation_gets_no_advice_about_percent() -> None:
    result = runner.invoke(app, ["validate", str(FIXTURES / "bad_rank_correlation.yaml")])
    assert "0.015" not in result.stderr
    assert "%" not in result.stderr


def test_an_integer_of_thousands_of_digits_given_as_data() -> None:
    """The Python API: no text of the number to echo, and too long for Python to print."""
    import inaction_cli

    problems = inaction_cli.validate(
        {"operations": {"headcount": 10**5000, "loaded_cost_per_fte": 1}}
    )
    assert [str(problem) for problem in problems] == [
        "<mapping>: operations.headcount: the number is too large to compute with, got a number "
        "of about 5,001 digits (too large)"
    ]
