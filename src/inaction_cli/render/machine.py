"""JSON forms of batch, diff, benchmarks and validate (an estimate's is Report.to_dict)."""

from __future__ import annotations

from typing import Any

from inaction_cli import TOOL_NAME, __version__
from inaction_cli.benchmarks import Catalogue, Figure
from inaction_cli.compare import BatchItem, Change, Diff, Gate
from inaction_cli.distributions import Uncertain
from inaction_cli.errors import Problem
from inaction_cli.estimate import Validation
from inaction_cli.explain import Explanation, Quantity
from inaction_cli.levers import symbolic
from inaction_cli.result import RESULT_SCHEMA_VERSION, Provenance, Report, money


def _envelope(kind: str) -> dict[str, Any]:
    return {
        "schema_version": RESULT_SCHEMA_VERSION,
        "kind": kind,
        "tool": {"name": TOOL_NAME, "version": __version__},
    }


def problem_dict(problem: Problem) -> dict[str, Any]:
    """A problem as data; `text` is the line printed on stderr."""
    return {
        "line": problem.line,
        "column": problem.column,
        "key": problem.key,
        "message": problem.message,
        "text": str(problem),
    }


def batch(items: list[BatchItem]) -> dict[str, Any]:
    """Every profile in the order given, estimated or failed."""
    failed = sum(1 for item in items if not item.ok)
    return {
        **_envelope("batch"),
        "profiles": [_batch_item(item) for item in items],
        "summary": {"profiles": len(items), "estimated": len(items) - failed, "failed": failed},
    }


def _batch_item(item: BatchItem) -> dict[str, Any]:
    report = item.report
    if report is None:
        errors = [problem_dict(problem) for problem in item.problems]
        if item.error:
            errors.append(
                {
                    "line": None,
                    "column": None,
                    "key": "",
                    "message": item.error,
                    "text": f"{item.file}: {item.error}",
                }
            )
        return {"file": item.file, "status": "error", "errors": errors}
    totals = report.totals
    return {
        "file": item.file,
        "status": "ok",
        "name": report.provenance.profile_name,
        "sha256": report.provenance.profile_sha256,
        "currency": report.currency,
        "samples": report.samples,
        "seed": report.seed,
        "horizon_months": report.horizon_months,
        "net": report.stats(totals.net),
        "annual": report.stats(totals.annual),
        "cost_of_delay_per_month": report.stats(totals.cost_of_delay_per_month),
        "probability_net_positive": round(totals.probability_net_positive, 6),
        "warnings": list(report.warnings),
    }


def diff(comparison: Diff, verdict: Gate | None) -> dict[str, Any]:
    """The diff: every lever and total's P50 before and after."""
    return {
        **_envelope("diff"),
        "old": _side(comparison.old),
        "new": _side(comparison.new),
        "levers": [_change(change) for change in comparison.levers],
        "totals": [_change(change) for change in comparison.totals],
        "probability_net_positive": _change(comparison.probability_net_positive, cents=False),
        "gate": None
        if verdict is None
        else {
            "threshold": verdict.threshold,
            "relative_change": _ratio(verdict.relative),
            "tripped": verdict.tripped,
        },
        "warnings": list(comparison.warnings),
    }


def _side(report: Report) -> dict[str, Any]:
    provenance = report.provenance
    return {
        "profile": provenance.profile(),
        "tool_version": provenance.tool_version,
        "benchmarks_version": provenance.benchmarks_version,
        "samples": report.samples,
        "seed": report.seed,
        "horizon_months": report.horizon_months,
        "currency": report.currency,
    }


def _change(change: Change, *, cents: bool = True) -> dict[str, Any]:
    def amount(value: float | None) -> float | None:
        if value is None:
            return None
        return money(value) if cents else round(value, 6)

    return {
        "id": change.id,
        "label": change.label,
        "status": change.status,
        "before": amount(change.before),
        "after": amount(change.after),
        "change": amount(change.change),
        "relative_change": _ratio(change.relative),
    }


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def benchmarks(book: Catalogue) -> dict[str, Any]:
    """The catalogue as data."""
    return {
        "benchmarks_version": book.version,
        "sections": {str(number): title for number, title in book.section_titles.items()},
        "levers": [
            {
                "id": lever.id,
                "label": lever.label,
                "uplift": _range(lever.uplift),
                "time_to_value_months": _range(lever.time_to_value_months),
                "group": lever.group,
                "sections": list(lever.sections),
                "source": lever.source,
                "time_to_value_source": lever.time_to_value_source,
            }
            for lever in book.levers.values()
        ],
        "diagnostic_months": _figure(book.diagnostic_months),
        "initial_budget_share": _figure(book.initial_budget_share),
    }


def _range(value: Uncertain) -> dict[str, Any]:
    return {"low": value.low, "high": value.high, "distribution": value.distribution.value}


def _figure(figure: Figure) -> dict[str, Any]:
    return {**_range(figure.value), "sections": list(figure.sections), "source": figure.source}


def validation(items: list[Validation]) -> dict[str, Any]:
    """Every file checked, valid or not, with its problems."""
    return {
        **_envelope("validation"),
        "files": [
            {
                "file": item.file,
                "valid": item.valid,
                "levers": list(item.levers),
                "warnings": list(item.warnings),
                "problems": [problem_dict(problem) for problem in item.problems],
            }
            for item in items
        ],
    }


def explanation(explained: Explanation, provenance: Provenance) -> dict[str, Any]:
    """The audit trail as data."""

    def quantity(item: Quantity) -> dict[str, Any]:
        return {
            "path": item.path,
            "unit": item.unit,
            "p50": item.median,
            **_range(item.value),
            "mode": item.value.mode,
        }

    scenario = explained.scenario
    return {
        **_envelope("explanation"),
        "profile": provenance.profile(),
        "benchmarks_version": provenance.benchmarks_version,
        "settings": {
            "samples": scenario.settings.samples,
            "seed": scenario.settings.seed,
            "horizon_months": scenario.settings.horizon_months,
            "discount_rate": scenario.settings.discount_rate,
            "currency": scenario.currency,
        },
        "levers": [
            {
                "id": lever.id,
                "label": lever.label,
                "formula": symbolic(lever.formula),
                "inputs": [quantity(item) for item in lever.inputs],
                "uplift": {**quantity(lever.uplift), "source": lever.uplift_source},
                "time_to_value_months": {
                    **quantity(lever.time_to_value),
                    "source": lever.time_to_value_source,
                },
                "annual_value_at_p50_inputs": money(lever.annual_value),
            }
            for lever in explained.levers
        ],
        "diagnostic_months": {
            **quantity(explained.diagnostic),
            "source": explained.diagnostic_source,
        },
        "market_share": None
        if not explained.market
        else {
            "formula": symbolic(explained.market_formula),
            "inputs": [quantity(item) for item in explained.market],
        },
        "adoption": {
            "setup_cost_factors": [quantity(item) for item in explained.setup_cost],
            "annual_run_cost": None
            if explained.annual_run_cost is None
            else quantity(explained.annual_run_cost),
        },
    }
