"""The festival's programme in the brochure: by day, then by time, in every language of the
edition, with a QR code to book each bookable event; a day never starts at the foot of a page
and an event is never split across two. Read from the PDFs' text and codes, compared with the
data and with Babel's own forms of dates.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from babel.dates import format_skeleton, format_time

from brochure.build import build
from brochure.data import Loaded, load
from brochure.lang.modes import language_modes
from brochure.plan.profiles import PROFILES

import pdfs
from sample import copy_sample

DAYS = 6  # days of a long programme, each with EVENTS events
EVENTS = 5


def made(loaded: Loaded, out: Path, mode: str, kinds: list[str]) -> Path:
    report = build(loaded, out, [language_modes(loaded.dataset.languages)[mode]], kinds,
                   profiles=[PROFILES["screen"]], workers=None)
    assert report.failed == []
    return out / "screen" / mode


@pytest.fixture(scope="module")
def sample_brochures(tmp_path_factory: pytest.TempPathFactory, sample: Loaded) -> Path:
    out = tmp_path_factory.mktemp("programme")
    for mode in ("ko", "en+ko"):
        made(sample, out, mode, ["brochure"])
    return out / "screen"


@pytest.fixture(scope="module")
def long_programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with thirty events on six days, so that days and events meet page ends."""
    folder = tmp_path_factory.mktemp("long")
    text = (Path(__file__).parent.parent / "data" / "icheon.yaml").read_text(encoding="utf-8")
    events = "".join(
        f"  - id: event-{day}-{number}\n"
        f"    title: Event {day}.{number} of the long programme\n"
        f"    venue: Venue {day}.{number}\n"
        f"    start: 2027-04-{24 + day}T{10 + number}:00\n"
        f"    end: 2027-04-{24 + day}T{10 + number}:45\n"
        f"    description: The description of event {day}.{number} runs over lines of a "
        + "brochure, so that it could be split at the foot of a page. " * ((day + number + 1) % 4)
        + f"It ends here {day}.{number}.\n"
        for day in range(DAYS) for number in range(EVENTS))
    data = copy_sample(folder / "icheon.yaml")
    data.write_text(text[:text.index("events:")] + "events:\n" + events, encoding="utf-8")
    return made(load(data), folder / "out", "en", ["brochure"]) / "brochure.pdf"


def test_a_day_is_headed_in_each_language_then_its_events_by_time(sample_brochures: Path,
                                                                  sample: Loaded) -> None:
    content = pdfs.text(sample_brochures / "en+ko" / "brochure.pdf")
    events = sorted(sample.dataset.events, key=lambda event: event.start)
    places = []
    for event in events:
        day = event.start.date()
        heading = (f"{format_skeleton('MMMMEEEEd', day, locale='en')} "
                   f"{format_skeleton('MMMMEEEEd', day, locale='ko')}")
        title = f"{event.title.by_language['en']} {event.title.by_language['ko']}"
        assert heading in content and title in content
        places.append((content.index(heading), content.index(title)))
    assert places == sorted(places)  # days, then events, in order of time
    assert all(heading < title for heading, title in places)


def test_times_are_korean_in_the_korean_brochure(sample_brochures: Path) -> None:
    content = pdfs.text(sample_brochures / "ko" / "brochure.pdf")
    assert "4월 25일 일요일" in content and "오전 10:00\u2013오후 12:00" in content
    assert "AM" not in content


def test_each_bookable_event_has_a_code_to_book(sample_brochures: Path, sample: Loaded) -> None:
    urls = {url for _, url, _ in pdfs.qr_codes(sample_brochures / "ko" / "brochure.pdf")}
    bookings = {event.booking.plain.url for event in sample.dataset.events if event.booking}
    assert len(bookings) == 2 and bookings <= urls


def test_no_event_is_split_and_no_day_starts_at_the_foot_of_a_page(long_programme: Path) -> None:
    pages = [" ".join(" ".join(lines).split()) for lines in pdfs.page_lines(long_programme)]
    first_pages = set()
    for day in range(DAYS):
        heading = format_skeleton("MMMMEEEEd", datetime.date(2027, 4, 24 + day), locale="en")
        for number in range(EVENTS):
            found = [index for index, page in enumerate(pages)
                     if f"Event {day}.{number} of" in page]
            assert len(found) == 1
            assert f"It ends here {day}.{number}." in pages[found[0]]  # the whole event there
            if number == 0:  # the heading stands on the page of the day's first event
                assert heading in pages[found[0]]
            first_pages.add(found[0])
    assert len(first_pages) > 2  # the programme runs over pages: the rules were tested


@pytest.fixture(scope="module")
def flyers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Loaded, Path]:
    """The sample's English flyers, with one more event of kocef's, after the festival."""
    folder = tmp_path_factory.mktemp("flyers")
    text = (Path(__file__).parent.parent / "data" / "icheon.yaml").read_text(encoding="utf-8")
    data = copy_sample(folder / "icheon.yaml")
    data.write_text(text + "  - id: after-the-festival\n    title: Winter kiln opening\n"
                           "    institution: kocef\n    start: 2027-12-01T10:00\n"
                           "    end: 2027-12-01T12:00\n", encoding="utf-8")
    loaded = load(data)
    return loaded, made(loaded, folder / "out", "en", ["flyer"])


@pytest.mark.parametrize("ident", ["kocef", "doyego", "cerawork", "kicet"])
def test_a_flyer_lists_its_own_events_during_the_festival_and_no_others(
        flyers: tuple[Loaded, Path], ident: str) -> None:
    loaded, out = flyers
    content = pdfs.text(out / f"flyer-{ident}.pdf")
    festival = loaded.dataset.festival
    assert festival is not None
    for event in loaded.dataset.events:
        title = event.title.resolve("en", ["en"]).text
        own = event.institution == ident and event.start.date() <= festival.end
        assert (title in content) == own, title
        if own:
            when = (f"{format_skeleton('MMMMEd', event.start, locale='en')}, "
                    f"{format_time(event.start, 'short', locale='en')}")
            assert " ".join(when.split()) in content  # as pdfs.text folds white space
