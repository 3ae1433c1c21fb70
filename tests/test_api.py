"""The Python API of DESIGN.md: `inaction_cli.estimate`, `validate`, `InputError`, `Report`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import inaction_cli
from inaction_cli.cli import app
from support import ROOT, SCENARIOS

SME = SCENARIOS / "sme.yaml"


def test_to_dict_is_exactly_the_json_of_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["estimate", "scenarios/sme.yaml", "-f", "json", "-q"])
    assert inaction_cli.estimate("scenarios/sme.yaml").to_dict() == json.loads(result.stdout)


def test_overrides_are_the_flags() -> None:
    report = inaction_cli.estimate(SME, samples=1_000, seed=7, percentiles=[10, 50, 90])
    flags = CliRunner().invoke(
        app,
        [
            "estimate",
            str(SME),
            "-f",
            "json",
            "--samples",
            "1000",
            "--seed",
            "7",
            "--percentiles",
            "10,50,90",
        ],
    )
    assert report.to_dict() == json.loads(flags.stdout)
    assert report.settings.samples == 1_000
    assert set(report.to_dict()["totals"]["net"]) == {"mean", "p10", "p50", "p90"}


def test_a_mapping_gives_the_numbers_of_its_yaml_file() -> None:
    data = yaml.safe_load(SME.read_text(encoding="utf-8"))
    from_file = inaction_cli.estimate(SME).to_dict()
    from_mapping = inaction_cli.estimate(data).to_dict()
    assert from_mapping["levers"] == from_file["levers"]
    assert from_mapping["totals"] == from_file["totals"]
    assert from_mapping["profile"]["path"] == "<mapping>"
    # The same data gives the same provenance hash, whatever the order of its keys.
    reordered = dict(reversed(list(data.items())))
    assert inaction_cli.estimate(reordered).to_dict()["profile"] == from_mapping["profile"]


def test_a_path_may_be_a_pathlike() -> None:
    assert inaction_cli.estimate(Path(SME)).totals == inaction_cli.estimate(str(SME)).totals


def test_validate_returns_the_problems(tmp_path: Path) -> None:
    assert inaction_cli.validate(SME) == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("finance: {gross_margin: 45}\noperations: {headcount: many}\n")
    problems = inaction_cli.validate(bad)
    assert [(p.line, p.column, p.key) for p in problems] == [
        (1, 25, "finance.gross_margin"),
        (2, 1, "operations.loaded_cost_per_fte"),
        (2, 25, "operations.headcount"),
    ]
    assert all(problem.path == str(bad) for problem in problems)


def test_input_error_carries_line_and_column_for_a_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("finance:\n  gross_margin: 45\n")
    with pytest.raises(inaction_cli.InputError) as caught:
        inaction_cli.estimate(bad)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.column) == (str(bad), 2, 17)
    assert problem.key == "finance.gross_margin"
    assert "must be at most 1, got 45" in problem.message


def test_input_error_carries_the_key_path_for_a_mapping() -> None:
    with pytest.raises(inaction_cli.InputError) as caught:
        inaction_cli.estimate({"operations": {"headcount": "many", "loaded_cost_per_fte": 1}})
    (problem,) = caught.value.problems
    assert problem.key == "operations.headcount"
    assert (problem.line, problem.column) == (None, None)
    assert problem.path == "<mapping>"
    assert str(problem).startswith("<mapping>: operations.headcount: expected a number")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"finance": {"gross_margin": (0.4,)}}, "expected a number"),
        ({"finance": object()}, "cannot read a object here"),
        ({1: {}}, "a key must be text"),
    ],
)
def test_a_mapping_holds_plain_data(value: dict, expected: str) -> None:
    with pytest.raises(inaction_cli.InputError, match=expected):
        inaction_cli.estimate(value)


def test_numpy_numbers_in_a_mapping_are_numbers() -> None:
    np = pytest.importorskip("numpy")
    profile = {"operations": {"headcount": np.int64(10), "loaded_cost_per_fte": np.float32(5e4)}}
    assert inaction_cli.estimate(profile).levers[0].id == "productivity"


@pytest.mark.parametrize(
    ("arguments", "key"),
    [
        ({"samples": 10}, "samples"),
        ({"samples": True}, "samples"),
        ({"seed": -1}, "seed"),
        ({"horizon_months": 500}, "horizon_months"),
        ({"discount_rate": float("nan")}, "discount_rate"),
        ({"percentiles": [5, 500]}, "percentiles"),
    ],
)
def test_arguments_out_of_bounds_are_input_errors(arguments: dict, key: str) -> None:
    with pytest.raises(inaction_cli.InputError) as caught:
        inaction_cli.estimate(SME, **arguments)
    assert [problem.key for problem in caught.value.problems] == [key]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"samples": 10}, "must be at least 100, got 10"),
        ({"horizon_months": 0}, "must be at least 1, got 0"),
        (
            {"samples": 10**9},
            "must be at most 10,000,000, got 1000000000: more than 10,000,000 samples add no "
            "precision worth the memory",
        ),
    ],
)
def test_an_argument_out_of_bounds_is_told_which_bound(arguments: dict, message: str) -> None:
    """Too few samples is not "more than 10,000,000 samples add no precision"."""
    with pytest.raises(inaction_cli.InputError) as caught:
        inaction_cli.estimate(SME, **arguments)
    assert [problem.message for problem in caught.value.problems] == [message]


def test_the_package_is_typed_and_light_to_import() -> None:
    assert (Path(inaction_cli.__file__).parent / "py.typed").exists()
    code = (
        "import sys, inaction_cli;"
        "print(sorted(m for m in ('numpy', 'pydantic') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
