"""QR codes: a URL becomes an inline vector SVG; the one place that makes QR codes.

Error correction Q (25 % of the code may be lost) because printed codes get folded, scuffed and
photographed at an angle; the standard four-module quiet zone is drawn white inside the SVG, so the
code scans on any background. The printed size is set by the stylesheet, not here.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import qrcode
from markupsafe import Markup

from ..settings import QUIET_ZONE

# Dark and light, on screen and in print: on press the code is black ink alone on unprinted
# paper, so that no misregistration of the other inks blurs its modules.
COLOURS = {False: ("#000", "#fff"), True: ("device-cmyk(0 0 0 1)", "device-cmyk(0 0 0 0)")}


@lru_cache(maxsize=256)  # drawn again at each smaller type size, and in each mode and kind
def qr_svg(url: str, cmyk: bool = False) -> Markup:
    """An inline ``<svg>`` of the QR code for ``url``, black modules on white, sized by CSS.

    Stylesheets do not reach the SVG's shapes, so ``cmyk`` chooses the colours for print. Each
    run of dark modules in a row is one stroke a module wide, as segno draws them: half the
    path commands of outlined squares, which halves the time WeasyPrint takes to draw the code.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=QUIET_ZONE)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the quiet zone
    size = len(matrix)
    dark, light = COLOURS[cmyk]
    path = "".join(
        f"M{start} {y}.5h{length}"
        for y, row in enumerate(matrix)
        for start, length in _runs(row)
    )
    # Our own SVG, with the URL only inside the escaped <title>: the one Markup we create.
    return Markup(
        '<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        'role="img"><title>{url}</title>'
        '<rect width="{size}" height="{size}" fill="{light}"/>'
        '<path d="{path}" fill="none" stroke="{dark}"/></svg>'
    ).format(size=size, url=url, path=path, dark=dark, light=light)


def _runs(row: list[bool]) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row: one stroke per run, no seams."""
    start = None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            yield start, x - start
            start = None
