"""Where templates, styles, fonts and images come from: a user's theme first, then ours.

A theme is a folder with any of ``templates/``, ``styles/``, ``fonts/`` and ``images/``; each file
in it overrides ours of the same name, and everything it lacks comes from the default theme.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import ThemeError

FOLDERS = ("templates", "styles", "fonts", "images")


def default_theme_dir() -> Path:
    """The default theme: packaged inside a wheel, at the top of the project in a checkout."""
    packaged = Path(__file__).parent / "theme"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent


DEFAULT_PREFIX = "!default"  # names our original of a file a user's theme overrides


@dataclass(frozen=True)
class Theme:
    """An ordered list of theme folders, most specific first, the default theme last."""

    roots: tuple[Path, ...]

    @classmethod
    def with_user_theme(cls, user_theme: Path | None = None) -> Theme:
        """The default theme, preceded by a user's theme folder if one is given."""
        roots = [default_theme_dir().resolve()]
        if user_theme is not None:
            if not user_theme.is_dir():
                raise ThemeError(f"{user_theme}: theme folder not found")
            roots.insert(0, user_theme.resolve())
        return cls(tuple(roots))

    def dirs(self, folder: str) -> list[Path]:
        """The folders of one kind (``templates``, ``styles``...), in search order."""
        return [root / folder for root in self.roots if (root / folder).is_dir()]

    def find(self, folder: str, name: str | Path) -> Path:
        """The first file called ``name`` in the theme's ``folder`` folders.

        ``!default/NAME`` is always ours, so that an override can import or extend the original
        (``@import "!default/flyer.css"``), as templates do.
        """
        directories = self.dirs(folder)
        if Path(name).parts[:1] == (DEFAULT_PREFIX,):
            name = Path(*Path(name).parts[1:])
            directories = directories[-1:]
        for directory in directories:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        raise ThemeError(f"{folder}/{name}: not found in the theme "
                         f"({', '.join(str(root) for root in self.roots)})")

    def digest(self) -> str:
        """A hash of every file the theme holds, in search order: changes when a file does."""
        hasher = hashlib.sha256()
        for index, root in enumerate(self.roots):
            for folder in FOLDERS:
                for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
                    if path.is_file():
                        hasher.update(f"{index}/{path.relative_to(root)}\0".encode())
                        hasher.update(path.read_bytes())
        return hasher.hexdigest()

    def relative(self, path: Path) -> tuple[str, Path] | None:
        """(folder, name) when ``path`` lies inside one of the theme's folders, else None."""
        for root in self.roots:
            for folder in FOLDERS:
                base = (root / folder).resolve()
                if path.is_relative_to(base):
                    return folder, path.relative_to(base)
        return None
