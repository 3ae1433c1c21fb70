"""Signals end a run cleanly: SIGTERM, SIGHUP and Ctrl-C stop `batch` and its workers (no
process is left holding the pipe), exit 143, 129 or 130, write nothing partial, and never show
a traceback, start-up included.

Each test runs the real command in a session of its own, so that its process group holds the
command and every worker it starts; the group is then read from /proc.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inaction_cli.batch import available_cpus
from support import SCENARIOS

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def group(leader: int) -> list[int]:
    """The live processes of a process group (zombies hold nothing open)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/stat").read_text(encoding="utf-8")
        except OSError:
            continue
        state, _parent, process_group = status[status.rindex(")") + 2 :].split()[:3]
        if int(process_group) == leader and state != "Z":
            members.append(int(entry))
    return members


def wait_for(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def start(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "inaction_cli", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """Enough profiles that a two-process batch runs for a good while."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    for number in range(80):
        shutil.copy(SCENARIOS / "sme.yaml", folder / f"p{number:02}.yaml")
    return folder


@pytest.mark.skipif(available_cpus() < 2, reason="--jobs 2 runs workers on two CPUs only")
@pytest.mark.parametrize(
    ("signum", "code", "line", "whole_group"),
    [
        (signal.SIGTERM, 143, "inaction: terminated (SIGTERM)", False),
        (signal.SIGHUP, 129, "inaction: stopped: the terminal hung up (SIGHUP)", False),
        (signal.SIGTERM, 143, "inaction: terminated (SIGTERM)", True),  # as `timeout` does
        (signal.SIGINT, 130, "inaction: interrupted", True),  # Ctrl-C: the whole group
    ],
)
def test_a_signal_ends_batch_and_every_worker(
    signum: int, code: int, line: str, whole_group: bool, many: Path, tmp_path: Path
) -> None:
    process = start("batch", str(many), "--jobs", "2", "-f", "csv", "-o", "out.csv", cwd=tmp_path)
    try:
        wait_for(lambda: len(group(process.pid)) >= 3)  # the command and its two workers
        time.sleep(0.3)  # into the work
        if whole_group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == code, stderr
    assert stderr.decode() == line + "\n"
    assert stdout == b""
    wait_for(lambda: group(process.pid) == [], timeout=5)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["profiles"]  # nothing partial


@pytest.mark.skipif(available_cpus() < 2, reason="--jobs 2 runs workers on two CPUs only")
def test_workers_die_with_a_killed_batch(many: Path, tmp_path: Path) -> None:
    """SIGKILL leaves the command no time to clean up: the workers go by themselves."""
    process = start("batch", str(many), "--jobs", "2", "-f", "csv", cwd=tmp_path)
    wait_for(lambda: len(group(process.pid)) >= 3)
    process.kill()
    process.communicate(timeout=30)  # the pipe closes: no worker holds it
    wait_for(lambda: group(process.pid) == [], timeout=5)


def _handles_sigterm(pid: int) -> bool:
    """Whether the process has its own handler for SIGTERM: `main()` sets it first of all."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return True  # already gone: let the test read its exit
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)))


@pytest.mark.parametrize("after", [0.0, 0.02, 0.05, 0.1, 0.2])
def test_ctrl_c_during_start_up_shows_no_traceback(after: float, tmp_path: Path) -> None:
    """From the moment inaction's own code runs (the interpreter's first few milliseconds are
    Python's), through the imports of typer, pydantic and numpy."""
    process = start("estimate", str(SCENARIOS / "sme.yaml"), "-f", "json", cwd=tmp_path)
    wait_for(lambda: _handles_sigterm(process.pid))
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert b"Traceback" not in stderr
    if process.returncode == 0:  # it finished first: nothing to interrupt
        return
    assert process.returncode == 130, stderr
    assert stderr == b"inaction: interrupted\n"
    assert stdout == b""


def test_sigterm_during_an_estimate_leaves_the_output_file_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    process = start(
        "estimate",
        str(SCENARIOS / "sme.yaml"),
        "--samples",
        "10000000",
        "-f",
        "json",
        "-o",
        str(target),
        cwd=tmp_path,
    )
    wait_for(lambda: _handles_sigterm(process.pid))
    time.sleep(1.0)
    process.terminate()
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert stderr == b"inaction: terminated (SIGTERM)\n"
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.json"]


LOST_SIGNAL = """
import os, signal, sys, time
from inaction_cli.cli import process

class Dropped:
    def __del__(self):  # Ctrl-C lands here, where Python cannot let an exception out
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.01)

process.stop_on_signals()
try:
    Dropped()
    time.sleep(2)  # the run goes on: the signal must still stop it
    print("not stopped")
except process.Stopped as stopped:
    print(stopped.message, file=sys.stderr)
    sys.exit(stopped.exit_code)
"""


def test_a_signal_caught_where_python_drops_exceptions_still_stops_the_run() -> None:
    """A `Stopped` raised in a `__del__` or a weakref callback (imports are full of them) is
    'unraisable': Python printed it with a traceback and ran on to exit 0."""
    done = subprocess.run(
        [sys.executable, "-c", LOST_SIGNAL], capture_output=True, text=True, timeout=30
    )
    assert done.stdout == ""
    assert done.stderr == "inaction: interrupted\n"
    assert done.returncode == 130


def test_a_signal_inside_class_construction_is_still_a_signal() -> None:
    """Python wraps an exception raised in `__set_name__` (pydantic builds models there) in a
    RuntimeError; the signal inside is still found."""
    from inaction_cli.cli import process

    try:
        try:
            raise process.Stopped(signal.SIGTERM)
        except process.Stopped as stopped:
            raise RuntimeError("Error calling __set_name__") from stopped
    except RuntimeError as error:
        found = process.stopped_within(error)
    assert found is not None
    assert found.exit_code == 143
    assert process.stopped_within(ValueError("a bug")) is None


CANCELLED = """
import signal, sys, time
from inaction_cli.cli import process

process.stop_on_signals()
process._deliver_later(signal.SIGINT)  # a lost Ctrl-C, to be delivered again in 5 ms
try:
    raise process.Stopped(signal.SIGINT)  # ... but the run is stopping for it already
except process.Stopped:
    time.sleep(0.05)  # a cleanup: the re-delivery must not break into it
print("cleaned up")
"""


def test_a_signal_on_its_way_out_cancels_its_redelivery() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CANCELLED], capture_output=True, text=True, timeout=30
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "cleaned up\n", "")
