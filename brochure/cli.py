"""The ``brochure`` command: parses options, prints, sets exit codes; the work is elsewhere.

Exit codes: 0 success, 1 bad data or a failed build, 2 usage.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

import click

from . import __version__, checks, output
from .build import build as build_outputs
from .data import Loaded, load
from .errors import BrochureError, plural
from .i18n import Catalogues, LanguageMode, language_modes
from .jobs import Product
from .profiles import DEFAULT_PROFILES, PROFILES
from .render import DEFAULT_LAYOUT, KINDS, LAYOUTS
from .theme import Theme
from .typography import load_typography

DEFAULT_DATA = Path("data/icheon.yaml")
ONLY = {kind.option: [name] for name, kind in KINDS.items()}

data_option = click.option(
    "--data", "data_path", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_DATA,
    show_default=True, help="The data file (YAML).")
theme_option = click.option(
    "--theme", "theme_dir", type=click.Path(path_type=Path, file_okay=False),
    help="A folder of templates/, styles/... that override the default theme file by file.")
strict_option = click.option(
    "--strict", is_flag=True, help="Treat warnings as errors (exit 1), for CI.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="brochure")
@click.option("--debug", is_flag=True, help="Show the traceback behind an error.")
def cli(debug: bool) -> None:
    """Print-ready, bilingual PDF brochures and flyers with QR codes."""


@cli.command()
@data_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True, help="Where the PDFs go.")
@click.option("--lang", "langs", multiple=True, metavar="MODE",
              help="A language mode to build (repeatable): a language of the data, or the "
                   "bilingual pair such as en-ko. Default: all of them.")
@click.option("--only", type=click.Choice(sorted(ONLY)), help="Build one kind of output only.")
@click.option("--layout", type=click.Choice(list(LAYOUTS)), default=DEFAULT_LAYOUT.name,
              show_default=True, help="How bilingual outputs set their two languages: "
              + "; ".join(f"{name}: {layout.help}" for name, layout in LAYOUTS.items()) + ".")
@click.option("--profile", "profiles", multiple=True, type=click.Choice(list(PROFILES)),
              help="Who the files are for (repeatable): "
              + "; ".join(f"{name}: {profile.help}" for name, profile in PROFILES.items())
              + f". Default: {' and '.join(DEFAULT_PROFILES)}.")
@click.option("--force", is_flag=True, help="Make every output, even those whose inputs have "
                                            "not changed since the last build.")
@click.option("--jobs", "workers", type=click.IntRange(min=1), metavar="N",
              help="Processes that make outputs at once. Default: one per core, fewer for "
                   "small builds.")
@theme_option
@strict_option
def build(data_path: Path, out_dir: Path, langs: tuple[str, ...], only: str | None,
          layout: str, profiles: tuple[str, ...], force: bool, workers: int | None,
          theme_dir: Path | None, strict: bool) -> None:
    """Build the brochures and flyers into the output folder."""
    loaded = load(data_path)
    theme = Theme.with_user_theme(theme_dir)
    modes = choose_modes(loaded, langs)
    show_warnings(loaded.warnings)
    if strict and loaded.warnings:
        raise BrochureError(f"{plural(len(loaded.warnings), 'warning')} in {data_path} (--strict)")
    kinds = ONLY[only] if only else list(KINDS)
    started = time.perf_counter()

    def progress(product: Product) -> None:
        for file in product.files:
            click.echo(f"wrote {out_dir / file.path} ({plural(file.pages, 'page')})")

    chosen = [PROFILES[name] for name in dict.fromkeys(profiles or DEFAULT_PROFILES)]
    report = build_outputs(loaded, out_dir, modes, kinds, theme, LAYOUTS[layout],
                           profiles=chosen, force=force, workers=workers, progress=progress)
    show_warnings(report.warnings)
    for line in (line for failure in report.failed for line in failure.splitlines()):
        click.echo(f"error: {line}", err=True)
    seconds = time.perf_counter() - started
    unchanged = f", {len(report.unchanged)} unchanged," if report.unchanged else ""
    click.echo(f"built {plural(len(report.built), 'file')}{unchanged} in {out_dir} "
               f"in {seconds:.1f} s")
    if report.failed:
        raise BrochureError(f"{len(report.failed)} output(s) could not be built")


@cli.command()
@data_option
@theme_option
@strict_option
def check(data_path: Path, theme_dir: Path | None, strict: bool) -> None:
    """Validate the data without rendering: errors, translation and font coverage."""
    loaded = load(data_path)
    theme = Theme.with_user_theme(theme_dir)
    report = checks.check(loaded, load_typography(theme), Catalogues(theme.dirs("templates")))
    show_warnings(report.warnings)
    dataset = loaded.dataset
    click.echo(f"{data_path}: {plural(len(dataset.institutions), 'institution')}, "
               f"language modes {', '.join(language_modes(dataset.languages))}")
    click.echo(f"translations: {', '.join(str(item) for item in report.coverage)}")
    if strict and report.warnings:
        raise BrochureError(f"{plural(len(report.warnings), 'warning')} (--strict)")
    click.echo(f"ok, {plural(len(report.warnings), 'warning')}")


@cli.command()
@click.argument("pdfs", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True,
              help="Check every file this output folder's manifest lists (when no PDF is named).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def preflight(pdfs: tuple[Path, ...], out_dir: Path, as_json: bool) -> None:
    """Check finished PDFs as a print shop would: QR codes, fonts, boxes, colours, booklets.

    A file that a build made is checked against its profile and data (from the manifest of its
    output folder); any other PDF against what every good PDF must be.
    """
    from . import preflight as checks  # pdfium and the barcode reader load only when used

    if pdfs:
        targets = [(path, output.described(path)) for path in pdfs]
    else:
        entries = output.read_entries(out_dir)
        if not entries:
            raise BrochureError(f"{out_dir}: no built files to check (no manifest.json); run "
                                "brochure build first, or name PDF files")
        targets = [(out_dir / entry["path"], entry) for entry in entries]
    results = [(path, entry, checks.check(path.read_bytes(), checks.expectation_of(entry)))
               for path, entry in targets]
    errors = sum(finding.error for _, _, findings in results for finding in findings)
    if as_json:
        click.echo(json.dumps([
            {"path": str(path), "profile": (entry or {}).get("profile"),
             "errors": [str(finding) for finding in findings if finding.error],
             "warnings": [str(finding) for finding in findings if not finding.error]}
            for path, entry, findings in results], ensure_ascii=False, indent=2))
    else:
        for path, _entry, findings in results:
            status = "FAIL" if any(f.error for f in findings) else "warn" if findings else "ok"
            click.echo(f"{status:4}  {path}")
            for finding in findings:
                click.echo(f"    {'error' if finding.error else 'warning'}: {finding}")
        warnings = sum(len(findings) for _, _, findings in results) - errors
        click.echo(f"checked {plural(len(results), 'file')}: {plural(errors, 'error')}, "
                   f"{plural(warnings, 'warning')}")
    if errors:
        raise BrochureError(f"preflight found {plural(errors, 'error')}")


def choose_modes(loaded: Loaded, codes: Sequence[str]) -> list[LanguageMode]:
    """The language modes asked for, or all of the data's; an unknown one is a usage error."""
    modes = language_modes(loaded.dataset.languages)
    for code in codes:
        if code not in modes:
            raise click.BadParameter(f"'{code}' is not a language mode of {loaded.path} "
                                     f"(choose from {', '.join(modes)})", param_hint="'--lang'")
    return [modes[code] for code in dict.fromkeys(codes)] or list(modes.values())


def show_warnings(warnings: Sequence[object]) -> None:
    """Each warning on its own line of standard error."""
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code instead of exiting, for tests and embedding."""
    logging.basicConfig(format="warning: %(message)s", level=logging.WARNING)
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        cli.main(args=args, prog_name="brochure", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 1
    except BrochureError as error:
        if args and args[0] == "--debug":
            traceback.print_exc()
        for line in str(error).splitlines():
            click.echo(f"error: {line}", err=True)
        return 1
    return 0


def run() -> None:
    """The console script."""
    sys.exit(main())
