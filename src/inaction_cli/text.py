"""Helpers that write text for people: shared by messages and renderers, free of the pipeline."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

# C0 and C1 control characters (ESC opens a terminal's escape sequences, a newline would split a
# one-line message), the bidirectional controls that make a terminal show text reordered, and
# the line and paragraph separators that some terminals and editors break lines at.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

ELLIPSIS = "…"
ECHO_LIMIT = 40
"""Characters of a value or a key echoed in a message: enough to recognise it, on one line."""


def printable(text: str) -> str:
    """`text` with every control character written as its escape (ESC as `\\x1b`): text from a
    profile, a file name or a result is shown, never obeyed, by the terminal."""
    return _UNPRINTABLE.sub(lambda found: _escape(found.group()), text)


def unprintable(text: str) -> str | None:
    """The first control character of `text`, escaped, or None."""
    found = _UNPRINTABLE.search(text)
    return None if found is None else printable(found.group())


def visible(text: str) -> str:
    """`text` as a message shows it: every character a reader cannot see, or that would move
    the text around it, written as its escape (`\\u200b`, `\\u202e`, `\\xa0`): controls,
    zero-width and bidirectional characters, spaces other than the plain one, unassigned code
    points. A key that differs from another by an invisible character then looks different."""
    if text.isprintable():
        return text
    return "".join(
        character if character.isprintable() else _escape(character) for character in text
    )


def _escape(character: str) -> str:
    return character.encode("unicode_escape").decode("ascii")


def quoted(text: str, limit: int = ECHO_LIMIT) -> str:
    """`text` in quotes as Python's repr writes it, invisible characters escaped, cut after
    `limit` characters with an ellipsis and its length: `'aaaa…' (5,000 characters)`."""
    quote = '"' if "'" in text and '"' not in text else "'"
    pieces: list[str] = []
    size = 0
    for character in text:
        if character in ("\\", quote):
            piece = "\\" + character
        elif character.isprintable():
            piece = character
        else:
            piece = _escape(character)
        if size + len(piece) > limit:
            return f"{quote}{''.join(pieces)}{ELLIPSIS}{quote} ({len(text):,} characters)"
        pieces.append(piece)
        size += len(piece)
    return f"{quote}{''.join(pieces)}{quote}"


def cut(text: str, limit: int = ECHO_LIMIT) -> str:
    """`text` (already fit to show) cut after `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def number_text(value: Any) -> str:
    """A number as a person writes it: `45`, `0.45`, `10,000,000`, `10^15`; an integer of
    hundreds of digits by its size (`1000000000… (401 digits: too large)`)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) and value.bit_length() > 130:  # beyond 10^39: no one's figure
        return _huge_integer(value)
    if isinstance(value, float) and value.is_integer():
        if abs(value) < 1e15:
            value = int(value)
        else:
            return _power_of_ten(value) or f"{value:.6g}"
    if isinstance(value, int) and abs(value) >= 10_000:
        return _power_of_ten(value) or f"{value:,}"
    return str(value)


def _power_of_ten(value: float) -> str | None:
    """`10^15` for 1e15, from 10^12 up, where commas stop helping a reader; else None."""
    size = abs(value)
    if size < 1e12:
        return None
    exponent = round(math.log10(size))
    if size != 10**exponent:
        return None
    return f"{'-' if value < 0 else ''}10^{exponent}"


def _huge_integer(value: int) -> str:
    try:
        digits = str(abs(value))
    except ValueError:  # past Python's limit on converting integers to text
        count = int(value.bit_length() * math.log10(2)) + 1
        return f"a number of about {count:,} digits (too large)"
    sign = "-" if value < 0 else ""
    return f"{sign}{digits[:12]}{ELLIPSIS} ({len(digits):,} digits: too large)"


def echoed_number(text: str, *, verdict: bool = True) -> str:
    """A number as the file wrote it, cut when it runs to hundreds of characters (`verdict`:
    saying that it is too large)."""
    if len(text) <= ECHO_LIMIT:
        return text
    digits = text.lstrip("+-")
    if digits.isdigit():
        too_large = ": too large" if verdict else ""
        return f"{text[:12]}{ELLIPSIS} ({len(digits):,} digits{too_large})"
    return f"{text[:12]}{ELLIPSIS} ({len(text):,} characters)"


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z_.0-9]*)\}")


def fill(formula: str, values: Mapping[str, str]) -> str:
    """A formula with each `{placeholder}` replaced by its entry in `values`."""
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], formula)


def symbolic(formula: str) -> str:
    """A formula in words: each input by its name, the uplift as u."""
    return _PLACEHOLDER.sub(lambda match: match.group(1).rsplit(".", 1)[-1], formula)


def placeholders(formula: str) -> list[str]:
    """The names a formula puts numbers in for, in order of first appearance."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(formula)))


def section_label(sections: tuple[int, ...]) -> str:
    """`article §2` or `article §1, §2, §3`."""
    return "article " + ", ".join(f"§{number}" for number in sections)


def months(count: int) -> str:
    """`1 month`, `36 months`."""
    return f"{count} month" if count == 1 else f"{count} months"
