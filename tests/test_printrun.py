"""Print runs: a mode's flyers for a printing profile in one PDF, looking the same, fonts shared."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from fontTools.ttLib import TTFont
from weasyprint import HTML

from brochure.cli import main
from brochure.finish import runs as printrun
from brochure.finish.preflight import check, expectation
from brochure.finish.runs import merge
from brochure.lang.typography import blank_glyphs, family_files
from brochure.plan.kinds import KINDS
from brochure.plan.profiles import PROFILES
from brochure.render.html import Titles

import measured
import pdfs
from sample import copy_sample

RUN = ("--lang", "en-ko", "--only", "flyers", "--profile", "office", "--profile", "press",
       "--profile", "screen", "--print-run")
FLYERS = ["flyer-cerawork.pdf", "flyer-doyego.pdf", "flyer-kocef.pdf", "flyer-kicet.pdf"]


def build(capsys: pytest.CaptureFixture[str], data: Path, out: Path,
          *options: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["build", "--data", str(data), "--out", str(out), *options])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = copy_sample(tmp_path_factory.mktemp("data") / "icheon.yaml")
    out = tmp_path_factory.mktemp("out")
    assert main(["build", "--data", str(data), "--out", str(out), "--quiet", *RUN]) == 0
    return out


def rendered(path: Path) -> list[bytes]:
    """Each page drawn at 40 dpi, as bytes to compare."""
    document = pypdfium2.PdfDocument(path)
    return [bytes(page.render(scale=40 / 72).buffer) for page in document]


def fonts_in(path: Path) -> list[str]:
    """The base name of every composite font object in the file, once per object."""
    with pikepdf.open(path) as pdf:
        return sorted(str(item.BaseFont).split("+")[1] for item in pdf.objects
                      if isinstance(item, pikepdf.Dictionary) and item.get("/Subtype") == "/Type0")


def but_pictures(pdf: Path) -> int:
    """A file's size without its images, which are each flyer's own: the fonts and the rest."""
    with pikepdf.open(pdf) as document:
        images = sum(len(item.read_raw_bytes()) for item in document.objects
                     if isinstance(item, pikepdf.Stream) and item.get("/Subtype") == "/Image")
    return pdf.stat().st_size - images


@pytest.mark.parametrize("profile", ["office", "press"])
def test_a_run_holds_each_flyer_as_printed_with_one_copy_of_each_font(runs: Path,
                                                                      profile: str) -> None:
    folder = runs / profile / "en+ko"
    run = folder / "flyers.pdf"
    assert rendered(run) == [page for name in FLYERS for page in rendered(folder / name)]
    with pikepdf.open(run) as merged:
        for page, name in zip(merged.pages, FLYERS, strict=True):
            with pikepdf.open(folder / name) as flyer:
                for box in ("/MediaBox", "/TrimBox", "/BleedBox"):
                    assert list(page.obj.get(box, [])) == list(flyer.pages[0].obj.get(box, []))
    assert fonts_in(run) == ["NanumGothic-core", "NanumGothic-core-Bold"]
    assert len(fonts_in(folder / FLYERS[0])) == 2
    assert but_pictures(run) < sum(but_pictures(folder / name) for name in FLYERS) / 2
    entry = next(item for item in json.loads((runs / "manifest.json").read_text())["outputs"]
                 if item["path"] == f"{profile}/en+ko/flyers.pdf")
    assert entry["run"] and entry["kind"] == "flyer" and entry["pages"] == 4
    expected = expectation(PROFILES[profile], KINDS["flyer"], entry["qr"])
    assert len(entry["qr"]) == 4 and check(run.read_bytes(), expected) == []


def test_a_run_names_the_city_and_keeps_the_press_identification(runs: Path) -> None:
    with pikepdf.open(runs / "press" / "en+ko" / "flyers.pdf") as run:
        metadata = run.Root.Metadata.read_bytes().decode()
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in metadata
        assert '<rdf:li xml:lang="ko">이천시 · 유네스코 창의도시 네트워크</rdf:li>' in metadata
        assert str(run.docinfo["/Title"]) == "Icheon · UNESCO Creative Cities Network"
        assert run.Root.OutputIntents[0].S == "/GTS_PDFX"
        assert "/StructTreeRoot" not in run.Root
    assert not (runs / "screen" / "en+ko" / "flyers.pdf").exists()  # a run is for printers


def test_a_run_is_remade_only_when_a_flyer_changes(runs: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    shutil.copytree(runs, out)
    data = copy_sample(tmp_path / "data" / "icheon.yaml")
    before = (out / "press" / "en+ko" / "flyers.pdf").read_bytes()
    code, printed, _ = build(capsys, data, out, *RUN)
    assert code == 0 and "built 0 files, 14 unchanged" in printed
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("+82-31-645-6501", "+82-31-645-6502"), encoding="utf-8")
    code, printed, _ = build(capsys, data, out, *RUN)
    assert code == 0 and "built 5 files, 9 unchanged" in printed
    after = (out / "press" / "en+ko" / "flyers.pdf").read_bytes()
    assert after != before and "645-6502" in pdfs.text(out / "press" / "en+ko" / "flyers.pdf")


def test_a_run_is_the_same_bytes_from_build_to_build(runs: Path, tmp_path: Path) -> None:
    data = copy_sample(tmp_path / "data" / "icheon.yaml")
    assert main(["build", "--data", str(data), "--out", str(tmp_path), "--quiet", *RUN]) == 0
    for profile in ("office", "press"):
        path = Path(profile) / "en+ko" / "flyers.pdf"
        assert (tmp_path / path).read_bytes() == (runs / path).read_bytes()


def test_a_run_with_a_failed_flyer_is_not_made(data_copy: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    measured.describe_kocef(data_copy, measured.paragraphs_per_page() + 3)  # too long to fit
    code, _, err = build(capsys, data_copy, tmp_path, "--lang", "en-ko", "--only", "flyers",
                         "--profile", "office", "--print-run", "--theme", str(measured.THEME))
    assert code == 1
    assert ("error: office/en+ko/flyers.pdf: not made: office/en+ko/flyer-kocef.pdf could not "
            "be built") in err.splitlines()
    assert not (tmp_path / "office" / "en+ko" / "flyers.pdf").exists()


def test_a_merged_font_program_states_its_length(runs: Path) -> None:
    with pikepdf.open(runs / "office" / "en+ko" / "flyers.pdf") as run:
        programs = [item.DescendantFonts[0].FontDescriptor.FontFile2 for item in run.objects
                    if isinstance(item, pikepdf.Dictionary) and item.get("/Subtype") == "/Type0"]
        assert programs and all(int(program.Length1) == len(program.read_bytes())
                                for program in programs)


def test_two_fonts_that_share_a_name_are_not_merged(tmp_path: Path) -> None:
    """WeasyPrint names a face by its description, not its file: the same name on two files
    must not make one font of two."""
    files = [Path(path) for path, _index in family_files("NanumGothic")
             + family_files("NanumMyeongjo") if "Bold" not in path]
    made = []
    for number, font in enumerate(files[:2]):
        html = (f'<style>@font-face {{ font-family: Body; src: url("{font.as_uri()}") }} '
                "p { font-family: Body; font-size: 30pt }</style><p>도자기 Icheon</p>")
        made.append(HTML(string=html).write_pdf())
        (tmp_path / f"{number}.pdf").write_bytes(made[-1])
    (tmp_path / "run.pdf").write_bytes(merge(made, "ko", {"ko": Titles("이천", "이천")}))
    assert fonts_in(tmp_path / "run.pdf") == ["Body", "Body"]
    assert rendered(tmp_path / "run.pdf") == rendered(tmp_path / "0.pdf") + rendered(
        tmp_path / "1.pdf")


def test_a_glyph_two_later_copies_draw_differently_keeps_them_apart(tmp_path: Path) -> None:
    """The first copy lacks 도; the second brings it, the third draws it otherwise (as a font
    updated between builds would): the third must not replace the second's glyph."""
    def flyer(text: str) -> bytes:
        return HTML(string="<style>p { font-family: NanumGothic; font-size: 30pt }</style>"
                           f"<p>{text}</p>").write_pdf()

    made = [flyer("힣"), flyer("도"), flyer("도")]  # 힣: the highest glyph id, the first copy
    with pikepdf.open(io.BytesIO(made[2])) as pdf:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        stream = font.DescendantFonts[0].FontDescriptor.FontFile2
        program = TTFont(io.BytesIO(stream.read_bytes()))
        (drawn,) = set(range(1, len(program.getGlyphOrder()))) - blank_glyphs(program)
        glyph = program["glyf"][program.getGlyphName(drawn)]  # 도, the copy's only glyph
        glyph.expand(program["glyf"])
        glyph.coordinates.translate((0, 200))  # the same width, another drawing
        moved, saved = io.BytesIO(), io.BytesIO()
        program.save(moved)
        stream.write(moved.getvalue())
        pdf.save(saved)
    made[2] = saved.getvalue()
    for number, data in enumerate(made):
        (tmp_path / f"{number}.pdf").write_bytes(data)
    (tmp_path / "run.pdf").write_bytes(merge(made, "ko", {"ko": Titles("이천", "이천")}))
    assert fonts_in(tmp_path / "run.pdf") == ["NanumGothic"] * 3
    assert rendered(tmp_path / "run.pdf") == [
        page for number in range(3) for page in rendered(tmp_path / f"{number}.pdf")]


def test_widths_are_read_in_both_forms_of_a_w_array() -> None:
    # "first [w w ...]" as WeasyPrint writes them, "first last w" as other tools may.
    array = pikepdf.Array([1, pikepdf.Array([500, 600]), 10, 12, 700])
    widths = dict(printrun._widths(array))
    assert widths == {1: 500, 2: 600, 10: 700, 11: 700, 12: 700}
    assert dict(printrun._widths(pikepdf.Array(printrun._width_array(widths)))) == widths
