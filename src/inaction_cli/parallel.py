"""Threads for the independent heavy numpy calls of one large run: sorts and partitions of
whole sample arrays, which numpy runs without the GIL.

A small run (a default estimate, a profile of a batch) stays on one thread: starting threads
would cost more than they save, and `batch --jobs` already spreads profiles over processes
(its workers set WORKERS to 1).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

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
