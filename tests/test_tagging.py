"""Bilingual PDFs tell screen readers which language each element is in, titles in each language."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pikepdf
from weasyprint import HTML

from brochure.build import BuildReport, build
from brochure.data import load
from brochure.finish.tagging import LanguageRuns, _marked_texts
from brochure.lang.modes import language_modes

import pdfs

Built = tuple[Path, BuildReport]
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def kids(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    found = node.get("/K")
    found = list(found) if isinstance(found, pikepdf.Array) else [found]
    return [kid for kid in found if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def marked(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """The document's language and (type, language) of every element marked with /Lang."""
    found: list[tuple[str, str]] = []

    def walk(node: pikepdf.Object) -> None:
        for kid in kids(node):
            if "/Lang" in kid:
                found.append((str(kid.S), str(kid.Lang)))
            walk(kid)

    with pikepdf.open(path) as document:
        walk(document.Root.StructTreeRoot)
        return str(document.Root.Lang), found


def test_the_korean_elements_of_a_bilingual_flyer_are_marked_korean(built: Built) -> None:
    # the city's name, the designation, the institution's name, its picture's credit (on three
    # lines: the picture is narrowed to fit the page) and its description; the label of its
    # events at the festival, and the time and title of each of its three; then the contact
    # panel the page's margin shows: its Korean address and the Korean lines of its hours
    assert marked(built[0] / "screen" / "en+ko" / "flyer-kocef.pdf") == (
        "en", [*[("/Span", "ko")] * 6, ("/Div", "ko"), *[("/Span", "ko")] * 7,
               ("/NonStruct", "ko"), ("/Span", "ko"), ("/LI", "ko"), ("/NonStruct", "ko"),
               ("/Span", "ko"), ("/NonStruct", "ko"), ("/Span", "ko")])


def outside_the_tree(path: Path) -> list[tuple[int, str]]:
    """The page (from 1) and text of each piece of marked content no structure element holds:
    what a screen reader skips."""
    with pikepdf.open(path) as document:
        pages = {page.objgen: number for number, page in enumerate(document.pages)}
        held: set[tuple[int, int]] = set()

        def walk(node: pikepdf.Object, page: pikepdf.Object | None) -> None:
            page = node.get("/Pg", page)
            found = node.get("/K")
            for kid in found if isinstance(found, pikepdf.Array) else [found]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    walk(kid, page)
                elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
                    held.add((pages[kid.get("/Pg", page).objgen], int(kid.MCID)))
                elif kid is not None and not isinstance(kid, pikepdf.Dictionary):
                    held.add((pages[page.objgen], int(kid)))

        walk(document.Root.StructTreeRoot, None)
    return sorted((page + 1, text) for (page, mcid), text in
                  _marked_texts(path.read_bytes()).items() if (page, mcid) not in held)


def test_the_flyers_contact_panel_is_read_and_page_numbers_are_not(built: Built) -> None:
    """The flyer's contact panel (logo, address, links, QR code) is a running element in the
    page's margin; WeasyPrint leaves all of a margin's structure out of the tree."""
    assert outside_the_tree(built[0] / "screen" / "en+ko" / "flyer-kocef.pdf") == []
    brochure = built[0] / "screen" / "en" / "brochure.pdf"
    pages = len(pdfs.page_sizes_mm(brochure))
    # Every page has its number at its foot but the covers.
    assert outside_the_tree(brochure) == [(page, str(page)) for page in range(2, pages)]


def test_a_bilingual_brochure_marks_its_korean_half(built: Built) -> None:
    lang, elements = marked(built[0] / "screen" / "en+ko" / "brochure.pdf")
    assert lang == "en"
    assert {element_lang for _tag, element_lang in elements} == {"ko"}
    assert len(elements) > 30


def test_english_fallbacks_in_a_korean_document_are_marked_english(built: Built,
                                                                   fallback_copy: Path,
                                                                   tmp_path: Path) -> None:
    assert marked(built[0] / "screen" / "ko" / "brochure.pdf") == ("ko", [])  # all in Korean
    assert marked(built[0] / "screen" / "en" / "brochure.pdf") == ("en", [])
    loaded = load(fallback_copy)  # cerawork's address in English only
    mode = language_modes(loaded.dataset.languages)["ko"]
    assert build(loaded, tmp_path, [mode], ["brochure"]).failed == []
    assert marked(tmp_path / "screen" / "ko" / "brochure.pdf") == ("ko", [("/LI", "en")])


def test_labels_of_a_language_without_a_catalogue_are_marked_english(tmp_path: Path) -> None:
    """No Indonesian catalogue: an Indonesian card's three labels are English, and say so."""
    loaded = load(Path(__file__).parent / "data" / "pekalongan.yaml")
    mode = language_modes(loaded.dataset.languages)["id"]
    assert build(loaded, tmp_path, [mode], ["card"]).failed == []
    assert marked(tmp_path / "screen" / "id" / "card-studio.pdf") == ("id", [("/LI", "en")] * 3)


def test_titles_and_subjects_are_given_in_each_language(built: Built) -> None:
    with pikepdf.open(built[0] / "screen" / "en+ko" / "flyer-kocef.pdf") as document:
        xmp = ElementTree.fromstring(document.Root.Metadata.read_bytes().decode("utf-8")
                                     .split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
        assert str(document.docinfo["/Title"]) == "Korea Ceramic Foundation"
    titles = {item.get(XML_LANG): item.text for item in xmp.iter(f"{RDF}li")
              if item.get(XML_LANG) and item in list(xmp.find(f".//{DC}title").iter())}
    assert titles == {"x-default": "Korea Ceramic Foundation", "en": "Korea Ceramic Foundation",
                      "ko": "한국도자재단"}
    subjects = [item.text for item in xmp.find(f".//{DC}description").iter(f"{RDF}li")]
    assert subjects == ["Icheon · UNESCO Creative Cities Network"] * 2 + [
        "이천시 · 유네스코 창의도시 네트워크"]
    assert [item.text for item in xmp.find(f".//{DC}language").iter(f"{RDF}li")] == ["en", "ko"]


def test_the_pdf_text_is_unchanged_by_the_tagging_step(built: Built) -> None:
    flyer = built[0] / "screen" / "en+ko" / "flyer-kocef.pdf"
    assert "한국도자재단은 설봉공원에 자리한" in pdfs.text(flyer)


def test_language_runs_find_text_in_reading_order() -> None:
    runs = LanguageRuns([HTML(string='<html lang="en"><body><p>Icheon <span lang="ko">이천 '
                                     'Icheon</span></p><p>Icheon</p></body></html>').etree_element])
    assert [runs.lang_of(text) for text in ("Icheon", "이천", "Icheon", "Icheon", "nowhere")] == [
        "en", "ko", "ko", "en", None]
