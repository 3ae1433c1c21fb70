"""Hypothesis strategies: valid profiles of every shape."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

MONEY, COUNT, SHARE, RATIO = "money", "count", "share", "ratio"

SECTIONS: dict[str, dict[str, str]] = {
    "operations": {"headcount": COUNT, "loaded_cost_per_fte": MONEY},
    "acquisition": {"new_customers_per_year": COUNT, "cac": MONEY, "targeted_share": SHARE},
    "email": {"annual_revenue": MONEY},
    "advertising": {"programmatic_spend": MONEY, "roas": RATIO},
    "sales": {
        "qualified_meetings_per_year": COUNT,
        "close_rate": SHARE,
        "average_deal_value": MONEY,
    },
    "leads": {"leads_per_year": COUNT, "cpl": MONEY},
    "retention": {
        "new_customers_per_year": COUNT,
        "retention_90d": SHARE,
        "annual_revenue_per_customer": MONEY,
    },
    "ecommerce": {"orders_per_year": COUNT, "return_rate": SHARE, "cost_per_return": MONEY},
}
# One section of each mechanism group at most, or the profile is invalid.
GROUPS = [("acquisition", "sales"), ("advertising", "leads"), ("email", "retention")]
UNGROUPED = ["operations", "ecommerce"]

TOP = {MONEY: 1e7, COUNT: 1e5, SHARE: 1.0, RATIO: 10.0}


@st.composite
def quantity(draw: st.DrawFn, kind: str) -> Any:
    """A plain number or a uniform range within the bounds of its kind."""
    top = TOP[kind]
    value = st.floats(0, top, allow_nan=False, allow_infinity=False)
    if draw(st.booleans()):
        return draw(value)
    low, high = sorted((draw(value), draw(value)))
    return {"low": low, "high": high}


@st.composite
def profiles(draw: st.DrawFn, samples: int = 200) -> dict[str, Any]:
    """A valid profile: some levers, shared finance figures, maybe costs and erosion."""
    sections = [name for name in UNGROUPED if draw(st.booleans())]
    for group in GROUPS:
        chosen = draw(st.sampled_from([None, *group]))
        if chosen is not None:
            sections.append(chosen)
    profile: dict[str, Any] = {
        "analysis": {
            "samples": samples,
            "seed": draw(st.integers(0, 2**32)),
            "horizon_months": draw(st.integers(1, 60)),
            "discount_rate": draw(st.sampled_from([0.0, 0.05, 0.08, 0.3])),
        },
        "finance": {
            "annual_revenue": draw(quantity(MONEY)),
            "gross_margin": draw(quantity(SHARE)),
        },
    }
    for section in sections:
        profile[section] = {
            field: draw(quantity(kind)) for field, kind in SECTIONS[section].items()
        }
    if draw(st.booleans()):
        profile["market"] = {"erosion_per_year": draw(quantity(SHARE))}
    adoption = draw(st.sampled_from(["none", "explicit", "dev_budget"]))
    if adoption == "explicit":
        profile["adoption"] = {
            "setup_cost": draw(quantity(MONEY)),
            "annual_run_cost": draw(quantity(MONEY)),
        }
    elif adoption == "dev_budget":
        profile["finance"]["dev_budget"] = draw(quantity(MONEY))
    return profile


def money_paths(profile: dict[str, Any]) -> list[tuple[str, str]]:
    """The (section, field) of every money input that feeds a lever's value."""
    return [
        (section, field)
        for section, fields in SECTIONS.items()
        if section in profile
        for field, kind in fields.items()
        if kind == MONEY
    ]


def scaled(quantity_value: Any, factor: float) -> Any:
    """A number or range multiplied by a factor."""
    if isinstance(quantity_value, dict):
        return {key: value * factor for key, value in quantity_value.items()}
    return quantity_value * factor
