"""Papers: the sizes of the sheets an office printer takes, by name.

Sizes in millimetres, portrait (width, height). Imposition puts pages on sheets of a paper, and
preflight checks that office files are on it. A4 is the default; Letter is the office paper
where A4 is not used (North America).
"""

from __future__ import annotations

Paper = tuple[float, float]  # width, height in mm, portrait

PAPERS: dict[str, Paper] = {"a4": (210, 297), "letter": (215.9, 279.4)}
A4 = PAPERS["a4"]
DEFAULT_PAPER = "a4"
# Larger sheets an office prints posters on, whatever its paper for the rest (plan.kinds).
LARGE: dict[str, Paper] = {"a3": (297, 420)}
A3 = LARGE["a3"]


def paper_name(paper: Paper) -> str:
    """The name a paper goes by in the data, ``brochure.toml``, options and the manifest."""
    return next(name for name, size in {**PAPERS, **LARGE}.items() if size == paper)


def unknown_paper(name: object) -> str:
    """Why ``name`` is not a paper, naming the ones there are."""
    return f"unknown paper {name!r} (expected {' or '.join(PAPERS)})"
