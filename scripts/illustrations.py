"""Draw the sample's pictures: the project's own illustrations, free to use with the sample.

    .venv/bin/python scripts/illustrations.py

Writes data/images/: a moon jar, a wood-fired kiln and a potter's wheel as JPEG paintings (soft
light and grain, so they behave like photographs in a build), and the institutions' logos as
SVG. The drawing is seeded, so the files come out the same every time.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

PROJECT = Path(__file__).resolve().parent.parent
IMAGES = PROJECT / "data" / "images"
SIZE = (1800, 1200)  # 3:2, as a camera's; 200 ppi over 229 x 152 mm


def backdrop(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    """A vertical gradient, as evening light on a wall."""
    width, height = SIZE
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        share = y / (height - 1)
        draw.line([(0, y), (width, y)],
                  fill=tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True)))
    return image


def grain(image: Image.Image, seed: int, amount: int = 8) -> Image.Image:
    """Film grain and a slight blur: a painting that compresses like a photograph."""
    pixels = random.Random(seed).randbytes(SIZE[0] * SIZE[1])
    noise = Image.frombytes("L", SIZE, pixels).filter(ImageFilter.GaussianBlur(0.6))
    return Image.blend(image.filter(ImageFilter.GaussianBlur(2)), noise.convert("RGB"),
                       amount / 100)


def moon_jar() -> Image.Image:
    image = backdrop((92, 84, 76), (40, 36, 33))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 930, SIZE[0], SIZE[1]], fill=(70, 52, 38))  # the table
    draw.ellipse([560, 910, 1240, 990], fill=(45, 33, 24))  # its shadow
    for step in range(60):  # the body, lit from the left
        inset = step * 3
        shade = 214 + step // 2
        draw.ellipse([600 + inset, 230 + inset, 1200 - inset // 2, 950 - inset // 2],
                     fill=(shade, shade - 6, shade - 18))
    draw.ellipse([760, 200, 1040, 260], fill=(196, 188, 172))  # the mouth
    draw.ellipse([790, 212, 1010, 250], fill=(120, 112, 100))
    return grain(image, 1)


def kiln() -> Image.Image:
    image = backdrop((230, 150, 90), (60, 40, 60))  # dusk
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 900, SIZE[0], SIZE[1]], fill=(52, 44, 40))  # the slope
    for chamber in range(5):  # a climbing kiln, chamber above chamber
        left = 200 + chamber * 280
        top = 640 - chamber * 70
        draw.chord([left, top, left + 320, top + 420], 180, 360, fill=(120, 78, 58))
        draw.rectangle([left, top + 210, left + 320, 930 - chamber * 10], fill=(120, 78, 58))
        draw.ellipse([left + 120, top + 200, left + 200, top + 280], fill=(250, 170, 60))
    draw.rectangle([1640, 260, 1700, 900], fill=(80, 60, 52))  # the chimney
    return grain(image, 2)


def wheel() -> Image.Image:
    image = backdrop((150, 140, 128), (96, 86, 76))
    draw = ImageDraw.Draw(image)
    draw.ellipse([420, 820, 1380, 1060], fill=(70, 66, 62))  # the wheel head
    draw.ellipse([440, 810, 1360, 1030], fill=(128, 120, 110))
    draw.polygon([(700, 850), (1100, 850), (1040, 520), (960, 470), (840, 470), (760, 520)],
                 fill=(168, 120, 86))  # a pot being thrown
    draw.ellipse([840, 450, 960, 500], fill=(120, 84, 60))
    draw.ellipse([560, 560, 760, 720], fill=(214, 170, 140))  # hands
    draw.ellipse([1040, 560, 1240, 720], fill=(214, 170, 140))
    return grain(image, 3)


LOGOS = {  # a jar in a ring, and a kiln's arch: marks drawn for the sample, not the real ones
    "kocef-logo.svg": ("#2f6b62", "M28 44 C14 40 14 20 26 14 L38 14 C50 20 50 40 36 44 Z"),
    "kicet-logo.svg": ("#8a3b1e", "M12 46 L12 30 A20 20 0 0 1 52 30 L52 46 L42 46 L42 32 "
                                  "A10 10 0 0 0 22 32 L22 46 Z"),
}


def logo(colour: str, shape: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" '
            f'height="64">\n'
            f'  <circle cx="32" cy="32" r="29" fill="none" stroke="{colour}" stroke-width="4"/>\n'
            f'  <path d="{shape}" fill="{colour}"/>\n'
            f'</svg>\n')


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, draw in (("moon-jar.jpg", moon_jar), ("kiln.jpg", kiln), ("wheel.jpg", wheel)):
        draw().save(IMAGES / name, quality=85, optimize=True)
        print(f"wrote {(IMAGES / name).relative_to(PROJECT)}")
    for name, (colour, letters) in LOGOS.items():
        (IMAGES / name).write_text(logo(colour, letters), encoding="utf-8")
        print(f"wrote {(IMAGES / name).relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
