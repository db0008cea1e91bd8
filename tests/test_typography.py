"""Korean lines break between words only, and the PDF's text stays exactly the data's;
names are never hyphenated, and English hyphenates where an English reader expects."""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from pathlib import Path

import pyphen
import pytest
from markupsafe import Markup

from brochure.build import BuildReport, build
from brochure.data import Loaded, load
from brochure.data.model import Dataset
from brochure.errors import ThemeError
from brochure.lang.catalogues import Catalogues
from brochure.lang.modes import language_modes
from brochure.lang.typography import load_typography
from brochure.plan.kinds import KINDS, LAYOUTS
from brochure.render.html import render_html
from brochure.render.pdf import PdfRenderer
from brochure.render.templating import make_environment
from brochure.theme import Theme

import pdfs
from sample import copy_sample

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


@pytest.mark.parametrize("mode", ["ko", "en+ko"])
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


def test_a_name_unicode_gives_no_break_in_still_stays_on_the_page(data_copy: Path,
                                                                   tmp_path: Path) -> None:
    """Unicode allows no break before "." even after a space, and joiners keep each Korean word
    whole: such a name is one unbreakable run, and breaks where it must at the line's end."""
    name = "../../etc/passwd ../../etc/passwd ../../etc/passwd"
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace("ko: 한국도자재단", f"ko: {name}"), encoding="utf-8")
    loaded = load(data_copy)
    report = build(loaded, tmp_path, [language_modes(loaded.dataset.languages)["ko"]], ["flyer"])
    assert report.failed == []
    flyer = tmp_path / "screen" / "ko" / "flyer-kocef.pdf"
    assert name.replace(" ", "") in pdfs.text(flyer).replace(" ", "")
    page_width = 148 * pdfs.MM
    assert all(box.right <= page_width for page in pdfs.text_boxes(flyer) for box in page)


# Names long enough to wrap wherever they stand: headings, the band, the covers, the list of
# fields, the designation, links. Replacements of the sample's names, then more institutions.
LONGER = [
    ("name:\n    en: Icheon\n    ko: 이천시",
     "name:\n    en: Icheon Mugunghwa Ceramics Residency Metropolis\n"
     "    ko: 이천 무궁화 도자 레지던시 도시"),
    ("name:\n    en: UNESCO Creative Cities Network\n",
     "name:\n    en: UNESCO Creative Cities Network of Internationally Recognised Communities\n"),
    ("{en: Crafts and Folk Art, ko: 공예와 민속예술}",
     '{en: "Crafts, Lacquerware, Mother of Pearl Inlay and Folk Art",'
     " ko: 공예와 나전칠기와 민속예술}"),
]
MORE_INSTITUTIONS = """
  - id: residency
    name: {en: Jinju International Craft Residency, ko: 진주 국제 공예 레지던시}
    homepage: www.example.org/residency
    description: {en: Craftspeople from around the world work in Jinju for three months.,
                  ko: 세계 각국의 공예가들이 진주에서 석 달 동안 작업합니다.}
  - id: mugunghwa
    name: {en: Mugunghwa Lacquerware and Mother of Pearl Inlay Workshop Mugunghwa,
           ko: 무궁화 나전칠기 공방}
    homepage: www.example.org/mugunghwa
  - id: heritage
    name: {en: Gyeongsangnam Traditional Craft Cultural Heritage Preservation Society,
           ko: 경상남도 전통공예 문화유산 보존 및 세계화 추진 위원회 국제협력사무국}
    homepage: www.example.org/heritage
"""
AUTO_HYPHEN = re.compile("[\u2010\u00ad]\n")  # where WeasyPrint hyphenated a word


@pytest.fixture(scope="module")
def long_names(tmp_path_factory: pytest.TempPathFactory) -> tuple[Loaded, Path]:
    """The sample with longer names, built in every layout (and each language alone)."""
    folder = tmp_path_factory.mktemp("long-names")
    text = (Path(__file__).parent.parent / "data" / "icheon.yaml").read_text(encoding="utf-8")
    for old, new in LONGER:
        assert text.count(old) == 1
        text = text.replace(old, new)
    festival = text.index("\n# The festival")  # the institutions' list ends before it
    copy_sample(folder / "data.yaml").write_text(
        text[:festival] + MORE_INSTITUTIONS + text[festival:], encoding="utf-8")
    loaded = load(folder / "data.yaml")
    modes = language_modes(loaded.dataset.languages)
    for layout in LAYOUTS:
        chosen = ["en", "ko", "en+ko"] if layout == "stacked" else ["en+ko"]
        report = build(loaded, folder / layout, [modes[mode] for mode in chosen],
                       ["brochure", "flyer", "card"], layout=LAYOUTS[layout])  # what lists names
        assert report.failed == []
    return loaded, folder


def names(dataset: Dataset, path: Path) -> list[str]:
    """Every name an output shows, in each language of its mode, and its links: the city's name,
    and the institution's (a flyer or card) or the network's, its fields' and the institutions'."""
    institution = path.stem.partition("-")[2]
    shown = [dataset.institution(institution)] if institution else dataset.institutions
    texts = [dataset.city.name, *(each.name for each in shown)]
    if not institution:
        texts += [dataset.network.name, *(field.name for field in dataset.network.fields)]
    langs = path.parent.name.split("+")
    return [text.resolve(lang, dataset.languages).text for text in texts for lang in langs] + [
        each.homepage.resolve(lang, dataset.languages).link.display
        for each in shown for lang in langs]


def test_names_are_never_hyphenated(long_names: tuple[Loaded, Path]) -> None:
    """Each whole name is in the PDF's text, and none of its lines ends in a hyphen: the text
    read as printed has each name as often as the text with the hyphenated words joined."""
    loaded, folder = long_names
    outputs = sorted(folder.glob("*/screen/*/*.pdf"))
    assert len(outputs) == 5 * 15  # five builds of a brochure, seven flyers and seven cards
    broken, hyphenated = [], 0
    for path in outputs:
        lines = [line.strip() for page in pdfs.page_lines(path) for line in page]
        text = "\n".join(lines).replace("-\n", "-")  # a break after a hyphen of the data
        printed, joined = " ".join(text.split()), " ".join(AUTO_HYPHEN.sub("", text).split())
        hyphenated += len(AUTO_HYPHEN.findall(text))
        broken += [(str(path.relative_to(folder)), name) for name in names(loaded.dataset, path)
                   if not (found := printed.count(name)) or found != joined.count(name)]
    assert broken == []
    assert hyphenated > 0  # running text still hyphenates


def test_hyphenation_patterns_are_a_language_s_own(typography) -> None:
    """English text takes the American patterns; text marked en-GB keeps pyphen's British."""
    css = typography.css(["en", "en-GB"]).splitlines()
    assert css[2] == (':lang(en) { font-family: "NanumGothic", "Noto Sans", sans-serif; '
                      'line-height: 1.5; hyphens: auto; -weasy-lang: "en-US"; }')
    assert css[4] == (':lang(en-GB) { font-family: "NanumGothic", "Noto Sans", sans-serif; '
                      'line-height: 1.5; hyphens: auto; }')


@pytest.mark.parametrize(("table", "message"), [
    ('[languages.en]\npatterns = "english"\n',
     "patterns: no hyphenation patterns are named 'english'"),
    ('patterns = "en-US"\n', "patterns belongs in a [languages.CODE] table"),
])
def test_bad_hyphenation_patterns_name_the_file(tmp_path: Path, table: str, message: str) -> None:
    styles = tmp_path / "styles"
    styles.mkdir()
    (styles / "typography.toml").write_text(
        '[default]\nbody = ["NanumGothic"]\nline_height = 1.5\nhyphens = "auto"\n'
        f"keep_words = false\nkeep_words_max = 16\n{table}", encoding="utf-8")
    with pytest.raises(ThemeError) as error:
        load_typography(Theme.with_user_theme(tmp_path))
    assert str(error.value) == (f"{styles / 'typography.toml'}: {message}; expected a [default] "
                                "table with body = [...] and [languages.CODE] tables")


def test_english_hyphenates_by_the_american_patterns(tmp_path: Path) -> None:
    """pyphen's `en` are British patterns, which break "engin-eering" and "resid-ency"."""
    theme = Theme.with_user_theme()
    renderer = PdfRenderer(theme, base_css=load_typography(theme).css(["en"]))
    rendered = renderer.render('<html lang="en"><body><p style="width: 14mm; font-size: 10pt">'
                               'engineering residency heritage industry</p>', ())
    (tmp_path / "words.pdf").write_bytes(rendered.pdf_bytes())
    assert rendered.warnings == []
    (lines,) = pdfs.page_lines(tmp_path / "words.pdf")
    assert lines[:2] == ["engi\u2010", "neering"]
    american = pyphen.Pyphen(lang="en_US")
    breaks = [(first.split()[-1][:-1], second.split()[0])
              for first, second in itertools.pairwise(lines) if first.endswith("\u2010")]
    assert all(len(a) in american.positions(a + b) for a, b in breaks)
