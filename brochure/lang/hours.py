"""Opening hours: checked in OpenStreetMap's syntax, printed in each language.

The data writes hours as OpenStreetMap's ``opening_hours`` tag ("Tu-Su 09:00-18:00; Mo off;
PH off"), which people already know and which the ``opening-hours`` library checks against the
whole specification. The printed form ("Tue-Sun 09:00-18:00 · Mon closed", ranges joined by an
en dash) takes weekday names from CLDR through Babel; only the words "closed" and "public
holidays" come from the message catalogues, through the template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from babel.dates import get_day_names
from opening_hours import OpeningHours, ParserError

from .catalogues import digits, locale

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")  # OSM's order, Babel's numbering (0 = Monday)
DAY = "(?:Mo|Tu|We|Th|Fr|Sa|Su)"
DAY_SELECTOR = rf"(?:PH|{DAY}(?:-{DAY})?)(?:,(?:PH|{DAY}(?:-{DAY})?))*"
SPAN = r"\d\d:\d\d-\d\d:\d\d"
RULE = re.compile(
    rf"(?P<days>{DAY_SELECTOR})(?: (?:(?P<off>off|closed)|(?P<spans>{SPAN}(?:,{SPAN})*)))")
RANGE = "\u2013"  # an en dash, as typesetting joins the ends of a range
WHERE = re.compile(r"-->\s*\d+:(\d+)")  # the library's report: " --> 1:16 ... = expected minute"
EXPECTED = re.compile(r"=\s*(.+)")


def check_hours(text: str) -> str:
    """Accept ``text`` if it is valid opening hours syntax; the message says where it breaks."""
    try:
        OpeningHours(text)
    except ParserError as error:
        report = str(error)
        where = f" at column {column[1]}" if (column := WHERE.search(report)) else ""
        expected = f": {found[1].strip()}" if (found := EXPECTED.search(report)) else ""
        raise ValueError(f"'{text}' is not valid opening hours syntax{where}{expected}") from None
    return text


def format_hours(text: str, lang: str, closed: str, holidays: str) -> str:
    """``text`` in ``lang``: "Tu-Su 09:00-18:00; Mo off; PH off" -> "Tue-Sun 09:00-18:00 · Mon
    closed · public holidays closed"; ``closed`` and ``holidays`` are those words in ``lang``.

    Only the common shapes are summarised: rules separated by ``;``, each weekdays (ranges and
    lists) or ``PH``, then time spans, ``off`` or ``closed``. Any other rule (days alone, months,
    weeks, sunrise, comments, ``24/7``...) makes the whole text print as the data writes it: a
    reader can still make sense of OSM's text, but not of a wrong summary.
    """
    rules = [RULE.fullmatch(rule.strip()) for rule in text.split(";") if rule.strip()]
    if not rules or not all(rules):
        return text
    names = get_day_names("abbreviated", locale=locale(lang))
    return " · ".join(f"{_days(match['days'], names, holidays)} "
                      f"{closed if match['off'] else digits(_spans(match['spans']), lang)}"
                      for match in rules if match)


def _days(selector: str, names: Mapping[int, str], holidays: str) -> str:
    """'Mo-Fr,Su' -> 'Mon-Fri, Sun'; 'PH' -> 'public holidays'."""
    def name(day: str) -> str:
        return holidays if day == "PH" else names[DAYS.index(day)]
    return ", ".join(RANGE.join(map(name, part.split("-"))) for part in selector.split(","))


def _spans(spans: str) -> str:
    """'09:00-12:00,13:00-18:00' -> '09:00-12:00, 13:00-18:00' (en dashes)."""
    return spans.replace("-", RANGE).replace(",", ", ")
