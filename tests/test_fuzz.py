"""Generated data files: a valid one builds flyers that hold its data; a broken one is refused
with one line naming the record and the field that is broken.

A valid file is drawn from what real data holds (English and Korean texts, homepages with and
without a scheme, international domain names, phone numbers) and markup, which must print as
written; its flyers must each hold their institution's name, and a QR code that decodes to its
homepage. A broken file is a valid one with one field broken in one known way, so the test knows
the line the build must print.

The suite runs 25 of each; ``benchmarks/fuzz.py N`` runs N of each and counts them.
"""

from __future__ import annotations

import copy
import os
import re
import string
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from brochure.cli import main
from brochure.data import load
from brochure.data.model import City, Dataset, Institution, Network, normalise_url
from brochure.errors import DataError
from brochure.lang.modes import language_modes

import pdfs
from sample import copy_sample

EXAMPLES = int(os.environ.get("BROCHURE_FUZZ_EXAMPLES", "25"))
CapSys = pytest.CaptureFixture[str]
HYPHENATION = "\u2010"  # the hyphen WeasyPrint adds where it breaks a word across lines
fuzz = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Valid data ------------------------------------------------------------------------------------
# Characters the flyer's fonts draw: Latin with some accented letters, and every Hangul syllable.
latin = st.sampled_from(string.ascii_letters + string.digits + "éüñçøåßÉÖ")
hangul = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
markup = st.sampled_from(["<b>Ceramic</b>", "&amp;", "<script>", "{{ 7*7 }}", "{% raw %}",
                          "../../etc/passwd", "Kiln & Co."])  # must print as written
words = st.one_of(st.text(st.one_of(latin, hangul), min_size=1, max_size=12), markup)
phrases = st.lists(words, min_size=1, max_size=4).map(" ".join)
texts = st.one_of(phrases, st.fixed_dictionaries({"en": phrases, "ko": phrases}),
                  st.dictionaries(st.sampled_from(["en", "ko"]), phrases, min_size=1))
descriptions = st.one_of(texts, st.lists(phrases, min_size=2, max_size=3).map(". ".join))
labels = st.one_of(st.from_regex(r"[a-zA-Z0-9]{1,10}", fullmatch=True),
                   st.text(hangul, min_size=1, max_size=4))
homepages = st.builds(  # at most some 150 characters once encoded: a QR code well over 20 mm
    "{}{}.{}{}{}{}".format,
    st.sampled_from(["", "http://", "https://", "HTTPS://"]),
    st.lists(labels, min_size=1, max_size=2).map(".".join),
    st.sampled_from(["org", "kr", "co.kr", "jp"]),
    st.sampled_from(["", ":8080"]),
    st.lists(st.text(st.one_of(latin, hangul, st.sampled_from("-_.~")), min_size=1, max_size=5),
             max_size=2).map(lambda parts: "".join(f"/{part}" for part in parts)),
    st.one_of(st.just(""), st.from_regex(r"\?q=[a-z0-9]{1,6}", fullmatch=True)))
phones = st.sampled_from(["+82-31-645-6501", "031-645-6501", "02-2188-6000", "+1 202 555 0143",
                          "+81 3-3581-3111", "+44 20 7946 0958"])


def distinct_ids(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The institutions, an id met before made distinct by the position (a filter would make
    Hypothesis draw again and again)."""
    seen: set[str] = set()
    for number, item in enumerate(items):
        while item["id"] in seen:
            item["id"] += f"-{number}"
        seen.add(item["id"])
    return items


institutions = st.fixed_dictionaries(
    {"id": st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,4})?", fullmatch=True), "name": texts},
    optional={"homepage": homepages, "phone": phones, "address": texts,
              "description": descriptions})
valid_files = st.fixed_dictionaries({
    "languages": st.sampled_from([["en", "ko"], ["ko", "en"]]),
    "network": st.fixed_dictionaries(
        {"name": texts}, optional={"founded": st.from_regex(r"(19|20)\d\d-(0[1-9]|1[0-2])",
                                                            fullmatch=True)}),
    "city": st.fixed_dictionaries({"name": texts}),
    "institutions": st.lists(institutions, min_size=1, max_size=3).map(distinct_ids),
})


def write(folder: str, data: dict[str, Any]) -> Path:
    path = Path(folder) / "data.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def build(capsys: CapSys, path: Path, *options: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["build", "--data", str(path), "--out", str(path.parent / "out"),
                 "--only", "flyers", "--profile", "screen", *options])
    return code, capsys.readouterr().err


def unspaced(text: str) -> str:
    """A text without its spaces and the hyphens of hyphenated line ends: a line may break in a
    word, anywhere in a Korean word set as English."""
    return "".join(re.sub(f"{HYPHENATION}\\s", "", text).split())


def shown(text: str | dict[str, str], lang: str, order: list[str]) -> str:
    """The text a flyer in ``lang`` shows: its own language's, else the first in data order."""
    if isinstance(text, str):
        return text
    return next(text[code] for code in (lang, *order) if code in text)


def flyer_text(path: Path) -> str:
    """The flyer's text as pdfium and pypdf read it: pdfium skips some Hangul that pypdf reads."""
    pypdf_text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return f"{unspaced(pdfs.text(path))} | {unspaced(pypdf_text)}"


@settings(fuzz, phases=[Phase.explicit, Phase.reuse, Phase.generate])  # shrinking: minutes
@given(data=valid_files, mode_number=st.integers(0, 2))
def test_a_valid_file_builds_flyers_that_hold_its_names_and_homepages(
        data: dict[str, Any], mode_number: int, capsys: CapSys) -> None:
    mode = list(language_modes(data["languages"]).values())[mode_number]
    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, data)
        code, err = build(capsys, path, "--lang", mode.code)
        assert code == 0, err
        assert all(line.startswith("warning: ") for line in err.splitlines()), err
        out = path.parent / "out" / "screen" / mode.code
        items = data["institutions"]
        assert sorted(file.name for file in out.iterdir()) == sorted(
            f"flyer-{item['id']}.pdf" for item in items)
        for item in items:
            flyer = out / f"flyer-{item['id']}.pdf"
            text = flyer_text(flyer)
            for lang in mode.languages:
                assert unspaced(shown(item["name"], lang, data["languages"])) in text
            qr = [normalise_url(item["homepage"]).url] if "homepage" in item else []
            assert [decoded for _page, decoded, _mm in pdfs.qr_codes(flyer)] == qr
    event(f"{len(items)} institution(s)")


# Broken data -----------------------------------------------------------------------------------
Draw = Callable[[st.SearchStrategy[Any]], Any]
Loc = tuple[str | int, ...]  # keys and list positions from the top of a data file


@dataclass(frozen=True)
class Fault:
    """What was broken: where in the file, and the message the build must give (a pattern)."""

    kind: str
    loc: Loc
    message: str



def text_place(draw: Draw, data: dict[str, Any]) -> Loc:
    """Where a text field is or may be: an institution's name, address or description, the
    network's or the city's name or description."""
    index = draw(st.integers(0, len(data["institutions"]) - 1))
    return draw(st.sampled_from([("institutions", index, "name"),
                                 ("institutions", index, "address"),
                                 ("institutions", index, "description"),
                                 ("network", "name"), ("network", "description"),
                                 ("city", "name"), ("city", "description")]))


def owner(data: dict[str, Any], loc: Loc) -> Any:
    for part in loc[:-1]:
        data = data[part]
    return data


def one_text(draw: Draw, data: dict[str, Any]) -> tuple[Loc, str | None, str]:
    """A text field's place, the language when it is a mapping of languages (its place is then
    that key), and the text."""
    loc = text_place(draw, data)
    value = owner(data, loc).setdefault(loc[-1], draw(phrases))
    if isinstance(value, dict):
        lang = draw(st.sampled_from(sorted(value)))
        return (*loc, lang), lang, value[lang]
    return loc, None, value


def put(data: dict[str, Any], loc: Loc, value: Any) -> None:
    owner(data, loc)[loc[-1]] = value


def unknown_key(draw: Draw, data: dict[str, Any]) -> Fault:
    index = draw(st.integers(0, len(data["institutions"]) - 1))
    record, model = draw(st.sampled_from([((), Dataset), (("network",), Network), (("city",), City),
                                          (("institutions", index), Institution)]))
    key = draw(st.from_regex(r"[a-z][a-z_]{2,11}", fullmatch=True).filter(
        lambda key: key not in model.model_fields))
    put(data, (*record, key), draw(phrases))
    return Fault("unknown key", (*record, key), r"unknown key(; did you mean '[a-z_]+'\?)?")


def wrong_type_text(draw: Draw, data: dict[str, Any]) -> Fault:
    loc = text_place(draw, data)
    put(data, loc, draw(st.one_of(st.integers(), st.booleans(), st.lists(words, max_size=2),
                                  st.just({}))))
    return Fault("text of a wrong type", loc, re.escape(
        "must be a text, or a mapping of language code to text (en: ..., ko: ...)"))


def wrong_type_scalar(draw: Draw, data: dict[str, Any]) -> Fault:
    index = draw(st.integers(0, len(data["institutions"]) - 1))
    loc = ("institutions", index, draw(st.sampled_from(["id", "homepage", "phone"])))
    value = draw(st.one_of(st.integers(), st.booleans(), st.lists(words, max_size=2)))
    put(data, loc, value)
    quotes = "; put it in quotes (YAML reads it as a number, a date or yes/no)"
    return Fault(f"{loc[-1]} of a wrong type", loc,
                 re.escape("must be a text" + ("" if isinstance(value, list) else quotes)))


def bad_phone(draw: Draw, data: dict[str, Any]) -> Fault:
    loc = ("institutions", draw(st.integers(0, len(data["institutions"]) - 1)), "phone")
    raw = draw(st.sampled_from(["+82", "12345", "phone", "031-645-650", "+82-31", "", "0"]))
    put(data, loc, raw)
    return Fault("bad phone", loc, re.escape(f"'{raw}' is not a ") + (
        r"(phone number|valid phone number \(numbers without \+country are read as KR\))"))


def homepage_place(draw: Draw, data: dict[str, Any]) -> Loc:
    index = draw(st.integers(0, len(data["institutions"]) - 1))
    return draw(st.sampled_from([("institutions", index, "homepage"), ("network", "homepage"),
                                 ("city", "homepage")]))


def bad_scheme(draw: Draw, data: dict[str, Any]) -> Fault:
    loc = homepage_place(draw, data)
    scheme = draw(st.from_regex(r"[A-Za-z][A-Za-z0-9+.-]{0,7}", fullmatch=True).filter(
        lambda scheme: scheme.lower() not in ("http", "https")))
    put(data, loc, scheme + ":" + draw(st.sampled_from(["//example.org", "alert(1)", "a@b.org"])))
    return Fault("homepage scheme", loc,
                 re.escape(f"only http and https addresses are accepted, not '{scheme}:'"))


def space_in_homepage(draw: Draw, data: dict[str, Any]) -> Fault:
    loc = homepage_place(draw, data)
    homepage = draw(homepages)
    at = draw(st.integers(1, len(homepage) - 1))
    raw = f"{homepage[:at]} {homepage[at:]}"
    put(data, loc, raw)
    return Fault("space in homepage", loc, re.escape(f"'{raw}' contains spaces"))


def bad_language_code(draw: Draw, data: dict[str, Any]) -> Fault:
    loc = text_place(draw, data)
    code = draw(st.sampled_from(["EN", "Ko", "e", "english", "en_US", "12", "x-y", "ko-"]))
    value = owner(data, loc).get(loc[-1])
    put(data, loc, {**(value if isinstance(value, dict) else {}), code: draw(phrases)})
    return Fault("bad language code", loc,
                 re.escape(f"'{code}' is not a language code such as 'en' or 'ko'"))


def unlisted_language(draw: Draw, data: dict[str, Any]) -> Fault:
    loc = text_place(draw, data)
    code = draw(st.sampled_from(["fr", "ja", "zh", "es-MX"]))
    value = owner(data, loc).get(loc[-1])
    put(data, loc, {**(value if isinstance(value, dict) else {}), code: draw(phrases)})
    return Fault("language not in the data", (*loc, code), re.escape(
        f"language '{code}' is not in the data's languages ({', '.join(data['languages'])})"))


def bad_languages(draw: Draw, data: dict[str, Any]) -> Fault:
    code = draw(st.sampled_from(["EN", "korean", "", "en", "ko"]))
    data["languages"].append(code)
    loc = ("languages", len(data["languages"]) - 1)
    if code in ("en", "ko"):
        return Fault("language listed twice", loc, re.escape(f"'{code}' is listed twice"))
    return Fault("bad language list", loc,
                 re.escape("must be a language code such as 'en' or 'ko'"))


def control_character(draw: Draw, data: dict[str, Any]) -> Fault:
    loc, _lang, text = one_text(draw, data)
    char = draw(st.sampled_from(["\x00", "\x07", "\x1b", "\x0b", "\x7f", "\x9b", "\u202a",
                                 "\u202e", "\u2066", "\u2069"]))
    at = draw(st.integers(0, len(text)))
    put(data, loc, text[:at] + char + text[at:])
    name = unicodedata.name(char, "")
    described = f"U+{ord(char):04X}" + (f" ({name})" if name else "")
    return Fault("control character", loc,
                 re.escape(f"contains the invisible control character {described}; remove it"))


def empty_text(draw: Draw, data: dict[str, Any]) -> Fault:
    loc, lang, _text = one_text(draw, data)
    put(data, loc, draw(st.sampled_from(["", " ", "\t", "\n"])))
    if lang:  # the text as a whole is refused
        return Fault("empty text", loc[:-1],
                     re.escape(f"the '{lang}' text must be a non-empty string"))
    return Fault("empty text", loc, "must not be empty")


def too_long(draw: Draw, data: dict[str, Any]) -> Fault:
    loc, _lang, _text = one_text(draw, data)
    length = draw(st.integers(10_001, 10_100))
    put(data, loc, "a" * length)
    return Fault("text too long", loc,
                 re.escape(f"is {length:,} characters long; the limit is 10,000"))


def duplicate_id(draw: Draw, data: dict[str, Any]) -> Fault:
    items = data["institutions"]
    if len(items) == 1:
        items.append(copy.deepcopy(items[0]))  # not shared: YAML would write an alias
    first, second = sorted(draw(st.lists(st.integers(0, len(items) - 1), min_size=2,
                                         max_size=2, unique=True)))
    items[second]["id"] = items[first]["id"]
    return Fault("duplicate id", ("institutions", second, "id"), re.escape(
        f"id '{items[first]['id']}' is already used by institution {first + 1}"))


def bad_id(draw: Draw, data: dict[str, Any]) -> Fault:
    loc = ("institutions", draw(st.integers(0, len(data["institutions"]) - 1)), "id")
    put(data, loc, draw(st.sampled_from(["Bad Id", "a--b", "-a", "a-", "A", "x_y", "ü", "코드"])))
    return Fault("bad id", loc, re.escape(
        "must be lower-case letters, digits and hyphens (it names files), e.g. 'korea-ceramic'"))


def missing(draw: Draw, data: dict[str, Any]) -> Fault:
    index = draw(st.integers(0, len(data["institutions"]) - 1))
    loc = draw(st.sampled_from([("institutions", index, "name"), ("network", "name"),
                                ("city", "name"), ("languages",), ("network",), ("city",),
                                ("institutions",)]))
    del owner(data, loc)[loc[-1]]
    return Fault("missing", loc, "is required")


def bad_founded(draw: Draw, data: dict[str, Any]) -> Fault:
    data["network"]["founded"] = draw(st.sampled_from(
        ["2004-13", "2004-1", "04-10", "2004/10", "October 2004", "2004-00"]))
    return Fault("bad founded", ("network", "founded"), re.escape(
        "must be a year and month written YYYY-MM, e.g. '2004-10'"))


BREAKS = [unknown_key, wrong_type_text, wrong_type_scalar, bad_phone, bad_scheme,
          space_in_homepage, bad_language_code, unlisted_language, bad_languages,
          control_character, empty_text, too_long, duplicate_id, bad_id, missing, bad_founded]


@st.composite
def broken_files(draw: Draw) -> tuple[dict[str, Any], Fault]:
    breaking = draw(st.sampled_from(BREAKS))  # drawn first, or Hypothesis favours the first
    data = copy.deepcopy(draw(valid_files))  # changed here: not the strategy's own lists
    return data, breaking(draw, data)


def record_and_field(data: dict[str, Any], loc: Loc) -> tuple[str, str]:
    """How an error names a place: 'institution 2 (doyego)' and 'name.fr', 'city' and
    'founded', 'top level' and 'languages[3]' (positions count from 1)."""
    if loc[0] == "institutions" and len(loc) > 1:
        item_id = data["institutions"][loc[1]].get("id")
        record = f"institution {loc[1] + 1}" + (f" ({item_id})" if isinstance(item_id, str)
                                                 and item_id else "")
        rest = loc[2:]
    elif loc[0] in ("network", "city") and len(loc) > 1:
        record, rest = str(loc[0]), loc[1:]
    else:
        record, rest = "top level", loc
    field = ""
    for part in rest:
        field += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if field else part)
    return record, field


def line_of(text: str, loc: Loc) -> int:
    """The line of the key (or list item) at ``loc`` in a YAML text; for a key that is missing,
    the line of the nearest one that is there."""
    node = yaml.compose(text)
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(part, int):
            node = node.value[part]
            line = node.start_mark.line + 1
            continue
        pair = next(((key, value) for key, value in node.value if key.value == part), None)
        if pair is None:
            break
        line, node = pair[0].start_mark.line + 1, pair[1]
    return line


@fuzz
@given(case=broken_files())
def test_a_broken_file_is_refused_with_its_record_and_field(
        case: tuple[dict[str, Any], Fault], capsys: CapSys) -> None:
    data, fault = case
    event(fault.kind)
    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, data)
        code, err = build(capsys, path)
        record, field = record_and_field(data, fault.loc)
        line = line_of(path.read_text(encoding="utf-8"), fault.loc)
        expected = re.escape(f"error: {path}:{line}: {record}: {field}: ") + fault.message
        assert code == 1
        assert len(err.splitlines()) == 1 and re.fullmatch(expected, err.rstrip("\n")), (
            f"expected {expected!r}, got {err!r}")
        assert not (path.parent / "out").exists()


def test_the_sample_survives_the_same_round_trip() -> None:
    """The generator's dump-and-load path keeps a valid file valid (so the fuzz test can pass)."""
    sample = yaml.safe_load((Path(__file__).parent.parent / "data" / "icheon.yaml").read_text())
    with tempfile.TemporaryDirectory() as folder:
        copy_sample(Path(folder) / "icheon.yaml")  # the pictures it shows, beside it
        try:
            load(write(folder, sample))
        except DataError as error:  # pragma: no cover - shows what broke
            pytest.fail(str(error))
