"""Each distribution family against scipy.stats: moments, quantiles, bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from inaction_cli.distributions import Distribution, Uncertain, pert_shape, quantile, sample, stream

SAMPLES = 200_000
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)

CASES = {
    "uniform": Uncertain(2.0, 10.0),
    "triangular": Uncertain(2.0, 10.0, Distribution.TRIANGULAR, 3.0),
    "triangular-default-mode": Uncertain(2.0, 10.0, Distribution.TRIANGULAR),
    "pert": Uncertain(2.0, 10.0, Distribution.PERT, 3.0),
    "pert-mode-at-low": Uncertain(0.3, 0.6, Distribution.PERT, 0.3),
    "normal90": Uncertain(1.0, 3.0, Distribution.NORMAL90),
    "lognormal90": Uncertain(1.0, 4.0, Distribution.LOGNORMAL90),
}


def reference(value: Uncertain) -> stats.rv_continuous:
    """The scipy distribution DESIGN.md describes."""
    low, high = value.low, value.high
    width = high - low
    match value.distribution:
        case Distribution.UNIFORM:
            return stats.uniform(loc=low, scale=width)
        case Distribution.TRIANGULAR:
            return stats.triang((value.effective_mode - low) / width, loc=low, scale=width)
        case Distribution.PERT:
            alpha, beta = pert_shape(value)
            return stats.beta(alpha, beta, loc=low, scale=width)
        case Distribution.NORMAL90:
            return stats.norm((low + high) / 2, width / (2 * stats.norm.ppf(0.95)))
        case Distribution.LOGNORMAL90:
            mu = (math.log(low) + math.log(high)) / 2
            sigma = (math.log(high) - math.log(low)) / (2 * stats.norm.ppf(0.95))
            return stats.lognorm(sigma, scale=math.exp(mu))
    raise AssertionError(value)


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> tuple[Uncertain, np.ndarray, stats.rv_continuous]:
    value = CASES[request.param]
    draws = np.asarray(sample(value, stream(7, request.param), SAMPLES))
    return value, draws, reference(value)


def test_mean_within_standard_errors(case: tuple) -> None:
    _, draws, dist = case
    standard_error = dist.std() / math.sqrt(SAMPLES)
    assert abs(draws.mean() - dist.mean()) < 5 * standard_error


def test_variance_within_standard_errors(case: tuple) -> None:
    _, draws, dist = case
    variance = dist.var()
    kurtosis = float(dist.stats(moments="k"))  # excess kurtosis
    standard_error = variance * math.sqrt((kurtosis + 2) / SAMPLES)
    assert abs(draws.var(ddof=1) - variance) < 5 * standard_error


@pytest.mark.parametrize("q", QUANTILES)
def test_sample_quantiles_within_standard_errors(case: tuple, q: float) -> None:
    _, draws, dist = case
    expected = dist.ppf(q)
    standard_error = math.sqrt(q * (1 - q) / SAMPLES) / dist.pdf(expected)
    assert abs(np.quantile(draws, q) - expected) < 5 * standard_error


@pytest.mark.parametrize("q", QUANTILES)
def test_exact_quantiles_match_scipy(case: tuple, q: float) -> None:
    value, _, dist = case
    assert quantile(value, q) == pytest.approx(dist.ppf(q), rel=1e-6, abs=1e-9)


def test_bounds_are_respected(case: tuple) -> None:
    value, draws, _ = case
    if value.distribution.unbounded:
        # low and high are the 5th and 95th percentiles: about 5 % beyond each.
        below, above = np.mean(draws < value.low), np.mean(draws > value.high)
        standard_error = math.sqrt(0.05 * 0.95 / SAMPLES)
        assert abs(below - 0.05) < 5 * standard_error
        assert abs(above - 0.05) < 5 * standard_error
        if value.distribution is Distribution.LOGNORMAL90:
            assert draws.min() > 0
    else:
        assert value.low <= draws.min()
        assert draws.max() <= value.high


def test_a_point_is_a_number_not_an_array() -> None:
    assert sample(Uncertain.point(4.5), stream(1, "x"), 10) == 4.5
    assert quantile(Uncertain.point(4.5), 0.1) == 4.5
