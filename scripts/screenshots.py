"""Regenerate the README's screenshots from freshly built sample outputs.

    .venv/bin/python scripts/screenshots.py      (after scripts/bootstrap build)

Renders the brochure cover, a brochure spread, flyers, an office booklet sheet, and the festival's
programme page and poster from output/ to PNG in docs/images/.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2
from PIL import Image

PROJECT = Path(__file__).resolve().parent.parent
OUTPUT = PROJECT / "output" / "screen"
OFFICE = PROJECT / "output" / "office"
IMAGES = PROJECT / "docs" / "images"
DPI = 60


def page(pdf: Path, index: int) -> Image.Image:
    return pypdfium2.PdfDocument(pdf)[index].render(scale=DPI / 72).to_pil()


def side_by_side(pages: list[Image.Image], gap: int = 12) -> Image.Image:
    width = sum(image.width for image in pages) + gap * (len(pages) + 1)
    height = max(image.height for image in pages) + 2 * gap
    sheet = Image.new("RGB", (width, height), "#c9cfcd")
    x = gap
    for image in pages:
        sheet.paste(image, (x, gap))
        x += image.width + gap
    return sheet


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    brochure = OUTPUT / "en+ko" / "brochure.pdf"
    screenshots = {
        "brochure-cover.png": side_by_side([page(brochure, 0), page(brochure, 1)]),
        "brochure-institutions.png": side_by_side([page(brochure, 8), page(brochure, 9)]),
        "korean-and-bilingual.png": side_by_side([page(OUTPUT / "ko" / "brochure.pdf", 3),
                                                  page(brochure, 4)]),
        "flyers.png": side_by_side([page(OUTPUT / mode / "flyer-kocef.pdf", 0)
                                    for mode in ("en", "ko", "en+ko")]),
        # The festival: the first page of the brochure's programme, and the A3 poster beside
        # it at the same scale.
        "festival.png": side_by_side([page(brochure, 10), page(OUTPUT / "en+ko" / "poster.pdf",
                                                               0)]),
        # The first sheet of the office booklet: back cover and cover, front side.
        "office-booklet-sheet.png": side_by_side([page(OFFICE / "en+ko" / "brochure.pdf", 0),
                                                  page(OFFICE / "en+ko" / "brochure.pdf", 1)]),
    }
    for name, image in screenshots.items():
        image.save(IMAGES / name, optimize=True)
        print(f"wrote {(IMAGES / name).relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
