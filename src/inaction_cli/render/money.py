"""How amounts, shares and percentiles are written for people."""

from __future__ import annotations

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹", "CNY": "¥"}
_symbols = SYMBOLS


def use_currency_codes() -> None:
    """Write amounts with their currency code (`925,178 EUR`), never a symbol: for a terminal
    whose encoding cannot show `€` or `₹`. Set once, before anything is drawn."""
    global _symbols
    _symbols = {}


MISSING = "—"


def format_money(value: float, currency: str, *, signed: bool = False, cents: bool = False) -> str:
    """`€1,234,567` or `1,234,567 CHF`, to the whole unit (`cents`: `€13.50`); `signed` adds
    `+` to gains."""
    digits = f"{abs(value):,.2f}" if cents else f"{abs(value):,.0f}"
    nonzero = bool(digits.strip("0,"))
    sign = ("-" if value < 0 else "+" if signed else "") if nonzero else ""
    symbol = _symbols.get(currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency}"


def format_compact(value: float, currency: str) -> str:
    """`€1.71M`, `€843k`, `€950`: three significant digits, for narrow overview tables."""
    size = abs(value)
    scaled, suffix = f"{size:.0f}", ""
    for limit, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= limit * 0.9995:  # what would round up to 1000 of the unit below
            scaled, suffix = f"{size / limit:.3g}", unit
            break
    if "e" in scaled:  # a thousand trillion and more: plain powers of ten (€1.33e+20)
        scaled, suffix = f"{size:.3g}", ""
    sign = "-" if value < 0 and scaled.strip("0.") else ""
    symbol = _symbols.get(currency)
    return f"{sign}{symbol}{scaled}{suffix}" if symbol else f"{sign}{scaled}{suffix} {currency}"


def format_share(value: float) -> str:
    """`97.3 %`."""
    return f"{value:.1%}".replace("%", " %")


def format_change(value: float | None, decimals: int = 1) -> str:
    """A relative change: `+2.5 %`, `-0.4 %`, or a dash when it has no meaning."""
    if value is None:
        return MISSING
    if abs(value) >= 1e4:  # a million per cent and more: digits past reading (+1.83e+306 %)
        return f"{value * 100:+.3g} %"
    text = f"{value:+.{decimals}%}".replace("%", " %")
    return text[1:] if text[1:].strip("0.") == " %" else text


def format_threshold(threshold: float) -> str:
    """A gate's limit (a fraction) as a person wrote it: `5 %`, `2.5 %`, `0.05 %`."""
    text = f"{threshold * 100:.6f}".rstrip("0").rstrip(".")
    return f"{text} %"


def format_points(value: float | None) -> str:
    """A change of a probability, in percentage points: `+1.2 pt`."""
    if value is None:
        return MISSING
    text = f"{value * 100:+.1f} pt"
    return text[1:] if text[1:] == "0.0 pt" else text


def percentile_label(percentile: float) -> str:
    """`P5`, `P50`, `P97.5`."""
    return f"P{percentile:g}"
