"""Output profiles: the same brochure or flyer made for a screen, an office printer or a press.

A profile is a row in a small table: the stylesheets it adds to the theme's, the PDF variant
WeasyPrint writes, whether colours are authored in CMYK, and what finishing turns the rendered
PDF into the file a printer wants (office paper to impose on, the press's bleed and marks: see
:func:`brochure.finish.finished`). Profiles that lay out the same way share one rendering:
``office`` is ``screen`` imposed on paper, so a build of both lays each output out once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..settings import BLEED_MM, OFFICE_PPI, PRESS_PPI, SCREEN_PPI
from .paper import A4, Paper


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
    paper: Paper | None = None  # the office paper its pages are imposed on
    bleed_mm: float = 0  # with crop marks outside it, for a press
    print_runs: bool = True  # whether --print-run merges its flyers and cards: runs are printed
    max_ppi: int | None = None  # pictures scaled down to this at their placed size; None: kept


PROFILES = {
    profile.name: profile
    for profile in (
        Profile("screen", "for sharing and downloads: RGB, links, bookmarks, tagged, small",
                print_runs=False, max_ppi=SCREEN_PPI),
        Profile("office", "for a duplex office printer: the brochure as a booklet on A4 (or "
                          "--paper letter), flyers N-up with cut marks", paper=A4,
                max_ppi=OFFICE_PPI),
        Profile("press", "for a print shop: PDF/X-4, CMYK, 3 mm bleed, crop marks",
                Rendering(stylesheets=("press.css",), pdf_variant="pdf/x-4", cmyk=True),
                bleed_mm=BLEED_MM, max_ppi=PRESS_PPI),
    )
}
DEFAULT_PROFILES = ("screen", "office")


def on_paper(profiles: Sequence[Profile], paper: Paper) -> list[Profile]:
    """The profiles, those that print on office paper on ``paper``: the user's office chooses
    it (A4 or Letter), and the profile carries it to imposition, preflight and the keys."""
    return [replace(profile, paper=paper) if profile.paper else profile for profile in profiles]
