"""Language modes: the languages an output is set in.

A language mode is one language alone (``en``) or the bilingual pair in the data's order
(``en-ko``); a data set is built in each of its modes unless the command line chooses some.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LanguageMode:
    """One way to build the outputs: one language, or two side by side in the data's order."""

    code: str
    languages: tuple[str, ...]

    @classmethod
    def of(cls, languages: Sequence[str]) -> LanguageMode:
        """The mode that sets ``languages``, in this order: the one way a mode is made."""
        return cls("-".join(languages), tuple(languages))

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
    """Each language alone, then the bilingual pair of the first two, keyed by code."""
    modes = [LanguageMode.of((lang,)) for lang in languages]
    if len(languages) > 1:
        modes.append(LanguageMode.of(languages[:2]))
    return {mode.code: mode for mode in modes}


