"""Festival times: the zone they are in, whether they exist there, and how each language writes
them.

The data writes an event's times as the clocks at the festival show them, without a zone; the
festival's ``timezone`` (an IANA name, from the tz database that ``tzdata`` ships) says which
clocks. Without one, the zone is the main one of the city's country: the first the tz database
lists for it in ``zone.tab``, which lists the most populous zone of a country first (Seoul,
New York, Berlin). Days and times are written in each language's own form, from CLDR through
Babel: "Sun, April 25, 10:00 AM", "4월 25일 (일) 오전 10:00".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_interval, format_skeleton, format_time

from .catalogues import locale

RANGE = "\u2013"  # an en dash between the ends of a time range


@cache
def main_zones() -> dict[str, str]:
    """Each country's main zone, by ISO 3166 code, from the tz database's ``zone.tab``."""
    zones: dict[str, str] = {}
    for line in (files("tzdata.zoneinfo") / "zone.tab").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            country, _, name = line.split("\t")[:3]
            zones.setdefault(country, name)
    return zones


def check_zone(name: str) -> str:
    """Accept an IANA time zone name such as 'Asia/Seoul'."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{name}' is not a time zone such as 'Asia/Seoul' or "
                         "'America/New_York'") from None
    if name not in available_timezones():  # a file that happens to exist, such as 'zone.tab'
        raise ValueError(f"'{name}' is not a time zone such as 'Asia/Seoul'")
    return name


def zone_of(timezone: str | None, country: str) -> ZoneInfo:
    """The festival's zone: its own, or its city's country's main one (UTC for none)."""
    return ZoneInfo(timezone or main_zones().get(country, "UTC"))


def exists(local: datetime.datetime, zone: ZoneInfo) -> bool:
    """Whether the clocks in ``zone`` ever show ``local``: not in a daylight-saving gap."""
    there = local.replace(tzinfo=zone)
    return there.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) == local


def day(moment: datetime.date, lang: str) -> str:
    """A day as a heading of the programme: 'Sunday, April 25', '4월 25일 일요일'."""
    return format_skeleton("MMMMEEEEd", moment, locale=locale(lang))


def short_day(moment: datetime.date, lang: str) -> str:
    """A day in a line of text: 'Sun, April 25', '4월 25일 (일)'."""
    return format_skeleton("MMMMEd", moment, locale=locale(lang))


def clock(moment: datetime.datetime, lang: str) -> str:
    """A time of day: '10:00 AM', '오전 10:00', '10:00'."""
    return format_time(moment, "short", locale=locale(lang))


def span(start: datetime.datetime, end: datetime.datetime, lang: str) -> str:
    """An event's times, '10:00 AM-12:00 PM' with an en dash; both days if it ends on another."""
    if start.date() == end.date():
        return f"{clock(start, lang)}{RANGE}{clock(end, lang)}"
    return f"{moment(start, lang)} {RANGE} {moment(end, lang)}"


def moment(when: datetime.datetime, lang: str) -> str:
    """A day and time in a line of text: 'Sun 25 April, 10:00' (en-GB), '4월 25일 (일) 오전
    10:00', joined as the language joins a date and a time."""
    glue = str(locale(lang).datetime_formats["medium"])
    return glue.replace("{1}", short_day(when, lang)).replace("{0}", clock(when, lang))


def dates(start: datetime.date, end: datetime.date, lang: str) -> str:
    """A festival's dates: 'Apr 24 - May 9, 2027', '2027년 4월 24일~5월 9일'."""
    return format_interval(start, end, "yMMMd", locale=locale(lang))


# How templates name the forms of dates and times (the filter ``when``), with what each takes.
FORMS: dict[str, Callable[..., str]] = {
    "day": day,  # a date
    "short_day": short_day,  # a date
    "clock": clock,  # a time
    "moment": moment,  # a date and time
    "span": span,  # (start, end) date and times
    "dates": dates,  # (start, end) dates
}
