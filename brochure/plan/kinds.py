"""The kinds of output and the bilingual layouts: two small registries.

Adding a kind (a poster, a leaflet) means adding a row here and its template and stylesheet in
the theme; adding a layout, a row and the CSS that sets it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .paper import A3, Paper


@dataclass(frozen=True)
class OutputKind:
    """A kind of output: its template, its stylesheet, and whether each institution gets one."""

    name: str
    option: str  # how `brochure build --only` names it
    template: str
    stylesheet: str
    per_institution: bool
    pages_multiple_of: int = 1  # a folded, stapled brochure needs a multiple of 4
    max_pages: int | None = None  # per side: a flyer is exactly one page
    two_sided: bool = False  # may put one language on each side
    max_institutions: int | None = None  # a brochure that lists thousands is not a brochure
    folding: str = "flat"  # "booklet": folded and stapled, so an office prints it as a booklet;
    # "tri-fold": panels of a sheet folded in three (plan/folds.py), imposed on its two sides
    # What its QR codes lead to (plan.jobs.CODES): the homepages of the institutions it shows,
    # the booking page of each event of the programme, the festival's homepage.
    codes: tuple[str, ...] = ("homepages",)
    festival: bool = False  # made only for data with a festival
    office_paper: Paper | None = None  # a poster's: its office file is on this, not the office's
    default: bool = True  # built unless --only names another; False: only when named


@dataclass(frozen=True)
class Layout:
    """How a bilingual output sets its two languages; templates see it as ``layout``."""

    name: str
    help: str
    sides: bool = False  # one language per side, for kinds that are two-sided


KINDS = {
    kind.name: kind
    for kind in (
        OutputKind("brochure", "brochure", "brochure.html", "brochure.css", per_institution=False,
                   pages_multiple_of=4, max_institutions=300, folding="booklet",
                   codes=("homepages", "bookings")),
        OutputKind("flyer", "flyers", "flyer.html", "flyer.css", per_institution=True, max_pages=1,
                   two_sided=True),
        OutputKind("card", "cards", "card.html", "card.css", per_institution=True, max_pages=1,
                   two_sided=True),
        OutputKind("leaflet", "leaflet", "leaflet.html", "leaflet.css", per_institution=False,
                   folding="tri-fold"),  # each panel is one page: data-max-pages="1"
        OutputKind("programme", "programme", "programme.html", "programme.css",
                   per_institution=False, pages_multiple_of=4, folding="booklet",
                   codes=("bookings", "festival"), festival=True),
        OutputKind("poster", "poster", "poster.html", "poster.css", per_institution=False,
                   max_pages=1, folding="fitted", codes=("festival",), festival=True,
                   office_paper=A3),
        OutputKind("poster-a2", "poster-a2", "poster.html", "poster-a2.css",
                   per_institution=False, max_pages=1, folding="fitted", codes=("festival",),
                   festival=True, office_paper=A3, default=False),
    )
}


LAYOUTS = {
    layout.name: layout
    for layout in (
        Layout("stacked", "each block in the first language, then in the second"),
        Layout("columns", "the two languages side by side, in facing columns"),
        Layout("front-back", "flyers: one language on each side (the brochure is stacked)",
               sides=True),
    )
}

DEFAULT_LAYOUT = LAYOUTS["stacked"]
