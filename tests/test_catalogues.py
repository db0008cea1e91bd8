"""The message catalogues: complete and exact, found for regional tags, reworded by a theme, and
printed on the outputs of each language."""

from __future__ import annotations

import re
import warnings
from gettext import GNUTranslations
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from brochure.cli import main
from brochure.lang.catalogues import Catalogues, lookup_tags

import pdfs

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"
LOCALE = TEMPLATES / "locale"
LIMOGES = Path(__file__).parent / "data" / "limoges.yaml"
LANGUAGES = ["ar", "de", "es", "fr", "it", "ja", "ko", "pt", "ru", "zh_Hans", "zh_Hant"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def read(path: Path, tag: str | None = None) -> Catalog:
    """A catalogue as Babel reads it, any warning of Babel's an error."""
    with warnings.catch_warnings(), path.open("rb") as file:
        warnings.simplefilter("error")
        return read_po(file, locale=tag)


def test_the_template_holds_every_fixed_word_of_the_templates() -> None:
    found = extract_from_dir(str(TEMPLATES), method_map=[("**.html", "jinja2")],
                             keywords={"_": None})
    extracted = {message for _file, _line, message, _comments, _context in found}
    assert {message.id for message in read(LOCALE / "messages.pot") if message.id} == extracted


def test_the_readme_lists_every_catalogue() -> None:
    folders = sorted(path.parent.parent.name for path in LOCALE.glob("*/LC_MESSAGES/messages.po"))
    assert folders == LANGUAGES
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert [tag for tag in LANGUAGES if f"`{tag}`" not in readme] == []


@pytest.mark.parametrize("tag", LANGUAGES)
def test_a_catalogue_translates_every_message_and_keeps_its_placeholders(tag: str) -> None:
    template = [message.id for message in read(LOCALE / "messages.pot") if message.id]
    catalogue = read(LOCALE / tag / "LC_MESSAGES" / "messages.po", tag)
    assert (str(catalogue.locale), catalogue.fuzzy) == (tag, False)
    assert sorted(message.id for message in catalogue if message.id) == sorted(template)
    assert [(message.id, errors) for message, errors in catalogue.check()] == []
    for message_id in template:
        entry = catalogue[message_id]
        assert entry.string and not entry.fuzzy, message_id
        names = sorted(PLACEHOLDER.findall(message_id))
        assert sorted(PLACEHOLDER.findall(entry.string)) == names, message_id
        entry.string % dict.fromkeys(names, "x")  # no stray '%' that formatting would trip on
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    assert GNUTranslations(compiled).gettext("Address") == catalogue["Address"].string


def test_a_regional_tag_takes_its_base_language_labels() -> None:
    catalogues = Catalogues([TEMPLATES])
    tags = ["pt-BR", "zh-Hans", "zh-Hant", "zh-Hant-TW", "fr-CA", "id"]
    assert [catalogues.gettext("Phone", tag) for tag in tags] == [
        "Telefone", "电话", "電話", "電話", "Téléphone", "Phone"]
    assert [catalogues.missing(tag) for tag in tags] == [False] * 5 + [True]
    assert lookup_tags("zh-Hant-TW") == ["zh_Hant_TW", "zh_Hant", "zh"]


def test_a_theme_catalogue_rewords_one_label_and_keeps_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "theme" / "templates" / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Address"\nmsgstr "Adresse postale"\n', encoding="utf-8")
    assert main(["build", "--data", str(LIMOGES), "--theme", str(tmp_path / "theme"),
                 "--out", str(tmp_path / "out"), "--only", "cards", "--lang", "fr",
                 "--profile", "screen"]) == 0
    content = pdfs.text(tmp_path / "out" / "screen" / "fr" / "card-atelier.pdf")
    assert "ADRESSE POSTALE Place de la République" in content
    assert "TÉLÉPHONE" in content and "SITE WEB" in content  # still from our catalogue


def test_a_theme_catalogue_that_renames_a_placeholder_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po = tmp_path / "theme" / "templates" / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Founded in %(date)s"\nmsgstr "Fondé en %(datum)s"\n', encoding="utf-8")
    assert main(["build", "--data", str(LIMOGES), "--theme", str(tmp_path / "theme"),
                 "--out", str(tmp_path / "out"), "--lang", "fr", "--profile", "screen"]) == 1
    assert capsys.readouterr().err == (
        f"error: {po}: 'Founded in %(date)s': the translation 'Fondé en %(datum)s' must keep the "
        "placeholders of the message, each as %(name)s\n")
    assert not (tmp_path / "out" / "screen").exists()


# Each language's labels as its flyer shows them (CSS upper-cases the contact's), for the
# designation of limoges.yaml.
FLYER_LABELS = {
    "fr": ["Ville créative de l'UNESCO (Artisanat et arts populaires) depuis 2017",
           "ADRESSE", "TÉLÉPHONE", "SITE WEB"],
    "es": ["Ciudad Creativa de la UNESCO en Artesanía y Artes Populares desde 2017",
           "DIRECCIÓN", "TELÉFONO", "SITIO WEB"],
    "de": ["UNESCO-Kreativstadt für Handwerk und Volkskunst seit 2017",
           "ADRESSE", "TELEFON", "WEBSITE"],
    "ja": ["ユネスコ創造都市（クラフト&フォークアート分野・2017年登録）",  # noqa: RUF001 (Japanese)
           "住所", "電話", "ホームページ"],
}


@pytest.fixture(scope="module")
def flyers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("limoges")
    languages = [arg for lang in FLYER_LABELS for arg in ("--lang", lang)]
    assert main(["build", "--data", str(LIMOGES), "--out", str(out), "--only", "flyers",
                 *languages, "--profile", "screen"]) == 0
    return out / "screen"


@pytest.mark.parametrize("lang", FLYER_LABELS)
def test_a_flyer_shows_its_language_labels_and_no_english_ones(flyers: Path, lang: str) -> None:
    content = pdfs.text(flyers / lang / "flyer-atelier.pdf")
    assert [label for label in FLYER_LABELS[lang] if label not in content] == []
    assert re.findall(r"\b(?:ADDRESS|PHONE|HOMEPAGE|CREATIVE CITY)\b", content.upper()) == []


def test_check_does_not_warn_about_languages_with_catalogues(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--data", str(LIMOGES)]) == 0
    out, err = capsys.readouterr()
    assert (out.splitlines()[-1], err) == ("ok, 0 warnings", "")
