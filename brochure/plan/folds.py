"""Folds: how a leaflet's sheet is folded in three, and the panels that makes, by name.

A leaflet is one landscape sheet of the office paper, printed on both sides and folded in
three. Its six panels are laid out as pages of their own width, in reading order; imposition
puts them on the sheet's two sides, each in its place (:mod:`brochure.finish.folding`).

A roll fold (the default) tucks the right-hand inside panel in first and folds the left over
it, so the tucked panel must be narrower or it buckles against the fold: the other two are a
whole number of millimetres, at least ``TUCKED_NARROWER_MM`` wider (100 / 100 / 97 mm on A4,
94 / 94 / 91.4 mm on Letter). A Z-fold folds like a Z: three equal panels.

Both sides are given as seen, left to right, with the back side upright when the sheet is
turned over about its short edge (a duplex printer's short-edge flip): a panel's back is at the
mirrored place. Panels are named by what they are in the leaflet: ``cover``, ``back``, ``flap``
(seen first on opening the cover), ``inside-1`` to ``inside-3``.

A folding is given as a left-to-right reader opens it. A leaflet that reads right to left (in
Arabic) opens the other way: its sheet is the mirror image, each side's panels reversed, so the
cover is on the left of the outside, the inside reads from the right, and a roll fold's narrow
panel is still the one folded in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..settings import TUCKED_NARROWER_MM
from .paper import A4, Paper, paper_name

TRI_FOLD = "tri-fold"  # the folding (plan/kinds.py) of the kinds laid out on a FoldedSheet
READING_ORDER = ("cover", "flap", "inside-1", "inside-2", "inside-3", "back")


@dataclass(frozen=True)
class Fold:
    """A way of folding a sheet in three: its panels on each side, left to right, and which
    one is tucked inside (narrower), if any."""

    name: str
    help: str
    outside: tuple[str, str, str]
    inside: tuple[str, str, str]
    tucked: str | None = None  # the panel folded in first, on the inside


FOLDS = {
    fold.name: fold
    for fold in (
        # Closed: the cover on top, the back beneath; opened, the flap, then the inside.
        Fold("roll", "roll fold: the panel folded in is 2-3 mm narrower", outside=(
            "flap", "back", "cover"), inside=("inside-1", "inside-2", "inside-3"),
            tucked="inside-3"),
        # Closed: the cover on top, the back beneath; opened, inside 1, 2 and the back read across.
        Fold("z", "Z-fold: three equal panels", outside=("inside-3", "flap", "cover"),
             inside=("inside-1", "inside-2", "back")),
    )
}
DEFAULT_FOLD = "roll"


@dataclass(frozen=True)
class Panel:
    """One panel of a folded sheet: its name, its size in mm, and where it is printed."""

    name: str
    width: float
    height: float
    side: int  # 0: the outside (the cover's side), 1: the inside
    left: float  # its left edge on its side, in mm from the sheet's left edge


@dataclass(frozen=True)
class FoldedSheet:
    """A sheet of ``paper`` folded by ``fold``: what a leaflet's job is laid out on."""

    fold: Fold
    paper: Paper = A4

    @property
    def size(self) -> tuple[float, float]:
        """The sheet, landscape: width and height in mm."""
        return max(self.paper), min(self.paper)

    def widths(self) -> tuple[float, float, float]:
        """The outside's panel widths left to right, as a left-to-right reader opens it, in mm."""
        width = self.size[0]
        if self.fold.tucked is None:
            return (width / 3,) * 3
        wide = math.ceil((width + TUCKED_NARROWER_MM) / 3)
        tucked = round(width - 2 * wide, 3)
        # The outside's mirror of the tucked inside panel is the narrow one.
        place = 2 - self.fold.inside.index(self.fold.tucked)
        return tuple(tucked if index == place else wide for index in range(3))  # type: ignore[return-value]

    def sides(self, right_to_left: bool = False) -> tuple[tuple[Panel, ...], tuple[Panel, ...]]:
        """The panels of the outside and of the inside, left to right, for a leaflet that reads
        left to right, or mirrored for one that reads ``right_to_left``."""
        outside = self.widths()
        inside = outside[::-1]  # turned over, the panels' backs are mirrored
        step = -1 if right_to_left else 1
        return (self._side(0, self.fold.outside[::step], outside[::step]),
                self._side(1, self.fold.inside[::step], inside[::step]))

    def panels(self) -> tuple[Panel, ...]:
        """The six panels in reading order: the order of a leaflet's pages on screen."""
        by_name = {panel.name: panel for side in self.sides() for panel in side}
        return tuple(by_name[name] for name in READING_ORDER)

    def folds(self, side: int, right_to_left: bool = False) -> tuple[float, float]:
        """Where the two folds are on a side, in mm from its left edge (see :meth:`sides`)."""
        panels = self.sides(right_to_left)[side]
        return panels[1].left, panels[2].left

    @property
    def name(self) -> str:
        """As the manifest and keys name it: "roll on a4"."""
        return f"{self.fold.name} on {paper_name(self.paper)}"

    def _side(self, side: int, names: tuple[str, ...],
              widths: tuple[float, ...]) -> tuple[Panel, ...]:
        lefts = [sum(widths[:index]) for index in range(3)]
        return tuple(Panel(name, width, self.size[1], side, round(left, 3))
                     for name, width, left in zip(names, widths, lefts, strict=True))


DEFAULT_SHEET = FoldedSheet(FOLDS[DEFAULT_FOLD])  # A4, roll-folded


def unknown_fold(name: object) -> str:
    """Why ``name`` is not a fold, naming the ones there are."""
    return f"unknown fold {name!r} (expected {' or '.join(FOLDS)})"
