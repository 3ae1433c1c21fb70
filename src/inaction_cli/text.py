"""Helpers that write text for people: shared by messages and renderers, free of the pipeline."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# C0 and C1 control characters (ESC opens a terminal's escape sequences, a newline would split a
# one-line message) and the bidirectional controls that make a terminal show text reordered.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character written as its escape (ESC as `\\x1b`): text from a
    profile, a file name or a result is shown, never obeyed, by the terminal."""
    return _UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode(), text)


def unprintable(text: str) -> str | None:
    """The first control character of `text`, escaped, or None."""
    found = _UNPRINTABLE.search(text)
    return None if found is None else printable(found.group())


def number_text(value: Any) -> str:
    """A number as a person writes it: `45`, `0.45`, `10,000,000`."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int) and abs(value) >= 10_000:
        return f"{value:,}"
    return str(value)


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
