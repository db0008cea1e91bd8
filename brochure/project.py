"""The project's settings file, ``brochure.toml``: defaults for the commands, kept with the data.

A project folder (what ``brochure init`` makes) holds its data, its theme and this file, so that
``brochure build`` run there needs no options. Paths in it are relative to the file. Options on
the command line win over it; the data file's own ``theme:`` and ``paper:`` win over its
``theme`` and ``paper``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from .errors import BrochureError
from .plan.folds import FOLDS, unknown_fold
from .plan.paper import PAPERS, unknown_paper

PROJECT_FILE = "brochure.toml"


@dataclass(frozen=True)
class Project:
    """Defaults for the commands: paths, the office paper and the leaflet's fold; ``None``
    where the file says nothing."""

    data: Path | None = None
    out: Path | None = None
    theme: Path | None = None
    paper: str | None = None  # a name in PAPERS
    fold: str | None = None  # how the leaflet is folded: a name in FOLDS


KEYS = tuple(field.name for field in fields(Project))  # the settings the file may hold
NAMES = ("paper", "fold")  # the settings that are names, not paths


def load_project(folder: Path) -> Project:
    """The settings of ``folder``'s ``brochure.toml``, or none if there is no such file."""
    path = folder / PROJECT_FILE
    if not path.is_file():
        return Project()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BrochureError(f"{path}: {error}") from None
    for key, value in table.items():
        if key not in KEYS:
            raise BrochureError(f"{path}: {key}: unknown setting (expected {', '.join(KEYS)})")
        if key == "paper":
            if not isinstance(value, str) or value not in PAPERS:
                raise BrochureError(f"{path}: paper: {unknown_paper(value)}")
        elif key == "fold":
            if not isinstance(value, str) or value not in FOLDS:
                raise BrochureError(f"{path}: fold: {unknown_fold(value)}")
        elif not isinstance(value, str) or not value:
            raise BrochureError(f"{path}: {key}: expected a path in quotes")
    return Project(**{key: value if key in NAMES else path.parent / value
                      for key, value in table.items()})
