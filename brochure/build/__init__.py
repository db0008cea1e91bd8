"""The library entry point: a loaded data set -> PDFs and a manifest in an output folder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..data.checks import check_fonts
from ..data.loading import Loaded
from ..errors import RenderError
from ..files import locked, write_atomic
from ..lang.catalogues import Catalogues
from ..lang.modes import LanguageMode
from ..lang.typography import load_typography
from ..plan import jobs
from ..plan.folds import DEFAULT_SHEET, FoldedSheet
from ..plan.kinds import DEFAULT_LAYOUT, Layout
from ..plan.paper import paper_name
from ..plan.profiles import DEFAULT_PROFILES, PROFILES, Profile
from ..theme import Theme
from . import pool
from .manifest import Manifest, record


class Progress(Protocol):
    """Told how many outputs a build will make, then of each as it is made (or fails)."""

    def planned(self, total: int) -> None: ...

    def made(self, job: jobs.Job, result: jobs.Product | RenderError) -> None: ...


@dataclass
class BuildReport:
    """What a build made, what failed, and what the user should look at."""

    built: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    strict: list[str] = field(default_factory=list)  # warnings that --strict makes errors
    manifest: Path | None = None


def build(loaded: Loaded, out_dir: Path, modes: Sequence[LanguageMode], kinds: Sequence[str],
          theme: Theme | None = None, layout: Layout = DEFAULT_LAYOUT, *,
          profiles: Sequence[Profile] = tuple(PROFILES[name] for name in DEFAULT_PROFILES),
          force: bool = False, workers: int | None = 1, print_runs: bool = False,
          progress: Progress | None = None, sheet: FoldedSheet = DEFAULT_SHEET) -> BuildReport:
    """Build every planned output whose inputs changed; one failing output does not stop others.

    Each output is made for each of ``profiles``, into a folder named for the profile. A file
    is unchanged when the manifest holds it with the same key (the hash of its inputs) and it
    still has the bytes the manifest says; a job whose files are all unchanged is not made
    again, and ``force`` makes everything. ``workers`` processes make the outputs (``None``:
    one per core). Each PDF is written as soon as it is made and the manifest last (see
    :class:`.manifest.Manifest`); the output folder is locked for the whole build. With
    ``print_runs``, each printing profile's flyers and cards of a mode are also merged into one
    file (:mod:`brochure.finish.runs`). A leaflet is folded from ``sheet``.
    """
    theme = theme or Theme.with_user_theme()
    check_fonts(loaded, load_typography(theme))  # a character no font draws: before any layout
    report = BuildReport()
    catalogues = Catalogues(theme.dirs("templates"))
    languages = dict.fromkeys(lang for mode in modes for lang in mode.languages)
    report.warnings.extend(warning for _, warning in catalogues.missing_warnings(languages))
    planned = jobs.plan(loaded.dataset, modes, kinds, profiles, layout, sheet)
    keys = jobs.keys(planned, loaded, theme)
    planned_runs = jobs.plan_print_runs(planned) if print_runs else []
    calendars = jobs.plan_calendars(loaded.dataset, modes, kinds, profiles)
    with locked(out_dir):
        manifest = Manifest(out_dir, [path for job in planned for path in job.paths]
                            + [run.path for run in planned_runs]
                            + [item.path for item in calendars])
        todo = []
        for job in planned:
            if not force and all([manifest.keep_if_unchanged(path, keys[path])
                                  for path in job.paths]):
                report.unchanged.extend(job.paths)
            else:
                todo.append(job)
        if progress:
            progress.planned(len(todo))
        # Jobs come as they are made; the report tells of them in the plan's order.
        order = {path: number for number, path in enumerate(
            path for job in todo for path in job.paths)}
        notes: list[tuple[int, list[str], list[str]]] = []  # failures and warnings, by job
        for job, result in pool.make_all(todo, loaded, theme, workers):
            if progress:
                progress.made(job, result)
            failed, warnings = _made(job, result, keys, out_dir, manifest, report.built)
            if failed or warnings:
                notes.append((order[job.paths[0]], failed, warnings))
            if isinstance(result, jobs.Product):
                report.strict += result.strict
        report.built.sort(key=lambda entry: order[entry["path"]])
        for _, failed, warnings in sorted(notes, key=lambda note: note[0]):
            report.failed += failed
            report.warnings += warnings
        for run in planned_runs:
            _print_run(run, keys, loaded, out_dir, manifest, report, force)
        for item in calendars:
            _calendar(item, loaded, out_dir, manifest, report, force)
        report.manifest = manifest.save()
    return report


def _made(job: jobs.Job, result: jobs.Product | RenderError, keys: Mapping[str, str],
          out_dir: Path, manifest: Manifest,
          built: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Write a job's files, list them in the manifest and in ``built``: the job's failure and
    its warnings."""
    if isinstance(result, RenderError):
        for path in job.paths:
            manifest.keep_if_unchanged(path)
        return [str(result)], []
    layout_name = job.layout.name if job.mode.bilingual else None
    profiles = {profile.name: profile for profile in job.profiles}
    for file in result.files:
        write_atomic(out_dir / file.path, file.pdf)
        entry = record(file.path, job.kind.name, job.mode, file.profile,
                       file.pages, file.pdf, institution=job.institution,
                       layout=layout_name, qr=file.qr, key=keys[file.path],
                       paper=_paper(profiles[file.profile], job.sheet),
                       fold=job.sheet.fold.name if job.sheet else None)
        manifest.add(entry)
        built.append(entry)
    return [], [f"{job.name}: {message}" for message in dict.fromkeys(result.warnings)]


def _print_run(run: jobs.PrintRun, keys: Mapping[str, str], loaded: Loaded, out_dir: Path,
               manifest: Manifest, report: BuildReport, force: bool) -> None:
    """Merge a run's files into one, unless they are unchanged or one of them failed."""
    key = run.key(keys)
    members = [manifest.get(path) for path in run.members]
    if stale := [path for path, entry in zip(run.members, members, strict=True)
                 if not entry or entry.get("key") != keys[path]]:
        report.failed.append(f"{run.path}: not made: {stale[0]} could not be built")
        manifest.keep_if_unchanged(run.path)
        return
    if not force and manifest.keep_if_unchanged(run.path, key):
        report.unchanged.append(run.path)
        return
    from ..finish import preflight, runs  # start-up: loaded when a run is made (see .pool)

    pdf = runs.merge([(out_dir / path).read_bytes() for path in run.members],
                     run.mode.primary, runs.titles(loaded.dataset, run.mode))
    qr = [url for entry in members if entry for url in entry.get("qr", [])]
    findings = preflight.check(pdf, preflight.expectation(run.profile, run.kind, qr))
    if errors := [finding for finding in findings if finding.error]:
        report.failed.append("\n".join(f"{run.path}: preflight: {error}" for error in errors))
        manifest.keep_if_unchanged(run.path)
        return
    report.warnings.extend(f"{run.path}: {run.profile.name}: preflight: {finding}"
                           for finding in findings)
    write_atomic(out_dir / run.path, pdf)
    entry = record(run.path, run.kind.name, run.mode, run.profile.name,
                   sum(entry["pages"] for entry in members if entry), pdf, qr=qr,
                   key=key, run=True, paper=_paper(run.profile))
    manifest.add(entry)
    report.built.append(entry)


def _calendar(item: jobs.CalendarFile, loaded: Loaded, out_dir: Path, manifest: Manifest,
              report: BuildReport, force: bool) -> None:
    """Write the programme's calendar in a mode, unless it is unchanged."""
    key = item.key(loaded)
    if not force and manifest.keep_if_unchanged(item.path, key):
        report.unchanged.append(item.path)
        return
    from ..render.calendar import calendar  # start-up: icalendar, when a calendar is made

    data = calendar(loaded.dataset, item.mode)
    write_atomic(out_dir / item.path, data)
    entry = record(item.path, "calendar", item.mode, item.profile.name, 0, data, key=key)
    manifest.add(entry)
    report.built.append(entry)


def _paper(profile: Profile, sheet: FoldedSheet | None = None) -> str | None:
    """The name of the office paper a profile's files are on, or a leaflet is folded from,
    for the manifest."""
    paper = sheet.paper if sheet else profile.paper
    return paper_name(paper) if paper else None
