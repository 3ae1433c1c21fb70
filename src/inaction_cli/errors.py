"""The one error users see for bad input: a list of located problems."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    source: str
    message: str
    key: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}:{self.column}"
        line = f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
        return printable(line)

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, then position."""
        return (self.source, self.line or 0, self.column or 0, self.key)


class InputError(Exception):
    """Bad input: one or more problems, each worth one line to the user (exit code 2)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @classmethod
    def single(cls, source: str, message: str, **where: int | str | None) -> InputError:
        """An error with one problem."""
        return cls([Problem(source, message, **where)])  # type: ignore[arg-type]
