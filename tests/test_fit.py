"""Fitting the page, and the preflight a build runs on what it made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from brochure.build.workshop import Workshop
from brochure.cli import main
from brochure.data import Loaded
from brochure.lang.modes import language_modes
from brochure.plan.jobs import Product, plan
from brochure.plan.profiles import PROFILES
from brochure.render.pdf import PdfRenderer, Rendered
from brochure.theme import Theme

import measured
import pdfs

COVER_CITY_PT = 40  # the city's name on the cover at the type scale 1 (styles/brochure.css)
KOCEF_FIRST_LINE = "        The Korea Ceramic Foundation runs the Icheon World Ceramic Center in\n"
CapSys = pytest.CaptureFixture[str]


def lengthen_kocef(data: Path, sentences: int) -> None:
    long = " ".join(["The foundation's halls hold ceramics from every age."] * sentences)
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace(KOCEF_FIRST_LINE, f"        {long}\n"), encoding="utf-8")


def build(capsys: CapSys, data: Path, out: Path, *options: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["build", "--data", str(data), "--out", str(out), "--profile", "screen",
                 *options])
    return code, capsys.readouterr().err


def font_size(path: Path, text: str) -> float:
    """The size that the first character of ``text`` is set in (in the page's units)."""
    textpage = pypdfium2.PdfDocument(path)[0].get_textpage()
    start, _count = textpage.search(text).get_next()
    return round(pdfium_c.FPDFText_GetFontSize(textpage.raw, start), 1)


def test_a_long_description_is_set_smaller_to_fit_one_page(capsys: CapSys, data_copy: Path,
                                                           tmp_path: Path) -> None:
    lengthen_kocef(data_copy, 12)  # with its picture beside it, its three events below
    code, err = build(capsys, data_copy, tmp_path, "--lang", "en", "--only", "flyers")
    assert code == 0 and "error" not in err
    flyer = tmp_path / "screen" / "en" / "flyer-kocef.pdf"
    assert len(pypdfium2.PdfDocument(flyer)) == 1
    scale = font_size(flyer, "The foundation's halls") / font_size(
        tmp_path / "screen" / "en" / "flyer-cerawork.pdf", "The Icheon Ceramics Cooperative")
    assert 0.81 <= round(scale, 2) < 1  # a smaller step of the type scale, not below the floor


def test_a_description_the_page_holds_exactly_fits_it(capsys: CapSys, data_copy: Path,
                                                     tmp_path: Path) -> None:
    """The measured theme's arithmetic holds: as many paragraphs as it says fit on one page."""
    measured.describe_kocef(data_copy, measured.paragraphs_per_page())
    code, err = build(capsys, data_copy, tmp_path, "--lang", "en", "--only", "flyers",
                      "--theme", str(measured.THEME))
    assert code == 0, err
    flyer = tmp_path / "screen" / "en" / "flyer-kocef.pdf"
    assert len(pypdfium2.PdfDocument(flyer)) == 1
    # at the type scale 1; the page's unit is WeasyPrint's CSS pixel, 0.75 pt
    assert font_size(flyer, "The halls.") * 0.75 == pytest.approx(measured.TEXT_PT, abs=0.05)


def test_a_description_too_long_even_at_the_floor_fails_its_flyer_alone(
        capsys: CapSys, data_copy: Path, tmp_path: Path) -> None:
    paragraphs = measured.paragraphs_per_page() + 3
    measured.describe_kocef(data_copy, paragraphs)
    code, err = build(capsys, data_copy, tmp_path, "--lang", "en", "--only", "flyers",
                      "--theme", str(measured.THEME))
    assert code == 1
    assert [line for line in err.splitlines() if line.startswith("error")] == [
        f"error: {measured.kocef_too_long(paragraphs)}", "error: 1 output(s) could not be built"]
    assert sorted(path.name for path in (tmp_path / "screen" / "en").iterdir()) == [
        "flyer-cerawork.pdf", "flyer-doyego.pdf", "flyer-kicet.pdf"]


def test_a_cover_that_spills_names_the_field(capsys: CapSys, data_copy: Path,
                                             tmp_path: Path) -> None:
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace("en: Icheon\n", f"en: {'Icheon ' * 40}\n", 1),
                         encoding="utf-8")
    code, err = build(capsys, data_copy, tmp_path, "--lang", "en", "--only", "brochure")
    assert code == 1
    error = next(line for line in err.splitlines() if line.startswith("error"))
    assert error.startswith("error: en/brochure.pdf: the brochure: city.name runs ")
    assert error.endswith(f" mm past the cover's 1 page even in the smallest type "
                          f"({COVER_CITY_PT * measured.FIT[-1]:.1f} pt); shorten it")


def test_a_qr_code_printed_too_small_fails_the_build(capsys: CapSys, data_copy: Path,
                                                     tmp_path: Path) -> None:
    theme = tmp_path / "theme" / "styles"
    theme.mkdir(parents=True)
    default = Path(__file__).parent.parent / "styles" / "flyer.css"
    (theme / "flyer.css").write_text(
        default.read_text(encoding="utf-8")
        + ".flyer-contact figure.qr-code { --qr-size: 18mm; }\n", encoding="utf-8")
    code, err = build(capsys, data_copy, tmp_path / "out", "--lang", "en", "--only", "flyers",
                      "--theme", str(theme.parent))
    assert code == 1
    assert ("error: screen/en/flyer-kicet.pdf: preflight: page 1: qr: the code for "
            "https://www.kicet.re.kr/english.web is 14.6 mm wide; print it at least 20 mm wide"
            ) in err.splitlines()


def test_a_character_its_language_s_fonts_lack_fails_the_build(capsys: CapSys, data_copy: Path,
                                                               tmp_path: Path) -> None:
    """Found before layout: an Arabic letter in a Korean name would print in a stray font (the
    system's Arabic one), or as a box; nothing is built."""
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace("ko: 한국도자재단", "ko: 한국도자재단 \ufbea"),
                         encoding="utf-8")
    code, err = build(capsys, data_copy, tmp_path, "--lang", "ko", "--only", "flyers")
    assert code == 1
    assert err.splitlines() == [
        f"error: {data_copy}:160: institution 3 (kocef): name.ko: the 'ko' fonts (NanumGothic, "
        "Noto Sans CJK KR) cannot draw 'ﯪ' (U+FBEA)"]
    assert not (tmp_path / "screen").exists()


def test_a_brochure_is_laid_out_once_and_keeps_the_planned_pages_it_needs(
        sample: Loaded, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Three note pages are offered; the 16-page bilingual brochure keeps what fills its last
    sheet, and no second layout is made to add them."""
    layouts: list[int] = []
    render = PdfRenderer.render

    def counted(self: PdfRenderer, *args: Any, **kwargs: Any) -> Rendered:
        rendered = render(self, *args, **kwargs)
        layouts.append(rendered.pages)
        return rendered

    monkeypatch.setattr(PdfRenderer, "render", counted)
    mode = language_modes(sample.dataset.languages)["en+ko"]
    job = plan(sample.dataset, [mode], ["brochure"], [PROFILES["screen"]])[0]
    product = Workshop(sample.dataset, sample.path.parent, Theme.with_user_theme()).make(job)
    assert isinstance(product, Product)
    pages = product.files[0].pages
    assert (pages, len(layouts)) == (16, 1)
    (tmp_path / "brochure.pdf").write_bytes(product.files[0].pdf)
    notes = pdfs.text(tmp_path / "brochure.pdf").count("Notes · 메모")
    assert notes == pages - (layouts[0] - 3)  # the offered pages it kept


def test_only_pages_holding_nothing_but_planned_elements_may_be_left_out() -> None:
    page = '<section style="break-before: page">Content {}</section>'
    note = '<section style="break-before: page" data-planned>Notes</section>'
    shared = '<section data-planned>Notes beside content</section>'  # no page of its own
    html = "".join([page.format(1), page.format(2), shared, note, note])
    rendered = PdfRenderer(Theme.with_user_theme()).render(f"<body>{html}</body>", ())
    assert (rendered.pages, rendered.planned()) == (4, [2, 3])
    kept = rendered.without([3])
    assert kept.pages == 3
    assert [text for text in ("Content 2", "Notes beside content")
            if any(text in box.text for page in kept.document.pages
                   for box in page._page_box.descendants() if hasattr(box, "text"))] == [
        "Content 2", "Notes beside content"]
