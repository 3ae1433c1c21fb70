"""How far a long run has got: the engine reports the samples it has drawn, whoever watches
(the command line's progress bar) listens. Nobody listening costs a context lookup a chunk."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol


class Meter(Protocol):
    """What listens to a run: work announced, then work done, in samples."""

    def expect(self, samples: int) -> None:
        """More work is coming: `samples` more samples to draw."""

    def advance(self, samples: int) -> None:
        """`samples` more samples are drawn."""


_meter: ContextVar[Meter | None] = ContextVar("inaction_meter", default=None)


def expect(samples: int) -> None:
    """Announce `samples` samples to draw, to whoever listens."""
    meter = _meter.get()
    if meter is not None:
        meter.expect(samples)


def advance(samples: int) -> None:
    """Report `samples` samples drawn, to whoever listens."""
    meter = _meter.get()
    if meter is not None:
        meter.advance(samples)


@contextmanager
def metered(meter: Meter) -> Iterator[None]:
    """Let `meter` listen to every run inside the block."""
    token = _meter.set(meter)
    try:
        yield
    finally:
        _meter.reset(token)
