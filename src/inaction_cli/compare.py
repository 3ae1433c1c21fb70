"""`diff`: two estimates side by side, P50 by P50, and the gate over the net."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from inaction_cli.errors import InputError, Problem
from inaction_cli.result import (
    MEDIAN,
    Change,
    Diff,
    FolderDiff,
    Gate,
    Report,
    ScenarioChange,
    Summary,
    money,
)

TOTAL_LABELS = {
    "gross": "All levers",
    "market_share": "Market share lost",
    "adoption_cost": "Less adoption cost",
    "net": "Net cost of inaction",
    "cost_of_delay_per_month": "Cost of each month of delay",
    "annual": "Annual run-rate",
}


def change(
    line_id: str,
    label: str,
    before: float | None,
    after: float | None,
    unit: str = "money",
    *,
    present: tuple[bool, bool] | None = None,
) -> Change:
    """A line of a diff, with its status, its change and its change relative to before.
    `present` says whether each side has the line at all, when None is a value of it (a
    payback beyond the horizon); by default None means the line is absent."""
    there = present if present is not None else (before is not None, after is not None)
    if not there[0]:
        status = "added"
    elif not there[1]:
        status = "removed"
    else:
        status = "unchanged" if before == after else "changed"
    if all(there):  # both sides have the line; a None value (beyond the horizon) has no change
        moved = None if before is None or after is None else after - before
    else:  # an added or removed line counts its absent side as zero
        moved = (after or 0.0) - (before or 0.0)
    relative: float | None = None
    if moved is not None and before:
        relative = moved / abs(before)
    elif moved == 0:
        relative = 0.0
    return Change(line_id, label, before, after, status, moved, relative, unit)


def median(report: Report, summary: Summary) -> float:
    """The P50 of a summary of `report`, in cents: a result read back from JSON is in cents,
    and an unchanged figure must compare equal."""
    return money(report.median(summary))


def diff_reports(
    old: Report,
    new: Report,
    *,
    threshold: float | None = None,
    files: tuple[str, str] | None = None,
) -> Diff:
    """Compare two reports lever by lever and total by total, on their P50; with a
    threshold, also say whether the net P50 moved by more than it. `files` names the files
    the reports were read from (by default, the profiles they name). Reports in different
    currencies do not compare: InputError."""
    named = files or (old.provenance.profile_path, new.provenance.profile_path)
    for report, file in zip((old, new), named, strict=True):
        if MEDIAN not in report.settings.percentiles:
            raise InputError.single(
                file, "has no P50 to compare: estimate it with --percentiles including 50"
            )
    if old.currency != new.currency:
        raise InputError.single(
            named[1],
            f"the amounts are in {new.currency} but those of {named[0]} in {old.currency}: "
            "amounts in different currencies do not compare; estimate both in one currency",
        )
    old_levers = {lever.id: lever for lever in old.levers}
    new_levers = {lever.id: lever for lever in new.levers}
    order = [*old_levers, *(lever_id for lever_id in new_levers if lever_id not in old_levers)]
    levers = tuple(
        change(
            lever_id,
            (new_levers.get(lever_id) or old_levers[lever_id]).label,
            median(old, old_levers[lever_id].horizon) if lever_id in old_levers else None,
            median(new, new_levers[lever_id].horizon) if lever_id in new_levers else None,
        )
        for lever_id in order
    )
    market_share = old.totals.market_share_estimated or new.totals.market_share_estimated
    totals = tuple(
        change(
            name,
            label,
            median(old, getattr(old.totals, name)),
            median(new, getattr(new.totals, name)),
        )
        for name, label in TOTAL_LABELS.items()
        if name != "market_share" or market_share
    )
    probability = change(
        "probability_net_positive",
        "P(net > 0)",
        round(old.totals.probability_net_positive, 6),
        round(new.totals.probability_net_positive, 6),
        "share",
    )
    net = next(line for line in totals if line.id == "net")
    return Diff(
        old,
        new,
        levers,
        totals,
        probability,
        tuple(_diff_warnings(old, new)),
        None if threshold is None else gate(net, threshold),
        _decision_changes(old, new),
        named,
    )


DECISION_LABELS = {
    "roi": "Return on investment",
    "payback_month": "Payback month",
    "break_even_success_probability": "Break-even chance of success",
}


def _decision_changes(old: Report, new: Report) -> tuple[Change, ...]:
    before, after = old.decision_figures(), new.decision_figures()
    if not before or not after:
        return ()

    def kept(value: float | None) -> float | None:
        # As a result keeps them: a result read back compares equal to a fresh estimate.
        return None if value is None else round(value, 6)

    return tuple(
        change(
            name,
            label,
            kept(before[name][0]),
            kept(after[name][0]),
            before[name][1],
            present=(True, True),
        )
        for name, label in DECISION_LABELS.items()
    )


def _diff_warnings(old: Report, new: Report) -> Iterable[str]:
    before, after = old.settings, new.settings
    if before.seed != after.seed:
        yield f"the seeds differ ({before.seed} and {after.seed}): part of the change is noise"
    if before.samples != after.samples:
        yield (
            f"the sample counts differ ({before.samples:,} and {after.samples:,}): part of the "
            "change is noise"
        )
    if before.horizon_months != after.horizon_months:
        yield f"the horizons differ ({before.horizon_months} and {after.horizon_months} months)"
    if old.provenance.benchmarks_version != new.provenance.benchmarks_version:
        yield (
            "the benchmark catalogues differ "
            f"({old.provenance.benchmarks_version} and {new.provenance.benchmarks_version})"
        )


def gate(net: Change, threshold: float) -> Gate:
    """Whether the net P50 moved by more than `threshold` (a fraction) either way."""
    relative = net.relative
    if relative is None:  # from zero to something: an infinite relative change
        return Gate(threshold, None, tripped=net.change != 0)
    # Not a number never passes: a gate that cannot tell must not let a change through.
    return Gate(threshold, relative, tripped=not abs(relative) <= threshold)


@dataclass(frozen=True)
class Pair:
    """One scenario of two folders: its file on each side (None when absent) and their
    reports, or the problems that kept them from being read."""

    name: str
    files: tuple[str | None, str | None]
    reports: tuple[Report | None, Report | None] = (None, None)
    problems: tuple[Problem, ...] = ()


def folder_diff(
    folders: tuple[str, str], pairs: Sequence[Pair], threshold: float | None = None
) -> FolderDiff:
    """Scenario by scenario: added, removed, changed, unchanged, or an error; one gate over
    every scenario present on both sides (an added or removed one never trips it)."""
    scenarios = [_scenario(pair, threshold) for pair in pairs]
    warnings = tuple(
        f"{item.name}: {warning}"
        for item in scenarios
        if item.diff is not None
        for warning in item.diff.warnings
    )
    gates = [item.diff.gate for item in scenarios if item.diff is not None and item.diff.gate]
    verdict = None
    if threshold is not None:
        verdict = Gate(
            threshold,
            _largest_move(gates),
            tripped=any(one.tripped for one in gates),
        )
    return FolderDiff(folders, tuple(scenarios), verdict, warnings)


def _scenario(pair: Pair, threshold: float | None) -> ScenarioChange:
    old, new = pair.reports
    if pair.problems:
        present = old or new
        if present is None:
            return ScenarioChange(pair.name, "error", pair.files, problems=pair.problems)
        # The side that could be read still shows its net P50; there is no change to speak of.
        before, after = (
            None if side is None else median(side, side.totals.net) for side in (old, new)
        )
        net = Change("net", TOTAL_LABELS["net"], before, after, "error", None, None)
        return ScenarioChange(
            pair.name, "error", pair.files, net, present.currency, problems=pair.problems
        )
    if old is not None and new is not None:
        files = (pair.files[0] or "", pair.files[1] or "")
        try:
            compared = diff_reports(old, new, threshold=threshold, files=files)
        except InputError as error:
            return ScenarioChange(pair.name, "error", pair.files, problems=tuple(error.problems))
        lines = (*compared.levers, *compared.totals, compared.probability_net_positive)
        moved = any(line.status != "unchanged" for line in (*lines, *compared.decision))
        net = next(line for line in compared.totals if line.id == "net")
        status = "changed" if moved else "unchanged"
        return ScenarioChange(pair.name, status, pair.files, net, new.currency, compared)
    present = old or new
    assert present is not None
    figure = median(present, present.totals.net)
    net = change(
        "net",
        TOTAL_LABELS["net"],
        None if old is None else figure,
        None if new is None else figure,
    )
    return ScenarioChange(pair.name, net.status, pair.files, net, present.currency)


def _largest_move(gates: Sequence[Gate]) -> float | None:
    """The largest relative move of the net P50 among the scenarios compared (None: one
    moved from zero, an infinite relative change)."""
    if any(one.relative is None and one.tripped for one in gates):
        return None
    moves = [one.relative for one in gates if one.relative is not None]
    return max(moves, key=abs, default=0.0)
