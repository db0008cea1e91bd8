"""The library entry point: a loaded data set -> PDFs and a manifest in an output folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import jobs, output
from .data import Loaded
from .errors import RenderError
from .i18n import Catalogues, LanguageMode
from .pdf import PdfRenderer
from .render import DEFAULT_LAYOUT, Layout
from .templating import make_environment
from .theme import Theme
from .typography import load_typography


@dataclass
class BuildReport:
    """What a build made, what failed, and what the user should look at."""

    built: list[dict[str, Any]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    manifest: Path | None = None


def build(loaded: Loaded, out_dir: Path, modes: Sequence[LanguageMode], kinds: Sequence[str],
          theme: Theme | None = None, layout: Layout = DEFAULT_LAYOUT,
          progress: Callable[[jobs.Product], None] | None = None) -> BuildReport:
    """Build every planned output; one failing output does not stop the others.

    Each PDF is written as soon as it is made and the manifest last (see
    :class:`output.Manifest`); the output folder is locked for the whole build.
    """
    theme = theme or Theme.with_user_theme()
    dataset = loaded.dataset
    catalogues = Catalogues(theme.dirs("templates"))
    typography = load_typography(theme)
    env = make_environment(theme, catalogues, typography)
    renderer = PdfRenderer(theme, loaded.path.parent, typography.css(dataset.languages))
    report = BuildReport()
    languages = dict.fromkeys(lang for mode in modes for lang in mode.languages)
    report.warnings.extend(f"no message catalogue for '{lang}'; its labels are in English"
                           for lang in languages if catalogues.missing(lang))
    planned = jobs.plan(dataset, modes, kinds, layout)
    with output.locked(out_dir):
        manifest = output.Manifest(out_dir, [job.path for job in planned])
        for job in planned:
            try:
                product = jobs.produce(job, dataset, env, renderer)
            except RenderError as error:
                report.failed.append(str(error))
                manifest.keep_if_unchanged(job.path)
                continue
            output.write_atomic(out_dir / job.path, product.pdf)
            layout_name = job.layout.name if job.mode.bilingual else None
            entry = output.entry(job.path, job.kind.name, job.mode.code, product.pages,
                                 product.pdf, job.institution, layout_name)
            manifest.add(entry)
            report.built.append(entry)
            report.warnings.extend(f"{job.path}: {message}" for message in product.warnings
                                   if f"{job.path}: {message}" not in report.warnings)
            if progress:
                progress(product)
        report.manifest = manifest.save()
    return report


