"""The festival's poster and programme booklet: sizes, papers, profiles, and the poster's one
large code, measured on the rendered page and decoded to the homepage with its campaign tags.

Expected values come from the data file and the issue's figures (A3, A2, 60 mm), never from our
own HTML.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from brochure.build import build
from brochure.cli import main
from brochure.data import Loaded, load
from brochure.lang.modes import language_modes
from brochure.plan.profiles import PROFILES

import pdfs
from sample import copy_sample

CAMPAIGN = ("qr:\n  campaign: {utm_source: brochure, utm_medium: print, "
            "utm_campaign: ceramic-festival-2027}\n")
HOMEPAGE = "https://www.ceramic-festival.example.kr"
TAGS = "utm_source=brochure&utm_medium=print&utm_campaign=ceramic-festival-2027"


@pytest.fixture(scope="module")
def festival(tmp_path_factory: pytest.TempPathFactory) -> tuple[Loaded, Path]:
    """The poster (A3 and A2) and the programme of the sample with a campaign, in English, for
    every profile."""
    folder = tmp_path_factory.mktemp("poster")
    sample = Path(__file__).parent.parent / "data" / "icheon.yaml"
    copy_sample(folder / "icheon.yaml").write_text(sample.read_text(encoding="utf-8") + CAMPAIGN,
                                        encoding="utf-8")
    loaded = load(folder / "icheon.yaml")
    report = build(loaded, folder / "out", [language_modes(["en", "ko"])["en"]],
                   ["poster", "poster-a2", "programme"], profiles=list(PROFILES.values()),
                   workers=None)
    assert report.failed == [] and report.warnings == []
    return loaded, folder / "out"


@pytest.mark.parametrize(("kind", "size"), [("poster", (297, 420)), ("poster-a2", (420, 594))])
def test_the_poster_code_is_60_mm_wide_and_reads_the_tagged_homepage(
        festival: tuple[Loaded, Path], kind: str, size: tuple[int, int]) -> None:
    path = festival[1] / "screen" / "en" / f"{kind}.pdf"
    assert [tuple(round(side) for side in page) for page in pdfs.page_sizes_mm(path)] == [size]
    [(_page, url, width)] = pdfs.qr_codes(path)
    assert url == f"{HOMEPAGE}?{TAGS}&utm_content={kind}"
    assert width >= 60


def test_the_poster_shows_the_festival_the_city_and_its_highlights(
        festival: tuple[Loaded, Path]) -> None:
    loaded, out = festival
    content = pdfs.text(out / "screen" / "en" / "poster.pdf")
    dataset = loaded.dataset
    assert dataset.festival is not None
    for text in (dataset.festival.name, dataset.city.name):
        assert text.resolve("en", ["en"]).text in content
    assert "Apr 24 \u2013 May 9, 2027" in content
    marked = [event for event in dataset.events if event.highlight]
    assert len(marked) == 3
    for event in dataset.events:
        assert (event.title.resolve("en", ["en"]).text in content) == event.highlight
    assert "www.ceramic-festival.example.kr" in content and "utm_" not in content


def test_the_office_poster_is_on_a3_and_the_press_poster_has_bleed(
        festival: tuple[Loaded, Path]) -> None:
    out = festival[1]
    assert [tuple(round(side) for side in page)
            for page in pdfs.page_sizes_mm(out / "office" / "en" / "poster-a2.pdf")] == [(297, 420)]
    press = PdfReader(out / "press" / "en" / "poster.pdf")
    page = press.pages[0]
    trim, bleed = page.trimbox, page.bleedbox
    assert round((float(trim.width) - float(bleed.width)) / pdfs.MM) == -6
    assert round(float(trim.width) / pdfs.MM) == 297
    assert "/OutputIntents" in press.trailer["/Root"]


def test_the_programme_is_an_a5_booklet_of_every_event(festival: tuple[Loaded, Path]) -> None:
    loaded, out = festival
    path = out / "screen" / "en" / "programme.pdf"
    sizes = pdfs.page_sizes_mm(path)
    assert len(sizes) % 4 == 0 and set(sizes) == {(148.0, 210.0)}
    content = pdfs.text(path)
    for event in loaded.dataset.events:
        assert event.title.resolve("en", ["en"]).text in content
    urls = {url for _, url, _ in pdfs.qr_codes(path)}
    assert urls == {f"{HOMEPAGE}?{TAGS}&utm_content=programme",
                    *(f"{event.booking.plain.url}?{TAGS}&utm_content=programme"
                      for event in loaded.dataset.events if event.booking)}
    office = pdfs.page_sizes_mm(out / "office" / "en" / "programme.pdf")
    assert len(office) == len(sizes) // 2 and set(office) == {(297.0, 210.0)}


def test_preflight_expects_the_poster_on_a3_from_the_manifest(
        festival: tuple[Loaded, Path], capsys: pytest.CaptureFixture[str]) -> None:
    out = festival[1]
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    papers = {entry["path"]: entry.get("paper") for entry in entries if "poster" in entry["kind"]}
    assert papers == {f"{profile}/en/{kind}.pdf": "a3" if profile == "office" else None
                      for profile in PROFILES for kind in ("poster", "poster-a2")}
    assert main(["preflight", str(out / "office" / "en" / "poster.pdf")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "checked 1 file: 0 errors, 0 warnings"
