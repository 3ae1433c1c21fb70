"""The command line: typer commands over the use cases of `inaction_cli.api`."""

from __future__ import annotations

import contextlib
import os
import sys


def main() -> None:
    """Entry point of the `inaction` script."""
    from inaction_cli.cli import process

    # First of all: from here on, Ctrl-C (or SIGTERM, SIGHUP) ends the run with one line and
    # its exit code, start-up included, never with a traceback.
    process.stop_on_signals()
    stderr = process.prepare_streams()
    try:
        code = _run()
    except BaseException as error:  # a signal's, maybe wrapped; any other goes on up
        stopped = process.stopped_within(error)
        if stopped is None:
            raise
        code = stopped.exit_code
        print(stopped.message, file=sys.stderr)
    finally:
        process.exit_quietly_on_signals()
    lost = process.received()
    if code == 0 and lost is not None:  # a Ctrl-C the run finished before it could act on
        stopped = process.Stopped(lost)
        code = stopped.exit_code
        print(stopped.message, file=sys.stderr)
    code = _flushed(code)
    if code == 0 and stderr is not None and stderr.lost:
        code = _EXIT_IO  # a warning or a note could not be written: not a clean run
    _leave(code)


def _leave(code: int) -> None:
    """Exit with `code`, once stdout and stderr are flushed, without tearing the interpreter
    down: freeing numpy's, pydantic's and rich's objects one by one took 40 ms of every run,
    and nothing of inaction's waits for it (every output is written and closed by now)."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


_EXIT_IO = 74


def _run() -> int:
    try:
        if sys.argv[1:] == ["--version"]:  # answered before typer, numpy and pydantic load
            from inaction_cli.version import version_line

            print(version_line())
            return 0
        from inaction_cli.runtime import tune_process

        tune_process()  # before numpy loads: its BLAS reads the thread settings once
        from inaction_cli.cli.commands import app

        app()
    except SystemExit as exit:
        return exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    except OSError as error:  # typer writing help or the version to a full or closed stdout
        from inaction_cli.cli.process import discard_stdout

        discard_stdout()
        print(f"inaction: cannot write the output: {error.strerror}", file=sys.stderr)
        return _EXIT_IO
    return 0


def _flushed(code: int) -> int:
    """Flush stdout before exiting: what cannot be written then is an output lost."""
    if sys.stdout is None:
        return code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return code
    except OSError as error:
        from inaction_cli.cli.process import discard_stdout

        discard_stdout()
        print(f"inaction: cannot write the output: {error.strerror}", file=sys.stderr)
        return code or _EXIT_IO
    return code


def __getattr__(name: str) -> object:
    # `from inaction_cli.cli import app`, for tests and tools, without loading typer at import.
    if name == "app":
        from inaction_cli.cli.commands import app

        return app
    raise AttributeError(name)
