"""Institutions from spreadsheets: `brochure import` merges a .csv or .xlsx into a data file by id,
and a data file can name a spreadsheet as its institutions. Bad rows are reported by row and
column and left out; the exact messages and the exact files written are asserted.
"""

from __future__ import annotations

import csv
import datetime
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from brochure.cli import main
from brochure.data import load
from brochure.data.spreadsheet import parsed_size
from brochure.lang.modes import language_modes
from brochure.plan.jobs import keys, plan
from brochure.plan.profiles import PROFILES
from brochure.theme import Theme

import pdfs

CapSys = pytest.CaptureFixture[str]
SAMPLE_SHEET = Path(__file__).parent / "data" / "institutions.csv"
HEADER = ["id", "name_en", "name_ko", "phone", "homepage"]
DOYEGO = ["doyego", "Korea Ceramic Art High School", "한국도예고", "+82-31-638-6000", ""]
CERAWORK = ["cerawork", "Icheon Ceramics Cooperative", "", "", ""]
MUSEUM = ["icheon-museum", "Icheon City Museum", "이천시립박물관", "+82-31-644-2000",
          "www.icheon.go.kr/museum"]
# What the merge of DOYEGO, CERAWORK and MUSEUM does to the sample, and nothing else.
EDITS = [('      ko: 한국도예고등학교\n', '      ko: 한국도예고\n'),
         ('"+82-31-638-6842"', '"+82-31-638-6000"')]
MUSEUM_YAML = """
  - id: icheon-museum
    name:
      en: Icheon City Museum
      ko: 이천시립박물관
    homepage: www.icheon.go.kr/museum
    phone: +82-31-644-2000
"""


def run(capsys: CapSys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.create_sheet("Notes").append(["only the first sheet is read"])
    workbook.save(path)
    return path


LAST_INSTITUTION = "    logo: images/kicet-logo.svg\n"  # the sample's last line of KICET


def appended(text: str, item: str) -> str:
    """``text`` with a new institution after the last, before what follows the list."""
    return edited(text, (LAST_INSTITUTION, LAST_INSTITUTION + item))


def edited(text: str, *changes: tuple[str, str]) -> str:
    """``text`` with each (old, new) change made; each old text occurs exactly once."""
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_a_csv_is_merged_by_id_and_each_change_reported(capsys: CapSys, data_copy: Path,
                                                         tmp_path: Path) -> None:
    """Excel's 'CSV UTF-8' starts with a BOM; the file keeps its comments, quotes and order."""
    original = data_copy.read_text(encoding="utf-8")
    sheet = write_csv(tmp_path / "institutions.csv", [HEADER, DOYEGO, CERAWORK, MUSEUM],
                      encoding="utf-8-sig")
    code, out, err = run(capsys, "import", str(sheet), "--into", str(data_copy))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "changed doyego: name.ko, phone",
        "added icheon-museum",
        f"{sheet} into {data_copy}: 1 added, 1 changed, 1 unchanged",
    ]
    assert data_copy.read_text(encoding="utf-8") == appended(edited(original, *EDITS),
                                                             MUSEUM_YAML)
    loaded = load(data_copy)
    assert [item.id for item in loaded.dataset.institutions] == [
        "cerawork", "doyego", "kocef", "kicet", "icheon-museum"]
    assert loaded.dataset.institution("doyego").phone.display == "+82 31-638-6000"


def test_an_xlsx_is_merged_the_same_way(capsys: CapSys, data_copy: Path, tmp_path: Path) -> None:
    """Headers in any case with spaces around; a cell that Excel typed as a number is text."""
    original = data_copy.read_text(encoding="utf-8")
    header = ["ID", " Name_EN ", "name_ko", "Phone", "homepage"]
    sheet = write_xlsx(tmp_path / "institutions.xlsx",
                       [header, DOYEGO, CERAWORK, [None] * 5, MUSEUM, ["kicet", None, 2024]])
    code, out, err = run(capsys, "import", str(sheet), "--into", str(data_copy))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "changed doyego: name.ko, phone",
        "added icheon-museum",
        "changed kicet: name.ko",
        f"{sheet} into {data_copy}: 1 added, 2 changed, 1 unchanged",
    ]
    assert data_copy.read_text(encoding="utf-8") == appended(edited(
        original, *EDITS, ("      ko: 한국세라믹기술원\n", '      ko: "2024"\n')), MUSEUM_YAML)


def test_a_second_import_of_the_same_sheet_changes_nothing(capsys: CapSys, data_copy: Path,
                                                           tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "institutions.csv", [HEADER, DOYEGO, MUSEUM])
    assert run(capsys, "import", str(sheet), "--into", str(data_copy))[0] == 0
    merged = data_copy.read_bytes()
    code, out, _err = run(capsys, "import", str(sheet), "--into", str(data_copy))
    assert (code, out) == (0, f"{sheet} into {data_copy}: 0 added, 0 changed, 2 unchanged; "
                              "nothing to write\n")
    assert data_copy.read_bytes() == merged


def test_texts_that_yaml_would_misread_are_written_so_they_read_back(
        capsys: CapSys, data_copy: Path, tmp_path: Path) -> None:
    header = ["id", "name_en", "name_ko", "address_en", "description_en", "description_ko"]
    tricky = ["tricky", "Yes", "1:30", "Line 1\nLine 2", "First.\n\nSecond: # not a comment",
              "'quoted' \"twice\""]
    sheet = write_csv(tmp_path / "institutions.csv", [header, tricky])
    assert run(capsys, "import", str(sheet), "--into", str(data_copy))[0] == 0
    institution = load(data_copy).dataset.institution("tricky")
    assert institution.name.by_language == {"en": "Yes", "ko": "1:30"}
    assert institution.address.by_language == {"en": "Line 1\nLine 2"}
    assert institution.description.by_language == {"en": "First.\n\nSecond: # not a comment",
                                                   "ko": "'quoted' \"twice\""}


def test_a_row_for_a_known_id_needs_only_the_cells_that_change(
        capsys: CapSys, data_copy: Path, tmp_path: Path) -> None:
    """Other fields and languages are kept; a comment after the changed value stays there."""
    text = edited(data_copy.read_text(encoding="utf-8"),
                  ('    phone: "+82-31-645-1400"\n',
                   '    phone: "+82-31-645-1400"  # the main desk\n'))
    data_copy.write_text(text, encoding="utf-8")
    sheet = write_csv(tmp_path / "kicet.csv", [["id", "phone", "address_ko"],
                                               ["kicet", "+82-31-645-1401",
                                                "경기도 이천시 신둔면 경충대로 321"]])
    code, out, _err = run(capsys, "import", str(sheet), "--into", str(data_copy))
    assert (code, out.splitlines()[0]) == (0, "changed kicet: address.ko, phone")
    assert data_copy.read_text(encoding="utf-8") == edited(  # the block keeps its style
        text, ('        경기도 이천시 신둔면\n        경충대로 321\n'
               '    phone: "+82-31-645-1400"  # the main desk\n',
               '        경기도 이천시 신둔면 경충대로 321\n'
               '    phone: "+82-31-645-1401"  # the main desk\n'))


def test_a_homepage_comes_in_one_column_per_language(capsys: CapSys, data_copy: Path,
                                                     tmp_path: Path) -> None:
    """KICET's Korean page replaces its Korean page alone; a new institution gets both."""
    original = data_copy.read_text(encoding="utf-8")
    sheet = write_csv(tmp_path / "homepages.csv", [
        ["id", "name_en", "homepage_en", "homepage_ko"],
        ["kicet", "", "", "www.kicet.re.kr/kor.web"],
        ["icheon-museum", "Icheon City Museum", "www.icheon.go.kr/museum/en", "박물관.한국"],
        ["studio", "Studio", "", "www.studio kr"]])
    code, out, err = run(capsys, "import", str(sheet), "--into", str(data_copy))
    assert code == 0
    assert err.splitlines() == [f"warning: {sheet}:4: institution studio: homepage_ko: "
                                "'www.studio kr' contains spaces"]
    assert out.splitlines() == [
        "changed kicet: homepage.ko",
        "added icheon-museum",
        f"{sheet} into {data_copy}: 1 added, 1 changed, 0 unchanged, 1 bad row left out"]
    assert data_copy.read_text(encoding="utf-8") == appended(edited(original, (
        'ko: "www.kicet.re.kr"}', 'ko: "www.kicet.re.kr/kor.web"}')), (
        "\n  - id: icheon-museum\n    name:\n      en: Icheon City Museum\n    homepage:\n"
        "      en: www.icheon.go.kr/museum/en\n      ko: 박물관.한국\n"))
    dataset = load(data_copy).dataset
    kicet, museum = (dataset.institution(ident).homepage for ident in ("kicet", "icheon-museum"))
    assert {lang: link.url for lang, link in kicet.by_language.items()} == {
        "en": "https://www.kicet.re.kr/english.web", "ko": "https://www.kicet.re.kr/kor.web"}
    assert museum.resolve("ko", dataset.languages).link.url == "https://xn--zb0by3yusa.xn--3e0b707e"


def test_bad_rows_are_reported_by_row_and_column_and_the_rest_imported(
        capsys: CapSys, data_copy: Path, tmp_path: Path) -> None:
    rows = [HEADER,
            ["kocef", "", "", "12345", ""],
            DOYEGO,
            ["studio", "", "", "", "ftp://studio.kr"],
            MUSEUM,
            ["doyego", "Doyego again", "", "", ""]]
    sheet = write_csv(tmp_path / "institutions.csv", rows)
    code, out, err = run(capsys, "import", str(sheet), "--into", str(data_copy))
    assert code == 0
    assert err.splitlines() == [
        f"warning: {sheet}:2: institution kocef: phone: '12345' is not a valid phone number "
        "(numbers without +country are read as KR)",
        f"warning: {sheet}:4: institution studio: name: is required",
        f"warning: {sheet}:4: institution studio: homepage: only http and https addresses are "
        "accepted, not 'ftp:'",
        f"warning: {sheet}:6: institution doyego: id: id 'doyego' is already used by row 3",
    ]
    assert out.splitlines() == [
        "changed doyego: name.ko, phone",
        "added icheon-museum",
        f"{sheet} into {data_copy}: 1 added, 1 changed, 0 unchanged, 3 bad rows left out",
    ]
    dataset = load(data_copy).dataset
    assert dataset.institution("kocef").phone.display == "+82 31-645-6501"
    assert dataset.institution("doyego").name.by_language["en"] == "Korea Ceramic Art High School"
    assert "studio" not in [item.id for item in dataset.institutions]


def test_strict_writes_nothing_when_a_row_is_bad(capsys: CapSys, data_copy: Path,
                                                 tmp_path: Path) -> None:
    before = data_copy.read_bytes()
    sheet = write_csv(tmp_path / "institutions.csv",
                      [HEADER, DOYEGO, ["kocef", "", "", "12345", ""]])
    code, out, err = run(capsys, "import", "--strict", str(sheet), "--into", str(data_copy))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"warning: {sheet}:3: institution kocef: phone: '12345' is not a valid phone number "
        "(numbers without +country are read as KR)",
        f"error: 1 warning in {sheet} (--strict); {data_copy} not written"]
    assert data_copy.read_bytes() == before


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([["id", "name_en", "hompage"], ["kocef", "K", "kocef.org"]],
                     [":1: hompage: unknown column; did you mean 'homepage'?"], id="unknown"),
        pytest.param([["id", "name_en", "name_fr"], ["kocef", "K", "Fondation"]],
                     [":1: name_fr: language 'fr' is not in the data's languages (en, ko)"],
                     id="other-language"),
        pytest.param([["id", "homepage_fr"], ["kocef", "www.kocef.fr"]],
                     [":1: homepage_fr: language 'fr' is not in the data's languages (en, ko)"],
                     id="homepage-in-another-language"),
        pytest.param([["id", "name_en", "Phone", "phone "], ["kocef", "K", "", ""]],
                     [":1: phone: this column appears twice"], id="twice"),
        pytest.param([["id", "name", "name_ko"], ["kocef", "K", "K"]],
                     [":1: name_ko: cannot stand beside 'name': give the name in one 'name' "
                      "column or in one column per language"], id="plain-and-per-language"),
        pytest.param([["id", "name_en", ""], ["kocef", "K", "note"]],
                     [":1: column C: has values but no header; name it or delete the column"],
                     id="no-header"),
        pytest.param([["id", "name_en"]],
                     [": has no institutions: a header row (id, name_en, phone, ...) and a row "
                      "for each institution are expected"], id="no-rows"),
        pytest.param([["id", "name_en", "phone"], ["kocef", "K", "1"], ["x", "", ""]],
                     [":2: institution kocef: phone: '1' is not a phone number",
                      ":3: institution x: name: is required"], id="no-good-row"),
    ],
)
def test_a_sheet_that_cannot_be_imported_changes_nothing(
        capsys: CapSys, data_copy: Path, tmp_path: Path, rows: list[list[str]],
        expected: list[str]) -> None:
    before = data_copy.read_bytes()
    sheet = write_csv(tmp_path / "institutions.csv", rows)
    code, out, err = run(capsys, "import", str(sheet), "--into", str(data_copy))
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"error: {sheet}{line}" for line in expected]
    assert data_copy.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("institutions.ods", b"PK\x03\x04", "is not a .csv or .xlsx file; save the "
                     "list from your spreadsheet as 'CSV UTF-8' or as an Excel workbook (.xlsx)",
                     id="ods"),
        pytest.param("institutions.xlsx", b"id,name_en\n", "cannot be read as an Excel workbook "
                     "(.xlsx); open it in your spreadsheet program and save it again",
                     id="not-a-workbook"),
        pytest.param("institutions.csv", "id,name_en\nkocef,한국\n".encode("cp949"),
                     "is not UTF-8 text (invalid continuation byte); save it from your "
                     "spreadsheet as 'CSV UTF-8'", id="not-utf8"),
        pytest.param("missing.csv", None, "no such file", id="missing"),
    ],
)
def test_a_file_that_cannot_be_read(capsys: CapSys, data_copy: Path, tmp_path: Path, name: str,
                                    content: bytes | None, message: str) -> None:
    sheet = tmp_path / name
    if content is not None:
        sheet.write_bytes(content)
    assert run(capsys, "import", str(sheet), "--into", str(data_copy)) == (
        1, "", f"error: {sheet}: {message}\n")


def test_the_data_file_must_exist(capsys: CapSys, tmp_path: Path) -> None:
    target = tmp_path / "new.yaml"
    assert run(capsys, "import", str(SAMPLE_SHEET), "--into", str(target)) == (
        1, "", f"error: {target}: no such file; brochure import adds to an existing data file, "
               "which gives the network and the city (start from a copy of data/icheon.yaml)\n")
    assert not target.exists()


SAMPLE_SHEET_YAML = """\
  - id: kocef
    name:
      en: Korea Ceramic Foundation
      ko: 한국도자재단
    homepage: https://www.kocef.org
    address:
      en: |-
        263, Gyungchoongdae-ro 2697
        Icheon, Gyeonggi Province
    phone: +82-31-645-6501
  - id: kicet
    name:
      en: Korea Institute of Ceramic Engineering and Technology (KICET)
      ko: 한국세라믹기술원
    homepage: www.kicet.re.kr/english.web
    address:
      en: |-
        321 Gyungchoongdae-ro, Shindoon-myun
        Icheon, Gyeonggi Province
    phone: +82-31-645-1400
"""


@pytest.mark.parametrize(("listed", "line", "problem", "made"), [
    pytest.param("institutions: []  # kept in institutions.csv\n", 108, "must not be empty",
                 "institutions:     # kept in institutions.csv\n", id="empty-list"),
    pytest.param("institutions:\n", 108, "must be a list", "institutions:\n", id="no-value"),
    pytest.param("", 12, "is required", "institutions:\n", id="no-key"),
])
def test_an_import_makes_the_list_of_a_file_that_has_none(
        capsys: CapSys, data_copy: Path, listed: str, line: int, problem: str, made: str) -> None:
    """A city whose list lives in a spreadsheet: `brochure init`, delete the example, import.
    Such a file does not check or build until the import has given it institutions."""
    text = data_copy.read_text(encoding="utf-8")
    start = text[:text.index("institutions:")] + "# The institutions, one entry each.\n"
    data_copy.write_text(start + listed, encoding="utf-8")
    for command in (["check"], ["build", "--out", str(data_copy.parent / "out")]):
        assert run(capsys, *command, "--data", str(data_copy)) == (
            1, "", f"error: {data_copy}:{line}: top level: institutions: {problem}\n")
    code, out, err = run(capsys, "import", str(SAMPLE_SHEET), "--into", str(data_copy))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "added kocef",
        "added kicet",
        f"{SAMPLE_SHEET} into {data_copy}: 2 added, 0 changed, 0 unchanged",
    ]
    assert data_copy.read_text(encoding="utf-8") == start + made + SAMPLE_SHEET_YAML
    assert load(data_copy).dataset.ids == ["kocef", "kicet"]


def source_data(data_copy: Path, source: str) -> Path:
    """The sample data file with ``institutions: SOURCE`` instead of its list."""
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text[:text.index("institutions:")] + f"institutions: {source}\n",
                         encoding="utf-8")
    return data_copy


def test_a_data_file_can_take_its_institutions_from_a_spreadsheet(
        capsys: CapSys, data_copy: Path, tmp_path: Path) -> None:
    data = source_data(data_copy, "institutions.csv")
    shutil.copy(SAMPLE_SHEET, data.parent / "institutions.csv")
    code, out, err = run(capsys, "check", "--data", str(data))
    assert code == 0
    assert out.splitlines()[0] == f"{data}: 2 institutions, language modes en, ko, en+ko"
    sheet = data.parent / "institutions.csv"
    assert err.splitlines() == [
        f"warning: {sheet}:{row}: institution {item}: address: no 'ko' text; the 'ko' outputs "
        "show the 'en' text" for row, item in [(2, "kocef"), (3, "kicet")]]

    out_dir = tmp_path / "out"
    code, _out, _err = run(capsys, "build", "--data", str(data), "--out", str(out_dir),
                           "--only", "flyers", "--lang", "en", "--profile", "screen")
    assert code == 0
    assert "Korea Ceramic Foundation" in pdfs.text(out_dir / "screen" / "en" / "flyer-kocef.pdf")
    assert sorted(path.name for path in (out_dir / "screen" / "en").iterdir()) == [
        "flyer-kicet.pdf", "flyer-kocef.pdf"]


def test_a_bad_row_of_the_source_is_left_out_with_a_warning(data_copy: Path) -> None:
    data = source_data(data_copy, "lists/institutions.xlsx")
    (data.parent / "lists").mkdir()
    write_xlsx(data.parent / "lists" / "institutions.xlsx",
               [HEADER, DOYEGO, ["kocef", "Korea Ceramic Foundation", "", "12345"]])
    loaded = load(data)
    assert [item.id for item in loaded.dataset.institutions] == ["doyego"]
    sheet = data.parent / "lists" / "institutions.xlsx"
    assert [str(problem) for problem in loaded.warnings] == [
        f"{sheet}:3: institution kocef: phone: '12345' is not a valid phone number (numbers "
        "without +country are read as KR)"]


def test_a_changed_row_changes_only_its_institutions_keys(data_copy: Path) -> None:
    """Incremental builds hash each institution's record: the sheet's row stands for it."""
    data = source_data(data_copy, "institutions.csv")
    sheet = data.parent / "institutions.csv"
    shutil.copy(SAMPLE_SHEET, sheet)
    theme = Theme.with_user_theme(None)

    def flyer_keys() -> dict[str, str]:
        loaded = load(data)
        assert loaded.tree["institutions"][1]["id"] == "kicet"
        modes = list(language_modes(loaded.dataset.languages).values())
        return keys(plan(loaded.dataset, modes, ["flyer"], [PROFILES["screen"]]), loaded, theme)

    before = flyer_keys()
    sheet.write_text(edited(sheet.read_text(encoding="utf-8"),
                            ("+82-31-645-1400", "+82-31-645-1401")), encoding="utf-8")
    after = flyer_keys()
    assert sorted(path for path in before if before[path] != after[path]) == [
        "screen/en+ko/flyer-kicet.pdf", "screen/en/flyer-kicet.pdf", "screen/ko/flyer-kicet.pdf"]


def test_a_spreadsheet_outside_the_data_folder_is_refused(capsys: CapSys, data_copy: Path,
                                                          tmp_path: Path) -> None:
    shutil.copy(SAMPLE_SHEET, tmp_path / "secret.csv")
    data = source_data(data_copy, "../secret.csv")
    line = data.read_text(encoding="utf-8").splitlines().index("institutions: ../secret.csv") + 1
    assert run(capsys, "check", "--data", str(data)) == (
        1, "", f"error: {data}:{line}: top level: institutions: '../secret.csv' is outside the "
               "data file's folder; put the spreadsheet beside the data file or in a folder "
               "below it\n")

    (data.parent / "link.csv").symlink_to(tmp_path / "secret.csv")
    source_data(data, "link.csv")
    assert run(capsys, "check", "--data", str(data))[2] == (
        f"error: {data}:{line}: top level: institutions: 'link.csv' is outside the data file's "
        "folder; put the spreadsheet beside the data file or in a folder below it\n")


def test_import_refuses_a_data_file_whose_institutions_are_a_spreadsheet(
        capsys: CapSys, data_copy: Path) -> None:
    data = source_data(data_copy, "institutions.csv")
    shutil.copy(SAMPLE_SHEET, data.parent / "institutions.csv")
    assert run(capsys, "import", str(SAMPLE_SHEET), "--into", str(data)) == (
        1, "", f"error: {data}: takes its institutions from {data.parent / 'institutions.csv'}; "
               "change that spreadsheet instead of importing into the data file\n")


def test_what_reading_a_spreadsheet_parses_is_told_without_reading_it(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "list.xlsx", [HEADER, DOYEGO])
    with zipfile.ZipFile(workbook) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    assert parsed_size(workbook) == unpacked > workbook.stat().st_size  # a workbook is zipped
    assert parsed_size(SAMPLE_SHEET) == SAMPLE_SHEET.stat().st_size
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert parsed_size(tmp_path / "broken.xlsx") == parsed_size(tmp_path / "none.csv") == 0


def test_events_from_a_workbook_are_merged_by_id(capsys: CapSys, data_copy: Path,
                                                 tmp_path: Path) -> None:
    """The header says the sheet holds events; times typed as dates in Excel come as such. A
    row that names no institution of the data is an error of the merged file, not written."""
    original = data_copy.read_text(encoding="utf-8")
    sheet = write_xlsx(tmp_path / "events.xlsx", [
        ["id", "title_en", "title_ko", "institution", "start", "end"],
        ["wheel-masterclass", "", "물레 명장 시연", "", "", ""],
        ["night-firing", "Night firing", "야간 가마 소성", "kocef",
         datetime.datetime(2027, 5, 2, 19, 0), datetime.datetime(2027, 5, 2, 21, 0)]])
    code, out, err = run(capsys, "import", str(sheet), "--into", str(data_copy))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "changed wheel-masterclass: title.ko",
        "added night-firing",
        f"{sheet} into {data_copy}: 1 added, 1 changed, 0 unchanged"]
    loaded = load(data_copy)
    assert loaded.warnings == []
    night = next(event for event in loaded.dataset.events if event.id == "night-firing")
    assert (night.institution, night.start, night.end) == (
        "kocef", datetime.datetime(2027, 5, 2, 19), datetime.datetime(2027, 5, 2, 21))
    assert loaded.dataset.events[1].title.by_language == {
        "en": "Wheel-throwing masterclass", "ko": "물레 명장 시연"}
    merged = data_copy.read_text(encoding="utf-8")
    assert merged.startswith(original[:original.index("events:")])
    assert merged.endswith("    start: 2027-05-02T19:00\n    end: 2027-05-02T21:00\n")

    data_copy.write_text(original, encoding="utf-8")
    bad = write_csv(tmp_path / "events.csv", [["id", "title", "institution", "start", "end"],
                                              ["talk", "Talk", "kocf", "2027-05-03T10:00",
                                               "2027-05-03T11:00"]])
    code, out, err = run(capsys, "import", str(bad), "--into", str(data_copy))
    assert code == 1
    assert err.splitlines()[-1] == f"error: {data_copy}: the merged data would not load, so " \
        "nothing was written"
    assert "event 7 (talk): institution: 'kocf' is not the id of an institution; did you mean " \
        "'kocef'?" in err
    assert data_copy.read_text(encoding="utf-8") == original


def test_pictures_come_in_their_own_columns(capsys: CapSys, data_copy: Path,
                                            tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "pictures.csv", [
        ["id", "image", "image_alt_en", "image_alt_ko", "image_credit", "logo"],
        ["doyego", "images/wheel.jpg", "A potter's wheel", "물레", "Photo: Doyego",
         "images/kicet-logo.svg"],
    ])
    code, out, err = run(capsys, "import", str(sheet), "--into", str(data_copy))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == ("changed doyego: image, logo")
    item = load(data_copy).dataset.institution("doyego")
    assert item.image is not None and item.logo == "images/kicet-logo.svg"
    assert item.image.file == "images/wheel.jpg"
    assert item.image.alt is not None and item.image.alt.by_language == {
        "en": "A potter's wheel", "ko": "물레"}
    assert item.image.credit is not None and item.image.credit.plain == "Photo: Doyego"
    bad = write_csv(tmp_path / "bad.csv", [["id", "image", "image_focus"],
                                           ["doyego", "images/kiln.jpg", "50%"]])
    code, _out, err = run(capsys, "import", str(bad), "--into", str(data_copy))
    assert err == (f"error: {bad}:2: institution doyego: image_focus: must be two "
                   "percentages, across then down, such as '50% 35%'\n")
