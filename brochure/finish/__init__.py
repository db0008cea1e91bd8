"""Finishing: a rendered PDF in, the file a printer wants out, checked as a print shop would.

:mod:`.tagging` marks each element's language and the titles in every language,
:mod:`.downsampling` scales pictures down to each profile's resolution where they are placed,
:mod:`.imposition` puts pages on office paper and adds the press's marks, :mod:`.folding` a
leaflet's panels on its sheet's sides, :mod:`.runs` merges flyers into print runs,
:mod:`.preflight` checks finished files, :mod:`.previews` draws their pages as PNG previews;
:mod:`.pdfobjects` holds what they share of PDF objects.
"""

from __future__ import annotations

from collections.abc import Callable

from ..plan.folds import FoldedSheet
from ..plan.kinds import OutputKind
from ..plan.paper import Paper
from ..plan.profiles import Profile
from .downsampling import downsampled
from .folding import folds, sides
from .imposition import booklet, crop_marks, fitted, n_up

# How pages go on office paper, by the kind's folding: a folded kind as a saddle-stitched
# booklet, a flat one as copies to cut apart, a poster alone on its sheet.
IMPOSED: dict[str, Callable[[bytes, Paper], bytes]] = {"booklet": booklet, "flat": n_up,
                                                       "fitted": fitted}


def finished(pdf: bytes, profile: Profile, kind: OutputKind,
             sheet: FoldedSheet | None = None) -> bytes:
    """The file ``profile`` wants of a rendered output of ``kind``: its pictures at the
    profile's resolution, its pages imposed on the profile's paper, or with crop marks outside
    its bleed, or as it is. The panels of a kind folded from ``sheet`` go on the sheet's sides
    for paper of either kind: with fold guides for an office, with fold marks beside the crop
    marks for a press."""
    if profile.max_ppi:
        pdf = downsampled(pdf, profile.max_ppi)
    if sheet and (profile.paper or profile.bleed_mm):
        pdf = sides(pdf, sheet, bleed=profile.bleed_mm, guides=profile.paper is not None)
    elif profile.paper:
        pdf = IMPOSED[kind.folding](pdf, profile.paper)
    if profile.bleed_mm:
        pdf = crop_marks(pdf, bleed=profile.bleed_mm, folds=folds(pdf, sheet) if sheet else ())
    return pdf
