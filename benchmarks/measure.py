"""What the benchmark scripts share: the machine they ran on, timing commands with the memory
of their whole process tree, and printing Markdown tables that `README.md` quotes as printed."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "data" / "icheon.yaml"
BROCHURE = [sys.executable, "-m", "brochure"]
MB = 2**20


def machine() -> str:
    """The cores, processor, memory, load and versions a figure was measured with."""
    cpuinfo = Path("/proc/cpuinfo")  # Linux's; elsewhere the platform's word for it
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    model = next((line.split(":", 1)[1].strip() for line in lines
                  if line.startswith("model name")), platform.processor())
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"machine: {os.cpu_count()} cores, {model}, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB, load average {load} at the start; "
            f"Python {platform.python_version()}, WeasyPrint {version('weasyprint')}")


class PeakMemory:
    """Samples the resident memory of a process and all its children until stopped: the whole
    tree's peak, the process's own and its largest child's."""

    def __init__(self, pid: int) -> None:
        self.tree = self.own = self.child = 0
        self._process = psutil.Process(pid)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(0.05):
            try:
                own = self._process.memory_info().rss
                children = [child.memory_info().rss
                            for child in self._process.children(recursive=True)]
            except psutil.Error:  # a process ended while being read: the next sample counts
                continue
            self.tree = max(self.tree, own + sum(children))
            self.own = max(self.own, own)
            self.child = max(self.child, *children, 0)

    def stop(self) -> PeakMemory:
        self._done.set()
        self._thread.join()
        return self


@dataclass
class Timed:
    """A finished command: wall-clock and CPU seconds (of all its processes), peak memory, and
    what it printed."""

    seconds: float
    cpu: float
    memory: PeakMemory
    stdout: str
    stderr: str


def timed(command: Sequence[str], env: dict[str, str] | None = None) -> Timed:
    """Run a command to its end; exit with its error output if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    memory = PeakMemory(process.pid)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    memory.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode:
        sys.exit(f"{' '.join(command[:4])}... failed:\n{err}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timed(seconds, cpu, memory, out, err)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a Markdown table."""
    print("| " + " | ".join(headers) + " |")
    print("|" + " --- |" * len(headers))
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    print()


def kb(size: float) -> str:
    return f"{size / 1024:.0f} KB"
