"""The worker pool: jobs in, each job's product (or why it failed) out, as workers finish them.

Making outputs is slow and independent, so jobs go to worker processes that each open a
:class:`~.workshop.Workshop` once.

Imports inside functions, here and in the few places that point to this note, are never there to
hide a circle (no module imports one that imports it back). They keep weight out of a process
that does not need it. The workshop, and with it WeasyPrint (30 MB), is imported inside the
functions below: the build's own process only plans, hands out records and writes. ``brochure
serve`` imports WeasyPrint when it starts. And what only some commands use is loaded when it is
used, so that every command starts fast (``benchmarks/sample.py`` times a build with nothing
to do): the PDF tools for print runs, preflight and page previews, openpyxl for workbooks,
the YAML editor for imports, fontTools' subsetter for making a core.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from ..data.loading import Loaded
from ..data.model import Dataset, Institution
from ..errors import RenderError
from ..plan.jobs import Job, Product, records, refusal
from ..settings import RECORDS_PER_WORKER, RECYCLE_AFTER
from ..theme import Theme


def make_all(todo: Sequence[Job], loaded: Loaded, theme: Theme,
             workers: int | None = None) -> Iterator[tuple[Job, Product | RenderError]]:
    """Make the jobs in this process, in order of ``todo``, or in a pool of ``workers``, as
    they are made.

    ``None`` picks one worker per core, fewer when there is little work: a flyer lays out one
    record, a brochure all of them, so three brochures of 40 institutions are worth a pool and
    three flyers are not. Workers keep the data set without its institutions and get with each
    job the records it reads, so that neither their start nor their memory grows with the
    data; they are replaced after :data:`RECYCLE_AFTER` jobs each, a fresh pool for each batch
    (the standard library's own ``max_tasks_per_child`` can hang a long run on Python 3.11).
    """
    everyone = len(loaded.dataset.institutions)
    if workers is None:
        work = sum(1 if job.institution else everyone for job in todo)
        workers = min(os.cpu_count() or 1, len(todo), work // RECORDS_PER_WORKER)
    if not todo:
        return
    dataset, data_dir = loaded.dataset, loaded.path.parent
    if workers <= 1:
        # WeasyPrint and the PDF tools load only when there is something to make, so a build
        # with nothing to do answers at once.
        from .workshop import Workshop

        workshop = Workshop(dataset, data_dir, theme)
        yield from ((job, workshop.make(job)) for job in todo)
        return
    setup = (dataset.with_institutions(()), data_dir, theme)
    batch = workers * RECYCLE_AFTER
    for start in range(0, len(todo), batch):
        jobs = todo[start:start + batch]
        made = []
        for job in jobs:  # refused here, before their records are gathered: all of them
            if error := refusal(job, everyone):
                yield job, error
            else:
                made.append(job)
        # A job that lists every institution (a brochure) is long: one a chunk, so that the
        # workers share them. The others go in chunks, each institution's together (see plan).
        short = [job for job in made if job.institution]
        chunk = max(1, min(16, len(short) // (workers * 4)))
        chunks = [[job] for job in made if not job.institution] + [
            short[i:i + chunk] for i in range(0, len(short), chunk)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_open_workshop, initargs=setup) as pool:
            yield from _as_made(pool, chunks, dataset, ahead=workers * 4)


def _as_made(pool: ProcessPoolExecutor, chunks: Sequence[Sequence[Job]], dataset: Dataset,
             ahead: int) -> Iterator[tuple[Job, Product | RenderError]]:
    """Each job and its result as its chunk is made, ``ahead`` chunks at most in the making.

    A chunk's records are gathered only when it is sent: a whole batch's at once would hold
    thousands of institutions as objects (``Executor.map`` sends every task at once). Results
    come as they are made, so that a long job (a brochure) keeps one worker busy, not both
    waiting. A build that stops early (it cannot write) does not wait for the chunks not begun.
    """
    pending = iter(chunks)
    making: dict[Future[list[Product | RenderError]], Sequence[Job]] = {}
    try:
        while True:
            while len(making) < ahead and (chunk := next(pending, None)):
                tasks = [(job, records(job, dataset)) for job in chunk]
                making[pool.submit(_make_chunk, tasks)] = chunk
            if not making:
                return
            done, _ = wait(making, return_when=FIRST_COMPLETED)
            for future in done:
                yield from zip(making.pop(future), future.result(), strict=True)
    finally:
        for future in making:
            future.cancel()


def _open_workshop(dataset: Dataset, data_dir: Path, theme: Theme) -> None:
    """A worker's start. WeasyPrint is imported in the workers only: the build's own process
    would carry it (30 MB) beside them for nothing."""
    from .workshop import open_workshop

    open_workshop(dataset, data_dir, theme)


def _make_chunk(tasks: list[tuple[Job, Sequence[Institution]]]) -> list[Product | RenderError]:
    from .workshop import make_task

    return [make_task(task) for task in tasks]
