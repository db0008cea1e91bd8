"""Finishing: a rendered PDF in, the file a printer wants out, checked as a print shop would.

:mod:`.tagging` marks each element's language and the titles in every language,
:mod:`.downsampling` scales pictures down to each profile's resolution where they are placed,
:mod:`.imposition` puts pages on office paper and adds the press's marks, :mod:`.runs` merges
flyers into print runs, :mod:`.preflight` checks finished files, :mod:`.previews` draws their
pages as PNG previews; :mod:`.pdfobjects` holds what they share of PDF objects.
"""

from __future__ import annotations

from collections.abc import Callable

from ..plan.kinds import OutputKind
from ..plan.paper import Paper
from ..plan.profiles import Profile
from .downsampling import downsampled
from .imposition import booklet, crop_marks, n_up

# How pages go on office paper, by the kind's folding: a folded kind as a saddle-stitched
# booklet, a flat one as copies to cut apart.
IMPOSED: dict[str, Callable[[bytes, Paper], bytes]] = {"booklet": booklet, "flat": n_up}


def finished(pdf: bytes, profile: Profile, kind: OutputKind) -> bytes:
    """The file ``profile`` wants of a rendered output of ``kind``: its pictures at the
    profile's resolution, its pages imposed on the profile's paper, or with crop marks outside
    its bleed."""
    if profile.max_ppi:
        pdf = downsampled(pdf, profile.max_ppi)
    if profile.paper:
        pdf = IMPOSED[kind.folding](pdf, profile.paper)
    if profile.bleed_mm:
        pdf = crop_marks(pdf, bleed=profile.bleed_mm)
    return pdf
