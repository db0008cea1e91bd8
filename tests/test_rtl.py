"""Right to left: an Arabic flyer is mirrored, its words are extracted in the order they are
read, numbers and addresses on the web keep their order, and the PDF says it is in Arabic.
Checked on the PDFs built from tests/data/world.yaml, against that data."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from pypdf import PdfReader

from brochure.build import build
from brochure.data import Loaded
from brochure.lang.catalogues import digits, month_year, number
from brochure.plan.kinds import LAYOUTS
from brochure.plan.profiles import PROFILES

from pdfs import fonts, located_qr_codes, text, text_boxes

FLYER = "flyer-kiln.pdf"


@pytest.fixture(scope="module")
def flyers(world: Loaded, world_built: Path,
           tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The flyer in English, Arabic and Arabic-English in each layout, on screen, by the folder
    of its edition: "ar", "ar+en/columns". The stacked ones are the session's."""
    screen = world_built / "screen"
    found = {"en": screen / "en" / FLYER, "ar": screen / "ar" / FLYER,
             "ar+en/stacked": screen / "ar+en" / FLYER}
    for layout in LAYOUTS.values():
        if layout.name != "stacked":
            out = tmp_path_factory.mktemp(layout.name)
            report = build(world, out, [world.dataset.modes["ar+en"]], ["flyer"], layout=layout,
                           profiles=[PROFILES["screen"]])
            assert report.failed == [] and report.warnings == []
            found[f"ar+en/{layout.name}"] = out / "screen" / "ar+en" / FLYER
    return found


def institution(world: Loaded, field: str, lang: str) -> str:
    value = getattr(world.dataset.institutions[0], field)
    return value.resolve(lang, world.dataset.languages).text


def test_the_arabic_flyer_is_mirrored_with_its_code_on_the_other_side(
        flyers: dict[str, Path], world: Loaded) -> None:
    (english,), (arabic,) = located_qr_codes(flyers["en"]), located_qr_codes(flyers["ar"])
    assert english.text == arabic.text == world.dataset.institutions[0].homepage.resolve(
        "ar", world.dataset.languages).link.url
    assert english.centre > 0.6 and arabic.centre < 0.4
    assert arabic.centre == pytest.approx(1 - english.centre, abs=0.02)


def test_an_arabic_english_flyer_is_mirrored_in_every_layout(flyers: dict[str, Path]) -> None:
    """Arabic first: its page (the front of a front-back flyer) reads right to left; the English
    back, left to right."""
    for layout in LAYOUTS:
        codes = located_qr_codes(flyers[f"ar+en/{layout}"])
        assert [code.centre < 0.4 for code in codes] == (
            [True, False] if layout == "front-back" else [True]), layout


def test_arabic_sets_the_first_column_on_the_right(flyers: dict[str, Path],
                                                    world: Loaded) -> None:
    arabic, english = (institution(world, "description", lang).split()[0]
                       for lang in ("ar", "en"))
    (page,) = text_boxes(flyers["ar+en/columns"])
    first = {word: min(box.left for box in page if box.text.startswith(word))
             for word in (arabic, english)}
    assert first[arabic] > first[english] + 40


def test_arabic_words_are_extracted_in_the_order_they_are_read(flyers: dict[str, Path],
                                                               world: Loaded) -> None:
    """pdfium and pypdf both give the Arabic name whole, and the first sentence of the
    description (Arabic words only) word by word in reading order."""
    name = institution(world, "name", "ar")
    sentence = institution(world, "description", "ar").split(".")[0]
    pdfium = text(flyers["ar"])
    pypdf = " ".join(" ".join(page.extract_text() for page in PdfReader(flyers["ar"]).pages)
                     .split())
    for extracted in (pdfium, pypdf):
        assert name in extracted and sentence in extracted


def test_phone_numbers_and_web_addresses_keep_their_order_in_arabic(
        flyers: dict[str, Path], world: Loaded) -> None:
    record = world.dataset.institutions[0]
    shown = text(flyers["ar"])
    assert record.phone.display in shown  # "+82 31-644-2021", not "31-644-2021 82+"
    assert record.homepage.resolve("ar", world.dataset.languages).link.display in shown


def test_the_structure_says_arabic_and_marks_the_english_half(flyers: dict[str, Path],
                                                              world: Loaded) -> None:
    with pikepdf.open(flyers["ar+en/stacked"]) as document:
        assert str(document.Root.Lang) == "ar"
        marked = []

        def walk(node: pikepdf.Object) -> None:
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if "/Lang" in kid:
                        marked.append(str(kid.Lang))
                    walk(kid)

        walk(document.Root.StructTreeRoot)
    assert "en" in marked and "ar" not in marked  # Arabic is the document's own
    with pikepdf.open(flyers["ar"]) as document:
        assert str(document.Root.Lang) == "ar"


def test_arabic_is_drawn_in_an_arabic_font(flyers: dict[str, Path]) -> None:
    """Running text in Noto Naskh Arabic, the name (a heading) in Noto Sans Arabic: the stacks
    of typography.toml."""
    families = {name.split("+")[-1] for name in fonts(flyers["ar"])}
    assert {"Noto-Naskh-Arabic", "Noto-Sans-Arabic-Bold"} <= families


@pytest.mark.parametrize(("lang", "figures"), [
    ("ar", ("1,234", "2010", "أكتوبر 2004")),  # Arabic without a region writes 0-9 (CLDR)
    ("ar-EG", ("١٬٢٣٤", "٢٠١٠", "أكتوبر ٢٠٠٤")),  # noqa: RUF001 (Arabic-Indic digits)
    ("fa", ("۱٬۲۳۴", "۲۰۱۰", "اکتبر ۲۰۰۴")),  # noqa: RUF001 (Persian digits)
    ("en", ("1,234", "2010", "October 2004")),
])
def test_numbers_are_written_in_the_language_s_own_digits(lang: str,
                                                          figures: tuple[str, ...]) -> None:
    assert (number(1234, lang), digits(2010, lang), month_year(2004, 10, lang)) == figures


def test_an_arabic_booklet_binds_on_the_right(world_built: Path) -> None:
    """Folded, an Arabic booklet opens from the right: its first sheet carries the cover on the
    left half and the back cover on the right, the other way round from an English one."""
    for code, (cover, back) in (("ar", (0, 1)), ("en", (1, 0))):
        screen = pypdfium2.PdfDocument(world_built / "screen" / code / "brochure.pdf")
        pages = [" ".join(page.get_textpage().get_text_range().split()) for page in screen]
        sheet = pypdfium2.PdfDocument(world_built / "office" / code / "brochure.pdf")[0]
        width, height = sheet.get_size()
        halves = [" ".join(sheet.get_textpage().get_text_bounded(x0, 0, x1, height).split())
                  for x0, x1 in ((0, width / 2), (width / 2, width))]
        assert (halves[cover], halves[back]) == (pages[0], pages[-1]), code
