"""The sample's builds and files: cold, with nothing changed, with one phone number changed,
on a machine that has not made the core fonts yet; and the sizes of the files.

    .venv/bin/python benchmarks/sample.py [--rounds 3]

Each round copies `data/icheon.yaml` and uses a new, empty cache folder (`XDG_CACHE_HOME`), so
its first build makes the core fonts as on a new machine. Then, in a new output folder: a cold
build (all language modes, the default profiles), the same build again, and the build after one
institution's phone number changed. Every time is that of the whole `brochure build` command.
Then one build for the press, with print runs, for the sizes of press files and print runs. It
prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import tempfile
from pathlib import Path

from measure import BROCHURE, SAMPLE, kb, machine, table, timed

BUILT = re.compile(r"^built (\d+) files?(?:, (\d+) unchanged,)? in ", re.MULTILINE)
PHONE = '    phone: "+82-31-633-6382"\n'  # the first institution's


def build(data: Path, out: Path, cache: Path, *options: str) -> tuple[float, int, int]:
    """Seconds of the whole command, and the files it built and left unchanged."""
    run = timed([*BROCHURE, "build", "--data", str(data), "--out", str(out), *options],
                env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    counts = BUILT.search(run.stdout)
    assert counts, f"no summary in:\n{run.stdout}"
    return run.seconds, int(counts[1]), int(counts[2] or 0)


def seconds(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values) + " s"


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "**not met**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    print()

    times: dict[str, list[float]] = {"first": [], "cold": [], "again": [], "phone": []}
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        for number in range(args.rounds):
            data, cache = folder / f"data-{number}.yaml", folder / f"cache-{number}"
            text = SAMPLE.read_text(encoding="utf-8")
            data.write_text(text, encoding="utf-8")
            shutil.copytree(SAMPLE.parent / "images", folder / "images", dirs_exist_ok=True)
            times["first"].append(build(data, folder / f"first-{number}", cache)[0])
            out = folder / f"out-{number}"
            spent, files, _ = build(data, out, cache)
            times["cold"].append(spent)
            spent, again, unchanged = build(data, out, cache)
            times["again"].append(spent)
            assert again == 0 and unchanged == files, (again, unchanged)
            data.write_text(text.replace(PHONE, PHONE.replace("6382", "6383")), encoding="utf-8")
            spent, changed, _ = build(data, out, cache)
            times["phone"].append(spent)

        print(f"`brochure build` of the sample ({files} files: all language modes, profiles "
              f"screen and office), {args.rounds} round(s):")
        print()
        cold, again = statistics.median(times["cold"]), statistics.median(times["again"])
        table(["build", "target", "each round", "median", ""], [
            ["cold, core fonts made", "under 10 s", seconds(times["cold"]), f"{cold:.2f} s",
             verdict(cold, 10)],
            ["cold, core fonts not made yet (a new machine)", "", seconds(times["first"]),
             f"{statistics.median(times['first']):.2f} s", ""],
            ["again, nothing changed", "under 1 s", seconds(times["again"]), f"{again:.2f} s",
             verdict(again, 1)],
            [f"one phone number changed: {changed} of {files} files made again", "",
             seconds(times["phone"]), f"{statistics.median(times['phone']):.2f} s", ""],
        ])

        screen = out / "screen"
        ko_flyers = [path.stat().st_size for path in (screen / "ko").glob("flyer-*.pdf")]
        sizes = [
            ["bilingual brochure, screen", "under 500 KB", (screen / "en+ko" / "brochure.pdf")],
            ["Korean flyer, screen (largest)", "under 60 KB", max(ko_flyers)],
        ]
        for kind in ("flyer", "card"):
            for profile in ("screen", "office"):
                each = [path.stat().st_size for path in
                        (out / profile / "en+ko").glob(f"{kind}-*.pdf")]
                sizes.append([f"bilingual {kind}, {profile} (median of {len(each)})", "",
                              statistics.median(each)])
        sizes.append(["bilingual brochure, office", "", out / "office" / "en+ko" / "brochure.pdf"])

        press = folder / "press"
        build(data, press, cache, "--lang", "en+ko", "--profile", "office", "--profile", "press",
              "--print-run")
        sizes.append(["bilingual brochure, press", "", press / "press" / "en+ko" / "brochure.pdf"])
        for kind in ("flyer", "card"):
            each = [path.stat().st_size for path in
                    (press / "press" / "en+ko").glob(f"{kind}-*.pdf")]
            sizes.append([f"bilingual {kind}, press (median of {len(each)})", "",
                          statistics.median(each)])
        rows = []
        for name, target, size in sizes:
            size = size.stat().st_size if isinstance(size, Path) else size
            limit = float(target.split()[1]) * 1024 if target else None
            rows.append([name, target, kb(size), verdict(size, limit) if limit else ""])
        print("Sizes of the sample's files (cold build above; press: `--lang en+ko --profile "
              "office --profile press --print-run`):")
        print()
        table(["file", "target", "size", ""], rows)

        rows = []
        for profile in ("office", "press"):
            for kind in ("flyer", "card"):
                members = list((press / profile / "en+ko").glob(f"{kind}-*.pdf"))
                run = press / profile / "en+ko" / f"{kind}s.pdf"
                rows.append([f"{len(members)} bilingual {kind}s, {profile}",
                             kb(run.stat().st_size),
                             kb(sum(path.stat().st_size for path in members))])
        print("Print runs of the sample:")
        print()
        table(["run", "one file", "single files together"], rows)


if __name__ == "__main__":
    main()
