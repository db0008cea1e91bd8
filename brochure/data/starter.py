"""``brochure init``: a new city's project folder, ready to build, in a minute.

The data file it writes is the documentation a culture office reads first: every key it needs is
there with a comment saying what it is for, in the order the brochure shows them, and it builds
as written, so the first thing a new user sees is their own city's flyer rather than an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from babel.core import get_global

from ..errors import BrochureError
from ..project import PROJECT_FILE
from .loading import load
from .model import LANGUAGE_CODE

# What the network calls itself, in the languages we have it in; others fall back to English.
NETWORK_NAME = {
    "en": "UNESCO Creative Cities Network",
    "ko": "유네스코 창의도시 네트워크",
    "ja": "ユネスコ創造都市ネットワーク",
    "fr": "Réseau des villes créatives de l'UNESCO",
    "es": "Red de Ciudades Creativas de la UNESCO",
    "zh": "联合国教科文组织创意城市网络",
}
NETWORK_TEXT = {
    "en": "The UNESCO Creative Cities Network brings together cities that place creativity at "
          "the heart of their development.",
    "ko": "유네스코 창의도시 네트워크는 창의성을 도시 발전의 중심에 두는 "
          "도시들의 국제 협력망입니다.",
}

STARTER = """\
# The data of {city} for `brochure`: the network, the city and its institutions.
#
# Every text is either a plain string (the same in every language) or one text per language:
#     name:
#       {first}: ...
#       {second}: ...
# A language left out shows another language's text instead; `brochure check` lists where.
#
#     brochure check     checks this file and how much of it is translated
#     brochure build     makes the brochure, the flyers and the cards in output/
#     brochure serve     shows them in your browser while you edit

# The languages of the outputs, the main one first: each alone, and the pair.
languages: {languages}

network:
  name:
{network_name}
  description:
{network_text}

city:
  name:
    {first}: {city_json}
  country: {country}    # for phone numbers written without +country code
  # region: {{{first}: ...}}
  # designated: 2010     # the year the city joined the network
  # description: ...

# One entry per institution: each gets a page in the brochure, a flyer and a card.
institutions:
  - id: example            # lowercase letters, digits and hyphens: it names the flyer's file
    name:
      {first}: Your institution
    description:
      {first}: |
        Two or three sentences about what the institution does and what visitors find
        there. A blank line starts a new paragraph.
    address:
      {first}: {address_json}
    # phone: "+82 31 000 0000"
    homepage: https://www.example.org    # the QR code leads here: put the real address
"""


def init(folder: Path, city: str, languages: Sequence[str]) -> list[Path]:
    """Write a project folder for ``city``: ``data/SLUG.yaml`` and ``brochure.toml``.

    Nothing existing is overwritten; the new data file is loaded once to prove it builds.
    """
    city = " ".join(city.split())
    if not city:
        raise BrochureError("--city: give the city's name")
    codes = list(dict.fromkeys(code.strip() for code in languages if code.strip()))
    for code in codes:
        if not LANGUAGE_CODE.fullmatch(code):
            raise BrochureError(f"--languages: '{code}' is not a language code such as ko or en")
    if not codes:
        raise BrochureError("--languages: give one language or more, such as ko,en")
    slug = re.sub(r"[^a-z0-9]+", "-", city.lower()).strip("-") or "city"
    data = folder / "data" / f"{slug}.yaml"
    config = folder / PROJECT_FILE
    for path in (data, config):
        if path.exists():
            raise BrochureError(f"{path}: already exists; init writes only new files")
    text = _starter(city, codes)
    load(data, text)  # a starter that does not load is refused before anything is written
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text(text, encoding="utf-8")
    config.write_text(f'# Defaults for `brochure` commands run in this folder.\n'
                      f'data = "data/{slug}.yaml"\nout = "output"\n', encoding="utf-8")
    return [data, config]


def _starter(city: str, codes: list[str]) -> str:
    first = codes[0]

    def texts(table: dict[str, str], indent: str) -> str:
        chosen = {code: table[code] for code in codes if code in table} or {"en": table["en"]}
        return "\n".join(f"{indent}{code}: {json.dumps(text, ensure_ascii=False)}"
                         for code, text in chosen.items())

    return STARTER.format(
        city=city, city_json=json.dumps(city, ensure_ascii=False),
        address_json=json.dumps(f"Street and number, {city}", ensure_ascii=False),
        first=first, second=codes[1] if len(codes) > 1 else "en",
        languages="[" + ", ".join(codes) + "]", country=_country(first),
        network_name=texts(NETWORK_NAME, "    "), network_text=texts(NETWORK_TEXT, "    "))


def _country(lang: str) -> str:
    """Where a language is most likely spoken (ko -> KR), for phone numbers; KR by default."""
    likely = get_global("likely_subtags").get(lang.split("-")[0].lower(), "")
    territory = likely.split("_")[-1]
    return territory if re.fullmatch(r"[A-Z]{2}", territory) else "KR"
