"""The version line, `inaction 0.1.0 (benchmarks 2026.11.1)`, read without numpy, pydantic or
typer: `inaction --version` answers in about the time the interpreter takes to start."""

from __future__ import annotations

import re
from pathlib import Path

from inaction_cli import TOOL_NAME, __version__


def benchmarks_version() -> str:
    """The catalogue's `version:` line, read as text (a test checks that it is the version the
    catalogue loads)."""
    text = Path(__file__).with_name("catalogue.yaml").read_text(encoding="utf-8")
    found = re.search(r"^version:\s*\"?([^\"\s#]+)", text, flags=re.MULTILINE)
    return found.group(1) if found else "unknown"


def version_line() -> str:
    """What `inaction --version` prints."""
    return f"{TOOL_NAME} {__version__} (benchmarks {benchmarks_version()})"
