"""Many results at once: `diff` of two estimates, and `batch` over many profiles."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from inaction_cli.engine import Summary
from inaction_cli.errors import InputError, Problem
from inaction_cli.estimate import estimate_document, estimate_file, warm_up
from inaction_cli.loader import Document, load, source_label
from inaction_cli.prepare import NO_OVERRIDES, Overrides
from inaction_cli.result import MEDIAN, Report, money
from inaction_cli.result_schema import read_result

PROFILE_SUFFIXES = (".yaml", ".yml")

TOTAL_LABELS = {
    "gross": "All levers",
    "market_share": "Market share lost",
    "adoption_cost": "Less adoption cost",
    "net": "Net cost of inaction",
    "cost_of_delay_per_month": "Cost of each month of delay",
    "annual": "Annual run-rate",
}


# --- diff -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One line of a diff: a P50 before and after."""

    id: str
    label: str
    before: float | None
    """None: the line is not in the old result (an added lever)."""
    after: float | None
    """None: the line is not in the new result (a removed lever)."""

    @property
    def status(self) -> str:
        """added, removed, changed or unchanged."""
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "unchanged" if self.before == self.after else "changed"

    @property
    def change(self) -> float | None:
        """after − before, counting an absent side as zero."""
        if self.before is None and self.after is None:
            return None
        return (self.after or 0.0) - (self.before or 0.0)

    @property
    def relative(self) -> float | None:
        """The change as a fraction of |before|; None when before is zero or absent."""
        change = self.change
        if change is None or not self.before:
            return 0.0 if change == 0 else None
        return change / abs(self.before)


@dataclass(frozen=True)
class Diff:
    """Two results side by side, P50 by P50."""

    old: Report
    new: Report
    levers: tuple[Change, ...]
    totals: tuple[Change, ...]
    probability_net_positive: Change
    warnings: tuple[str, ...]

    @property
    def net(self) -> Change:
        """The line the gate watches."""
        return next(change for change in self.totals if change.id == "net")


@dataclass(frozen=True)
class Gate:
    """`--fail-above`: trips when |relative change of the net P50| is above the threshold."""

    threshold: float
    """As a fraction: 0.05 for 5 %."""
    relative: float | None
    tripped: bool


def median(report: Report, summary: Summary) -> float:
    """The P50 of a summary of `report`, in cents: a result read back from JSON is in cents,
    and an unchanged figure must compare equal."""
    return money(summary.percentiles[report.percentiles.index(MEDIAN)])


def diff_reports(old: Report, new: Report, *, labels: tuple[str, str] = ("OLD", "NEW")) -> Diff:
    """Compare two reports lever by lever and total by total, on their P50."""
    for report, label in ((old, labels[0]), (new, labels[1])):
        if MEDIAN not in report.percentiles:
            raise InputError.single(
                report.provenance.profile_path,
                f"{label} has no P50 to compare: estimate it with --percentiles including 50",
            )
    old_levers = {lever.id: lever for lever in old.levers}
    new_levers = {lever.id: lever for lever in new.levers}
    order = [*old_levers, *(lever_id for lever_id in new_levers if lever_id not in old_levers)]
    levers = tuple(
        Change(
            lever_id,
            (new_levers.get(lever_id) or old_levers[lever_id]).label,
            median(old, old_levers[lever_id].horizon) if lever_id in old_levers else None,
            median(new, new_levers[lever_id].horizon) if lever_id in new_levers else None,
        )
        for lever_id in order
    )
    market_share = old.totals.market_share_estimated or new.totals.market_share_estimated
    totals = tuple(
        Change(
            name,
            label,
            median(old, getattr(old.totals, name)),
            median(new, getattr(new.totals, name)),
        )
        for name, label in TOTAL_LABELS.items()
        if name != "market_share" or market_share
    )
    probability = Change(
        "probability_net_positive",
        "P(net > 0)",
        round(old.totals.probability_net_positive, 6),
        round(new.totals.probability_net_positive, 6),
    )
    return Diff(old, new, levers, totals, probability, tuple(_diff_warnings(old, new)))


def _diff_warnings(old: Report, new: Report) -> Iterable[str]:
    if old.seed != new.seed:
        yield f"the seeds differ ({old.seed} and {new.seed}): part of the change is noise"
    if old.samples != new.samples:
        yield (
            f"the sample counts differ ({old.samples:,} and {new.samples:,}): part of the "
            "change is noise"
        )
    if old.currency != new.currency:
        yield f"the currencies differ ({old.currency} and {new.currency}): amounts do not compare"
    if old.horizon_months != new.horizon_months:
        yield f"the horizons differ ({old.horizon_months} and {new.horizon_months} months)"
    if old.provenance.benchmarks_version != new.provenance.benchmarks_version:
        yield (
            "the benchmark catalogues differ "
            f"({old.provenance.benchmarks_version} and {new.provenance.benchmarks_version})"
        )


def gate(diff: Diff, threshold: float) -> Gate:
    """Whether the net P50 moved by more than `threshold` (a fraction) either way."""
    net = diff.net
    relative = net.relative
    if relative is None:  # from zero to something: an infinite relative change
        return Gate(threshold, None, tripped=net.change != 0)
    return Gate(threshold, relative, tripped=abs(relative) > threshold)


def diff_paths(old_path: str, new_path: str, overrides: Overrides = NO_OVERRIDES) -> Diff:
    """Diff two files: JSON results as they are, profiles estimated with the same seed and
    sample count (the command line's, else those of a result given, else OLD's own)."""
    paths = (old_path, new_path)
    documents = [load(path) for path in paths]
    reports: list[Report | None] = [
        read_result(document) if _is_result(path, document) else None
        for path, document in zip(paths, documents, strict=True)
    ]
    reference = next((report for report in reports if report is not None), None)
    for index, document in enumerate(documents):
        if reports[index] is None:
            shared = overrides
            if reference is not None:
                shared = replace(
                    overrides,
                    seed=reference.seed if overrides.seed is None else overrides.seed,
                    samples=reference.samples if overrides.samples is None else overrides.samples,
                )
            reports[index] = estimate_document(document, shared)
            reference = reference or reports[index]
    old, new = reports
    assert old is not None
    assert new is not None
    return diff_reports(old, new)


def _is_result(path: str, document: Document) -> bool:
    """A `.json` file is a result; so is anything shaped like one (a result piped to stdin):
    a profile's schema_version is a number, a result's a string, and only results have totals."""
    if Path(path).suffix.lower() == ".json":
        return True
    data = document.data
    if not isinstance(data, dict):
        return False
    return isinstance(data.get("schema_version"), str) and "totals" in data


# --- batch ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchItem:
    """One profile of a batch: its report, or what went wrong."""

    file: str
    report: Report | None
    problems: tuple[Problem, ...] = ()
    error: str = ""
    """An internal error's one-line description (a bug, reported without stopping the batch)."""

    @property
    def ok(self) -> bool:
        """Whether the profile was estimated."""
        return self.report is not None


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


def estimate_item(file: str, overrides: Overrides = NO_OVERRIDES) -> BatchItem:
    """Estimate one profile of a batch; whatever fails is recorded, never raised."""
    label = source_label(file)
    try:
        return BatchItem(label, estimate_file(file, overrides))
    except InputError as error:
        return BatchItem(label, None, tuple(error.problems))
    except Exception as error:  # one broken profile must not stop the others
        return BatchItem(label, None, error=f"internal error ({type(error).__name__}: {error})")


def _estimate_job(job: tuple[str, Overrides]) -> BatchItem:
    return estimate_item(*job)


def run_batch(
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
    warm_up()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        items = []
        for item in pool.map(_estimate_job, work, chunksize=chunk):
            if on_done is not None:
                on_done(item)
            items.append(item)
        return items
