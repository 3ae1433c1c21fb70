"""Rendering: one dispatch from a result value and a format to text or a terminal drawing.

Renderers only format: they import the result module and formatting helpers, never the
pipeline, and compute no figure. Each renderer module is imported on first use, so a JSON run
never loads rich.
"""

from __future__ import annotations

import enum
import importlib
from dataclasses import dataclass
from typing import Any


class Format(enum.StrEnum):
    """Output formats."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    html = "html"
    xlsx = "xlsx"


@dataclass(frozen=True)
class Drawing:
    """A rich renderable: drawn on a terminal, written as plain text elsewhere."""

    renderable: Any
    soft_wrap: bool = False
    """Print lines whole and let the terminal wrap them (a file name is never broken)."""


Rendered = str | bytes | Drawing

_TEXT = ("table", "csv", "markdown")
# Result type → format → "module:function" of the renderer (JSON: the value's own to_dict).
_RENDERERS: dict[str, dict[Format, str]] = {
    **{
        kind: {Format(name): f"{name}:{function}" for name in _TEXT}
        for kind, function in (
            ("Report", "estimate"),
            ("Batch", "batch"),
            ("Diff", "diff"),
            ("FolderDiff", "folder_diff"),
            ("Validation", "validation"),
            ("CatalogueListing", "benchmarks"),
        )
    },
    "Explanation": {Format.table: "table:explanation", Format.markdown: "markdown:explanation"},
    "BoardPack": {
        Format.html: "html:page",
        Format.xlsx: "xlsx:workbook",
        Format.markdown: "markdown:board_pack",
    },
}
_RENDERERS["Batch"][Format.jsonl] = "jsonl:batch"
_SOFT_WRAPPED = {"Validation"}


def formats(kind: str) -> tuple[Format, ...]:
    """The formats a result type can be written in: json, and what its renderers draw."""
    drawn = _RENDERERS[kind]
    return tuple(format for format in Format if format is Format.json or format in drawn)


VIEWS = ("cash_flow", "delays", "timeline")
"""Parts of an estimate a reader may ask to see in a table or Markdown (always in JSON, CSV)."""


def render(value: Any, format: Format, *, views: frozenset[str] = frozenset()) -> Rendered:
    """`value` (a result) in `format`: text, or a drawing for the terminal. `views` adds parts
    of an estimate to its table or Markdown (VIEWS)."""
    kind = type(value).__name__
    format = Format(format)
    if format is Format.json:
        from inaction_cli.result import dump_json

        return dump_json(value.to_dict())
    target = _RENDERERS[kind].get(format)
    if target is None:
        allowed = ", ".join(formats(kind))
        raise ValueError(f"{kind} is written as {allowed}, not {format}")
    module_name, function = target.split(":")
    module = importlib.import_module(f"inaction_cli.render.{module_name}")
    options = {"views": views} if kind == "Report" and format is not Format.csv else {}
    drawn = getattr(module, function)(value, **options)
    if format is Format.table:
        return Drawing(drawn, soft_wrap=kind in _SOFT_WRAPPED)
    return drawn  # type: ignore[no-any-return]
