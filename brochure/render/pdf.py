"""HTML -> PDF bytes with WeasyPrint, fetching nothing but the project's own files.

A :class:`PdfRenderer` keeps what is expensive to make (the font configuration and the parsed
stylesheets) for all the outputs of a build. WeasyPrint's own warnings are captured and returned:
for us they are bugs to fix (an ignored CSS property, a missing image), not noise.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from urllib.request import url2pathname
from xml.etree import ElementTree

import pypdfium2
from weasyprint import CSS, HTML, Document
from weasyprint.css import ColorProfile
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..data.pictures import DATA_IMAGES, images_folder, in_images
from ..lang import cores
from ..lang.typography import without_marks
from ..settings import IMAGES_KEPT, OVERFLOW_PX
from ..theme import Theme
from .pictures import PICTURE_SCHEME, PURPOSES, Pictures, Target, svg_in_cmyk

PX_TO_MM = 25.4 / 96  # WeasyPrint lays out in CSS pixels
OUTPUT_INTENT = "device-cmyk"  # the @color-profile whose profile press pictures are made for

# Tagged, for screen readers. No dates change from one build to the next, and the identifier is
# set from the content afterwards (tagging.tagged), so the same data gives the same bytes.
PDF_OPTIONS = {"pdf_tags": True}


def document_date() -> str:
    """The creation date of PDFs that must carry one (PDF/X): fixed, so builds are repeatable.

    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) sets it; otherwise it is the
    start of 2000, a date that says "not meaningful" rather than pretending to be the build's.
    """
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "946684800"))
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SafeFetcher(URLFetcher):
    """Serves theme files (user's first), the data's images folder and the core fonts
    (:mod:`brochure.lang.cores`); refuses all else.

    WeasyPrint's default fetcher reads any local file and any URL on the network; data and
    themes come from many hands, so a ``<link>`` to ``file:///etc/passwd`` or an ``@import`` of an
    internal address must never reach the PDF. Symbolic links are followed before checking.

    A data picture is asked for as ``picture:images/kiln.jpg?srgb`` (or ``?cmyk``: see
    :func:`brochure.render.templating.picture_url`) and served processed for that purpose
    (:mod:`.pictures`). Not as a ``file:`` address: WeasyPrint would read a file's own bytes
    again when it writes the PDF, metadata and all; and it names images after their address,
    which must not change with the folder the data file is in (builds give the same bytes
    wherever they run).
    """

    def __init__(self, theme: Theme, data_dir: Path | None = None) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self._theme = theme
        self._data_dir = data_dir
        self._images = images_folder(data_dir) if data_dir else None
        self._cores = cores.cache_dir().resolve()
        self.pictures = Pictures()
        self.output_intent: bytes | None = None  # the press profile, while a render uses one

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(PICTURE_SCHEME):
            return self._picture(url)
        if not url.startswith("file:"):
            raise ValueError(f"{url}: only the project's own files may be used")
        path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
        if (place := self._theme.relative(path)) is not None:
            path = self._theme.find(*place).resolve()
            if self._theme.relative(path) is None:
                raise ValueError(f"{url}: leads outside the theme")
        elif not (path.is_relative_to(self._cores)
                  or (self._images and in_images(path, self._images))):
            raise ValueError(f"{url}: outside the theme and the data's {DATA_IMAGES} folder")
        if not path.is_file():
            raise ValueError(f"{url}: no such file")
        return URLFetcherResponse(path.as_uri(), path.read_bytes())

    def _picture(self, url: str) -> URLFetcherResponse:
        """A data picture processed for its purpose: a photo by :class:`Pictures`, an SVG
        drawing (checked safe when the data loaded) with its colours in CMYK for the press."""
        name, _, purpose = url.removeprefix(PICTURE_SCHEME).partition("?")
        if self._data_dir is None or self._images is None or purpose not in PURPOSES:
            raise ValueError(f"{url}: not a picture of the data")
        path = (self._data_dir / unquote(name)).resolve()
        if not in_images(path, self._images) or not path.is_file():
            raise ValueError(f"{url}: not a file in the data's {DATA_IMAGES} folder")
        if purpose == "cmyk" and self.output_intent is None:
            raise ValueError(f"{url}: a picture for the press, and no output intent "
                             f"(@color-profile {OUTPUT_INTENT}) in the stylesheets")
        data = path.read_bytes()
        if path.suffix.lower() == ".svg":
            if self.output_intent is not None and purpose == "cmyk":
                data = svg_in_cmyk(data, self.output_intent)
            return URLFetcherResponse(path.as_uri(), data, {"Content-Type": "image/svg+xml"})
        target = Target(self.output_intent if purpose == "cmyk" else None)
        return URLFetcherResponse(url, self.pictures.get(data, target))


@dataclass(frozen=True)
class Overflow:
    """Text laid out past the edge of its page: where, by how much, and which words."""

    page: int
    mm: float
    text: str


@dataclass(frozen=True)
class Spill:
    """Content that takes more pages than it may: which part, where its text starts to spill,
    and how far past its last allowed page it runs."""

    part: str  # the element's data-part ("cover"), or "document" for the whole
    field: str | None  # the data-field of the first text on the first page too many
    budget: int
    mm: float
    size_pt: float  # the type size its spilling text was set in


@dataclass(frozen=True)
class Shown:
    """A data picture as laid out: the record and file its element names (``data-record``,
    ``data-file``), and its effective resolution where it is placed, in pixels per inch."""

    record: str
    file: str
    ppi: float


BUDGET = "data-max-pages"  # an element that may take at most this many pages
PLANNED = "data-planned"  # an element whose page the build may leave out


@dataclass
class Rendered:
    """A laid-out document and the WeasyPrint warnings raised while making it.

    ``tree`` is the HTML as WeasyPrint parsed it, for later stages to read rather than parse
    the HTML again (a document joined from several has none of its own).
    """

    document: Document
    warnings: list[str] = field(default_factory=list)
    pdf_variant: str | None = None
    tree: ElementTree.Element | None = None

    @property
    def pages(self) -> int:
        """How many pages the layout took."""
        return len(self.document.pages)

    def overflow(self) -> Overflow | None:
        """The text that runs furthest past a page's edge, if any does.

        A page that grows a second page is counted by the caller; this finds what is clipped
        instead: text pushed past the paper's edge in a fixed area such as a page margin box.
        """
        worst: Overflow | None = None
        for number, page in enumerate(self.document.pages, start=1):
            page_box = page._page_box
            width, height = page_box.margin_width(), page_box.margin_height()
            for box in page_box.descendants():
                if not isinstance(box, boxes.TextBox):
                    continue
                beyond = max(box.position_y + box.margin_height() - height, -box.position_y,
                             box.position_x + box.margin_width() - width, -box.position_x)
                if beyond > OVERFLOW_PX and (worst is None or beyond * PX_TO_MM > worst.mm):
                    worst = Overflow(number, beyond * PX_TO_MM,
                                     without_marks(box.text))
        return worst

    def gradient(self) -> str | None:
        """The first element drawn with a gradient, and what draws it:
        "header.flyer-header.band has a gradient (background-image)".

        WeasyPrint draws a gradient in RGB whatever its colours (between device-cmyk() colours
        it cannot draw one at all), so a file all in CMYK must have none; found while laid out,
        the element can be named.
        """
        for page in self.document.pages:
            for box in page._page_box.descendants():
                if drawn := _gradient(box.style):
                    return f"{_selector(box)} has {drawn}"
        return None

    def pictures(self) -> list[Shown]:
        """Each data picture the pages show, at its lowest resolution where it is placed: an
        image cropped to cover its box shows fewer of its pixels per inch than its box's."""
        lowest: dict[tuple[str, str], float] = {}
        for page in self.document.pages:
            for box in page._page_box.descendants():
                image = getattr(box, "replacement", None)
                element = getattr(box, "element", None)
                if (not isinstance(box, boxes.ReplacedBox) or element is None
                        or not element.get("data-file") or not getattr(image, "width", 0)):
                    continue  # not a data picture, or a drawing (SVG), sharp at any size
                fit = min if box.style["object_fit"] in ("contain", "scale-down") else max
                scale = fit(box.width / image.width, box.height / image.height)
                key = (element.get("data-record", ""), element.get("data-file"))
                lowest[key] = min(lowest.get(key, float("inf")), 96 / scale)
        return [Shown(record, file, ppi) for (record, file), ppi in lowest.items()]

    def spill(self, max_pages: int | None = None) -> Spill | None:
        """The first part that takes more pages than it may: the whole document beyond
        ``max_pages``, or an element beyond its ``data-max-pages`` (margin boxes aside)."""
        # Parts are elements (two note pages are two parts); the document is "document".
        budgets: dict[object, int] = {"document": max_pages} if max_pages else {}
        pages: dict[object, list[int]] = {}
        first_text: dict[tuple[object, int], tuple[str | None, float]] = {}
        bottoms: dict[tuple[object, int], float] = {}
        for number, page in enumerate(self.document.pages):
            top = page._page_box.margin_top
            for child in page._page_box.children:
                if isinstance(child, boxes.MarginBox):
                    continue
                for box, place in _walk(child):
                    part, field_name = place.part, place.field
                    if part is not None:
                        budgets.setdefault(part, int(part.get(BUDGET)))
                    for name in {part, "document"} & budgets.keys():
                        if number not in pages.setdefault(name, []):
                            pages[name].append(number)
                        if isinstance(box, boxes.TextBox):
                            first_text.setdefault((name, number),
                                                  (field_name, box.style["font_size"] * 0.75))
                        bottom = box.position_y + box.margin_height() - top
                        bottoms[name, number] = max(bottoms.get((name, number), 0), bottom)
        for part, used in pages.items():
            if len(used) > budgets[part]:
                extra = used[budgets[part]:]
                field_name, size = first_text.get((part, extra[0]), (None, 0))
                name = part if isinstance(part, str) else (
                    part.get("data-part") or part.get("class", "part").split()[0])
                return Spill(name, field_name, budgets[part],
                             sum(bottoms[part, number] for number in extra) * PX_TO_MM, size)
        return None

    def planned(self) -> list[int]:
        """The indexes of planned pages: those whose text all belongs to elements marked
        ``data-planned`` (the brochure's note pages), which the build may leave out."""
        found = []
        for index, page in enumerate(self.document.pages):
            texts = [place.planned for child in page._page_box.children
                     if not isinstance(child, boxes.MarginBox)
                     for box, place in _walk(child) if isinstance(box, boxes.TextBox)]
            if texts and all(texts):
                found.append(index)
        return found

    def without(self, pages: Sequence[int]) -> Rendered:
        """The same document without the pages at these indexes."""
        kept = [page for index, page in enumerate(self.document.pages) if index not in pages]
        return Rendered(self.document.copy(kept), self.warnings, self.pdf_variant, self.tree)

    @classmethod
    def joined(cls, parts: list[Rendered]) -> Rendered:
        """One document of the pages of several, in order (the sides of a two-sided flyer).

        The first part gives the document its metadata (title, language).
        """
        pages = [page for part in parts for page in part.document.pages]
        return cls(parts[0].document.copy(pages),
                   [warning for part in parts for warning in part.warnings],
                   parts[0].pdf_variant)

    def pdf_bytes(self) -> bytes:
        """The finished PDF; further warnings (while drawing) are added to :attr:`warnings`."""
        if self.pdf_variant:  # PDF/X asks for dates; WeasyPrint would write the clock's
            metadata = self.document.metadata
            metadata.created = metadata.modified = document_date()
        with captured_warnings() as warnings:
            data = self.document.write_pdf(pdf_variant=self.pdf_variant, **PDF_OPTIONS)
        self.warnings.extend(warnings)
        return data


class FileProfile(ColorProfile):
    """A ``@color-profile`` that goes into the PDF as the bytes of its file.

    WeasyPrint writes littleCMS's re-serialisation of a profile: 438 KB for the 185 KB
    FOGRA39 file, and not the same bytes twice, as the description tag is re-encoded once
    something has read it (the output intent's name does). The file's own bytes are smaller,
    the same in every build, and what a print shop's preflight expects to find.
    """

    def __init__(self, parsed: ColorProfile, data: bytes) -> None:
        super().__init__(io.BytesIO(data), parsed.src, parsed.rendering_intent,
                         parsed.components)
        self._data = data

    @property
    def content(self) -> bytes:
        return self._data


@dataclass(frozen=True)
class Stylesheet:
    """A parsed stylesheet, the warnings parsing it gave, and the colour profiles it declares."""

    css: CSS
    warnings: list[str]
    color_profiles: dict[str, object]


class PdfRenderer:
    """Lays out HTML with the theme's stylesheets; one per build (per worker, later).

    ``base_css`` comes before the theme's stylesheets (the per-language typography of
    :mod:`brochure.lang.typography`), so the theme can still override it.
    """

    def __init__(self, theme: Theme, data_dir: Path | None = None, base_css: str = "") -> None:
        self.theme = theme
        self.font_config = FontConfiguration()
        self.fetcher = SafeFetcher(theme, data_dir)
        with captured_warnings() as warnings:
            self._base = CSS(string=base_css, font_config=self.font_config,
                             url_fetcher=self.fetcher)
        self._base_warnings = warnings
        self._stylesheets: dict[str, Stylesheet] = {}
        self._fits: dict[float, Stylesheet] = {}
        self._images: dict[str, object] = {}  # WeasyPrint's images, by URL, and their forms

    def forget_images(self) -> None:
        """Between outputs: drop the images kept so far if they are many.

        An image every output shows (a city's emblem on each flyer) is read and decoded once;
        each institution's own picture must not pile up in memory. WeasyPrint reads the cache
        again when it writes a document, so it is trimmed only between outputs, never during one.
        An image that could not be loaded is forgotten too: every output that shows it must fail
        to load it, and say so.
        """
        if len(self._images) > IMAGES_KEPT:
            self._images.clear()
        for url in [url for url, image in self._images.items() if image is None]:
            del self._images[url]

    def stylesheet(self, name: str) -> Stylesheet:
        """A parsed stylesheet of the theme, parsed once."""
        if name not in self._stylesheets:
            path = self.theme.find("styles", name)
            color_profiles: dict[str, object] = {}
            with captured_warnings() as warnings:
                css = CSS(filename=path, font_config=self.font_config, url_fetcher=self.fetcher,
                          color_profiles=color_profiles)
            for key, parsed in color_profiles.items():
                response = self.fetcher.fetch(parsed.src)
                color_profiles[key] = FileProfile(parsed, response.read())
            self._stylesheets[name] = Stylesheet(css, warnings, color_profiles)
        return self._stylesheets[name]

    def _fit(self, scale: float) -> Stylesheet:
        """The stylesheet that sets the type scale, after the theme's."""
        if scale not in self._fits:
            css = CSS(string=f":root {{ --fit: {scale:g}; }}", font_config=self.font_config)
            self._fits[scale] = Stylesheet(css, [], {})
        return self._fits[scale]

    def render(self, html: str, stylesheets: Sequence[str], pdf_variant: str | None = None,
               fit: float = 1) -> Rendered:
        """Lay out ``html`` with the theme's stylesheets (each may ``@import`` others).

        ``pdf_variant`` is WeasyPrint's name of a PDF standard to write, such as "pdf/x-4";
        ``fit`` is the type scale, which stylesheets read as ``var(--fit)``.
        """
        parsed = [self.stylesheet(name) for name in stylesheets]
        if fit != 1:
            parsed.append(self._fit(fit))
        # A stylesheet's @color-profile (the press output intent) reaches the PDF only through
        # the mapping it was parsed with; documents without one must not get another's.
        color_profiles = {key: value for sheet in parsed
                          for key, value in sheet.color_profiles.items()}
        base_url = self.theme.dirs("templates")[-1].as_uri() + "/"
        intent = color_profiles.get(OUTPUT_INTENT)
        self.fetcher.output_intent = intent.content if intent is not None else None
        with captured_warnings() as warnings:
            source = HTML(string=html, base_url=base_url, url_fetcher=self.fetcher)
            document = source.render(
                stylesheets=[self._base, *(sheet.css for sheet in parsed)],
                font_config=self.font_config, color_profiles=color_profiles,
                pdf_variant=pdf_variant, cache=self._images)
        css_warnings = [warning for sheet in parsed for warning in sheet.warnings]
        return Rendered(document, [*self._base_warnings, *css_warnings, *warnings], pdf_variant,
                        source.etree_element)


def page_count(pdf: bytes) -> int:
    """How many pages a finished PDF has (pdfium reads only the page tree: a quarter of the
    time pikepdf takes to open the file)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


@dataclass(frozen=True)
class _Place:
    """Where a box stands: the budgeted element and the data field it belongs to, and whether
    it is inside a planned element."""

    part: ElementTree.Element | None = None
    field: str | None = None
    planned: bool = False


def _gradient(style: Mapping[str, Any]) -> str | None:
    """What draws a gradient in a computed style, if anything does: an image, or a shadow with
    a blur (drawn as gradients)."""
    images = {"background-image": style["background_image"],  # (kind, image) for each layer
              "border-image-source": (style["border_image_source"],),
              "mask-border-source": (style["mask_border_source"],)}
    for name, layers in images.items():
        if any(kind.endswith("-gradient") for kind, _image in layers):
            return f"a gradient ({name})"
    if any(blur.value for _x, _y, blur, *_rest in style["box_shadow"]):
        return "a blurred shadow (box-shadow)"
    return None


def _selector(box: boxes.Box) -> str:
    """A box's element as a selector: tag and classes ("header.band", "p.note::before"); a
    page's own box is "@page", a margin box its at-rule ("@top-center")."""
    if box.element is None:
        return getattr(box, "at_keyword", "@page")
    tag, pseudo, name = box.element_tag.partition("::")
    classes = "".join(f".{each}" for each in box.element.get("class", "").split())
    return f"{tag}{classes}{pseudo}{name}"


def _walk(box: boxes.Box, place: _Place = _Place()) -> Iterator[tuple[boxes.Box, _Place]]:
    """Every box under ``box``, with where it stands."""
    element = getattr(box, "element", None)
    if element is not None:
        place = _Place(element if element.get(BUDGET) else place.part,
                       element.get("data-field") or place.field,
                       place.planned or PLANNED in element.attrib)
    yield box, place
    for child in getattr(box, "children", ()):
        yield from _walk(child, place)


class _Collect(logging.Handler):
    """Keeps the messages of the log records it is given."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Collect WeasyPrint's warnings and errors instead of letting them scroll past."""
    messages: list[str] = []
    handler = _Collect(messages)
    weasy = logging.getLogger("weasyprint")
    weasy.addHandler(handler)
    propagate, weasy.propagate = weasy.propagate, False
    try:
        yield messages
    finally:
        weasy.removeHandler(handler)
        weasy.propagate = propagate
