"""(data set, job) -> HTML: the templates filled in for one output. Pure: no files are written.

The kinds of output are a small registry; adding one (a poster, a card) means adding a row here
and its template and stylesheet in the theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from jinja2 import Environment, TemplateError

from .errors import ThemeError
from .i18n import LanguageMode
from .model import Dataset, Institution
from .profiles import Rendering


@dataclass(frozen=True)
class OutputKind:
    """A kind of output: its template, its stylesheet, and whether each institution gets one."""

    name: str
    option: str  # how `brochure build --only` names it
    template: str
    stylesheet: str
    per_institution: bool
    pages_multiple_of: int = 1  # a folded, stapled brochure needs a multiple of 4
    max_pages: int | None = None  # per side: a flyer is exactly one page
    two_sided: bool = False  # may put one language on each side
    max_institutions: int | None = None  # a brochure that lists thousands is not a brochure
    folding: str = "flat"  # "booklet": folded and stapled, so an office prints it as a booklet


@dataclass(frozen=True)
class Layout:
    """How a bilingual output sets its two languages; templates see it as ``layout``."""

    name: str
    help: str
    sides: bool = False  # one language per side, for kinds that are two-sided


KINDS = {
    kind.name: kind
    for kind in (
        OutputKind("brochure", "brochure", "brochure.html", "brochure.css", per_institution=False,
                   pages_multiple_of=4, max_institutions=300, folding="booklet"),
        OutputKind("flyer", "flyers", "flyer.html", "flyer.css", per_institution=True, max_pages=1,
                   two_sided=True),
        OutputKind("card", "cards", "card.html", "card.css", per_institution=True, max_pages=1,
                   two_sided=True),
    )
}

LAYOUTS = {
    layout.name: layout
    for layout in (
        Layout("stacked", "each block in the first language, then in the second"),
        Layout("columns", "the two languages side by side, in facing columns"),
        Layout("front-back", "flyers: one language on each side (the brochure is stacked)",
               sides=True),
    )
}
DEFAULT_LAYOUT = LAYOUTS["stacked"]


@dataclass(frozen=True)
class Titles:
    """A document's title and subject in one language, as its template writes them."""

    title: str
    subject: str


def read_titles(tree: ElementTree.Element) -> dict[str, Titles]:
    """The title and subject in each language, as the template wrote them in the HTML's head.

    ``tree`` is the HTML as WeasyPrint parses it: without namespaces on HTML elements."""
    head = tree.find("head")
    found: dict[str, dict[str, str]] = {}
    for meta in head if head is not None else []:
        if meta.get("name") in ("title", "subject") and meta.get("lang"):
            found.setdefault(meta.get("lang"), {})[meta.get("name")] = meta.get("content", "")
    return {lang: Titles(values.get("title", ""), values.get("subject", ""))
            for lang, values in found.items()}


SCREEN = Rendering()  # how outputs are drawn unless a profile asks otherwise


def render_html(env: Environment, dataset: Dataset, kind: OutputKind, mode: LanguageMode, *,
                layout: Layout = DEFAULT_LAYOUT, rendering: Rendering = SCREEN,
                institution: Institution | None = None, filler_pages: int = 0) -> str:
    """The HTML of one output; ``filler_pages`` planned pages are offered, of which the build
    keeps as many as the page multiple needs.

    Templates see ``rendering`` to draw what CSS cannot reach, such as a QR code in CMYK.
    """
    try:
        template = env.get_template(kind.template)
        return template.render(dataset=dataset, mode=mode, layout=layout, rendering=rendering,
                               institution=institution, filler_pages=filler_pages)
    except TemplateError as error:
        lineno = getattr(error, "lineno", None)
        where = f"{getattr(error, 'filename', None) or kind.template}:{lineno}: " if lineno else ""
        raise ThemeError(f"{where}template {kind.template}: {error.message}") from error
