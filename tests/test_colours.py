"""Press colours: every colour a page can reach is read, and gradients never reach a press file.

Preflight is proved on PDFs made by hand, each with RGB (or a malformed shading) in one place a
page draws from; the refusal on a theme whose flyer header is a gradient.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from PIL import Image, ImageCms

from brochure.cli import main
from brochure.finish import preflight
from brochure.finish.preflight import Expectation
from brochure.render.pdf import PdfRenderer
from brochure.theme import Theme

PRESS = Expectation(pdfx=True)
INSTITUTIONS = ("cerawork", "doyego", "kocef", "kicet")  # the sample's, in order
PALETTE = "var(--accent), var(--paper)"  # the press palette's inks; on screen, RGB
CapSys = pytest.CaptureFixture[str]


# Hand-made PDFs ---------------------------------------------------------------------------

def page_pdf(contents: bytes, resources: Dictionary | None = None,
             annotation: bytes | None = None) -> tuple[pikepdf.Pdf, pikepdf.Page]:
    """A one-page PDF drawing ``contents``; with ``annotation``, a square annotation whose
    appearance draws that."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    page = pdf.pages[0]
    page.obj.Contents = pdf.make_stream(contents)
    page.obj.Resources = resources or Dictionary()
    if annotation is not None:
        appearance = form(pdf, annotation)
        page.obj.Annots = Array([pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Square, Rect=[0, 0, 50, 50], F=4,
            AP=Dictionary(N=appearance)))])
    return pdf, page


def form(pdf: pikepdf.Pdf, contents: bytes) -> pikepdf.Stream:
    return pdf.make_stream(contents, Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 50, 50],
                           Resources=Dictionary())


def colour_findings(pdf: pikepdf.Pdf) -> list[str]:
    data = io.BytesIO()
    pdf.save(data)
    return [str(finding) for finding in preflight.check(data.getvalue(), PRESS)
            if finding.check == "colours"]


def rgb_profile(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    """An ICC profile of sRGB, as an ICC-based colour space embeds it."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return pdf.make_stream(profile, N=3)


def rgb_image(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    pixels = Image.new("RGB", (4, 4), "#2f6b62").tobytes()
    return pdf.make_stream(pixels, Type=Name.XObject, Subtype=Name.Image, Width=4, Height=4,
                           ColorSpace=Name.DeviceRGB, BitsPerComponent=8)


def rgb_message(where: str) -> str:
    return f"page 1: colours: colours in RGB ({where}) where CMYK is required"


def test_an_rgb_image_is_found() -> None:
    pdf, page = page_pdf(b"q 50 0 0 50 0 0 cm /Im0 Do Q")
    page.obj.Resources = Dictionary(XObject=Dictionary(Im0=rgb_image(pdf)))
    assert colour_findings(pdf) == [rgb_message("/DeviceRGB in an image")]


def test_an_rgb_inline_image_in_a_form_is_found() -> None:
    pdf, page = page_pdf(b"/Fm0 Do")
    inline = b"q 50 0 0 50 0 0 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \x2f\x6b\x62 EI Q"
    page.obj.Resources = Dictionary(XObject=Dictionary(Fm0=form(pdf, inline)))
    assert colour_findings(pdf) == [rgb_message("/DeviceRGB in an image")]


def test_an_icc_based_rgb_space_in_a_pattern_is_found() -> None:
    """The pattern fills a square; inside it, colours are set in an sRGB profile's space."""
    pdf, page = page_pdf(b"/Pattern cs /P0 scn 0 0 50 50 re f")
    pattern = pdf.make_stream(
        b"/CS0 cs 0.18 0.42 0.38 sc 0 0 10 10 re f", Type=Name.Pattern, PatternType=1,
        PaintType=1, TilingType=1, BBox=[0, 0, 10, 10], XStep=10, YStep=10,
        Resources=Dictionary(ColorSpace=Dictionary(CS0=Array([Name.ICCBased,
                                                              rgb_profile(pdf)]))))
    page.obj.Resources = Dictionary(Pattern=Dictionary(P0=pattern))
    assert colour_findings(pdf) == [rgb_message("/ICCBased /N 3 in a pattern")]


@pytest.mark.parametrize("space", [
    [Name.Indexed, Name.DeviceRGB, 0, b"\x2f\x6b\x62"],
    [Name.Separation, Name("/Celadon"), Name.DeviceRGB,
     Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 1, 1], C1=[0.18, 0.42, 0.38], N=1)],
], ids=["indexed", "separation"])
def test_an_rgb_base_or_alternate_space_is_found(space: list[object]) -> None:
    """An indexed colour's palette, a spot colour's stand-in for proofs: both RGB."""
    pdf, _page = page_pdf(b"/CS0 cs 0 sc 0 0 50 50 re f",
                          Dictionary(ColorSpace=Dictionary(CS0=Array(space))))
    assert colour_findings(pdf) == [rgb_message("/DeviceRGB")]


def test_rgb_in_an_annotation_appearance_is_found() -> None:
    pdf, _page = page_pdf(b"", annotation=b"0.18 0.42 0.38 rg 0 0 50 50 re f")
    assert colour_findings(pdf) == [rgb_message("/DeviceRGB in an annotation")]


def cmyk_shading(pdf: pikepdf.Pdf, function: pikepdf.Object) -> Dictionary:
    """A linear shading from left to right in the press's ICC-based CMYK space, as WeasyPrint
    writes one for press."""
    cmyk = pdf.make_stream(b"", N=4)  # a profile's bytes do not matter to preflight
    return Dictionary(ShadingType=2, ColorSpace=Array([Name.ICCBased, cmyk]),
                      Coords=[0, 0, 50, 0], Domain=[0, 1], Function=function)


def two_stops(*colours: list[float]) -> Dictionary:
    return Dictionary(FunctionType=2, Domain=[0, 1], C0=colours[0], C1=colours[1], N=1)


def functions(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    """Shading functions of every kind, each giving three values."""
    return {
        "interpolation": two_stops([0.18, 0.42, 0.38], [1, 1, 1]),
        "stitching": Dictionary(FunctionType=3, Domain=[0, 1], Bounds=[0.5], Encode=[0, 1, 0, 1],
                                Functions=[two_stops([0.18, 0.42, 0.38], [1, 1, 1])] * 2),
        "postscript": pdf.make_stream(b"{ dup dup }", FunctionType=4, Domain=[0, 1],
                                      Range=[0, 1] * 3),
        "array": Array([two_stops([0], [1])] * 3),
    }


@pytest.mark.parametrize("kind", ["interpolation", "stitching", "postscript", "array"])
def test_a_shading_whose_function_gives_three_values_for_cmyk_is_found(kind: str) -> None:
    pdf, page = page_pdf(b"/Sh0 sh")
    shading = cmyk_shading(pdf, functions(pdf)[kind])
    page.obj.Resources = Dictionary(Shading=Dictionary(Sh0=shading))
    assert colour_findings(pdf) == [
        "page 1: colours: a shading's function gives 3 values for a 4-colour space"]


def test_a_stitching_function_is_read_through_every_part() -> None:
    pdf, page = page_pdf(b"/Sh0 sh")
    stitched = Dictionary(FunctionType=3, Domain=[0, 1], Bounds=[0.5], Encode=[0, 1, 0, 1],
                          Functions=[two_stops([0.67, 0, 0.41, 0.57], [0, 0, 0, 0]),
                                     two_stops([0.18, 0.42, 0.38], [1, 1, 1])])
    page.obj.Resources = Dictionary(Shading=Dictionary(Sh0=cmyk_shading(pdf, stitched)))
    assert colour_findings(pdf) == [
        "page 1: colours: a shading's function gives 3 or 4 values for a 4-colour space"]


def test_a_cmyk_shading_with_four_values_passes() -> None:
    """What press needs, in a shading pattern as in a shading painted directly."""
    pdf, page = page_pdf(b"/Sh0 sh /Pattern cs /P0 scn 0 0 50 50 re f")
    stitched = Dictionary(FunctionType=3, Domain=[0, 1], Bounds=[], Encode=[0, 1],
                          Functions=[two_stops([0.67, 0, 0.41, 0.57], [0, 0, 0, 0])])
    page.obj.Resources = Dictionary(
        Shading=Dictionary(Sh0=cmyk_shading(pdf, stitched)),
        Pattern=Dictionary(P0=Dictionary(Type=Name.Pattern, PatternType=2,
                                         Shading=cmyk_shading(pdf, stitched))))
    assert colour_findings(pdf) == []


# Gradients in a theme ---------------------------------------------------------------------

def gradient_theme(folder: Path, colours: str = PALETTE, press_css: str | None = None) -> Path:
    """A theme whose flyers' header band is a gradient between ``colours``; with
    ``press_css``, its own press stylesheet too."""
    styles = folder / "theme" / "styles"
    styles.mkdir(parents=True)
    (styles / "flyer.css").write_text(
        f'@import "!default/flyer.css";\n.band {{ background: linear-gradient({colours}); }}\n',
        encoding="utf-8")
    if press_css is not None:
        (styles / "press.css").write_text(f'@import "!default/press.css";\n{press_css}',
                                          encoding="utf-8")
    return styles.parent


def build(capsys: CapSys, data: Path, out: Path, theme: Path, *profiles: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["build", "--data", str(data), "--out", str(out), "--lang", "en", "--only",
                 "flyers", "--theme", str(theme), *(f"--profile={name}" for name in profiles)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("colours", [PALETTE, "#2f6b62, white"], ids=["device-cmyk", "rgb"])
def test_a_gradient_is_refused_on_press_naming_the_element(capsys: CapSys, data_copy: Path,
                                                           tmp_path: Path, colours: str) -> None:
    """Between the press palette's device-cmyk() colours WeasyPrint cannot draw a gradient at
    all (the build stopped with a traceback); between RGB ones it wrote a shading of RGB values
    in the CMYK space. Neither reaches a press file; the screen files are made."""
    out = tmp_path / "out"
    code, err = build(capsys, data_copy, out, gradient_theme(tmp_path, colours), "press",
                      "screen")
    assert code == 1
    assert [line for line in err.splitlines() if line.startswith("error: press/")] == [
        f"error: press/en/flyer-{name}.pdf: header.flyer-header.band has a gradient "
        "(background-image), which WeasyPrint draws in RGB only: give it flat device-cmyk() "
        "colours in press.css, with no gradient" for name in INSTITUTIONS]
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*.pdf")) == sorted(
        f"screen/en/flyer-{name}.pdf" for name in INSTITUTIONS)


def shadings(path: Path) -> list[tuple[str, int]]:
    """Every shading of a file, anywhere in it: its colour space and how many values its
    function gives."""
    found = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, Dictionary) and "/ShadingType" in obj:
                space = obj.ColorSpace
                function = obj.Function
                while function.FunctionType == 3:
                    function = function.Functions[0]
                found.append((str(space if isinstance(space, Name) else space[0]),
                              len(function.C0)))
    return found


def test_the_advice_works_and_the_screen_keeps_its_gradient(capsys: CapSys, data_copy: Path,
                                                            tmp_path: Path) -> None:
    """The band made flat in the theme's press.css: press builds (preflight passed) with no
    shading at all; the screen file keeps the gradient, well formed, in RGB."""
    theme = gradient_theme(tmp_path, press_css=".band { background: var(--accent); }\n")
    out = tmp_path / "out"
    code, err = build(capsys, data_copy, out, theme, "press", "screen")
    assert code == 0, err
    assert shadings(out / "press" / "en" / "flyer-kicet.pdf") == []
    assert shadings(out / "screen" / "en" / "flyer-kicet.pdf") == [("/DeviceRGB", 3)]
    assert main(["preflight", "--out", str(out)]) == 0


@pytest.mark.parametrize(("html", "found"), [
    ('<header class="flyer-header band" style="background: linear-gradient(red, blue)">x'
     "</header>", "header.flyer-header.band has a gradient (background-image)"),
    ('<p style="background-image: none, radial-gradient(red, blue)">x</p>',
     "p has a gradient (background-image)"),
    ('<section class="box" style="border: 2mm solid; border-image-source: '
     'repeating-linear-gradient(red, blue)">x</section>',
     "section.box has a gradient (border-image-source)"),
    ('<div class="card" style="box-shadow: 0 0 2mm black">x</div>',
     "div.card has a blurred shadow (box-shadow)"),
    ('<div class="card" style="box-shadow: 1mm 1mm 0 black">x</div>', None),  # a flat fill
    ("<style>p.note::before { content: '*'; background: linear-gradient(red, blue) }</style>"
     '<p class="note">x</p>', "p.note::before has a gradient (background-image)"),
    ("<style>@page { background: linear-gradient(red, blue) }</style><p>x</p>",
     "@page has a gradient (background-image)"),
])
def test_the_element_drawn_with_a_gradient_is_named(html: str, found: str | None) -> None:
    rendered = PdfRenderer(Theme.with_user_theme()).render(f"<body>{html}</body>", ())
    assert rendered.warnings == []
    assert rendered.gradient() == found
