"""Tests of `brochure.data`: loading the sample, and the exact problems reported for bad data.

Every bad data file is the minimal valid data set below with a small change, written to a
temporary folder; the test asserts the full text of every problem DataError carries, in order.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from brochure.data import load, load_apart
from brochure.data import loading as data
from brochure.data.loading import iter_texts
from brochure.data.model import Packed, Text
from brochure.errors import DataError

from sample import copy_sample

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = Path("data") / "icheon.yaml"

BASE = """\
languages: [en, ko]
network:
  name: {en: UNESCO Creative Cities Network, ko: 유네스코 창의도시 네트워크}
  fields:
    - {id: crafts-and-folk-arts, name: {en: Crafts and Folk Art, ko: 공예와 민속예술}}
city:
  name: {en: Icheon, ko: 이천시}
  country: KR
  field: crafts-and-folk-arts
institutions:
  - id: kocef
    name: {en: Korea Ceramic Foundation, ko: 한국도자재단}
    homepage: www.kocef.org
    phone: "+82-31-645-6501"
"""
NAME = "    name: {en: Korea Ceramic Foundation, ko: 한국도자재단}\n"
MAPPING = "data.yaml:1: must be a mapping with languages, network, city and institutions"


def edit(*changes: tuple[str, str]) -> str:
    """BASE with each (old, new) change made; each old text occurs exactly once in BASE."""
    text = BASE
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in a temporary folder, so problems name the file as 'data.yaml'."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_minimal_data_set_is_valid(in_tmp: Path) -> None:
    Path("data.yaml").write_text(BASE, encoding="utf-8")
    loaded = load(Path("data.yaml"))
    assert loaded.warnings == []
    assert [item.id for item in loaded.dataset.institutions] == ["kocef"]
    assert loaded.dataset.institutions[0].homepage.plain.url == "https://www.kocef.org"


def test_the_sample_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)
    loaded = load(SAMPLE)
    assert loaded.path == SAMPLE
    assert loaded.dataset.languages == ["en", "ko"]
    assert [item.id for item in loaded.dataset.institutions] == [
        "cerawork", "doyego", "kocef", "kicet"]
    assert loaded.warnings == []  # every text in both languages: nothing falls back


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        pytest.param(
            edit(("homepage:", "hompage:")),
            ["data.yaml:13: institution 1 (kocef): hompage: unknown key; did you mean 'homepage'?"],
            id="unknown-key"),
        pytest.param(
            edit(("network:", "netwrok:")),
            ["data.yaml:1: top level: network: is required",
             "data.yaml:2: top level: netwrok: unknown key; did you mean 'network'?"],
            id="unknown-top-level-key"),
        pytest.param(
            edit((NAME, "")),
            ["data.yaml:11: institution 1 (kocef): name: is required"],
            id="missing-name"),
        pytest.param(
            edit(("  - id: kocef", '  - id: ""')),
            ["data.yaml:11: institution 1: id: must be lower-case letters, digits and hyphens "
             "(it names files), e.g. 'korea-ceramic'"],
            id="empty-id"),
        pytest.param(
            None, ["data.yaml: no such file"],
            id="missing-file"),
        pytest.param(
            edit(("homepage: www.kocef.org", "homepage: www.kocef.org: x")),
            ["data.yaml:13: YAML syntax: mapping values are not allowed here"],
            id="yaml-syntax"),
        pytest.param(
            edit(("  country: KR", "\tcountry: KR")),
            ["data.yaml:8: YAML syntax: found character '\\t' that cannot start any token"],
            id="yaml-tab"),
        pytest.param("", ["data.yaml: is empty"], id="empty"),
        pytest.param("# only a comment\n", ["data.yaml: is empty"], id="only-comments"),
        pytest.param("- en\n- ko\n", [MAPPING], id="top-level-list"),
        pytest.param("Icheon\n", [MAPPING], id="top-level-text"),
        pytest.param(
            edit(("name: {en: Icheon, ko: 이천시}", "name: &city {en: Icheon, ko: 이천시}"),
                 ("  country: KR", "  region: *city\n  country: KR")),
            ["data.yaml:7: YAML anchors and aliases (&name, *name) are not supported; "
             "write the value out"],
            id="alias"),
        pytest.param(
            edit(("  country: KR\n", "  country: KR\n  country: JP\n")),
            ["data.yaml:9: city: country: this key appears twice in the same mapping"],
            id="duplicate-key"),
        pytest.param(
            BASE + "  - id: kocef\n    name: Korea Ceramic Foundation (annex)\n",
            ["data.yaml:15: institution 2 (kocef): id: id 'kocef' is already used by "
             "institution 1"],
            id="duplicate-id"),
        pytest.param(
            edit(("id: kocef", "name: Kiln"), (NAME, "")) + "  - name: Kiln\n",
            ["data.yaml:14: institution 2: id: id 'kiln' is already used by institution 1"],
            id="duplicate-id-made-from-names"),
        pytest.param(
            edit(("ko: 이천시}", "fr: Icheon}")),
            ["data.yaml:7: city: name.fr: language 'fr' is not in the data's languages (en, ko)"],
            id="unknown-language"),
        pytest.param(
            edit(("  field: crafts-and-folk-arts", "  field: design")),
            ["data.yaml:9: city: field: 'design' is not one of the network's fields "
             "(crafts-and-folk-arts)"],
            id="unknown-field"),
        pytest.param(
            edit(("www.kocef.org", "ftp://www.kocef.org")),
            ["data.yaml:13: institution 1 (kocef): homepage: only http and https addresses are "
             "accepted, not 'ftp:'"],
            id="homepage-scheme"),
        pytest.param(
            edit(("homepage: www.kocef.org",
                  "homepage: {en: www.kocef.org/en, ko: ftp://www.kocef.org}")),
            ["data.yaml:13: institution 1 (kocef): homepage.ko: only http and https addresses "
             "are accepted, not 'ftp:'"],
            id="homepage-scheme-in-one-language"),
        pytest.param(
            edit(("homepage: www.kocef.org", "homepage: {en: www.kocef.org, fr: www.kocef.fr}")),
            ["data.yaml:13: institution 1 (kocef): homepage.fr: language 'fr' is not in the "
             "data's languages (en, ko)"],
            id="homepage-in-an-unknown-language"),
        pytest.param(
            edit(("  country: KR", "  country: KR\n  homepage:\n    en: www.icheon.go.kr\n"
                                   "    ko: www.icheon go.kr")),
            ["data.yaml:11: city: homepage.ko: 'www.icheon go.kr' contains spaces"],
            id="city-homepage-in-one-language"),
        pytest.param(
            edit(('"+82-31-645-6501"', '"12345"')),
            ["data.yaml:14: institution 1 (kocef): phone: '12345' is not a valid phone number "
             "(numbers without +country are read as KR)"],
            id="invalid-phone"),
        pytest.param(
            edit(('"+82-31-645-6501"', "12345")),
            ["data.yaml:14: institution 1 (kocef): phone: must be a text; put it in quotes "
             "(YAML reads it as a number, a date or yes/no)"],
            id="unquoted-phone"),
        pytest.param(
            edit(("  country: KR", "  country: XX")),
            ["data.yaml:8: city: country: 'XX' is not a two-letter country code such as KR or JP"],
            id="unknown-country"),
        pytest.param(
            edit(("  field: crafts", "  designated: soon\n  field: crafts")),
            ["data.yaml:9: city: designated: must be a whole number"],
            id="designated-not-a-year"),
        pytest.param(
            BASE.split("institutions:")[0] + "institutions: 3\n",
            ["data.yaml:10: top level: institutions: must be a list"],
            id="institutions-not-a-list"),
        pytest.param(
            BASE.split("institutions:")[0] + "institutions: []\n",
            ["data.yaml:10: top level: institutions: must not be empty"],
            id="no-institutions"),
        pytest.param(
            edit(("  fields:", "  figures: {cities: 0, countries: 85, as_of: 20200}\n  fields:")),
            ["data.yaml:4: network: figures.cities: must be greater than 0",
             "data.yaml:4: network: figures.as_of: must be at most 2999"],
            id="figures-out-of-range"),
        pytest.param(
            edit(("id: kocef", "id: KOCEF")),
            ["data.yaml:11: institution 1 (KOCEF): id: must be lower-case letters, digits and "
             "hyphens (it names files), e.g. 'korea-ceramic'"],
            id="id-not-a-slug"),
        pytest.param(
            edit(("  - id: kocef\n", "  - homepage: www.hanguk.kr\n"),
                 (NAME + "    homepage: www.kocef.org\n", "    name: 한국도자재단\n")),
            ["data.yaml:11: institution 1: has no id and none can be made from its name; "
             "add an 'id'"],
            id="no-slug-from-name"),
        pytest.param(
            edit(("  fields:", "  founded: '2004'\n  fields:"),
                 ("  field: crafts", "  designated: soon\n  field: crafts"),
                 ("homepage:", "hompage:"),
                 ('"+82-31-645-6501"', '"12345"')),
            # in the order of the file
            ["data.yaml:4: network: founded: must be a year and month written YYYY-MM, "
             "e.g. '2004-10'",
             "data.yaml:10: city: designated: must be a whole number",
             "data.yaml:15: institution 1 (kocef): hompage: unknown key; did you mean 'homepage'?",
             "data.yaml:16: institution 1 (kocef): phone: '12345' is not a valid phone number "
             "(numbers without +country are read as KR)"],
            id="several-problems"),
        pytest.param(
            edit(("[en, ko]", "[en, ko, en]"), ("ko: 이천시}", "fr: Icheon}"),
                 ("  field: crafts-and-folk-arts", "  field: design")) + "  - name: kocef\n",
            ["data.yaml:1: top level: languages[3]: 'en' is listed twice",
             "data.yaml:7: city: name.fr: language 'fr' is not in the data's languages "
             "(en, ko)",
             "data.yaml:9: city: field: 'design' is not one of the network's fields "
             "(crafts-and-folk-arts)",
             "data.yaml:15: institution 2: id: id 'kocef' is already used by institution 1"],
            id="several-cross-record-problems"),
    ],
)
def test_bad_data_is_reported(in_tmp: Path, yaml_text: str | None, expected: list[str]) -> None:
    if yaml_text is not None:
        Path("data.yaml").write_text(yaml_text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(Path("data.yaml"))
    assert [str(problem) for problem in caught.value.problems] == expected
    assert str(caught.value) == "\n".join(expected)


def test_a_file_that_is_not_utf8_is_reported(in_tmp: Path) -> None:
    Path("data.yaml").write_bytes(b"languages: [en]\n\xff\n")
    with pytest.raises(DataError) as caught:
        load(Path("data.yaml"))
    assert str(caught.value) == "data.yaml: is not UTF-8 text (invalid start byte)"


def test_missing_text_languages_are_warnings(in_tmp: Path) -> None:
    Path("data.yaml").write_text(edit(("ko: 이천시}", "ko: 이천시}\n  region: {ko: 경기도}")))
    loaded = load(Path("data.yaml"))
    assert [str(problem) for problem in loaded.warnings] == [
        "data.yaml:8: city: region: no 'en' text; the 'en' outputs show the 'ko' text"]
    assert loaded.dataset.city.region.resolve("en", loaded.dataset.languages).lang == "ko"


@pytest.mark.parametrize(("key", "shown"),
                         [("? [a, b]\n: 1", "?"), ("1: x", "1"), ("yes: 1", "yes")])
def test_a_key_that_is_not_text_is_reported(in_tmp: Path, key: str, shown: str) -> None:
    Path("data.yaml").write_text(BASE + key + "\n")
    with pytest.raises(DataError) as caught:
        load(Path("data.yaml"))
    line = BASE.count("\n") + 1
    assert str(caught.value) == (f"data.yaml:{line}: top level: {shown}: keys must be text; "
                                 "put the key in quotes")


def test_a_bad_homepage_of_the_sample_in_one_language_names_the_language(
        data_copy: Path) -> None:
    text = data_copy.read_text(encoding="utf-8")
    assert text.count('ko: "www.kicet.re.kr"}') == 1
    data_copy.write_text(text.replace('ko: "www.kicet.re.kr"}', 'ko: "www.kicet re.kr"}'),
                         encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(data_copy)
    assert str(caught.value) == (f"{data_copy}:189: institution 4 (kicet): homepage.ko: "
                                 "'www.kicet re.kr' contains spaces")


def test_iter_texts_yields_every_text_with_its_location(in_tmp: Path) -> None:
    Path("data.yaml").write_text(edit(("ko: 이천시}", "ko: 이천시}\n  highlights: [Kilns, Clay]")))
    texts = list(iter_texts(load(Path("data.yaml")).dataset))
    assert [location for location, _ in texts] == [
        ("network", "name"),
        ("network", "fields", 0, "name"),
        ("city", "name"),
        ("city", "highlights", 0),
        ("city", "highlights", 1),
        ("institutions", 0, "name"),
    ]
    assert all(isinstance(text, Text) for _, text in texts)
    assert texts[3][1] == Text(plain="Kilns")
    assert list(iter_texts(Text(plain="x"), ("here",))) == [(("here",), Text(plain="x"))]


@pytest.fixture
def apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as large: read in a child process, as a build reads large files."""
    monkeypatch.setattr(data, "APART_BYTES", 0)


def test_a_large_file_is_read_apart_with_the_same_data_and_digests(
        apart: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    here, apart_ = load(SAMPLE), load_apart(SAMPLE)
    assert isinstance(apart_.dataset.institutions, Packed)  # in a file, not in memory
    assert list(tmp_path.iterdir()) == []  # the file has no name left to leave behind
    unpacked = apart_.dataset.with_institutions(list(apart_.dataset.institutions))
    assert unpacked == here.dataset and apart_.digests == here.digests
    assert apart_.dataset.institution("kicet") == here.dataset.institution("kicet")
    assert apart_.dataset.ids == [item.id for item in here.dataset.institutions]
    assert [str(item) for item in apart_.warnings] == [str(item) for item in here.warnings]
    assert apart_.tree is None and apart_.lines == {}  # what only messages need stays behind


def test_packed_institutions_are_read_back_as_a_list_reads_them(tmp_path: Path) -> None:
    institutions = load(SAMPLE).dataset.institutions
    with (tmp_path / "records").open("w+b") as file:
        packed = Packed(file, Packed.write(institutions, file))
        assert len(packed) == 4 and list(packed) == institutions
        assert packed[-1] == institutions[-1] and packed[1:3] == institutions[1:3]
        assert packed[::-2] == institutions[::-2]
        with pytest.raises(IndexError):
            packed[4]


def test_a_data_file_is_read_apart_when_its_spreadsheet_makes_it_large(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (PROJECT / SAMPLE).read_text(encoding="utf-8")
    source = copy_sample(tmp_path / "icheon.yaml")
    source.write_text(text[:text.index("institutions:")] + "institutions: institutions.csv\n",
                      encoding="utf-8")
    sheet = (PROJECT / "tests" / "data" / "institutions.csv").read_bytes()
    (tmp_path / "institutions.csv").write_bytes(sheet)
    children = []

    class Child(ProcessPoolExecutor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            children.append(self)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(data, "ProcessPoolExecutor", Child)
    monkeypatch.setattr(data, "APART_BYTES", source.stat().st_size + len(sheet) - 1)
    assert load_apart(source).dataset.ids == ["kocef", "kicet"] and len(children) == 1
    monkeypatch.setattr(data, "APART_BYTES", source.stat().st_size + len(sheet))
    assert load_apart(source).dataset.ids == ["kocef", "kicet"] and len(children) == 1


@pytest.mark.parametrize("name", ["unknown-key", "syntax-error", "duplicate-id"])
def test_a_large_file_read_apart_has_the_same_problems(apart: None, name: str) -> None:
    path = PROJECT / "tests" / "bad_data" / f"{name}.yaml"
    with pytest.raises(DataError) as here:
        load(path)
    with pytest.raises(DataError) as away:
        load_apart(path)
    assert str(away.value) == str(here.value) and away.value.problems == here.value.problems


def test_each_record_has_its_own_digest(tmp_path: Path) -> None:
    before = load(SAMPLE).digests
    changed = copy_sample(tmp_path / "icheon.yaml")
    changed.write_text((PROJECT / SAMPLE).read_text(encoding="utf-8").replace(
        "+82-31-645-6501", "+82-31-645-6502"), encoding="utf-8")
    after = load(changed).digests
    assert {key for key in before if before[key] != after[key]} == {None, "kocef"}


def test_a_picture_without_credit_or_alt_text_is_a_warning(data_copy: Path) -> None:
    text = data_copy.read_text(encoding="utf-8")
    credit = ('      credit: {en: "Illustration: the brochure project (MIT)", '
              'ko: "그림: brochure 프로젝트 (MIT)"}\n')
    alt = ("      alt: {en: A white porcelain moon jar on a wooden table, "
           "ko: 나무 탁자 위의 백자 달항아리}\n")
    assert text.count(alt) == 1 and alt + credit in text
    data_copy.write_text(text.replace(alt + credit, ""), encoding="utf-8")
    assert [str(problem) for problem in load(data_copy).warnings] == [
        f"{data_copy}:179: institution 3 (kocef): image: no credit; add who made the picture "
        "(credit: {en: \"Photo: ...\"})",
        f"{data_copy}:179: institution 3 (kocef): image: no alt text; screen readers are told "
        "the record's name instead of what the picture shows",
    ]
