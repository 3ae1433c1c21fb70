"""The command line: typer commands over the use cases of `inaction_cli.api`."""

from __future__ import annotations


def main() -> None:
    """Entry point of the `inaction` script."""
    from inaction_cli.runtime import tune_process

    tune_process()  # before numpy loads: its BLAS reads the thread settings once
    from inaction_cli.cli.commands import app

    app()


def __getattr__(name: str) -> object:
    # `from inaction_cli.cli import app`, for tests and tools, without loading typer at import.
    if name == "app":
        from inaction_cli.cli.commands import app

        return app
    raise AttributeError(name)
