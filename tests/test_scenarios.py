"""Each bundled scenario has a seeded golden output: a change in numbers is a visible diff.

To accept new numbers on purpose, run
`INACTION_UPDATE_GOLDEN=1 python -m pytest tests/test_scenarios.py`
and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inaction_cli.api import estimate
from inaction_cli.cli import app
from inaction_cli.render import table
from inaction_cli.render.console import plain_text
from support import GOLDEN, ROOT, SCENARIOS

SCENARIO_NAMES = sorted(path.stem for path in SCENARIOS.glob("*.yaml"))
UPDATE = bool(os.environ.get("INACTION_UPDATE_GOLDEN"))


def check_golden(path: Path, actual: str) -> None:
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with INACTION_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


def test_there_are_at_least_three_scenarios() -> None:
    assert {"sme", "ecommerce", "b2b-agency"} <= set(SCENARIO_NAMES)


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_scenario_json_matches_its_golden_file(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the JSON records the path as given: scenarios/<name>.yaml
    result = CliRunner().invoke(app, ["estimate", f"scenarios/{name}.yaml", "-f", "json", "-q"])
    assert result.exit_code == 0, result.stderr
    check_golden(GOLDEN / f"{name}.json", result.stdout)


def test_sme_table_matches_its_golden_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = estimate("scenarios/sme.yaml")
    check_golden(GOLDEN / "sme.table.txt", plain_text(table.estimate(report), width=80))


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_scenarios_are_commented(name: str) -> None:
    text = (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8")
    assert text.startswith("#"), "a scenario opens with a comment saying what it models"
