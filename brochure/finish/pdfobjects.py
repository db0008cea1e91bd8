"""What the finishing steps share of PDF objects: boxes in points, metadata carried over, pages
as forms to place, lines to stroke, deterministic saving, and walking everything a page draws."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Sequence

import pikepdf
from pikepdf import Name

from ..lang.catalogues import direction

MM = 72 / 25.4  # PDF points per millimetre

DOCINFO_KEPT = ("/Title", "/Subject", "/Author", "/Keywords")  # what a reader shows of a file
HAIRLINE = 0.25  # pt: the width of every mark

Box = tuple[float, float, float, float]  # left, bottom, right, top in pt
Line = tuple[float, float, float, float]  # x0, y0, x1, y1 in pt


def keep_metadata(source: pikepdf.Pdf, target: pikepdf.Pdf) -> None:
    """The title, language and XMP metadata of ``source`` on the new document ``target``."""
    for key in DOCINFO_KEPT:
        if key in source.docinfo:
            target.docinfo[key] = pikepdf.String(str(source.docinfo[key]))
    if Name.Lang in source.Root:
        target.Root.Lang = pikepdf.String(str(source.Root.Lang))
    if Name.Metadata in source.Root:
        target.Root.Metadata = target.copy_foreign(source.Root.Metadata)


def new_from(source: pikepdf.Pdf) -> tuple[pikepdf.Pdf, list[pikepdf.Object]]:
    """A new document with the metadata of ``source``, and each of its pages as a form XObject.

    The forms share their fonts and images. The new document reads the pages' content from
    ``source`` when it is saved, so ``source`` must stay open until then.
    """
    target = pikepdf.new()
    keep_metadata(source, target)
    forms = []
    for number, page in enumerate(source.pages, start=1):
        if int(page.obj.get(Name.Rotate, 0)) % 360:
            raise ValueError(f"page {number} is rotated (/Rotate); imposition needs upright pages")
        forms.append(target.copy_foreign(page.as_form_xobject()))
    return target, forms


def right_to_left(document: pikepdf.Pdf) -> bool:
    """Whether the document reads right to left (an Arabic booklet binds on the right), as its
    language (/Lang) is written.

    Not the viewer preferences' /Direction /R2L: pdfium then extracts the Latin runs of the
    text (a phone number, a web address) backwards."""
    lang = document.Root.get("/Lang")
    return lang is not None and direction(str(lang)) == "rtl"


def open_pdf(pdf: bytes) -> pikepdf.Pdf:
    """A finished PDF's bytes, opened for reading and changing."""
    return pikepdf.open(io.BytesIO(pdf))


def save(document: pikepdf.Pdf, version: str = "") -> bytes:
    """The bytes of ``document``, identified by its content so equal inputs give equal bytes.

    An edited document keeps the first half of its /ID, the file's permanent identifier.
    ``version`` is the lowest PDF version to write (the source's, for a new document).
    """
    output = io.BytesIO()
    document.save(output, deterministic_id=True, min_version=version)
    return output.getvalue()


def normalised(array: pikepdf.Array) -> Box:
    """A PDF rectangle as (left, bottom, right, top), whichever corners the file gave."""
    x0, y0, x1, y1 = (float(value) for value in array)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def trim_box(page: pikepdf.Page) -> Box:
    """The finished page: TrimBox if the page has one, else its CropBox or MediaBox."""
    return normalised(page.trimbox)


def box_width(box: Box) -> float:
    """How wide a box is, in pt."""
    return box[2] - box[0]


def numbers(values: Iterable[float]) -> bytes:
    """Numbers for a content stream: fixed point, since PDF has no exponents."""
    return b" ".join(b"%.4f" % value for value in values)


def strokes(lines: Sequence[Line], colour: bytes, dash: bytes = b"[] 0 d") -> bytes:
    """Content that strokes each line as a hairline in the colour that ``colour`` sets,
    solid or dashed as ``dash`` sets."""
    paths = b"".join(b"%s m %s l S\n" % (numbers(line[:2]), numbers(line[2:]))
                     for line in lines)
    return b"q %s w 0 J %s %s\n%sQ\n" % (numbers((HAIRLINE,)), dash, colour, paths)


UNICODE_CHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")

BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)


def unicode_map(font: pikepdf.Dictionary) -> dict[int, bytes]:
    """What each code of a font stands for, as its /ToUnicode map's bfchar entries say (the
    text as UTF-16BE hex)."""
    to_unicode = font.get("/ToUnicode")
    if not isinstance(to_unicode, pikepdf.Stream):
        return {}
    return {int(code, 16): text for block in BFCHAR.findall(to_unicode.read_bytes())
            for code, text in UNICODE_CHAR.findall(block)}


def drawings(page: pikepdf.Dictionary) -> Iterator[tuple[pikepdf.Dictionary, pikepdf.Object]]:
    """(resources, contents) of a page and of everything it draws (:func:`drawn`)."""
    for _where, resources, contents in drawn(page):
        yield resources, contents


def drawn(page: pikepdf.Dictionary) -> Iterator[tuple[str, pikepdf.Dictionary, pikepdf.Object]]:
    """(where, resources, contents) of a page, of every form and tiling pattern it draws, and
    of its annotations' appearances, each once.

    ``where`` is "" for the page and its forms, else "a pattern" or "an annotation": what they
    draw in turn is in them too.
    """
    seen: set[tuple[int, int]] = set()
    todo = [("", page.get("/Resources", pikepdf.Dictionary()), page)]
    for annotation in page.get("/Annots", []):
        appearance = annotation.get("/AP", {}).get("/N")  # a form, or one for each state
        forms = appearance.values() if isinstance(appearance, pikepdf.Dictionary) else [appearance]
        todo += [("an annotation", form.get("/Resources", pikepdf.Dictionary()), form)
                 for form in forms if isinstance(form, pikepdf.Stream)]
    while todo:
        where, resources, contents = todo.pop()
        if contents.objgen in seen:
            continue
        seen.add(contents.objgen)
        yield where, resources, contents
        todo += [(where, xobject.get("/Resources", resources), xobject)
                 for xobject in resources.get("/XObject", {}).values()
                 if xobject.get("/Subtype") == "/Form"]
        todo += [(where or "a pattern", pattern.get("/Resources", resources), pattern)
                 for pattern in resources.get("/Pattern", {}).values()
                 if pattern.get("/PatternType") == 1]
