"""The exceptions of `brochure`.

Every error the library raises on purpose derives from :class:`BrochureError`; the command line
catches that class only, prints its message and exits with code 1. Anything else is a bug.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


class BrochureError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a data file, located as precisely as the input allows."""

    file: str
    line: int | None
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where, self.record, self.field, self.message]
        return ": ".join(part for part in parts if part)


class DataError(BrochureError):
    """Raised when a data file is missing, unreadable, not valid YAML, or fails validation.

    It carries every problem found, so the user fixes them all in one round.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    def __reduce__(self) -> tuple[type[DataError], tuple[list[Problem]]]:
        """Rebuilt from its problems when it comes back from a child process."""
        return type(self), (self.problems,)


class ThemeError(BrochureError):
    """Raised when a template or stylesheet is missing, broken, or uses a name it should not."""


class RenderError(BrochureError):
    """Raised when an output cannot be laid out as planned (e.g. a flyer that needs two pages)."""


class OutputError(BrochureError):
    """Raised when the output folder or one of its files cannot be written."""


def plural(count: int, noun: str) -> str:
    """'1 page', '2 pages': for messages."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def error_lines(error: BrochureError | str) -> list[str]:
    """An error as the command line prints it: ``error: ...``, one line per problem."""
    return [f"error: {line}" for line in str(error).splitlines()]


def character(char: str) -> str:
    """A character as messages name it: ``'x' (U+0078)`` when it can be seen; else by number and
    name, ``U+202E (RIGHT-TO-LEFT OVERRIDE)`` (a control character has only its number)."""
    number = f"U+{ord(char):04X}"
    if char.isprintable() and not char.isspace():
        return f"'{char}' ({number})"
    name = unicodedata.name(char, "")
    return f"{number} ({name})" if name else number
