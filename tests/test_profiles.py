"""The three profiles, proved on the sample's files: screen, an office booklet, press PDF/X."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from brochure.build import BuildReport
from brochure.cli import main
from brochure.finish import imposition

import pdfs

Built = tuple[Path, BuildReport]
A4_LANDSCAPE_PT = (841.9, 595.3)
A5_PT = (419.5, 595.3)
MODES = ("en", "ko", "en+ko")


def page_box(pdf: pikepdf.Pdf, index: int, name: str) -> list[float]:
    return [round(float(value), 1) for value in pdf.pages[index].obj[name]]


def test_every_profile_is_built_and_every_file_passes_qpdf_check(built: Built) -> None:
    out, report = built
    assert report.failed == [] and report.warnings == []
    assert {entry["profile"] for entry in report.built} == {"screen", "office", "press"}
    files = sorted(out.rglob("*.pdf"))
    assert len(files) == 117  # 13 kinds and institutions, 3 modes, 3 profiles
    if shutil.which("qpdf") is None:
        pytest.fail("qpdf is not installed (system-packages.txt)")
    for path in files:
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, (path, result.stdout, result.stderr)


def test_screen_files_are_small(built: Built) -> None:
    """Sizes for sharing: a Korean flyer under 60 KB, the bilingual brochure under 500 KB."""
    screen = built[0] / "screen"
    assert (screen / "ko" / "flyer-kocef.pdf").stat().st_size < 60_000
    assert (screen / "en+ko" / "brochure.pdf").stat().st_size < 500_000
    assert max(path.stat().st_size for path in screen.rglob("*.pdf")) < 500_000


@pytest.mark.parametrize("mode", MODES)
def test_the_office_brochure_is_an_a4_booklet_in_folding_order(built: Built, mode: str) -> None:
    """Each half of each sheet shows the text of the screen page that booklet order puts there."""
    sheets = pdfs.booklet_sheets(built[0] / "screen" / mode / "brochure.pdf",
                                 built[0] / "office" / mode / "brochure.pdf")
    assert len(sheets) % 2 == 0
    for size, halves, pages in sheets:
        assert (size, halves) == (A4_LANDSCAPE_PT, pages)


def test_office_flyers_are_two_copies_on_a4_with_both_qr_codes_readable(built: Built) -> None:
    path = built[0] / "office" / "en+ko" / "flyer-kicet.pdf"
    assert pdfs.page_sizes_mm(path) == [(297.0, 210.0)]
    assert [code for _page, code, _width in pdfs.qr_codes(path)] == [
        "https://www.kicet.re.kr/english.web"] * 2
    # Scaled to leave room for the cut marks, the codes stay above the 20 mm print minimum.
    assert all(width > 20 for _page, _code, width in pdfs.qr_codes(path))


def test_office_cards_are_four_copies_on_a_portrait_a4_sheet(built: Built) -> None:
    path = built[0] / "office" / "ko" / "card-kocef.pdf"
    assert pdfs.page_sizes_mm(path) == [(210.0, 297.0)]
    codes = pdfs.qr_codes(path)
    assert [code for _page, code, _width in codes] == ["https://www.kocef.org"] * 4
    assert all(width > 20 for _page, _code, width in codes)
    page = pypdfium2.PdfDocument(path)[0]
    width, height = page.get_size()
    textpage = page.get_textpage()
    for x0, y0 in ((0, 0), (width / 2, 0), (0, height / 2), (width / 2, height / 2)):
        assert "한국도자재단" in textpage.get_text_bounded(x0, y0, x0 + width / 2, y0 + height / 2)


def test_press_files_are_pdf_x_4_with_a_cmyk_output_intent(built: Built) -> None:
    for path in sorted((built[0] / "press").rglob("*.pdf")):
        with pikepdf.open(path) as pdf:
            xmp = pdf.Root.Metadata.read_bytes().decode()
            assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp, path
            (intent,) = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFX"
            assert str(intent.OutputConditionIdentifier) == "Coated FOGRA39 (ISO 12647-2:2004)"
            assert intent.DestOutputProfile.N == 4
            assert pdf.docinfo["/CreationDate"] == pdf.docinfo["/ModDate"]  # fixed, not the clock


def colour_operators(pdf: pikepdf.Pdf) -> set[str]:
    """Every colour-setting operator of every page and form, with the colour spaces chosen."""
    found = set()
    for page in pdf.pages:
        todo, seen = [page.obj], set()
        while todo:
            item = todo.pop()
            for operands, operator in pikepdf.parse_content_stream(item, "rg RG k K g G cs CS"):
                found.add(f"{operator} {operands[0]}" if str(operator) in ("cs", "CS")
                          else str(operator))
            for xobject in item.get("/Resources", {}).get("/XObject", {}).values():
                if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                    seen.add(xobject.objgen)
                    todo.append(xobject)
    return found


def test_press_files_have_no_rgb_colour(built: Built) -> None:
    for path in sorted((built[0] / "press").rglob("*.pdf")):
        with pikepdf.open(path) as pdf:
            operators = colour_operators(pdf)
        assert not operators & {"rg", "RG", "cs /DeviceRGB", "CS /DeviceRGB"}, path
        assert "cs /DeviceCMYK" in operators, path
    with pikepdf.open(built[0] / "screen" / "en" / "flyer-kicet.pdf") as pdf:
        assert "rg" in colour_operators(pdf) or "cs /DeviceRGB" in colour_operators(pdf)


def test_the_press_qr_code_is_black_ink_alone(built: Built) -> None:
    """The stroke before the code's many modules is 0 0 0 1 in DeviceCMYK: no other ink."""
    with pikepdf.open(built[0] / "press" / "en" / "flyer-kicet.pdf") as pdf:
        operations = list(pikepdf.parse_content_stream(pdf.pages[0]))
    strokes = [0]
    for index, (operands, operator) in enumerate(operations):
        if str(operator) == "SCN" and [float(value) for value in operands] == [0, 0, 0, 1]:
            until_stroke = [str(op) for _, op in operations[index:index + 2000]]
            end = until_stroke.index("S") if "S" in until_stroke else len(until_stroke)
            strokes.append(until_stroke[:end].count("m"))
    assert max(strokes) > 100  # the code's runs of modules, drawn in K only
    assert [code for _page, code, _width in
            pdfs.qr_codes(built[0] / "press" / "en" / "flyer-kicet.pdf")] == [
        "https://www.kicet.re.kr/english.web"]


@pytest.mark.parametrize("kind", ["brochure", "flyer-kocef"])
def test_press_pages_have_a_3_mm_bleed_and_crop_marks_outside_it(built: Built, kind: str) -> None:
    with pikepdf.open(built[0] / "press" / "en+ko" / f"{kind}.pdf") as pdf:
        for index in range(len(pdf.pages)):
            trim = page_box(pdf, index, "/TrimBox")
            bleed = page_box(pdf, index, "/BleedBox")
            media = page_box(pdf, index, "/MediaBox")
            assert (trim[2] - trim[0], trim[3] - trim[1]) == A5_PT
            assert [round(b - t, 1) for b, t in zip(bleed, trim, strict=True)] == [
                -8.5, -8.5, 8.5, 8.5]  # 3 mm
            assert media[0] < bleed[0] - 5 * pdfs.MM and media[2] > bleed[2] + 5 * pdfs.MM
            spaces = pdf.pages[index].Resources.ColorSpace
            registration = [space for space in spaces.values()
                            if isinstance(space, pikepdf.Array) and space[0] == "/Separation"]
            assert registration and registration[0][1] == "/All"


def test_press_backgrounds_run_into_the_bleed(built: Built) -> None:
    """Rendered, the flyer's header colour reaches past the trim on the top and both sides."""
    document = pypdfium2.PdfDocument(built[0] / "press" / "en" / "flyer-kicet.pdf")
    page = document[0]
    left, _bottom, _right, top = page.get_mediabox()
    trim = page.get_trimbox()
    scale = 2
    image = page.render(scale=scale).to_pil().convert("RGB")

    def pixel(x: float, y: float) -> tuple[int, int, int]:
        return image.getpixel((round((x - left) * scale), round((top - y) * scale)))

    inside = pixel(trim[0] + 20, trim[3] - 10)  # the header, inside the trim
    assert inside[1] > inside[0] + 20  # celadon green, not white
    for x, y in ((trim[0] + 20, trim[3] + 6), (trim[0] - 6, trim[3] - 10),
                 (trim[2] + 6, trim[3] - 10)):  # 2 mm into the bleed: top, left, right
        assert pixel(x, y) == inside
    assert pixel(trim[0] + 20, trim[3] + 20) == (255, 255, 255)  # past the bleed: paper


def test_preflight_passes_every_built_file_and_says_so(built: Built,
                                                       capsys: pytest.CaptureFixture) -> None:
    assert main(["preflight", "--out", str(built[0])]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "checked 117 files: 0 errors, 0 warnings"
    assert f"ok    {built[0] / 'press' / 'en+ko' / 'brochure.pdf'}" in out
    assert main(["preflight", "--json", str(built[0] / "office" / "ko" / "brochure.pdf")]) == 0
    (report,) = json.loads(capsys.readouterr().out)
    images = report.pop("images")  # the sample's photos: listed, not findings
    assert images and {image["colour_space"] for image in images} == {"/DeviceRGB"}
    assert report == {"path": str(built[0] / "office" / "ko" / "brochure.pdf"),
                      "profile": "office", "errors": [], "warnings": []}


def test_preflight_reads_a_file_against_what_its_profile_asks(
        built: Built, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A screen file passed off as a press file fails on every press rule: found by reading it.
    (A flyer without a picture: a picture's RGB and resolution are the images check's.)"""
    out = tmp_path / "out"
    (out / "press" / "en").mkdir(parents=True)
    screen = built[0] / "screen" / "en" / "flyer-cerawork.pdf"
    shutil.copy(screen, out / "press" / "en" / "flyer-cerawork.pdf")
    manifest = json.loads((built[0] / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = [item for item in manifest["outputs"]
                if item["path"] == "press/en/flyer-cerawork.pdf"]
    (out / "manifest.json").write_text(json.dumps({"outputs": [entry]}), encoding="utf-8")
    assert main(["preflight", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines()[1:] == [
        "    error: page 1: boxes: bleed of 0.0, 0.0, 0.0, 0.0 mm (left, bottom, right, top); "
        "expected 3 mm on every side",
        "    error: pdfx: no PDF/X-4 identification in the XMP metadata",
        "    error: pdfx: no PDF/X output intent: the printer cannot tell which printing "
        "condition the colours are for",
        "    error: page 1: colours: colours in RGB (/DeviceRGB) where CMYK is required",
        "checked 1 file: 4 errors, 0 warnings"]
    assert captured.err == "error: preflight found 4 errors\n"


def test_preflight_finds_a_booklet_in_the_wrong_order(built: Built, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture) -> None:
    source = pikepdf.open(built[0] / "screen" / "en" / "brochure.pdf")
    source.pages.reverse()
    shuffled = tmp_path / "shuffled.pdf"
    source.save(shuffled)
    out = tmp_path / "out" / "office" / "en"
    out.mkdir(parents=True)
    (out / "brochure.pdf").write_bytes(imposition.booklet(shuffled.read_bytes()))
    manifest = json.loads((built[0] / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = [item for item in manifest["outputs"] if item["path"] == "office/en/brochure.pdf"]
    (tmp_path / "out" / "manifest.json").write_text(json.dumps({"outputs": [entry]}))
    assert main(["preflight", str(out / "brochure.pdf")]) == 1
    errors = [line.strip() for line in capsys.readouterr().out.splitlines()
              if line.strip().startswith("error: ")]
    assert errors[0] == "error: page 2: booklet: page 11 where page 2 belongs"  # of 12


def test_preflight_of_a_file_that_is_not_a_pdf(tmp_path: Path,
                                               capsys: pytest.CaptureFixture) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a PDF")
    assert main(["preflight", str(fake)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"FAIL  {fake}"
    assert out[1].startswith("    error: file: cannot be read as a PDF (")


def test_preflight_without_a_build_says_what_to_do(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    assert main(["preflight", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"error: {tmp_path}: no built files to check (no manifest.json); run brochure build "
        "first, or name PDF files\n")
