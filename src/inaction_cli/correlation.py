"""Rank correlation between uncertain inputs, by the Iman–Conover method.

Each input's samples are drawn as if it were alone; Iman–Conover then only reorders them so
that their ranks follow correlated normal scores. Every marginal distribution stays exactly as
specified, sample for sample.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from inaction_cli.distributions import FloatArray

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Pair:
    """Two input paths and their target rank (Spearman) correlation."""

    first: str
    second: str
    rank_correlation: float


def groups(pairs: Sequence[Pair]) -> list[tuple[str, ...]]:
    """Inputs linked by correlations, in connected groups, each sorted, groups sorted."""
    parent: dict[str, str] = {}

    def root(path: str) -> str:
        while parent.setdefault(path, path) != path:
            path = parent[path]
        return path

    for pair in pairs:
        parent[root(pair.first)] = root(pair.second)
    members: dict[str, list[str]] = {}
    for path in parent:
        members.setdefault(root(path), []).append(path)
    return sorted(tuple(sorted(group)) for group in members.values())


def matrix(paths: Sequence[str], pairs: Sequence[Pair]) -> FloatArray:
    """The rank correlation matrix of `paths`: 1 on the diagonal, 0 where no pair is given."""
    index = {path: position for position, path in enumerate(paths)}
    result = np.eye(len(paths))
    for pair in pairs:
        if pair.first in index and pair.second in index:
            i, j = index[pair.first], index[pair.second]
            result[i, j] = result[j, i] = pair.rank_correlation
    return result


def is_positive_semidefinite(target: FloatArray) -> bool:
    """Whether a correlation matrix can exist (no eigenvalue below zero)."""
    return bool(np.linalg.eigvalsh(target).min() >= -TOLERANCE)


def _factor(target: FloatArray) -> FloatArray:
    """A matrix F with F Fᵀ = target, even when target is singular (a correlation of ±1)."""
    values, vectors = np.linalg.eigh(target)
    return vectors * np.sqrt(np.clip(values, 0.0, None))  # type: ignore[no-any-return]


ROWS = 1 << 16
"""Rows of scores transformed at a time: the transform never holds the scores twice."""


def iman_conover(
    columns: Sequence[Callable[[], FloatArray]],
    rank_correlations: FloatArray,
    rng: np.random.Generator,
    samples: int,
) -> list[FloatArray]:
    """Each column (drawn by calling its function) reordered so that the columns' rank
    correlations approach the target.

    The target is rank (Spearman) correlation; normal scores with Pearson correlation
    2 sin(π ρ / 6) have rank correlation ρ, so the scores are built to that. The scores come
    first, and each column is drawn only when its turn comes, sorted in place and written in
    its new order: ten million samples of a group are never held twice.
    """
    score_target = 2 * np.sin(np.pi * rank_correlations / 6)
    np.fill_diagonal(score_target, 1.0)
    scores = rng.standard_normal((samples, len(columns)))
    scores -= scores.mean(axis=0)
    # Remove the scores' own chance correlation, then impose the target's.
    current = np.linalg.cholesky(np.corrcoef(scores, rowvar=False))
    transform = np.linalg.inv(current).T @ _factor(score_target).T
    for start in range(0, samples, ROWS):
        scores[start : start + ROWS] = scores[start : start + ROWS] @ transform
    reordered = []
    for position, draw in enumerate(columns):
        # Sorted values are the same whatever the sort; an order of distinct scores too, and a
        # stable sort (many times slower) is only needed when two scores are equal.
        column = draw()
        column.sort()
        result = np.ascontiguousarray(scores[:, position])
        result[stable_order(result)] = column
        del column
        reordered.append(result)
    return reordered


SIGN_BIT = np.uint64(1 << 63)


def stable_order(values: FloatArray) -> npt.NDArray[np.intp]:
    """np.argsort(values, kind="stable"), bit for bit, quicker.

    Each value becomes a 64-bit key that sorts as the value does (the IEEE 754 bits, turned
    so that negative numbers come first), its lowest bits replaced by the sample's index; one
    plain sort of those integers then orders the samples by value and, among equal values, by
    index: the stable order. Only values that share a key's upper bits (closer than about one
    part in 2^(43 − log2 n)) may still be out of order; those few runs are sorted apart, by
    value then index. Many equal values (a discrete or clipped input) take the stable sort.
    """
    count = values.size
    if count < 2 or np.isnan(values).any():
        return np.argsort(values, kind="stable")
    shift = np.uint64(max(1, (count - 1).bit_length()))
    # One array of keys, turned in place (a ten-million-sample run counts its megabytes).
    keys = np.add(values, 0.0).view(np.uint64)  # + 0.0: −0.0 is 0.0, as a comparison sees it
    negative = keys >= SIGN_BIT
    np.invert(keys, out=keys, where=negative)
    np.invert(negative, out=negative)
    np.bitwise_or(keys, SIGN_BIT, out=keys, where=negative)
    del negative
    keys >>= shift
    keys <<= shift
    keys |= np.arange(count, dtype=np.uint64)
    keys.sort()
    apart = np.bitwise_xor(keys[1:], keys[:-1])
    apart >>= shift
    same = apart == 0  # the same upper bits: not told apart by the sort
    del apart
    keys &= (np.uint64(1) << shift) - np.uint64(1)
    order = keys.view(np.intp)
    linked = int(np.count_nonzero(same))
    if linked > count // 8:
        return np.argsort(values, kind="stable")
    if linked:
        member = np.zeros(count, dtype=bool)
        starts = np.flatnonzero(same)
        member[starts] = True
        member[starts + 1] = True
        members = np.flatnonzero(member)
        follows = np.zeros(members.size, dtype=bool)  # in the run of the member before it
        inner = members > 0
        follows[inner] = same[members[inner] - 1]
        run = np.cumsum(~follows)
        chosen = order[members]
        order[members] = chosen[np.lexsort((chosen, values[chosen], run))]
    return order


def spearman(first: FloatArray, second: FloatArray) -> float | None:
    """Rank correlation of two samples (None when either is constant)."""
    return rank_correlation(ranks(first), ranks(second))


def rank_correlation(ranks_first: FloatArray, ranks_second: FloatArray) -> float | None:
    """The Pearson correlation of two samples' ranks (None when either is constant): one
    sample's ranks, computed once, serve against many."""
    spread = ranks_first.std() * ranks_second.std()
    if spread == 0:
        return None
    covariance = ((ranks_first - ranks_first.mean()) * (ranks_second - ranks_second.mean())).mean()
    return float(covariance / spread)


def ranks(values: FloatArray) -> FloatArray:
    """Ranks with ties given their average rank, so that constant stretches do not count.
    The order of tied values in the sort does not change their average: any sort will do,
    and numpy's default is many times faster than a stable one."""
    order = np.argsort(values)
    ordered = values[order]
    starts = np.concatenate([[True], ordered[1:] != ordered[:-1]])
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    ends = np.concatenate([first[1:], [len(values)]])
    average = (first + ends - 1) / 2.0
    result = np.empty(len(values))
    result[order] = average[group]
    return result
