"""Hostile folders for `batch` and `validate`: every entry is found, run once, or reported as
an error row, never skipped in silence, and nothing waits forever on a named pipe."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inaction_cli.cli import app
from support import SCENARIOS

runner = CliRunner()
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="links and named pipes")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two profiles (one with glob characters in its name), an alias of one, and entries
    named like profiles that are no file to read."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(SCENARIOS / "sme.yaml", folder / "Acme [draft].yaml")
    shutil.copy(SCENARIOS / "close-call.yaml", folder / "close-call.yaml")
    (folder / "same-file.yaml").symlink_to("close-call.yaml")
    (folder / "broken.yaml").symlink_to("nowhere.yaml")
    os.mkfifo(folder / "pipe.yaml")
    (folder / "old.yaml").mkdir()
    (folder / "notes.txt").write_text("not a profile\n", encoding="utf-8")
    return folder


def _batch(*args: str) -> tuple[int, dict[str, str], str]:
    result = runner.invoke(app, ["batch", *args, "-f", "json", "--samples", "200", "-q"])
    rows = {
        Path(item["file"]).name: item["status"]
        if item["status"] == "ok"
        else item["errors"][0]["message"]
        for item in json.loads(result.stdout)["profiles"]
    }
    return result.exit_code, rows, result.stderr


def test_a_folder_reports_what_it_cannot_read(folder: Path) -> None:
    code, rows, stderr = _batch(str(folder))
    assert code == 1
    assert rows == {
        "broken.yaml": "is a symbolic link to 'nowhere.yaml', which does not exist",
        "old.yaml": "is a folder, not a profile file",
        "pipe.yaml": "is a named pipe (FIFO), not a profile file",
        "Acme [draft].yaml": "ok",
        "close-call.yaml": "ok",
    }
    assert f"{folder / 'pipe.yaml'}: is a named pipe (FIFO)" in stderr


def test_a_file_reached_twice_runs_once(folder: Path) -> None:
    code, rows, _ = _batch(
        str(folder / "close-call.yaml"),
        str(folder / "same-file.yaml"),
        str(folder / ".." / "scenarios" / "close-call.yaml"),
    )
    assert code == 0
    assert rows == {"close-call.yaml": "ok"}


def test_a_name_with_glob_characters_is_found_when_named(folder: Path) -> None:
    code, rows, _ = _batch(str(folder / "Acme [draft].yaml"))
    assert code == 0
    assert rows == {"Acme [draft].yaml": "ok"}
    valid = runner.invoke(app, ["validate", str(folder / "Acme [draft].yaml")])
    assert valid.exit_code == 0, valid.stderr


def test_a_pattern_reports_the_entries_it_cannot_read(folder: Path) -> None:
    code, rows, _ = _batch(str(folder / "*.yaml"))
    assert code == 1
    assert set(rows) == {
        "broken.yaml",
        "old.yaml",
        "pipe.yaml",
        "Acme [draft].yaml",
        "close-call.yaml",
    }
    assert rows["pipe.yaml"] == "is a named pipe (FIFO), not a profile file"


def test_validate_reports_them_too(folder: Path) -> None:
    result = runner.invoke(app, ["validate", str(folder), "-f", "json"])
    assert result.exit_code == 2
    verdicts = {
        Path(item["file"]).name: item["valid"] for item in json.loads(result.stdout)["files"]
    }
    assert verdicts == {
        "broken.yaml": False,
        "old.yaml": False,
        "pipe.yaml": False,
        "Acme [draft].yaml": True,
        "close-call.yaml": True,
    }
