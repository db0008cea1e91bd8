"""Preflight finds what is wrong in PDFs made wrong on purpose, each check on its own."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image
from weasyprint import HTML

from brochure import preflight
from brochure.preflight import Expectation
from brochure.qr import qr_svg

URL = "https://www.kicet.re.kr/english.web"


def pdf(body: str, css: str = "", **options: object) -> bytes:
    """A one-page A5 PDF of ``body``, drawn by WeasyPrint."""
    return HTML(string=f"<html lang=en><style>@page {{ size: A5; margin: 10mm }} {css}</style>"
                       f"<body>{body}</body></html>").write_pdf(**options)


def findings(data: bytes, expect: Expectation | None = None) -> list[str]:
    return [str(finding) for finding in preflight.check(data, expect or Expectation())]


def test_a_good_qr_code_passes() -> None:
    data = pdf(f'<div style="width: 30mm">{qr_svg(URL)}</div>')
    assert findings(data, Expectation(qr=(URL,))) == []


def test_a_qr_code_for_another_url_or_none_at_all_is_an_error() -> None:
    data = pdf(f'<div style="width: 30mm">{qr_svg("https://example.org/")}</div>')
    assert findings(data, Expectation(qr=(URL,))) == [
        f"qr: no readable QR code for {URL}",
        "qr: a QR code reads 'https://example.org/', which the data does not ask for"]


def test_a_small_qr_code_is_an_error() -> None:
    data = pdf(f'<div style="width: 15mm">{qr_svg(URL)}</div>')
    assert findings(data) == [
        f"page 1: qr: the code for {URL} is 12.2 mm wide; print it at least 20 mm wide"]


@pytest.mark.parametrize("inside", ["2.5mm", "2.75mm"])  # 0.6 and 0.25 modules off the code
def test_ink_in_the_quiet_zone_is_an_error(inside: str) -> None:
    """A frame drawn over the code's white margin: it still scans here, not on every phone."""
    code = str(qr_svg(URL)).replace("<svg ", '<svg style="width: 30mm" ')
    data = pdf('<div style="width: 30mm; height: 30mm; outline: 0.4mm solid black; '
               f'outline-offset: -{inside}">{code}</div>')
    assert findings(data) == [
        f"page 1: qr: the quiet zone around the code for {URL} is not clear: keep 4 modules of "
        "plain paper around it"]


def test_a_pale_qr_code_is_an_error() -> None:
    pale = str(qr_svg(URL)).replace('stroke="#000"', 'stroke="#999"')
    data = pdf(f'<div style="width: 30mm">{pale}</div>')
    assert findings(data) == [
        f"page 1: qr: the code for {URL} has 40% contrast; print dark modules on light paper "
        "(70% or more)"]


def test_a_character_drawn_as_a_blank_glyph_is_an_error() -> None:
    """NanumSquare maps all Hangul syllables but draws only the 2,350 common ones; the PDF's
    subset of it keeps the empty glyph, read from the short form of its 'loca' table."""
    data = pdf('<p lang="ko" style="font-family: NanumSquare">갂 가</p>')
    assert findings(data) == [
        "page 1: fonts: NanumSquare draws '갂' (U+AC02) as a blank glyph: it prints as nothing"]


def test_text_past_the_page_edge_is_an_error() -> None:
    data = pdf('<p style="margin-left: 140mm; white-space: nowrap">Cut off by the trim</p>')
    assert findings(data) == [
        'page 1: text: text runs past the edge of the page: "Cut off by the trim"']


def test_a_low_resolution_image_is_an_error_on_press() -> None:
    image = io.BytesIO()
    Image.new("RGB", (60, 60), "#2f6b62").save(image, "PNG")
    source = "data:image/png;base64," + base64.b64encode(image.getvalue()).decode()
    data = pdf(f'<img src="{source}" style="width: 50mm">')
    assert "page 1: images: an image prints at 30 dpi; the press needs 300 dpi or more" in (
        findings(data, Expectation(pdfx=True)))
    assert findings(data) == []  # on screen it is a matter of taste, not an error


@pytest.mark.parametrize(("expect", "message"), [
    (Expectation(bleed_mm=3), "page 1: boxes: bleed of 0.0, 0.0, 0.0, 0.0 mm (left, bottom, right, "
                              "top); expected 3 mm on every side"),
    (Expectation(sheet_mm=(210, 297)), "page 1: boxes: sheet of 148 x 210 mm; expected "
                                       "210 x 297 mm"),
])
def test_page_boxes_are_checked_against_the_profile(expect: Expectation, message: str) -> None:
    assert findings(pdf("<p>A5</p>"), expect) == [message]


def test_a_booklet_that_does_not_fold_is_an_error() -> None:
    data = HTML(string="<style>@page { size: A4 landscape }</style><p>1</p>").write_pdf()
    assert findings(data, Expectation(booklet=True)) == [
        "booklet: 1 sheet sides make 2 pages, not a multiple of 4: the booklet cannot be folded"]
