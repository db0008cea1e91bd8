"""Shared fixtures: the sample data built once for the whole test session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from brochure.build import BuildReport, build
from brochure.data import Loaded, load
from brochure.i18n import language_modes
from brochure.profiles import PROFILES
from brochure.render import KINDS

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "data" / "icheon.yaml"


@pytest.fixture(scope="session", autouse=True)
def font_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Core fonts are made in a cache folder of the test session's own, not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("cache")
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session")
def sample() -> Loaded:
    return load(SAMPLE)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, sample: Loaded) -> tuple[Path, BuildReport]:
    """Every output of the sample, in every language mode and profile, built once."""
    out = tmp_path_factory.mktemp("output")
    modes = list(language_modes(sample.dataset.languages).values())
    return out, build(sample, out, modes, list(KINDS), profiles=list(PROFILES.values()),
                      workers=None)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the sample data file to change in a test."""
    target = tmp_path / "data" / "icheon.yaml"
    target.parent.mkdir()
    shutil.copy(SAMPLE, target)
    return target
