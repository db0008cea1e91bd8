"""Output profiles: the same brochure or flyer made for a screen, an office printer or a press.

A profile is a row in a small table: the stylesheets it adds to the theme's, the PDF variant
WeasyPrint writes, whether colours are authored in CMYK, and the steps that turn the finished
PDF into the file a printer wants (imposition for the office, marks for the press). Profiles
that lay out the same way share one rendering: ``office`` is ``screen`` imposed on sheets, so a
build of both lays each output out once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Step = Callable[[bytes, str], bytes]  # (finished PDF, kind's folding) -> the file to print
BLEED_MM = 3  # what print shops ask for; the press stylesheet sets the same on @page
A4 = (210, 297)  # mm, portrait: the office printer's paper


def _impose(pdf: bytes, folding: str) -> bytes:
    """Office sheets: a folded kind as a saddle-stitched booklet, a flat one N-up for cutting."""
    from . import imposition  # the PDF tools load only when there is something to make

    return imposition.booklet(pdf) if folding == "booklet" else imposition.n_up(pdf)


def _marks(pdf: bytes, folding: str) -> bytes:
    """Press sheets: crop marks in registration colour outside the bleed."""
    from . import imposition

    return imposition.crop_marks(pdf, bleed=BLEED_MM)


@dataclass(frozen=True)
class Rendering:
    """How a profile lays out: profiles with equal renderings share one layout per output."""

    stylesheets: tuple[str, ...] = ()  # the theme's, after the kind's own stylesheet
    pdf_variant: str | None = None  # as WeasyPrint names it: "pdf/x-4"
    cmyk: bool = False  # every colour authored in CMYK; QR codes in black ink only


@dataclass(frozen=True)
class Profile:
    """Who a file is for, and what it takes to make it right for them."""

    name: str
    help: str
    rendering: Rendering = field(default_factory=Rendering)
    steps: tuple[Step, ...] = ()
    bleed_mm: float = 0
    sheet_mm: tuple[float, float] | None = None  # the paper its steps impose pages on
    print_runs: bool = True  # whether --print-run merges its flyers and cards: runs are printed


PROFILES = {
    profile.name: profile
    for profile in (
        Profile("screen", "for sharing and downloads: RGB, links, bookmarks, tagged, small",
                print_runs=False),
        Profile("office", "for a duplex office printer: the brochure as an A4 booklet, flyers "
                          "N-up on A4 with cut marks", steps=(_impose,), sheet_mm=A4),
        Profile("press", "for a print shop: PDF/X-4, CMYK, 3 mm bleed, crop marks",
                Rendering(stylesheets=("press.css",), pdf_variant="pdf/x-4", cmyk=True),
                steps=(_marks,), bleed_mm=BLEED_MM),
    )
}
DEFAULT_PROFILES = ("screen", "office")
