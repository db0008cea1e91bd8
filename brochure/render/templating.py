"""The Jinja2 environment: the template search path, filters and globals, the sandbox.

Templates are looked up in the user's theme first, then in ours; ``!default/NAME`` always names
our original, so an override can ``{% extends "!default/flyer.html" %}`` and change one block.
Autoescaping is on (data prints as text), undefined names fail loudly, and templates run in
Jinja2's sandbox because themes come from designers, not programmers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..data.model import Homepage, Localized, LocalizedLink, Text
from ..lang.catalogues import (
    Catalogues,
    digits,
    direction,
    language_name,
    month_year,
    number,
)
from ..lang.hours import format_hours
from ..lang.modes import LanguageMode
from ..lang.times import FORMS
from ..lang.typography import Typography, isolated
from ..theme import DEFAULT_PREFIX, Theme
from .pictures import PICTURE_SCHEME
from .qr import qr_svg


def make_environment(theme: Theme, catalogues: Catalogues,
                     typography: Typography) -> ImmutableSandboxedEnvironment:
    """The one place the template environment is built."""
    default = FileSystemLoader(theme.dirs("templates")[-1])
    loader = ChoiceLoader([
        FileSystemLoader(theme.dirs("templates")),
        PrefixLoader({DEFAULT_PREFIX: default}, delimiter="/"),
    ])
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        autoescape=select_autoescape(default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(_=catalogues.gettext, qr_svg=qr_svg, qr_url=qr_url,
                       picture_url=picture_url)
    env.filters.update(in_lang=in_lang, in_mode=in_mode, month_year=month_year,
                       number=number, digits=digits, language_name=language_name,
                       keep_words=typography.keep_words, direction=direction,
                       isolated=isolated,
                       label_languages=catalogues.label_languages,
                       opening_hours=format_hours, when=when)
    return env


@pass_context
def picture_url(context: Context, file: str) -> str:
    """``<img src="{{ picture_url(picture.file) }}">``: a data picture, asked for with the
    colours the output is made in, which the renderer's fetcher processes it for
    (:class:`brochure.render.pdf.SafeFetcher`)."""
    purpose = "cmyk" if context["rendering"].cmyk else "srgb"
    return f"{PICTURE_SCHEME}{quote(file)}?{purpose}"


@pass_context
def in_lang(context: Context, value: Text | Homepage, lang: str) -> Localized | LocalizedLink:
    """``{{ (city.name | in_lang("ko")).text }}``: one language, falling back in data order."""
    order: Sequence[str] = context["dataset"].languages
    return value.resolve(lang, order)


@pass_context
def qr_url(context: Context, url: str) -> str:
    """``{{ qr_svg(qr_url(link.url)) }}``: what a QR code on this output reads for ``url``,
    tagged with the data's campaign for the output's kind (see ``Dataset.qr_url``)."""
    return context["dataset"].qr_url(url, context["kind"].name)


def when(value: Any, mode: LanguageMode, form: str) -> list[Localized]:
    """``{{ (event.start, event.end) | when(mode, "span") }}``: a date or time, or a pair of
    them, in each language of ``mode`` in one of :data:`~brochure.lang.times.FORMS`; a text
    the same in two languages ("10:00-12:00") is shown once."""
    values = value if isinstance(value, tuple) else (value,)
    shown: dict[str, Localized] = {}
    for lang in mode.languages:
        text = FORMS[form](*values, lang)
        shown.setdefault(text, Localized(text, lang))
    return list(shown.values())


@pass_context
def in_mode(context: Context, value: Text | Homepage,
            mode: LanguageMode) -> list[Localized | LocalizedLink]:
    """The text (or homepage) in each language of ``mode``, each distinct one once.

    In a bilingual output a text that falls back to the other language is shown once, not twice,
    and so is a homepage with one page for both.
    """
    order: Sequence[str] = context["dataset"].languages
    shown: dict[object, Localized | LocalizedLink] = {}
    for lang in mode.languages:
        shown.setdefault(value.pick(lang, order)[0], value.resolve(lang, order))
    return list(shown.values())
