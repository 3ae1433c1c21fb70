"""Exit codes (DESIGN.md) and the guard that maps every failure to one of them."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from inaction_cli.errors import InputError
from inaction_cli.text import printable

EXIT_OK = 0
EXIT_FAILED = 1
"""A gate tripped, or a batch finished with failed items."""
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
"""What a shell reports for a program stopped by SIGPIPE."""


@contextmanager
def guard(debug: bool) -> Iterator[None]:
    """Map failures to DESIGN.md's exit codes: bad input 2, interrupted 130, internal 70;
    and a closed pipe to 141."""
    try:
        yield
    except InputError as error:
        for problem in error.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except KeyboardInterrupt:
        typer.echo("inaction: interrupted", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        # The reader went away (`inaction … | head`): not a bug, and nobody left to tell. Stop
        # quietly, as `cat` would, and let nothing flush into the closed pipe on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except (typer.Exit, typer.Abort, typer.BadParameter):
        raise
    except Exception as error:
        if debug or os.environ.get("INACTION_DEBUG"):
            traceback.print_exc()
        typer.echo(
            printable(
                f"inaction: internal error ({type(error).__name__}: {error}); this is a bug, "
                "please report it (--debug shows the traceback)"
            ),
            err=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None
