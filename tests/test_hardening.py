"""Hostile and broken input: clear answers, bounded work, nothing lost, one build at a time."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from brochure.cli import main
from brochure.data import load
from brochure.errors import DataError
from brochure.files import LOCK
from brochure.settings import MANIFEST

import pdfs

PROJECT = Path(__file__).resolve().parent.parent
BAD_DATA = sorted((PROJECT / "tests" / "bad_data").glob("*.yaml"))


@pytest.mark.parametrize("path", BAD_DATA, ids=[path.stem for path in BAD_DATA])
def test_every_bad_input_gets_its_one_clear_answer(
        path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)
    code = main(["check", "--data", str(path.relative_to(PROJECT))])
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    assert captured.err == path.with_suffix(".expected").read_text(encoding="utf-8")
    assert "Traceback" not in captured.err


def test_a_data_file_over_the_size_limit_is_refused_unread(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # 50 MB, sparse on disk
    assert main(["check", "--data", str(big)]) == 1
    assert capsys.readouterr().err == (
        f"error: {big}: is 50.0 MB; data files are limited to 10 MB\n")


def test_invisible_zero_width_characters_are_removed_with_a_warning(data_copy: Path,
                                                                     tmp_path: Path) -> None:
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace("en: Korea Ceramic Foundation",
                                      "en: Korea Ce\u200bramic\ufeff Foundation"), encoding="utf-8")
    loaded = load(data_copy)
    assert str(loaded.warnings[0]) == (
        f"{data_copy}:159: institution 3 (kocef): name.en: removed the invisible characters "
        "U+200B (ZERO WIDTH SPACE), U+FEFF (ZERO WIDTH NO-BREAK SPACE)")
    assert loaded.dataset.institution("kocef").name.resolve("en", ["en"]).text == (
        "Korea Ceramic Foundation")


@pytest.mark.parametrize("languages", ["[en]", "[en, ko]"])  # one job here; three, a pool
def test_ten_thousand_institutions_load_and_the_brochure_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], languages: str) -> None:
    lines = [f"languages: {languages}", "network: {name: Network}", "city: {name: City}",
             "institutions:"]
    lines += [f"  - {{name: Institution {number}}}" for number in range(10_000)]
    data = tmp_path / "many.yaml"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    assert len(load(data).dataset.institutions) == 10_000
    assert time.perf_counter() - started < 30
    code = main(["build", "--data", str(data), "--out", str(tmp_path / "out"), "--only",
                 "brochure"])
    assert code == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "error: en/brochure.pdf: a brochure lists at most 300 institutions, not 10,000; build "
        "the flyers alone (--only flyers) or split the data")


def test_a_second_build_into_the_same_folder_fails_cleanly(
        data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with (out / LOCK).open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code = main(["build", "--data", str(data_copy), "--out", str(out), "--only", "flyers",
                     "--lang", "en"])
    assert code == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"error: {out}: another build is writing here; run this one when it has finished")
    assert list(out.rglob("*.pdf")) == []


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def killed_in_the_middle(args: list[str], what: str, nth: int) -> str:
    """Run ``brochure ARGS`` until it is in the middle of ``what`` (see ``pausing.py``), kill it
    there, and say where that was."""
    read, write = os.pipe()
    build = subprocess.Popen([sys.executable, str(PROJECT / "tests" / "pausing.py"), str(write),
                              what, str(nth), *args], pass_fds=[write],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read, encoding="utf-8") as where:
            stopped = where.readline().strip()  # "" if the build ended first
    finally:
        build.kill()
        build.wait()
    assert stopped, f"the build ended before it came to {what} {nth}"
    return stopped


def test_a_killed_build_leaves_every_earlier_output_intact(data_copy: Path,
                                                           tmp_path: Path) -> None:
    """Kill builds in the middle of writing the manifest, of writing a PDF, and holding the
    lock: each PDF is the old one or the new one, whole; the manifest is whole and vouches for
    true files only; the next build puts the rest right."""
    out, fresh, changed = tmp_path / "out", tmp_path / "fresh", data_copy.parent / "changed.yaml"
    text = data_copy.read_text(encoding="utf-8")
    changed.write_text(text.replace('"+82-31-645-6501"', '"+82-31-645-6599"')
                       .replace("Icheon is a city of ceramics.", "Icheon: a city of ceramics."),
                       encoding="utf-8")
    data_bytes = changed.read_bytes()
    args = ["build", "--lang", "en", "--jobs", "1", "--data"]
    command = [sys.executable, "-m", "brochure", *args]
    subprocess.run([*command, str(data_copy), "--out", str(out)], check=True, capture_output=True)
    subprocess.run([*command, str(changed), "--out", str(fresh)], check=True, capture_output=True)
    old = {path: sha256(path) for path in out.rglob("*.pdf")}
    new = {out / path.relative_to(fresh): sha256(path) for path in fresh.rglob("*.pdf")}
    assert new.keys() == old.keys() and new != old

    # A build first writes the manifest without the outputs it plans (all here), then the
    # brochure (changed); the build after that finds none listed and makes them all again, the
    # brochures (new) before the third file, a flyer.
    for what, nth in [("manifest", 1), ("pdf", 1), ("lock", 1), ("pdf", 3)]:
        stopped = killed_in_the_middle([*args, str(changed), "--out", str(out)], what, nth)
        assert sorted(out.rglob("*.pdf")) == sorted(old), stopped
        for path, digest in old.items():
            check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
            assert check.returncode == 0, f"killed in {stopped}: {check.stdout}{check.stderr}"
            assert sha256(path) in (digest, new[path]), f"killed in {stopped}: {path}"
        written = (out / MANIFEST).read_text(encoding="utf-8")
        assert written.endswith("]}\n"), f"killed in {stopped}: the manifest is cut: {written!r}"
        for entry in json.loads(written)["outputs"]:  # what the manifest vouches for is true
            assert sha256(out / entry["path"]) == entry["sha256"], f"killed in {stopped}: {entry}"
    assert changed.read_bytes() == data_bytes  # builds never write the data

    subprocess.run([*command, str(changed), "--out", str(out)], check=True, capture_output=True)
    assert {path: sha256(path) for path in out.rglob("*.pdf")} == new
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert {out / entry["path"]: entry["sha256"] for entry in manifest["outputs"]
            if entry["kind"] != "calendar"} == new  # the calendar's bytes: checked above
    assert sorted(p.name for p in out.rglob(".*") if p.name != LOCK) == []  # no leftovers
    assert "Icheon: a city of ceramics." in pdfs.text(out / "screen" / "en" / "brochure.pdf")


def children(pid: int) -> set[int]:
    """The processes that ``pid`` started (Linux)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(item) for item in path.read_text().split()} if path.exists() else set()


def test_the_workers_of_a_killed_build_end_too(data_copy: Path, tmp_path: Path) -> None:
    build = subprocess.Popen([sys.executable, "-m", "brochure", "build", "--data", str(data_copy),
                              "--out", str(tmp_path / "out"), "--jobs", "2", "--force"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while len(workers := children(build.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) >= 2, "the build started no pool"
    time.sleep(1)  # the workers are set up and working
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 15
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = {pid for pid in workers if Path(f"/proc/{pid}").exists()
             and "multiprocessing" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")}
    assert alive == set()


@pytest.mark.parametrize("umask", [0o022, 0o077], ids=["022", "077"])
def test_new_files_are_as_readable_as_the_umask_in_force_allows(
        data_copy: Path, tmp_path: Path, umask: int) -> None:
    """A new PDF or manifest gets ``0o666 & ~umask``, like any other tool's new file, from the
    umask in force when it is written, which a process may set after importing brochure: the
    build is started under another one. A file already there keeps its mode."""
    out = tmp_path / "out"
    kept = out / "screen" / "en" / "flyer-kocef.pdf"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"an earlier file")
    kept.chmod(0o640)
    at_import = 0o077 if umask == 0o022 else 0o022
    subprocess.run([sys.executable, "-c", f"import os, brochure.cli; os.umask({umask:#o}); "
                    "brochure.cli.run()", "build", "--data", str(data_copy), "--out", str(out),
                    "--only", "flyers", "--lang", "en"],
                   check=True, capture_output=True, preexec_fn=lambda: os.umask(at_import))
    modes = {path.relative_to(out).as_posix(): path.stat().st_mode & 0o777
             for path in [*out.rglob("*.pdf"), out / MANIFEST]}
    assert len(modes) == 9  # 4 flyers on screen, 4 for the office, the manifest
    assert modes == dict.fromkeys(modes, 0o666 & ~umask) | {"screen/en/flyer-kocef.pdf": 0o640}


def test_a_homepage_too_long_for_a_printed_qr_code_is_refused(data_copy: Path) -> None:
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace('"https://www.kocef.org"',
                                      '"https://www.kocef.org/' + "x" * 1700 + '"'),
                         encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(data_copy)
    assert str(caught.value) == (
        f"{data_copy}:161: institution 3 (kocef): homepage: is 1,722 characters long as a URL; "
        "a printed QR code stays readable up to 200: use a shorter address")
