"""The QR codes a build checks come from the data: a code that leads elsewhere fails the build,
however the HTML describes it; each side of a two-sided flyer leads to its language's page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markupsafe import Markup

from brochure.cli import main
from brochure.render import templating
from brochure.render.qr import qr_svg

import pdfs

CapSys = pytest.CaptureFixture[str]
# The Korean homepages of the sample, written out from the data file.
KOREAN = {"cerawork": "https://www.cerawork.or.kr", "doyego": "https://www.doyego.hs.kr",
          "kocef": "https://www.kocef.org", "kicet": "https://www.kicet.re.kr"}


def build(capsys: CapSys, data: Path, out: Path, *options: str) -> tuple[int, list[str]]:
    """``brochure build`` in this process: the exit code and the error lines."""
    code = main(["build", "--data", str(data), "--out", str(out), "--jobs", "1", *options])
    return code, [line for line in capsys.readouterr().err.splitlines()
                  if line.startswith("error: ")]


def manifest(out: Path) -> dict[str, list[str]]:
    """The QR codes' URLs of each file, as the manifest lists them."""
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    return {entry["path"]: entry["qr"] for entry in entries}


def test_a_qr_code_that_leads_elsewhere_fails_the_build(
        capsys: CapSys, data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A QR code that writes http:// for https://, in its code and in its title alike: the
    HTML agrees with the code, the data does not."""
    def insecure(url: str, cmyk: bool = False) -> Markup:
        return qr_svg(url.replace("https://", "http://", 1), cmyk)

    monkeypatch.setattr(templating, "qr_svg", insecure)
    out = tmp_path / "out"
    code, errors = build(capsys, data_copy, out, "--only", "cards", "--lang", "ko",
                         "--profile", "press", "--profile", "office")
    assert code == 1
    assert errors == [
        line for profile in ("press", "office") for ident, url in KOREAN.items() for line in (
            f"error: {profile}/ko/card-{ident}.pdf: preflight: qr: no readable QR code for {url}",
            f"error: {profile}/ko/card-{ident}.pdf: preflight: qr: a QR code reads "
            f"'{url.replace('https://', 'http://')}', which the data does not ask for")
    ] + ["error: 8 output(s) could not be built"]
    assert not list(out.rglob("*.pdf"))


def test_each_side_of_a_two_sided_flyer_leads_to_its_language(
        capsys: CapSys, data_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, errors = build(capsys, data_copy, out, "--only", "flyers", "--lang", "en-ko",
                         "--layout", "front-back", "--profile", "screen")
    assert (code, errors) == (0, [])
    path = out / "screen" / "en+ko" / "flyer-kicet.pdf"
    assert [(page, code) for page, code, _width in pdfs.qr_codes(path)] == [
        (1, "https://www.kicet.re.kr/english.web"), (2, "https://www.kicet.re.kr")]
    assert manifest(out)["screen/en+ko/flyer-kicet.pdf"] == [
        "https://www.kicet.re.kr/english.web", "https://www.kicet.re.kr"]
    assert manifest(out)["screen/en+ko/flyer-kocef.pdf"] == ["https://www.kocef.org"]


def test_a_homepage_missing_in_one_language_is_a_warning(
        capsys: CapSys, data_copy: Path) -> None:
    """The Korean flyer of an institution with only an English page leads to that page: `check`
    says so, as it does for a missing text."""
    text = data_copy.read_text(encoding="utf-8")
    kicet = 'homepage: {en: "www.kicet.re.kr/english.web", ko: "www.kicet.re.kr"}'
    assert text.count(kicet) == 1
    data_copy.write_text(text.replace(kicet, 'homepage: {en: "www.kicet.re.kr/english.web"}'),
                         encoding="utf-8")
    assert main(["check", "--data", str(data_copy)]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "homepage" in line]
    assert warnings == [f"warning: {data_copy}:189: institution 4 (kicet): homepage: "
                        "no 'ko' address; the 'ko' outputs lead to the 'en' page"]
