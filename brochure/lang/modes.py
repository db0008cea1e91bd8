"""Language modes (editions): the languages an output is set in.

A language mode is one language alone (``en``) or two in reading order (``en+ko``). Its code
joins the languages with ``+``, which no language tag holds, so a pair stays apart from a tag
with a script or a region (``ko+zh-Hans``, ``zh-Hans``). A data set names its modes under
``editions``, or is built in :func:`language_modes`; the command line chooses some.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

SEPARATOR = "+"


@dataclass(frozen=True)
class LanguageMode:
    """One way to build the outputs: one language, or two side by side in reading order."""

    code: str
    languages: tuple[str, ...]

    @classmethod
    def of(cls, languages: Sequence[str]) -> LanguageMode:
        """The mode that sets ``languages``, in this order: the one way a mode is made."""
        return cls(SEPARATOR.join(languages), tuple(languages))

    @property
    def alone(self) -> list[LanguageMode]:
        """Each language of the mode in a mode of its own (the sides of a front-back flyer)."""
        return [LanguageMode.of((lang,)) for lang in self.languages]

    @property
    def primary(self) -> str:
        """The document's language (its ``lang`` and PDF ``/Lang``)."""
        return self.languages[0]

    @property
    def bilingual(self) -> bool:
        """Whether the mode sets two languages side by side."""
        return len(self.languages) > 1


def language_modes(languages: Sequence[str]) -> dict[str, LanguageMode]:
    """Each language alone, then the bilingual pair of the first two, keyed by code: the modes
    of a data set that names no editions."""
    modes = [LanguageMode.of((lang,)) for lang in languages]
    if len(languages) > 1:
        modes.append(LanguageMode.of(languages[:2]))
    return {mode.code: mode for mode in modes}


def known_code(code: str, codes: Collection[str]) -> str | None:
    """The code among ``codes`` that ``code`` names, or None.

    A code is itself first; else, as earlier versions wrote a pair, one of its hyphens may stand
    for ``+`` (``en-ko`` for ``en+ko``, ``ko-zh-Hans`` for ``ko+zh-Hans``) when exactly one such
    reading is a known code. A language tag of the data (``zh-Hans``) is never read as a pair.
    """
    if code in codes:
        return code
    readings = {code[:at] + SEPARATOR + code[at + 1:]
                for at, char in enumerate(code) if char == "-"} & set(codes)
    return readings.pop() if len(readings) == 1 else None
