"""Previews of finished PDFs: every page as a PNG, and one contact sheet of them all.

A quick look before printing 2,000 copies, without opening forty files; the same previews go in
a README or an e-mail to the print shop. Pages are rendered with pdfium, the engine of Chrome's
PDF viewer, so they show what a reader will see.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

import pypdfium2
from PIL import Image, ImageDraw

from ..files import write_atomic
from ..settings import CONTACT_SHEET_COLUMNS, THUMBNAIL_HEIGHT

CONTACT_SHEET = "contact-sheet.png"
GAP = 16
LABEL = 14  # pixels below each page for its file name and number
BACKGROUND = "#c9cfcd"


def preview(pdfs: Sequence[tuple[Path, str]], into: Path, dpi: int = 60) -> list[Path]:
    """Write each page of each ``(pdf, name)`` as ``into/NAME-N.png``, then the contact sheet.

    ``name`` is the file's path relative to its output folder without ``.pdf``, so the previews
    keep the outputs' order and folders. Returns the paths written, the contact sheet last.
    """
    written, thumbnails = [], []
    for pdf, name in pdfs:
        document = pypdfium2.PdfDocument(pdf)
        try:
            for index in range(len(document)):
                image = document[index].render(scale=dpi / 72).to_pil().convert("RGB")
                path = into / f"{name}-{index + 1}.png"
                write_atomic(path, _png(image))
                written.append(path)
                thumbnails.append((f"{name} {index + 1}", _thumbnail(image)))
        finally:
            document.close()
    if thumbnails:
        sheet = into / CONTACT_SHEET
        write_atomic(sheet, _png(contact_sheet(thumbnails)))
        written.append(sheet)
    return written


def contact_sheet(pages: Sequence[tuple[str, Image.Image]]) -> Image.Image:
    """All pages in rows, each labelled, on a neutral grey that shows the paper's edges."""
    cell_width = max(image.width for _, image in pages) + GAP
    cell_height = THUMBNAIL_HEIGHT + LABEL + GAP
    columns = min(CONTACT_SHEET_COLUMNS, len(pages))
    rows = math.ceil(len(pages) / columns)
    sheet = Image.new("RGB", (columns * cell_width + GAP, rows * cell_height + GAP), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for number, (label, image) in enumerate(pages):
        x = GAP + (number % columns) * cell_width
        y = GAP + (number // columns) * cell_height
        sheet.paste(image, (x, y))
        draw.text((x, y + THUMBNAIL_HEIGHT + 2), label, fill="#1e2a2b")
    return sheet


def _thumbnail(image: Image.Image) -> Image.Image:
    width = round(image.width * THUMBNAIL_HEIGHT / image.height)
    return image.resize((width, THUMBNAIL_HEIGHT), Image.Resampling.LANCZOS)


def _png(image: Image.Image) -> bytes:
    data = io.BytesIO()
    image.save(data, "PNG", optimize=True)
    return data.getvalue()
