"""The levers of the model: for each, the profile section that turns it on, the inputs it
reads and its annual value at full effect (DESIGN.md, "The model").

Adding a lever means one entry in `benchmarks.yaml`, one section in `profile.py` and one
function here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from inaction_cli.distributions import Values

Inputs = Mapping[str, Values]
"""Sampled inputs by path (`acquisition.cac`); every lever sees the same draw of a path."""

GROSS_MARGIN = "finance.gross_margin"


@dataclass(frozen=True)
class Lever:
    """One lever of the model."""

    id: str
    section: str
    inputs: tuple[str, ...]
    formula: str
    """DESIGN.md's formula, with `{path}` for each input and `{u}` for the uplift."""
    annual_value: Callable[[Inputs, Values], Values]
    max_uplift: float = 100.0
    """A cost cannot fall by more than all of it: cost levers cap their uplift at 1."""

    @property
    def needs_gross_margin(self) -> bool:
        """Whether the lever values revenue at gross margin."""
        return GROSS_MARGIN in self.inputs


def _productivity(x: Inputs, u: Values) -> Values:
    # The same output for fewer hours: a +u productivity frees u / (1 + u) of the payroll.
    return x["operations.headcount"] * x["operations.loaded_cost_per_fte"] * u / (1 + u)


def _cac(x: Inputs, u: Values) -> Values:
    return (
        x["acquisition.new_customers_per_year"]
        * x["acquisition.cac"]
        * x["acquisition.targeted_share"]
        * u
    )


def _ctr(x: Inputs, u: Values) -> Values:
    # Conversions follow clicks, so e-mail revenue grows with the click-through rate.
    return x["email.annual_revenue"] * u * x[GROSS_MARGIN]


def _roas(x: Inputs, u: Values) -> Values:
    return x["advertising.programmatic_spend"] * x["advertising.roas"] * u * x[GROSS_MARGIN]


def _meetings(x: Inputs, u: Values) -> Values:
    return (
        x["sales.qualified_meetings_per_year"]
        * u
        * x["sales.close_rate"]
        * x["sales.average_deal_value"]
        * x[GROSS_MARGIN]
    )


def _cpl(x: Inputs, u: Values) -> Values:
    return x["leads.leads_per_year"] * x["leads.cpl"] * u


def _retention(x: Inputs, u: Values) -> Values:
    # Retention cannot pass 100 %: the uplift only counts up to that ceiling.
    retention = x["retention.retention_90d"]
    retained_share = np.minimum(retention * (1 + u), 1.0) - retention
    return (
        x["retention.new_customers_per_year"]
        * retained_share
        * x["retention.annual_revenue_per_customer"]
        * x[GROSS_MARGIN]
    )


def _returns(x: Inputs, u: Values) -> Values:
    return (
        x["ecommerce.orders_per_year"]
        * x["ecommerce.return_rate"]
        * u
        * x["ecommerce.cost_per_return"]
    )


LEVERS: dict[str, Lever] = {
    lever.id: lever
    for lever in (
        Lever(
            "productivity",
            "operations",
            ("operations.headcount", "operations.loaded_cost_per_fte"),
            "{operations.headcount} × {operations.loaded_cost_per_fte} × {u} / (1 + {u})",
            _productivity,
        ),
        Lever(
            "cac",
            "acquisition",
            ("acquisition.new_customers_per_year", "acquisition.cac", "acquisition.targeted_share"),
            "{acquisition.new_customers_per_year} × {acquisition.cac}"
            " × {acquisition.targeted_share} × {u}",
            _cac,
            max_uplift=1.0,
        ),
        Lever(
            "ctr",
            "email",
            ("email.annual_revenue", GROSS_MARGIN),
            "{email.annual_revenue} × {u} × {finance.gross_margin}",
            _ctr,
        ),
        Lever(
            "roas",
            "advertising",
            ("advertising.programmatic_spend", "advertising.roas", GROSS_MARGIN),
            "{advertising.programmatic_spend} × {advertising.roas} × {u} × {finance.gross_margin}",
            _roas,
        ),
        Lever(
            "meetings",
            "sales",
            (
                "sales.qualified_meetings_per_year",
                "sales.close_rate",
                "sales.average_deal_value",
                GROSS_MARGIN,
            ),
            "{sales.qualified_meetings_per_year} × {u} × {sales.close_rate}"
            " × {sales.average_deal_value} × {finance.gross_margin}",
            _meetings,
        ),
        Lever(
            "cpl",
            "leads",
            ("leads.leads_per_year", "leads.cpl"),
            "{leads.leads_per_year} × {leads.cpl} × {u}",
            _cpl,
            max_uplift=1.0,
        ),
        Lever(
            "retention",
            "retention",
            (
                "retention.new_customers_per_year",
                "retention.retention_90d",
                "retention.annual_revenue_per_customer",
                GROSS_MARGIN,
            ),
            "{retention.new_customers_per_year} × (min({retention.retention_90d} × (1 + {u}), 1)"
            " − {retention.retention_90d}) × {retention.annual_revenue_per_customer}"
            " × {finance.gross_margin}",
            _retention,
        ),
        Lever(
            "returns",
            "ecommerce",
            ("ecommerce.orders_per_year", "ecommerce.return_rate", "ecommerce.cost_per_return"),
            "{ecommerce.orders_per_year} × {ecommerce.return_rate} × {u}"
            " × {ecommerce.cost_per_return}",
            _returns,
            max_uplift=1.0,
        ),
    )
}

MARKET_SHARE_SECTION = "market"
MARKET_SHARE_INPUTS = ("finance.annual_revenue", GROSS_MARGIN, "market.erosion_per_year")
MARKET_SHARE_FORMULA = (
    "Σ_m {finance.annual_revenue} × {finance.gross_margin} / 12"
    " × (1 − (1 − {market.erosion_per_year})^(m/12)) × d(m)"
)

_PLACEHOLDER = re.compile(r"\{([a-z_.0-9]+)\}")


def fill(formula: str, values: Mapping[str, str]) -> str:
    """A formula with each `{placeholder}` replaced by its entry in `values`."""
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], formula)


def symbolic(formula: str) -> str:
    """A formula in words: each input by its field name, the uplift as u."""
    return _PLACEHOLDER.sub(lambda match: match.group(1).rsplit(".", 1)[-1], formula)
