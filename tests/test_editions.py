"""Editions: a data file names the language modes it is built in, written `ko+en` outside it."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from pypdf import PdfReader

from brochure.build import build
from brochure.cli import choose_modes, main
from brochure.data import load
from brochure.plan.profiles import PROFILES

import pdfs

CapSys = pytest.CaptureFixture[str]

# Korean, English and Japanese texts; Korean on every edition, Japanese never alone.
THREE = """\
languages: [ko, en, ja]
editions: [[ko], [ko, en], [ko, ja]]
network:
  name: {ko: 유네스코 창의도시 네트워크, en: UNESCO Creative Cities Network,
         ja: ユネスコ創造都市ネットワーク}
city:
  name: {ko: 이천시, en: Icheon, ja: 利川市}
institutions:
  - id: kocef
    name: {ko: 한국도자재단, en: Korea Ceramic Foundation, ja: 韓国陶磁財団}
    description: {ko: 도자 문화를 알리는 재단입니다., en: A foundation for ceramics.}
"""


@pytest.fixture
def three(tmp_path: Path) -> Path:
    path = tmp_path / "three.yaml"
    path.write_text(THREE, encoding="utf-8")
    return path


def test_the_data_files_editions_are_its_modes(three: Path) -> None:
    modes = load(three).dataset.modes
    assert list(modes) == ["ko", "ko+en", "ko+ja"]
    assert modes["ko+ja"].languages == ("ko", "ja") and modes["ko+ja"].primary == "ko"


def test_without_editions_each_language_alone_and_the_first_two(three: Path) -> None:
    three.write_text(THREE.replace("editions: [[ko], [ko, en], [ko, ja]]\n", ""),
                     encoding="utf-8")
    assert list(load(three).dataset.modes) == ["ko", "en", "ja", "ko+en"]


def test_a_build_makes_exactly_the_editions_folders(three: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    loaded = load(three)
    report = build(loaded, out, list(loaded.dataset.modes.values()), ["flyer"],
                   profiles=[PROFILES["screen"]])
    assert report.failed == []
    assert sorted(folder.name for folder in (out / "screen").iterdir()) == ["ko", "ko+en", "ko+ja"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert [(entry["path"], entry["lang"], entry["languages"]) for entry in manifest] == [
        ("screen/ko+en/flyer-kocef.pdf", "ko+en", ["ko", "en"]),
        ("screen/ko+ja/flyer-kocef.pdf", "ko+ja", ["ko", "ja"]),
        ("screen/ko/flyer-kocef.pdf", "ko", ["ko"]),
    ]
    flyer = out / "screen" / "ko+ja" / "flyer-kocef.pdf"
    content = pdfs.text(flyer)
    assert "한국도자재단" in content and "韓国陶磁財団" in content
    assert "Korea Ceramic Foundation" not in content
    assert PdfReader(flyer).trailer["/Root"]["/Lang"] == "ko"


def test_lang_takes_the_new_notation_and_the_old(capsys: CapSys, three: Path,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", "--data", str(three), "--out", str(out), "--only", "flyers",
                 "--profile", "screen", "--lang", "ko+en", "--lang", "ko-ja", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert sorted(folder.name for folder in (out / "screen").iterdir()) == ["ko+en", "ko+ja"]


def test_a_language_tag_is_never_read_as_a_pair() -> None:
    known = ["ko", "zh-Hans", "pt-BR", "ko+zh-Hans", "en+ko"]
    assert choose_modes(["zh-Hans", "ko-zh-Hans", "en-ko", "en+ko"], known, "data.yaml") == [
        "zh-Hans", "ko+zh-Hans", "en+ko"]
    assert choose_modes([], known, "data.yaml") == known
    # A data file may list a tag that reads as a pair: it is the tag, not the pair.
    assert choose_modes(["en-ko"], ["en", "ko", "en-ko", "en+ko"], "data.yaml") == ["en-ko"]
    with pytest.raises(click.BadParameter) as caught:
        choose_modes(["zh-Hant"], known, "data.yaml")
    assert caught.value.message == ("'zh-Hant' is not a language mode of data.yaml (choose from "
                                    "ko, zh-Hans, pt-BR, ko+zh-Hans, en+ko)")


def test_script_and_region_tags_are_languages(three: Path) -> None:
    three.write_text(THREE.replace("[ko, en, ja]", "[ko, en, zh-Hans, pt-BR]")
                     .replace("[ko, ja]]", "[ko, zh-Hans], [pt-BR]]").replace("ja:", "zh-Hans:"),
                     encoding="utf-8")
    modes = load(three).dataset.modes
    assert list(modes) == ["ko", "ko+en", "ko+zh-Hans", "pt-BR"]
    assert modes["ko+zh-Hans"].languages == ("ko", "zh-Hans")


def test_check_reports_each_editions_coverage(capsys: CapSys, three: Path) -> None:
    assert main(["check", "--data", str(three)]) == 0
    out = capsys.readouterr().out.splitlines()
    # 4 texts: three names in every language, a description in Korean and English only.
    assert out[1:3] == [
        "translations: ko 100% (4 of 4 texts), en 100% (4 of 4 texts), ja 75% (3 of 4 texts)",
        "editions: ko 100% (4 of 4 texts), ko+en 100% (4 of 4 texts), ko+ja 75% (3 of 4 texts)",
    ]
