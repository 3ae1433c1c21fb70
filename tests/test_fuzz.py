"""Fuzzing: whatever arrives, `estimate` and `validate` answer 0 or 2, never a traceback."""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from inaction_cli.cli import app
from strategies import SECTIONS, profiles

runner = CliRunner()
# Bounded for CI; HYPOTHESIS_PROFILE=deep raises every test to 2,000 examples.
FUZZ = settings(max_examples=max(120, settings.default.max_examples))

KNOWN_KEYS = sorted(
    {
        "company",
        "analysis",
        "finance",
        "market",
        "adoption",
        "benchmarks",
        "schema_version",
        "low",
        "high",
        "mode",
        "distribution",
        "samples",
        "seed",
        "horizon_months",
        "gross_margin",
        "annual_revenue",
        "dev_budget",
        "erosion_per_year",
        *SECTIONS,
    }
    | {field for fields in SECTIONS.values() for field in fields}
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["yes", "no", "on", "~", "1e400", ".nan", "12,000", "45%", "€750", "0x1F"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=8)), children, max_size=5
        ),
    ),
    max_leaves=25,
)
yaml_text = st.text(
    alphabet=st.sampled_from([*list("abcdefgh0123456789 :-{}[],&*!#|>'\"\n\t.%@`~?"), "é", "\x00"]),
    max_size=200,
)


def check(command: str, document: bytes) -> None:
    args = [command, "-"] + (["--samples", "100", "-f", "json"] if command == "estimate" else [])
    result = runner.invoke(app, args, input=document)
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert result.stderr.strip(), "a refusal always says why"
        assert all(
            line.startswith("<stdin>")
            for line in result.stderr.splitlines()
            if not line.startswith(("warning:", "Usage:", "Try ", "Error:", " ", ""))
        )
    elif command == "estimate":
        json.loads(result.stdout)


@FUZZ
@given(yaml_text)
@example("a: &x [*x]")
@example("? [a, b]\n: c")
@example("!!binary aGVsbG8=")
@example("a: !!omap [b: 1]")
@example("- - - - -")
def test_random_text(text: str) -> None:
    for command in ("estimate", "validate"):
        check(command, text.encode("utf-8"))


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    check("validate", data)


@FUZZ
@given(st.dictionaries(st.sampled_from(KNOWN_KEYS), values, max_size=6))
def test_random_documents(document: dict[str, Any]) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    for command in ("estimate", "validate"):
        check(command, text.encode("utf-8"))


def paths_of(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, child in node.items():
            found += paths_of(child, (*prefix, key))
    return found


@FUZZ
@given(profiles(samples=100), st.data())
def test_near_valid_profiles(profile: dict[str, Any], data: st.DataObject) -> None:
    broken = copy.deepcopy(profile)
    path = data.draw(st.sampled_from(paths_of(broken)))
    parent = broken
    for key in path[:-1]:
        parent = parent[key]
    how = data.draw(st.sampled_from(["replace", "delete", "typo", "wrap"]))
    if how == "replace":
        parent[path[-1]] = data.draw(scalars)
    elif how == "delete":
        del parent[path[-1]]
    elif how == "typo":
        parent[str(path[-1]) + data.draw(st.sampled_from(["s", "_", "x"]))] = parent.pop(path[-1])
    else:
        parent[path[-1]] = [parent[path[-1]]]
    text = yaml.safe_dump(broken, allow_unicode=True)
    for command in ("estimate", "validate"):
        check(command, text.encode("utf-8"))


@settings(max_examples=max(40, settings.default.max_examples))
@given(profiles(samples=100))
def test_valid_profiles_estimate(profile: dict[str, Any]) -> None:
    result = runner.invoke(
        app, ["estimate", "-", "-f", "json"], input=yaml.safe_dump(profile).encode()
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    for stats in document["totals"].values():
        if isinstance(stats, dict):
            assert all(math.isfinite(value) for value in stats.values())
