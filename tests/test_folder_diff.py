"""`inaction diff OLD/ NEW/`: two folders of results or profiles, scenario by scenario."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from inaction_cli import api
from inaction_cli.cli import app
from support import SCENARIOS

runner = CliRunner()
FAST = ("--samples", "2000")


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def scenario(name: str) -> str:
    return (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8")


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """base: sme, ecommerce, close-call. head: sme unchanged, ecommerce with more staff,
    b2b-agency added, close-call removed."""
    base, head = tmp_path / "base", tmp_path / "head"
    for name in ("sme", "ecommerce", "close-call"):
        write(base, f"{name}.yaml", scenario(name))
    write(head, "sme.yaml", scenario("sme"))
    write(head, "ecommerce.yaml", scenario("ecommerce").replace("headcount: 12", "headcount: 20"))
    write(head, "b2b-agency.yaml", scenario("b2b-agency"))
    return base, head


def statuses(document: dict[str, Any]) -> dict[str, str]:
    return {item["scenario"]: item["status"] for item in document["scenarios"]}


def test_a_summary_row_per_scenario_and_details_for_the_changed_only(
    folders: tuple[Path, Path],
) -> None:
    base, head = folders
    result = run("diff", str(base), str(head), *FAST)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Change in the cost of inaction — 4 scenarios"
    assert lines[1] == "1 changed, 1 added, 1 removed, 1 unchanged"
    start = next(index for index, line in enumerate(lines) if line.startswith("Scenario"))
    rows = {line.split()[0]: line.split()[-1] for line in lines[start + 2 : start + 6]}
    assert rows == {
        "b2b-agency": "added",
        "close-call": "removed",
        "ecommerce": "changed",
        "sme": "unchanged",
    }
    # The whole diff of the changed scenario only.
    assert "Change in the cost of inaction — Scale-up e-commerce" in result.stdout
    assert "Atelier Durand" not in result.stdout
    unwrapped = result.stdout.replace("\n", "")  # a long path wraps at the terminal's width
    assert str(base / "ecommerce.yaml") in unwrapped
    assert str(head / "ecommerce.yaml") in unwrapped


def test_json_pairs_by_stem_and_matches_the_single_diff(folders: tuple[Path, Path]) -> None:
    base, head = folders
    result = run("diff", str(base), str(head), *FAST, "-f", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["kind"] == "folder_diff"
    assert (document["old"], document["new"]) == (str(base), str(head))
    assert document["summary"] == {
        "scenarios": 4,
        "added": 1,
        "removed": 1,
        "changed": 1,
        "unchanged": 1,
        "error": 0,
    }
    by_name = {item["scenario"]: item for item in document["scenarios"]}
    single = api.diff(base / "ecommerce.yaml", head / "ecommerce.yaml", samples=2000).to_dict()
    changed = by_name["ecommerce"]
    assert changed["diff"]["totals"] == single["totals"]
    assert changed["diff"]["levers"] == single["levers"]
    assert changed["net"] == next(line for line in single["totals"] if line["id"] == "net")
    assert changed["currency"] == "EUR"
    # An added scenario: its net P50 after, nothing before, the whole P50 as the change.
    added = api.estimate(head / "b2b-agency.yaml", samples=2000).to_dict()["totals"]["net"]
    assert by_name["b2b-agency"]["net"]["before"] is None
    assert by_name["b2b-agency"]["net"]["after"] == added["p50"]
    assert by_name["b2b-agency"]["net"]["change"] == added["p50"]
    assert by_name["b2b-agency"]["old_file"] is None
    assert by_name["b2b-agency"]["new_file"] == str(head / "b2b-agency.yaml")
    removed = by_name["close-call"]
    assert removed["net"]["after"] is None
    assert removed["net"]["change"] == -removed["net"]["before"]
    assert by_name["sme"]["diff"] is not None  # unchanged: details kept in JSON
    assert "schema_version" not in changed["diff"]  # one envelope, at the top


def test_the_gate_trips_on_any_scenario_and_names_it(folders: tuple[Path, Path]) -> None:
    base, head = folders
    result = run("diff", str(base), str(head), *FAST, "--fail-above", "5%")
    assert result.exit_code == 1
    assert result.stderr.startswith("gate failed: the net P50 of 1 of the 2 scenarios compared")
    assert "(ecommerce; largest +" in result.stderr
    assert "Scenario" in result.stdout  # the report first, then the verdict
    passed = run("diff", str(base), str(head), *FAST, "--fail-above", "90", "-f", "json")
    assert passed.exit_code == 0
    assert json.loads(passed.stdout)["gate"]["tripped"] is False
    assert json.loads(passed.stdout)["gate"]["passed"] is True
    assert passed.stderr.startswith("gate passed: the net P50 of the 2 scenarios compared")


def test_added_and_removed_scenarios_never_trip_the_gate(tmp_path: Path) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    write(base, "sme.yaml", scenario("sme"))
    write(base, "gone.yaml", scenario("close-call"))
    write(head, "sme.yaml", scenario("sme"))
    write(head, "new.yaml", scenario("ecommerce"))
    result = run("diff", str(base), str(head), *FAST, "--fail-above", "0")
    assert result.exit_code == 0, result.stderr
    assert "gate passed" in result.stderr


def test_the_first_run_has_an_empty_base(tmp_path: Path) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    base.mkdir()
    write(head, "sme.yaml", scenario("sme"))
    result = run("diff", str(base), str(head), *FAST, "--fail-above", "5", "-f", "markdown")
    assert result.exit_code == 0
    assert "| `sme` | — | " in result.stdout
    assert "| added |" in result.stdout
    assert "gate passed: no scenario on both sides" in result.stderr


def test_an_invalid_scenario_is_named_and_the_rest_still_compared(
    folders: tuple[Path, Path],
) -> None:
    base, head = folders
    write(head, "sme.yaml", scenario("sme").replace("headcount: 40", "headcont: 40"))
    result = run("diff", str(base), str(head), *FAST, "-f", "markdown", "--fail-above", "5")
    # Bad input (2) wins over the tripped gate (1); the report is written all the same.
    assert result.exit_code == 2
    # The old side was read: its net P50 still shows; no change is claimed.
    assert re.search(r"\| `sme` \| €[\d,]+ \| — \| — \| — \| error \|", result.stdout)
    assert "| `ecommerce` |" in result.stdout
    assert "**Could not be compared**" in result.stdout
    assert f"{head / 'sme.yaml'}:15:3: operations.headcont" in result.stdout
    problem = next(line for line in result.stderr.splitlines() if "headcont:" in line)
    assert problem.startswith(f"{head / 'sme.yaml'}:15:3: operations.headcont: unknown key")
    assert "did you mean 'headcount'" in problem
    assert "1 scenario could not be compared" in result.stderr


def test_a_gate_is_not_passed_while_a_scenario_could_not_be_read(
    folders: tuple[Path, Path],
) -> None:
    base, head = folders
    write(head, "ecommerce.yaml", scenario("ecommerce"))  # unchanged: the gate alone passes
    write(head, "sme.yaml", "company: [not, a, mapping\n")
    result = run("diff", str(base), str(head), *FAST, "-f", "markdown", "--fail-above", "50")
    assert result.exit_code == 2
    verdict = next(line for line in result.stdout.splitlines() if line.startswith(("❌", "✅")))
    assert verdict.startswith("❌ **gate not passed: 1 scenario could not be compared; ")
    assert "✅" not in result.stdout
    assert result.stderr.splitlines()[-1].startswith(
        "gate not passed: 1 scenario could not be compared; the net P50 of the "
    )
    document = json.loads(
        run("diff", str(base), str(head), *FAST, "-f", "json", "--fail-above", "50").stdout
    )
    assert document["gate"]["tripped"] is False  # the threshold alone held...
    assert document["gate"]["passed"] is False  # ... but the gate did not pass


def test_both_sides_broken_name_both_files(folders: tuple[Path, Path]) -> None:
    base, head = folders
    write(base, "sme.yaml", "company: [not, a, mapping\n")
    write(head, "sme.yaml", scenario("sme").replace("headcount: 40", "headcount: many"))
    result = run("diff", str(base), str(head), *FAST, "-f", "json")
    assert result.exit_code == 2
    row = next(item for item in json.loads(result.stdout)["scenarios"] if item["scenario"] == "sme")
    assert row["net"] is None
    named = {Path(problem["text"].split(":")[0]).parent.name for problem in row["errors"]}
    assert named == {"base", "head"}


def test_an_error_row_in_json_and_csv(folders: tuple[Path, Path]) -> None:
    base, head = folders
    write(head, "sme.yaml", "company: [not, a, mapping\n")
    document = json.loads(run("diff", str(base), str(head), *FAST, "-f", "json").stdout)
    failed = next(item for item in document["scenarios"] if item["scenario"] == "sme")
    assert failed["status"] == "error"
    alone = json.loads(run("estimate", str(base / "sme.yaml"), *FAST, "-f", "json").stdout)
    assert failed["net"] == {
        "id": "net",
        "label": "Net cost of inaction",
        "status": "error",
        "before": alone["totals"]["net"]["p50"],
        "after": None,
        "change": None,
        "relative_change": None,
    }
    assert failed["errors"][0]["line"] is not None
    assert document["summary"]["error"] == 1
    table = list(
        csv.DictReader(io.StringIO(run("diff", str(base), str(head), *FAST, "-f", "csv").stdout))
    )
    row = next(row for row in table if row["scenario"] == "sme")
    assert row["status"] == "error"
    assert row["error"].startswith(str(head / "sme.yaml"))


def test_different_currencies_are_refused(tmp_path: Path) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    write(base, "sme.yaml", scenario("sme"))
    write(head, "sme.yaml", scenario("sme").replace("currency: EUR", "currency: USD"))
    result = run("diff", str(base), str(head), *FAST)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"{head / 'sme.yaml'}: the amounts are in USD but those of {base / 'sme.yaml'} in EUR: "
        "amounts in different currencies do not compare; estimate both in one currency"
    )
    # Two files: refused the same way.
    single = run("diff", str(base / "sme.yaml"), str(head / "sme.yaml"), *FAST)
    assert single.exit_code == 2
    assert single.stdout == ""
    assert "different currencies do not compare" in single.stderr


def test_folders_of_results_and_their_warnings(tmp_path: Path) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    base.mkdir()
    head.mkdir()
    for folder, seed in ((base, "1"), (head, "2")):
        for name in ("sme", "ecommerce"):
            profile = str(SCENARIOS / f"{name}.yaml")
            out = str(folder / f"{name}.json")
            estimated = run("estimate", profile, *FAST, "--seed", seed, "-f", "json", "-o", out)
            assert estimated.exit_code == 0
    result = run("diff", str(base), str(head), "-f", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert set(statuses(document).values()) == {"changed"}  # another seed: noise
    assert document["warnings"] == [
        "ecommerce: the seeds differ (1 and 2): part of the change is noise",
        "sme: the seeds differ (1 and 2): part of the change is noise",
    ]
    assert result.stderr.count("warning: ") == 2
    # The files named are the ones given, not the profile paths stored inside the results.
    sme = next(item for item in document["scenarios"] if item["scenario"] == "sme")
    assert sme["diff"]["old"]["file"] == str(base / "sme.json")


def test_a_folder_of_results_against_a_folder_of_profiles(tmp_path: Path) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    base.mkdir()
    write(head, "sme.yaml", scenario("sme"))
    out = str(base / "sme.json")
    assert run("estimate", str(head / "sme.yaml"), *FAST, "-f", "json", "-o", out).exit_code == 0
    document = json.loads(run("diff", str(base), str(head), "-f", "json").stdout)
    # The profile is estimated with the result's own seed and samples: nothing moved.
    assert statuses(document) == {"sme": "unchanged"}


def test_two_files_for_one_scenario_is_an_error_row(tmp_path: Path) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    write(base, "sme.yaml", scenario("sme"))
    write(head, "sme.yaml", scenario("sme"))
    write(head, "sme.yml", scenario("sme"))
    result = run("diff", str(base), str(head), *FAST)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"{head / 'sme.yml'}: sme.yaml, sme.yml all hold the scenario 'sme': keep one"
    )


def test_hidden_files_subfolders_and_other_suffixes_are_not_scenarios(tmp_path: Path) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    for folder in (base, head):
        write(folder, "sme.yaml", scenario("sme"))
        write(folder, ".draft.yaml", "not: [valid")
        write(folder, "notes.md", "# notes")
        write(folder / "archive", "old.yaml", scenario("sme"))
    document = json.loads(run("diff", str(base), str(head), *FAST, "-f", "json").stdout)
    assert statuses(document) == {"sme": "unchanged"}


def test_a_folder_and_a_file_is_a_usage_error(folders: tuple[Path, Path]) -> None:
    base, head = folders
    result = run("diff", str(base), str(head / "sme.yaml"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{base} is a folder but {head / 'sme.yaml'} is not" in result.stderr


def test_a_folder_and_a_misspelt_one_is_told_the_name_does_not_exist(
    folders: tuple[Path, Path],
) -> None:
    base, head = folders
    result = run("diff", str(base), str(head) + "x")
    assert result.exit_code == 2
    assert f"{head}x: no such file or folder" in result.stderr
    assert "is not" not in result.stderr


def test_two_empty_folders_are_bad_input(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    result = run("diff", str(tmp_path / "a"), str(tmp_path / "b"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{tmp_path / 'b'}: neither this folder nor {tmp_path / 'a'} holds a result (.json) "
        "or a profile (.yaml, .yml)\n"
    )


def test_the_output_is_never_written_as_a_scenario_of_a_compared_folder(
    folders: tuple[Path, Path],
) -> None:
    base, head = folders
    result = run("diff", str(base), str(head), *FAST, "-f", "json", "-o", str(head / "diff.json"))
    assert result.exit_code == 2
    assert "would be read as a scenario next time" in result.stderr
    assert not (head / "diff.json").exists()
    markdown = run("diff", str(base), str(head), *FAST, "-f", "markdown", "-o", str(head / "d.md"))
    assert markdown.exit_code == 0
    assert (head / "d.md").read_text(encoding="utf-8").startswith("<!-- inaction:diff -->")


def test_markdown_is_a_pull_request_comment(folders: tuple[Path, Path]) -> None:
    base, head = folders
    text = run("diff", str(base), str(head), *FAST, "-f", "markdown").stdout
    assert text.startswith("<!-- inaction:diff -->\n### Cost of inaction: 4 scenarios\n")
    assert "| Scenario | Before | After | Change | Change % | Status |" in text
    assert text.count("<details>") == 1  # the changed scenario only
    assert "<summary><b>ecommerce</b>: net P50 " in text
    assert text.count("<!-- inaction:diff -->") == 1  # one marker for the comment


def test_the_same_inputs_give_the_same_bytes(folders: tuple[Path, Path]) -> None:
    base, head = folders
    for format in ("json", "markdown", "csv"):
        first = run("diff", str(base), str(head), *FAST, "-f", format).stdout
        assert first == run("diff", str(base), str(head), *FAST, "-f", format).stdout


def test_the_api_takes_path_like_folders(folders: tuple[Path, Path]) -> None:
    base, head = folders
    compared = api.diff_folders(base, head, samples=2000, fail_above=0.5)
    assert [item.name for item in compared.scenarios] == [
        "b2b-agency",
        "close-call",
        "ecommerce",
        "sme",
    ]
    assert not compared.failed
    assert compared.gate is not None
    assert not compared.gate.tripped
    shutil.rmtree(head)
    with pytest.raises(api.InputError, match="is not a folder"):
        api.diff_folders(base, head)
