"""HTML -> PDF bytes with WeasyPrint, fetching nothing but the project's own files.

A :class:`PdfRenderer` keeps what is expensive to make (the font configuration and the parsed
stylesheets) for all the outputs of a build. WeasyPrint's own warnings are captured and returned:
for us they are bugs to fix (an ignored CSS property, a missing image), not noise.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.request import url2pathname

from weasyprint import CSS, HTML, Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .theme import Theme

PX_TO_MM = 25.4 / 96  # WeasyPrint lays out in CSS pixels
TOLERANCE = 1  # px: rounding, not overflow

# Tagged, for screen readers. No dates change from one build to the next, and the identifier is
# set from the content afterwards (tagging.finish), so the same data gives the same bytes.
PDF_OPTIONS = {"pdf_tags": True}


DATA_IMAGES = "images"  # the one folder beside a data file that outputs may show files from


class SafeFetcher(URLFetcher):
    """Serves theme files (user's first) and the data's images folder; refuses all else.

    WeasyPrint's default fetcher reads any local file and any URL on the network; data and
    themes come from many hands, so a ``<link>`` to ``file:///etc/passwd`` or an ``@import`` of an
    internal address must never reach the PDF. Symbolic links are followed before checking.
    """

    def __init__(self, theme: Theme, data_dir: Path | None = None) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self._theme = theme
        self._images = (data_dir / DATA_IMAGES).resolve() if data_dir else None

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith("file:"):
            raise ValueError(f"{url}: only the project's own files may be used")
        path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
        if (place := self._theme.relative(path)) is not None:
            path = self._theme.find(*place).resolve()
            if self._theme.relative(path) is None:
                raise ValueError(f"{url}: leads outside the theme")
        elif not (self._images and path.is_relative_to(self._images)):
            raise ValueError(f"{url}: outside the theme and the data's {DATA_IMAGES} folder")
        if not path.is_file():
            raise ValueError(f"{url}: no such file")
        return URLFetcherResponse(path.as_uri(), path.read_bytes())


@dataclass(frozen=True)
class Overflow:
    """Text laid out past the edge of its page: where, by how much, and which words."""

    page: int
    mm: float
    text: str


@dataclass
class Rendered:
    """A laid-out document and the WeasyPrint warnings raised while making it."""

    document: Document
    warnings: list[str] = field(default_factory=list)

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
                if beyond > TOLERANCE and (worst is None or beyond * PX_TO_MM > worst.mm):
                    worst = Overflow(number, beyond * PX_TO_MM, box.text)
        return worst

    @classmethod
    def joined(cls, parts: list[Rendered]) -> Rendered:
        """One document of the pages of several, in order (the sides of a two-sided flyer).

        The first part gives the document its metadata (title, language).
        """
        pages = [page for part in parts for page in part.document.pages]
        return cls(parts[0].document.copy(pages),
                   [warning for part in parts for warning in part.warnings])

    def pdf_bytes(self) -> bytes:
        """The finished PDF; further warnings (while drawing) are added to :attr:`warnings`."""
        with captured_warnings() as warnings:
            data = self.document.write_pdf(**PDF_OPTIONS)
        self.warnings.extend(warnings)
        return data


class PdfRenderer:
    """Lays out HTML with the theme's stylesheets; one per build (per worker, later).

    ``base_css`` comes before the theme's stylesheets (the per-language typography of
    :mod:`brochure.typography`), so the theme can still override it.
    """

    def __init__(self, theme: Theme, data_dir: Path | None = None, base_css: str = "") -> None:
        self.theme = theme
        self.font_config = FontConfiguration()
        self.fetcher = SafeFetcher(theme, data_dir)
        with captured_warnings() as warnings:
            self._base = CSS(string=base_css, font_config=self.font_config,
                             url_fetcher=self.fetcher)
        self._base_warnings = warnings
        self._stylesheets: dict[str, tuple[CSS, list[str]]] = {}

    def stylesheet(self, name: str) -> tuple[CSS, list[str]]:
        """A parsed stylesheet of the theme (and the warnings parsing it gave), parsed once."""
        if name not in self._stylesheets:
            path = self.theme.find("styles", name)
            with captured_warnings() as warnings:
                css = CSS(filename=path, font_config=self.font_config, url_fetcher=self.fetcher)
            self._stylesheets[name] = (css, warnings)
        return self._stylesheets[name]

    def render(self, html: str, stylesheet: str) -> Rendered:
        """Lay out ``html`` with one of the theme's stylesheets (it may ``@import`` others)."""
        css, css_warnings = self.stylesheet(stylesheet)
        base_url = self.theme.dirs("templates")[-1].as_uri() + "/"
        with captured_warnings() as warnings:
            document = HTML(string=html, base_url=base_url, url_fetcher=self.fetcher).render(
                stylesheets=[self._base, css], font_config=self.font_config)
        return Rendered(document, [*self._base_warnings, *css_warnings, *warnings])


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
