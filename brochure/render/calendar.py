"""The festival's programme as an iCalendar file (.ics), for phones and calendar programs.

Each event keeps one UID, made of its id and the festival's, whatever the language or the day of
the build: a calendar that imports the file twice, or an updated one, keeps one copy of each
event. Times carry the festival's zone (with its VTIMEZONE), and the file has no time of its own
making: DTSTAMP is ``SOURCE_DATE_EPOCH`` when set, else the festival's first day, so the same
data gives the same bytes.
"""

from __future__ import annotations

import datetime
import hashlib
import os

import icalendar

from ..data.model import Dataset, Event, Text, slugify
from ..lang.modes import LanguageMode

PRODUCT = "-//brochure//festival programme//EN"


def calendar(dataset: Dataset, mode: LanguageMode) -> bytes:
    """The programme of the data set's festival in ``mode``: texts in each of its languages."""
    festival = dataset.festival
    assert festival is not None, "a calendar is made for a festival"
    zone = dataset.zone
    result = icalendar.Calendar()
    result.add("prodid", PRODUCT)
    result.add("version", "2.0")
    result.add("calscale", "GREGORIAN")
    result.add("x-wr-calname", _joined(festival.name, dataset, mode))
    result.add("x-wr-timezone", zone.key)
    stamp = _stamp(festival.start, zone)
    for event in dataset.events:
        item = icalendar.Event()
        item.add("uid", uid(dataset, event))
        item.add("dtstamp", stamp)
        item.add("dtstart", event.start.replace(tzinfo=zone))
        item.add("dtend", event.end.replace(tzinfo=zone))
        item.add("summary", _joined(event.title, dataset, mode))
        if where := _where(dataset, event, mode):
            item.add("location", where)
        if event.description:
            item.add("description", _joined(event.description, dataset, mode, "\n\n"))
        if event.booking:
            item.add("url", event.booking.resolve(mode.primary, dataset.languages).link.url)
        result.add_component(item)
    result.add_missing_timezones()
    return result.to_ical()


def uid(dataset: Dataset, event: Event) -> str:
    """An event's UID: its id at its festival ('wheel-masterclass@icheon-ceramic-festival-2027')."""
    assert dataset.festival is not None
    name = dataset.festival.name.resolve("en", dataset.languages).text
    festival = slugify(name) or hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
    return f"{event.id}@{festival}"


def _stamp(first_day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    """When the calendar was made, as reproducible builds say it, else the festival's start."""
    if epoch := os.environ.get("SOURCE_DATE_EPOCH"):
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return datetime.datetime.combine(first_day, datetime.time(), zone).astimezone(datetime.UTC)


def _where(dataset: Dataset, event: Event, mode: LanguageMode) -> str:
    """The venue, then the institution: 'Hall 2, Korea Ceramic Foundation'."""
    parts = [event.venue] if event.venue else []
    if event.institution:
        parts.append(dataset.institution(event.institution).name)
    return ", ".join(_joined(part, dataset, mode) for part in parts)


def _joined(value: Text, dataset: Dataset, mode: LanguageMode,
            between: str = " · ") -> str:
    """A text in each language of ``mode``, each distinct one once."""
    order = dataset.languages
    return between.join(dict.fromkeys(value.pick(lang, order)[0] for lang in mode.languages))
