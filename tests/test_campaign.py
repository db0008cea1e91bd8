"""QR codes that count their readers: with ``qr: {campaign: ...}`` every code's URL carries the
campaign's parameters and utm_content naming the kind; the printed address stays clean; the
manifest and preflight expect the tagged URL. Without it, nothing changes.

Expected URLs are written out here from the data, never read from our own HTML.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brochure.build import build
from brochure.data import load
from brochure.data.model import QrOptions
from brochure.lang.modes import language_modes
from brochure.plan.profiles import PROFILES

import pdfs
from sample import copy_sample

CAMPAIGN = ("qr:\n  campaign: {utm_source: brochure, utm_medium: print, "
            "utm_campaign: ceramic-festival-2027}\n")
TAGS = "utm_source=brochure&utm_medium=print&utm_campaign=ceramic-festival-2027"


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English brochure, flyers and cards of the sample with a campaign, and cerawork's
    homepage given a query of its own."""
    folder = tmp_path_factory.mktemp("campaign")
    sample = Path(__file__).parent.parent / "data" / "icheon.yaml"
    text = sample.read_text(encoding="utf-8").replace(
        'homepage: "www.cerawork.or.kr"', 'homepage: "www.cerawork.or.kr/?lang=ko"')
    copy_sample(folder / "icheon.yaml").write_text(text + CAMPAIGN, encoding="utf-8")
    loaded = load(folder / "icheon.yaml")
    report = build(loaded, folder / "out", [language_modes(["en", "ko"])["en"]],
                   ["brochure", "flyer", "card"], profiles=[PROFILES["screen"]], workers=None)
    assert report.failed == []
    return folder / "out"


@pytest.mark.parametrize("kind", ["flyer", "card"])
def test_each_code_reads_the_tagged_url_and_the_address_printed_stays_clean(
        tagged: Path, kind: str) -> None:
    path = tagged / "screen" / "en" / f"{kind}-cerawork.pdf"
    assert [url for _, url, _ in pdfs.qr_codes(path)] == [
        f"https://www.cerawork.or.kr/?lang=ko&{TAGS}&utm_content={kind}"]
    content = pdfs.text(path)
    assert "www.cerawork.or.kr?lang=ko" in content and "utm_" not in content


def test_the_brochure_codes_name_the_brochure(tagged: Path) -> None:
    urls = [url for _, url, _ in pdfs.qr_codes(tagged / "screen" / "en" / "brochure.pdf")]
    assert f"https://www.kocef.org?{TAGS}&utm_content=brochure" in urls
    assert all(url.endswith("&utm_content=brochure") for url in urls)


def test_the_manifest_expects_the_tagged_urls(tagged: Path) -> None:
    entries = json.loads((tagged / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    flyer = next(entry for entry in entries if entry["path"] == "screen/en/flyer-kocef.pdf")
    assert flyer["qr"] == [f"https://www.kocef.org?{TAGS}&utm_content=flyer"]


def test_a_parameter_the_url_already_has_is_its_own() -> None:
    options = QrOptions(campaign={"utm_source": "brochure", "utm_medium": "print"})
    assert options.tagged("https://example.org/a?utm_source=web&x=1#top", "poster") == (
        "https://example.org/a?utm_source=web&x=1&utm_medium=print&utm_content=poster#top")


def test_without_a_campaign_the_codes_read_the_address(sample_flyers: Path) -> None:
    assert [url for _, url, _ in pdfs.qr_codes(sample_flyers / "flyer-kocef.pdf")] == [
        "https://www.kocef.org"]


@pytest.fixture(scope="module")
def sample_flyers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plain")
    loaded = load(Path(__file__).parent.parent / "data" / "icheon.yaml")
    assert build(loaded, out, [language_modes(["en", "ko"])["en"]], ["flyer"],
                 profiles=[PROFILES["screen"]], workers=None).failed == []
    return out / "screen" / "en"
