"""(data set, job) -> HTML: the templates filled in for one output. Pure: no files are written.

The kinds of output are a small registry; adding one (a poster, a card) means adding a row here
and its template and stylesheet in the theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from jinja2 import Environment, TemplateError

from ..data.model import Dataset, Institution
from ..errors import ThemeError
from ..lang.modes import LanguageMode
from ..plan.folds import FoldedSheet
from ..plan.jobs import Job
from ..plan.kinds import DEFAULT_LAYOUT, Layout, OutputKind
from ..plan.profiles import Rendering


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


DEFAULT_RENDERING = Rendering()  # how outputs are drawn unless a profile asks otherwise


def render_html(env: Environment, dataset: Dataset, kind: OutputKind, mode: LanguageMode, *,
                layout: Layout = DEFAULT_LAYOUT, rendering: Rendering = DEFAULT_RENDERING,
                institution: Institution | None = None, filler_pages: int = 0,
                sheet: FoldedSheet | None = None) -> str:
    """The HTML of one output; ``filler_pages`` planned pages are offered, of which the build
    keeps as many as the page multiple needs.

    Templates see ``rendering`` to draw what CSS cannot reach, such as a QR code in CMYK, and
    a folded kind's ``panels`` by name, with the size each must have (from ``sheet``).
    """
    panels = {panel.name: panel for panel in sheet.panels()} if sheet else {}
    try:
        template = env.get_template(kind.template)
        return template.render(dataset=dataset, kind=kind, mode=mode, layout=layout,
                               rendering=rendering, institution=institution,
                               filler_pages=filler_pages, panels=panels)
    except TemplateError as error:
        lineno = getattr(error, "lineno", None)
        where = f"{getattr(error, 'filename', None) or kind.template}:{lineno}: " if lineno else ""
        raise ThemeError(f"{where}template {kind.template}: {error.message}") from error


def job_html(env: Environment, dataset: Dataset, job: Job, mode: LanguageMode,
             filler_pages: int = 0) -> str:
    """The HTML of a job's output in ``mode`` (the whole, or one side), as its profiles lay it
    out: the build and the live preview both render through here."""
    institution = dataset.institution(job.institution) if job.institution else None
    return render_html(env, dataset, job.kind, mode, layout=job.layout,
                       rendering=job.profiles[0].rendering, institution=institution,
                       filler_pages=filler_pages, sheet=job.sheet)
