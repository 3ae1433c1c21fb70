"""The one error users see for bad input: a list of located problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from inaction_cli.text import cut, visible

KEY_LIMIT = 120
"""Characters of a key path shown in a message: a key of thousands is cut."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    `path` names the file (`<stdin>` for standard input, `<mapping>` for a profile given to
    the Python API as data); `key` is the dotted key path inside it, such as `finance.gross_margin`.
    """

    path: str
    message: str
    key: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}:{self.column}"
        key = cut(self.key, KEY_LIMIT)
        line = f"{where}: {key}: {self.message}" if key else f"{where}: {self.message}"
        # Escaped, invisible characters included: a key with a zero-width space in it must not
        # look like the key it is not.
        return visible(line)

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, then position."""
        return (self.path, self.line or 0, self.column or 0, self.key)


class InputError(Exception):
    """Bad input: one or more problems, each worth one line to the user (exit code 2)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @classmethod
    def single(
        cls,
        path: str,
        message: str,
        *,
        key: str = "",
        line: int | None = None,
        column: int | None = None,
    ) -> InputError:
        """An error with one problem."""
        return cls([Problem(path, message, key, line, column)])
