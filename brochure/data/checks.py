"""Reports that catch printing mistakes before anything is printed.

Translation coverage says how much of the data each language and each edition has (an edition
has a text when all its languages do), and where a text falls back. Font coverage finds every
character of the data that the fonts of its language cannot draw, which would print as an empty
box or in a stray fallback font: an error, found before anything is laid out, by
`brochure check` and `brochure build` alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..errors import DataError, Problem, character
from ..lang.catalogues import Catalogues
from ..lang.typography import Typography, installed, missing_characters
from .loading import Loaded, iter_texts, load
from .model import Dataset, Text
from .problems import Location


@dataclass(frozen=True)
class Coverage:
    """How many of the data's texts one language, or one edition, has (a plain string counts
    for every language)."""

    code: str
    translated: int
    total: int

    @property
    def percent(self) -> int:
        """Rounded down, so that 100 % means complete."""
        return 100 * self.translated // self.total if self.total else 100

    def __str__(self) -> str:
        return f"{self.code} {self.percent}% ({self.translated} of {self.total} texts)"


@dataclass
class CheckReport:
    """Everything `brochure check` reports beyond the data's own errors."""

    coverage: list[Coverage]
    editions: list[Coverage]
    warnings: list[Problem] = field(default_factory=list)


def check(loaded: Loaded, typography: Typography, catalogues: Catalogues) -> CheckReport:
    """Translation coverage of a loaded data set, with the loader's own warnings; raise
    :class:`DataError` if its fonts cannot draw it (:func:`check_fonts`)."""
    check_fonts(loaded, typography)
    return CheckReport(
        coverage=translation_coverage(loaded),
        editions=edition_coverage(loaded),
        warnings=[*loaded.warnings, *missing_catalogues(loaded, catalogues),
                  *missing_fonts(loaded, typography)],
    )


def check_fonts(loaded: Loaded, typography: Typography) -> None:
    """Raise :class:`DataError` naming every text, in every language of the data, with a
    character its language's fonts cannot draw.

    A data set loaded apart for a build (:func:`.loading.load_apart`) has no line index: when it
    has such a text, the file is read again, so that the messages name the lines and records.
    """
    if not (gaps := list(font_gaps(loaded.dataset, typography))):
        return
    if not loaded.lines:
        loaded = load(loaded.path)
        gaps = list(font_gaps(loaded.dataset, typography))
    raise DataError([loaded.locate(where, message) for where, message in gaps])


def missing_catalogues(loaded: Loaded, catalogues: Catalogues) -> Iterator[Problem]:
    """A warning for each language of the data whose labels have no translation."""
    languages = loaded.dataset.languages
    for lang, warning in catalogues.missing_warnings(languages):
        yield loaded.locate(("languages", languages.index(lang)), warning)


def translation_coverage(loaded: Loaded) -> list[Coverage]:
    """Per language of the data, how many texts are written in it."""
    return [_coverage(loaded, lang, [lang]) for lang in loaded.dataset.languages]


def edition_coverage(loaded: Loaded) -> list[Coverage]:
    """Per edition of the data, how many texts are written in all its languages."""
    return [_coverage(loaded, mode.code, mode.languages)
            for mode in loaded.dataset.modes.values()]


def _coverage(loaded: Loaded, code: str, languages: Sequence[str]) -> Coverage:
    texts = [text for _loc, text in iter_texts(loaded.dataset)]
    return Coverage(code, sum(1 for text in texts if text.plain is not None
                              or all(lang in text.languages for lang in languages)), len(texts))


def missing_fonts(loaded: Loaded, typography: Typography) -> Iterator[Problem]:
    """A warning for each configured family that is not installed."""
    for lang in loaded.dataset.languages:
        for family in typography.settings(lang).families:
            if not installed(family):
                yield Problem(str(typography.source), None, "", "",
                              f"font '{family}' for '{lang}' is not installed")


def font_gaps(dataset: Dataset, typography: Typography) -> Iterator[tuple[Location, str]]:
    """(where, message) for each text with characters that its language's fonts cannot draw."""
    for loc, text in _texts(dataset):
        for lang in dataset.languages:
            localized = text.resolve(lang, dataset.languages)
            if localized.lang != lang:
                continue  # a fallback is checked in the language it is written in
            stack = typography.settings(lang)
            missing = (missing_characters(localized.text, stack.body)
                       | missing_characters(localized.text, stack.heading))
            if missing:
                chars = ", ".join(character(char) for char in sorted(missing))
                where = (*loc, lang) if text.plain is None else loc
                yield where, (f"the '{lang}' fonts ({', '.join(stack.families)}) "
                              f"cannot draw {chars}")


def _texts(dataset: Dataset) -> Iterator[tuple[Location, Text]]:
    """Every text of a data set with its location, those of its institutions too when they are
    packed in a file (loaded apart), which :func:`.loading.iter_texts` does not walk into."""
    yield from iter_texts(dataset)
    if not isinstance(dataset.institutions, list):
        for index, institution in enumerate(dataset.institutions):
            yield from iter_texts(institution, ("institutions", index))
