"""Incremental and parallel builds: only what changed is made again, the same bytes either way."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from brochure.build import build
from brochure.data import load
from brochure.lang.modes import language_modes
from brochure.plan import profiles
from brochure.plan.jobs import plan
from brochure.plan.kinds import KINDS
from brochure.theme import Theme

from sample import copy_sample

MODES = ("en", "ko", "en+ko")
PROFILES = ("screen", "office")  # the default; they share one layout per output
# The kinds that read all the data.
WHOLE = ("brochure", "leaflet", "programme", "poster", "poster-a2")
CALENDARS = [f"screen/{mode}/programme.ics" for mode in MODES]  # written after the PDFs
ALL = sorted([f"{profile}/{mode}/{kind}.pdf" for mode in MODES for profile in PROFILES
              for kind in WHOLE]
             + [f"{profile}/{mode}/{kind}-{item}.pdf" for mode in MODES for profile in PROFILES
                for item in ("cerawork", "doyego", "kocef", "kicet") for kind in ("flyer", "card")]
             + CALENDARS)


def build_all(data: Path, out: Path, **options):
    loaded = load(data)
    modes = list(language_modes(loaded.dataset.languages).values())
    return build(loaded, out, modes, list(KINDS), **options)


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A private data file and an output folder built from it once."""
    folder = tmp_path_factory.mktemp("incremental")
    data = copy_sample(folder / "data" / "icheon.yaml")
    report = build_all(data, folder / "out")
    assert sorted(entry["path"] for entry in report.built) == ALL
    return data, folder / "out"


def test_a_rebuild_with_nothing_changed_makes_nothing(first: tuple[Path, Path]) -> None:
    data, out = first
    report = build_all(data, out)
    assert (report.built, sorted(report.unchanged)) == ([], ALL)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert all(len(entry["key"]) == 64 for entry in manifest["outputs"])


def test_a_changed_phone_number_remakes_its_flyers_the_brochures_and_leaflets(
        first: tuple[Path, Path]) -> None:
    data, out = first
    original = data.read_text(encoding="utf-8")
    try:
        data.write_text(original.replace('"+82-31-645-6501"', '"+82-31-645-6502"'),
                        encoding="utf-8")
        report = build_all(data, out)
        assert sorted(entry["path"] for entry in report.built) == sorted(
            [f"{profile}/{mode}/{name}.pdf" for mode in MODES for profile in PROFILES
             for name in (*WHOLE, "flyer-kocef", "card-kocef")] + CALENDARS)
        assert len(report.unchanged) == len(ALL) - 45
    finally:
        data.write_text(original, encoding="utf-8")
        build_all(data, out)


def test_force_and_a_theme_change_remake_everything(first: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    data, out = first
    assert sorted(entry["path"] for entry in build_all(data, out, force=True).built) == ALL
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "common.css").write_text(
        (Path(__file__).parent.parent / "styles" / "common.css").read_text(encoding="utf-8")
        + "\n/* a designer's change */\n", encoding="utf-8")
    report = build_all(data, out, theme=Theme.with_user_theme(tmp_path))
    pdfs = [path for path in ALL if path not in CALENDARS]  # calendars have no theme
    assert sorted(entry["path"] for entry in report.built) == pdfs
    assert len(build_all(data, out).built) == len(pdfs)  # back to the default theme


def test_a_changed_file_on_disk_is_made_again(first: tuple[Path, Path]) -> None:
    data, out = first
    (out / "screen" / "ko" / "flyer-doyego.pdf").write_bytes(b"not the PDF the manifest describes")
    report = build_all(data, out)
    # Its office copy is made from the same layout, so it comes again too (the same bytes).
    assert [entry["path"] for entry in report.built] == ["screen/ko/flyer-doyego.pdf",
                                                          "office/ko/flyer-doyego.pdf"]


def test_a_pool_of_processes_makes_the_same_bytes(first: tuple[Path, Path],
                                                  tmp_path: Path) -> None:
    data, out = first
    report = build_all(data, tmp_path / "pooled", workers=2)
    assert report.failed == [] and len(report.built) == len(ALL)
    # Made as the workers finish, told in the plan's order: brochures and leaflets, then each
    # institution's outputs.
    loaded = load(data)
    planned = plan(loaded.dataset, list(language_modes(loaded.dataset.languages).values()),
                   list(KINDS), [profiles.PROFILES[name] for name in PROFILES])
    assert [entry["path"] for entry in report.built] == [
        path for job in planned for path in job.paths] + CALENDARS
    assert [job.institution for job in planned[:16]] == [None] * 15 + ["cerawork"]
    for path in ALL:
        pooled = hashlib.sha256((tmp_path / "pooled" / path).read_bytes()).hexdigest()
        assert pooled == hashlib.sha256((out / path).read_bytes()).hexdigest(), path
