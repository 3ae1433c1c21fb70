"""Every optimisation gives the same numbers as the plain way it replaced."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from inaction_cli import loader
from inaction_cli.engine import median, row_medians, summarise
from inaction_cli.errors import InputError
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


@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 20), st.integers(1, 60)), elements=finite))
def test_medians_are_numpy_median_bit_for_bit(rows: np.ndarray) -> None:
    assert row_medians(rows.copy()).tolist() == np.median(rows, axis=1).tolist()
    assert median(rows[0].copy()) == float(np.median(rows[0]))


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
