"""What keeping Korean words whole costs: layout time with and without the word joiners.

    .venv/bin/python benchmarks/keep_words.py [--rounds 30]

Lays out the sample's Korean flyers and brochure with one font configuration and pre-parsed
stylesheets (as a build does), alternating the two variants so that the machine's noise falls on
both, and prints the median layout time of each. It is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from pathlib import Path

from brochure.data import load
from brochure.lang.catalogues import Catalogues
from brochure.lang.modes import language_modes
from brochure.lang.typography import load_typography
from brochure.plan.kinds import KINDS
from brochure.render.html import render_html
from brochure.render.pdf import PdfRenderer
from brochure.render.templating import make_environment
from brochure.theme import Theme

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "icheon.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    loaded = load(SAMPLE)
    dataset = loaded.dataset
    theme = Theme.with_user_theme()
    catalogues = Catalogues(theme.dirs("templates"))
    keeping = load_typography(theme)
    korean = dataclasses.replace(keeping.settings("ko"), keep_words=False)
    plain = dataclasses.replace(keeping, languages={**keeping.languages, "ko": korean})
    renderer = PdfRenderer(theme, SAMPLE.parent, keeping.css(dataset.languages))
    mode = language_modes(dataset.languages)["ko"]

    outputs = {"flyer": [KINDS["flyer"], dataset.institutions], "brochure": [KINDS["brochure"],
                                                                           [None]]}
    for name, (kind, institutions) in outputs.items():
        times: dict[str, list[float]] = {"plain": [], "keep words": []}
        html = {
            label: [render_html(make_environment(theme, catalogues, typography), dataset, kind,
                                mode, institution=institution) for institution in institutions]
            for label, typography in (("plain", plain), ("keep words", keeping))
        }
        for _round in range(args.rounds + 3):
            for label, documents in html.items():
                started = time.perf_counter()
                for document in documents:
                    renderer.render(document, [kind.stylesheet])
                times[label].append((time.perf_counter() - started) / len(documents))
        medians = {label: statistics.median(values[3:]) * 1000 for label, values in times.items()}
        extra = medians["keep words"] - medians["plain"]
        print(f"ko {name}: layout {medians['plain']:.1f} ms plain, {medians['keep words']:.1f} ms "
              f"keeping words ({extra:+.1f} ms, {100 * extra / medians['plain']:+.0f}%)")


if __name__ == "__main__":
    main()
