"""The picture files a data file names, checked when it is loaded, before anything is made.

Pictures come from many hands (a phone, a designer, a download), so every file is opened here
and refused with the record and field that name it when it is missing, outside the ``images``
folder beside the data file (through ``..``, an absolute path or a link), not a JPEG or PNG
(an SVG or PNG for a logo), damaged or cut short, larger than a build can hold, or a
decompression bomb (Pillow's own limit, kept as it is). An SVG logo is parsed with entities off
and refused if it refers to anything outside itself or holds a script, so a build never fetches
or runs what a drawing asks for. The renderer's fetcher serves the same folder by the same rule
(:func:`in_images`).
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from PIL import Image, ImageFile, UnidentifiedImageError

from ..settings import MAX_PICTURE_BYTES, MAX_PICTURE_PIXELS
from .model import Dataset, Picture

DATA_IMAGES = "images"  # the one folder beside a data file that outputs may show files from
PHOTO_FORMATS = ("JPEG", "PNG")
LOGO_FORMATS = ("PNG",)  # and SVG, read as XML
SVG = "http://www.w3.org/2000/svg"
OUTSIDE_REFERENCE = re.compile(r"url\(\s*['\"]?(?!#)|@import", re.IGNORECASE)

Location = tuple[str | int, ...]


def images_folder(data_dir: Path) -> Path:
    """The images folder beside a data file in ``data_dir``, its links followed."""
    return (data_dir / DATA_IMAGES).resolve()


def in_images(path: Path, images: Path) -> bool:
    """Whether ``path``, its links followed, lies in ``images`` (an :func:`images_folder`)."""
    return path.resolve().is_relative_to(images)


@dataclass(frozen=True)
class PictureFile:
    """A picture file the data names: where (for messages), the file, and whether it is a logo."""

    loc: Location
    file: str
    logo: bool
    picture: Picture | None = None  # None for a logo, which is a file alone


def picture_files(dataset: Dataset) -> Iterator[PictureFile]:
    """Every picture file the data names, the city's first, then each institution's."""
    if dataset.city.image:
        yield PictureFile(("city", "image", "file"), dataset.city.image.file, False,
                    dataset.city.image)
    for index, item in enumerate(dataset.institutions):
        if item.image:
            yield PictureFile(("institutions", index, "image", "file"), item.image.file, False,
                        item.image)
        if item.logo:
            yield PictureFile(("institutions", index, "logo"), item.logo, True)


def check(dataset: Dataset, data_dir: Path) -> tuple[list[tuple[Location, str]],
                                                     list[tuple[Location, str]],
                                                     dict[str, str]]:
    """The problems of the data's picture files, the warnings (no credit, no alt text) and the
    SHA-256 of each good file by its name in the data, of which build keys are made."""
    problems, notes, digests = [], [], {}
    images = images_folder(data_dir)
    for item in picture_files(dataset):
        try:
            digests[item.file] = inspect(data_dir / item.file, item.file, images, item.logo)
        except ValueError as error:
            problems.append((item.loc, str(error)))
        if item.picture is not None:
            where = item.loc[:-1]
            if item.picture.credit is None:
                notes.append((where, "no credit; add who made the picture "
                                     "(credit: {en: \"Photo: ...\"})"))
            if item.picture.alt is None:
                notes.append((where, "no alt text; screen readers are told the record's name "
                                     "instead of what the picture shows"))
    return problems, notes, digests


def inspect(path: Path, name: str, images: Path, logo: bool = False) -> str:
    """The SHA-256 of a good picture file; ValueError saying what is wrong with a bad one."""
    if Path(name).is_absolute() or not in_images(path, images):
        raise ValueError(f"'{name}' is outside the {DATA_IMAGES} folder beside the data file; "
                         "put the picture there")
    if not path.is_file():
        raise ValueError(f"'{name}' does not exist")
    size = path.stat().st_size
    if size > MAX_PICTURE_BYTES:
        raise ValueError(f"'{name}' is {size / 1024 ** 2:.1f} MB; pictures are limited to "
                         f"{MAX_PICTURE_BYTES // 1024 ** 2} MB")
    data = path.read_bytes()
    if logo and data.lstrip().startswith(b"<"):
        if problem := svg_problem(data):
            raise ValueError(f"'{name}' {problem}")
    else:
        _check_raster(path, name, LOGO_FORMATS if logo else PHOTO_FORMATS, logo)
    return hashlib.sha256(data).hexdigest()


def _check_raster(path: Path, name: str, formats: tuple[str, ...], logo: bool) -> None:
    """A raster file is one of ``formats``, within the pixel limits, and whole."""
    kinds = "an SVG or PNG" if logo else "a JPEG or PNG"
    try:
        with _strict_pillow(), Image.open(path, formats=formats) as image:
            width, height = image.size
            if width * height > MAX_PICTURE_PIXELS:
                raise ValueError(f"'{name}' is {width:,} x {height:,} pixels; pictures are "
                                 f"limited to {MAX_PICTURE_PIXELS / 1e6:.0f} megapixels: scale it "
                                 "down")
            image.draft(image.mode, (width // 8, height // 8))  # JPEG: all of it read, fast
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValueError(f"'{name}' claims more than {Image.MAX_IMAGE_PIXELS:,} pixels: refused "
                         "as a possible decompression bomb") from None
    except UnidentifiedImageError:
        raise ValueError(f"'{name}' is not {kinds} image") from None
    except (OSError, SyntaxError):
        raise ValueError(f"'{name}' is damaged or cut short; save it again") from None


@contextmanager
def _strict_pillow() -> Iterator[None]:
    """Pillow as a check needs it: a cut-short file is an error (WeasyPrint, once imported,
    tells Pillow to accept them), and so is an image over the bomb limit's first warning."""
    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated


class _Refused(Exception):
    """What makes an SVG file unsafe to draw."""


def svg_problem(data: bytes) -> str | None:
    """Why an SVG logo must not be drawn, if it must not: not well-formed, not SVG, a DOCTYPE
    (entities), a script, or a reference to anything outside the file."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    seen: list[str] = []
    started: list[bool] = []

    def doctype(*_args: object) -> None:
        raise _Refused("declares a DOCTYPE; SVG logos must not (entities are refused)")

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, _, tag = name.rpartition(" ")
        if not started and (namespace, tag) != (SVG, "svg"):
            raise _Refused("is not an SVG drawing (its root is not <svg>)")
        started.append(True)
        seen.append(tag)  # the open elements
        if tag in ("script", "foreignObject"):
            raise _Refused(f"holds a <{tag}>; SVG logos must be drawings alone")
        for key, value in attributes.items():
            attribute = key.rpartition(" ")[2]
            if attribute.lower().startswith("on"):
                raise _Refused(f"holds a script ({attribute} on <{tag}>)")
            if (attribute == "href" and not value.startswith("#")) or OUTSIDE_REFERENCE.search(
                    value):
                raise _Refused(f"refers to something outside the file ({attribute} on <{tag}>); "
                               "SVG logos must hold everything they draw")

    def end(_name: str) -> None:
        seen.pop()

    def text(content: str) -> None:
        if seen and seen[-1] == "style" and OUTSIDE_REFERENCE.search(content):
            raise _Refused("refers to something outside the file (in <style>); SVG logos "
                           "must hold everything they draw")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except _Refused as refusal:
        return str(refusal)
    except expat.ExpatError as error:
        return f"is not a well-formed SVG file (line {error.lineno}: " \
               f"{expat.ErrorString(error.code)})"
    return None
