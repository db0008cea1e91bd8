"""The sample data file, copied where a test changes it, with the pictures it shows."""

from __future__ import annotations

import shutil
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "icheon.yaml"


def copy_sample(target: Path) -> Path:
    """The sample copied to ``target``, its images/ folder beside it; ``target`` returned."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE, target)
    shutil.copytree(SAMPLE.parent / "images", target.parent / "images", dirs_exist_ok=True)
    return target
