"""Writing results: every file appears whole or not at all, the manifest last.

A PDF is written to a temporary file beside its target and renamed over it, so a failed or
killed build never leaves a truncated PDF and never destroys the previous good one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import OutputError

MANIFEST = "manifest.json"
LOCK = ".brochure.lock"
LEFTOVERS = (".*.pdf.*.tmp", f".{MANIFEST}.*.tmp")  # temporary files of a killed build


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for one build: a second build into it at once fails cleanly.

    Temporary files that a killed build left behind are removed once the lock is held.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = (out_dir / LOCK).open("a")
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot be written: {error.strerror}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{out_dir}: another build is writing here; run this one when it "
                              "has finished") from None
        for pattern in LEFTOVERS:
            for leftover in out_dir.rglob(pattern):
                leftover.unlink(missing_ok=True)
        yield


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp",
                                         delete=False) as file:
            temporary = Path(file.name)
            try:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            except BaseException:
                file.close()
                temporary.unlink(missing_ok=True)
                raise
        os.replace(temporary, path)
    except OSError as error:
        raise OutputError(f"{path}: cannot be written: {error.strerror}") from None


def entry(path: str, kind: str, lang: str, pages: int, data: bytes,
          institution: str | None = None, layout: str | None = None) -> dict[str, Any]:
    """One manifest line: what a file is and the hash of its bytes."""
    record: dict[str, Any] = {"path": path, "kind": kind, "lang": lang}
    if institution:
        record["institution"] = institution
    if layout:
        record["layout"] = layout
    record.update(pages=pages, sha256=hashlib.sha256(data).hexdigest())
    return record


def read_manifest(out_dir: Path) -> list[dict[str, Any]]:
    """The entries of an earlier build, or none."""
    try:
        return list(json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["outputs"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


def write_manifest(out_dir: Path, entries: Iterable[dict[str, Any]]) -> Path:
    """Write the manifest, sorted by path so that it is the same for the same outputs."""
    outputs = sorted(entries, key=lambda item: item["path"])
    text = json.dumps({"outputs": outputs}, ensure_ascii=False, indent=2) + "\n"
    path = out_dir / MANIFEST
    write_atomic(path, text.encode("utf-8"))
    return path
