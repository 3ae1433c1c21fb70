"""Exact order statistics of a large array without sorting or partitioning all of it.

A summary needs a few order statistics of each output (P5, P50 and P95 need six), and there
are about a hundred outputs a run. `np.partition` with several indices moves the whole array
several times. Here a small sorted sample of the array brackets each statistic; one pass counts
the values below the bracket and keeps those inside it (a few per cent of the array), and the
statistic is selected among those. The answer is the very value `np.partition` would put at the
index, bit for bit: when a bracket misses (a sample that happens to be unrepresentative, NaN),
the count says so and the whole array is partitioned instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

SELECT_FROM = 10_000
"""Values from which the statistics are bracketed; a smaller array is partitioned (a copy),
which is quicker there."""
SAMPLE_MOST = 8192
"""Values of the array sorted to find the brackets (fewer for a small array)."""
MARGIN = 5.0
"""How many standard deviations of a sample rank a bracket reaches on either side: at five,
a bracket misses once in millions (and a miss costs one partition, never a wrong value)."""


def order_statistics(values: FloatArray, indices: Sequence[int]) -> dict[int, float]:
    """`{k: np.sort(values)[k]}` for each index of `indices` (sorted, distinct, in range).
    Does not reorder `values`."""
    if not indices:
        return {}
    if values.size < SELECT_FROM:
        return _partitioned(values, list(indices))
    count = values.size
    step = max(1, count // max(256, min(SAMPLE_MOST, count // 8)))
    sample = np.sort(values[::step])
    size = sample.size
    found: dict[int, float] = {}
    for group in _runs(indices):
        first, last = group[0], group[-1]
        share = first / count
        margin = 8 + int(MARGIN * math.sqrt(size * share * (1 - share)))
        low_rank = first * size // count - margin
        high_rank = last * size // count + margin + 1
        if low_rank <= 0 and high_rank >= size:  # the bracket is the whole array
            found.update(_partitioned(values, group))
            continue
        low = sample[low_rank] if low_rank > 0 else -np.inf
        high = sample[high_rank] if high_rank < size else np.inf
        below = int(np.count_nonzero(values < low)) if low_rank > 0 else 0
        if low == high:  # inside a run of equal values (the failed pilots): counting is enough
            equal = int(np.count_nonzero(values == low))
            if below <= first and last < below + equal:
                found.update((index, float(low)) for index in group)
                continue
        inside = values[(values >= low) & (values <= high)]
        if not below <= first or not last < below + inside.size:  # missed: do it the long way
            found.update(_partitioned(values, group))
            continue
        inside.partition([index - below for index in group])
        found.update((index, float(inside[index - below])) for index in group)
    return found


def _runs(indices: Sequence[int]) -> list[list[int]]:
    """Indices next to each other in one group (a percentile's two neighbours share a bracket)."""
    groups: list[list[int]] = []
    for index in indices:
        if groups and index - groups[-1][-1] <= 1:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _partitioned(values: FloatArray, group: list[int]) -> dict[int, float]:
    ordered = values.copy()
    ordered.partition(group)
    return {index: float(ordered[index]) for index in group}
