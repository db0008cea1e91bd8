"""Making one job's PDF: render, lay out, check the fit, finish; in this process or a worker.

A :class:`Workshop` holds what is slow to set up (templates, font configuration, parsed
stylesheets) and makes job after job with it; a pool's worker processes each open one.
"""

from __future__ import annotations

from jinja2 import Environment

from . import tagging
from .data import Loaded
from .errors import RenderError
from .i18n import Catalogues, LanguageMode
from .jobs import Job, Product
from .model import Dataset, Institution
from .pdf import PdfRenderer, Rendered
from .render import read_titles, render_html
from .templating import make_environment
from .theme import Theme
from .typography import load_typography


class Workshop:
    """What making outputs needs and is slow to set up: one per process, kept for its jobs."""

    def __init__(self, loaded: Loaded, theme: Theme) -> None:
        typography = load_typography(theme)
        self.dataset = loaded.dataset
        self.env = make_environment(theme, Catalogues(theme.dirs("templates")), typography)
        self.renderer = PdfRenderer(theme, loaded.path.parent,
                                    typography.css(loaded.dataset.languages))

    def make(self, job: Job) -> Product | RenderError:
        """The job's product, or the reason it cannot be made (other errors stop the build)."""
        try:
            return produce(job, self.dataset, self.env, self.renderer)
        except RenderError as error:
            return error


_workshop: Workshop | None = None  # a worker process's own


def open_workshop(loaded: Loaded, theme: Theme) -> None:
    """A worker process's initializer: set up once, for all the jobs it will make."""
    global _workshop
    _workshop = Workshop(loaded, theme)


def make(job: Job) -> Product | RenderError:
    """A worker process's task: one job with the workshop it opened."""
    assert _workshop is not None, "the pool's initializer opens the workshop"
    return _workshop.make(job)


def produce(job: Job, dataset: Dataset, env: Environment, renderer: PdfRenderer) -> Product:
    """Render one job to PDF bytes: each side laid out and checked, then put together."""
    limit = job.kind.max_institutions
    if limit and len(dataset.institutions) > limit:
        raise RenderError(f"{job.path}: a {job.kind.name} lists at most {limit} institutions, "
                          f"not {len(dataset.institutions):,}; build the flyers alone "
                          "(--only flyers) or split the data")
    institution = dataset.institution(job.institution) if job.institution else None
    sides = [_side(job, mode, dataset, institution, env, renderer) for mode in job.sides]
    rendered = sides[0][1] if len(sides) == 1 else Rendered.joined([side for _, side in sides])
    titles = {lang: title for html, _ in sides for lang, title in read_titles(html).items()}
    pdf = tagging.finish(rendered.pdf_bytes(), [html for html, _ in sides], job.mode.primary,
                         titles)
    return Product(job, pdf, rendered.pages, rendered.warnings)


def _subject(job: Job) -> str:
    return f"institution '{job.institution}'" if job.institution else f"the {job.kind.name}"


def _side(job: Job, mode: LanguageMode, dataset: Dataset, institution: Institution | None,
          env: Environment, renderer: PdfRenderer) -> tuple[str, Rendered]:
    """One side (or the whole) of an output and its HTML, with planned pages to its multiple."""
    def render(filler_pages: int = 0) -> tuple[str, Rendered]:
        html = render_html(env, dataset, job.kind, mode, layout=job.layout,
                           institution=institution, filler_pages=filler_pages)
        return html, renderer.render(html, job.kind.stylesheet)

    html, rendered = render()
    missing = -rendered.pages % job.kind.pages_multiple_of
    if missing:
        html, rendered = render(filler_pages=missing)
        if rendered.pages % job.kind.pages_multiple_of:
            raise RenderError(f"{job.path}: {rendered.pages} pages after adding {missing} planned "
                              f"pages; expected a multiple of {job.kind.pages_multiple_of}")
    if overflow := rendered.overflow():
        raise RenderError(f"{job.path}: {_subject(job)}: text runs {overflow.mm:.1f} mm past "
                          f"the edge of page {overflow.page} (\"{overflow.text.strip()[:40]}\"); "
                          "shorten it or the texts before it")
    if job.kind.max_pages and rendered.pages > job.kind.max_pages:
        side = f" ({mode.code} side)" if len(job.sides) > 1 else ""
        raise RenderError(f"{job.path}: institution '{job.institution}'{side} needs "
                          f"{rendered.pages} pages; a {job.kind.name} must fit on "
                          f"{job.kind.max_pages}. Shorten its description.")
    return html, rendered
