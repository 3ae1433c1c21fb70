"""Help as a person writes it: `PROFILE` and `PATH...` rather than `{profile} <str>`, and the
top-level help's examples, exit codes and environment variables."""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand

EPILOG = """\b
Examples:
  inaction init --template sme profile.yaml   a commented starter profile
  inaction estimate profile.yaml              the cost of inaction, P5/P50/P95
  inaction estimate profile.yaml -f json -o result.json
  inaction report profile.yaml -o board.html  the board pack (extra: report)
  inaction explain profile.yaml --lever cac   each formula with your numbers
  inaction batch scenarios/                   many profiles, ranked
  inaction diff base/ head/ --fail-above 5%   two folders, scenario by scenario

\b
Exit codes:
  0    success
  1    a gate tripped (diff --fail-above), or a batch had failed profiles
  2    bad usage or invalid input (each problem on stderr: file, line, column)
  70   an internal error (--debug or INACTION_DEBUG=1 shows the traceback)
  74   an output could not be written (a full disk, a closed stdout)
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM); 129 hung up (SIGHUP)
  141  the reader of stdout went away (inaction … | head)

\b
Environment:
  NO_COLOR        no colour, whatever the terminal
  FORCE_COLOR     colour even when stdout is not a terminal
  COLUMNS         the width tables are drawn for (60 and up; compact below 80)
  INACTION_DEBUG  1: show the traceback of an internal error

Output goes to stdout (or -o FILE, - for stdout); warnings and errors go to stderr."""


def _argument_name(param: Any) -> str:
    """An argument as written in help: its metavar, `...` when it takes several."""
    name = str(param.metavar or param.name.upper())
    return f"{name}..." if param.nargs != 1 and not name.endswith("...") else name


class Command(TyperCommand):
    """A command whose usage line and argument list read `PROFILE`, `PATH...`, `[PATH]`."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage line: `[OPTIONS] PROFILE`, `[OPTIONS] PATH...`, `[OPTIONS] [PATH]`."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """The arguments by name and help alone (no Python type), then the options."""
        arguments = [
            (_argument_name(param), getattr(param, "help", None) or "")
            for param in self.get_params(ctx)
            if param.param_type_name == "argument" and not getattr(param, "hidden", False)
        ]
        options = [
            record
            for param in self.get_params(ctx)
            if param.param_type_name == "option"
            for record in [param.get_help_record(ctx)]
            if record is not None
        ]
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)
