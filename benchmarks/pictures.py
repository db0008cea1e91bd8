"""A flyer with a photo: file sizes and resolutions per profile, and what processing costs.

    .venv/bin/python benchmarks/pictures.py [--sizes 1600x1067,6000x4000]

For each source size, writes a data file with one institution whose picture is a JPEG photo of
that size (made here: light, shade and grain, so it compresses as a photo does), then builds its
English flyer for screen, office and press with `brochure build` once to make the core fonts,
then again (--force) with no processed pictures kept, so the picture is processed, and once
more with it kept. Prints
the flyer's size and the photo's pixels, ppi where placed and colour space per profile, and the
screen flyer against its budget (SCREEN_FLYER_BYTES). It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
from pathlib import Path

import pikepdf
from measure import BROCHURE, kb, machine, table, timed
from PIL import Image, ImageDraw, ImageFilter

from brochure.finish.downsampling import placements
from brochure.settings import SCREEN_FLYER_BYTES

DATA = """languages: [en, ko]
network:
  name: {en: UNESCO Creative Cities Network, ko: 유네스코 창의도시 네트워크}
city:
  name: {en: Icheon, ko: 이천시}
institutions:
  - id: kocef
    name: {en: Korea Ceramic Foundation, ko: 한국도자재단}
    homepage: www.kocef.org
    description: A centre where visitors discover ceramic art from Korea and abroad.
    image: {file: images/photo.jpg, alt: A photo, credit: "Photo: the benchmark"}
"""
PROFILES = ("screen", "office", "press")


def photo(width: int, height: int) -> Image.Image:
    """Evening light over a table with a jar on it, and film grain."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        share = y / height
        draw.line([(0, y), (width, y)], fill=(round(200 - 120 * share), round(150 - 90 * share),
                                              round(110 - 50 * share)))
    draw.ellipse([width * 0.35, height * 0.2, width * 0.65, height * 0.85], fill=(225, 220, 205))
    grain = Image.frombytes("L", (width, height), random.Random(1).randbytes(width * height))
    grain = grain.filter(ImageFilter.GaussianBlur(0.7)).convert("RGB")
    return Image.blend(image, grain, 0.08)


def the_photo(pdf: Path) -> str:
    with pikepdf.open(pdf) as document:
        placed = max(placements(document), key=lambda each: int(each.image.Width))
        return (f"{int(placed.image.Width)} x {int(placed.image.Height)}, {placed.ppi:.0f} ppi, "
                f"{str(placed.image.ColorSpace).lstrip('/')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1600x1067,6000x4000")
    sizes = [tuple(int(side) for side in size.split("x"))
             for size in parser.parse_args().sizes.split(",")]
    print(machine())
    times, files = [], []
    for width, height in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            (root / "images").mkdir()
            source = root / "images" / "photo.jpg"
            photo(width, height).save(source, quality=92)
            (root / "data.yaml").write_text(DATA, encoding="utf-8")
            env = {**os.environ, "XDG_CACHE_HOME": str(root / "cache")}
            command = [*BROCHURE, "build", "--data", str(root / "data.yaml"), "--out",
                       str(root / "out"), "--lang", "en", "--only", "flyers", "--jobs", "1",
                       *(f"--profile={name}" for name in PROFILES)]
            timed(command, env)  # the core fonts made, kept in the cache folder
            shutil.rmtree(root / "cache" / "brochure" / "pictures")
            cold = timed([*command, "--force"], env)
            warm = timed([*command, "--force"], env)
            label = f"{width} x {height} ({kb(source.stat().st_size)})"
            times.append((label, f"{cold.seconds:.1f} s", f"{warm.seconds:.1f} s"))
            for profile in PROFILES:
                pdf = root / "out" / profile / "en" / "flyer-kocef.pdf"
                size = pdf.stat().st_size
                budget = (f" ({size / SCREEN_FLYER_BYTES:.0%} of the budget)"
                          if profile == "screen" else "")
                files.append((label, profile, kb(size) + budget, the_photo(pdf)))
    print("One English flyer for screen, office and press, `--jobs 1`, --force, core fonts "
          "kept: with the picture processed, and kept\n")
    table(["source", "processed", "kept"], times)
    table(["source", "profile", "flyer", "photo in it"], files)


if __name__ == "__main__":
    main()
