"""How users work: a new city in minutes, themes, project settings, previews, a quiet build."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from brochure.cli import main

import pdfs
from sample import copy_sample

PROJECT = Path(__file__).resolve().parent.parent
FESTIVAL = PROJECT / "examples" / "ceramic-festival"
CapSys = pytest.CaptureFixture[str]


def run(capsys: CapSys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def inside(tmp_path: Path) -> Iterator[Path]:
    """Run the test from inside ``tmp_path``, as a user runs brochure in a project folder."""
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


def test_init_writes_a_project_that_builds_as_it_is(capsys: CapSys, inside: Path) -> None:
    code, out, err = run(capsys, "init", "gimhae", "--city", "Gimhae", "--languages", "ko,en")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["wrote gimhae/data/gimhae.yaml", "wrote gimhae/brochure.toml",
                                "next: cd gimhae && brochure build   (then edit data/gimhae.yaml)"]
    data = (inside / "gimhae" / "data" / "gimhae.yaml").read_text(encoding="utf-8")
    assert "languages: [ko, en]" in data and 'ko: "Gimhae"' in data and "country: KR" in data
    assert data.count("\n#") > 10  # the comments that explain it
    os.chdir(inside / "gimhae")
    code, out, _err = run(capsys, "build", "--profile", "screen", "--lang", "ko")
    assert code == 0
    flyer = inside / "gimhae" / "output" / "screen" / "ko" / "flyer-example.pdf"
    assert "Your institution" in pdfs.text(flyer)
    assert [code for _page, code, _width in pdfs.qr_codes(flyer)] == ["https://www.example.org"]


def test_init_guesses_the_country_from_the_language(capsys: CapSys, inside: Path) -> None:
    assert run(capsys, "init", "kanazawa", "--city", "Kanazawa", "--languages", "ja,en")[0] == 0
    data = (inside / "kanazawa" / "data" / "kanazawa.yaml").read_text(encoding="utf-8")
    assert "country: JP" in data and 'ja: "ユネスコ創造都市ネットワーク"' in data


def test_init_never_overwrites(capsys: CapSys, inside: Path) -> None:
    assert run(capsys, "init", "here", "--city", "Icheon")[0] == 0
    code, _out, err = run(capsys, "init", "here", "--city", "Icheon")
    assert code == 1
    assert err == ("error: here/data/icheon.yaml: already exists; init writes only new "
                   "files\n")
    code, _out, err = run(capsys, "init", "there", "--city", "Icheon", "--languages", "ko,??")
    assert (code, err) == (1, "error: --languages: '??' is not a language code such as ko or en\n")
    assert not (inside / "there").exists()


def test_a_project_file_sets_the_data_the_output_and_the_theme(capsys: CapSys,
                                                               inside: Path) -> None:
    copy_sample(inside / "data" / "city.yaml")
    (inside / "brochure.toml").write_text(
        f'data = "data/city.yaml"\nout = "print"\ntheme = "{FESTIVAL}"\n', encoding="utf-8")
    code, _out, _err = run(capsys, "build", "--only", "flyers", "--lang", "en",
                           "--profile", "screen")
    assert code == 0
    assert festival_fonts(inside / "print" / "screen" / "en" / "flyer-kocef.pdf")


def test_the_data_file_can_name_its_theme(capsys: CapSys, data_copy: Path,
                                          tmp_path: Path) -> None:
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(f"theme: {FESTIVAL}\n{text}", encoding="utf-8")
    code, _out, _err = run(capsys, "build", "--data", str(data_copy), "--out", str(tmp_path / "o"),
                           "--only", "flyers", "--lang", "en", "--profile", "screen")
    assert code == 0
    assert festival_fonts(tmp_path / "o" / "screen" / "en" / "flyer-kocef.pdf")


def test_a_bad_project_file_is_named(capsys: CapSys, inside: Path) -> None:
    (inside / "brochure.toml").write_text('data = "x.yaml"\noutput = "print"\n', encoding="utf-8")
    code, _out, err = run(capsys, "check")
    assert (code, err) == (1, f"error: {inside / 'brochure.toml'}: output: unknown setting "
                              "(expected data, out, theme, paper, fold)\n")


def festival_fonts(path: Path) -> bool:
    """Whether the festival theme's fonts drew the file."""
    families = {name.split("+")[1] for name in pdfs.fonts(path)}
    return {"NanumMyeongjo", "NanumBarunGothic"} <= {name.split("-")[0] for name in families}


def test_the_example_theme_builds_in_every_profile(capsys: CapSys, data_copy: Path,
                                                   tmp_path: Path) -> None:
    """Its palette reaches the pages on screen and its inks the press files (preflight passed)."""
    out = tmp_path / "out"
    code, _out, err = run(capsys, "build", "--data", str(data_copy), "--out", str(out),
                          "--theme", str(FESTIVAL), "--lang", "en-ko", "--profile", "screen",
                          "--profile", "office", "--profile", "press", "--quiet")
    assert (code, err) == (0, "")
    flyer = out / "screen" / "en+ko" / "flyer-kicet.pdf"
    assert festival_fonts(flyer)
    assert "UNESCO CREATIVE CITIES NETWORK" in pdfs.text(flyer)  # the header block it replaces
    with pikepdf.open(flyer) as pdf:
        colours = {tuple(round(float(value), 3) for value in operands)
                   for operands, operator in pikepdf.parse_content_stream(pdf.pages[0], "rg")}
    assert (0.541, 0.231, 0.118) in colours  # #8a3b1e, fired clay
    with pikepdf.open(out / "press" / "en+ko" / "flyer-kicet.pdf") as pdf:
        inks = {tuple(round(float(value), 2) for value in operands)
                for operands, operator in pikepdf.parse_content_stream(pdf.pages[0], "scn")}
    assert (0, 0.78, 0.93, 0.53) in inks


def test_preview_draws_every_page_and_a_contact_sheet(capsys: CapSys, data_copy: Path,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(capsys, "build", "--data", str(data_copy), "--out", str(out), "--lang", "ko",
               "--profile", "screen", "--quiet")[0] == 0
    code, printed, _err = run(capsys, "preview", "--out", str(out), "--only", "brochure")
    assert code == 0
    assert printed == f"wrote 12 page previews and {out / 'preview' / 'contact-sheet.png'}\n"
    pages = sorted((out / "preview" / "screen" / "ko").glob("brochure-*.png"))
    assert len(pages) == 12
    cover = Image.open(out / "preview" / "screen" / "ko" / "brochure-1.png").convert("RGB")
    assert cover.size == (350, 497)  # A5 at 60 dpi
    assert cover.getpixel((10, 10)) == (47, 107, 98)  # the celadon cover
    sheet = Image.open(out / "preview" / "contact-sheet.png")
    assert sheet.width > 8 * 160 and sheet.height > 240
    code, _printed, err = run(capsys, "preview", "--out", str(out), "--lang", "en")
    assert (code, err.splitlines()[-1]) == (2, "Error: Invalid value for '--lang': 'en' is not a "
                                               "language mode of the built files (choose from ko)")


def test_preview_without_a_build_says_what_to_do(capsys: CapSys, tmp_path: Path) -> None:
    code, _out, err = run(capsys, "preview", "--out", str(tmp_path))
    assert (code, err) == (1, f"error: {tmp_path}: no built screen files to show; run brochure "
                              "build first, or name PDF files\n")


def test_quiet_prints_nothing_but_errors_and_open_opens_the_brochure(
        capsys: CapSys, fallback_copy: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("click.launch", lambda target, **_: opened.append(target))
    out = tmp_path / "out"
    code, printed, err = run(capsys, "build", "--data", str(fallback_copy), "--out", str(out),
                             "--lang", "en", "--profile", "screen", "--quiet", "--open")
    assert (code, printed, err) == (0, "", "")
    assert opened == [str(out / "screen" / "en" / "brochure.pdf")]
    code, printed, err = run(capsys, "build", "--data", str(fallback_copy), "--out", str(out),
                             "--lang", "en", "--profile", "screen")
    assert code == 0 and err.startswith("warning: ")  # the data's fallbacks, when not quiet
    # brochure, leaflet, programme, poster, flyers, cards, and the programme's calendar
    assert printed.startswith("built 0 files, 13 unchanged, in ")


def test_on_a_terminal_a_bar_shows_the_count_and_the_time_left(
        capsys: CapSys, data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich takes FORCE_COLOR as "this is a terminal": the bar is drawn, then the table."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, printed, _err = run(capsys, "build", "--data", str(data_copy), "--out",
                              str(tmp_path / "out"), "--lang", "en", "--only", "cards",
                              "--profile", "screen")
    assert code == 0
    assert "making" in printed and "4/4" in printed and "outputs, time left" in printed
    assert "\x1b[" in printed  # drawn with terminal codes, which piped output never has
    assert "card" in printed.split("outputs, time left")[-1]  # the summary table follows
