"""Korean lines break between words only, and the PDF's text stays exactly the data's."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest
from markupsafe import Markup

from brochure.build import BuildReport, build
from brochure.data import Loaded, load
from brochure.i18n import Catalogues, language_modes
from brochure.pdf import PdfRenderer
from brochure.render import KINDS, render_html
from brochure.templating import make_environment
from brochure.theme import Theme
from brochure.typography import load_typography

import pdfs

HANGUL = re.compile(r"[\uac00-\ud7a3]")
INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
Built = tuple[Path, BuildReport]


@pytest.fixture(scope="module")
def typography():
    return load_typography(Theme.with_user_theme())


def test_korean_words_are_kept_whole_with_joiners_between_their_letters(typography) -> None:
    marked = typography.keep_words("이천은 도자기의 <도시> 4주  Icheon-si", "ko")
    assert marked == Markup("이\u2060천\u2060은 도\u2060자\u2060기\u2060의 "
                            "&lt;\u2060도\u2060시\u2060&gt; 4\u2060주  Icheon\u2060-\u2060si")
    assert typography.keep_words("Icheon <is> a city", "en") == Markup("Icheon &lt;is&gt; a city")


def test_joiners_go_between_characters_as_readers_count_them(typography) -> None:
    """A syllable typed in parts (decomposed, as text copied on a Mac often is) and a letter
    with its accent stay whole; letters of an alphabet get no joiner, whatever their accents."""
    decomposed = unicodedata.normalize("NFD", "도자기")
    assert len(decomposed) == 6  # three syllables, each a consonant and a vowel
    joined = typography.keep_words(f"{decomposed} café", "ko")
    first, second, third = (unicodedata.normalize("NFD", syllable) for syllable in "도자기")
    assert joined.split("\u2060") == [first, second, f"{third} café"]


def test_a_word_too_long_for_any_line_stays_free_to_break(typography) -> None:
    long_word = "가" * 17
    assert typography.keep_words(f"짧은 {long_word}", "ko") == Markup(
        f"짧\u2060은 {long_word}")


def test_text_past_the_page_edge_is_quoted_without_its_joiners(typography) -> None:
    words = typography.keep_words("도자기 축제", "ko")
    assert "\u2060" in words
    rendered = PdfRenderer(Theme.with_user_theme()).render(
        f'<html lang="ko"><body><p style="position: relative; top: 300mm">{words}</p>', ())
    overflow = rendered.overflow()
    assert overflow is not None and overflow.text == "도자기 축제"


def source_words(loaded: Loaded, kind: str, mode: str, institution: str | None) -> set[str]:
    """Every word of an output's HTML text (with note pages): what its PDF's lines are made of."""
    theme = Theme.with_user_theme()
    env = make_environment(theme, Catalogues(theme.dirs("templates")), load_typography(theme))
    markup = render_html(env, loaded.dataset, KINDS[kind],
                         language_modes(loaded.dataset.languages)[mode],
                         institution=loaded.dataset.institution(institution) if institution
                         else None, filler_pages=1)
    body = INVISIBLE.sub("", markup[markup.index("<body"):])
    return set(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize("mode", ["ko", "en-ko"])
@pytest.mark.parametrize(("kind", "institution"), [("brochure", None), ("flyer", "kicet"),
                                                   ("flyer", "cerawork")])
def test_korean_lines_end_only_between_words(built: Built, sample: Loaded, mode: str, kind: str,
                                             institution: str | None) -> None:
    name = f"{kind}-{institution}.pdf" if institution else f"{kind}.pdf"
    path = built[0] / "screen" / mode / name
    lines = [line.strip() for page in pdfs.page_lines(path) for line in page]
    korean_lines = [line for line in lines if HANGUL.search(line)]
    assert len(korean_lines) >= 8  # paragraphs long enough to wrap
    words = source_words(sample, kind, mode, institution)
    broken = [(line, token) for line in korean_lines for token in line.split()
              if HANGUL.search(token) and token not in words]
    assert broken == []
    assert not any(INVISIBLE.search(line) for line in lines)


def test_a_korean_word_longer_than_the_line_breaks_instead_of_overflowing(
        data_copy: Path, tmp_path: Path) -> None:
    long_word = "이천시도자기문화유산보존및세계화추진위원회국제협력사무국공동주관행사"
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace("한국도자재단은 설봉공원에", f"{long_word} 설봉공원에"),
                         encoding="utf-8")
    loaded = load(data_copy)
    report = build(loaded, tmp_path, [language_modes(loaded.dataset.languages)["ko"]], ["flyer"])
    assert report.failed == []
    flyer = tmp_path / "screen" / "ko" / "flyer-kocef.pdf"
    assert long_word in pdfs.text(flyer).replace(" ", "")
    page_width = 148 * pdfs.MM
    assert all(box.right <= page_width - 10 * pdfs.MM for page in pdfs.text_boxes(flyer)
               for box in page)
