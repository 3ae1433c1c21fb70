"""Progress bars on stderr, for a person at a terminal: never in a pipe, never with --quiet."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from inaction_cli.progress import metered

SHOW_AFTER = 1.0
"""Seconds a run must last before its bar appears: a quick run shows none."""


def _watched(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


def _progress() -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeElapsedColumn

    columns = ("{task.description}", BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    return Progress(*columns, console=Console(stderr=True), transient=True)


class _SamplesBar:
    """A bar of the samples drawn, out of those announced so far; it appears once the run
    has taken SHOW_AFTER seconds."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.total = self.done = 0
        self.start = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def expect(self, samples: int) -> None:
        self.total += samples
        self._update()

    def advance(self, samples: int) -> None:
        self.done += samples
        if self.bar is None and time.monotonic() - self.start >= SHOW_AFTER:
            self.bar = _progress()
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=self.total)
        self._update()

    def _update(self) -> None:
        if self.bar is not None:
            self.bar.update(self.task, total=self.total, completed=self.done)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def samples_bar(label: str, quiet: bool) -> Iterator[None]:
    """A progress bar of the Monte Carlo samples drawn in the block (ten million samples, a
    tornado, a board pack), on a terminal only."""
    if not _watched(quiet):
        yield
        return
    bar = _SamplesBar(label)
    try:
        with metered(bar):
            yield
    finally:
        bar.stop()


@contextmanager
def profiles_bar(total: int, quiet: bool) -> Iterator[Callable[[object], None]]:
    """A progress bar of the profiles of a batch done, on a terminal only."""
    if total < 2 or not _watched(quiet):
        yield lambda _: None
        return
    with _progress() as progress:
        task = progress.add_task("Estimating", total=total)
        yield lambda _: progress.advance(task)
