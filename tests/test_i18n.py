"""Language modes, the message catalogues of the templates, local forms of dates and numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from brochure.lang.catalogues import Catalogues, month_year, number
from brochure.lang.modes import language_modes

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_language_modes_are_each_language_then_the_pair_in_data_order() -> None:
    modes = language_modes(["ko", "en"])
    assert list(modes) == ["ko", "en", "ko+en"]
    assert modes["ko+en"].languages == ("ko", "en")
    assert modes["ko+en"].primary == "ko" and modes["ko+en"].bilingual
    assert not modes["en"].bilingual
    assert list(language_modes(["en"])) == ["en"]


def template_messages() -> set[str]:
    found = extract_from_dir(str(TEMPLATES), method_map=[("**.html", "jinja2")],
                             keywords={"_": None})
    return {message for _file, _line, message, _comments, _context in found}


def test_every_fixed_word_of_the_templates_is_translated_into_korean() -> None:
    messages = template_messages()
    assert "Address" in messages and len(messages) >= 10
    catalogues = Catalogues([TEMPLATES])
    untranslated = sorted(m for m in messages if catalogues.gettext(m, "ko") == m)
    assert untranslated == []


def test_a_language_without_catalogue_shows_english_labels() -> None:
    catalogues = Catalogues([TEMPLATES])
    assert catalogues.gettext("Address", "ko") == "주소"
    assert catalogues.gettext("Address", "fi") == "Address"
    assert [catalogues.missing(lang) for lang in ("fi", "ko", "en")] == [True, False, False]


@pytest.mark.parametrize(("lang", "date", "figure"), [
    ("en", "October 2004", "12,345"),
    ("ko", "2004년 10월", "12,345"),
    ("ja", "2004年10月", "12,345"),
    ("de", "Oktober 2004", "12.345"),
])
def test_dates_and_numbers_in_each_language_form(lang: str, date: str, figure: str) -> None:
    assert month_year(2004, 10, lang) == date
    assert number(12345, lang) == figure


def test_a_fuzzy_translation_is_not_printed(tmp_path: Path) -> None:
    folder = tmp_path / "locale" / "ko" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, fuzzy\nmsgid "Address"\nmsgstr "주소?"\n\nmsgid "Phone"\nmsgstr "전화"\n',
        encoding="utf-8")
    catalogues = Catalogues([tmp_path])
    assert [catalogues.gettext(m, "ko") for m in ("Address", "Phone")] == ["Address", "전화"]
