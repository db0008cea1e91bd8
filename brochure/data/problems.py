"""Problems in data, as the user reads them: file, line, record, field and what to do.

Texts are cleaned first (control characters refused, invisible ones removed); pydantic's errors
are put in our words, with a suggestion for a near miss (``hompage`` -> ``homepage``).
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, get_args

from pydantic import BaseModel

from ..errors import Problem, character
from ..settings import MAX_TEXT_CHARACTERS
from .model import Dataset

Location = tuple[str | int, ...]

LISTS = {"institutions": "institution", "events": "event"}  # lists of records, each by its id


# Characters that change how text is shown without being seen: refused, since in print they
# reorder or hide words. Zero-width spaces and joiners that only affect line breaking are
# removed with a warning.
REFUSED = {chr(code) for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                                  *range(0x7F, 0xA0), *range(0x202A, 0x202F),
                                  *range(0x2066, 0x206A), 0x2028, 0x2029,
                                  *range(0xD800, 0xE000))}  # lone surrogates cannot be printed

REMOVED = {"\u200b", "\u2060", "\ufeff"}


PYDANTIC_MESSAGES = {
    "missing": "is required",
    "string_type": "must be a text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "list_type": "must be a list",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "too_short": "must not be empty",
    "too_long": "has {actual_length:,} items; at most {max_length:,} are accepted",
}


PATTERN_MESSAGES = {
    "id": "must be lower-case letters, digits and hyphens (it names files), e.g. 'korea-ceramic'",
    "field": "must be the id of one of the network's fields, e.g. 'crafts-and-folk-arts'",
    "founded": "must be a year and month written YYYY-MM, e.g. '2004-10'",
    "languages": "must be a language code such as 'en' or 'ko'",
    "editions": "must be a language code such as 'en' or 'zh-Hans'",
    "focus": "must be two percentages, across then down, such as '50% 35%'",
}


def clean(value: Any, loc: Location, refused: list[tuple[Location, str]],
          removed: list[tuple[Location, str]]) -> Any:
    """The tree with invisible zero-width characters removed; refused texts noted at ``loc``."""
    if isinstance(value, Mapping):
        return {key: clean(item, (*loc, key), refused, removed) for key, item in value.items()}
    if isinstance(value, list):
        return [clean(item, (*loc, index), refused, removed) for index, item in enumerate(value)]
    if not isinstance(value, str):
        return value
    if len(value) > MAX_TEXT_CHARACTERS:
        refused.append((loc, f"is {len(value):,} characters long; the limit is "
                             f"{MAX_TEXT_CHARACTERS:,}"))
        return value[:MAX_TEXT_CHARACTERS]
    if bad := sorted(set(value) & REFUSED):
        refused.append((loc, f"contains the invisible control character {character(bad[0])}; "
                             "remove it"))
    if invisible := sorted(set(value) & REMOVED):
        removed.append((loc, "removed the invisible character"
                             f"{'s' if len(invisible) > 1 else ''} "
                             + ", ".join(character(char) for char in invisible)))
        value = "".join(char for char in value if char not in REMOVED)
    return value


def in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: problem.line or 0)


def unknown_language(lang: str, languages: list[str]) -> str:
    """The message for a text in a language that the data does not list."""
    return (f"language '{lang}' is not in the data's languages "
            f"({', '.join(dict.fromkeys(languages))})")


def pydantic_problem(name: str, lines: dict[Location, int], tree: Any, error: Any) -> Problem:
    """One pydantic error as a problem in the file."""
    return located(name, lines, tree, tuple(error["loc"]), error_message(error))


def error_message(error: Any) -> str:
    """One pydantic error in our words, the same wherever the record was read from."""
    loc: Location = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        message = "unknown key" + _suggestion(loc)
    elif kind == "value_error":
        message = str(error["ctx"]["error"])
    elif kind == "string_pattern_mismatch":
        key = next((part for part in reversed(loc) if isinstance(part, str)), "")
        message = PATTERN_MESSAGES.get(key, f"does not have the expected form ({error['msg']})")
    elif kind in PYDANTIC_MESSAGES:
        message = PYDANTIC_MESSAGES[kind].format(**error.get("ctx", {}))
        if kind == "string_type" and isinstance(error.get("input"), int | float | datetime.date):
            message += "; put it in quotes (YAML reads it as a number, a date or yes/no)"
    else:
        message = error["msg"]
    return message


def located(name: str, lines: dict[Location, int], tree: Any, loc: Location, message: str,
             line: int | None = None) -> Problem:
    """A problem at ``loc``, named by record and field, with the nearest line the parser knew."""
    if line is None:
        line = next((lines[loc[:end]] for end in range(len(loc), -1, -1) if loc[:end] in lines),
                    None)
    record, rest = _record(tree, loc)
    return Problem(name, line, record, _field_path(rest), message)


def _record(tree: Any, loc: Location) -> tuple[str, Location]:
    """The record a location belongs to ('institution 2 (doyego)', 'city') and the rest of it."""
    if not loc:
        return "top level", ()
    if loc[0] in LISTS and len(loc) > 1 and isinstance(loc[1], int):
        index = loc[1]
        record = f"{LISTS[loc[0]]} {index + 1}"
        items = tree.get(loc[0])
        if isinstance(items, list) and index < len(items) and isinstance(items[index], Mapping):
            item_id = items[index].get("id")
            if isinstance(item_id, str) and item_id:  # an empty id names nothing
                record += f" ({item_id})"
        return record, loc[2:]
    if loc[0] in ("network", "city", "festival", "qr") and len(loc) > 1:
        return str(loc[0]), loc[1:]
    return "top level", loc


def _field_path(loc: Location) -> str:
    """'fields[4].name' for ('fields', 3, 'name'): positions count from 1, as people count."""
    path = ""
    for part in loc:
        path += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _suggestion(loc: Location) -> str:
    """'; did you mean 'homepage'?' for an unknown key close to a known one."""
    model = _model_at(loc[:-1])
    if model is None:
        return ""
    return did_you_mean(str(loc[-1]), list(model.model_fields))


def repeated_ids(records: Sequence[Any], key: str,
                 word: str) -> Iterator[tuple[Location, str]]:
    """An error at each record of the list ``key`` whose id an earlier one already uses: an id
    names a file or a place in the programme, so it must name one record."""
    first_use: dict[str, int] = {}
    for index, record in enumerate(records):
        if record.id in first_use:
            yield ((key, index, "id"),
                   f"id '{record.id}' is already used by {word} {first_use[record.id] + 1}")
        first_use.setdefault(record.id, index)


def did_you_mean(word: str, known: list[str]) -> str:
    """'; did you mean 'homepage'?' when ``word`` is a near miss of one of ``known``."""
    matches = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def _model_at(loc: Location) -> type[BaseModel] | None:
    """The record class that a location inside a data set points into."""
    model: type[BaseModel] | None = Dataset
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = model.model_fields.get(str(part)) if model else None
        if field_info is None:
            return None
        model = _inner_model(field_info.annotation)
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The record class inside ``X | None`` or ``list[X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next(filter(None, (_inner_model(arg) for arg in get_args(annotation))), None)
