"""Making one job's PDF: render, lay out, check the fit, finish; in this process or a worker.

A :class:`Workshop` holds what is slow to set up (templates, font configuration, parsed
stylesheets, the images read so far) and makes job after job with it; a pool's worker processes
each open one.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment

from ..data.model import Dataset, Institution
from ..errors import RenderError, plural
from ..finish import finished, preflight, tagging
from ..lang import cores
from ..lang.catalogues import Catalogues
from ..lang.modes import LanguageMode
from ..lang.typography import load_typography
from ..plan.jobs import File, Job, Product, qr_urls, refusal
from ..render.html import job_html, read_titles
from ..render.pdf import PdfRenderer, Rendered, page_count
from ..render.templating import make_environment
from ..settings import MIN_IMAGE_DPI, MIN_IMAGE_DPI_STRICT
from ..theme import Theme


class Workshop:
    """What making outputs needs and is slow to set up: one per process, kept for its jobs.

    ``data_dir`` is the data file's folder, whose images the outputs may show.
    """

    def __init__(self, dataset: Dataset, data_dir: Path, theme: Theme) -> None:
        typography = load_typography(theme)
        self.fit = typography.fit
        self.dataset = dataset
        self.env = make_environment(theme, Catalogues(theme.dirs("templates")), typography)
        self.base_css = typography.css(dataset.languages)  # as browsers get it: live preview
        self.renderer = PdfRenderer(theme, data_dir,  # before the theme's stylesheets
                                    cores.stylesheet(typography, dataset.languages))

    def make(self, job: Job,
             institutions: Sequence[Institution] | None = None) -> Product | RenderError:
        """The job's product, or the reason it cannot be made (other errors stop the build).

        ``institutions``, when given, are the records the job reads, in place of the data
        set's own (a worker's data set has none: see :func:`brochure.build.pool.make_all`).
        """
        dataset = self.dataset if institutions is None else (
            self.dataset.with_institutions(institutions))
        self.renderer.forget_images()
        try:
            return make_job(job, dataset, self.env, self.renderer, self.fit)
        except RenderError as error:
            return error


_workshop: Workshop | None = None  # a worker process's own


def open_workshop(dataset: Dataset, data_dir: Path, theme: Theme) -> None:
    """A worker process's initializer: set up once, for all the jobs it will make.

    A worker also ends when its build does: a build killed outright (out of memory, kill -9)
    must not leave workers waiting for jobs forever.
    """
    global _workshop
    _workshop = Workshop(dataset, data_dir, theme)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def make_task(task: tuple[Job, Sequence[Institution]]) -> Product | RenderError:
    """A worker process's task: one job, with the records it reads, in the workshop it opened."""
    assert _workshop is not None, "the pool's initializer opens the workshop"
    return _workshop.make(*task)


def make_job(job: Job, dataset: Dataset, env: Environment, renderer: PdfRenderer,
            fit: Sequence[float] = (1,)) -> Product:
    """Make one job's files: each side rendered and checked, then put together, tagged, then
    finished and preflighted for each of its profiles."""
    if refused := refusal(job, len(dataset.institutions)):
        raise refused
    sides = [_side(job, mode, dataset, env, renderer, fit) for mode in job.sides]
    rendered = sides[0][1] if len(sides) == 1 else Rendered.joined([side for _, side in sides])
    trees = [side.tree for _, side in sides if side.tree is not None]
    titles = {lang: title for tree in trees for lang, title in read_titles(tree).items()}
    pdf = tagging.tagged(rendered.pdf_bytes(), [html for html, _ in sides], trees,
                         job.mode.primary, titles)
    qr = qr_urls(job, dataset)
    files, warnings, strict = [], list(rendered.warnings), []
    shown = [picture for _, side in sides for picture in side.pictures()]
    for profile in job.profiles:
        data = finished(pdf, profile, job.kind, job.sheet)
        path = job.path(profile)
        findings = preflight.check(data, preflight.expectation(profile, job.kind, qr,
                                                               job.sheet))
        if errors := [finding for finding in findings if finding.error]:
            raise RenderError("\n".join(f"{path}: preflight: {error}" for error in errors))
        if profile.rendering.pdf_variant:  # the layout names the record of a soft picture
            for picture in shown:
                message = (f"{profile.name}: {picture.record}: {picture.file} prints at "
                           f"{picture.ppi:.0f} ppi where it is placed; the press needs "
                           f"{MIN_IMAGE_DPI} ppi or more")
                if picture.ppi < MIN_IMAGE_DPI - 1:
                    warnings.append(message)
                if picture.ppi < MIN_IMAGE_DPI_STRICT:
                    strict.append(f"{job.name}: {message}")
            findings = [finding for finding in findings if finding.check != "images"]
        warnings.extend(f"{profile.name}: preflight: {finding}" for finding in findings)
        files.append(File(profile.name, path, data, page_count(data), qr))
    return Product(job, files, warnings, strict)


def _subject(job: Job) -> str:
    return f"institution '{job.institution}'" if job.institution else f"the {job.kind.name}"


def _side(job: Job, mode: LanguageMode, dataset: Dataset, env: Environment,
          renderer: PdfRenderer, fit: Sequence[float]) -> tuple[str, Rendered]:
    """One side (or the whole) of an output and its HTML, with planned pages to its multiple.

    What does not fit its pages is set in the next smaller type scale of ``fit``, down to the
    last; what still does not fit fails the output with the part, the field and the excess.
    """
    rendering = job.profiles[0].rendering
    multiple = job.kind.pages_multiple_of
    offered = multiple - 1  # the most planned pages a count can need: laid out once, kept as needed

    html = job_html(env, dataset, job, mode, filler_pages=offered)  # the same at every scale
    stylesheets = (job.kind.stylesheet, *rendering.stylesheets)
    for scale in fit:
        rendered = renderer.render(html, stylesheets, rendering.pdf_variant, scale)
        if not (spill := rendered.spill(job.kind.max_pages)):
            break
    else:
        assert spill is not None
        side = f" ({mode.code} side)" if len(job.sides) > 1 else ""
        part = f"{job.kind.name}" if spill.part == "document" else f"{spill.part}"
        raise RenderError(f"{job.name}: {_subject(job)}{side}: {spill.field or 'the text'} runs "
                          f"{spill.mm:.1f} mm past the {part}'s {plural(spill.budget, 'page')} "
                          f"even in the smallest type ({spill.size_pt:.1f} pt); shorten it")
    if rendering.cmyk and (gradient := rendered.gradient()):
        raise RenderError(f"{job.path(job.profiles[0])}: {gradient}, which WeasyPrint draws in "
                          "RGB only: give it flat device-cmyk() colours in press.css, with no "
                          "gradient")
    if offered and len(planned := rendered.planned()) == offered:
        needed = -(rendered.pages - offered) % multiple
        rendered = rendered.without(planned[needed:])
    if rendered.pages % multiple:
        raise RenderError(f"{job.name}: {rendered.pages} pages, with {offered} planned pages "
                          f"offered; expected a multiple of {multiple} (the template must mark "
                          "each planned page's element data-planned)")
    if overflow := rendered.overflow():
        raise RenderError(f"{job.name}: {_subject(job)}: text runs {overflow.mm:.1f} mm past "
                          f"the edge of page {overflow.page} (\"{overflow.text.strip()[:40]}\"); "
                          "shorten it or the texts before it")
    return html, rendered
