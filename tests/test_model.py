"""Tests of `brochure.model`: web addresses, phone numbers, texts and homepages and their
fallback, slugs.

Each check goes through the public helpers (normalise_url, parse_phone, Text, Localized, slugify)
or a record (Institution), and asserts the exact values and error messages users see.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from brochure.data.model import (
    Homepage,
    Institution,
    Link,
    Localized,
    LocalizedLink,
    Phone,
    Text,
    normalise_url,
    parse_phone,
    slugify,
)

# --- normalise_url ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "url", "display"),
    [
        ("www.cerawork.or.kr", "https://www.cerawork.or.kr", "www.cerawork.or.kr"),
        ("https://www.kocef.org", "https://www.kocef.org", "www.kocef.org"),
        ("www.kicet.re.kr/english.web", "https://www.kicet.re.kr/english.web",
         "www.kicet.re.kr/english.web"),
        (" https://example.org/ ", "https://example.org/", "example.org"),
        ("HTTPS://WWW.Example.COM/Path", "https://www.example.com/Path", "www.example.com/Path"),
        ("http://bücher.de/straße", "http://xn--bcher-kva.de/stra%C3%9Fe",
         "http://bücher.de/straße"),
        ("HTTP://BÜCHER.DE/", "http://xn--bcher-kva.de/", "http://bücher.de"),
        ("한국.kr", "https://xn--3e0b707e.kr", "한국.kr"),
        ("https://example.org/검색?q=도자기&x=1",
         "https://example.org/%EA%B2%80%EC%83%89?q=%EB%8F%84%EC%9E%90%EA%B8%B0&x=1",
         "example.org/검색?q=도자기&x=1"),
        ("https://example.org/#도자기", "https://example.org/#%EB%8F%84%EC%9E%90%EA%B8%B0",
         "example.org"),
        ("https://example.org:8443/a", "https://example.org:8443/a", "example.org:8443/a"),
        ("example.org:8080/x", "https://example.org:8080/x", "example.org:8080/x"),
    ],
)
def test_normalise_url_accepts(raw: str, url: str, display: str) -> None:
    link = normalise_url(raw)
    assert link == Link(url=url, display=display)
    assert link.url.isascii()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "must not be empty"),
        ("ftp://x.org", "only http and https addresses are accepted, not 'ftp:'"),
        ("mailto:a@b.kr", "only http and https addresses are accepted, not 'mailto:'"),
        ("javascript:alert(1)", "only http and https addresses are accepted, not 'javascript:'"),
        ("localhost", "'localhost' has no host name such as www.example.org"),
        ("www.example.org/a b", "'www.example.org/a b' contains spaces"),
        ("https://user:secret@example.org",
         "'https://user:secret@example.org' must not contain a user name or password"),
        ("https://example.org:99999/",
         "'https://example.org:99999/' is not a web address (Port out of range 0-65535)"),
        ("https://ex_ample.org", "'ex_ample.org' is not a valid host name"),
    ],
)
def test_normalise_url_rejects(raw: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        normalise_url(raw)
    assert str(caught.value) == message


def test_normalise_url_escapes_a_stray_percent_sign() -> None:
    assert normalise_url("https://example.org/?q=100%").url == "https://example.org/?q=100%25"


# --- parse_phone -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "context", "display", "uri"),
    [
        ("+82-31-633-6382", None, "+82 31-633-6382", "tel:+82-31-633-6382"),
        ("031-633-6382", None, "+82 31-633-6382", "tel:+82-31-633-6382"),
        ("031-633-6382", {"country": "KR"}, "+82 31-633-6382", "tel:+82-31-633-6382"),
        ("03-1234-5678", {"country": "JP"}, "+81 3-1234-5678", "tel:+81-3-1234-5678"),
        ("+82-31-633-6382", {"country": "JP"}, "+82 31-633-6382", "tel:+82-31-633-6382"),
    ],
)
def test_parse_phone(raw: str, context: dict[str, str] | None, display: str, uri: str) -> None:
    info = SimpleNamespace(context=context)  # parse_phone only reads ValidationInfo.context
    assert parse_phone(raw, info) == Phone(display=display, uri=uri)


@pytest.mark.parametrize(
    ("raw", "context", "message"),
    [
        ("12345", None,
         "'12345' is not a valid phone number (numbers without +country are read as KR)"),
        ("12345", {"country": "JP"},
         "'12345' is not a valid phone number (numbers without +country are read as JP)"),
        ("abc", None, "'abc' is not a phone number"),
    ],
)
def test_parse_phone_rejects(raw: str, context: dict[str, str] | None, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_phone(raw, SimpleNamespace(context=context))
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("context", "display"),
    [(None, "+82 31-234-5678"), ({"country": "KR"}, "+82 31-234-5678"),
     ({"country": "JP"}, "+81 3-1234-5678")],
)
def test_institution_reads_its_phone_in_the_country_of_the_context(
        context: dict[str, str] | None, display: str) -> None:
    data = {"name": "Kiln", "phone": "03-1234-5678"}
    assert Institution.model_validate(data, context=context).phone.display == display


def test_institution_reports_an_invalid_phone() -> None:
    with pytest.raises(ValidationError) as caught:
        Institution.model_validate({"name": "Kiln", "phone": "090-1234-5678"})  # a JP mobile
    assert [error["ctx"]["error"].args[0] for error in caught.value.errors()] == [
        "'090-1234-5678' is not a valid phone number (numbers without +country are read as KR)"]


# --- Text and Localized ----------------------------------------------------------------------

ORDER = ("en", "ko")


def test_plain_text_serves_every_language() -> None:
    text = Text.parse("  Icheon \n")
    assert text == Text(plain="Icheon")
    assert text.languages == ()
    assert [text.resolve(lang, ORDER) for lang in ("en", "ko", "fr")] == [
        Localized("Icheon", "en"), Localized("Icheon", "ko"), Localized("Icheon", "fr")]


def test_text_by_language_falls_back_along_the_order() -> None:
    text = Text.parse({"ko": " 이천시 ", "ja": "利川市"})
    assert text.by_language == {"ko": "이천시", "ja": "利川市"}
    assert text.languages == ("ko", "ja")
    assert text.resolve("ja", ORDER) == Localized("利川市", "ja")
    assert text.resolve("en", ORDER) == Localized("이천시", "ko")
    assert text.resolve("en", ("ja", "ko")) == Localized("利川市", "ja")
    assert text.resolve("fr", ()) == Localized("이천시", "ko")  # then the text's own order
    assert Text.parse(text) is text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "must not be empty"),
        (" \n ", "must not be empty"),
        ({}, "must be a text, or a mapping of language code to text (en: ..., ko: ...)"),
        (None, "must be a text, or a mapping of language code to text (en: ..., ko: ...)"),
        (3, "must be a text, or a mapping of language code to text (en: ..., ko: ...)"),
        (["en"], "must be a text, or a mapping of language code to text (en: ..., ko: ...)"),
        ({"EN": "Icheon"}, "'EN' is not a language code such as 'en' or 'ko'"),
        ({"english": "Icheon"}, "'english' is not a language code such as 'en' or 'ko'"),
        ({1: "Icheon"}, "'1' is not a language code such as 'en' or 'ko'"),
        ({"en": 2010}, "the 'en' text must be a non-empty string"),
        ({"en": "Icheon", "ko": "  "}, "the 'ko' text must be a non-empty string"),
    ],
)
def test_text_rejects(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Text.parse(value)
    assert str(caught.value) == message


def test_text_accepts_region_subtags() -> None:
    assert Text.parse({"zh-Hant": "利川"}).languages == ("zh-Hant",)


# --- Homepages by language --------------------------------------------------------------------

ENGLISH = Link("https://www.kicet.re.kr/english.web", "www.kicet.re.kr/english.web")
KOREAN = Link("https://www.kicet.re.kr", "www.kicet.re.kr")


def homepage(value: object) -> Homepage | None:
    return Institution.model_validate({"name": "KICET", "homepage": value}).homepage


def test_a_plain_homepage_serves_every_language() -> None:
    page = homepage("www.kicet.re.kr")
    assert page == Homepage(plain=KOREAN)
    assert page.languages == ()
    assert [page.resolve(lang, ORDER) for lang in ("en", "ko")] == [
        LocalizedLink(KOREAN, "en"), LocalizedLink(KOREAN, "ko")]


def test_a_homepage_by_language_leads_each_language_to_its_page() -> None:
    page = homepage({"en": "www.kicet.re.kr/english.web", "ko": "www.kicet.re.kr"})
    assert page.by_language == {"en": ENGLISH, "ko": KOREAN}
    assert page.resolve("en", ORDER) == LocalizedLink(ENGLISH, "en")
    assert page.resolve("ko", ORDER) == LocalizedLink(KOREAN, "ko")


def test_a_homepage_missing_in_a_language_falls_back_along_the_order() -> None:
    page = homepage({"ko": "www.kicet.re.kr"})
    assert page.resolve("en", ORDER) == LocalizedLink(KOREAN, "ko")
    assert page.resolve("ja", ("en", "ko")) == LocalizedLink(KOREAN, "ko")


@pytest.mark.parametrize(
    ("value", "where", "message"),
    [
        ({"en": "www.kicet.re.kr", "ko": "ftp://www.kicet.re.kr"}, ("homepage", "ko"),
         "only http and https addresses are accepted, not 'ftp:'"),
        ({"en": "www.kicet.re.kr/a b"}, ("homepage", "en"),
         "'www.kicet.re.kr/a b' contains spaces"),
        ({"EN": "www.kicet.re.kr"}, ("homepage",),
         "'EN' is not a language code such as 'en' or 'ko'"),
        ({}, ("homepage",),
         "must be a web address, or a mapping of language code to address (en: ..., ko: ...)"),
        ("ftp://www.kicet.re.kr", ("homepage",),
         "only http and https addresses are accepted, not 'ftp:'"),
    ],
)
def test_a_bad_homepage_is_reported_at_its_language(value: object, where: tuple[str, ...],
                                                     message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        homepage(value)
    assert [(error["loc"], error["ctx"]["error"].args[0]) for error in caught.value.errors()] == [
        (where, message)]


def test_localized_paragraphs_and_lines() -> None:
    text = Localized("Icheon is a city\nof ceramics.\n\n  \n  Its kilns\r\n\r\nburn. \n\n\n", "en")
    assert text.paragraphs == ["Icheon is a city of ceramics.", "Its kilns", "burn."]
    address = Localized(" 306, Gyungchoongdae-ro 697 \n\n Icheon, Gyeonggi Province\n", "en")
    assert address.lines == ["306, Gyungchoongdae-ro 697", "Icheon, Gyeonggi Province"]
    assert Localized("one line", "en").paragraphs == ["one line"]


# --- slugs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Korea Ceramic Foundation", "korea-ceramic-foundation"),
        ("Korea Institute of Ceramic Engineering and Technology (KICET)",
         "korea-institute-of-ceramic-engineering-and-technology-kicet"),
        ("Café Müller", "cafe-muller"),
        ("  --Hello,   World!--  ", "hello-world"),
        ("\uff26\uff35\uff2c\uff2c width 2024", "full-width-2024"),  # full-width letters
        ("한국도자재단", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ({"ko": "한국도자재단", "en": "Korea Ceramic Foundation"}, "korea-ceramic-foundation"),
        ("Café Müller", "cafe-muller"),
        ({"fr": "Musée", "ko": "박물관"}, "musee"),  # no English name: the first one
    ],
)
def test_institution_without_id_gets_the_slug_of_its_name(name: object, slug: str) -> None:
    assert Institution.model_validate({"name": name}).id == slug


def test_institution_keeps_an_explicit_id_and_rejects_a_name_without_slug() -> None:
    assert Institution.model_validate({"id": "kiln", "name": "한국도자재단"}).id == "kiln"
    with pytest.raises(ValidationError) as caught:
        Institution.model_validate({"name": "한국도자재단"})
    assert [error["ctx"]["error"].args[0] for error in caught.value.errors()] == [
        "has no id and none can be made from its name; add an 'id'"]
