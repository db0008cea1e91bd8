"""The build plan: one job per output file, each a pure description of what to make.

A job names its kind, its language mode and (for flyers) its institution; everything it needs is
in the data set and the theme, so jobs can later run in any order, in parallel, or be skipped
when their inputs have not changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jinja2 import Environment

from .errors import RenderError
from .i18n import LanguageMode
from .model import Dataset
from .pdf import PdfRenderer
from .render import KINDS, OutputKind, render_html


@dataclass(frozen=True)
class Job:
    """One output file to make."""

    kind: OutputKind
    mode: LanguageMode
    institution: str | None = None

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


def plan(dataset: Dataset, modes: Sequence[LanguageMode], kinds: Iterable[str]) -> list[Job]:
    """Every output to build: each kind in each mode, flyers once per institution."""
    jobs = []
    for mode in modes:
        for name in kinds:
            kind = KINDS[name]
            if kind.per_institution:
                jobs.extend(Job(kind, mode, item.id) for item in dataset.institutions)
            else:
                jobs.append(Job(kind, mode))
    return jobs


def produce(job: Job, dataset: Dataset, env: Environment, renderer: PdfRenderer) -> Product:
    """Render one job to PDF bytes, adding planned pages to reach the kind's page multiple."""
    institution = dataset.institution(job.institution) if job.institution else None
    html = render_html(env, dataset, job.kind, job.mode, institution)
    rendered = renderer.render(html, job.kind.stylesheet)
    missing = -rendered.pages % job.kind.pages_multiple_of
    if missing:
        html = render_html(env, dataset, job.kind, job.mode, institution, filler_pages=missing)
        rendered = renderer.render(html, job.kind.stylesheet)
        if rendered.pages % job.kind.pages_multiple_of:
            raise RenderError(f"{job.path}: {rendered.pages} pages after adding {missing} planned "
                              f"pages; expected a multiple of {job.kind.pages_multiple_of}")
    if job.kind.max_pages and rendered.pages > job.kind.max_pages:
        raise RenderError(f"{job.path}: institution '{job.institution}' needs {rendered.pages} "
                          f"pages; a {job.kind.name} must fit on {job.kind.max_pages}. "
                          "Shorten its description.")
    return Product(job, rendered.pdf_bytes(), rendered.pages, rendered.warnings)
