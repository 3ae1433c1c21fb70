"""Text from a profile never becomes a formula in a spreadsheet (CSV) or markup in a
pull-request comment (Markdown)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from inaction_cli.cli import app

runner = CliRunner()

HOSTILE = {
    "company": {"name": '=HYPERLINK("http://evil.example","Acme") <img src=x onerror=alert(1)>'},
    "analysis": {"samples": 200},
    "finance": {"gross_margin": 0.4},
    "custom_levers": {
        "upsell": {
            "label": "+cmd|' /C calc'!A0 @octocat [click](http://evil.example)",
            "kind": "revenue",
            "factors": {"customers": 100, "revenue": {"low": 1000, "high": 2000}},
            "uplift": {"low": 0.1, "high": 0.2},
            "source": "@SUM(1+1)*cmd|' /C calc'!A0 <!-- inaction:diff --> ![p](http://t.example/p.png)",
        }
    },
    "adoption": {
        "setup_cost": 500000,  # a negative net: negative numbers must stay numbers
        "costs": {"training": {"label": "-2+3+cmd|' /C calc'!A0", "one_off": 1000}},
    },
}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "=cmd.yaml"
    path.write_text(yaml.safe_dump(HOSTILE, allow_unicode=True), encoding="utf-8")
    return path


def _text_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _is_number(cell: str) -> bool:
    return re.fullmatch(r"-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?", cell) is not None


@pytest.mark.parametrize("command", ["estimate", "batch", "validate", "benchmarks"])
def test_no_csv_cell_starts_like_a_formula(command: str, hostile: Path) -> None:
    args = [command] if command == "benchmarks" else [command, str(hostile)]
    result = runner.invoke(app, [*args, "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    cells = _text_cells(result.stdout)
    risky = [c for c in cells if c.startswith(("=", "+", "-", "@")) and not _is_number(c)]
    assert risky == []
    if command in ("estimate", "batch"):
        # Negative numbers are numbers, not text with a quote before them.
        assert any(_is_number(c) and c.startswith("-") for c in cells)
        assert not any(c.startswith("'-") and _is_number(c[1:]) for c in cells)
    if command == "estimate":
        assert "'+cmd|' /C calc'!A0 @octocat [click](http://evil.example)" in cells
    if command == "batch":
        assert any(cell.startswith("'=HYPERLINK(") for cell in cells)


def test_a_diff_csv_is_inert(hostile: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["diff", str(hostile), str(hostile), "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    assert "'+cmd|' /C calc'!A0 @octocat [click](http://evil.example)" in _text_cells(result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["estimate", "{profile}", "-f", "markdown"],
        ["explain", "{profile}", "-f", "markdown"],
        ["batch", "{profile}", "-f", "markdown"],
        ["validate", "{profile}", "-f", "markdown"],
        ["diff", "{profile}", "{profile}", "-f", "markdown"],
    ],
)
def test_markdown_holds_no_html_link_or_mention_from_a_profile(
    args: list[str], hostile: Path
) -> None:
    result = runner.invoke(app, [part.format(profile=hostile) for part in args])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "<img" not in text
    assert "<!-- inaction:diff -->" not in text.replace("<!-- inaction:diff -->\n", "", 1)
    assert "@octocat" not in text
    assert not re.search(r"(?<!\\)\]\(http", text)  # no link, no image
    if args[0] in ("estimate", "explain", "diff"):
        assert "&lt;img src=x onerror=alert(1)>" in text
    if args[0] in ("estimate", "explain"):
        assert "@&#8203;octocat" in text


def test_a_file_name_in_a_code_span_cannot_close_it(tmp_path: Path) -> None:
    odd = tmp_path / "a`b ``c.yaml"
    odd.write_text("leads: {leads_per_year: 4800, cpl: 100}\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(odd), "-f", "markdown"])
    assert result.exit_code == 0, result.stderr
    assert f"```{odd}```" in result.stdout
