"""A folded sheet's panels put on its two sides: the leaflet an office printer or a press prints.

A leaflet is rendered as six pages, one per panel, each of its own width, in reading order
(what the screen gets). For paper, each panel is placed where its fold puts it
(:class:`brochure.plan.folds.FoldedSheet`): the outside first, then the inside, drawn upright,
so that a duplex printer flipping on the short edge backs each panel with the right one. A
leaflet in a language written right to left (:func:`.pdfobjects.right_to_left`, which also
binds a booklet on the right) opens the other way: its sheet is mirrored. A press file's panels
keep their bleed on the sheet's edges only; at a fold each is cut off where its neighbour
begins. An office sheet gets faint fold guides in its margin, where the printer
leaves paper white; a press file gets fold marks beside its crop marks (see
:func:`.imposition.crop_marks`).
"""

from __future__ import annotations

import pikepdf
from pikepdf import Name

from ..plan.folds import FoldedSheet
from ..settings import BOX_TOLERANCE_MM, FOLD_GUIDE_GREY, FOLD_GUIDE_MM
from .imposition import FOLD_DASH, Placement
from .pdfobjects import (
    MM,
    Line,
    box_width,
    new_from,
    normalised,
    numbers,
    open_pdf,
    right_to_left,
    save,
    strokes,
    trim_box,
)


def sides(pdf: bytes, sheet: FoldedSheet, bleed: float = 0, guides: bool = False) -> bytes:
    """The two sides of ``sheet`` from a leaflet's six panel pages, with ``bleed`` mm round the
    sheet (a TrimBox inside it), and fold guides in the margin when ``guides``.

    A panel page whose width is not its panel's is refused: the folds would fall on its text.
    """
    width, height = sheet.size
    with open_pdf(pdf) as source:
        if len(source.pages) != 6:
            raise ValueError(f"a leaflet has 6 panels, not {len(source.pages)} pages")
        imposed, forms = new_from(source)
        if Name.OutputIntents in source.Root:  # a press file's printing condition, and dates
            intents = source.make_indirect(source.Root.OutputIntents)
            imposed.Root.OutputIntents = imposed.copy_foreign(intents)
            for key, value in source.docinfo.items():
                imposed.docinfo[key] = pikepdf.String(str(value))
        index = {panel.name: number for number, panel in enumerate(sheet.panels())}
        mirrored = right_to_left(source)
        for side, panels in enumerate(sheet.sides(mirrored)):
            content = b""
            for place, panel in enumerate(panels):
                number = index[panel.name]
                box = trim_box(source.pages[number])
                # A form shows its page's trim; the bleed is the press's, so shown too.
                forms[number].BBox = pikepdf.Array(normalised(source.pages[number].mediabox))
                if abs(box_width(box) / MM - panel.width) > BOX_TOLERANCE_MM:
                    raise ValueError(f"page {number + 1} is {box_width(box) / MM:.1f} mm wide; the "
                                     f"{panel.name} panel is {panel.width:g} mm")
                left = (bleed + panel.left) * MM
                clip_left = left - (bleed * MM if place == 0 else 0)
                clip_right = left + panel.width * MM + (bleed * MM if place == 2 else 0)
                placement = Placement(forms[number], box, left, bleed * MM, 1.0)
                content += b"q %s re W n %sQ\n" % (
                    numbers((clip_left, 0, clip_right - clip_left, (height + 2 * bleed) * MM)),
                    placement.content(Name(f"/P{place + 1}")))
            if guides:
                content += strokes(_guides(sheet, side, mirrored),
                                   b"%s G" % numbers((FOLD_GUIDE_GREY,)), FOLD_DASH)
            page = imposed.add_blank_page(page_size=((width + 2 * bleed) * MM,
                                                     (height + 2 * bleed) * MM))
            page.obj.Resources.XObject = {f"/P{place + 1}": forms[index[panel.name]]
                                          for place, panel in enumerate(panels)}
            page.obj.Contents = imposed.make_stream(content)
            page.trimbox = [bleed * MM, bleed * MM, (width + bleed) * MM, (height + bleed) * MM]
        return save(imposed, source.pdf_version)


def folds(pdf: bytes, sheet: FoldedSheet) -> list[tuple[float, float]]:
    """Where the folds are on each side of a leaflet laid on ``sheet`` (:func:`sides`), in mm
    from the left: mirrored if it reads right to left."""
    with open_pdf(pdf) as document:
        mirrored = right_to_left(document)
    return [sheet.folds(side, mirrored) for side in (0, 1)]


def _guides(sheet: FoldedSheet, side: int, mirrored: bool) -> list[Line]:
    """A short line at each fold, at the sheet's top and at its foot, in the margin."""
    near, far = (mm * MM for mm in FOLD_GUIDE_MM)
    height = sheet.size[1] * MM
    return [line for fold in sheet.folds(side, mirrored)
            for line in ((fold * MM, near, fold * MM, far),
                         (fold * MM, height - near, fold * MM, height - far))]
