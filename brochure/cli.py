"""The ``brochure`` command: parses options, prints, sets exit codes; the work is elsewhere.

Exit codes: 0 success, 1 bad data or a failed build, 2 usage.
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

import click

from . import __version__, checks
from .build import build as build_outputs
from .data import Loaded, load
from .errors import BrochureError
from .i18n import Catalogues, LanguageMode, language_modes
from .jobs import Product
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
@click.option("--force", is_flag=True, help="Make every output, even those whose inputs have "
                                            "not changed since the last build.")
@click.option("--jobs", "workers", type=click.IntRange(min=1), metavar="N",
              help="Processes that make outputs at once. Default: one per core, fewer for "
                   "small builds.")
@theme_option
@strict_option
def build(data_path: Path, out_dir: Path, langs: tuple[str, ...], only: str | None,
          layout: str, force: bool, workers: int | None, theme_dir: Path | None,
          strict: bool) -> None:
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
        click.echo(f"wrote {out_dir / product.job.path} ({product.pages} "
                   f"page{'s' if product.pages != 1 else ''})")

    report = build_outputs(loaded, out_dir, modes, kinds, theme, LAYOUTS[layout], force=force,
                           workers=workers, progress=progress)
    show_warnings(report.warnings)
    for failure in report.failed:
        click.echo(f"error: {failure}", err=True)
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


def choose_modes(loaded: Loaded, codes: Sequence[str]) -> list[LanguageMode]:
    """The language modes asked for, or all of the data's; an unknown one is a usage error."""
    modes = language_modes(loaded.dataset.languages)
    for code in codes:
        if code not in modes:
            raise click.BadParameter(f"'{code}' is not a language mode of {loaded.path} "
                                     f"(choose from {', '.join(modes)})", param_hint="'--lang'")
    return [modes[code] for code in dict.fromkeys(codes)] or list(modes.values())


def plural(count: int, noun: str) -> str:
    """'1 file', '2 files'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


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
