"""The one error users see for bad input: a list of located problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"

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
