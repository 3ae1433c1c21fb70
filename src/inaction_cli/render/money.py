"""How amounts, shares and percentiles are written for people."""

from __future__ import annotations

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹", "CNY": "¥"}


def format_money(value: float, currency: str) -> str:
    """`€1,234,567` or `1,234,567 CHF`, to the whole unit, with a sign when negative."""
    digits = f"{abs(value):,.0f}"
    sign = "-" if value < 0 and digits.strip("0,") else ""
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency}"


def format_share(value: float) -> str:
    """`97.3 %`."""
    return f"{value:.1%}".replace("%", " %")


def percentile_label(percentile: float) -> str:
    """`P5`, `P50`, `P97.5`."""
    return f"P{percentile:g}"
