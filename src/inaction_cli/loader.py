"""Read a YAML profile safely, remembering where every value sits in the file.

PyYAML's composer gives nodes with marks; this module turns them into plain Python values
itself, so that it can refuse what `yaml.safe_load` would accept silently (duplicate keys) or
expand without limit (alias bombs), and keep each value's line and column for error messages.
"""

from __future__ import annotations

import errno
import hashlib
import json
import numbers
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from inaction_cli.errors import InputError, Problem
from inaction_cli.text import quoted

MAX_PROFILE_BYTES = 1_048_576
"""A profile is a few kilobytes; anything over 1 MiB is refused before it is parsed."""
MAX_DEPTH = 32
"""No profile nests deeper than four levels; 32 leaves room and keeps recursion shallow."""
MAX_VALUES = 10_000
"""Values after alias expansion: a billion-laughs document stops here, in milliseconds."""

STDIN = "-"
STDIN_LABEL = "<stdin>"
MAPPING_LABEL = "<mapping>"
"""How messages name a profile given to the Python API as data."""

Loc = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("null", "bool", "int", "float", "str")}
_MERGE_TAG = f"{_TAG}merge"


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column in the source file."""

    line: int
    column: int


@dataclass
class Document:
    """A parsed YAML document: plain data plus where each value and key came from."""

    source: str
    data: Any
    sha256: str
    value_marks: dict[Loc, Mark] = field(default_factory=dict)
    key_marks: dict[Loc, Mark] = field(default_factory=dict)
    scalar_text: dict[Loc, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    """What the YAML itself got wrong in places (a tag, a duplicate key), leaving the rest of
    the document readable: validation reports these beside its own, in one run."""

    def checked(self, found: Iterable[Problem]) -> list[Problem]:
        """The document's own problems with `found`, less those under a key already reported
        (an unsafe tag read as nothing would also be "missing a value")."""
        reported = [problem.key for problem in self.problems]
        return self.problems + [
            problem
            for problem in found
            if not any(
                problem.key == key or problem.key.startswith((f"{key}.", f"{key}["))
                for key in reported
            )
        ]

    def mark(self, loc: Loc, *, key: bool = False) -> Mark | None:
        """Where `loc` sits: its key (`key=True`) or value; else its nearest present parent."""
        marks = self.key_marks if key else self.value_marks
        while loc:
            if loc in marks:
                return marks[loc]
            if loc in self.key_marks:
                return self.key_marks[loc]
            loc = loc[:-1]
        if not self.value_marks:  # data given as a mapping: no file, no lines
            return None
        return self.value_marks.get((), Mark(1, 1))


class _Limits:
    """Bounds nesting and node count while composing: a mixin over any PyYAML parser."""

    _depth = 0
    _nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self._depth += 1
        self._nodes += 1
        if self._depth > MAX_DEPTH or self._nodes > MAX_VALUES:
            what = (
                f"nesting deeper than {MAX_DEPTH} levels"
                if self._depth > MAX_DEPTH
                else f"more than {MAX_VALUES} values"
            )
            raise _LimitError(what, self.peek_event().start_mark)  # type: ignore[attr-defined]
        try:
            return super().compose_node(parent, index)  # type: ignore[misc,no-any-return]
        finally:
            self._depth -= 1


class _Loader(_Limits, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, bounded."""


# Numbers as YAML 1.2 reads them, not 1.1: `1e6` is a number (1.1 reads text), and `0700`
# (octal 448 in 1.1), `1:30` (base 60: 90) and `0x1F` are text, which validation then refuses
# with a hint, instead of numbers nobody meant. Underscores stay allowed, as in `1_000_000`.
_NUMBERS = {
    "int": r"^[-+]?(?:0|[1-9][0-9_]*)$",
    "float": r"""^(?:[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?
                 |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
                 |[-+]?\.(?:inf|Inf|INF)
                 |\.(?:nan|NaN|NAN))$""",
}
_WRITTEN_AS = {
    f"{_TAG}int": re.compile(_NUMBERS["int"]),
    f"{_TAG}float": re.compile(f"{_NUMBERS['int']}|{_NUMBERS['float']}", re.X),
}
"""How a number tagged `!!int` or `!!float` must be written: as YAML 1.2 and YAML 1.1 read it
alike. (`!!int 0700` is 448 to PyYAML, a YAML 1.1 reader, and 700 to YAML 1.2.)"""
_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag.removeprefix(_TAG) not in _NUMBERS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _kind, _pattern in _NUMBERS.items():
    _first = list("-+0123456789." if _kind == "float" else "-+0123456789")
    _Loader.add_implicit_resolver(f"{_TAG}{_kind}", re.compile(_pattern, re.X), _first)

_CParser = getattr(getattr(yaml, "_yaml", None), "CParser", None)
if _CParser is not None:

    class _FastLoader(_Limits, Composer, _CParser, SafeConstructor, Resolver):  # type: ignore[misc,valid-type]
        """libyaml scans and parses (seven times quicker); composing stays in Python, where
        the limits above apply. libyaml also refuses flow nesting past 1,000 levels itself."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)  # type: ignore[misc]
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _LOADER: type[Any] = _FastLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _LOADER = _Loader


class _LimitError(Exception):
    def __init__(self, what: str, mark: yaml.Mark) -> None:
        super().__init__(what)
        self.what = what
        self.mark = mark


def source_label(path: str) -> str:
    """How messages and reports name a path: stdin (`-`) is `<stdin>`."""
    return STDIN_LABEL if path == STDIN else path


def read_source(path: str) -> tuple[bytes, str]:
    """Read a profile's bytes (`-` is stdin) and the label to use in messages."""
    if path == STDIN:
        if sys.stdin is None:
            raise InputError.single(
                STDIN_LABEL,
                "stdin is closed: there is no profile to read; pipe one in "
                "(inaction estimate - < profile.yaml), or name the file instead of -",
            )
        try:
            raw = sys.stdin.buffer.read(MAX_PROFILE_BYTES + 1)
        except OSError as error:  # stdin opened for writing only, or a folder
            why = (
                "it is not open for reading"
                if error.errno == errno.EBADF
                else (error.strerror or str(error)).lower()
            )
            raise InputError.single(STDIN_LABEL, f"cannot read stdin: {why}") from None
        _check_size(len(raw), STDIN_LABEL)
        return raw, STDIN_LABEL
    file = Path(path)
    try:
        if file.is_dir():
            raise InputError.single(path, "is a folder, not a profile file")
        size = file.stat().st_size
        _check_size(size, path)
        with file.open("rb") as handle:
            raw = handle.read(MAX_PROFILE_BYTES + 1)
    except FileNotFoundError:
        raise InputError.single(path, "no such file") from None
    except PermissionError:
        raise InputError.single(path, "permission denied") from None
    except OSError as error:
        raise InputError.single(path, f"cannot read the file: {error.strerror}") from None
    _check_size(len(raw), path)
    return raw, path


def _check_size(size: int, label: str) -> None:
    if size > MAX_PROFILE_BYTES:
        raise InputError.single(
            label,
            f"refused: the file is over {MAX_PROFILE_BYTES // 1_048_576} MiB, and a profile is "
            "a few kilobytes",
        )


def load(path: str) -> Document:
    """Read and parse a profile file (or stdin)."""
    raw, label = read_source(path)
    return parse(raw, label)


def parse(raw: bytes, source: str) -> Document:
    """Parse YAML bytes into a Document, or raise InputError with every problem found."""
    text = decode(raw, source)
    loader: Any = None
    try:
        loader = _LOADER(text)
        node = loader.get_single_node()
    except _LimitError as error:
        raise _problem_at(source, error.mark, f"refused: {error.what}") from None
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(source, error, text) from None
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        raise InputError.single(
            source,
            f"character U+{error.character:04X} is not allowed in a YAML file",
            line=line,
            column=column,
        ) from None
    except yaml.YAMLError as error:  # pragma: no cover - every PyYAML error is one of the above
        raise InputError.single(source, f"YAML error: {error}") from None
    finally:
        if loader is not None:
            loader.dispose()
    document = Document(source, None, hashlib.sha256(raw).hexdigest())
    if node is None:
        raise InputError.single(source, "the profile is empty", line=1, column=1)
    builder = _Builder(document)
    document.data = builder.build(node, (), 0)
    document.problems = builder.problems
    return document


def decode(raw: bytes, source: str) -> str:
    """UTF-8 text of a file, or InputError naming the byte that is not (UTF-16 by name)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.single(
            source, "the file is UTF-16 text: save it as UTF-8", line=1, column=1
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise InputError.single(
            source,
            f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x})",
            line=line,
            column=column,
        ) from None


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _problem_at(source: str, mark: yaml.Mark | None, message: str, key: str = "") -> InputError:
    if mark is None:
        return InputError.single(source, message, key=key)
    return InputError.single(source, message, key=key, line=mark.line + 1, column=mark.column + 1)


def _syntax_error(source: str, error: yaml.MarkedYAMLError, text: str) -> InputError:
    message = error.problem or "invalid YAML"
    mark = error.problem_mark or error.context_mark
    if "another document" in message:
        return _problem_at(source, mark, "a profile is one YAML document; this is a second one")
    if "maximum nesting depth" in message:  # libyaml's own limit on flow nesting
        return _problem_at(source, mark, f"refused: nesting deeper than {MAX_DEPTH} levels")
    if error.context:
        message = f"{message} ({error.context})"
    if mark is not None and _character_at(text, mark) == "\t":
        message += "; indent with spaces, not tabs"
    return _problem_at(source, mark, f"YAML syntax error: {message}")


def _character_at(text: str, mark: yaml.Mark) -> str:
    lines = text.splitlines()
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


class _Builder:
    """Turns composed nodes into plain values, with marks, limits and duplicate-key checks."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = []
        self.values = 0
        self.constructor = SafeConstructor()
        self.duplicates: set[int] = set()
        """Key nodes already reported as duplicates: a mapping merged in twice says it once."""

    def problem(self, node: Node, message: str, loc: Loc) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(
                self.document.source,
                message,
                key=dotted(loc),
                line=mark.line + 1,
                column=mark.column + 1,
            )
        )

    def build(self, node: Node, loc: Loc, depth: int) -> Any:
        self.values += 1
        if self.values > MAX_VALUES or depth > MAX_DEPTH:
            what = (
                f"aliases expand to more than {MAX_VALUES} values"
                if self.values > MAX_VALUES
                else f"aliases nest deeper than {MAX_DEPTH} levels"
            )
            raise _problem_at(self.document.source, node.start_mark, f"refused: {what}")
        self.document.value_marks[loc] = Mark(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            return self.scalar(node, loc)
        if isinstance(node, SequenceNode):
            if node.tag != f"{_TAG}seq":
                return self.unsupported(node, loc)
            return [
                self.build(item, (*loc, index), depth + 1) for index, item in enumerate(node.value)
            ]
        if isinstance(node, MappingNode):
            if node.tag != f"{_TAG}map":
                return self.unsupported(node, loc)
            return self.mapping(node, loc, depth)
        raise AssertionError(f"unknown node {node!r}")  # pragma: no cover

    def scalar(self, node: ScalarNode, loc: Loc) -> Any:
        self.document.scalar_text[loc] = node.value
        if node.tag == f"{_TAG}timestamp":
            return node.value  # a date is text to us; numbers never look like dates
        if node.tag not in _SCALAR_TAGS:
            return self.unsupported(node, loc)
        pattern = _WRITTEN_AS.get(node.tag)
        if pattern is not None and not pattern.match(node.value):
            self.problem(node, _ambiguous_number(node), loc)
            return None
        try:
            return self.constructor.construct_object(node)
        except (ValueError, yaml.YAMLError):
            self.problem(node, f"cannot read {quoted(node.value)} as {_tag_name(node.tag)}", loc)
            return None

    def unsupported(self, node: Node, loc: Loc) -> None:
        self.problem(
            node,
            f"the YAML tag {_show_tag(node.tag)} is not allowed: a profile holds plain "
            "numbers, text, lists and mappings",
            loc,
        )

    def mapping(self, node: MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        explicit: dict[str, int] = {}
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(self.merge_sources(value_node, loc))
                continue
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, "a key must be a plain name, not a list or mapping", loc)
                continue
            key = key_node.value
            if key in explicit:
                self.duplicates.add(id(key_node))
                self.problem(
                    key_node,
                    f"duplicate key {key!r} (first given on line {explicit[key]}); "
                    "YAML would silently keep only the last one",
                    (*loc, key),
                )
                continue
            explicit[key] = key_node.start_mark.line + 1
            self.document.key_marks[(*loc, key)] = Mark(
                key_node.start_mark.line + 1, key_node.start_mark.column + 1
            )
            result[key] = self.build(value_node, (*loc, key), depth + 1)
        for key_node, value_node in merged:
            key = key_node.value
            if key not in result:  # keys written out beside `<<` win over merged ones
                self.document.key_marks[(*loc, key)] = Mark(
                    key_node.start_mark.line + 1, key_node.start_mark.column + 1
                )
                result[key] = self.build(value_node, (*loc, key), depth + 1)
        return result

    def merge_sources(self, node: Node, loc: Loc, depth: int = 0) -> list[tuple[Node, Node]]:
        """The (key, value) pairs a `<<` merge key brings, earlier sources first."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        pairs: list[tuple[Node, Node]] = []
        for source in sources:
            if not isinstance(source, MappingNode):
                self.problem(source, "`<<` merges mappings only", loc)
                continue
            pairs.extend(self.merged_pairs(source, loc, depth))
        return pairs

    def merged_pairs(self, source: MappingNode, loc: Loc, depth: int) -> list[tuple[Node, Node]]:
        """The pairs of one merged mapping: its own keys, each once (a duplicate is as wrong
        there as anywhere), then those it merges in itself."""
        if depth > MAX_DEPTH:
            raise _problem_at(
                self.document.source,
                source.start_mark,
                f"refused: merges nest deeper than {MAX_DEPTH}",
            )
        own: list[tuple[Node, Node]] = []
        nested: list[tuple[Node, Node]] = []
        first_line: dict[str, int] = {}
        for key, value in source.value:
            if key.tag == _MERGE_TAG:
                nested.extend(self.merge_sources(value, loc, depth + 1))
                continue
            if not isinstance(key, ScalarNode):
                continue
            if key.value in first_line:
                if id(key) not in self.duplicates:
                    self.duplicates.add(id(key))
                    self.problem(
                        key,
                        f"duplicate key {key.value!r} (first given on line "
                        f"{first_line[key.value]}) in a mapping merged with `<<`; YAML would "
                        "silently keep only the last one",
                        (*loc, key.value),
                    )
                continue
            first_line[key.value] = key.start_mark.line + 1
            own.append((key, value))
        return own + [pair for pair in nested if pair[0].value not in first_line]


def dotted(loc: Loc) -> str:
    """`('acquisition', 'cac', 'low')` as `acquisition.cac.low`; list items as `[2]`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _tag_name(tag: str) -> str:
    return {"int": "an integer", "float": "a number", "bool": "a boolean"}.get(
        tag.removeprefix(_TAG), "a value"
    )


def _ambiguous_number(node: ScalarNode) -> str:
    """Why a number tagged `!!int` or `!!float` is refused: YAML 1.1, which PyYAML reads,
    gives it another value than YAML 1.2 does, or a value no one would guess."""
    text, kind = node.value, _tag_name(node.tag)
    shown = quoted(text)
    digits = text.lstrip("+-")
    if re.fullmatch(r"0[0-9_]+", digits):
        sign = text[: len(text) - len(digits)]
        plain = digits.replace("_", "").lstrip("0") or "0"
        return (
            f"cannot read {shown} as {kind}: with a leading zero, YAML 1.1 reads octal and "
            f"YAML 1.2 decimal; write it without leading zeros: {sign}{plain}"
        )
    if re.fullmatch(r"[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?", digits):
        return (
            f"cannot read {shown} as {kind}: YAML 1.1 reads it in base 60 (1:30 is 90); "
            "write the number itself"
        )
    if re.fullmatch(r"0[xob][0-9a-fA-F_]+", digits):
        return f"cannot read {shown} as {kind}: write it in decimal digits"
    return f"cannot read {shown} as {kind}"


def from_mapping(data: Mapping[str, Any], source: str = MAPPING_LABEL) -> Document:
    """A profile given as data (the Python API) as a Document: plain values only, under the
    same limits as a file. It has no lines: its problems carry the key path alone."""
    document = Document(source, None, "")
    problems: list[Problem] = []
    count = 0

    def plain(value: Any, loc: Loc, depth: int) -> Any:
        nonlocal count
        count += 1
        if count > MAX_VALUES or depth > MAX_DEPTH:
            what = (
                f"more than {MAX_VALUES} values"
                if count > MAX_VALUES
                else (f"nesting deeper than {MAX_DEPTH} levels")
            )
            raise InputError.single(source, f"refused: {what}", key=dotted(loc))
        if value is None or isinstance(value, bool | str):
            return value
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, numbers.Real):
            return float(value)
        if isinstance(value, Mapping):
            result: dict[str, Any] = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    problems.append(
                        Problem(
                            source, f"a key must be text, got {quoted(repr(key))}", key=dotted(loc)
                        )
                    )
                    continue
                result[key] = plain(item, (*loc, key), depth + 1)
            return result
        if isinstance(value, list | tuple):
            return [plain(item, (*loc, index), depth + 1) for index, item in enumerate(value)]
        problems.append(
            Problem(
                source,
                f"cannot read a {type(value).__name__} here: a profile holds numbers, text, "
                "lists and mappings",
                key=dotted(loc),
            )
        )
        return None

    if not isinstance(data, Mapping):
        raise InputError.single(
            source, f"a profile is a mapping of sections, not a {type(data).__name__}"
        )
    document.data = plain(data, (), 0)
    document.problems = problems
    try:
        canonical = json.dumps(document.data, sort_keys=True, ensure_ascii=False, default=str)
    except ValueError:  # an integer too long to write: validation refuses it anyway
        canonical = repr(sorted(map(str, data)))
    document.sha256 = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return document
