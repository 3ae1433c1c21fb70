"""Threads for the independent heavy numpy work of one large run, which numpy does without
the GIL: the chunks of a pass (`streamed`: drawn in order, computed side by side), and the
sorts and selections over whole sample arrays (`mapped`).

A small run (a default estimate, a profile of a batch) stays on one thread: starting threads
would cost more than they save, and `batch --jobs` already spreads profiles over processes
(its workers set WORKERS to 1).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
Part = TypeVar("Part")

WORKERS = min(4, os.cpu_count() or 1)
"""Threads a large run may use."""
WORTH_IT = 200_000
"""Samples from which a run's sorts and partitions go to threads."""
MEMORY = 256 * 1024 * 1024
"""Bytes the threads' own arrays may take together (a sort's order and a reordered copy)."""


def mapped(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    samples: int,
    *,
    arrays: int = 0,
) -> list[Result]:
    """`[function(item) for item in items]`, in order, on threads when the run is large: the
    same results, since each call is independent of the others. `arrays` is how many arrays of
    every sample one call makes of its own: no more threads than fit in MEMORY."""
    workers = WORKERS
    if arrays:
        workers = min(workers, MEMORY // (8 * max(samples, 1) * arrays))
    if workers < 2 or samples < WORTH_IT or len(items) < 2:
        return [function(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(function, items))


def threaded(samples: int) -> bool:
    """Whether a run of this many samples computes its chunks on threads (`streamed`)."""
    return WORKERS >= 2 and samples >= WORTH_IT


def streamed(
    function: Callable[[Part, int, int], Part],
    parts: Iterable[tuple[Part, int, int]],
    samples: int,
) -> Iterator[tuple[Part, int, int]]:
    """`function(part, start, stop)` for each part of a large run, on up to WORKERS threads,
    yielded in order once done; at most WORKERS parts in flight, each taken from `parts` only
    when a thread is free for it (their memory is a chunk each). A small run stays on this
    thread."""
    if not threaded(samples):
        for part, start, stop in parts:
            yield function(part, start, stop), start, stop
        return
    from collections import deque
    from concurrent.futures import Future, ThreadPoolExecutor

    flight: deque[tuple[Future[Part], int, int]] = deque()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for part, start, stop in parts:
            flight.append((pool.submit(function, part, start, stop), start, stop))
            if len(flight) >= WORKERS:
                future, first, last = flight.popleft()
                yield future.result(), first, last
        while flight:
            future, first, last = flight.popleft()
            yield future.result(), first, last
