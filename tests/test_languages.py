"""Any language pair without code: a Japanese data set, font stacks per language, layouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from brochure.build import BuildReport, build
from brochure.cli import main
from brochure.data import Loaded, load
from brochure.data.checks import check
from brochure.errors import DataError
from brochure.lang.catalogues import Catalogues
from brochure.lang.modes import language_modes
from brochure.lang.typography import LanguageSettings, Typography, load_typography
from brochure.plan.kinds import KINDS, LAYOUTS
from brochure.plan.profiles import PROFILES
from brochure.theme import Theme

import pdfs

KANAZAWA = Path(__file__).parent / "data" / "kanazawa.yaml"
PEKALONGAN = Path(__file__).parent / "data" / "pekalongan.yaml"  # Indonesian: no catalogue
CATALOGUES = Catalogues(Theme.with_user_theme().dirs("templates"))


@pytest.fixture(scope="module")
def japanese(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    loaded = load(KANAZAWA)
    out = tmp_path_factory.mktemp("kanazawa")
    return out, build(loaded, out, list(language_modes(loaded.dataset.languages).values()),
                      list(KINDS), profiles=[PROFILES["screen"]])


@pytest.fixture(scope="module")
def indonesian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    loaded = load(PEKALONGAN)
    out = tmp_path_factory.mktemp("pekalongan")
    modes = language_modes(loaded.dataset.languages)
    report = build(loaded, out, [modes["en"], modes["id+en"]], list(KINDS),
                   profiles=[PROFILES["screen"]])
    assert report.failed == []
    assert report.warnings == ["no message catalogue for 'id'; its labels are in English"]
    return out / "screen"


def test_a_japanese_data_set_builds_with_its_own_fonts(japanese: tuple[Path, BuildReport]) -> None:
    out, report = japanese
    assert report.failed == []
    assert report.warnings == []
    flyer = out / "screen" / "ja" / "flyer-studio.pdf"
    assert PdfReader(flyer).trailer["/Root"]["/Lang"] == "ja"
    content = pdfs.text(flyer)
    assert "金沢テスト工房" in content and "伝統工芸を学び、体験できる工房です。" in content
    assert "住所" in content and "ADDRESS" not in content  # the labels from the ja catalogue
    families = {name.split("+")[1] for name in pdfs.fonts(flyer)}
    assert "Noto-Sans-CJK-JP" in families
    flyer = out / "screen" / "ja+en" / "flyer-studio.pdf"
    both = {name.split("+")[1] for name in pdfs.fonts(flyer)}
    assert {"Noto-Sans-CJK-JP", "NanumGothic-core"} <= both


# The fixed words of the outputs as the English ones show them (CSS upper-cases the contact's).
LABELS = ["UNESCO Creative City", "UNESCO Creative City of Crafts and Folk Art since 2009",
          "Creative fields", "Institutions", "Notes", "ADDRESS", "PHONE", "HOMEPAGE"]


def label_counts(path: Path) -> dict[str, int]:
    content = pdfs.text(path)
    return {label: content.count(label) for label in LABELS if label in content}


def test_labels_without_a_catalogue_show_once_in_english(indonesian: Path) -> None:
    """No Indonesian catalogue: an Indonesian-English output shows each label as often as the
    English one does ("Address" once per contact, not "ADDRESS · ADDRESS")."""
    out = indonesian
    for name in ("flyer-studio.pdf", "card-studio.pdf", "brochure.pdf"):
        assert label_counts(out / "id+en" / name) == label_counts(out / "en" / name), name
    assert label_counts(out / "id+en" / "card-studio.pdf") == {
        "ADDRESS": 1, "PHONE": 1, "HOMEPAGE": 1}
    assert label_counts(out / "id+en" / "flyer-studio.pdf")["UNESCO Creative City"] == 1
    assert label_counts(out / "id+en" / "brochure.pdf")["Institutions"] == 1
    outline = PdfReader(out / "id+en" / "brochure.pdf").outline
    assert [item["/Title"] for item in outline if not isinstance(item, list)][-1] == "Institutions"


def test_a_language_without_a_catalogue_takes_the_english_labels() -> None:
    assert CATALOGUES.label_languages(["id", "en"]) == ["en"]
    assert CATALOGUES.label_languages(["en", "id"]) == ["en"]
    assert CATALOGUES.label_languages(["ko", "id"]) == ["ko", "en"]
    assert CATALOGUES.label_languages(["en", "ko"]) == ["en", "ko"]
    assert CATALOGUES.label_languages(["ja", "en"]) == ["ja", "en"]


def test_english_first_the_labels_of_a_language_without_a_catalogue_are_not_repeated(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """[en, id] as [id, en]; the build says once that the Indonesian labels are in English."""
    data = tmp_path / "pekalongan.yaml"
    data.write_text(PEKALONGAN.read_text(encoding="utf-8").replace(
        "languages: [id, en]", "languages: [en, id]"), encoding="utf-8")
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "out"), "--only", "cards",
                 "--lang", "en-id", "--profile", "screen"]) == 0
    assert capsys.readouterr().err.count("no message catalogue for 'id'") == 1
    assert label_counts(tmp_path / "out" / "screen" / "en+id" / "card-studio.pdf") == {
        "ADDRESS": 1, "PHONE": 1, "HOMEPAGE": 1}


def test_the_korean_labels_still_show_beside_the_english(sample: Loaded, tmp_path: Path) -> None:
    modes = language_modes(sample.dataset.languages)
    assert build(sample, tmp_path, [modes["en+ko"]], ["card"]).failed == []
    content = pdfs.text(tmp_path / "screen" / "en+ko" / "card-kocef.pdf")
    for english, korean in [("ADDRESS", "주소"), ("PHONE", "전화"), ("HOMEPAGE", "홈페이지")]:
        assert (content.count(english), content.count(korean)) == (1, 1)
        assert f"{english} · {korean}" in content


def test_a_japanese_homepage_is_encoded_for_the_qr_code(japanese: tuple[Path, BuildReport]) -> None:
    out, _report = japanese
    codes = pdfs.qr_codes(out / "screen" / "ja" / "flyer-studio.pdf")
    assert [code for _page, code, _width in codes] == [
        "https://xn--r8jz45g.jp/%E5%B7%A5%E6%88%BF"]
    assert "例え.jp/工房" in pdfs.text(out / "screen" / "ja" / "flyer-studio.pdf")


def test_every_japanese_character_is_in_an_embedded_font(
        japanese: tuple[Path, BuildReport]) -> None:
    drawable = pdfs.covered_characters(japanese[0] / "screen" / "ja" / "brochure.pdf")
    for char in "金沢市伝統工芸を学び、体験できる工房です。ユネスコ創造都市":
        assert char in drawable


def test_font_stacks_come_from_the_theme_configuration() -> None:
    typography = load_typography(Theme.with_user_theme())
    assert typography.settings("ja").body == ("Noto Sans CJK JP",)
    assert typography.settings("zh-Hant-TW").body == ("Noto Sans CJK TC",)
    assert typography.default.body == ("NanumGothic", "Noto Sans")  # Noto Sans: Ä, å, ł
    assert typography.settings("ko").body == ("NanumGothic", "Noto Sans CJK KR")  # for Hanja
    assert typography.settings("ar").body == ("Noto Naskh Arabic", "NanumGothic", "Noto Sans")
    assert typography.settings("ko").keep_words and not typography.settings("en").keep_words
    css = typography.css(["ja"]).splitlines()
    assert css[2] == (':lang(ja) { font-family: "Noto Sans CJK JP", sans-serif; '
                      'line-height: 1.7; hyphens: manual; }')


def test_a_user_theme_can_change_a_language_font(tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    styles.mkdir()
    (styles / "typography.toml").write_text(
        '[default]\nbody = ["DejaVu Sans"]\nline_height = 1.4\nhyphens = "auto"\n'
        'keep_words = false\nkeep_words_max = 9\n'
        '[languages.ko]\nkeep_words = true\nline_height = 1.8\n', encoding="utf-8")
    typography = load_typography(Theme.with_user_theme(tmp_path))
    default = LanguageSettings(("DejaVu Sans",), ("DejaVu Sans",), 1.4, 1.4, "auto", False, 9)
    korean = LanguageSettings(("DejaVu Sans",), ("DejaVu Sans",), 1.8, 1.4, "auto", True, 9)
    assert typography == Typography(default, {"ko": korean}, styles / "typography.toml")


def test_check_names_characters_the_fonts_cannot_draw(data_copy: Path) -> None:
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace("ko: 한국도자재단", "ko: 한국도자재단 \U0001F3FA"),
                         encoding="utf-8")
    with pytest.raises(DataError) as raised:
        check(load(data_copy), load_typography(Theme.with_user_theme()), CATALOGUES)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{data_copy}:160: institution 3 (kocef): name.ko: the 'ko' fonts (NanumGothic, "
        "Noto Sans CJK KR) "
        "cannot draw '\U0001F3FA' (U+1F3FA)"]


def test_check_warns_about_fonts_that_are_not_installed(tmp_path: Path) -> None:
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "typography.toml").write_text(
        '[default]\nbody = ["No Such Font", "NanumGothic"]\nkeep_words = false\n'
        'keep_words_max = 16\nline_height = 1.5\nhyphens = "auto"\n', encoding="utf-8")
    report = check(load(PEKALONGAN), load_typography(Theme.with_user_theme(tmp_path)),
                   CATALOGUES)
    assert [str(p) for p in report.warnings[:2]] == [
        f"{PEKALONGAN}:3: top level: languages[1]: no message catalogue for 'id'; its labels are "
        "in English",
        f"{tmp_path / 'styles' / 'typography.toml'}: font 'No Such Font' for 'id' is not "
        "installed"]


def build_layout(sample: Loaded, tmp_path: Path, layout: str) -> Path:
    mode = language_modes(sample.dataset.languages)["en+ko"]
    report = build(sample, tmp_path, [mode], list(KINDS), layout=LAYOUTS[layout])
    assert report.failed == [] and report.warnings == []
    return tmp_path / "screen" / "en+ko"


def page_texts(path: Path) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def test_front_back_puts_one_language_on_each_side(sample: Loaded, tmp_path: Path) -> None:
    out = build_layout(sample, tmp_path, "front-back")
    front, back = page_texts(out / "flyer-kocef.pdf")
    assert "Korea Ceramic Foundation" in front and "한국도자재단" not in front
    assert "한국도자재단" in back and "Korea Ceramic Foundation" not in back
    assert pdfs.page_sizes_mm(out / "flyer-kocef.pdf") == [(148.0, 210.0)] * 2
    assert [code for _page, code, _w in pdfs.qr_codes(out / "flyer-kocef.pdf")] == [
        "https://www.kocef.org"] * 2
    brochure = " ".join(page_texts(out / "brochure.pdf"))  # the brochure stays bilingual
    assert "Korea Ceramic Foundation" in brochure and "한국도자재단" in brochure


def test_columns_set_both_languages_side_by_side(sample: Loaded, tmp_path: Path) -> None:
    out = build_layout(sample, tmp_path, "columns")
    (page,) = pdfs.text_boxes(out / "flyer-kocef.pdf")
    english = next(box for box in page if box.text.startswith("The Korea Ceramic Foundation"))
    korean = next(box for box in page if box.text.startswith("한국도자재단은"))
    assert korean.left > english.right  # the Korean column stands right of the English one
    assert abs(korean.top - english.top) < 4  # and starts level with it
