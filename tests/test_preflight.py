"""Preflight finds what is wrong in PDFs made wrong on purpose, each check on its own."""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest
from PIL import Image
from weasyprint import HTML

import brochure.render.qr
from brochure.build import BuildReport, build
from brochure.data import Loaded
from brochure.finish import imposition, preflight
from brochure.finish.preflight import Expectation, Finding
from brochure.lang.modes import language_modes
from brochure.plan.kinds import KINDS
from brochure.plan.profiles import PROFILES
from brochure.render.qr import qr_svg
from brochure.theme import Theme

import pdfs

URL = "https://www.kicet.re.kr/english.web"
DARK_PANELS = Path(__file__).parent / "themes" / "dark-panels"  # every box painted dark green
DARK = "html, body, body * { background: #14302b }"


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


def test_a_low_resolution_image_is_a_warning_on_press() -> None:
    image = io.BytesIO()
    Image.new("RGB", (60, 60), "#2f6b62").save(image, "PNG")
    source = "data:image/png;base64," + base64.b64encode(image.getvalue()).decode()
    data = pdf(f'<img src="{source}" style="width: 50mm">')
    low = Finding("images", "an image of 60 x 60 pixels in /DeviceRGB prints at 30 ppi; the "
                            "press needs 300 ppi or more", 1, error=False)
    assert low in preflight.check(data, Expectation(pdfx=True))
    assert findings(data) == []  # on screen it is a matter of taste, not an error
    assert findings(data, Expectation(max_ppi=20)) == [
        "page 1: images: an image of 60 x 60 pixels in /DeviceRGB prints at 30 ppi; this "
        "profile's pictures are scaled down to 20"]


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


def test_a_booklet_without_page_numbers_is_an_error() -> None:
    """Covers carry no number; a booklet none of whose pages does cannot be checked."""
    folios = ("@page { @bottom-center { content: counter(page) } } "
              "@page :first { @bottom-center { content: none } }")
    pages = "".join(f'<p style="break-after: page">Page {letter}</p>' for letter in "ABC")
    numbered = imposition.booklet(pdf(f"{pages}<p>Back cover</p>", folios))
    assert findings(numbered, Expectation(booklet=True)) == []
    plain = imposition.booklet(pdf(f"{pages}<p>Back cover</p>"))
    assert findings(plain, Expectation(booklet=True)) == [
        "booklet: no page numbers at the foot of any page: the booklet's order cannot be checked"]


# The quiet zone: drawn white by the code itself, so that it scans on any background

def test_the_svg_draws_four_white_modules_around_the_symbol() -> None:
    """A white square under the whole drawing; the dark modules start 4 modules in."""
    svg = ElementTree.fromstring(str(qr_svg(URL)))
    namespace = "{http://www.w3.org/2000/svg}"
    size = int(svg.get("viewBox").split()[2])
    rect, path = svg.find(f"{namespace}rect"), svg.find(f"{namespace}path")
    assert list(svg).index(rect) < list(svg).index(path)  # the white is drawn first, under
    assert (rect.get("x", "0"), rect.get("y", "0"), rect.get("width"), rect.get("height"),
            rect.get("fill")) == ("0", "0", str(size), str(size), "#fff")
    runs = [(int(x), int(y), int(length)) for x, y, length in
            re.findall(r"M(\d+) (\d+)\.5h(\d+)", path.get("d"))]
    assert (min(x for x, _, _ in runs), min(y for _, y, _ in runs),
            max(x + length for x, _, length in runs), max(y + 1 for _, y, _ in runs)) == (
        4, 4, size - 4, size - 4)


@pytest.mark.parametrize("width", ["25mm", "28mm", "31.7mm", "34mm"])
def test_a_qr_code_on_a_dark_panel_brings_its_own_quiet_zone(width: str) -> None:
    """The code's white margin is drawn to whole pixels: its edge is not ink near the code.
    (At 34 mm the margin's top row of pixels fell to the dark panel.)"""
    code = str(qr_svg(URL)).replace("<svg ", f'<svg style="width: {width}" ')
    assert findings(pdf(code, DARK), Expectation(qr=(URL,))) == []


@pytest.fixture
def no_quiet_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """QR codes drawn without their white margin, and none drawn with it kept for later."""
    monkeypatch.setattr(brochure.render.qr, "QUIET_ZONE", 0)
    qr_svg.cache_clear()
    yield
    qr_svg.cache_clear()


@pytest.mark.usefixtures("no_quiet_zone")
def test_a_qr_code_without_its_margin_on_a_dark_panel_is_an_error() -> None:
    """Neither the reader nor a phone finds it: it is found by its black alone, and reported."""
    data = pdf(f'<div style="width: 30mm">{qr_svg(URL)}</div>', DARK)
    assert findings(data, Expectation(qr=(URL,))) == [
        f"page 1: qr: the quiet zone around the code for {URL} is not clear: keep 4 modules of "
        "plain paper around it"]
    assert findings(data) == []  # nothing tells it is a code: no expectation, no finding


@pytest.fixture(scope="module")
def dark(tmp_path_factory: pytest.TempPathFactory, sample: Loaded) -> tuple[Path, BuildReport]:
    """The sample in English with the dark theme: every kind, in every profile."""
    out = tmp_path_factory.mktemp("dark")
    return out, build(sample, out, [language_modes(sample.dataset.languages)["en"]], list(KINDS),
                      Theme.with_user_theme(DARK_PANELS), profiles=list(PROFILES.values()),
                      workers=1)


def test_a_dark_theme_builds_in_every_profile_and_its_codes_read(
        dark: tuple[Path, BuildReport], sample: Loaded) -> None:
    out, report = dark
    # 10 kinds' files (the brochure, the leaflet, the festival's 3, flyers and cards) in 3
    # profiles, and a calendar
    assert (report.failed, report.warnings, len(report.built)) == ([], [], 40)
    homepages = {item.id: item.homepage.resolve("en", sample.dataset.languages).link.url
                 for item in sample.dataset.institutions}
    bookings = [event.booking.plain.url for event in sample.dataset.events if event.booking]
    for profile in PROFILES:
        folder = out / profile / "en"
        assert sorted(code for _, code, _ in pdfs.qr_codes(folder / "brochure.pdf")) == sorted(
            [*homepages.values(), *bookings]), profile
        for kind, office_copies in (("flyer", 2), ("card", 4)):
            copies = office_copies if profile == "office" else 1
            for name, url in homepages.items():
                assert [code for _, code, _ in pdfs.qr_codes(folder / f"{kind}-{name}.pdf")] == [
                    url] * copies, (profile, kind, name)


@pytest.mark.usefixtures("no_quiet_zone")
def test_a_dark_theme_fails_the_build_when_codes_lose_their_margin(tmp_path: Path,
                                                                   sample: Loaded) -> None:
    report = build(sample, tmp_path, [language_modes(sample.dataset.languages)["en"]], ["flyer"],
                   Theme.with_user_theme(DARK_PANELS), profiles=list(PROFILES.values()),
                   workers=1)
    assert report.built == []
    homepages = {item.id: item.homepage.resolve("en", sample.dataset.languages).link.url
                 for item in sample.dataset.institutions}
    assert report.failed == [  # office files are screen files imposed: not made after a failure
        f"{profile}/en/flyer-{name}.pdf: preflight: page 1: qr: the quiet zone around the "
        f"code for {url} is not clear: keep 4 modules of plain paper around it"
        for profile in ("screen", "press") for name, url in homepages.items()]


# Copies on an office sheet: each is cut out and handed out on its own

def blanked(pdf: bytes, left: float, bottom: float, right: float, top: float) -> bytes:
    """The PDF with a white rectangle over part of its first page, in fractions of the page."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        x, y, x1, y1 = imposition.normalised(page.mediabox)
        width, height = x1 - x, y1 - y
        page.contents_add(b"q 1 g %.2f %.2f %.2f %.2f re f Q" % (
            x + left * width, y + bottom * height, (right - left) * width, (top - bottom) * height))
        output = io.BytesIO()
        document.save(output)
    return output.getvalue()


@pytest.mark.parametrize(("kind", "part", "read"), [
    ("flyer", (0, 0, 0.5, 1), "1 readable QR code for {} on a sheet of 2 copies"),  # the left
    ("card", (0, 0.5, 0.5, 1), "3 readable QR codes for {} on a sheet of 4 copies"),  # top left
])
def test_a_copy_whose_code_does_not_read_is_an_error(dark: tuple[Path, BuildReport], kind: str,
                                                     part: tuple[float, float, float, float],
                                                     read: str) -> None:
    """The copies a sheet holds are what imposition puts on it; the manifest says the rest."""
    out, _ = dark
    path = f"office/en/{kind}-kicet.pdf"
    (entry,) = [item for item in json.loads((out / "manifest.json").read_text())["outputs"]
                if item["path"] == path]
    expect = preflight.expectation_of(entry)
    assert findings((out / path).read_bytes(), expect) == []
    assert findings(blanked((out / path).read_bytes(), *part), expect) == [
        f"page 1: qr: {read.format(URL)}: every copy's code must read"]


def test_the_booklet_and_copies_are_expected_of_office_files_alone() -> None:
    office, screen = PROFILES["office"], PROFILES["screen"]
    assert preflight.expectation(office, KINDS["flyer"], [URL]) == Expectation(
        qr=(URL,), sheet_mm=(210, 297), n_up=True)
    assert preflight.expectation(office, KINDS["brochure"], [URL]) == Expectation(
        qr=(URL,), sheet_mm=(210, 297), booklet=True)
    assert preflight.expectation(screen, KINDS["card"], [URL]) == Expectation(qr=(URL,),
                                                                               max_ppi=200)

