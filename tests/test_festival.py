"""The festival and its programme in the data: times in the festival's zone, checked across
records; localised in each language from CLDR.

Bad inputs that stop a build are in ``bad_data/`` (event-*.yaml, festival-timezone.yaml); the
warnings, which do not, are asserted here with their exact texts.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from brochure.data import Loaded, load
from brochure.errors import DataError
from brochure.lang import times

FESTIVAL = """languages: [en]
network:
  name: UNESCO Creative Cities Network
city:
  name: Icheon
  country: {country}
festival:
  name: Icheon Ceramic Festival 2027
  start: 2027-04-24
  end: 2027-05-09
institutions:
  - id: kocef
    name: Korea Ceramic Foundation
"""
EVENTS = """events:
  - id: opening
    title: Opening
    institution: kocef
    venue: Main stage
    start: 2027-04-24T11:00
    end: 2027-04-24T12:30
  - id: concert
    title: Concert
    institution: kocef
    venue: Main stage
    start: 2027-04-24T12:00
    end: 2027-04-24T13:00
  - id: late
    title: Late
    start: 2027-05-09T18:00
    end: 2027-05-10T01:00
"""


def loaded(tmp_path: Path, text: str) -> Loaded:
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def test_events_outside_the_festival_and_overlapping_at_a_venue_warn(tmp_path: Path) -> None:
    found = loaded(tmp_path, FESTIVAL.format(country="KR") + EVENTS)
    assert [str(warning) for warning in found.warnings] == [
        f"{tmp_path}/data.yaml:29: event 3 (late): start: 2027-05-09T18:00 to 2027-05-10T01:00 "
        "is outside the festival (2027-04-24 to 2027-05-09)",
        f"{tmp_path}/data.yaml:25: event 2 (concert): start: overlaps event 1 (opening) at the "
        "same venue",
    ]


def test_a_festival_without_events_warns(tmp_path: Path) -> None:
    found = loaded(tmp_path, FESTIVAL.format(country="KR"))
    assert [str(warning) for warning in found.warnings] == [
        f"{tmp_path}/data.yaml:7: top level: festival: has no events; list them under "
        "'events', or import them from a spreadsheet (brochure import)"]


@pytest.mark.parametrize(("country", "zone"), [("KR", "Asia/Seoul"), ("US", "America/New_York"),
                                               ("DE", "Europe/Berlin")])
def test_the_zone_defaults_to_the_main_one_of_the_country(tmp_path: Path, country: str,
                                                          zone: str) -> None:
    assert loaded(tmp_path, FESTIVAL.format(country=country)).dataset.zone.key == zone


def test_the_sample_festival_loads_without_warnings(sample: Loaded) -> None:
    dataset = sample.dataset
    assert sample.warnings == []
    assert dataset.festival is not None and dataset.zone.key == "Asia/Seoul"
    assert len(dataset.events) >= 5


@pytest.mark.parametrize(("lang", "expected"), [
    ("ko", "4월 25일 (일) 오전 10:00"),
    ("en-GB", "Sun 25 April, 10:00"),
    ("en", "Sun, April 25, 10:00\u202fAM"),  # a narrow no-break space, as CLDR writes it
    ("ja", "4月25日(日) 10:00"),
])
def test_times_are_written_in_each_language(lang: str, expected: str) -> None:
    assert times.moment(datetime.datetime(2027, 4, 25, 10), lang) == expected


def test_an_event_id_used_twice_is_an_error(tmp_path: Path) -> None:
    """An event's id names it in the calendar (its UID) and on the page: one event each."""
    with pytest.raises(DataError) as raised:
        loaded(tmp_path,
               FESTIVAL.format(country="KR") + EVENTS.replace("id: concert", "id: opening"))
    assert [str(problem) for problem in raised.value.problems] == [
        f"{tmp_path}/data.yaml:21: event 2 (opening): id: id 'opening' is already used by event 1"]
