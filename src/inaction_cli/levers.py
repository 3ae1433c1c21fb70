"""Each catalogue lever's annual value at full effect, V (DESIGN.md, "The model").

One small numpy function per lever, registered under the lever's id; its parameters are named
after the lever's inputs in `catalogue.yaml` (the last part of each path) and `u`, the uplift.
The catalogue checks the names when it is read. Every argument is an array of samples or a
plain float, so each function works on both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from inaction_cli.distributions import Values

FUNCTIONS: dict[str, Callable[..., Values]] = {}
CAPS: dict[str, Callable[..., Any]] = {}
"""For a lever with a cap: True in the samples where the cap binds."""


def lever(lever_id: str) -> Callable[[Callable[..., Values]], Callable[..., Values]]:
    """Register a function as the annual value of the catalogue lever `lever_id`."""

    def register(function: Callable[..., Values]) -> Callable[..., Values]:
        FUNCTIONS[lever_id] = function
        return function

    return register


def cap(lever_id: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the test of where a lever's cap binds (it takes the lever's inputs by name)."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        CAPS[lever_id] = function
        return function

    return register


@lever("productivity")
def productivity(
    headcount: Values, affected_share: Values, loaded_cost_per_fte: Values, u: Values
) -> Values:
    # The same output for fewer hours: a +u productivity frees u / (1 + u) of the payroll.
    return headcount * affected_share * loaded_cost_per_fte * u / (1 + u)


@lever("cac")
def cac(new_customers_per_year: Values, cac: Values, targeted_share: Values, u: Values) -> Values:
    return new_customers_per_year * cac * targeted_share * u


@lever("ctr")
def ctr(annual_revenue: Values, gross_margin: Values, u: Values) -> Values:
    # Conversions follow clicks, so e-mail revenue grows with the click-through rate.
    return annual_revenue * u * gross_margin


@lever("roas")
def roas(programmatic_spend: Values, roas: Values, gross_margin: Values, u: Values) -> Values:
    return programmatic_spend * roas * u * gross_margin


@lever("meetings")
def meetings(
    qualified_meetings_per_year: Values,
    close_rate: Values,
    average_deal_value: Values,
    gross_margin: Values,
    u: Values,
) -> Values:
    return qualified_meetings_per_year * u * close_rate * average_deal_value * gross_margin


@lever("cpl")
def cpl(leads_per_year: Values, cpl: Values, u: Values) -> Values:
    return leads_per_year * cpl * u


@lever("retention")
def retention(
    new_customers_per_year: Values,
    retention_90d: Values,
    annual_revenue_per_customer: Values,
    gross_margin: Values,
    u: Values,
) -> Values:
    # Retention cannot pass 100 %: the uplift only counts up to that ceiling.
    retained_share = np.minimum(retention_90d * (1 + u), 1.0) - retention_90d
    return new_customers_per_year * retained_share * annual_revenue_per_customer * gross_margin


@cap("retention")
def retention_capped(retention_90d: Values, u: Values, **_: Values) -> Any:
    # The samples whose uplift would lift retention past 100 %, where the min above binds.
    return retention_90d * (1 + u) > 1.0


@lever("returns")
def returns(
    orders_per_year: Values, return_rate: Values, cost_per_return: Values, u: Values
) -> Values:
    return orders_per_year * return_rate * u * cost_per_return


def custom(factors: tuple[Values, ...], u: Values, gross_margin: Values | None) -> Values:
    """A custom lever: Π factors × u, valued at gross margin when it brings revenue."""
    value: Values = 1.0
    for factor in factors:
        value = value * factor
    value = value * u
    return value if gross_margin is None else value * gross_margin
