"""Numbers, money and percentages as a locale writes them (`1 707 146 €` in French), by Babel.

Part of the board pack: imported only by `inaction report`, which needs the `report` extra.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    format_percent,
)

MISSING = "—"


def _one_decimal(pattern: str) -> str:
    """A percent pattern with one decimal: `#,##0 %` → `#,##0.0 %`."""
    last = pattern.rfind("0")
    return pattern if last < 0 else pattern[: last + 1] + ".0" + pattern[last + 1 :]


@dataclass(frozen=True)
class Numbers:
    """The formats of one locale and one currency."""

    locale: str
    currency: str

    @property
    def language(self) -> str:
        """The page's `lang`: `fr`, `de`, `en`."""
        return Locale.parse(self.locale).language

    def money(self, value: float | None) -> str:
        """`€1,707,146` or `1 707 146 €`: to the unit."""
        if value is None:
            return MISSING
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern
        whole = pattern.split(";")[0].replace(".00", "")
        return format_currency(
            round(value) + 0, self.currency, format=whole, currency_digits=False, locale=self.locale
        )

    def compact(self, value: float | None) -> str:
        """`€1.71M` or `1,71 M €`: three significant digits."""
        if value is None:
            return MISSING
        size = abs(value)
        digits = 0 if size < 1000 else 2 if size < 10_000 or 1e6 <= size < 1e7 else 1
        if 1e5 <= size < 1e6 or 1e8 <= size < 1e9:
            digits = 0
        text = format_compact_currency(
            value, self.currency, locale=self.locale, fraction_digits=digits
        )
        symbol = Locale.parse(self.locale).currency_symbols.get(self.currency, self.currency)
        if size >= 1000 and not any(char.isalpha() for char in text.replace(symbol, "")):
            return self.money(value)  # the locale abbreviates no thousands (German): in full
        return text

    def percent(self, value: float | None) -> str:
        """`69.8%` or `69,8 %`."""
        if value is None:
            return MISSING
        pattern = Locale.parse(self.locale).percent_formats[None].pattern
        return format_percent(value, _one_decimal(pattern), locale=self.locale)

    def number(self, value: float | None, digits: int = 2) -> str:
        """A plain number with the locale's separators."""
        if value is None:
            return MISSING
        return format_decimal(round(value, digits), locale=self.locale)

    def excel_money(self) -> str:
        """An Excel number format for the currency, placed as the locale places it
        (Excel takes the separators from the reader's own settings)."""
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern.split(";")[0]
        symbol = Locale.parse(self.locale).currency_symbols.get(self.currency, self.currency)
        quoted = '"' + symbol.replace('"', "") + '"'
        core = "#,##0"
        if pattern.strip().startswith("¤"):
            spaced = " " if pattern.strip()[1:2].isspace() else ""
            return f"{quoted}{spaced}{core};-{quoted}{spaced}{core}"
        return f"{core}\\ {quoted};-{core}\\ {quoted}"
