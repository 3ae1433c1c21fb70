"""Exit codes (DESIGN.md) and the guard that maps every failure to one of them."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from inaction_cli.cli import process
from inaction_cli.errors import InputError
from inaction_cli.text import printable

EXIT_OK = 0
EXIT_FAILED = 1
"""A gate tripped, or a batch finished with failed items."""
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_IO = 74
"""An output could not be written: a full disk, a closed stdout, an I/O error (sysexits.h's
EX_IOERR). Bad input it is not (2), nor a bug (70)."""
EXIT_HANGUP = 129
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
"""What a shell reports for a program stopped by SIGPIPE."""
EXIT_TERMINATED = 143


class OutputError(Exception):
    """An output that could not be written, in one line for the user (exit code 74)."""


@contextmanager
def guard(debug: bool) -> Iterator[None]:
    """Map failures to DESIGN.md's exit codes: bad input 2, interrupted 130, internal 70;
    an output that cannot be written 74, and a closed pipe 141. (SIGTERM and SIGHUP, and
    SIGINT under `main()`, stop the run through `process.Stopped`, which passes through.)"""
    try:
        yield
    except InputError as error:
        for problem in error.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except OutputError as error:
        typer.echo(printable(str(error)), err=True)
        raise typer.Exit(EXIT_IO) from None
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
        stopped = process.stopped_within(error)
        if stopped is not None:  # what the signal broke on its way (a worker pool): not a bug
            # A new one: made now, it cancels a re-delivery still waiting (process.py).
            raise process.Stopped(stopped.signum) from None
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
