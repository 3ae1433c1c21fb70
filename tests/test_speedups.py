"""Every optimisation gives the same numbers as the plain way it replaced."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from inaction_cli import loader
from inaction_cli.correlation import stable_order
from inaction_cli.engine import inverted_cdf, median, row_medians, summarise
from inaction_cli.errors import InputError
from inaction_cli.selection import SELECT_FROM, order_statistics
from support import FIXTURES, SCENARIOS

finite = st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False)


@given(
    hnp.arrays(np.float64, st.integers(1, 500), elements=finite),
    st.lists(st.floats(0, 100), min_size=1, max_size=7, unique=True).map(sorted),
)
@example(np.array([1.0, 2.0, 3.0, 4.0]), [0.0, 50.0, 100.0])
@example(np.full(7, 0.1), [5.0, 50.0, 95.0])
@example(np.array([5.0]), [5.0, 95.0])
def test_summarise_is_numpy_percentile_bit_for_bit(values: np.ndarray, wanted: list[float]) -> None:
    summary = summarise(values.copy(), tuple(wanted))
    assert summary.percentiles == tuple(np.percentile(values, wanted).tolist())
    if values.min() == values.max():
        assert summary.mean == values[0]
    else:
        assert summary.mean == values.mean()


def large(seed: int, size: int, shape: str) -> np.ndarray:
    """Arrays of the shapes a run makes: smooth, heavy-tailed, a mass of equal values (the
    failed pilots), a few distinct values, sorted or reversed (a bracket's worst case)."""
    rng = np.random.default_rng(seed)
    if shape == "normal":
        return rng.normal(1e6, 3e5, size)
    if shape == "lognormal":
        return rng.lognormal(0.0, 2.0, size)
    if shape == "mass":
        return np.where(rng.random(size) < 0.3, -300.0, rng.normal(5e4, 1e4, size))
    if shape == "few":
        return rng.integers(0, 4, size).astype(np.float64)
    if shape == "sorted":
        return np.sort(rng.normal(0.0, 1.0, size))
    return np.sort(rng.normal(0.0, 1.0, size))[::-1].copy()


@given(
    st.integers(0, 2**32 - 1),
    st.integers(SELECT_FROM, 3 * SELECT_FROM),
    st.sampled_from(["normal", "lognormal", "mass", "few", "sorted", "reversed"]),
    st.lists(st.floats(0, 100), min_size=1, max_size=7, unique=True).map(sorted),
)
@example(0, 1_000_000, "mass", [5.0, 50.0, 95.0])
def test_a_large_summary_is_numpy_percentile_bit_for_bit(
    seed: int, size: int, shape: str, wanted: list[float]
) -> None:
    """From SELECT_FROM samples the statistics are bracketed, not partitioned: same bits."""
    values = large(seed, size, shape)
    kept = values.copy()
    summary = summarise(values, tuple(wanted))
    assert summary.percentiles == tuple(np.percentile(kept, wanted).tolist())
    assert summary.mean == kept.mean()


@given(
    st.integers(0, 2**32 - 1),
    st.sampled_from(["normal", "lognormal", "mass", "few", "sorted", "reversed"]),
    st.lists(st.integers(0, 49_999), min_size=1, max_size=12, unique=True).map(sorted),
)
def test_order_statistics_are_the_sorted_values(seed: int, shape: str, indices: list[int]) -> None:
    values = large(seed, 50_000, shape)
    before = values.copy()
    found = order_statistics(values, indices)
    ordered = np.sort(values)
    assert found == {index: float(ordered[index]) for index in indices}
    assert np.array_equal(values, before)  # nothing reordered


@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 20), st.integers(1, 60)), elements=finite))
def test_medians_are_numpy_median_bit_for_bit(rows: np.ndarray) -> None:
    assert row_medians(rows.copy()).tolist() == np.median(rows, axis=1).tolist()
    assert median(rows[0].copy()) == float(np.median(rows[0]))


@given(
    st.integers(0, 2**32 - 1),
    st.integers(SELECT_FROM, 3 * SELECT_FROM),
    st.sampled_from(["normal", "lognormal", "mass", "few", "sorted", "reversed"]),
)
def test_a_large_median_is_numpy_median_bit_for_bit(seed: int, size: int, shape: str) -> None:
    values = large(seed, size, shape)
    kept = values.copy()
    assert median(values) == float(np.median(kept))
    assert np.array_equal(values, kept)  # nothing reordered


def test_summarise_leaves_its_input_in_order() -> None:
    values = np.array([3.0, 1.0, 2.0])
    summarise(values, (50.0,))
    assert values.tolist() == [3.0, 1.0, 2.0]


def test_a_certain_output_is_summarised_without_an_array() -> None:
    summary = summarise(12.5, (5.0, 50.0))
    assert (summary.mean, summary.percentiles) == (12.5, (12.5, 12.5))


def documents() -> list:
    return sorted(SCENARIOS.glob("*.yaml")) + sorted(FIXTURES.glob("bad_*.yaml"))


@pytest.mark.skipif(loader._LOADER is loader._Loader, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("path", documents(), ids=lambda path: path.name)
def test_libyaml_and_python_loaders_agree(path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = path.read_bytes()

    def outcome() -> object:
        try:
            document = loader.parse(raw, path.name)
        except InputError as error:
            # The wording of syntax errors differs; where they are does not.
            return [(p.line, p.column, p.key) for p in error.problems]
        return (
            document.data,
            document.value_marks,
            document.key_marks,
            document.scalar_text,
            [(p.line, p.column, p.key, p.message) for p in document.problems],
        )

    fast = outcome()
    monkeypatch.setattr(loader, "_LOADER", loader._Loader)
    plain = outcome()
    if path.name == "bad_deep_flow_nesting.yaml":
        assert fast[0][:2] == (2, 1007)
        assert plain[0][:2] == (2, 39)
        return
    assert fast == plain


@given(
    hnp.arrays(
        np.float64,
        st.integers(1, 400),
        elements=st.one_of(st.integers(1, 36).map(float), st.just(np.inf)),
    ),
    st.lists(st.floats(0, 100), min_size=1, max_size=7, unique=True).map(sorted),
)
@example(np.array([np.inf, 3.0, 2.0]), [5.0, 50.0, 95.0])
def test_payback_percentiles_are_numpy_inverted_cdf(
    values: np.ndarray, wanted: list[float]
) -> None:
    expected = np.percentile(values, wanted, method="inverted_cdf").tolist()
    assert inverted_cdf(values.copy(), tuple(wanted)) == expected


def test_a_large_payback_is_numpy_inverted_cdf() -> None:
    rng = np.random.default_rng(7)
    values = np.where(rng.random(200_000) < 0.3, np.inf, rng.integers(1, 37, 200_000))
    wanted = (5.0, 50.0, 95.0)
    expected = np.percentile(values, wanted, method="inverted_cdf").tolist()
    assert inverted_cdf(values.astype(np.float64), wanted) == expected


def shaped(seed: int, size: int, shape: str) -> np.ndarray:
    """Draws as inputs make them, and the worst cases of a packed-key sort: values closer than
    its key's resolution, ties, signed zeros, infinities."""
    rng = np.random.default_rng(seed)
    if shape == "close":  # many values one ulp or so apart
        return 0.2 + rng.integers(0, 50, size) * np.spacing(0.2) + rng.normal(0, 1e-12, size)
    if shape == "zeros":
        return np.where(rng.random(size) < 0.5, -0.0, 0.0) + np.where(
            rng.random(size) < 0.2, rng.normal(size=size), 0.0
        )
    if shape == "infinite":
        return np.where(rng.random(size) < 0.01, np.inf, rng.normal(size=size))
    if shape == "clipped":
        return np.clip(rng.normal(size=size), -1.5, 1.5)
    if shape == "negative":
        return -rng.lognormal(size=size)
    if shape == "nearly":  # a few values within a key's resolution of another, or equal to it
        values = rng.normal(size=size)
        copies = rng.integers(0, size, size // 1000 + 1)
        values[copies[: copies.size // 2]] = np.nextafter(values[copies[: copies.size // 2] - 1], 9)
        values[copies[copies.size // 2 :]] = values[copies[copies.size // 2 :] - 1]
        return values
    return rng.uniform(0.15, 0.25, size)


@given(
    st.integers(0, 2**32 - 1),
    st.integers(1, 5000),
    st.sampled_from(["close", "zeros", "infinite", "clipped", "negative", "nearly", "uniform"]),
)
@example(0, 1_000_000, "uniform")
@example(2, 200_000, "nearly")
@example(1, 300_000, "close")
def test_stable_order_is_numpy_stable_argsort(seed: int, size: int, shape: str) -> None:
    values = shaped(seed, size, shape)
    assert np.array_equal(stable_order(values), np.argsort(values, kind="stable"))


@given(hnp.arrays(np.float64, st.integers(0, 300), elements=st.floats(allow_nan=True)))
def test_stable_order_of_any_floats(values: np.ndarray) -> None:
    assert np.array_equal(stable_order(values), np.argsort(values, kind="stable"))
