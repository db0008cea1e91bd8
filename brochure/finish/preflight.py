"""Checking finished PDFs the way a print shop's preflight does, before anybody prints them.

Every check reads the file itself, not our intentions: QR codes are decoded from the rendered
page, colours are read from the content streams, boxes from the page dictionaries. So the
same checks serve ``brochure build`` (on what it just made) and ``brochure preflight`` (on any
file, months later). What a file should be (its profile, the QR codes its data asks for) comes
from an :class:`Expectation`; without one, only what every good PDF must be is checked.
"""

from __future__ import annotations

import io
import re
import struct
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pikepdf
import pypdfium2
import zxingcpp
from fontTools.ttLib import TTFont, TTLibError
from PIL import Image

from ..errors import character, plural
from ..lang.typography import blank_glyph, glyph_offsets
from ..plan.folds import FOLDS, READING_ORDER, FoldedSheet
from ..plan.kinds import KINDS, OutputKind
from ..plan.paper import DEFAULT_PAPER, LARGE, PAPERS
from ..plan.profiles import PROFILES, Profile
from ..settings import (
    BOX_TOLERANCE_MM,
    MIN_IMAGE_DPI,
    OFFICE_MARGIN_MM,
    PAGES_KEPT,
    QR_BLACK,
    QR_DPI,
    QR_MIN_CONTRAST,
    QR_MIN_MM,
    QUIET_ZONE,
)
from . import downsampling, imposition
from .pdfobjects import MM, Box, drawings, drawn, normalised, right_to_left, unicode_map

RGB_SPACES = {"/DeviceRGB", "/CalRGB"}


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a file: where, which check, and what to do about it."""

    check: str
    message: str
    page: int | None = None
    error: bool = True  # a warning otherwise: worth a look, not a reason to stop

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page else ""
        return f"{where}{self.check}: {self.message}"


@dataclass(frozen=True)
class Expectation:
    """What a file should be, as its profile and data say; the defaults expect nothing more
    than any good PDF."""

    qr: tuple[str, ...] | None = None  # every URL the file's QR codes must decode to
    bleed_mm: float = 0
    pdfx: bool = False  # PDF/X with an output intent, every colour CMYK
    sheet_mm: tuple[float, float] | None = None  # the paper, either way round
    booklet: bool = False  # sheets of a saddle-stitched booklet, in booklet order
    n_up: bool = False  # sheets of copies of one page, to cut apart: each copy must scan
    leaflet: FoldedSheet | None = None  # the panels of this sheet: as pages, or on its sides
    sides: bool = False  # the leaflet's panels on its two sides, with marks at its folds
    max_ppi: int | None = None  # no image sharper where it is placed (on pages not scaled)


def expectation(profile: Profile, kind: OutputKind, qr: Sequence[str] | None,
                sheet: FoldedSheet | None = None) -> Expectation:
    """What a file of ``kind`` made for ``profile`` should be; a folded kind's on ``sheet``."""
    return Expectation(
        qr=tuple(qr) if qr is not None else None,
        bleed_mm=profile.bleed_mm,
        pdfx=profile.rendering.pdf_variant is not None,
        sheet_mm=profile.paper,
        booklet=profile.paper is not None and kind.folding == "booklet",
        n_up=profile.paper is not None and kind.folding == "flat",
        leaflet=sheet,
        sides=sheet is not None and bool(profile.paper or profile.bleed_mm),
        max_ppi=profile.max_ppi if profile.paper is None else None,
    )


def expectation_of(entry: Mapping[str, Any] | None) -> Expectation:
    """What a built file should be, as its manifest entry says; nothing particular without one.

    An office file's entry names its paper; one that names none is on the profile's (A4). A
    leaflet's names its fold, and the paper it is folded from.
    """
    if not entry or entry.get("profile") not in PROFILES or entry.get("kind") not in KINDS:
        return Expectation()
    profile = PROFILES[entry["profile"]]
    papers = {**PAPERS, **LARGE}
    if profile.paper and entry.get("paper") in papers:
        profile = replace(profile, paper=papers[entry["paper"]])
    sheet = None
    if entry.get("fold") in FOLDS:
        sheet = FoldedSheet(FOLDS[entry["fold"]], PAPERS[entry.get("paper", DEFAULT_PAPER)])
    return expectation(profile, KINDS[entry["kind"]], entry.get("qr"), sheet)


class Inspected:
    """A finished PDF opened twice: by pikepdf for its objects, by pdfium for what it shows.

    The pages of a short file are loaded once for all the checks that read them; those of a
    long one (a print run) as each check reads them, so that they are not all held at once.
    """

    def __init__(self, pdf: bytes) -> None:
        self.pdf = pikepdf.open(io.BytesIO(pdf))
        self.rendered = pypdfium2.PdfDocument(pdf)
        self._kept = list(self.rendered) if len(self.rendered) <= PAGES_KEPT else None

    @property
    def pages(self) -> Sequence[pypdfium2.PdfPage] | pypdfium2.PdfDocument:
        """The pages, in order: a document iterates over its pages, loading each in turn."""
        return self._kept if self._kept is not None else self.rendered

    def close(self) -> None:
        self.rendered.close()
        self.pdf.close()


Check = Callable[[Inspected, Expectation], Iterator[Finding]]


def check(pdf: bytes, expect: Expectation = Expectation()) -> list[Finding]:
    """Every finding of every check, errors and warnings, in page order per check."""
    try:
        inspected = Inspected(pdf)
    except (pikepdf.PdfError, pypdfium2.PdfiumError) as error:
        return [Finding("file", f"cannot be read as a PDF ({error})")]
    try:
        return [finding for step in CHECKS for finding in step(inspected, expect)]
    finally:
        inspected.close()


# QR codes ---------------------------------------------------------------------------------

def qr_codes(doc: Inspected, expect: Expectation) -> Iterator[Finding]:
    """Every code decodes, to a URL the data asks for, at a size and margin that scan; on a
    sheet of copies, every copy's."""
    decoded: Counter[str] = Counter()
    for index, page in enumerate(doc.pages):
        bitmap = _render(page)
        image = bitmap.to_pil()  # shares the bitmap's memory
        # The reader takes the pixels in place (given a PIL image, it would copy them first);
        # a light-on-dark code is reported unreadable, as many phones find it.
        rows = memoryview(bitmap.buffer).cast("B", (bitmap.height, bitmap.stride))
        read: Counter[str] = Counter()
        for code in _read(zxingcpp.ImageView(rows, bitmap.width, bitmap.height,
                                             zxingcpp.ImageFormat.Lum, bitmap.stride)):
            read[code.text] += 1
            yield from _qr_print(index + 1, code, image)
        if expect.n_up and expect.sheet_mm:
            yield from _every_copy(index + 1, read, _copies(doc.pdf.pages[index],
                                                            expect.sheet_mm))
        decoded += read
    if expect.qr is None:
        return
    if missing := {url for url in expect.qr if not decoded[url]}:
        for text, page_number in _lost_in_background(doc, missing):
            decoded[text] += 1  # found, and reported for what keeps it from reading
            yield _unclear(text, page_number)
    for url in dict.fromkeys(expect.qr):
        if not decoded[url]:
            yield Finding("qr", f"no readable QR code for {url}")
    for text in decoded.keys() - set(expect.qr):
        yield Finding("qr", f"a QR code reads {text!r}, which the data does not ask for")


def _render(page: pypdfium2.PdfPage) -> pypdfium2.PdfBitmap:
    return page.render(scale=QR_DPI / 72, may_draw_forms=False, grayscale=True)


def _read(pixels: zxingcpp.ImageView | Image.Image) -> list[zxingcpp.Barcode]:
    """The QR codes in a page's pixels. A page drawn at ``QR_DPI`` is sharp: the reader need
    not try it again scaled down (a third of its time)."""
    return zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode,
                                  try_invert=False, try_downscale=False)


def _lost_in_background(doc: Inspected, urls: set[str]) -> Iterator[tuple[str, int]]:
    """(URL, page number) of each code for one of ``urls`` that reads only when everything
    lighter than the code's black is taken for paper.

    Such a code has no quiet zone of its own on a dark or coloured background: neither the
    reader nor a phone can tell where it begins. Read this way, it is reported for that.
    """
    for index, page in enumerate(doc.pages):
        bitmap = _render(page)
        image = bitmap.to_pil()
        limit = image.getextrema()[0] + QR_BLACK
        black = image.point([0 if value <= limit else 255 for value in range(256)])
        yield from ((code.text, index + 1) for code in _read(black) if code.text in urls)


def _every_copy(page: int, read: Counter[str], copies: int) -> Iterator[Finding]:
    """Each code read on a sheet side as many times as the side holds copies, or a multiple of
    that (a page may show a code twice): a copy whose code does not read leaves a count short."""
    for text, count in read.items():
        if count % copies:
            yield Finding("qr", f"{plural(count, 'readable QR code')} for {text} on a sheet of "
                                f"{copies} copies: every copy's code must read", page)


def _copies(page: pikepdf.Page, sheet_mm: tuple[float, float]) -> int:
    """How many copies a sheet side holds of the page it places: as many as imposition puts
    on the sheet for that page's size (one, if it places none)."""
    placed = [form for form in page.resources.get("/XObject", {}).values()
              if form.get("/Subtype") == "/Form"]
    if not placed:
        return 1
    left, bottom, right, top = normalised(placed[0].BBox)
    return max(imposition.copies(right - left, top - bottom, sheet_mm), 1)


def _qr_print(page: int, code: zxingcpp.Barcode, image: Image.Image) -> Iterator[Finding]:
    """The printed size, quiet zone and contrast of one decoded code."""
    corners = [code.position.top_left, code.position.top_right, code.position.bottom_right,
               code.position.bottom_left]
    modules = 17 + 4 * int(code.extra.get("Version", 1))
    xs, ys = [point.x for point in corners], [point.y for point in corners]
    near = (min(xs), min(ys), max(xs) + 1, max(ys) + 1)  # the reader's corners: near the edges
    module = (near[2] - near[0]) / modules
    # The edges themselves: where the dark modules end, within a pixel of the corners (the
    # reader's error); further out, ink is not the code's but in its quiet zone.
    probe = _grown(near, 1, image.size)
    dark, light = image.crop(near).getextrema()
    # Ink (255) and paper (0), told apart around the code only: what the checks below read.
    around = _grown(near, (QUIET_ZONE + 2) * module, image.size)
    ink = Image.new("L", image.size)
    ink.paste(image.crop(around).point(lambda value: 255 if value < (dark + light) // 2 else 0),
              around[:2])
    found = ink.crop(probe).getbbox() or (near[0] - probe[0], near[1] - probe[1],
                                          near[2] - probe[0], near[3] - probe[1])
    symbol = (probe[0] + found[0], probe[1] + found[1], probe[0] + found[2], probe[1] + found[3])
    module = (symbol[2] - symbol[0]) / modules
    width_mm = (symbol[2] - symbol[0]) / QR_DPI * 25.4
    if width_mm < QR_MIN_MM - 0.2:  # 0.2 mm: measuring to the pixel
        yield Finding("qr", f"the code for {code.text} is {width_mm:.1f} mm wide; print it at "
                            f"least {QR_MIN_MM} mm wide", page)
    # Four modules out, less a pixel: the renderer draws the code's white margin to whole
    # pixels, so the outermost one may show what lies behind it.
    reach = QUIET_ZONE * module - 1
    zone = _grown(symbol, reach, image.size)
    if zone != _grown(symbol, reach, None):
        yield Finding("qr", f"the code for {code.text} has no room for its quiet zone of "
                            f"{QUIET_ZONE} modules at the page's edge", page)
    # A pixel around the code is its own blurred edge, not ink in its quiet zone.
    edge = _grown(symbol, 1, image.size)
    dark_around = ink.crop(zone).histogram()[255] - ink.crop(edge).histogram()[255]
    if dark_around > module * module / 2:  # half a module's worth of ink near the code
        yield _unclear(code.text, page)
    contrast = (light - dark) / 255
    if contrast < QR_MIN_CONTRAST:
        yield Finding("qr", f"the code for {code.text} has {contrast:.0%} contrast; print "
                            f"dark modules on light paper ({QR_MIN_CONTRAST:.0%} or more)", page)


def _unclear(url: str, page: int) -> Finding:
    return Finding("qr", f"the quiet zone around the code for {url} is not clear: keep "
                         f"{QUIET_ZONE} modules of plain paper around it", page)


def _grown(box: tuple[float, float, float, float], by: float,
           limit: tuple[int, int] | None) -> tuple[int, int, int, int]:
    """A pixel box grown by ``by`` on every side, kept inside an image of size ``limit``."""
    grown = [round(box[0] - by), round(box[1] - by), round(box[2] + by), round(box[3] + by)]
    if limit:
        grown = [max(grown[0], 0), max(grown[1], 0), min(grown[2], limit[0]),
                 min(grown[3], limit[1])]
    return (grown[0], grown[1], grown[2], grown[3])


# Fonts and text ---------------------------------------------------------------------------

def fonts(doc: Inspected, expect: Expectation) -> Iterator[Finding]:
    """Every font embedded, and every character drawn with a real glyph: not the missing-glyph
    box, and not a blank (a font may map a character to an empty glyph)."""
    readers: dict[tuple[int, int], _Glyphs] = {}
    for index, page in enumerate(doc.pdf.pages):
        for resources, contents in drawings(page.obj):
            font_dicts = resources.get("/Font", {})
            for name, font in font_dicts.items():
                if not _embedded(font):
                    yield Finding("fonts", f"font {font.get('/BaseFont', name)} is not embedded",
                                  index + 1)
            for font, codes in _shown(contents, font_dicts):
                if font.objgen not in readers:
                    readers[font.objgen] = _Glyphs(font)
                for problem in readers[font.objgen].problems(codes):
                    yield Finding("fonts", problem, index + 1)


def _embedded(font: pikepdf.Dictionary) -> bool:
    if font.get("/Subtype") == "/Type3":  # its glyphs are drawings inside the file
        return True
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor", {})
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _shown(contents: pikepdf.Object,
           fonts: pikepdf.Dictionary) -> Iterator[tuple[pikepdf.Dictionary, set[int]]]:
    """Each composite font that ``contents`` shows text in, with the codes it shows."""
    shown: dict[tuple[int, int], tuple[pikepdf.Dictionary, set[int]]] = {}
    codes = None  # those of the current font, if composite
    for operands, operator in pikepdf.parse_content_stream(contents, "Tf Tj TJ ' \""):
        if str(operator) == "Tf":
            font = fonts.get(str(operands[0]))
            codes = (shown.setdefault(font.objgen, (font, set()))[1]
                     if font is not None and font.get("/Subtype") == "/Type0" else None)
        elif codes is not None:
            for item in operands[0] if str(operator) == "TJ" else operands[-1:]:
                if isinstance(item, pikepdf.String):
                    data = bytes(item)
                    codes.update(struct.unpack(f">{len(data) // 2}H",
                                               data[:len(data) - len(data) % 2]))
    yield from shown.values()


CMAP_CHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*(\d+)")
CMAP_RANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)")


class _Glyphs:
    """What the codes of a composite font draw: its glyph ids, characters and empty glyphs."""

    def __init__(self, font: pikepdf.Dictionary) -> None:
        self.name = str(font.get("/BaseFont", "?")).lstrip("/").split("+")[-1]
        encoding = font.get("/Encoding")
        self.cids: dict[int, int] | None = None  # None: Identity, the code is the CID
        if isinstance(encoding, pikepdf.Stream):
            cmap = encoding.read_bytes()
            self.cids = {int(code, 16): int(cid) for code, cid in CMAP_CHAR.findall(cmap)}
            for low, high, cid in CMAP_RANGE.findall(cmap):
                for offset in range(int(high, 16) - int(low, 16) + 1):
                    self.cids[int(low, 16) + offset] = int(cid) + offset
        descendant = font.DescendantFonts[0]
        gid_map = descendant.get("/CIDToGIDMap")
        self.gids = (gid_map.read_bytes() if isinstance(gid_map, pikepdf.Stream) else None)
        self.unicode = {code: bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
                        for code, text in unicode_map(font).items()}
        self.outlines = _Outlines(descendant.get("/FontDescriptor", {}).get("/FontFile2"))

    def gid(self, code: int) -> int:
        cid = code if self.cids is None else self.cids.get(code, 0)
        if self.gids is None:
            return cid
        entry = self.gids[2 * cid:2 * cid + 2]
        return int.from_bytes(entry) if len(entry) == 2 else 0

    def problems(self, codes: set[int]) -> Iterator[str]:
        for code in sorted(codes):
            gid, text = self.gid(code), self.unicode.get(code, "")
            if gid == 0:
                yield f"{self.name} has no glyph for {_characters(text)}: it prints as a box"
            elif text and not text.isspace() and self.outlines.blank(gid):
                yield (f"{self.name} draws {_characters(text)} as a blank glyph: it prints as "
                       "nothing")


def _characters(text: str) -> str:
    return ", ".join(character(char) for char in text) or "a character"


class _Outlines:
    """Whether glyphs of an embedded TrueType font are empty; the font is read at the first
    glyph asked."""

    def __init__(self, program: pikepdf.Object | None) -> None:
        self.program = program if isinstance(program, pikepdf.Stream) else None
        self.offsets: Sequence[int] | None = None

    def blank(self, gid: int) -> bool:
        if self.program is None:
            return False  # a CFF or Type 1 program: not read, so taken as drawn
        if self.offsets is None:
            try:
                self.offsets = glyph_offsets(TTFont(io.BytesIO(self.program.read_bytes()),
                                                    lazy=True))
            except (KeyError, ValueError, struct.error, TTLibError):  # not TrueType we can read
                self.offsets = ()
        return gid + 1 < len(self.offsets) and blank_glyph(self.offsets, gid)


def overflow(doc: Inspected, expect: Expectation) -> Iterator[Finding]:
    """No text outside the finished page: what is beyond the trim is cut off."""
    for index, page in enumerate(doc.pages):
        trim = page.get_trimbox()
        textpage = page.get_textpage()
        lines = (textpage.get_rect(line) for line in range(textpage.count_rects()))
        if all(_inside(box, trim, 1) for box in lines):  # a line at a time, then letter by letter
            continue
        outside = [textpage.get_text_range(char, 1) for char in range(textpage.count_chars())
                   if not _inside(textpage.get_charbox(char), trim, 1)]
        text = "".join(outside).strip()
        if text:
            yield Finding("text", f"text runs past the edge of the page: \"{text[:40]}\"",
                          index + 1)


# Page boxes, PDF/X, colours, images ---------------------------------------------------------

def boxes(doc: Inspected, expect: Expectation) -> Iterator[Finding]:
    """Trim, bleed and paper as the profile says: the bleed on press files, sheets for offices."""
    for index, page in enumerate(doc.pdf.pages):
        media, trim, bleed = (normalised(box) for box in (page.mediabox, page.trimbox,
                                                          page.bleedbox))
        slack = BOX_TOLERANCE_MM * MM
        if not _inside(trim, bleed, slack) or not _inside(bleed, media, slack):
            yield Finding("boxes", "the page boxes do not nest (media ⊇ bleed ⊇ trim)", index + 1)
        grown = [round((bleed[i] - trim[i]) * (-1 if i < 2 else 1) / MM, 1) + 0.0  # not -0.0
                 for i in range(4)]
        if any(abs(side - expect.bleed_mm) > BOX_TOLERANCE_MM for side in grown):
            sides = ", ".join(f"{side:.1f}" for side in grown)
            yield Finding("boxes", f"bleed of {sides} mm (left, bottom, right, top); expected "
                                   f"{expect.bleed_mm:g} mm on every side", index + 1)
        if expect.sheet_mm:
            size = sorted(((media[2] - media[0]) / MM, (media[3] - media[1]) / MM))
            if any(abs(a - b) > 1 for a, b in zip(size, sorted(expect.sheet_mm), strict=True)):
                yield Finding("boxes", f"sheet of {size[0]:.0f} x {size[1]:.0f} mm; expected "
                                       f"{expect.sheet_mm[0]:g} x {expect.sheet_mm[1]:g} mm",
                              index + 1)


def _inside(inner: Box, outer: Box, slack: float) -> bool:
    """Whether a box (left, bottom, right, top, in pt) lies within another, to ``slack`` pt."""
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def pdfx(doc: Inspected, expect: Expectation) -> Iterator[Finding]:
    """A PDF/X file says so in its metadata and names the printing condition it was made for."""
    if not expect.pdfx:
        return
    metadata = bytes(doc.pdf.Root.Metadata.read_bytes()) if "/Metadata" in doc.pdf.Root else b""
    if not re.search(rb"GTS_PDFXVersion>PDF/X-4<", metadata):
        yield Finding("pdfx", "no PDF/X-4 identification in the XMP metadata")
    intents = [intent for intent in doc.pdf.Root.get("/OutputIntents", [])
               if intent.get("/S") == "/GTS_PDFX"]
    if not intents:
        yield Finding("pdfx", "no PDF/X output intent: the printer cannot tell which printing "
                              "condition the colours are for")
    elif "/DestOutputProfile" not in intents[0] and "/RegistryName" not in intents[0]:
        yield Finding("pdfx", "the output intent has neither a profile nor a registry name")


def colours(doc: Inspected, expect: Expectation) -> Iterator[Finding]:
    """On press, every colour in CMYK (or device-independent): no RGB left to convert, and no
    shading whose colours do not fit its colour space (a RIP may refuse it or print it wrong).

    Everything a page draws is read: its forms, tiling patterns, shadings, images and
    annotations' appearances; RGB found outside the page's own drawing says where it is.
    """
    if not expect.pdfx:
        return
    for index, page in enumerate(doc.pdf.pages):
        rgb: set[str] = set()
        malformed: set[str] = set()
        for where, resources, contents in drawn(page.obj):
            named = resources.get("/ColorSpace", {})
            for what, space in _spaces(resources, contents):
                name = _space_name(named, space)
                if name in RGB_SPACES or name.endswith("/N 3"):
                    rgb.add(" in ".join(part for part in (name, what, where) if part))
            for shading in _shadings(resources):
                outputs = _outputs(shading.get("/Function"))
                components = _components(named, shading.get("/ColorSpace"))
                if outputs and outputs != {components}:
                    values = " or ".join(str(count) for count in sorted(outputs))
                    malformed.add(f"a shading's function gives {values} values for a "
                                  f"{components}-colour space")
        if rgb:
            yield Finding("colours", f"colours in RGB ({', '.join(sorted(rgb))}) where CMYK is "
                                     "required", index + 1)
        for problem in sorted(malformed):
            yield Finding("colours", problem, index + 1)


def _spaces(resources: pikepdf.Dictionary,
            contents: pikepdf.Object) -> Iterator[tuple[str, pikepdf.Object]]:
    """The colour spaces one content stream draws in, each with what uses it ("" for the
    stream's own operators): operators, images (inline too), shadings, its transparency group."""
    for operands, operator in pikepdf.parse_content_stream(contents, "rg RG cs CS BI ID EI"):
        if str(operator) in ("rg", "RG"):
            yield "", pikepdf.Name.DeviceRGB
        elif str(operator) in ("cs", "CS"):
            yield "", operands[0]
        elif "/ColorSpace" in (image := operands[0].obj):  # inline; a mask has no colours
            yield "an image", image.ColorSpace
    for image in resources.get("/XObject", {}).values():
        if image.get("/Subtype") == "/Image" and "/ColorSpace" in image:
            yield "an image", image.ColorSpace  # its /SMask, if any, is greyscale
    for shading in _shadings(resources):
        if "/ColorSpace" in shading:
            yield "a shading", shading.ColorSpace
    if "/CS" in (group := contents.get("/Group", {})):
        yield "a transparency group", group.CS  # what its colours are blended (and left) in


def _shadings(resources: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    """The shadings ``sh`` paints and those of shading patterns."""
    yield from resources.get("/Shading", {}).values()
    for pattern in resources.get("/Pattern", {}).values():
        if pattern.get("/PatternType") == 2 and "/Shading" in pattern:
            yield pattern.Shading


def _outputs(function: pikepdf.Object | None) -> set[int]:
    """How many values a shading's function gives (a stitching function: each of its parts');
    an array of functions gives one value each; none for a mesh shading, which has none."""
    if isinstance(function, pikepdf.Array):
        return {len(function)}
    if not isinstance(function, pikepdf.Dictionary | pikepdf.Stream):
        return set()
    kind = function.get("/FunctionType")
    if kind == 3:
        return {count for part in function.get("/Functions", []) for count in _outputs(part)}
    if kind == 2:  # C0 and C1 default to [0] and [1]
        return {len(function.get("/C0", function.get("/C1", [1])))}
    return {len(function.get("/Range", [])) // 2}  # sampled (0) and PostScript (4)


COMPONENTS = {"/DeviceGray": 1, "/CalGray": 1, "/Indexed": 1, "/Separation": 1,
              "/DeviceRGB": 3, "/CalRGB": 3, "/Lab": 3, "/DeviceCMYK": 4}


def _components(spaces: pikepdf.Dictionary, space: pikepdf.Object | None) -> int:
    """How many values a colour in ``space`` has (0 for what is no colour space)."""
    space = _resolved(spaces, space)
    if isinstance(space, pikepdf.Array):
        if space[0] == "/ICCBased":
            return int(space[1].get("/N", 0))
        if space[0] == "/DeviceN":
            return len(space[1])
        space = space[0]
    return COMPONENTS.get(str(space), 0)


def _space_name(spaces: pikepdf.Dictionary, space: pikepdf.Object) -> str:
    """The family a colour space prints in, with /N for ICC-based ones: "/DeviceCMYK",
    "/ICCBased /N 3"; an indexed space's base, a spot colour's alternate, a pattern's own."""
    space = _resolved(spaces, space)
    if isinstance(space, pikepdf.Array):
        family = str(space[0])
        if family == "/ICCBased":
            return f"/ICCBased /N {int(space[1].get('/N', 0))}"
        if family == "/Indexed" or (family == "/Pattern" and len(space) > 1):
            return _space_name(spaces, space[1])  # the palette's, an uncoloured pattern's
        if family in ("/Separation", "/DeviceN"):
            return _space_name(spaces, space[2])  # the alternate, for proofs
        return family
    return str(space)


def _resolved(spaces: pikepdf.Dictionary, space: pikepdf.Object | None) -> pikepdf.Object | None:
    """A colour space given by its name in a resource dictionary, looked up."""
    if isinstance(space, pikepdf.Name) and str(space) in spaces:
        return spaces[str(space)]
    return space


def images(doc: Inspected, expect: Expectation) -> Iterator[Finding]:
    """Each image's effective resolution where it is placed (its largest placement) and colour
    space: on press, 300 ppi or more (less is a warning: the print shop may still print it,
    softer); never more than the profile scales pictures down to (a file larger than it needs).
    An RGB image on press is the colours check's error."""
    for placed in downsampling.placements(doc.pdf):
        ppi = placed.ppi
        if expect.pdfx and ppi < MIN_IMAGE_DPI - 1:
            yield Finding("images", f"{describe(placed)} prints at {ppi:.0f} ppi; the press needs "
                                    f"{MIN_IMAGE_DPI} ppi or more", placed.page, error=False)
        if expect.max_ppi and ppi > expect.max_ppi + 1:
            yield Finding("images", f"{describe(placed)} prints at {ppi:.0f} ppi; this profile's "
                                    f"pictures are scaled down to {expect.max_ppi}", placed.page)


def describe(placed: downsampling.Placement) -> str:
    """An image as findings name it: "an image of 1800 x 1200 pixels in /DeviceCMYK"."""
    image = placed.image
    return f"an image of {int(image.Width)} x {int(image.Height)} pixels in {_image_space(image)}"


def _image_space(image: pikepdf.Stream) -> str:
    return _space_name(pikepdf.Dictionary(), image.get("/ColorSpace", pikepdf.Name.DeviceGray))


@dataclass(frozen=True)
class ShownImage:
    """An image a file shows, as a print shop asks about it: not a finding, a listing."""

    page: int  # the first page (from 1) that draws it
    pixels: tuple[int, int]
    ppi: float  # where it is placed largest
    space: str  # "/DeviceCMYK", "/ICCBased /N 3"

    def __str__(self) -> str:
        return (f"page {self.page}: {self.pixels[0]} x {self.pixels[1]} pixels in {self.space}, "
                f"{self.ppi:.0f} ppi")


def shown_images(pdf: bytes) -> list[ShownImage]:
    """Each image a finished PDF draws, once, with its effective ppi and colour space; none for
    a file that cannot be read (the checks say why)."""
    try:
        document = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError:
        return []
    with document:
        return [ShownImage(placed.page, (int(placed.image.Width), int(placed.image.Height)),
                           round(placed.ppi, 1), _image_space(placed.image))
                for placed in downsampling.placements(document)]


# Booklets ---------------------------------------------------------------------------------

FOLIO = re.compile(r"\d{1,3}")


def booklet(doc: Inspected, expect: Expectation) -> Iterator[Finding]:
    """A booklet's sheets hold its pages in folding order: read back each half's page number."""
    if not expect.booklet:
        return
    pages = len(doc.pages) * 2
    if pages % 4:
        yield Finding("booklet", f"{len(doc.pages)} sheet sides make {pages} pages, not a "
                                 "multiple of 4: the booklet cannot be folded")
        return
    numbered = False
    order = imposition.booklet_order(pages, right_to_left(doc.pdf))
    for index, (page, pair) in enumerate(zip(doc.pages, order, strict=True)):
        left, bottom, right, _top = page.get_mediabox()
        middle = (left + right) / 2
        textpage = page.get_textpage()
        for (x0, x1), expected in zip(((left, middle), (middle, right)), pair, strict=True):
            # The page number sits in the bottom margin of the page; covers have none.
            folio = textpage.get_text_bounded(x0, bottom, x1, bottom + 20 * MM).split()
            numbers = [word for word in folio if FOLIO.fullmatch(word)]
            numbered = numbered or bool(numbers)
            if numbers and int(numbers[-1]) != expected:
                yield Finding("booklet", f"page {numbers[-1]} where page {expected} belongs",
                              index + 1)
    if not numbered:
        yield Finding("booklet", "no page numbers at the foot of any page: the booklet's order "
                                 "cannot be checked")


# Leaflets ---------------------------------------------------------------------------------

SIDES = ("outside", "inside")
PANEL_FOOT_MM = 14  # the band at a panel's foot its number is read in: leaflet.css's margin
PLACES = ("left", "middle", "right")


def leaflet(doc: Inspected, expect: Expectation) -> Iterator[Finding]:
    """A leaflet's panels are as wide as its fold makes them and in their places, read back
    from the file: on screen, each page's width and the number at its foot; on paper, each
    placed panel's width and number (mirrored in a language written right to left), and the
    marks at the folds, which must stay out of the bleed (a press file's) or in the margin (an
    office sheet's)."""
    sheet = expect.leaflet
    if sheet is None:
        return
    if not expect.sides:
        if len(doc.pages) != 6:
            yield Finding("leaflet", f"{len(doc.pages)} pages; a leaflet has 6 panels")
            return
        for index, (page, panel) in enumerate(zip(doc.pages, sheet.panels(), strict=True)):
            left, bottom, right, _top = page.get_trimbox()
            yield from _panel(page, panel.name, panel.width, (left, right), bottom, index + 1)
        return
    if len(doc.pages) != 2:
        yield Finding("leaflet", f"{len(doc.pages)} sheet sides; a leaflet's sheet has 2")
        return
    mirrored = right_to_left(doc.pdf)  # as folding lays it: the other way round in Arabic
    for index, (page, panels) in enumerate(zip(doc.pdf.pages, sheet.sides(mirrored),
                                               strict=True)):
        trim = normalised(page.trimbox)
        placed = sorted(_placed(page, expect.bleed_mm * MM))
        if len(placed) != 3:
            yield Finding("leaflet", f"{len(placed)} panels on the {SIDES[index]}; expected 3",
                          index + 1)
            continue
        for place, ((left, right), panel) in enumerate(zip(placed, panels, strict=True)):
            where = f"{panel.name} ({SIDES[index]}, {PLACES[place]})"
            yield from _panel(doc.pages[index], where, panel.width, (left, right), trim[1],
                              index + 1, READING_ORDER.index(panel.name) + 1)
        yield from _fold_marks(page, trim, sheet.folds(index, mirrored), expect, index + 1)


def _panel(page: pypdfium2.PdfPage, name: str, width: float, span: tuple[float, float],
           bottom: float, number: int, expected: int | None = None) -> Iterator[Finding]:
    """One panel's width, and the number at its foot (none on the cover)."""
    if abs((span[1] - span[0]) / MM - width) > BOX_TOLERANCE_MM:
        yield Finding("leaflet", f"the {name} panel is {(span[1] - span[0]) / MM:.1f} mm wide; "
                                 f"the fold makes it {width:g} mm", number)
    expected = expected or number
    foot = page.get_textpage().get_text_bounded(span[0], bottom, span[1],
                                                bottom + PANEL_FOOT_MM * MM)
    numbers = [word for word in foot.split() if FOLIO.fullmatch(word)]
    if numbers and int(numbers[-1]) != expected:
        yield Finding("leaflet", f"panel {numbers[-1]} where panel {expected} belongs ({name})",
                      number)
    elif not numbers and expected != 1:
        yield Finding("leaflet", f"no number at the foot of the {name} panel: its place cannot "
                                 "be checked", number)


def _placed(page: pikepdf.Page, bleed: float) -> Iterator[tuple[float, float]]:
    """The left and right edges (pt) of each form the side places: its panel, less its bleed."""
    forms = page.resources.get("/XObject", {})
    matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for operands, operator in pikepdf.parse_content_stream(page, "cm Do"):
        if str(operator) == "cm":
            matrix = tuple(float(value) for value in operands)
        elif (form := forms.get(str(operands[0]))) is not None:
            left, _, right, _ = normalised(form.BBox)
            yield (matrix[4] + matrix[0] * (left + bleed), matrix[4] + matrix[0] * (right - bleed))


def _fold_marks(page: pikepdf.Page, trim: Box, folds: Sequence[float], expect: Expectation,
                number: int) -> Iterator[Finding]:
    """The marks at the folds: where the fold makes them, and off the printed area."""
    marks = [line for line in _vertical_lines(page)
             if trim[0] + 1 < line[0] < trim[2] - 1]  # the crop marks are on the trim's edges
    found = sorted({round((x - trim[0]) / MM, 1) for x, _, _ in marks})
    if found != [round(fold, 1) for fold in folds]:
        shown = ", ".join(f"{x:g}" for x in found) or "none"
        yield Finding("leaflet", f"fold marks at {shown} mm from the left; the fold puts them at "
                                 f"{', '.join(f'{fold:.1f}' for fold in folds)} mm", number)
    media = normalised(page.mediabox)
    reach = (expect.bleed_mm if expect.bleed_mm else OFFICE_MARGIN_MM) * MM
    for x, y0, y1 in marks:
        low, high = min(y0, y1), max(y0, y1)
        if expect.bleed_mm:  # outside the bleed
            inside = high > trim[1] - reach and low < trim[3] + reach
        else:  # in the margin: off the panels' text, on the sheet
            inside = (high > media[1] + reach and low < media[3] - reach) or low < media[1] \
                or high > media[3]
        if inside:
            place = "into the bleed" if expect.bleed_mm else "out of the sheet's margin"
            yield Finding("leaflet", f"the fold mark at {(x - trim[0]) / MM:.1f} mm runs {place}",
                          number)


def _vertical_lines(page: pikepdf.Page) -> list[tuple[float, float, float]]:
    """(x, y0, y1) of each vertical line the side's own content strokes (not its panels')."""
    lines, start = [], (0.0, 0.0)
    for operands, operator in pikepdf.parse_content_stream(page, "m l"):
        point = (float(operands[0]), float(operands[1]))
        if str(operator) == "l" and abs(point[0] - start[0]) < 0.01:
            lines.append((point[0], start[1], point[1]))
        start = point
    return lines


CHECKS: tuple[Check, ...] = (qr_codes, fonts, overflow, boxes, pdfx, colours, images, booklet,
                             leaflet)
