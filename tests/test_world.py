"""Editions in five languages and three scripts' ways of writing: every edition that
tests/data/world.yaml names, of every kind and in every profile, read back from the PDFs and
compared with the data and the message catalogues."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest
import regex
from pypdf import PdfReader

from brochure.cli import main
from brochure.data import Loaded
from brochure.lang.catalogues import Catalogues
from brochure.plan.kinds import KINDS
from brochure.plan.profiles import PROFILES
from brochure.theme import Theme

import pdfs

WORLD = Path(__file__).parent / "data" / "world.yaml"
FILES = {"brochure": "brochure.pdf", "leaflet": "leaflet.pdf", "flyer": "flyer-kiln.pdf",
         "card": "card-kiln.pdf"}
LABELS = ("Address", "Phone", "Opening hours")
# What a line of Japanese or Chinese may not start with (UAX #14's classes): small kana and the
# prolonged sound mark (CJ), closing brackets and quotes (CL, CP), iteration marks and middle
# dots (NS), full stops, commas, question and exclamation marks (IS, EX).
NO_LINE_START = regex.compile(r"[\p{Line_Break=CJ}\p{Line_Break=CL}\p{Line_Break=CP}"
                              r"\p{Line_Break=NS}\p{Line_Break=IS}\p{Line_Break=EX}]")
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def extracted(path: Path) -> str:
    """The text of a PDF as pypdf reads it, whitespace folded. pdfium (:func:`pdfs.text`) puts
    the Arabic words of a line that mixes Arabic and Latin in the order they are drawn, left to
    right; pypdf keeps each Arabic run in the order it is read."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def in_lang(world: Loaded, value: object, lang: str) -> str:
    return value.resolve(lang, world.dataset.languages).text  # type: ignore[attr-defined]


def test_every_edition_is_built_of_every_kind_in_every_profile(world: Loaded,
                                                               world_built: Path) -> None:
    built = {path.relative_to(world_built).as_posix() for path in world_built.rglob("*.pdf")}
    assert built == {f"{profile}/{code}/{FILES[kind]}" for profile in PROFILES
                     for code in world.dataset.modes for kind in KINDS
                     if not KINDS[kind].festival}  # the data set has no festival
    assert set(world.dataset.modes) == {"ko", "en", "ar", "ja", "ko+en", "ko+zh-Hans", "ko+ja",
                                        "ar+en"}


def test_names_in_each_language_are_found_whole(world: Loaded, world_built: Path) -> None:
    """By pdfium and by pypdf: the city, the network or the institution in each language."""
    dataset = world.dataset
    kiln = dataset.institutions[0]
    for code, mode in dataset.modes.items():
        for profile in PROFILES:
            for kind, file in FILES.items():
                path = world_built / profile / code / file
                shown = (pdfs.text(path), extracted(path))
                for lang in mode.languages:
                    for value in [dataset.city.name] + (
                            [dataset.network.name] if kind == "brochure" else [kiln.name]):
                        name = in_lang(world, value, lang)
                        assert all(name in text for text in shown), (profile, code, file, name)


def test_labels_come_from_each_language_s_catalogue_once(world: Loaded,
                                                          world_built: Path) -> None:
    """A flyer's labels are in its edition's languages, each once, from their catalogues; no
    other language's."""
    catalogues = Catalogues(Theme.with_user_theme().dirs("templates"))
    for code, mode in world.dataset.modes.items():
        shown = extracted(world_built / "screen" / code / FILES["flyer"]).casefold()
        for lang in world.dataset.languages:
            for label in LABELS:
                translated = catalogues.gettext(label, lang)
                assert translated != label or lang == "en"
                assert shown.count(translated.casefold()) == (lang in mode.languages), (
                    code, lang, translated)


def test_titles_are_given_in_each_language_of_the_edition(world: Loaded,
                                                           world_built: Path) -> None:
    """The document's title in its first language, and the XMP title in each language of the
    edition: the institution's name on a flyer, the city and network on the brochure."""
    dataset = world.dataset

    def title(kind: str, lang: str) -> str:
        if kind == "flyer":
            return in_lang(world, dataset.institutions[0].name, lang)
        return f"{in_lang(world, dataset.city.name, lang)} · " \
               f"{in_lang(world, dataset.network.name, lang)}"

    for code, mode in dataset.modes.items():
        for profile in PROFILES:
            for kind in ("brochure", "flyer"):
                with pikepdf.open(world_built / profile / code / FILES[kind]) as document:
                    docinfo = str(document.docinfo["/Title"])
                    xmp = ElementTree.fromstring(
                        document.Root.Metadata.read_bytes().decode("utf-8")
                        .split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
                titles = {item.get(XML_LANG): item.text
                          for item in xmp.find(f".//{DC}title").iter(f"{RDF}li")}
                expected = {lang: title(kind, lang) for lang in mode.languages}
                assert titles == {"x-default": expected[mode.primary], **expected}, (
                    profile, code, kind)
                assert docinfo == expected[mode.primary]


@pytest.mark.parametrize("code", ["ja", "ko+ja", "ko+zh-Hans"])
def test_no_japanese_or_chinese_line_starts_with_a_small_kana_or_a_closing_mark(
        world: Loaded, world_built: Path, code: str) -> None:
    """The descriptions are full of small kana (ッ, ょ), long vowel marks, closing brackets and
    full stops, so that many lines would start with one if a line could break before them."""
    lang = world.dataset.modes[code].languages[-1]
    description = in_lang(world, world.dataset.institutions[0].description, lang)
    (lines,) = pdfs.page_lines(world_built / "screen" / code / FILES["flyer"])
    broken = [line for line in lines if line and line in description]
    assert len(broken) >= 4  # the description is set on several lines, each a piece of it
    assert [line for line in broken[1:] if NO_LINE_START.match(line)] == []


def test_fonts_are_checked_per_language_before_anything_is_laid_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An Arabic letter is drawn in an Arabic name but not in a Japanese one; a character that
    no installed font has (U+1F3FA, an amphora) is drawn in none. `check` and `build`
    name each record, field and character, and nothing is built."""
    data = tmp_path / "world.yaml"
    text = WORLD.read_text(encoding="utf-8")
    data.write_text(text.replace("ja: 月壺の窯", "ja: 月壺の窯ب").replace(
        "ar: فرن جرة القمر}", "ar: فرن جرة القمر \U0001F3FA}"), encoding="utf-8")
    line = text.splitlines().index(next(row for row in text.splitlines() if "ja: 月壺の窯" in row))
    expected = [
        f"error: {data}:{line + 1}: institution 1 (kiln): name.ja: the 'ja' fonts "
        "(Noto Sans CJK JP) cannot draw 'ب' (U+0628)",
        f"error: {data}:{line + 2}: institution 1 (kiln): name.ar: the 'ar' fonts "
        "(Noto Naskh Arabic, NanumGothic, Noto Sans, Noto Sans Arabic) cannot draw "
        "'\U0001F3FA' (U+1F3FA)"]
    for command in (["check"], ["build", "--out", str(tmp_path / "out"), "--lang", "en"]):
        capsys.readouterr()
        assert main([*command, "--data", str(data)]) == 1
        assert capsys.readouterr().err.splitlines() == expected, command
    assert not (tmp_path / "out").exists()
