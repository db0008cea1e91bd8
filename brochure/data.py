"""Read a data file into a validated :class:`~brochure.model.Dataset`.

Every problem is reported at once, each with the file, the line, the record and the field, so a
data file from many hands is fixed in one round. Warnings (a text that falls back to another
language) are returned beside the data set; they never stop a build. The institutions may come
from a spreadsheet beside the file instead (:mod:`brochure.spreadsheet`), located by row and column.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import hashlib
import json
import multiprocessing
import os
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import yaml
from pydantic import BaseModel, ValidationError

from .errors import DataError, Problem
from .model import TO_FILL, Dataset, Packed, PerLanguage, Text

if TYPE_CHECKING:
    from .spreadsheet import Sheet

Location = tuple[str | int, ...]
STRING_TAG = "tag:yaml.org,2002:str"

# Data comes from many hands: bounds that no real data set reaches, so a mistake or an attack
# (a huge file, a runaway field) is refused with a clear message instead of exhausting memory.
MAX_FILE_BYTES = 10 * 1024 * 1024
APART_BYTES = 1024 * 1024  # a build reads larger files in a child process (load_apart)
MAX_TEXT_CHARACTERS = 10_000
# Characters that change how text is shown without being seen: refused, since in print they
# reorder or hide words. Zero-width spaces and joiners that only affect line breaking are
# removed with a warning.
REFUSED = {chr(code) for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                                  *range(0x7F, 0xA0), *range(0x202A, 0x202F),
                                  *range(0x2066, 0x206A), 0x2028, 0x2029,
                                  *range(0xD800, 0xE000))}  # lone surrogates cannot be printed
REMOVED = {"\u200b", "\u2060", "\ufeff"}

FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML built without libyaml

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
}


@dataclass
class Loaded:
    """A validated data set, the file it came from, and the warnings found while reading it.

    It keeps where each key stood in the file, so later checks (fonts, say) can name the line.
    """

    dataset: Dataset
    path: Path
    warnings: list[Problem] = field(default_factory=list)
    lines: dict[Location, int] = field(default_factory=dict, repr=False)
    tree: Any = field(default=None, repr=False)
    sheet: Sheet | None = field(default=None, repr=False)  # where the institutions came from
    # A hash of what each output reads of the data, by institution id (None: all of it), of
    # which build keys are made: see :func:`_digests`.
    digests: dict[str | None, str] = field(default_factory=dict, repr=False)

    def locate(self, loc: Location, message: str) -> Problem:
        """A problem at a location of the data set, with file, line, record and field."""
        if self.sheet and loc[:1] == ("institutions",) and len(loc) > 1:
            return self.sheet.locate(loc[1:], message)  # by row and column
        return _located(str(self.path), self.lines, self.tree, loc, message)


def load(path: Path, text: str | None = None, *, to_fill: bool = False) -> Loaded:
    """Read and validate a data file; raise :class:`DataError` listing every problem found.

    ``text`` stands for the file's content, so that an edit can be checked before it is written.
    A file ``to_fill`` (by an import) may have no institutions: no key, no value or ``[]``.
    """
    name = str(path)
    tree, lines = _read_yaml(path, name, text)
    if not isinstance(tree, Mapping):
        raise file_error(name, "must be a mapping with languages, network, city and institutions",
                         line=1)
    if to_fill and tree.get("institutions") is None:
        tree = {**tree, "institutions": []}
    sheet = _spreadsheet(path, tree, lines)
    if sheet:
        tree = {**tree, "institutions": sheet.records}
    refused: list[tuple[Location, str]] = []
    removed: list[tuple[Location, str]] = []
    tree = clean(tree, (), refused, removed)
    problems = [_located(name, lines, tree, loc, message) for loc, message in refused]
    try:
        dataset = Dataset.model_validate(tree, context={**validation_context(tree),
                                                        TO_FILL: to_fill})
    except ValidationError as error:
        problems += [_problem(name, lines, tree, item) for item in error.errors()]
        raise DataError(_in_file_order(problems)) from None
    problems += [_located(name, lines, tree, loc, message)
                 for loc, message in _cross_check(dataset)]
    if problems:
        raise DataError(_in_file_order(problems))
    loaded = Loaded(dataset=dataset, path=path, lines=lines, tree=tree, sheet=sheet,
                    digests=_digests(tree, dataset))
    loaded.warnings = [*(sheet.warnings if sheet else []),
                       *(loaded.locate(loc, message)
                         for loc, message in [*removed, *_fallbacks(dataset)])]
    return loaded


def load_apart(path: Path) -> Loaded:
    """:func:`load` for a build: the validated data set, its digests and its warnings, without
    the parsed file and its line index, which only messages about the data need, and with the
    institutions :class:`Packed` in a temporary file.

    A file of more than :data:`APART_BYTES`, with the spreadsheet it names, is read in a child
    process. Parsing leaves Python's
    heap full of freed memory it does not give back to the system (150 MB at 10,000
    institutions), which the build would otherwise carry beside its workers to the end; a
    child's heap goes with it. Problems come back as the same :class:`DataError`.
    """
    try:
        large = _parsed_size(path) > APART_BYTES
    except OSError:  # load says what is wrong with the path
        large = False
    # Named, so that a child process can write to it; unnamed again once written. It stays
    # open, and the records in it, as long as the data set that reads them.
    store = tempfile.NamedTemporaryFile(  # noqa: SIM115
        prefix="brochure-", suffix=".records", delete=False)
    try:
        if large:
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
                loaded, ends = child.submit(_without_file, path, store.name).result()
        else:
            loaded, ends = _without_file(path, store.name)
    except BaseException:
        store.close()
        raise
    finally:
        os.unlink(store.name)
    packed = Packed(store, ends)
    return dataclasses.replace(loaded, dataset=loaded.dataset.with_institutions(packed))


def _parsed_size(path: Path) -> int:
    """What loading a data file parses, in bytes: the file, and the spreadsheet it names."""
    size = path.stat().st_size
    if size > APART_BYTES or (source := _sheet_source(path)) is None:
        return size
    if (sheet := _sheet_path(path, source)) is None:
        return size  # refused by the load, which says why
    from .spreadsheet import parsed_size

    return size + parsed_size(sheet)


def _sheet_source(path: Path) -> str | None:
    """What ``institutions:`` names when it names a file, read from the YAML's events up to
    that key without building the tree; None for a list, or when the file is not plain YAML."""
    try:
        loader = FAST_LOADER(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    depth, key = 0, None  # the top-level key whose value comes next
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                if depth == 1 and key == "institutions":
                    return None
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                key = None if depth == 1 else key
            elif isinstance(event, yaml.ScalarEvent) and depth == 1:
                if key is None:
                    key = event.value
                elif key == "institutions":
                    return event.value
                else:
                    key = None
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _without_file(path: Path, store: str) -> tuple[Loaded, list[int]]:
    """The data set without its institutions, which go :class:`Packed` into ``store``."""
    loaded = load(path)
    with open(store, "r+b") as file:
        ends = Packed.write(loaded.dataset.institutions, file)
    dataset = loaded.dataset.with_institutions(())
    return dataclasses.replace(loaded, dataset=dataset, lines={}, tree=None, sheet=None), ends


def _digests(tree: Mapping[str, Any], dataset: Dataset) -> dict[str | None, str]:
    """A hash of what each output reads of the data: a flyer its institution's record, the
    languages, the network and the city; a brochure (None) all of it. Build keys are made of
    them, so a changed record remakes only the outputs that read it."""
    common = _digest({name: tree.get(name) for name in ("languages", "network", "city")})
    digests: dict[str | None, str] = {None: _digest(tree)}
    for item, record in zip(dataset.institutions, tree["institutions"], strict=True):
        digests[item.id] = _digest([common, record])
    return digests


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _spreadsheet(path: Path, tree: Mapping[str, Any], lines: dict[Location, int]) -> Sheet | None:
    """The spreadsheet that ``institutions: FILE`` names, read; None for a list in the file.

    City staff keep their institutions in Excel. The sheet must lie beside the data file or
    below it, as the images do: a data file from other hands must not read files elsewhere.
    """
    source = tree.get("institutions")
    if not isinstance(source, str):
        return None
    from .spreadsheet import read_institutions  # it builds on this module

    if (sheet_path := _sheet_path(path, source)) is None:
        raise DataError([_located(str(path), lines, tree, ("institutions",),
                                  f"'{source}' is outside the data file's folder; put the "
                                  "spreadsheet beside the data file or in a folder below it")])
    languages = tree.get("languages")
    if not (isinstance(languages, list) and all(isinstance(code, str) for code in languages)):
        languages = None  # the languages' own problem is reported; columns are not checked
    return read_institutions(sheet_path, languages, validation_context(tree))


def _sheet_path(path: Path, source: str) -> Path | None:
    """Where the spreadsheet named ``source`` lies, beside the data file or below it; None
    when it would lie elsewhere (through "..", an absolute path or a link)."""
    sheet = path.parent / source
    if (Path(source).is_absolute() or ".." in Path(source).parts
            or not sheet.resolve().is_relative_to(path.parent.resolve())):
        return None
    return sheet


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
        refused.append((loc, f"contains the invisible control character {_describe(bad[0])}; "
                             "remove it"))
    if invisible := sorted(set(value) & REMOVED):
        removed.append((loc, "removed the invisible character"
                             f"{'s' if len(invisible) > 1 else ''} "
                             + ", ".join(_describe(char) for char in invisible)))
        value = "".join(char for char in value if char not in REMOVED)
    return value


def _describe(char: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)'; control characters have no name, only a number."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: problem.line or 0)


def iter_by_language(value: Any, loc: Location = ()) -> Iterator[tuple[Location, PerLanguage[Any]]]:
    """Every value written per language (texts, homepages) in a record tree, with its location."""
    if isinstance(value, PerLanguage):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from iter_by_language(getattr(value, name), (*loc, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_by_language(item, (*loc, index))


def iter_texts(value: Any, loc: Location = ()) -> Iterator[tuple[Location, Text]]:
    """Every :class:`Text` in a record tree with its location, for checks and reports."""
    for where, item in iter_by_language(value, loc):
        if isinstance(item, Text):
            yield where, item


def read_file(path: Path, name: str) -> bytes:
    """The bytes of a data file (YAML or spreadsheet), refused when missing or too large."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise file_error(name, f"is {size / 1024 / 1024:.1f} MB; data files are limited to "
                                   f"{MAX_FILE_BYTES // 1024 // 1024} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise file_error(name, "no such file") from None
    except OSError as error:
        raise file_error(name, f"cannot be read: {error.strerror}") from None


def read_text(path: Path, name: str, encoding: str = "utf-8", hint: str = "") -> str:
    """A data file's text; ``hint`` tells how to save a file that is not UTF-8 as UTF-8."""
    try:
        return read_file(path, name).decode(encoding)
    except UnicodeDecodeError as error:
        raise file_error(name, f"is not UTF-8 text ({error.reason}){hint}") from None


def _read_yaml(path: Path, name: str, text: str | None = None) -> tuple[Any, dict[Location, int]]:
    """Parse YAML safely, keeping the line of every key; reject duplicates and aliases.

    libyaml reads a big file five times faster than PyYAML's own parser, with less memory; a
    file it finds wrong is read again by PyYAML's parser, whose messages are the plainer.
    """
    if text is None:
        text = read_text(path, name)
    try:
        return _composed(FAST_LOADER(text), name)
    except (yaml.YAMLError, RecursionError):
        pass
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise file_error(name, f"contains the control character {_describe(chr(error.character))}"
                               ", which YAML does not allow; remove it", line) from None
    try:
        return _composed(loader, name)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or error.context or ""
        if problem.startswith("but ") and error.context:  # "expected ..., but found ..."
            problem = f"{error.context}, {problem}"
        message = f"YAML syntax: {problem}"
        raise file_error(name, message, line) from None
    except yaml.YAMLError as error:
        raise file_error(name, f"YAML syntax: {error}") from None
    except RecursionError:
        raise file_error(name, "is nested too deeply to be a data file") from None


def _composed(loader: yaml.SafeLoader | yaml.CSafeLoader,
              name: str) -> tuple[Any, dict[Location, int]]:
    """The document a loader reads, and the line of each of its keys."""
    try:
        node = loader.get_single_node()
        if node is None:
            raise file_error(name, "is empty")
        lines: dict[Location, int] = {}
        _index_lines(node, (), lines, name, set())
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def file_error(name: str, message: str, line: int | None = None) -> DataError:
    """An error about the file as a whole (or one line of it), before any record is known."""
    return DataError([Problem(name, line, "", "", message)])


def _index_lines(node: yaml.Node, loc: Location, lines: dict[Location, int], name: str,
                 seen: set[int]) -> None:
    """Record the line of each node; aliases (and so alias bombs) and duplicate keys are errors."""
    if id(node) in seen:
        raise file_error(name, "YAML anchors and aliases (&name, *name) are not supported; "
                               "write the value out", node.start_mark.line + 1)
    seen.add(id(node))
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        keys: set[Any] = set()
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag != STRING_TAG:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                raise DataError([_located(name, {}, {}, (*loc, key),
                                          "keys must be text; put the key in quotes", line)])
            key = key_node.value
            if key in keys:
                raise DataError([_located(name, {}, {}, (*loc, key),
                                          "this key appears twice in the same mapping", line)])
            keys.add(key)
            lines[(*loc, key)] = key_node.start_mark.line + 1
            _index_lines(value_node, (*loc, key), lines, name, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*loc, index), lines, name, seen)


def validation_context(tree: Mapping[str, Any]) -> dict[str, Any]:
    """What validators need to know beyond their own field: the city's country for phones."""
    city = tree.get("city")
    country = city.get("country") if isinstance(city, Mapping) else None
    return {"country": country} if isinstance(country, str) else {}


def _cross_check(dataset: Dataset) -> Iterator[tuple[Location, str]]:
    """Rules that span records: unique ids, known languages and fields."""
    languages = dataset.languages
    for index, lang in enumerate(languages):
        if lang in languages[:index]:
            yield ("languages", index), f"'{lang}' is listed twice"
    for loc, value in iter_by_language(dataset):
        for lang in value.languages:
            if lang not in languages:
                yield (*loc, lang), unknown_language(lang, languages)
    first_use: dict[str, int] = {}
    for index, institution in enumerate(dataset.institutions):
        if institution.id in first_use:
            yield ((("institutions", index, "id"),
                    f"id '{institution.id}' is already used by institution "
                    f"{first_use[institution.id] + 1}"))
        first_use.setdefault(institution.id, index)
    field_ids = [field.id for field in dataset.network.fields]
    for index, field_id in enumerate(field_ids):
        if field_id in field_ids[:index]:
            yield ("network", "fields", index, "id"), f"id '{field_id}' is listed twice"
    if dataset.city.field and dataset.city.field not in field_ids:
        yield ("city", "field"), (f"'{dataset.city.field}' is not one of the network's fields "
                                  f"({', '.join(field_ids) or 'none listed'})")


def unknown_language(lang: str, languages: list[str]) -> str:
    """The message for a text in a language that the data does not list."""
    return (f"language '{lang}' is not in the data's languages "
            f"({', '.join(dict.fromkeys(languages))})")


def _fallbacks(dataset: Dataset) -> Iterator[tuple[Location, str]]:
    """A warning for each text missing in one of the data's languages, saying what shows instead."""
    for loc, text in iter_texts(dataset):
        if not text.languages:
            continue
        for lang in dataset.languages:
            if lang not in text.languages:
                used = text.resolve(lang, dataset.languages).lang
                yield loc, f"no '{lang}' text; the '{lang}' outputs show the '{used}' text"


def _problem(name: str, lines: dict[Location, int], tree: Any, error: Any) -> Problem:
    """One pydantic error as a problem in the file."""
    return _located(name, lines, tree, tuple(error["loc"]), error_message(error))


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


def _located(name: str, lines: dict[Location, int], tree: Any, loc: Location, message: str,
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
    if loc[0] == "institutions" and len(loc) > 1 and isinstance(loc[1], int):
        index = loc[1]
        record = f"institution {index + 1}"
        items = tree.get("institutions")
        if isinstance(items, list) and index < len(items) and isinstance(items[index], Mapping):
            item_id = items[index].get("id")
            if isinstance(item_id, str):
                record += f" ({item_id})"
        return record, loc[2:]
    if loc[0] in ("network", "city") and len(loc) > 1:
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
