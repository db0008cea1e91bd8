"""Writing files: each appears whole or not at all, and one build at a time writes a folder.

A file is written to a temporary file beside its target and renamed over it, so a failed or
killed build never leaves a truncated file and never destroys the previous good one. This is
the one place that writes files; builds, imports and the font cache all come here.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError
from .settings import MANIFEST

LOCK = ".brochure.lock"
LEFTOVERS = ("*/*/.*.pdf.*.tmp", f".{MANIFEST}.*.tmp")  # temporary files of a killed build


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
            for leftover in out_dir.glob(pattern):
                leftover.unlink(missing_ok=True)
        yield


def _mode(path: Path) -> int:
    """The mode ``path`` keeps, or, new, the one the umask in force now gives, as other tools'
    files get: a process may change its umask after importing us."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask. Linux tells it; elsewhere it is read by setting it for a moment,
    to the most private value, since another thread may be creating a file meanwhile."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1], 8) for line in status if line.startswith("Umask:"))
    except (OSError, StopIteration):
        umask = os.umask(0o077)
        os.umask(umask)
        return umask


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    ``data`` may come in pieces, written as they come, so that a large file (the manifest of
    10,000 outputs) need not be held whole.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp",
                                         delete=False) as file:
            temporary = Path(file.name)
            try:
                file.writelines([data] if isinstance(data, bytes) else data)
                file.flush()
                os.fsync(file.fileno())
                # Temporary files are private; a file keeps the mode it had, a new one the umask's.
                os.chmod(file.fileno(), _mode(path))
            except BaseException:
                file.close()
                temporary.unlink(missing_ok=True)
                raise
        os.replace(temporary, path)
    except OSError as error:
        raise OutputError(f"{path}: cannot be written: {error.strerror}") from None
