"""The house's rules, checked on the source: one-way imports, and renderers that only format."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "inaction_cli"
RENDER_MAY_IMPORT = {"inaction_cli.result", "inaction_cli.text", "inaction_cli.render"}
"""The result module, the formatting helpers and the renderers themselves."""


def imported(path: Path) -> set[str]:
    """Every module of the package that `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "inaction_cli":
                found.update(f"inaction_cli.{alias.name}" for alias in node.names)
            elif node.module.startswith("inaction_cli."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(
                alias.name for alias in node.names if alias.name.startswith("inaction_cli")
            )
    return found


@pytest.mark.parametrize("path", sorted((PACKAGE / "render").glob("*.py")), ids=lambda p: p.name)
def test_renderers_import_only_results_and_formatting_helpers(path: Path) -> None:
    outside = {
        module
        for module in imported(path)
        if not any(
            module == allowed or module.startswith(f"{allowed}.") for allowed in RENDER_MAY_IMPORT
        )
    }
    assert not outside, f"{path.name} imports the pipeline: {sorted(outside)}"


CORE = [
    "api",
    "assemble",
    "batch",
    "build_scenario",
    "catalogue",
    "compare",
    "correlation",
    "distributions",
    "engine",
    "explain",
    "levers",
    "loader",
    "messages",
    "profile",
    "quantities",
    "result",
    "result_schema",
    "rules",
    "scenario",
    "starters",
    "uncertainty",
]


@pytest.mark.parametrize("name", CORE)
def test_the_core_never_imports_the_command_line_or_the_renderers(name: str) -> None:
    modules = imported(PACKAGE / f"{name}.py")
    assert not {m for m in modules if m.startswith(("inaction_cli.cli", "inaction_cli.render"))}


def test_the_result_module_imports_nothing_of_the_pipeline() -> None:
    allowed = {"inaction_cli.distributions", "inaction_cli.errors", "inaction_cli.text"}
    modules = imported(PACKAGE / "result.py") - {
        "inaction_cli.TOOL_NAME",
        "inaction_cli.__version__",
    }
    assert modules <= allowed


def test_the_command_layer_dispatches_through_render_only() -> None:
    """One dispatch (kind × format): commands never pick a renderer module by hand."""
    source = (PACKAGE / "cli" / "commands.py").read_text(encoding="utf-8")
    for module in ("render.csv", "render.markdown", "render.json", "getattr("):
        assert module not in source
