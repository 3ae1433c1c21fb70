"""Every value the tool reports, and its JSON form (DESIGN.md, "Machine output").

The one home of outputs: the pipeline builds these values, the renderers draw them, and
nothing here computes a figure. Each value with a machine form has `to_dict()`: the data of
its `--format json`, with sorted keys once dumped, money in cents and ratios to six decimals.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from inaction_cli import TOOL_NAME, __version__
from inaction_cli.distributions import Uncertain
from inaction_cli.errors import Problem
from inaction_cli.text import number_text, section_label, symbolic

__all__ = ["Problem"]

RESULT_SCHEMA_VERSION = "1.2"
"""1.1 added `precision`, and `sensitivity` and `histogram` when asked for; 1.2 the evidence
grade, lag and realisation of each lever's benchmark, `as_claimed`, `risk`, `decision`,
`timeline` and `settings.delays`."""

MEDIAN = 50.0
DEFAULT_DELAYS = (0, 1, 3, 6, 12)
"""Start delays whose net and cost of waiting are reported (DESIGN.md, "Delays")."""
NO_LAG = Uncertain.point(0.0)
IN_FULL = Uncertain.point(1.0)
DEFAULT_PERCENTILES = (5.0, 50.0, 95.0)


def percentile_key(percentile: float) -> str:
    """`p5`, `p50`, `p97.5`: the JSON key of a percentile."""
    return f"p{percentile:g}"


def percentile_collision(percentiles: Sequence[float]) -> str | None:
    """Why percentiles cannot be reported side by side: two that are written alike as keys
    (12.34561 and 12.34562 are both `p12.3456`); None when each has a key of its own."""
    seen: dict[str, float] = {}
    for percentile in percentiles:
        key = percentile_key(percentile)
        if key in seen and seen[key] != percentile:
            return (
                f"{number_text(seen[key])} and {number_text(percentile)} are the same "
                f"percentile once written ({key}): give percentiles at most 6 significant digits"
            )
        seen[key] = percentile
    return None


def dump_json(data: Any) -> str:
    """JSON as every machine output writes it: sorted keys, two-space indent, UTF-8; strict
    RFC 8259, never NaN or Infinity (a bug would stop here rather than write them)."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def dump_json_line(data: Any) -> str:
    """One JSON object on one line (JSON Lines): sorted keys, no spaces, UTF-8."""
    return (
        json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        + "\n"
    )


def money(value: float) -> float:
    """Money in machine output: rounded to cents, and never `-0.0`."""
    return round(value, 2) + 0.0


def ratio(value: float | None) -> float | None:
    """A ratio or a probability in machine output: six decimals."""
    return None if value is None else round(value, 6) + 0.0


def _ratio(value: float) -> float:
    return round(value, 6) + 0.0


def _tidy(number: float) -> float:
    """A quantile without the float noise of its arithmetic: 0.32999999999999996 → 0.33."""
    return float(f"{number:.12g}")


def _plain(number: float) -> float | int:
    return int(number) if float(number).is_integer() else number


def _envelope(kind: str) -> dict[str, Any]:
    """What every machine output but an estimate's starts with."""
    return {
        "schema_version": RESULT_SCHEMA_VERSION,
        "kind": kind,
        "tool": {"name": TOOL_NAME, "version": __version__},
    }


def _range(value: Uncertain) -> dict[str, Any]:
    return {"low": value.low, "high": value.high, "distribution": value.distribution.value}


# --- one estimate ------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """The statistics of one output: mean and the requested percentiles, in order."""

    mean: float
    percentiles: tuple[float, ...]


@dataclass(frozen=True)
class Settings:
    """How a run samples and what it reports: one value, from the profile and the flags."""

    samples: int
    seed: int
    horizon_months: int
    discount_rate: float
    percentiles: tuple[float, ...] = DEFAULT_PERCENTILES
    currency: str = "EUR"
    delays: tuple[int, ...] = DEFAULT_DELAYS
    """Start delays, in months, whose net and cost of waiting are reported."""

    def to_dict(self) -> dict[str, Any]:
        """The `settings` object of a result."""
        return {
            "samples": self.samples,
            "seed": self.seed,
            "horizon_months": self.horizon_months,
            "discount_rate": self.discount_rate,
            "percentiles": [_plain(percentile) for percentile in self.percentiles],
            "currency": self.currency,
            "delays": list(self.delays),
        }


@dataclass(frozen=True)
class Provenance:
    """Where a result comes from: enough to reproduce it and to audit it."""

    tool_version: str
    profile_name: str
    profile_path: str
    profile_sha256: str
    benchmarks_version: str

    def profile(self) -> dict[str, str]:
        """The `profile` object of every machine output: name, path and sha256."""
        return {
            "name": self.profile_name,
            "path": self.profile_path,
            "sha256": self.profile_sha256,
        }


@dataclass(frozen=True)
class Benchmark:
    """A lever's benchmark as applied: the catalogue's, the profile's override, or the figure
    of a custom lever."""

    uplift: Uncertain
    time_to_value_months: Uncertain
    source: str
    overridden: bool
    evidence: str
    starts_after_months: Uncertain = NO_LAG
    realisation: Uncertain = IN_FULL

    def to_dict(self) -> dict[str, Any]:
        """The `benchmark` object of a lever."""
        return {
            "evidence": self.evidence,
            "starts_after_months": {
                **_range(self.starts_after_months),
                "mode": self.starts_after_months.mode,
            },
            "realisation": {**_range(self.realisation), "mode": self.realisation.mode},
            **_range(self.uplift),
            "mode": self.uplift.mode,
            "time_to_value_months": {
                **_range(self.time_to_value_months),
                "mode": self.time_to_value_months.mode,
            },
            "source": self.source,
            "overridden": self.overridden,
        }


@dataclass(frozen=True)
class LeverReport:
    """One lever's line of the report: risk-adjusted, S × ρ × V."""

    id: str
    label: str
    annual: Summary
    horizon: Summary
    benchmark: Benchmark
    custom: bool = False


@dataclass(frozen=True)
class AsClaimed:
    """The net as the article claims it: every pilot succeeds, every gain is realised, no
    overrun (S = 1, ρ = 1, Ω = 1), on the same samples."""

    net: Summary
    probability_net_positive: float


@dataclass(frozen=True)
class RiskSummary:
    """What the risk section does to the figure: the chance and the cost of a failed pilot."""

    given: bool
    """Whether the profile has a `risk:` section."""
    success_probability: float
    """The mean chance that the pilot succeeds."""
    pilot_months: int
    probability_pilot_fails: float
    """The share of the samples whose pilot fails."""
    failed_pilot_cost: Summary
    """The discounted cost of a failed pilot (its months of costs, no benefit)."""

    def to_dict(self, report: Report) -> dict[str, Any]:
        """The `risk` object of a result."""
        return {
            "given": self.given,
            "success_probability": ratio(self.success_probability),
            "pilot_months": self.pilot_months,
            "probability_pilot_fails": ratio(self.probability_pilot_fails),
            "failed_pilot_cost": report.stats(self.failed_pilot_cost),
        }


@dataclass(frozen=True)
class Totals:
    """The bottom lines."""

    annual: Summary
    gross: Summary
    adoption_cost: Summary
    market_share: Summary
    net: Summary
    cost_of_delay_per_month: Summary
    probability_net_positive: float
    market_share_estimated: bool = True
    """False when the profile has no `market:` section (the row then reads "not estimated")."""


@dataclass(frozen=True)
class Payback:
    """The first month the cumulative discounted net is ≥ 0 after a cost has been paid."""

    percentiles: tuple[float | None, ...]
    """Per requested percentile (inverted CDF); None: beyond the horizon."""
    probability_within_horizon: float


@dataclass(frozen=True)
class YearFlow:
    """One year of the horizon, undiscounted: what adopting brings, costs and nets."""

    year: int
    months: int
    benefits: Summary
    costs: Summary
    net: Summary


@dataclass(frozen=True)
class DelayOutcome:
    """Adoption started `months` later: its net, and what the wait costs against acting now."""

    months: int
    net: Summary
    cost_of_waiting: Summary


@dataclass(frozen=True)
class Priority:
    """One lever's place in the order to adopt (Reinertsen's CD3: cost of delay ÷ duration)."""

    id: str
    label: str
    cost_of_delay_per_month: Summary
    months_to_full_effect: Summary
    cd3: Summary


@dataclass(frozen=True)
class InputValue:
    """What knowing one input for sure is worth before deciding (EVPPI)."""

    input: str
    label: str
    evppi: float


@dataclass(frozen=True)
class ValueOfInformation:
    """Hubbard's value of information: what to measure before committing."""

    evpi: float
    """The expected value of perfect information about everything."""
    inputs: tuple[InputValue, ...]
    """Each uncertain input's EVPPI, highest first."""
    worth_measuring: bool = True
    """False when the EVPI is small against the net: the decision is clear."""


@dataclass(frozen=True)
class Decision:
    """The figures a board decides on, from the same samples as the net."""

    break_even_success_probability: float | None
    """Adopting beats waiting in expectation while the chance of success is above this."""
    roi: Summary | None
    payback_month: Payback | None
    cash_flow_by_year: tuple[YearFlow, ...]
    delays: tuple[DelayOutcome, ...]
    priority: tuple[Priority, ...]
    """Highest CD3 first."""
    value_of_information: ValueOfInformation


@dataclass(frozen=True)
class Precision:
    """The Monte Carlo error of the net: one standard error of its mean and of its P50."""

    net_mean_standard_error: float
    net_p50_standard_error: float
    net_p50: float
    net_band_width: float
    """P95 − P5 of the net: with |P50|, the scale the error is judged on."""


@dataclass(frozen=True)
class InputSensitivity:
    """How much one uncertain input moves the net P50."""

    path: str
    label: str
    low: float
    """The input's own P10."""
    high: float
    """The input's own P90."""
    net_at_low: float
    """The net P50 with this input held at its P10, every other input still random."""
    net_at_high: float
    rank_correlation: float | None
    """Spearman correlation between the input's samples and the net's (None: constant)."""
    unit: str = "number"
    swing: float = 0.0
    """How far the net P50 moves between the input's P10 and P90."""


@dataclass(frozen=True)
class Sensitivity:
    """A tornado of the net P50, largest swing first."""

    net_p50: float
    inputs: tuple[InputSensitivity, ...]
    largest_swing: float = 0.0
    """The swing every bar is drawn against."""


@dataclass(frozen=True)
class Histogram:
    """The net's distribution in bins, with the requested percentiles marked."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]
    marks: tuple[tuple[float, float, int], ...]
    """(percentile, value, index of the bin it falls in)."""
    open_ends: bool
    """Whether samples beyond P0.5 and P99.5 were counted in the first and last bins."""
    largest_count: int = 0
    """The count every bar is drawn against."""


@dataclass(frozen=True)
class Report:
    """Everything one estimate says."""

    provenance: Provenance
    settings: Settings
    levers: tuple[LeverReport, ...]
    totals: Totals
    warnings: tuple[str, ...]
    as_claimed: AsClaimed | None = None
    risk: RiskSummary | None = None
    decision: Decision | None = None
    timeline: tuple[Summary, ...] = ()
    """The cumulative discounted net at the end of each month 1…H."""
    precision: Precision | None = None
    sensitivity: Sensitivity | None = None
    histogram: Histogram | None = None

    @property
    def currency(self) -> str:
        """The currency of every amount."""
        return self.settings.currency

    def to_json(self) -> str:
        """The machine output: sorted keys, money in cents, the same bytes for the same run."""
        return dump_json(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        """The machine output as plain data: exactly `estimate --format json`."""
        provenance = self.provenance
        totals = self.totals
        return {
            "schema_version": RESULT_SCHEMA_VERSION,
            "tool": {"name": TOOL_NAME, "version": provenance.tool_version},
            "profile": provenance.profile(),
            "settings": self.settings.to_dict(),
            "benchmarks_version": provenance.benchmarks_version,
            "levers": [
                {
                    "id": lever.id,
                    "label": lever.label,
                    "annual": self.stats(lever.annual),
                    "horizon": self.stats(lever.horizon),
                    "benchmark": lever.benchmark.to_dict(),
                }
                for lever in self.levers
            ],
            "totals": {
                "annual": self.stats(totals.annual),
                "gross": self.stats(totals.gross),
                "adoption_cost": self.stats(totals.adoption_cost),
                "market_share": self.stats(totals.market_share),
                "net": self.stats(totals.net),
                "cost_of_delay_per_month": self.stats(totals.cost_of_delay_per_month),
                "probability_net_positive": round(totals.probability_net_positive, 6),
            },
            "warnings": list(self.warnings),
            **self._risk(),
            **self._analyses(),
        }

    def _risk(self) -> dict[str, Any]:
        """The figure as claimed beside the risk-adjusted one (format 1.2)."""
        parts: dict[str, Any] = {}
        if self.as_claimed is not None:
            parts["as_claimed"] = {
                "net": self.stats(self.as_claimed.net),
                "probability_net_positive": round(self.as_claimed.probability_net_positive, 6),
            }
        if self.risk is not None:
            parts["risk"] = self.risk.to_dict(self)
        if self.decision is not None:
            parts["decision"] = self._decision(self.decision)
        if self.timeline:
            parts["timeline"] = [
                {"month": month, "cumulative_net": self.stats(summary)}
                for month, summary in enumerate(self.timeline, start=1)
            ]
        return parts

    def _decision(self, decision: Decision) -> dict[str, Any]:
        """The `decision` object: DESIGN.md's decision figures."""
        payback = decision.payback_month
        voi = decision.value_of_information
        return {
            "break_even_success_probability": ratio(decision.break_even_success_probability),
            "roi": None if decision.roi is None else self.stats(decision.roi, ratios=True),
            "payback_month": None
            if payback is None
            else {
                **{
                    percentile_key(percentile): None if month is None else int(month)
                    for percentile, month in zip(
                        self.settings.percentiles, payback.percentiles, strict=True
                    )
                },
                "probability_within_horizon": ratio(payback.probability_within_horizon),
            },
            "cash_flow_by_year": [
                {
                    "year": year.year,
                    "months": year.months,
                    "benefits": self.stats(year.benefits),
                    "costs": self.stats(year.costs),
                    "net": self.stats(year.net),
                }
                for year in decision.cash_flow_by_year
            ],
            "delays": [
                {
                    "months": delay.months,
                    "net": self.stats(delay.net),
                    "cost_of_waiting": self.stats(delay.cost_of_waiting),
                }
                for delay in decision.delays
            ],
            "priority": [
                {
                    "id": item.id,
                    "label": item.label,
                    "cost_of_delay_per_month": self.stats(item.cost_of_delay_per_month),
                    "months_to_full_effect": self.stats(item.months_to_full_effect, ratios=True),
                    "cd3": self.stats(item.cd3),
                }
                for item in decision.priority
            ],
            "value_of_information": {
                "evpi": money(voi.evpi),
                "worth_measuring": voi.worth_measuring,
                "inputs": [
                    {"input": item.input, "label": item.label, "evppi": money(item.evppi)}
                    for item in voi.inputs
                ],
            },
        }

    def _analyses(self) -> dict[str, Any]:
        """The optional parts of the result (format 1.1)."""
        parts: dict[str, Any] = {}
        if self.precision is not None:
            parts["precision"] = {
                "net_mean_standard_error": money(self.precision.net_mean_standard_error),
                "net_p50_standard_error": money(self.precision.net_p50_standard_error),
            }
        if self.sensitivity is not None:
            parts["sensitivity"] = {
                "net_p50": money(self.sensitivity.net_p50),
                "inputs": [
                    {
                        "path": item.path,
                        "label": item.label,
                        "p10": _tidy(item.low),
                        "p90": _tidy(item.high),
                        "net_p50_at_p10": money(item.net_at_low),
                        "net_p50_at_p90": money(item.net_at_high),
                        "swing": money(item.swing),
                        "rank_correlation": None
                        if item.rank_correlation is None
                        else round(item.rank_correlation, 4),
                    }
                    for item in self.sensitivity.inputs
                ],
            }
        if self.histogram is not None:
            parts["histogram"] = {
                "edges": [money(edge) for edge in self.histogram.edges],
                "counts": list(self.histogram.counts),
                "open_ends": self.histogram.open_ends,
            }
        return parts

    def stats(self, summary: Summary, *, ratios: bool = False) -> dict[str, float]:
        """STATS of DESIGN.md: mean and one key per requested percentile, in cents (`ratios`:
        to six decimals)."""
        return _stats(self.settings, summary, ratios=ratios)

    def median(self, summary: Summary) -> float:
        """The P50 of one of this report's summaries (the report must have a P50)."""
        return summary.percentiles[self.settings.percentiles.index(MEDIAN)]

    def decision_figures(self) -> dict[str, tuple[float | None, str]]:
        """The decision figures a diff and a batch row compare, with their units: ROI P50,
        payback month P50 (None: beyond the horizon) and the break-even chance of success;
        empty for a result without a decision (or without a P50)."""
        decision = self.decision
        if decision is None:
            return {}
        return _decision_figures(
            self.settings,
            decision.roi,
            decision.payback_month,
            decision.break_even_success_probability,
        )


def _stats(settings: Settings, summary: Summary, *, ratios: bool = False) -> dict[str, float]:
    """STATS of DESIGN.md: mean and one key per requested percentile, in cents (`ratios`: to
    six decimals)."""
    shown = _ratio if ratios else money
    stats = {"mean": shown(summary.mean)}
    for percentile, value in zip(settings.percentiles, summary.percentiles, strict=True):
        stats[percentile_key(percentile)] = shown(value)
    return stats


def _decision_figures(
    settings: Settings, roi: Summary | None, payback: Payback | None, threshold: float | None
) -> dict[str, tuple[float | None, str]]:
    """ROI P50, payback month P50 and the break-even chance, with their units (empty without a
    P50)."""
    if MEDIAN not in settings.percentiles:
        return {}
    middle = settings.percentiles.index(MEDIAN)
    return {
        "roi": (None if roi is None else roi.percentiles[middle], "ratio"),
        "payback_month": (None if payback is None else payback.percentiles[middle], "month"),
        "break_even_success_probability": (threshold, "share"),
    }


# --- the board pack ----------------------------------------------------------------------


@dataclass(frozen=True)
class BoardPack:
    """What `inaction report` draws: the estimate, with its tornado and the distribution of the
    net, the claimed net's distribution on the same bins, the audit trail and the locale."""

    report: Report
    explanation: Explanation
    claimed_histogram: Histogram | None
    """The as-claimed net on the report's histogram bins, when the profile has a risk section."""
    locale: str = "en"

    def to_dict(self) -> dict[str, Any]:
        """The board pack's data: the estimate's JSON and the audit trail's."""
        return {**self.report.to_dict(), "explanation": self.explanation.to_dict()}


# --- the audit trail ---------------------------------------------------------------------


@dataclass(frozen=True)
class ExplainedInput:
    """One input as the profile gives it, and its P50."""

    path: str
    name: str
    """Its name in the formula (the last part of the path, or `u`)."""
    label: str
    """A person's name for it: `productivity uplift`, `setup share of finance.dev_budget`."""
    value: Uncertain
    median: float
    unit: str

    def to_dict(self) -> dict[str, Any]:
        """An input of the audit trail as data."""
        return {
            "path": self.path,
            "unit": self.unit,
            "p50": self.median,
            **_range(self.value),
            "mode": self.value.mode,
        }


@dataclass(frozen=True)
class LeverExplanation:
    """One lever's audit trail."""

    id: str
    label: str
    formula: str
    """The formula template (`{name}` per input, `{u}` for the uplift)."""
    inputs: tuple[ExplainedInput, ...]
    uplift: ExplainedInput
    uplift_source: str
    time_to_value: ExplainedInput
    time_to_value_source: str
    lag: ExplainedInput
    """L, the months after the diagnostic before the lever starts to ramp."""
    realisation: ExplainedInput
    """ρ, the part of its claimed value that is realised."""
    evidence: str
    annual_value: float
    """V with every input, the uplift included, at its P50."""


@dataclass(frozen=True)
class ExplainedCost:
    """One cost of adopting, with its numbers and the months it is paid in."""

    id: str
    label: str
    factors: tuple[ExplainedInput, ...]
    """Its amount: the product of these (one for an item the profile gives)."""
    monthly: bool
    first: int
    last: int | None
    """Adoption months; None: to the horizon."""
    per_year: bool
    """A yearly amount paid in twelfths (the run cost)."""

    def to_dict(self) -> dict[str, Any]:
        """A cost line as data."""
        return {
            "id": self.id,
            "label": self.label,
            "amount_factors": [item.to_dict() for item in self.factors],
            "kind": "monthly" if self.monthly else "one_off",
            "from_month": self.first,
            "to_month": self.last,
            "per_year": self.per_year,
        }


@dataclass(frozen=True)
class ExplainedRisk:
    """The risk inputs: success, the pilot's length, realisation and overrun."""

    given: bool
    """Whether the profile has a `risk:` section (else every value is the claimed default)."""
    success_probability: ExplainedInput
    pilot_months: int
    realisation: ExplainedInput
    cost_overrun: ExplainedInput

    def to_dict(self) -> dict[str, Any]:
        """The risk inputs as data."""
        return {
            "given": self.given,
            "success_probability": self.success_probability.to_dict(),
            "pilot_months": self.pilot_months,
            "realisation": self.realisation.to_dict(),
            "cost_overrun": self.cost_overrun.to_dict(),
        }


@dataclass(frozen=True)
class Explanation:
    """How a profile's cost of inaction is computed, lever by lever."""

    provenance: Provenance
    settings: Settings
    levers: tuple[LeverExplanation, ...]
    diagnostic: ExplainedInput
    diagnostic_source: str
    market: tuple[ExplainedInput, ...]
    market_formula: str
    costs: tuple[ExplainedCost, ...]
    risk: ExplainedRisk

    def to_dict(self) -> dict[str, Any]:
        """The audit trail as data."""
        settings = self.settings.to_dict()
        del settings["percentiles"]
        return {
            **_envelope("explanation"),
            "profile": self.provenance.profile(),
            "benchmarks_version": self.provenance.benchmarks_version,
            "settings": settings,
            "levers": [
                {
                    "id": lever.id,
                    "label": lever.label,
                    "formula": symbolic(lever.formula),
                    "inputs": [item.to_dict() for item in lever.inputs],
                    "uplift": {**lever.uplift.to_dict(), "source": lever.uplift_source},
                    "time_to_value_months": {
                        **lever.time_to_value.to_dict(),
                        "source": lever.time_to_value_source,
                    },
                    "starts_after_months": lever.lag.to_dict(),
                    "realisation": lever.realisation.to_dict(),
                    "evidence": lever.evidence,
                    "annual_value_at_p50_inputs": money(lever.annual_value),
                }
                for lever in self.levers
            ],
            "diagnostic_months": {**self.diagnostic.to_dict(), "source": self.diagnostic_source},
            "market_share": None
            if not self.market
            else {
                "formula": symbolic(self.market_formula),
                "inputs": [item.to_dict() for item in self.market],
            },
            "adoption": {"costs": [item.to_dict() for item in self.costs]},
            "risk": self.risk.to_dict(),
        }


# --- validate ----------------------------------------------------------------------------


def problem_dict(problem: Problem) -> dict[str, Any]:
    """A problem as data; `text` is the line printed on stderr."""
    return {
        "line": problem.line,
        "column": problem.column,
        "key": problem.key,
        "message": problem.message,
        "text": str(problem),
    }


@dataclass(frozen=True)
class FileValidation:
    """What `validate` found in one file."""

    file: str
    levers: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def valid(self) -> bool:
        """Whether the profile can be estimated."""
        return not self.problems


@dataclass(frozen=True)
class Validation:
    """What `validate` found in every file it was given."""

    files: tuple[FileValidation, ...]

    @property
    def valid(self) -> bool:
        """Whether every profile can be estimated."""
        return all(item.valid for item in self.files)

    def to_dict(self) -> dict[str, Any]:
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
                for item in self.files
            ],
        }


# --- diff --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One line of a diff: a figure before and after."""

    id: str
    label: str
    before: float | None
    """None: the line is not in the old result (an added lever)."""
    after: float | None
    """None: the line is not in the new result (a removed lever)."""
    status: str
    """added, removed, changed or unchanged."""
    change: float | None
    """after − before, counting an absent side as zero."""
    relative: float | None
    """The change as a fraction of |before|; None when before is zero or absent."""
    unit: str = "money"
    """money, share (a probability), ratio (ROI) or month (payback; None: beyond the horizon)."""

    def to_dict(self, *, cents: bool = True) -> dict[str, Any]:
        """A line of the diff as data."""

        def amount(value: float | None) -> float | None:
            if value is None:
                return None
            return money(value) if cents and self.unit == "money" else round(value, 6) + 0.0

        return {
            "id": self.id,
            "label": self.label,
            "status": self.status,
            "before": amount(self.before),
            "after": amount(self.after),
            "change": amount(self.change),
            "relative_change": ratio(self.relative),
        }


@dataclass(frozen=True)
class Gate:
    """`--fail-above`: trips when |relative change of the net P50| is above the threshold."""

    threshold: float
    """As a fraction: 0.05 for 5 %."""
    relative: float | None
    tripped: bool

    def to_dict(self) -> dict[str, Any]:
        """The verdict as data: the limit, the relative change it judged, whether it tripped."""
        return {
            "threshold": self.threshold,
            "relative_change": ratio(self.relative),
            "tripped": self.tripped,
        }


@dataclass(frozen=True)
class Diff:
    """Two results side by side, P50 by P50, and the gate's verdict when one was asked for."""

    old: Report
    new: Report
    levers: tuple[Change, ...]
    totals: tuple[Change, ...]
    probability_net_positive: Change
    warnings: tuple[str, ...]
    gate: Gate | None = None
    decision: tuple[Change, ...] = ()
    """ROI, payback month and break-even success probability, P50 by P50 (results of 1.2)."""
    files: tuple[str, str] = ("", "")
    """The files the diff was given (a result's own `profile.path` may name another)."""

    def to_dict(self) -> dict[str, Any]:
        """The diff: every lever and total's P50 before and after."""
        verdict = self.gate
        return {
            **_envelope("diff"),
            "old": {**_side(self.old), "file": self.files[0]},
            "new": {**_side(self.new), "file": self.files[1]},
            "levers": [change.to_dict() for change in self.levers],
            "totals": [change.to_dict() for change in self.totals],
            "probability_net_positive": self.probability_net_positive.to_dict(cents=False),
            "decision": [change.to_dict() for change in self.decision],
            "gate": None if verdict is None else verdict.to_dict(),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class ScenarioChange:
    """One scenario of a diff of folders: its net P50 before and after, and the whole diff when
    both sides have it; or why it could not be compared."""

    name: str
    """The scenario: the files' common stem."""
    status: str
    """added, removed, changed, unchanged or error."""
    files: tuple[str | None, str | None]
    net: Change | None = None
    """The net P50 before and after; None for an error."""
    currency: str | None = None
    diff: Diff | None = None
    """Every lever and total, when both sides have the scenario."""
    problems: tuple[Problem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """One scenario of a diff of folders as data (its diff without the envelope)."""
        details = None
        if self.diff is not None:
            details = {
                key: value
                for key, value in self.diff.to_dict().items()
                if key not in ("schema_version", "kind", "tool")
            }
        return {
            "scenario": self.name,
            "status": self.status,
            "old_file": self.files[0],
            "new_file": self.files[1],
            "currency": self.currency,
            "net": None if self.net is None else self.net.to_dict(),
            "diff": details,
            "errors": [problem_dict(problem) for problem in self.problems],
        }


@dataclass(frozen=True)
class FolderDiff:
    """Two folders of results or profiles, scenario by scenario (paired by file stem), with
    one gate over all of them."""

    folders: tuple[str, str]
    scenarios: tuple[ScenarioChange, ...]
    gate: Gate | None
    warnings: tuple[str, ...]

    @property
    def failed(self) -> bool:
        """Whether some scenario could not be compared (bad input: exit code 2)."""
        return any(item.status == "error" for item in self.scenarios)

    def to_dict(self) -> dict[str, Any]:
        """The diff of folders: a summary row per scenario, the details of each pair."""
        verdict = self.gate
        counts = {
            status: sum(1 for item in self.scenarios if item.status == status)
            for status in ("added", "removed", "changed", "unchanged", "error")
        }
        return {
            **_envelope("folder_diff"),
            "old": self.folders[0],
            "new": self.folders[1],
            "scenarios": [item.to_dict() for item in self.scenarios],
            "summary": {"scenarios": len(self.scenarios), **counts},
            # `passed`: the gate held for every scenario and none failed to be read (what the
            # verdict line says; `tripped` is the threshold's alone).
            "gate": None
            if verdict is None
            else {**verdict.to_dict(), "passed": not verdict.tripped and not self.failed},
            "warnings": list(self.warnings),
        }


def _side(report: Report) -> dict[str, Any]:
    provenance, settings = report.provenance, report.settings
    return {
        "profile": provenance.profile(),
        "tool_version": provenance.tool_version,
        "benchmarks_version": provenance.benchmarks_version,
        "samples": settings.samples,
        "seed": settings.seed,
        "horizon_months": settings.horizon_months,
        "currency": settings.currency,
    }


# --- batch -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchRow:
    """What a batch row shows of one estimate: the figures of its Report of the same names
    (totals, decision figures, warnings), which a batch computes without the rest."""

    provenance: Provenance
    settings: Settings
    net: Summary
    annual: Summary
    cost_of_delay_per_month: Summary
    probability_net_positive: float
    roi: Summary | None
    """None when some sample has no cost."""
    payback_month: Payback | None
    """None when the profile has no cost."""
    break_even_success_probability: float | None
    warnings: tuple[str, ...]

    @property
    def currency(self) -> str:
        """The currency of every amount."""
        return self.settings.currency

    def stats(self, summary: Summary) -> dict[str, float]:
        """STATS of DESIGN.md, as the report gives them."""
        return _stats(self.settings, summary)

    def decision_figures(self) -> dict[str, tuple[float | None, str]]:
        """ROI P50, payback month P50 and the break-even chance, as `Report.decision_figures`."""
        return _decision_figures(
            self.settings, self.roi, self.payback_month, self.break_even_success_probability
        )


@dataclass(frozen=True)
class BatchItem:
    """One profile of a batch: its row, or what went wrong."""

    file: str
    row: BatchRow | None
    problems: tuple[Problem, ...] = ()
    error: str = ""
    """An internal error's one-line description (a bug, reported without stopping the batch)."""

    @property
    def ok(self) -> bool:
        """Whether the profile was estimated."""
        return self.row is not None

    def to_dict(self) -> dict[str, Any]:
        """One profile of a batch as data."""
        row = self.row
        if row is None:
            errors = [problem_dict(problem) for problem in self.problems]
            if self.error:
                errors.append(
                    {
                        "line": None,
                        "column": None,
                        "key": "",
                        "message": self.error,
                        "text": f"{self.file}: {self.error}",
                    }
                )
            return {"file": self.file, "status": "error", "errors": errors}
        settings = row.settings
        return {
            "file": self.file,
            "status": "ok",
            "name": row.provenance.profile_name,
            "sha256": row.provenance.profile_sha256,
            "currency": settings.currency,
            "samples": settings.samples,
            "seed": settings.seed,
            "horizon_months": settings.horizon_months,
            "net": row.stats(row.net),
            "annual": row.stats(row.annual),
            "cost_of_delay_per_month": row.stats(row.cost_of_delay_per_month),
            "probability_net_positive": round(row.probability_net_positive, 6),
            **{
                key: None if value is None else int(value) if unit == "month" else _ratio(value)
                for key, (value, unit) in row.decision_figures().items()
            },
            "warnings": list(row.warnings),
        }


@dataclass(frozen=True)
class Batch:
    """Every profile of a batch, in the order given, with the percentiles they report."""

    items: tuple[BatchItem, ...]
    percentiles: tuple[float, ...] = DEFAULT_PERCENTILES

    @property
    def failed(self) -> int:
        """How many profiles could not be estimated."""
        return sum(1 for item in self.items if not item.ok)

    def ranked(self) -> list[tuple[int | None, BatchItem]]:
        """The estimated profiles by currency, then by net P50, highest first, each with its
        rank within its currency (amounts in different currencies never rank together); then
        the failures, unranked. Ties keep the order given."""
        position = self.percentiles.index(MEDIAN)

        def order(item: BatchItem) -> tuple[str, float]:
            assert item.row is not None
            return item.row.currency, -item.row.net.percentiles[position]

        done = sorted((item for item in self.items if item.row is not None), key=order)
        ranked: list[tuple[int | None, BatchItem]] = []
        rank, currency = 0, None
        for item in done:
            assert item.row is not None
            rank = rank + 1 if item.row.currency == currency else 1
            currency = item.row.currency
            ranked.append((rank, item))
        return ranked + [(None, item) for item in self.items if item.row is None]

    @property
    def currencies(self) -> tuple[str, ...]:
        """The currencies of the estimated profiles, sorted."""
        return tuple(sorted({item.row.currency for item in self.items if item.row}))

    def to_dict(self) -> dict[str, Any]:
        """Every profile in the order given, estimated or failed, with its rank within its
        currency."""
        count = len(self.items)
        ranks = {id(item): rank for rank, item in self.ranked()}
        return {
            **_envelope("batch"),
            "profiles": [{**item.to_dict(), "rank": ranks[id(item)]} for item in self.items],
            "summary": {"profiles": count, "estimated": count - self.failed, "failed": self.failed},
        }


# --- the catalogue -----------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueLever:
    """One lever of the catalogue, as `inaction benchmarks` lists it."""

    id: str
    label: str
    uplift: Uncertain
    time_to_value_months: Uncertain
    group: str | None
    evidence: str
    sections: tuple[int, ...]
    source: str
    time_to_value_source: str

    @property
    def citation(self) -> str:
        """The source as one line: sections of the article, then the paraphrase."""
        return f"{section_label(self.sections)}: {self.source}"


@dataclass(frozen=True)
class CatalogueFigure:
    """A figure of the time line or the cost side, as `inaction benchmarks` lists it."""

    key: str
    name: str
    what: str
    value: Uncertain
    sections: tuple[int, ...]
    source: str

    @property
    def citation(self) -> str:
        """The source as one line: sections of the article, then the paraphrase."""
        return f"{section_label(self.sections)}: {self.source}"


@dataclass(frozen=True)
class CatalogueListing:
    """The benchmark catalogue: every default figure and where the article gives it."""

    version: str
    section_titles: dict[int, str]
    levers: tuple[CatalogueLever, ...]
    figures: tuple[CatalogueFigure, ...] = field(default=())
    evidence_grades: dict[str, str] = field(default_factory=dict)
    """Each grade and what it means."""

    def to_dict(self) -> dict[str, Any]:
        """The catalogue as data."""
        return {
            "benchmarks_version": self.version,
            "evidence_grades": dict(self.evidence_grades),
            "sections": {str(number): title for number, title in self.section_titles.items()},
            "levers": [
                {
                    "id": lever.id,
                    "label": lever.label,
                    "uplift": _range(lever.uplift),
                    "time_to_value_months": _range(lever.time_to_value_months),
                    "group": lever.group,
                    "evidence": lever.evidence,
                    "sections": list(lever.sections),
                    "source": lever.source,
                    "time_to_value_source": lever.time_to_value_source,
                }
                for lever in self.levers
            ],
            **{
                figure.key: {
                    **_range(figure.value),
                    "sections": list(figure.sections),
                    "source": figure.source,
                }
                for figure in self.figures
            },
        }
