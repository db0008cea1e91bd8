"""Core fonts: the common characters of a large font, cut out once per machine and kept.

WeasyPrint reads and subsets every font an output uses, for every output, and the time it
takes grows with the font file: NanumGothic is 4.7 MB, mostly Hanja that Korean text seldom
shows. A core is a copy of the font with only the characters of some Unicode ranges (the
theme's ``typography.toml`` lists them, ``[cores]``), under its own family name, put before
the whole font in each font stack. Text in those ranges is drawn from the core; any other
character (a Hanja, a rare symbol) falls through to the whole font, so nothing is lost.
``benchmarks/stages.py`` measures what it saves a flyer.

A core depends only on its font file and ranges, never on the data, so an output stays a pure
function of its own inputs. Cores are made with fontTools, without a timestamp, so they are
the same bytes on every machine that has the same font; they live in the user's cache folder.
If that folder cannot be written, the build uses the whole fonts: slower, the same pages.
"""

from __future__ import annotations

import hashlib
import io
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import fontTools
import platformdirs
from fontTools.ttLib import TTFont, TTLibError

from ..errors import OutputError
from ..files import write_atomic
from .typography import Ranges, Typography, family_files

MADE_BY = f"brochure core 1, fontTools {fontTools.version}"  # a new way of making: new files
BOLD, ITALIC = 1 << 5, 1 << 0  # OS/2 fsSelection: the style-linking bits fontconfig reads too
# What can go wrong making or reading a core: the cache folder, or a font fontTools cannot cut.
UNMADE = (OSError, OutputError, TTLibError, KeyError, ValueError, struct.error)
HINTING_SOURCES = ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]  # VTT's; WeasyPrint drops hinting


@dataclass(frozen=True)
class Core:
    """A family's core: the family name it goes by and the ``@font-face`` rules that load it."""

    family: str
    css: str


def cache_dir() -> Path:
    """Where cores are kept: the user's cache folder (``XDG_CACHE_HOME`` on Linux)."""
    return platformdirs.user_cache_path("brochure") / "fonts"


def cores(typography: Typography, languages: Iterable[str]) -> dict[str, Core]:
    """The core of each family the languages use that has core ranges, made if not kept yet."""
    families = dict.fromkeys(family for lang in languages
                             for family in typography.settings(lang).families)
    made = {}
    for family in families:
        if ranges := typography.cores.get(family):
            try:
                made[family] = _core(family, ranges)
            except UNMADE:  # no cache folder to write in, a font fontTools cannot cut:
                continue    # the whole font will do
    return made


def stylesheet(typography: Typography, languages: Iterable[str]) -> str:
    """The languages' typography (:meth:`Typography.css`) with the cores loaded and first."""
    made = cores(typography, languages)
    return "".join(core.css for core in made.values()) + typography.css(
        languages, {family: core.family for family, core in made.items()})


def _core(family: str, ranges: Ranges) -> Core:
    name = f"{family} core"
    rules = []
    for path, index in family_files(family):
        core = _made(Path(path), index, ranges)
        try:
            with TTFont(core, lazy=True) as font:
                size = core.stat().st_size
                if any(table.offset + table.length > size for table in font.reader.tables.values()):
                    raise TTLibError(f"{core}: cut short")
                selection = font["OS/2"].fsSelection
                weight = 700 if selection & BOLD else font["OS/2"].usWeightClass
        except UNMADE:  # a kept core gone bad (a full disk, say): made again next time
            core.unlink(missing_ok=True)
            raise
        style = "italic" if selection & ITALIC else "normal"
        rules.append(f'@font-face {{ font-family: "{name}"; src: url("{core.as_uri()}"); '
                     f"font-weight: {weight}; font-style: {style}; }}")
    return Core(name, "\n".join(rules) + "\n")


def _made(path: Path, index: int, ranges: Ranges) -> Path:
    """The kept core of one face, made first if need be (atomically: builds run side by side)."""
    stat = path.stat()
    source = f"{MADE_BY}\0{path}\0{index}\0{stat.st_size}\0{stat.st_mtime_ns}\0{ranges}"
    name = f"{path.stem}-{index}-{hashlib.sha256(source.encode()).hexdigest()[:16]}.ttf"
    target = cache_dir() / name
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    from fontTools import subset  # start-up: loaded only when a core is made (see build.pool)

    font = TTFont(path, fontNumber=index, recalcTimestamp=False)
    wanted = {char for char in font.getBestCmap() or {} if any(low <= char <= high
                                                                for low, high in ranges)}
    options = subset.Options(layout_features=["*"], name_IDs=["*"], name_languages=["*"],
                             notdef_outline=True, hinting=False)
    options.drop_tables += HINTING_SOURCES
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    program = io.BytesIO()
    font.save(program)
    write_atomic(target, program.getvalue())
    return target

