"""Synthetic but realistic data for benchmarks: N institutions in English and Korean.

    .venv/bin/python benchmarks/generate.py 1000 > /tmp/many.yaml

Names, addresses and descriptions are assembled from the sample's own sentences, so text lengths
and the mix of scripts are those of real data; every seventh institution has no homepage and
every eleventh a long name. The same N always gives the same file.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "icheon.yaml"


def generate(count: int, seed: int = 2010) -> dict:
    """A data set with ``count`` institutions, built from the sample's network and city."""
    sample = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    chooser = random.Random(seed)
    models = sample["institutions"]
    institutions = []
    for number in range(count):
        long_name = number % 11 == 0
        model = models[2] if long_name else models[number % len(models)]  # kocef: room to spare
        name = {lang: f"{text} {number + 1}" for lang, text in model["name"].items()}
        if long_name:
            name = {lang: f"{text}, Heritage and Research Centre"
                    for lang, text in name.items()}
        institution = {
            "id": f"institution-{number + 1}",
            "name": name,
            "address": dict(model["address"]),
            "phone": f"+82-31-{chooser.randint(200, 999)}-{chooser.randint(1000, 9999)}",
            "description": dict(model["description"]),
        }
        if number % 7:
            institution["homepage"] = f"https://www.example-{number + 1}.or.kr/ko/main"
        institutions.append(institution)
    # The sample's network and city only: its events name its own institutions, and its
    # pictures lie beside it, not beside the generated file.
    city = {key: value for key, value in sample["city"].items() if key != "image"}
    return {**{key: value for key, value in sample.items() if key not in ("festival", "events")},
            "city": city, "institutions": institutions}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    yaml.safe_dump(generate(count), sys.stdout, allow_unicode=True, sort_keys=False)


if __name__ == "__main__":
    main()
