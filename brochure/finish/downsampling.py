"""Pictures scaled down to what a profile's printer or screen can show, at the size each is placed.

A photo placed 46 mm wide needs 362 pixels across at 200 ppi, not the 1,800 it was laid out
with: a screen file stays small and an office file prints no faster with more. The size an
image is placed at is known only once the page is laid out, and screen and office files share
one layout, so it is done here, on the finished PDF, per profile
(:attr:`brochure.plan.profiles.Profile.max_ppi`): each image is measured where the pages draw
it (the largest of its placements counts) and, when it has more pixels than the profile's ppi
asks for there, resampled with Pillow and written again, its transparency mask too.

WeasyPrint has a ``dpi`` option of its own, but it is fixed when a document is laid out, and
the smaller copy it makes replaces the image in the cache that outputs share, so a picture shown
at two sizes would come out depending on which output was made first.
"""

from __future__ import annotations

import io
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
from pikepdf import Name
from PIL import Image

from ..settings import PICTURE_JPEG_QUALITY
from .pdfobjects import open_pdf, save


@dataclass
class Placement:
    """An image as the pages draw it: the largest size it is drawn at, in pt, and the first
    page (from 1) that draws it."""

    image: pikepdf.Stream
    width: float
    height: float
    page: int

    @property
    def ppi(self) -> float:
        """Its effective resolution: pixels per inch as placed (the lower of the two axes)."""
        return min(int(self.image.Width) * 72 / self.width,
                   int(self.image.Height) * 72 / self.height)


def downsampled(pdf: bytes, max_ppi: int) -> bytes:
    """The PDF with every image that has more than ``max_ppi`` pixels per inch where it is
    placed scaled down to it; the same bytes when none has."""
    with open_pdf(pdf) as document:
        changed = False
        for placed in placements(document):
            scale = max_ppi / placed.ppi
            if scale < 1:
                _resample(placed.image, scale)
                changed = True
        return save(document) if changed else pdf


def placements(document: pikepdf.Pdf) -> list[Placement]:
    """Each image the pages draw, once, in the order they first draw it."""
    placed: dict[tuple[int, int], Placement] = {}
    for number, page in enumerate(document.pages, 1):
        for image, width, height in _drawn(page.obj, page.obj.get("/Resources", {}),
                                           pikepdf.Matrix()):
            if width <= 0 or height <= 0:
                continue
            found = placed.setdefault(image.objgen, Placement(image, width, height, number))
            found.width, found.height = max(found.width, width), max(found.height, height)
    return list(placed.values())


def _drawn(contents: pikepdf.Object, resources: pikepdf.Dictionary,
           ctm: pikepdf.Matrix) -> Iterator[tuple[pikepdf.Stream, float, float]]:
    """The images a content stream draws and the size of each (an image fills the unit square
    of the transformation in force), into the forms it draws too."""
    saved = []
    for operands, operator in pikepdf.parse_content_stream(contents, "q Q cm Do"):
        if str(operator) == "q":
            saved.append(ctm)
        elif str(operator) == "Q":
            ctm = saved.pop() if saved else ctm
        elif str(operator) == "cm":
            ctm = pikepdf.Matrix(*(float(value) for value in operands)) @ ctm
        else:
            xobject = resources.get("/XObject", {}).get(str(operands[0]))
            if not isinstance(xobject, pikepdf.Stream):
                continue
            if xobject.get("/Subtype") == "/Image":
                yield xobject, math.hypot(ctm.a, ctm.b), math.hypot(ctm.c, ctm.d)
            elif xobject.get("/Subtype") == "/Form":
                matrix = pikepdf.Matrix(*(float(value) for value in
                                          xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))) @ ctm
                yield from _drawn(xobject, xobject.get("/Resources", resources), matrix)


def _resample(image: pikepdf.Stream, scale: float) -> None:
    """An image written again at ``scale`` of its size: a JPEG as a JPEG, else compressed
    losslessly; its soft mask likewise."""
    size = (max(1, round(int(image.Width) * scale)), max(1, round(int(image.Height) * scale)))
    pixels = pikepdf.PdfImage(image).as_pil_image().resize(size, Image.Resampling.LANCZOS)
    if image.get("/Filter") == Name.DCTDecode:
        data = io.BytesIO()
        pixels.save(data, "JPEG", quality=PICTURE_JPEG_QUALITY, optimize=True)
        image.write(data.getvalue(), filter=Name.DCTDecode)
    else:
        image.write(zlib.compress(pixels.tobytes()), filter=Name.FlateDecode)
    if "/DecodeParms" in image:  # a PNG predictor's
        del image.DecodeParms
    image.Width, image.Height = size
    image.BitsPerComponent = 8
    if isinstance(mask := image.get("/SMask"), pikepdf.Stream):
        _resample(mask, size[0] / int(mask.Width))
