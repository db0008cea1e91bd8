"""The tri-fold leaflet: panels as wide as the fold makes them, in their places on both sides,
with fold guides in an office sheet's margin and fold marks outside a press file's bleed."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from brochure.cli import main
from brochure.data import Loaded, load
from brochure.finish import folding, preflight
from brochure.finish.downsampling import placements
from brochure.lang import times
from brochure.plan.folds import FOLDS, FoldedSheet
from brochure.plan.kinds import KINDS
from brochure.plan.paper import PAPERS
from brochure.plan.profiles import PROFILES
from brochure.settings import BLEED_MM, OFFICE_MARGIN_MM, OFFICE_PPI, PRESS_PPI, SCREEN_PPI

import pdfs

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "icheon.yaml"
CapSys = pytest.CaptureFixture[str]

# The panels on screen, in reading order, and their widths as print shops ask for them: a roll
# fold's tucked panel (the flap's back, the third inside panel) 2-3 mm narrower.
READING = ("cover", "flap", "inside-1", "inside-2", "inside-3", "back")
ROLL_A4 = {"cover": 100, "flap": 97, "inside-1": 100, "inside-2": 100, "inside-3": 97,
           "back": 100}
ROLL_LETTER = {"cover": 94, "flap": 91.4, "inside-1": 94, "inside-2": 94, "inside-3": 91.4,
               "back": 94}
# Each side left to right, the inside as seen after turning the sheet over its short edge.
ROLL_SIDES = (("flap", "back", "cover"), ("inside-1", "inside-2", "inside-3"))


def en(value: object) -> str:
    """A text or homepage of the data in English."""
    resolved = value.resolve("en", ["en", "ko"])  # type: ignore[attr-defined]
    return resolved.link.url if hasattr(resolved, "link") else resolved.text


def build(out: Path, *options: str) -> Path:
    assert main(["build", "--data", str(SAMPLE), "--out", str(out), "--only", "leaflet",
                 "--quiet", *options]) == 0
    return out


@pytest.fixture(scope="module")
def a4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English and bilingual leaflets on A4, roll-folded, for every profile."""
    return build(tmp_path_factory.mktemp("leaflet-a4"), "--lang", "en", "--lang", "en+ko",
                 "--profile", "screen", "--profile", "office", "--profile", "press")


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("leaflet-letter"), "--lang", "en", "--paper", "letter",
                 "--profile", "screen", "--profile", "office", "--profile", "press")


def sides(widths: dict[str, float]) -> list[list[tuple[str, float, float]]]:
    """Per side, each panel's name and its left and right edges in mm."""
    found = []
    for names in ROLL_SIDES:
        left, side = 0.0, []
        for name in names:
            side.append((name, left, left + widths[name]))
            left += widths[name]
        found.append(side)
    return found


@pytest.mark.parametrize(("paper", "widths", "height"),
                         [("a4", ROLL_A4, 210), ("letter", ROLL_LETTER, 215.9)])
def test_on_screen_the_panels_are_pages_of_their_widths_in_reading_order(
        a4: Path, letter: Path, sample: Loaded, paper: str, widths: dict[str, float],
        height: float) -> None:
    out = a4 if paper == "a4" else letter
    screen = out / "screen" / "en" / "leaflet.pdf"
    assert pdfs.page_sizes_mm(screen) == [(widths[name], height) for name in READING]
    lines = [" ".join(" ".join(page).split()) for page in pdfs.page_lines(screen)]
    city, network = sample.dataset.city, sample.dataset.network
    assert en(city.name) in lines[0] and en(network.name) in lines[0]
    for highlight in city.highlights:
        assert en(highlight) in lines[1]
    institutions = [en(institution.name) for institution in sample.dataset.institutions]
    inside = " ".join(lines[2:5])
    assert [name for name in institutions if name in inside] == institutions
    assert sorted(inside.index(name) for name in institutions) == [
        inside.index(name) for name in institutions]  # in the data's order
    assert en(network.name).upper() in lines[5].upper()


@pytest.mark.parametrize("profile", ["office", "press"])
def test_on_paper_each_panel_is_in_its_place_on_its_side(a4: Path, profile: str) -> None:
    """Each panel of each side shows the text of the screen page that belongs there: its
    number at its foot (the cover has none) and its words."""
    screen = pdfs.page_lines(a4 / "screen" / "en" / "leaflet.pdf")
    path = a4 / profile / "en" / "leaflet.pdf"
    bleed = BLEED_MM if profile == "press" else 0
    mark_room = bleed + 2 + 5 + 1 if profile == "press" else 0  # crop mark offset, length, room
    for page, side in enumerate(sides(ROLL_A4), start=1):
        for name, left, right in side:
            text = pdfs.text_between(path, page, mark_room + left + 1, mark_room + right - 1)
            words = " ".join(" ".join(screen[READING.index(name)]).split())
            assert text == words, (profile, name)


def test_the_back_side_is_upright_behind_the_front_on_a_short_edge_flip(a4: Path) -> None:
    """Turned over its short edge, the inside's folds fall on the outside's: each fold guide
    at x on the outside is at the sheet's width less x on the inside."""
    guides = pdfs.vertical_lines_mm(a4 / "office" / "en" / "leaflet.pdf")
    outside, inside = ({x for x, _, _ in page} for page in guides)
    assert outside == {97, 197} and inside == {100, 200}
    assert {round(297 - x, 2) for x in inside} == outside


@pytest.mark.parametrize(("paper", "size"), [("a4", (297, 210)), ("letter", (279.4, 215.9))])
def test_office_fold_guides_are_in_the_margin_at_the_folds(a4: Path, letter: Path, paper: str,
                                                           size: tuple[float, float]) -> None:
    out = a4 if paper == "a4" else letter
    path = out / "office" / "en" / "leaflet.pdf"
    assert pdfs.page_sizes_mm(path) == [size, size]
    widths = ROLL_A4 if paper == "a4" else ROLL_LETTER
    for lines, side in zip(pdfs.vertical_lines_mm(path), sides(widths), strict=True):
        folds = sorted({x for x, _, _ in lines})
        assert folds == pytest.approx([side[1][1], side[2][1]], abs=0.01)
        for _, low, high in lines:
            in_foot = low >= 0 and high <= OFFICE_MARGIN_MM
            in_head = size[1] - OFFICE_MARGIN_MM <= low and high <= size[1]
            assert in_foot or in_head, (low, high)
        assert len(lines) == 4  # each fold at the head and at the foot


def test_press_fold_marks_are_outside_the_bleed_at_the_folds(a4: Path) -> None:
    path = a4 / "press" / "en" / "leaflet.pdf"
    with pikepdf.open(path) as document:
        trims = [[round(float(v) / pdfs.MM, 2) for v in page.trimbox] for page in document.pages]
        bleeds = [[round(float(v) / pdfs.MM, 2) for v in page.bleedbox]
                  for page in document.pages]
    for lines, trim, bleed, side in zip(pdfs.vertical_lines_mm(path), trims, bleeds,
                                        sides(ROLL_A4), strict=True):
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((297, 210), abs=0.01)
        assert bleed == pytest.approx([trim[0] - 3, trim[1] - 3, trim[2] + 3, trim[3] + 3],
                                      abs=0.01)
        folds = [(x, low, high) for x, low, high in lines if trim[0] + 1 < x < trim[2] - 1]
        assert sorted({round(x - trim[0], 2) for x, _, _ in folds}) == pytest.approx(
            [side[1][1], side[2][1]], abs=0.01)
        assert len(folds) == 4
        for _, low, high in folds:
            assert high <= bleed[1] or low >= bleed[3], (low, high)


def test_every_institution_has_a_readable_code_on_the_office_sheet(a4: Path,
                                                                   sample: Loaded) -> None:
    codes = pdfs.qr_codes(a4 / "office" / "en+ko" / "leaflet.pdf")
    homepages = [en(institution.homepage) for institution in sample.dataset.institutions]
    assert sorted(text for _, text, _ in codes) == sorted(homepages)
    assert {page for page, _, _ in codes} == {2}  # on the inside
    assert min(width for _, _, width in codes) >= 15


# The cover's picture and the flap's festival -----------------------------------------------

def image_forms_mm(path: Path) -> list[list[tuple[float, float]]]:
    """Per page, the left and right edges in mm of what draws each image: the image itself on
    a screen page, the placed panel that holds it on an imposed sheet."""
    found = []
    for page in pypdfium2.PdfDocument(path):
        edges, top = [], None
        for item in page.get_objects(max_depth=4):
            top = item if item.level == 0 else top
            if item.type == pdfium_c.FPDF_PAGEOBJ_IMAGE and top is not None:
                left, _, right, _ = top.get_bounds()
                edges.append((round(left / pdfs.MM, 1), round(right / pdfs.MM, 1)))
        found.append(edges)
    return found


@pytest.mark.parametrize("profile", ["screen", "office", "press"])
def test_the_cover_shows_the_city_picture_at_the_profile_resolution_and_colours(
        a4: Path, profile: str) -> None:
    """The one image is on the cover panel, on a sheet the outside's right panel (with its
    bleed on press), as sharp as the profile's files are made and in its colour space."""
    path = a4 / profile / "en+ko" / "leaflet.pdf"
    with pikepdf.open(path) as document:
        left = float(document.pages[0].trimbox[0]) / pdfs.MM
        [placed] = placements(document)
        ppi, space = placed.ppi, str(placed.image.ColorSpace)
    images = image_forms_mm(path)
    if profile == "screen":
        assert len(images[0]) == 1 and not any(images[1:])
    else:
        bleed = BLEED_MM if profile == "press" else 0
        cover = next(span for name, *span in sides(ROLL_A4)[0] if name == "cover")
        assert images == [[(round(left + cover[0] - bleed, 1), round(left + cover[1] + bleed, 1))],
                          []]
    target = {"screen": SCREEN_PPI, "office": OFFICE_PPI, "press": PRESS_PPI}[profile]
    assert target - 2 <= ppi <= target + 1
    assert space == ("/DeviceCMYK" if profile == "press" else "/DeviceRGB")


def test_the_cover_picture_has_its_alt_text_and_its_credit_in_each_language(
        a4: Path, sample: Loaded) -> None:
    image = sample.dataset.city.image
    path = a4 / "screen" / "en+ko" / "leaflet.pdf"
    cover = " ".join(" ".join(pdfs.page_lines(path)[0]).split())
    for lang in ("en", "ko"):
        assert image.credit.resolve(lang, ["en", "ko"]).text in cover, lang
    assert figures(path)[0] == en(image.alt)  # then the codes, their addresses as alt text


def figures(path: Path) -> list[str]:
    """The alt texts of the tagged figures of a PDF, in the order of its structure tree."""
    found: list[str] = []

    def walk(node: pikepdf.Object) -> None:
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if kid.S == "/Figure":
                    found.append(str(kid.get("/Alt", "")))
                walk(kid)

    with pikepdf.open(path) as document:
        walk(document.Root.StructTreeRoot)
    return found


def test_the_flap_shows_the_festival_and_its_dates_in_each_language(
        a4: Path, sample: Loaded) -> None:
    festival = sample.dataset.festival
    path = a4 / "screen" / "en+ko" / "leaflet.pdf"
    pages = [" ".join(" ".join(page).split()) for page in pdfs.page_lines(path)]
    for lang in ("en", "ko"):
        name = festival.name.resolve(lang, ["en", "ko"]).text
        dates = " ".join(times.dates(festival.start, festival.end, lang).split())
        assert [name in page for page in pages] == [False, True, False, False, False, False]
        assert [dates in page for page in pages] == [False, True, False, False, False, False]
    assert "Apr 24 \u2013 May 9, 2027" in pages[1] and "2027년 4월 24일~5월 9일" in pages[1]


def test_without_a_picture_or_a_festival_the_cover_and_flap_leave_no_box(
        data_copy: Path, sample: Loaded, tmp_path: Path) -> None:
    """The sample less its city's picture and its festival: no image, no credit; on the flap
    nothing is drawn below its last highlight (the festival's rule is not there)."""
    text = data_copy.read_text(encoding="utf-8")
    start, end = text.index("  image:                       #"), text.index("\ninstitutions:")
    text = text[:start] + text[end + 1:]
    text = text[:text.index("# The festival the outputs")]
    data_copy.write_text(text, encoding="utf-8")
    assert main(["build", "--data", str(data_copy), "--out", str(tmp_path), "--lang", "en",
                 "--only", "leaflet", "--profile", "screen", "--quiet"]) == 0
    path = tmp_path / "screen" / "en" / "leaflet.pdf"
    assert image_forms_mm(path) == [[]] * 6
    lines = pdfs.page_lines(path)
    assert en(sample.dataset.city.image.credit) not in " ".join(lines[0])
    assert en(sample.dataset.festival.name) not in " ".join(lines[1])
    flap = pypdfium2.PdfDocument(path)[1]
    last = en(sample.dataset.city.highlights[-1]).split()[-1]
    textpage = flap.get_textpage()
    start, _count = textpage.search(last).get_next()
    bottom = textpage.get_charbox(start)[1]
    rules = [item.get_bounds()[1] for item in flap.get_objects(
        filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=4)]
    assert rules and min(rules) > bottom


def test_a_z_fold_has_three_equal_panels(tmp_path: Path) -> None:
    out = build(tmp_path, "--lang", "en", "--fold", "z", "--profile", "screen",
                "--profile", "office")
    assert pdfs.page_sizes_mm(out / "screen" / "en" / "leaflet.pdf") == [(99, 210)] * 6
    guides = pdfs.vertical_lines_mm(out / "office" / "en" / "leaflet.pdf")
    assert [sorted({x for x, _, _ in page}) for page in guides] == [[99, 198]] * 2
    entry = next(entry for entry in json.loads((out / "manifest.json").read_text())["outputs"]
                 if entry["profile"] == "office")
    assert (entry["kind"], entry["fold"], entry["paper"]) == ("leaflet", "z", "a4")


def test_brochure_toml_chooses_the_fold_and_refuses_an_unknown_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: CapSys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "brochure.toml").write_text('fold = "z"\n', encoding="utf-8")
    out = build(tmp_path / "out", "--lang", "en", "--profile", "screen")
    assert pdfs.page_sizes_mm(out / "screen" / "en" / "leaflet.pdf") == [(99, 210)] * 6
    (tmp_path / "brochure.toml").write_text('fold = "gate"\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--data", str(SAMPLE)]) == 1
    assert capsys.readouterr().err == (f"error: {tmp_path / 'brochure.toml'}: fold: unknown "
                                       "fold 'gate' (expected roll or z)\n")


def test_the_manifest_names_the_fold_and_paper_and_preflight_reads_them(
        letter: Path, capsys: CapSys) -> None:
    entries = json.loads((letter / "manifest.json").read_text())["outputs"]
    assert {(entry["profile"], entry["fold"], entry["paper"]) for entry in entries} == {
        ("screen", "roll", "letter"), ("office", "roll", "letter"), ("press", "roll", "letter")}
    capsys.readouterr()
    assert main(["preflight", "--out", str(letter)]) == 0


A4_ROLL = FoldedSheet(FOLDS["roll"], PAPERS["a4"])


def test_preflight_finds_panels_out_of_order_by_their_numbers(a4: Path) -> None:
    screen = a4 / "screen" / "en" / "leaflet.pdf"
    pdf = folding.sides(screen.read_bytes(), A4_ROLL, guides=True)
    expect = preflight.expectation(PROFILES["office"], KINDS["leaflet"], None, A4_ROLL)
    assert [f for f in preflight.check(pdf, expect) if f.check == "leaflet"] == []
    mixed = _reordered(screen, [0, 1, 3, 2, 4, 5])  # the first two inside panels swapped
    findings = [str(f) for f in preflight.check(folding.sides(mixed, A4_ROLL, guides=True),
                                                expect) if f.check == "leaflet"]
    assert findings == [
        "page 2: leaflet: panel 4 where panel 3 belongs (inside-1 (inside, left))",
        "page 2: leaflet: panel 3 where panel 4 belongs (inside-2 (inside, middle))"]


def _reordered(path: Path, order: list[int]) -> bytes:
    """A leaflet's pages (from 0) in another order."""
    with pikepdf.open(path) as source:
        target = pikepdf.new()
        for index in order:
            target.pages.append(source.pages[index])
        output = io.BytesIO()
        target.save(output)
        return output.getvalue()


def test_preflight_finds_fold_marks_off_the_folds_and_into_the_bleed(a4: Path) -> None:
    from brochure.finish.imposition import crop_marks

    screen = (a4 / "screen" / "en" / "leaflet.pdf").read_bytes()
    expect = preflight.expectation(PROFILES["press"], KINDS["leaflet"], None, A4_ROLL)
    # a screen leaflet's pages have no bleed: impose them as if, and mark wrong folds
    pdf = crop_marks(folding.sides(screen, A4_ROLL, bleed=0), bleed=3, offset=-2.5,
                     folds=[(97, 200), (100, 200)])
    findings = [str(f) for f in preflight.check(pdf, expect) if f.check == "leaflet"]
    assert "page 1: leaflet: fold marks at 97, 200 mm from the left; the fold puts them at " \
           "97.0, 197.0 mm" in findings
    assert "page 2: leaflet: the fold mark at 100.0 mm runs into the bleed" in findings


def font_size(path: Path, page: int, text: str) -> float:
    """The size the first character of ``text`` is set in on a page (from 1)."""
    textpage = pypdfium2.PdfDocument(path)[page - 1].get_textpage()
    start, _count = textpage.search(text).get_next()
    return round(pdfium_c.FPDFText_GetFontSize(textpage.raw, start), 2)


def test_a_panel_that_does_not_fit_is_set_smaller_then_fails_naming_it(
        a4: Path, capsys: CapSys, data_copy: Path, tmp_path: Path) -> None:
    text = data_copy.read_text(encoding="utf-8")
    anchor = "  highlights:\n"
    more = "".join(f"    - en: Highlight {n} of the city, with a line of words to set.\n"
                   for n in range(26))
    data_copy.write_text(text.replace(anchor, anchor + more), encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--data", str(data_copy), "--out", str(tmp_path / "a"), "--lang", "en",
                 "--only", "leaflet", "--profile", "screen", "--quiet"]) == 0
    smaller = tmp_path / "a" / "screen" / "en" / "leaflet.pdf"
    flap = pdfs.page_lines(smaller)[1]
    assert "Highlight 25 of the city, with a line of words to set." in " ".join(flap)
    first = "The Korea International"
    scale = font_size(smaller, 2, first) / font_size(a4 / "screen" / "en" / "leaflet.pdf", 2, first)
    assert 0.81 <= round(scale, 2) < 1  # a smaller step of the type scale, not below the floor
    more = "".join(f"    - en: Highlight {n} of the city, with a line of words to set.\n"
                   for n in range(40))
    data_copy.write_text(text.replace(anchor, anchor + more), encoding="utf-8")
    code = main(["build", "--data", str(data_copy), "--out", str(tmp_path / "b"), "--lang", "en",
                 "--only", "leaflet", "--profile", "screen", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert re.fullmatch(r"error: en/leaflet\.pdf: the leaflet: city\.highlights runs \d+\.\d mm "
                        r"past the flap panel's 1 page even in the smallest type \(\d+\.\d pt\); "
                        r"shorten it\nerror: 1 output\(s\) could not be built\n", err), err


def test_an_institution_that_does_not_fit_its_panel_fails_naming_both(
        capsys: CapSys, data_copy: Path, tmp_path: Path) -> None:
    """The foundation, alone on the second inside panel, with an address of sixty lines."""
    text = data_copy.read_text(encoding="utf-8")
    first = "        263, Gyungchoongdae-ro 2697\n"
    assert text.count(first) == 1
    data_copy.write_text(text.replace(first, first * 60), encoding="utf-8")
    capsys.readouterr()
    code = main(["build", "--data", str(data_copy), "--out", str(tmp_path), "--lang", "en",
                 "--only", "leaflet", "--profile", "screen", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert re.fullmatch(r"error: en/leaflet\.pdf: the leaflet: institution 'kocef' runs "
                        r"\d+\.\d mm past the inside-2 panel's 1 page even in the smallest "
                        r"type \(\d+\.\d pt\); shorten it\nerror: 1 output\(s\) could not be "
                        r"built\n", err), err


# Right to left: an Arabic leaflet opens the other way, each side of its sheet mirrored --------

WORLD = Path(__file__).resolve().parent / "data" / "world.yaml"
Z_A4 = dict.fromkeys(READING, 99)
MIRRORED = {  # each side left to right, as an Arabic reader opens the folded sheet
    "roll": (("cover", "back", "flap"), ("inside-3", "inside-2", "inside-1")),
    "z": (("cover", "flap", "inside-3"), ("back", "inside-2", "inside-1")),
}


@pytest.fixture(scope="module")
def right_to_left(world_built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The world data set's leaflets by fold: roll-folded (the session's), and Z-folded in the
    editions that read right to left."""
    out = tmp_path_factory.mktemp("leaflet-z")
    assert main(["build", "--data", str(WORLD), "--out", str(out), "--only", "leaflet",
                 "--fold", "z", "--lang", "ar", "--lang", "ar+en", "--profile", "screen",
                 "--profile", "office", "--profile", "press", "--quiet"]) == 0
    return {"roll": world_built, "z": out}


def spans(names: tuple[str, ...], widths: dict[str, float]) -> list[tuple[float, float]]:
    """The left and right edges in mm of panels side by side, from the left."""
    lefts = [sum(widths[name] for name in names[:index]) for index in range(len(names))]
    return [(round(left, 2), round(left + widths[name], 2))
            for left, name in zip(lefts, names, strict=True)]


@pytest.mark.parametrize("fold", ["roll", "z"])
@pytest.mark.parametrize("edition", ["ar", "ar+en"])
def test_on_screen_a_right_to_left_leaflet_keeps_reading_order(
        right_to_left: dict[str, Path], fold: str, edition: str) -> None:
    screen = right_to_left[fold] / "screen" / edition / "leaflet.pdf"
    widths = ROLL_A4 if fold == "roll" else Z_A4
    assert pdfs.page_sizes_mm(screen) == [(widths[name], 210) for name in READING]
    feet = [re.findall(r"\b\d\b", " ".join(page)) for page in pdfs.page_lines(screen)]
    assert [numbers[-1] if numbers else None for numbers in feet] == [
        None, "2", "3", "4", "5", "6"]


@pytest.mark.parametrize("fold", ["roll", "z"])
@pytest.mark.parametrize("edition", ["ar", "ar+en"])
@pytest.mark.parametrize("profile", ["office", "press"])
def test_a_right_to_left_leaflet_is_mirrored_on_both_sides(
        right_to_left: dict[str, Path], fold: str, edition: str, profile: str) -> None:
    """Each panel as wide as its fold makes it, in its mirrored place, showing its screen
    page: its words and the running number at its foot (none on the cover)."""
    out = right_to_left[fold]
    widths = ROLL_A4 if fold == "roll" else Z_A4
    path = out / profile / edition / "leaflet.pdf"
    screen = [" ".join(" ".join(page).split())
              for page in pdfs.page_lines(out / "screen" / edition / "leaflet.pdf")]
    mark_room = BLEED_MM + 2 + 5 + 1 if profile == "press" else 0
    shown = pdfs.shown_spans_mm(path)
    for page, names in enumerate(MIRRORED[fold], start=1):
        assert shown[page - 1] == spans(names, widths), page
        for name, (left, right) in zip(names, spans(names, widths), strict=True):
            text = pdfs.text_between(path, page, mark_room + left + 1, mark_room + right - 1)
            assert text == screen[READING.index(name)], (page, name)
            number = re.findall(r"\b\d\b", text)
            assert (number[-1] if number else None) == (
                None if name == "cover" else str(READING.index(name) + 1)), (page, name)


@pytest.mark.parametrize(("fold", "folds"), [("roll", [[100, 200], [97, 197]]),
                                             ("z", [[99, 198], [99, 198]])])
@pytest.mark.parametrize("edition", ["ar", "ar+en"])
def test_a_right_to_left_leaflet_has_its_guides_and_marks_at_its_mirrored_folds(
        right_to_left: dict[str, Path], fold: str, folds: list[list[float]],
        edition: str) -> None:
    """A roll fold's narrow panel is on the outside's right and the inside's left: folded in
    first from the left."""
    guides = pdfs.vertical_lines_mm(right_to_left[fold] / "office" / edition / "leaflet.pdf")
    assert [sorted({x for x, _, _ in page}) for page in guides] == folds
    press = right_to_left[fold] / "press" / edition / "leaflet.pdf"
    with pikepdf.open(press) as document:
        lefts = [float(page.trimbox[0]) / pdfs.MM for page in document.pages]
    marks = [sorted({round(x - left, 2) for x, _, _ in page if left + 1 < x < left + 296})
             for page, left in zip(pdfs.vertical_lines_mm(press), lefts, strict=True)]
    assert marks == folds


WORLD_PICTURE = """  image:
    file: images/kiln.jpg
    alt: {ko: 해 질 녘의 오름가마, en: A climbing kiln at dusk, zh-Hans: 黄昏时的登窑,
          ja: 夕暮れの登り窯, ar: فرن متدرج عند الغسق}
    credit: {ko: "그림: brochure 프로젝트", en: "Illustration: the brochure project",
             zh-Hans: "插图: brochure 项目", ja: "イラスト: brochure プロジェクト",
             ar: "رسم: مشروع brochure"}
"""
WORLD_FESTIVAL = """festival:
  name: {ko: 제37회 이천도자기축제, en: Icheon Ceramic Festival 2027, zh-Hans: 第37届利川陶瓷节,
         ja: 第37回利川陶磁器祭り, ar: مهرجان إيتشون للخزف 2027}
  start: 2027-04-24
  end: 2027-05-09
events:
  - id: opening
    title: {ko: 개막식, en: Opening, zh-Hans: 开幕式, ja: 開会式, ar: الافتتاح}
    start: 2027-04-24T11:00
    end: 2027-04-24T12:30
"""


def test_in_every_edition_of_five_languages_the_cover_and_flap_fit_with_picture_and_festival(
        tmp_path: Path) -> None:
    """The world data set with a picture and a festival: every edition's leaflet still fits its
    panels, its cover shows the picture and the credit, its flap the festival's name and dates,
    each in every language of the edition, Arabic too."""
    data = tmp_path / "world.yaml"
    shutil.copytree(SAMPLE.parent / "images", tmp_path / "images")
    text = WORLD.read_text(encoding="utf-8")
    data.write_text(text.replace("  designated: 2010\n", "  designated: 2010\n" + WORLD_PICTURE)
                    + WORLD_FESTIVAL, encoding="utf-8")
    loaded = load(data)
    assert loaded.warnings == []
    image, festival = loaded.dataset.city.image, loaded.dataset.festival
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "out"), "--only",
                 "leaflet", "--profile", "screen", "--quiet"]) == 0
    for name, mode in loaded.dataset.modes.items():
        path = tmp_path / "out" / "screen" / name / "leaflet.pdf"
        pages = [" ".join(" ".join(page).split()) for page in pdfs.page_lines(path)]
        assert len(pages) == 6 and len(image_forms_mm(path)[0]) == 1, name
        for lang in mode.languages:
            shown = [image.credit.resolve(lang, mode.languages).text,
                     festival.name.resolve(lang, mode.languages).text,
                     " ".join(times.dates(festival.start, festival.end, lang).split())]
            assert [text in pages[0] for text in shown] == [True, False, False], (name, lang)
            assert [text in pages[1] for text in shown] == [False, True, True], (name, lang)


def test_preflight_wants_a_right_to_left_leaflet_mirrored(world_built: Path) -> None:
    """The Arabic office leaflet passes; the same panels laid out left to right do not."""
    office = (world_built / "office" / "ar" / "leaflet.pdf").read_bytes()
    expect = preflight.expectation(PROFILES["office"], KINDS["leaflet"], None, A4_ROLL)
    assert [f for f in preflight.check(office, expect) if f.check == "leaflet"] == []
    screen = world_built / "screen" / "ar" / "leaflet.pdf"
    with pikepdf.open(screen) as source:  # laid out as if in English, then Arabic again
        source.Root.Lang = pikepdf.String("en")
        unmirrored = pikepdf.open(io.BytesIO(folding.sides(_saved(source), A4_ROLL, guides=True)))
        unmirrored.Root.Lang = pikepdf.String("ar")
        findings = [str(f) for f in preflight.check(_saved(unmirrored), expect)
                    if f.check == "leaflet"]
    assert findings == [
        "page 1: leaflet: the cover (outside, left) panel is 97.0 mm wide; the fold makes it "
        "100 mm", "page 1: leaflet: panel 2 where panel 1 belongs (cover (outside, left))",
        "page 1: leaflet: the flap (outside, right) panel is 100.0 mm wide; the fold makes it "
        "97 mm", "page 1: leaflet: no number at the foot of the flap (outside, right) panel: "
        "its place cannot be checked",
        "page 1: leaflet: fold marks at 97, 197 mm from the left; the fold puts them at "
        "100.0, 200.0 mm",
        "page 2: leaflet: the inside-3 (inside, left) panel is 100.0 mm wide; the fold makes "
        "it 97 mm", "page 2: leaflet: panel 3 where panel 5 belongs (inside-3 (inside, left))",
        "page 2: leaflet: the inside-1 (inside, right) panel is 97.0 mm wide; the fold makes "
        "it 100 mm", "page 2: leaflet: panel 5 where panel 3 belongs (inside-1 (inside, right))",
        "page 2: leaflet: fold marks at 100, 200 mm from the left; the fold puts them at "
        "97.0, 197.0 mm"]


def _saved(document: pikepdf.Pdf) -> bytes:
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
