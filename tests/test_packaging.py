"""The wheel as a user gets it (`pipx install .`): built from this tree, installed in a fresh
virtual environment, and run from an empty folder.

Offline by design: the wheel is built with the hatchling of the test environment when it has
one (the `test` extra installs it), else in pip's isolated build environment, as `pip install .`
itself builds; the fresh environment gets the wheel alone (`--no-deps --no-index`) and borrows
the test environment's installed dependencies through a `.pth` file, which adds their folders
after its own site-packages: so the `inaction_cli` that runs is the wheel's, and nothing is
downloaded.
"""

from __future__ import annotations

import email.parser
import importlib.util
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from inaction_cli.starters import STARTERS
from support import GOLDEN, ROOT

SHIPPED = [
    "inaction_cli/py.typed",
    "inaction_cli/catalogue.yaml",
    "inaction_cli/render/templates/report.html.j2",
    *(f"inaction_cli/starters/{item.name}.yaml" for item in STARTERS),
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist)]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")
    done = subprocess.run(
        [*command, str(ROOT)], capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    (built,) = dist.glob("inaction-*.whl")
    return built


def test_the_wheel_holds_the_data_files_and_the_licence(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for name in SHIPPED:
        assert name in names
    info = next(name.split("/")[0] for name in names if name.endswith(".dist-info/METADATA"))
    assert f"{info}/licenses/LICENSE" in names
    assert not [name for name in names if name.startswith(("tests/", "scenarios/"))]


def test_the_wheels_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        name = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.11"
    classifiers = metadata.get_all("Classifier")
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert "Typing :: Typed" in classifiers
    urls = dict(entry.split(", ", 1) for entry in metadata.get_all("Project-URL"))
    assert set(urls) == {"Homepage", "Documentation", "Changelog", "Issues"}
    assert all(url.startswith("https://github.com/inaction-dev/inaction") for url in urls.values())


def test_the_installed_wheel_runs_init_then_estimate_from_an_empty_folder(
    wheel: Path, tmp_path: Path
) -> None:
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    scripts = Path(sysconfig.get_path("scripts", vars={"base": str(environment)}))
    python = _script(scripts, "python")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install"]
    installed = subprocess.run(
        [*pip, "--no-deps", "--no-index", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert installed.returncode == 0, installed.stderr
    command = _script(scripts, "inaction")
    # Only now the dependencies: seen before, the test environment's own inaction (installed
    # by `pip install '.[test]'`) would have satisfied pip, and nothing would be installed.
    site = _site_packages(python)
    borrowed = sorted({path for path in sys.path if Path(path).name.endswith("-packages")})
    (site / "test-dependencies.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")

    folder = tmp_path / "empty"
    folder.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["COLUMNS"] = "80"

    def inaction(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(command), *args],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    written = inaction("init", "--template", "sme", "sme.yaml")
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    assert written.stderr.endswith("inaction estimate sme.yaml\n")
    estimated = inaction("estimate", "sme.yaml")
    assert estimated.returncode == 0, estimated.stderr
    assert estimated.stderr == ""
    assert estimated.stdout == (GOLDEN / "sme.table.txt").read_text(encoding="utf-8")
    assert inaction("init", "--template", "sme", "sme.yaml").returncode == 2
    assert sorted(os.listdir(folder)) == ["sme.yaml"]

    origin = subprocess.run(
        [str(python), "-c", "import inaction_cli; print(inaction_cli.__file__)"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert Path(origin.stdout.strip()).is_relative_to(site), "the wheel's code ran, not the tree"


def _script(scripts: Path, name: str) -> Path:
    found = [path for path in (scripts / name, scripts / f"{name}.exe") if path.exists()]
    assert found, f"no {name} in {scripts}"
    return found[0]


def _site_packages(python: Path) -> Path:
    done = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return Path(done.stdout.strip())
