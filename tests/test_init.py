"""`inaction init`: the starter profiles, written and listed, through typer's CliRunner."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from inaction_cli import api, starters
from inaction_cli.cli import app
from inaction_cli.starters import STARTERS, starter_text
from support import SCENARIOS

runner = CliRunner()
NAMES = [item.name for item in STARTERS]
STARTER_FILES = Path(starters.__file__).parent / "starters"


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


@pytest.fixture(autouse=True)
def _in_an_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_writes_the_sme_template_to_profile_yaml_by_default(tmp_path: Path) -> None:
    result = run("init")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        "Wrote profile.yaml (template sme). Next: put your figures in it, then run: "
        "inaction estimate profile.yaml\n"
    )
    assert (tmp_path / "profile.yaml").read_text(encoding="utf-8") == starter_text("sme")
    assert sorted(os.listdir(tmp_path)) == ["profile.yaml"], "no temporary file is left behind"


@pytest.mark.parametrize("name", NAMES)
def test_writes_each_template_where_asked(name: str, tmp_path: Path) -> None:
    result = run("init", "--template", name, f"{name}.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"Wrote {name}.yaml (template {name})" in result.stderr
    assert result.stderr.endswith(f"inaction estimate {name}.yaml\n")
    assert (tmp_path / f"{name}.yaml").read_text(encoding="utf-8") == starter_text(name)


def test_template_names_are_read_in_any_case(tmp_path: Path) -> None:
    result = run("init", "-t", "B2B-Agency", "agency.yaml")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "agency.yaml").read_text(encoding="utf-8") == starter_text("b2b-agency")


def test_the_next_step_quotes_a_path_as_a_shell_needs_it() -> None:
    result = run("init", "my profile.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith("inaction estimate 'my profile.yaml'\n")


def test_dash_writes_to_stdout_and_no_file(tmp_path: Path) -> None:
    result = run("init", "-", "--template", "blank")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == starter_text("blank")
    assert result.stderr == ""
    assert os.listdir(tmp_path) == []


def test_list_names_each_template_with_a_line_of_description(tmp_path: Path) -> None:
    result = run("init", "--list")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == NAMES
    for line, item in zip(lines, STARTERS, strict=True):
        assert line.endswith(item.description)
    assert lines[0].endswith("(default)")
    assert max(len(line) for line in lines) <= 80
    assert os.listdir(tmp_path) == [], "--list writes nothing"


def test_an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "profile.yaml").write_text("mine\n", encoding="utf-8")
    result = run("init")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "profile.yaml: already exists: choose another path or delete it\n"
    assert (tmp_path / "profile.yaml").read_text(encoding="utf-8") == "mine\n"
    assert os.listdir(tmp_path) == ["profile.yaml"]


def test_a_link_is_never_followed_nor_replaced(tmp_path: Path) -> None:
    (tmp_path / "link.yaml").symlink_to(tmp_path / "nowhere.yaml")
    result = run("init", "link.yaml")
    assert result.exit_code == 2
    assert result.stderr == "link.yaml: already exists: choose another path or delete it\n"
    assert (tmp_path / "link.yaml").is_symlink()
    assert not (tmp_path / "nowhere.yaml").exists()


@pytest.mark.parametrize(
    ("given", "hint"), [("smee", "; did you mean 'sme'? "), ("retail", ". ")], ids=["close", "far"]
)
def test_an_unknown_template_names_the_ones_there_are(
    given: str, hint: str, tmp_path: Path
) -> None:
    result = run("init", "--template", given)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"--template: there is no template '{given}'{hint}The templates are sme, ecommerce, "
        "b2b-agency and blank (inaction init --list describes each).\n"
    )
    assert os.listdir(tmp_path) == []


def test_a_folder_is_refused_as_other_commands_refuse_it(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    result = run("init", "profiles")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'profiles' is a directory" in result.stderr
    assert os.listdir(tmp_path / "profiles") == []
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_or_a_device_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")  # what /dev/null is to a file system: not a regular file
    result = run("init", "pipe")
    assert result.exit_code == 2
    assert result.stderr == (
        "pipe: exists and is not a regular file: choose another path, or - for stdout\n"
    )


def test_a_missing_folder_is_one_line_not_a_traceback() -> None:
    result = run("init", "nowhere/profile.yaml")
    assert result.exit_code == 2
    assert result.stderr == "nowhere/profile.yaml: cannot write: no such folder\n"


def test_help_names_every_template() -> None:
    result = run("init", "--help")
    assert result.exit_code == 0
    assert "Usage: inaction init [OPTIONS] [PATH]" in result.stdout
    for name in NAMES:
        assert name in result.stdout


# The templates themselves.


def test_every_template_file_is_listed_and_every_listed_one_ships() -> None:
    assert sorted(path.stem for path in STARTER_FILES.glob("*.yaml")) == sorted(NAMES)
    assert NAMES[0] == starters.DEFAULT_STARTER


@pytest.mark.parametrize("name", NAMES)
def test_each_template_validates_and_estimates(name: str, tmp_path: Path) -> None:
    assert run("init", "-t", name, "profile.yaml").exit_code == 0
    checked = run("validate", "profile.yaml")
    assert checked.exit_code == 0, checked.stderr
    estimated = run("estimate", "profile.yaml", "--samples", "2000")
    assert estimated.exit_code == 0, estimated.stderr
    assert "Net cost of inaction" in estimated.stdout


@pytest.mark.parametrize(
    "item", [item for item in STARTERS if item.scenario], ids=lambda item: item.name
)
def test_each_template_holds_its_scenarios_data_and_numbers(item: starters.Starter) -> None:
    """Only comments differ: the same data, so the same numbers, for the same seed."""
    scenario = SCENARIOS / str(item.scenario)
    template = yaml.safe_load(starter_text(item.name))
    assert template == yaml.safe_load(scenario.read_text(encoding="utf-8"))
    from_scenario = api.estimate(scenario, samples=5000).to_dict()
    from_template = api.estimate(template, samples=5000).to_dict()
    for result in (from_scenario, from_template):
        del result["profile"]  # the file's path and digest
    assert from_template == from_scenario


@pytest.mark.parametrize(
    "item", [item for item in STARTERS if item.scenario], ids=lambda item: item.name
)
def test_the_worked_examples_warn_of_nothing(item: starters.Starter) -> None:
    checked = api.check(yaml.safe_load(starter_text(item.name)))
    assert (checked.problems, checked.warnings) == ((), ())


def _commented_sections(text: str) -> dict[str, range]:
    """The blank template's commented-out sections: a `#key:` line, then `#  ` lines."""
    lines = text.splitlines()
    sections: dict[str, range] = {}
    index = 0
    while index < len(lines):
        found = re.match(r"#([a-z_]+):", lines[index])
        start, index = index, index + 1
        if found:
            while index < len(lines) and lines[index].startswith("#  "):
                index += 1
            sections[found.group(1)] = range(start, index)
    return sections


def _uncommented(text: str, sections: dict[str, range], left_out: set[str]) -> str:
    lines = text.splitlines()
    for name, span in sections.items():
        if name not in left_out:
            for index in span:
                lines[index] = lines[index][1:]
    return "\n".join(lines) + "\n"


def test_the_blank_template_is_valid_and_empty() -> None:
    text = starter_text("blank")
    assert yaml.safe_load(text) == {"schema_version": 1}
    assert api.validate(yaml.safe_load(text)) == []


@pytest.mark.parametrize(
    "left_out",
    [
        {"sales", "leads", "retention"},
        {"acquisition", "advertising", "email", "correlations"},
    ],
    ids=["cac-roas-ctr", "meetings-cpl-retention"],
)
def test_the_blank_templates_sections_uncommented_make_a_valid_profile(
    left_out: set[str],
) -> None:
    """Removing the `#` is all it takes: each section is valid YAML in a valid profile (one
    lever of each mechanism group at a time)."""
    text = starter_text("blank")
    sections = _commented_sections(text)
    assert set(sections) == set(api.profile_schema()["properties"]) - {"schema_version"}
    profile = yaml.safe_load(_uncommented(text, sections, left_out))
    assert set(profile) == set(sections) - left_out | {"schema_version"}
    checked = api.check(profile)
    assert (checked.problems, checked.warnings) == ((), ())


def test_init_loads_no_numpy() -> None:
    """Writing a template is instant: it needs neither the engine nor numpy."""
    code = (
        "import sys\n"
        "from inaction_cli.cli import app\n"
        "app(['init', '-'], standalone_mode=False)\n"
        "print('numpy' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == starter_text("sme")
    assert done.stderr.strip() == "False"
