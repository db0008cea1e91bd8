"""The long run of the generated-data tests: how many valid files built, how many broken ones
were refused naming the right record and field, and how long it took.

    .venv/bin/python benchmarks/fuzz.py [N]

Runs ``tests/test_fuzz.py`` with ``BROCHURE_FUZZ_EXAMPLES=N`` (default 300) and Hypothesis's
statistics, and prints a summary of them: the figures the README quotes. A valid file counts
when its flyers built and each held its institution's name and a QR code of its homepage; a
broken file when the build printed the one expected error line. On a failure it prints pytest's
report instead and exits with 1.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TESTS = {"valid": "test_a_valid_file_builds_flyers_that_hold_its_names_and_homepages",
         "broken": "test_a_broken_file_is_refused_with_its_record_and_field"}


def statistics(report: str, test: str) -> tuple[int, str]:
    """The passing examples of one test in Hypothesis's statistics (examples replayed from its
    database included), and its events in the generate phase, counted."""
    section = re.split(r"\n(?=\S)", report.split(f"::{test}:", 1)[1], maxsplit=1)[0]
    passing = sum(int(count) for count in re.findall(r"- (\d+) passing", section))
    generated = section.split("during generate phase", 1)[-1]
    drawn = re.search(r"- (\d+) passing, (\d+) failing, and (\d+) invalid", generated)
    total = sum(int(count) for count in drawn.groups()) if drawn else 0
    events = [f"{name}: {round(float(share) * total / 100)}"
              for share, name in re.findall(r"\* ([\d.]+)%, (.+)", generated)
              if not name.startswith("Retried draw")]
    return passing, ", ".join(events)


def main() -> int:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    environment = {**os.environ, "BROCHURE_FUZZ_EXAMPLES": str(examples),
                   "PYTHONPATH": os.pathsep.join([str(PROJECT), os.environ.get("PYTHONPATH", "")])}
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_fuzz.py", "-q", "-p", "no:cacheprovider",
         "--hypothesis-show-statistics"],
        cwd=PROJECT, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        print(run.stdout, run.stderr, sep="\n")
        return 1
    valid, valid_events = statistics(run.stdout, TESTS["valid"])
    broken, broken_events = statistics(run.stdout, TESTS["broken"])
    print(f"{datetime.date.today()}: {examples} examples per test, {os.cpu_count()} cores, "
          "no failure")
    print(f"valid files built, every flyer checked: {valid} ({valid_events})")
    print(f"broken files refused with the broken record and field: {broken} ({broken_events})")
    print(f"wall time: {int(seconds // 60)} min {seconds % 60:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
