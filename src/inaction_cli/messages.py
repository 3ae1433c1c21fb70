"""pydantic's validation errors as one located, human line each.

Shared by every input the tool validates with pydantic: profiles, and the JSON results that
`diff` reads back.
"""

from __future__ import annotations

import difflib
import types
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from inaction_cli.errors import Problem
from inaction_cli.loader import Document, Loc, dotted
from inaction_cli.text import cut, echoed_number, number_text, quoted

__all__ = ["Notes", "did_you_mean", "first_model", "located", "model_at", "number_text", "problems"]

UNION_TAGS = frozenset({"number", "range"})
"""Tags of the number-or-range unions: pydantic puts them in error locations; users never
write them."""


@dataclass(frozen=True)
class Notes:
    """Explanations a model adds to its errors."""

    unknown_keys: Mapping[Loc, str] = field(default_factory=dict)
    """Messages for keys that are wrong for a known reason, replacing "unknown key"."""
    upper_bounds: Mapping[str, str] = field(default_factory=dict)
    """Field name → why its upper bound is what it is."""
    writing_hints: bool = True
    """Hints on how to write a number (`write 0.45`, `without separators`): for what a person
    writes, not for a file a program wrote."""


NO_NOTES = Notes()


def problems(
    document: Document, error: ValidationError, root: type[BaseModel], notes: Notes = NO_NOTES
) -> list[Problem]:
    """One Problem per pydantic error, located in the document; a misspelt required key is
    one problem ("unknown key 'headcont'; did you mean 'headcount'?"), not that and "required
    key 'headcount' is missing" beside it."""
    details = [
        detail
        for detail in error.errors(include_url=False)
        # An optional field is a union with None; when the value fails, pydantic also says
        # it is not None, which nobody needs to read.
        if detail["type"] != "none_required"
    ]
    misspelt = _misspelt(document, details, root, notes)
    return [
        _problem(document, detail, root, notes)
        for detail in details
        if not (
            detail["type"] == "missing" and _written(root, document.data, detail["loc"]) in misspelt
        )
    ]


def _misspelt(
    document: Document, details: list[ErrorDetails], root: type[BaseModel], notes: Notes
) -> set[Loc]:
    """The missing keys that an unknown key beside them is said to be a misspelling of."""
    meant: set[Loc] = set()
    for detail in details:
        if detail["type"] != "extra_forbidden" or "[key]" in detail["loc"]:
            continue
        loc = _written(root, document.data, detail["loc"])
        model = model_at(root, loc[:-1]) if loc else None
        if model is None or loc in notes.unknown_keys:  # a note's message replaces the hint
            continue
        close = closest(str(loc[-1]), model.model_fields)
        if close is not None:
            meant.add((*loc[:-1], close))
    return meant


def located(
    document: Document, loc: Loc, message: str, *, key: bool = False, at: Loc | None = None
) -> Problem:
    """A Problem at `loc` (or at `at`): the key's mark with `key=True`, else the value's."""
    mark = document.mark(loc if at is None else at, key=key)
    return Problem(
        document.source,
        message,
        key=dotted(loc),
        line=None if mark is None else mark.line,
        column=None if mark is None else mark.column,
    )


def _problem(
    document: Document, error: ErrorDetails, root: type[BaseModel], notes: Notes
) -> Problem:
    raw_loc = error["loc"]
    quantity = any(part in UNION_TAGS for part in raw_loc)
    loc = _written(root, document.data, raw_loc)
    kind = error["type"]
    if "[key]" in raw_loc:  # a key of a mapping of names (custom_levers, factors) is wrong
        return located(document, loc, error["msg"], key=True)
    if kind == "missing":
        # A missing key has no mark of its own: point at the mapping that should hold it.
        return located(document, loc, _missing(root, loc), key=True, at=loc[:-1])
    if kind == "extra_forbidden":
        return located(document, loc, _unknown(root, loc, notes), key=True)
    if kind == "null_value":
        return located(document, loc, error["msg"], key=True)
    message = _message(document, root, loc, error, quantity=quantity, notes=notes)
    return located(document, loc, message)


def _written(root: type[BaseModel], data: Any, raw_loc: tuple[str | int, ...]) -> Loc:
    """The location as the user wrote it: pydantic adds labels for the branches of unions
    (`number`, `MoneyRange`, `tagged-union[…]`); drop every part that is neither a key of the
    data nor a field of the model at that point."""
    written: list[str | int] = []
    node: Any = data
    model: type[BaseModel] | None = root
    keyed = False  # the next part is a name the user chose, a key of a mapping of names
    for part in raw_loc:
        if isinstance(part, int):
            written.append(part)
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            continue
        present = isinstance(node, dict) and part in node
        if keyed:
            if present:
                written.append(part)
                node, keyed = node[part], False
            continue
        field_info = model.model_fields.get(part) if model is not None else None
        if not present and field_info is None:
            continue
        written.append(part)
        node = node[part] if present else None
        model = first_model(field_info.annotation) if field_info is not None else None
        keyed = field_info is not None and _is_mapping(field_info.annotation)
    return tuple(written)


def _missing(root: type[BaseModel], loc: Loc) -> str:
    field_info = _field_info(root, loc)
    message = f"required key '{loc[-1]}' is missing"
    if field_info is not None and field_info.description:
        description = field_info.description.rstrip(".")
        if not description[:2].isupper():  # "MAJOR.MINOR" stays as it is, "Months" does not
            description = description[0].lower() + description[1:]
        message += f": {description}"
    return message


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'operations'?` for the closest of `choices` to a misspelt `word`, or ''."""
    close = closest(word, choices)
    return "" if close is None else f"; did you mean '{close}'?"


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The one of `choices` a misspelt `word` is closest to, if one is close enough."""
    if len(word) > 100:  # no name is that long, and difflib would take its time
        return None
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown(root: type[BaseModel], loc: Loc, notes: Notes) -> str:
    if loc in notes.unknown_keys:
        return notes.unknown_keys[loc]
    name = str(loc[-1])
    model = model_at(root, loc[:-1])
    allowed = sorted(model.model_fields) if model is not None else []
    what = "section" if len(loc) == 1 else "key"
    message = f"unknown {what} {quoted(name)}"
    hint = did_you_mean(name, allowed)
    if hint:
        return message + hint
    if allowed:
        message += f" (expected one of: {', '.join(allowed)})"
    return message


def _message(
    document: Document,
    root: type[BaseModel],
    loc: Loc,
    error: ErrorDetails,
    *,
    quantity: bool,
    notes: Notes,
) -> str:
    kind = error["type"]
    value = error.get("input")
    got = _got(document, loc, value)
    context = error.get("ctx") or {}
    if kind == "float_type" and isinstance(value, int) and not isinstance(value, bool):
        text = document.scalar_text.get(loc)
        size = echoed_number(text, verdict=False) if text is not None else got
        return f"the number is too large to compute with, got {size}"
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing"):
        if quantity:
            expected = "a number or a range {low: …, high: …}"
        else:
            expected = "a whole number" if kind.startswith("int") else "a number"
        hint = _number_hint(value) if notes.writing_hints else ""
        return f"expected {expected}, got {got}{hint}"
    if kind == "int_from_float":
        return f"expected a whole number, got {got}"
    if kind == "finite_number":
        return f"expected a finite number, got {got}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _bound_message(kind, context, got, loc, value, notes)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        model = model_at(root, loc)
        keys = f" ({', '.join(model.model_fields)})" if model is not None else ""
        return f"expected a mapping of keys{keys}, got {got}"
    if kind in ("list_type",):
        return f"expected a list, got {got}"
    if kind in ("enum", "literal_error"):
        expected = str(context.get("expected", ""))
        choices = [choice.strip(" '") for choice in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), choices)
        return f"expected one of {', '.join(choices)}, got {got}{hint}"
    if kind == "string_pattern_mismatch" and loc[-1:] == ("currency",):
        return f"expected a three-letter ISO 4217 code such as EUR or USD, got {got}"
    if kind == "string_type":
        return f"expected text, got {got}"
    if kind in ("string_too_short", "string_too_long", "too_short", "too_long"):
        return _length_message(value, context, ITEM_NAMES.get(str(loc[-1]) if loc else "", "item"))
    return str(error["msg"])


ITEM_NAMES = {
    "factors": "factor",
    "custom_levers": "custom lever",
    "inputs": "input",
    "costs": "cost line",
}
"""What the items of a list or mapping are, by its key: "at most 10 factors"."""


def _length_message(value: Any, context: dict[str, Any], item: str = "item") -> str:
    """Too short or too long, counted in characters for text, in items for a list."""
    unit = "character" if isinstance(value, str) else item
    if "min_length" in context:
        limit = int(context["min_length"])
        if limit == 1 and isinstance(value, str):
            return "must not be empty: give a value, or remove the key to use the default"
        bound = f"at least {limit:,} {unit}{'s' * (limit != 1)}"
    else:
        limit = int(context.get("max_length", 0))
        bound = f"at most {limit:,} {unit}{'s' * (limit != 1)}"
    size = len(value) if isinstance(value, str | list | tuple | dict) else None
    return f"expected {bound}, got {size:,}" if size is not None else f"expected {bound}"


NOT_SHARES = frozenset({"rank_correlation"})
"""Inputs bounded by 1 that are not shares: no "if you meant 45 %" for them."""


def _bound_message(
    kind: str, context: dict[str, Any], got: str, loc: Loc, value: Any, notes: Notes
) -> str:
    limit = next(iter(context.values()), None)
    phrase = {
        "greater_than_equal": "at least",
        "greater_than": "above",
        "less_than_equal": "at most",
        "less_than": "below",
    }[kind]
    message = f"must be {phrase} {number_text(limit)}, got {got}"
    # The input a bound belongs to: a range's end belongs to the range's key.
    name = str(loc[-2] if len(loc) > 1 and loc[-1] in ("low", "high", "mode") else loc[-1])
    share = (
        notes.writing_hints
        and limit == 1
        and name not in NOT_SHARES
        and isinstance(value, int | float)
    )
    if kind == "less_than_equal" and share and 1 < value <= 100:
        percent, fraction = number_text(value), number_text(value / 100)
        message += f" (a share: if you meant {percent} %, write {fraction})"
    reason = notes.upper_bounds.get(name) if loc else None
    if reason and kind.startswith("less"):
        message += f": {reason}"
    return message


def _got(document: Document, loc: Loc, value: Any) -> str:
    text = document.scalar_text.get(loc)
    if isinstance(value, bool):
        return f"{text or str(value).lower()} (a yes/no value)"
    if value is None:
        return "nothing (null)" if text in (None, "", "~", "null", "Null", "NULL") else repr(text)
    if isinstance(value, str):
        return f"text {quoted(value)}"
    if isinstance(value, int | float):
        # A number of hundreds of digits: its size is what matters.
        return echoed_number(text) if text is not None else number_text(value)
    return describe(value)


def _number_hint(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    cleaned = value.strip().replace(",", "").replace(" ", "").strip("€$£%")
    try:
        float(cleaned)
    except ValueError:
        return ""
    if value.strip().endswith("%"):
        return "; write a share as a number (45 % is 0.45)"
    if not cleaned.isascii():  # Python reads ٤٠ or ４０ as 40; YAML reads them as text
        ascii_digits = "".join(
            str(unicodedata.digit(character)) if character.isdigit() else character
            for character in cleaned
        )
        return f"; write it in the digits 0-9: {cut(ascii_digits)}"
    digits = cleaned.lstrip("+-")
    if len(digits) > 1 and digits.startswith("0") and digits.isdigit():
        # YAML 1.1 read 0700 as octal 448; the profile reads it as text rather than guess.
        sign = cleaned[: len(cleaned) - len(digits)]
        return f"; write it without leading zeros: {sign}{digits.lstrip('0') or '0'}"
    return f"; write plain digits without separators or symbols: {cut(cleaned)}"


def describe(value: Any) -> str:
    """What kind of value a user wrote, in words."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, str):
        return f"text {quoted(value)}"
    if isinstance(value, int | float):
        return number_text(value)
    return quoted(repr(value))


def model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model that validates the mapping at `loc`, if one does."""
    model: type[BaseModel] | None = root
    keyed = False
    for part in loc:
        if isinstance(part, int):
            continue  # an item of a list: the list's item model validates it
        if keyed:  # a name of a mapping of names: its value's model validates what follows
            keyed = False
            continue
        if model is None or part not in model.model_fields:
            return None
        annotation = model.model_fields[part].annotation
        model, keyed = first_model(annotation), _is_mapping(annotation)
    return model


def _field_info(root: type[BaseModel], loc: Loc) -> Any:
    model = model_at(root, loc[:-1])
    if model is None or not isinstance(loc[-1], str):
        return None
    return model.model_fields.get(loc[-1])


def first_model(annotation: Any) -> type[BaseModel] | None:
    """The first pydantic model among the types an annotation allows."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return first_model(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType or origin is list:
        for arg in get_args(annotation):
            found = first_model(arg)
            if found is not None:
                return found
        return None
    if origin is dict:
        return first_model(get_args(annotation)[1])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _is_mapping(annotation: Any) -> bool:
    """Whether an annotation allows a mapping of names (a dict), not only a model."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _is_mapping(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return any(_is_mapping(arg) for arg in get_args(annotation))
    return origin is dict
