"""Hostile output targets and standard streams: `-o` onto what is not a regular file is written
through, never replaced; a link keeps its place; one path is never given two outputs; an output
that cannot be written, a closed or write-only stdin, a full stderr and a stdout that cannot
show Unicode each give one line and an exit code that says so, never 70 or a traceback.

Runs through the real command in a subprocess wherever the process's own streams matter.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from inaction_cli.cli import app
from support import SCENARIOS

runner = CliRunner()
SME = str(SCENARIOS / "sme.yaml")
FAST = ["--samples", "200"]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux devices")


def inaction(*args: str, **options: Any) -> subprocess.CompletedProcess[bytes]:
    """The real command line, in a process of its own."""
    options.setdefault("stdout", subprocess.PIPE)
    options.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "inaction_cli", *args], timeout=60, check=False, **options
    )


def one_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    assert "Traceback" not in text
    assert text.count("\n") == 1, text
    return text


# --- -o onto what is not a regular file ---------------------------------------------------


@pytest.fixture
def null_device(tmp_path: Path) -> Path:
    """A character device to write to. As root, a private copy of /dev/null: a regression
    here must not replace the system's own. Otherwise /dev/null itself, which a user cannot
    replace anyway."""
    if os.geteuid() != 0:
        return Path(os.devnull)
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except OSError:
        pytest.skip("cannot create a device node here")
    return device


def test_a_character_device_is_written_through(null_device: Path) -> None:
    before = os.stat(null_device)
    result = runner.invoke(app, ["estimate", SME, *FAST, "-f", "json", "-o", str(null_device)])
    assert result.exit_code == 0, result.stderr
    after = os.stat(null_device)
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_named_pipe_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = runner.invoke(app, ["schema", "-o", str(fifo)])
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received[0].startswith(b"{")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.fifo"]


def test_dev_stdout_is_the_pipe_the_command_writes_to() -> None:
    result = inaction("schema", "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"{")


def test_dev_stdout_appended_to_by_the_shell_is_not_replaced(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    inode = log.stat().st_ino
    with log.open("ab") as appended:
        result = inaction("schema", "-o", "/dev/stdout", stdout=appended)
    assert result.returncode == 0, result.stderr
    assert log.stat().st_ino == inode
    text = log.read_text(encoding="utf-8")
    assert text.startswith("earlier line\n{")


def test_a_process_substitution_is_written_through() -> None:
    """`-o >(gzip > out.gz)`: the shell passes /dev/fd/N, a pipe."""
    read_end, write_end = os.pipe()
    try:
        result = inaction(
            "schema", "-o", f"/dev/fd/{write_end}", pass_fds=(write_end,), stdout=subprocess.DEVNULL
        )
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
    finally:
        for descriptor in (read_end, write_end):
            with contextlib.suppress(OSError):
                os.close(descriptor)
    assert result.returncode == 0, result.stderr
    assert data.startswith(b"{")


def test_a_link_keeps_its_place_and_its_target_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "results" / "sme.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    held = target.open(encoding="utf-8")  # a reader of the old file keeps reading it whole
    old_inode = target.stat().st_ino
    result = runner.invoke(app, ["schema", "-o", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("{")
    assert target.stat().st_ino != old_inode  # replaced by a rename, not rewritten in place
    assert held.read() == "old"
    held.close()
    assert sorted(path.name for path in target.parent.iterdir()) == ["sme.json"]


def test_a_dangling_link_gets_its_target_written(tmp_path: Path) -> None:
    link = tmp_path / "latest.json"
    link.symlink_to(tmp_path / "new.json")
    result = runner.invoke(app, ["schema", "-o", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert (tmp_path / "new.json").read_text(encoding="utf-8").startswith("{")


def test_dash_is_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["schema", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("{")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["-o", "{same}", "--export-html", "{same}"],
        ["--export-svg", "{same}", "--export-html", "{same}"],
        ["-o", "{same}", "--export-svg", "{alias}"],
        ["--export-html", "-"],
        ["-o", "/dev/stdout", "--export-html", "-"],
    ],
)
def test_one_path_for_two_outputs_is_refused(args: list[str], tmp_path: Path) -> None:
    same, alias = tmp_path / "report.html", tmp_path / "alias.html"
    same.write_text("kept", encoding="utf-8")
    alias.symlink_to(same)
    filled = [part.format(same=same, alias=alias) for part in args]
    result = runner.invoke(app, ["estimate", SME, *FAST, *filled])
    assert result.exit_code == 2, result.stdout
    assert "would both be written here; give each output a path of its own" in result.stderr
    assert result.stdout == ""
    assert same.read_text(encoding="utf-8") == "kept"


# --- outputs that cannot be written -------------------------------------------------------


def test_a_file_name_too_long(tmp_path: Path) -> None:
    long = tmp_path / ("a" * 300 + ".json")
    result = runner.invoke(app, ["schema", "-o", str(long)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "cannot write: the file name is too long (305 bytes" in result.stderr
    assert len(result.stderr) < 250


def test_a_name_that_fits_is_written_though_the_temporary_one_is_longer(tmp_path: Path) -> None:
    fits = tmp_path / ("b" * 250 + ".json")
    result = runner.invoke(app, ["schema", "-o", str(fits)])
    assert result.exit_code == 0, result.stderr
    assert fits.read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize(
    "args", [["schema"], ["estimate", SME, *FAST], ["estimate", SME, *FAST, "-f", "csv"]]
)
def test_a_full_disk_on_stdout(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = inaction(*args, stdout=full)
    assert result.returncode == 74
    assert one_line(result.stderr) == (
        "inaction: cannot write the output to stdout: no space left on the device\n"
    )


def test_a_full_disk_behind_o() -> None:
    result = inaction("schema", "-o", "/dev/full")
    assert result.returncode == 74
    assert one_line(result.stderr) == "/dev/full: cannot write: no space left on the device\n"


@pytest.mark.parametrize("args", [["schema"], ["estimate", SME, *FAST]])
def test_a_closed_stdout_is_no_success(args: list[str]) -> None:
    result = inaction(*args, stdout=None, preexec_fn=lambda: os.close(1))
    assert result.returncode == 74
    assert one_line(result.stderr).startswith("inaction: stdout is closed, so the output would be")


@pytest.mark.parametrize("args", [["--version"], ["estimate", "--help"]])
def test_help_and_version_to_a_closed_stdout_are_lost_too(args: list[str]) -> None:
    result = inaction(*args, stdout=None, preexec_fn=lambda: os.close(1))
    assert result.returncode == 74
    assert one_line(result.stderr) == "inaction: cannot write the output: stdout is closed\n"


def test_a_closed_stdout_with_o_is_fine(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    result = inaction("schema", "-o", str(out), stdout=None, preexec_fn=lambda: os.close(1))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("{")


def test_a_full_stderr() -> None:
    with open("/dev/full", "wb") as full:
        bad = inaction("estimate", str(SCENARIOS / "nowhere.yaml"), stderr=full)
        warned = inaction("estimate", SME, *FAST, "-f", "json", stderr=full)
        quiet = inaction("estimate", SME, *FAST, "-f", "json", "-q", stderr=full)
    assert bad.returncode == 2  # the problem is lost, the verdict is not
    assert warned.returncode == 74  # the report is written, its warnings are lost
    assert warned.stdout.startswith(b"{")
    assert quiet.returncode == 0


# --- stdin ----------------------------------------------------------------------------------


def test_a_closed_stdin() -> None:
    result = inaction("estimate", "-", stdin=None, preexec_fn=lambda: os.close(0))
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("<stdin>: stdin is closed: there is no profile")


def test_a_stdin_open_for_writing_only(tmp_path: Path) -> None:
    with (tmp_path / "sink").open("wb") as sink:
        result = inaction("estimate", "-", stdin=sink)
    assert result.returncode == 2
    assert one_line(result.stderr) == "<stdin>: cannot read stdin: it is not open for reading\n"


def test_stdin_on_a_terminal_gets_a_hint() -> None:
    import pty

    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "inaction_cli", "estimate", "-", "-f", "json", *FAST],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        hint = b""
        deadline = time.monotonic() + 30
        while b"Ctrl-D" not in hint and time.monotonic() < deadline:
            hint += process.stderr.read1(1024) if process.stderr else b""  # type: ignore[attr-defined]
        os.write(controller, b"leads: {leads_per_year: 4800, cpl: 100}\n")
        os.write(controller, b"\x04")  # Ctrl-D on a line of its own: the end of the input
        stdout, stderr = process.communicate(timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    assert b"reading a profile from the terminal" in hint
    assert process.returncode == 0, stderr
    assert stdout.startswith(b"{")


# --- stdout that cannot show Unicode ------------------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "latin-1"])
@pytest.mark.parametrize(
    "args",
    [
        ["estimate", SME, *FAST, "--sensitivity", "--histogram", "--timeline"],
        ["explain", SME],
        ["batch", str(SCENARIOS)],
        ["benchmarks"],
        ["estimate", "--help"],
    ],
)
def test_a_stdout_that_cannot_show_unicode(encoding: str, args: list[str]) -> None:
    result = inaction(*args, env={**os.environ, "PYTHONIOENCODING": encoding})
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode(encoding)  # what the terminal can show, all of it
    if args[0] != "estimate" or "--help" not in args:
        assert "€" not in text
    if args[0] in ("estimate", "batch") and "--help" not in args:
        assert " EUR" in text  # amounts by their currency code
        assert "-----" in text  # rules in ASCII
    if encoding == "ascii":
        assert text.isascii()
