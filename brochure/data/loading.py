"""Read a data file into a validated :class:`~brochure.data.model.Dataset`.

Every problem is reported at once, each with the file, the line, the record and the field, so a
data file from many hands is fixed in one round. Warnings (a text that falls back to another
language) are returned beside the data set; they never stop a build. The institutions may come
from a spreadsheet beside the file instead (:mod:`.spreadsheet`), located by row and column.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import tempfile
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import DataError, Problem
from ..plan.kinds import KINDS
from ..settings import APART_BYTES, MAX_URL_LENGTH
from . import pictures, programme
from .model import TO_FILL, Dataset, Homepage, Packed, PerLanguage, Text
from .problems import (
    Location,
    clean,
    in_file_order,
    located,
    pydantic_problem,
    repeated_ids,
    unknown_language,
)
from .spreadsheet import Spreadsheet, parsed_size, read_institutions
from .yamlfile import file_error, read_yaml, sheet_source


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
    sheet: Spreadsheet | None = field(default=None, repr=False)  # where the institutions came from
    # A hash of what each output reads of the data, by institution id (None: all of it), of
    # which build keys are made: see :func:`_digests`.
    digests: dict[str | None, str] = field(default_factory=dict, repr=False)

    def locate(self, loc: Location, message: str) -> Problem:
        """A problem at a location of the data set, with file, line, record and field."""
        if self.sheet and loc[:1] == ("institutions",) and len(loc) > 1:
            return self.sheet.locate(loc[1:], message)  # by row and column
        return located(str(self.path), self.lines, self.tree, loc, message)


def load(path: Path, text: str | None = None, *, to_fill: bool = False) -> Loaded:
    """Read and validate a data file; raise :class:`DataError` listing every problem found.

    ``text`` stands for the file's content, so that an edit can be checked before it is written.
    A file ``to_fill`` (by an import) may have no institutions: no key, no value or ``[]``.
    """
    name = str(path)
    tree, lines = read_yaml(path, name, text)
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
    problems = [located(name, lines, tree, loc, message) for loc, message in refused]
    try:
        dataset = Dataset.model_validate(tree, context={**validation_context(tree),
                                                        TO_FILL: to_fill})
    except ValidationError as error:
        problems += [pydantic_problem(name, lines, tree, item) for item in error.errors()]
        raise DataError(in_file_order(problems)) from None
    problems += [located(name, lines, tree, loc, message)
                 for loc, message in [*_cross_check(dataset), *programme.errors(dataset)]]
    if problems:  # pictures are opened only once the rest is good: nothing else is read
        raise DataError(in_file_order(problems))
    bad_pictures, notes, files = pictures.check(dataset, path.parent)
    loaded = Loaded(dataset=dataset, path=path, lines=lines, tree=tree, sheet=sheet,
                    digests=_digests(tree, dataset, files))
    if bad_pictures:
        raise DataError(in_file_order([loaded.locate(*problem) for problem in bad_pictures]))
    loaded.warnings = [*(sheet.warnings if sheet else []),
                       *(loaded.locate(loc, message)
                         for loc, message in [*removed, *_fallbacks(dataset),
                                              *programme.warnings(dataset), *notes])]
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
    if size > APART_BYTES or (source := sheet_source(path)) is None:
        return size
    if (sheet := _sheet_path(path, source)) is None:
        return size  # refused by the load, which says why
    return size + parsed_size(sheet)


def _without_file(path: Path, store: str) -> tuple[Loaded, list[int]]:
    """The data set without its institutions, which go :class:`Packed` into ``store``."""
    loaded = load(path)
    with open(store, "r+b") as file:
        ends = Packed.write(loaded.dataset.institutions, file)
    dataset = loaded.dataset.with_institutions(())
    return dataclasses.replace(loaded, dataset=dataset, lines={}, tree=None, sheet=None), ends


def _digests(tree: Mapping[str, Any], dataset: Dataset,
             files: Mapping[str, str]) -> dict[str | None, str]:
    """A hash of what each output reads of the data: a flyer its institution's record and the
    content of its picture files, its own events, the languages, the network, the city but its
    picture (which flyers do not show), the festival and the QR options; a brochure (None) all
    of it. Build keys are made of them, so a changed record or photo remakes only the outputs
    that read or show it. ``files`` is the SHA-256 of each picture file by its name in the
    data."""
    city = tree.get("city")
    if isinstance(city, Mapping):
        city = {key: value for key, value in city.items() if key != "image"}
    common = _digest({"languages": tree.get("languages"), "network": tree.get("network"),
                      "city": city, "festival": tree.get("festival"), "qr": tree.get("qr")})
    digests: dict[str | None, str] = {None: _digest([tree, files])}
    events: dict[str | None, list[Any]] = {}
    for event, record in zip(dataset.events, tree.get("events") or [], strict=True):
        events.setdefault(event.institution, []).append(record)
    for item, record in zip(dataset.institutions, tree["institutions"], strict=True):
        shown = [files.get(name) for name in (item.image and item.image.file, item.logo)]
        digests[item.id] = _digest([common, record, shown, *events.get(item.id, [])])
    return digests


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _spreadsheet(path: Path, tree: Mapping[str, Any],
                 lines: dict[Location, int]) -> Spreadsheet | None:
    """The spreadsheet that ``institutions: FILE`` names, read; None for a list in the file.

    City staff keep their institutions in Excel. The sheet must lie beside the data file or
    below it, as the images do: a data file from other hands must not read files elsewhere.
    """
    source = tree.get("institutions")
    if not isinstance(source, str):
        return None
    if (sheet_path := _sheet_path(path, source)) is None:
        raise DataError([located(str(path), lines, tree, ("institutions",),
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
    yield from _check_editions(dataset.editions or [], languages)
    for loc, value in iter_by_language(dataset):
        for lang in value.languages:
            if lang not in languages:
                yield (*loc, lang), unknown_language(lang, languages)
    yield from repeated_ids(dataset.institutions, "institutions", "institution")
    field_ids = [field.id for field in dataset.network.fields]
    for index, field_id in enumerate(field_ids):
        if field_id in field_ids[:index]:
            yield ("network", "fields", index, "id"), f"id '{field_id}' is listed twice"
    if dataset.city.field and dataset.city.field not in field_ids:
        yield ("city", "field"), (f"'{dataset.city.field}' is not one of the network's fields "
                                  f"({', '.join(field_ids) or 'none listed'})")
    yield from _tagged_too_long(dataset)


def _tagged_too_long(dataset: Dataset) -> Iterator[tuple[Location, str]]:
    """Each address that the campaign's tags make too long for a printed QR code."""
    if not dataset.qr or not dataset.qr.campaign:
        return
    kind = max(KINDS, key=len)  # utm_content names the kind: the longest name is the worst
    for loc, value in iter_by_language(dataset):
        if not isinstance(value, Homepage):
            continue
        links = [value.plain] if value.plain else list((value.by_language or {}).values())
        for link in links:
            if (length := len(dataset.qr.tagged(link.url, kind))) > MAX_URL_LENGTH:
                yield loc, (f"is {length:,} characters long with the campaign's tags (qr); a "
                            f"printed QR code stays readable up to {MAX_URL_LENGTH}: use "
                            "shorter tags or a shorter address")
                break


def _check_editions(editions: list[list[str]],
                    languages: list[str]) -> Iterator[tuple[Location, str]]:
    """Each edition's languages are the data's, each once; each edition is listed once."""
    for index, edition in enumerate(editions):
        if edition in editions[:index]:
            yield (("editions", index), f"the edition [{', '.join(edition)}] is already "
                                        f"editions[{editions.index(edition) + 1}]")
        for number, lang in enumerate(edition):
            if lang not in languages:
                yield ("editions", index, number), unknown_language(lang, languages)
            elif lang in edition[:number]:
                yield ("editions", index, number), f"'{lang}' is listed twice"


def _fallbacks(dataset: Dataset) -> Iterator[tuple[Location, str]]:
    """A warning for each text or homepage missing in one of the data's languages, saying what
    that language's outputs show instead: a reader should not meet another language unawares."""
    for loc, value in iter_by_language(dataset):
        for lang in dataset.languages:
            if value.languages and lang not in value.languages:
                used = value.pick(lang, dataset.languages)[1]
                yield loc, (f"no '{lang}' text; the '{lang}' outputs show the '{used}' text"
                            if isinstance(value, Text) else
                            f"no '{lang}' address; the '{lang}' outputs lead to the '{used}' page")


