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
from importlib.metadata import version

from . import __version__
from .data import Loaded
from .errors import RenderError
from .i18n import LanguageMode
from .model import Dataset
from .render import DEFAULT_LAYOUT, KINDS, Layout, OutputKind
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
    shared = "\0".join([__version__, version("weasyprint"), theme.digest(),
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


def run(todo: Sequence[Job], loaded: Loaded, theme: Theme,
        workers: int | None = None) -> Iterator[tuple[Job, Product | RenderError]]:
    """Make the jobs, in order of ``todo``, in this process or a pool of ``workers``.

    ``None`` picks one worker per core, fewer when there are few jobs.
    """
    if workers is None:
        workers = min(os.cpu_count() or 1, len(todo) // JOBS_PER_WORKER)
    if not todo:
        return
    # WeasyPrint and the PDF tools load only when there is something to make, so a build with
    # nothing to do answers at once.
    from . import make

    if workers <= 1:
        workshop = make.Workshop(loaded, theme)
        yield from ((job, workshop.make(job)) for job in todo)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=make.open_workshop, initargs=(loaded, theme),
                             max_tasks_per_child=RECYCLE_AFTER) as pool:
        chunk = max(1, min(16, len(todo) // (workers * 4)))
        yield from zip(todo, pool.map(make.make, todo, chunksize=chunk), strict=True)
