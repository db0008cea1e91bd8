"""Papers: the sizes of the sheets an office printer takes, by name.

Sizes in millimetres, portrait (width, height). Imposition puts pages on sheets of a paper, and
preflight checks that office files are on it.
"""

from __future__ import annotations

Paper = tuple[float, float]  # width, height in mm, portrait

PAPERS: dict[str, Paper] = {"a4": (210, 297)}
A4 = PAPERS["a4"]
