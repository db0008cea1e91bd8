"""Pictures made ready for a PDF: upright, without metadata, in the colours the file is for.

A photo from a phone is sideways in its pixels (its EXIF data says which way is up), carries
the place it was taken and the camera's serial number, may be 16-bit, indexed, transparent, or
CMYK from a designer (Adobe's inverted kind too), and is often 6000 pixels wide for a box of
60 mm. WeasyPrint embeds a JPEG's bytes as they are, metadata and all, so every picture of the
data passes through here first, with Pillow and its littleCMS (ImageCms):

- turned upright by its EXIF orientation, then every piece of metadata left behind (only the
  pixels are written again);
- brought to 8 bits: greyscale stays grey, indexed and 16-bit images are expanded, transparency
  kept for the screen (flattened on white paper for the press, which prints no alpha);
- converted from its own ICC profile (sRGB when it has none; FOGRA39 for CMYK without one) to
  sRGB for the screen and the office, or to the CMYK of the press file's output intent;
- scaled down to :data:`~brochure.settings.PICTURE_MAX_PPI` at the largest size a page can
  show it (:data:`~brochure.settings.PICTURE_MAX_MM`), so a huge photo costs little to lay out.

Each file then gets its profile's ppi at the size each picture is placed
(:mod:`brochure.finish.downsampling`). A picture is processed once per content and colour
target, and kept in the user's cache folder like the core fonts.
"""

from __future__ import annotations

import hashlib
import io
import re
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from PIL import Image, ImageCms, ImageColor, ImageOps

from ..errors import OutputError
from ..files import write_atomic
from ..settings import (
    PICTURE_ART_JPEG_QUALITY,
    PICTURE_JPEG_QUALITY,
    PICTURE_MAX_MM,
    PICTURE_MAX_PPI,
)
from ..theme import default_theme_dir

# A new way of processing gives new files in the cache (build keys count Pillow's version).
MADE_BY = (f"brochure pictures 1, Pillow {Image.__version__}, q{PICTURE_JPEG_QUALITY}, "
           f"{PICTURE_MAX_PPI} ppi at {PICTURE_MAX_MM} mm")
MAX_PIXELS = round(PICTURE_MAX_MM / 25.4 * PICTURE_MAX_PPI)  # on the long side
SRGB = ImageCms.createProfile("sRGB")
INTENT = ImageCms.Intent.RELATIVE_COLORIMETRIC  # with black point compensation, as print does
FLAGS = ImageCms.Flags.BLACKPOINTCOMPENSATION
FOGRA39 = "coated-fogra39.icc"
PURPOSES = ("srgb", "cmyk")  # what a picture is processed for: the screen's colours, or a press's
PICTURE_SCHEME = "picture:"  # how pages ask for a data picture: picture:images/kiln.jpg?srgb


@dataclass(frozen=True)
class Target:
    """The colours a picture is processed for: sRGB, or the CMYK of a press profile."""

    cmyk_profile: bytes | None = None  # the output intent's ICC profile; None: sRGB

    @property
    def name(self) -> str:
        if self.cmyk_profile is None:
            return "srgb"
        return "cmyk-" + hashlib.sha256(self.cmyk_profile).hexdigest()[:16]


def cache_dir() -> Path:
    """Where processed pictures are kept: the user's cache folder, beside the core fonts."""
    return platformdirs.user_cache_path("brochure") / "pictures"


class Pictures:
    """Processed pictures by content and target, kept in memory and in the cache folder, so
    each is made once per machine (a worker's outputs share them; so do builds)."""

    def __init__(self) -> None:
        self._kept: dict[str, bytes] = {}

    def get(self, data: bytes, target: Target) -> bytes:
        """The picture ``data`` made ready for ``target``, processed only if not kept yet."""
        key = hashlib.sha256(f"{MADE_BY}\0{target.name}\0".encode()
                             + hashlib.sha256(data).digest()).hexdigest()[:32]
        if key in self._kept:
            return self._kept[key]
        path = cache_dir() / key
        try:
            made = path.read_bytes()
        except OSError:
            made = process(data, target)
            with suppress(OSError, OutputError):  # no cache folder to write in: made each time
                write_atomic(path, made)
        self._kept[key] = made
        return made


def process(data: bytes, target: Target) -> bytes:
    """One picture made ready for ``target``: upright, 8-bit, converted, scaled, re-encoded
    without metadata (JPEG for photos, PNG for what has transparency or came as PNG)."""
    with Image.open(io.BytesIO(data)) as source:
        photo = source.format == "JPEG"
        profile = source.info.get("icc_profile")
        image = ImageOps.exif_transpose(source)  # a copy, upright, whatever the source
    image = _eight_bits(image)
    image = _converted(image, profile, target)
    if max(image.size) > MAX_PIXELS:
        image.thumbnail((MAX_PIXELS, MAX_PIXELS), Image.Resampling.LANCZOS)
    image.info = {}  # what is left of the source's, and the profile a conversion attaches
    out = io.BytesIO()
    if photo and image.mode in ("RGB", "L", "CMYK"):
        image.save(out, "JPEG", quality=PICTURE_JPEG_QUALITY, optimize=True)
    elif image.mode == "CMYK":  # a drawing for the press: of the formats a PDF takes, only
        image.save(out, "JPEG", quality=PICTURE_ART_JPEG_QUALITY, optimize=True)  # JPEG holds CMYK
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _eight_bits(image: Image.Image) -> Image.Image:
    """8 bits a channel in a mode a PDF has: L, LA, RGB, RGBA or CMYK."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode in ("P", "PA"):
        return image.convert("RGBA" if "transparency" in image.info or image.mode == "PA"
                             else "RGB")
    if image.mode == "1":
        return image.convert("L")
    if image.mode == "La":
        return image.convert("LA")
    if image.mode not in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image.convert("RGBA" if "A" in image.mode else "RGB")
    return image


def _converted(image: Image.Image, profile: bytes | None, target: Target) -> Image.Image:
    """The colours ``target`` wants, from the picture's own profile: greyscale stays grey."""
    if image.mode in ("L", "LA"):
        return _on_white(image, "L") if target.cmyk_profile else image
    source = ImageCms.ImageCmsProfile(io.BytesIO(profile)) if profile else None
    if image.mode == "CMYK":
        source = source or ImageCms.ImageCmsProfile(io.BytesIO(_fogra39(target)))
    elif target.cmyk_profile:
        image = _on_white(image, "RGB")
    if target.cmyk_profile:
        wanted = ImageCms.ImageCmsProfile(io.BytesIO(target.cmyk_profile))
        mode = "CMYK"
    else:
        wanted, mode = SRGB, "RGB" if image.mode == "CMYK" else image.mode  # RGBA keeps alpha
    if source is None and mode == image.mode:
        return image  # sRGB already
    return ImageCms.profileToProfile(image, source or SRGB, wanted, renderingIntent=INTENT,
                                     outputMode=mode, flags=FLAGS)


def _on_white(image: Image.Image, mode: str) -> Image.Image:
    """The picture as printed on white paper: its transparency flattened."""
    if "A" not in image.mode:
        return image
    paper = Image.new(image.mode, image.size, "white")
    return Image.alpha_composite(paper, image).convert(mode)


def _fogra39(target: Target) -> bytes:
    """The profile a CMYK picture without its own is read in: the press's, else FOGRA39 (what
    most print shops ask for, and our press stylesheet's output intent)."""
    if target.cmyk_profile:
        return target.cmyk_profile
    return (default_theme_dir() / "styles" / FOGRA39).read_bytes()


# A colour property in an SVG attribute (fill="#2f6b62") or style (fill: red), and its value.
SVG_COLOUR = re.compile(r"((?:fill|stroke|stop-color|flood-color|lighting-color|color)\s*"
                        r"(?:=\s*[\"']|:\s*))(#[0-9a-fA-F]{3,8}|rgba?\([^)]*\)|[a-zA-Z]+)")


def svg_in_cmyk(data: bytes, cmyk_profile: bytes) -> bytes:
    """An SVG drawing with every colour given in the press's CMYK (``device-cmyk()``, which
    WeasyPrint draws as CMYK), converted through its profile as the pictures are."""
    transform = ImageCms.buildTransform(SRGB, ImageCms.ImageCmsProfile(io.BytesIO(cmyk_profile)),
                                        "RGB", "CMYK", INTENT, FLAGS)

    def inks(match: re.Match[str]) -> str:
        try:
            rgb = ImageColor.getrgb(match[2])[:3]
        except ValueError:  # none, currentColor, inherit: no colour of its own
            return match[0]
        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), transform)
        assert pixel is not None
        values = " ".join(f"{value / 255:.3f}" for value in pixel.getpixel((0, 0)))
        return f"{match[1]}device-cmyk({values})"

    return SVG_COLOUR.sub(inks, data.decode("utf-8")).encode("utf-8")
