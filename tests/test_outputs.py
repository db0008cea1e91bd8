"""The sample built whole: every PDF opened and checked against the data it came from."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import qrcode
from pypdf import PdfReader

from brochure.build import BuildReport, build
from brochure.data import Loaded, load
from brochure.data.loading import iter_texts
from brochure.lang.modes import language_modes
from brochure.plan.profiles import PROFILES

import pdfs

ENGLISH = "https://www.kicet.re.kr/english.web"  # KICET's pages, as the sample writes them
KOREAN = "https://www.kicet.re.kr"
# Each institution's homepage for each language, written out from the sample data.
HOMEPAGES = {lang: {"cerawork": "https://www.cerawork.or.kr", "doyego": "https://www.doyego.hs.kr",
                    "kocef": "https://www.kocef.org", "kicet": page}
             for lang, page in (("en", ENGLISH), ("ko", KOREAN))}
# The festival's pages: the booking of two events, and its homepage.
BOOKINGS = ["https://booking.example.kr/wheel", "https://booking.example.kr/glaze-lab"]
FESTIVAL = "https://www.ceramic-festival.example.kr"
A5_MM = (148.0, 210.0)
A6_MM = (105.0, 148.0)
SIZES = {"card": A6_MM, "poster": (297.0, 420.0), "poster-a2": (420.0, 594.0)}  # else A5
MODES = {"en": ("en",), "ko": ("ko",), "en+ko": ("en", "ko")}

Built = tuple[Path, BuildReport]


def outputs(built: Built, kind: str, profile: str = "screen") -> list[dict]:
    out, _report = built
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [entry for entry in manifest["outputs"]
            if entry["kind"] == kind and entry["profile"] == profile]


def test_manifest_lists_every_output_with_its_hash_and_pages(built: Built) -> None:
    out, report = built
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = sorted(entry["path"] for entry in manifest["outputs"])
    ids = ("cerawork", "doyego", "kocef", "kicet")
    expected = sorted([f"{profile}/{mode}/{kind}.pdf" for mode in MODES for profile in PROFILES
                       for kind in ("brochure", "leaflet", "programme", "poster", "poster-a2")]
                      + [f"{profile}/{mode}/{kind}-{item}.pdf" for mode in MODES for item in ids
                         for profile in PROFILES for kind in ("flyer", "card")])
    calendars = [f"screen/{mode}/programme.ics" for mode in MODES]
    assert paths == sorted([*expected, *calendars])
    for entry in manifest["outputs"]:
        if entry["kind"] == "calendar":
            continue  # test_calendar.py reads it
        data = (out / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["pages"] == len(PdfReader(out / entry["path"]).pages)
        assert [entry["profile"], entry["lang"]] == entry["path"].split("/")[:2]
        assert ("institution" in entry) == (entry["kind"] in ("flyer", "card"))
    assert report.failed == []
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*.pdf")) == expected
    # One output a line, in the order of their paths: builds compare line by line.
    lines = (out / "manifest.json").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line.rstrip(",")) for line in lines[1:-1]] == manifest["outputs"]
    assert paths == [entry["path"] for entry in manifest["outputs"]]


def test_weasyprint_raised_no_warnings(built: Built) -> None:
    assert built[1].warnings == []


def test_brochures_and_flyers_are_a5_and_cards_a6(built: Built) -> None:
    for path in (built[0] / "screen").rglob("*.pdf"):
        if path.name == "leaflet.pdf":
            continue  # its panels' sizes: test_leaflet.py
        size = SIZES.get(path.stem.partition("-")[0] if path.name.startswith("card-")
                         else path.stem, A5_MM)
        assert set(pdfs.page_sizes_mm(path)) == {size}, path


def test_brochure_pages_fold_into_a_booklet(built: Built) -> None:
    for entry in outputs(built, "brochure"):
        assert entry["pages"] % 4 == 0 and entry["pages"] >= 8, entry


def test_flyers_are_one_page(built: Built) -> None:
    flyers = outputs(built, "flyer")
    assert len(flyers) == 12
    assert {entry["pages"] for entry in flyers} == {1}


@pytest.mark.parametrize("mode", MODES)
def test_brochure_text_is_in_the_mode_languages(built: Built, sample: Loaded, mode: str) -> None:
    content = pdfs.text(built[0] / "screen" / mode / "brochure.pdf")
    dataset = sample.dataset
    for institution in dataset.institutions:
        for lang in ("en", "ko"):
            name = institution.name.resolve(lang, dataset.languages).text
            assert (name in content) == (lang in MODES[mode]), (mode, lang, name)
    assert ("Institutions" in content) == ("en" in MODES[mode])
    assert ("관련 기관" in content) == ("ko" in MODES[mode])


def test_korean_outputs_show_korean_addresses(built: Built) -> None:
    content = pdfs.text(built[0] / "screen" / "ko" / "flyer-kocef.pdf")
    assert "한국도자재단" in content
    assert "경기도 이천시 경충대로2697번길 263" in content
    assert "Gyungchoongdae-ro" not in content and "Korea Ceramic Foundation" not in content
    assert "주소" in content and "Address" not in content
    bilingual = pdfs.text(built[0] / "screen" / "en+ko" / "flyer-kocef.pdf")
    assert bilingual.count("263, Gyungchoongdae-ro 2697") == 1
    assert bilingual.count("경충대로2697번길 263") == 1


def test_a_text_missing_in_korean_falls_back_and_shows_once(fallback_copy: Path,
                                                            tmp_path: Path) -> None:
    """Without its Korean address, cerawork's Korean flyer shows the English one, and its
    bilingual flyer shows it once, not twice."""
    loaded = load(fallback_copy)
    modes = language_modes(loaded.dataset.languages)
    report = build(loaded, tmp_path, [modes["ko"], modes["en+ko"]], ["flyer"],
                   profiles=[PROFILES["screen"]])
    assert report.failed == []
    english = "306, Gyungchoongdae-ro 697 Icheon, Gyeonggi Province"
    korean = pdfs.text(tmp_path / "screen" / "ko" / "flyer-cerawork.pdf")
    assert english in korean and "이천도자기사업협동조합" in korean
    bilingual = pdfs.text(tmp_path / "screen" / "en+ko" / "flyer-cerawork.pdf")
    assert bilingual.count(english) == 1
    assert "Icheon Ceramics Cooperative" in bilingual and "이천도자기사업협동조합" in bilingual


def test_numbers_and_dates_take_each_language_form(built: Built) -> None:
    english = pdfs.text(built[0] / "screen" / "en" / "brochure.pdf")
    korean = pdfs.text(built[0] / "screen" / "ko" / "brochure.pdf")
    assert "Founded in October 2004" in english
    assert "246 cities in 85 countries (as of 2020)" in english
    assert "2004년 10월 출범" in korean
    assert "85개국 246개 도시 (2020년 기준)" in korean


@pytest.mark.parametrize("mode", MODES)
def test_documents_declare_language_and_title(built: Built, mode: str) -> None:
    reader = PdfReader(built[0] / "screen" / mode / "flyer-kocef.pdf")
    assert reader.trailer["/Root"]["/Lang"] == MODES[mode][0]
    expected = {"en": "Korea Ceramic Foundation", "ko": "한국도자재단"}[MODES[mode][0]]
    assert reader.metadata.title == expected


@pytest.mark.parametrize("kind", ["brochure", "flyer-kicet"])
def test_phone_and_homepage_are_links(built: Built, sample: Loaded, kind: str) -> None:
    uris = pdfs.link_uris(built[0] / "screen" / "en+ko" / f"{kind}.pdf")
    institutions = sample.dataset.institutions
    if kind.startswith("flyer"):
        institutions = [sample.dataset.institution("kicet")]
    for institution in institutions:
        for lang in ("en", "ko"):
            assert HOMEPAGES[lang][institution.id] in uris
        assert institution.phone.uri in uris
    assert "tel:+82-31-645-1400" in uris
    assert {ENGLISH, KOREAN} <= set(uris)


@pytest.mark.parametrize("mode", MODES)
def test_every_qr_code_decodes_to_its_homepage(built: Built, mode: str) -> None:
    """In the page of the mode's first language."""
    homepages = HOMEPAGES[MODES[mode][0]]
    brochure = pdfs.qr_codes(built[0] / "screen" / mode / "brochure.pdf")
    assert sorted(code for _page, code, _width in brochure) == sorted([*homepages.values(),
                                                                       *BOOKINGS])
    for ident, homepage in homepages.items():
        for kind in ("flyer", "card"):
            codes = pdfs.qr_codes(built[0] / "screen" / mode / f"{kind}-{ident}.pdf")
            assert [code for _page, code, _width in codes] == [homepage]


@pytest.mark.parametrize(("mode", "page"), [("en", ENGLISH), ("ko", KOREAN)])
@pytest.mark.parametrize("kind", ["flyer", "card"])
def test_each_language_leads_to_its_own_homepage(built: Built, kind: str, mode: str,
                                                 page: str) -> None:
    """KICET's Korean flyer sends readers to its Korean page, its English flyer to the English."""
    path = built[0] / "screen" / mode / f"{kind}-kicet.pdf"
    assert [code for _page, code, _width in pdfs.qr_codes(path)] == [page]
    assert {uri for uri in pdfs.link_uris(path) if not uri.startswith("tel:")} == {page}
    assert page.removeprefix("https://") in pdfs.text(path)
    assert "(English)" not in pdfs.text(path) and "(한국어)" not in pdfs.text(path)


@pytest.mark.parametrize("kind", ["flyer", "card"])
def test_a_bilingual_output_shows_each_homepage_with_its_language(built: Built,
                                                                  kind: str) -> None:
    """The QR code leads to the first language's page; the addresses of both are printed and
    linked, each marked with its language."""
    path = built[0] / "screen" / "en+ko" / f"{kind}-kicet.pdf"
    assert [code for _page, code, _width in pdfs.qr_codes(path)] == [ENGLISH]
    links = [uri for uri in pdfs.link_uris(path) if not uri.startswith("tel:")]
    at = links.index(KOREAN)  # the addresses, English then Korean, before or after the code's
    assert links[at - 1:at + 1] == [ENGLISH, KOREAN]
    assert set(links[:at - 1] + links[at + 1:]) == {ENGLISH}
    content = pdfs.text(path)
    assert "www.kicet.re.kr/english.web (English) www.kicet.re.kr (한국어)" in content
    assert "(English)" not in pdfs.text(built[0] / "screen" / "en+ko" / f"{kind}-kocef.pdf")


def test_the_manifest_lists_the_qr_codes_the_data_asks_for(built: Built) -> None:
    """Each file's homepages in its mode's first language: what `brochure preflight` checks."""
    out, _report = built
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["outputs"]:
        homepages = HOMEPAGES[MODES[entry["lang"]][0]]
        expected = {"brochure": [*homepages.values(), *BOOKINGS], "leaflet": [*homepages.values()],
                    "programme": [*BOOKINGS, FESTIVAL], "poster": [FESTIVAL],
                    "poster-a2": [FESTIVAL], "calendar": []}.get(entry["kind"])
        if "institution" in entry:
            expected = [homepages[entry["institution"]]]
        assert entry["qr"] == expected, entry["path"]


def test_qr_codes_are_printed_at_least_20_mm_wide(built: Built) -> None:
    for path in sorted((built[0] / "screen").rglob("*.pdf")):
        for page, code, width in pdfs.qr_codes(path):
            assert width >= 20, (path.name, page, code, width)


def test_qr_codes_keep_a_white_quiet_zone_of_four_modules(built: Built) -> None:
    """The code's own white margin, checked on the rendered page around the decoded symbol."""
    import pypdfium2
    import zxingcpp

    path = built[0] / "screen" / "en" / "flyer-kocef.pdf"
    image = pypdfium2.PdfDocument(path)[0].render(scale=pdfs.RENDER_DPI / 72).to_pil().convert("L")
    (barcode,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q)
    code.add_data(barcode.text)
    code.make(fit=True)
    corners = [barcode.position.top_left, barcode.position.bottom_right]
    left, top = corners[0].x, corners[0].y
    right, bottom = corners[1].x, corners[1].y
    module = (right - left) / code.modules_count
    margin = int(4 * module) - 2
    ring = [
        image.crop((left - margin, top - margin, right + margin, top - 2)),
        image.crop((left - margin, bottom + 2, right + margin, bottom + margin)),
        image.crop((left - margin, top, left - 2, bottom)),
        image.crop((right + 2, top, right + margin, bottom)),
    ]
    assert all(strip.getextrema()[0] >= 250 for strip in ring)


def test_fonts_are_embedded_and_subset(built: Built) -> None:
    for path in sorted((built[0] / "screen").rglob("*.pdf")):
        found = pdfs.fonts(path)
        assert found, path
        for name, (_font, descriptor) in found.items():
            # A subset's name is a tag and the font: /ABCDEF+NanumGothic.
            assert re.fullmatch(r"/[A-Z]{6}\+Nanum[A-Za-z-]+", name), (path.name, name)
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), (path.name, name)


@pytest.mark.parametrize("mode", MODES)
def test_every_character_of_the_data_is_in_an_embedded_font(
        built: Built, sample: Loaded, mode: str) -> None:
    dataset = sample.dataset
    wanted = {  # but the pictures' alt texts, which are read aloud, not drawn
        char
        for loc, value in iter_texts(dataset) if "alt" not in loc
        for lang in MODES[mode]
        for char in value.resolve(lang, dataset.languages).text
        if not char.isspace()
    }
    drawable = pdfs.covered_characters(built[0] / "screen" / mode / "brochure.pdf")
    assert wanted - drawable == set()


def test_weasyprint_subsets_fonts_with_harfbuzz() -> None:
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None, "libharfbuzz-subset0 is not installed"
    assert harfbuzz.hb_version_atleast(4, 1, 0)


def build_flyers(data: Path, out: Path, profiles: tuple[str, ...] = ("screen",)) -> Path:
    loaded = load(data)
    build(loaded, out, [language_modes(loaded.dataset.languages)["en"]], ["flyer"],
          profiles=[PROFILES[name] for name in profiles])
    return out / "screen" / "en"


def test_an_institution_without_homepage_gets_a_flyer_without_qr_code(
        data_copy: Path, tmp_path: Path) -> None:
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace('    homepage: "https://www.kocef.org"\n', ""),
                         encoding="utf-8")
    flyers = build_flyers(data_copy, tmp_path / "out")
    assert pdfs.qr_codes(flyers / "flyer-kocef.pdf") == []
    assert "https://www.kocef.org" not in pdfs.link_uris(flyers / "flyer-kocef.pdf")
    assert "Korea Ceramic Foundation" in pdfs.text(flyers / "flyer-kocef.pdf")
    assert [code for _page, code, _width in pdfs.qr_codes(flyers / "flyer-doyego.pdf")] == [
        "https://www.doyego.hs.kr"]


def test_the_same_data_gives_byte_identical_pdfs(data_copy: Path, tmp_path: Path) -> None:
    """In every profile, PDF/X-4 included (WeasyPrint gives it a random /ID and the clock's
    dates; we replace them)."""
    for folder in ("first", "second"):
        build_flyers(data_copy, tmp_path / folder, tuple(PROFILES))
    first = sorted((tmp_path / "first").rglob("*.pdf"))
    assert len(first) == 4 * len(PROFILES)
    for path in first:
        twin = tmp_path / "second" / path.relative_to(tmp_path / "first")
        assert path.read_bytes() == twin.read_bytes(), path


def test_brochure_bookmarks_name_each_section_in_both_languages(built: Built) -> None:
    outline = PdfReader(built[0] / "screen" / "en+ko" / "brochure.pdf").outline
    titles = [item["/Title"] for item in outline if not isinstance(item, list)]
    assert titles == ["UNESCO Creative Cities Network · 유네스코 창의도시 네트워크",
                      "Icheon · 이천시", "Institutions · 관련 기관",
                      "Icheon Ceramic Festival 2027 · 제37회 이천도자기축제"]
    institutions = [item["/Title"] for item in next(filter(lambda item: isinstance(item, list),
                                                           outline))]
    assert institutions[2] == "Korea Ceramic Foundation · 한국도자재단"
    assert len(institutions) == 4
