"""A run's report: what every renderer draws, and its stable JSON form (DESIGN.md,
"Machine output")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from inaction_cli import TOOL_NAME
from inaction_cli.distributions import Uncertain
from inaction_cli.engine import Summary

if TYPE_CHECKING:
    from inaction_cli.analysis import Histogram, Precision, Sensitivity

RESULT_SCHEMA_VERSION = "1.1"
"""1.1 added `precision`, and `sensitivity` and `histogram` when asked for."""


MEDIAN = 50.0


def percentile_key(percentile: float) -> str:
    """`p5`, `p50`, `p97.5`: the JSON key of a percentile."""
    return f"p{percentile:g}"


def dump_json(data: Any) -> str:
    """JSON as every machine output writes it: sorted keys, two-space indent, UTF-8."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def money(value: float) -> float:
    """Money in machine output: rounded to cents, and never `-0.0`."""
    return round(value, 2) + 0.0


@dataclass(frozen=True)
class Benchmark:
    """A lever's benchmark as applied: the catalogue's, or the profile's override."""

    uplift: Uncertain
    time_to_value_months: Uncertain
    source: str
    overridden: bool


@dataclass(frozen=True)
class LeverReport:
    """One lever's line of the report."""

    id: str
    label: str
    annual: Summary
    horizon: Summary
    benchmark: Benchmark


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
class Report:
    """Everything one estimate says."""

    provenance: Provenance
    currency: str
    samples: int
    seed: int
    horizon_months: int
    discount_rate: float
    percentiles: tuple[float, ...]
    levers: tuple[LeverReport, ...]
    totals: Totals
    warnings: tuple[str, ...]
    precision: Precision | None = None
    sensitivity: Sensitivity | None = None
    histogram: Histogram | None = None

    def to_json(self) -> str:
        """The machine output: sorted keys, money in cents, the same bytes for the same run."""
        return dump_json(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        """The machine output as plain data."""
        provenance = self.provenance
        return {
            "schema_version": RESULT_SCHEMA_VERSION,
            "tool": {"name": TOOL_NAME, "version": provenance.tool_version},
            "profile": provenance.profile(),
            "settings": {
                "samples": self.samples,
                "seed": self.seed,
                "horizon_months": self.horizon_months,
                "discount_rate": self.discount_rate,
                "percentiles": [_plain(percentile) for percentile in self.percentiles],
                "currency": self.currency,
            },
            "benchmarks_version": provenance.benchmarks_version,
            "levers": [
                {
                    "id": lever.id,
                    "label": lever.label,
                    "annual": self.stats(lever.annual),
                    "horizon": self.stats(lever.horizon),
                    "benchmark": _benchmark(lever.benchmark),
                }
                for lever in self.levers
            ],
            "totals": {
                "annual": self.stats(self.totals.annual),
                "gross": self.stats(self.totals.gross),
                "adoption_cost": self.stats(self.totals.adoption_cost),
                "market_share": self.stats(self.totals.market_share),
                "net": self.stats(self.totals.net),
                "cost_of_delay_per_month": self.stats(self.totals.cost_of_delay_per_month),
                "probability_net_positive": round(self.totals.probability_net_positive, 6),
            },
            "warnings": list(self.warnings),
            **self._analyses(),
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

    def stats(self, summary: Summary) -> dict[str, float]:
        """STATS of DESIGN.md: mean and one key per requested percentile, in cents."""
        stats = {"mean": money(summary.mean)}
        for percentile, value in zip(self.percentiles, summary.percentiles, strict=True):
            stats[percentile_key(percentile)] = money(value)
        return stats


def _tidy(number: float) -> float:
    """A quantile without the float noise of its arithmetic: 0.32999999999999996 → 0.33."""
    return float(f"{number:.12g}")


def _plain(number: float) -> float | int:
    return int(number) if float(number).is_integer() else number


def _range(value: Uncertain) -> dict[str, Any]:
    return {
        "low": value.low,
        "high": value.high,
        "distribution": value.distribution.value,
        "mode": value.mode,
    }


def _benchmark(benchmark: Benchmark) -> dict[str, Any]:
    return {
        **_range(benchmark.uplift),
        "time_to_value_months": _range(benchmark.time_to_value_months),
        "source": benchmark.source,
        "overridden": benchmark.overridden,
    }
