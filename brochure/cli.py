"""The ``brochure`` command: parses options, prints, sets exit codes; the work is elsewhere.

Exit codes: 0 success, 1 bad data or a failed build, 2 usage.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
import webbrowser
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from . import __version__
from .build import build as build_outputs
from .build import manifest
from .data.checks import check as check_data
from .data.loading import Loaded, load, load_apart
from .errors import BrochureError, error_lines, plural
from .lang.catalogues import Catalogues
from .lang.modes import known_code
from .lang.typography import load_typography
from .plan.folds import DEFAULT_FOLD, FOLDS, FoldedSheet
from .plan.jobs import Job, Product
from .plan.kinds import DEFAULT_LAYOUT, KINDS, LAYOUTS
from .plan.paper import DEFAULT_PAPER, PAPERS
from .plan.profiles import DEFAULT_PROFILES, PROFILES, on_paper
from .project import Project, load_project
from .settings import MIN_IMAGE_DPI_STRICT
from .theme import Theme

DEFAULT_DATA = Path("data/icheon.yaml")
ONLY = {kind.option: [name] for name, kind in KINDS.items()}
DEFAULT_KINDS = [name for name, kind in KINDS.items() if kind.default]  # without --only

data_option = click.option(
    "--data", "data_path", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_DATA,
    show_default=True, help="The data file (YAML).")
theme_option = click.option(
    "--theme", "theme_dir", type=click.Path(path_type=Path, file_okay=False),
    help="A folder of templates/, styles/... that override the default theme file by file.")
strict_option = click.option(
    "--strict", is_flag=True, help="Treat warnings as errors (exit 1), for CI.")


def out_option(help: str) -> Any:
    """``--out``, the output folder, as each command reads it."""
    return click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
                        default=Path("output"), show_default=True, help=help)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="brochure")
@click.option("--debug", is_flag=True, help="Show the traceback behind an error.")
@click.pass_obj
def cli(options: dict[str, Any], debug: bool) -> None:
    """Print-ready, bilingual PDF brochures and flyers with QR codes."""
    options["debug"] = debug  # read by main() when an error comes back


@cli.command()
@data_option
@out_option("Where the PDFs go.")
@click.option("--lang", "langs", multiple=True, metavar="MODE",
              help="A language mode (edition) to build (repeatable): a language of the data, "
                   "or a pair in reading order such as en+ko. Default: all of the data's.")
@click.option("--only", type=click.Choice(sorted(ONLY)), help="Build one kind of output only.")
@click.option("--layout", type=click.Choice(list(LAYOUTS)), default=DEFAULT_LAYOUT.name,
              show_default=True, help="How bilingual outputs set their two languages: "
              + "; ".join(f"{name}: {layout.help}" for name, layout in LAYOUTS.items()) + ".")
@click.option("--profile", "profiles", multiple=True, type=click.Choice(list(PROFILES)),
              help="Who the files are for (repeatable): "
              + "; ".join(f"{name}: {profile.help}" for name, profile in PROFILES.items())
              + f". Default: {' and '.join(DEFAULT_PROFILES)}.")
@click.option("--paper", type=click.Choice(list(PAPERS)),
              help="The office paper the office files are imposed on. Default: the data "
                   f"file's paper:, else brochure.toml's, else {DEFAULT_PAPER}.")
@click.option("--fold", type=click.Choice(list(FOLDS)),
              help="How the leaflet's sheet (the office paper) is folded in three: "
              + "; ".join(f"{name}: {fold.help}" for name, fold in FOLDS.items())
              + f". Default: brochure.toml's fold, else {DEFAULT_FOLD}.")
@click.option("--force", is_flag=True, help="Make every output, even those whose inputs have "
                                            "not changed since the last build.")
@click.option("--print-run", "print_runs", is_flag=True,
              help="Also merge each printing profile's flyers (and cards) of a language mode "
                   "into one PDF for the printer, PROFILE/MODE/flyers.pdf, fonts shared.")
@click.option("--jobs", "workers", type=click.IntRange(min=1), metavar="N",
              help="Processes that make outputs at once. Default: one per core, fewer for "
                   "small builds.")
@theme_option
@strict_option
@click.option("--quiet", "-q", is_flag=True, help="Print errors only.")
@click.option("--verbose", "-v", is_flag=True, help="Print each file as it is written.")
@click.option("--open", "open_main", is_flag=True,
              help="Open the main PDF (the brochure on screen, else the first file) when done.")
def build(data_path: Path, out_dir: Path, langs: tuple[str, ...], only: str | None,
          layout: str, profiles: tuple[str, ...], paper: str | None, fold: str | None,
          force: bool,
          print_runs: bool, workers: int | None, theme_dir: Path | None, strict: bool,
          quiet: bool, verbose: bool, open_main: bool) -> None:
    """Build the brochures, flyers and cards into the output folder.

    On a terminal a progress bar shows the count and the time left; the end is a table of what
    was built and where. Piped or redirected, the output is plain text.
    """
    loaded = load_apart(data_path)
    theme = choose_theme(theme_dir, loaded)
    modes = [loaded.dataset.modes[code]
             for code in choose_modes(langs, list(loaded.dataset.modes), loaded.path)]
    if not quiet:
        show_warnings(loaded.warnings)
    if strict and loaded.warnings:
        raise BrochureError(f"{plural(len(loaded.warnings), 'warning')} in {data_path} (--strict)")
    kinds = ONLY[only] if only else DEFAULT_KINDS
    started = time.perf_counter()
    office_paper = PAPERS[choose_paper(paper, loaded)]
    chosen = on_paper([PROFILES[name] for name in dict.fromkeys(profiles or DEFAULT_PROFILES)],
                      office_paper)
    sheet = FoldedSheet(FOLDS[fold or project().fold or DEFAULT_FOLD], office_paper)
    console = Console(highlight=False, soft_wrap=True)
    if not console.is_terminal:  # a file or a pipe: full lines, not cut at 80 columns
        console = Console(highlight=False, soft_wrap=True, width=1000)
    with BuildProgress(console, out_dir, bar=not quiet, verbose=verbose and not quiet) as progress:
        report = build_outputs(loaded, out_dir, modes, kinds, theme, LAYOUTS[layout],
                               profiles=chosen, force=force, workers=workers,
                               print_runs=print_runs, progress=progress, sheet=sheet)
    if not quiet:
        show_warnings(report.warnings)
    for line in (line for failure in report.failed for line in error_lines(failure)):
        click.echo(line, err=True)
    if not quiet:
        seconds = time.perf_counter() - started
        if report.built:
            console.print(summary(report.built, out_dir))
        unchanged = f", {len(report.unchanged)} unchanged," if report.unchanged else ""
        console.print(f"built {plural(len(report.built), 'file')}{unchanged} in {out_dir} "
                      f"in {seconds:.1f} s", markup=False)
    if report.failed:
        raise BrochureError(f"{len(report.failed)} output(s) could not be built")
    if strict and report.strict:  # each is among the warnings above
        raise BrochureError(f"{plural(len(report.strict), 'picture')} under "
                            f"{MIN_IMAGE_DPI_STRICT} ppi on press (--strict)")
    if open_main and (main_pdf := choose_main(report.built)):
        click.launch(str(out_dir / main_pdf))


class BuildProgress:
    """The build as it goes: a bar with counts and time left on a terminal (none otherwise),
    and with ``verbose`` a line for each file written."""

    def __init__(self, console: Console, out_dir: Path, *, bar: bool, verbose: bool) -> None:
        self.console, self.out_dir, self.verbose = console, out_dir, verbose
        self.bar = Progress(TextColumn("making"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("outputs, time left"), TimeRemainingColumn(),
                            console=console, transient=True,
                            disable=not (bar and console.is_terminal))
        self.task: TaskID | None = None

    def __enter__(self) -> BuildProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def planned(self, total: int) -> None:
        self.task = self.bar.add_task("build", total=total)

    def made(self, job: Job, result: Product | BrochureError) -> None:
        if self.task is not None:
            self.bar.advance(self.task)
        if self.verbose and isinstance(result, Product):
            for file in result.files:
                self.console.print(f"wrote {self.out_dir / file.path} "
                                   f"({plural(file.pages, 'page')})", markup=False)


def summary(built: Sequence[dict[str, Any]], out_dir: Path) -> Table:
    """What a build made, by profile and kind: how many files, pages, and where they are."""
    table = Table("profile", "kind", "files", "pages", "where", box=None, pad_edge=False)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for entry in built:
        kind = f"{entry['kind']} run" if entry.get("run") else entry["kind"]
        groups.setdefault((entry["profile"], kind), []).append(entry)
    for (profile, kind), entries in groups.items():
        modes = sorted({entry["lang"] for entry in entries})
        folder = out_dir / profile / (modes[0] if len(modes) == 1 else "{" + ",".join(modes) + "}")
        table.add_row(profile, kind, str(len(entries)),
                      str(sum(entry["pages"] for entry in entries)), str(folder))
    return table


def choose_main(built: Sequence[dict[str, Any]]) -> str | None:
    """The file to open after a build: the screen brochure if one was made, else the first."""
    brochures = [entry["path"] for entry in built
                 if entry["kind"] == "brochure" and entry["profile"] == "screen"]
    return (brochures or [entry["path"] for entry in built] or [None])[0]


@cli.command()
@data_option
@theme_option
@strict_option
def check(data_path: Path, theme_dir: Path | None, strict: bool) -> None:
    """Validate the data without rendering: errors, translation and font coverage."""
    loaded = load(data_path)
    theme = choose_theme(theme_dir, loaded)
    report = check_data(loaded, load_typography(theme), Catalogues(theme.dirs("templates")))
    show_warnings(report.warnings)
    dataset = loaded.dataset
    click.echo(f"{data_path}: {plural(len(dataset.institutions), 'institution')}, "
               f"language modes {', '.join(dataset.modes)}")
    click.echo(f"translations: {', '.join(str(item) for item in report.coverage)}")
    click.echo(f"editions: {', '.join(str(item) for item in report.editions)}")
    if strict and report.warnings:
        raise BrochureError(f"{plural(len(report.warnings), 'warning')} (--strict)")
    click.echo(f"ok, {plural(len(report.warnings), 'warning')}")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--city", required=True, help="The city's name, as the first language writes it.")
@click.option("--languages", default="en", show_default=True, metavar="CODES",
              help="The languages of the outputs, the main one first: ko,en")
def init(folder: Path, city: str, languages: str) -> None:
    """Start a project for a new city: a data file with comments, ready to build."""
    from .data.starter import init as write_starter  # start-up (see build.pool)

    written = write_starter(folder, city, languages.split(","))
    for path in written:
        click.echo(f"wrote {path}")
    data = written[0].relative_to(folder)
    click.echo(f"next: cd {folder} && brochure build   (then edit {data})")


@cli.command()
@click.argument("pdfs", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@out_option("Check every file this output folder's manifest lists (when no PDF is named).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the findings, and each file's images, as JSON.")
@click.option("--verbose", is_flag=True,
              help="List each file's images too: page, pixels, colour space and ppi.")
def preflight(pdfs: tuple[Path, ...], out_dir: Path, as_json: bool, verbose: bool) -> None:
    """Check finished PDFs as a print shop would: QR codes, fonts, boxes, colours, booklets.

    A file that a build made is checked against its profile and data (from the manifest of its
    output folder); any other PDF against what every good PDF must be.
    """
    from .finish.preflight import check as check_pdf  # start-up: pdfium, the barcode reader
    from .finish.preflight import expectation_of, shown_images

    if pdfs:
        targets = list(zip(pdfs, manifest.described(pdfs), strict=True))
    else:
        entries = [entry for entry in manifest.read_entries(out_dir)
                   if entry.get("kind") in KINDS]  # PDFs: not the calendars beside them
        if not entries:
            raise BrochureError(f"{out_dir}: no built files to check (no manifest.json); run "
                                "brochure build first, or name PDF files")
        targets = [(out_dir / entry["path"], entry) for entry in entries]
    results = []
    for path, entry in targets:
        data = path.read_bytes()
        shown = shown_images(data) if as_json or verbose else []
        results.append((path, entry, check_pdf(data, expectation_of(entry)), shown))
    errors = sum(finding.error for _, _, findings, _ in results for finding in findings)
    if as_json:
        click.echo(json.dumps([
            {"path": str(path), "profile": (entry or {}).get("profile"),
             "errors": [str(finding) for finding in findings if finding.error],
             "warnings": [str(finding) for finding in findings if not finding.error],
             "images": [{"page": image.page, "pixels": list(image.pixels), "ppi": image.ppi,
                         "colour_space": image.space} for image in shown]}
            for path, entry, findings, shown in results], ensure_ascii=False, indent=2))
    else:
        for path, _entry, findings, shown in results:
            status = "FAIL" if any(f.error for f in findings) else "warn" if findings else "ok"
            click.echo(f"{status:4}  {path}")
            for finding in findings:
                click.echo(f"    {'error' if finding.error else 'warning'}: {finding}")
            for image in shown:
                click.echo(f"    image: {image}")
        warnings = sum(len(findings) for _, _, findings, _ in results) - errors
        click.echo(f"checked {plural(len(results), 'file')}: {plural(errors, 'error')}, "
                   f"{plural(warnings, 'warning')}")
    if errors:
        raise BrochureError(f"preflight found {plural(errors, 'error')}")


@cli.command()
@click.argument("pdfs", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@out_option("The output folder whose files to show (when no PDF is named).")
@click.option("--profile", type=click.Choice(list(PROFILES)), default="screen",
              show_default=True, help="Whose files to show.")
@click.option("--lang", "langs", multiple=True, metavar="MODE",
              help="Only this language mode (repeatable).")
@click.option("--only", type=click.Choice(sorted(ONLY)), help="Only one kind of output.")
@click.option("--into", type=click.Path(path_type=Path, file_okay=False),
              help="Where the previews go. Default: OUT/preview.")
@click.option("--dpi", type=click.IntRange(20, 300), default=60, show_default=True,
              help="Resolution of the page previews.")
def preview(pdfs: tuple[Path, ...], out_dir: Path, profile: str, langs: tuple[str, ...],
            only: str | None, into: Path | None, dpi: int) -> None:
    """Render every page of built files to PNG, and a contact sheet of them all."""
    if pdfs:
        chosen = [(path, path.stem) for path in pdfs]
    else:
        kinds = ONLY[only] if only else list(KINDS)
        entries = [entry for entry in manifest.read_entries(out_dir)
                   if entry["profile"] == profile and entry["kind"] in kinds
                   and not entry.get("run")]
        if not entries:
            raise BrochureError(f"{out_dir}: no built {profile} files to show; run brochure "
                                "build first, or name PDF files")
        built = list(dict.fromkeys(entry["lang"] for entry in entries))
        codes = choose_modes(langs, built, "the built files")
        chosen = [(out_dir / entry["path"], entry["path"].removesuffix(".pdf"))
                  for entry in entries if entry["lang"] in codes]
    from .finish.previews import preview as draw_pages  # start-up (see build.pool)

    written = draw_pages(chosen, into or out_dir / "preview", dpi)
    click.echo(f"wrote {plural(len(written) - 1, 'page preview')} and {written[-1]}")


@cli.command()
@data_option
@theme_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port at 127.0.0.1 to serve on; 0 picks any free port.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in your browser.")
def serve(data_path: Path, theme_dir: Path | None, port: int, open_browser: bool) -> None:
    """Preview every output in a browser; pages update by themselves when a file is saved."""
    from .serve import start  # WeasyPrint (see build.pool)

    try:
        loaded = load(data_path)
    except BrochureError:  # the preview shows the problems, and recovers when they are fixed
        loaded = None
    server = start(data_path, choose_theme(theme_dir, loaded), port=port)
    click.echo(f"serving {data_path} at {server.url} (Ctrl+C to stop)")
    if open_browser:
        webbrowser.open(server.url)
    try:
        server.wait()
    except KeyboardInterrupt:  # Ctrl+C is how a preview ends: not an error
        click.echo("stopped")
    finally:
        server.stop()


@cli.command("import")
@click.argument("sheet_path", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--into", "data_path", type=click.Path(path_type=Path, dir_okay=False),
              required=True, help="The data file (YAML) to merge the institutions into.")
@strict_option
def import_sheet(sheet_path: Path, data_path: Path, strict: bool) -> None:
    """Merge the institutions of a spreadsheet (.csv or .xlsx) into a data file, by id.

    Bad rows are reported and left out; --strict writes nothing if there is one.
    """
    from .data.merge import merge  # start-up: the YAML editor (see build.pool)

    merged = merge(sheet_path, data_path)
    show_warnings(merged.warnings)
    if strict and merged.warnings:
        raise BrochureError(f"{plural(len(merged.warnings), 'warning')} in {sheet_path} "
                            f"(--strict); {data_path} not written")
    merged.write()
    for line in [*merged.lines, merged.summary()]:
        click.echo(line)


def choose_theme(theme_dir: Path | None, loaded: Loaded | None) -> Theme:
    """The theme: ``--theme``, else the data file's ``theme:``, else ``brochure.toml``'s."""
    if theme_dir is None and loaded and loaded.dataset.theme:
        theme_dir = loaded.path.parent / loaded.dataset.theme
    if theme_dir is None:
        theme_dir = project().theme
    return Theme.with_user_theme(theme_dir)


def choose_paper(paper: str | None, loaded: Loaded) -> str:
    """The office paper: ``--paper``, else the data file's ``paper:``, else ``brochure.toml``'s,
    else A4."""
    return paper or loaded.dataset.paper or project().paper or DEFAULT_PAPER


def project() -> Project:
    """The folder's ``brochure.toml``, as :func:`main` read it once for the command."""
    return click.get_current_context().find_root().obj["project"]


def choose_modes(codes: Sequence[str], known: Sequence[str], source: object) -> list[str]:
    """The codes asked for on the command line, as ``known`` (the modes of ``source``) writes
    them, or all of ``known``; an unknown one is a usage error.

    ``en-ko`` still names the pair ``en+ko`` when it is not itself a language of the data
    (:func:`brochure.lang.modes.known_code`).
    """
    chosen = []
    for code in codes:
        if (found := known_code(code, known)) is None:
            raise click.BadParameter(f"'{code}' is not a language mode of {source} "
                                     f"(choose from {', '.join(known)})", param_hint="'--lang'")
        chosen.append(found)
    return list(dict.fromkeys(chosen)) or list(known)


def show_warnings(warnings: Sequence[object]) -> None:
    """Each warning on its own line of standard error."""
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code instead of exiting, for tests and embedding."""
    logging.basicConfig(format="warning: %(message)s", level=logging.WARNING)
    args = list(sys.argv[1:] if argv is None else argv)
    options: dict[str, Any] = {"debug": False}
    try:
        options["project"] = config = load_project(Path.cwd())
        defaults = {"data_path": config.data, "out_dir": config.out}
        default_map = {name: {key: value for key, value in defaults.items() if value}
                       for name in cli.commands}
        cli.main(args=args, prog_name="brochure", standalone_mode=False, default_map=default_map,
                 obj=options)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 1
    except BrochureError as error:
        if options["debug"]:
            traceback.print_exc()
        for line in error_lines(error):
            click.echo(line, err=True)
        return 1
    return 0


def run() -> None:
    """The console script."""
    sys.exit(main())
