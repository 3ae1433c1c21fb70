"""The board pack (`inaction report`): the page, the workbook and the Markdown, their figures
against the JSON's, the same bytes twice, escaping, no request leaving the page, a real browser."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inaction_cli.cli import app
from support import ROOT, SCENARIOS

openpyxl = pytest.importorskip("openpyxl")
runner = CliRunner()
SME = str(SCENARIOS / "sme.yaml")


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    target = tmp_path_factory.mktemp("report") / "board.html"
    result = run("report", SME, "-o", str(target), "-q")
    assert result.exit_code == 0, result.stderr
    return target.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result_json() -> dict:
    return json.loads(run("estimate", SME, "-f", "json", "-q").stdout)


def money(value: float) -> str:
    return ("-" if value < 0 else "") + f"€{abs(value):,.0f}"


def test_the_key_figures_on_the_page_are_the_json_s(page: str, result_json: dict) -> None:
    totals, decision = result_json["totals"], result_json["decision"]
    assert money(totals["net"]["p50"]) in page
    assert money(result_json["as_claimed"]["net"]["p50"]) in page
    assert f"{totals['probability_net_positive']:.1%}" in page
    assert f"{decision['roi']['p50']:.1%}" in page
    assert f"month {decision['payback_month']['p50']}" in page
    assert f"{decision['break_even_success_probability']:.1%}" in page
    assert money(totals["cost_of_delay_per_month"]["p50"]) in page
    assert ">Productivity<" in page  # start with
    assert "whether the pilot succeeds" in page  # measure first


def test_the_page_is_one_accessible_file(page: str) -> None:
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Cost of inaction — Atelier Durand (SME)</title>" in page
    assert page.count("<figure ") == 5  # timeline, waiting, tornado, distribution, CD3
    assert page.count("<figcaption>") == 5
    assert page.count('role="img" aria-label="') == 5
    assert '<th scope="col"' in page
    assert '<th scope="row">' in page
    assert "@page { size: A4" in page
    assert "<script" not in page
    for color in ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00"):  # Okabe–Ito
        assert color.lower() in page.lower()


def test_no_request_leaves_the_page(page: str) -> None:
    assert "@import" not in page
    assert not re.search(r"\ssrc=", page)
    for target in re.findall(r"url\(([^)]*)\)", page):
        assert target.startswith("#"), target
    for target in re.findall(r'href="([^"]*)"', page):
        assert target.startswith("#"), target


def test_the_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    for name in ("a.html", "b.html", "a.xlsx", "b.xlsx", "a.md", "b.md"):
        assert run("report", SME, "-o", str(tmp_path / name), "-q").exit_code == 0
    for suffix in ("html", "xlsx", "md"):
        first = (tmp_path / f"a.{suffix}").read_bytes()
        assert first == (tmp_path / f"b.{suffix}").read_bytes(), suffix


HOSTILE = """
company: {name: "<script>alert(1)</script> & <img src=x onerror=alert(2)>"}
operations: {headcount: 10, loaded_cost_per_fte: 50000}
custom_levers:
  sneaky:
    label: "<img src=x onerror=alert(3)> $x$ label"
    kind: saving
    factors: {base: 100000}
    uplift: {low: 0.1, high: 0.3}
    source: "<script>steal()</script>"
adoption: {setup_cost: 20000}
risk: {success_probability: {low: 0.5, high: 0.8}}
"""


def test_text_from_the_profile_is_escaped(tmp_path: Path) -> None:
    target = tmp_path / "hostile.html"
    result = run("report", "-", "-o", str(target), "-q", input=HOSTILE)
    assert result.exit_code == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(3)&gt;" in page


def test_the_workbook_holds_numbers_with_formats(tmp_path: Path, result_json: dict) -> None:
    target = tmp_path / "board.xlsx"
    assert run("report", SME, "-o", str(target), "-q").exit_code == 0
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [
        "Summary",
        "Cash flow",
        "Timeline",
        "Levers",
        "Costs",
        "Sensitivity",
        "Assumptions",
        "Provenance",
    ]
    summary = book["Summary"]
    rows: dict = {}
    for row in summary.iter_rows(min_row=1):
        rows.setdefault(row[0].value, row)  # the figures first; "In plain words" repeats labels
    net = rows["Net cost of inaction, risk-adjusted"]
    assert [cell.value for cell in net[1:5]] == [
        result_json["totals"]["net"][key] for key in ("mean", "p5", "p50", "p95")
    ]
    assert "€" in net[2].number_format
    assert (
        rows["Chance that adopting pays (net > 0)"][1].value
        == (result_json["totals"]["probability_net_positive"])
    )
    assert rows["Chance that adopting pays (net > 0)"][1].number_format == "0.0%"
    timeline = book["Timeline"]
    assert timeline.max_row == 37  # a header and 36 months
    assert isinstance(timeline["C37"].value, float)
    assert len(timeline._charts) == 1  # the native chart of the fan
    cash = book["Cash flow"]
    assert cash["A2"].value == 1
    assert isinstance(cash["C2"].value, float)
    provenance = {row[0].value: row[1] for row in book["Provenance"].iter_rows()}
    assert provenance["Samples"].value == 20_000
    assert provenance["Seed"].value == 42
    assert provenance["Horizon"].value == 36
    assert provenance["Discount rate"].value == 0.08
    assert provenance["Discount rate"].number_format == "0.0%"
    # No market: section: the share lost is not estimated, not zero.
    assert rows["Market share lost"][1].value == "not estimated (no market: section)"


def test_the_format_follows_the_extension_and_markdown_goes_to_stdout(tmp_path: Path) -> None:
    markdown = run("report", SME, "-f", "markdown", "-q")
    assert markdown.exit_code == 0
    assert markdown.stdout.startswith("# Cost of inaction — Atelier Durand (SME)")
    assert "## Audit trail" in markdown.stdout
    html = run("report", SME, "-q")
    assert html.stdout.startswith("<!DOCTYPE html>")
    unknown = run("report", SME, "-o", str(tmp_path / "board.pdf"))
    assert unknown.exit_code == 2
    assert "cannot tell the format from 'board.pdf'" in unknown.stderr


def test_a_locale_writes_numbers_its_way(tmp_path: Path, result_json: dict) -> None:
    french = run("report", SME, "-f", "markdown", "--locale", "fr", "-q").stdout
    net = round(result_json["totals"]["net"]["p50"])
    assert f"{net:,}".replace(",", "\u202f") + "\u00a0€" in french
    bad = run("report", SME, "--locale", "xx_YY")
    assert bad.exit_code == 2
    assert "unknown locale 'xx_YY'" in bad.stderr


def test_without_the_extra_report_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "matplotlib" else real(name, *a),
    )
    result = run("report", SME)
    assert result.exit_code == 2
    # The name inaction on PyPI is another project: from a clone, from the repository, or
    # injected into the venv pipx made.
    assert "pip install '.[report]'" in result.stderr
    assert "pip install 'inaction[report] @ git+https://github.com/inaction-dev/inaction'" in (
        result.stderr
    )
    assert "pipx inject inaction matplotlib jinja2 xlsxwriter babel" in result.stderr
    assert "pip install 'inaction[report]'" not in result.stderr
    assert "(matplotlib missing)" in result.stderr


def test_the_estimate_exports_fetch_nothing_and_have_a_title(tmp_path: Path) -> None:
    svg, html = tmp_path / "e.svg", tmp_path / "e.html"
    result = run("estimate", SME, "-q", "--export-svg", str(svg), "--export-html", str(html))
    assert result.exit_code == 0
    picture = svg.read_text(encoding="utf-8")
    assert "@font-face" not in picture
    assert "cdnjs" not in picture
    assert not re.search(r"url\(\s*['\"]?https?:", picture)
    assert "<title>inaction — Atelier Durand (SME)</title>" in html.read_text(encoding="utf-8")


# --- a real browser -------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = bool(os.environ.get("INACTION_REQUIRE_BROWSER"))


@pytest.mark.skipif(
    CHROMIUM is None and not REQUIRED, reason="no Chromium here (CI installs and requires it)"
)
def test_a_browser_renders_the_page_offline(page: str, tmp_path: Path) -> None:
    assert CHROMIUM is not None, "INACTION_REQUIRE_BROWSER is set but Chromium is missing"
    html = tmp_path / "board.html"
    html.write_text(page, encoding="utf-8")
    picture = tmp_path / "board.png"
    flags = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--proxy-server=127.0.0.1:9",  # a dead proxy: the network is cut
        "--hide-scrollbars",
        "--window-size=1200,1500",
    ]
    subprocess.run(
        [*flags, f"--screenshot={picture}", html.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    image = _pixels(picture)
    assert image.std() > 0.05, "the screenshot is blank"
    dom = subprocess.run(
        [*flags, "--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    assert dom.count("<svg") == 5
    assert "Cost of inaction — Atelier Durand (SME)" in dom
    if os.environ.get("INACTION_UPDATE_DOCS"):
        shutil.copy(picture, ROOT / "docs" / "report.png")


def _pixels(path: Path):  # type: ignore[no-untyped-def]
    from matplotlib import image

    return image.imread(io.BytesIO(path.read_bytes()), format="png")


def test_a_horizon_of_one_month_draws_without_a_warning(tmp_path: Path) -> None:
    """One month on the x axis gave matplotlib's 'identical low and high xlims' warning."""
    target = tmp_path / "one.html"
    result = run("report", str(SCENARIOS / "sme.yaml"), "--horizon", "1", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "Warning" not in result.stderr
    assert "<svg" in target.read_text(encoding="utf-8")


def test_markdown_aligns_numbers_right_and_text_left() -> None:
    result = run("report", SME, "-f", "markdown", "-q")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    levers = lines.index(next(line for line in lines if line.startswith("| Lever | Evidence |")))
    assert lines[levers + 1] == "|---|---|---:|---:|---:|---:|"  # evidence grades are text


WITHOUT_THE_EXTRA = """
import sys

class NotInstalled:
    '''Matplotlib, Jinja2, XlsxWriter and Babel absent, as after `pip install .`.'''

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("matplotlib", "jinja2", "xlsxwriter", "babel"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None

sys.meta_path.insert(0, NotInstalled())
from inaction_cli.cli import main
main()
"""


NO_EXTRA_COMMANDS = {
    "estimate": [
        "estimate",
        "{sme}",
        "--cash-flow",
        "--delays",
        "0,3",
        "--timeline",
        "--sensitivity",
    ],
    "folder-diff": ["diff", "{before}", "{after}", "--fail-above", "50"],
    "diff": ["diff", "{sme}", "{sme}"],
    "batch": ["batch", "{scenarios}"],
    "validate": ["validate", "{scenarios}"],
    "explain": ["explain", "{sme}"],
    "benchmarks": ["benchmarks"],
}


@pytest.mark.parametrize(
    ("command", "fmt"),
    [
        pytest.param(command, fmt, id=f"{name}-{fmt}")
        for name, command in NO_EXTRA_COMMANDS.items()
        for fmt in ("table", "json", "csv", "markdown")
        if not (name == "explain" and fmt == "csv")  # explain writes no CSV
    ],
)
def test_every_command_and_format_but_the_board_pack_needs_no_extra(
    command: list[str], fmt: str, tmp_path: Path
) -> None:
    """`pip install .` (no `report` extra) is what the GitHub Action installs: a diff in
    Markdown imported Babel through the board pack's layout and died as an internal error."""
    import sys

    names = {
        "sme": SME,
        "before": str(ROOT / "examples" / "diff" / "before"),
        "after": str(ROOT / "examples" / "diff" / "after"),
        "scenarios": str(SCENARIOS),
    }
    arguments = [part.format(**names) for part in command]
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_THE_EXTRA, *arguments, "-f", fmt, "--samples", "500"]
        if command[0] in ("estimate", "diff", "batch")
        else [sys.executable, "-c", WITHOUT_THE_EXTRA, *arguments, "-f", fmt],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert "internal error" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert done.stdout
