"""Hostile results read back by `diff`: strict JSON, checked against the format and the
command line's bounds before any number is used, with located messages naming the file given.

Each case edits one field of a real result; the test checks the message and that the line and
column it gives point at the value in the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import inaction_cli
from inaction_cli.cli import app
from inaction_cli.result import dump_json
from support import SCENARIOS

runner = CliRunner()
SME = str(SCENARIOS / "sme.yaml")
PROFILE = {
    "company": {"name": "Acme"},
    "analysis": {"samples": 200, "horizon_months": 12},
    "operations": {"headcount": 10, "loaded_cost_per_fte": {"low": 40000, "high": 60000}},
    "adoption": {"setup_cost": 5000},
}


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    return inaction_cli.estimate(PROFILE).to_dict()


@pytest.fixture
def good(base: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "good.json"
    path.write_text(dump_json(base), encoding="utf-8")
    return path


def _set(*path: str | int, to: Any) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        node: Any = document
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = to

    return edit


def _raw(token: str, *path: str | int) -> Callable[[dict[str, Any]], None]:
    """Put a token that json.dumps never writes (NaN, 1e400) at `path`, through a marker."""
    return _set(*path, to=f"@@{token}@@")


# name → (edit, key path of the message, part of the message, text at the reported place)
CASES: dict[str, tuple[Callable[[dict[str, Any]], None], str, str, str]] = {
    "nan": (_raw("NaN", "totals", "net", "p50"), "totals.net.p50", "NaN is not a number", "NaN"),
    "infinity": (
        _raw("Infinity", "totals", "net", "p95"),
        "totals.net.p95",
        "Infinity is not a number JSON allows (RFC 8259)",
        "Infinity",
    ),
    "minus_infinity": (
        _raw("-Infinity", "totals", "gross", "p5"),
        "totals.gross.p5",
        "-Infinity is not a number JSON allows",
        "-Infinity",
    ),
    "overflow": (
        _raw("1e400", "totals", "net", "mean"),
        "totals.net.mean",
        "1e400 is too large for a number",
        "1e400",
    ),
    "huge_integer": (
        _raw("9" * 500, "settings", "seed"),
        "settings.seed",
        "a number of 500 characters is too large",
        "999",
    ),
    "lone_surrogate": (
        _raw('"Acme \\ud83d"', "profile", "name"),
        "profile.name",
        "half of a surrogate pair",
        '"Acme',
    ),
    "samples": (
        _set("settings", "samples", to=10**12),
        "settings.samples",
        "must be at most 10,000,000, got 1000000000000",
        "1000000000000",
    ),
    "few_samples": (
        _set("settings", "samples", to=1),
        "settings.samples",
        "must be at least 100, got 1",
        "1",
    ),
    "seed": (_set("settings", "seed", to=-1), "settings.seed", "must be at least 0, got -1", "-1"),
    "big_seed": (
        _set("settings", "seed", to=2**64),
        "settings.seed",
        "must be at most 18,446,744,073,709,551,615",
        "18446744073709551616",
    ),
    "horizon": (
        _set("settings", "horizon_months", to=100_000),
        "settings.horizon_months",
        "must be at most 120, got 100000",
        "100000",
    ),
    "percentile": (
        _set("settings", "percentiles", 2, to=150),
        "settings.percentiles[2]",
        "must be at most 100, got 150",
        "150",
    ),
    "boolean_money": (
        _set("totals", "net", "p50", to=True),
        "totals.net.p50",
        "expected a number, got true (a yes/no value)",
        "true",
    ),
    "text_money": (
        _set("levers", 0, "annual", "p50", to="123"),
        "levers[0].annual.p50",
        "expected a number, got text '123'",
        '"123"',
    ),
    "boolean_samples": (
        _set("settings", "samples", to=True),
        "settings.samples",
        "got true (a yes/no value)",
        "true",
    ),
    "fraction_samples": (
        _set("settings", "samples", to=200.5),
        "settings.samples",
        "expected a whole number, got 200.5",
        "200.5",
    ),
    "extreme_figure": (
        _set("totals", "net", "p50", to=-1.7e308),
        "totals.net.p50",
        "is beyond any figure inaction writes (at most 10^200 in size)",
        "-1.7e+308",
    ),
    "probability": (
        _set("totals", "probability_net_positive", to=1.5),
        "totals.probability_net_positive",
        "must be at most 1, got 1.5",
        "1.5",
    ),
    "payback_past_horizon": (
        _set("decision", "payback_month", "p50", to=500),
        "decision.payback_month.p50",
        "must be at most 120, got 500",
        "500",
    ),
    "schema_version_number": (
        _set("schema_version", to=1.2),
        "schema_version",
        'the format of a result is text, MAJOR.MINOR in quotes (such as "1.2"), got 1.2',
        "1.2",
    ),
    "schema_version_text": (
        _set("schema_version", to="1"),
        "schema_version",
        "the format of a result is MAJOR.MINOR (such as \"1.2\"), got '1'",
        '"1"',
    ),
    "schema_version_major": (
        _set("schema_version", to="2.0"),
        "schema_version",
        "this result is in format 2.0; this inaction reads format 1.x",
        '"2.0"',
    ),
    "currency": (
        _set("settings", "currency", to="euro"),
        "settings.currency",
        "expected a three-letter ISO 4217 code such as EUR or USD, got text 'euro'",
        '"euro"',
    ),
}


def _write(document: dict[str, Any], path: Path) -> None:
    text = dump_json(document)
    # Tokens json.dumps never writes, put in place of their marker.
    text = re.sub(r'"@@(.*?)@@"', lambda match: json.loads(f'"{match.group(1)}"'), text)
    path.write_text(text, encoding="utf-8")


def _at(path: Path, line: int, column: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[line - 1][column - 1 :]


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_result_is_refused_with_a_located_message(
    name: str, base: dict[str, Any], good: Path, tmp_path: Path
) -> None:
    edit, key, message, written = CASES[name]
    document = json.loads(json.dumps(base))
    edit(document)
    bad = tmp_path / f"{name}.json"
    _write(document, bad)
    for old, new in ((good, bad), (bad, SME)):  # a result beside a profile: never estimated
        result = runner.invoke(app, ["diff", str(old), str(new), "--fail-above", "5"])
        assert result.exit_code == 2, (name, result.stdout, result.stderr)
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        found = re.match(rf"{re.escape(str(bad))}:(\d+):(\d+): {re.escape(key)}: (.*)$", lines[0])
        assert found, lines[0]
        assert message in found.group(3), lines[0]
        assert _at(bad, int(found.group(1)), int(found.group(2))).startswith(written), lines[0]


def test_surrogate_pairs_are_characters(base: dict[str, Any], good: Path, tmp_path: Path) -> None:
    document = json.loads(json.dumps(base))
    _raw('"Acme \\ud83d\\ude00"', "profile", "name")(document)
    emoji = tmp_path / "emoji.json"
    _write(document, emoji)
    assert "\\ud83d\\ude00" in emoji.read_text(encoding="utf-8")
    result = runner.invoke(app, ["diff", str(good), str(emoji), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["new"]["profile"]["name"] == "Acme 😀"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"schema_version": "1.2", "totals": {}, "totals": {}}', "duplicate key 'totals'"),
        ('{"schema_version": "1.2",}', "a comma before '}': JSON allows none"),
        ('// a result\n{"schema_version": "1.2"}', "a comment: JSON has none"),
        ("{'schema_version': '1.2'}", 'expected a key in double quotes ("name")'),
        ('{"schema_version": "1.2"} {}', "unexpected text after the JSON value"),
        ("", "the file is empty"),
        ('{"profile": {"name": "a\tb"}}', "control character U+0009 inside a string"),
    ],
)
def test_only_strict_json_is_a_result(text: str, message: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["diff", str(bad), SME])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}:"), result.stderr
    assert message in result.stderr


def test_duplicate_lever_ids_are_refused(base: dict[str, Any], tmp_path: Path) -> None:
    document = json.loads(json.dumps(base))
    document["levers"].append(document["levers"][0])
    twice = tmp_path / "twice.json"
    _write(document, twice)
    result = runner.invoke(app, ["diff", str(twice), str(twice)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(f"{twice}:")
    assert "levers[1].id: lever 'productivity' is given twice (first at levers[0])" in (
        result.stderr
    )


def test_percentiles_that_collide_once_written(base: dict[str, Any], tmp_path: Path) -> None:
    document = json.loads(json.dumps(base))
    document["settings"]["percentiles"] = [5, 12.34561, 12.34562, 50, 95]
    colliding = tmp_path / "colliding.json"
    _write(document, colliding)
    result = runner.invoke(app, ["diff", str(colliding), str(colliding)])
    assert result.exit_code == 2
    assert "settings.percentiles[2]: 12.34561 and 12.34562 are the same percentile once " in (
        result.stderr
    )


def test_a_diff_never_writes_what_is_not_json(base: dict[str, Any], tmp_path: Path) -> None:
    """Two extreme figures, each within bounds, of opposite signs: their difference and its
    ratio stay numbers, so the JSON holds no -Infinity and the gate reads a number."""
    paths = []
    for name, value in (("low", -1e200), ("high", 1e200)):
        document = json.loads(json.dumps(base))
        for key in document["totals"]["net"]:
            document["totals"]["net"][key] = value
        paths.append(tmp_path / f"{name}.json")
        _write(document, paths[-1])
    for args in (paths, paths[::-1]):
        result = runner.invoke(app, ["diff", *map(str, args), "-f", "json", "--fail-above", "5"])
        assert result.exit_code == 1, result.stderr
        document = json.loads(result.stdout, parse_constant=pytest.fail)
        assert document["gate"]["tripped"] is True
        for fmt in ("csv", "markdown", "table"):
            text = runner.invoke(app, ["diff", *map(str, args), "-f", fmt]).stdout
            assert "inf" not in text.lower(), fmt
            assert "nan" not in text.lower(), fmt


def test_messages_name_the_file_given(base: dict[str, Any], tmp_path: Path) -> None:
    document = json.loads(json.dumps(base))
    document["settings"]["percentiles"] = [5, 95]
    for stats in _all_stats(document):
        stats.pop("p50", None)
    document["decision"]["payback_month"].pop("p50")
    no_median = tmp_path / "no-median.json"
    _write(document, no_median)
    result = runner.invoke(app, ["diff", SME, str(no_median)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{no_median}: has no P50 to compare: estimate it with --percentiles including 50\n"
    )
    piped = runner.invoke(app, ["diff", "-", SME], input=no_median.read_text(encoding="utf-8"))
    assert piped.stderr.startswith("<stdin>: has no P50 to compare")


def test_two_currencies_are_refused(base: dict[str, Any], good: Path, tmp_path: Path) -> None:
    document = json.loads(json.dumps(base))
    document["settings"]["currency"] = "USD"
    dollars = tmp_path / "dollars.json"
    _write(document, dollars)
    result = runner.invoke(app, ["diff", str(good), str(dollars)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{dollars}: the amounts are in USD but those of {good} in EUR: amounts in different "
        "currencies do not compare; estimate both in one currency\n"
    )


def test_a_missing_schema_version_in_plain_words(base: dict[str, Any], tmp_path: Path) -> None:
    document = json.loads(json.dumps(base))
    del document["schema_version"]
    unversioned = tmp_path / "unversioned.json"
    _write(document, unversioned)
    result = runner.invoke(app, ["diff", str(unversioned), SME])
    assert result.exit_code == 2
    assert "required key 'schema_version' is missing: the format, text MAJOR.MINOR" in (
        result.stderr
    )
    assert "mAJOR" not in result.stderr
    assert "pattern" not in result.stderr


def test_a_profile_in_flow_style_on_stdin_is_still_a_profile() -> None:
    profile = "{operations: {headcount: 4, loaded_cost_per_fte: 50000}}\n"
    result = runner.invoke(app, ["diff", "-", SME, "-f", "json"], input=profile)
    assert result.exit_code == 0, result.stderr


def _all_stats(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if "mean" in node else []
        return found + [stats for value in node.values() for stats in _all_stats(value)]
    if isinstance(node, list):
        return [stats for value in node for stats in _all_stats(value)]
    return []


def test_the_python_api_refuses_a_result_with_nan(base: dict[str, Any]) -> None:
    from inaction_cli import api

    document = json.loads(json.dumps(base))
    document["totals"]["net"]["p50"] = float("nan")
    with pytest.raises(inaction_cli.InputError) as refused:
        api.diff(base, document)
    assert [str(problem) for problem in refused.value.problems] == [
        "<mapping>: totals.net.p50: expected a finite number, got nan"
    ]


def test_a_result_gets_no_advice_meant_for_profile_writers(
    base: dict[str, Any], tmp_path: Path
) -> None:
    document = json.loads(json.dumps(base))
    document["totals"]["probability_net_positive"] = 45
    document["totals"]["net"]["p50"] = "1,000"
    edited = tmp_path / "edited.json"
    _write(document, edited)
    result = runner.invoke(app, ["diff", str(edited), SME])
    assert result.exit_code == 2
    assert "totals.net.p50: expected a number, got text '1,000'\n" in result.stderr
    assert "totals.probability_net_positive: must be at most 1, got 45\n" in result.stderr
    assert "write" not in result.stderr


def test_a_folder_diff_reads_each_result_strictly(
    base: dict[str, Any], good: Path, tmp_path: Path
) -> None:
    """Folders of results: a result holding NaN, a named pipe and a broken link named like
    scenarios are error rows (a pipe is never opened); the good scenario is still compared."""
    import os
    import shutil

    before, after = tmp_path / "base", tmp_path / "head"
    before.mkdir()
    after.mkdir()
    for name in ("acme", "nan", "pipe", "broken"):
        shutil.copy(good, before / f"{name}.json")
    shutil.copy(good, after / "acme.json")
    document = json.loads(json.dumps(base))
    _raw("NaN", "totals", "net", "p50")(document)
    _write(document, after / "nan.json")
    os.mkfifo(after / "pipe.json")
    (after / "broken.json").symlink_to("nowhere.json")
    result = runner.invoke(app, ["diff", str(before), str(after), "-f", "json"])
    assert result.exit_code == 2, result.stderr
    rows = {row["scenario"]: row for row in json.loads(result.stdout)["scenarios"]}
    assert rows["acme"]["status"] == "unchanged"
    messages = {name: rows[name]["errors"][0]["message"] for name in ("nan", "pipe", "broken")}
    assert "NaN is not a number JSON allows (RFC 8259)" in messages["nan"]
    assert messages["pipe"] == "is a named pipe (FIFO), not a profile file"
    assert messages["broken"] == "is a symbolic link to 'nowhere.json', which does not exist"
