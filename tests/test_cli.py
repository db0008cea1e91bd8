"""The command line: exit codes, exact messages, and files left as they were on failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brochure.cli import main

import measured

CapSys = pytest.CaptureFixture[str]


def run(capsys: CapSys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_reports_coverage_and_fallbacks(capsys: CapSys, data_copy: Path) -> None:
    code, out, err = run(capsys, "check", "--data", str(data_copy))
    assert (code, err) == (0, "")  # the sample: every text in both languages
    assert out.splitlines() == [
        f"{data_copy}: 4 institutions, language modes en, ko, en+ko",
        "translations: en 100% (53 of 53 texts), ko 100% (53 of 53 texts)",
        "editions: en 100% (53 of 53 texts), ko 100% (53 of 53 texts), "
        "en+ko 100% (53 of 53 texts)",
        "ok, 0 warnings",
    ]


def test_check_names_each_fallback(capsys: CapSys, fallback_copy: Path) -> None:
    code, out, err = run(capsys, "check", "--data", str(fallback_copy))
    assert code == 0
    assert out.splitlines()[1:] == [
        "translations: en 100% (53 of 53 texts), ko 98% (52 of 53 texts)",  # 52/53, rounded down
        "editions: en 100% (53 of 53 texts), ko 98% (52 of 53 texts), "
        "en+ko 98% (52 of 53 texts)",  # the pair lacks what one of its languages lacks
        "ok, 1 warning",
    ]
    assert err == (f"warning: {fallback_copy}:113: institution 1 (cerawork): address: "
                   "no 'ko' text; the 'ko' outputs show the 'en' text\n")


@pytest.mark.parametrize("command", ["check", "build"])
def test_strict_turns_warnings_into_errors(capsys: CapSys, fallback_copy: Path, tmp_path: Path,
                                           command: str) -> None:
    code, _out, err = run(capsys, command, "--strict", "--data", str(fallback_copy),
                          *(["--out", str(tmp_path / "out")] if command == "build" else []))
    assert code == 1
    expected = {"check": "1 warning (--strict)",
                "build": f"1 warning in {fallback_copy} (--strict)"}
    assert err.splitlines()[-1] == f"error: {expected[command]}"
    assert not (tmp_path / "out").exists()


def test_build_one_mode_writes_its_files_and_manifest(capsys: CapSys, data_copy: Path,
                                                       tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, _err = run(capsys, "build", "--data", str(data_copy), "--out", str(out_dir),
                          "--lang", "ko", "--only", "flyers", "--verbose")
    assert code == 0
    lines = [line.rstrip() for line in out.splitlines()]
    assert lines[:2] == [f"wrote {out_dir}/screen/ko/flyer-cerawork.pdf (1 page)",
                         f"wrote {out_dir}/office/ko/flyer-cerawork.pdf (1 page)"]
    assert lines[8:11] == [  # then the summary, not on a terminal: plain text
        "profile  kind   files  pages  where",
        f"screen   flyer  4      4      {out_dir}/screen/ko",
        f"office   flyer  4      4      {out_dir}/office/ko"]
    assert lines[-1].startswith(f"built 8 files in {out_dir} in ")
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    ids = ("cerawork", "doyego", "kicet", "kocef")
    assert [entry["path"] for entry in manifest["outputs"]] == [
        *(f"office/ko/flyer-{item}.pdf" for item in ids),
        *(f"screen/ko/flyer-{item}.pdf" for item in ids)]


def test_bad_data_exits_1_with_one_line_per_problem(capsys: CapSys, data_copy: Path,
                                                     tmp_path: Path) -> None:
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace('homepage: "www.doyego.hs.kr"', 'hompage: "www.doyego.hs.kr"')
                         .replace('"+82-31-645-6501"', '"12345"'), encoding="utf-8")
    code, out, err = run(capsys, "build", "--data", str(data_copy), "--out", str(tmp_path / "o"))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        f"error: {data_copy}:137: institution 2 (doyego): hompage: unknown key; "
        "did you mean 'homepage'?",
        f"error: {data_copy}:169: institution 3 (kocef): phone: '12345' is not a valid phone "
        "number (numbers without +country are read as KR)",
    ]
    assert not (tmp_path / "o").exists()


def test_missing_data_file(capsys: CapSys, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    expected = (1, "", f"error: {missing}: no such file\n")
    assert run(capsys, "check", "--data", str(missing)) == expected


def test_unknown_language_mode_is_a_usage_error(capsys: CapSys, data_copy: Path) -> None:
    code, _out, err = run(capsys, "build", "--data", str(data_copy), "--lang", "fr")
    assert code == 2
    assert err.splitlines()[-1] == (f"Error: Invalid value for '--lang': 'fr' is not a language "
                                    f"mode of {data_copy} (choose from en, ko, en+ko)")


def test_unknown_option_is_a_usage_error(capsys: CapSys) -> None:
    code, _out, err = run(capsys, "build", "--zzz")
    assert code == 2
    assert err.splitlines()[-1] == "Error: No such option '--zzz'."


def test_version(capsys: CapSys) -> None:
    from brochure import __version__

    assert run(capsys, "--version") == (0, f"brochure, version {__version__}\n", "")


def test_failed_output_keeps_the_previous_good_file(capsys: CapSys, data_copy: Path,
                                                    tmp_path: Path) -> None:
    """A flyer that no longer fits fails alone; its earlier PDF and the others stay intact."""
    out_dir = tmp_path / "out"
    args = ["build", "--data", str(data_copy), "--out", str(out_dir), "--lang", "en",
            "--only", "flyers", "--theme", str(measured.THEME)]
    assert run(capsys, *args)[0] == 0
    before = {path.name: path.read_bytes() for path in (out_dir / "screen" / "en").iterdir()}
    manifest_before = (out_dir / "manifest.json").read_text(encoding="utf-8")

    paragraphs = measured.paragraphs_per_page() + 5
    measured.describe_kocef(data_copy, paragraphs)
    code, _out, err = run(capsys, *args)
    assert code == 1
    assert f"error: {measured.kocef_too_long(paragraphs)}" in err.splitlines()
    after = {path.name: path.read_bytes() for path in (out_dir / "screen" / "en").iterdir()}
    assert after == before  # no temporary files left, the old kocef flyer untouched
    assert (out_dir / "manifest.json").read_text(encoding="utf-8") == manifest_before


def test_debug_shows_the_traceback_behind_an_error(capsys: CapSys, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    code, _out, err = run(capsys, "check", "--data", str(missing))
    assert (code, err) == (1, f"error: {missing}: no such file\n")
    code, _out, err = run(capsys, "--debug", "check", "--data", str(missing))
    assert code == 1
    assert err.startswith("Traceback (most recent call last):")
    assert err.endswith(f"error: {missing}: no such file\n")
