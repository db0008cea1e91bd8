"""Typography per language: font stacks, word-keeping line breaks, and what the fonts can draw.

The settings live in the theme's ``styles/typography.toml`` so that adding a language (Japanese
with Noto Sans CJK JP, say) needs no code; the same table drives the stylesheet, the markup that
keeps Korean words whole, and the check that every character of the data has a glyph in its
language's fonts (a missing glyph prints as a box or in a stray fallback font).
"""

from __future__ import annotations

import array
import hashlib
import itertools
import re
import subprocess
import sys
import tomllib
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import fontTools
import pyphen
import regex
from fontTools.ttLib import TTFont
from markupsafe import Markup, escape

from ..errors import ThemeError
from ..theme import Theme

SETTINGS_FILE = "typography.toml"
HEADINGS = ("h1", "h2", "h3", ".display")
JOINER = "\u2060"  # WORD JOINER: no line break here, and nothing drawn or extracted
# FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE: what they enclose is set in its own direction
# (left to right when it has no letter, as a phone number), whatever the text around it.
ISOLATE, END_ISOLATE = "\u2068", "\u2069"
MARKS = str.maketrans("", "", JOINER + ISOLATE + END_ISOLATE)
SPACES = re.compile(r"(\s+)")
# Characters as readers count them: a letter with its accents, a Hangul syllable typed in parts
# (decomposed, as text copied on a Mac often is), an emoji sequence. Joiners go between them.
GRAPHEMES = regex.compile(r"\X")
FALLBACKS = {"heading": "body", "heading_line_height": "line_height"}
UNICODE_RANGE = re.compile(r"U\+([0-9A-Fa-f]{1,6})(?:-([0-9A-Fa-f]{1,6}))?")
Ranges = tuple[tuple[int, int], ...]  # code points, first and last of each range


@dataclass(frozen=True)
class LanguageSettings:
    """The typography of one language."""

    body: tuple[str, ...]
    heading: tuple[str, ...]
    line_height: float
    heading_line_height: float
    hyphens: str
    keep_words: bool
    keep_words_max: int
    patterns: str = ""  # the language whose hyphenation patterns to use, when not this one's

    @property
    def families(self) -> tuple[str, ...]:
        """Every family of both stacks, once each, in order."""
        return tuple(dict.fromkeys((*self.body, *self.heading)))


@dataclass(frozen=True)
class Typography:
    """The default settings and those of particular languages, read from one file."""

    default: LanguageSettings
    languages: Mapping[str, LanguageSettings]
    source: Path
    fit: tuple[float, ...] = (1.0,)  # type scales to try, largest first, when a text overflows
    cores: Mapping[str, Ranges] = field(default_factory=dict)  # see :mod:`brochure.lang.cores`

    def settings(self, lang: str) -> LanguageSettings:
        """The settings of ``lang``: its own, its base language's (zh for zh-Hant-TW), default.

        Hyphenation patterns are a language's own: en's choice is not en-GB's.
        """
        parts = lang.split("-")
        for end in range(len(parts), 0, -1):
            candidate = "-".join(parts[:end])
            if candidate in self.languages:
                found = self.languages[candidate]
                return found if candidate == lang else replace(found, patterns="")
        return self.default

    def css(self, languages: Iterable[str], cores: Mapping[str, str] | None = None) -> str:
        """A stylesheet that sets each language's typography on the elements in that language.

        ``cores`` names the core of a family (:mod:`brochure.lang.cores`): it goes first.
        """
        cores = cores or {}
        rules = _rules(["html"], list(HEADINGS), self.default, cores)
        for lang in languages:
            rules += _rules([f":lang({lang})"], [f"{h}:lang({lang})" for h in HEADINGS]
                            + [f"{h} :lang({lang})" for h in HEADINGS], self.settings(lang),
                            cores)
        return "\n".join(rules) + "\n"

    def keep_words(self, text: str, lang: str) -> Markup:
        """``text`` as markup in which lines can break only between words, where ``lang`` asks.

        WeasyPrint ignores ``word-break: keep-all``, so a word joiner goes wherever a line could
        break inside a word; the spaces are untouched, so lines still break at them. Joiners are
        drawn as nothing: the PDF's text is exactly the data's (what the build quotes from the
        laid-out HTML, bookmarks and messages, is cleaned with :func:`without_marks`). A word
        of more than ``keep_words_max`` characters stays bare and may break, rather than run
        past the margin. benchmarks/keep_words.py compares it with a no-break span per word,
        which costs far more layout time. Markup given (a template block's output) is taken as
        text.
        """
        if isinstance(text, Markup):  # a caller block's output: escaped text, no tags
            text = text.unescape()
        settings = self.settings(lang)
        if not settings.keep_words:
            return escape(text)
        pieces = [GRAPHEMES.findall(piece) for piece in SPACES.split(text)]
        return escape("".join(
            _joined(characters)
            if 2 <= len(characters) <= settings.keep_words_max and not characters[0].isspace()
            else "".join(characters)
            for characters in pieces
        ))


def _joined(characters: Sequence[str]) -> str:
    """A word's characters (as readers count them) with a joiner between each two, except
    between two letters or digits of an alphabet: no line breaks there anyway, and a joiner
    could cost the pair its kerning."""
    return "".join(
        first if _alphabetic(first) and _alphabetic(second) else first + JOINER
        for first, second in itertools.pairwise(characters)
    ) + characters[-1]


def _alphabetic(character: str) -> bool:
    """A letter or digit of a script whose lines break at spaces only: not Hangul, not CJK."""
    return character[0].isalnum() and unicodedata.east_asian_width(character[0]) not in "WF"


def isolated(text: str) -> Markup:
    """``text`` (a phone number, an address on the web) set apart from the text around it, so
    that it keeps its order inside right-to-left text: "+82-31-644-2021", not "82-31-644-2021+".

    WeasyPrint ignores ``unicode-bidi: isolate`` and ``<bdi>``, but Pango honours the isolating
    characters of Unicode's bidirectional algorithm, which are drawn as nothing and not extracted.
    """
    return escape(ISOLATE) + escape(text) + escape(END_ISOLATE)


def without_marks(text: str) -> str:
    """Text from the HTML as a reader sees it: without the joiners that keep words whole and the
    isolates that keep a number's order (:func:`isolated`)."""
    return text.translate(MARKS)


def glyph_offsets(font: TTFont) -> Sequence[int]:
    """Where each glyph of a TrueType font starts in its 'glyf' table, and where the last ends.

    The 'loca' table is read as raw numbers: fontTools would decode it into a list first, which
    takes longer than the checks that read it when a PDF's font keeps all its glyph ids.
    """
    offsets = array.array("I" if font["head"].indexToLocFormat else "H")
    raw = font.reader["loca"]
    offsets.frombytes(raw[:len(raw) - len(raw) % offsets.itemsize])
    if sys.byteorder == "little":
        offsets.byteswap()
    return offsets


def blank_glyph(offsets: Sequence[int], gid: int) -> bool:
    """Whether a TrueType glyph is empty: it has no data, so its offset equals the next one's.

    ``offsets`` are the font's :func:`glyph_offsets`.
    """
    return offsets[gid] == offsets[gid + 1]


def blank_glyphs(font: TTFont) -> set[int]:
    """The ids of all of a TrueType font's empty glyphs (:func:`blank_glyph`)."""
    offsets = glyph_offsets(font)
    return {gid for gid in range(len(offsets) - 1) if blank_glyph(offsets, gid)}


def fonts_digest(typography: Typography, languages: Iterable[str],
                 cores: Collection[str] = ()) -> str:
    """A hash of the installed font files the languages use: changes when a font is updated.

    ``cores`` are the families drawn from their core (:mod:`brochure.lang.cores`), whose ranges
    count too: the core's glyph ids reach the PDF, and a machine that cannot keep cores draws
    from the whole font, which gives other bytes.
    """
    hasher = hashlib.sha256()
    for lang in languages:
        for family in typography.settings(lang).families:
            if family in cores and (ranges := typography.cores.get(family)):
                hasher.update(f"{family} core: {ranges}, fontTools {fontTools.version}".encode())
            for path, index in family_files(family):
                stat = Path(path).stat()
                hasher.update(f"{lang}:{family}:{path}:{index}:{stat.st_size}:{stat.st_mtime_ns}"
                              .encode())
    return hasher.hexdigest()


def load_typography(theme: Theme) -> Typography:
    """Read the theme's ``typography.toml`` (the user's if it has one)."""
    path = theme.find("styles", SETTINGS_FILE)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        default = _settings(table["default"], None)
        if default.patterns:
            raise ValueError("patterns belongs in a [languages.CODE] table")
        languages: dict[str, LanguageSettings] = {}
        # Base languages first: a table completes from its base language's (zh-TW from zh).
        for lang, value in sorted(table.get("languages", {}).items(),
                                  key=lambda item: item[0].count("-")):
            languages[lang] = _settings(value, Typography(default, languages, path).settings(lang))
        fit = tuple(float(step) for step in table.get("fit", [1]))
        if not fit or fit[0] != 1 or any(not 0 < b < a for a, b in itertools.pairwise(fit)):
            raise ValueError("fit must be a list of falling type scales that starts at 1")
        cores = {family: _ranges(family, ranges)
                 for family, ranges in table.get("cores", {}).items()}
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise ThemeError(f"{path}: {error}; expected a [default] table with body = [...] and "
                         "[languages.CODE] tables") from None
    return Typography(default, languages, path, fit, cores)


def _ranges(family: str, ranges: list[str]) -> Ranges:
    """A core's Unicode ranges, written as in CSS: "U+AC00-D7A3", "U+20AC"."""
    parsed = []
    for text in ranges:
        if not isinstance(text, str) or not (match := UNICODE_RANGE.fullmatch(text)):
            raise ValueError(f"cores: {family}: {text!r} is not a Unicode range like U+AC00-D7A3")
        low, high = int(match[1], 16), int(match[2] or match[1], 16)
        if low > high:
            raise ValueError(f"cores: {family}: {text!r} ends before it starts")
        parsed.append((low, high))
    return tuple(parsed)


def missing_characters(text: str, families: Iterable[str]) -> set[str]:
    """The characters of ``text`` that none of ``families`` has a glyph for: spaces and format
    characters (a zero width joiner, a variation selector's kin) aside, which are not drawn."""
    drawable = _drawable(tuple(families))
    return {char for char in text if not char.isspace() and ord(char) not in drawable
            and unicodedata.category(char) != "Cf"}


@cache
def _drawable(families: tuple[str, ...]) -> frozenset[int]:
    """The characters some family of a stack draws."""
    return frozenset().union(*map(_family_characters, families))


def installed(family: str) -> bool:
    """Whether fontconfig knows the family."""
    return bool(family_files(family))


def _settings(table: Mapping[str, Any], default: LanguageSettings | None) -> LanguageSettings:
    """One table of the file, completed from ``default``: its base language's settings, or
    [default]'s."""
    def get(key: str) -> Any:
        if key in table:
            return table[key]
        if default is None:
            if key in FALLBACKS:
                return get(FALLBACKS[key])
            raise KeyError(key)
        return getattr(default, key)

    body, heading = tuple(get("body")), tuple(get("heading"))
    if not (body and heading and all(isinstance(name, str) for name in (*body, *heading))):
        raise ValueError("body and heading must be non-empty lists of font family names")
    keep_words, keep_words_max = get("keep_words"), get("keep_words_max")
    if not isinstance(keep_words, bool) or not isinstance(keep_words_max, int):
        raise ValueError("keep_words must be true or false, keep_words_max a whole number")
    line_height, heading_line_height = get("line_height"), get("heading_line_height")
    if not all(isinstance(value, int | float) and value > 0
               for value in (line_height, heading_line_height)):
        raise ValueError("line_height and heading_line_height must be positive numbers")
    if (hyphens := get("hyphens")) not in ("auto", "manual", "none"):
        raise ValueError('hyphens must be "auto", "manual" or "none"')
    patterns = table.get("patterns", "")  # a language's own, never the default's
    if patterns and not (isinstance(patterns, str)
                         and patterns.replace("-", "_").lower() in pyphen.LANGUAGES_LOWERCASE):
        raise ValueError(f"patterns: no hyphenation patterns are named {patterns!r}")
    return LanguageSettings(body, heading, float(line_height), float(heading_line_height),
                            hyphens, keep_words, keep_words_max, patterns)


def _rules(text: list[str], headings: list[str], settings: LanguageSettings,
           cores: Mapping[str, str]) -> list[str]:
    """The rules for running text and for headings in one language.

    WeasyPrint hyphenates by the patterns of its ``lang`` property, which the ``lang``
    attribute sets and a rule may change; the attribute (what the PDF's /Lang says) stays.
    """
    def families(names: Iterable[str]) -> str:
        stack = (name for family in names for name in (cores.get(family), family) if name)
        return ", ".join(f'"{name}"' for name in stack) + ", sans-serif"

    return [
        f"{', '.join(text)} {{ font-family: {families(settings.body)}; "
        f"line-height: {settings.line_height}; hyphens: {settings.hyphens};"
        + (f' -weasy-lang: "{settings.patterns}";' if settings.patterns else "") + " }",
        f"{', '.join(headings)} {{ font-family: {families(settings.heading)}; "
        f"line-height: {settings.heading_line_height}; }}",
    ]


@cache
def family_files(family: str) -> tuple[tuple[str, int], ...]:
    """(file, index in a collection) of every face of a family, as fontconfig lists them."""
    try:
        command = ["fc-list", "--format", "%{file}\t%{index}\n", f":family={family}"]
        listing = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise ThemeError(f"cannot list the installed fonts with fc-list: {error}") from None
    faces = (line.split("\t") for line in listing.splitlines() if "\t" in line)
    return tuple(sorted((path, int(index)) for path, index in faces))


@cache
def _family_characters(family: str) -> frozenset[int]:
    """The characters some face of the family draws.

    A character mapped to an empty TrueType glyph is not drawn: NanumSquare maps all 11,172
    Hangul syllables but draws only the 2,350 common ones, and a rare syllable set in it would
    print as a blank. (Outlines of CFF fonts are not read: they are slow to read and the fonts
    we know draw what they map.)
    """
    characters: set[int] = set()
    for path, index in family_files(family):
        font = TTFont(Path(path), fontNumber=index, lazy=True)
        mapped = font.getBestCmap() or {}
        if "glyf" in font:
            blank = blank_glyphs(font)
            mapped = {char: name for char, name in mapped.items()
                      if chr(char).isspace() or font.getGlyphID(name) not in blank}
        characters |= set(mapped)
        font.close()
    return frozenset(characters)
