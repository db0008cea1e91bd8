"""Typed records of a data set: the network, the city and its institutions.

The records are shapes only; :mod:`.loading` reads a file into them and reports problems with
file, line, record and field. A text field is a :class:`Text`: one string for every language, or a
mapping from language code to text that falls back along the data's language order; a homepage is
a :class:`Homepage`, one address or one per language, that falls back the same way.
"""

from __future__ import annotations

import datetime
import pickle
import re
import unicodedata
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, BinaryIO, Generic, TypeVar, overload
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import idna
import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from ..lang.hours import check_hours
from ..lang.modes import LanguageMode, language_modes
from ..lang.times import check_zone, zone_of
from ..plan.paper import PAPERS, unknown_paper
from ..settings import DEFAULT_COUNTRY, MAX_INSTITUTIONS, MAX_URL_LENGTH, POSTER_HIGHLIGHTS

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(?!\d)")
# In the validation context: the data file is one that an import fills, so it may have no
# institutions yet (a city whose list lives in a spreadsheet starts without one).
TO_FILL = "to_fill"


@dataclass(frozen=True)
class Localized:
    """A text as it appears in one language's output: the words and the language they are in.

    ``lang`` differs from the requested language when the text fell back, so the element can be
    marked with the language it is really in (fonts, hyphenation and screen readers follow it).
    """

    text: str
    lang: str

    @property
    def paragraphs(self) -> list[str]:
        """The text split at blank lines; line breaks inside a paragraph are ordinary spaces."""
        return [" ".join(part.split()) for part in re.split(r"\n\s*\n", self.text) if part.strip()]

    @property
    def lines(self) -> list[str]:
        """The text split at line breaks, for addresses whose line breaks matter."""
        return [line.strip() for line in self.text.splitlines() if line.strip()]


V = TypeVar("V")


@dataclass(frozen=True)
class PerLanguage(Generic[V]):
    """A value the same in every language, or one per language code: a text, a homepage.

    A language without a value of its own takes another's, along the data's language order.
    """

    plain: V | None = None
    by_language: Mapping[str, V] | None = None

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages written out; empty for a plain value, which serves every language."""
        return tuple(self.by_language or ())

    def pick(self, lang: str, order: Sequence[str]) -> tuple[V, str]:
        """The value for ``lang`` and the language it is in, falling back along ``order`` (the
        data's language order), then along the value's own."""
        if self.plain is not None:
            return self.plain, lang
        assert self.by_language is not None
        for candidate in (lang, *order, *self.by_language):
            if candidate in self.by_language:
                return self.by_language[candidate], candidate
        raise AssertionError("a value by language always holds at least one language")


def _language_codes(value: Mapping[Any, Any]) -> None:
    """Refuse a mapping by language whose keys are not all language codes."""
    for lang in value:
        if not isinstance(lang, str) or not LANGUAGE_CODE.match(lang):
            raise ValueError(f"'{lang}' is not a language code such as 'en' or 'ko'")


@dataclass(frozen=True, eq=True)
class Text(PerLanguage[str]):
    """A text field: the same string in every language, or one string per language code."""

    @classmethod
    def parse(cls, value: Any) -> Text:
        """Accept a string or a mapping of language code to string, nothing empty."""
        if isinstance(value, Text):
            return value
        if isinstance(value, str):
            if not value.strip():
                raise ValueError("must not be empty")
            return cls(plain=value.strip())
        if isinstance(value, Mapping) and value:
            _language_codes(value)
            texts = {}
            for lang, text in value.items():
                if not isinstance(text, str) or not text.strip():
                    raise ValueError(f"the '{lang}' text must be a non-empty string")
                texts[lang] = text.strip()
            return cls(by_language=texts)
        raise ValueError("must be a text, or a mapping of language code to text (en: ..., ko: ...)")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(cls.parse)

    def resolve(self, lang: str, order: Sequence[str]) -> Localized:
        """The text for ``lang``, falling back along ``order`` (the data's language order)."""
        return Localized(*self.pick(lang, order))


@dataclass(frozen=True)
class Link:
    """A web address: ``url`` is the ASCII URI for links and QR codes, ``display`` is for people."""

    url: str
    display: str


@dataclass(frozen=True)
class LocalizedLink:
    """A homepage as one language's output leads to it: the link, and the language of the page
    (another than asked when it fell back)."""

    link: Link
    lang: str


@dataclass(frozen=True, eq=True)
class Homepage(PerLanguage[Link]):
    """A homepage: one address for every language, or one per language code, so that each
    language's outputs lead to the page in that language.

    A problem with one language's address is reported at that language (``homepage.ko``).
    """

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        by_language = core_schema.dict_schema(
            core_schema.str_schema(), core_schema.no_info_plain_validator_function(_link))
        return core_schema.no_info_wrap_validator_function(cls._parse, by_language)

    @classmethod
    def _parse(cls, value: Any, by_language: ValidatorFunctionWrapHandler) -> Homepage:
        """An address, or a mapping of language code to address checked address by address."""
        if isinstance(value, Homepage):
            return value
        if not isinstance(value, Mapping):
            return cls(plain=_link(value))
        if not value:
            raise ValueError("must be a web address, or a mapping of language code to address "
                             "(en: ..., ko: ...)")
        _language_codes(value)
        return cls(by_language=by_language(value))

    def resolve(self, lang: str, order: Sequence[str]) -> LocalizedLink:
        """The page for ``lang``, falling back along ``order`` (the data's language order)."""
        return LocalizedLink(*self.pick(lang, order))


@dataclass(frozen=True)
class Phone:
    """A phone number: ``display`` in international format, ``uri`` as a ``tel:`` link."""

    display: str
    uri: str


def normalise_url(raw: str) -> Link:
    """Turn a homepage as people write it into a valid http(s) URI and a readable form.

    A missing scheme means https; host names are lower-cased and internationalised domain names
    are encoded with IDNA, so the QR code holds an address every phone can open.
    """
    text = raw.strip()
    if not text:
        raise ValueError("must not be empty")
    if any(char.isspace() for char in text):
        raise ValueError(f"'{raw}' contains spaces")
    if match := SCHEME.match(text):
        if match[1].lower() not in ("http", "https"):
            raise ValueError(f"only http and https addresses are accepted, not '{match[1]}:'")
    else:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise ValueError(f"'{raw}' is not a web address ({error})") from None
    if parts.username or parts.password:
        raise ValueError(f"'{raw}' must not contain a user name or password")
    host = parts.hostname or ""
    if not host:
        raise ValueError(f"'{raw}' has no host name such as www.example.org")
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii") if host else ""
        readable_host = idna.decode(ascii_host)
    except idna.IDNAError:
        raise ValueError(f"'{host}' is not a valid host name") from None
    if "." not in ascii_host.strip("."):
        raise ValueError(f"'{raw}' has no host name such as www.example.org")
    netloc = ascii_host + (f":{port}" if port else "")
    path, query, fragment = (_percent_encode(part, safe) for part, safe in (
        (parts.path, "/:@!$&'()*+,;=-._~"), (parts.query, "/?:@!$&'()*+,;=-._~"),
        (parts.fragment, "/?:@!$&'()*+,;=-._~")))
    scheme = parts.scheme.lower()
    url = urlunsplit((scheme, netloc, path, query, fragment))
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"is {len(url):,} characters long as a URL; a printed QR code stays "
                         f"readable up to {MAX_URL_LENGTH}: use a shorter address")
    display = readable_host + (f":{port}" if port else "") + unquote(path.rstrip("/"))
    if query:
        display += "?" + unquote(query)
    if scheme == "http":
        display = "http://" + display
    return Link(url=url, display=display)


def _percent_encode(text: str, safe: str) -> str:
    """Percent-encode what a URI cannot hold, keeping escapes that are already there."""
    pieces = re.split(r"(%[0-9A-Fa-f]{2})", text)
    return "".join(piece if index % 2 else quote(piece, safe=safe)
                   for index, piece in enumerate(pieces))


def parse_phone(raw: str, info: ValidationInfo) -> Phone:
    """Parse a phone number, reading numbers without a country code in the city's country."""
    region = (info.context or {}).get("country", DEFAULT_COUNTRY)
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValueError(f"'{raw}' is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"'{raw}' is not a valid phone number (numbers without +country are read "
                         f"as {region})")
    return Phone(
        display=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        uri=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966),
    )


def _text(value: Any) -> str:
    """A field written as text before it is parsed (a phone number YAML read as a number, say)."""
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "must be a text")
    return value


def _link(value: Any) -> Link:
    """A homepage's address as the data writes it, normalised."""
    return normalise_url(_text(value))


def check_country(code: str) -> str:
    """Accept ISO 3166 country codes that phone numbers can be read in."""
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"'{code}' is not a two-letter country code such as KR or JP")
    return code


def slugify(text: str) -> str:
    """An ASCII id fit for file names: 'Korea Ceramic Foundation' -> 'korea-ceramic-foundation'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


OpeningHoursText = Annotated[str, BeforeValidator(lambda value: check_hours(_text(value)))]
PhoneNumber = Annotated[Phone, BeforeValidator(lambda value, info: parse_phone(_text(value), info))]
Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG.pattern),
]
Year = Annotated[int, Field(ge=1000, le=2999, strict=True)]
YearMonth = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Country = Annotated[str, AfterValidator(check_country)]
LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_CODE.pattern)]


def _edition(value: Any) -> Any:
    """An edition is a list of one language, or of two side by side in reading order."""
    if not isinstance(value, list):
        raise ValueError("must be a list of one or two languages in reading order, such as "
                         "[ko, en]")
    if not 1 <= len(value) <= 2:
        raise ValueError(f"names {len(value) or 'no'} languages; an edition has one or two, in "
                         "reading order")
    return value


Edition = Annotated[list[LanguageCode], BeforeValidator(_edition)]
# Where a picture lies, relative to the data file: within its images folder, which
# :mod:`.pictures` checks when the file is loaded (it exists, is an image, is not too large).
PicturePath = Annotated[str, BeforeValidator(_text),
                        StringConstraints(min_length=1, max_length=500)]
# The point of a picture a crop keeps, as CSS object-position writes it: across, then down.
Focus = Annotated[str, BeforeValidator(_text),
                  StringConstraints(pattern=r"^(100|[1-9]?[0-9])% (100|[1-9]?[0-9])%$")]


class Record(BaseModel):
    """Base of every record: unknown keys are errors, records do not change once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class CreativeField(Record):
    """One of the network's creative fields (crafts and folk arts, design, ...)."""

    id: Slug
    name: Text


class Figures(Record):
    """The network's size at a given year, printed with that year ("as of 2020")."""

    cities: Annotated[int, Field(gt=0, strict=True)]
    countries: Annotated[int, Field(gt=0, strict=True)]
    as_of: Year


class Network(Record):
    """The network the city belongs to."""

    name: Text
    founded: YearMonth | None = None
    description: Text | None = None
    objectives: list[Text] = []
    fields: list[CreativeField] = []
    figures: Figures | None = None
    homepage: Homepage | None = None

    @property
    def founded_year_month(self) -> tuple[int, int] | None:
        """``founded`` as (year, month), for dates written in each language's form."""
        if self.founded is None:
            return None
        year, month = self.founded.split("-")
        return int(year), int(month)


class Picture(Record):
    """A photograph or drawing shown with a record: its file, what it shows for people who
    cannot see it (``alt``), whom it is credited to, and the point a crop keeps."""

    file: PicturePath
    alt: Text | None = None
    credit: Text | None = None
    focus: Focus | None = None


class City(Record):
    """The member city that publishes the brochure."""

    name: Text
    country: Country = DEFAULT_COUNTRY
    region: Text | None = None
    field: Slug | None = None
    designated: Year | None = None
    description: Text | None = None
    highlights: list[Text] = []
    membership: Text | None = None
    homepage: Homepage | None = None
    image: Picture | None = None  # the brochure's cover picture


class Institution(Record):
    """A related institution: it gets a page in the brochure and a flyer of its own."""

    id: Slug
    name: Text
    homepage: Homepage | None = None
    address: Text | None = None
    phone: PhoneNumber | None = None
    description: Text | None = None
    hours: OpeningHoursText | None = None
    image: Picture | None = None
    logo: PicturePath | None = None  # an SVG or PNG file, shown beside the contact details

    @model_validator(mode="before")
    @classmethod
    def _default_id(cls, data: Any) -> Any:
        """Without an id, the slug of the English (or first) name serves as one."""
        if not isinstance(data, Mapping) or "id" in data or "name" not in data:
            return data
        try:
            name = Text.parse(data["name"])
        except ValueError:
            return data  # the name's own error is reported
        slug = slugify(name.resolve("en", ()).text)
        if not slug:
            raise ValueError("has no id and none can be made from its name; add an 'id'")
        return {**data, "id": slug}


def _local_time(value: Any) -> datetime.datetime:
    """A time as the festival's clocks show it: '2027-04-25T10:00', without a zone."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a date and time written YYYY-MM-DDTHH:MM, e.g. "
                             "'2027-04-25T10:00'") from None
    if not isinstance(value, datetime.datetime):
        raise ValueError("must be a date and time written YYYY-MM-DDTHH:MM, e.g. "
                         "'2027-04-25T10:00'")
    if value.tzinfo is not None:
        raise ValueError("must be written without a time zone: times are the festival's "
                         "(its 'timezone')")
    return value


LocalTime = Annotated[datetime.datetime, BeforeValidator(_local_time)]
TimeZone = Annotated[str, AfterValidator(check_zone)]


class Festival(Record):
    """The festival the outputs are handed out at: its name, dates, homepage and clocks."""

    name: Text
    start: datetime.date
    end: datetime.date
    homepage: Homepage | None = None
    timezone: TimeZone | None = None  # None: the main zone of the city's country


class Event(Record):
    """One event of the festival's programme, at its local times."""

    id: Slug
    title: Text
    institution: Slug | None = None  # the institution that holds it, by id
    venue: Text | None = None
    start: LocalTime
    end: LocalTime
    booking: Homepage | None = None  # where to book: it gets a QR code of its own
    description: Text | None = None
    highlight: bool = False  # on the poster; without any, the poster shows the first events


class QrOptions(Record):
    """What every QR code's URL carries beyond its address: a campaign's parameters
    (utm_source, utm_medium, utm_campaign...), so that a site counts the readers of each kind
    of output. The printed address stays the clean one."""

    campaign: dict[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+$")],
                   Annotated[str, StringConstraints(min_length=1, max_length=100)]] = {}

    def tagged(self, url: str, content: str) -> str:
        """``url`` with the campaign's parameters and ``utm_content=content`` (the kind of
        output) after its own query, which it keeps: its own values of a parameter win."""
        if not self.campaign:
            return url
        parts = urlsplit(url)
        own = parse_qsl(parts.query, keep_blank_values=True)
        names = {name for name, _ in own}
        added = [(name, value) for name, value in
                 [*self.campaign.items(), ("utm_content", content)] if name not in names]
        return urlunsplit(parts._replace(query="&".join(
            part for part in (parts.query, urlencode(added)) if part)))


def _at_least_one(institutions: list[Institution], info: ValidationInfo) -> list[Institution]:
    """A data set has institutions, unless it is a file that an import is to fill."""
    if not institutions and not (info.context or {}).get(TO_FILL):
        raise PydanticCustomError("too_short", "must not be empty")
    return institutions


def _paper(name: str) -> str:
    """An office paper by its name in :data:`~brochure.plan.paper.PAPERS`."""
    if name not in PAPERS:
        raise ValueError(unknown_paper(name))
    return name


class Dataset(Record):
    """Everything one data file describes."""

    languages: Annotated[list[LanguageCode], Field(min_length=1)]
    # The editions to build, each one or two languages in reading order; None: the default
    # ones (:func:`brochure.lang.modes.language_modes`).
    editions: Annotated[list[Edition], Field(min_length=1)] | None = None
    network: Network
    city: City
    institutions: Annotated[list[Institution], Field(max_length=MAX_INSTITUTIONS),
                            AfterValidator(_at_least_one)]
    theme: Annotated[str, Field(min_length=1, max_length=500)] | None = None  # a folder, relative
    paper: Annotated[str, AfterValidator(_paper)] | None = None  # the office paper: a4, letter
    festival: Festival | None = None
    events: list[Event] = []  # the festival's programme
    qr: QrOptions | None = None
    _by_id: dict[str, int] = PrivateAttr(default_factory=dict)  # each institution's index
    _modes: dict[str, LanguageMode] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any) -> None:
        """Index the institutions by id once: every flyer looks its own up."""
        self._by_id = {item.id: index for index, item in enumerate(self.institutions)}
        if self.editions is None:
            self._modes = language_modes(self.languages)
        else:
            self._modes = {mode.code: mode for mode in map(LanguageMode.of, self.editions)}

    def with_institutions(self, institutions: Sequence[Institution]) -> Dataset:
        """The same data set with other institutions: what one job needs of a large one.

        A worker process keeps the data set without its institutions and gets, with each job,
        the records that job reads, so its memory does not grow with the data. Institutions
        :class:`Packed` stay packed.
        """
        kept = institutions if isinstance(institutions, Packed) else list(institutions)
        copy = self.model_copy(update={"institutions": kept})
        copy.model_post_init(None)  # its own index by id
        return copy

    @property
    def modes(self) -> dict[str, LanguageMode]:
        """The language modes the data can be built in, by code, derived once: its editions, or
        by default from its languages (:func:`brochure.lang.modes.language_modes`)."""
        return self._modes

    @property
    def ids(self) -> list[str]:
        """The institutions' ids, in the data's order."""
        return list(self._by_id)

    def field_name(self, field_id: str) -> Text | None:
        """The name of a creative field by id (the city's field, say)."""
        return next((field.name for field in self.network.fields if field.id == field_id), None)

    def institution(self, institution_id: str) -> Institution:
        """The institution with this id."""
        return self.institutions[self._by_id[institution_id]]

    def days(self, institution: str | None = None) -> list[tuple[datetime.date, list[Event]]]:
        """The programme by day, each day's events by time: all of them, or an institution's
        during the festival (a flyer lists those)."""
        festival = self.festival
        days: dict[datetime.date, list[Event]] = {}
        for event in sorted(self.events, key=lambda item: (item.start, item.end)):
            if institution is None or (
                    event.institution == institution and festival is not None
                    and festival.start <= event.start.date() <= festival.end):
                days.setdefault(event.start.date(), []).append(event)
        return list(days.items())

    @property
    def highlights(self) -> list[Event]:
        """The events a poster shows: those marked ``highlight``, else the first ones, in time
        order, at most :data:`~brochure.settings.POSTER_HIGHLIGHTS`."""
        events = sorted(self.events, key=lambda item: (item.start, item.end))
        marked = [event for event in events if event.highlight]
        return (marked or events)[:POSTER_HIGHLIGHTS]

    def qr_url(self, url: str, kind: str) -> str:
        """What a QR code on an output of ``kind`` reads for ``url``: the address, tagged with
        the data's campaign (``qr:``) if it has one. The printed address stays ``url``."""
        return self.qr.tagged(url, kind) if self.qr else url

    @property
    def zone(self) -> ZoneInfo:
        """The zone of the festival's clocks: its own, or the main one of the city's country."""
        return zone_of(self.festival.timezone if self.festival else None, self.city.country)


class Packed(Sequence[Institution]):
    """Institutions kept pickled in a file, each read and unpacked when it is asked for.

    A build's own process reads the records only to hand them to its workers. Kept as objects,
    10,000 institutions take some 40 MB, pickled 12 MB; in a file, the process keeps only
    where each record ends, so its memory does not grow with the data (``benchmarks/README.md``).
    """

    def __init__(self, file: BinaryIO, ends: Sequence[int]) -> None:
        self._file = file
        self._ends = array("Q", ends)

    @staticmethod
    def write(institutions: Iterable[Institution], file: BinaryIO) -> list[int]:
        """Pickle ``institutions`` one after the other into ``file``: where each one ends."""
        ends = []
        for item in institutions:
            file.write(pickle.dumps(item, pickle.HIGHEST_PROTOCOL))
            ends.append(file.tell())
        file.flush()
        return ends

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> Institution: ...

    @overload
    def __getitem__(self, index: slice) -> list[Institution]: ...

    def __getitem__(self, index: int | slice) -> Institution | list[Institution]:
        if isinstance(index, slice):
            return [self[number] for number in range(len(self))[index]]
        number = range(len(self))[index]  # IndexError as a list's
        start = self._ends[number - 1] if number else 0
        self._file.seek(start)
        return pickle.loads(self._file.read(self._ends[number] - start))
