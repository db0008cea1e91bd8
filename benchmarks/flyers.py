"""Flyers per second, memory and file sizes at festival scale, against WeasyPrint run the naive
way; brochures; print runs.

    .venv/bin/python benchmarks/flyers.py [--count 1000] [--naive 20] [--brochure-size 40]
                                          [--run-size 200]

Builds COUNT bilingual flyers from generated data with `brochure build` (cold: a new output
folder, one worker process per core), sampling the resident memory of the whole process tree;
then makes NAIVE of the same flyers the way a user would without brochure, one `weasyprint`
command per flyer, one at a time, on the same HTML with the same stylesheets (checked: no
WeasyPrint warnings, the same text as ours), and headless Chromium likewise where it is
installed; then the brochure of BROCHURE_SIZE institutions in each language mode, and the
bilingual one the naive way; then RUN_SIZE flyers for the office and the press with their print
runs. All in one run, so that the ratios hold on a noisy machine; a count of 0 leaves its part
out. It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pypdfium2
import yaml
from generate import generate
from measure import BROCHURE, MB, Timed, kb, machine, table, timed

from brochure.data import load
from brochure.lang.catalogues import Catalogues
from brochure.lang.modes import language_modes
from brochure.lang.typography import load_typography
from brochure.plan.kinds import KINDS
from brochure.render.html import render_html
from brochure.render.templating import make_environment
from brochure.theme import Theme

WEASYPRINT = Path(sys.executable).with_name("weasyprint")
TARGET = 1000 / 30  # flyers a second: 1,000 flyers in 30 s


def write_data(path: Path, count: int) -> Path:
    path.write_text(yaml.safe_dump(generate(count), allow_unicode=True), encoding="utf-8")
    return path


def naive_pages(data: Path, folder: Path, kind: str, count: int) -> list[Path]:
    """The bilingual HTML of the first ``count`` outputs of ``kind`` (there is one brochure),
    each linking the same stylesheets our build lays it out with, as a user would write it.

    The typography comes without the core fonts, which are ours; the theme's stylesheet
    ``@import``s the others, which WeasyPrint and Chromium read from the theme's folder.
    """
    loaded = load(data)
    theme = Theme.with_user_theme()
    typography = load_typography(theme)
    env = make_environment(theme, Catalogues(theme.dirs("templates")), typography)
    mode = language_modes(loaded.dataset.languages)["en+ko"]
    fonts = folder / "typography.css"
    fonts.write_text(typography.css(loaded.dataset.languages), encoding="utf-8")
    links = "".join(f'<link rel="stylesheet" href="{path.as_uri()}">'
                    for path in (fonts, theme.find("styles", KINDS[kind].stylesheet)))
    subjects = loaded.dataset.institutions[:count] if KINDS[kind].per_institution else [None]
    pages = []
    for institution in subjects:
        html = render_html(env, loaded.dataset, KINDS[kind], mode, institution=institution)
        page = folder / f"{kind}-{institution.id if institution else 'all'}.html"
        page.write_text(html.replace("</head>", f"{links}</head>", 1), encoding="utf-8")
        pages.append(page)
    return pages


def text(pdf: Path) -> list[str]:
    """The words of each page, as pdfium reads them."""
    document = pypdfium2.PdfDocument(pdf)
    return [" ".join(page.get_textpage().get_text_range().split()) for page in document]


def one_at_a_time(command: Callable[[Path, Path], list[str]], pages: list[Path],
                  suffix: str) -> tuple[list[Timed], list[Path], str]:
    """One process per page, one after the other: each run, the PDFs, and what the processes
    printed on their error output."""
    pdfs = [page.with_suffix(suffix) for page in pages]
    runs = [timed(command(page, pdf)) for page, pdf in zip(pages, pdfs, strict=True)]
    return runs, pdfs, "".join(run.stderr for run in runs)


def weasyprint(page: Path, pdf: Path) -> list[str]:
    return [str(WEASYPRINT), str(page), str(pdf)]


def chromium(page: Path, pdf: Path) -> list[str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}", page.as_uri()]


def flyers(folder: Path, count: int, naive: int) -> None:
    """COUNT flyers built by brochure, and NAIVE of them one `weasyprint` command each."""
    data = write_data(folder / "data.yaml", count)
    out = folder / "out"
    build = timed([*BROCHURE, "build", "--data", str(data), "--out", str(out), "--only", "flyers",
                   "--lang", "en+ko", "--profile", "screen"])
    built = out / "screen" / "en+ko"
    made = sorted(built.glob("*.pdf"))
    cores = min(os.cpu_count() or 1, len(made))  # the build's pool: one worker per core
    each = build.seconds / len(made)
    sizes = [path.stat().st_size for path in made]
    rows = [
        [f"{len(made)} bilingual flyers, cold, `brochure build` ({cores} workers)",
         f"{TARGET:.1f} flyers/s (1,000 in 30 s)",
         f"{build.seconds:.1f} s: {len(made) / build.seconds:.1f} flyers/s, "
         f"{1000 * each:.0f} ms each",
         "met" if len(made) / build.seconds >= TARGET else "**not met**"],
        ["CPU time of all its processes", f"{1000 * cores / TARGET:.0f} ms of a core a flyer",
         f"{build.cpu:.1f} s: {1000 * build.cpu / len(made):.0f} ms of a core a flyer", ""],
        ["peak memory, whole process tree", "under 500 MB", f"{build.memory.tree / MB:.0f} MB",
         "met" if build.memory.tree < 500 * MB else "**not met**"],
        ["peak memory, the build's own process", "", f"{build.memory.own / MB:.0f} MB", ""],
        ["peak memory, largest child process (a worker, or the one that reads a large data "
         "file)", "",
         f"{build.memory.child / MB:.0f} MB", ""],
        ["flyer size", "", f"median {kb(statistics.median(sizes))}, largest {kb(max(sizes))}",
         ""],
    ]
    if naive:
        pages = naive_pages(data, folder, "flyer", naive)
        runs, pdfs, errors = one_at_a_time(weasyprint, pages, ".pdf")
        if errors:
            sys.exit(f"the naive way is not the same flyer: WeasyPrint said\n{errors}")
        for page, pdf in zip(pages, pdfs, strict=True):
            if text(pdf) != text(built / page.with_suffix(".pdf").name):
                sys.exit(f"the naive way is not the same flyer: {pdf.name}'s text differs")
        naive_each = statistics.median(run.seconds for run in runs)
        naive_cpu = statistics.median(run.cpu for run in runs)
        speedup = naive_each / each
        rows += [
            ["one `weasyprint` command per flyer, one at a time (no warnings, the same text)",
             "", f"{1000 * naive_each:.0f} ms each, {1000 * naive_cpu:.0f} ms of a core "
                 f"(medians of {len(runs)})", ""],
            [f"brochure against it, measured ({cores} cores against one process)", "15x",
             f"{speedup:.1f}x", "met" if speedup >= 15 else "**not met**"],
            ["brochure against it, per core (measured, divided by the cores)", "",
             f"{speedup / cores:.1f}x", ""],
            ["brochure against it, processor time a flyer", "",
             f"{naive_cpu / (build.cpu / len(made)):.1f}x", ""],
        ]
        if shutil.which("chromium") or shutil.which("chromium-browser"):
            runs, pdfs, _ = one_at_a_time(chromium, pages, ".chromium.pdf")
            same = sum(text(pdf) == text(built / pdf.with_suffix("").with_suffix(".pdf").name)
                       for pdf in pdfs)
            browser_each = statistics.median(run.seconds for run in runs)
            rows += [
                [f"headless Chromium, one process per flyer (the same text in {same} of "
                 f"{len(pdfs)})", "", f"{1000 * browser_each:.0f} ms each", ""],
                ["brochure against it, measured and per core", "",
                 f"{browser_each / each:.1f}x, {browser_each / each / cores:.1f}x", ""],
            ]
    table(["measure", "target", "measured", ""], rows)


def brochures(folder: Path, size: int) -> None:
    """The brochure of SIZE institutions in each language mode; the bilingual one the naive
    way."""
    data = write_data(folder / "brochures.yaml", size)
    out = folder / "brochures"
    build = timed([*BROCHURE, "build", "--data", str(data), "--out", str(out), "--only",
                   "brochure", "--profile", "screen"])
    made = sorted((out / "screen").glob("*/brochure.pdf"))
    bilingual = out / "screen" / "en+ko" / "brochure.pdf"
    runs, _pdfs, errors = one_at_a_time(weasyprint, naive_pages(data, folder, "brochure", 1),
                                        ".pdf")
    if errors:
        sys.exit(f"the naive brochure: WeasyPrint said\n{errors}")
    table(["measure", "measured"], [
        [f"{len(made)} brochures of {size} institutions, one per language mode, "
         "`brochure build`", f"{build.seconds:.1f} s, {build.seconds / len(made):.1f} s each"],
        ["the bilingual one", f"{len(pypdfium2.PdfDocument(bilingual))} pages, "
                              f"{kb(bilingual.stat().st_size)}"],
        ["one `weasyprint` command, the bilingual brochure without note pages "
         "(no warnings)", f"{runs[0].seconds:.1f} s"],
    ])


def merged(paths: list[Path], data: Path) -> tuple[float, int]:
    """Seconds and memory (bytes, above what the files take) of merging a print run in this
    process: run in a fresh one, so that its peak is the merge's."""
    from brochure.finish import runs

    loaded = load(data)
    titles = runs.titles(loaded.dataset, language_modes(loaded.dataset.languages)["en+ko"])
    pdfs = [path.read_bytes() for path in paths]
    before = psutil.Process().memory_info().rss
    started = time.perf_counter()
    runs.merge(pdfs, "en", titles)
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before


def print_runs(folder: Path, size: int) -> None:
    """SIZE flyers for the office and the press, and their print runs."""
    out = folder / "runs"
    data = write_data(folder / "run.yaml", size)
    build = timed([*BROCHURE, "build", "--data", str(data), "--out", str(out), "--only",
                   "flyers", "--lang", "en+ko", "--profile", "office", "--profile", "press",
                   "--print-run"])
    rows = []
    spawn = multiprocessing.get_context("spawn")
    for profile in ("office", "press"):
        members = sorted((out / profile / "en+ko").glob("flyer-*.pdf"))
        with spawn.Pool(1) as pool:
            seconds, memory = pool.apply(merged, (members, data))
        run = out / profile / "en+ko" / "flyers.pdf"
        rows.append([f"{len(members)} bilingual flyers, {profile}", kb(run.stat().st_size),
                     kb(sum(path.stat().st_size for path in members)),
                     f"{1000 * seconds / len(members):.0f} ms a flyer",
                     f"{memory / MB:.0f} MB ({memory / MB / len(members):.2f} MB a flyer)"])
    print(f"Print runs (the build: {build.seconds:.1f} s):")
    print()
    table(["run", "one file", "single files together", "merging", "memory merging"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=20)
    parser.add_argument("--brochure-size", type=int, default=40,
                        help="institutions in the brochures measured")
    parser.add_argument("--run-size", type=int, default=200,
                        help="flyers in the print runs measured")
    args = parser.parse_args()
    print(machine())
    print()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        if args.count:
            flyers(folder, args.count, min(args.naive, args.count))
        if args.brochure_size:
            brochures(folder, args.brochure_size)
        if args.run_size:
            print_runs(folder, args.run_size)


if __name__ == "__main__":
    main()
