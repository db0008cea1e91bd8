"""The build plan: one job per output file, each a pure description of what to make.

A job names its kind, its language mode and (for flyers) its institution; everything it needs is
in the data set and the theme, so jobs can later run in any order, in parallel, or be skipped
when their inputs have not changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jinja2 import Environment

from . import tagging
from .errors import RenderError
from .i18n import LanguageMode
from .model import Dataset, Institution
from .pdf import PdfRenderer, Rendered
from .render import DEFAULT_LAYOUT, KINDS, Layout, OutputKind, read_titles, render_html


@dataclass(frozen=True)
class Job:
    """One output file to make."""

    kind: OutputKind
    mode: LanguageMode
    institution: str | None = None
    layout: Layout = DEFAULT_LAYOUT

    @property
    def sides(self) -> list[LanguageMode]:
        """The modes of the sides: one per language when the layout puts each on its own side."""
        if self.layout.sides and self.mode.bilingual:
            return [LanguageMode(lang, (lang,)) for lang in self.mode.languages]
        return [self.mode]

    @property
    def path(self) -> str:
        """Where the output goes, relative to the output folder."""
        if self.institution:
            return f"{self.mode.code}/{self.kind.name}-{self.institution}.pdf"
        return f"{self.mode.code}/{self.kind.name}.pdf"


@dataclass
class Product:
    """What a job made: the PDF bytes, its page count, and warnings to show the user."""

    job: Job
    pdf: bytes
    pages: int
    warnings: list[str]


def plan(dataset: Dataset, modes: Sequence[LanguageMode], kinds: Iterable[str],
         layout: Layout = DEFAULT_LAYOUT) -> list[Job]:
    """Every output to build: each kind in each mode, flyers once per institution.

    A layout with one language per side applies to two-sided kinds; the others are stacked.
    """
    jobs = []
    for mode in modes:
        for name in kinds:
            kind = KINDS[name]
            kind_layout = layout if kind.two_sided or not layout.sides else DEFAULT_LAYOUT
            if kind.per_institution:
                jobs.extend(Job(kind, mode, item.id, kind_layout) for item in dataset.institutions)
            else:
                jobs.append(Job(kind, mode, layout=kind_layout))
    return jobs


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
