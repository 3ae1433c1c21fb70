"""The README tells the truth: its commands exist, its examples run as shown."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from inaction_cli.cli import app
from support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_readme_opens_with_the_two_commands() -> None:
    block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert block is not None
    lines = block.group(1).strip().splitlines()
    assert lines == [
        "pip install . && inaction estimate scenarios/sme.yaml",
        "pip install '.[test]' && python -m pytest",
    ]
    assert README.index("```sh") < README.index("## "), "the commands come before any section"


def test_ci_runs_the_readme_commands() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in script
    assert "venv" in script


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert f"inaction {name}" in README


def test_readme_session_matches_the_golden_table() -> None:
    table = (ROOT / "tests" / "golden" / "sme.table.txt").read_text(encoding="utf-8")
    assert f"$ inaction estimate scenarios/sme.yaml\n{table}```" in README


def readme_sessions() -> list[tuple[str, str]]:
    """Every `$ inaction …` session of the README: each runs on the repository's own files
    (`scenarios/`, `examples/`)."""
    return re.findall(r"```(?:console|text)\n\$ inaction ([^\n]*)\n(.*?)```", README, re.S)


@pytest.mark.parametrize(
    ("args", "shown"), readme_sessions(), ids=[args for args, _ in readme_sessions()]
)
def test_readme_sessions_show_real_output(
    args: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each line shown is a line of the real output, in order; `...` marks a cut."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(app, args.split())
    real = iter(line.rstrip() for line in (result.stdout + result.stderr).splitlines())
    for line in shown.strip().splitlines():
        if line.strip() != "...":
            assert line.rstrip() in real, f"not in the output of inaction {args}: {line!r}"


def test_changelog_keeps_an_unreleased_section() -> None:
    assert CHANGELOG.startswith("# Changelog")
    assert "## [Unreleased]" in CHANGELOG


def test_python_dash_m_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "inaction_cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "estimate" in result.stdout


def test_the_core_never_imports_the_terminal() -> None:
    code = (
        "import sys, inaction_cli.api, inaction_cli.engine, inaction_cli.profile;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich'));"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_the_python_api_example_runs(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    block = README.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    exec(compile(block, "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "profile,net_p5,net_p50,net_p95,p_net_positive"
    assert len(lines) == 1 + len(list((ROOT / "scenarios").glob("*.yaml")))


PYPI_NAME = re.compile(
    r"""pipx? install\s+['"]?inaction(\[[a-z,]+\])?['"]?(?!\s*@)(?=[\s`'".,;)]|$)"""
)
"""Advice to install the name `inaction` from PyPI, which belongs to an unrelated project."""


def test_the_name_on_pypi_is_never_advised() -> None:
    """Install from a clone (`pip install '.[report]'`), from the repository
    (`inaction[report] @ git+https://…`), or inject into pipx's venv: never `pip install
    inaction`, which would install somebody else's project."""
    assert PYPI_NAME.search("pip install 'inaction[report]'")
    assert PYPI_NAME.search("run `pipx install inaction`.")
    assert not PYPI_NAME.search("pip install 'inaction[report] @ git+https://x/inaction'")
    assert not PYPI_NAME.search("pip install inaction-tools")
    files = [ROOT / "README.md", ROOT / "action.yml", *(ROOT / "examples").rglob("*.yml")]
    files += sorted((ROOT / "src").rglob("*.py"))
    advised = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in PYPI_NAME.finditer(path.read_text(encoding="utf-8"))
    ]
    assert advised == []


def test_the_repository_url_is_the_project_s() -> None:
    import tomllib

    from inaction_cli import REPOSITORY_URL

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"]["Homepage"] == REPOSITORY_URL
    assert f"@ git+{REPOSITORY_URL}'" in " ".join(README.split())
