"""The templates' fixed words in each language, and each language's dates and numbers.

Labels and section titles come from gettext catalogues beside the templates
(``locale/<lang>/LC_MESSAGES/messages.po``, the folder named as Babel names the locale:
``zh_Hant`` for 'zh-Hant'); English is the source language. Dates, numbers and
language names take each language's form from CLDR through Babel.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from ..errors import ThemeError

SOURCE_LANGUAGE = "en"

CATALOGUE = Path("locale") / "{lang}" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")  # as the templates fill them in
# The zero of each numbering system that CLDR makes a language's default, by CLDR's name; its
# other digits follow it in Unicode. Babel knows which system a locale writes numbers in, and its
# symbols, but not the digits. Egyptian and Saudi Arabic write Arabic-Indic digits (arab);
# Arabic without a region, like Hebrew, writes 0-9 (latn).
ZEROS = {"latn": "0", "arab": "\u0660", "arabext": "\u06f0", "beng": "\u09e6",
         "deva": "\u0966", "mymr": "\u1040", "tibt": "\u0f20"}


class Catalogues:
    """The translations of the templates' fixed words, looked up theme folder first."""

    def __init__(self, template_dirs: Sequence[Path]) -> None:
        self._dirs = list(template_dirs)
        self._catalogues: dict[str, list[Catalog]] = {}

    def missing(self, lang: str) -> bool:
        """True when no catalogue exists for ``lang`` (its labels show in English)."""
        return lang != SOURCE_LANGUAGE and not self._chain(lang)

    def missing_warnings(self, languages: Iterable[str]) -> list[tuple[str, str]]:
        """(language, warning) for each of ``languages`` whose labels have no catalogue, as
        ``brochure check`` and ``brochure build`` say it."""
        return [(lang, f"no message catalogue for '{lang}'; its labels are in English")
                for lang in languages if self.missing(lang)]

    def label_languages(self, languages: Sequence[str]) -> list[str]:
        """The languages the labels of ``languages`` are really in, each once, in order.

        A language without a catalogue shows the English labels: an Indonesian-English flyer
        says "Address" once, marked as English, not "Address · Address" with one marked Indonesian.
        """
        return list(dict.fromkeys(SOURCE_LANGUAGE if self.missing(lang) else lang
                                  for lang in languages))

    def gettext(self, message: str, lang: str) -> str:
        """``message`` in ``lang`` from the first catalogue that translates it, the theme's before
        ours (a theme's catalogue may hold only the labels it rewords); the English source when
        none does."""
        for catalogue in self._chain(lang) if lang != SOURCE_LANGUAGE else []:
            entry = catalogue.get(message)
            if entry is not None and entry.string and not entry.fuzzy:  # fuzzy: an unchecked guess
                return str(entry.string)
        return message

    def _chain(self, lang: str) -> list[Catalog]:
        """The catalogues that serve ``lang``, in the order they are asked: the language's own
        before its base language's, each in the theme folder first."""
        if lang not in self._catalogues:
            self._catalogues[lang] = [
                self._read(path, tag) for tag in lookup_tags(lang) for d in self._dirs
                if (path := d / str(CATALOGUE).format(lang=tag)).is_file()]
        return self._catalogues[lang]

    @staticmethod
    def _read(path: Path, tag: str) -> Catalog:
        """A catalogue, refused if a translation names other placeholders than its message: a
        theme's typo (``%(jahr)s`` for ``%(year)s``) must be an error naming the file, not a
        failure deep in a template."""
        with path.open("rb") as file:
            catalogue = read_po(file, locale=tag)
        for entry in catalogue:
            if entry.id and entry.string and not entry.fuzzy and (
                    set(PLACEHOLDER.findall(str(entry.string)))
                    != set(PLACEHOLDER.findall(str(entry.id)))):
                raise ThemeError(f"{path}: {entry.id!r}: the translation {entry.string!r} must "
                                 "keep the placeholders of the message, each as %(name)s")
        return catalogue


def lookup_tags(lang: str) -> list[str]:
    """The catalogue folders that serve ``lang``, most specific first, named as Babel and
    gettext name locales: 'pt-BR' is served by ``pt_BR``, then by ``pt``; 'zh-Hant-TW' by
    ``zh_Hant_TW``, ``zh_Hant``, then ``zh``. A Brazilian text takes the Portuguese labels rather
    than the English ones, and one catalogue serves every region of a language."""
    subtags = lang.split("-")
    return ["_".join(subtags[:end]) for end in range(len(subtags), 0, -1)]


def locale(lang: str) -> Locale:
    """The Babel locale of a language code, English for codes Babel does not know."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


def language_name(lang: str) -> str:
    """A language's name in itself ('English', '한국어'), to say which language a thing is in;
    the code for a language Babel does not know."""
    try:
        return Locale.parse(lang.replace("-", "_")).get_display_name() or lang
    except (UnknownLocaleError, ValueError):
        return lang


def direction(lang: str) -> str:
    """'rtl' for a language written right to left (Arabic, Hebrew), else 'ltr', from CLDR: what
    the templates give as the ``dir`` of every element in the language."""
    return locale(lang).text_direction


def month_year(year: int, month: int, lang: str) -> str:
    """'October 2004' / '2004년 10월': a month in the language's own form and digits."""
    return digits(format_skeleton("yMMMM", datetime.date(year, month, 1), locale=locale(lang)),
                  lang)


def number(value: int, lang: str) -> str:
    """A number with the language's grouping and digits ('1,234'; in Egypt, Arabic-Indic digits)."""
    return digits(format_decimal(value, locale=locale(lang), numbering_system="default"), lang)


def digits(value: object, lang: str) -> str:
    """``value`` as text, its digits 0-9 written in the language's default numbering system:
    a year (2010, not 2,010), a time. Digits of a system we do not know stay 0-9."""
    zero = ZEROS.get(locale(lang).default_numbering_system, "0")
    return str(value).translate(str.maketrans("0123456789",
                                              "".join(chr(ord(zero) + n) for n in range(10))))
