"""`batch`: many profiles at once, one item each, in one process or in several.

Paths expand to files (folders give their *.yaml and *.yml, sorted; globs their matches), each
file once; one profile that fails is recorded and never stops the others.
"""

from __future__ import annotations

import contextlib
import glob
import os
import signal
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from inaction_cli import api, parallel
from inaction_cli.build_scenario import ARGUMENTS, NO_OVERRIDES, Overrides
from inaction_cli.errors import InputError, Problem
from inaction_cli.loader import STDIN, source_label
from inaction_cli.result import DEFAULT_PERCENTILES, MEDIAN, Batch, BatchItem
from inaction_cli.text import number_text, quoted

PROFILE_SUFFIXES = (".yaml", ".yml")
RANKED_BY_MEDIAN = "batch ranks by the P50: include 50"


def expand(paths: Sequence[str]) -> tuple[list[str], list[BatchItem]]:
    """Files, folders (their *.yaml and *.yml, sorted) and globs, in order, each file once
    (a file reached again through a link or another spelling runs once); and a failed item
    for each pattern or folder that gives nothing, and for each entry found that is no file
    to read (a broken link, a named pipe, a folder named like a profile): never skipped in
    silence.

    A path that exists is taken as it is, even with glob characters in its name
    (`Acme [draft].yaml`); only a path that does not is read as a pattern."""
    files: list[str] = []
    failed: list[BatchItem] = []
    seen: set[object] = set()
    for path in paths:
        scanned = True
        if path != STDIN and os.path.isdir(path):
            found = sorted(
                str(Path(path) / name)
                for name in os.listdir(path)
                if name.endswith(PROFILE_SUFFIXES)
            )
            why = "the folder holds no *.yaml or *.yml file"
        elif path == STDIN or os.path.lexists(path) or not glob.has_magic(path):
            found, why, scanned = [path], "", False  # a missing file is reported when read
        else:
            found = sorted(
                match
                for match in glob.glob(path)
                if not os.path.isdir(match) or match.endswith(PROFILE_SUFFIXES)
            )
            why = "no file matches this pattern"
        if not found:
            failed.append(BatchItem(path, None, (Problem(path, why),)))
        for file in found:
            problem = not_a_profile(file) if scanned else None
            if problem is not None:
                failed.append(BatchItem(file, None, (Problem(file, problem),)))
                continue
            identity = _identity(file)
            if identity not in seen:
                seen.add(identity)
                files.append(file)
    return files, failed


def not_a_profile(path: str) -> str | None:
    """Why an entry a folder or a pattern gave is no profile to read, or None. (Opening a
    named pipe would wait for a writer forever.)"""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            return f"is a symbolic link to {quoted(os.readlink(path))}, which does not exist"
        return "no such file"
    except OSError as error:
        return f"cannot read it: {error.strerror}"
    kinds = (
        (stat.S_ISDIR, "is a folder, not a profile file"),
        (stat.S_ISFIFO, "is a named pipe (FIFO), not a profile file"),
        (stat.S_ISSOCK, "is a socket, not a profile file"),
        (stat.S_ISCHR, "is a device, not a profile file"),
        (stat.S_ISBLK, "is a device, not a profile file"),
    )
    for test, message in kinds:
        if test(mode):
            return message
    return None if stat.S_ISREG(mode) else "is not a regular file"


def _identity(path: str) -> object:
    """What makes two paths one file: its device and inode, through any link."""
    if path == STDIN:
        return STDIN
    try:
        status = os.stat(path)
    except OSError:
        return os.path.normpath(os.path.abspath(path))
    return (status.st_dev, status.st_ino)


def usable_jobs(requested: int) -> tuple[int, str]:
    """`--jobs` bounded by the CPUs this process may run on (more processes only contend for
    them, and thousands would exhaust memory), and a note when it is lowered."""
    cpus = available_cpus()
    if requested <= cpus:
        return requested, ""
    shown = number_text(requested)
    plural = "s" if cpus != 1 else ""
    return cpus, (
        f"--jobs {shown} is more than the {cpus} CPU{plural} this process may use: "
        f"estimating in {cpus} process{'es' if cpus != 1 else ''}"
    )


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system tells), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def estimate_item(file: str, overrides: Overrides = NO_OVERRIDES) -> BatchItem:
    """Estimate one profile of a batch; whatever fails is recorded, never raised."""
    label = source_label(file)
    try:
        return BatchItem(label, api.estimate_row(api.document_of(file), overrides))
    except InputError as error:
        return BatchItem(label, None, tuple(error.problems))
    except Exception as error:  # one broken profile must not stop the others
        return BatchItem(label, None, error=f"internal error ({type(error).__name__}: {error})")


def _estimate_job(job: tuple[str, Overrides]) -> BatchItem:
    return estimate_item(*job)


def _estimate_jobs(jobs: Sequence[tuple[str, Overrides]]) -> list[BatchItem]:
    return [estimate_item(*job) for job in jobs]


def run(
    paths: Sequence[str],
    overrides: Overrides = NO_OVERRIDES,
    jobs: int = 1,
    on_done: Callable[[BatchItem], None] | None = None,
) -> Batch:
    """Expand the paths and estimate every file: the items of what gives nothing (or no file
    to read) first, then each file's in the order of the paths."""
    percentiles = overrides.percentiles or DEFAULT_PERCENTILES
    if MEDIAN not in percentiles:
        raise InputError.single(ARGUMENTS, RANKED_BY_MEDIAN, key="percentiles")
    files, failed = expand(paths)
    items = run_files(files, overrides, jobs, on_done)
    return Batch((*failed, *items), percentiles)


def run_files(
    files: Sequence[str],
    overrides: Overrides = NO_OVERRIDES,
    jobs: int = 1,
    on_done: Callable[[BatchItem], None] | None = None,
) -> list[BatchItem]:
    """Estimate every file, in `jobs` processes; items come back in the order of `files`.

    Each profile's numbers depend only on the profile and the settings, so they are the
    same whatever the number of processes.
    """
    work = [(file, overrides) for file in files]
    if jobs <= 1 or len(files) <= 1:
        items = []
        for job in work:
            item = _estimate_job(job)
            if on_done is not None:
                on_done(item)
            items.append(item)
        return items
    from concurrent.futures import ProcessPoolExecutor  # only batches with --jobs pay for it

    # A few profiles per task: fewer messages, yet small enough that the workers finish
    # together instead of one waiting on the other's last big task.
    chunk = max(1, min(8, len(work) // (jobs * 16)))
    api.warm_up()
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(work)), initializer=_start_worker, initargs=(os.getpid(),)
    )
    items = []
    try:
        # Submitted by hand rather than with pool.map, whose clean-up cancels the queued tasks
        # under the pool's feet when a signal stops the run (and Python 3.11's pool then fails
        # in its own thread, traceback and all).
        tasks = [
            pool.submit(_estimate_jobs, work[start : start + chunk])
            for start in range(0, len(work), chunk)
        ]
        for task in tasks:
            for item in task.result():
                if on_done is not None:
                    on_done(item)
                items.append(item)
        pool.shutdown()
    except BaseException:
        # Interrupted, terminated or failed: the workers stop now, with their queued work,
        # instead of the pool waiting for them to finish it all (a CI step killed with SIGTERM
        # would otherwise never end: workers held its output pipe).
        _stop_workers(pool)
        raise
    return items


def _start_worker(parent: int) -> None:
    """Set up a worker process: the parent alone answers Ctrl-C (and stops the workers);
    SIGTERM and SIGHUP end a worker at once; a worker dies with its parent, even one killed
    with SIGKILL; and it holds neither stdout nor stderr, so no pipe waits on it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    _die_with(parent)
    parallel.WORKERS = 1  # the profiles are spread over processes already
    quiet = os.open(os.devnull, os.O_WRONLY)
    for descriptor in (1, 2):
        os.dup2(quiet, descriptor)
    os.close(quiet)


def _die_with(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere
    the parent's own cleanup has to do."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            set_parent_death_signal = 1
            ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _stop_workers(pool: Any) -> None:
    """Kill a process pool's workers, and let the pool wind down on its own."""
    # The pool keeps its processes and its manager thread in private attributes (Python 3.14
    # adds terminate_workers). Workers die first: a pool that still saw them alive would send
    # each a stop message down a pipe nobody reads any more, and print that pipe's error. Then
    # the pool finds them dead, fails what was queued and ends its thread, and nothing else
    # touches its queue meanwhile (cancelling the futures there races with it: another error).
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False)
    if manager is not None:
        manager.join(timeout=5)
