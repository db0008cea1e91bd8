"""Sheets to print from a finished PDF: booklets and N-up for the office, crop marks for a press.

WeasyPrint lays out one page per ``@page`` box and has no imposition, and the crop marks it
draws itself (``marks: crop``) are RGB black drawn inside the bleed, where a press would print
them over the bleeding background. So imposition and printer's marks are done afterwards, on
the finished PDF: its pages are placed as form XObjects (text stays text, each font is stored
once however many times a page is placed), and marks are added as new content beside the old.

Every function takes the bytes of a PDF and returns the bytes of a new one; the same input
always gives the same bytes, so unchanged outputs are not rebuilt. Sizes given by the caller are
in millimetres, portrait (width, height); inside, everything is in PDF points.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Name

from ..plan.paper import A4
from ..settings import (
    BLEED_MM,
    CROP_MARK_LENGTH_MM,
    CROP_MARK_OFFSET_MM,
    CUT_MARK_GAP_MM,
    CUT_MARK_LENGTH_MM,
    MEDIA_ROOM_MM,
    N_UP_MIN_SCALE,
    OFFICE_GUTTER_MM,
    OFFICE_MARGIN_MM,
)
from .pdfobjects import (
    MM,
    Box,
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

FOLD_DASH = b"[3 2] 0 d"  # a fold is marked dashed, a cut solid, as printers draw them
FIT_TOLERANCE = 0.5  # pt: a page this much too big is rounding (A5 in pt vs A4 / 2), not overhang


def booklet_order(pages: int, right_to_left: bool = False) -> list[tuple[int, int]]:
    """The (left, right) page numbers, from 1, of each side of a saddle-stitched booklet's sheets.

    Sides come in printing order: the first sheet's front, its back, the second sheet's front...
    Folded and nested, the sheets read 1, 2, 3... An 8-page booklet gives
    ``[(8, 1), (2, 7), (6, 3), (4, 5)]``; one that reads ``right_to_left`` (Arabic) binds on
    the right and gives each pair the other way round, ``[(1, 8), (7, 2), ...]``. Each sheet
    carries four pages, so a page count that is not a multiple of 4 is refused: the caller
    decides where the blank pages go.
    """
    if pages <= 0 or pages % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {pages}; "
                         "add blank pages (4 pages per folded sheet)")
    order = []
    for sheet in range(pages // 4):
        outer, inner = 2 * sheet + 1, pages - 2 * sheet
        order += [(inner, outer), (outer + 1, inner - 1)]
    return [(right, left) for left, right in order] if right_to_left else order


def booklet(pdf: bytes, sheet: tuple[float, float] = A4) -> bytes:
    """A booklet for a duplex office printer: pages 2-up on landscape sheets, in booklet order.

    Print it duplex, flipping on the short edge (the backs are drawn upright, not turned), fold
    the stack and staple it at the fold. The two pages of a side meet at the sheet's centre
    line, which becomes the fold, and are centred vertically; all pages are scaled by the same
    factor, down only if they do not fit half a sheet (A5 on A4 keeps 100 %). A press file's
    bleed is left out: each page's TrimBox (else MediaBox) is what is placed. A document in a
    language written right to left (:func:`.pdfobjects.right_to_left`) binds on the right.
    """
    width, height = max(sheet) * MM, min(sheet) * MM
    fold = width / 2
    with open_pdf(pdf) as source:
        order = booklet_order(len(source.pages), right_to_left(source))
        boxes = [trim_box(page) for page in source.pages]
        scale = min(_fit(fold, height, box_width(box), _height(box)) for box in boxes)
        imposed, forms = new_from(source)

        def placed(number: int, right: bool) -> Placement:
            box = boxes[number - 1]
            x = fold if right else fold - scale * box_width(box)
            return Placement(forms[number - 1], box, x, (height - scale * _height(box)) / 2, scale)

        for left, right in order:
            _add_sheet(imposed, (width, height), [placed(left, False), placed(right, True)])
        return save(imposed, source.pdf_version)


def n_up(pdf: bytes, sheet: tuple[float, float] = A4, margin: float = OFFICE_MARGIN_MM,
         gutter: float = OFFICE_GUTTER_MM) -> bytes:
    """Copies of a flyer or card on office sheets, with cut marks, to print and cut.

    Each page becomes one sheet side filled with copies of it, so a front/back flyer gives the
    fronts, then the backs; the grid is centred and symmetric, so in duplex every back falls
    behind a front (flip on the short edge for landscape sheets, the long edge for portrait).
    The sheet is turned whichever way holds more copies, then larger: as many copies as fit
    with ``margin`` mm free at every sheet edge, which office printers cannot print and where
    the cut marks go, and ``gutter`` mm between copies, so that a cut a little off does not
    slice into a neighbour, each shrunk no further than ``N_UP_MIN_SCALE``; then as large as
    that room allows, never enlarged. A5 flyers go 2-up and A6 cards 4-up on A4 (at 92 % and
    90 %) and on Letter, which is shorter, at 87 %.
    """
    return _impose(pdf, lambda width, height: _grid(width, height, sheet, margin * MM,
                                                    gutter * MM))


def fitted(pdf: bytes, sheet: tuple[float, float], margin: float = OFFICE_MARGIN_MM) -> bytes:
    """A poster on office paper: each page on a sheet of its own, turned as the page is, as
    large as the room inside ``margin`` allows (never enlarged), with cut marks at its edges:
    an A3 poster on A3 at 95 %, an A2 one at 67 %, a proof of the press file."""
    def grid(width: float, height: float) -> Grid:
        short, long = min(sheet) * MM, max(sheet) * MM
        size = (short, long) if height >= width else (long, short)
        scale = _fit(size[0] - 2 * margin * MM, size[1] - 2 * margin * MM, width, height)
        return Grid(size, (width, height), 1, 1, scale, 0)
    return _impose(pdf, grid)


def _impose(pdf: bytes, grid_of: Callable[[float, float], Grid]) -> bytes:
    """Each page on a sheet of its own, in copies as the grid for its size says, with cut
    marks."""
    with open_pdf(pdf) as source:
        boxes = [trim_box(page) for page in source.pages]
        grid = grid_of(*_same_size(boxes))
        imposed, forms = new_from(source)
        marks = strokes(grid.cut_marks(), b"0 G")
        for form, box in zip(forms, boxes, strict=True):
            copies = [Placement(form, box, x, y, grid.scale) for x, y, _, _ in grid.copies()]
            _add_sheet(imposed, grid.sheet, copies, marks)
        return save(imposed, source.pdf_version)


def crop_marks(pdf: bytes, bleed: float = BLEED_MM, offset: float = CROP_MARK_OFFSET_MM,
               length: float = CROP_MARK_LENGTH_MM,
               folds: Sequence[Sequence[float]] = ()) -> bytes:
    """A press file with crop marks in registration colour outside the bleed.

    Each page's TrimBox (the finished size, which WeasyPrint sets with ``@page { bleed }``) is
    kept; its BleedBox is set to the trim grown by ``bleed`` mm and its MediaBox is grown
    further to make room for the marks: at each corner, one horizontal and one vertical line
    on the trim lines, from ``bleed + offset`` to ``bleed + offset + length`` mm off the trim,
    so they never reach into the bleed. The marks are in the /All separation, which prints on
    every plate, so they show the cut on each one. The existing content is clipped to what was
    visible before, so nothing hidden beyond the old MediaBox appears in the new margin, and
    everything else (output intent, XMP, structure tree, links, document info) is left alone.
    ``folds`` gives each page's folds, in mm from its trim's left edge: each is marked above and
    below the trim as the crop marks are, dashed.
    """
    with open_pdf(pdf) as document:
        colour_space = document.make_indirect(_registration())
        name = _unused_name(document, Name.ColorSpace, "Registration")
        for number, page in enumerate(document.pages, start=1):
            if Name.TrimBox not in page.obj:
                raise ValueError(f"page {number} has no TrimBox: crop marks need the finished "
                                 "size (a press PDF made with @page { bleed: ... })")
            trim, visible = trim_box(page), normalised(page.cropbox)
            page.mediabox = _array(_grow(trim, (bleed + offset + length + MEDIA_ROOM_MM) * MM))
            page.bleedbox = _array(_grow(trim, bleed * MM))
            if Name.CropBox in page.obj:
                del page.obj.CropBox
            page.add_resource(colour_space, Name.ColorSpace, name)
            lines = _crop_lines(trim, (bleed + offset) * MM, (bleed + offset + length) * MM)
            marks = strokes(lines, f"{name} CS 1 SCN".encode())
            if folds:
                marks += strokes(_fold_lines(trim, folds[number - 1], (bleed + offset) * MM,
                                             (bleed + offset + length) * MM),
                                 f"{name} CS 1 SCN".encode(), FOLD_DASH)
            page.contents_add(b"q %s re W n\n" % numbers(_rect(visible)), prepend=True)
            page.contents_add(b"\nQ\n/Artifact <</Type /Page>> BDC\n%sEMC\n" % marks)
        return save(document)


@dataclass(frozen=True)
class Placement:
    """A source page's form XObject drawn with its ``box`` corner at (x, y), scaled."""

    form: pikepdf.Object
    box: Box
    x: float
    y: float
    scale: float

    def content(self, name: Name) -> bytes:
        """Draws the form, named ``name`` in the sheet's resources, in its own graphics state."""
        left, bottom = self.x - self.scale * self.box[0], self.y - self.scale * self.box[1]
        matrix = numbers((self.scale, 0, 0, self.scale, left, bottom))
        return b"q %s cm %s Do Q\n" % (matrix, name.unparse())


@dataclass(frozen=True)
class Grid:
    """Copies of one page size on a sheet: ``cols`` x ``rows``, centred, sizes in pt."""

    sheet: tuple[float, float]
    page: tuple[float, float]
    cols: int
    rows: int
    scale: float
    gutter: float

    def copies(self) -> list[Box]:
        """Where each copy goes, row by row from the top left."""
        width, height = self.scale * self.page[0], self.scale * self.page[1]
        left, _, _, top = self.bounds()
        lefts = [left + col * (width + self.gutter) for col in range(self.cols)]
        tops = [top - row * (height + self.gutter) for row in range(self.rows)]
        return [(x, y - height, x + width, y) for y in tops for x in lefts]

    def bounds(self) -> Box:
        """The box around all the copies, in the middle of the sheet."""
        width = self.cols * self.scale * self.page[0] + (self.cols - 1) * self.gutter
        height = self.rows * self.scale * self.page[1] + (self.rows - 1) * self.gutter
        left, bottom = (self.sheet[0] - width) / 2, (self.sheet[1] - height) / 2
        return left, bottom, left + width, bottom + height

    def cut_marks(self) -> list[Line]:
        """Every cut line, marked in the band between the copies and the sheet's edges."""
        left, bottom, right, top = self.bounds()
        copies = self.copies()
        xs = sorted({round(x, 3) for box in copies for x in (box[0], box[2])})
        ys = sorted({round(y, 3) for box in copies for y in (box[1], box[3])})
        return [*((x, y0, x, y1) for x in xs for y0, y1 in _outward(bottom, top, self.sheet[1])),
                *((x0, y, x1, y) for y in ys for x0, x1 in _outward(left, right, self.sheet[0]))]


def _outward(low: float, high: float, edge: float) -> Iterable[tuple[float, float]]:
    """The spans of a cut mark below ``low`` and above ``high``, kept on the sheet (0 to edge)."""
    gap, length = CUT_MARK_GAP_MM * MM, CUT_MARK_LENGTH_MM * MM
    if low - gap > 0:
        yield low - gap, max(low - gap - length, 0)
    if high + gap < edge:
        yield high + gap, min(high + gap + length, edge)


def copies(page_width: float, page_height: float, sheet: tuple[float, float] = A4) -> int:
    """How many copies of a page (in pt) :func:`n_up` puts on each side of a sheet (in mm)."""
    grid = _grid(page_width, page_height, sheet, OFFICE_MARGIN_MM * MM, OFFICE_GUTTER_MM * MM)
    return grid.cols * grid.rows


def _across(room: float, page: float, gutter: float) -> int:
    """How many pages fit side by side in ``room``, with gutters, each shrunk no further than
    ``N_UP_MIN_SCALE``; sizes in pt."""
    return math.floor((room + gutter + FIT_TOLERANCE) / (N_UP_MIN_SCALE * page + gutter))


def _grid(page_width: float, page_height: float, sheet: tuple[float, float], margin: float,
          gutter: float) -> Grid:
    """The sheet orientation and grid with the most copies, then the largest: portrait, then
    landscape; sizes in pt."""
    grids = []
    for width, height in ((min(sheet) * MM, max(sheet) * MM), (max(sheet) * MM, min(sheet) * MM)):
        room_width, room_height = width - 2 * margin, height - 2 * margin
        cols, rows = _across(room_width, page_width, gutter), _across(room_height, page_height,
                                                                      gutter)
        if cols > 0 and rows > 0:
            grids.append(Grid((width, height), (page_width, page_height), cols, rows,
                              _fit(room_width - (cols - 1) * gutter,
                                   room_height - (rows - 1) * gutter,
                                   cols * page_width, rows * page_height), gutter))
    if not grids:
        raise ValueError(f"a {_mm(page_width)} x {_mm(page_height)} mm page does not fit the "
                         f"{sheet[0]:g} x {sheet[1]:g} mm sheet inside margins of {_mm(margin)} "
                         f"mm, even at {N_UP_MIN_SCALE:.0%}; N-up only makes copies of smaller "
                         "pages")
    return max(grids, key=lambda grid: (grid.cols * grid.rows, grid.scale))


def _crop_lines(trim: Box, start: float, end: float) -> list[Line]:
    """Two lines on the trim lines at each corner, from ``start`` to ``end`` pt off the trim."""
    left, bottom, right, top = trim
    return [
        *((left - start, y, left - end, y) for y in (bottom, top)),
        *((right + start, y, right + end, y) for y in (bottom, top)),
        *((x, bottom - start, x, bottom - end) for x in (left, right)),
        *((x, top + start, x, top + end) for x in (left, right)),
    ]


def _fold_lines(trim: Box, folds: Sequence[float], start: float, end: float) -> list[Line]:
    """A line at each fold (mm from the trim's left), above and below the trim, from ``start``
    to ``end`` pt off it."""
    left, bottom, _, top = trim
    return [line for fold in folds for x in (left + fold * MM,)
            for line in ((x, bottom - start, x, bottom - end), (x, top + start, x, top + end))]


def _registration() -> pikepdf.Array:
    """The registration colour: a separation whose tint prints on all four process plates."""
    all_plates = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0],
                                    C1=[1, 1, 1, 1], N=1)
    return pikepdf.Array([Name.Separation, Name.All, Name.DeviceCMYK, all_plates])


def _add_sheet(document: pikepdf.Pdf, size: tuple[float, float],
               placements: Sequence[Placement], marks: bytes = b"") -> None:
    """A new sheet side at the end of ``document``, with pages placed on it, then marks."""
    page = document.add_blank_page(page_size=size)
    names = {}
    for placement in placements:
        names.setdefault(placement.form.objgen, Name(f"/P{len(names) + 1}"))
    page.obj.Resources = pikepdf.Dictionary(
        XObject=pikepdf.Dictionary({str(names[p.form.objgen]): p.form for p in placements}))
    content = b"".join(p.content(names[p.form.objgen]) for p in placements) + marks
    page.obj.Contents = document.make_stream(content)


def _unused_name(document: pikepdf.Pdf, kind: Name, stem: str) -> Name:
    """A resource name of ``kind`` that no page of ``document`` uses yet."""
    taken = {str(key) for page in document.pages for key in page.resources.get(kind, {})}
    return next(Name(f"/{stem}{suffix}") for suffix in ("", *range(1, len(taken) + 2))
                if f"/{stem}{suffix}" not in taken)


def _same_size(boxes: Sequence[Box]) -> tuple[float, float]:
    """The one page size of a document whose pages all share it (a front and a back)."""
    if not boxes:
        raise ValueError("the PDF has no pages")
    width, height = box_width(boxes[0]), _height(boxes[0])
    for number, box in enumerate(boxes, start=1):
        if (abs(box_width(box) - width) > FIT_TOLERANCE
                or abs(_height(box) - height) > FIT_TOLERANCE):
            raise ValueError(f"page {number} is {_mm(box_width(box))} x {_mm(_height(box))} mm, "
                             f"page 1 {_mm(width)} x {_mm(height)} mm: N-up needs pages of one "
                             "size, so that fronts and backs line up")
    return width, height


def _fit(room_width: float, room_height: float, width: float, height: float) -> float:
    """The scale that fits width x height into the room: 1 if it fits, never more."""
    if width <= room_width + FIT_TOLERANCE and height <= room_height + FIT_TOLERANCE:
        return 1.0
    return min(room_width / width, room_height / height)


def _grow(box: Box, by: float) -> Box:
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by


def _height(box: Box) -> float:
    return box[3] - box[1]


def _rect(box: Box) -> tuple[float, float, float, float]:
    """The operands of ``re``: left, bottom, width, height."""
    return box[0], box[1], box_width(box), _height(box)


def _array(box: Box) -> pikepdf.Array:
    return pikepdf.Array([round(value, 4) for value in box])


def _mm(points: float) -> str:
    return f"{points / MM:.1f}"
