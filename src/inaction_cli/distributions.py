"""Uncertain quantities and how to sample them: one random stream per input path."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Values = FloatArray | float
"""A sampled quantity: an array of samples, or a plain float when the quantity is certain."""

# The 95th percentile of the standard normal: low/high of normal90 and lognormal90 are the
# 5th and 95th percentiles, so the half-width of the interval is Z90 standard deviations.
Z90 = 1.6448536269514722


class Distribution(enum.StrEnum):
    """The families an uncertain input may follow."""

    UNIFORM = "uniform"
    TRIANGULAR = "triangular"
    PERT = "pert"
    NORMAL90 = "normal90"
    LOGNORMAL90 = "lognormal90"

    @property
    def takes_mode(self) -> bool:
        """Whether `mode` means something for this family."""
        return self in (Distribution.TRIANGULAR, Distribution.PERT)

    @property
    def unbounded(self) -> bool:
        """Whether samples can fall outside [low, high] (low/high are a 90 % interval)."""
        return self in (Distribution.NORMAL90, Distribution.LOGNORMAL90)


@dataclass(frozen=True)
class Uncertain:
    """A number known only as a range: `low == high` is a certain value."""

    low: float
    high: float
    distribution: Distribution = Distribution.UNIFORM
    mode: float | None = None

    @classmethod
    def point(cls, value: float) -> Uncertain:
        """A certain value."""
        return cls(value, value)

    @property
    def is_point(self) -> bool:
        """Whether there is nothing to sample."""
        return self.low == self.high

    @property
    def effective_mode(self) -> float:
        """The mode of a triangular or PERT range; the midpoint when none is given."""
        return (self.low + self.high) / 2 if self.mode is None else self.mode


def stream(seed: int, path: str) -> np.random.Generator:
    """The random stream of one input, keyed by the run's seed and the input's path.

    Keying by path rather than by position keeps every other input's draws unchanged when an
    input or a lever is added, removed or reordered.
    """
    digest = hashlib.sha256(path.encode("utf-8")).digest()
    words = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=words)))


def sample(value: Uncertain, rng: np.random.Generator, size: int) -> Values:
    """Draw `size` samples of `value` (a float when the value is certain).

    Every family draws one variate after another from `rng`, so drawing n samples in chunks
    gives exactly the samples of one draw of n.
    """
    if value.is_point:
        return value.low
    low, high = value.low, value.high
    match value.distribution:
        case Distribution.UNIFORM:
            return rng.uniform(low, high, size)
        case Distribution.TRIANGULAR:
            return rng.triangular(low, value.effective_mode, high, size)
        case Distribution.PERT:
            alpha, beta = pert_shape(value)
            return low + (high - low) * rng.beta(alpha, beta, size)
        case Distribution.NORMAL90:
            return rng.normal((low + high) / 2, (high - low) / (2 * Z90), size)
        case Distribution.LOGNORMAL90:
            log_low, log_high = np.log(low), np.log(high)
            return rng.lognormal((log_low + log_high) / 2, (log_high - log_low) / (2 * Z90), size)
    raise AssertionError(f"unhandled distribution {value.distribution!r}")  # pragma: no cover


def mean(value: Uncertain) -> float:
    """The mean of `value`'s distribution, in closed form (before any clipping to bounds)."""
    low, high = value.low, value.high
    match value.distribution:
        case Distribution.UNIFORM | Distribution.NORMAL90:
            return (low + high) / 2
        case Distribution.TRIANGULAR:
            return (low + value.effective_mode + high) / 3
        case Distribution.PERT:
            return (low + 4 * value.effective_mode + high) / 6
        case Distribution.LOGNORMAL90:
            log_low, log_high = np.log(low), np.log(high)
            sigma = (log_high - log_low) / (2 * Z90)
            return float(np.exp((log_low + log_high) / 2 + sigma**2 / 2))
    raise AssertionError(f"unhandled distribution {value.distribution!r}")  # pragma: no cover


def quantile(value: Uncertain, q: float) -> float:
    """The q-quantile of `value`'s distribution (0 < q < 1), exactly where a closed form
    exists, else by inverting the CDF integrated on a fine grid (numpy has no inverse CDFs,
    and scipy is too slow to import for a command line)."""
    if value.is_point:
        return value.low
    low, high = value.low, value.high
    match value.distribution:
        case Distribution.UNIFORM:
            return low + q * (high - low)
        case Distribution.TRIANGULAR:
            mode = value.effective_mode
            width = high - low
            if q * width <= mode - low:
                return low + float(np.sqrt(q * width * (mode - low)))
            return high - float(np.sqrt((1 - q) * width * (high - mode)))
        case Distribution.PERT:
            alpha, beta = pert_shape(value)
            x = np.linspace(0.0, 1.0, _GRID)
            density = x ** (alpha - 1) * (1 - x) ** (beta - 1)  # α, β ≥ 1: bounded
            return low + (high - low) * _invert(x, density, q)
        case Distribution.NORMAL90 | Distribution.LOGNORMAL90:
            z = _invert(_Z_GRID, np.exp(-0.5 * _Z_GRID**2), q)
            if value.distribution is Distribution.NORMAL90:
                return (low + high) / 2 + z * (high - low) / (2 * Z90)
            log_low, log_high = np.log(low), np.log(high)
            return float(np.exp((log_low + log_high) / 2 + z * (log_high - log_low) / (2 * Z90)))
    raise AssertionError(f"unhandled distribution {value.distribution!r}")  # pragma: no cover


def pert_shape(value: Uncertain) -> tuple[float, float]:
    """α and β of the beta distribution behind a PERT range (DESIGN.md, "Sampling")."""
    width = value.high - value.low
    alpha = 1 + 4 * (value.effective_mode - value.low) / width
    beta = 1 + 4 * (value.high - value.effective_mode) / width
    return alpha, beta


_GRID = 200_001
_Z_GRID = np.linspace(-9.0, 9.0, _GRID)


def _invert(x: FloatArray, density: FloatArray, q: float) -> float:
    """The q-quantile of the distribution with this (unnormalised) density on the grid x."""
    steps = (density[1:] + density[:-1]) / 2 * np.diff(x)
    cdf = np.concatenate([[0.0], np.cumsum(steps)])
    return float(np.interp(q * cdf[-1], cdf, x))
