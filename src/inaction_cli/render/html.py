"""The board pack as one self-contained HTML page: styles and charts inline, no script, no
request leaving the page, printable on A4. Jinja2 with autoescape writes it: every text from
the profile is escaped."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from inaction_cli.render.board import build
from inaction_cli.result import BoardPack

TEMPLATES = Path(__file__).with_name("templates")


def page(pack: BoardPack) -> str:
    """The page of a board pack."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template("report.html.j2").render(board=build(pack))
