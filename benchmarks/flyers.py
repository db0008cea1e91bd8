"""Flyers per second, peak memory and file sizes, against WeasyPrint run the naive way.

    .venv/bin/python benchmarks/flyers.py [--count 1000] [--naive 20] [--brochure-size 40]
                                          [--run-size 200]

Builds COUNT bilingual flyers from generated data with `brochure build` (cold: a new output
folder, one process per core), sampling the resident memory of the whole process tree; then makes
NAIVE of the same flyers the way a user would without brochure, one `weasyprint` command per
flyer on the same HTML, and headless Chromium likewise where it is installed; then the brochure
of BROCHURE_SIZE institutions in each language mode, and the bilingual one the naive way; then
RUN_SIZE flyers for the office and the press with their print runs. All in one run, so that the
ratios hold on a noisy machine. It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import pypdfium2
import yaml
from generate import generate

from brochure.data import load
from brochure.finish.runs import merge, titles
from brochure.lang.catalogues import Catalogues
from brochure.lang.modes import language_modes
from brochure.lang.typography import load_typography
from brochure.plan.kinds import KINDS
from brochure.render.html import render_html
from brochure.render.templating import make_environment
from brochure.theme import Theme

WEASYPRINT = Path(sys.executable).with_name("weasyprint")


class PeakMemory:
    """Samples the resident memory of a process and all its children until stopped."""

    def __init__(self, pid: int) -> None:
        self.peak = 0
        self._process = psutil.Process(pid)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(0.05):
            try:
                tree = [self._process, *self._process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in tree
                                               if p.is_running()))
            except psutil.Error:
                pass

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak


def timed(command: list[str]) -> tuple[float, int]:
    """Seconds and peak memory (bytes, process tree) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = PeakMemory(process.pid)
    _out, err = process.communicate()
    peak = memory.stop()
    if process.returncode:
        sys.exit(f"{' '.join(command[:3])}... failed:\n{err.decode()}")
    return time.perf_counter() - started, peak


def naive_html(data: Path, folder: Path, kind: str, count: int) -> list[Path]:
    """The bilingual HTML of the first ``count`` outputs of ``kind`` (there is one brochure),
    written out with the stylesheets inlined, as a user would."""
    loaded = load(data)
    theme = Theme.with_user_theme()
    typography = load_typography(theme)
    env = make_environment(theme, Catalogues(theme.dirs("templates")), typography)
    mode = language_modes(loaded.dataset.languages)["en-ko"]
    styles = theme.dirs("styles")[-1]
    css = typography.css(loaded.dataset.languages) + "".join(
        (styles / name).read_text(encoding="utf-8").replace('@import "common.css";', "")
        for name in ("common.css", KINDS[kind].stylesheet))
    subjects = loaded.dataset.institutions[:count] if KINDS[kind].per_institution else [None]
    pages = []
    for number, institution in enumerate(subjects):
        html = render_html(env, loaded.dataset, KINDS[kind], mode, institution=institution)
        page = folder / f"{kind}-{number}.html"
        page.write_text(html.replace("</head>", f"<style>{css}</style></head>"), encoding="utf-8")
        pages.append(page)
    return pages


def per_page(command: list[str], pages: list[Path], suffix: str) -> list[float]:
    """Seconds per page of one process per page."""
    return [timed([*command(page, page.with_suffix(suffix))])[0] for page in pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=20)
    parser.add_argument("--brochure-size", type=int, default=40,
                        help="institutions in the brochures measured")
    parser.add_argument("--run-size", type=int, default=200,
                        help="flyers in the print runs measured")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        data = folder / "data.yaml"
        data.write_text(yaml.safe_dump(generate(args.count), allow_unicode=True),
                        encoding="utf-8")
        out = folder / "out"
        seconds, peak = timed([sys.executable, "-m", "brochure", "build", "--data", str(data),
                               "--out", str(out), "--only", "flyers", "--lang", "en-ko",
                               "--profile", "screen"])
        flyers = sorted((out / "screen" / "en-ko").glob("*.pdf"))
        sizes = [path.stat().st_size for path in flyers]
        print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB")
        print(f"brochure: {len(flyers)} bilingual flyers in {seconds:.1f} s "
              f"({len(flyers) / seconds:.1f} flyers/s, {1000 * seconds / len(flyers):.0f} ms "
              f"each), peak memory {peak / 2**20:.0f} MB")
        print(f"flyer size: median {statistics.median(sizes) / 1024:.0f} KB, "
              f"largest {max(sizes) / 1024:.0f} KB")

        pages = naive_html(data, folder, "flyer", args.naive)
        naive = per_page(lambda page, pdf: [str(WEASYPRINT), str(page), str(pdf)], pages, ".pdf")
        each = statistics.median(naive)
        print(f"naive weasyprint, one process per flyer: {1000 * each:.0f} ms each "
              f"(median of {len(naive)}); brochure is {each * len(flyers) / seconds:.1f}x faster")
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium:
            browser = per_page(lambda page, pdf: [
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}", page.as_uri()], pages, ".chromium.pdf")
            each = statistics.median(browser)
            print(f"headless Chromium, one process per flyer: {1000 * each:.0f} ms each; "
                  f"brochure is {each * len(flyers) / seconds:.1f}x faster")
        else:
            print("headless Chromium: not installed, not measured")

        data = folder / "brochures.yaml"
        data.write_text(yaml.safe_dump(generate(args.brochure_size), allow_unicode=True),
                        encoding="utf-8")
        seconds, _peak = timed([sys.executable, "-m", "brochure", "build", "--data", str(data),
                                "--out", str(folder / "brochures"), "--only", "brochure",
                                "--profile", "screen"])
        built = sorted((folder / "brochures" / "screen").glob("*/brochure.pdf"))
        bilingual = folder / "brochures" / "screen" / "en-ko" / "brochure.pdf"
        print(f"brochures of {args.brochure_size} institutions, one per language mode: "
              f"{len(built)} in {seconds:.1f} s ({seconds / len(built):.1f} s each); the "
              f"bilingual one has {len(pypdfium2.PdfDocument(bilingual))} pages, "
              f"{bilingual.stat().st_size / 1024:.0f} KB")
        naive = per_page(lambda page, pdf: [str(WEASYPRINT), str(page), str(pdf)],
                         naive_html(data, folder, "brochure", 1), ".pdf")
        print(f"naive weasyprint, the bilingual brochure (without note pages): {naive[0]:.1f} s")

        data = folder / "run.yaml"
        data.write_text(yaml.safe_dump(generate(args.run_size), allow_unicode=True),
                        encoding="utf-8")
        seconds, _peak = timed([sys.executable, "-m", "brochure", "build", "--data", str(data),
                                "--out", str(folder / "runs"), "--only", "flyers", "--lang",
                                "en-ko", "--profile", "office", "--profile", "press",
                                "--print-run"])
        loaded = load(data)
        mode = language_modes(loaded.dataset.languages)["en-ko"]
        for profile in ("office", "press"):
            members = sorted((folder / "runs" / profile / "en-ko").glob("flyer-*.pdf"))
            started = time.perf_counter()
            merge([path.read_bytes() for path in members], "en", titles(loaded.dataset, mode))
            merging = time.perf_counter() - started
            run = folder / "runs" / profile / "en-ko" / "flyers.pdf"
            print(f"print run, {profile}: {len(members)} bilingual flyers in one file of "
                  f"{run.stat().st_size / 1024:.0f} KB instead of "
                  f"{sum(path.stat().st_size for path in members) / 1024:.0f} KB in single "
                  f"files; merging took {merging:.1f} s (whole build {seconds:.1f} s)")


if __name__ == "__main__":
    main()
