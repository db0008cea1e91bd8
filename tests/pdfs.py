"""Reading finished PDFs the way a reviewer would: text, boxes, links, fonts, QR codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pikepdf
import pypdfium2
import zxingcpp
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from brochure.finish.imposition import booklet_order

MM = 72 / 25.4  # PDF points per millimetre
RENDER_DPI = 300


def text(path: Path) -> str:
    """All the text of a PDF, pages joined, whitespace folded."""
    document = pypdfium2.PdfDocument(path)
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    return " ".join(" ".join(pages).split())


@dataclass(frozen=True)
class Box:
    """A run of text on one line, with its box in PDF points (origin bottom left)."""

    text: str
    left: float
    bottom: float
    right: float
    top: float


def text_boxes(path: Path) -> list[list[Box]]:
    """Per page, the text runs as the PDF lays them out: one per line of a paragraph."""
    pages = []
    document = pypdfium2.PdfDocument(path)
    for index in range(len(document)):
        textpage = document[index].get_textpage()
        boxes = []
        for rect in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(rect)
            text = textpage.get_text_bounded(left, bottom, right, top).strip()
            if text:
                boxes.append(Box(text, left, bottom, right, top))
        pages.append(boxes)
    return pages


def page_lines(path: Path) -> list[list[str]]:
    """Per page, the text as pdfium reads it, one entry per line of text."""
    document = pypdfium2.PdfDocument(path)
    return [document[i].get_textpage().get_text_range().replace("\r", "").split("\n")
            for i in range(len(document))]


def page_sizes_mm(path: Path) -> list[tuple[float, float]]:
    return [(round(float(page.mediabox.width) / MM, 1), round(float(page.mediabox.height) / MM, 1))
            for page in PdfReader(path).pages]


def link_uris(path: Path) -> list[str]:
    """The targets of every link annotation, in page order."""
    uris = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def fonts(path: Path) -> dict[str, DictionaryObject]:
    """Every font the pages use, by base name, with its descriptor (descendant's for Type 0)."""
    found: dict[str, DictionaryObject] = {}
    for page in PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor_owner = font["/DescendantFonts"][0].get_object() \
                if "/DescendantFonts" in font else font
            found[str(font["/BaseFont"])] = (font, descriptor_owner["/FontDescriptor"].get_object())
    return found


def covered_characters(path: Path) -> set[str]:
    """The characters the embedded fonts can draw, from their ToUnicode maps (glyph 0 excluded)."""
    characters: set[str] = set()
    for font, _descriptor in fonts(path).values():
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
            for glyph, code in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                if int(glyph, 16) != 0:
                    characters.add(bytes.fromhex(code).decode("utf-16-be"))
        for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
            for first, last, code in re.findall(
                    r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                start = ord(bytes.fromhex(code).decode("utf-16-be"))
                count = int(last, 16) - int(first, 16) + 1
                characters.update(chr(start + offset) for offset in range(count))
    return characters


@dataclass(frozen=True)
class Code:
    """A QR code found on a rendered page: what it says and where it is printed."""

    page: int  # from 1
    text: str
    left_mm: float  # from the page's left edge
    width_mm: float
    page_width_mm: float

    @property
    def centre(self) -> float:
        """Where the code's middle is across the page: 0 at the left edge, 1 at the right."""
        return (self.left_mm + self.width_mm / 2) / self.page_width_mm


@cache
def located_qr_codes(path: Path) -> list[Code]:
    """Every QR code on the rendered pages, decoded, with its place."""
    found = []
    document = pypdfium2.PdfDocument(path)
    for index in range(len(document)):
        image = document[index].render(scale=RENDER_DPI / 72).to_pil()
        for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            xs = [barcode.position.top_left.x, barcode.position.top_right.x,
                  barcode.position.bottom_left.x, barcode.position.bottom_right.x]
            left, width, page = (value / RENDER_DPI * 25.4
                                 for value in (min(xs), max(xs) - min(xs), image.width))
            found.append(Code(index + 1, barcode.text, left, width, page))
    return found


def qr_codes(path: Path) -> list[tuple[int, str, float]]:
    """(page number, decoded text, printed width in mm) of every QR code on the rendered pages."""
    return [(code.page, code.text, code.width_mm) for code in located_qr_codes(path)]


def booklet_sheets(screen: Path, office: Path) -> list[tuple[tuple[float, float], tuple[str, str],
                                                             tuple[str, str]]]:
    """Per sheet of an office booklet: its size in pt, the text of its two halves, and the text
    of the two screen pages booklet order puts there (white space folded)."""
    pages = pypdfium2.PdfDocument(screen)
    sheets = pypdfium2.PdfDocument(office)
    texts = [" ".join(page.get_textpage().get_text_range().split()) for page in pages]
    found = []
    for sheet, (left, right) in zip(sheets, booklet_order(len(pages)), strict=True):
        width, height = sheet.get_size()
        halves = sheet.get_textpage()
        found.append(((round(width, 1), round(height, 1)),
                      tuple(" ".join(halves.get_text_bounded(x0, 0, x1, height).split())
                            for x0, x1 in ((0, width / 2), (width / 2, width))),
                      (texts[left - 1], texts[right - 1])))
    return found


def vertical_lines_mm(path: Path) -> list[list[tuple[float, float, float]]]:
    """Per page, (x, lower y, upper y) in mm of each vertical line the page's own content
    strokes (marks and guides; what placed pages draw is inside their forms)."""
    found = []
    with pikepdf.open(path) as document:
        for page in document.pages:
            lines, start = [], (0.0, 0.0)
            for operands, operator in pikepdf.parse_content_stream(page, "m l"):
                point = (float(operands[0]), float(operands[1]))
                if str(operator) == "l" and abs(point[0] - start[0]) < 0.01:
                    low, high = sorted((start[1], point[1]))
                    lines.append((round(point[0] / MM, 2), round(low / MM, 2),
                                  round(high / MM, 2)))
                start = point
            found.append(lines)
    return found


def text_between(path: Path, page: int, left_mm: float, right_mm: float) -> str:
    """The text of a page (from 1) between two distances from its left edge, in mm, whitespace
    folded."""
    document = pypdfium2.PdfDocument(path)
    sheet = document[page - 1]
    _, bottom, _, top = sheet.get_mediabox()
    left = sheet.get_mediabox()[0]
    text = sheet.get_textpage().get_text_bounded(left + left_mm * MM, bottom,
                                                 left + right_mm * MM, top)
    return " ".join(text.split())


def shown_spans_mm(path: Path) -> list[list[tuple[float, float]]]:
    """Per page, the left and right edges in mm from the trim's left of each page placed on it
    (a form drawn in the clip rectangle before it), as far as it shows inside the trim."""
    found = []
    with pikepdf.open(path) as document:
        for page in document.pages:
            trim = sorted(float(value) for value in page.trimbox[::2])
            spans, clip = [], (0.0, 0.0)
            for operands, operator in pikepdf.parse_content_stream(page, "re Do"):
                if str(operator) == "re":
                    x, width = float(operands[0]), float(operands[2])
                    clip = (max(x, trim[0]), min(x + width, trim[1]))
                else:
                    spans.append(tuple(round((x - trim[0]) / MM, 2) for x in clip))
            found.append(spans)
    return found
