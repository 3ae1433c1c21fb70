"""Shell completion: typer's --install-completion and --show-completion, and what Tab offers."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from inaction_cli.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _shell_named_not_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests name the shell: detecting it would find whatever runs pytest."""
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")


def test_help_offers_completion() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


@pytest.mark.parametrize(
    ("shell", "line"),
    [
        ("bash", "complete -o default -F _inaction_completion inaction"),
        ("zsh", "compdef _inaction_completion inaction"),
        ("fish", "complete --command inaction"),
    ],
)
def test_show_completion_prints_the_script_of_a_shell(shell: str, line: str) -> None:
    result = runner.invoke(app, ["--show-completion", shell])
    assert result.exit_code == 0, result.stderr
    assert line in result.stdout
    assert f"_INACTION_COMPLETE=complete_{shell}" in result.stdout


def test_install_completion_writes_the_script_in_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    result = runner.invoke(app, ["--install-completion", "bash"])
    assert result.exit_code == 0, result.stderr
    script = tmp_path / ".bash_completions" / "inaction.sh"
    assert "_INACTION_COMPLETE=complete_bash" in script.read_text(encoding="utf-8")
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text(encoding="utf-8")


def complete(words: str) -> list[str]:
    """What bash offers for Tab at the end of `words` (a trailing space: a new word)."""
    split = words.split()
    index = len(split) if words.endswith(" ") else len(split) - 1
    env = {"_INACTION_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(index)}
    result = runner.invoke(app, [], env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def test_tab_completes_commands() -> None:
    assert complete("inaction in") == ["init"]
    assert {"estimate", "report", "init", "diff"} <= set(complete("inaction "))


def test_tab_completes_the_templates_and_the_formats() -> None:
    assert complete("inaction init --template ") == ["sme", "ecommerce", "b2b-agency", "blank"]
    assert complete("inaction init -t b") == ["b2b-agency", "blank"]
    assert complete("inaction estimate x.yaml --format j") == ["json"]
