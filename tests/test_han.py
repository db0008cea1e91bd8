"""Han characters drawn as each language draws them: 直 and 骨 have other shapes in Japanese,
Simplified and Traditional Chinese and Korean, so each language's text must come from its own
region's face of Noto Sans CJK (styles/typography.toml), read here from the PDFs' fonts."""

from __future__ import annotations

import ctypes
import unicodedata
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from brochure.build import build
from brochure.data import load
from brochure.lang.typography import load_typography
from brochure.plan.profiles import PROFILES
from brochure.theme import Theme

HAN = Path(__file__).parent / "data" / "han.yaml"
JP, SC, TC, HK, KR = (f"Noto-Sans-CJK-{region}" for region in ("JP", "SC", "TC", "HK", "KR"))


@pytest.fixture(scope="module")
def flyers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The flyer of every edition the data names, on screen."""
    loaded = load(HAN)
    out = tmp_path_factory.mktemp("han")
    report = build(loaded, out, list(loaded.dataset.modes.values()), ["flyer"],
                   profiles=[PROFILES["screen"]])
    assert report.failed == [] and report.warnings == []
    return out / "screen"


def han_faces(path: Path, text: str) -> set[str]:
    """The fonts (without subset tag and weight) that draw the Han characters of every
    occurrence of ``text`` on the PDF's page, as pdfium reads each character's font."""
    page = pypdfium2.PdfDocument(path)[0].get_textpage()
    count = page.count_chars()
    shown = "".join(chr(pdfium_c.FPDFText_GetUnicode(page, index)) for index in range(count))
    assert text in shown, f"{text!r} is not on {path}"

    def face(index: int) -> str:
        name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
        pdfium_c.FPDFText_GetFontInfo(page, index, name, len(name), flags)
        return name.value.decode().split("+")[-1].removesuffix("-Bold")

    faces = set()
    start = shown.find(text)
    while start >= 0:
        faces |= {face(index) for index in range(start, start + len(text))
                  if unicodedata.name(shown[index]).startswith("CJK")}
        start = shown.find(text, start + 1)
    return faces


def test_each_chinese_script_and_region_has_its_own_face() -> None:
    typography = load_typography(Theme.with_user_theme())
    faces = {lang: typography.settings(lang).body for lang in (
        "zh", "zh-Hans", "zh-CN", "zh-SG", "zh-Hans-HK", "zh-Hant", "zh-Hant-TW", "zh-TW",
        "zh-HK", "zh-Hant-HK", "zh-MO", "ja", "ko")}
    assert faces == {
        "zh": ("Noto Sans CJK SC",), "zh-Hans": ("Noto Sans CJK SC",),
        "zh-CN": ("Noto Sans CJK SC",), "zh-SG": ("Noto Sans CJK SC",),
        "zh-Hans-HK": ("Noto Sans CJK SC",), "zh-Hant": ("Noto Sans CJK TC",),
        "zh-Hant-TW": ("Noto Sans CJK TC",), "zh-TW": ("Noto Sans CJK TC",),
        "zh-HK": ("Noto Sans CJK HK",), "zh-Hant-HK": ("Noto Sans CJK HK",),
        "zh-MO": ("Noto Sans CJK HK",), "ja": ("Noto Sans CJK JP",),
        "ko": ("NanumGothic", "Noto Sans CJK KR")}
    # A table that names only fonts takes the rest from its base language: Chinese leading.
    for lang in ("zh-Hant", "zh-TW", "zh-Hant-HK"):
        settings = typography.settings(lang)
        assert (settings.line_height, settings.heading_line_height, settings.hyphens) == (
            1.7, 1.35, "manual"), lang


def test_each_language_draws_han_characters_in_its_own_face(flyers: Path) -> None:
    assert han_faces(flyers / "ja" / "flyer-bone.pdf", "直骨工房") == {JP}
    assert han_faces(flyers / "ja" / "flyer-bone.pdf", "正直な") == {JP}
    assert han_faces(flyers / "zh-Hans" / "flyer-bone.pdf", "直骨工坊") == {SC}
    assert han_faces(flyers / "zh-Hans" / "flyer-bone.pdf", "正直的") == {SC}
    assert han_faces(flyers / "zh-Hant" / "flyer-bone.pdf", "直骨工坊") == {TC}
    assert han_faces(flyers / "zh-Hant" / "flyer-bone.pdf", "正直的") == {TC}


def test_korean_hanja_are_drawn_in_korean_forms(flyers: Path) -> None:
    """NanumGothic's own Hanja (from the whole font: its core has none), and one it lacks in
    Noto Sans CJK KR, never in another region's face."""
    korean = flyers / "ko" / "flyer-bone.pdf"
    assert han_faces(korean, "(直骨)") == {"NanumGothic"}
    assert han_faces(korean, "(正直)") == {"NanumGothic"}
    assert han_faces(korean, "(李瑆)") == {"NanumGothic", KR}
    assert han_faces(korean, "瑆") == {KR}


def test_a_bilingual_edition_draws_each_language_in_its_own_face(flyers: Path) -> None:
    both = flyers / "ja+zh-Hans" / "flyer-bone.pdf"
    assert han_faces(both, "直骨工房") == {JP}
    assert han_faces(both, "直骨工坊") == {SC}
    both = flyers / "zh-Hant+ko" / "flyer-bone.pdf"
    assert han_faces(both, "直骨工坊") == {TC}
    assert han_faces(both, "(直骨)") == {"NanumGothic"}
    assert han_faces(both, "瑆") == {KR}
