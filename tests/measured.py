"""A flyer whose layout the tests know in advance, so that how far a description runs past its
page is computed here rather than copied from the build's message.

The theme ``themes/measured`` fixes the page, its margins, the height of the header and of the
name, and gives each paragraph of the description a box of fixed height. Its figures, in mm:
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

THEME = Path(__file__).resolve().parent / "themes" / "measured"
PAGE_HEIGHT, MARGIN_TOP, MARGIN_BOTTOM = 210, 12, 66
HEADER, NAME, PARAGRAPH = 30, 19, 8.5
TEXT_PT = 10  # the description's type size at the type scale 1
FIT = tomllib.loads((THEME.parent.parent.parent / "styles" / "typography.toml").read_text(
    encoding="utf-8"))["fit"]  # the type scales a build tries, the smallest last

KOCEF_DESCRIPTION = """\
      en: >
        The Korea Ceramic Foundation runs the Icheon World Ceramic Center in
        Seolbong Park. With four large exhibition halls, the center is a
        place where visitors can discover ceramic art from Korea and abroad.
"""


def paragraphs_per_page() -> int:
    """How many paragraphs of description the flyer's one page holds below the name."""
    room = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - HEADER - NAME
    return math.floor(room / PARAGRAPH)


def overshoot_mm(paragraphs: int) -> float:
    """How far a description of this many paragraphs runs past the page: all it puts on the
    second page, from that page's top margin."""
    return (paragraphs - paragraphs_per_page()) * PARAGRAPH


def kocef_too_long(paragraphs: int) -> str:
    """The build's message when kocef's English flyer holds this many paragraphs, too many."""
    return (f"en/flyer-kocef.pdf: institution 'kocef': description runs "
            f"{overshoot_mm(paragraphs):.1f} mm past the flyer's 1 page even in the smallest type "
            f"({TEXT_PT * FIT[-1]:.1f} pt); shorten it")


def describe_kocef(data: Path, paragraphs: int) -> None:
    """Make kocef's English description, in a copy of the sample, this many one-line paragraphs."""
    text = data.read_text(encoding="utf-8")
    assert KOCEF_DESCRIPTION in text
    lines = "\\n\\n".join(["The halls."] * paragraphs)
    data.write_text(text.replace(KOCEF_DESCRIPTION, f'      en: "{lines}"\n'), encoding="utf-8")
