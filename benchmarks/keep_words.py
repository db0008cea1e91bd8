"""What keeping Korean words whole costs: the ways to do it in WeasyPrint, and ours on the sample.

    .venv/bin/python benchmarks/keep_words.py [--rounds 40]

First, a 90 mm Korean column (three of the sample's descriptions, each with its homepage, in
NanumGothic 10.5 pt) is laid out with each way of keeping words whole: its layout time (the
fastest of ROUNDS, the ways taking turns), how many lines break inside a word (a run of text between
spaces) in a plain block and in a flex item (whose narrowest width is that of its longest
unbreakable run), how far text runs past the column, and what WeasyPrint warned. Then the
sample's Korean flyers and brochure, laid out with and without our word joiners (one font
configuration, stylesheets parsed once, as a build does). Times are of the processor
(`time.process_time`), which a busy machine disturbs less than the clock. It prints figures;
it is not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import time
from collections.abc import Callable

from markupsafe import escape
from measure import SAMPLE, machine, table
from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

from brochure.data import load
from brochure.lang import cores
from brochure.lang.catalogues import Catalogues
from brochure.lang.modes import language_modes
from brochure.lang.typography import Typography, load_typography, without_marks
from brochure.plan.kinds import KINDS
from brochure.render.html import render_html
from brochure.render.pdf import PdfRenderer, captured_warnings
from brochure.render.templating import make_environment
from brochure.theme import Theme

COLUMN_MM = 90
PX_PER_MM = 96 / 25.4
WORDS = re.compile(r"(\s+)")
HANGUL = re.compile("[\uac00-\ud7a3]")
PAGE = """<html lang="ko"><body><div class="{context}"><div>{paragraphs}</div></div></body></html>
"""
CSS_COMMON = f"""@page {{ size: A4; margin: 10mm }}
.block, .flex {{ width: {COLUMN_MM}mm; font-size: 10.5pt }}
.flex {{ display: flex }}
.nobreak {{ white-space: nowrap }}
.box {{ display: inline-block }}
"""


def spans(css_class: str, hangul_only: bool = False,
          spaces_inside: bool = False) -> Callable[[str], str]:
    """A way of keeping words whole: each word (each with Hangul) in a span of ``css_class``,
    its following space inside the span or outside it."""
    def mark(text: str) -> str:
        pieces = WORDS.split(text)  # words at even places, spaces at odd
        if spaces_inside:
            pieces = ["".join(pieces[index:index + 2]) for index in range(0, len(pieces), 2)]
        return "".join(f'<span class="{css_class}">{escape(piece)}</span>'
                       if piece.strip() and (HANGUL.search(piece) or not hangul_only)
                       else str(escape(piece)) for piece in pieces)
    return mark


def ways(typography: Typography) -> dict[str, tuple[Callable[[str], str], str]]:
    """Each way of keeping words whole: the paragraph's markup and the CSS it adds."""
    plain = (lambda text: str(escape(text)), "")
    return {
        "none": plain,
        "`word-break: keep-all`": (plain[0], "p { word-break: keep-all }"),
        "no-break span per Hangul word": (spans("nobreak", hangul_only=True), ""),
        "no-break span per word, spaces outside": (spans("nobreak"), ""),
        "no-break span per word, spaces inside": (spans("nobreak", spaces_inside=True), ""),
        "`display: inline-block` per word": (spans("box"), ""),
        "word joiners between the letters of a word (**ours**)": (
            lambda text: str(typography.keep_words(text, "ko")), ""),
    }


def lines_of(paragraph: boxes.Box) -> list[str]:
    """The text of each line of a laid-out paragraph, without joiners."""
    return [without_marks("".join(box.text for box in line.descendants()
                                    if isinstance(box, boxes.TextBox)))
            for line in paragraph.children if isinstance(line, boxes.LineBox)]


def broken_words(text: str, lines: list[str]) -> int:
    """How many lines end inside a word of ``text``: their last piece is only part of one."""
    words, broken, word, piece = text.split(), 0, 0, ""
    for line in lines:
        for number, token in enumerate(tokens := line.split()):
            piece += token
            if piece == words[word]:
                word, piece = word + 1, ""
            elif number == len(tokens) - 1:
                broken += 1
    return broken


def check(document: object, texts: list[str]) -> tuple[int, float]:
    """Lines broken inside a word, and how far (mm) text runs past the column's right edge."""
    page = document.pages[0]._page_box
    column = next(box for box in page.descendants()
                  if getattr(box, "element_tag", None) == "div")
    right = column.content_box_x() + COLUMN_MM * PX_PER_MM
    paragraphs = [box for box in page.descendants()
                  if getattr(box, "element_tag", None) == "p" and isinstance(box, boxes.BlockBox)]
    broken = sum(broken_words(without_marks(text), lines_of(paragraph))
                 for text, paragraph in zip(texts, paragraphs, strict=True))
    past = max(box.position_x + box.width - right for box in page.descendants()
               if isinstance(box, boxes.TextBox))
    return broken, max(past, 0) / PX_PER_MM


def mechanisms(rounds: int) -> None:
    """Each way of keeping words whole, on a Korean column."""
    sample = load(SAMPLE).dataset
    texts = [f"{institution.description.resolve('ko', ['ko']).text.strip()} "
             f"{institution.homepage.resolve('ko', ['ko']).link.url}"
             for institution in sample.institutions[:3]]
    typography = load_typography(Theme.with_user_theme())
    fonts = FontConfiguration()
    base = CSS(string=cores.stylesheet(typography, ["ko"]) + CSS_COMMON, font_config=fonts)
    found = {}
    for name, (markup, css) in ways(typography).items():
        with captured_warnings() as warnings:
            sheet = CSS(string=css, font_config=fonts)
            pages = {context: PAGE.format(context=context, paragraphs="".join(
                f"<p>{markup(text)}</p>" for text in texts)) for context in ("block", "flex")}
            documents = {context: HTML(string=html).render(stylesheets=[base, sheet],
                                                            font_config=fonts)
                         for context, html in pages.items()}
        found[name] = (pages["block"], [base, sheet], documents, warnings)
    times: dict[str, list[float]] = {name: [] for name in found}
    for _round in range(rounds):
        for name, (html, sheets, _documents, _warnings) in found.items():
            started = time.process_time()
            HTML(string=html).render(stylesheets=sheets, font_config=fonts)
            times[name].append(time.process_time() - started)
    fastest = {name: 1000 * min(values) for name, values in times.items()}
    rows = []
    for name, (_html, _sheets, documents, warnings) in found.items():
        block, _past = check(documents["block"], texts)
        flex, past = check(documents["flex"], texts)
        rows.append([name, f"{fastest[name]:.1f} ms", f"{fastest[name] - fastest['none']:+.1f}",
                     block, flex, f"{past:.0f} mm", "; ".join(dict.fromkeys(warnings))[:60]])
    print(f"A {COLUMN_MM} mm Korean column, three paragraphs; layout: the fastest of {rounds} "
          "rounds:")
    print()
    table(["way", "layout", "over none (ms)", "lines broken in a word", "in a flex item",
           "past the column (flex)", "WeasyPrint said"], rows)


def sample_outputs(rounds: int) -> None:
    """The sample's Korean flyers and brochure, with and without the joiners."""
    loaded = load(SAMPLE)
    dataset = loaded.dataset
    theme = Theme.with_user_theme()
    catalogues = Catalogues(theme.dirs("templates"))
    keeping = load_typography(theme)
    korean = dataclasses.replace(keeping.settings("ko"), keep_words=False)
    plain = dataclasses.replace(keeping, languages={**keeping.languages, "ko": korean})
    renderer = PdfRenderer(theme, SAMPLE.parent,
                           cores.stylesheet(keeping, dataset.languages))
    mode = language_modes(dataset.languages)["ko"]

    outputs = {"a Korean flyer (the mean of the sample's)": [KINDS["flyer"], dataset.institutions],
               "the Korean brochure": [KINDS["brochure"], [None]]}
    rows = []
    for name, (kind, institutions) in outputs.items():
        times: dict[str, list[float]] = {"plain": [], "keep words": []}
        html = {
            label: [render_html(make_environment(theme, catalogues, typography), dataset, kind,
                                mode, institution=institution) for institution in institutions]
            for label, typography in (("plain", plain), ("keep words", keeping))
        }
        for _round in range(rounds):
            for label, documents in html.items():
                started = time.process_time()
                for document in documents:
                    renderer.render(document, [kind.stylesheet])
                times[label].append((time.process_time() - started) / len(documents))
        fastest = {label: min(values) * 1000 for label, values in times.items()}
        extra = fastest["keep words"] - fastest["plain"]
        rows.append([name, f"{fastest['plain']:.1f} ms",
                     f"{fastest['keep words']:.1f} ms",
                     f"{extra:+.1f} ms ({100 * extra / fastest['plain']:+.0f}%)"])
    print(f"The sample's Korean outputs; layout: the fastest of {rounds} rounds:")
    print()
    table(["output", "plain", "keeping words", "difference"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    print(machine())
    print()
    mechanisms(args.rounds)
    sample_outputs(args.rounds)


if __name__ == "__main__":
    main()
