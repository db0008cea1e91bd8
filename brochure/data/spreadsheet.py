"""Institutions and events kept in a spreadsheet (.csv or .xlsx): read into records, merged into
a data file.

City staff and festival organisers keep their lists in Excel, one row per institution (or event)
and one column per field and language (``id``, ``name_en``, ``name_ko``, ``phone``,
``homepage``...; ``id``, ``title_en``, ``start``, ``end``... for events). The header row says
which list a sheet holds (:data:`LISTINGS`). A row becomes the record a data file would hold and
is checked by the same model, with the same messages, located by row and column instead of line
and key. A bad row is reported and left out, so that one typo does not hold back the rest.

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

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from ..errors import DataError, Problem
from ..settings import MAX_INSTITUTIONS, MAX_UNPACKED_BYTES
from .model import LANGUAGE_CODE, Event, Institution, PerLanguage, Picture
from .problems import Location, did_you_mean, error_message, unknown_language
from .problems import clean as clean_texts
from .yamlfile import file_error, read_file, read_text


def _annotated(info: FieldInfo, kind: type) -> bool:
    """Whether a model's field holds a ``kind`` (or may be None)."""
    return any(isinstance(each, type) and issubclass(each, kind)
               for each in (info.annotation, *get_args(info.annotation)))


def _per_language(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` written per language (texts, homepages)."""
    return tuple(name for name, info in model.model_fields.items()
                 if _annotated(info, PerLanguage))


@dataclass(frozen=True)
class Listing:
    """A list of records a data file holds and a spreadsheet may give: its key in the file,
    what one record is called in messages, and the record's model."""

    key: str
    word: str
    model: type[Institution | Event]

    @property
    def fields(self) -> tuple[str, ...]:
        """The record's fields, in the order a data file writes them."""
        return tuple(self.model.model_fields)

    @property
    def pictures(self) -> tuple[str, ...]:
        """The fields that hold a picture: each of its own fields has a column."""
        return tuple(name for name, info in self.model.model_fields.items()
                     if _annotated(info, Picture))

    @property
    def columns(self) -> dict[str, str]:
        """Each column, to the path of the field it fills: a picture's file is its field's own
        column ('image': 'image.file'), its alt text has one more ('image_alt': 'image.alt')."""
        columns = {name: name for name in self.fields if name not in self.pictures}
        for name in self.pictures:
            columns.update({_column_of(f"{name}.{part}"): f"{name}.{part}"
                            for part in Picture.model_fields})
        return columns

    @property
    def by_language(self) -> tuple[str, ...]:
        """The paths of the fields written per language: their columns take a suffix."""
        return (*_per_language(self.model),
                *(f"{name}.{part}" for name in self.pictures for part in _per_language(Picture)))


# The lists a spreadsheet can give, the first that knows every column of its header.
LISTINGS = {listing.key: listing for listing in (
    Listing("institutions", "institution", Institution), Listing("events", "event", Event))}
INSTITUTIONS = LISTINGS["institutions"]
PICTURE_FIELDS = frozenset(name for listing in LISTINGS.values() for name in listing.pictures)
# A workbook is a zip archive: 10 MB of it could unpack to gigabytes of XML.
CSV_HINT = "; save it from your spreadsheet as 'CSV UTF-8'"
FORMATS = ("a .csv or .xlsx file; save the list from your spreadsheet as 'CSV UTF-8' or as an "
           "Excel workbook (.xlsx)")

Row = tuple[int, list[str | None]]  # a row's number as the spreadsheet shows it, and its cells


@dataclass(frozen=True)
class Column:
    """A column of the sheet: its header as written (for messages), the field, the language."""

    header: str
    field: str
    lang: str | None = None


@dataclass
class Spreadsheet:
    """The institutions of a spreadsheet: good rows as records, bad rows as warnings.

    ``records`` have the shape a data file's ``institutions`` list has, so builds hash and read
    them as they would the file's; ``ids`` and ``rows`` say which institution and row each is.
    """

    name: str
    headers: dict[tuple[str, str | None], str]
    listing: Listing = INSTITUTIONS
    records: list[dict[str, Any]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # the rows left out
    row_of: dict[str, int] = field(default_factory=dict, repr=False)  # the row of each id

    def locate(self, loc: Location, message: str) -> Problem:
        """A problem at ``(index, field, lang)`` of the records, by row, id and column."""
        index = int(loc[0])
        return _at(self.name, self.rows[index], f"{self.listing.word} {self.ids[index]}",
                   self.headers, loc[1:], message)

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
            ident = self.listing.model.model_validate(merged, context=context).id
        except ValidationError as error:
            problems += [(tuple(item["loc"]), error_message(item)) for item in error.errors()]
        if ident in self.row_of and not problems:
            problems.append((("id",), f"id '{ident}' is already used by row {self.row_of[ident]}"))
        notes = problems or removed
        self.warnings += [_at(self.name, row, f"{self.listing.word} {ident}".strip(),
                              self.headers, loc, message) for loc, message in notes]
        if problems:
            self.skipped.append(row)
        else:
            self.records.append(record)
            self.ids.append(ident)
            self.rows.append(row)
            self.row_of[ident] = row


def read_institutions(path: Path, languages: Sequence[str] | None, context: Mapping[str, Any],
                      existing: Mapping[str, Mapping[str, Any]] | None = None) -> Spreadsheet:
    """The institutions of a .csv or .xlsx file that a data file names as its list."""
    return read_records(path, languages, context, {"institutions": existing or {}},
                        INSTITUTIONS)


def read_records(path: Path, languages: Sequence[str] | None, context: Mapping[str, Any],
                 existing: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
                 listing: Listing | None = None) -> Spreadsheet:
    """The records of a .csv or .xlsx file, each row checked; bad rows are left out.

    ``languages`` are the data's (None when unknown): a column in another language is a
    problem. ``context`` is the data's validation context (the city's country, for phones).
    ``existing`` are the records a merge goes into, by list and id. ``listing`` is the list
    the sheet gives; None: the one its header's columns name. Problems with the header, and a
    sheet without one good row, are errors.
    """
    name = str(path)
    table = read_table(path, name)
    if len(table) < 2:
        raise file_error(name, "has no institutions: a header row (id, name_en, phone, ...) and "
                               "a row for each institution are expected")
    listing = listing or _listing(table[0][1], languages)
    columns = _columns(table, name, languages, listing)
    sheet = Spreadsheet(name, {(column.field, column.lang): column.header
                               for column in columns if column}, listing)
    for row, cells in table[1:]:
        sheet.add(row, _record(columns, cells, listing), context,
                  (existing or {}).get(listing.key, {}))
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
    import openpyxl  # start-up: loaded for workbooks only (see brochure.build.pool)
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
    if isinstance(value, datetime.datetime | datetime.time) and not value.second:
        text = value.isoformat(timespec="minutes")  # '2027-04-25T10:00', as a data file has it
    elif isinstance(value, datetime.date | datetime.time):
        text = value.isoformat()
    else:
        text = str(value)
    return text.replace("\r\n", "\n").strip() or None


def _listing(header: Sequence[str | None], languages: Sequence[str] | None) -> Listing:
    """The list a header's columns name: the first that knows them all, else institutions
    (whose messages then name the columns it does not know)."""
    for listing in LISTINGS.values():
        try:
            for cell in filter(None, header):
                _column(cell, languages, listing)
        except ValueError:
            continue
        return listing
    return INSTITUTIONS


def _columns(table: list[Row], name: str, languages: Sequence[str] | None,
             listing: Listing) -> list[Column | None]:
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
                column = _column(cell, languages, listing)
                if clash := _clash(column, columns):
                    problems.append(Problem(name, row, "", cell, clash))
                    column = None
            except ValueError as error:
                problems.append(Problem(name, row, "", cell, str(error)))
        columns.append(column)
    if problems:
        raise DataError(problems)
    return columns


def _column(header: str, languages: Sequence[str] | None, listing: Listing) -> Column:
    """What a header names: 'phone', 'name' (every language), 'Name_KO' (Korean)."""
    key = header.strip().lower()
    columns = listing.columns
    if key in columns:
        return Column(header, columns[key])
    column, _, suffix = key.rpartition("_")
    if columns.get(column) in listing.by_language and LANGUAGE_CODE.match(suffix):
        lang = next((code for code in languages or () if code.lower() == suffix), suffix)
        if languages is not None and lang not in languages:
            raise ValueError(unknown_language(lang, list(languages)))
        return Column(header, columns[column], lang)
    known = [*columns, *(f"{name}_{lang}" for name, path in columns.items()
                         if path in listing.by_language for lang in languages or ())]
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


def _record(columns: list[Column | None], cells: list[str | None],
            listing: Listing) -> dict[str, Any]:
    """A row as a data file writes a record: a text, or one text per language."""
    record: dict[str, Any] = {}
    for column, cell in zip(columns, cells, strict=False):
        if column is None or cell is None:
            continue
        *parents, name = column.field.split(".")
        target = record
        for parent in parents:
            target = target.setdefault(parent, {})
        if column.lang is None:
            target[name] = cell
        else:
            target.setdefault(name, {})[column.lang] = cell
    for name in listing.pictures:
        if name in record:
            record[name] = {key: record[name][key] for key in Picture.model_fields
                            if key in record[name]}
    return {key: record[key] for key in listing.fields if key in record}


def _overlay(record: Mapping[str, Any], cells: Mapping[str, Any]) -> dict[str, Any]:
    """A record with a row's cells put in: a language's text replaces that language's only."""
    merged = dict(record)
    for key, value in cells.items():
        old = merged.get(key)
        both = isinstance(value, Mapping) and isinstance(old, Mapping)
        merged[key] = {**old, **value} if both else value
    return merged


def _at(name: str, row: int, record: str, headers: Mapping[tuple[str, str | None], str],
        loc: Location, message: str) -> Problem:
    """A problem in a row, named by its record ('institution kocef') and the column as its
    header says."""
    return Problem(name, row, record, _column_name(headers, loc), message)


def _column_name(headers: Mapping[tuple[str, str | None], str], loc: Location) -> str:
    """The header of the column a location points to: 'name_ko' for ('name', 'ko')."""
    if not loc:
        return ""
    if loc[0] in PICTURE_FIELDS and len(loc) > 1 and loc[1] in Picture.model_fields:
        loc = (f"{loc[0]}.{loc[1]}", *loc[2:])
    name = str(loc[0])
    lang = loc[1] if len(loc) > 1 and isinstance(loc[1], str) else None
    found = headers.get((name, lang)) or headers.get((name, None))
    name = _column_of(name)
    return found or (f"{name}_{lang}" if lang else name)


def _column_of(path: str) -> str:
    """A field's column by its path in the record: 'image.file' is 'image', 'image.alt' is
    'image_alt'."""
    return path.removesuffix(".file").replace(".", "_")
