"""The command line: typer commands over the use cases of `inaction_cli.api`."""

from __future__ import annotations

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
    except process.Stopped as stopped:
        code = stopped.exit_code
        print(stopped.message, file=sys.stderr)
    finally:
        process.exit_quietly_on_signals()
    code = _flushed(code)
    if code == 0 and stderr is not None and stderr.lost:
        code = _EXIT_IO  # a warning or a note could not be written: not a clean run
    sys.exit(code)


_EXIT_IO = 74


def _run() -> int:
    from inaction_cli.runtime import tune_process

    tune_process()  # before numpy loads: its BLAS reads the thread settings once
    try:
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
