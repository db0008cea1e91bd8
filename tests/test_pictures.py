"""Pictures from the data file to the press: read back out of the PDFs each profile makes.

A phone's photo is made here, 6000 x 4000 pixels, stored upside down with an EXIF orientation
that says so and a GPS position; it goes on one institution's flyer, whose files are then read:
pixels, placed size, colour space, metadata, the structure tree's alt text, the credit.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageCms

import brochure.render.pictures
from brochure.build import BuildReport, build
from brochure.cli import main
from brochure.data import Loaded, load
from brochure.finish.downsampling import placements
from brochure.plan import jobs
from brochure.plan.profiles import PROFILES
from brochure.render.pictures import Pictures, Target
from brochure.settings import OFFICE_PPI, PRESS_PPI, SCREEN_FLYER_BYTES, SCREEN_PPI
from brochure.theme import Theme

import pdfs

PROJECT = Path(__file__).resolve().parent.parent

RED, BLUE = (200, 30, 30), (30, 40, 200)
ALT = "A potter's hands at the wheel"
CREDIT = "Photo: Kim Min-ji"
DATA = f"""languages: [en, ko]
network:
  name: {{en: UNESCO Creative Cities Network, ko: 유네스코 창의도시 네트워크}}
city:
  name: {{en: Icheon, ko: 이천시}}
institutions:
  - id: kocef
    name: {{en: Korea Ceramic Foundation, ko: 한국도자재단}}
    homepage: www.kocef.org
    image:
      file: images/phone.jpg
      alt: {{en: "{ALT}", ko: 물레 앞 도예가의 손}}
      credit: {{en: "{CREDIT}", ko: "사진: 김민지"}}
    logo: images/logo.png
  - id: doyego
    name: Korea Ceramic Art High School
"""


def phone_photo(size: tuple[int, int] = (6000, 4000)) -> bytes:
    """A photo as a phone stores it: upside down (EXIF orientation 3 turns it), red at the top
    once upright, blue below, with grain, a GPS position and the camera's make."""
    width, height = size
    upright = Image.new("RGB", size, BLUE)
    upright.paste(Image.new("RGB", (width, height // 2), RED))
    grain = Image.frombytes("L", (width // 4, height // 4),
                            random.Random(7).randbytes(width * height // 16))
    upright = Image.blend(upright, grain.resize(size).convert("RGB"), 0.08)
    stored = upright.rotate(180)
    exif = Image.Exif()
    exif[0x0112] = 3  # orientation: turned 180 degrees
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (37.0, 16.0, 47.0), 3: "E", 4: (127.0, 26.0, 6.0)})
    data = io.BytesIO()
    stored.save(data, "JPEG", quality=92, exif=exif)
    return data.getvalue()


def logo_png() -> bytes:
    """A transparent PNG logo with a palette, as small design offices send them."""
    logo = Image.new("P", (300, 300), 0)
    logo.putpalette([0, 0, 0, 47, 107, 98])
    logo.paste(1, (50, 50, 250, 250))
    data = io.BytesIO()
    logo.save(data, "PNG", transparency=0)
    return data.getvalue()


@pytest.fixture(scope="module")
def photo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pictures")
    (folder / "images").mkdir()
    (folder / "images" / "phone.jpg").write_bytes(phone_photo())
    (folder / "images" / "logo.png").write_bytes(logo_png())
    (folder / "data.yaml").write_text(DATA, encoding="utf-8")
    return folder / "data.yaml"


@pytest.fixture(scope="module")
def photo_built(photo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path,
                                                                                   BuildReport]:
    """The flyers in English, for screen, office and press."""
    out = tmp_path_factory.mktemp("out")
    loaded = load(photo_data)
    report = build(loaded, out, [loaded.dataset.modes["en"]], ["flyer"],
                   profiles=list(PROFILES.values()))
    assert report.failed == []
    return out, report


def the_photo(pdf: Path) -> tuple[int, int, float, str]:
    """The photo's pixels, effective ppi where it is placed and colour space."""
    with pikepdf.open(pdf) as document:
        placed = max(placements(document), key=lambda placed: int(placed.image.Width))
        return (int(placed.image.Width), int(placed.image.Height), placed.ppi,
                str(placed.image.ColorSpace))


def test_each_profile_gets_the_photo_at_its_resolution_and_in_its_colours(
        photo_built: tuple[Path, BuildReport]) -> None:
    out, _report = photo_built
    screen = the_photo(out / "screen" / "en" / "flyer-kocef.pdf")
    office_page = out / "office" / "en" / "flyer-kocef.pdf"
    press = the_photo(out / "press" / "en" / "flyer-kocef.pdf")
    assert SCREEN_PPI - 2 <= screen[2] <= SCREEN_PPI + 1 and screen[3] == "/DeviceRGB"
    assert PRESS_PPI - 2 <= press[2] <= PRESS_PPI + 1 and press[3] == "/DeviceCMYK"
    # The office file puts two flyers on a sheet, shrunk a little: its ppi is measured on the
    # sheet, where 300 ppi of the flyer is more.
    office = the_photo(office_page)
    assert office[3] == "/DeviceRGB"
    assert office[0] == pytest.approx(screen[0] * OFFICE_PPI / SCREEN_PPI, rel=0.02)


def test_a_screen_flyer_with_a_6000_by_4000_photo_stays_under_its_budget(
        photo_built: tuple[Path, BuildReport]) -> None:
    out, _report = photo_built
    size = (out / "screen" / "en" / "flyer-kocef.pdf").stat().st_size
    assert size < SCREEN_FLYER_BYTES, f"{size:,} bytes"


def test_the_photo_is_upright_and_keeps_no_metadata(photo_built: tuple[Path, BuildReport]) -> None:
    out, _report = photo_built
    for profile in PROFILES:
        pdf = out / profile / "en" / "flyer-kocef.pdf"
        data = pdf.read_bytes()
        assert b"Exif" not in data and b"PhoneMaker" not in data, profile
        with pikepdf.open(pdf) as document:
            for placed in placements(document):
                raw = placed.image.read_raw_bytes()
                assert b"Exif" not in raw and b"\xff\xe1" not in raw, profile  # no APP1 at all
    # Drawn as a reader draws it (pdfium, with the press file's inverted CMYK too): red on top.
    for profile in PROFILES:
        document = pypdfium2.PdfDocument(out / profile / "en" / "flyer-kocef.pdf")
        page = document[0]
        photo = max(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4),
                    key=lambda image: image.get_px_size()[0])
        pixels = photo.get_bitmap(render=True).to_pil().convert("RGB")
        top = pixels.getpixel((pixels.width // 2, pixels.height // 8))
        bottom = pixels.getpixel((pixels.width // 2, pixels.height * 7 // 8))
        assert top[0] > 120 > top[2] and bottom[2] > 120 > bottom[0], (profile, top, bottom)


def test_the_picture_is_a_figure_with_its_alt_text_and_its_credit_is_printed(
        photo_built: tuple[Path, BuildReport]) -> None:
    out, _report = photo_built
    pdf = out / "screen" / "en" / "flyer-kocef.pdf"
    figures: dict[str, pikepdf.Dictionary] = {}

    def walk(node: pikepdf.Object) -> None:
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if kid.S == "/Figure":
                    figures[str(kid.get("/Alt", ""))] = kid
                walk(kid)

    with pikepdf.open(pdf) as document:
        walk(document.Root.StructTreeRoot)
        # The logo, in the contact panel the page's margin shows, is named as the institution
        # in the edition's first language; the photo by its alt text; the QR code by its URL.
        assert list(figures) == [ALT, "Korea Ceramic Foundation", "https://www.kocef.org"]
        drawn = {alt: _images_marked(document.pages[0], int(figure.K[0]))
                 for alt, figure in figures.items() if alt != "https://www.kocef.org"}
    assert drawn["Korea Ceramic Foundation"] == [True]  # one image, with its transparency
    assert drawn[ALT] == [False]
    assert CREDIT in pdfs.text(pdf)


def _images_marked(page: pikepdf.Page, mcid: int) -> list[bool]:
    """The images a page draws inside the marked content ``mcid``: has each a soft mask?"""
    drawn, depth = [], 0
    for operands, operator in pikepdf.parse_content_stream(page, "BDC BMC EMC Do"):
        if depth:
            depth += {"BDC": 1, "BMC": 1, "EMC": -1}.get(str(operator), 0)
            if str(operator) == "Do":
                image = page.Resources.XObject[str(operands[0])]
                drawn.append("/SMask" in image)
        elif str(operator) == "BDC" and operands[1].get("/MCID") == mcid:
            depth = 1
    return drawn


def test_a_picture_is_processed_once_per_target_and_kept(
        photo_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = []
    process = brochure.render.pictures.process

    def counted(data: bytes, target: Target) -> bytes:
        made.append((len(data), target.name))
        return process(data, target)

    monkeypatch.setattr(brochure.render.pictures, "process", counted)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    loaded = load(photo_data)
    modes = [loaded.dataset.modes["en"], loaded.dataset.modes["ko"]]
    build(loaded, tmp_path / "out", modes, ["flyer", "card"],
          profiles=[PROFILES["screen"], PROFILES["press"]])
    # The photo and the logo, each for the screen and for the press, once for eight files.
    assert len(made) == 4 and len(set(made)) == 4, made
    made.clear()
    pictures = Pictures()  # a new worker, or the next build: from the cache folder
    photo = (photo_data.parent / "images" / "phone.jpg").read_bytes()
    first = pictures.get(photo, Target())
    assert made == [] and pictures.get(photo, Target()) is first


def test_changing_a_photo_remakes_exactly_the_outputs_that_show_it(photo_data: Path,
                                                                   tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "images").mkdir()
    for name in ("phone.jpg", "logo.png"):
        (folder / "images" / name).write_bytes((photo_data.parent / "images" / name).read_bytes())
    (folder / "data.yaml").write_text(DATA, encoding="utf-8")

    def keyed() -> dict[str, str]:
        loaded: Loaded = load(folder / "data.yaml")
        planned = jobs.plan(loaded.dataset, [loaded.dataset.modes["en"]],
                            ["brochure", "flyer", "card"], [PROFILES["screen"]])
        return jobs.keys(planned, loaded, Theme.with_user_theme())

    before = keyed()
    (folder / "images" / "phone.jpg").write_bytes(phone_photo((600, 400)))
    after = keyed()
    changed = sorted(path for path in before if before[path] != after[path])
    assert changed == ["screen/en/brochure.pdf", "screen/en/card-kocef.pdf",
                       "screen/en/flyer-kocef.pdf"]


@pytest.mark.parametrize("mode", ["P", "P-transparent", "LA", "L", "I;16", "RGBA", "CMYK",
                                  "CMYK-adobe"])
def test_every_kind_of_image_becomes_what_each_target_prints(mode: str) -> None:
    """Palette, greyscale, 16-bit, transparent and CMYK sources: sRGB (or grey) for screens,
    the press profile's CMYK (or grey) for the press, with transparency on white paper."""
    press = Target((Path(__file__).parent.parent / "styles" / "coated-fogra39.icc").read_bytes())
    source = Image.new("RGB", (40, 30), RED)
    data = io.BytesIO()
    if mode == "CMYK-adobe":  # Pillow writes CMYK JPEGs as Adobe's inverted kind
        source.convert("CMYK").save(data, "JPEG")
    elif mode == "I;16":
        Image.new("I;16", (40, 30), 40000).save(data, "PNG")
    elif mode == "CMYK":
        source.convert("CMYK").save(data, "TIFF")
    elif mode == "P-transparent":
        source.convert("P").save(data, "PNG", transparency=0)
    else:
        source.convert(mode).save(data, "PNG")
    for target, wanted in ((Target(), {"RGB", "RGBA", "L", "LA"}), (press, {"CMYK", "L"})):
        with Image.open(io.BytesIO(brochure.render.pictures.process(data.getvalue(),
                                                                     target))) as made:
            assert made.mode in wanted, (mode, target.name, made.mode)
            assert not made.info.get("icc_profile") and "exif" not in made.info
            if mode in ("P", "RGBA") and made.mode != "L":
                colour = made.convert("RGB").getpixel((20, 15))
                if target.cmyk_profile:  # the inks the profile gives red: not inverted, not naive
                    assert made.mode == "CMYK"
                    colour = made.getpixel((20, 15))
                    wanted = ImageCms.profileToProfile(
                        source.convert(mode).convert("RGB"), ImageCms.createProfile("sRGB"),
                        ImageCms.ImageCmsProfile(io.BytesIO(target.cmyk_profile)),
                        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                        outputMode="CMYK", flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
                    assert wanted is not None
                    expected = wanted.getpixel((20, 15))
                    assert all(abs(a - b) < 12 for a, b in zip(colour, expected, strict=True))
                else:
                    assert colour[0] > 150 and colour[2] < 100, (mode, colour)


def test_a_soft_press_picture_is_a_warning_naming_its_record_file_and_ppi(
        tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "phone.jpg").write_bytes(phone_photo((300, 200)))
    (tmp_path / "images" / "logo.png").write_bytes(logo_png())
    (tmp_path / "data.yaml").write_text(DATA, encoding="utf-8")
    loaded = load(tmp_path / "data.yaml")
    report = build(loaded, tmp_path / "out", [loaded.dataset.modes["en"]], ["flyer"],
                   profiles=[PROFILES["screen"], PROFILES["press"]])
    assert report.failed == []
    placed = the_photo(tmp_path / "out" / "press" / "en" / "flyer-kocef.pdf")
    # 300 pixels across a box 46 mm wide, cropped to cover it: the box's height decides.
    assert report.warnings == [
        f"en/flyer-kocef.pdf: press: institution 'kocef': images/phone.jpg prints at "
        f"{placed[2]:.0f} ppi where it is placed; the press needs 300 ppi or more"]
    assert 100 < placed[2] < 200


def test_the_same_data_in_another_folder_gives_the_same_bytes(photo_data: Path,
                                                              tmp_path: Path) -> None:
    """Pictures are named in the PDF after how pages ask for them, never where the data is."""
    other = tmp_path / "elsewhere" / "data.yaml"
    other.parent.mkdir()
    shutil.copytree(photo_data.parent / "images", other.parent / "images")
    shutil.copy(photo_data, other)
    made = []
    for data in (photo_data, other):
        loaded = load(data)
        out = tmp_path / f"out-{len(made)}"
        build(loaded, out, [loaded.dataset.modes["en"]], ["flyer"],
              profiles=[PROFILES["screen"], PROFILES["press"]])
        made.append([(out / profile / "en" / "flyer-kocef.pdf").read_bytes()
                     for profile in ("screen", "press")])
    assert made[0] == made[1]


def test_strict_fails_a_build_whose_press_picture_is_under_150_ppi(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "phone.jpg").write_bytes(phone_photo((240, 160)))
    (tmp_path / "images" / "logo.png").write_bytes(logo_png())
    (tmp_path / "data.yaml").write_text(DATA, encoding="utf-8")
    command = ["build", "--data", str(tmp_path / "data.yaml"), "--out", str(tmp_path / "out"),
               "--lang", "en", "--only", "flyers", "--profile", "press"]
    assert main(command) == 0  # a warning, without --strict
    assert "images/phone.jpg prints at" in capsys.readouterr().err
    assert main([*command, "--strict", "--force"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        "error: 1 picture under 150 ppi on press (--strict)")


def test_press_files_are_the_same_bytes_from_a_cold_and_a_warm_picture_cache(
        photo_data: Path, tmp_path: Path) -> None:
    """Two builds in two processes, the first making every picture, the second finding them in
    the cache folder: the same press files, whose output intent is the theme's profile file."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPATH": str(PROJECT)}
    made = []
    for run in ("cold", "warm"):
        out = tmp_path / run
        subprocess.run([sys.executable, "-m", "brochure", "build", "--data", str(photo_data),
                        "--out", str(out), "--lang", "en", "--only", "flyers",
                        "--profile", "press"], env=env, cwd=PROJECT, check=True,
                       capture_output=True)
        made.append({pdf.name: pdf.read_bytes() for pdf in (out / "press" / "en").glob("*.pdf")})
    assert sorted(made[0]) == ["flyer-doyego.pdf", "flyer-kocef.pdf"]
    assert made[0] == made[1]
    profile = (PROJECT / "styles" / "coated-fogra39.icc").read_bytes()
    for name, data in made[0].items():
        with pikepdf.open(io.BytesIO(data)) as document:
            (intent,) = document.Root.OutputIntents
            assert intent.DestOutputProfile.read_bytes() == profile, name


def test_preflight_lists_each_image_with_its_ppi_and_colour_space(
        photo_built: tuple[Path, BuildReport], capsys: pytest.CaptureFixture[str]) -> None:
    """Not findings: every image, as pdfium draws it (pixels, placed size), for each profile."""
    out, _report = photo_built
    files = {profile: out / profile / "en" / "flyer-kocef.pdf" for profile in ("screen", "press")}
    spaces = {"screen": "/DeviceRGB", "press": "/DeviceCMYK"}
    assert main(["preflight", "--json", *map(str, files.values())]) == 0
    listed = {result["profile"]: result for result in json.loads(capsys.readouterr().out)}
    for profile, pdf in files.items():
        document = pypdfium2.PdfDocument(pdf)
        drawn = []
        for image in document[0].get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
            left, _bottom, right, _top = image.get_bounds()
            width, height = image.get_px_size()
            drawn.append(((width, height), width * 72 / (right - left)))
        document.close()
        images = listed[profile]["images"]
        assert listed[profile]["warnings"] == [] and len(images) == len(drawn) == 2
        for (pixels, ppi), image in zip(sorted(drawn), sorted(images, key=lambda i: i["pixels"]),
                                        strict=True):
            assert image["page"] == 1 and image["pixels"] == list(pixels)
            assert image["ppi"] == pytest.approx(ppi, abs=2), profile
            assert image["colour_space"] == spaces[profile]
    assert main(["preflight", str(files["press"])]) == 0
    assert "image:" not in capsys.readouterr().out  # only asked for: a listing, not a finding
    assert main(["preflight", "--verbose", str(files["press"])]) == 0
    lines = capsys.readouterr().out.splitlines()
    photo = max(listed["press"]["images"], key=lambda image: image["pixels"])
    assert (f"    image: page 1: {photo['pixels'][0]} x {photo['pixels'][1]} pixels in "
            f"/DeviceCMYK, {photo['ppi']:.0f} ppi") in lines
    assert lines[-1] == "checked 1 file: 0 errors, 0 warnings"
