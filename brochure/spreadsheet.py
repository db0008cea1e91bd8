"""Institutions kept in a spreadsheet (.csv or .xlsx): read into records, merged into a data file.

City staff and festival organisers keep their lists in Excel, one row per institution and one
column per field and language (``id``, ``name_en``, ``name_ko``, ``phone``, ``homepage``...). A
row becomes the record a data file would hold and is checked by the same model, with the same
messages, located by row and column instead of line and key. A bad row is reported and left out,
so that one typo does not hold back the rest of the list.

Merging writes the rows into a data file by id with a round-trip YAML editor, so that the
comments, order and quotes its authors chose survive; the result must load before it is written.
"""

from __future__ import annotations

import csv
import datetime
import io
import warnings
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, get_args

import yaml
from pydantic import ValidationError
from ruamel.yaml import YAML, CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
    ScalarString,
)

from . import output
from .data import (
    STRING_TAG,
    Location,
    did_you_mean,
    error_message,
    file_error,
    load,
    read_file,
    read_text,
    unknown_language,
    validation_context,
)
from .data import clean as clean_texts
from .errors import DataError, Problem, plural
from .model import LANGUAGE_CODE, MAX_INSTITUTIONS, Institution, PerLanguage

FIELDS = tuple(Institution.model_fields)  # the columns, in the order a data file writes them
# The fields written per language (texts, the homepage), whose columns take a language suffix.
BY_LANGUAGE = tuple(name for name, info in Institution.model_fields.items()
                    if any(isinstance(kind, type) and issubclass(kind, PerLanguage)
                           for kind in (info.annotation, *get_args(info.annotation))))
# A workbook is a zip archive: 10 MB of it could unpack to gigabytes of XML.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
CSV_HINT = "; save it from your spreadsheet as 'CSV UTF-8'"
FORMATS = ("a .csv or .xlsx file; save the list from your spreadsheet as 'CSV UTF-8' or as an "
           "Excel workbook (.xlsx)")
YAML_RESOLVER = yaml.resolver.Resolver()  # how the data loader reads a plain scalar

Row = tuple[int, list[str | None]]  # a row's number as the spreadsheet shows it, and its cells


@dataclass(frozen=True)
class Column:
    """A column of the sheet: its header as written (for messages), the field, the language."""

    header: str
    field: str
    lang: str | None = None


@dataclass
class Sheet:
    """The institutions of a spreadsheet: good rows as records, bad rows as warnings.

    ``records`` have the shape a data file's ``institutions`` list has, so builds hash and read
    them as they would the file's; ``ids`` and ``rows`` say which institution and row each is.
    """

    name: str
    headers: dict[tuple[str, str | None], str]
    records: list[dict[str, Any]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # the rows left out
    row_of: dict[str, int] = field(default_factory=dict, repr=False)  # the row of each id

    def locate(self, loc: Location, message: str) -> Problem:
        """A problem at ``(index, field, lang)`` of the records, by row, id and column."""
        index = int(loc[0])
        return _at(self.name, self.rows[index], self.ids[index], self.headers, loc[1:], message)

    def add(self, row: int, record: dict[str, Any], context: Mapping[str, Any],
            existing: Mapping[str, Mapping[str, Any]]) -> None:
        """Check one row as the data file's institutions are checked; keep it or report it.

        A row for an institution in ``existing`` (by id) is checked as it will be once merged,
        so it needs only the cells that change.
        """
        refused: list[tuple[Location, str]] = []
        removed: list[tuple[Location, str]] = []
        record = clean_texts(record, (), refused, removed)
        ident = record.get("id") if isinstance(record.get("id"), str) else ""
        problems = list(refused)
        try:
            merged = _overlay(existing.get(ident, {}), record)
            ident = Institution.model_validate(merged, context=context).id
        except ValidationError as error:
            problems += [(tuple(item["loc"]), error_message(item)) for item in error.errors()]
        if ident in self.row_of and not problems:
            problems.append((("id",), f"id '{ident}' is already used by row {self.row_of[ident]}"))
        notes = problems or removed
        self.warnings += [_at(self.name, row, ident, self.headers, loc, message)
                          for loc, message in notes]
        if problems:
            self.skipped.append(row)
        else:
            self.records.append(record)
            self.ids.append(ident)
            self.rows.append(row)
            self.row_of[ident] = row


def read_institutions(path: Path, languages: Sequence[str] | None, context: Mapping[str, Any],
                      existing: Mapping[str, Mapping[str, Any]] | None = None) -> Sheet:
    """The institutions of a .csv or .xlsx file, each row checked; bad rows are left out.

    ``languages`` are the data's (None when unknown): a column in another language is a
    problem. ``context`` is the data's validation context (the city's country, for phones).
    ``existing`` are the records a merge goes into, by id. Problems with the header, and a
    sheet without one good row, are errors.
    """
    name = str(path)
    table = read_table(path, name)
    if len(table) < 2:
        raise file_error(name, "has no institutions: a header row (id, name_en, phone, ...) and "
                               "a row for each institution are expected")
    columns = _columns(table, name, languages)
    sheet = Sheet(name, {(column.field, column.lang): column.header
                         for column in columns if column})
    for row, cells in table[1:]:
        sheet.add(row, _record(columns, cells), context, existing or {})
    if not sheet.records:
        raise DataError(sheet.warnings)
    return sheet


def read_table(path: Path, name: str) -> list[Row]:
    """The rows of a .csv file or of a workbook's first sheet that hold anything, as text."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = read_text(path, name, encoding="utf-8-sig", hint=CSV_HINT)  # with or without BOM
        try:
            return _table(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)),
                          name)
        except csv.Error as error:
            raise file_error(name, f"cannot be read as CSV ({error})") from None
    if suffix == ".xlsx":
        return _xlsx_table(read_file(path, name), name)
    raise file_error(name, f"is not {FORMATS}")


def _delimiter(text: str) -> str:
    """',' or the ';' or tab that spreadsheets write in some countries: the header row tells."""
    header = text.split("\n", 1)[0]
    return max(",;\t", key=header.count)


def _xlsx_table(data: bytes, name: str) -> list[Row]:
    """The values (not formulas) of a workbook's first sheet, refusing archives that balloon."""
    import openpyxl  # loaded only for workbooks
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        unpacked = _unpacked(io.BytesIO(data))
        if unpacked > MAX_UNPACKED_BYTES:
            raise file_error(name, f"unpacks to {unpacked / 1024 / 1024:.0f} MB; workbooks are "
                                   f"limited to {MAX_UNPACKED_BYTES // 1024 // 1024} MB unpacked")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # styles and extensions openpyxl skips: no matter
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                sheet.reset_dimensions()  # some programs record a wrong size; read every row
                return _table(sheet.iter_rows(values_only=True), name)
            finally:
                workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, TypeError,
            ValueError, SyntaxError) as error:  # SyntaxError: the XML inside is broken
        raise file_error(name, "cannot be read as an Excel workbook (.xlsx); open it in your "
                               "spreadsheet program and save it again") from error


def parsed_size(path: Path) -> int:
    """What reading a spreadsheet parses, in bytes: a CSV file's size, a workbook's unpacked
    (0 when it cannot tell: reading it says what is wrong)."""
    try:
        return _unpacked(path) if path.suffix.lower() == ".xlsx" else path.stat().st_size
    except (OSError, zipfile.BadZipFile):
        return 0


def _unpacked(workbook: Path | BinaryIO) -> int:
    """The size of a workbook's files once unpacked, from its zip directory alone."""
    with zipfile.ZipFile(workbook) as archive:
        return sum(info.file_size for info in archive.infolist())


def _table(rows: Iterable[Sequence[object]], name: str) -> list[Row]:
    """Rows with anything in them, numbered as the spreadsheet shows them (from 1)."""
    table: list[Row] = []
    for number, values in enumerate(rows, 1):
        cells = [_cell_text(value) for value in values]
        if any(cells):
            table.append((number, cells))
        if len(table) > MAX_INSTITUTIONS + 1:
            raise file_error(name, f"has more than {MAX_INSTITUTIONS:,} rows; a data file holds "
                                   f"at most {MAX_INSTITUTIONS:,} institutions")
    return table


def _cell_text(value: object) -> str | None:
    """A cell as the text it shows: spreadsheets store numbers and dates typed in as such."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    text = value.isoformat() if isinstance(value, datetime.date | datetime.time) else str(value)
    return text.replace("\r\n", "\n").strip() or None


def _columns(table: list[Row], name: str, languages: Sequence[str] | None) -> list[Column | None]:
    """The column of each header cell; unknown, repeated or unnamed columns are errors."""
    row, header = table[0]
    filled = {index for _, cells in table[1:] for index, cell in enumerate(cells) if cell}
    header = header + [None] * (max(filled, default=0) + 1 - len(header))
    columns: list[Column | None] = []
    problems = []
    for index, cell in enumerate(header):
        column = None
        if cell is None:
            if index in filled:
                from openpyxl.utils import get_column_letter  # spreadsheets' names: A, ..., AB

                problems.append(Problem(name, row, "", f"column {get_column_letter(index + 1)}",
                                        "has values but no header; name it or delete the column"))
        else:
            try:
                column = _column(cell, languages)
                if clash := _clash(column, columns):
                    problems.append(Problem(name, row, "", cell, clash))
                    column = None
            except ValueError as error:
                problems.append(Problem(name, row, "", cell, str(error)))
        columns.append(column)
    if problems:
        raise DataError(problems)
    return columns


def _column(header: str, languages: Sequence[str] | None) -> Column:
    """What a header names: 'phone', 'name' (every language), 'Name_KO' (Korean)."""
    key = header.strip().lower()
    if key in FIELDS:
        return Column(header, key)
    field_name, _, suffix = key.rpartition("_")
    if field_name in BY_LANGUAGE and LANGUAGE_CODE.match(suffix):
        lang = next((code for code in languages or () if code.lower() == suffix), suffix)
        if languages is not None and lang not in languages:
            raise ValueError(unknown_language(lang, list(languages)))
        return Column(header, field_name, lang)
    known = [*FIELDS, *(f"{name}_{lang}" for name in BY_LANGUAGE for lang in languages or ())]
    raise ValueError("unknown column" + did_you_mean(key, known))


def _clash(column: Column, columns: list[Column | None]) -> str | None:
    """Why a column cannot stand beside the ones before it: the same field twice."""
    for other in filter(None, columns):
        if other.field != column.field:
            continue
        if other.lang == column.lang:
            return "this column appears twice"
        if None in (other.lang, column.lang):
            return (f"cannot stand beside '{other.header}': give the {column.field} in one "
                    f"'{column.field}' column or in one column per language")
    return None


def _record(columns: list[Column | None], cells: list[str | None]) -> dict[str, Any]:
    """A row as a data file writes an institution: a text, or one text per language."""
    record: dict[str, Any] = {}
    for column, cell in zip(columns, cells, strict=False):
        if column is None or cell is None:
            continue
        if column.lang is None:
            record[column.field] = cell
        else:
            record.setdefault(column.field, {})[column.lang] = cell
    return {key: record[key] for key in FIELDS if key in record}


def _overlay(record: Mapping[str, Any], cells: Mapping[str, Any]) -> dict[str, Any]:
    """A record with a row's cells put in: a language's text replaces that language's only."""
    merged = dict(record)
    for key, value in cells.items():
        old = merged.get(key)
        both = isinstance(value, Mapping) and isinstance(old, Mapping)
        merged[key] = {**old, **value} if both else value
    return merged


def _at(name: str, row: int, ident: str, headers: Mapping[tuple[str, str | None], str],
        loc: Location, message: str) -> Problem:
    """A problem in a row, named by the institution's id and the column as its header says."""
    return Problem(name, row, f"institution {ident}".strip(), _column_name(headers, loc), message)


def _column_name(headers: Mapping[tuple[str, str | None], str], loc: Location) -> str:
    """The header of the column a location points to: 'name_ko' for ('name', 'ko')."""
    if not loc:
        return ""
    name = str(loc[0])
    lang = loc[1] if len(loc) > 1 and isinstance(loc[1], str) else None
    found = headers.get((name, lang)) or headers.get((name, None))
    return found or (f"{name}_{lang}" if lang else name)


@dataclass
class Merge:
    """A spreadsheet merged into a data file by id: what changed, and the file to write."""

    sheet: Sheet
    target: Path
    text: str | None = None  # the data file after the merge; None when nothing changed
    lines: list[str] = field(default_factory=list)  # 'added ID', 'changed ID: FIELD, ...'
    added: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def warnings(self) -> list[Problem]:
        """The rows left out and the characters removed, to show before anything is written."""
        return self.sheet.warnings

    def write(self) -> None:
        """Replace the data file with the merged one in one step; nothing when nothing changed."""
        if self.text is not None:
            output.write_atomic(self.target, self.text.encode("utf-8"))

    def summary(self) -> str:
        """One line: how many institutions were added, changed and left as they were."""
        counts = f"{self.added} added, {self.changed} changed, {self.unchanged} unchanged"
        if self.sheet.skipped:
            counts += f", {plural(len(self.sheet.skipped), 'bad row')} left out"
        written = "" if self.text is not None else "; nothing to write"
        return f"{self.sheet.name} into {self.target}: {counts}{written}"


def merge(sheet_path: Path, target: Path) -> Merge:
    """The institutions of a spreadsheet merged into a data file by id, checked, not written.

    A new id is added at the end of the list, which is made if the file has none yet. An
    institution already there takes the sheet's non-empty cells and keeps the fields and
    languages the sheet has no column for; institutions that are not in the sheet stay. The
    merged file must load as the old one did, and with institutions.
    """
    name = str(target)
    if not target.exists():
        raise file_error(name, "no such file; brochure import adds to an existing data file, "
                               "which gives the network and the city (start from a copy of "
                               "data/icheon.yaml)")
    text = read_text(target, name)
    before = load(target, text, to_fill=True)
    if before.sheet is not None:
        raise file_error(name, f"takes its institutions from {before.sheet.name}; change that "
                               "spreadsheet instead of importing into the data file")
    positions = {item.id: index for index, item in enumerate(before.dataset.institutions)}
    sheet = read_institutions(sheet_path, before.dataset.languages,
                              validation_context(before.tree),
                              {ident: before.tree["institutions"][index]
                               for ident, index in positions.items()})
    editor = _editor(text)
    try:
        document = editor.load(text)
    except YAMLError as error:
        raise file_error(name, f"cannot be edited automatically ({type(error).__name__}); add "
                               "the institutions by hand") from error
    result = Merge(sheet, target)
    if not (items := document.get("institutions")):  # no key, no value or []: a new list
        items = document["institutions"] = CommentedSeq()
    _apply(result, items, positions, before.dataset.languages, _spaced(items, text))
    if result.added or result.changed:
        result.text = _dump(editor, document)
        _check(target, result.text)
    return result


def _apply(result: Merge, items: CommentedSeq, positions: Mapping[str, int],
           order: Sequence[str], spaced: bool) -> None:
    """Add or update each of the sheet's institutions in the file's list, noting what changed."""
    for ident, record in zip(result.sheet.ids, result.sheet.records, strict=True):
        if ident not in positions:
            _append(items, _new_item(record, order), spaced)
            result.lines.append(f"added {ident}")
            result.added += 1
        elif changes := _update(items[positions[ident]], record, order):
            result.lines.append(f"changed {ident}: {', '.join(changes)}")
            result.changed += 1
        else:
            result.unchanged += 1


def _editor(text: str) -> YAML:
    """A round-trip YAML editor that writes the file in its own indentation, never rewrapped."""
    editor = YAML()  # round trip: comments, key order and flow styles survive
    editor.preserve_quotes = True
    editor.width = 1 << 16  # long lines are the author's: never fold them
    content = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    editor.explicit_start = bool(content) and content[0].startswith("---")
    mapping, sequence, offset = _indentation(text)
    editor.indent(mapping=mapping, sequence=sequence, offset=offset)
    return editor


def _indentation(text: str) -> tuple[int, int, int]:
    """How a file indents mappings, list items and their dashes: (2, 4, 2) in the sample."""
    mapping = sequence = offset = None
    opener = None  # the column of a key whose value starts on the next line
    for line in text.splitlines():
        content = line.lstrip(" ")
        if not content or content.startswith("#"):
            continue
        column = len(line) - len(content)
        key_column = column + len(content) - len(content.lstrip("- "))  # after any dash
        if opener is not None and content.startswith("- ") and column >= opener:
            if sequence is None:
                offset, sequence = column - opener, key_column - opener
        elif opener is not None and column > opener:
            mapping = mapping or column - opener
        opener = key_column if content.rstrip().endswith(":") else None
    mapping = mapping or 2
    return mapping, sequence or mapping + 2, offset if offset is not None else 2


def _spaced(items: CommentedSeq, text: str) -> bool:
    """Whether the file sets a blank line between institutions, so new ones get one too."""
    if len(items) < 2:
        return False
    line = items.lc.item(1)[0]  # counted from 0: the line before is ``line - 1``
    return line > 0 and not text.splitlines()[line - 1].strip()


def _append(items: CommentedSeq, item: CommentedMap, spaced: bool) -> None:
    """Add an institution at the end of the list, set apart as the others are."""
    items.append(item)
    if spaced:
        items.yaml_set_comment_before_after_key(len(items) - 1, before="\n")


def _new_item(record: Mapping[str, Any], order: Sequence[str]) -> CommentedMap:
    """A new institution for the data file, its fields and languages in the usual order."""
    item = CommentedMap()
    for key, value in record.items():
        item[key] = _value(value, None, order)
    return item


def _update(item: CommentedMap, record: Mapping[str, Any], order: Sequence[str]) -> list[str]:
    """Put a row's cells into an institution of the data file; the fields that changed."""
    changes = []
    for key, value in record.items():
        old = item.get(key)
        if isinstance(value, Mapping) and isinstance(old, CommentedMap):
            for lang, text in value.items():
                if _differs(old.get(lang), text):
                    _put(old, lang, _value(text, old.get(lang), order), order)
                    changes.append(f"{key}.{lang}")
        elif isinstance(value, Mapping) or _differs(old, value):
            _put(item, key, _value(value, old, order), FIELDS)
            changes.append(key)
    return changes


def _differs(old: object, new: str) -> bool:
    """Whether a cell says something else than the file: texts are compared as they print."""
    return not isinstance(old, str) or old.strip() != new


def _value(value: str | Mapping[str, str], old: object, order: Sequence[str]) -> Any:
    """A cell's value as the data file writes it: a text, or a mapping in language order."""
    if isinstance(value, Mapping):
        ranked = sorted(value, key=lambda lang: order.index(lang) if lang in order else len(order))
        return CommentedMap((lang, _scalar(value[lang], None)) for lang in ranked)
    return _scalar(value, old)


def _scalar(text: str, old: object) -> str:
    """A text in the style of the one it replaces, or as a block when it has line breaks.

    A text that the data loader would read plain as something else (yes, 2024, 1:30) is quoted.
    """
    if isinstance(old, LiteralScalarString | FoldedScalarString) and old.endswith("\n"):
        text += "\n"  # the block keeps its last line break: '>' stays '>', not '>-'
    if "\n" in text.rstrip("\n"):
        return LiteralScalarString(text)
    style = type(old) if isinstance(old, ScalarString) else None
    if style in (None, PlainScalarString) and (
            YAML_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != STRING_TAG):
        style = DoubleQuotedScalarString
    return style(text) if style else text


def _put(mapping: CommentedMap, key: str, value: Any, order: Sequence[str]) -> None:
    """Set a key in the data file, keeping the comment or blank line that followed it there.

    A new key goes after the keys that come before it in ``order``.
    """
    if key in mapping:
        index, follows = None, key
    else:
        rank = order.index(key) if key in order else len(order)
        index = max((place + 1 for place, existing in enumerate(mapping)
                     if existing in order[:rank]), default=0)
        follows = list(mapping)[-1] if mapping and index == len(mapping) else None
    comment = _take_comment(mapping, follows) if follows is not None else None
    if index is None:
        mapping[key] = value
    else:
        mapping.insert(index, key, value)
    if comment is not None:
        _give_comment(mapping, key, comment)


def _take_comment(mapping: CommentedMap, key: str) -> Any:
    """Remove and return the comment (or blank line) that follows a key's value, if any."""
    entry = mapping.ca.items.get(key)
    if entry and len(entry) > 2 and entry[2] is not None:
        comment, entry[2] = entry[2], None
        return comment
    value = mapping[key]
    if isinstance(value, CommentedMap) and value:
        return _take_comment(value, list(value)[-1])
    return None


def _give_comment(mapping: CommentedMap, key: str, comment: Any) -> None:
    """Put a comment after a key's value: after its last line, however deep that is."""
    value = mapping[key]
    if isinstance(value, CommentedMap) and value and not value.fa.flow_style():
        _give_comment(value, list(value)[-1], comment)
    else:
        mapping.ca.items.setdefault(key, [None, None, None, None])[2] = comment


def _dump(editor: YAML, document: Any) -> str:
    """The edited document as text."""
    stream = io.StringIO()
    editor.dump(document, stream)
    return stream.getvalue()


def _check(target: Path, text: str) -> None:
    """The merged data file must load; if it would not, it is not written."""
    try:
        load(target, text)
    except DataError as error:
        raise DataError([*error.problems, Problem(str(target), None, "", "",
                                                  "the merged data would not load, so nothing "
                                                  "was written")]) from None
