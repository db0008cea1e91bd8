"""Opening hours: OSM syntax in the data, weekday names from CLDR in each language's outputs.

The expected texts are made here from Babel's own day names and the catalogues' words, never
copied from our output; the sample gives KICET "Mo-Fr 09:00-18:00; PH off".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.dates import get_day_names

from brochure.build import build
from brochure.data import Loaded, load
from brochure.lang.hours import format_hours
from brochure.lang.modes import language_modes
from brochure.plan.profiles import PROFILES

import pdfs
from sample import copy_sample

KANAZAWA = Path(__file__).parent / "data" / "kanazawa.yaml"
CLOSED = {"en": "closed", "ko": "휴관", "ja": "休館"}  # as each catalogue translates "closed"
HOLIDAYS = {"en": "public holidays", "ko": "공휴일", "ja": "祝日"}
LABEL = {"en": "OPENING HOURS", "ko": "운영 시간"}  # the contact's labels are upper-cased by CSS


def days(locale: str) -> dict[int, str]:
    """Babel's abbreviated weekday names, 0 = Monday."""
    return get_day_names("abbreviated", locale=locale)


def kicet_hours(lang: str) -> str:
    """KICET's hours as a reader of ``lang`` should see them."""
    name = days(lang)
    return f"{name[0]}\u2013{name[4]} 09:00\u201318:00 · {HOLIDAYS[lang]} {CLOSED[lang]}"


@pytest.fixture(scope="module")
def cards_and_flyers(tmp_path_factory: pytest.TempPathFactory, sample: Loaded) -> Path:
    out = tmp_path_factory.mktemp("hours")
    modes = list(language_modes(sample.dataset.languages).values())
    assert build(sample, out, modes, ["flyer", "card"], profiles=[PROFILES["screen"]],
                 workers=None).failed == []
    return out / "screen"


@pytest.mark.parametrize("kind", ["flyer", "card"])
@pytest.mark.parametrize("mode", ["en", "ko", "en+ko"])
def test_kicet_shows_its_hours_with_each_language_day_names(cards_and_flyers: Path, kind: str,
                                                            mode: str) -> None:
    content = pdfs.text(cards_and_flyers / mode / f"{kind}-kicet.pdf")
    languages = mode.split("+")
    assert " · ".join(LABEL[lang] for lang in languages) in content
    for lang in languages:
        assert kicet_hours(lang) in content
    assert ("Mon" in content) == ("en" in languages)  # no English day name in a Korean output


def test_an_institution_without_hours_shows_none(cards_and_flyers: Path) -> None:
    content = pdfs.text(cards_and_flyers / "en+ko" / "card-kocef.pdf")
    assert "OPENING HOURS" not in content and "운영 시간" not in content


def test_a_japanese_card_shows_japanese_day_names(tmp_path: Path) -> None:
    data = tmp_path / "kanazawa.yaml"
    data.write_text(KANAZAWA.read_text(encoding="utf-8")
                    + '    hours: "Tu-Su 09:00-17:00; Mo off"\n', encoding="utf-8")
    loaded = load(data)
    assert build(loaded, tmp_path / "out", [language_modes(["ja"])["ja"]], ["card"],
                 profiles=[PROFILES["screen"]]).failed == []
    content = pdfs.text(tmp_path / "out" / "screen" / "ja" / "card-studio.pdf")
    name = days("ja")
    assert f"{name[1]}\u2013{name[6]} 09:00\u201317:00 · {name[0]} 休館" in content
    assert "開館時間" in content


@pytest.mark.parametrize("hours", ["24/7", "Mo-Fr 09:00-18:00; Jul-Aug Sa 10:00-14:00",
                                   "Mo-Fr 08:00-12:00 \"by appointment\"", "Mo-Fr"])
def test_hours_the_summary_cannot_say_print_as_written(hours: str) -> None:
    assert format_hours(hours, "en", "closed", "public holidays") == hours


def test_several_spans_a_day_and_a_list_of_days() -> None:
    name = days("fr")
    assert format_hours("Mo,We 09:00-12:00,14:00-18:00; PH off", "fr", "fermé", "jours fériés") \
        == f"{name[0]}, {name[2]} 09:00\u201312:00, 14:00\u201318:00 · jours fériés fermé"


def test_a_spreadsheet_gives_hours_in_a_column(tmp_path: Path) -> None:
    """The column is read as the data file's field; a bad cell names its row, which is left out."""
    text = (Path(__file__).parent.parent / "data" / "icheon.yaml").read_text(encoding="utf-8")
    data = copy_sample(tmp_path / "icheon.yaml")  # with the pictures the city shows
    data.write_text(text[:text.index("institutions:")] + "institutions: institutions.csv\n",
                    encoding="utf-8")
    (tmp_path / "institutions.csv").write_text(
        'id,name,hours\nkocef,Korea Ceramic Foundation,"Tu-Su 09:00-18:00; Mo off"\n'
        "kicet,KICET,Mo-Fr 9h\n", encoding="utf-8")
    loaded = load(data)
    assert [item.hours for item in loaded.dataset.institutions] == ["Tu-Su 09:00-18:00; Mo off"]
    assert str(loaded.warnings[0]) == (
        f"{tmp_path / 'institutions.csv'}:3: institution kicet: hours: 'Mo-Fr 9h' is not valid "
        "opening hours syntax at column 7: expected EOI, any_rule_separator, rules_modifier, "
        "timespan, or holiday")
