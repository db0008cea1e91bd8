"""The build plan: one job per output file, each a pure description of what to make.

A job names its kind, its language mode, its layout and (for flyers) its institution; what it
makes depends only on the data records it reads, the theme, the fonts and the tool's version,
which hash to its key. So a job whose key is unchanged need not run again, and jobs can run in
any order, in a pool of processes that each set up the expensive things (fonts, stylesheets,
templates) once.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import weasyprint
from jinja2 import Environment

from . import __version__, tagging
from .data import Loaded
from .errors import RenderError
from .i18n import Catalogues, LanguageMode
from .model import Dataset, Institution
from .pdf import PdfRenderer, Rendered
from .render import DEFAULT_LAYOUT, KINDS, Layout, OutputKind, read_titles, render_html
from .templating import make_environment
from .theme import Theme
from .typography import fonts_digest, load_typography

RECYCLE_AFTER = 200  # jobs per worker process, so that memory stays flat on long runs
JOBS_PER_WORKER = 4  # below this, starting a process costs more than it saves


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


def keys(jobs: Sequence[Job], loaded: Loaded, theme: Theme) -> dict[Job, str]:
    """The key of each job: a hash of everything its output depends on.

    A flyer reads its institution's record, the network, the city and the languages; a
    brochure reads them all. Both read the theme's files, the installed fonts and the options,
    and depend on the versions of brochure and WeasyPrint.
    """
    tree = loaded.tree
    shared = "\0".join([__version__, weasyprint.__version__, theme.digest(),
                        fonts_digest(load_typography(theme), loaded.dataset.languages)])
    common = {name: tree.get(name) for name in ("languages", "network", "city")}
    positions = {item.id: index for index, item in enumerate(loaded.dataset.institutions)}
    result = {}
    for job in jobs:
        if job.institution:
            records = {**common, "institution": tree["institutions"][positions[job.institution]]}
        else:
            records = tree
        description = [job.kind.name, job.mode.code, job.institution, job.layout.name]
        text = json.dumps([shared, description, records], sort_keys=True, default=str)
        result[job] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return result


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


def run(todo: Sequence[Job], loaded: Loaded, theme: Theme,
        workers: int | None = None) -> Iterator[tuple[Job, Product | RenderError]]:
    """Make the jobs, in order of ``todo``, in this process or a pool of ``workers``.

    ``None`` picks one worker per core, fewer when there are few jobs.
    """
    if workers is None:
        workers = min(os.cpu_count() or 1, len(todo) // JOBS_PER_WORKER)
    if workers <= 1:
        workshop = Workshop(loaded, theme)
        yield from ((job, workshop.make(job)) for job in todo)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_open_workshop, initargs=(loaded, theme),
                             max_tasks_per_child=RECYCLE_AFTER) as pool:
        chunk = max(1, min(16, len(todo) // (workers * 4)))
        yield from zip(todo, pool.map(_make, todo, chunksize=chunk), strict=True)


_workshop: Workshop | None = None  # a worker process's own


def _open_workshop(loaded: Loaded, theme: Theme) -> None:
    global _workshop
    _workshop = Workshop(loaded, theme)


def _make(job: Job) -> Product | RenderError:
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
