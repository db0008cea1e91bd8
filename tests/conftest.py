"""Shared fixtures: the sample data built once for the whole test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from brochure.build import BuildReport, build
from brochure.data import Loaded, load
from brochure.lang.modes import language_modes
from brochure.plan.kinds import KINDS
from brochure.plan.profiles import PROFILES

from sample import copy_sample

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "data" / "icheon.yaml"
WORLD = PROJECT / "tests" / "data" / "world.yaml"


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


@pytest.fixture(scope="session")
def world() -> Loaded:
    """A data set in Korean, English, Simplified Chinese, Japanese and Arabic."""
    return load(WORLD)


@pytest.fixture(scope="session")
def world_built(tmp_path_factory: pytest.TempPathFactory, world: Loaded) -> Path:
    """Every edition the world data set names, of every kind, in every profile, built once."""
    out = tmp_path_factory.mktemp("world")
    report = build(world, out, list(world.dataset.modes.values()), list(KINDS),
                   profiles=list(PROFILES.values()), workers=None)
    assert report.failed == [] and report.warnings == []
    return out


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the sample data file, and its pictures, to change in a test."""
    return copy_sample(tmp_path / "data" / "icheon.yaml")


CERAWORK_KOREAN_ADDRESS = "      ko: |-\n        경기도 이천시\n        경충대로697번길 306\n"


@pytest.fixture
def fallback_copy(data_copy: Path) -> Path:
    """A copy of the sample whose first institution has no Korean address: the sample's only
    text that falls back to another language (line 113, institution 1, cerawork)."""
    text = data_copy.read_text(encoding="utf-8")
    assert text.count(CERAWORK_KOREAN_ADDRESS) == 1
    data_copy.write_text(text.replace(CERAWORK_KOREAN_ADDRESS, ""), encoding="utf-8")
    return data_copy
