"""Read JSON strictly (RFC 8259), remembering where every value sits: how `diff` reads results.

Python's `json` module accepts what RFC 8259 does not (`NaN`, `Infinity`, duplicate keys, which
it resolves silently) and turns `1e400` into infinity; a YAML parser reads JSON with YAML's
rules. A result read back decides a CI gate, so it is read here by the RFC's grammar alone,
and anything else is refused with its line and column. The output is the loader's Document,
so that validation locates its problems the same way as a profile's.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
from typing import Any

from inaction_cli.errors import InputError, Problem
from inaction_cli.loader import Document, Loc, Mark, decode, dotted
from inaction_cli.text import quoted

MAX_DEPTH = 32
"""A result nests six levels deep."""
MAX_VALUES = 100_000
"""A result holds at most a few tens of thousands of values; the file is at most 1 MiB."""
MAX_NUMBER_TEXT = 400
"""Characters of one number: far past any double, short of Python's limit on integers."""

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"', re.S)
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_WORD = re.compile(r"[-+.0-9A-Za-z_]+")
"""What a number or a literal runs to, for the message when it is not one."""
_SURROGATE = re.compile("[\ud800-\udfff]")
_LITERALS = {"true": True, "false": False, "null": None}
_NOT_JSON = {
    "NaN": "NaN is not a number JSON allows (RFC 8259)",
    "Infinity": "Infinity is not a number JSON allows (RFC 8259)",
    "-Infinity": "-Infinity is not a number JSON allows (RFC 8259)",
    "+Infinity": "+Infinity is not a number JSON allows (RFC 8259)",
}


class _Refused(Exception):
    def __init__(self, offset: int, message: str, loc: Loc = ()) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.loc = loc


def parse_json(raw: bytes, source: str) -> Document:
    """Parse JSON bytes (UTF-8) into a Document, or raise InputError located in the file."""
    text = decode(raw, source)
    reader = _Reader(text, source)
    try:
        data = reader.document()
    except _Refused as refused:
        line, column = reader.position(refused.offset)
        raise InputError.single(
            source, refused.message, key=dotted(refused.loc), line=line, column=column
        ) from None
    document = Document(source, data, hashlib.sha256(raw).hexdigest())
    document.value_marks = reader.value_marks
    document.key_marks = reader.key_marks
    document.scalar_text = reader.scalar_text
    document.problems = list(reader.problems)
    return document


class _Reader:
    """A recursive-descent reader of RFC 8259's grammar, with a mark for every value."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.offset = 0
        self.count = 0
        self.lines = [match.end() for match in re.finditer("\n", text)]
        self.value_marks: dict[Loc, Mark] = {}
        self.key_marks: dict[Loc, Mark] = {}
        self.scalar_text: dict[Loc, str] = {}
        self.problems: list[Problem] = []

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of a character offset."""
        line = bisect.bisect_right(self.lines, offset)
        start = self.lines[line - 1] if line else 0
        return line + 1, offset - start + 1

    def mark(self, offset: int) -> Mark:
        return Mark(*self.position(offset))

    def skip(self) -> None:
        self.offset = _WHITESPACE.match(self.text, self.offset).end()  # type: ignore[union-attr]

    def document(self) -> Any:
        self.skip()
        if self.offset == len(self.text):
            raise _Refused(0, "the file is empty: a result is a JSON object")
        value = self.value((), 0)
        self.skip()
        if self.offset != len(self.text):
            raise _Refused(
                self.offset, "unexpected text after the JSON value: a file holds one result"
            )
        return value

    def value(self, loc: Loc, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Refused(self.offset, f"refused: more than {MAX_VALUES:,} values", loc)
        if depth > MAX_DEPTH:
            raise _Refused(self.offset, f"refused: nesting deeper than {MAX_DEPTH} levels", loc)
        start = self.offset
        self.value_marks[loc] = self.mark(start)
        character = self.text[start : start + 1]
        if character == "{":
            return self.object(loc, depth)
        if character == "[":
            return self.array(loc, depth)
        if character == '"':
            return self.string(loc)
        number = _NUMBER.match(self.text, start)
        word = _WORD.match(self.text, start)
        written = word.group() if word else character
        if number and number.end() == (word.end() if word else number.end()):
            return self.number(number, loc)
        if written in _LITERALS:
            self.offset = start + len(written)
            return _LITERALS[written]
        if written in _NOT_JSON:
            raise _Refused(start, f"{_NOT_JSON[written]}: {_NOT_WRITTEN}", loc)
        if not character:
            raise _Refused(start, "the file ends where a value should be", loc)
        if self.text.startswith(("//", "/*"), start):
            raise _Refused(start, "a comment: JSON has none", loc)
        if word:
            raise _Refused(start, f"{quoted(written)} is not a JSON value", loc)
        raise _Refused(start, f"expected a JSON value, got {quoted(character)}", loc)

    def number(self, match: re.Match[str], loc: Loc) -> int | float:
        written = match.group()
        self.offset = match.end()
        self.scalar_text[loc] = written
        if len(written) > MAX_NUMBER_TEXT:
            raise _Refused(
                match.start(), f"a number of {len(written):,} characters is too large", loc
            )
        if match.group(1) is None and match.group(2) is None:
            return int(written)
        value = float(written)
        if not math.isfinite(value):
            raise _Refused(
                match.start(),
                f"{written} is too large for a number (beyond about 1.8e308, where a double ends)",
                loc,
            )
        return value

    def string(self, loc: Loc) -> str:
        start = self.offset
        match = _STRING.match(self.text, start)
        if match is None:
            raise _Refused(*self._bad_string(start), loc)
        try:
            value: str = json.loads(match.group())
        except json.JSONDecodeError as error:
            message = f"invalid escape in a string: {error.msg}"
            raise _Refused(start + error.pos, message, loc) from None
        lone = _SURROGATE.search(value)
        if lone is not None:
            raise _Refused(
                start,
                f"the escape \\u{ord(lone.group()):04x} is half of a surrogate pair without its "
                "other half: not a character",
                loc,
            )
        self.offset = match.end()
        return value

    def _bad_string(self, start: int) -> tuple[int, str]:
        """Where and why a string that opens at `start` does not close."""
        offset = start + 1
        while offset < len(self.text):
            character = self.text[offset]
            if character == "\\":
                offset += 2
                continue
            if character == '"':
                break
            if ord(character) < 0x20:
                return offset, (
                    f"control character U+{ord(character):04X} inside a string: JSON writes "
                    "it as an escape"
                )
            offset += 1
        return start, "a string that never closes"

    def object(self, loc: Loc, depth: int) -> dict[str, Any]:
        self.offset += 1
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        self.skip()
        if self.text.startswith("}", self.offset):
            self.offset += 1
            return result
        while True:
            self.skip()
            key_offset = self.offset
            if not self.text.startswith('"', key_offset):
                raise _Refused(key_offset, self._expected('a key in double quotes ("name")'), loc)
            key = self.string(loc)
            key_mark = self.mark(key_offset)
            self.skip()
            if not self.text.startswith(":", self.offset):
                raise _Refused(self.offset, self._expected("':' after the key"), (*loc, key))
            self.offset += 1
            self.skip()
            if key in first_line:
                # Read the value (its syntax must hold), keep the first: RFC 8259 leaves a
                # repeated name's meaning open, so it is refused rather than guessed.
                duplicate = Problem(
                    self.source,
                    f"duplicate key {quoted(key)} (first given on line {first_line[key]}): "
                    "which one counts is undefined in JSON",
                    dotted((*loc, key)),
                    key_mark.line,
                    key_mark.column,
                )
                self.problems.append(duplicate)
                self.value((*loc, "\0duplicate", key), depth + 1)
            else:
                first_line[key] = key_mark.line
                self.key_marks[(*loc, key)] = key_mark
                result[key] = self.value((*loc, key), depth + 1)
            self.skip()
            if self.text.startswith(",", self.offset):
                self.offset += 1
                self.skip()
                if self.text.startswith("}", self.offset):
                    raise _Refused(self.offset, "a comma before '}': JSON allows none", loc)
                continue
            if self.text.startswith("}", self.offset):
                self.offset += 1
                return result
            raise _Refused(self.offset, self._expected("',' or '}'"), loc)

    def array(self, loc: Loc, depth: int) -> list[Any]:
        self.offset += 1
        result: list[Any] = []
        self.skip()
        if self.text.startswith("]", self.offset):
            self.offset += 1
            return result
        while True:
            self.skip()
            result.append(self.value((*loc, len(result)), depth + 1))
            self.skip()
            if self.text.startswith(",", self.offset):
                self.offset += 1
                self.skip()
                if self.text.startswith("]", self.offset):
                    raise _Refused(self.offset, "a comma before ']': JSON allows none", loc)
                continue
            if self.text.startswith("]", self.offset):
                self.offset += 1
                return result
            raise _Refused(self.offset, self._expected("',' or ']'"), loc)

    def _expected(self, what: str) -> str:
        rest = self.text[self.offset : self.offset + 1]
        if not rest:
            return f"expected {what}, but the file ends"
        if self.text.startswith(("//", "/*"), self.offset):
            return f"expected {what}, got a comment: JSON has none"
        return f"expected {what}, got {quoted(rest)}"


_NOT_WRITTEN = "this file was not written by inaction estimate, or was edited"
