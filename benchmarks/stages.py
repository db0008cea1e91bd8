"""Where a flyer's time goes in one warm process: templates, layout, drawing, tagging,
imposition, preflight; and what the core fonts save.

    .venv/bin/python benchmarks/stages.py [--count 200]

Makes COUNT bilingual flyers of generated institutions three ways in this process with
`build.workshop.Workshop`, as a build's worker makes them, timing the functions `make_job` calls
(wrapped from outside, not changed): for the screen; for the screen and the office (one layout,
and an imposed copy); and for the screen with the whole fonts instead of their cores (a
renderer given the typography without the cores' `@font-face` rules). The three ways take
turns, each first as often as the others and each with institutions of its own, so that the
machine's noise falls on all three alike. The cache of QR codes is
emptied before each, so every flyer draws its code, as in a build of one flyer per institution.
Times are of the processor (`time.process_time`), not of the clock: on a shared machine the
clock also counts the time other processes had the core. It prints the mean time a flyer of each
stage, which add up to the whole; it is not a test.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from collections import defaultdict
from collections.abc import Callable

import yaml
from generate import generate
from measure import SAMPLE, machine, table

from brochure.build import workshop as make
from brochure.data import load
from brochure.finish import preflight, tagging
from brochure.lang.modes import language_modes
from brochure.plan.jobs import Product, plan
from brochure.plan.profiles import PROFILES
from brochure.render import pdf, qr, templating
from brochure.render.pdf import PdfRenderer
from brochure.theme import Theme

WARM_UP = 5  # flyers made before measuring: stylesheets parsed, fonts loaded
STAGES = {  # what make_job calls, by stage, in the order it calls them
    "templates (HTML)": [(make, "job_html")],
    "of which the QR code": [(templating, "qr_svg")],
    "layout (WeasyPrint)": [(pdf.PdfRenderer, "render")],
    "drawing (WeasyPrint writes the PDF)": [(pdf.Rendered, "pdf_bytes")],
    "tagging (each element's language)": [(tagging, "tagged")],
    "imposition (office)": [(make, "finished")],
    "preflight": [(preflight, "check")],
}
spent: dict[str, float] = defaultdict(float)  # seconds by stage, since the last reset


def stopwatch(stage: str, function: Callable) -> Callable:
    """``function``, adding the time each call takes to its stage."""
    @functools.wraps(function)
    def timed(*args: object, **kwargs: object) -> object:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[stage] += time.process_time() - started
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    print(machine())
    print()

    for stage, functions in STAGES.items():  # before the workshops: they take qr_svg
        for owner, name in functions:
            setattr(owner, name, stopwatch(stage, getattr(owner, name)))
    text = yaml.safe_dump(generate(3 * (WARM_UP + args.count)), allow_unicode=True)
    dataset = load(SAMPLE, text).dataset  # generated, as if beside the sample
    theme = Theme.with_user_theme()
    cores = make.Workshop(dataset, SAMPLE.parent, theme)
    whole = make.Workshop(dataset, SAMPLE.parent, theme)
    whole.renderer = PdfRenderer(theme, SAMPLE.parent, whole.base_css)
    mode = language_modes(dataset.languages)["en+ko"]
    screen = plan(dataset, [mode], ["flyer"], [PROFILES["screen"]])
    office = plan(dataset, [mode], ["flyer"], [PROFILES["screen"], PROFILES["office"]])
    ways = {"screen": (cores, screen), "screen and office": (cores, office),
            "screen, whole fonts": (whole, screen)}

    totals: dict[str, dict[str, list[float]]] = {way: defaultdict(list) for way in ways}
    for number in range(WARM_UP + args.count):
        turn = [*ways][number % len(ways):] + [*ways][:number % len(ways)]
        for index, way in enumerate(turn):  # each way first as often as the others
            workshop, jobs = ways[way]
            qr.qr_svg.cache_clear()
            spent.clear()
            started = time.process_time()
            product = workshop.make(jobs[len(ways) * number + index])
            seconds = time.process_time() - started
            assert isinstance(product, Product), product
            if number >= WARM_UP:
                for stage in STAGES:
                    totals[way][stage].append(spent[stage])
                totals[way]["the rest"].append(
                    seconds - sum(spent.values()) + spent["of which the QR code"])
                totals[way]["the whole flyer"].append(seconds)

    def ms(values: list[float]) -> str:
        return f"{1000 * statistics.mean(values):.1f} ms"

    print(f"{args.count} bilingual flyers (en+ko), made in one process, three ways in turn; "
          "processor time, mean a flyer:")
    print()
    table(["stage", *ways], [[stage, *(ms(totals[way][stage]) for way in ways)]
                             for stage in [*STAGES, "the rest", "the whole flyer"]])
    median = {way: 1000 * statistics.median(totals[way]["the whole flyer"]) for way in ways}
    print("Median of the whole flyer: "
          + ", ".join(f"{way} {value:.1f} ms" for way, value in median.items())
          + f". The office copy: {median['screen and office'] - median['screen']:+.1f} ms; "
          "the whole fonts instead of the cores: "
          f"{median['screen, whole fonts'] - median['screen']:+.1f} ms.")


if __name__ == "__main__":
    main()
