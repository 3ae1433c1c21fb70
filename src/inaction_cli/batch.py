"""`batch`: many profiles at once, one item each, in one process or in several.

Paths expand to files (folders give their *.yaml and *.yml, sorted; globs their matches), each
file once; one profile that fails is recorded and never stops the others.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from inaction_cli import api
from inaction_cli.build_scenario import ARGUMENTS, NO_OVERRIDES, Overrides
from inaction_cli.errors import InputError, Problem
from inaction_cli.loader import source_label
from inaction_cli.result import DEFAULT_PERCENTILES, MEDIAN, Batch, BatchItem
from inaction_cli.text import number_text

PROFILE_SUFFIXES = (".yaml", ".yml")
RANKED_BY_MEDIAN = "batch ranks by the P50: include 50"


def expand(paths: Sequence[str]) -> tuple[list[str], list[BatchItem]]:
    """Files, folders (their *.yaml and *.yml, sorted) and globs, in order, each file once;
    and a failed item for each pattern or folder that gives nothing."""
    files: list[str] = []
    empty: list[BatchItem] = []
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            found = sorted(
                str(Path(path) / name)
                for name in os.listdir(path)
                if name.endswith(PROFILE_SUFFIXES) and os.path.isfile(Path(path) / name)
            )
            why = "the folder holds no *.yaml or *.yml file"
        elif glob.has_magic(path):
            found = sorted(match for match in glob.glob(path) if os.path.isfile(match))
            why = "no file matches this pattern"
        else:
            found, why = [path], ""
        if not found:
            empty.append(BatchItem(path, None, (Problem(path, why),)))
        for file in found:
            key = os.path.normpath(os.path.abspath(file))
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files, empty


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
        return BatchItem(label, api.estimate_document(api.document_of(file), overrides))
    except InputError as error:
        return BatchItem(label, None, tuple(error.problems))
    except Exception as error:  # one broken profile must not stop the others
        return BatchItem(label, None, error=f"internal error ({type(error).__name__}: {error})")


def _estimate_job(job: tuple[str, Overrides]) -> BatchItem:
    return estimate_item(*job)


def run(
    paths: Sequence[str],
    overrides: Overrides = NO_OVERRIDES,
    jobs: int = 1,
    on_done: Callable[[BatchItem], None] | None = None,
) -> Batch:
    """Expand the paths and estimate every file: the items of what gives nothing first, then
    each file's in the order of the paths."""
    percentiles = overrides.percentiles or DEFAULT_PERCENTILES
    if MEDIAN not in percentiles:
        raise InputError.single(ARGUMENTS, RANKED_BY_MEDIAN, key="percentiles")
    files, empty = expand(paths)
    items = run_files(files, overrides, jobs, on_done)
    return Batch((*empty, *items), percentiles)


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
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        items = []
        for item in pool.map(_estimate_job, work, chunksize=chunk):
            if on_done is not None:
                on_done(item)
            items.append(item)
        return items
