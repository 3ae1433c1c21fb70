"""inaction: put a defensible number on the cost of not adopting AI.

The Python API (DESIGN.md, "Python API"):

    import inaction_cli
    report = inaction_cli.estimate("scenarios/sme.yaml", samples=50_000)
    report.to_dict()["totals"]["net"]["p50"]

`estimate(profile, *, samples, seed, horizon_months, discount_rate, percentiles) -> Report`,
`validate(profile) -> list[Problem]`, and `InputError` for bad input: `profile` is a path or a
mapping shaped like the YAML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The one place the version is written: pyproject.toml reads it from here, and reading it
# back through importlib.metadata would cost a command 30 ms of start-up.
__version__ = "0.1.0"

TOOL_NAME = "inaction"

# Where the tool is installed from (pyproject's Homepage; a test keeps them equal): the name
# `inaction` on PyPI belongs to an unrelated project.
REPOSITORY_URL = "https://github.com/inaction-dev/inaction"

if TYPE_CHECKING:
    from inaction_cli.api import estimate, validate
    from inaction_cli.errors import InputError, Problem
    from inaction_cli.result import Report

__all__ = ["InputError", "Problem", "Report", "__version__", "estimate", "validate"]

_API = {
    "estimate": "inaction_cli.api",
    "validate": "inaction_cli.api",
    "InputError": "inaction_cli.errors",
    "Problem": "inaction_cli.errors",
    "Report": "inaction_cli.result",
}


def __getattr__(name: str) -> Any:
    # Loaded on first use: the command line imports this package first, and must not pay for
    # numpy and pydantic before it knows it needs them (`inaction --version`).
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'inaction_cli' has no attribute {name!r}")
