"""The programme as an .ics calendar beside the screen PDFs: it parses back with the data's
events, each with a UID that does not change between builds, in reproducible bytes.

Expected values come from the data file, read here with the data's own loader.
"""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from brochure.build import build
from brochure.data import Loaded
from brochure.lang.modes import language_modes
from brochure.plan.profiles import PROFILES


def built_calendar(sample: Loaded, out: Path) -> Path:
    mode = language_modes(sample.dataset.languages)["en+ko"]
    report = build(sample, out, [mode], ["programme"], profiles=[PROFILES["screen"]],
                   workers=None)
    assert report.failed == []
    return out / "screen" / "en+ko" / "programme.ics"


@pytest.fixture(scope="module")
def ics(tmp_path_factory: pytest.TempPathFactory, sample: Loaded) -> Path:
    return built_calendar(sample, tmp_path_factory.mktemp("calendar"))


def test_the_calendar_parses_back_with_the_events_of_the_data(ics: Path, sample: Loaded) -> None:
    parsed = icalendar.Calendar.from_ical(ics.read_bytes())
    events = parsed.walk("VEVENT")
    seoul = ZoneInfo("Asia/Seoul")
    expected = sample.dataset.events
    assert [str(event["summary"]) for event in events] == [
        f"{item.title.by_language['en']} · {item.title.by_language['ko']}" for item in expected]
    assert [(event.decoded("dtstart"), event.decoded("dtend")) for event in events] == [
        (item.start.replace(tzinfo=seoul), item.end.replace(tzinfo=seoul)) for item in expected]
    assert [event.decoded("dtstart").tzinfo.key for event in events] == ["Asia/Seoul"] * len(
        expected)
    assert [str(event.get("url", "")) for event in events] == [
        item.booking.plain.url if item.booking else "" for item in expected]
    assert len({str(event["uid"]) for event in events}) == len(expected)
    assert parsed.walk("VTIMEZONE")[0]["tzid"] == "Asia/Seoul"


def test_uids_and_bytes_are_the_same_in_another_build(ics: Path, sample: Loaded,
                                                      tmp_path: Path) -> None:
    again = built_calendar(sample, tmp_path)
    assert again.read_bytes() == ics.read_bytes()
    uids = [str(event["uid"]) for event in
            icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")]
    assert uids[1] == "wheel-masterclass@icheon-ceramic-festival-2027"


def test_the_stamp_is_source_date_epoch(sample: Loaded, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    parsed = icalendar.Calendar.from_ical(built_calendar(sample, tmp_path).read_bytes())
    assert {event.decoded("dtstamp").timestamp() for event in parsed.walk("VEVENT")} == {
        1800000000}


def test_the_manifest_lists_the_calendar(ics: Path) -> None:
    manifest = json.loads((ics.parents[2] / "manifest.json").read_text(encoding="utf-8"))
    entry = next(item for item in manifest["outputs"] if item["path"].endswith(".ics"))
    assert entry["path"] == "screen/en+ko/programme.ics" and entry["kind"] == "calendar"
