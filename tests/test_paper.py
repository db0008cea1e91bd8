"""US Letter for the office: chosen in the data, brochure.toml or --paper, proved on the PDFs."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest

from brochure.cli import main
from brochure.finish import imposition

import pdfs

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "icheon.yaml"

LETTER_MM = (215.9, 279.4)
A4_MM = (210.0, 297.0)
LETTER_LANDSCAPE_PT = (792.0, 612.0)
A5_ON_HALF_LETTER = round(139.7 / 148, 4)  # the A5 page's width to half the sheet's: 94.4 %


def manifest(out: Path) -> dict[str, dict]:
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    return {entry["path"]: entry for entry in entries}


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's English outputs for the screen and an office on Letter."""
    out = tmp_path_factory.mktemp("letter")
    assert main(["build", "--data", str(SAMPLE), "--out", str(out), "--lang", "en",
                 "--paper", "letter", "--quiet"]) == 0
    return out


def test_the_letter_office_brochure_is_a_booklet_on_letter_sheets_in_folding_order(
        letter: Path) -> None:
    """Each half of each landscape Letter sheet shows the screen page booklet order puts there,
    the A5 pages shrunk to fit half the sheet and meeting at the fold."""
    assert pdfs.page_sizes_mm(letter / "office" / "en" / "brochure.pdf") == [(279.4, 215.9)] * 6
    sheets = pdfs.booklet_sheets(letter / "screen" / "en" / "brochure.pdf",
                                 letter / "office" / "en" / "brochure.pdf")
    assert len(sheets) == 6  # the 12 pages
    for size, halves, pages in sheets:
        assert (size, halves) == (LETTER_LANDSCAPE_PT, pages)
    with pikepdf.open(letter / "office" / "en" / "brochure.pdf") as document:
        for sheet in document.pages:
            scales = [round(float(operands[0]), 4)
                      for operands, operator in pikepdf.parse_content_stream(sheet)
                      if operator == pikepdf.Operator("cm")]
            assert scales == [A5_ON_HALF_LETTER] * 2


def test_letter_office_flyers_are_two_copies_and_cards_four_each_code_readable(
        letter: Path) -> None:
    flyer = letter / "office" / "en" / "flyer-kicet.pdf"
    assert pdfs.page_sizes_mm(flyer) == [(279.4, 215.9)]
    codes = pdfs.qr_codes(flyer)
    assert [code for _page, code, _width in codes] == ["https://www.kicet.re.kr/english.web"] * 2
    card = letter / "office" / "en" / "card-kocef.pdf"
    assert pdfs.page_sizes_mm(card) == [LETTER_MM]
    codes += pdfs.qr_codes(card)
    assert [code for _page, code, _width in codes[2:]] == ["https://www.kocef.org"] * 4
    # Shrunk more than on A4 (the sheet is shorter), the codes stay above the 20 mm minimum.
    assert all(width > 20 for _page, _code, width in codes)


def test_the_manifest_names_the_paper_of_office_files_only(letter: Path) -> None:
    entries = manifest(letter)
    assert {path: entry.get("paper") for path, entry in entries.items()
            if path.endswith("kicet.pdf")} == {
        "screen/en/flyer-kicet.pdf": None, "office/en/flyer-kicet.pdf": "letter",
        "screen/en/card-kicet.pdf": None, "office/en/card-kicet.pdf": "letter"}


def test_the_letter_leaflet_is_folded_from_letter_for_every_profile(letter: Path) -> None:
    """The leaflet is laid out on the office paper folded in three, on screen too: panels of
    94, 94 and 91.4 mm across Letter's 279.4 mm, and its sheet's two sides for the office."""
    entries = manifest(letter)
    assert {path: entry.get("paper") for path, entry in entries.items()
            if "leaflet" in path} == {"screen/en/leaflet.pdf": "letter",
                                      "office/en/leaflet.pdf": "letter"}
    assert [width for width, _ in pdfs.page_sizes_mm(letter / "screen" / "en" / "leaflet.pdf")
            ] == [94, 91.4, 94, 94, 91.4, 94]
    assert pdfs.page_sizes_mm(letter / "office" / "en" / "leaflet.pdf") == [(279.4, 215.9)] * 2


def test_preflight_checks_a_letter_build_against_letter_sheets(
        letter: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["preflight", "--out", str(letter)]) == 0
    # brochure, leaflet, programme, poster, 4 flyers and 4 cards, for the screen and the office
    assert capsys.readouterr().out.splitlines()[-1] == "checked 24 files: 0 errors, 0 warnings"
    # An A4 sheet of the same flyer, where the manifest says Letter, fails on its paper.
    out = tmp_path / "out"
    (out / "office" / "en").mkdir(parents=True)
    a4 = imposition.n_up((letter / "screen" / "en" / "flyer-kicet.pdf").read_bytes())
    (out / "office" / "en" / "flyer-kicet.pdf").write_bytes(a4)
    entry = manifest(letter)["office/en/flyer-kicet.pdf"]
    (out / "manifest.json").write_text(json.dumps({"outputs": [entry]}), encoding="utf-8")
    assert main(["preflight", "--out", str(out)]) == 1
    assert capsys.readouterr().out.splitlines()[1:] == [
        "    error: page 1: boxes: sheet of 210 x 297 mm; expected 215.9 x 279.4 mm",
        "checked 1 file: 1 error, 0 warnings"]


@pytest.mark.parametrize(("in_data", "in_project", "option", "chosen"), [
    (None, None, None, A4_MM),
    (None, "letter", None, LETTER_MM),  # brochure.toml
    ("letter", None, None, LETTER_MM),  # the data file
    ("a4", "letter", None, A4_MM),  # the data file wins over brochure.toml
    ("letter", "letter", "a4", A4_MM),  # the command line wins over both
    (None, None, "letter", LETTER_MM),
])
def test_the_paper_comes_from_the_command_line_then_the_data_then_brochure_toml(
        data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_data: str | None,
        in_project: str | None, option: str | None, chosen: tuple[float, float]) -> None:
    if in_data:
        with data_copy.open("a", encoding="utf-8") as file:
            file.write(f"paper: {in_data}\n")
    if in_project:
        (tmp_path / "brochure.toml").write_text(f'paper = "{in_project}"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    assert main(["build", "--data", str(data_copy), "--out", str(out), "--lang", "en",
                 "--only", "cards", "--profile", "office", "--quiet",
                 *(["--paper", option] if option else [])]) == 0
    assert pdfs.page_sizes_mm(out / "office" / "en" / "card-kicet.pdf") == [chosen]
    paper = "letter" if chosen == LETTER_MM else "a4"
    assert manifest(out)["office/en/card-kicet.pdf"]["paper"] == paper


def test_a_change_of_paper_remakes_the_office_files_alone(
        data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    command = ["build", "--data", str(data_copy), "--out", str(out), "--lang", "en",
               "--only", "cards"]
    assert main(command) == 0
    on_a4 = manifest(out)
    assert main([*command, "--paper", "letter"]) == 0
    on_letter = manifest(out)
    for ident in ("cerawork", "kicet", "kocef", "doyego"):
        office, screen = f"office/en/card-{ident}.pdf", f"screen/en/card-{ident}.pdf"
        assert on_letter[office]["key"] != on_a4[office]["key"]
        assert on_letter[office]["sha256"] != on_a4[office]["sha256"]
        assert on_letter[screen] == on_a4[screen]
    capsys.readouterr()
    assert main([*command, "--paper", "letter"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(
        f"built 0 files, 8 unchanged, in {out} in ")


def test_an_unknown_paper_is_refused_naming_the_papers(
        data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    lines = len(data_copy.read_text(encoding="utf-8").splitlines())
    with data_copy.open("a", encoding="utf-8") as file:
        file.write("paper: legal\n")
    assert main(["build", "--data", str(data_copy), "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == (
        f"error: {data_copy}:{lines + 1}: top level: paper: unknown paper 'legal' "
        "(expected a4 or letter)\n")
    assert main(["build", "--paper", "legal"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "Error: Invalid value for '--paper': 'legal' is not one of 'a4', 'letter'.")
    (tmp_path / "brochure.toml").write_text('paper = "A4"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    assert capsys.readouterr().err == (
        f"error: {tmp_path / 'brochure.toml'}: paper: unknown paper 'A4' (expected a4 or "
        "letter)\n")
