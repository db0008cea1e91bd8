"""Fonts per language: the stacks a theme configures, the CSS that applies them, what they draw.

The stacks live in the theme's ``styles/fonts.toml`` so that adding a language (Japanese with
Noto Sans CJK JP, say) needs no code; the same table drives the stylesheet and the check that
every character of the data has a glyph in its language's fonts, since a missing glyph prints
as a box or in a stray fallback font.
"""

from __future__ import annotations

import subprocess
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from .errors import ThemeError
from .theme import Theme

FONTS_FILE = "fonts.toml"
HEADINGS = ("h1", "h2", "h3", ".display")


@dataclass(frozen=True)
class FontStack:
    """The families for running text and for headings, most preferred first."""

    body: tuple[str, ...]
    heading: tuple[str, ...]

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.body, *self.heading)))


@dataclass(frozen=True)
class FontConfig:
    """The default stack and the stacks of particular languages."""

    default: FontStack
    languages: Mapping[str, FontStack]
    source: Path

    def stack(self, lang: str) -> FontStack:
        """The stack for ``lang``: its own, its base language's (zh for zh-Hant-TW), the default."""
        parts = lang.split("-")
        for end in range(len(parts), 0, -1):
            candidate = "-".join(parts[:end])
            if candidate in self.languages:
                return self.languages[candidate]
        return self.default

    def css(self, languages: Iterable[str]) -> str:
        """A stylesheet that sets each language's stack on the elements in that language."""
        rules = [_rule(["html"], self.default.body), _rule(HEADINGS, self.default.heading)]
        for lang in languages:
            stack = self.stack(lang)
            rules.append(_rule([f":lang({lang})"], stack.body))
            rules.append(_rule([f"{h}:lang({lang})" for h in HEADINGS]
                               + [f"{h} :lang({lang})" for h in HEADINGS], stack.heading))
        return "\n".join(rules) + "\n"


def load_fonts(theme: Theme) -> FontConfig:
    """Read the theme's ``fonts.toml`` (the user's if it has one)."""
    path = theme.find("styles", FONTS_FILE)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        return FontConfig(
            default=_stack(table["default"]),
            languages={lang: _stack(value) for lang, value in table.get("languages", {}).items()},
            source=path,
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise ThemeError(f"{path}: {error}; expected [default] and [languages.CODE] tables "
                         "with body = [...] and heading = [...] font families") from None


def missing_characters(text: str, families: Iterable[str]) -> set[str]:
    """The characters of ``text`` that none of ``families`` has a glyph for (spaces aside)."""
    drawable: set[int] = set()
    for family in families:
        drawable |= _family_characters(family)
    return {char for char in text if not char.isspace() and ord(char) not in drawable}


def installed(family: str) -> bool:
    """Whether fontconfig knows the family."""
    return bool(_family_files(family))


def _stack(table: Mapping[str, object]) -> FontStack:
    body, heading = table["body"], table.get("heading", table["body"])
    if not (isinstance(body, list) and isinstance(heading, list) and body and heading
            and all(isinstance(name, str) for name in (*body, *heading))):
        raise ValueError("body and heading must be non-empty lists of family names")
    return FontStack(tuple(body), tuple(heading))


def _rule(selectors: Iterable[str], families: Iterable[str]) -> str:
    names = ", ".join(f'"{family}"' for family in families)
    return f"{', '.join(selectors)} {{ font-family: {names}, sans-serif; }}"


@cache
def _family_files(family: str) -> tuple[tuple[str, int], ...]:
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
    characters: set[int] = set()
    for path, index in _family_files(family):
        font = TTFont(Path(path), fontNumber=index, lazy=True)
        characters |= set(font.getBestCmap() or {})
        font.close()
    return frozenset(characters)
