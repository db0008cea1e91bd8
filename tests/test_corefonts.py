"""Core fonts: outputs embed a small core of a large font; what it lacks comes from the whole."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from brochure.cli import main
from brochure.data import load
from brochure.errors import ThemeError
from brochure.lang import cores as corefonts
from brochure.lang.modes import language_modes
from brochure.lang.typography import fonts_digest, load_typography
from brochure.plan.jobs import keys, plan
from brochure.plan.profiles import PROFILES
from brochure.theme import Theme

import pdfs

HANGUL = (0xAC00, 0xD7A3)
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "icheon.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "brochure" / "fonts"


def test_a_flyer_draws_hangul_from_the_core_and_hanja_from_the_whole_font(
        data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace("ko: 한국도자재단", "ko: 한국도자재단 陶瓷"),
                         encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", "--data", str(data_copy), "--out", str(out), "--lang", "ko",
                 "--only", "flyers", "--profile", "screen"]) == 0, capsys.readouterr().err
    flyer = out / "screen" / "ko" / "flyer-kocef.pdf"
    families = {name.split("+")[1] for name in pdfs.fonts(flyer)}
    assert families == {"NanumGothic-core", "NanumGothic-core-Bold", "NanumGothic-Bold"}
    assert "한국도자재단 陶瓷" in pdfs.text(flyer)


def test_a_core_holds_its_ranges_only_and_is_made_once(cache: Path) -> None:
    typography = load_typography(Theme.with_user_theme())
    made = corefonts.cores(typography, ["ko"])
    assert list(made) == ["NanumGothic"]
    assert made["NanumGothic"].family == "NanumGothic core"
    files = sorted(cache.glob("*.ttf"))
    assert [file.name.split("-")[0] for file in files] == ["NanumGothic", "NanumGothicBold"]
    ranges = typography.cores["NanumGothic"]
    for file in files:
        characters = set(TTFont(file).getBestCmap())
        assert all(any(low <= char <= high for low, high in ranges) for char in characters)
        assert len({char for char in characters if HANGUL[0] <= char <= HANGUL[1]}) == 11172
        assert ord("陶") not in characters
    kept = [file.stat().st_mtime_ns for file in files]
    again = corefonts.cores(typography, ["ko"])
    assert again == made and [file.stat().st_mtime_ns for file in files] == kept
    assert f'src: url("{files[0].as_uri()}"); font-weight: 400' in made["NanumGothic"].css
    assert f'src: url("{files[1].as_uri()}"); font-weight: 700' in made["NanumGothic"].css


def test_cores_are_the_same_bytes_whenever_they_are_made(
        cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    typography = load_typography(Theme.with_user_theme())
    corefonts.cores(typography, ["ko"])
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
    corefonts.cores(typography, ["ko"])
    other = tmp_path / "other" / "brochure" / "fonts"
    assert [file.read_bytes() for file in sorted(cache.glob("*.ttf"))] == [
        file.read_bytes() for file in sorted(other.glob("*.ttf"))]


def test_without_a_cache_folder_the_whole_fonts_are_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    typography = load_typography(Theme.with_user_theme())
    assert corefonts.cores(typography, ["ko"]) == {}
    assert corefonts.stylesheet(typography, ["ko"]) == typography.css(["ko"])
    assert '"NanumGothic core", "NanumGothic"' in typography.css(
        ["ko"], {"NanumGothic": "NanumGothic core"})


def test_a_core_counts_in_the_build_key_where_it_is_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    typography = load_typography(Theme.with_user_theme())
    without = dataclasses.replace(typography, cores={})
    used = fonts_digest(typography, ["ko"], {"NanumGothic"})
    assert used != fonts_digest(without, ["ko"], {"NanumGothic"})
    assert fonts_digest(without, ["ko"], {"NanumGothic"}) == fonts_digest(typography, ["ko"])
    # A machine that cannot keep cores draws from the whole fonts: other bytes, other keys.
    loaded, theme = load(SAMPLE), Theme.with_user_theme()
    planned = plan(loaded.dataset, [language_modes(["en", "ko"])["ko"]], ["flyer"],
                   [PROFILES["screen"]])
    with_cores = keys(planned, loaded, theme)
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    whole = keys(planned, loaded, theme)
    assert with_cores.keys() == whole.keys() and all(
        with_cores[path] != whole[path] for path in whole)


@pytest.mark.parametrize(("ranges", "message"), [
    ('["U+AC00-D7A3", "Hangul"]', "cores: NanumGothic: 'Hangul' is not a Unicode range like "
                                  "U+AC00-D7A3"),
    ('["U+D7A3-AC00"]', "cores: NanumGothic: 'U+D7A3-AC00' ends before it starts"),
])
def test_a_bad_core_range_names_the_file_and_the_family(tmp_path: Path, ranges: str,
                                                         message: str) -> None:
    styles = tmp_path / "styles"
    styles.mkdir()
    (styles / "typography.toml").write_text(
        f'[default]\nbody = ["NanumGothic"]\nline_height = 1.5\nhyphens = "auto"\n'
        f"keep_words = false\nkeep_words_max = 16\n\n[cores]\nNanumGothic = {ranges}\n",
        encoding="utf-8")
    with pytest.raises(ThemeError) as error:
        load_typography(Theme.with_user_theme(tmp_path))
    assert str(error.value) == (f"{styles / 'typography.toml'}: {message}; expected a [default] "
                                "table with body = [...] and [languages.CODE] tables")


def test_a_kept_core_gone_bad_is_left_out_and_made_again(cache: Path) -> None:
    typography = load_typography(Theme.with_user_theme())
    corefonts.cores(typography, ["ko"])
    regular = min(cache.glob("*.ttf"))
    regular.write_bytes(regular.read_bytes()[:1000])  # cut short
    assert corefonts.cores(typography, ["ko"]) == {}  # the whole font, this time
    assert len(corefonts.cores(typography, ["ko"])["NanumGothic"].css.splitlines()) == 2
    assert TTFont(regular)["maxp"].numGlyphs > 10000
