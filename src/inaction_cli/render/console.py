"""The rich consoles the command line draws on."""

from __future__ import annotations

import html
import inspect
import io
import re

from rich.console import Console, RenderableType
from rich.measure import Measurement

PLAIN_WIDTH = 80
NARROWEST = 60
"""Every drawing fits from 60 columns up (a compact layout below 80); narrower, lines wrap."""
MAX_WIDTH = 1_000


def stdout_console(renderable: RenderableType) -> Console:
    """The terminal, wide enough for `renderable`: colour unless NO_COLOR is set or stdout
    is not a terminal."""
    return _fitted(Console(highlight=False), renderable)


def _fitted(console: Console, renderable: RenderableType) -> Console:
    """Widen `console` to at least 60 columns and to what `renderable` needs at its most
    compact: narrower, rich would cut numbers short (€436,8 for €436,823) and drop labels. A
    terminal narrower than that wraps the long lines instead, which keeps every figure whole."""
    options = console.options.update(max_width=MAX_WIDTH)
    needed = Measurement.get(console, options, renderable).minimum
    console.width = max(console.width, NARROWEST, needed)
    return console


def plain_text(
    renderable: RenderableType, width: int = PLAIN_WIDTH, *, soft_wrap: bool = False
) -> str:
    """A renderable as plain text, for files and tests: no colour, fixed width."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        highlight=False,
        legacy_windows=False,
    )
    _fitted(console, renderable).print(renderable, soft_wrap=soft_wrap)
    # rich pads every line to the table's width; files and diffs are better without it.
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


# rich's own SVG template fetches its font from a CDN each time the picture is opened: the
# same template without the @font-face rules, and the monospace fonts a system already has.
_MONOSPACE = "Menlo, 'DejaVu Sans Mono', Consolas, 'Liberation Mono', monospace"
_SVG_FORMAT = re.sub(
    r"@font-face \{\{.*?\}\}\s*",
    "",
    inspect.signature(Console.export_svg).parameters["code_format"].default,
    flags=re.S,
).replace("font-family: Fira Code, monospace", f"font-family: {_MONOSPACE}")
_HTML_FORMAT = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>{title}</title>
<style>
{{stylesheet}}
body {{{{
    color: {{foreground}};
    background-color: {{background}};
}}}}
</style>
</head>
<body>
    <pre style="font-family:{monospace}"><code style="font-family:inherit">{{code}}</code></pre>
</body>
</html>
"""


def exported(renderable: RenderableType, title: str, width: int = PLAIN_WIDTH) -> tuple[str, str]:
    """The renderable as an SVG picture and as an HTML page, colours included: each titled,
    and neither fetching anything when opened."""
    console = Console(
        file=io.StringIO(),
        width=width,
        record=True,
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
        legacy_windows=False,
    )
    _fitted(console, renderable).print(renderable)
    svg = console.export_svg(title=title, clear=False, code_format=_SVG_FORMAT)
    named = html.escape(title).replace("{", "{{").replace("}", "}}")
    template = _HTML_FORMAT.format(title=named, monospace=_MONOSPACE)
    page = console.export_html(clear=True, code_format=template)
    return svg, page
