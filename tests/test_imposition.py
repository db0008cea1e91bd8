"""Booklets, N-up sheets and crop marks, read back from the PDFs they make.

The sources are small numbered PDFs made here with pikepdf: each page is filled grey (to its
trim, or over its bleed) and shows its number in Helvetica 30 pt right and 60 pt up from its
trim's lower-left corner. pdfium reads back where each placed page and each number landed; the
marks are read from the content stream, following the graphics state.
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
from dataclasses import dataclass
from itertools import pairwise

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from pikepdf import Dictionary, Name

from brochure.finish.imposition import booklet, booklet_order, copies, crop_marks, n_up
from brochure.finish.pdfobjects import MM
from brochure.plan.paper import A4, PAPERS

A5 = (148, 210)
A6 = (105, 148)
PORTRAIT = (A4[0] * MM, A4[1] * MM)
LANDSCAPE = (A4[1] * MM, A4[0] * MM)
LETTER = PAPERS["letter"]
NUMBER_AT = (30, 60)  # pt from the trim's lower-left corner
CLOSE = 0.05  # pt: pdfium reports single-precision floats

Rect = tuple[float, float, float, float]  # left, bottom, right, top


def numbered(pages: int, size: tuple[float, float] = A5, *, bleed: float = 0,
             trim_at: tuple[float, float] = (0, 0)) -> pikepdf.Pdf:
    """A document of numbered pages of ``size`` mm; with ``bleed`` mm, a press file's boxes.

    ``trim_at`` is the trim's lower-left corner in user space: WeasyPrint puts it at the origin
    and the MediaBox at negative coordinates, other tools put the MediaBox at the origin. Each
    page moves its drawing there with a ``cm`` it does not undo, as WeasyPrint's pages do.
    """
    document = pikepdf.new()
    font = document.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    width, height, out = size[0] * MM, size[1] * MM, bleed * MM
    left, bottom = trim_at
    for number in range(1, pages + 1):
        page = document.add_blank_page(page_size=(width, height))
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        page.obj.Contents = document.make_stream(
            f"1 0 0 1 {left} {bottom} cm 0.9 g {-out} {-out} {width + 2 * out} {height + 2 * out}"
            f" re f 0 g BT /F1 30 Tf {NUMBER_AT[0]} {NUMBER_AT[1]} Td ({number}) Tj ET".encode())
        if bleed:
            page.mediabox = [left - out, bottom - out, left + width + out, bottom + height + out]
            page.trimbox = [left, bottom, left + width, bottom + height]
    return document


def saved(document: pikepdf.Pdf) -> bytes:
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def pages(count: int, size: tuple[float, float] = A5) -> bytes:
    return saved(numbered(count, size))


def press(pages: int = 2, trim_at: tuple[float, float] = (0, 0),
          size: tuple[float, float] = A5) -> bytes:
    """A PDF/X-like press file: 3 mm bleed, output intent, /Info key, /ID, a link, tags."""
    document = numbered(pages, size, bleed=3, trim_at=trim_at)
    document.Root.OutputIntents = pikepdf.Array([document.make_indirect(Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier="FOGRA39"))])
    document.Root.StructTreeRoot = document.make_indirect(
        Dictionary(Type=Name.StructTreeRoot, K=pikepdf.Array()))
    document.docinfo[Name.GTS_PDFXVersion] = "PDF/X-4"
    document.pages[0].obj.Annots = pikepdf.Array([document.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=[20, 20, 120, 60],
        A=Dictionary(S=Name.URI, URI="https://example.org")))])
    output = io.BytesIO()
    document.save(output, deterministic_id=True)
    return output.getvalue()


# Reading results back


def placed_pages(pdf: bytes, index: int) -> list[Rect]:
    """Where the form XObjects (the placed pages) of a sheet are, as pdfium draws them."""
    page = pypdfium2.PdfDocument(pdf)[index]
    return sorted(tuple(form.get_bounds()) for form in page.get_objects(
        filter=[pdfium_c.FPDF_PAGEOBJ_FORM], max_depth=1))


def number_corners(pdf: bytes, index: int) -> list[tuple[str, float, float]]:
    """Each page number on a sheet, with the lower-left corner of its line of text.

    That corner (of pdfium's loose box: advance width, font ascent and descent) is the same
    for every digit, so the numbers of a front and a back can be compared.
    """
    text = pypdfium2.PdfDocument(pdf)[index].get_textpage()
    found = []
    for char in range(text.count_chars()):
        if (letter := text.get_text_range(char, 1)).strip():
            left, bottom, _, _ = text.get_charbox(char, loose=True)
            found.append((letter, left, bottom))
    return found


def text_in(pdf: bytes, index: int, rect: Rect) -> str:
    return pypdfium2.PdfDocument(pdf)[index].get_textpage().get_text_bounded(*rect).strip()


def sizes(pdf: bytes) -> list[tuple[float, float]]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [(round(float(page.mediabox[2] - page.mediabox[0]), 1),
                 round(float(page.mediabox[3] - page.mediabox[1]), 1))
                for page in document.pages]


def count_objects(pdf: bytes, key: Name, value: Name) -> int:
    """How many objects of the file have ``key`` ``value``: its fonts, its form XObjects."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return sum(1 for obj in document.objects
                   if isinstance(obj, (Dictionary, pikepdf.Stream)) and obj.get(key) == value)


@dataclass(frozen=True)
class Stroke:
    """A stroked straight segment in default user space, with how it was stroked."""

    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    colour_space: str
    tint: tuple[float, ...]
    marked: tuple[str, ...]

    @property
    def box(self) -> Rect:
        return min(self.x0, self.x1), min(self.y0, self.y1), max(self.x0, self.x1), \
            max(self.y0, self.y1)

    @property
    def vertical(self) -> bool:
        return math.isclose(self.x0, self.x1, abs_tol=1e-6)


def strokes(page: pikepdf.Page) -> list[Stroke]:
    """Every stroked line segment of a page, following q/Q, cm, colour and marked content."""
    state = {"ctm": (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), "width": 1.0, "space": "/DeviceGray",
             "tint": (0.0,)}
    saved_states, marked, path, found = [], [], [], []
    for operands, operator in pikepdf.parse_content_stream(page):
        match str(operator):
            case "q":
                saved_states.append(dict(state))
            case "Q":
                state = saved_states.pop()
            case "cm":
                state["ctm"] = multiply([float(value) for value in operands], state["ctm"])
            case "w":
                state["width"] = float(operands[0])
            case "CS":
                state["space"] = str(operands[0])
            case "G":
                state["space"], state["tint"] = "/DeviceGray", (float(operands[0]),)
            case "SCN" | "SC":
                state["tint"] = tuple(float(value) for value in operands)
            case "BDC" | "BMC":
                marked.append(str(operands[0]))
            case "EMC":
                marked.pop()
            case "m":
                path = [transform(state["ctm"], *operands)]
            case "l":
                path.append(transform(state["ctm"], *operands))
            case "S":
                found += [Stroke(*start, *end, state["width"], state["space"], state["tint"],
                                 tuple(marked)) for start, end in pairwise(path)]
                path = []
            case "re" | "f" | "n" | "B" | "b" | "s" | "f*" | "h":
                path = []
    assert not saved_states and not marked, "unbalanced q/Q or marked content"
    return found


def multiply(m: list[float], n: tuple[float, ...]) -> tuple[float, ...]:
    return (m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5])


def transform(ctm: tuple[float, ...], x: object, y: object) -> tuple[float, float]:
    x, y = float(x), float(y)
    return ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5]


def distance(a: Rect, b: Rect) -> float:
    """The gap between two rectangles (0 if they touch or overlap)."""
    return math.hypot(max(a[0] - b[2], b[0] - a[2], 0), max(a[1] - b[3], b[1] - a[3], 0))


def grown(rect: Rect, by: float) -> Rect:
    return rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by


def floats(array: pikepdf.Array) -> list[float]:
    return [float(value) for value in array]


@pytest.fixture
def qpdf_check(tmp_path):
    """Asserts that qpdf finds nothing wrong with a PDF."""
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")

    def check(pdf: bytes) -> None:
        path = tmp_path / "checked.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, result.stdout + result.stderr

    return check


# booklet_order


@pytest.mark.parametrize(("count", "expected"), [
    (4, [(4, 1), (2, 3)]),
    (8, [(8, 1), (2, 7), (6, 3), (4, 5)]),
    (12, [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]),
])
def test_booklet_order(count, expected):
    order = booklet_order(count)
    assert order == expected
    assert sorted(number for side in order for number in side) == list(range(1, count + 1))


@pytest.mark.parametrize("count", [6, 0, 10])
def test_booklet_order_refuses_a_page_count_not_a_multiple_of_4(count):
    with pytest.raises(ValueError, match=f"multiple of 4 pages, not {count}"):
        booklet_order(count)


# booklet


def test_booklet_puts_a5_pages_2_up_in_booklet_order_at_full_size_meeting_at_the_fold(
        qpdf_check):
    source = pages(8)
    result = booklet(source)
    assert sizes(result) == [(841.9, 595.3)] * 4
    fold, a5 = LANDSCAPE[0] / 2, (A5[0] * MM, A5[1] * MM)
    ((_, x, y),) = number_corners(source, 0)
    for index, (left, right) in enumerate(booklet_order(8)):
        assert text_in(result, index, (0, 0, fold, LANDSCAPE[1])) == str(left)
        assert text_in(result, index, (fold, 0, LANDSCAPE[0], LANDSCAPE[1])) == str(right)
        assert placed_pages(result, index) == [
            pytest.approx((fold - a5[0], 0, fold, a5[1]), abs=CLOSE),
            pytest.approx((fold, 0, fold + a5[0], a5[1]), abs=CLOSE)]
        assert number_corners(result, index) == [
            (str(left), pytest.approx(fold - a5[0] + x, abs=CLOSE), pytest.approx(y, abs=CLOSE)),
            (str(right), pytest.approx(fold + x, abs=CLOSE), pytest.approx(y, abs=CLOSE))]
    qpdf_check(result)


def test_booklet_centres_small_pages_vertically_without_enlarging_them():
    result = booklet(pages(4, A6))
    fold, width, height = LANDSCAPE[0] / 2, A6[0] * MM, A6[1] * MM
    bottom = (LANDSCAPE[1] - height) / 2
    assert placed_pages(result, 0) == [
        pytest.approx((fold - width, bottom, fold, bottom + height), abs=CLOSE),
        pytest.approx((fold, bottom, fold + width, bottom + height), abs=CLOSE)]


def test_booklet_scales_pages_too_big_for_half_a_sheet_down_uniformly():
    result = booklet(pages(4, A4))
    fold = LANDSCAPE[0] / 2
    left, right = placed_pages(result, 0)
    scale = min(fold / PORTRAIT[0], LANDSCAPE[1] / PORTRAIT[1])
    assert scale < 1
    assert left == pytest.approx((fold - scale * PORTRAIT[0], 0, fold, LANDSCAPE[1]), abs=CLOSE)
    assert right == pytest.approx((fold, 0, fold + scale * PORTRAIT[0], LANDSCAPE[1]), abs=CLOSE)


def test_a_booklet_on_letter_shrinks_a5_pages_to_half_the_sheet_meeting_at_the_fold(
        qpdf_check):
    """Half a landscape Letter sheet is 139.7 x 215.9 mm: A5 (148 x 210) shrinks to 94.4 %."""
    result = booklet(pages(8), LETTER)
    assert sizes(result) == [(792.0, 612.0)] * 4
    fold, height = LETTER[1] * MM / 2, LETTER[0] * MM
    width, tall = fold, A5[1] * MM * fold / (A5[0] * MM)
    bottom = (height - tall) / 2
    for index, (left, right) in enumerate(booklet_order(8)):
        assert text_in(result, index, (0, 0, fold, height)) == str(left)
        assert text_in(result, index, (fold, 0, 2 * fold, height)) == str(right)
        assert placed_pages(result, index) == [
            pytest.approx((0, bottom, fold, bottom + tall), abs=CLOSE),
            pytest.approx((fold, bottom, fold + width, bottom + tall), abs=CLOSE)]
    assert width / (A5[0] * MM) == pytest.approx(0.9439, abs=1e-4)
    qpdf_check(result)


def test_booklet_of_a_press_file_places_the_trim_not_the_bleed():
    result, plain = booklet(press(4, (5, 7), A6)), booklet(pages(4, A6))
    assert number_corners(result, 0) == [(letter, pytest.approx(x, abs=CLOSE), pytest.approx(
        y, abs=CLOSE)) for letter, x, y in number_corners(plain, 0)]
    # The grey that runs into the bleed is cut off at the trim: 1 px = 1 pt.
    image = pypdfium2.PdfDocument(result)[0].render(scale=1).to_pil().convert("L")
    fold, width, height = LANDSCAPE[0] / 2, A6[0] * MM, A6[1] * MM
    top = (LANDSCAPE[1] - height) / 2  # in pixels, from the top
    for x, y in [(fold - width + 3, top + 3), (fold + width - 3, top + height - 3)]:
        assert image.getpixel((x, y)) < 255, "inside the trim"
    for x, y in [(fold - width - 3, top + 3), (fold + width + 3, top + 3), (fold - 20, top - 3),
                 (fold + 20, top + height + 3)]:
        assert image.getpixel((x, y)) == 255, "in the bleed, which is not placed"


def test_booklet_shares_fonts_and_places_each_page_once():
    source = pages(8)
    result = booklet(source)
    assert count_objects(source, Name.Type, Name.Font) == 1
    assert count_objects(result, Name.Type, Name.Font) == 1
    assert count_objects(result, Name.Subtype, Name.Form) == 8


def test_booklet_keeps_the_title_language_and_xmp():
    document = numbered(4)
    document.docinfo[Name.Title] = "Icheon, city of crafts"
    document.docinfo[Name.Subject] = "이천 공예"
    document.Root.Lang = "ko"
    with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = "이천"
    source = saved(document)
    with pikepdf.open(io.BytesIO(source)) as original, \
            pikepdf.open(io.BytesIO(booklet(source))) as result:
        assert str(result.docinfo.Title) == "Icheon, city of crafts"
        assert str(result.docinfo.Subject) == "이천 공예"
        assert str(result.Root.Lang) == "ko"
        assert result.Root.Metadata.read_bytes() == original.Root.Metadata.read_bytes()
        assert result.open_metadata()["dc:title"] == "이천"


def test_booklet_refuses_a_page_count_not_a_multiple_of_4():
    with pytest.raises(ValueError, match="multiple of 4 pages, not 6"):
        booklet(pages(6))


def file_id(pdf: bytes) -> list[bytes]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [bytes(part) for part in document.trailer.ID]


def test_imposed_output_is_reproducible_and_identified_by_its_content():
    source = pages(4)
    assert booklet(source) == booklet(source)
    assert n_up(source) == n_up(source)
    assert file_id(booklet(source)) != file_id(booklet(pages(8)))
    assert file_id(n_up(source)) != file_id(n_up(pages(4, A6)))


# n_up


def check_cut_marks(sheet: pikepdf.Page, copies: list[Rect], margin: float = 8) -> None:
    """Every mark in the margin band, off every copy, and every cut line marked at both ends."""
    marks = strokes(sheet)
    width, height = float(sheet.mediabox[2]), float(sheet.mediabox[3])
    grid = (min(c[0] for c in copies), min(c[1] for c in copies),
            max(c[2] for c in copies), max(c[3] for c in copies))
    assert min(grid[0], grid[1], width - grid[2], height - grid[3]) >= margin * MM - CLOSE
    for mark in marks:
        left, bottom, right, top = mark.box
        assert mark.width == 0.25
        assert (mark.colour_space, mark.tint) == ("/DeviceGray", (0,))
        assert left >= 0 and bottom >= 0 and right <= width and top <= height
        if mark.vertical:
            assert top <= grid[1] or bottom >= grid[3], f"{mark} is not above or below the copies"
        else:
            assert right <= grid[0] or left >= grid[2], f"{mark} is not beside the copies"
        assert min(distance(mark.box, copy) for copy in copies) >= 1 * MM
    for vertical, edges in ((True, [x for c in copies for x in (c[0], c[2])]),
                            (False, [y for c in copies for y in (c[1], c[3])])):
        at = [mark.x0 if vertical else mark.y0 for mark in marks if mark.vertical == vertical]
        for place in at:
            assert any(math.isclose(place, edge, abs_tol=CLOSE) for edge in edges)
        for edge in edges:  # at both ends of the cut
            assert sum(math.isclose(place, edge, abs_tol=CLOSE) for place in at) == 2


def test_n_up_puts_two_a5_copies_on_a_landscape_sheet_with_cut_marks(qpdf_check):
    result = n_up(pages(1))
    assert sizes(result) == [(841.9, 595.3)]
    copies = placed_pages(result, 0)
    assert len(copies) == 2
    (left, right) = copies
    assert left[2] < LANDSCAPE[0] / 2 < right[0]
    assert right[0] - left[2] == pytest.approx(6 * MM, abs=CLOSE)
    for copy in copies:
        assert (copy[2] - copy[0]) / (copy[3] - copy[1]) == pytest.approx(A5[0] / A5[1])
        assert text_in(result, 0, copy) == "1"
    with pikepdf.open(io.BytesIO(result)) as document:
        check_cut_marks(document.pages[0], copies)
    qpdf_check(result)


def test_n_up_of_a_front_and_back_lines_the_copies_up_for_duplex(qpdf_check):
    source = pages(2)
    result = n_up(source)
    assert sizes(result) == [(841.9, 595.3)] * 2
    fronts, backs = placed_pages(result, 0), placed_pages(result, 1)
    assert len(fronts) == 2
    assert backs == [pytest.approx(copy, abs=CLOSE) for copy in fronts]
    for index, number in enumerate("12"):
        assert [text_in(result, index, copy) for copy in fronts] == [number, number]
        ((_, x, y),) = number_corners(source, index)
        assert [(x, y) for _, x, y in number_corners(result, index)] == [
            pytest.approx((copy[0] + x * scale(copy, A5), copy[1] + y * scale(copy, A5)),
                          abs=CLOSE) for copy in fronts]
    assert count_objects(result, Name.Type, Name.Font) == 1
    assert count_objects(result, Name.Subtype, Name.Form) == 2
    qpdf_check(result)


def scale(copy: Rect, size: tuple[float, float]) -> float:
    return (copy[2] - copy[0]) / (size[0] * MM)


def test_n_up_puts_four_a6_copies_on_a_portrait_sheet(qpdf_check):
    result = n_up(pages(1, A6))
    assert sizes(result) == [(595.3, 841.9)]
    copies = placed_pages(result, 0)
    assert len(copies) == 4
    assert len({round(copy[0], 1) for copy in copies}) == 2  # 2 columns
    assert len({round(copy[1], 1) for copy in copies}) == 2  # 2 rows
    middle_x, middle_y = PORTRAIT[0] / 2, PORTRAIT[1] / 2
    for copy in copies:
        assert copy[2] <= middle_x or copy[0] >= middle_x
        assert copy[3] <= middle_y or copy[1] >= middle_y
        assert text_in(result, 0, copy) == "1"
    with pikepdf.open(io.BytesIO(result)) as document:
        check_cut_marks(document.pages[0], copies)
    qpdf_check(result)


@pytest.mark.parametrize(("size", "sheet", "count"), [
    (A5, A4, 2), (A6, A4, 4), ((90, 50), A4, 12), (A4, A4, 1),
    (A5, LETTER, 2), (A6, LETTER, 4), ((90, 50), LETTER, 12), (A4, LETTER, 1)])
def test_copies_says_how_many_copies_n_up_places(size, sheet, count):
    """What preflight expects of a sheet: one count, decided where n_up decides it."""
    assert copies(size[0] * MM, size[1] * MM, sheet) == count
    assert len(placed_pages(n_up(pages(1, size), sheet), 0)) == count


@pytest.mark.parametrize(("size", "sheet_pt", "grid"), [
    (A5, (792.0, 612.0), (2, 1)), (A6, (612.0, 792.0), (2, 2))])
def test_n_up_on_letter_puts_flyers_2_up_and_cards_4_up_with_cut_marks_in_the_margin(
        qpdf_check, size, sheet_pt, grid):
    """Two A5 copies do not fit a Letter sheet at full size: they shrink, to 87 %, rather than
    go one to a sheet, and the 8 mm margin that holds the cut marks stays."""
    result = n_up(pages(1, size), LETTER)
    assert sizes(result) == [sheet_pt]
    copies = placed_pages(result, 0)
    assert (len({round(c[0], 1) for c in copies}), len({round(c[1], 1) for c in copies})) == grid
    for copy in copies:
        assert scale(copy, size) == pytest.approx(0.8696, abs=1e-3)
        assert text_in(result, 0, copy) == "1"
    with pikepdf.open(io.BytesIO(result)) as document:
        check_cut_marks(document.pages[0], copies)
    qpdf_check(result)


def test_n_up_shrinks_only_as_much_as_the_margins_need():
    copies = placed_pages(n_up(pages(1, A6), margin=0, gutter=0), 0)
    assert len(copies) == 4
    for copy in copies:
        assert (copy[2] - copy[0], copy[3] - copy[1]) == pytest.approx(
            (A6[0] * MM, A6[1] * MM), abs=CLOSE)
    tight = placed_pages(n_up(pages(1, A6)), 0)  # 8 mm margins: as large as the width allows
    assert tight[0][0] == pytest.approx(8 * MM, abs=CLOSE)


def test_n_up_refuses_pages_larger_than_the_sheet_or_of_different_sizes():
    with pytest.raises(ValueError, match="does not fit the 210 x 297 mm sheet"):
        n_up(pages(1, (300, 420)))
    mixed = numbered(1)
    mixed.pages.extend(numbered(1, A6).pages)
    with pytest.raises(ValueError, match="pages of one size"):
        n_up(saved(mixed))


# crop_marks


@pytest.mark.parametrize("trim_at", [(0, 0), (3 * MM, 3 * MM)], ids=["weasyprint", "origin"])
def test_crop_marks_lie_outside_the_bleed_on_the_trim_lines_in_registration(trim_at,
                                                                            qpdf_check):
    source = press(2, trim_at)
    result = crop_marks(source)
    with pikepdf.open(io.BytesIO(source)) as before, pikepdf.open(io.BytesIO(result)) as after:
        for old, page in zip(before.pages, after.pages, strict=True):
            trim = floats(page.TrimBox)
            assert trim == floats(old.TrimBox)
            bleed = floats(page.BleedBox)
            assert bleed == pytest.approx(grown(trim, 3 * MM), abs=0.01)
            media = floats(page.MediaBox)
            assert media[0] <= bleed[0] - 7 * MM and media[1] <= bleed[1] - 7 * MM
            assert media[2] >= bleed[2] + 7 * MM and media[3] >= bleed[3] + 7 * MM
            assert Name.CropBox not in page.obj or floats(page.CropBox) == media
            marks = strokes(page)
            assert len(marks) == 8
            for mark in marks:
                check_crop_mark(mark, page, trim, bleed, media)
    qpdf_check(result)


def check_crop_mark(mark: Stroke, page: pikepdf.Page, trim: list[float], bleed: list[float],
                    media: list[float]) -> None:
    left, bottom, right, top = mark.box
    if mark.vertical:
        assert mark.x0 in (pytest.approx(trim[0], abs=CLOSE), pytest.approx(trim[2], abs=CLOSE))
        assert top <= bleed[1] - 2 * MM or bottom >= bleed[3] + 2 * MM
    else:
        assert mark.y0 in (pytest.approx(trim[1], abs=CLOSE), pytest.approx(trim[3], abs=CLOSE))
        assert right <= bleed[0] - 2 * MM or left >= bleed[2] + 2 * MM
    assert media[0] <= left and right <= media[2] and media[1] <= bottom and top <= media[3]
    assert max(right - left, top - bottom) == pytest.approx(5 * MM, abs=CLOSE)
    assert (mark.width, mark.tint, mark.marked) == (0.25, (1,), ("/Artifact",))
    space = page.Resources.ColorSpace[mark.colour_space]
    assert list(space[:3]) == [Name.Separation, Name.All, Name.DeviceCMYK]
    tint = space[3]
    assert (tint.FunctionType, list(tint.C0), list(tint.C1)) == (2, [0] * 4, [1] * 4)


def test_crop_marks_leave_the_rest_of_the_file_as_it_was():
    source = press(2)
    result = crop_marks(source)
    for index in range(2):
        assert number_corners(result, index) == [
            (letter, pytest.approx(x, abs=CLOSE), pytest.approx(y, abs=CLOSE))
            for letter, x, y in number_corners(source, index)]
    with pikepdf.open(io.BytesIO(result)) as after:
        assert after.Root.OutputIntents[0].OutputConditionIdentifier == "FOGRA39"
        assert str(after.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        assert Name.StructTreeRoot in after.Root
        assert after.pages[0].Annots[0].A.URI == "https://example.org"


def test_crop_marks_clip_the_content_to_what_was_visible_before():
    result = crop_marks(press(1))
    with pikepdf.open(io.BytesIO(result)) as document:
        first = pikepdf.parse_content_stream(document.pages[0])[:4]
    assert [str(operator) for _, operator in first] == ["q", "re", "W", "n"]
    assert [float(value) for value in first[1].operands] == pytest.approx(
        [-3 * MM, -3 * MM, (A5[0] + 6) * MM, (A5[1] + 6) * MM], abs=0.01)


def test_crop_marks_are_reproducible_and_keep_the_permanent_half_of_the_id():
    source = press(2)
    assert crop_marks(source) == crop_marks(source)
    first, changed = file_id(crop_marks(source)), file_id(crop_marks(source, length=6))
    assert first[0] == changed[0] == file_id(source)[0]
    assert first[1] != changed[1]


def test_crop_marks_need_a_trim_box():
    with pytest.raises(ValueError, match="page 1 has no TrimBox"):
        crop_marks(pages(1))
