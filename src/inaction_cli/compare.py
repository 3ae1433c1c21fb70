"""`diff`: two estimates side by side, P50 by P50, and the gate over the net."""

from __future__ import annotations

from collections.abc import Iterable

from inaction_cli.errors import InputError
from inaction_cli.result import MEDIAN, Change, Diff, Gate, Report, Summary, money

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
    labels: tuple[str, str] = ("OLD", "NEW"),
) -> Diff:
    """Compare two reports lever by lever and total by total, on their P50; with a
    threshold, also say whether the net P50 moved by more than it. `labels` name the two
    inputs as the user gave them, for messages; reports of two currencies are refused."""
    for report, label in ((old, labels[0]), (new, labels[1])):
        if MEDIAN not in report.settings.percentiles:
            raise InputError.single(
                label, "has no P50 to compare: estimate it with --percentiles including 50"
            )
    if old.currency != new.currency:
        raise InputError.single(
            labels[1],
            f"its amounts are in {new.currency}, those of {labels[0]} in {old.currency}: "
            "amounts in two currencies do not compare (estimate both in one)",
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
