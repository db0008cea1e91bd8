"""The festival's programme checked across records: what stops a build, what only warns.

An event that names no known institution, ends before it starts, or starts at a time the
festival's clocks skip (a daylight-saving gap) is an error: printed, it would send visitors to
nowhere or at no time. An event outside the festival's dates, two events at one venue at once and
a festival without events are warnings: they may be what the organisers mean.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from ..lang.times import exists
from .model import Dataset, Event
from .problems import Location, did_you_mean, repeated_ids

Found = Iterator[tuple[Location, str]]


def errors(dataset: Dataset) -> Found:
    """The programme's errors, each at its event's field."""
    festival = dataset.festival
    if dataset.events and festival is None:
        yield ("events",), ("the events need a 'festival' with its name, start and end dates")
    if festival and festival.end < festival.start:
        yield ("festival", "end"), f"{festival.end} is before the start ({festival.start})"
    ids = dataset.ids
    yield from repeated_ids(dataset.events, "events", "event")
    for index, event in enumerate(dataset.events):
        if event.institution and event.institution not in ids:
            yield (("events", index, "institution"),
                   f"'{event.institution}' is not the id of an institution"
                   + did_you_mean(event.institution, ids))
        for name in ("start", "end"):
            when = getattr(event, name)
            if not exists(when, dataset.zone):
                yield (("events", index, name),
                       f"{written(when)} does not exist in {dataset.zone.key}: the clocks skip "
                       "it (daylight saving time begins); give a time before or after")
        if event.end <= event.start:
            yield (("events", index, "end"),
                   f"{written(event.end)} is not after the start ({written(event.start)})")


def warnings(dataset: Dataset) -> Found:
    """The programme's warnings: events outside the festival, overlaps at a venue, no events."""
    festival = dataset.festival
    if festival is None:
        return
    if not dataset.events:
        yield ("festival",), ("has no events; list them under 'events', or import them from a "
                              "spreadsheet (brochure import)")
    for index, event in enumerate(dataset.events):
        if event.start.date() < festival.start or event.end.date() > festival.end:
            yield (("events", index, "start"),
                   f"{written(event.start)} to {written(event.end)} is outside the festival "
                   f"({festival.start} to {festival.end})")
    yield from _overlaps(dataset.events)


def _overlaps(events: list[Event]) -> Found:
    """Two events at one venue (the same institution and venue) at times that overlap."""
    by_venue: dict[tuple[str | None, str], list[int]] = {}
    for index, event in enumerate(events):
        if event.venue or event.institution:
            # A text's by-language mapping is not hashable; its repr is as equal as it is.
            by_venue.setdefault((event.institution, repr(event.venue)), []).append(index)
    for indexes in by_venue.values():
        for position, index in enumerate(indexes):
            event = events[index]
            for other in indexes[:position]:
                earlier = events[other]
                if event.start < earlier.end and earlier.start < event.end:
                    yield (("events", index, "start"),
                           f"overlaps event {other + 1} ({earlier.id}) at the same venue")
                    break


def written(when: datetime.datetime) -> str:
    """A time as the data writes it: '2027-04-25T10:00'."""
    return when.isoformat(timespec="minutes")
