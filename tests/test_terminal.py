"""Terminals from 60 columns up: no line wider than the terminal, no number split, no word
split inside a word, a file name never split (DESIGN.md, "CLI")."""

from __future__ import annotations

import re
from typing import Any

import pytest
from typer.testing import CliRunner

from inaction_cli.cli import app
from support import ROOT

runner = CliRunner()
WIDTHS = [60, 67, 79, 80, 100, 132]
EVERY_VIEW = ("--sensitivity", "--histogram", "--cash-flow", "--delays", "0,3,6", "--timeline")
COMMANDS = {
    "estimate": ["estimate", "scenarios/sme.yaml", "--samples", "2000", *EVERY_VIEW],
    "estimate-close-call": [
        "estimate",
        "scenarios/close-call.yaml",
        "--samples",
        "2000",
        *EVERY_VIEW,
    ],
    "estimate-five-percentiles": [
        "estimate",
        "scenarios/ecommerce.yaml",
        "--samples",
        "2000",
        "--percentiles",
        "5,25,50,75,95",
    ],
    "diff": [
        "diff",
        "examples/diff/before/atelier.yaml",
        "examples/diff/after/atelier.yaml",
        "--samples",
        "2000",
    ],
    "diff-folders": ["diff", "examples/diff/before", "examples/diff/after", "--samples", "2000"],
    "batch": ["batch", "scenarios", "--samples", "2000"],
    "explain": ["explain", "scenarios/close-call.yaml"],
    "benchmarks": ["benchmarks"],
}
MONEY = re.compile(r"^[+-±]?[€$£]\d{1,3}(,\d{3})*(\.\d+)?[kMBT]?$")


def output(args: list[str], width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", str(width))
    result: Any = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.stderr
    return str(result.stdout)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_line_is_wider_than_the_terminal_and_no_number_is_split(
    name: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = output(COMMANDS[name], width, monkeypatch)
    widest = max(text.splitlines(), key=len)
    assert len(widest) <= width, widest
    for word in text.split():
        core = word.strip("()[],;:")
        if re.search(r"[€$£]", core) and re.search(r"\d", core):
            assert MONEY.match(core.split("–")[0]), f"a split amount: {word!r}"
    # A percentage is never cut from its sign: no line starts with "%".
    assert not re.search(r"^\s*%", text, flags=re.M)


@pytest.mark.parametrize("name", ["benchmarks", "explain"])
@pytest.mark.parametrize("width", [60, 80])
def test_prose_wraps_between_words(name: str, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every word of a narrow page is a word of the wide one: none split inside (but the
    profile's 64-digit sha256, which folds below 71 columns)."""
    wide_text = output(COMMANDS[name], 1000, monkeypatch)
    digest = re.search(r"sha256 ([0-9a-f]{64})", wide_text)
    wide = set(wide_text.split())
    narrow = output(COMMANDS[name], width, monkeypatch).split()
    split = [word for word in narrow if word not in wide]
    assert all(digest and word in digest.group(1) for word in split), split


@pytest.mark.parametrize("width", [60, 80])
def test_batch_file_names_are_never_split(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    text = output(COMMANDS["batch"], width, monkeypatch)
    for name in ("sme", "ecommerce", "b2b-agency", "close-call"):
        assert f"scenarios/{name}.yaml" in text.split()


def test_a_narrow_terminal_gets_the_compact_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    wide = output(COMMANDS["estimate"], 80, monkeypatch)
    narrow = output(COMMANDS["estimate"], 60, monkeypatch)
    net = next(line for line in wide.splitlines() if line.startswith("Net cost"))
    assert "€925,178" in net or "," in net.split()[-1]  # full amounts at 80
    compact = next(line for line in narrow.splitlines() if line.startswith("Net cost"))
    assert re.search(r"€\d+(\.\d+)?[kM]\b", compact), compact


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (950.0, "€950"),
        (843_210.0, "€843k"),
        (1_707_146.0, "€1.71M"),
        (-7.49e12, "-€7.49T"),
        (999.4e12, "€999T"),
        (999.6e12, "€1e+15"),
        (1.33e20, "€1.33e+20"),
    ],
)
def test_compact_amounts_past_a_thousand_trillion_are_powers_of_ten(
    value: float, written: str
) -> None:
    """`€1.33e+08T` mixed two notations; past the last unit, the power of ten alone."""
    from inaction_cli.render.money import format_compact

    assert format_compact(value, "EUR") == written
