"""Run ``brochure`` so that it stops at a chosen moment of its writing, for a test to kill it there.

``python pausing.py FD WHAT N ARGS...`` runs ``brochure ARGS...`` and stops it

- ``pdf``, ``manifest``: in the middle of the Nth file it writes whose first bytes are a PDF's
  (or a manifest's): half of that first write is written and flushed, the rest never;
- ``lock``: once it holds its Nth exclusive ``flock``.

Then it writes where it stopped to the file descriptor FD and waits to be killed. Writes are
caught where every way of writing a file in Python passes, so that any way of writing the
outputs is caught in the middle: ``io.open`` (``open``, ``pathlib``, ``tempfile``) and
``os.write``.
"""

from __future__ import annotations

import builtins
import fcntl
import io
import os
import runpy
import signal
import sys
from collections.abc import Callable, Iterable
from typing import Any

STARTS = {"pdf": b"%PDF-", "manifest": b'{"outputs"'}


def main(fd: int, what: str, nth: int, args: list[str]) -> None:
    count = 0

    def reached(kind: str | None) -> bool:
        nonlocal count
        count += kind == what
        return kind == what and count == nth

    def stop(descriptor: int) -> None:
        os_write(fd, f"{what} {nth}: {os.readlink(f'/proc/self/fd/{descriptor}')}\n".encode())
        while True:
            signal.pause()

    def first_write(descriptor: int, data: Any, write: Callable[[Any], object]) -> None:
        head = data[:16].encode() if isinstance(data, str) else bytes(data[:16])
        if reached(next((kind for kind, start in STARTS.items() if head.startswith(start)), None)):
            write(data[:len(data) // 2])
            stop(descriptor)

    class Watched:
        """A file open for writing, watched until its first write."""

        def __init__(self, file: Any) -> None:
            self._file, self._started = file, False

        def __getattr__(self, name: str) -> Any:
            return getattr(self._file, name)

        def __enter__(self) -> Watched:
            return self

        def __exit__(self, *exc: Any) -> Any:
            return self._file.__exit__(*exc)

        def write(self, data: Any) -> int:
            if not self._started and len(data):
                self._started = True
                first_write(self._file.fileno(), data,
                            lambda part: (self._file.write(part), self._file.flush()))
            return self._file.write(data)

        def writelines(self, lines: Iterable[Any]) -> None:
            for line in lines:
                self.write(line)

    def watched_open(file: Any, mode: str = "r", *rest: Any, **options: Any) -> Any:
        opened = io_open(file, mode, *rest, **options)
        return Watched(opened) if set(mode) & set("wax+") else opened

    started: set[int] = set()  # descriptors written to with os.write since they were opened

    def watched_write(descriptor: int, data: Any) -> int:
        if descriptor not in started and len(data):
            started.add(descriptor)
            first_write(descriptor, data, lambda part: os_write(descriptor, part))
        return os_write(descriptor, data)

    def watched_close(descriptor: int) -> None:
        started.discard(descriptor)
        os_close(descriptor)

    def watched_flock(file: Any, operation: int) -> None:
        flock(file, operation)
        if operation & fcntl.LOCK_EX and reached("lock"):
            stop(file if isinstance(file, int) else file.fileno())

    io_open, os_write, os_close, flock = io.open, os.write, os.close, fcntl.flock
    io.open = builtins.open = watched_open
    os.write, os.close, fcntl.flock = watched_write, watched_close, watched_flock
    sys.argv = ["brochure", *args]
    runpy.run_module("brochure", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4:])
