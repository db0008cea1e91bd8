"""The build plan: one job per output file, each a pure description of what to make.

A job names its kind, its language mode, its layout, (for flyers) its institution, and the
profiles it makes files for: profiles that lay out alike share a job, so the layout is done once
and each profile's steps (imposition, marks) finish a copy. What a file holds depends only on the
data records the job reads, the theme, the fonts, the options and the tool's version, which hash
to the file's key. So a job whose files' keys are unchanged need not run again, and jobs can run
in any order, in a pool of processes that each set up the expensive things (fonts, stylesheets,
templates) once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version

from .. import __version__
from ..data.loading import Loaded
from ..data.model import Dataset, Homepage, Institution
from ..errors import RenderError
from ..lang import cores
from ..lang.modes import LanguageMode
from ..lang.typography import fonts_digest, load_typography
from ..theme import Theme
from .folds import DEFAULT_SHEET, TRI_FOLD, FoldedSheet
from .kinds import DEFAULT_LAYOUT, KINDS, Layout, OutputKind
from .profiles import Profile


@dataclass(frozen=True)
class Job:
    """One output to lay out, and the files to make of it: one per profile."""

    kind: OutputKind
    mode: LanguageMode
    profiles: tuple[Profile, ...]
    institution: str | None = None
    layout: Layout = DEFAULT_LAYOUT
    sheet: FoldedSheet | None = None  # what a folded kind's panels are laid out on

    @property
    def sides(self) -> list[LanguageMode]:
        """The modes of the sides: one per language when the layout puts each on its own side."""
        if self.layout.sides and self.mode.bilingual:
            return self.mode.alone
        return [self.mode]

    @property
    def name(self) -> str:
        """The output's file name within each profile's folder, as messages name it."""
        if self.institution:
            return f"{self.mode.code}/{self.kind.name}-{self.institution}.pdf"
        return f"{self.mode.code}/{self.kind.name}.pdf"

    def path(self, profile: Profile) -> str:
        """Where the profile's file goes, relative to the output folder."""
        return f"{profile.name}/{self.name}"

    @property
    def paths(self) -> list[str]:
        return [self.path(profile) for profile in self.profiles]


@dataclass(frozen=True)
class PrintRun:
    """A print run: every file of a kind made per institution, in one mode and profile, as one
    PDF for the printer (:mod:`brochure.finish.runs`)."""

    kind: OutputKind
    mode: LanguageMode
    profile: Profile
    members: tuple[str, ...]  # the files it merges, in the data's order

    @property
    def path(self) -> str:
        return f"{self.profile.name}/{self.mode.code}/{self.kind.name}s.pdf"

    def key(self, keys: Mapping[str, str]) -> str:
        """A hash of its members' keys: it changes when any of them does."""
        return hashlib.sha256("\0".join(keys[path] for path in self.members).encode()).hexdigest()


def plan_print_runs(jobs: Sequence[Job]) -> list[PrintRun]:
    """The print runs of the planned jobs: one per kind made per institution, mode and profile
    that prints."""
    members: dict[tuple[OutputKind, LanguageMode, Profile], list[str]] = {}
    for job in jobs:
        if job.institution:
            for profile in job.profiles:
                if profile.print_runs:
                    members.setdefault((job.kind, job.mode, profile), []).append(job.path(profile))
    return [PrintRun(kind, mode, profile, tuple(paths))
            for (kind, mode, profile), paths in members.items()]


@dataclass(frozen=True)
class CalendarFile:
    """The festival's programme as an .ics file in one language mode, beside the screen PDFs
    (:mod:`brochure.render.calendar`)."""

    mode: LanguageMode
    profile: Profile

    @property
    def path(self) -> str:
        return f"{self.profile.name}/{self.mode.code}/programme.ics"

    def key(self, loaded: Loaded) -> str:
        """A hash of what it is made of: the whole data set, its mode, the tools' versions."""
        text = json.dumps([__version__, version("icalendar"), self.mode.code,
                           loaded.digests[None]])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan_calendars(dataset: Dataset, modes: Sequence[LanguageMode], kinds: Iterable[str],
                   profiles: Sequence[Profile]) -> list[CalendarFile]:
    """A calendar per mode beside the PDFs of the screen profile (calendars are for phones and
    computers, not paper), when the data has events and a kind that shows them is built."""
    if not dataset.events or not any("bookings" in KINDS[name].codes for name in kinds):
        return []
    return [CalendarFile(mode, profile) for profile in profiles if not profile.paper
            and not profile.bleed_mm for mode in modes]


@dataclass
class File:
    """One finished file of a job: its profile, path, bytes, page count and QR codes' URLs."""

    profile: str
    path: str
    pdf: bytes
    pages: int
    qr: tuple[str, ...] = ()


@dataclass
class Product:
    """What a job made: a file per profile, and warnings to show the user; ``strict`` are
    those of its warnings that ``--strict`` makes errors (a press picture far too soft)."""

    job: Job
    files: list[File]
    warnings: list[str]
    strict: list[str] = dataclasses.field(default_factory=list)


def keys(jobs: Sequence[Job], loaded: Loaded, theme: Theme) -> dict[str, str]:
    """The key of each file the jobs make, by path: a hash of everything the file depends on.

    A flyer reads its institution's record, the network, the city and the languages; a
    brochure reads them all. Both read the theme's files, the installed fonts (from their cores
    or whole) and the options, and depend on the versions of brochure, WeasyPrint and Pillow
    (which makes the pictures ready).
    """
    typography, languages = load_typography(theme), loaded.dataset.languages
    used = cores.cores(typography, languages)  # made here, once, before any worker starts
    shared = "\0".join([__version__, version("weasyprint"), version("pillow"), theme.digest(),
                        fonts_digest(typography, languages, used)])
    result = {}
    for job in jobs:
        for profile in job.profiles:
            description = [job.kind.name, job.mode.code, job.institution, job.layout.name,
                           _what_it_does(profile), *([job.sheet.name] if job.sheet else [])]
            text = json.dumps([shared, description, loaded.digests[job.institution]],
                              sort_keys=True)
            result[job.path(profile)] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return result


def _what_it_does(profile: Profile) -> dict[str, object]:
    """A profile as its files' keys count it: every field but its help text, as plain data
    (a change of rendering, paper or bleed remakes the profile's files)."""
    fields = dataclasses.asdict(profile)
    del fields["help"]
    return fields


def plan(dataset: Dataset, modes: Sequence[LanguageMode], kinds: Iterable[str],
         profiles: Sequence[Profile], layout: Layout = DEFAULT_LAYOUT,
         sheet: FoldedSheet = DEFAULT_SHEET) -> list[Job]:
    """Every output to build: each kind in each mode, flyers once per institution.

    Profiles that lay out alike share a job; a folded kind (the leaflet) is laid out on
    ``sheet``, the office paper folded in three, whatever the profile. A layout with one
    language per side applies to two-sided kinds; the others are stacked. The longest jobs
    (brochures) come first, then each institution's outputs together, so that the worker
    making them draws its QR code once.
    """
    groups: dict[object, list[Profile]] = {}
    for profile in profiles:
        groups.setdefault(profile.rendering, []).append(profile)
    chosen = [KINDS[name] for name in kinds if dataset.festival or not KINDS[name].festival]
    layouts = {kind: layout if kind.two_sided or not layout.sides else DEFAULT_LAYOUT
               for kind in chosen}
    jobs = []
    for group in map(tuple, groups.values()):
        jobs.extend(Job(kind, mode, _on_office_paper(group, kind), layout=layouts[kind],
                        sheet=sheet if kind.folding == TRI_FOLD else None)
                    for mode in modes for kind in chosen if not kind.per_institution)
        jobs.extend(Job(kind, mode, group, ident, layouts[kind])
                    for ident in dataset.ids for mode in modes for kind in chosen
                    if kind.per_institution)
    return jobs


def _on_office_paper(profiles: tuple[Profile, ...], kind: OutputKind) -> tuple[Profile, ...]:
    """The profiles as a kind's files need them: a poster's office file on the poster's paper."""
    if not kind.office_paper:
        return profiles
    return tuple(dataclasses.replace(profile, paper=kind.office_paper) if profile.paper
                 else profile for profile in profiles)


def _homepages(job: Job, dataset: Dataset) -> list[Homepage]:
    return [item.homepage for item in records(job, dataset) if item.homepage]


def _bookings(job: Job, dataset: Dataset) -> list[Homepage]:
    return [event.booking for event in dataset.events if event.booking]


def _festival(job: Job, dataset: Dataset) -> list[Homepage]:
    festival = dataset.festival
    return [festival.homepage] if festival and festival.homepage else []


# What a kind's QR codes lead to, by the names its ``codes`` give: the pages, from the data.
CODES: dict[str, Callable[[Job, Dataset], list[Homepage]]] = {
    "homepages": _homepages, "bookings": _bookings, "festival": _festival}


def qr_urls(job: Job, dataset: Dataset) -> tuple[str, ...]:
    """The URLs a job's QR codes must read, from the data, as the kind's ``codes`` say: the
    homepage of each institution the job shows, the booking of each event of a programme, the
    festival's homepage; in the language of each side (a bilingual side's first), tagged with
    the data's campaign for the job's kind.

    Preflight checks the files against them and the manifest keeps them; they are never read
    back from the HTML, so that a template or a QR code that changes an address fails the build.
    """
    order = dataset.languages
    pages = [page for name in job.kind.codes for page in CODES[name](job, dataset)]
    return tuple(dict.fromkeys(
        dataset.qr_url(page.resolve(side.primary, order).link.url, job.kind.name)
        for side in job.sides for page in pages))


def refusal(job: Job, institutions: int) -> RenderError | None:
    """Why a job cannot list this many institutions, if it cannot."""
    limit = job.kind.max_institutions
    if not limit or institutions <= limit:
        return None
    return RenderError(f"{job.name}: a {job.kind.name} lists at most {limit} institutions, "
                       f"not {institutions:,}; build the flyers alone (--only flyers) or split "
                       "the data")


def records(job: Job, dataset: Dataset) -> tuple[Institution, ...]:
    """The institutions a job reads: a flyer its own, a brochure all of them."""
    if job.institution:
        return (dataset.institution(job.institution),)
    return tuple(dataset.institutions)
