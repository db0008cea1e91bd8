"""The manifest: what an output folder holds, each file with its hash and the key of its inputs.

It is written last, line by line, and kept true while a build changes the folder, so that a
build killed at any moment never leaves it vouching for a file it changed (:class:`Manifest`).
``brochure preflight`` reads it to know what each file should be.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..files import write_atomic
from ..lang.modes import LanguageMode
from ..settings import MANIFEST


def record(path: str, kind: str, mode: LanguageMode, profile: str, pages: int, data: bytes, *,
           institution: str | None = None, layout: str | None = None,
           qr: Sequence[str] = (), key: str | None = None, run: bool = False,
           paper: str | None = None, fold: str | None = None) -> dict[str, Any]:
    """One manifest line: what a file is, the hash of its bytes and the key of its inputs.

    ``lang`` is the code of its language mode (edition) and ``languages`` that mode's
    languages in reading order, so that a reader need not split the code. ``qr`` lists the
    URLs its QR codes must decode to, for ``brochure preflight`` later; ``run`` marks a print
    run, all the files of a kind in one; ``paper`` names the sheets an office file is on,
    which its profile alone does not say, and those a leaflet is folded from, by ``fold``.
    """
    record: dict[str, Any] = {"path": path, "kind": kind, "lang": mode.code,
                              "languages": list(mode.languages), "profile": profile}
    if paper:
        record["paper"] = paper
    if fold:
        record["fold"] = fold
    if run:
        record["run"] = True
    if institution:
        record["institution"] = institution
    if layout:
        record["layout"] = layout
    record.update(pages=pages, qr=list(qr), sha256=hashlib.sha256(data).hexdigest())
    if key:
        record["key"] = key
    return record


class Manifest:
    """The list of what an output folder holds, kept true while a build changes the folder.

    Entries of earlier builds stay for the outputs not planned this time. Before the first PDF
    is written, the entries of planned outputs are dropped, so a build killed midway never
    leaves a manifest vouching for files it changed; an output that fails keeps its earlier
    entry while its file is untouched.
    """

    def __init__(self, out_dir: Path, planned: Iterable[str]) -> None:
        self.path = out_dir / MANIFEST
        earlier = _read_entries(self.path)
        self._earlier = {item["path"]: item for item in earlier
                         if (out_dir / item["path"]).is_file()}
        planned = set(planned)
        self._entries = {path: item for path, item in self._earlier.items()
                         if path not in planned}
        if len(self._entries) < len(earlier):
            self.save()

    def add(self, entry: dict[str, Any]) -> None:
        self._entries[entry["path"]] = entry

    def get(self, path: str) -> dict[str, Any] | None:
        """The entry the manifest will hold for ``path``, as the build stands."""
        return self._entries.get(path)

    def keep_if_unchanged(self, path: str, key: str | None = None) -> bool:
        """Keep an output's earlier entry if its file is still the one that entry describes.

        With ``key``, the entry must also have been made from the same inputs.
        """
        item = self._earlier.get(path)
        if not item or (key is not None and item.get("key") != key):
            return False
        file = self.path.parent / path
        if hashlib.sha256(file.read_bytes()).hexdigest() != item.get("sha256"):
            return False
        self._entries[path] = item
        return True

    def save(self) -> Path:
        """Write the manifest, sorted by path so that it is the same for the same outputs.

        One output a line: easy to compare between builds, and written line by line.
        """
        outputs = sorted(self._entries)
        lines = (("  " + json.dumps(self._entries[path], ensure_ascii=False)
                  + (",\n" if number < len(outputs) else "\n")).encode("utf-8")
                 for number, path in enumerate(outputs, start=1))
        write_atomic(self.path, itertools.chain([b'{"outputs": [\n'], lines, [b"]}\n"]))
        return self.path


def described(pdfs: Sequence[Path]) -> list[dict[str, Any] | None]:
    """The manifest entry of each built file, from the manifest of the output folder it is in
    (each manifest read once, however many of its files are asked about)."""
    manifests: dict[Path, dict[Path, dict[str, Any]]] = {}

    def entry(pdf: Path) -> dict[str, Any] | None:
        for folder in pdf.parents:
            if folder not in manifests:
                manifests[folder] = {folder / item["path"]: item
                                     for item in _read_entries(folder / MANIFEST)}
            if (item := manifests[folder].get(pdf)) is not None:
                return item
        return None

    return [entry(pdf.resolve()) for pdf in pdfs]


def read_entries(out_dir: Path) -> list[dict[str, Any]]:
    """The entries of an output folder's manifest whose files are there."""
    return [item for item in _read_entries(out_dir / MANIFEST)
            if (out_dir / item["path"]).is_file()]


def _read_entries(path: Path) -> list[dict[str, Any]]:
    """The entries of an earlier build, or none if there is no readable manifest."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["outputs"]
        return [item for item in entries if isinstance(item.get("path"), str)]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
